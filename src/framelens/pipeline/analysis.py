"""The analysis stage, streamed: preprocess -> score -> actors batch by batch, cached per document.

``run_analysis(documents, config, out_dir)``:

1. sorts the analysed documents by doc_id and cuts them into batches of
   ``analysis.batch_documents``;
2. looks each document up in two per-document caches (``<out>/cache/analysis/preprocess``
   and ``.../score``; ``framelens.core.doccache``). The preprocessing key is a hash of the
   document (doc_id, language, text), the preprocessing settings, the spaCy pipelines, the
   lemma corrections and the framelens version; the scoring key adds the lexicon (version and
   the bytes of its files), the lexicon settings and the actor table. A new document misses
   both; a new lexicon misses only the scoring cache (nothing is re-extracted or
   re-preprocessed);
3. runs what is missing (``analysis.framing.batch.analyse_batch``) in this process, or on the
   dask cluster with ``extract.executor: dask`` (batches in flight: two per worker; results
   come back in batch order), and stores it in the caches;
4. writes each batch's ``sentences``, ``sentence_frames``, ``matches`` and ``actors`` to their
   Parquet files (``outputs.sink.TableSink``; CSV too with ``outputs.csv: all``) and keeps only
   the document-level ``frame_scores`` and ``cooccurrence`` rows in memory.

Every row depends on its own document only, so any batch size, cache state or executor gives
the same tables (tests/test_scale_streaming.py); a batch as large as the corpus is the
in-memory run.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framelens import __version__
from framelens.analysis.framing.actors import MENTION_COLUMNS, actors_with_metadata, load_actors
from framelens.analysis.framing.batch import BatchSettings, analyse_batch
from framelens.analysis.framing.lexicon import Lexicon, load_lexicon
from framelens.analysis.framing.scoring import document_scores
from framelens.analysis.text.preprocess import load_nlp
from framelens.core.config import RunConfig
from framelens.core.doccache import KEY_COLUMN, DocumentCache, key
from framelens.core.domain import LANGUAGES
from framelens.core.memory import release_memory
from framelens.core.packagedata import data_path
from framelens.core.progress import ProgressBar
from framelens.outputs.sink import TableSink
from framelens.outputs.store import table_formats

#: The sentence-level tables the stage streams to disk, in writing order.
STREAMED = ("sentences", "sentence_frames", "matches", "actors")
_DOC_COLUMNS = ["doc_id", "language", "status", "text"]


@dataclass
class AnalysisStage:
    """Result of ``run_analysis``.

    Attributes
    ----------
    frame_scores, cooccurrence : DataFrame
        The document-level tables (in memory; written by the run's store).
    streamed : dict
        Table name -> Parquet path of the sentence-level tables (already written, validated).
    record : dict
        Batches, executor and cache hits and misses per step (run.json ``analysis``).
    lexicon_version : str
    input_key : str
        A hash of every document's preprocessing key, in doc_id order: the sentences table
        is a function of it (later corpus-level steps key their caches on it).
    """

    frame_scores: pd.DataFrame
    cooccurrence: pd.DataFrame
    streamed: dict[str, Path] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    lexicon_version: str = ""
    input_key: str = ""

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"frame_scores": self.frame_scores, "cooccurrence": self.cooccurrence}


@dataclass
class _Batch:
    """What the client keeps of a batch while its work runs."""

    docs: pd.DataFrame  # the batch's documents with their metadata
    pre_key: dict[str, str]  # doc_id -> preprocessing key
    score_key: dict[str, str]  # doc_id -> scoring key
    cached_sentences: pd.DataFrame
    cached_scores: list[str]  # scoring keys found
    preprocessed: list[str]  # doc_ids preprocessed now
    scored: list[str]  # doc_ids scored now


class _NoCache:
    """Stands in for a ``DocumentCache`` when ``analysis.cache`` is off."""

    hits = misses = 0

    def split(self, keys):
        keys = list(keys)
        self.misses += len(keys)
        return [], keys

    def get(self, keys):
        raise KeyError("no cache")

    def put(self, frames, keys) -> None:
        return None


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def files_hash(folder: Path | None) -> str:
    """sha256 over the names and bytes of every file under ``folder`` ("" when none)."""
    if folder is None or not Path(folder).is_dir():
        return ""
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def stage_settings(
    config: RunConfig, lexicon: Lexicon, actors: pd.DataFrame, languages: list[str]
) -> tuple[dict, dict]:
    """The settings hashed into the preprocessing and the scoring keys."""
    overrides = data_path("lemma_overrides.csv")
    pre = {
        "framelens": __version__,
        "preprocess": asdict(config.preprocess),
        "pipelines": {
            lang: load_nlp(lang, config.preprocess).meta.get("framelens_pipeline", "unknown")
            for lang in languages
        },
        "lemma_overrides": _sha(overrides.read_text(encoding="utf-8"))
        if overrides.exists()
        else "",
    }
    score = {
        "framelens": __version__,
        "lexicon": lexicon.version,
        "lexicon_files": files_hash(lexicon.path),
        "negation_window": config.lexicon.negation_window,
        "count_negated": config.lexicon.count_negated,
        "actors": _sha(actors.to_csv(index=False)),
    }
    return pre, score


def _with_key(df: pd.DataFrame, key_of: dict[str, str]) -> pd.DataFrame:
    return df.assign(**{KEY_COLUMN: df["doc_id"].map(key_of).astype(str)})


def _plan(
    docs: pd.DataFrame, pre_settings: dict, score_settings: dict, caches: dict
) -> tuple[_Batch, tuple]:
    """Look a batch up in the caches; returns what to keep and the work item."""
    pre_key = {
        d: key("preprocess", d, lang, _sha(text), pre_settings)
        for d, lang, text in zip(docs["doc_id"], docs["language"], docs["text"], strict=True)
    }
    score_key = {d: key("score", k, score_settings) for d, k in pre_key.items()}
    found_p, _ = caches["preprocess"].split(pre_key.values())
    found_p_set = set(found_p)
    found_s, _ = caches["score"].split(score_key.values())
    found_s_set = set(found_s)
    # a document preprocessed now is scored now too (its scoring rows come with its sentences)
    pre_now = [d for d in docs["doc_id"] if pre_key[d] not in found_p_set]
    score_now = set(pre_now) | {d for d in docs["doc_id"] if score_key[d] not in found_s_set}
    if found_p:
        cached = caches["preprocess"].get(found_p)["sentences"].drop(columns=[KEY_COLUMN])
    else:
        cached = pd.DataFrame(columns=["doc_id", "sent_id"])
    work = (
        docs.loc[docs["doc_id"].isin(set(pre_now)), _DOC_COLUMNS],
        cached[cached["doc_id"].isin(score_now)],
        docs.loc[docs["doc_id"].isin(score_now), ["doc_id", "language"]],
    )
    batch = _Batch(
        docs,
        pre_key,
        score_key,
        cached,
        [score_key[d] for d in docs["doc_id"] if d not in score_now],
        pre_now,
        [d for d in docs["doc_id"] if d in score_now],
    )
    return batch, work


def _concat(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    out = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _assemble(batch: _Batch, done: dict[str, pd.DataFrame], caches: dict, version: str):
    """The batch's tables from the cached rows and the rows computed now; caches the new."""
    pre_keys = {d: batch.pre_key[d] for d in batch.preprocessed}
    caches["preprocess"].put(
        {"sentences": _with_key(done["sentences"], pre_keys)}, pre_keys.values()
    )
    score_keys = {d: batch.score_key[d] for d in batch.scored}
    new = {
        "sentence_frames": done["sentence_frames"],
        "matches": done["matches"],
        "actors": done["actor_mentions"],
    }
    caches["score"].put(
        {t: _with_key(df, score_keys) for t, df in new.items()}, score_keys.values()
    )
    old = {t: pd.DataFrame() for t in new}
    if batch.cached_scores:
        old = {
            t: df.drop(columns=[KEY_COLUMN])
            for t, df in caches["score"].get(batch.cached_scores).items()
        }
    ids = ["doc_id", "sent_id"]
    sentences = _concat([batch.cached_sentences, done["sentences"]], ids)
    frames = _concat([old["sentence_frames"], new["sentence_frames"]], ids)
    matches = _concat([old["matches"], new["matches"]], [*ids, "start_char"])
    mentions = _concat([old["actors"], new["actors"]], [*ids, "actor"])
    docs = batch.docs
    if sentences.empty:
        sentences = _empty("sentences")
        frames = _empty("sentence_frames")
    if matches.empty:
        matches = _empty("matches")
    if mentions.empty:
        mentions = pd.DataFrame({c: pd.Series([], dtype=object) for c in MENTION_COLUMNS})
    langs = dict(zip(docs["doc_id"], docs["language"], strict=True))
    fs, co = document_scores(sentences[["doc_id", "sent_id", "n_tokens"]], frames, docs, version)
    actors = actors_with_metadata(mentions, docs, langs)
    tables = {"sentences": sentences, "sentence_frames": frames, "matches": matches}
    return {**tables, "actors": actors}, fs, co


def _empty(name: str) -> pd.DataFrame:
    from framelens.outputs.sink import empty_table

    return empty_table(name)


def analyse_partition(item: tuple, settings: BatchSettings) -> dict[str, pd.DataFrame]:
    """One batch's work (a module-level function: dask names its tasks after it)."""
    to_pre, scoring_only, languages = item
    if to_pre.empty and scoring_only.empty:
        empty = _empty("sentences")
        return {
            "sentences": empty,
            "sentence_frames": _empty("sentence_frames"),
            "matches": _empty("matches"),
            "actor_mentions": pd.DataFrame(columns=MENTION_COLUMNS),
        }
    return analyse_batch(to_pre, scoring_only, languages, settings)


def run_analysis(
    documents: pd.DataFrame, config: RunConfig, out_dir: str | Path, *, progress: bool = True
) -> AnalysisStage:
    """Preprocess, score and find actors in ``documents``, streamed (see the module docstring).

    Parameters
    ----------
    documents : DataFrame
        The documents to analyse (readable, in a language with an instrument: the run passes
        ``analysed_documents``), with ``text`` and metadata.
    config : RunConfig
        ``analysis`` (batch size, cache), ``preprocess``, ``lexicon``, ``outputs.csv`` and
        ``extract.executor``/``scheduler``/``workers`` (dask).
    out_dir : path
        The run folder: tables go to ``tables/``, the caches to ``cache/analysis/``.
    """
    out_dir = Path(out_dir)
    docs = documents[documents["language"].isin(LANGUAGES)].sort_values("doc_id", kind="stable")
    docs = docs.reset_index(drop=True)
    docs.attrs = {}
    lexicon = load_lexicon(config.lexicon.version)
    actor_table = load_actors()
    languages = sorted(docs["language"].unique())
    pre_settings, score_settings = stage_settings(config, lexicon, actor_table, languages)
    caches = _caches(config, out_dir)
    settings = BatchSettings(config.preprocess, lexicon, config.lexicon, actor_table)
    size = config.analysis.batch_documents
    pending: deque[_Batch] = deque()
    inputs = hashlib.sha256()  # what the sentences are a function of, batch by batch

    bounds = batch_bounds(docs["text"].str.len().to_numpy(), size, config.analysis.batch_chars)

    def items() -> Iterator[tuple]:
        for start, end in bounds:
            batch, work = _plan(docs.iloc[start:end], pre_settings, score_settings, caches)
            pending.append(batch)
            yield work

    fs_parts, co_parts = [], []
    with ExitStack() as stack:
        sinks = {
            t: stack.enter_context(
                TableSink(out_dir / "tables", t, csv="csv" in table_formats(t, config.outputs.csv))
            )
            for t in STREAMED
        }
        bar = stack.enter_context(
            ProgressBar(len(docs), progress, label="analysis", unit="documents")
        )
        for done in _executor(config)(analyse_partition, items(), (settings,)):
            batch = pending.popleft()
            inputs.update("\n".join(batch.pre_key[d] for d in batch.docs["doc_id"]).encode())
            tables, fs, co = _assemble(batch, done, caches, lexicon.version)
            for name in STREAMED:
                sinks[name].write(tables[name])
            fs_parts.append(fs)
            co_parts.append(co)
            bar.advance(len(batch.docs))
            del tables, done, batch
            release_memory(collect=False)
        n_rows = {t: sinks[t].n_rows for t in STREAMED}
    fs_all, co_all = _documents_tables(fs_parts, co_parts, lexicon.version)
    record = {
        "batch_documents": size,
        "batch_chars": config.analysis.batch_chars,
        "n_batches": len(bounds),
        "executor": config.extract.executor,
        "rows": n_rows,
        "cache": {
            step: {"hits": c.hits, "misses": c.misses, "enabled": config.analysis.cache}
            for step, c in caches.items()
        },
    }
    streamed = {t: out_dir / "tables" / f"{t}.parquet" for t in STREAMED}
    return AnalysisStage(fs_all, co_all, streamed, record, lexicon.version, inputs.hexdigest())


def batch_bounds(lengths, max_docs: int, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) row ranges of consecutive batches: a batch closes when it holds
    ``max_docs`` documents or its texts reach ``max_chars`` characters (a longer document is
    a batch of its own)."""
    bounds, start, chars = [], 0, 0
    for i, n in enumerate(lengths):
        if i > start and (i - start >= max_docs or chars + int(n) > max_chars):
            bounds.append((start, i))
            start, chars = i, 0
        chars += int(n)
    if len(lengths):
        bounds.append((start, len(lengths)))
    return bounds


def _caches(config: RunConfig, out_dir: Path) -> dict[str, Any]:
    if not config.analysis.cache:
        return {"preprocess": _NoCache(), "score": _NoCache()}
    root = out_dir / "cache" / "analysis"
    return {
        "preprocess": DocumentCache(root / "preprocess", ["sentences"]),
        "score": DocumentCache(root / "score", ["sentence_frames", "matches", "actors"]),
    }


def _executor(config: RunConfig):
    """``map(fn, items, args)`` in this process, or on dask (in order, bounded window)."""
    if config.extract.executor == "dask":
        from framelens.corpus.executors.dask_cluster import imap_ordered

        return lambda fn, items, args: imap_ordered(fn, items, args, config.extract)
    return lambda fn, items, args: (fn(item, *args) for item in items)


def _documents_tables(fs_parts: list, co_parts: list, version: str):
    from framelens.schemas import validate

    if fs_parts:
        fs = pd.concat(fs_parts, ignore_index=True)
        co = pd.concat(co_parts, ignore_index=True)
    else:
        fs, co = document_scores(_empty("sentences"), _empty("sentence_frames"), None, version)
    return validate(fs, "frame_scores"), validate(co, "cooccurrence")
