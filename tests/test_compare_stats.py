"""Unit tests of framelens.analysis.stats: groups, differences, Holm, regression, time series,
co-occurrence, actors, determinism, schemas and writers."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.stats import (
    CI_NONE,
    CI_STUDENTIZED,
    FRAME_MEASURES,
    bootstrap_mean,
    compare,
    compare_all,
    cooccurrence_by_group,
    holm,
    joint_periods,
    regress,
    timeseries,
)
from framelens.analysis.stats.calibrated_intervals import CI_T_SMALL
from framelens.core.config import CompareConfig
from framelens.core.io import table_to_csv_bytes
from framelens.outputs.tables import regression_to_latex, write_latex_tables, write_results
from framelens.schemas import validate
from test_compare_synthetic import make_actors, make_cooccurrence, make_frame_scores

FAST = dict(n_boot=300, n_perm=300, seed=3)


@pytest.fixture(scope="module")
def fs() -> pd.DataFrame:
    return make_frame_scores()


# ---------------------------------------------------------------------------- Holm
def test_compare_holm_matches_statsmodels():
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(0)
    for m in (1, 2, 5, 17):
        p = rng.uniform(0, 0.2, size=m)
        p[0] = p[-1]  # a tie
        np.testing.assert_allclose(holm(p), multipletests(p, method="holm")[1], rtol=0, atol=1e-15)
    with_nan = np.array([0.01, np.nan, 0.04, 0.03])
    expected = multipletests(with_nan[[0, 2, 3]], method="holm")[1]
    got = holm(with_nan)
    assert np.isnan(got[1])
    np.testing.assert_allclose(got[[0, 2, 3]], expected)


def test_compare_differences_are_holm_adjusted_within_measure(fs):
    r = compare(fs, ["framing_index", "rate_security"], **FAST)
    for _measure, d in r.differences.groupby("measure"):
        np.testing.assert_allclose(d["p_holm"], holm(d["p_perm"].to_numpy()))
        assert (d["p_holm"] >= d["p_perm"]).all()


# ---------------------------------------------------------------------------- groups
def test_compare_group_means_and_flags(fs):
    r = compare(fs, "framing_index", min_n=5, **FAST)
    g = r.groups.set_index(["country", "administration"])
    # every group is reported, including the small one and the undated ones
    assert ("MX", "Peña Nieto") in g.index and ("US", "unknown") in g.index
    pn = g.loc[("MX", "Peña Nieto")]
    assert pn["n_docs"] == 3 and bool(pn["small_n"]) and pn["ci_method"] == CI_T_SMALL
    assert not bool(g.loc[("US", "unknown"), "comparable"])
    assert g.loc[("MX", "unknown"), "ci_method"] == CI_NONE
    assert np.isnan(g.loc[("MX", "unknown"), "ci_low"])
    big = g.loc[("US", "Biden")]
    assert not bool(big["small_n"]) and big["ci_method"] == CI_STUDENTIZED
    # the estimate is the plain mean of the documents with >= 3 frame hits (min_index_hits),
    # the others counted as missing
    t1_docs = fs[(fs["country"] == "US") & (fs["administration"] == "Trump I")]
    sel = t1_docs["framing_index"].where(t1_docs["framing_n"] >= 3)
    t1 = g.loc[("US", "Trump I")]
    assert t1["mean"] == pytest.approx(sel.mean())
    assert t1["n_docs"] == sel.notna().sum() and t1["n_missing"] == sel.isna().sum() >= 2
    assert t1["n_few_hits"] == t1_docs["framing_n"].between(1, 2).sum()
    assert (g["ci_low"].dropna() <= g.loc[g["ci_low"].notna(), "mean"]).all()
    assert (g["ci_high"].dropna() >= -1).all() and (g["ci_low"].dropna() >= -1).all()
    assert set(g["weighting"]) == {"document"}
    assert any("administration unknown" in n for n in r.notes)


def test_compare_min_n_flag_follows_the_setting(fs):
    r = compare(fs, "framing_index", min_n=31, **FAST)
    assert r.groups["small_n"].all()  # every group has <= 30 documents: all flagged, none dropped
    assert len(r.groups) == 8


def test_compare_token_weighting_gives_the_pooled_rate(fs):
    r = compare(fs, "rate_security", weights="n_tokens", **FAST)
    g = r.groups.set_index(["country", "administration"])
    sel = fs[(fs["country"] == "MX") & (fs["administration"] == "Sheinbaum")]
    pooled = sel["hits_security"].sum() / sel["n_tokens"].sum() * 1000
    assert g.loc[("MX", "Sheinbaum"), "mean"] == pytest.approx(pooled)
    assert set(g["weighting"]) == {"tokens"}


def test_compare_token_weighting_gives_the_pooled_framing_index(fs):
    r = compare(fs, "framing_index", weights="n_tokens", **FAST)
    g = r.groups.set_index(["country", "administration"])
    sel = fs[(fs["country"] == "US") & (fs["administration"] == "Biden")]
    h, s = sel["hits_humanitarian"].sum(), sel["hits_security"].sum()
    row = g.loc[("US", "Biden")]
    assert row["mean"] == pytest.approx((h - s) / (h + s))  # not a token-weighted mean of indices
    assert row["pooled_share"] == pytest.approx(h / (h + s))
    assert row["ci_low"] == pytest.approx(2 * row["pooled_share_ci_low"] - 1)
    assert row["weighting"] == "hits (pooled index)" and row["n_few_hits"] == 0
    assert any("pooled ratio" in n for n in r.notes)


def test_compare_min_index_hits_and_pooled_share_columns(fs):
    every = compare(fs, "framing_index", min_index_hits=1, **FAST).groups
    default = compare(fs, "framing_index", **FAST).groups
    assert (every["n_few_hits"] == 0).all() and (default["n_few_hits"] > 0).any()
    assert (every["n_docs"] - default["n_docs"] == default["n_few_hits"]).all()
    # the pooled share counts every hit, whatever min_index_hits
    np.testing.assert_allclose(every["pooled_share"], default["pooled_share"])
    sel = fs[(fs["country"] == "MX") & (fs["administration"] == "Sheinbaum")]
    row = default.set_index(["country", "administration"]).loc[("MX", "Sheinbaum")]
    assert row["n_hits"] == sel["framing_n"].sum()
    assert row["pooled_share_ci_low"] < row["pooled_share"] < row["pooled_share_ci_high"]
    assert row["pooled_share_ci_method"].startswith("binomial GLM")
    rates = compare(fs, "rate_security", **FAST).groups
    assert rates["pooled_share"].isna().all() and (rates["n_hits"] == 0).all()
    validate(default, "frame_by_group")
    with pytest.raises(Exception, match="min_index_hits"):
        from framelens.core.config import RunConfig

        RunConfig.from_dict({"compare": {"min_index_hits": 0}})


def test_compare_differences_name_the_test_and_count_units(fs):
    d = compare(fs, "framing_index", cluster="issuer", **FAST).differences
    assert set(d["p_method"]) == {"studentized permutation (Welch t, Satterthwaite df)"}
    assert (d["n_units_a"] <= d["n_a"]).all() and (d["n_units_a"] <= 6).all()
    small = (d["n_units_a"] < 5) | (d["n_units_b"] < 5)
    assert (d["small_n"] == small).all()
    validate(d, "frame_differences")


def test_compare_cluster_bootstrap_resamples_issuers(fs):
    r = compare(fs, "framing_index", cluster="issuer", **FAST)
    g = r.groups[r.groups["n_docs"] > 0]
    assert set(g["resampling"]) == {"issuer clusters"}
    assert (g["n_units"] == g["n_issuers"]).all()
    doc = compare(fs, "framing_index", **FAST).groups
    # same point estimates (unweighted), different intervals
    np.testing.assert_allclose(r.groups["mean"], doc["mean"])
    assert not np.allclose(r.groups["ci_low"].fillna(0), doc["ci_low"].fillna(0))


def test_compare_does_not_modify_its_input(fs):
    before = fs.copy()
    compare(fs, list(FRAME_MEASURES), cluster="issuer", **FAST)
    regress(fs, "framing_index")
    timeseries(fs, "framing_index", n_boot=50, seed=1)
    pd.testing.assert_frame_equal(fs, before)


# ---------------------------------------------------------------------------- differences
def test_compare_differences_consecutive_and_joint_periods(fs):
    r = compare(fs, "framing_index", **FAST)
    d = r.differences
    adm = d[d["comparison"] == "administration"]
    assert adm["contrast"].tolist() == [
        "Biden - Trump I",
        "Trump II - Biden",
        "López Obrador - Peña Nieto",
        "Sheinbaum - López Obrador",
    ]
    row = adm.iloc[0]
    assert row["difference"] == pytest.approx(row["mean_b"] - row["mean_a"])
    assert row["ci_low"] < row["difference"] < row["ci_high"]
    ctry = d[d["comparison"] == "country"]
    assert ctry["period"].tolist() == joint_periods()["period"].tolist()[-5:]
    # documents are placed in joint periods by date
    t1_amlo = ctry[ctry["period"] == "Trump I / López Obrador"].iloc[0]
    dates = pd.to_datetime(fs["date"])
    in_period = (dates >= "2018-12-01") & (dates <= "2021-01-19") & fs["framing_index"].notna()
    assert t1_amlo["n_a"] == int((in_period & (fs["country"] == "US")).sum())
    assert t1_amlo["n_b"] == int((in_period & (fs["country"] == "MX")).sum())
    assert "unknown" not in set(d["group_a"]) | set(d["group_b"])


def test_compare_joint_periods_follow_inaugurations():
    p = joint_periods()
    first = p[p["period"] == "Trump I / López Obrador"].iloc[0]
    assert (first["start"], first["end"]) == ("2018-12-01", "2021-01-19")
    assert p.iloc[-1]["period"] == "Trump II / Sheinbaum" and pd.isna(p.iloc[-1]["end"])


def test_compare_detects_a_planted_difference_and_not_a_null_one():
    rng = np.random.default_rng(11)
    n = 40
    t = pd.DataFrame(
        {
            "country": "US",
            "administration": ["Trump I"] * n + ["Biden"] * n + ["Trump II"] * n,
            "framing_index": np.concatenate(
                [rng.normal(-0.5, 0.3, n), rng.normal(0.0, 0.3, n), rng.normal(0.0, 0.3, n)]
            ).clip(-1, 1),
        }
    )
    d = compare(t, "framing_index", n_boot=999, n_perm=999, seed=2).differences
    planted, null = d.iloc[0], d.iloc[1]
    assert planted["ci_low"] > 0.3 and planted["p_holm"] < 0.01
    assert null["ci_low"] < 0 < null["ci_high"] and null["p_perm"] > 0.05


# ---------------------------------------------------------------------------- determinism
def _csv_hashes(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    return {k: hashlib.sha256(table_to_csv_bytes(v)).hexdigest() for k, v in tables.items()}


def test_compare_all_is_byte_identical_on_rerun(fs):
    inputs = {"frame_scores": fs, "cooccurrence": make_cooccurrence(fs), "actors": make_actors(fs)}
    cfg = CompareConfig(n_boot=200, n_perm=200)
    a = compare_all(inputs, cfg, seed=42)
    b = compare_all(inputs, cfg, seed=42)
    c = compare_all(inputs, cfg, seed=43)
    assert set(a) >= {
        "frame_by_group", "frame_differences", "frame_regression", "frame_timeseries",
        "cooccurrence_by_group", "actors_by_group",
    }  # fmt: skip
    assert _csv_hashes(a) == _csv_hashes(b)
    changed = {k for k, h in _csv_hashes(c).items() if h != _csv_hashes(a)[k]}
    assert "frame_by_group" in changed and "frame_regression" not in changed


def test_compare_interval_of_a_group_does_not_depend_on_other_groups(fs):
    full = compare(fs, "framing_index", **FAST).groups
    only_us = compare(fs[fs["country"] == "US"], "framing_index", **FAST).groups
    a = full[full["country"] == "US"].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, only_us.reset_index(drop=True))


# ---------------------------------------------------------------------------- regression
def test_compare_regression_matches_a_direct_statsmodels_fit(fs):
    import statsmodels.formula.api as smf

    res = regress(fs, "framing_index", cluster="issuer", min_clusters=2)
    t = res.table.set_index("term")
    d = fs[(fs["administration"] != "unknown") & fs["framing_index"].notna()].copy()
    d["cell"] = d["country"] + "|" + d["administration"]
    ref_doc = d["doc_type"].value_counts().sort_index().idxmax()
    fit = smf.ols(
        f"framing_index ~ C(cell, Treatment('US|Trump I')) + C(doc_type, Treatment('{ref_doc}'))",
        data=d,
    ).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(d["issuer"], sort=True)[0]},
          use_t=True)  # fmt: skip
    biden = "C(cell, Treatment('US|Trump I'))[T.US|Biden]"
    assert t.loc["US: Biden (vs Trump I)", "coef"] == pytest.approx(fit.params[biden])
    assert t.loc["US: Biden (vs Trump I)", "se"] == pytest.approx(fit.bse[biden])
    assert t.loc["US: Biden (vs Trump I)", "p"] == pytest.approx(fit.pvalues[biden])
    pn = "C(cell, Treatment('US|Trump I'))[T.MX|Peña Nieto]"
    assert t.loc["country[MX]", "coef"] == pytest.approx(fit.params[pn])
    amlo = "C(cell, Treatment('US|Trump I'))[T.MX|López Obrador]"
    assert t.loc["MX: López Obrador (vs Peña Nieto)", "coef"] == pytest.approx(
        fit.params[amlo] - fit.params[pn]
    )
    assert t.loc["Intercept", "coef"] == pytest.approx(fit.params["Intercept"])
    assert (t["n"] == fit.nobs).all() and (t["cov_type"] == "cluster (CR1)").all()
    assert (t["n_clusters"] == 12).all()
    validate(res.table, "frame_regression")


def test_compare_regression_uses_cr2_with_few_clusters(fs):
    """With few issuer clusters the regression uses CR2 with Bell-McCaffrey df (was HC1, which
    ignores the clustering): the standard errors equal a direct CR2 fit and the intervals use
    t with the small degrees of freedom."""
    res = regress(fs, "framing_index", cluster="issuer", min_clusters=20)
    t = res.table
    assert (t["cov_type"] == "cluster (CR2, Bell-McCaffrey df)").all()
    assert "12 issuer cluster" in t["note"].iloc[0] and "CR2" in t["note"].iloc[0]
    fit = res.models["framing_index"]
    np.testing.assert_allclose(t["se"].to_numpy(), fit.se)
    assert fit.n_clusters == 12
    assert (t["df"] < 12).all() and (t["df"] > 0).all()
    # the interval is the coefficient +- t(df) x se
    from scipy import stats

    half = stats.t.ppf(0.975, t["df"].to_numpy()) * t["se"].to_numpy()
    np.testing.assert_allclose(t["ci_high"] - t["coef"], half, rtol=1e-9)


def test_compare_regression_latex_escapes_and_lists_terms(fs):
    tex = regression_to_latex(regress(fs, ["framing_index", "rate_security"]).table)
    assert tex.count("\\begin{tabular}{lcc}") == 1
    assert "doc\\_type[law]" in tex and "López Obrador" in tex
    assert "\\toprule" in tex and "\\bottomrule" in tex
    assert regression_to_latex(pd.DataFrame()).startswith("%")


# ---------------------------------------------------------------------------- time series
def test_compare_timeseries_auto_frequency_and_undated(fs):
    ts = timeseries(fs, "framing_index", n_boot=100, seed=1)
    assert set(ts["freq"]) == {"Q"}  # about one document per month: sparse -> quarterly
    us = ts[ts["country"] == "US"]
    assert us["n_undated"].iloc[0] == int((fs["country"].eq("US") & fs["date"].isna()).sum())
    # documents with a framing index from >= 3 frame hits (min_index_hits)
    assert us["n_docs"].sum() == int((fs["country"].eq("US") & fs["date"].notna()).sum()) - int(
        (fs["country"].eq("US") & fs["date"].notna() & fs["framing_n"].lt(3)).sum()
    )
    assert (us["n_units"] == us["n_docs"]).all()
    # consecutive quarters without gaps (empty quarters kept as rows)
    starts = pd.to_datetime(us["period_start"])
    assert (starts.diff().dropna().dt.days.between(89, 93)).all()
    dense = pd.concat([fs.assign(doc_id=fs["doc_id"] + f"-{k}") for k in range(8)])
    dense = dense[dense["date"].fillna("").str.startswith("2025")]
    assert set(timeseries(dense, "framing_index", n_boot=50, seed=1)["freq"]) == {"M"}
    assert set(timeseries(fs, "framing_index", freq="M", n_boot=50, seed=1)["freq"]) == {"M"}
    validate(ts, "frame_timeseries")


# ---------------------------------------------------------------------------- co-occurrence
def test_compare_cooccurrence_hit_weighting_is_the_pooled_share(fs):
    co = make_cooccurrence(fs)
    both = co["hum_in_sec_share"] * co["hum_hits"]
    fast = {k: v for k, v in FAST.items() if k != "n_perm"}
    res = cooccurrence_by_group(co, weighting="hits", **fast)
    g = res.groups.set_index(["country", "administration"])
    sel = (co["country"] == "US") & (co["administration"] == "Biden")
    pooled = both[sel].sum() / co.loc[sel & co["hum_in_sec_share"].notna(), "hum_hits"].sum()
    assert g.loc[("US", "Biden"), "hum_in_sec_share"] == pytest.approx(pooled)
    assert g.loc[("US", "Biden"), "weighting"] == "hits"
    doc = cooccurrence_by_group(co, **fast).groups.set_index(["country", "administration"])
    assert doc.loc[("US", "Biden"), "hum_in_sec_share"] == pytest.approx(
        co.loc[sel, "hum_in_sec_share"].mean()
    )
    validate(res.groups, "cooccurrence_by_group")


# ---------------------------------------------------------------------------- actors
def test_compare_actors_by_group_counts_and_shares():
    from framelens.analysis.stats import actors_by_group

    rows = []
    for doc in range(6):  # CBP in 6 Biden documents, 2 sentences each, 1 of them security
        for sent in range(2):
            rows.append((f"d{doc}", sent, "CBP", "US", False, sent == 0, False))
    rows.append(("d0", 0, "CBP", "US", False, True, False))  # duplicate row: counted once
    rows.append(("x1", 0, "INM", "MX", True, False, False))  # one document only
    df = pd.DataFrame(rows, columns=["doc_id", "sent_id", "actor", "actor_country",
                                     "humanitarian", "security", "cooperation"])  # fmt: skip
    df["country"] = ["US"] * 13 + ["MX"]
    df["administration"] = ["Biden"] * 13 + ["López Obrador"]
    out = actors_by_group(df, n_boot=200, min_n=5, seed=1)
    cbp = out[(out["actor"] == "CBP")].set_index("frame")
    assert cbp.loc["security", "n_mentions"] == 12 and cbp.loc["security", "n_docs"] == 6
    assert cbp.loc["security", "share"] == pytest.approx(0.5)
    assert cbp.loc["security", "ci_low"] <= 0.5 <= cbp.loc["security", "ci_high"]
    assert cbp.loc["humanitarian", "share"] == 0 and cbp.loc["humanitarian", "ci_low"] == 0
    assert cbp.loc["humanitarian", "ci_high"] > 0  # Wilson, not a degenerate [0, 0]
    inm = out[out["actor"] == "INM"].set_index("frame")
    assert bool(inm.loc["humanitarian", "small_n"]) and np.isnan(inm.loc["humanitarian", "ci_low"])
    validate(out, "actors_by_group")


# ---------------------------------------------------------------------------- outputs
def test_compare_result_table_summary_and_writers(fs, tmp_path):
    r = compare(fs, ["framing_index", "rate_security"], **FAST)
    t = r.table
    assert set(t["kind"]) == {"group", "difference"}
    assert len(t) == len(r.groups) + len(r.differences)
    text = r.summary()
    assert "Biden - Trump I" in text and "Holm" in text and "small n" in text
    reg = regress(fs, "framing_index")
    paths = write_results(tmp_path / "tables", frame=r, regression=reg)
    assert set(paths) == {"frame_by_group", "frame_differences", "frame_regression"}
    assert paths["frame_regression"]["tex"].read_text().startswith("\\begin{table}")
    back = pd.read_csv(paths["frame_by_group"]["csv"])
    assert list(back.columns) == list(r.groups.columns)
    (tmp_path / "tables" / "frame_regression.tex").unlink()
    assert write_latex_tables(tmp_path)[0].name == "frame_regression.tex"


def test_compare_bootstrap_mean_docstring_example():
    est = bootstrap_mean([0.1, -0.2, -0.5, 0.0, -0.3], n_boot=500, seed=1)
    assert est.estimate == pytest.approx(-0.18)
    assert est.ci_low < est.estimate < est.ci_high


# ---------------------------------------------------------------------------- results, settings, errors
def test_compare_results_name_their_tables(fs):
    r = compare(fs, "framing_index", **FAST)
    assert set(r.tables()) == {"frame_by_group", "frame_differences"}
    assert r.tables()["frame_by_group"] is r.groups
    co = cooccurrence_by_group(make_cooccurrence(fs), **FAST)
    assert list(co.tables()) == ["cooccurrence_by_group"]
    assert list(regress(fs, "framing_index").tables()) == ["frame_regression"]


def test_compare_settings_object_equals_keyword_options(fs):
    from framelens.analysis.stats import StatsSettings

    by_options = compare(fs, "framing_index", cluster="issuer", min_n=4, **FAST)
    settings = StatsSettings(n_boot=300, n_perm=300, seed=3, cluster="issuer", min_n=4)
    by_settings = compare(fs, "framing_index", settings=settings)
    pd.testing.assert_frame_equal(by_options.groups, by_settings.groups)
    pd.testing.assert_frame_equal(by_options.differences, by_settings.differences)
    assert StatsSettings.from_config(CompareConfig(n_boot=7), seed=1) == StatsSettings(
        n_boot=7, seed=1
    )


def test_compare_user_mistakes_raise_coded_config_errors(fs):
    from framelens.analysis.stats import actors_by_group
    from framelens.core.errors import ConfigError

    cases = {
        "E023": lambda: compare(fs, "no_such_measure", seed=1),
        "E024": lambda: compare(fs, "framing_index", ci=95, seed=1),
        "E025": lambda: compare(fs, [], seed=1),
        "E026": lambda: timeseries(fs, "framing_index", freq="W", seed=1),
        "E027": lambda: actors_by_group(make_actors(fs), n_perm=10, seed=1),
        "E028": lambda: compare(fs, "framing_index"),
        "E029": lambda: cooccurrence_by_group(fs, seed=1),
    }
    for code, call in cases.items():
        with pytest.raises(ConfigError, match=rf"\[{code}\]"):
            call()
    with pytest.raises(ConfigError, match=r"\[E026\].*weighting"):
        cooccurrence_by_group(make_cooccurrence(fs), weighting="tokens", seed=1)


# ---------------------------------------------------------------------------- resampling core
def test_compare_resampling_primitives():
    from framelens.core.resampling import (
        bootstrap_chunks,
        bootstrap_matrix,
        bootstrap_sample,
        cluster_members,
        cluster_totals,
        expand_clusters,
        percentile_interval,
    )

    whole = bootstrap_matrix(7, 50, np.random.default_rng(4))
    chunks = list(bootstrap_chunks(7, 50, np.random.default_rng(4), chunk_elements=70))
    assert len(chunks) == 5 and all(idx.shape == (10, 7) for _, idx in chunks)
    np.testing.assert_array_equal(np.concatenate([idx for _, idx in chunks]), whole)
    np.testing.assert_array_equal(
        bootstrap_sample(7, np.random.default_rng(4)),
        bootstrap_matrix(7, 1, np.random.default_rng(4))[0],
    )
    labels = np.array(["b", "a", "b", "c"])
    s, w = cluster_totals(labels, np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4))
    assert s.tolist() == [2.0, 4.0, 4.0] and w.tolist() == [1.0, 2.0, 1.0]
    members = cluster_members(labels)
    assert [m.tolist() for m in members] == [[1], [0, 2], [3]]
    assert expand_clusters(np.array([1, 2]), members).tolist() == [0, 2, 3]
    draws = np.array([np.nan, *np.linspace(0, 1, 101)])
    assert percentile_interval(draws, 0.9) == pytest.approx((0.05, 0.95))
    assert np.isnan(percentile_interval(np.array([1.0, np.inf]), 0.9)[0])
    lo, hi = percentile_interval(np.column_stack([draws[1:], 2 * draws[1:]]), 0.9, axis=0)
    np.testing.assert_allclose(lo, [0.05, 0.1])
    np.testing.assert_allclose(hi, [0.95, 1.9])
