"""The record every reader returns, and the version that keys the extraction cache."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

#: Bump when a reader or an inference rule changes its output: cached records of other
#: versions are then ignored (they stay on disk until the cache folder is cleared).
EXTRACTOR_VERSION = "1.0.1"


@dataclass
class Extracted:
    """What a reader found in one file.

    Attributes
    ----------
    text : str
        Main text, cleaned (headers/footers, page numbers, boilerplate removed; NFC).
    title : str or None
        Title from metadata or the first heading.
    n_pages : int or None
        Pages in the PDF (all of them, also beyond a page limit); None for HTML and text.
    dates : dict of str to str
        ISO dates found: ``published`` (with ``published_rule``), ``signed``, ``meta``
        (a date in HTML/front-matter metadata), ``pdf_metadata`` (creation date).
    meta : dict of str to str
        Source metadata: ``lang``, ``url``, ``author``, ``site``, ``issuer_line``, ``tags``,
        ``encoding``, ``pdf_title``, ``pdf_author`` ... (only keys that were found).
    head : str
        The beginning of the document before header/footer removal, used for metadata rules.
    extractor : str
        Reader and library version, e.g. ``"pdfplumber 0.11.10"``.
    status : {"ok", "empty", "error"}
    error : str or None
        One-line reason when status is not ok.
    notes : list of str
        Things worth knowing that did not stop extraction (page limit, unreadable pages).
    ocr_pages : list of int
        PDF pages read by OCR (numbers from 1); the engine is appended to ``extractor``.
    """

    text: str = ""
    title: str | None = None
    n_pages: int | None = None
    dates: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    head: str = ""
    extractor: str = ""
    status: str = "ok"
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def failed(cls, reason: str, status: str = "error", extractor: str = "") -> Extracted:
        return cls(status=status, error=reason, extractor=extractor)


@cache
def library_version(name: str) -> str:
    """Installed version of a distribution, or "?"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def read_source(source: Any) -> bytes:
    """Bytes of ``source``: bytes as given, or the content of a path."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(source, "rb") as fh:
        return fh.read()
