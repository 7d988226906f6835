"""OCR for scanned PDF pages: Tesseract on page images rendered by pypdfium2.

A scanned PDF has pages with no text layer: the PDF reader finds no letter on them. Such a
page is OCRed when it has something to read (an image, or vector paths that may be text drawn
as outlines; a blank page is skipped) and the ``tesseract`` program is installed:

1. the page is rendered by pypdfium2 (already used to read PDFs) in grayscale at ``dpi``
   (300, Tesseract's recommended resolution; a page is never rendered wider or taller than
   10,000 pixels);
2. pytesseract runs ``tesseract`` on the image with the document's language (``es`` -> ``spa``,
   ``en`` -> ``eng``; unknown -> ``eng+spa``), restricted to the language data installed, with
   a time limit per page and one thread per process (``OMP_THREAD_LIMIT=1`` unless set: the
   extraction already runs one process per core);
3. the text of the OCRed page replaces the empty text of that page, and the usual PDF
   post-processing (running headers, page numbers, hyphenation) applies to it.

The result says which pages were OCRed (page numbers from 1) and by which engine and
languages. Without ``tesseract`` nothing is OCRed and a PDF with no text at all is recorded with
the reason ``SCANNED_NO_OCR``, never as silently empty. Install it with
``apt-get install tesseract-ocr tesseract-ocr-spa`` (Debian/Ubuntu) or
``brew install tesseract tesseract-lang`` (macOS).

Why pytesseract and not ocrmypdf: framelens needs the text of a few pages, not a new PDF.
ocrmypdf rewrites the whole file (through pikepdf and Ghostscript) into an archival PDF with a
hidden text layer that would then be read again; pytesseract is a small wrapper around the same
``tesseract`` program, and rendering only the pages without text keeps the pages that have one
exactly as the PDF reader extracts them.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from framelens.core.errors import Errors

#: The reason recorded for a PDF with no text layer when Tesseract is not installed.
SCANNED_NO_OCR = Errors.W120
#: The reason recorded for a PDF whose scanned pages gave no text to OCR.
SCANNED_OCR_EMPTY = Errors.W121

DEFAULT_DPI = 300
MAX_PIXELS = 10_000
PAGE_TIMEOUT_S = 60.0
#: Tesseract language of each framelens language.
TESSERACT_LANGS = {"en": "eng", "es": "spa"}

_HAS_LETTER = re.compile(r"[^\W\d_]")
_TESS_CODES = re.compile(r"[a-z]{3}(?:_[a-z]+)?(?:\+[a-z]{3}(?:_[a-z]+)?)*")
_VERSION = re.compile(r"tesseract\s+v?(\d+(?:\.\d+)*)", re.I)


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed (``SCANNED_NO_OCR`` says how to install it)."""


def _binary() -> str | None:
    return shutil.which("tesseract")


@lru_cache(maxsize=8)
def _probe(binary: str) -> tuple[str | None, frozenset[str]]:
    """(version, installed languages) of one tesseract binary; (None, {}) if it does not run."""
    try:
        ver = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        langs = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None, frozenset()
    match = _VERSION.search(ver.stdout + ver.stderr)
    found = {ln.strip() for ln in (langs.stdout + langs.stderr).splitlines()[1:] if ln.strip()}
    return (match[1] if match else None), frozenset(found - {"osd"})


def tesseract_available() -> bool:
    """Whether the ``tesseract`` program is on the PATH and runs (and pytesseract is installed).

    >>> isinstance(tesseract_available(), bool)
    True
    """
    binary = _binary()
    if binary is None or importlib.util.find_spec("pytesseract") is None:
        return False
    return _probe(binary)[0] is not None


def tesseract_version() -> str | None:
    """Version of the installed ``tesseract`` ("5.3.0"), or None when it is absent."""
    binary = _binary()
    return _probe(binary)[0] if binary else None


def tesseract_languages() -> frozenset[str]:
    """Tesseract language data installed ({"eng", "spa"}); empty when it is absent."""
    binary = _binary()
    return _probe(binary)[1] if binary else frozenset()


