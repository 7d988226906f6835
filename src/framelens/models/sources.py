"""Sentence sources: the ``sentences`` table read in chunks of whole documents.

The topic stage needs, per document, the lemmas of its sentences (the corpus) and the text of
its first sentences (the excerpts of intrusion sheets). On a large corpus the ``sentences``
table need not be in memory at once: ``build_corpus``, ``fit_topics``, ``select_topics`` and
``document_excerpts`` accept, instead of the DataFrame, any object with the ``SentenceSource``
protocol, and read it chunk by chunk.

Contract of a source (``SentenceSource.chunks(columns)``):

- every call returns a **fresh** iterator (the topic stage reads a source more than once: the
  corpus, then the excerpts);
- each item is a DataFrame with at least ``columns`` (doc_id among them) and the rows of the
  sentences table in any order within a chunk;
- **every document's sentences are in a single chunk** (a chunk holds whole documents). Chunks
  in doc_id order are usual but not required.

Sources here:

- ``FrameSource(sentences, docs_per_chunk)``: an in-memory table served in chunks of
  ``docs_per_chunk`` documents in doc_id order (tests, and callers that hold the table);
- ``ParquetSentenceSource(path, batch_rows)``: a Parquet file of the sentences table read with
  pyarrow ``ParquetFile.iter_batches`` (only the requested columns, ``batch_rows`` rows at a
  time), regrouped into whole documents by ``whole_documents``. The rows of one document must be
  contiguous in the file (the pipeline writes the table document by document).

Layering: this module is at the bottom of ``framelens.models`` with ``_tokens`` (it imports
nothing of the package but ``framelens.core``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from framelens.core.errors import ConfigError, Errors


@runtime_checkable
class SentenceSource(Protocol):
    """Anything that serves the ``sentences`` table in chunks of whole documents."""

    def chunks(self, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
        """A fresh iterator of DataFrames with at least ``columns``; each document's sentences
        are all in one chunk."""
        ...  # pragma: no cover - protocol


#: What the topic stage accepts as its sentences input.
Sentences = pd.DataFrame | SentenceSource


def check_columns(chunk: pd.DataFrame, columns: Sequence[str], what: str = "sentences") -> None:
    """Raise ``ConfigError`` [E023] when ``chunk`` lacks one of ``columns``."""
    missing = [c for c in columns if c not in chunk.columns]
    if missing:
        raise ConfigError(
            Errors.E023.format(what=what, missing=missing, columns=list(map(str, chunk.columns)))
        )


def sentence_chunks(sentences: Sentences, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
    """The chunks of ``sentences`` with ``columns`` checked: a DataFrame is one chunk (not
    copied), a ``SentenceSource`` gives its own chunks.

    Raises
    ------
    ConfigError
        [E023] when a chunk lacks one of ``columns``.
    TypeError
        When ``sentences`` is neither a DataFrame nor a ``SentenceSource``.
    """
    if isinstance(sentences, pd.DataFrame):
        check_columns(sentences, columns)
        yield sentences
        return
    if not isinstance(sentences, SentenceSource):
        raise TypeError(
            "sentences must be a DataFrame or a SentenceSource (an object with "
            f".chunks(columns)), got {type(sentences).__name__}"
        )
    for chunk in sentences.chunks(list(columns)):
        check_columns(chunk, columns)
        yield chunk


class FrameSource:
    """An in-memory ``sentences`` table served in chunks of whole documents.

    Parameters
    ----------
    sentences : DataFrame
        The sentences table (doc_id, sent_id, lemmas, text, ...). Not modified or copied.
    docs_per_chunk : int or None, default None
        Documents per chunk, in doc_id order (rows keep their table order within a document);
        None serves all documents in one chunk. Rows without a doc_id are left out.
    """

    def __init__(self, sentences: pd.DataFrame, docs_per_chunk: int | None = None):
        if docs_per_chunk is not None and int(docs_per_chunk) < 1:
            raise ValueError(f"docs_per_chunk must be >= 1 or None, got {docs_per_chunk}")
        self.sentences = sentences
        self.docs_per_chunk = docs_per_chunk

    def chunks(self, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
        cols = list(columns)
        codes, uniques = pd.factorize(self.sentences["doc_id"], sort=True)
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        step = len(uniques) if self.docs_per_chunk is None else int(self.docs_per_chunk)
        for lo in range(0, len(uniques), max(step, 1)):
            a, b = np.searchsorted(sorted_codes, [lo, lo + step], side="left")
            yield self.sentences.iloc[order[a:b]][cols]


def whole_documents(batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Regroup batches of sentence rows into chunks of whole documents.

    The rows of a document must be contiguous across the batches (a document may span several
    batches); the last document of a batch is held back until its rows are complete.

    Raises
    ------
    ValueError
        When a document's rows are not contiguous (it reappears after another document).
    """
    seen: set = set()
    pending: pd.DataFrame | None = None
    for batch in batches:
        frame = batch if pending is None else pd.concat([pending, batch], ignore_index=True)
        if frame.empty:
            pending = frame
            continue
        ids = frame["doc_id"].to_numpy()
        change = np.flatnonzero(ids[1:] != ids[:-1])
        start = int(change[-1]) + 1 if len(change) else 0
        done, pending = frame.iloc[:start], frame.iloc[start:]
        if not done.empty:
            _mark_seen(done, seen)
            yield done.reset_index(drop=True)
    if pending is not None and not pending.empty:
        _mark_seen(pending, seen)
        yield pending.reset_index(drop=True)


