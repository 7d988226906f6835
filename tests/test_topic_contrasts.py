"""Topic prevalence contrasts: grouped-topic shares, paired differences, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.stats.topic_contrasts import THEME_GROUPS, topic_contrasts
from framelens.models.prevalence import estimate_prevalence
from framelens.schemas import columns_of

LABELS = ["child_protection_reception", "enforcement_detention", "asylum_refuge",
          "border_externalization", "cooperation_diplomacy", "root_causes_development",
          "tariffs trade goods"]  # fmt: skip


def _corpus(rng, sizes, alphas, n_refits=2, jitter=0.0):
    """Documents of groups (country, administration, n) with Dirichlet topic shares, and R
    refits whose proportions differ by ``jitter`` (model uncertainty)."""
    theta, meta = [], []
    for (country, admin, n), alpha in zip(sizes, alphas, strict=True):
        theta.append(rng.dirichlet(alpha, size=n))
        meta += [(country, admin, "en")] * n
    base = np.vstack(theta)
    refits = []
    for _ in range(n_refits):
        noisy = base * np.exp(jitter * rng.normal(size=base.shape[1]))  # a topic's level moves
        refits.append(noisy / noisy.sum(axis=1, keepdims=True))
    meta = pd.DataFrame(meta, columns=["country", "administration", "language"])
    return np.stack(refits), meta


SIZES = [("US", "Trump I", 12), ("US", "Biden", 20), ("US", "Trump II", 3), ("US", "unknown", 2)]
ALPHAS = [np.array([1, 3, 1, 3, 1, 1, 2.0]), np.array([3, 1, 3, 1, 1, 1, 2.0]),
          np.array([1, 2, 1, 2, 1, 1, 2.0]), np.ones(7)]  # fmt: skip


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(3)
    theta, meta = _corpus(rng, SIZES, ALPHAS, jitter=0.1)
    prev, draws = estimate_prevalence(theta, meta, LABELS, n_boot=400, seed=2)
    return prev, draws, topic_contrasts(prev, draws)


def test_topic_contrasts_table_and_topic_group_shares(fitted):
    prev, _draws, table = fitted
    assert list(table.columns) == columns_of("topic_contrasts")
    shares = table[table["kind"] == "share"].set_index(["administration", "label"])
    biden = prev[prev["administration"] == "Biden"].set_index("label")["mean"]
    hum = biden[list(THEME_GROUPS["humanitarian"])].sum()
    sec = biden[list(THEME_GROUPS["security"])].sum()
    assert shares.loc[("Biden", "humanitarian themes"), "estimate"] == pytest.approx(hum)
    assert shares.loc[("Biden", "security themes"), "estimate"] == pytest.approx(sec)
    balance = shares.loc[("Biden", "humanitarian - security themes")]
    assert balance["estimate"] == pytest.approx(hum - sec)
    assert balance["ci_low"] < balance["estimate"] < balance["ci_high"]
    assert "child_protection_reception" in shares.loc[("Biden", "humanitarian themes"), "members"]
    assert not shares.loc[("unknown", "security themes"), "comparable"]
    assert shares.loc[("Trump II", "security themes"), "small_n"]


def test_topic_contrasts_differences_are_consecutive_and_exact(fitted):
    prev, _draws, table = fitted
    d = table[table["kind"] == "difference"]
    assert list(dict.fromkeys(d["contrast"])) == ["Biden - Trump I", "Trump II - Biden"]
    means = prev.set_index(["administration", "topic"])["mean"]
    row = d[(d["contrast"] == "Biden - Trump I") & (d["topic"] == 1)].iloc[0]
    assert row["label"] == "enforcement_detention"
    assert row["estimate"] == pytest.approx(means[("Biden", 1)] - means[("Trump I", 1)])
    assert (row["n_a"], row["n_b"], row["n_docs"]) == (12, 20, 32)
    # Biden was drawn with more humanitarian and less security weight: both intervals say so
    groups = d[d["contrast"] == "Biden - Trump I"].set_index("label")
    assert groups.loc["humanitarian themes", "ci_low"] > 0
    assert groups.loc["security themes", "ci_high"] < 0
    assert groups.loc["humanitarian - security themes", "ci_low"] > 0
    assert d.loc[d["contrast"] == "Trump II - Biden", "small_n"].all()
    assert len(d[d["contrast"] == "Biden - Trump I"]) == 4 + len(LABELS)  # 3 groups + balance


def test_topic_contrasts_pairing_keeps_refit_level_shifts_out_of_differences():
    """Refits that move a topic's level for every document alike: the paired difference's
    interval is narrower than one from independently drawn refits."""
    rng = np.random.default_rng(8)
    sizes = [("MX", "López Obrador", 40), ("MX", "Sheinbaum", 40)]
    theta, meta = _corpus(rng, sizes, [np.full(7, 2.0)] * 2, n_refits=4, jitter=0.6)
    prev, draws = estimate_prevalence(theta, meta, LABELS, n_boot=600, seed=1)
    paired = topic_contrasts(prev, draws)
    paired = paired[(paired["kind"] == "difference") & paired["topic"].notna()]
    shuffled = dict(draws)
    key = ("MX", "Sheinbaum", "en")
    shuffled[key] = draws[key][np.random.default_rng(0).permutation(600)]  # unpair the refits
    unpaired = topic_contrasts(prev, shuffled)
    unpaired = unpaired[(unpaired["kind"] == "difference") & unpaired["topic"].notna()]
    w_paired = (paired["ci_high"] - paired["ci_low"]).mean()
    w_unpaired = (unpaired["ci_high"] - unpaired["ci_low"]).mean()
    assert w_paired < 0.8 * w_unpaired


def test_topic_contrasts_unseeded_labels_give_topic_differences_only():
    rng = np.random.default_rng(1)
    theta, meta = _corpus(rng, SIZES[:2], ALPHAS[:2], n_refits=1)
    labels = [f"topic {i}" for i in range(7)]
    prev, draws = estimate_prevalence(theta, meta, labels, n_boot=100, seed=1)
    table = topic_contrasts(prev, draws)
    assert set(table["kind"]) == {"difference"} and table["topic"].notna().all()
    assert len(table) == 7


def test_topic_contrasts_difference_interval_coverage():
    """No model uncertainty (one refit, point proportions): the percentile interval of the
    paired document bootstrap covers the true difference of expected shares at about 95%."""
    rng = np.random.default_rng(2024)
    sizes = [("US", "Trump I", 25), ("US", "Biden", 35)]
    alphas = [np.array([1, 2, 1, 2, 1, 1, 1.0]), np.array([2, 1, 1, 2, 1, 1, 1.0])]
    truth = alphas[1][1] / alphas[1].sum() - alphas[0][1] / alphas[0].sum()
    n_rep, covered = 150, 0
    for r in range(n_rep):
        theta, meta = _corpus(rng, sizes, alphas, n_refits=1)
        prev, draws = estimate_prevalence(theta, meta, LABELS, n_boot=300, seed=r)
        d = topic_contrasts(prev, draws)
        row = d[(d["kind"] == "difference") & (d["topic"] == 1)].iloc[0]
        covered += int(row["ci_low"] <= truth <= row["ci_high"])
    assert 0.88 <= covered / n_rep <= 0.99, covered / n_rep
