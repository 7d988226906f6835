"""The ``documents`` table from a corpus plan and the records its files gave.

One row per plan item, read or not: each item is joined with its record and its metadata are
resolved (``infer.resolve_metadata``); later copies of the same content become errors;
``documents_frame`` returns the validated table, sorted by doc_id (so the result does not
depend on the order in which workers finished), columns in the schema's order.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.core.errors import Errors
from framelens.corpus.infer import resolve_metadata
from framelens.corpus.manifest import Item
from framelens.corpus.ocr import page_ranges as _page_ranges
from framelens.schemas import columns_of, validate


def _read_fields(item: Item, rec: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """status, error, text, sha256, extractor, n_pages of a file that was read; its notes."""
    status = rec.get("status", "error")
    fields = {
        "status": status,
        "error": rec.get("error") if status != "ok" else None,
        "text": rec.get("text") or "" if status == "ok" else "",
        "sha256": rec.get("sha256"),
        "extractor": rec.get("extractor") or "none",
        "n_pages": rec.get("n_pages"),
        "ocr_pages": _page_ranges(rec.get("ocr_pages") or []) or None,
    }
    notes = list(rec.get("notes") or [])
    m_sha = (item.manifest_row or {}).get("sha256")
    if m_sha and fields["sha256"] and m_sha.lower() != fields["sha256"]:
        notes.append(
            "sha256 differs from the manifest's (file changed since the manifest was made?)"
        )
    return fields, notes


def _document_row(item: Item, record: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]]:
    """The documents-table row of one plan item and its notes.

    ``record`` is the worker's (or the cache's) record for the file, None when it was not read;
    an item with an ``error`` (refused before reading) keeps that reason.
    """
    if item.error or record is None:
        reason = item.error or Errors.W115.format(reason="not extracted")
        fields = {
            "status": "error",
            "error": reason,
            "text": "",
            "sha256": None,
            "extractor": "none",
            "n_pages": None,
            "ocr_pages": None,
        }
        rec, notes = None, []
    else:
        rec = record
        fields, notes = _read_fields(item, rec)
    meta = resolve_metadata(
        rec, item.manifest_row, item.manifest_columns, item.path, fields["status"]
    )
    row = {
        "doc_id": item.doc_id,
        "path": item.path,
        "sha256": fields["sha256"],
        "format": item.format,
        **meta,  # country, language, dates, issuer, doc_type, title, administration
        "n_pages": fields["n_pages"],
        "n_chars": len(fields["text"]),
        "text": fields["text"],
        "extractor": fields["extractor"],
        "ocr_pages": fields["ocr_pages"],
        "status": fields["status"],
        "error": fields["error"],
    }
    return row, [*item.notes, *notes]


def _flag_duplicates(rows: list[dict[str, Any]], listed: frozenset[str] = frozenset()) -> None:
    """Later copies of an ok document's content become duplicate-content errors (in place).

    The copy kept is the one a manifest lists (``listed`` doc_ids: its metadata were curated),
    then the first by doc_id.
    """
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


#: Version columns of a document alone in its group (``corpus.versions.attach_versions`` fills
#: them for groups).
SINGLETON_VERSION = ("version_group", "group_size", "similarity_to_group", "is_representative")


def _singleton_column(col: str, rows: list[dict[str, Any]]) -> pd.Series:
    n = len(rows)
    if col == "version_group":
        return pd.Series([r["doc_id"] for r in rows], dtype="str")
    if col == "group_size":
        return pd.Series([1] * n, dtype="int64")
    if col == "similarity_to_group":
        return pd.Series([float("nan")] * n, dtype="float64")
    return pd.Series([True] * n, dtype="bool")


def _to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = columns_of("documents")
    rows = sorted(rows, key=lambda r: r["doc_id"])
    data: dict[str, Any] = {}
    for col in columns:
        if col in SINGLETON_VERSION:  # every document alone until corpus.versions groups them
            data[col] = _singleton_column(col, rows)
            continue
        values = [r[col] for r in rows]
        if col == "n_pages":
            data[col] = pd.array(values, dtype="Int64")
        elif col == "n_chars":
            data[col] = pd.Series(values, dtype="int64")
        else:
            data[col] = pd.Series(values, dtype="str")
    return pd.DataFrame(data, columns=columns)


def documents_frame(
    items: list[Item], records: dict[int, dict[str, Any]]
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The validated ``documents`` table of ``items`` and the notes per doc_id.

    ``records`` maps an item's position in ``items`` to its record (missing: not read).
    """
    rows, notes = [], {}
    for i, item in enumerate(items):
        row, row_notes = _document_row(item, records.get(i))
        rows.append(row)
        if row_notes:
            notes[row["doc_id"]] = row_notes
    _flag_duplicates(rows, frozenset(it.doc_id for it in items if it.manifest_row))
    return validate(_to_frame(rows), "documents"), dict(sorted(notes.items()))
