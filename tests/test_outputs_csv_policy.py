"""The CSV policy of the table store: sentence-level tables are Parquet only unless
``outputs.csv`` is ``all`` (``framelens run --csv all``); document- and group-level tables keep
their CSV. A stale sentence-level CSV from an earlier ``--csv all`` run is removed."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pandera.errors
import pytest
from typer.testing import CliRunner

from framelens.cli.common import make_config
from framelens.core.errors import EXIT_CONFIG, ConfigError
from framelens.core.io import read_optional_table, read_table
from framelens.outputs.store import (
    CSV_POLICIES,
    SENTENCE_LEVEL,
    remove_stale_csv,
    table_formats,
    write_tables,
)
from framelens.schemas import SCHEMAS, columns_of

#: Tables with a sent_id column that are not sentence-level: their rows are the coded sample
#: (a few hundred sentences at most, and read by people, so they keep their CSV).
SAMPLE_BOUND = {
    "coding_adjudication",
    "coding_design_sample",
    "coding_sample",
    "coding_sheet",
    "design_sample",
    "design_units",
    "lexicon_misclassified",
}


def _relevance(n: int = 3, version: str = "r1") -> pd.DataFrame:
    """A sentence-level table (one row per sentence)."""
    return pd.DataFrame(
        {
            "doc_id": ["d1"] * n,
            "sent_id": list(range(n)),
            "relevant": [i % 2 == 0 for i in range(n)],
            "children": [False] * n,
            "relevance_version": [version] * n,
        }
    )


def _versions() -> pd.DataFrame:
    """A document-level table (one row per document)."""
    return pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "version_group": ["g1", "g1"],
            "group_size": [2, 2],
            "similarity_to_group": [1.0, 0.93],
            "is_representative": [True, False],
        }
    )


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_default_policy_writes_sentence_tables_as_parquet_only(tmp_path):
    written = write_tables({"relevance": _relevance(), "versions": _versions()}, tmp_path)
    assert _files(tmp_path) == ["relevance.parquet", "versions.csv", "versions.parquet"]
    assert set(written["relevance"]) == {"parquet"}
    assert set(written["versions"]) == {"csv", "parquet"}
    back = read_table(tmp_path, "relevance")
    assert back["sent_id"].tolist() == [0, 1, 2]
    assert back["relevant"].tolist() == [True, False, True]


def test_all_policy_writes_csv_for_sentence_tables_too(tmp_path):
    write_tables({"relevance": _relevance(), "versions": _versions()}, tmp_path, csv="all")
    assert _files(tmp_path) == [
        "relevance.csv",
        "relevance.parquet",
        "versions.csv",
        "versions.parquet",
    ]
    csv = pd.read_csv(tmp_path / "relevance.csv")
    assert csv["sent_id"].tolist() == [0, 1, 2] and csv["relevance_version"].eq("r1").all()


def test_table_formats_follow_the_policy():
    for name in SENTENCE_LEVEL:
        assert table_formats(name) == ("parquet",)
        assert table_formats(name, "all") == ("csv", "parquet")
    assert table_formats("frame_scores") == ("csv", "parquet")
    assert table_formats("documents", "tables") == ("csv", "parquet")
    # a table with its own formats keeps them under either policy
    assert table_formats("quarantine", "tables") == table_formats("quarantine", "all") == ("csv",)


def test_stale_csv_of_an_earlier_all_run_is_removed(tmp_path):
    write_tables({"relevance": _relevance(3, "old")}, tmp_path, csv="all")
    assert (tmp_path / "relevance.csv").exists()
    write_tables({"relevance": _relevance(5, "new")}, tmp_path, csv="tables")
    assert _files(tmp_path) == ["relevance.parquet"]
    for df in (read_table(tmp_path, "relevance"), read_optional_table(tmp_path, "relevance")):
        assert len(df) == 5 and df["relevance_version"].eq("new").all()
    # a document-level table keeps its CSV whatever the policy
    write_tables({"versions": _versions()}, tmp_path, csv="all")
    write_tables({"versions": _versions()}, tmp_path, csv="tables")
    assert (tmp_path / "versions.csv").exists()


def test_invalid_table_leaves_the_stale_csv_and_everything_else(tmp_path):
    write_tables({"relevance": _relevance(3, "old")}, tmp_path, csv="all")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    bad = _relevance(3, "new").assign(sent_id=[-1, 0, 1])
    with pytest.raises(pandera.errors.SchemaErrors):
        write_tables({"versions": _versions(), "relevance": bad}, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_explicit_formats_win_over_the_policy(tmp_path):
    write_tables(
        {"relevance": _relevance()}, tmp_path, {"relevance": ("csv", "parquet")}, csv="tables"
    )
    assert _files(tmp_path) == ["relevance.csv", "relevance.parquet"]
    # Parquet without CSV, named by the caller: the now stale CSV goes too
    write_tables({"relevance": _relevance(4)}, tmp_path, {"relevance": ("parquet",)}, csv="all")
    assert _files(tmp_path) == ["relevance.parquet"]


def test_remove_stale_csv_never_removes_the_only_copy(tmp_path):
    (tmp_path / "relevance.csv").write_text("doc_id\n")
    (tmp_path / "versions.csv").write_text("doc_id\n")
    assert not remove_stale_csv(tmp_path, "relevance", ("csv",))  # CSV written now
    assert not remove_stale_csv(tmp_path, "relevance", ())  # nothing written
    assert not remove_stale_csv(tmp_path, "versions", ("parquet",))  # not sentence-level
    assert _files(tmp_path) == ["relevance.csv", "versions.csv"]
    assert remove_stale_csv(tmp_path, "relevance", ("parquet",))
    assert not remove_stale_csv(tmp_path, "relevance", ("parquet",))  # already gone
    assert _files(tmp_path) == ["versions.csv"]


@pytest.mark.parametrize("bad", ["none", "ALL", "", "sentences"])
def test_bad_policy_is_refused_before_anything_is_written(tmp_path, bad):
    with pytest.raises(ValueError, match="'tables', 'all'"):
        write_tables({"versions": _versions()}, tmp_path, csv=bad)
    with pytest.raises(ValueError, match="'tables', 'all'"):
        table_formats("relevance", bad)
    assert _files(tmp_path) == []


def test_sentence_level_set_covers_every_large_table_with_a_sent_id():
    assert CSV_POLICIES == ("tables", "all")
    assert SENTENCE_LEVEL <= set(SCHEMAS)
    with_sent_id = {name for name in SCHEMAS if "sent_id" in columns_of(name)}
    # a new table with one row per sentence must be classified here: large or sample-bound
    assert with_sent_id - SENTENCE_LEVEL == SAMPLE_BOUND
    assert "sent_id" in columns_of("sentences") and SENTENCE_LEVEL <= with_sent_id


def test_make_config_sets_the_csv_policy(tmp_path):
    assert make_config(None).outputs.csv == "tables"
    assert make_config(None, csv="all").outputs.csv == "all"
    yaml = tmp_path / "run.yaml"
    yaml.write_text("outputs:\n  csv: all\n", encoding="utf-8")
    assert make_config(yaml).outputs.csv == "all"  # the config's value without --csv
    assert make_config(yaml, csv="tables").outputs.csv == "tables"  # --csv wins
    with pytest.raises(ConfigError, match="outputs.csv"):
        make_config(None, csv="some")


@pytest.mark.parametrize("command", ["run", "extract"])
def test_cli_csv_option_reaches_the_run_config(monkeypatch, tmp_path, command):
    import framelens.cli.run as cli_run
    import framelens.pipeline as pipeline
    from framelens import cli

    seen = []

    def fake_runner(cfg, *, progress):
        seen.append(cfg.outputs.csv)
        return SimpleNamespace(exit_code=0)

    monkeypatch.setattr(pipeline, "run", fake_runner)
    monkeypatch.setattr(pipeline, "run_extract", fake_runner)
    monkeypatch.setattr(cli_run, "_summary", lambda result: None)
    runner = CliRunner()
    base = [command, "--out", str(tmp_path / "o"), "--quiet"]
    for extra, expected in (([], "tables"), (["--csv", "all"], "all")):
        res = runner.invoke(cli.app, [*base, *extra])
        assert res.exit_code == 0, res.output
        assert seen[-1] == expected
    res = runner.invoke(cli.app, [*base, "--csv", "sentences"])
    assert res.exit_code == EXIT_CONFIG and "outputs.csv" in res.output
    assert seen == ["tables", "all"]  # the bad value never reached the runner
