"""Stage 1 of framelens: find files, extract text and metadata, quarantine failures.

>>> from framelens.corpus import extract, quarantine_table   # doctest: +SKIP
>>> docs = extract("corpus/", cache_dir="outputs/cache/extract")   # doctest: +SKIP

Public API:

- ``extract(source, manifest=None, *, config=None, cache_dir=None, progress=True)`` -> documents
- ``quarantine_table(documents)``, ``extract_summary(documents)``,
  ``language_disagreements(documents)``, ``extraction_notes(documents)``,
  ``status_counts(documents)``
- ``find_manifests(folder)``, ``read_manifest(path)``
- per-format readers returning an ``Extracted`` record: ``extract_pdf``, ``extract_html``,
  ``extract_text``

Column lists are the schemas' (``framelens.schemas.columns_of("documents")``).

Modules, in the order a run uses them: ``manifest`` (the corpus plan), ``reading`` (tasks,
cache look-ups, executors), ``executors`` (where files are read; ``executors.worker`` runs the
readers ``pdf``, ``html_page``, ``plain_text``, with ``decode``, ``sniff``, ``dates``, ``language``,
``metadata``), ``infer`` (metadata precedence), ``table`` (the documents table), ``summary``
(views of it for people), ``cache``.

Methods (extraction, header/footer rule, metadata precedence, dates, language, cache) are
described in docs/corpus.md. Heavy libraries (pdfplumber, trafilatura, lingua) are imported
only when a reader runs.
"""

from __future__ import annotations

from framelens.corpus.base import EXTRACTOR_VERSION, Extracted
from framelens.corpus.extract import extract
from framelens.corpus.html_page import extract_html
from framelens.corpus.manifest import find_manifests, plan_corpus, read_manifest
from framelens.corpus.ocr import ocr_pages, tesseract_available
from framelens.corpus.pdf import extract_pdf
from framelens.corpus.plain_text import extract_text
from framelens.corpus.summary import (
    extract_summary,
    extraction_notes,
    language_disagreements,
    quarantine_table,
    status_counts,
)
from framelens.corpus.versions import (
    attach_versions,
    find_versions,
    representatives,
    version_groups_table,
)

__all__ = [
    "EXTRACTOR_VERSION",
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
    "ocr_pages",
    "tesseract_available",
    "find_versions",
    "version_groups_table",
    "attach_versions",
    "representatives",
]
