"""Stage 1: a folder (or files, or a manifest) in, the ``documents`` table out.

``extract`` runs four steps: it plans the corpus (``manifest.plan_corpus``: one item per
document), lists the files to read and takes what the extraction cache holds
(``reading.file_tasks``), reads the others in a pool of killable worker processes or on a
dask cluster (``reading.read_files``, ``executors``), and builds the table
(``table.documents_frame``), resolving each document's metadata by the precedence rules of
``infer``. Failed files keep their row (status ``empty``/``error`` with a one-line reason);
files whose content repeats an earlier document (by doc_id order) are flagged ``duplicate
content``. Rows are sorted by doc_id; the result does not depend on the number of workers or
the order in which they finish.
"""

from __future__ import annotations

import logging
import os
import time

import pandas as pd

from framelens.core.config import ExtractConfig, VersionsConfig
from framelens.core.errors import ConfigError, Errors
from framelens.core.progress import ProgressBar
from framelens.corpus.cache import ExtractCache
from framelens.corpus.manifest import CorpusPlan, plan_corpus
from framelens.corpus.reading import FileTasks, file_tasks, read_files
from framelens.corpus.table import documents_frame

log = logging.getLogger(__name__)

PDF_ENGINES = ("pdfplumber", "pypdfium2")


def _check_engine(cfg: ExtractConfig) -> None:
    if cfg.pdf_engine not in PDF_ENGINES:
        raise ConfigError(
            Errors.E003.format(
                key="extract.pdf_engine",
                value=cfg.pdf_engine,
                reason="use 'pdfplumber' or 'pypdfium2'",
            )
        )


def _open_cache(cfg: ExtractConfig, cache_dir: str | os.PathLike | None) -> ExtractCache | None:
    """The extraction cache in ``cache_dir`` (None without a folder or with ``cache: false``)."""
    if cache_dir and cfg.cache:
        from framelens.corpus.ocr import ocr_signature

        ocr = f"{ocr_signature()} dpi={cfg.ocr_dpi}" if cfg.ocr else "off"
        return ExtractCache(cache_dir, cfg.pdf_engine, cfg.max_pages, ocr)
    return None


def _timing(
    plan: CorpusPlan,
    work: FileTasks,
    cache: ExtractCache | None,
    t0: float,
    t_plan: float,
    t_read: float,
) -> dict[str, float]:
    """Seconds per step and where the records came from (``documents.attrs["timing"]``)."""
    n_refused = sum(1 for it in plan.items if it.error)
    return {
        "plan_s": round(t_plan - t0, 3),
        "read_s": round(t_read - t_plan, 3),
        "total_s": round(time.perf_counter() - t0, 3),
        "n_extracted": len(work.tasks),
        "n_cached": len(plan.items) - len(work.tasks) - n_refused,
        "cache_hits": cache.hits if cache else 0,
    }


def _log_done(docs: pd.DataFrame) -> None:
    timing = docs.attrs["timing"]
    log.info(
        "extracted %d documents (%d read, %d from cache) in %.1f s",
        len(docs),
        timing["n_extracted"],
        timing["n_cached"],
        timing["total_s"],
    )


def extract(
    source: str | os.PathLike | list | tuple | None,
    manifest: str | os.PathLike | None = None,
    *,
    config: ExtractConfig | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: bool = True,
    versions: VersionsConfig | None = None,
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
    versions : VersionsConfig, optional
        Near-duplicate versions (``corpus.versions``): documents of one country and language
        whose texts overlap above ``threshold`` share a ``version_group``; ``enabled: false``
        leaves every document alone in its group.

    Returns
    -------
    pandas.DataFrame
        The ``documents`` table (``framelens.schemas.DOCUMENTS``), one row per file, sorted by
        doc_id: doc_id, path (relative to the corpus root), sha256, format, country,
        language, language_declared, date, date_signed, date_source, issuer, doc_type, title,
        administration, n_pages, n_chars, text, extractor, ocr_pages, status (ok|empty|error),
        error, version_group, group_size, similarity_to_group, is_representative.
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
    _check_engine(cfg)
    t0 = time.perf_counter()
    plan = plan_corpus(source, manifest, use_manifest=cfg.use_manifest)
    if not plan.items:
        raise ConfigError(Errors.E007.format(path=source if source is not None else manifest))
    cache = _open_cache(cfg, cache_dir)
    work = file_tasks(plan.items, cfg, cache)
    t_plan = time.perf_counter()

    bar = ProgressBar(len(plan.items), progress, label="extract").start()
    bar.advance(len(plan.items) - len(work.tasks))
    records = dict(work.cached)
    records.update(read_files(work.tasks, cfg, cache, bar))
    t_read = time.perf_counter()

    docs, notes = documents_frame(plan.items, records)
    docs.attrs.update(
        corpus_root=str(plan.root),
        manifests=list(plan.manifests),
        ignored=dict(plan.ignored),
        notes=notes,
        timing=_timing(plan, work, cache, t0, t_plan, t_read),
    )
    docs = _with_versions(docs, versions or VersionsConfig())
    _log_done(docs)
    return docs


def _with_versions(docs: pd.DataFrame, vcfg: VersionsConfig) -> pd.DataFrame:
    """``docs`` with its near-duplicate version groups (validated again); unchanged, every
    document alone in its group, when ``vcfg.enabled`` is off."""
    if not vcfg.enabled:
        return docs
    from framelens.corpus.versions import attach_versions, find_versions
    from framelens.schemas import validate

    found = find_versions(
        docs, vcfg.threshold, vcfg.shingle, 0, keep=vcfg.keep, num_perm=vcfg.num_perm
    )
    attrs = dict(docs.attrs)
    out = validate(attach_versions(docs, found), "documents")
    out.attrs = {**attrs, **out.attrs}
    return out
