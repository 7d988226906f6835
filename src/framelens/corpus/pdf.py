"""PDF text in reading order, without running headers, footers or page numbers.

Engines: ``pdfplumber`` (the reference: ``page.extract_text()`` with layout off, one page at a
time, page caches flushed after each page) and ``pypdfium2`` (much faster, simpler layout).
Both feed the same post-processing (docs/corpus.md, "PDF"):

0. **Margin text** (pdfplumber only). Characters printed rotated (not upright) are dropped when
   they are under 20% of a page's characters: they are margin stamps ("PRESDOC with ... on
   khammond" in Federal Register PDFs) or rotated mastheads, not body text. A page drawn mostly
   rotated (a landscape table) keeps everything. The first page's margin text is kept in the
   ``head`` used for metadata rules (a rotated "Lunes 1 de abril de 2024 DIARIO OFICIAL" still
   dates the page).
1. **Running headers and footers.** The *edge zone* of a page is its first and last lines, up
   to 12 lines and 300 characters from each edge. A line is a running header/footer when its
   normalised form (one leading and one trailing number dropped, where page numbers sit; other
   digit runs -> "#"; outer punctuation stripped; spaces collapsed)
   appears in the edge zone of at least 40% of the pages (recto and verso pages often carry
   different running heads) and of at least two pages, and when its occurrences differ in at
   most one number (a page number or counter: table rows repeated on every page differ in many);
   its first
   occurrence in each page's edge zone is removed (a repeat further in, such as the law's
   title under the running title, is kept).
2. **Page numbers.** Lines of the edge zone that are only a page number ("3", "- 3 -",
   "Página 3 de 40", "3 de 40", "Page 3 of 40", "iii") are removed.
3. **Hyphenation.** A word broken at a line end ("Inno-\\nvation", pdfium's U+FFFE marker) is
   joined when the joined word occurs elsewhere in the document, kept hyphenated
   ("long-term") when the hyphenated form does, and otherwise joined if the continuation
   starts in lower case.
4. Pages are joined with a newline; control characters, ligatures, NFC as in ``decode``.

A PDF without a text layer (no letters on any page) is ``empty``: "no text layer (scanned?)".
Encrypted PDFs needing a password, files without a ``%PDF`` header, and files that end without
``%%EOF`` (truncated downloads) are errors with a one-line reason.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from typing import Any

from framelens.core.errors import Errors, ExtractionError
from framelens.corpus.base import Extracted, library_version, read_source
from framelens.corpus.dates import parse_date
from framelens.corpus.decode import clean_text, tidy_lines
from framelens.corpus.sniff import sniff_kind

EDGE_LINES = 12
RUNNING_SHARE = 0.4
MARGIN_SHARE = 0.2
EDGE_CHARS = 300
HEAD_CHARS = 3000

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—\s]*\d{1,4}[-–—\s]*"
    r"|(?:p[áa]gina|p[áa]g\.?|page|p\.)\s*\d{1,4}(?:\s*(?:de|of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:de|of|/)\s*\d{1,4}"
    r"|(?=[ivxlc])(?:c[dm]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3}))$",
    re.I,
)
_KEY_DIGITS = re.compile(r"\d+")
_KEY_SPACE = re.compile(r"\s+")
_KEY_STRIP = " -–—|/.,:;·•_()[]"
_OUTER_NUMBER = re.compile(r"^\s*\d+(?:\s*[-–—|/.,]\s*|\s+)|(?:\s*[-–—|/.,]\s*|\s+)\d+\s*$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_HYPHEN_BREAK = re.compile(r"([^\W\d_]{2,})(?:-|\u00ad|\ufffe)[ \t]*\n[ \t]*([^\W\d_]+)")
_PDFIUM_BREAK = re.compile(r"\ufffe")
_WORD = re.compile(r"[^\W\d_]+")
_HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


def _trim(line: str) -> str:
    """The line without one leading and one trailing number (where page numbers sit)."""
    return _OUTER_NUMBER.sub("", line.strip())


def _key(line: str) -> str:
    key = _KEY_SPACE.sub(" ", _KEY_DIGITS.sub("#", _trim(line))).strip(_KEY_STRIP)
    return key if _HAS_LETTER.search(key) else ""


def _edge_indices(lines: list[str]) -> tuple[list[int], list[int]]:
    """Indices of the non-empty lines in the top and bottom edge zones of a page."""
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    top: list[int] = []
    chars = 0
    for i in nonempty[:EDGE_LINES]:
        if top and chars + len(lines[i]) > EDGE_CHARS:
            break
        top.append(i)
        chars += len(lines[i])
    bottom: list[int] = []
    chars = 0
    for i in reversed(nonempty[-EDGE_LINES:]):
        if bottom and chars + len(lines[i]) > EDGE_CHARS:
            break
        bottom.append(i)
        chars += len(lines[i])
    return top, bottom


def _varying_numbers(variants: set[tuple[str, ...]]) -> int:
    """How many number positions differ between the occurrences of one normalised line (a
    running head varies in one at most: its page number or page counter)."""
    if len(variants) <= 1:
        return 0
    lengths = {len(v) for v in variants}
    if len(lengths) > 1:
        return 99
    return sum(1 for column in zip(*variants, strict=True) if len(set(column)) > 1)


def remove_running_lines(pages: list[str]) -> tuple[list[str], list[str]]:
    """Remove running headers/footers and page numbers (rules 1-2 of the module docstring).

    Returns the cleaned pages and the distinct running lines removed (first seen first), which
    name the publication ("Federal Register / Vol. 90 ...", "CÁMARA DE DIPUTADOS ...").
    """
    split = [p.split("\n") for p in pages]
    zones = [_edge_indices(lines) for lines in split]
    n = len(pages)
    repeated: set[str] = set()
    if n >= 2:
        counts: Counter[str] = Counter()
        numbers: dict[str, set[tuple[str, ...]]] = {}
        for lines, (top, bottom) in zip(split, zones, strict=True):
            keys = set()
            for i in top + bottom:
                key = _key(lines[i])
                if key:
                    keys.add(key)
                    numbers.setdefault(key, set()).add(tuple(_KEY_DIGITS.findall(_trim(lines[i]))))
            counts.update(keys)
        threshold = max(2, math.ceil(RUNNING_SHARE * n))
        repeated = {
            k for k, c in counts.items() if c >= threshold and _varying_numbers(numbers[k]) <= 1
        }
    running: dict[str, str] = {}
    out: list[str] = []
    for lines, (top, bottom) in zip(split, zones, strict=True):
        drop: set[int] = set()
        for zone in (top, bottom):
            seen: set[str] = set()
            for i in zone:
                stripped = lines[i].strip()
                key = _key(stripped)
                if _PAGE_NUMBER.match(stripped):
                    drop.add(i)
                elif key and key in repeated and key not in seen:
                    drop.add(i)
                    seen.add(key)
                    running.setdefault(key, stripped)
        out.append("\n".join(ln for i, ln in enumerate(lines) if i not in drop))
    return out, list(running.values())


def dehyphenate(text: str) -> str:
    """Join words broken across lines (rule 3 of the module docstring)."""
    text = _PDFIUM_BREAK.sub("-\n", text)
    if not _HYPHEN_BREAK.search(text):
        return text
    vocab = set(_WORD.findall(text.lower()))
    hyphenated = set(_HYPHENATED.findall(text.lower()))

    def repl(m: re.Match[str]) -> str:
        left, right = m[1], m[2]
        joined = (left + right).lower()
        if joined in vocab:
            return left + right
        if f"{left}-{right}".lower() in hyphenated:
            return f"{left}-{right}"
        if right[0].islower():
            return left + right
        return f"{left}-{right}"

    return _HYPHEN_BREAK.sub(repl, text)


def _upright(obj: dict[str, Any]) -> bool:
    return obj.get("object_type") != "char" or obj.get("upright", True)


def _rotated(obj: dict[str, Any]) -> bool:
    return obj.get("object_type") == "char" and not obj.get("upright", True)


def _pdf_error(exc: BaseException) -> ExtractionError:
    """Map a pdfminer/pdfium exception to a one-line reason."""
    chain = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 5:
        chain.append(e)
        e = (
            e.__cause__
            or e.__context__
            or (e.args[0] if e.args and isinstance(e.args[0], BaseException) else None)
        )
    text = " ".join(f"{type(x).__name__} {x}" for x in chain).lower()
    if "password" in text or "encrypt" in text:
        return ExtractionError(Errors.W105)
    last = chain[-1]
    reason = f"{type(last).__name__}: {last}".strip().rstrip(":")
    reason = re.sub(r"\s+", " ", reason)[:200]
    return ExtractionError(Errors.W104.format(reason=reason))


def _check_bytes(data: bytes) -> None:
    if not data:
        raise ExtractionError(Errors.W102)
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError(Errors.W103.format(kind=sniff_kind(data)))
    if b"%%EOF" not in data[-2048:] and b"%%EOF" not in data.rstrip(b"\x00\r\n\t ")[-2048:]:
        raise ExtractionError(
            Errors.W104.format(reason="file ends without %%EOF (truncated download?)")
        )


def _pages_pdfplumber(
    data: bytes, max_pages: int
) -> tuple[list[str], int, dict[str, Any], list[str]]:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1
    from pdfplumber.page import Page

    notes: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any parser failure is a reason, not a crash
        raise _pdf_error(exc) from exc
    try:
        metadata = dict(pdf.metadata)
        try:
            n_total = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
        except Exception:  # noqa: BLE001 - fall back to counting below
            n_total = -1
        texts: list[str] = []
        margins: list[str] = []
        failed: list[str] = []
        counted = 0
        try:
            for i, pobj in enumerate(PDFPage.create_pages(pdf.doc)):
                counted = i + 1
                if i >= max_pages:
                    if n_total >= 0:
                        break
                    continue
                page = Page(pdf, pobj, page_number=i + 1, initial_doctop=0)
                try:
                    chars = page.chars
                    n_rotated = sum(1 for c in chars if not c.get("upright", True))
                    if n_rotated and n_rotated < MARGIN_SHARE * len(chars):
                        texts.append(page.filter(_upright).extract_text() or "")
                        if i < 2:  # keep first-page margin text as metadata evidence
                            margins.append(page.filter(_rotated).extract_text() or "")
                    else:
                        texts.append(page.extract_text() or "")
                except Exception as exc:  # noqa: BLE001
                    failed.append(f"page {i + 1}: {type(exc).__name__}")
                    texts.append("")
                finally:
                    page.close()
        except Exception as exc:  # noqa: BLE001 - broken page tree
            if not texts:
                raise _pdf_error(exc) from exc
            failed.append(f"page tree after page {len(texts)}: {type(exc).__name__}")
        if n_total < 0:
            n_total = counted
    finally:
        pdf.flush_cache()
        del pdf
    if failed:
        if len(failed) >= max(1, len(texts)):
            raise ExtractionError(Errors.W104.format(reason="; ".join(failed[:3])))
        notes.append(f"{len(failed)} page(s) unreadable: " + "; ".join(failed[:5]))
    metadata["_margins"] = margins
    return texts, n_total, metadata, notes


def _pages_pypdfium2(
    data: bytes, max_pages: int
) -> tuple[list[str], int, dict[str, Any], list[str]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001
        raise _pdf_error(exc) from exc
    notes: list[str] = []
    try:
        n_total = len(pdf)
        metadata = {k: v for k, v in pdf.get_metadata_dict().items() if v}
        texts: list[str] = []
        failed: list[str] = []
        for i in range(min(n_total, max_pages)):
            try:
                page = pdf[i]
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
                textpage.close()
                page.close()
            except Exception as exc:  # noqa: BLE001
                failed.append(f"page {i + 1}: {type(exc).__name__}")
                texts.append("")
    finally:
        pdf.close()
    if failed:
        if len(failed) >= max(1, len(texts)):
            raise ExtractionError(Errors.W104.format(reason="; ".join(failed[:3])))
        notes.append(f"{len(failed)} page(s) unreadable: " + "; ".join(failed[:5]))
    return texts, n_total, metadata, notes


def _ocr(data: bytes, pages: list[str], settings: dict[str, Any]) -> Any:
    """Pages without a text layer OCRed where Tesseract is installed (``corpus.ocr``)."""
    from framelens.corpus.ocr import DEFAULT_DPI, ocr_missing_pages

    return ocr_missing_pages(
        data,
        pages,
        settings.get("language"),
        dpi=int(settings.get("dpi") or DEFAULT_DPI),
        budget_s=settings.get("budget_s"),
        enabled=bool(settings.get("enabled", True)),
    )


def pages_to_text(pages: list[str], margins: list[str] | None = None) -> tuple[str, str, list[str]]:
    """Post-process page texts into ``(text, head, running)``: ``head`` is the raw start of the
    first pages, with any margin text dropped from them, for metadata rules; ``text`` the
    cleaned document; ``running`` the running header/footer lines removed."""
    pages = [p.replace("\r\n", "\n").replace("\r", "\n") for p in pages]
    head = clean_text("\n".join([*(margins or [])[:1], *pages[:2]])[:HEAD_CHARS])
    cleaned, running = remove_running_lines(pages)
    text = dehyphenate("\n".join(cleaned))
    return tidy_lines(clean_text(text)), head, [clean_text(r) for r in running]


#: PDF metadata keys kept, and their names in ``Extracted.meta``.
_META_KEYS = (
    ("Title", "pdf_title"),
    ("Author", "pdf_author"),
    ("Subject", "pdf_subject"),
    ("Creator", "pdf_creator"),
    ("Producer", "pdf_producer"),
    ("CreationDate", "pdf_created"),
    ("ModDate", "pdf_modified"),
)


def _metadata(metadata: dict[str, Any], running: list[str]) -> dict[str, str]:
    """The PDF's metadata worth keeping (cleaned, capped) and its running header."""
    meta = {}
    if running:
        meta["running_header"] = "\n".join(running[:8])[:600]
    for src_key, key in _META_KEYS:
        value = metadata.get(src_key)
        if isinstance(value, bytes):
            value = value.decode("latin-1", "ignore")
        if value and isinstance(value, str) and value.strip():
            meta[key] = clean_text(value.strip())[:300]
    return meta


