"""The corpus stage on the real documents of ../shared/corpus (skipped when absent).

The whole corpus is extracted once per session into a temporary cache, with the fast PDF engine
(pypdfium2: pdfplumber, the reference engine, needs 5-10 minutes of CPU for the 58 PDFs, 1,370
pages, too long for the suite); the same post-processing and metadata rules apply to both
engines, and ``test_corpus_engines_agree_on_shared_pdfs`` checks pdfplumber on a sample. Set
``FRAMELENS_TEST_PDF_ENGINE=pdfplumber`` to run this file with the reference engine (it passes
too). The second extraction (without manifests) reads every text from that cache.
"""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from framelens.core.config import ExtractConfig
from framelens.corpus import (
    extract,
    extract_pdf,
    extract_summary,
    language_disagreements,
    quarantine_table,
)
from framelens.schemas import validate

pytestmark = pytest.mark.corpus

#: Shared documents that cannot be read, with the reason. None: every document is read.
UNREADABLE: dict[str, str] = {}

ENGINE = os.environ.get("FRAMELENS_TEST_PDF_ENGINE", "pypdfium2")
COMPARED = ["country", "language", "date", "date_signed", "issuer", "doc_type", "title"]


@pytest.fixture(scope="session")
def extract_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("extract-cache")


@pytest.fixture(scope="session")
def manifest_table(shared_corpus) -> pd.DataFrame:
    parts = []
    for sub in ("us", "mx"):
        m = pd.read_csv(shared_corpus / sub / "manifest.csv", dtype=str, keep_default_na=False)
        parts.append(
            m.assign(path=sub + "/" + m["file"], has_date_signed="date_signed" in m.columns)
        )
    return pd.concat(parts, ignore_index=True).fillna("")


@pytest.fixture(scope="session")
def shared_docs(shared_corpus, extract_cache) -> pd.DataFrame:
    cfg = ExtractConfig(workers=2, pdf_engine=ENGINE)
    return extract(shared_corpus, config=cfg, cache_dir=extract_cache, progress=False)


@pytest.fixture(scope="session")
def inferred_docs(shared_corpus, extract_cache, shared_docs) -> pd.DataFrame:
    cfg = ExtractConfig(workers=2, pdf_engine=ENGINE, use_manifest=False)
    return extract(shared_corpus, config=cfg, cache_dir=extract_cache, progress=False)


def _none(v):
    return None if v is None or (isinstance(v, float) and v != v) or v == "" else v


# --------------------------------------------------------------------------- reading
def test_corpus_shared_every_document_is_read(shared_docs, manifest_table):
    # the count comes from the manifests (217 documents since the corpus grew from 165)
    assert len(shared_docs) == len(manifest_table) > 0
    assert validate(shared_docs, "documents") is not None
    assert shared_docs["doc_id"].is_monotonic_increasing and shared_docs["doc_id"].is_unique
    bad = shared_docs[shared_docs["status"] != "ok"]
    assert dict(zip(bad["doc_id"], bad["error"], strict=True)) == UNREADABLE
    assert quarantine_table(shared_docs).empty
    ok = shared_docs[shared_docs["status"] == "ok"]
    assert (ok["n_chars"] > 500).all(), ok.loc[ok["n_chars"] <= 500, ["doc_id", "n_chars"]]
    assert ok["error"].isna().all()
    assert (ok.loc[ok["format"] == "pdf", "n_pages"] > 0).all()
    assert ok.loc[ok["format"] != "pdf", "n_pages"].isna().all()
    assert not ok["text"].str.contains("\x00").any()
    # the cache was used for nothing in this first pass, and timing is recorded
    assert shared_docs.attrs["timing"]["n_extracted"] == len(manifest_table)


def test_corpus_shared_manifest_metadata_equals_manifest(shared_docs, manifest_table):
    merged = manifest_table.merge(shared_docs, on="doc_id", suffixes=("_m", ""), validate="1:1")
    assert (merged["path_m"] == merged["path"]).all()
    for col in COMPARED:
        rows = merged if col != "date_signed" else merged[merged["has_date_signed"]]
        expected = rows[f"{col}_m"].map(_none)
        got = rows[col].map(_none)
        diff = rows.loc[
            expected.ne(got) & ~(expected.isna() & got.isna()), ["doc_id", f"{col}_m", col]
        ]
        assert diff.empty, f"{col} differs from the manifest:\n{diff.to_string()}"
    assert set(shared_docs["date_source"]) == {"manifest", "missing"}
    assert (shared_docs["language_declared"] == shared_docs["language"]).all()
    assert language_disagreements(shared_docs).empty


