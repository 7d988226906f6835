"""One file in, one JSON-able record out: the unit of work of the process pool (and of dask).

``process_file(task)`` reads the file once, hashes the bytes, runs the reader for its format and
the content-only inference, and never raises: any failure becomes a record with status
"error" and a one-line reason.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from framelens.core.errors import Errors
from framelens.corpus.base import EXTRACTOR_VERSION, Extracted

#: Fields of ``Extracted`` kept in the record (``head`` is only needed for inference).
_KEEP = (
    "text",
    "title",
    "n_pages",
    "extractor",
    "status",
    "error",
    "notes",
    "meta",
    "dates",
    "ocr_pages",
)
#: ``meta`` keys kept in the record (small, useful for provenance).
_META_KEEP = (
    "lang",
    "url",
    "encoding",
    "main_text",
    "date_meta_key",
    "pdf_title",
    "pdf_author",
    "pdf_created",
    "pdf_producer",
    "site",
    "author",
    "tags",
    "running_header",
)


def read_file(
    ex_format: str,
    data: bytes,
    engine: str,
    max_pages: int,
    ocr: dict[str, Any] | None = None,
) -> Extracted:
    """Dispatch ``data`` to the reader of ``ex_format`` (pdf|html|txt)."""
    if ex_format == "pdf":
        from framelens.corpus.pdf import extract_pdf

        return extract_pdf(data, engine=engine, max_pages=max_pages, ocr=ocr)
    if ex_format == "html":
        from framelens.corpus.html_page import extract_html

        return extract_html(data)
    if ex_format == "txt":
        from framelens.corpus.plain_text import extract_text

        return extract_text(data)
    return Extracted.failed(Errors.W109.format(suffix=ex_format))


def make_record(ex: Extracted, sha256: str | None, fmt: str) -> dict[str, Any]:
    """The cached record of one extraction: reader output plus content-only inference."""
    from framelens.corpus.infer import infer_from_content

    record: dict[str, Any] = {
        "version": EXTRACTOR_VERSION,
        "sha256": sha256,
        "format": fmt,
    }
    for key in _KEEP:
        record[key] = getattr(ex, key)
    record["meta"] = {k: v for k, v in ex.meta.items() if k in _META_KEEP}
    try:
        record.update(infer_from_content(ex))
    except Exception as exc:  # noqa: BLE001 - inference must not lose the text
        record["notes"] = [
            *record["notes"],
            f"metadata inference failed: {type(exc).__name__}",
        ]
    return record


def process_file(task: dict[str, Any]) -> dict[str, Any]:
    """Extract one file. ``task``: path, format, engine, max_pages, max_file_mb.

    Returns the record (see ``make_record``) with ``cacheable`` True unless the failure may
    be transient (the file could not be read).
    """
    fmt = task["format"]
    try:
        with open(task["path"], "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        rec = make_record(Extracted.failed(Errors.W101), None, fmt)
        rec["cacheable"] = False
        return rec
    except OSError as exc:
        reason = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc.strerror or exc}")[:200]
        rec = make_record(Extracted.failed(Errors.W115.format(reason=reason)), None, fmt)
        rec["cacheable"] = False
        return rec
    sha = hashlib.sha256(data).hexdigest()
    limit = float(task.get("max_file_mb") or 0)
    if limit and len(data) > limit * 1024 * 1024:
        ex = Extracted.failed(Errors.W118.format(mb=len(data) / 1024 / 1024, limit=limit))
    else:
        try:
            ex = read_file(
                fmt,
                data,
                task.get("engine", "pdfplumber"),
                int(task.get("max_pages", 2000)),
                task.get("ocr"),
            )
        except Exception as exc:  # noqa: BLE001 - last line of defence
            reason = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}")[:200]
            ex = Extracted.failed(Errors.W115.format(reason=reason))
    del data
    rec = make_record(ex, sha, fmt)
    rec["cacheable"] = True
    return rec