def tesseract_lang(language: str | None) -> str:
    """The Tesseract ``-l`` value for a document language, among the languages installed.

    ``"es"`` -> ``"spa"``, ``"en"`` -> ``"eng"``, anything else (None, "other") -> ``"eng+spa"``;
    a value already in Tesseract's form (``"spa"``, ``"eng+spa"``) is kept. Languages whose data
    is not installed are dropped; when none is left, English (Tesseract's default) is used.
    """
    if language in TESSERACT_LANGS:
        wanted = [TESSERACT_LANGS[language]]
    elif language and _TESS_CODES.fullmatch(language):
        wanted = language.split("+")
    else:
        wanted = ["eng", "spa"]
    installed = tesseract_languages()
    kept = [lang for lang in wanted if lang in installed] if installed else wanted
    return "+".join(kept) or "eng"


def ocr_signature() -> str:
    """What OCR would do on this machine, for cache keys: ``"tesseract 5.3.0 eng+spa"`` or
    ``"none"`` (a record made without Tesseract must not be reused once it is installed)."""
    if not tesseract_available():
        return "none"
    return f"tesseract {tesseract_version()} {'+'.join(sorted(tesseract_languages()))}"


@contextmanager
def _one_thread():
    """``OMP_THREAD_LIMIT=1`` for the tesseract child process, unless the user set it."""
    if "OMP_THREAD_LIMIT" in os.environ:
        yield
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        os.environ.pop("OMP_THREAD_LIMIT", None)


def _readable(page: Any) -> bool:
    """Whether a page draws something that may hold text: an image, a path or a shading."""
    import pypdfium2.raw as pdfium_c

    kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING)
    return any(True for _ in page.get_objects(filter=kinds))


