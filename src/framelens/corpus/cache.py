"""Extraction cache: one JSON record per (file content, extractor version, reader settings).

Layout of ``cache_dir`` (the pipeline passes ``<out>/cache/extract``)::

    ab/ab12...ef-pdf-1a2b3c4d.json   record for sha256 ab12...ef read as PDF with settings 1a2b3c4d
    stat-index.json                  path -> [size, mtime_ns, sha256], so unchanged files are
                                     not even re-hashed on a re-run

The settings hash covers ``EXTRACTOR_VERSION``, the format, and for PDFs the engine and the
page limit. Records are written atomically (temp file + rename); a corrupt or foreign record
is treated as a miss. Timeouts and unreadable files are not cached.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from framelens.core.io import atomic_write_text
from framelens.corpus.base import EXTRACTOR_VERSION

STAT_INDEX = "stat-index.json"


def settings_key(fmt: str, engine: str, max_pages: int, ocr: str = "") -> str:
    """Short hash of everything besides the content that changes a record (for PDFs: the
    engine, the page limit and what OCR can do here, ``corpus.ocr.ocr_signature``)."""
    parts: dict[str, Any] = {"version": EXTRACTOR_VERSION, "format": fmt}
    if fmt == "pdf":
        parts.update(engine=engine, max_pages=int(max_pages))
        if ocr:
            parts.update(ocr=ocr)
    blob = json.dumps(parts, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


class ExtractCache:
    """Records on disk, keyed by content hash and reader settings."""

    def __init__(self, folder: str | os.PathLike, engine: str, max_pages: int, ocr: str = ""):
        self.folder = Path(folder)
        self.engine = engine
        self.max_pages = max_pages
        self.ocr = ocr
        self.folder.mkdir(parents=True, exist_ok=True)
        self._index: dict[str, list] = {}
        self._index_changed = False
        try:
            loaded = json.loads((self.folder / STAT_INDEX).read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self._index = loaded
        except (OSError, ValueError):
            self._index = {}
        self.hits = 0
        self.misses = 0

    # ------------------------------------------------------------------ hashing
    def sha256(self, path: Path, stat: os.stat_result) -> str:
        """sha256 of ``path``, reused from the stat index when size and mtime are unchanged."""
        key = str(path.resolve())
        entry = self._index.get(key)
        if entry and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry[2]
        sha = sha256_file(path)
        self._index[key] = [stat.st_size, stat.st_mtime_ns, sha]
        self._index_changed = True
        return sha

    def save_index(self) -> None:
        if self._index_changed:
            text = json.dumps(self._index, sort_keys=True, separators=(",", ":"))
            atomic_write_text(self.folder / STAT_INDEX, text)
            self._index_changed = False

    # ------------------------------------------------------------------ records
    def path_for(self, sha: str, fmt: str) -> Path:
        return (
            self.folder
            / sha[:2]
            / f"{sha}-{fmt}-{settings_key(fmt, self.engine, self.max_pages, self.ocr)}.json"
        )

    def get(self, sha: str, fmt: str) -> dict[str, Any] | None:
        path = self.path_for(sha, fmt)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        if (
            not isinstance(record, dict)
            or record.get("version") != EXTRACTOR_VERSION
            or record.get("sha256") != sha
        ):
            self.misses += 1
            return None
        self.hits += 1
        return record

    def put(self, record: dict[str, Any]) -> None:
        sha, fmt = record.get("sha256"), record.get("format")
        if not sha or not fmt or not record.get("cacheable", False):
            return
        text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        atomic_write_text(self.path_for(sha, fmt), text)
