"""Schemas of ``framelens collect``: ``collect_manifest`` (DIR/manifest.csv) and ``collect_log``.

The manifest starts with the columns ``framelens run`` reads from any manifest (doc_id, file,
country, language, date, date_signed, issuer, doc_type, title, source_url, format, sha256,
bytes) and goes on with provenance: where the bytes came from and what the server said.
Metadata a URL list did not give is an empty string. ``date`` and ``date_signed`` are left
out of the written file when no URL gave one, because a manifest that has a ``date`` column is
authoritative for ``framelens run`` (an empty cell there means "no date", and the date would
not be read from the document).
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Int, Str, register

_SHA256 = r"^[0-9a-f]{64}$"
_UTC_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
_RUN_ID = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"  # start time, microseconds
#: What happened to one URL in one run (the ``outcome`` column of collect_log.csv).
COLLECT_OUTCOMES = ("fetched", "updated", "not modified", "unchanged", "duplicate", "failed")
#: Where a failure happened (the ``stage`` column).
COLLECT_STAGES = ("source", "robots", "fetch", "redirect", "http", "size", "content", "store")

#: One row per URL that gave a document (two URLs with the same bytes share one file).
COLLECT_MANIFEST = register(
    "collect_manifest",
    pa.DataFrameSchema(
        {
            "doc_id": Str(unique=True),
            "file": Str(),
            "country": Str(),
            "language": Str(),
            "date": Str(),
            "date_signed": Str(),
            "issuer": Str(),
            "doc_type": Str(),
            "title": Str(),
            "source_url": Str(unique=True),
            "format": Str(checks=pa.Check.isin(["pdf", "html"])),
            "sha256": Str(checks=pa.Check.str_matches(_SHA256)),
            "bytes": Int(checks=pa.Check.ge(0)),
            "final_url": Str(),
            "retrieved_at": Str(checks=pa.Check.str_matches(_UTC_TIME)),
            "http_status": Int(checks=pa.Check.in_range(200, 299)),
            "content_type": Str(),
            "etag": Str(),
            "last_modified": Str(),
            "checked_at": Str(checks=pa.Check.str_matches(_UTC_TIME)),
            "source": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

#: One row per URL per run: what happened (outcome), and for failures the stage and reason.
COLLECT_LOG = register(
    "collect_log",
    pa.DataFrameSchema(
        {
            "run": Str(checks=pa.Check.str_matches(_RUN_ID)),
            "time": Str(checks=pa.Check.str_matches(_UTC_TIME)),
            "url": Str(),
            "source": Str(),
            "outcome": Str(checks=pa.Check.isin(list(COLLECT_OUTCOMES))),
            "stage": Str(checks=pa.Check.isin(["", *COLLECT_STAGES])),
            "reason": Str(),
            "http_status": pa.Column("Int64", nullable=True, coerce=True),
            "file": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
