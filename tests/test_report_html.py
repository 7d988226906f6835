"""The HTML report: self-contained, no scripts, escaped document text, numbers from the tables,
propositions worded by their intervals, missing optional tables stated."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from framelens.analysis.stats.propositions import propositions as judge
from framelens.core.io import read_table
from framelens.outputs.report import proposition_sections, render_report
from test_compare_synthetic import INJECTED_TITLES, make_output_dir

DPI = 40  # small embedded figures keep the tests fast


def propositions(frame_by_group, frame_differences, cooccurrence_by_group):
    """The report's proposition sections of the ``propositions`` table judged from these."""
    present = {
        name
        for name, table in (
            ("frame_by_group", frame_by_group),
            ("frame_differences", frame_differences),
            ("cooccurrence_by_group", cooccurrence_by_group),
        )
        if table is not None
    }
    table = judge(frame_by_group, frame_differences, cooccurrence_by_group)
    return proposition_sections(table, present)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = make_output_dir(tmp_path_factory.mktemp("run"))  # compare_all writes propositions
    assert (out / "tables" / "propositions.parquet").exists()
    return out


@pytest.fixture(scope="module")
def html(run_dir) -> str:
    path = render_report(run_dir, figure_dpi=DPI)
    assert path == run_dir / "report" / "index.html"
    return path.read_text(encoding="utf-8")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.errors: list[str] = []

    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.open[-3:]})")
        else:
            self.open.pop()


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_report_has_no_scripts_and_no_external_requests(html):
    assert "<script" not in html.lower()
    parsed = _parse(html)
    assert not parsed.errors and not parsed.open
    for tag, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("src", "href", "action", "data", "poster"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("data:image/png;base64,", "#")), (tag, key, value[:60])
        assert tag not in ("script", "iframe", "object", "embed", "link", "base", "form")
    assert "default-src 'none'" in html  # Content-Security-Policy
    assert "@import" not in html and "url(" not in html
    imgs = [a for t, a in parsed.tags if t == "img"]
    assert len(imgs) == 7 and all(a["src"].startswith("data:image/png;base64,") for a in imgs)


def test_report_escapes_document_derived_text(html):
    for injected in INJECTED_TITLES:
        assert injected not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "mx/&lt;script&gt;alert(3)&lt;/script&gt;.html" in html  # quarantined path
    assert "synthetic &lt;b&gt;test&lt;/b&gt; corpus" in html  # run.json text
    assert "onerror=" not in html.replace("onerror=&#34;", "")


def test_report_contains_the_numbers_of_the_tables(run_dir, html):
    tables = run_dir / "tables"
    g = read_table(tables, "frame_by_group")
    fi = g[g["measure"] == "framing_index"]
    for r in fi.itertuples():
        assert f"{r.mean:.3f}" in html
        if pd.notna(r.ci_low):
            assert f"[{r.ci_low:.3f}, {r.ci_high:.3f}]" in html
    d = read_table(tables, "frame_differences")
    for r in d[d["measure"] == "framing_index"].itertuples():
        assert f"{r.difference:.3f}" in html and f"[{r.ci_low:.3f}, {r.ci_high:.3f}]" in html
    reg = read_table(tables, "frame_regression")
    for r in reg[reg["measure"] == "framing_index"].itertuples():
        assert f"{r.coef:.3f}" in html
    co = read_table(tables, "cooccurrence_by_group")
    r = co[co["administration"] == "Biden"].iloc[0]
    assert f"{100 * r['hum_in_sec_share']:.1f}%" in html
    v = read_table(tables, "lexicon_validation")
    assert f"{v['f1'].iloc[0]:.2f}" in html
    run = json.loads((run_dir / "run.json").read_text())
    assert run["corpus_hash"] in html and run["git_commit"] in html


def test_report_sections_and_propositions(html):
    for heading in ("1. Corpus", "2. Methods", "3. Results", "4. The hypothesis, tested",
                    "5. Limitations", "6. Provenance"):  # fmt: skip
        assert heading in html
    for pid in ("P1", "P2", "P3", "P4"):
        assert f'id="{pid}"' in html
    assert "the interval includes zero" in html
    assert "encrypted PDF (password required)" in html  # quarantine reason
    assert "Peña Nieto (n=3)" in html  # small group listed in the limitations
    assert "HTML (read)" in html and "PDF (read)" in html  # documents by format
    assert "lexicon version <strong>1.0.0</strong>" in html
    assert "k = 4 topics" in html and "seed 11" in html


