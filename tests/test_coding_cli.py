"""`framelens gold sample | agree | merge` through the command line."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from framelens.pipeline.coding import read_sheet
from test_coding_roundtrip import write_tiny_run


@pytest.fixture(scope="module")
def cli_app():
    from framelens import cli

    return cli.app


def test_coding_cli_round_trip(cli_app, tmp_path):
    run = write_tiny_run(tmp_path / "run")
    runner = CliRunner()
    res = runner.invoke(cli_app, ["gold", "sample", "--run", str(run), "--n", "24", "--seed", "3"])
    assert res.exit_code == 0, res.output
    sheet = read_sheet(run / "gold" / "coding_sheet.csv")
    a = sheet.assign(humanitarian="0", security="1")
    b = a.copy()
    b.loc[[0, 1], "humanitarian"] = "1"
    a.to_csv(tmp_path / "a.csv", index=False)
    b.to_csv(tmp_path / "b.csv", index=False)
    bad = a.copy()
    bad.loc[3, "security"] = "x"
    bad.to_csv(tmp_path / "bad.csv", index=False)
    res = runner.invoke(
        cli_app, ["gold", "agree", str(tmp_path / "a.csv"), str(tmp_path / "bad.csv")]
    )
    assert res.exit_code == 2 and "row 5" in res.output
    agree = ["gold", "agree", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    res = runner.invoke(cli_app, [*agree, "--out", str(tmp_path / "adj")])
    assert res.exit_code == 0, res.output
    adj = read_sheet(tmp_path / "adj" / "adjudication.csv")
    adj["humanitarian"] = "1"
    adj.to_csv(tmp_path / "adj" / "adjudication.csv", index=False)
    merge = ["gold", "merge", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]
    merge += ["--adjudicated", str(tmp_path / "adj" / "adjudication.csv")]
    merge += ["--sample", str(run / "gold" / "sample.csv"), "--out", str(tmp_path / "ds.csv")]
    res = runner.invoke(cli_app, merge)
    assert res.exit_code == 0, res.output
    merged = pd.read_csv(tmp_path / "ds.csv")
    assert merged["humanitarian"].sum() == 2 and (merged["agreement"] == 0).sum() == 2
