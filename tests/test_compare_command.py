"""``framelens compare`` on a user's table: the tables it writes, its coded errors, and its
calibration on generated tables where the truth is known (no difference between groups).

Calibration (unequal spread and size under the null): for each data-generating process below,
R tables of two administrations with equal means are compared; the permutation test's
false-positive rate at 5% and the coverage of the 95% interval of the difference are measured.
With R = 250 the binomial SE of a 5% rate (and of a 95% coverage) is 1.38 points; the bands
are 2-8% and 91-99%. The figures measured with R = 1000 are in docs/statistics.md, section 11.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from framelens.core.errors import ConfigError
from framelens.core.seeding import rng as seeded_rng
from framelens.pipeline.compare import compare_table, run_compare
from framelens.schemas import columns_of, validate

FAST = {"n_boot": 299, "n_perm": 299}


def user_table(seed: int = 5) -> pd.DataFrame:
    """A user's own scores: one row per document, two numeric measures and hand codes."""
    rng = np.random.default_rng(seed)
    rows = []
    spans = {("US", "Trump I"): "2019-03-01", ("US", "Biden"): "2022-05-01",
             ("MX", "López Obrador"): "2020-02-01", ("MX", "Sheinbaum"): "2025-03-01"}  # fmt: skip
    for i, ((country, admin), date) in enumerate(spans.items()):
        for j in range(9 + 2 * i):
            rows.append({"doc": f"{country}-{i}-{j}", "country": country,
                         "administration": admin, "date": date,
                         "agency": f"agency {j % 3}", "genre": ["order", "speech"][j % 2],
                         "my_index": round(float(rng.normal(-0.2 + 0.1 * i, 0.3)), 4),
                         "coded_security": int(rng.random() < 0.4 + 0.05 * i)})  # fmt: skip
    df = pd.DataFrame(rows)
    df.loc[3, "my_index"] = np.nan  # a missing value, left empty in the CSV
    return df


def test_compare_command_writes_the_comparison_tables_from_a_csv(tmp_path):
    path = tmp_path / "scores.csv"
    user_table().to_csv(path, index=False)
    run = run_compare(path, ["my_index", "coded_security"], out=tmp_path / "out", seed=3, **FAST)
    tables = tmp_path / "out" / "tables"
    for name in ("frame_by_group", "frame_differences", "frame_composition",
                 "frame_differences_adjusted"):  # fmt: skip
        for fmt in ("csv", "parquet"):
            assert (tables / f"{name}.{fmt}").exists()
        written = pd.read_parquet(tables / f"{name}.parquet")
        assert list(written.columns) == columns_of(name)
        validate(written, name)
    groups = pd.read_parquet(tables / "frame_by_group.parquet")
    assert set(groups["measure"]) == {"my_index", "coded_security"}
    biden = groups[(groups["measure"] == "my_index") & (groups["administration"] == "Biden")]
    df = user_table()
    assert biden["mean"].iloc[0] == pytest.approx(
        df.loc[df["administration"] == "Biden", "my_index"].mean()
    )
    trump = groups[(groups["measure"] == "my_index") & (groups["administration"] == "Trump I")]
    assert (trump["n_docs"].iloc[0], trump["n_missing"].iloc[0]) == (8, 1)
    diffs = pd.read_parquet(tables / "frame_differences.parquet")
    assert {"administration", "country"} <= set(diffs["comparison"])  # dates: joint periods too
    record = json.loads((tmp_path / "out" / "compare.json").read_text())
    assert record["values"] == ["my_index", "coded_security"] and len(record["input_sha256"]) == 64
    assert record["settings"]["seed"] == 3
    # the same input and seed give the same tables; the function equals the in-memory call
    again, _ = compare_table(df, ["my_index", "coded_security"], seed=3, **FAST)
    pd.testing.assert_frame_equal(run.result.groups, again.groups)


