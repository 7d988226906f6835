"""Statistical honesty: do the intervals and tests of framelens.analysis.stats keep their
promises on data where the truth is known?

1. Coverage: synthetic documents from two groups with a known difference of means (framing
   indices on [-1, 1], skewed Beta shapes, group sizes like the real corpus' administrations).
   95% intervals from ``bootstrap_difference`` (the engine ``compare`` uses for every
   difference: a symmetric studentized bootstrap) must cover the true difference in 93-97% of
   replications. With R = 2000
   replications the binomial standard error of a 95% coverage is sqrt(.95 * .05 / 2000) = 0.49
   percentage points, so the 93-97% band is about +-4 SE: a method that really covers 95% fails
   it with probability < 1e-4, while one that covers 92% (a percentile bootstrap at n = 10-20,
   see docs/statistics.md) fails it.
2. Permutation test false-positive rate under no difference: R = 2000 replications, nominal
   level 5%. The binomial SE is 0.49 points; the test accepts 5% +- 3 SE = [3.54%, 6.46%].

Point masses, small groups, unequal spreads and Holm: ``test_honesty_intervals.py`` and
``test_honesty_permutation.py``.
"""

from __future__ import annotations

import numpy as np

from framelens.analysis.stats import bootstrap_difference, bootstrap_mean, permutation_test

R = 2000
SE = np.sqrt(0.95 * 0.05 / R)


def _index_draws(rng, a, b, size):
    """Framing-index-like values on [-1, 1]: 2 * Beta(a, b) - 1, mean 2a/(a+b) - 1."""
    return 2.0 * rng.beta(a, b, size=size) - 1.0


def test_compare_honesty_bootstrap_difference_covers_true_difference():
    rng = np.random.default_rng(20240601)
    n_a, n_b = 20, 30
    # group a: mean 2*2/5 - 1 = -0.2 (skewed); group b: mean 2*3/7 - 1 = -1/7
    true_diff = (2 * 3 / 7 - 1) - (2 * 2 / 5 - 1)
    xa = _index_draws(rng, 2, 3, (R, n_a))
    xb = _index_draws(rng, 3, 4, (R, n_b))
    covered = 0
    widths = []
    for r in range(R):
        est = bootstrap_difference(xa[r], xb[r], n_boot=999, seed=r)
        covered += est.ci_low <= true_diff <= est.ci_high
        widths.append(est.ci_high - est.ci_low)
    coverage = covered / R
    assert 0.93 <= coverage <= 0.97, f"coverage {coverage:.4f} (SE {SE:.4f})"
    assert np.all(np.isfinite(widths))


def test_compare_honesty_bootstrap_mean_covers_true_mean_in_small_groups():
    # a small group (n = 8, the size of a thin administration): studentized intervals
    rng = np.random.default_rng(7)
    true_mean = 2 * 2 / 5 - 1
    x = _index_draws(rng, 2, 3, (R, 8))
    covered = 0
    for r in range(R):
        est = bootstrap_mean(x[r], n_boot=999, seed=r)
        covered += est.ci_low <= true_mean <= est.ci_high
    coverage = covered / R
    assert 0.93 <= coverage <= 0.97, f"coverage {coverage:.4f} (SE {SE:.4f})"


def test_compare_honesty_permutation_false_positive_rate_is_nominal():
    rng = np.random.default_rng(99)
    n_a, n_b = 20, 30
    xa = _index_draws(rng, 2, 3, (R, n_a))
    xb = _index_draws(rng, 2, 3, (R, n_b))  # same distribution: no difference
    p = np.array([permutation_test(xa[r], xb[r], n_perm=499, seed=r) for r in range(R)])
    rate = float(np.mean(p <= 0.05))
    se = np.sqrt(0.05 * 0.95 / R)
    assert 0.05 - 3 * se <= rate <= 0.05 + 3 * se, f"false-positive rate {rate:.4f}"
    # p-values are never zero and lie in (0, 1]
    assert p.min() >= 1 / 500 and p.max() <= 1.0


def test_compare_honesty_permutation_test_has_power_against_a_real_difference():
    rng = np.random.default_rng(5)
    rejections = 0
    for r in range(200):
        a = _index_draws(rng, 2, 3, 30)
        b = _index_draws(rng, 4, 2, 30)  # mean 1/3 vs -1/5: a large difference
        rejections += permutation_test(a, b, n_perm=199, seed=r) <= 0.05
    assert rejections / 200 > 0.95
