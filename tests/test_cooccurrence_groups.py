"""``cooccurrence_by_group``: the table, weightings, clusters, small groups, errors, seeding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.stats.cooccurrence import (
    COOCCURRENCE_COLUMNS,
    cooccurrence_by_group,
    cooccurrence_long,
)
from framelens.analysis.stats.cooccurrence_null import document_cooccurrence
from framelens.core.errors import ConfigError
from framelens.schemas import validate

FAST = {"seed": 3, "n_boot": 199}
GROUPS = [("US", "Trump I", 8), ("US", "Biden", 12), ("MX", "Sheinbaum", 3), ("MX", None, 2)]


@pytest.fixture(scope="module")
def tables():
    """A cooccurrence table (metadata, counts and shares) and its sentence_frames."""
    rng = np.random.default_rng(4)
    sent_rows, docs = [], []
    k = 0
    for country, admin, n in GROUPS:
        for _ in range(n):
            doc_id = f"d{k:03d}"
            n_sent = int(rng.integers(5, 40))
            h = rng.poisson(0.3, n_sent)
            s = rng.poisson(0.5, n_sent)
            sent_rows.append(pd.DataFrame({"doc_id": doc_id, "sent_id": range(n_sent),
                                           "hits_humanitarian": h, "hits_security": s}))  # fmt: skip
            docs.append({"doc_id": doc_id, "country": country, "administration": admin,
                         "issuer": f"issuer {k % 4}" if k % 5 else None})  # fmt: skip
            k += 1
    sf = pd.concat(sent_rows, ignore_index=True)
    counts = document_cooccurrence(sf)
    co = pd.DataFrame(docs).merge(counts, on="doc_id")
    with np.errstate(invalid="ignore", divide="ignore"):
        co["hum_in_sec_share"] = np.where(co["hum_hits"] > 0,
                                          co["hum_in_sec_observed"] / co["hum_hits"], np.nan)  # fmt: skip
        co["sec_in_hum_share"] = np.where(co["sec_hits"] > 0,
                                          co["sec_in_hum_observed"] / co["sec_hits"], np.nan)  # fmt: skip
    co = co.drop(columns=[c for c in counts.columns if c.endswith(("observed", "expected"))])
    return co, sf


def test_cooccurrence_groups_table_follows_its_schema_and_group_order(tables):
    co, sf = tables
    g = cooccurrence_by_group(co, sf, **FAST).groups
    assert list(g.columns) == COOCCURRENCE_COLUMNS
    validate(g, "cooccurrence_by_group")
    assert list(zip(g["country"], g["administration"], strict=True)) == [
        ("US", "Trump I"), ("US", "Biden"), ("MX", "Sheinbaum"), ("MX", "unknown")]  # fmt: skip
    assert g["comparable"].tolist() == [True, True, True, False]
    assert g["n_docs"].tolist() == [8, 12, 3, 2]
    assert g.loc[2, "small_n"] and not g.loc[1, "small_n"]


def test_cooccurrence_groups_document_and_hit_weighting(tables):
    co, sf = tables
    doc = cooccurrence_by_group(co, sf, **FAST).groups.set_index("administration")
    hits = cooccurrence_by_group(co, sf, weighting="hits", **FAST).groups.set_index(
        "administration"
    )
    sel = (co["administration"] == "Biden") & (co["hum_hits"] > 0)
    assert doc.loc["Biden", "hum_in_sec_share"] == pytest.approx(
        co.loc[sel, "hum_in_sec_share"].mean()
    )
    pooled = (co.loc[sel, "hum_in_sec_share"] * co.loc[sel, "hum_hits"]).sum() / co.loc[
        sel, "hum_hits"
    ].sum()
    assert hits.loc["Biden", "hum_in_sec_share"] == pytest.approx(pooled)
    assert set(hits["weighting"]) == {"hits"} and set(doc["weighting"]) == {"document"}
    for g in (doc, hits):  # O/E is observed over expected, both from the same documents
        assert g["hum_in_sec_oe"].to_numpy() == pytest.approx(
            (g["hum_in_sec_share"] / g["hum_in_sec_expected"]).to_numpy(), nan_ok=True
        )


def test_cooccurrence_groups_intervals_bracket_the_estimates(tables):
    co, sf = tables
    g = cooccurrence_by_group(co, sf, **FAST).groups
    big = g[g["hum_in_sec_n_units"] >= 5]
    for prefix in ("hum_in_sec", "sec_in_hum"):
        assert (big[f"{prefix}_share_ci_low"] <= big[f"{prefix}_share"]).all()
        assert (big[f"{prefix}_share"] <= big[f"{prefix}_share_ci_high"]).all()
        assert (big[f"{prefix}_oe_ci_low"] <= big[f"{prefix}_oe"]).all()
        assert (big[f"{prefix}_oe"] <= big[f"{prefix}_oe_ci_high"]).all()


def test_cooccurrence_groups_cluster_resampling_counts_units(tables):
    co, sf = tables
    g = cooccurrence_by_group(co, sf, cluster="issuer", **FAST).groups.set_index("administration")
    assert set(g["resampling"]) == {"issuer clusters"}
    biden = co[(co["administration"] == "Biden") & (co["hum_hits"] > 0)]
    n_clusters = biden["issuer"].nunique() + biden["issuer"].isna().sum()
    assert g.loc["Biden", "hum_in_sec_n_units"] == n_clusters
    assert g.loc["Biden", "hum_in_sec_n_docs"] == len(biden)
    assert bool(g.loc["Biden", "small_n"]) == (
        min(g.loc["Biden", "hum_in_sec_n_units"], g.loc["Biden", "sec_in_hum_n_units"]) < 5
    )


def test_cooccurrence_groups_without_sentence_frames_reports_observed_only(tables):
    co, sf = tables
    res = cooccurrence_by_group(co, **FAST)
    with_null = cooccurrence_by_group(co, sf, **FAST).groups
    g = res.groups
    assert g["hum_in_sec_expected"].isna().all() and g["hum_in_sec_oe"].isna().all()
    assert g["hum_in_sec_share"].to_numpy() == pytest.approx(
        with_null["hum_in_sec_share"].to_numpy(), nan_ok=True
    )
    assert g["null_model"].str.startswith("none").all()
    assert any("sentence_frames" in n for n in res.notes)


def test_cooccurrence_groups_is_seeded_and_long_layout(tables):
    co, sf = tables
    a = cooccurrence_by_group(co, sf, **FAST)
    b = cooccurrence_by_group(co, sf, **FAST)
    pd.testing.assert_frame_equal(a.groups, b.groups)
    c = cooccurrence_by_group(co, sf, seed=4, n_boot=199).groups
    assert not a.groups["hum_in_sec_oe_ci_low"].equals(c["hum_in_sec_oe_ci_low"])
    long = a.long()
    assert len(long) == 2 * len(a.groups)
    assert set(long["measure"]) == {"hum_in_sec_share", "sec_in_hum_share"}
    row = long[(long["measure"] == "sec_in_hum_share") & (long["administration"] == "Biden")]
    assert (
        row["mean"].iloc[0] == a.groups.set_index("administration").loc["Biden", "sec_in_hum_share"]
    )
    assert cooccurrence_long(a.groups).equals(long)
    assert "O/E" in a.summary()


def test_cooccurrence_groups_errors(tables):
    co, sf = tables
    with pytest.raises(ConfigError, match=r"\[E026\]"):
        cooccurrence_by_group(co, sf, weighting="tokens", seed=1)
    with pytest.raises(ConfigError, match=r"\[E029\]"):
        cooccurrence_by_group(co.drop(columns=["hum_in_sec_share", "sec_in_hum_share"]), seed=1)
    with pytest.raises(ConfigError, match=r"\[E023\]"):
        cooccurrence_by_group(co.drop(columns=["doc_id"]), sf, seed=1)
    with pytest.raises(ConfigError, match=r"\[E028\]"):
        cooccurrence_by_group(co, sf)
    with pytest.raises(ConfigError, match=r"\[E023\]"):
        cooccurrence_by_group(co, sf, cluster="agency", seed=1)


def test_cooccurrence_groups_no_cooccurrence_at_all_gets_a_bounded_interval():
    """Frames never share a sentence although chance would let them (a sentence holds two
    hits): O/E = 0, and its upper end is the share's range bound over the expected share."""
    # per document, sentences (h, s): (1, 0), (0, 2), (1, 0), (0, 1)
    sf = pd.concat(
        [
            pd.DataFrame({"doc_id": f"d{d}", "sent_id": range(4),
                          "hits_humanitarian": [1, 0, 1, 0], "hits_security": [0, 2, 0, 1]})
            for d in range(6)
        ],
        ignore_index=True,
    )  # fmt: skip
    co = pd.DataFrame({"doc_id": [f"d{d}" for d in range(6)], "country": "US",
                       "administration": "Biden"})  # fmt: skip
    g = cooccurrence_by_group(co, sf, **FAST).groups.iloc[0]
    assert g["hum_in_sec_share"] == 0 and g["hum_in_sec_expected"] > 0
    assert g["hum_in_sec_oe"] == 0 and g["hum_in_sec_oe_ci_low"] == 0
    assert 0 < g["hum_in_sec_oe_ci_high"] < np.inf
    assert g["hum_in_sec_oe_ci_high"] == pytest.approx(
        g["hum_in_sec_share_ci_high"] / g["hum_in_sec_expected"]
    )
