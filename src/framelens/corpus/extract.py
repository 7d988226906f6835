"""Stage 1: a folder (or files, or a manifest) in, the ``documents`` table out.

``extract`` plans the corpus (``manifest.plan_corpus``), looks every readable file up in the
cache by content hash, reads the others in a pool of killable worker processes
(``pool.KillablePool``; or on a dask cluster), and resolves each document's metadata by the
precedence rules of ``infer``. Failed files keep their row (status ``empty``/``error`` with a
one-line reason); files whose content repeats an earlier document (by doc_id order) are
flagged ``duplicate content``. Rows are sorted by doc_id; the result does not depend on the
number of workers or the order in which they finish.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.config import ExtractConfig
from framelens.core.domain import ADMINISTRATION_ORDER, UNKNOWN
from framelens.corpus.cache import ExtractCache
from framelens.corpus.infer import resolve_metadata
from framelens.corpus.manifest import CorpusPlan, Item, plan_corpus
from framelens.core.errors import ConfigError, Errors
from framelens.schemas import columns_of, validate

log = logging.getLogger(__name__)

DOCUMENT_COLUMNS: list[str] = columns_of("documents")
QUARANTINE_COLUMNS: list[str] = columns_of("quarantine")
_STRING_COLUMNS = [c for c in DOCUMENT_COLUMNS if c not in ("n_pages", "n_chars")]


# --------------------------------------------------------------------------- running tasks
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


def _run_local(tasks: list[tuple[int, dict]], cfg: ExtractConfig, advance) -> dict[int, dict]:
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


def _run_dask(tasks: list[tuple[int, dict]], cfg: ExtractConfig, advance) -> dict[int, dict]:
    """Run the same tasks on a dask.distributed cluster (``cfg.scheduler``, else a
    LocalCluster), streamed in partitions, with the per-file timeout (``dask_executor``)."""
    from framelens.corpus.executors.dask_cluster import run_extract_tasks

    return run_extract_tasks(tasks, cfg, advance, _failure(cfg))


class _Progress:
    """A rich progress bar on stderr (or nothing)."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]extract[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
                auto_refresh=False,
            )
            self.task = self.bar.add_task("extract", total=total)
            self.bar.start()

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)
            self.bar.refresh()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --------------------------------------------------------------------------- rows
def _row(item: Item, record: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    notes = list(item.notes)
    if item.error or record is None:
        status, error, text = "error", item.error or Errors.W115.format(reason="not extracted"), ""
        sha, extractor, n_pages, rec = None, "none", None, None
    else:
        rec = record
        status = rec.get("status", "error")
        error = rec.get("error") if status != "ok" else None
        text = rec.get("text") or "" if status == "ok" else ""
        sha, extractor, n_pages = (
            rec.get("sha256"),
            rec.get("extractor") or "none",
            rec.get("n_pages"),
        )
        notes += rec.get("notes") or []
        m_sha = (item.manifest_row or {}).get("sha256")
        if m_sha and sha and m_sha.lower() != sha:
            notes.append(
                "sha256 differs from the manifest's (file changed since the manifest was made?)"
            )
    meta = resolve_metadata(rec, item.manifest_row, item.manifest_columns, item.path, status)
    row = {
        "doc_id": item.doc_id,
        "path": item.path,
        "sha256": sha,
        "format": item.format,
        **{
            k: meta[k]
            for k in (
                "country",
                "language",
                "language_declared",
                "date",
                "date_signed",
                "date_source",
                "issuer",
                "doc_type",
                "title",
                "administration",
            )
        },
        "n_pages": n_pages,
        "n_chars": len(text),
        "text": text,
        "extractor": extractor,
        "status": status,
        "error": error,
    }
    return row, notes


def _flag_duplicates(rows: list[dict[str, Any]], listed: frozenset[str] = frozenset()) -> None:
    """Later copies of an ok document's content become duplicate-content errors. The copy kept
    is the one a manifest lists (its metadata were curated), then the first by doc_id."""
    first: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r["doc_id"] not in listed, r["doc_id"])):
        sha = row["sha256"]
        if not sha or row["status"] != "ok":
            continue
        if sha in first:
            row["status"], row["error"] = "error", Errors.W110.format(other=first[sha])
            row["text"], row["n_chars"] = "", 0
        else:
            first[sha] = row["doc_id"]


def _to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    rows = sorted(rows, key=lambda r: r["doc_id"])
    data: dict[str, Any] = {}
    for col in DOCUMENT_COLUMNS:
        values = [r[col] for r in rows]
        if col == "n_pages":
            data[col] = pd.array(values, dtype="Int64")
        elif col == "n_chars":
            data[col] = pd.Series(values, dtype="int64")
        else:
            data[col] = pd.Series(values, dtype="str")
    return pd.DataFrame(data, columns=DOCUMENT_COLUMNS)


