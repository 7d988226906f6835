"""Honesty of the intervals where the framing index has a point mass and groups are small.

In the shared corpus many documents score exactly -1 (22 of the 38 Trump II documents), and
groups are small (3 Peña Nieto documents). The data-generating process here mirrors that: 42%
of documents at exactly -1, the others 2 Beta(2, 3) - 1 (true mean 0.42 * -1 + 0.58 * -0.2 =
-0.536). R replications of a group of n documents; the 95% interval of ``bootstrap_mean``
(symmetric studentized bootstrap from 5 units on, t below, a range bound when every document
has the same value) must cover the true mean in 93-97% of replications at n >= 8. With R =
2000 the binomial SE of a 95% coverage is 0.49 points, so the band is about +-4 SE. Smaller
groups are documented (docs/statistics.md section 2), with a floor here.

Figures measured with R = 4000 (docs/statistics.md): n = 3: 94.2%, 5: 93.8%, 8: 95.2%,
15: 95.7%, 30: 95.5%. The interval used before issue 13 (percentile for 2-4 units and for ties)
covered 73.2% at n = 3 and its percentile fallbacks 61-75%.
"""

from __future__ import annotations

import numpy as np
import pytest

from framelens.analysis.stats import bootstrap_difference, bootstrap_mean
from framelens.analysis.stats.calibrated_intervals import (
    CI_BOUNDED,
    CI_NO_VARIATION,
    CI_STUDENTIZED,
    CI_T_SMALL,
)
from framelens.analysis.stats.index_share import pooled_share

R = 2000
INDEX_RANGE = (-1.0, 1.0)
SHARE_AT_MINUS_ONE = 0.42
TRUE_MEAN = SHARE_AT_MINUS_ONE * -1 + (1 - SHARE_AT_MINUS_ONE) * (2 * 2 / 5 - 1)
SMOOTH_MEAN = 2 * 2 / 5 - 1


def point_mass(rng: np.random.Generator, size) -> np.ndarray:
    """Framing indices with 42% of documents at exactly -1, the rest 2 Beta(2, 3) - 1."""
    spread = 2.0 * rng.beta(2, 3, size=size) - 1.0
    return np.where(rng.random(size) < SHARE_AT_MINUS_ONE, -1.0, spread)


def smooth(rng: np.random.Generator, size) -> np.ndarray:
    """2 Beta(2, 3) - 1: no point mass (mean -0.2)."""
    return 2.0 * rng.beta(2, 3, size=size) - 1.0


def mean_coverage(n: int, reps: int = R, seed: int = 1000) -> float:
    """Coverage of ``bootstrap_mean`` for point-mass groups of ``n`` documents."""
    x = point_mass(np.random.default_rng(seed + n), (reps, n))
    covered = 0
    for r in range(reps):
        est = bootstrap_mean(x[r], n_boot=999, seed=r, bounds=INDEX_RANGE)
        covered += est.ci_low <= TRUE_MEAN <= est.ci_high
    return covered / reps


@pytest.mark.parametrize("n", [8, 15, 30])
def test_honesty_point_mass_mean_covers_at_n_8_and_more(n):
    coverage = mean_coverage(n)
    assert 0.93 <= coverage <= 0.97, f"n={n}: coverage {coverage:.4f}"


@pytest.mark.parametrize(("n", "floor"), [(3, 0.92), (5, 0.91)])
def test_honesty_point_mass_mean_small_groups_as_documented(n, floor):
    # documented at 94.2% (n = 3) and 93.8% (n = 5) with R = 4000; never the old 73%
    coverage = mean_coverage(n)
    assert floor <= coverage <= 0.99, f"n={n}: coverage {coverage:.4f}"


@pytest.mark.parametrize(("n_a", "n_b"), [(8, 8), (15, 30), (30, 8)])
def test_honesty_point_mass_difference_covers(n_a, n_b):
    rng = np.random.default_rng(100 * n_a + n_b)
    a, b = point_mass(rng, (R, n_a)), smooth(rng, (R, n_b))
    truth = SMOOTH_MEAN - TRUE_MEAN
    covered = 0
    for r in range(R):
        est = bootstrap_difference(a[r], b[r], n_boot=999, seed=r, bounds=INDEX_RANGE)
        covered += est.ci_low <= truth <= est.ci_high
    coverage = covered / R
    assert 0.93 <= coverage <= 0.97, f"({n_a}, {n_b}): coverage {coverage:.4f}"


def test_honesty_interval_methods_are_named():
    # all documents at -1: a range bound, not a degenerate [-1, -1]
    est = bootstrap_mean([-1.0] * 30, n_boot=200, seed=1, bounds=INDEX_RANGE)
    assert est.method == CI_BOUNDED and est.ci_low == -1.0
    assert est.ci_high == pytest.approx(-1 + 2 * (1 - 0.025 ** (1 / 30)))
    assert bootstrap_mean([2.0, 2.0, 2.0], n_boot=200, seed=1).method == CI_NO_VARIATION
    small = bootstrap_mean([-1.0, -0.2, 0.4], n_boot=200, seed=1, bounds=INDEX_RANGE)
    assert small.method == CI_T_SMALL and small.ci_low < small.estimate < small.ci_high
    big = bootstrap_mean(np.linspace(-1, 0.5, 12), n_boot=200, seed=1)
    assert big.method == CI_STUDENTIZED
    assert big.estimate - big.ci_low == pytest.approx(big.ci_high - big.estimate)


def _documents(rng, n_docs, p=0.15, phi=0.3, mean_hits=8):
    """Hits of documents: N ~ 1 + Poisson, H ~ Binomial(N, p_i), p_i ~ Beta (overdispersed)."""
    n = 1 + rng.poisson(mean_hits - 1, size=n_docs)
    p_i = rng.beta(p * (1 - phi) / phi, (1 - p) * (1 - phi) / phi, size=n_docs)
    return rng.binomial(n, p_i).astype(float), n.astype(float)


@pytest.mark.parametrize("n_docs", [8, 30])
def test_honesty_pooled_share_covers_with_overdispersed_documents(n_docs):
    # measured (R = 4000): 95.2% at 8 documents, 95.2% at 30; 98.6% at 5, 98.9% at 3
    rng = np.random.default_rng(n_docs)
    covered = 0
    for _ in range(R):
        h, n = _documents(rng, n_docs)
        est = pooled_share(h, n - h, 0.95)
        covered += est.ci_low <= 0.15 <= est.ci_high
    coverage = covered / R
    assert 0.93 <= coverage <= 0.97, f"{n_docs} documents: coverage {coverage:.4f}"


def test_honesty_pooled_share_matches_statsmodels_glm():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    h, n = _documents(rng, 12, p=0.3)
    est = pooled_share(h, n - h, 0.95)
    fit = sm.GLM(np.column_stack([h, n - h]), np.ones((12, 1)), family=sm.families.Binomial())
    res = fit.fit(cov_type="cluster", cov_kwds={"groups": np.arange(12)}, use_t=True)
    lo, hi = 1 / (1 + np.exp(-res.conf_int()[0]))
    assert est.share == pytest.approx(h.sum() / n.sum())
    assert (est.ci_low, est.ci_high) == pytest.approx((lo, hi), rel=1e-8)
