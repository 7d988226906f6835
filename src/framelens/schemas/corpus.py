"""Schemas of the corpus stage: ``documents`` and ``quarantine``."""

from __future__ import annotations

import pandera.pandas as pa

from framelens.core import domain
from framelens.schemas._base import Int, Str, register

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

#: One row per input file, failed files included (status empty|error with a one-line reason).
DOCUMENTS = register(
    "documents",
    pa.DataFrameSchema(
        {
            "doc_id": Str(unique=True),
            "path": Str(),
            "sha256": Str(nullable=True),
            "format": Str(checks=pa.Check.isin(["pdf", "html", "txt", "other"])),
            "country": Str(nullable=True, checks=pa.Check.isin(list(domain.COUNTRIES))),
            "language": Str(nullable=True, checks=pa.Check.isin([*domain.LANGUAGES, "other"])),
            "language_declared": Str(nullable=True),
            "date": Str(nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
            "date_signed": Str(nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
            "date_source": Str(
                checks=pa.Check.isin(["manifest", "document", "url", "pdf_metadata", "missing"])
            ),
            "issuer": Str(nullable=True),
            "doc_type": Str(nullable=True),
            "title": Str(nullable=True),
            "administration": Str(),
            # nullable integer (pandas "Int64"): PDFs only, <NA> for HTML and text
            "n_pages": pa.Column("Int64", nullable=True, coerce=True, checks=pa.Check.ge(0)),
            "n_chars": Int(checks=pa.Check.ge(0)),
            "text": Str(),
            "extractor": Str(),
            # PDF pages read by OCR, as ranges ("1-12,15"); empty when none
            "ocr_pages": Str(nullable=True),
            "status": Str(checks=pa.Check.isin(["ok", "empty", "error"])),
            "error": Str(nullable=True),
            # near-duplicate versions (framelens.corpus.versions; docs/versions_and_ocr.md): the
            # group (doc_id of its first member; a document alone is its own group), its size,
            # the highest exact Jaccard to another member (empty alone), and whether
            # comparisons keep this document (one per group)
            "version_group": Str(),
            "similarity_to_group": pa.Column(
                "float64", nullable=True, coerce=True, checks=pa.Check.in_range(0.0, 1.0)
            ),
            "group_size": Int(checks=pa.Check.ge(1)),
            "is_representative": pa.Column("bool", nullable=False, coerce=True),
        },
        strict=True,
        ordered=True,
    ),
)

#: Files that were not read (status != ok), with the reason; written as tables/quarantine.csv.
QUARANTINE = register(
    "quarantine",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "path": Str(),
            "format": Str(),
            "status": Str(checks=pa.Check.isin(["empty", "error"])),
            "error": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