def test_compare_command_parquet_cluster_and_derived_administration(tmp_path):
    df = user_table().drop(columns=["administration"])
    path = tmp_path / "scores.parquet"
    df.to_parquet(path)
    run = run_compare(path, ["my_index"], out=tmp_path / "o", cluster="agency", seed=1, **FAST)
    g = run.result.groups
    assert set(g["administration"]) == {"Trump I", "Biden", "López Obrador", "Sheinbaum"}
    assert set(g["resampling"]) == {"agency clusters"} and (g["n_units"] <= 3).all()
    assert any("derived from country and date" in n for n in run.record["notes"])


def test_compare_command_stratum_gives_within_stratum_and_standardised_differences(tmp_path):
    run = run_compare(user_table(), ["my_index"], out=tmp_path, stratum="genre", seed=2, **FAST)
    adjusted = pd.read_parquet(tmp_path / "tables" / "frame_differences_adjusted.parquet")
    biden = adjusted[adjusted["group_b"] == "Biden"]
    assert {"raw", "within_genre", "standardised", "genre"} <= set(biden["estimator"])
    raw = biden[biden["estimator"] == "raw"].iloc[0]
    diff = run.result.differences
    assert raw["difference"] == pytest.approx(
        diff.loc[diff["group_b"] == "Biden", "difference"].iloc[0]
    )
    assert set(biden.loc[biden["estimator"] == "genre", "genres_used"]) <= {"order", "speech"}
    composition = pd.read_parquet(tmp_path / "tables" / "frame_composition.parquet")
    assert composition["doc_types"].str.contains("order").all()


def test_compare_command_coded_errors(tmp_path):
    df = user_table()
    with pytest.raises(ConfigError, match=r"\[E023\].*missing_col"):
        compare_table(df, ["missing_col"], seed=1)
    with pytest.raises(ConfigError, match=r"\[E023\].*'issuer'"):
        compare_table(df, ["my_index"], cluster="issuer", seed=1)
    with pytest.raises(ConfigError, match=r"\[E023\].*'doc_type'"):
        run_compare(df, ["my_index"], stratum="doc_type", out=tmp_path / "o", seed=1)
    bad = df.astype({"my_index": object})
    bad.loc[[4, 7], "my_index"] = ["high", "yes"]
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(ConfigError, match=r"\[E061\].*'my_index'.*2 value.*'high'.*rows 6, 9"):
        run_compare(path, ["my_index"], out=tmp_path / "o", seed=1)
    with pytest.raises(ConfigError, match=r"\[E026\]"):
        run_compare(tmp_path / "scores.xlsx", ["my_index"], seed=1)
    with pytest.raises(ConfigError, match=r"\[E060\].*no such file"):
        run_compare(tmp_path / "absent.csv", ["my_index"], seed=1)
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(ConfigError, match=r"\[E060\]"):
        run_compare(tmp_path / "broken.parquet", ["my_index"], seed=1)
    with pytest.raises(ConfigError, match=r"\[E025\]"):
        compare_table(df, [], seed=1)
    assert not (tmp_path / "o").exists()  # nothing written on an error


def test_compare_command_is_registered_in_the_cli(tmp_path):
    from typer.testing import CliRunner

    from framelens.cli import app

    names = {c.name for c in app.registered_commands}
    if "compare" not in names:
        pytest.skip("`framelens compare` is not wired into cli.py yet")
    path = tmp_path / "scores.csv"
    user_table().to_csv(path, index=False)
    args = ["compare", "--input", str(path), "--value", "my_index", "--value",
            "coded_security", "--by", "country,administration", "--out", str(tmp_path / "o"),
            "--n-boot", "199", "--n-perm", "199"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "tables" / "frame_differences.csv").exists()
    bad = CliRunner().invoke(app, ["compare", "--input", str(path), "--value", "nope"])
    assert bad.exit_code == 2 and "E023" in bad.output


# ---------------------------------------------------------------- calibration under the null
def _normal(sd):
    return lambda rng, n: rng.normal(0.0, sd, n)


def _plus_minus_one(rng, n):
    return rng.choice([-1.0, 1.0], n)


def _lognormal_centred(rng, n):
    return rng.lognormal(0.0, 1.0, n) - np.exp(0.5)


