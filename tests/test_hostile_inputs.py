"""The whole pipeline over a hostile corpus: broken, disguised, oversized and malicious files
mixed with real documents (tests/_hostile.py says what each file is and what must be recorded).

One run (module fixture) with a small per-file timeout and page limit; the tests then read its
tables, run.json and report. Nothing here is tuned to the generated files: the reasons are the
messages of ``framelens.core.errors`` and the checks hold for any hostile set.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pandas as pd
import pytest

from _hostile import XSS_BROKEN, XSS_TITLE, write_hostile_corpus
from framelens.core.config import RunConfig
from framelens.core.errors import EXIT_QUARANTINE, Errors
from framelens.pipeline import run


def _config(corpus: Path, out: Path, timeout_s: float, max_pages: int) -> RunConfig:
    cfg = RunConfig()
    cfg.corpus, cfg.out = str(corpus), str(out)
    cfg.extract.workers = 2
    cfg.extract.timeout_s = timeout_s
    cfg.extract.max_pages = max_pages
    cfg.compare.n_boot = cfg.compare.n_perm = 200
    cfg.topics.k = 6
    cfg.topics.n_seeds = 1
    cfg.topics.passes = 3
    cfg.topics.iterations = 30
    cfg.topics.n_boot = 100
    cfg.topics.min_df = 1
    cfg.lexicon.n_boot = 100
    return cfg


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, shared_corpus):
    corpus = write_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus", shared_corpus)
    out = tmp_path_factory.mktemp("hostile-out")
    result = run(_config(corpus.root, out, corpus.timeout_s, corpus.max_pages), progress=False)
    return corpus, result


def test_hostile_inputs_each_file_has_its_status_and_reason(hostile):
    corpus, result = hostile
    docs = result.documents.set_index("path")
    assert set(docs.index) == set(corpus.expected), "one row per file and refused manifest row"
    wrong = {}
    for path, exp in corpus.expected.items():
        row = docs.loc[path]
        got = (row["status"], None if pd.isna(row["error"]) else row["error"])
        if got != (exp.status, exp.reason):
            wrong[path] = got
    assert wrong == {}


def test_hostile_inputs_reasons_are_one_line_and_listed_in_quarantine(hostile):
    corpus, result = hostile
    docs = result.documents
    bad = docs[docs["status"] != "ok"]
    assert bad["error"].map(lambda e: isinstance(e, str) and e and "\n" not in e).all()
    assert docs["doc_id"].map(lambda s: s.isprintable()).all()
    assert docs["path"].map(lambda s: s.isprintable()).all()
    quarantine = pd.read_csv(result.out_dir / "tables" / "quarantine.csv", keep_default_na=False)
    assert sorted(quarantine["path"]) == sorted(bad["path"])
    assert (quarantine.set_index("path").loc[bad["path"], "error"].to_numpy() == bad["error"]).all()
    record = json.loads((result.out_dir / "run.json").read_text(encoding="utf-8"))
    n_bad = sum(e.status != "ok" for e in corpus.expected.values())
    assert record["n_quarantined"] == n_bad == len(record["quarantine"])
    assert record["n_documents"] == len(corpus.expected)
    # the documents CSV (paths with commas, quotes, escaped newlines) reads back row for row
    csv_docs = pd.read_csv(result.out_dir / "tables" / "documents.csv", keep_default_na=False)
    assert csv_docs["path"].tolist() == docs["path"].tolist()


def test_hostile_inputs_exit_code_is_quarantine(hostile):
    _, result = hostile
    assert result.exit_code == EXIT_QUARANTINE == 3
    assert result.stage_errors == {}


def test_hostile_inputs_readable_text_survives(hostile):
    corpus, result = hostile
    docs = result.documents.set_index("path")
    for path, exp in corpus.expected.items():
        text = docs.loc[path, "text"]
        for snippet in exp.contains:
            assert snippet in text, (path, snippet)
        for snippet in exp.absent:
            assert snippet not in text, (path, snippet)
    xss = docs.loc["xss.html"]
    assert xss["title"] == XSS_TITLE  # kept as the text it is; escaped when shown
    assert "alert(4)" not in xss["text"] and 'alert("head")' not in xss["text"]  # real scripts


def test_hostile_inputs_real_documents_read_and_scored(hostile):
    corpus, result = hostile
    docs = result.documents.set_index("path")
    scores = result.tables["frame_scores"]
    for path in corpus.real:
        assert docs.loc[path, "status"] == "ok", (path, docs.loc[path, "error"])
        assert docs.loc[path, "doc_id"] == corpus.real_ids[path]
        assert docs.loc[path, "date_source"] == "manifest"
    ok = docs[(docs["status"] == "ok") & docs["language"].isin(["en", "es"])]
    assert set(ok["doc_id"]) >= set(corpus.real_ids.values())
    # near-duplicate versions of one text are measured once (the representative of the group)
    kept = ok[ok["is_representative"]]
    set_aside = set(ok["doc_id"]) - set(kept["doc_id"])
    assert set_aside <= set(result.tables["version_groups"]["doc_id"])
    assert sorted(scores["doc_id"]) == sorted(kept["doc_id"])
    ok = kept
    assert (scores.set_index("doc_id").loc[ok["doc_id"], "n_tokens"] > 0).all()
    # the quarantined files reach no later table
    bad_ids = set(docs.loc[docs["status"] != "ok", "doc_id"])
    for name in ("sentences", "frame_scores", "doc_topics"):
        assert not bad_ids & set(result.tables[name]["doc_id"]), name


def test_hostile_inputs_timeout_and_page_limit_are_honoured(hostile):
    corpus, result = hostile
    docs = result.documents.set_index("path")
    assert docs.loc["form bomb.pdf", "error"] == Errors.W112.format(seconds=corpus.timeout_s)
    over = docs.loc["over the page limit.pdf"]
    assert over["n_pages"] == corpus.max_pages + 5  # every page counted, the first read
    notes = result.documents.attrs["notes"]
    for path, note in corpus.notes.items():
        assert note in notes[docs.loc[path, "doc_id"]]
    blank = docs.loc["blank pages.pdf"]
    assert blank["n_pages"] > corpus.max_pages and blank["status"] == "empty"


def test_hostile_inputs_report_shows_no_injected_markup(hostile):
    corpus, result = hostile
    report = result.out_dir / "report" / "index.html"
    html = report.read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    assert tree.xpath("//script|//iframe|//object|//embed") == []
    handlers = [
        (el.tag, name)
        for el in tree.iter()
        if isinstance(el.tag, str)
        for name in el.attrib
        if name.lower().startswith("on")
    ]
    assert handlers == []
    assert not [el for el in tree.iter("img") if el.get("src") == "x"]
    assert "<script" not in html.lower()
    # the hostile names and reasons are there, as text
    text = tree.text_content()
    assert XSS_BROKEN in text  # the quarantined file's name with markup, shown as text
    assert Errors.W111.format(file="../../etc/passwd") in text
