"""Reading the files of a corpus plan: which need reading, and reading them on an executor.

``file_tasks`` turns the plan's items into tasks (one file each, with the reader settings),
taking records from the extraction cache where it has them and recording a reason on the
items that must not be read (unsupported type, missing, too large). ``read_files`` runs the
tasks on the executor of the config (``executors.pool`` locally, ``executors.dask_cluster``
with ``executor: dask``), writes each record to the cache as it arrives and advances the
progress bar. Records are keyed by the item's position in the plan.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framelens.core.config import ExtractConfig
from framelens.core.errors import Errors
from framelens.core.progress import ProgressBar
from framelens.corpus.cache import ExtractCache
from framelens.corpus.manifest import Item

log = logging.getLogger(__name__)

Task = tuple[int, dict[str, Any]]


@dataclass
class FileTasks:
    """The files to read (largest first) and the records the cache already holds."""

    tasks: list[Task] = field(default_factory=list)
    cached: dict[int, dict[str, Any]] = field(default_factory=dict)


# --------------------------------------------------------------------------- tasks
def _os_reason(exc: OSError) -> str:
    return Errors.W115.format(reason=f"{type(exc).__name__}: {exc.strerror}")


def _refusal(item: Item, cfg: ExtractConfig) -> tuple[str | None, os.stat_result | None]:
    """Why ``item`` must not be read (its reason, None) or its ``stat`` (None, stat)."""
    if item.format == "other":
        return Errors.W109.format(suffix=Path(item.path).suffix.lower() or "(none)"), None
    try:
        stat = item.abs_path.stat()
    except FileNotFoundError:
        return Errors.W101, None
    except OSError as exc:
        return _os_reason(exc), None
    limit_bytes = cfg.max_file_mb * 1024 * 1024 if cfg.max_file_mb else None
    if limit_bytes and stat.st_size > limit_bytes:
        return Errors.W118.format(mb=stat.st_size / 1024 / 1024, limit=cfg.max_file_mb), None
    return None, stat


def file_tasks(items: list[Item], cfg: ExtractConfig, cache: ExtractCache | None) -> FileTasks:
    """The reading tasks of ``items`` (the task key is the item's position in the list).

    Items that must not be read get their reason in ``item.error``; files whose record the
    cache holds are not read again. Tasks are sorted largest file first, since a big PDF
    started last would leave the other workers idle.
    """
    out = FileTasks()
    sizes: dict[int, int] = {}
    for i, item in enumerate(items):
        if item.error:
            continue
        item.error, stat = _refusal(item, cfg)
        if item.error:
            continue
        task = {
            "path": str(item.abs_path),
            "format": item.format,
            "engine": cfg.pdf_engine,
            "max_pages": cfg.max_pages,
            "max_file_mb": cfg.max_file_mb,
            "ocr": {
                "enabled": cfg.ocr,
                "language": (item.manifest_row or {}).get("language") or None,
                "dpi": cfg.ocr_dpi,
                "budget_s": 0.75 * cfg.timeout_s,
            },
        }
        if cache is not None:
            try:
                task["sha256"] = cache.sha256(item.abs_path, stat)
            except OSError as exc:
                item.error = _os_reason(exc)
                continue
            cached = cache.get(task["sha256"], item.format)
            if cached is not None:
                out.cached[i] = cached
                continue
        out.tasks.append((i, task))
        sizes[i] = stat.st_size
    out.tasks.sort(key=lambda kt: (-sizes[kt[0]], kt[0]))
    return out


# --------------------------------------------------------------------------- failures
def _failure_record(reason: str, fmt: str, sha: str | None = None) -> dict[str, Any]:
    return {
        "status": "error",
        "error": reason,
        "text": "",
        "format": fmt,
        "sha256": sha,
        "extractor": "",
        "notes": [],
        "cacheable": False,
    }


def _failure(cfg: ExtractConfig):
    """The record builder for a file whose worker timed out or died."""

    def failure(key: int, task: dict, reason: str) -> dict[str, Any]:
        if reason == "timeout":
            reason = Errors.W112.format(seconds=cfg.timeout_s)
        else:
            reason = Errors.W115.format(reason=reason)
        return _failure_record(reason, task["format"], task.get("sha256"))

    return failure


# --------------------------------------------------------------------------- executors
def _run_local(tasks: list[Task], cfg: ExtractConfig, advance) -> dict[int, dict]:
    """Run the tasks in a local pool of killable worker processes."""
    from framelens.corpus.executors.pool import KillablePool

    results: dict[int, dict] = {}
    n_workers = cfg.workers or (os.cpu_count() or 1)
    formats = {task["format"] for _, task in tasks}
    with KillablePool(
        min(n_workers, len(tasks)), cfg.timeout_s, _failure(cfg), formats=formats
    ) as pool:
        for key, record in pool.imap_unordered(tasks):
            results[key] = record
            advance(key, record)
    return results


def _run_dask(tasks: list[Task], cfg: ExtractConfig, advance) -> dict[int, dict]:
    """Run the same tasks on a dask.distributed cluster (``cfg.scheduler``, else a
    LocalCluster), streamed in partitions, with the per-file timeout (``dask_cluster``)."""
    from framelens.corpus.executors.dask_cluster import run_extract_tasks

    return run_extract_tasks(tasks, cfg, advance, _failure(cfg))


def read_files(
    tasks: list[Task], cfg: ExtractConfig, cache: ExtractCache | None, bar: ProgressBar
) -> dict[int, dict[str, Any]]:
    """Read every task's file on the configured executor; returns records by task key.

    Each record is written to ``cache`` as it arrives (a cache that cannot be written is
    logged, never fatal) and advances ``bar``; the cache's stat index is saved at the end,
    also when reading is interrupted.
    """

    def advance(key: int, record: dict[str, Any]) -> None:
        bar.advance()
        if cache is not None:
            try:
                cache.put(record)
            except OSError as exc:  # a full disk must not lose the result
                log.warning("could not write the extraction cache: %s", exc)

    try:
        if not tasks:
            return {}
        runner = _run_dask if cfg.executor == "dask" else _run_local
        return runner(tasks, cfg, advance)
    finally:
        bar.stop()
        if cache is not None:
            cache.save_index()
