"""Bootstrap intervals of a ratio of sums (a mean, a weighted mean, a pooled share) and of a
difference of two such ratios: the array engines under every interval of stage 5.

A group's estimate is ``sum(S) / sum(W)`` over its resampling units (documents, or clusters
whose S and W are sums over their documents). Units are drawn with replacement through the
index matrices of ``framelens.core.resampling``; which interval is reported (symmetric
studentized bootstrap from five units on, a t interval for two to four units or when the
bootstrap-t is undefined, a range bound when no unit differs from the others, none for a single
unit) is decided in ``calibrated_intervals`` by measured coverage. Intervals are clipped to the
measure's logical range (``MEASURE_BOUNDS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framelens.analysis.stats.calibrated_intervals import (
    CI_BOUNDED,
    CI_DIFF_BOUNDED,
    CI_NO_VARIATION,
    CI_NONE,
    CI_STUDENTIZED,
    CI_T_SMALL,
    CI_T_TIES,
    CI_WELCH_SMALL,
    CI_WELCH_TIES,
    STUDENTIZED_MIN_UNITS,
    difference_interval,
    group_interval,
    has_variation,
)
from framelens.core.resampling import bootstrap_chunks
from framelens.core.seeding import rng as _rng

__all__ = [
    "CI_BOUNDED", "CI_DIFF_BOUNDED", "CI_NONE", "CI_NO_VARIATION", "CI_PERCENTILE",
    "CI_PERCENTILE_TIES", "CI_STUDENTIZED", "CI_T_SMALL", "CI_T_TIES", "CI_WELCH_SMALL",
    "CI_WELCH_TIES", "CI_WILSON", "MEASURE_BOUNDS", "NO_BOUNDS", "STUDENTIZED_MIN_UNITS",
    "BootstrapEstimate", "boot_diff_units", "boot_units", "bootstrap_difference",
    "bootstrap_mean", "bounds_of", "clip", "difference_bounds", "linearised_variance", "ratio",
    "replicates", "units_from_arrays", "wilson",
]  # fmt: skip

#: Percentile intervals are no longer produced by ``compare`` (their coverage at 2-4 units and
#: with ties was 54-65%, docs/statistics.md section 2); the names stay importable.
CI_PERCENTILE = "percentile bootstrap (fewer than 5 units)"
CI_PERCENTILE_TIES = "percentile bootstrap (studentized undefined: resamples without variation)"
CI_WILSON = "Wilson score (share of 0 or 1)"

#: Logical range of known measures: intervals are clipped to it (the true value lies inside, so
#: clipping never lowers coverage). Differences are clipped to (lo - hi, hi - lo).
MEASURE_BOUNDS: dict[str, tuple[float, float]] = {
    "framing_index": (-1.0, 1.0),
    "rate_humanitarian": (0.0, np.inf),
    "rate_security": (0.0, np.inf),
    "rate_cooperation": (0.0, np.inf),
    "hum_in_sec_share": (0.0, 1.0),
    "sec_in_hum_share": (0.0, 1.0),
    "share": (0.0, 1.0),
}
NO_BOUNDS = (-np.inf, np.inf)
_NAN = float("nan")


@dataclass(frozen=True)
class BootstrapEstimate:
    """A point estimate with its bootstrap interval.

    ``estimate`` is computed on the data (not the bootstrap mean); ``se`` is the standard
    deviation of the bootstrap replicates of the estimate; ``n`` the number of resampled units
    (both groups for a difference); ``method`` the interval (``CI_STUDENTIZED``, ``CI_T_SMALL``,
    ``CI_T_TIES``, ``CI_BOUNDED`` ... of ``calibrated_intervals``; ``CI_NONE``).
    ``ci_low``/``ci_high`` are NaN when a group has fewer than two units.
    """

    estimate: float
    ci_low: float
    ci_high: float
    se: float
    n: int
    method: str = CI_STUDENTIZED


def ratio(S: np.ndarray, W: np.ndarray) -> float:
    """``sum(S) / sum(W)``; NaN when the weights sum to zero."""
    w = float(W.sum())
    return float(S.sum()) / w if w > 0 else float("nan")


def linearised_variance(S: np.ndarray, W: np.ndarray) -> float:
    """Linearised (delta-method) variance of sum(S)/sum(W) over n units, with n/(n-1).

    For unit weights this is s^2 / n, the squared standard error of a mean.
    """
    n = S.shape[0]
    w = W.sum()
    if n < 2 or w <= 0:
        return float("nan")
    e = S - (S.sum() / w) * W
    return float(n / (n - 1) * (e**2).sum() / w**2)


def replicates(
    S: np.ndarray, W: np.ndarray, n_boot: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap replicates of r = sum(S)/sum(W) and of its linearised variance.

    Units are drawn with replacement through index matrices of shape (rows, n)
    (``core.resampling.bootstrap_chunks``). Returns (r*, v*), each of shape (n_boot,).
    """
    n = S.shape[0]
    r_star = np.empty(n_boot, dtype=float)
    v_star = np.empty(n_boot, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        for rows, idx in bootstrap_chunks(n, n_boot, rng):
            s, w = S[idx], W[idx]
            ws = w.sum(axis=1)
            r = s.sum(axis=1) / ws
            e = s - r[:, None] * w
            r_star[rows] = r
            v_star[rows] = n / (n - 1) * (e**2).sum(axis=1) / ws**2
    return r_star, v_star


def clip(lo: float, hi: float, bounds: tuple[float, float]) -> tuple[float, float]:
    """Clip finite interval ends to ``bounds``."""
    if np.isfinite(lo):
        lo = float(min(max(lo, bounds[0]), bounds[1]))
    if np.isfinite(hi):
        hi = float(min(max(hi, bounds[0]), bounds[1]))
    return lo, hi


def bounds_of(measure: str) -> tuple[float, float]:
    """The logical range of ``measure`` (unbounded when unknown)."""
    return MEASURE_BOUNDS.get(measure, NO_BOUNDS)


def difference_bounds(bounds: tuple[float, float]) -> tuple[float, float]:
    """The range of a difference of two values within ``bounds``."""
    width = bounds[1] - bounds[0]
    return (-width, width)


def wilson(k: float, n: float, ci: float) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials."""
    from scipy.stats import norm

    if n <= 0:
        return _NAN, _NAN
    z = float(norm.ppf(0.5 + ci / 2))
    p = k / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    lo = 0.0 if k <= 0 else max(0.0, centre - half)
    hi = 1.0 if k >= n else min(1.0, centre + half)
    return float(lo), float(hi)


def units_from_arrays(values, weights) -> tuple[np.ndarray, np.ndarray]:
    """Units (S = w * x, W = w) of finite values with finite non-negative weights."""
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w >= 0)
    return x[keep] * w[keep], w[keep]


def _se_boot(draws: np.ndarray) -> float:
    finite = draws[np.isfinite(draws)]
    return float(finite.std(ddof=1)) if finite.size > 1 else _NAN


def _t_star(r_star: np.ndarray, v_star: np.ndarray, est: float) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (r_star - est) / np.sqrt(v_star)


def boot_units(S, W, n_boot, ci, rng, bounds=NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of sum(S)/sum(W), resampling units (``calibrated_intervals``)."""
    n = int(S.shape[0])
    est = ratio(S, W)
    if n < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, n, CI_NONE)
    r_star, v_star = replicates(S, W, n_boot, rng)
    var = linearised_variance(S, W)
    lo, hi, method = group_interval(est, var, n, _t_star(r_star, v_star, est), ci, bounds,
                                    has_variation(S, W))  # fmt: skip
    lo, hi = clip(lo, hi, bounds)
    return BootstrapEstimate(est, lo, hi, _se_boot(r_star), n, method)


def boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, rng, bounds=NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of ratio(b) - ratio(a), resampling units within each group.

    When a group has no variation among its units the interval joins the two groups' own
    intervals at level (1+ci)/2 (``CI_DIFF_BOUNDED``): [lo_b - hi_a, hi_b - lo_a].
    """
    na, nb = int(Sa.shape[0]), int(Sb.shape[0])
    ra_hat, rb_hat = ratio(Sa, Wa), ratio(Sb, Wb)
    est = rb_hat - ra_hat
    if na < 2 or nb < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, na + nb, CI_NONE)
    ra, va = replicates(Sa, Wa, n_boot, rng)
    rb, vb = replicates(Sb, Wb, n_boot, rng)
    d_star = rb - ra
    var = (linearised_variance(Sa, Wa), linearised_variance(Sb, Wb))
    varies = (has_variation(Sa, Wa), has_variation(Sb, Wb))
    with np.errstate(invalid="ignore", divide="ignore"):
        t_star = (d_star - est) / np.sqrt(va + vb)
    chosen = difference_interval(est, var, (na, nb), t_star, ci, varies)
    if chosen is None:
        level = (1.0 + ci) / 2.0
        lo_a, hi_a, _ = group_interval(ra_hat, var[0], na, _t_star(ra, va, ra_hat), level,
                                       bounds, varies[0])  # fmt: skip
        lo_b, hi_b, _ = group_interval(rb_hat, var[1], nb, _t_star(rb, vb, rb_hat), level,
                                       bounds, varies[1])  # fmt: skip
        lo_a, hi_a = clip(lo_a, hi_a, bounds)
        lo_b, hi_b = clip(lo_b, hi_b, bounds)
        lo, hi = lo_b - hi_a, hi_b - lo_a
        method = CI_DIFF_BOUNDED if np.isfinite(lo) and np.isfinite(hi) else CI_NO_VARIATION
        if method == CI_NO_VARIATION:
            lo, hi = _NAN, _NAN
    else:
        lo, hi, method = chosen
    lo, hi = clip(lo, hi, difference_bounds(bounds))
    return BootstrapEstimate(est, lo, hi, _se_boot(d_star), na + nb, method)


def bootstrap_mean(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int | np.random.Generator,
    bounds: tuple[float, float] | None = None,
) -> BootstrapEstimate:
    """Mean (or weighted mean) of ``values`` with a bootstrap interval.

    Parameters
    ----------
    values : array-like of float, shape (n,)
        One value per document; NaN values are dropped.
    weights : array-like of float, shape (n,), optional
        Weights (e.g. token counts); the estimate is ``sum(w * x) / sum(w)``. Default: each
        value counts once.
    n_boot : int, default 2000
        Bootstrap replicates (documents drawn with replacement, ``n`` per replicate).
    ci : float, default 0.95
        Interval level. The interval is the symmetric studentized bootstrap from five values
        on, a t interval for two to four values, a range bound when all values are equal
        (``calibrated_intervals``; named in ``method``).
    seed : int or numpy.random.Generator
        Source of randomness.
    bounds : (float, float), optional
        The range the values can take, e.g. ``(-1, 1)`` for the framing index: the interval is
        clipped to it, and when all values are equal it gives the range bound
        (``CI_BOUNDED``). Default: unbounded (all values equal: no interval).

    Returns
    -------
    BootstrapEstimate
        NaN interval when fewer than two values remain.

    Examples
    --------
    >>> est = bootstrap_mean([0.1, -0.2, -0.5, 0.0, -0.3], n_boot=500, seed=1)
    >>> round(est.estimate, 3), est.ci_low < est.estimate < est.ci_high
    (-0.18, True)
    """
    S, W = units_from_arrays(values, weights)
    return boot_units(S, W, n_boot, ci, _rng(seed, "bootstrap_mean"), bounds or NO_BOUNDS)


def bootstrap_difference(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    weights_a: Sequence[float] | np.ndarray | None = None,
    weights_b: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int | np.random.Generator,
    bounds: tuple[float, float] | None = None,
) -> BootstrapEstimate:
    """Difference of means ``mean(b) - mean(a)`` with a bootstrap interval.

    The two groups are resampled independently (a stratified bootstrap: each replicate draws
    ``len(a)`` documents from ``a`` and ``len(b)`` from ``b``). NaN values are dropped.
    The interval is the symmetric studentized bootstrap when both groups have five values or
    more, a Welch t interval (Satterthwaite df) otherwise (``calibrated_intervals``); NaN when
    either group has fewer than two values. ``bounds``: the range of the values (as in
    ``bootstrap_mean``; the difference is clipped to +-its width).
    """
    Sa, Wa = units_from_arrays(a, weights_a)
    Sb, Wb = units_from_arrays(b, weights_b)
    rng = _rng(seed, "bootstrap_difference")
    return boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, rng, bounds or NO_BOUNDS)
