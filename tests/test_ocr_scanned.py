"""OCR of scanned PDF pages (framelens.corpus.ocr).

The PDFs are made here: text drawn into an image with Pillow (DejaVu Sans, shipped with
matplotlib, so accents are drawn), placed on a page with no text layer. Tests that run Tesseract
skip with a message where it is not installed; the tests of what happens without it run
everywhere (Tesseract is hidden from them).
"""

from __future__ import annotations

import io
import os
import shutil
import unicodedata

import pytest

from framelens.corpus import ocr
from framelens.corpus.ocr import (
    SCANNED_NO_OCR,
    OcrUnavailable,
    ocr_missing_pages,
    ocr_pages,
    ocr_signature,
    pages_to_ocr,
    tesseract_available,
    tesseract_lang,
)

SPANISH = [
    "La frontera norte y la migración",
    "Ley de Migración: artículo doce",
    "seguridad nacional y derechos humanos",
]
ENGLISH = ["Border security and asylum", "Executive order on immigration"]

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-spa "
    "(macOS: brew install tesseract tesseract-lang) to run the OCR tests",
)

needs_spanish = pytest.mark.skipif(
    shutil.which("tesseract") is not None and "spa" not in ocr.tesseract_languages(),
    reason="Tesseract's Spanish data is not installed: apt-get install tesseract-ocr-spa",
)


def _font(size: int):
    from PIL import ImageFont

    try:
        import matplotlib

        path = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
        return ImageFont.truetype(path, size)
    except (ImportError, OSError):
        return ImageFont.load_default(size=size)


def _scan(lines: list[str]):
    """An A4 page at 300 dpi with ``lines`` printed on it, as a grayscale image."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((220, 320 + i * 130), line, fill=0, font=_font(64))
    return image


def _image_only_pdf(*pages: list[str]) -> bytes:
    images = [_scan(lines) for lines in pages]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return buf.getvalue()


def _mixed_pdf() -> bytes:
    """Page 1 with a text layer, page 2 scanned (an image only), page 3 blank."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=14)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Page one has a text layer about refugees and asylum.")
    pdf.add_page()
    pdf.image(_scan(ENGLISH), x=0, y=0, w=210, h=297)
    pdf.add_page()
    return bytes(pdf.output())


def _page_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    return set("".join(c if c.isalnum() else " " for c in text).split())


@pytest.fixture
def no_tesseract(monkeypatch):
    """Hide the tesseract program, as on a machine without it."""
    monkeypatch.setattr(ocr.shutil, "which", lambda name, *a, **k: None)


@needs_tesseract
@needs_spanish
def test_ocr_reads_a_scanned_spanish_page():
    data = _image_only_pdf(SPANISH)
    assert _page_texts(data) == [""]  # really no text layer
    text = ocr_pages(data, [1], "es")[1]
    for word in ("frontera", "migración", "artículo", "seguridad", "nacional", "derechos"):
        assert word in _words(text), (word, text)


@needs_tesseract
def test_only_pages_without_text_layer_are_ocred():
    data = _mixed_pdf()
    texts = _page_texts(data)
    assert "refugees" in texts[0] and texts[1] == "" and texts[2] == ""
    assert pages_to_ocr(data, [1, 2, 3]) == [2]  # page 1 draws text only, page 3 nothing
    result = ocr_missing_pages(data, texts, "en")
    assert result.pages == [2] and result.without_text == [2]
    assert result.engine.startswith("tesseract ") and result.engine.endswith("(eng)")
    assert result.texts[0] == texts[0] and result.texts[2] == ""
    assert {"border", "security", "asylum", "executive", "immigration"} <= _words(result.texts[1])
    assert result.empty_reason is None
    assert any("OCR (tesseract" in note and "page(s) 2" in note for note in result.notes)


@needs_tesseract
@needs_spanish
def test_ocr_without_language_reads_both_and_records_the_engine():
    data = _image_only_pdf(SPANISH, ENGLISH)
    result = ocr_missing_pages(data, ["", ""], None)
    assert result.pages == [1, 2]
    assert "eng+spa" in result.engine or result.engine.endswith("(eng)")
    assert "migración" in _words(result.texts[0]) and "asylum" in _words(result.texts[1])
    assert tesseract_available() and ocr_signature().startswith("tesseract ")


@needs_tesseract
def test_ocr_time_budget_is_respected():
    data = _image_only_pdf(SPANISH, ENGLISH)
    result = ocr_missing_pages(data, ["", ""], "es", budget_s=0.0)
    assert result.pages == []
    assert any("time budget" in note and "2 page(s) not OCRed" in note for note in result.notes)
    assert result.empty_reason.startswith("scanned: OCR time budget")


def test_without_tesseract_the_reason_says_how_to_install(no_tesseract):
    data = _image_only_pdf(SPANISH)
    assert not tesseract_available()
    assert ocr_signature() == "none"
    result = ocr_missing_pages(data, [""], "es")
    assert result.empty_reason == (
        "scanned: no text layer (install tesseract-ocr and tesseract-ocr-spa to OCR it)"
    )
    assert result.empty_reason == SCANNED_NO_OCR
    assert result.pages == [] and result.without_text == [1] and result.texts == [""]
    assert "1 page(s) without text layer not OCRed (pages 1)" in result.notes[0]
    with pytest.raises(OcrUnavailable, match="install tesseract-ocr"):
        ocr_pages(data, [1], "es")


def test_ocr_can_be_switched_off():
    result = ocr_missing_pages(_image_only_pdf(ENGLISH), [""], "en", enabled=False)
    assert result.pages == [] and result.empty_reason == SCANNED_NO_OCR


def test_blank_pages_and_pages_with_text_are_not_scanned(no_tesseract):
    data = _mixed_pdf()
    texts = _page_texts(data)
    result = ocr_missing_pages(data, [texts[0], "", texts[2]], "en")
    assert result.without_text == [2]  # the image page only; page 3 is blank
    only_text = ocr_missing_pages(data, [texts[0]], "en")
    assert only_text.without_text == [] and only_text.empty_reason is None
    assert only_text.notes == []


def test_tesseract_language_follows_the_document(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_languages", lambda: frozenset({"eng", "spa"}))
    assert tesseract_lang("es") == "spa"
    assert tesseract_lang("en") == "eng"
    assert tesseract_lang(None) == "eng+spa"
    assert tesseract_lang("other") == "eng+spa"
    assert tesseract_lang("spa+fra") == "spa"  # French data not installed
    monkeypatch.setattr(ocr, "tesseract_languages", lambda: frozenset({"eng"}))
    assert tesseract_lang("es") == "eng"  # Spanish data missing: English, Tesseract's default


def test_ocr_pages_are_recorded_as_ranges():
    assert ocr.page_ranges([3, 1, 2, 5, 7, 8, 8]) == "1-3,5,7-8"
    assert ocr.page_ranges([]) == ""
