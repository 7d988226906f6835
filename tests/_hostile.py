"""A generator of hostile corpora: broken, disguised, oversized and malicious files mixed with
real documents (copied at test time from ../shared/corpus, never into the repository).

``write_hostile_corpus(root, shared_corpus)`` writes the folder and returns a ``HostileCorpus``
that says, for every file, the status and the one-line reason the corpus stage must record
(reasons come from ``framelens.core.errors.Errors``, so a reworded message changes one place).
Everything is generated from bytes with fpdf2, pikepdf and Pillow; nothing is downloaded.

The set (file name -> what it is -> what framelens must record):

- ``empty.pdf``, ``empty.html``: 0 bytes -> error "empty file (0 bytes)".
- ``random bytes.pdf``: seeded random bytes -> error "not a PDF (... looks like binary data)".
- ``truncated.pdf``: the first 55% of a real PDF -> error "corrupt or truncated PDF: ...".
- ``encrypted.pdf``: AES-encrypted with a user password -> error "encrypted PDF".
- ``scanned.pdf``: one page with only an image -> empty, "scanned: ..." (W120 without
  Tesseract, W121 when OCR ran and found no text).
- ``blank pages.pdf``: thousands of blank pages -> empty, with the page limit in the reason.
- ``over the page limit.pdf``: text on more pages than ``max_pages`` -> ok, first pages only.
- ``one huge page.pdf``: all text on one 5 m x 5 m page -> ok, the text is read.
- ``form bomb.pdf``: nested form XObjects drawn 2^48 times (a "billion laughs" PDF) -> error
  "extraction timed out after N s" (the per-file timeout kills it; the run goes on).
- ``windows-1252.html``: cp1252 bytes, no declared charset -> ok, accents intact.
- ``utf-16 con BOM.html``: UTF-16-LE with BOM, no declared charset -> ok, accents intact.
- ``png-disguised.html``: PNG bytes -> error "binary content ... (looks like PNG image)".
- ``script only.html``: a page whose only content is a script -> empty "no main text ...".
- ``nested-5000.html``: 5000 nested divs around real paragraphs -> ok, the text is read.
- ``xss.html``: title and body carrying ``<script>`` and ``onerror=`` as text and as tags ->
  ok; the report must show the text escaped and run no markup.
- ``<img src=x onerror=alert(7)>.txt``: markup in a file name -> ok; escaped in the report.
- ``<svg onload=alert(8)><script>alert(9).pdf``: markup in the name of a broken file (listed
  in the report's quarantine) -> error "not a PDF (... looks like HTML)".
- ``Informe niñez — versión final (copia).html`` and ``日本語 ümlaut.txt``: spaces and
  non-ASCII names -> ok.
- ``Copia de <real document>``: a real document's bytes under a second name -> error
  "duplicate content: same sha256 as <the manifest's doc_id>" (the listed copy is kept).
- ``informe.docx``: a real ZIP/OOXML file -> error "unsupported file type .docx ...".
- ``binary.txt``: ELF-like bytes named .txt -> error "binary content ...".
- ``nul bytes.html``: an HTML page with NUL bytes sprinkled in -> ok.
- ``compressed.html``: a gzip-compressed page -> error "binary content ... (gzip archive)".
- ``informe ni\xf1ez (latin-1).txt`` (a name that is not UTF-8) and ``two\nlines, "quoted".txt``
  (a newline, a comma and quotes in a name) -> ok, listed under an escaped one-line path.
- ``blank.htm``: whitespace only -> empty "no main text found in HTML page".
- ``declares utf-8, is cp1252.html`` (a lying charset) and ``utf-16-be without BOM.html``
  -> ok, accents intact.
- ``loop-a.txt`` / ``loop-b.txt``: symbolic links pointing at each other -> error "extraction
  failed: not a regular file (...)".
- ``manifest.csv`` rows: ``missing.pdf`` -> error "file not found"; ``../../etc/passwd`` and
  ``/etc/passwd`` -> error "manifest path outside the corpus folder refused: ...".

``HostileCorpus.expected`` is keyed by the documents table's ``path`` column (relative to the
corpus root, POSIX) except for the refused row, whose path is the manifest's text.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framelens.core.errors import Errors

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

SENTENCES_ES = [
    "La Secretaría de Relaciones Exteriores informa sobre la protección consular de niñas y niños migrantes.",
    "El Instituto Nacional de Migración canaliza a los menores no acompañados al sistema DIF.",
    "La Comisión Mexicana de Ayuda a Refugiados recibió solicitudes de asilo de familias.",
    "Las autoridades reforzaron la vigilancia en la frontera sur y los puntos de revisión migratoria.",
    "El gobierno presentó un programa de atención humanitaria en albergues de la frontera norte.",
    "Los consulados ampliaron sus horarios para atender a connacionales en situación de vulnerabilidad.",
]
SENTENCES_EN = [
    "The Department of Homeland Security will expand humanitarian parole for families seeking asylum.",
    "Border Patrol agents increased enforcement and detention capacity along the southern border.",
    "Unaccompanied children are transferred to the Office of Refugee Resettlement within 72 hours.",
    "The administration announced new penalties for smugglers and stronger deterrence measures.",
    "Asylum officers will interview families in safe and dignified conditions at ports of entry.",
    "The agreement with Mexico expands cooperation on migration management and regional protection.",
]

#: Real documents copied from the shared corpus: small ones, both countries, all formats.
REAL_FILES = (
    "us/us-fr-20170124-executive-order-13765-minimizing-the-economic.html",
    "us/us-wh-20220413-statement-by-press-secretary-jen-psaki-on-the.txt",
    "mx/mx-presidencia-20241223-conferencia-de-prensa.txt",
)
#: Formats of which the smallest shared document is added as well (a PDF per country).
REAL_SMALLEST = (("us", "pdf"), ("mx", "pdf"))

XSS_TITLE = "<script>alert('title')</script> Migración <img src=x onerror=alert(1)>"
XSS_NAME = "<img src=x onerror=alert(7)>.txt"
XSS_BROKEN = "<svg onload=alert(8)><script>alert(9).pdf"


class ScannedReason:
    """The reason of a PDF with no text layer: W120 without Tesseract; with it, OCR ran and
    found nothing (W121, whose engine text names the installed version)."""

    def __eq__(self, other: object) -> bool:
        from framelens.corpus.ocr import tesseract_available

        if not isinstance(other, str):
            return NotImplemented
        if tesseract_available():
            return other.startswith(Errors.W121.split("{n}")[0])
        return other == Errors.W120

    __hash__ = None

    def __repr__(self) -> str:
        return "ScannedReason(W120 | W121)"


SCANNED = ScannedReason()


@dataclass(frozen=True)
class Expect:
    """What the documents table must say about one file.

    ``reason`` is the exact one-line ``error`` (None when status is ok); ``contains`` are
    snippets the extracted text must hold and ``absent`` snippets it must not.
    """

    status: str
    reason: str | None = None
    contains: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


@dataclass
class HostileCorpus:
    root: Path
    expected: dict[str, Expect]
    real: list[str]  # paths of the real documents (relative to root)
    real_ids: dict[str, str]  # path -> doc_id (the manifest's)
    max_pages: int
    timeout_s: float
    notes: dict[str, str] = field(default_factory=dict)  # path -> reader note expected


# --------------------------------------------------------------------------- PDF makers
def _fpdf(text_pages: list[list[str]], *, page_format=(210, 297)) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format=page_format)
    pdf.set_auto_page_break(False)
    pdf.add_font("dejavu", fname=str(DEJAVU))
    for lines in text_pages:
        pdf.add_page()
        pdf.set_font("dejavu", size=10)
        y = 15.0
        for line in lines:
            pdf.set_xy(10, y)
            pdf.cell(0, 6, line)
            y += 6
    return bytes(pdf.output())


def text_pdf(n_pages: int, marker: str = "Sección") -> bytes:
    """A text PDF of 14 lines a page; the middle line of page i is ``f"{marker} {i}."`` (away
    from the page edges, where a line repeated on every page is a running header)."""
    pages = []
    for i in range(1, n_pages + 1):
        body = [SENTENCES_ES[(i + k) % len(SENTENCES_ES)] for k in range(14)]
        body[7] = f"{marker} {i}."
        pages.append(body)
    return _fpdf(pages)


def huge_page_pdf(n_lines: int = 150) -> bytes:
    """All the text on one page 5 m wide and 5 m tall (pdfminer has no page-size limit)."""
    lines = [
        f"{i:04d} " + " ".join(SENTENCES_EN[(i + k) % len(SENTENCES_EN)] for k in range(2))
        for i in range(n_lines)
    ]
    return _fpdf([lines], page_format=(5000, 5000))


def blank_pages_pdf(n_pages: int) -> bytes:
    """``n_pages`` empty pages sharing one (empty) content stream; built with pikepdf."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    first = pdf.pages[0]
    for _ in range(n_pages - 1):
        pdf.pages.append(first)  # pikepdf copies the page object (shared resources)
    buf = io.BytesIO()
    pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return buf.getvalue()