def _mark_seen(chunk: pd.DataFrame, seen: set) -> None:
    ids = chunk["doc_id"].to_numpy()
    runs = ids[np.r_[True, ids[1:] != ids[:-1]]]
    unique = set(runs.tolist())
    again = (unique & seen) or (len(unique) < len(runs))
    if again:
        raise ValueError(
            "the sentences of a document are not contiguous in the source: sort the sentences "
            "table by doc_id (then sent_id) before reading it in chunks"
        )
    seen.update(unique)


class ParquetSentenceSource:
    """The ``sentences`` table of a Parquet file, read ``batch_rows`` rows at a time.

    Parameters
    ----------
    path : str or path-like
        A Parquet file of the sentences table (doc_id, sent_id, lemmas, text, ...), the rows of
        each document contiguous (e.g. sorted by doc_id, sent_id).
    batch_rows : int, default 65536
        Rows per pyarrow record batch (``ParquetFile.iter_batches(batch_size=...)``); chunks
        hold the whole documents of one or more batches.

    Examples
    --------
    >>> source = ParquetSentenceSource("out/tables/sentences.parquet")  # doctest: +SKIP
    >>> corpus = build_corpus(source, documents, "en")  # doctest: +SKIP
    """

    def __init__(self, path: str | PathLike, *, batch_rows: int = 65_536):
        if int(batch_rows) < 1:
            raise ValueError(f"batch_rows must be >= 1, got {batch_rows}")
        self.path = Path(path)
        self.batch_rows = int(batch_rows)

    def chunks(self, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
        import pyarrow.parquet as pq

        cols = list(dict.fromkeys(["doc_id", *columns]))
        with pq.ParquetFile(self.path) as pf:
            names = pf.schema_arrow.names
            missing = [c for c in cols if c not in names]
            if missing:
                raise ConfigError(
                    Errors.E023.format(
                        what=f"sentences ({self.path})", missing=missing, columns=names
                    )
                )
            batches = pf.iter_batches(batch_size=self.batch_rows, columns=cols)
            yield from whole_documents(b.to_pandas() for b in batches)

    def __repr__(self) -> str:
        return f"ParquetSentenceSource({str(self.path)!r}, batch_rows={self.batch_rows})"