def pages_to_ocr(pdf_bytes: bytes, pages: list[int]) -> list[int]:
    """Of ``pages`` (numbers from 1), those that draw something to read (blank pages are not
    OCRed). Pages beyond the document are ignored."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        found = []
        for number in pages:
            if 1 <= number <= len(pdf):
                page = pdf[number - 1]
                if _readable(page):
                    found.append(number)
                page.close()
        return found
    finally:
        pdf.close()


def _render(page: Any, dpi: int) -> Any:
    width, height = page.get_size()
    scale = min(dpi / 72.0, MAX_PIXELS / max(width, height, 1.0))
    return page.render(scale=scale, grayscale=True).to_pil()


def ocr_pages(
    pdf_bytes: bytes,
    pages: list[int],
    language: str | None,
    *,
    dpi: int = DEFAULT_DPI,
    timeout_s: float = PAGE_TIMEOUT_S,
) -> dict[int, str]:
    """OCR the given pages of a PDF with Tesseract.

    Parameters
    ----------
    pdf_bytes : bytes
        The PDF.
    pages : list of int
        Page numbers, from 1.
    language : str or None
        Document language ("en", "es") or a Tesseract value ("spa", "eng+spa"); None reads
        English and Spanish (see ``tesseract_lang``).
    dpi : int, default 300
        Rendering resolution.
    timeout_s : float, default 60
        Time limit for one page; a page past it raises ``RuntimeError``.

    Returns
    -------
    dict of int to str
        Page number -> recognised text (lines as Tesseract found them).

    Raises
    ------
    OcrUnavailable
        When ``tesseract`` is not installed.
    """
    if not tesseract_available():
        raise OcrUnavailable(SCANNED_NO_OCR)
    import pypdfium2 as pdfium
    import pytesseract

    lang = tesseract_lang(language)
    pdf = pdfium.PdfDocument(pdf_bytes)
    out: dict[int, str] = {}
    try:
        with _one_thread():
            for number in pages:
                page = pdf[number - 1]
                try:
                    image = _render(page, dpi)
                finally:
                    page.close()
                text = pytesseract.image_to_string(image, lang=lang, timeout=timeout_s)
                out[number] = text.replace("\f", "").strip()
    finally:
        pdf.close()
    return out


@dataclass
class OcrResult:
    """What ``ocr_missing_pages`` did to the page texts of one PDF.

    Attributes
    ----------
    texts : list of str
        Page texts, OCR text in place of the pages that had no text layer.
    pages : list of int
        Pages OCRed (numbers from 1), in order.
    engine : str
        ``"tesseract 5.3.0 (spa)"`` when any page was OCRed, else "".
    without_text : list of int
        Pages with no text layer that draw something to read (OCRed or not).
    notes : list of str
        Pages left out (time budget, page failures, Tesseract absent for some pages).
    empty_reason : str or None
        The reason to record when the document still has no letter: ``SCANNED_NO_OCR``
        (Tesseract absent), ``SCANNED_OCR_EMPTY`` (OCR found nothing), or None (no page to
        read: the PDF is blank, the reader's own "no text layer" reason applies).
    """

    texts: list[str]
    pages: list[int] = field(default_factory=list)
    engine: str = ""
    without_text: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    empty_reason: str | None = None


def page_ranges(pages: list[int]) -> str:
    """Page numbers as ranges, the form the documents table records them in.

    >>> page_ranges([1, 2, 3, 5, 7, 8])
    '1-3,5,7-8'
    >>> page_ranges([])
    ''
    """
    runs: list[list[int]] = []
    for n in sorted(set(pages)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in runs)


def ocr_missing_pages(
    pdf_bytes: bytes,
    page_texts: list[str],
    language: str | None,
    *,
    dpi: int = DEFAULT_DPI,
    budget_s: float | None = None,
    enabled: bool = True,
) -> OcrResult:
    """OCR the pages of a PDF that have no text layer, when Tesseract is installed.

    Parameters
    ----------
    pdf_bytes : bytes
        The PDF.
    page_texts : list of str
        The reader's text of each page read (index 0 is page 1).
    language : str or None
        The document's language ("en", "es", None: both).
    dpi : int, default 300
        Rendering resolution.
    budget_s : float, optional
        Seconds OCR may take for this document (e.g. a share of the per-file timeout); pages
        left when it is spent are not OCRed and a note says how many.
    enabled : bool, default True
        False: find the pages without text but OCR none (reason as if Tesseract were absent).

    Returns
    -------
    OcrResult
        The page texts with OCR text filled in, the pages OCRed, the engine and the notes.
    """
    blank = [i + 1 for i, t in enumerate(page_texts) if not _HAS_LETTER.search(t or "")]
    result = OcrResult(texts=list(page_texts))
    if not blank:
        return result
    try:
        result.without_text = pages_to_ocr(pdf_bytes, blank)
    except Exception as exc:  # noqa: BLE001 - a PDF pdfium cannot open keeps the reader's text
        result.notes.append(f"could not look for scanned pages: {type(exc).__name__}")
        return result
    if not result.without_text:
        return result
    if not (enabled and tesseract_available()):
        result.empty_reason = SCANNED_NO_OCR
        result.notes.append(
            f"{len(result.without_text)} page(s) without text layer not OCRed "
            f"(pages {page_ranges(result.without_text)}): {SCANNED_NO_OCR.split(': ', 1)[1]}"
        )
        return result
    _run_ocr(pdf_bytes, result, language, dpi, budget_s)
    return result


def _run_ocr(
    pdf_bytes: bytes, result: OcrResult, language: str | None, dpi: int, budget_s: float | None
) -> None:
    """OCR ``result.without_text`` page by page within the budget (fills ``result``)."""
    lang = tesseract_lang(language)
    result.engine = f"tesseract {tesseract_version()} ({lang})"
    deadline = None if budget_s is None else time.monotonic() + budget_s
    failed: list[str] = []
    todo = list(result.without_text)
    while todo:
        if deadline is not None and time.monotonic() > deadline:
            result.notes.append(
                f"OCR time budget ({budget_s:.0f} s) spent: {len(todo)} page(s) not OCRed "
                f"(pages {page_ranges(todo)})"
            )
            break
        number = todo.pop(0)
        limit = PAGE_TIMEOUT_S if deadline is None else max(1.0, deadline - time.monotonic())
        try:
            text = ocr_pages(pdf_bytes, [number], lang, dpi=dpi, timeout_s=limit)[number]
        except Exception as exc:  # noqa: BLE001 - one page failing must not lose the others
            failed.append(f"page {number}: {type(exc).__name__}: {str(exc)[:80]}".strip())
            continue
        result.texts[number - 1] = text
        result.pages.append(number)
    if failed:
        result.notes.append(f"OCR failed on {len(failed)} page(s): " + "; ".join(failed[:5]))
    if result.pages:
        result.notes.append(f"OCR ({result.engine}) on page(s) {page_ranges(result.pages)}")
    if any(_HAS_LETTER.search(result.texts[n - 1]) for n in result.pages):
        return
    if result.pages:
        result.empty_reason = SCANNED_OCR_EMPTY.format(n=len(result.pages), engine=result.engine)
    elif failed:
        result.empty_reason = f"scanned: OCR failed on {len(failed)} page(s): {failed[0]}"
    else:
        result.empty_reason = f"scanned: OCR time budget ({budget_s:.0f} s) spent before any page"