def _readme_counts(readme: Path) -> dict[tuple[str, str, str], int]:
    """Parse the 'What is here' table of the corpus README into {(country, admin, format): n}."""
    block = readme.read_text(encoding="utf-8").split("```")[1]
    lines = [ln for ln in block.splitlines() if ln.strip()]
    formats = lines[0].split()[1:-1]  # "format html pdf txt total"
    counts, country = {}, None
    for line in lines[1:]:
        m = re.search(rf"((?:\s+\d+){{{len(formats) + 1}}})\s*$", line)
        if not m or line.startswith("total"):
            continue
        label = line[: m.start()].strip()
        if not line[0].isspace():
            country, label = label.split(maxsplit=1)
        for fmt, n in zip(formats, m[1].split()[: len(formats)], strict=True):
            counts[(country, label, fmt)] = int(n)
    return counts


def test_corpus_shared_administration_counts_match_readme(
    shared_docs, shared_corpus, manifest_table
):
    expected = _readme_counts(shared_corpus / "README.md")
    assert sum(expected.values()) == len(manifest_table)
    got = shared_docs.groupby(["country", "administration", "format"]).size().to_dict()
    got = {k: v for k, v in got.items() if v}
    assert got == {k: v for k, v in expected.items() if v}
    summary = extract_summary(shared_docs)
    assert summary["n_documents"].sum() == len(manifest_table)
    assert summary.iloc[0][["country", "administration"]].tolist() == ["US", "Trump I"]


def test_corpus_shared_signed_by_biden_published_under_trump(shared_docs, inferred_docs):
    for docs in (shared_docs, inferred_docs):
        eo = docs[docs["doc_id"].str.contains("executive-order-1414[56]")]
        assert len(eo) == 2
        assert set(eo["date"]) == {"2025-01-24"}
        assert set(eo["date_signed"]) == {"2025-01-19"}
        assert set(eo["administration"]) == {"Biden"}


# --------------------------------------------------------------------------- inference
def _agreement(inferred_docs: pd.DataFrame, manifest_table: pd.DataFrame) -> pd.DataFrame:
    merged = manifest_table.merge(inferred_docs, on="path", suffixes=("_m", ""), validate="1:1")
    rows = []
    for col in ["language", "country", "date", "issuer", "doc_type", "date_signed"]:
        sub = merged if col != "date_signed" else merged[merged["has_date_signed"]]
        expected, got = sub[f"{col}_m"].map(_none), sub[col].map(_none)
        same = (expected == got) | (expected.isna() & got.isna())
        where_set = expected.notna()
        rows.append(
            {
                "column": col,
                "n": len(sub),
                "agree": same.mean(),
                "n_manifest_set": int(where_set.sum()),
                "agree_where_set": same[where_set].mean(),
            }
        )
    return pd.DataFrame(rows).set_index("column")


def test_corpus_shared_inferred_metadata_agree_with_manifest(inferred_docs, manifest_table, capsys):
    assert len(inferred_docs) == len(manifest_table)
    assert inferred_docs.attrs["timing"]["n_extracted"] == 0  # every text came from the cache
    assert inferred_docs.attrs["manifests"] == []
    assert inferred_docs["doc_id"].str.match(r"^(us|mx)/").all()  # derived from the path
    table = _agreement(inferred_docs, manifest_table)
    with capsys.disabled():
        print("\ninferred metadata vs manifest (shared corpus, no manifest used):")
        print(table.round(3).to_string())
    assert table.loc["language", "agree"] >= 0.98
    # measured: country 1.000, date 0.994 (162/162 where the manifest has a date), issuer 1.000,
    # doc_type 0.952, date_signed 1.000 where the manifest has one. Floors catch regressions.
    assert table.loc["country", "agree"] >= 0.97
    assert table.loc["date", "agree_where_set"] >= 0.97
    assert table.loc["issuer", "agree"] >= 0.90
    assert table.loc["doc_type", "agree"] >= 0.85
    assert table.loc["date_signed", "agree_where_set"] >= 0.95


