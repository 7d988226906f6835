"""Stage 1 of framelens: find files, extract text and metadata, quarantine failures.

>>> from framelens.corpus import extract, quarantine_table   # doctest: +SKIP
>>> docs = extract("corpus/", cache_dir="outputs/cache/extract")   # doctest: +SKIP

Public API:

- ``extract(source, manifest=None, *, config=None, cache_dir=None, progress=True)`` -> documents
- ``quarantine_table(documents)``, ``extract_summary(documents)``,
  ``language_disagreements(documents)``, ``extraction_notes(documents)``
- ``find_manifests(folder)``, ``read_manifest(path)``
- per-format readers returning an ``Extracted`` record: ``extract_pdf``, ``extract_html``,
  ``extract_text``

Methods (extraction, header/footer rule, metadata precedence, dates, language, cache) are
described in docs/corpus.md. Heavy libraries (pdfplumber, trafilatura, lingua) are imported
only when a reader runs.
"""

from __future__ import annotations

from framelens.corpus.base import EXTRACTOR_VERSION, Extracted
from framelens.corpus.extract import (
    DOCUMENT_COLUMNS,
    QUARANTINE_COLUMNS,
    extract,
    extract_summary,
    extraction_notes,
    language_disagreements,
    quarantine_table,
    status_counts,
)
from framelens.corpus.html_page import extract_html
from framelens.corpus.manifest import find_manifests, plan_corpus, read_manifest
from framelens.corpus.pdf import extract_pdf
from framelens.corpus.plain_text import extract_text

__all__ = [
    "DOCUMENT_COLUMNS",
    "EXTRACTOR_VERSION",
    "QUARANTINE_COLUMNS",
    "Extracted",
    "extract",
    "extract_html",
    "extract_pdf",
    "extract_summary",
    "extract_text",
    "extraction_notes",
    "find_manifests",
    "language_disagreements",
    "plan_corpus",
    "quarantine_table",
    "read_manifest",
    "status_counts",
]
