"""The demo corpus is real PDFs and HTML, both languages, both countries, >= 4 administrations."""

import csv

import pdfplumber

from framelens.core.domain import administration_for
from framelens.demo import write_demo_corpus


def test_demo_corpus_contents(tmp_path):
    folder = write_demo_corpus(tmp_path / "demo")
    rows = list(csv.DictReader(open(folder / "manifest.csv", encoding="utf-8")))
    assert len(rows) >= 12
    assert {r["format"] for r in rows} == {"pdf", "html"}
    assert {r["language"] for r in rows} == {"en", "es"}
    assert {r["country"] for r in rows} == {"US", "MX"}
    admins = {administration_for(r["country"], r["date"]) for r in rows}
    assert len(admins) >= 4
    for r in rows:
        data = (folder / r["file"]).read_bytes()
        if r["format"] == "pdf":
            assert data.startswith(b"%PDF")
            with pdfplumber.open(folder / r["file"]) as pdf:
                text = "\n".join(p.extract_text() or "" for p in pdf.pages)
                assert len(pdf.pages) >= 2  # headers/footers repeat across pages
            assert "SYNTHETIC" in text.upper() or "SINTETICO" in text.upper()
        else:
            assert b"<html" in data


def test_demo_corpus_is_byte_identical(tmp_path):
    a = write_demo_corpus(tmp_path / "a")
    b = write_demo_corpus(tmp_path / "b")
    for p in sorted(a.iterdir()):
        assert p.read_bytes() == (b / p.name).read_bytes(), p.name