def test_corpus_shared_inferred_dates_have_sources(inferred_docs):
    assert set(inferred_docs["date_source"]) <= {"document", "url", "pdf_metadata", "missing"}
    assert (inferred_docs["date_source"] == "document").mean() > 0.9
    dated = inferred_docs["date"].notna()
    assert (inferred_docs.loc[~dated, "date_source"] == "missing").all()


# --------------------------------------------------------------------------- known features
def _pre_text(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8").replace("\x00", "")
    pre = "\n".join(re.findall(r"<pre>(.*?)</pre>", raw, flags=re.S))
    return re.sub(r"\s+", "", unescape(re.sub(r"<[^>]+>", "", pre)))


def test_corpus_govinfo_html_with_nul_bytes_keeps_full_text(shared_docs, shared_corpus):
    fr_html = shared_docs[
        (shared_docs["issuer"] == "Federal Register") & (shared_docs["format"] == "html")
    ]
    assert len(fr_html) == 28
    per_page_html = []
    for row in fr_html.itertuples():
        path = shared_corpus / row.path
        assert b"\x00" in path.read_bytes()
        visible = _pre_text(path)
        text = re.sub(r"\s+", "", row.text)
        assert len(text) >= 0.97 * len(visible), row.doc_id
        assert "THEWHITEHOUSE" in text and "Billingcode" in text, row.doc_id
        m = re.search(r"\[Pages? (\d+)(?:-(\d+))?\]", row.text)
        per_page_html.append(row.n_chars / (int(m[2] or m[1]) - int(m[1]) + 1))
    fr_pdf = shared_docs[
        (shared_docs["issuer"] == "Federal Register") & (shared_docs["format"] == "pdf")
    ]
    per_page_pdf = fr_pdf["n_chars"] / fr_pdf["n_pages"]
    ratio = pd.Series(per_page_html).median() / per_page_pdf.median()
    assert 0.7 < ratio < 1.6  # the same kind of page yields the same amount of text


def test_corpus_dof_html_entities_decode_to_accents(shared_docs, shared_corpus):
    row = shared_docs.set_index("doc_id").loc["mx-dof-nd-acuerdo-conagua-rio-canas"]
    raw = (shared_corpus / row["path"]).read_bytes()
    assert max(raw) < 128 and b"&oacute;" in raw  # ASCII with entities, no charset declared
    assert "hidrológica" in row["text"] and "Río Cañas" in row["text"]
    assert "&oacute;" not in row["text"] and "Ã" not in row["text"]


def test_corpus_pdf_running_headers_and_page_numbers_removed(shared_docs):
    law = shared_docs.set_index("doc_id").loc["mx-diputados-20240527-ley-de-migracion"]
    text = law["text"]
    assert law["n_pages"] == 69
    assert "Secretaría de Servicios Parlamentarios" not in text
    assert not re.search(r"^\d+ de 69$", text, flags=re.M)
    assert text.count("CÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN") == 0
    assert text.startswith(
        "LEY DE MIGRACIÓN\nNueva Ley publicada"
    )  # the title under the running head stays
    eo = shared_docs.set_index("doc_id").loc[
        "us-fr-20250124-executive-order-14145-helping-left-behind"
    ]
    assert "VerDate" not in eo["text"] and "Presidential Documents 8107" not in eo["text"]
    assert "Innovation Hubs" in eo["text"]  # "Inno-\nvation" joined across the line break
    assert "long-term" in eo["text"]  # a real compound keeps its hyphen


def test_corpus_engines_agree_on_shared_pdfs(shared_corpus):
    """pdfplumber (reference) and pypdfium2 give the same metadata and nearly the same words."""
    for name in (
        "us-fr-20250124-executive-order-14145-helping-left-behind.pdf",
        "us-fr-20250124-executive-order-14146-partial-revocation-of.pdf",
    ):
        data = (shared_corpus / "us" / name).read_bytes()
        plumber = extract_pdf(data, engine="pdfplumber")
        pdfium = extract_pdf(data, engine="pypdfium2")
        assert plumber.status == pdfium.status == "ok"
        assert plumber.n_pages == pdfium.n_pages == 3 if "14145" in name else True
        words_a = set(re.findall(r"\w+", plumber.text.lower()))
        words_b = set(re.findall(r"\w+", pdfium.text.lower()))
        assert len(words_a & words_b) / len(words_a | words_b) > 0.95
        assert "VerDate" not in plumber.text
        assert plumber.extractor.startswith("pdfplumber")
