"""Broken, hostile and unusual files: each gets its recorded reason and the run goes on.

Everything is generated in ``tmp_path`` (fpdf2 for PDFs, pikepdf for encryption, Pillow for
images), so these tests need no shared data.
"""

from __future__ import annotations

import io
import multiprocessing as mp
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from _hostile import SCANNED  # noqa: E402 (tests import helpers by rootdir)
from framelens.core.config import ExtractConfig
from framelens.core.errors import Errors
from framelens.corpus import extract, extract_html, extract_pdf, extract_text, quarantine_table

SENTENCES = [
    "La Secretaría de Relaciones Exteriores informa sobre la protección consular de niñas y niños migrantes.",
    "El Instituto Nacional de Migración canaliza a los menores no acompañados al sistema DIF.",
    "La Comisión Mexicana de Ayuda a Refugiados recibió solicitudes de asilo de familias centroamericanas.",
    "Las autoridades reforzaron la vigilancia en la frontera sur y los puntos de revisión migratoria.",
    "El gobierno presentó un programa de atención humanitaria en albergues de la frontera norte.",
    "Los consulados ampliaron sus horarios para atender a connacionales en situación de vulnerabilidad.",
]


def text_pdf(
    pages: int = 3, header: str = "SECRETARÍA DE RELACIONES EXTERIORES · Boletín"
) -> bytes:
    """A real text PDF with a running header, varied body text and 'Página i de n' footers."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    font = "Helvetica"
    if _dejavu():
        pdf.add_font("dejavu", fname=_dejavu())
        font = "dejavu"
    for i in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font(font, size=10)
        pdf.set_xy(10, 8)
        pdf.cell(0, 6, header if font == "dejavu" else _ascii(header))
        pdf.set_xy(10, 22)
        body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(8)) + f" Sección {i}."
        pdf.multi_cell(0, 6, body if font == "dejavu" else _ascii(body))
        pdf.set_xy(10, 282)
        pdf.cell(0, 6, f"Página {i} de {pages}" if font == "dejavu" else f"Pagina {i} de {pages}")
    return bytes(pdf.output())


def _dejavu() -> str | None:
    for p in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ):
        if Path(p).exists():
            return p
    return None


def _ascii(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(buf, format="PNG")
    return buf.getvalue()


HTML_1252 = (
    "<html><head><title>Niñez migrante</title></head><body><h1>Atención a niñas y niños</h1>"
    + "".join(f"<p>{s}</p>" for s in SENTENCES * 2)
    + "</body></html>"
)


@pytest.fixture(scope="module")
def edge_corpus(tmp_path_factory) -> Path:
    import pikepdf

    d = tmp_path_factory.mktemp("edge")
    good = text_pdf()
    (d / "good.pdf").write_bytes(good)
    (d / "copy of good.pdf").write_bytes(good)  # same content under another name
    (d / "empty.pdf").write_bytes(b"")
    (d / "garbage.pdf").write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096)))
    (d / "truncated.pdf").write_bytes(good[: len(good) * 6 // 10])
    buf = io.BytesIO()
    pikepdf.open(io.BytesIO(good)).save(
        buf, encryption=pikepdf.Encryption(user="secret", owner="owner")
    )
    (d / "encrypted.pdf").write_bytes(buf.getvalue())
    buf = io.BytesIO()
    pikepdf.open(io.BytesIO(good)).save(buf, encryption=pikepdf.Encryption(user="", owner="owner"))
    (d / "owner-password-only.pdf").write_bytes(buf.getvalue())
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png_bytes()), x=10, y=10, w=180)
    (d / "scanned.pdf").write_bytes(bytes(pdf.output()))
    (d / "cp1252.html").write_bytes(HTML_1252.encode("cp1252"))
    (d / "picture.html").write_bytes(png_bytes())
    (d / "report.html.pdf").write_bytes(b"<html><body>Not Found</body></html>")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    (d / "report.docx").write_bytes(zbuf.getvalue())
    sub = d / "notas"
    sub.mkdir()
    (sub / "nota.txt").write_text(
        "Nota informativa\nSRE\n3 de enero de 2025\n---\n" + " ".join(SENTENCES), encoding="utf-8"
    )
    (d / "README.md").write_text("not a document")  # skipped by name
    (d / "sidecar.json").write_text("{}")  # not a document: ignored
    return d


@pytest.fixture(scope="module")
def edge_docs(edge_corpus) -> pd.DataFrame:
    return extract(edge_corpus, config=ExtractConfig(workers=2), progress=False)


EXPECTED = {
    "empty": ("error", Errors.W102),
    "garbage": ("error", Errors.W103.format(kind="binary data")),
    "truncated": (
        "error",
        Errors.W104.format(reason="file ends without %%EOF (truncated download?)"),
    ),
    "encrypted": ("error", Errors.W105),
    "scanned": ("empty", SCANNED),
    "picture": ("error", Errors.W108.format(kind="PNG image")),
    "report.html": ("error", Errors.W103.format(kind="HTML")),
    "report": ("error", Errors.W109.format(suffix=".docx")),
    "good": ("error", Errors.W110.format(other="copy of good")),
}


def test_corpus_edge_cases_each_get_their_reason(edge_docs):
    by_id = edge_docs.set_index("doc_id")
    for doc_id, (status, error) in EXPECTED.items():
        assert (by_id.loc[doc_id, "status"], by_id.loc[doc_id, "error"]) == (status, error), doc_id
    # the rest of the run went on
    for doc_id in ("copy of good", "cp1252", "owner-password-only", "notas/nota"):
        assert by_id.loc[doc_id, "status"] == "ok", (doc_id, by_id.loc[doc_id, "error"])
        assert pd.isna(by_id.loc[doc_id, "error"])
    assert "README" not in by_id.index and "sidecar" not in by_id.index
    assert edge_docs.attrs["ignored"] == {".json": 1, ".md": 1}


def test_corpus_edge_failure_rows_keep_all_columns(edge_docs):
    bad = edge_docs[edge_docs["status"] != "ok"]
    assert (bad["text"] == "").all() and (bad["n_chars"] == 0).all()
    assert set(bad["format"]) == {"pdf", "html", "other"}
    q = quarantine_table(edge_docs)
    assert list(q.columns) == ["doc_id", "path", "format", "status", "error"]
    assert sorted(q["doc_id"]) == sorted(EXPECTED)
    assert q["error"].str.len().gt(0).all()


def test_corpus_edge_windows_1252_html_without_charset(edge_docs):
    row = edge_docs.set_index("doc_id").loc["cp1252"]
    assert "niñas y niños" in row["text"] and "Comisión Mexicana" in row["text"]
    assert row["language"] == "es" and row["country"] == "MX"
    assert row["title"] == "Niñez migrante"


def test_corpus_edge_text_header_block(edge_docs):
    row = edge_docs.set_index("doc_id").loc["notas/nota"]
    assert row["title"] == "Nota informativa"
    assert (row["date"], row["date_source"]) == ("2025-01-03", "document")
    assert row["issuer"] == "SRE" and row["administration"] == "Sheinbaum"
    assert row["text"].startswith("La Secretaría de Relaciones Exteriores")


def test_corpus_edge_generated_pdf_headers_and_page_numbers(edge_docs):
    row = edge_docs.set_index("doc_id").loc["copy of good"]
    assert row["n_pages"] == 3
    text = row["text"]
    assert "Boletín" not in text and "Boletin" not in text
    assert "de 3" not in text
    assert text.count("Secci") == 3  # body text of every page kept


# --------------------------------------------------------------------------- manifests
def test_corpus_manifest_rows_missing_and_outside_are_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Statement\nDHS\nMarch 3, 2021\n---\n" + "The Department protects children. " * 20
    )
    (corpus / "b.txt").write_text(
        "Unlisted note about border security and asylum processing. " * 10
    )
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the corpus")
    (corpus / "manifest.csv").write_text(
        "file,doc_id,country,issuer,date\n"
        "a.txt,doc-a,US,DHS,2021-03-03\n"
        "missing.pdf,doc-missing,US,CBP,2021-05-01\n"
        "../secret.txt,doc-outside,US,,\n"
        "../../../../etc/passwd,doc-passwd,,,\n",
        encoding="utf-8",
    )
    docs = extract(corpus, config=ExtractConfig(workers=1), progress=False).set_index("doc_id")
    assert docs.loc["doc-a", "status"] == "ok" and docs.loc["doc-a", "date_source"] == "manifest"
    assert (docs.loc["doc-missing", "status"], docs.loc["doc-missing", "error"]) == (
        "error",
        Errors.W101,
    )
    assert docs.loc["doc-missing", "administration"] == "Biden"  # from the manifest's metadata
    for doc_id, file in (
        ("doc-outside", "../secret.txt"),
        ("doc-passwd", "../../../../etc/passwd"),
    ):
        assert docs.loc[doc_id, "error"] == Errors.W111.format(file=file)
        assert pd.isna(docs.loc[doc_id, "sha256"]) and docs.loc[doc_id, "extractor"] == "none"
    # a file no manifest lists is still read, with inferred metadata
    assert docs.loc["b", "status"] == "ok" and docs.loc["b", "language"] == "en"


def test_corpus_explicit_manifest_and_no_manifest(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_text(
        "Remarks by the President\n---\n" + "We will protect children at the border. " * 20
    )
    m = tmp_path / "list.csv"
    m.write_text("file,doc_type\nc/x.txt,speech\n", encoding="utf-8")
    docs = extract(None, manifest=m, config=ExtractConfig(workers=1), progress=False)
    assert docs["doc_id"].tolist() == ["c/x"] and docs["doc_type"].tolist() == ["speech"]
    docs = extract(corpus, config=ExtractConfig(workers=1, use_manifest=False), progress=False)
    assert docs["doc_id"].tolist() == ["x"] and docs["doc_type"].tolist() == ["speech"]


# --------------------------------------------------------------------------- cache, workers
def test_corpus_cache_second_run_reads_nothing_and_is_identical(edge_corpus, tmp_path):
    import shutil

    corpus = shutil.copytree(edge_corpus, tmp_path / "corpus")
    cfg = ExtractConfig(workers=2)
    first = extract(corpus, config=cfg, cache_dir=tmp_path / "cache", progress=False)
    n_read = first.attrs["timing"]["n_extracted"]
    assert n_read == 12
    # one record per distinct (content, format): good.pdf and its copy share one; + the stat index
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 11 + 1
    assert (tmp_path / "cache" / "stat-index.json").exists()
    second = extract(corpus, config=cfg, cache_dir=tmp_path / "cache", progress=False)
    assert second.attrs["timing"]["n_extracted"] == 0
    assert second.attrs["timing"]["cache_hits"] == n_read
    pd.testing.assert_frame_equal(first, second)
    # a changed file is read again, and only it
    (corpus / "notas" / "nota.txt").write_text(
        "Nota\nSRE\n4 de enero de 2025\n---\n" + " ".join(SENTENCES)
    )
    third = extract(corpus, config=cfg, cache_dir=tmp_path / "cache", progress=False)
    assert third.attrs["timing"]["n_extracted"] == 1
    assert third.set_index("doc_id").loc["notas/nota", "date"] == "2025-01-04"


def test_corpus_results_do_not_depend_on_workers(edge_corpus, shared_corpus, tmp_path):
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    for p in edge_corpus.glob("*.*"):
        (corpus / p.name).write_bytes(p.read_bytes())
    for name in (
        "us/us-fr-20170124-executive-order-13765-minimizing-the-economic.html",
        "mx/mx-presidencia-20241223-conferencia-de-prensa.txt",
        "us/us-wh-20220413-statement-by-press-secretary-jen-psaki-on-the.txt",
    ):
        (corpus / Path(name).name).write_bytes((shared_corpus / name).read_bytes())
    one = extract(corpus, config=ExtractConfig(workers=1), progress=False)
    two = extract(corpus, config=ExtractConfig(workers=2), progress=False)
    pd.testing.assert_frame_equal(one, two)
    assert (one["status"] == "ok").sum() == 6


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses fork to patch the worker")
def test_corpus_timeout_kills_the_file_not_the_run(tmp_path, monkeypatch):
    import time

    import framelens.corpus.executors.worker as worker

    real = worker.process_file

    def slow(task):
        if task["path"].endswith("slow.txt"):
            time.sleep(60)
        return real(task)

    monkeypatch.setattr(worker, "process_file", slow)
    assert mp.get_all_start_methods()
    (tmp_path / "slow.txt").write_text("A text that never finishes. " * 20)
    (tmp_path / "fast.txt").write_text("A text that finishes quickly enough for everyone. " * 20)
    t0 = time.monotonic()
    docs = extract(
        tmp_path, config=ExtractConfig(workers=2, timeout_s=1.5), progress=False
    ).set_index("doc_id")
    assert time.monotonic() - t0 < 30
    assert docs.loc["slow", "error"] == Errors.W112.format(seconds=1.5)
    assert docs.loc["fast", "status"] == "ok"


def test_corpus_page_limit_reads_first_pages_and_notes_it(tmp_path):
    (tmp_path / "long.pdf").write_bytes(text_pdf(pages=4))
    docs = extract(tmp_path, config=ExtractConfig(workers=1, max_pages=2), progress=False)
    row = docs.iloc[0]
    assert row["status"] == "ok" and row["n_pages"] == 4 and pd.isna(row["error"])
    assert "Secci" in row["text"] and row["text"].count("Secci") == 2
    assert docs.attrs["notes"]["long"] == [Errors.W113.format(n=4, limit=2)]


# --------------------------------------------------------------------------- readers alone
def test_corpus_readers_return_one_record():
    ex = extract_pdf(text_pdf(pages=2), engine="pypdfium2")
    assert ex.status == "ok" and ex.n_pages == 2 and ex.extractor.startswith("pypdfium2")
    assert "pdf_metadata" in ex.dates
    ex = extract_html(HTML_1252.encode("cp1252"))
    assert ex.status == "ok" and ex.meta["encoding"] == "cp1252" and ex.title == "Niñez migrante"
    ex = extract_html(b"<html><body><script>var x = 1;</script></body></html>")
    assert (ex.status, ex.error) == ("empty", Errors.W107)
    ex = extract_text("Título\n---\nTexto con acentos: migración.".encode("utf-16"))
    assert ex.status == "ok" and ex.text == "Texto con acentos: migración." and ex.title == "Título"
    ex = extract_text(png_bytes())
    assert ex.error == Errors.W108.format(kind="PNG image")


def test_corpus_empty_folder_is_a_usage_error(tmp_path):
    from framelens.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"\[E007\] No documents found"):
        extract(tmp_path, progress=False)
    with pytest.raises(ConfigError, match=r"\[E004\] Corpus folder .* does not exist"):
        extract(tmp_path / "nowhere", progress=False)