def test_report_propositions_follow_the_intervals():
    g = pd.DataFrame(
        {
            "measure": "framing_index",
            "country": ["US", "US", "MX"],
            "administration": ["Trump I", "Biden", "Sheinbaum"],
            "comparable": True,
            "n_docs": [30, 30, 3],
            "mean": [-0.5, 0.05, 0.6],
            "ci_low": [-0.7, -0.1, 0.2],
            "ci_high": [-0.3, 0.2, 0.9],
            "small_n": [False, False, True],
            "min_n": 5,
        }
    )
    d = pd.DataFrame(
        {
            "measure": "framing_index",
            "comparison": "administration",
            "country": "US",
            "group_a": ["Trump I"],
            "group_b": ["Biden"],
            "contrast": ["Biden - Trump I"],
            "n_a": [30],
            "n_b": [30],
            "difference": [0.55],
            "ci_low": [0.3],
            "ci_high": [0.8],
            "p_perm": [0.001],
            "p_holm": [0.2],
            "small_n": [False],
            "period": [None],
        }
    )
    p1, p2, p3, p4 = propositions(g, d, None)
    status = [r["status"] for r in p1["rows"]]
    assert status == ["supports", "inconclusive", "contrary"]
    assert "includes zero" in p1["rows"][1]["verdict"]
    assert "read with caution" in p1["rows"][2]["caution"]
    assert "Supported in 1 of 3" in p1["summary"]
    assert not p2["available"] and "could not be assessed" in p2["summary"]
    assert (
        "rose" in p3["rows"][0]["verdict"]
        and "Holm-adjusted p-value is not below" in (p3["rows"][0]["verdict"])
    )
    assert "1 of 3 administrations" in p3["summary"]
    assert p4["rows"] == []


def test_report_handles_missing_optional_tables(tmp_path, run_dir):
    out = tmp_path / "partial"
    (out / "tables").mkdir(parents=True)
    for name in ("frame_by_group", "documents", "quarantine"):
        for f in (run_dir / "tables").glob(f"{name}.*"):
            shutil.copy(f, out / "tables" / f.name)
    path = render_report(out, figure_dpi=DPI)
    text = path.read_text(encoding="utf-8")
    assert "No topic tables in this run" in text
    assert "not validated" in text
    assert "No run.json was found" in text
    assert "P2 could not be assessed" in text
    assert "<script" not in text.lower()
    assert not _parse(text).errors


def test_report_re_renders_byte_identically(run_dir, html):
    again = render_report(run_dir, figure_dpi=DPI).read_text(encoding="utf-8")
    assert again == html


def test_report_shows_composition_adjusted_differences_and_comparability(run_dir, html):
    tables = run_dir / "tables"
    comp = read_table(tables, "frame_composition")
    fi = comp[(comp["measure"] == "framing_index") & comp["comparable"]]
    for text in fi["composition"]:
        assert text.replace("&", "&amp;") in html
    assert "Raw, within-genre and standardised differences" in html
    adj = read_table(tables, "frame_differences_adjusted")
    std = adj[(adj["measure"] == "framing_index") & (adj["estimator"] == "standardised")
              & adj["comparable"]]  # fmt: skip
    for r in std.itertuples():
        assert f"{r.difference:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]" in html
    assert "different instruments: not comparable" in html
    assert 'class="status-notcomparable"' in html and "not read as findings" in html
    assert "no significance stars" in html and "Bell–McCaffrey" in html
    assert "equivalence margin ±0.1" in html


def test_report_verdict_classes_follow_the_verdicts():
    g = pd.DataFrame({"measure": "framing_index", "country": ["US", "US"],
                      "administration": ["Trump I", "Biden"], "comparable": True,
                      "n_docs": [30, 30], "mean": [0.0, -0.5], "ci_low": [-0.05, -0.7],
                      "ci_high": [0.05, -0.3], "small_n": False, "min_n": 5})  # fmt: skip
    p1 = propositions(g, None, None)[0]
    assert [r["status"] for r in p1["rows"]] == ["equivalent", "supports"]
    assert "equivalent to balance within the margin in 1" in p1["summary"]