def extract_pdf(
    source: bytes | str | Any,
    *,
    engine: str = "pdfplumber",
    max_pages: int = 2000,
    ocr: dict[str, Any] | None = None,
) -> Extracted:
    """Extract the text and metadata of a PDF.

    Parameters
    ----------
    source : bytes or path
        The PDF's bytes, or its path (read once).
    engine : {"pdfplumber", "pypdfium2"}, default "pdfplumber"
        Text engine; the post-processing is the same for both.
    max_pages : int, default 2000
        Pages read at most; ``n_pages`` still counts every page and a note records the limit.
    ocr : dict, optional
        OCR of pages without a text layer (``corpus.ocr.ocr_missing_pages``): ``enabled``
        (default True), ``language`` (en|es|None), ``dpi``, ``budget_s``.

    Returns
    -------
    Extracted
        ``status`` "ok", "empty" (no text layer) or "error" with a one-line ``error``.

    Examples
    --------
    >>> ex = extract_pdf(b"not a pdf")
    >>> ex.status, ex.error
    ('error', 'not a PDF (no %PDF header; looks like plain text)')
    """
    name = engine if engine in ("pdfplumber", "pypdfium2") else "pdfplumber"
    extractor = f"{name} {library_version(name)}"
    try:
        data = read_source(source)
        _check_bytes(data)
        reader = _pages_pypdfium2 if name == "pypdfium2" else _pages_pdfplumber
        pages, n_total, metadata, notes = reader(data, max_pages)
        scanned = _ocr(data, pages, ocr or {})
    except ExtractionError as exc:
        return Extracted.failed(exc.reason, exc.status, extractor)
    except (MemoryError, RecursionError) as exc:
        return Extracted.failed(Errors.W115.format(reason=type(exc).__name__), "error", extractor)
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the run
        return Extracted.failed(_pdf_error(exc).reason, "error", extractor)
    if n_total > max_pages:
        notes.append(Errors.W113.format(n=n_total, limit=max_pages))
    notes.extend(scanned.notes)
    if scanned.pages:
        extractor += f" + {scanned.engine}"
    margins = metadata.pop("_margins", None)
    text, head, running = pages_to_text(scanned.texts, margins)
    meta = _metadata(metadata, running)
    dates = {}
    created = parse_date(meta.get("pdf_created"))
    if created:
        dates["pdf_metadata"] = created
    ex = Extracted(
        text=text,
        n_pages=n_total,
        meta=meta,
        head=head,
        extractor=extractor,
        dates=dates,
        notes=notes,
        ocr_pages=scanned.pages,
    )
    if not _HAS_LETTER.search(text):
        ex.text = ""
        ex.status, ex.error = "empty", scanned.empty_reason or Errors.W106
        if n_total > max_pages:  # the unread pages might hold text: say so in the reason
            ex.error += "; " + Errors.W113.format(n=n_total, limit=max_pages)
    return ex
