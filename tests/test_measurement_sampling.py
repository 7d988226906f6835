"""The stratified sampler and the replicate weights: Horvitz-Thompson totals recover known totals,
the bootstrap variance matches the analytic stratified variance, a census stratum adds none."""

from __future__ import annotations

import numpy as np
import pytest

from framelens.analysis.stats.frame_prevalence_resampling import (
    coded_replicates,
    document_counts,
    horvitz_thompson_total,
    percentile_interval,
    stratified_sample,
)
from framelens.core.seeding import rng

#: A population of 3 strata (sizes 500, 2,000 and 30) with a known binary variable.
SIZES = np.array([500, 2000, 30])
ALLOC = {0: 40, 1: 50, 2: 30}  # stratum 2 is taken whole (a census stratum)


def population(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.default_rng(seed)
    stratum = np.repeat(np.arange(3), SIZES)
    rates = np.array([0.4, 0.03, 0.5])
    y = (gen.random(len(stratum)) < rates[stratum]).astype(float)
    return stratum, y


def test_measurement_sampling_draws_n_per_stratum_with_right_probabilities():
    stratum, _ = population()
    index, prob = stratified_sample(stratum, ALLOC, rng(1, "test"))
    assert np.all(np.diff(index) > 0)  # sorted, no repeats
    drawn = np.bincount(stratum[index], minlength=3)
    assert drawn.tolist() == [40, 50, 30]
    expected = np.array([40 / 500, 50 / 2000, 1.0])
    assert np.allclose(prob, expected[stratum[index]])


def test_measurement_sampling_horvitz_thompson_recovers_known_totals():
    stratum, y = population()
    true_total, true_n = y.sum(), float(len(y))
    totals, sizes = [], []
    for rep in range(2000):
        index, prob = stratified_sample(stratum, ALLOC, rng(3, "ht", rep))
        totals.append(horvitz_thompson_total(y[index], prob))
        sizes.append(horvitz_thompson_total(np.ones(len(index)), prob))
    totals = np.asarray(totals)
    # the population size is recovered exactly by every draw (sum of 1/pi = sum of N_h)
    assert np.allclose(sizes, true_n)
    # the total is recovered on average: within 3 Monte Carlo standard errors
    se = totals.std(ddof=1) / np.sqrt(len(totals))
    assert abs(totals.mean() - true_total) < 3 * se
    # and its spread is the analytic stratified variance sum N_h^2 (1 - f_h) S_h^2 / n_h
    analytic = sum(
        SIZES[h] ** 2 * (1 - ALLOC[h] / SIZES[h]) * y[stratum == h].var(ddof=1) / ALLOC[h]
        for h in range(3)
    )
    assert totals.var(ddof=1) == pytest.approx(analytic, rel=0.1)


@pytest.mark.parametrize("method", ["raowu", "bayes"])
def test_measurement_sampling_replicate_variance_matches_analytic(method):
    stratum, y = population()
    index, _ = stratified_sample(stratum, ALLOC, rng(5, "one draw"))
    code = stratum[index]
    reps = coded_replicates(
        code, SIZES, 4000, lambda h: rng(5, "reps", h), method=method, pseudo_count=0.0
    )
    # each stratum's replicate weights add up to N_h in every replicate
    for h in range(3):
        assert np.allclose(reps.replicate[:, code == h].sum(axis=1), SIZES[h])
    totals = reps.replicate @ y[index]
    sample = y[index]
    analytic = sum(
        SIZES[h] ** 2 * (1 - ALLOC[h] / SIZES[h]) * sample[code == h].var(ddof=1) / ALLOC[h]
        for h in range(3)
    )
    assert totals.var() == pytest.approx(analytic, rel=0.12)
    # the point weights are N_h / m_h and give the Horvitz-Thompson total
    assert reps.replicate.mean(axis=0) == pytest.approx(reps.weight, rel=0.1)
    assert (reps.weight * sample).sum() == pytest.approx(
        sum(SIZES[h] * sample[code == h].mean() for h in range(3))
    )


@pytest.mark.parametrize("method", ["raowu", "bayes"])
def test_measurement_sampling_census_stratum_adds_no_variance(method):
    code = np.array([0] * 30)
    reps = coded_replicates(code, np.array([30]), 500, lambda h: rng(2, h), method=method)
    assert np.allclose(reps.replicate, 1.0)
    assert np.allclose(reps.pseudo_one, 0.0) and np.allclose(reps.pseudo_zero, 0.0)


def test_measurement_sampling_pseudo_units_widen_an_all_zero_stratum():
    """0 positives among 40 coded units of a big stratum: the plain bootstrap sees no
    uncertainty; the pseudo-units give an upper bound near Jeffreys' (about 6%)."""
    code = np.zeros(40, dtype=np.int64)
    y = np.zeros(40)
    f = np.zeros(40)
    mask = np.ones(40, dtype=bool)
    plain = coded_replicates(code, np.array([26_000]), 4000, lambda h: rng(1, h), method="raowu")
    bayes = coded_replicates(code, np.array([26_000]), 4000, lambda h: rng(1, h), method="bayes")
    assert np.allclose(plain.residual_draws(y, f, mask), 0.0)
    lo, hi = percentile_interval(bayes.residual_draws(y, f, mask))
    assert lo >= 0.0 and 0.04 < hi < 0.08
    assert bayes.point(y - f, mask) == 0.0  # the point estimate is untouched


def test_measurement_sampling_deterministic_given_seed():
    stratum, _ = population()
    a = stratified_sample(stratum, ALLOC, rng(9, "x"))
    b = stratified_sample(stratum, ALLOC, rng(9, "x"))
    assert np.array_equal(a[0], b[0])
    ca = document_counts(12, 50, rng(9, "docs"))
    assert np.array_equal(ca, document_counts(12, 50, rng(9, "docs")))
    assert ca.sum(axis=1).tolist() == [12] * 50
