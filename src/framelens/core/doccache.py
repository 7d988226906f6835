"""Per-document stage cache: each document's rows of a stage's tables, found again by key.

A per-document stage (preprocessing, scoring) stores what it computed for a batch of
documents as one *segment*: for each of its tables, ``seg-<id>.<table>.parquet`` with a
``_key`` column (the document's key), then ``seg-<id>.json`` listing the keys. The JSON is
written last, atomically: a segment without it (a run killed mid-batch) is ignored. Reading
looks the keys up in the union of the segments' key lists and reads each needed segment once,
filtered on ``_key``: a re-run of 10,000 documents reads a few dozen files, not 10,000.

Keys are built by the stage (``key(...)``): a hash of the document (doc_id, language and text)
and of the stage's settings and the framelens version, so anything that could change a row
gives another key; an entry is never updated in place. Superseded segments stay on disk until
the cache folder is deleted (``<out>/cache``; safe at any time: the next run recomputes).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from framelens.core.io import atomic_write_bytes, atomic_write_text, table_to_parquet_bytes

KEY_COLUMN = "_key"


def key(*parts: object) -> str:
    """A 32-hex-digit key of ``parts`` (strings, numbers, JSON-able settings)."""
    h = hashlib.sha256()
    for part in parts:
        blob = part if isinstance(part, str) else json.dumps(part, sort_keys=True, default=str)
        h.update(blob.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:32]


class DocumentCache:
    """The cache of one stage under ``folder`` (e.g. ``<out>/cache/analysis/score``).

    Parameters
    ----------
    folder : path
        Created when missing.
    tables : iterable of str
        The tables a segment holds (every ``put`` gives all of them).
    """

    def __init__(self, folder: str | os.PathLike, tables: Iterable[str]):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tables = tuple(tables)
        self._where: dict[str, str] = {}
        for index in sorted(self.folder.glob("seg-*.json")):
            try:
                keys = json.loads(index.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged index is a miss, never an error
            seg = index.name[: -len(".json")]
            if isinstance(keys, list) and all(
                (self.folder / f"{seg}.{t}.parquet").exists() for t in self.tables
            ):
                self._where.update(dict.fromkeys(keys, seg))
        self.hits = 0
        self.misses = 0

    def __contains__(self, k: str) -> bool:
        return k in self._where

    def split(self, keys: Iterable[str]) -> tuple[list[str], list[str]]:
        """(keys found, keys missing), each in the given order; counts hits and misses."""
        found, missing = [], []
        for k in keys:
            (found if k in self._where else missing).append(k)
        self.hits += len(found)
        self.misses += len(missing)
        return found, missing

    def get(self, keys: Iterable[str]) -> dict[str, pd.DataFrame]:
        """The rows of ``keys`` (all present) per table, with the ``_key`` column, in segment
        order (the caller sorts)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        by_seg: dict[str, list[str]] = {}
        for k in keys:
            by_seg.setdefault(self._where[k], []).append(k)
        out: dict[str, list[pd.DataFrame]] = {t: [] for t in self.tables}
        for seg, ks in sorted(by_seg.items()):
            value_set = _array(sorted(set(ks)))
            for t in self.tables:
                table = pq.read_table(self.folder / f"{seg}.{t}.parquet")
                table = table.filter(pc.is_in(table.column(KEY_COLUMN), value_set=value_set))
                out[t].append(table.to_pandas())
        return {t: _concat(frames) for t, frames in out.items()}

    def put(self, frames: Mapping[str, pd.DataFrame], keys: Iterable[str]) -> None:
        """Store one segment: ``frames[table]`` rows carry ``_key``; ``keys`` are every key the
        segment answers for (a document with no rows is still a hit)."""
        keys = sorted(set(keys))
        if not keys:
            return
        seg = "seg-" + key(*keys)[:20]
        for t in self.tables:
            data = table_to_parquet_bytes(frames[t])
            atomic_write_bytes(self.folder / f"{seg}.{t}.parquet", data)
        atomic_write_text(self.folder / f"{seg}.json", json.dumps(keys))
        self._where.update(dict.fromkeys(keys, seg))


def _array(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


class ResultCache:
    """Whole results of a corpus-level step (the instruments' validation, a topic fit), keyed
    by everything they depend on (``key``), pickled with joblib under ``folder``.

    A result is a function of its key, so a hit is the result the step would compute; a miss
    (new key, damaged or unreadable file) computes it again. Files are written to a temporary
    name and renamed. The folder is the run's own cache: it is never shared between users, so
    unpickling it is as safe as the run's own code.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0

    def get(self, k: str):
        import joblib

        path = self.folder / f"{k}.joblib"
        try:
            value = joblib.load(path)
        except Exception:  # noqa: BLE001 - any unreadable entry is a miss
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, k: str, value) -> None:
        import tempfile

        import joblib

        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{k}.", suffix=".tmp", dir=self.folder)
        os.close(fd)
        try:
            joblib.dump(value, tmp, compress=3)
            os.replace(tmp, self.folder / f"{k}.joblib")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
