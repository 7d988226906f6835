"""The co-occurrence null model: exact permutation expectation, and O/E near 1 without framing.

The issue's example: with H = 10 humanitarian and S = 30 security hits falling at random among
100 sentences, about 26% of humanitarian hits share a sentence with a security hit and about
10% of security hits share one with a humanitarian hit. The asymmetry is mechanical; the
observed/expected ratio of ``cooccurrence_by_group`` must be about 1 in both directions.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.stats.cooccurrence import cooccurrence_by_group
from framelens.analysis.stats.cooccurrence_null import (
    document_cooccurrence,
    uniform_expectation,
)


def _sentence_frames(h_rows, s_rows, doc="d") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": doc,
            "sent_id": range(len(h_rows)),
            "hits_humanitarian": h_rows,
            "hits_security": s_rows,
        }  # fmt: skip
    )


def _enumerated_expectation(capacities: np.ndarray, n_hum: int) -> tuple[float, float]:
    """Mean of O (hum in sec) and of the reverse over every assignment of the labels."""
    slots = [j for j, c in enumerate(capacities) for _ in range(c)]
    o_hs, o_sh, count = 0.0, 0.0, 0
    for chosen in itertools.combinations(range(len(slots)), n_hum):
        h = np.zeros(len(capacities))
        for i in chosen:
            h[slots[i]] += 1
        s = capacities - h
        o_hs += float((h * (s > 0)).sum())
        o_sh += float((s * (h > 0)).sum())
        count += 1
    return o_hs / count, o_sh / count


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_cooccurrence_null_expectation_is_the_exact_permutation_mean(seed):
    rng = np.random.default_rng(seed)
    capacities = rng.integers(0, 4, size=7)
    n_hum = int(rng.integers(0, capacities.sum() + 1))
    slots = [j for j, c in enumerate(capacities) for _ in range(c)]
    h = np.bincount([slots[i] for i in range(n_hum)], minlength=7)
    d = document_cooccurrence(_sentence_frames(h, capacities - h)).iloc[0]
    e_hs, e_sh = _enumerated_expectation(capacities, n_hum)
    assert d["hum_in_sec_expected"] == pytest.approx(e_hs, abs=1e-9)
    assert d["sec_in_hum_expected"] == pytest.approx(e_sh, abs=1e-9)
    assert (d["hum_hits"], d["sec_hits"]) == (n_hum, capacities.sum() - n_hum)


def test_cooccurrence_null_counts_match_the_scoring_definition():
    # sentences (h, s): (1, 1), (1, 0), (0, 2), (2, 1): H = 4, S = 4
    d = document_cooccurrence(_sentence_frames([1, 1, 0, 2], [1, 0, 2, 1])).iloc[0]
    assert d["hum_in_sec_observed"] == 3  # 1 + 2 humanitarian hits in sentences with security
    assert d["sec_in_hum_observed"] == 2  # 1 + 1
    # a sentence with one hit cannot co-occur; one with all hits of one frame cannot either
    only_single = document_cooccurrence(_sentence_frames([1, 0, 1], [0, 1, 0])).iloc[0]
    assert only_single["hum_in_sec_expected"] == 0 and only_single["sec_in_hum_expected"] == 0


def _random_documents(rng, n_docs, n_sent, n_hum, n_sec, density=None, admin="Biden"):
    """Documents whose hits fall at random among sentences (probability ``density``)."""
    rows, docs = [], []
    for d in range(n_docs):
        doc_id = f"{admin[:1]}{d:03d}"
        p = None if density is None else density(rng, n_sent)
        h = np.bincount(rng.choice(n_sent, n_hum, p=p), minlength=n_sent)
        s = np.bincount(rng.choice(n_sent, n_sec, p=p), minlength=n_sent)
        rows.append(_sentence_frames(h, s, doc_id))
        docs.append((doc_id, "US", admin, f"issuer {d % 3}"))
    co = pd.DataFrame(docs, columns=["doc_id", "country", "administration", "issuer"])
    return co, pd.concat(rows, ignore_index=True)


def test_cooccurrence_null_the_issue_example_is_mechanical_and_oe_is_one():
    rng = np.random.default_rng(5)
    co, sf = _random_documents(rng, 200, 100, 10, 30)
    g = cooccurrence_by_group(co, sf, seed=1, n_boot=499).groups.iloc[0]
    # the asymmetry is there ...
    assert g["hum_in_sec_share"] == pytest.approx(uniform_expectation(30, 100), abs=0.02)
    assert g["sec_in_hum_share"] == pytest.approx(uniform_expectation(10, 100), abs=0.01)
    assert g["hum_in_sec_share"] > 2 * g["sec_in_hum_share"]
    # ... and the null model expects it: observed / expected is about 1 both ways (how often
    # the interval covers 1 is the next test's business)
    for prefix in ("hum_in_sec", "sec_in_hum"):
        assert g[f"{prefix}_oe"] == pytest.approx(1.0, abs=0.1)
        assert g[f"{prefix}_oe_ci_low"] < 1.0 < g[f"{prefix}_oe_ci_high"]


def _dense(rng, n_sent):
    """Frame language concentrated in a few long sentences (gamma-distributed density)."""
    w = rng.gamma(0.3, size=n_sent)
    return w / w.sum()


def test_cooccurrence_null_interval_covers_one_when_hits_cluster_in_dense_sentences():
    """Clustering of all frame language in dense sentences is not association: the capacity
    null absorbs it. Coverage of O/E = 1 over 200 groups of 25 documents."""
    rng = np.random.default_rng(21)
    covered = {"hum_in_sec": 0, "sec_in_hum": 0}
    n_rep = 200
    for r in range(n_rep):
        co, sf = _random_documents(rng, 25, 30, int(rng.integers(2, 12)), 8, density=_dense)
        g = cooccurrence_by_group(co, sf, seed=r, n_boot=299).groups.iloc[0]
        for prefix in covered:
            covered[prefix] += int(g[f"{prefix}_oe_ci_low"] <= 1.0 <= g[f"{prefix}_oe_ci_high"])
    for prefix, k in covered.items():
        assert 0.90 <= k / n_rep <= 0.99, (prefix, k / n_rep)


def test_cooccurrence_null_detects_association():
    """Humanitarian hits placed next to security hits: O/E well above 1, interval above 1."""
    rng = np.random.default_rng(5)
    rows, docs = [], []
    for d in range(30):
        s = np.bincount(rng.integers(0, 60, 12), minlength=60)
        with_sec = np.flatnonzero(s > 0)
        h = np.bincount(rng.choice(with_sec, 4), minlength=60)  # every humanitarian hit joins one
        h += np.bincount(rng.integers(0, 60, 4), minlength=60)  # and some fall anywhere
        rows.append(_sentence_frames(h, s, f"d{d:02d}"))
        docs.append((f"d{d:02d}", "MX", "Sheinbaum"))
    co = pd.DataFrame(docs, columns=["doc_id", "country", "administration"])
    g = cooccurrence_by_group(co, pd.concat(rows), seed=2, n_boot=499).groups.iloc[0]
    assert g["hum_in_sec_oe"] > 1.4 and g["hum_in_sec_oe_ci_low"] > 1.2
    assert g["sec_in_hum_oe_ci_low"] > 1.1