def form_bomb_pdf(depth: int = 24) -> bytes:
    """A page drawing a form XObject that draws the next one four times, ``depth`` levels down:
    4**depth form renderings from a few hundred bytes (the PDF cousin of "billion laughs")."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    prev = None
    for _level in range(depth):
        content = b"q Q" if prev is None else b"/X Do /X Do /X Do /X Do"
        form = pikepdf.Stream(pdf, content)
        form.Type = Name.XObject
        form.Subtype = Name.Form
        form.BBox = Array([0, 0, 10, 10])
        if prev is not None:
            form.Resources = Dictionary(XObject=Dictionary(X=prev))
        prev = pdf.make_indirect(form)
    page = pdf.pages[0]
    page.Resources = Dictionary(XObject=Dictionary(X=prev))
    page.Contents = pdf.make_indirect(pikepdf.Stream(pdf, b"/X Do"))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def encrypted_pdf(data: bytes) -> bytes:
    import pikepdf

    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(buf, encryption=pikepdf.Encryption(user="secret", owner="owner", aes=True))
    return buf.getvalue()


def png_bytes(size: tuple[int, int] = (400, 300)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buf, format="PNG")
    return buf.getvalue()


def image_only_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png_bytes()), x=10, y=10, w=180)
    return bytes(pdf.output())


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        z.writestr(
            "word/document.xml", "<w:document><w:body>" + SENTENCES_ES[0] + "</w:body></w:document>"
        )
    return buf.getvalue()


# --------------------------------------------------------------------------- HTML makers
def html_page(title: str, paragraphs: list[str], *, lang: str = "es", head_extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{head_extra}</head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def nested_html(depth: int = 5000) -> str:
    paras = "".join(f"<p>{s}</p>" for s in SENTENCES_EN * 2)
    return (
        "<html><head><title>Nested markup</title></head><body>"
        + "<div>" * depth
        + paras
        + "</div>" * depth
        + "</body></html>"
    )


def xss_html() -> str:
    from html import escape

    text = [
        s + " " + escape("<script>alert('body')</script> <img src=x onerror=alert(2)>")
        for s in SENTENCES_ES[:4]
    ]
    return (
        f'<!DOCTYPE html><html lang="es"><head><title>{escape(XSS_TITLE)}</title>'
        '<script>alert("head")</script></head><body><article>'
        f"<h1>{escape(XSS_TITLE)}</h1>"
        + "".join(f"<p>{t}</p>" for t in text)
        + '<img src="x" onerror="alert(3)"><script>alert(4)</script>'
        + "</article></body></html>"
    )


# --------------------------------------------------------------------------- the corpus
def _real_documents(shared: Path) -> list[str]:
    """REAL_FILES plus the smallest PDF of each country (by the manifest's byte count)."""
    chosen = list(REAL_FILES)
    for country, fmt in REAL_SMALLEST:
        rows = list(csv.DictReader(open(shared / country / "manifest.csv", encoding="utf-8")))
        rows = [r for r in rows if r["format"] == fmt]
        rows.sort(key=lambda r: (int(r["bytes"]), r["file"]))
        chosen.append(f"{country}/{rows[0]['file']}")
    return chosen


def _manifest_rows(shared: Path) -> dict[str, dict[str, str]]:
    rows = {}
    for country in ("us", "mx"):
        with open(shared / country / "manifest.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                rows[f"{country}/{r['file']}"] = r
    return rows


def write_hostile_corpus(
    root: Path,
    shared: Path,
    *,
    seed: int = 0,
    max_pages: int = 20,
    timeout_s: float = 8.0,
    n_blank_pages: int = 3000,
) -> HostileCorpus:
    """Write the hostile corpus (module docstring) into ``root`` and say what to expect."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    exp: dict[str, Expect] = {}
    notes: dict[str, str] = {}

    # real documents, listed in a manifest with their shared metadata
    shared_rows = _manifest_rows(shared)
    real = _real_documents(shared)
    manifest_rows = []
    real_ids = {}
    for rel in real:
        target = root / "real" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared / rel, target)
        row = dict(shared_rows[rel])
        row["file"] = f"real/{rel}"
        manifest_rows.append(row)
        real_ids[f"real/{rel}"] = row["doc_id"]
        exp[f"real/{rel}"] = Expect("ok")
    # the same document twice: an unlisted copy under a name sorting before the listed one
    dup_src = real[0]
    dup_name = f"Copia de {Path(dup_src).name}"
    shutil.copyfile(shared / dup_src, root / dup_name)
    exp[dup_name] = Expect("error", Errors.W110.format(other=shared_rows[dup_src]["doc_id"]))
    # manifest rows that must not be read
    columns = list(shared_rows[dup_src].keys())
    blank = dict.fromkeys(columns, "")
    manifest_rows.append(
        {**blank, "doc_id": "missing-file", "file": "missing.pdf", "country": "US"}
    )
    manifest_rows.append({**blank, "doc_id": "outside", "file": "../../etc/passwd"})
    manifest_rows.append({**blank, "doc_id": "absolute", "file": "/etc/passwd"})
    exp["missing.pdf"] = Expect("error", Errors.W101)
    exp["../../etc/passwd"] = Expect("error", Errors.W111.format(file="../../etc/passwd"))
    exp["/etc/passwd"] = Expect("error", Errors.W111.format(file="/etc/passwd"))
    with open(root / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(manifest_rows)

    def put(name: str, data: bytes | str, expect: Expect) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        exp[name] = expect

    real_pdf = (shared / real[-1]).read_bytes()
    put("empty.pdf", b"", Expect("error", Errors.W102))
    put("empty.html", b"", Expect("error", Errors.W102))
    put(
        "random bytes.pdf",
        rng.integers(0, 256, size=64 * 1024, dtype=np.uint8).tobytes(),
        Expect("error", Errors.W103.format(kind="binary data")),
    )
    put(
        "truncated.pdf",
        real_pdf[: len(real_pdf) * 55 // 100],
        Expect(
            "error",
            Errors.W104.format(reason="file ends without %%EOF (truncated download?)"),
        ),
    )
    put("encrypted.pdf", encrypted_pdf(text_pdf(2)), Expect("error", Errors.W105))
    put("scanned.pdf", image_only_pdf(), Expect("empty", SCANNED))
    put(
        "blank pages.pdf",
        blank_pages_pdf(n_blank_pages),
        Expect("empty", Errors.W106 + "; " + Errors.W113.format(n=n_blank_pages, limit=max_pages)),
    )
    put(
        "over the page limit.pdf",
        text_pdf(max_pages + 5, marker="Apartado"),
        Expect("ok", contains=(f"Apartado {max_pages}.",), absent=(f"Apartado {max_pages + 1}.",)),
    )
    notes["over the page limit.pdf"] = Errors.W113.format(n=max_pages + 5, limit=max_pages)
    put(
        "one huge page.pdf",
        huge_page_pdf(),
        Expect("ok", contains=("0000 ", "0149 ", SENTENCES_EN[2])),
    )
    put(
        "form bomb.pdf",
        form_bomb_pdf(),
        Expect("error", Errors.W112.format(seconds=timeout_s)),
    )
    cp1252 = html_page("Niñez migrante: atención y protección", SENTENCES_ES * 2)
    put(
        "windows-1252.html",
        cp1252.encode("cp1252"),
        Expect("ok", contains=("niñas y niños", "Comisión Mexicana", "atención humanitaria")),
    )
    put(
        "utf-16 con BOM.html",
        "\ufeff".encode("utf-16-le") + cp1252.encode("utf-16-le"),
        Expect("ok", contains=("niñas y niños", "revisión migratoria")),
    )
    put(
        "png-disguised.html",
        png_bytes(),
        Expect("error", Errors.W108.format(kind="PNG image")),
    )
    put(
        "script only.html",
        "<html><head><title>x</title></head><body><script>"
        + "var a = 1;" * 500
        + "document.write('hola');</script></body></html>",
        Expect("empty", Errors.W107),
    )
    put("nested-5000.html", nested_html(5000), Expect("ok", contains=(SENTENCES_EN[0],)))
    put(
        "xss.html",
        xss_html(),
        Expect("ok", contains=(SENTENCES_ES[0], "<script>alert('body')</script>")),
    )
    put(
        XSS_NAME,
        "Boletín\n---\n" + " ".join(SENTENCES_EN * 3),
        Expect("ok", contains=(SENTENCES_EN[1],)),
    )
    put(
        XSS_BROKEN,
        "<html><body>404 Not Found</body></html>",
        Expect("error", Errors.W103.format(kind="HTML")),
    )
    put(
        "Informe niñez — versión final (copia).html",
        html_page("Informe sobre niñez migrante", SENTENCES_ES[::-1] * 2),
        Expect("ok", contains=(SENTENCES_ES[5],)),
    )
    put(
        "日本語 ümlaut.txt",
        "Nota informativa\n---\n" + " ".join(SENTENCES_ES[2:] * 3),
        Expect("ok", contains=(SENTENCES_ES[3],)),
    )
    put(
        "informe.docx",
        docx_bytes(),
        Expect("error", Errors.W109.format(suffix=".docx")),
    )
    put(
        "binary.txt",
        b"\x7fELF\x02\x01\x01" + bytes(rng.integers(0, 256, 4096, dtype=np.uint8)),
        Expect("error", Errors.W108.format(kind="executable (ELF)")),
    )
    # names the file system allows but UTF-8 writers and CSV readers do not like
    latin1 = os.fsencode(root) + b"/informe ni\xf1ez (latin-1).txt"
    with open(latin1, "wb") as fh:
        fh.write(("Nota informativa\n---\n" + " ".join(SENTENCES_ES * 2)).encode("cp1252"))
    exp["informe ni\\xf1ez (latin-1).txt"] = Expect("ok", contains=("niñas y niños",))
    put(
        'two\nlines, "quoted".txt',
        "Statement\n---\n" + " ".join(SENTENCES_EN * 2),
        Expect("ok", contains=(SENTENCES_EN[4],)),
    )
    exp['two\\x0alines, "quoted".txt'] = exp.pop('two\nlines, "quoted".txt')
    put(
        "compressed.html",
        gzip.compress(html_page("Comprimido", SENTENCES_ES).encode()),
        Expect("error", Errors.W108.format(kind="gzip archive")),
    )
    put("blank.htm", b"  \n\t\n   ", Expect("empty", Errors.W107))
    put(
        "declares utf-8, is cp1252.html",
        html_page("Protección", SENTENCES_ES, head_extra='<meta charset="utf-8">').encode("cp1252"),
        Expect("ok", contains=("protección consular",)),
    )
    put(
        "utf-16-be without BOM.html",
        html_page("Protección", SENTENCES_ES).encode("utf-16-be"),
        Expect("ok", contains=("protección consular",)),
    )
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    not_file = Errors.W115.format(
        reason="not a regular file (a broken or looping link, a pipe, a device)"
    )
    exp["loop-a.txt"] = exp["loop-b.txt"] = Expect("error", not_file)
    nul = html_page("Statement on asylum", SENTENCES_EN * 2, lang="en").encode()
    nul = nul.replace(b"</p>", b"\x00</p>")
    put("nul bytes.html", nul, Expect("ok", contains=(SENTENCES_EN[3].rstrip("."),)))
    return HostileCorpus(
        root=root,
        expected=exp,
        real=[f"real/{r}" for r in real],
        real_ids=real_ids,
        max_pages=max_pages,
        timeout_s=timeout_s,
        notes=notes,
    )
