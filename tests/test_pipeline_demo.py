"""End to end on the built-in demo corpus: every table, figures, report, run.json, determinism.

The demo pipeline runs once per session (``demo_run`` in conftest.py) and once more here to
compare bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from framelens.outputs.run_record import stable_view
from framelens.outputs.store import SENTENCE_LEVEL, table_formats
from framelens.pipeline import run
from framelens.schemas import SCHEMAS, validate

EXPECTED_TABLES = [
    "documents",
    "quarantine",
    "sentences",
    "sentence_frames",
    "frame_scores",
    "matches",
    "cooccurrence",
    "actors",
    "topics",
    "doc_topics",
    "topic_prevalence",
    "keyness",
    "frame_by_group",
    "frame_differences",
    "frame_regression",
    "frame_timeseries",
    "cooccurrence_by_group",
    "actors_by_group",
    "topic_selection",
    "propositions",
]


def _hashes(out: Path) -> dict[str, str]:
    """Every CSV, and the Parquet of the sentence-level tables (which have no CSV by default)."""
    paths = [*(out / "tables").glob("*.csv")]
    paths += [out / "tables" / f"{name}.parquet" for name in SENTENCE_LEVEL]
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(paths)
        if p.exists()
    }


def test_pipeline_demo_writes_every_table(demo_run):
    out = demo_run.out_dir
    assert demo_run.stage_errors == {}
    for name in EXPECTED_TABLES:
        # CSV and Parquet; quarantine CSV only; sentence-level tables Parquet only (outputs.csv)
        found = {f for f in ("csv", "parquet") if (out / "tables" / f"{name}.{f}").exists()}
        assert found == set(table_formats(name, demo_run.config.outputs.csv)), name
    assert not any((out / "tables" / f"{name}.csv").exists() for name in SENTENCE_LEVEL)
    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    validate(docs, "documents")
    assert len(docs) == 24 and (docs["status"] == "ok").all()
    assert "text" not in pd.read_csv(out / "tables" / "documents.csv").columns
    for name in EXPECTED_TABLES:
        if name in SCHEMAS:
            validate(demo_run.tables[name], name)


def test_pipeline_demo_measures_frames(demo_run):
    scores = demo_run.tables["frame_scores"]
    assert len(scores) == 24
    assert (scores["hits_humanitarian"] > 0).all() and (scores["hits_security"] > 0).all()
    # the demo's Trump II documents were composed with far more security language than Biden's
    by_admin = scores.groupby("administration")["framing_index"].mean()
    assert by_admin["Trump II"] < by_admin["Biden"]


def test_pipeline_demo_figures_report_and_record(demo_run):
    out = demo_run.out_dir
    pngs = sorted((out / "figures").glob("*.png"))
    pdfs = sorted((out / "figures").glob("*.pdf"))
    assert len(pngs) >= 6 and len(pdfs) >= 6
    html = (out / "report" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html.replace("https://www.w3.org", "")
    record = json.loads((out / "run.json").read_text())
    for key in ("packages", "config", "corpus_hash", "seed", "timings", "lexicon_version"):
        assert key in record
    assert record["n_documents"] == 24
    assert record["packages"]["spacy"] != "absent"


def test_pipeline_demo_is_byte_identical_on_rerun(demo_run, make_demo_config, tmp_path):
    again = run(make_demo_config(tmp_path / "again"), progress=False)
    assert _hashes(demo_run.out_dir) == _hashes(again.out_dir)
    a = json.loads((demo_run.out_dir / "run.json").read_text())
    b = json.loads((again.out_dir / "run.json").read_text())
    a["config"]["out"] = b["config"]["out"] = None
    assert stable_view(a) == stable_view(b)