def _point_mass_index(rng, n):
    """45% of documents at exactly -1, the rest 2 Beta(2, 2) - 1: mean -0.45."""
    return np.where(rng.random(n) < 0.45, -1.0, 2 * rng.beta(2, 2, n) - 1)


def _skewed_index(rng, n):
    """2 Beta(1.1, 2.9) - 1: mean -0.45, a different spread and shape."""
    return 2 * rng.beta(1.1, 2.9, n) - 1


#: name -> (n_a, n_b, draw_a, draw_b, true difference b - a)
DGPS = {
    "calm 30 vs wild 8 (+-1)": (30, 8, _normal(0.1), _plus_minus_one, 0.0),
    "wild 30 (+-1) vs calm 8": (30, 8, _plus_minus_one, _normal(0.1), 0.0),
    "calm 40 vs skewed 6": (40, 6, _normal(0.2), _lognormal_centred, 0.0),
    "point mass 25 vs skewed 10": (25, 10, _point_mass_index, _skewed_index, 0.0),
}
#: Where the current ``compare`` misses a band (measured with R = 1000, 999 resamples each;
#: docs/statistics.md section 11). Marked, not hidden: each is a known limit to fix or state.
KNOWN_SIZE_FAILURES = {
    "calm 40 vs skewed 6": "size 12.7% (R = 1000) with the studentized (Welch) permutation "
    "test: six documents from a strongly skewed (lognormal) distribution; the raw-difference "
    "test it replaced gave a larger size (see docs/statistics.md section 11)",
}
KNOWN_COVERAGE_FAILURES = {
    "calm 30 vs wild 8 (+-1)": "over-covers, 99.7% (R = 1000): the interval of a group of 8 "
    "documents scored +-1 is too wide (conservative, costs power)",
    "calm 40 vs skewed 6": "under-covers, 90.0% (R = 1000): six documents from a strongly "
    "skewed distribution",
}


def simulate(name: str, n_rep: int, n_boot: int = 499, n_perm: int = 499) -> dict[str, float]:
    """False-positive rate (p_perm <= 0.05) and coverage of the truth by the interval."""
    n_a, n_b, draw_a, draw_b, truth = DGPS[name]
    rng = seeded_rng(2024, "compare-dgp", name)
    rejected = covered = 0
    for r in range(n_rep):
        table = pd.DataFrame({"country": "US", "administration": ["Trump I"] * n_a + ["Biden"] * n_b,
                              "value": np.concatenate([draw_a(rng, n_a), draw_b(rng, n_b)])})  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result, _ = compare_table(table, ["value"], seed=r, n_boot=n_boot, n_perm=n_perm)
        d = result.differences.iloc[0]
        rejected += int(d["p_perm"] <= 0.05)
        covered += int(d["ci_low"] <= truth <= d["ci_high"])
    return {"fpr": rejected / n_rep, "coverage": covered / n_rep}


_CACHE: dict[str, dict[str, float]] = {}


def _figures(name: str) -> dict[str, float]:
    if name not in _CACHE:
        _CACHE[name] = simulate(name, 250, n_boot=199, n_perm=199)
    return _CACHE[name]


def _marked(known: dict[str, str]) -> list:
    return [
        pytest.param(n, marks=pytest.mark.xfail(reason=known[n], strict=False)) if n in known else n
        for n in DGPS
    ]


@pytest.mark.parametrize("name", _marked(KNOWN_SIZE_FAILURES))
def test_compare_command_false_positive_rate_under_unequal_spread_and_size(name):
    fpr = _figures(name)["fpr"]
    assert 0.02 <= fpr <= 0.08, f"{name}: false-positive rate {fpr:.3f}"


@pytest.mark.parametrize("name", _marked(KNOWN_COVERAGE_FAILURES))
def test_compare_command_interval_coverage_under_unequal_spread_and_size(name):
    coverage = _figures(name)["coverage"]
    assert 0.91 <= coverage <= 0.99, f"{name}: coverage {coverage:.3f}"