# --------------------------------------------------------------------------- public API
def extract(
    source: str | os.PathLike | list | tuple | None,
    manifest: str | os.PathLike | None = None,
    *,
    config: ExtractConfig | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Extract text and metadata from a corpus into the ``documents`` table.

    Parameters
    ----------
    source : path, list of paths, or None
        A folder (walked recursively), one file, or a list of files. None with an explicit
        ``manifest`` reads the files that manifest lists (its folder is the corpus root).
    manifest : path, optional
        A manifest CSV (``file`` column required, relative to the manifest). Without it, every
        ``manifest.csv`` under the folder is used when ``config.use_manifest`` is True.
    config : ExtractConfig, optional
        Workers (0 = all cores), per-file ``timeout_s``, ``max_pages``, ``max_file_mb``,
        ``pdf_engine`` (pdfplumber|pypdfium2), ``use_manifest``, ``cache``, ``executor``.
    cache_dir : path, optional
        Folder of the extraction cache (``<out>/cache/extract`` in a run); None disables it.
    progress : bool, default True
        Show a rich progress bar on stderr.

    Returns
    -------
    pandas.DataFrame
        The ``documents`` table (``framelens.schemas.DOCUMENTS``), one row per file, sorted by
        doc_id: doc_id, path (relative to the corpus root), sha256, format, country,
        language, language_declared, date, date_signed, date_source, issuer, doc_type, title,
        administration, n_pages, n_chars, text, extractor, status (ok|empty|error), error.
        ``attrs`` holds ``corpus_root``, ``manifests``, ``notes`` (doc_id -> notes), ``ignored``
        (files that are not documents, by suffix) and ``timing`` (seconds, cache hits).

    Raises
    ------
    ConfigError
        When the folder or manifest cannot be used, or holds no document (nothing is read
        then). A broken file never raises: it gets a row with its reason.

    Examples
    --------
    >>> docs = extract("path/to/corpus", cache_dir="outputs/cache/extract")  # doctest: +SKIP
    >>> docs.groupby(["country", "administration"]).size()  # doctest: +SKIP
    """
    cfg = config or ExtractConfig()
    if cfg.pdf_engine not in ("pdfplumber", "pypdfium2"):
        raise ConfigError(
            Errors.E003.format(
                key="extract.pdf_engine",
                value=cfg.pdf_engine,
                reason="use 'pdfplumber' or 'pypdfium2'",
            )
        )
    t0 = time.perf_counter()
    plan: CorpusPlan = plan_corpus(source, manifest, use_manifest=cfg.use_manifest)
    if not plan.items:
        raise ConfigError(Errors.E007.format(path=source if source is not None else manifest))
    cache = (
        ExtractCache(cache_dir, cfg.pdf_engine, cfg.max_pages)
        if (cache_dir and cfg.cache)
        else None
    )
    records: dict[int, dict[str, Any]] = {}
    tasks: list[tuple[int, dict[str, Any]]] = []
    sizes: dict[int, int] = {}
    limit_bytes = cfg.max_file_mb * 1024 * 1024 if cfg.max_file_mb else None
    for i, item in enumerate(plan.items):
        if item.error:
            continue
        if item.format == "other":
            item.error = Errors.W109.format(suffix=Path(item.path).suffix.lower() or "(none)")
            continue
        try:
            stat = item.abs_path.stat()
        except FileNotFoundError:
            item.error = Errors.W101
            continue
        except OSError as exc:
            item.error = Errors.W115.format(reason=f"{type(exc).__name__}: {exc.strerror}")
            continue
        if limit_bytes and stat.st_size > limit_bytes:
            item.error = Errors.W118.format(mb=stat.st_size / 1024 / 1024, limit=cfg.max_file_mb)
            continue
        task = {
            "path": str(item.abs_path),
            "format": item.format,
            "engine": cfg.pdf_engine,
            "max_pages": cfg.max_pages,
            "max_file_mb": cfg.max_file_mb,
        }
        if cache is not None:
            try:
                sha = cache.sha256(item.abs_path, stat)
            except OSError as exc:
                item.error = Errors.W115.format(reason=f"{type(exc).__name__}: {exc.strerror}")
                continue
            task["sha256"] = sha
            cached = cache.get(sha, item.format)
            if cached is not None:
                records[i] = cached
                continue
        tasks.append((i, task))
        sizes[i] = stat.st_size
    # largest files first: a big PDF started last would leave the other workers idle
    tasks.sort(key=lambda kt: (-sizes[kt[0]], kt[0]))
    t_plan = time.perf_counter()

    bar = _Progress(len(plan.items), progress)
    bar.advance(len(plan.items) - len(tasks))

    def advance(key: int, record: dict[str, Any]) -> None:
        bar.advance()
        if cache is not None:
            try:
                cache.put(record)
            except OSError as exc:  # a full disk must not lose the result
                log.warning("could not write the extraction cache: %s", exc)

    try:
        if tasks:
            runner = _run_dask if cfg.executor == "dask" else _run_local
            records.update(runner(tasks, cfg, advance))
    finally:
        bar.stop()
        if cache is not None:
            cache.save_index()
    t_read = time.perf_counter()

    rows, notes = [], {}
    for i, item in enumerate(plan.items):
        row, row_notes = _row(item, records.get(i))
        rows.append(row)
        if row_notes:
            notes[row["doc_id"]] = row_notes
    _flag_duplicates(rows, frozenset(it.doc_id for it in plan.items if it.manifest_row))
    docs = validate(_to_frame(rows), "documents")
    docs.attrs.update(
        corpus_root=str(plan.root),
        manifests=list(plan.manifests),
        ignored=dict(plan.ignored),
        notes=dict(sorted(notes.items())),
        timing={
            "plan_s": round(t_plan - t0, 3),
            "read_s": round(t_read - t_plan, 3),
            "total_s": round(time.perf_counter() - t0, 3),
            "n_extracted": len(tasks),
            "n_cached": len(plan.items) - len(tasks) - sum(1 for it in plan.items if it.error),
            "cache_hits": cache.hits if cache else 0,
        },
    )
    log.info(
        "extracted %d documents (%d read, %d from cache) in %.1f s",
        len(docs),
        len(tasks),
        docs.attrs["timing"]["n_cached"],
        docs.attrs["timing"]["total_s"],
    )
    return docs


def quarantine_table(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents that were not read (status != ok): doc_id, path, format, status, error.

    The ``quarantine`` table (``framelens.schemas.QUARANTINE``), sorted by doc_id; written as
    ``tables/quarantine.csv``. ``documents`` is not modified.
    """
    bad = documents.loc[documents["status"] != "ok", QUARANTINE_COLUMNS].copy()
    bad = bad.sort_values("doc_id", kind="stable").reset_index(drop=True)
    bad["error"] = [e if isinstance(e, str) and e else "unknown reason" for e in bad["error"]]
    for col in QUARANTINE_COLUMNS:
        bad[col] = pd.Series(bad[col].tolist(), dtype="str")
    return validate(bad, "quarantine")


def extract_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """Counts of documents per country x administration x status.

    Returns columns country, administration, status, n_documents; administrations in
    chronological order per country, then "unknown"; countries US, MX, then missing ("?").
    """
    df = documents.assign(country=documents["country"].fillna("?"))
    counts = df.groupby(["country", "administration", "status"], dropna=False).size()
    out = counts.rename("n_documents").reset_index()

    def order(row: pd.Series) -> tuple:
        c_rank = {"US": 0, "MX": 1}.get(row["country"], 2)
        admins = ADMINISTRATION_ORDER.get(row["country"], [])
        a = row["administration"]
        a_rank = admins.index(a) if a in admins else (len(admins) + (1 if a == UNKNOWN else 0))
        s_rank = {"ok": 0, "empty": 1, "error": 2}.get(row["status"], 3)
        return (c_rank, row["country"], a_rank, str(a), s_rank)

    if out.empty:
        return pd.DataFrame(columns=["country", "administration", "status", "n_documents"])
    out = out.loc[sorted(out.index, key=lambda i: order(out.loc[i]))].reset_index(drop=True)
    out["n_documents"] = out["n_documents"].astype("int64")
    return out


def language_disagreements(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents whose declared language (manifest or ``<html lang>``) differs from the
    language detected in the text: doc_id, path, language_declared, language."""
    d = documents
    mask = (
        d["status"].eq("ok")
        & d["language_declared"].notna()
        & d["language"].notna()
        & (d["language_declared"].astype(str) != d["language"].astype(str))
    )
    cols = ["doc_id", "path", "language_declared", "language"]
    return d.loc[mask, cols].sort_values("doc_id").reset_index(drop=True)


def extraction_notes(documents: pd.DataFrame) -> pd.DataFrame:
    """Everything worth a look that did not make a document fail: doc_id, kind, note.

    Kinds: ``language`` (declared != detected), ``undated`` (administration unknown),
    ``reader`` (notes recorded during extraction: page limit, unreadable pages, a sha256
    that differs from the manifest's; kept in ``documents.attrs["notes"]``).
    """
    rows: list[tuple[str, str, str]] = []
    for r in language_disagreements(documents).itertuples(index=False):
        rows.append(
            (
                r.doc_id,
                "language",
                Errors.W116.format(declared=r.language_declared, detected=r.language),
            )
        )
    ok = documents[documents["status"].eq("ok") & documents["administration"].eq(UNKNOWN)]
    for doc_id in ok["doc_id"]:
        rows.append((doc_id, "undated", Errors.W117))
    for doc_id, items in (documents.attrs.get("notes") or {}).items():
        for note in items:
            rows.append((doc_id, "reader", note))
    out = pd.DataFrame(rows, columns=["doc_id", "kind", "note"], dtype="str")
    return out.sort_values(["doc_id", "kind", "note"], kind="stable").reset_index(drop=True)


def status_counts(documents: pd.DataFrame) -> dict[str, int]:
    """{"ok": n, "empty": n, "error": n} (zeros included)."""
    c = Counter(documents["status"])
    return {s: int(c.get(s, 0)) for s in ("ok", "empty", "error")}
