"""Bootstrap intervals of a ratio of sums (a mean, a weighted mean, a pooled share) and of a
difference of two such ratios: the array engines under every interval of stage 5.

A group's estimate is ``sum(S) / sum(W)`` over its resampling units (documents, or clusters
whose S and W are sums over their documents). Units are drawn with replacement through the
index matrices of ``framelens.core.resampling``; the interval is studentized (bootstrap-t with
the linearised variance) from five units on, a percentile interval for two to four units, and
none for a single unit. Intervals are clipped to the measure's logical range
(``MEASURE_BOUNDS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from framelens.core.resampling import bootstrap_chunks, percentile_interval, quantile_pair
from framelens.core.seeding import rng as _rng

#: Smallest number of resampling units for a studentized interval; smaller groups (2-4 units)
#: get a percentile interval (labelled in ``ci_method``), a single unit gets none.
STUDENTIZED_MIN_UNITS = 5
CI_STUDENTIZED = "studentized bootstrap"
CI_PERCENTILE = "percentile bootstrap (fewer than 5 units)"
CI_PERCENTILE_TIES = "percentile bootstrap (studentized undefined: resamples without variation)"
CI_NONE = "none (fewer than 2 units)"
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
    (both groups for a difference); ``method`` the interval (``CI_STUDENTIZED``,
    ``CI_PERCENTILE`` or ``CI_NONE``). ``ci_low``/``ci_high`` are NaN when a group has fewer
    than two units.
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


def studentized(est: float, se: float, t_star: np.ndarray, ci: float) -> tuple[float, float]:
    """Bootstrap-t interval [est - q_hi * se, est - q_lo * se] from replicates of t*.

    Replicates with zero variance give t* = +-inf (kept: they belong in the tails) or NaN
    (r* = est and v* = 0, i.e. t* = 0 by continuity).
    """
    t = np.where(np.isnan(t_star), 0.0, t_star)
    if se == 0:
        return est, est
    with np.errstate(invalid="ignore"):
        q_lo, q_hi = quantile_pair(t, ci)
    return est - q_hi * se, est - q_lo * se


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


def _interval(
    est: float, se: float, draws: np.ndarray, t_star: np.ndarray | None, ci: float
) -> tuple[float, float, str]:
    """Studentized interval when ``t_star`` is given and defined, else percentile."""
    if t_star is None:
        lo, hi = percentile_interval(draws, ci)
        return lo, hi, CI_PERCENTILE
    lo, hi = studentized(est, se, t_star, ci)
    if np.isfinite(lo) and np.isfinite(hi):
        return lo, hi, CI_STUDENTIZED
    lo, hi = percentile_interval(draws, ci)
    return lo, hi, CI_PERCENTILE_TIES


def _se_boot(draws: np.ndarray) -> float:
    finite = draws[np.isfinite(draws)]
    return float(finite.std(ddof=1)) if finite.size > 1 else _NAN


def boot_units(S, W, n_boot, ci, rng, bounds=NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of sum(S)/sum(W), resampling units."""
    n = int(S.shape[0])
    est = ratio(S, W)
    if n < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, n, CI_NONE)
    r_star, v_star = replicates(S, W, n_boot, rng)
    se, t_star = _NAN, None
    if n >= STUDENTIZED_MIN_UNITS:
        se = np.sqrt(linearised_variance(S, W))
        with np.errstate(invalid="ignore", divide="ignore"):
            t_star = (r_star - est) / np.sqrt(v_star)
    lo, hi, method = _interval(est, se, r_star, t_star, ci)
    lo, hi = clip(lo, hi, bounds)
    return BootstrapEstimate(est, lo, hi, _se_boot(r_star), n, method)


def boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, rng, bounds=NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of ratio(b) - ratio(a), resampling units within each group."""
    na, nb = int(Sa.shape[0]), int(Sb.shape[0])
    est = ratio(Sb, Wb) - ratio(Sa, Wa)
    if na < 2 or nb < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, na + nb, CI_NONE)
    ra, va = replicates(Sa, Wa, n_boot, rng)
    rb, vb = replicates(Sb, Wb, n_boot, rng)
    d_star = rb - ra
    se, t_star = _NAN, None
    if min(na, nb) >= STUDENTIZED_MIN_UNITS:
        se = np.sqrt(linearised_variance(Sa, Wa) + linearised_variance(Sb, Wb))
        with np.errstate(invalid="ignore", divide="ignore"):
            t_star = (d_star - est) / np.sqrt(va + vb)
    lo, hi, method = _interval(est, se, d_star, t_star, ci)
    lo, hi = clip(lo, hi, difference_bounds(bounds))
    return BootstrapEstimate(est, lo, hi, _se_boot(d_star), na + nb, method)


def bootstrap_mean(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int | np.random.Generator,
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
        Interval level: studentized from five values on, else the (1-ci)/2 and (1+ci)/2
        quantiles of the replicates.
    seed : int or numpy.random.Generator
        Source of randomness.

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
    return boot_units(S, W, n_boot, ci, _rng(seed, "bootstrap_mean"))


def bootstrap_difference(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    weights_a: Sequence[float] | np.ndarray | None = None,
    weights_b: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int | np.random.Generator,
) -> BootstrapEstimate:
    """Difference of means ``mean(b) - mean(a)`` with a bootstrap interval.

    The two groups are resampled independently (a stratified bootstrap: each replicate draws
    ``len(a)`` documents from ``a`` and ``len(b)`` from ``b``). NaN values are dropped.
    The interval is NaN when either group has fewer than two values.
    """
    Sa, Wa = units_from_arrays(a, weights_a)
    Sb, Wb = units_from_arrays(b, weights_b)
    return boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, _rng(seed, "bootstrap_difference"))
