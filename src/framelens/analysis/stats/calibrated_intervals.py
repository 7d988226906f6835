"""Which interval a group estimate or a difference gets, chosen by measured coverage.

Every estimate of stage 5 is a ratio of sums r = sum(S) / sum(W) over resampling units (see
``bootstrap``). Given its bootstrap replicates, the interval is, in order:

1. **No variation** (every unit has the same value, so the linearised variance is 0): the data
   cannot measure their own spread. For a measure with a known range (the framing index, a
   share) the interval is the range the mean can take when the unknown share of units away from
   that value is at most its one-sided Clopper-Pearson bound (``bounded_constant_interval``);
   for an unbounded measure there is none.
2. **Fewer than five units** (in either group of a difference): a t interval on the linearised
   standard error, n - 1 degrees of freedom (Welch-Satterthwaite for a difference).
3. Otherwise the **symmetric studentized bootstrap** (Hall 1988): est +- q * se with q the
   ``ci`` quantile of |t*|, t* = (r* - r) / se*. When more than 1 - ci of the resamples have no
   variation (t* infinite), the t interval of 2. is used instead.

The measured coverage of each choice (point-mass and smooth index distributions, n = 3 ... 30)
is in ``docs/statistics.md`` section 2 and checked by ``tests/test_honesty_*.py``.
"""

from __future__ import annotations

import numpy as np

from framelens.core.resampling import symmetric_quantile

#: Smallest number of resampling units (in each group) for a bootstrap-t interval.
STUDENTIZED_MIN_UNITS = 5
CI_STUDENTIZED = "symmetric studentized bootstrap"
CI_T_SMALL = "t interval, n-1 df (fewer than 5 units)"
CI_T_TIES = "t interval, n-1 df (bootstrap-t undefined: resamples without variation)"
CI_WELCH_SMALL = "Welch t interval, Satterthwaite df (fewer than 5 units in a group)"
CI_WELCH_TIES = (
    "Welch t interval, Satterthwaite df (bootstrap-t undefined: resamples without variation)"
)
CI_BOUNDED = "range bound (no variation among units; Clopper-Pearson on their share)"
CI_DIFF_BOUNDED = "range bound (a group without variation; the groups' intervals at level (1+ci)/2)"
CI_NO_VARIATION = "none (no variation among units, unbounded measure)"
CI_NONE = "none (fewer than 2 units)"

_NAN = float("nan")


def t_quantile(ci: float, df: float) -> float:
    """The two-sided ``ci`` quantile of Student's t with ``df`` degrees of freedom."""
    from scipy.stats import t as student_t

    if not np.isfinite(df) or df <= 0:
        return _NAN
    return float(student_t.ppf(0.5 + ci / 2.0, df))


def satterthwaite_df(var_a: float, n_a: int, var_b: float, n_b: int) -> float:
    """Welch-Satterthwaite degrees of freedom of ``var_a + var_b`` (variances of two means)."""
    den = var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1)
    if den <= 0:
        return float(min(n_a, n_b) - 1)
    return float((var_a + var_b) ** 2 / den)


def t_interval(est: float, var: float, df: float, ci: float) -> tuple[float, float]:
    """``est +- t_{df} * sqrt(var)``."""
    half = t_quantile(ci, df) * np.sqrt(var)
    return est - half, est + half


def has_variation(S: np.ndarray, W: np.ndarray) -> bool:
    """False when every unit's ratio S_i / W_i equals the pooled ratio (up to rounding)."""
    w = float(W.sum())
    if S.size < 2 or w <= 0:
        return False
    r = float(S.sum()) / w
    e = np.abs(S - r * W)
    scale = float(np.abs(S).max() + abs(r) * np.abs(W).max()) or 1.0
    return bool(e.max() > 1e-9 * scale)


def bounded_constant_interval(
    value: float, n: int, ci: float, bounds: tuple[float, float]
) -> tuple[float, float]:
    """Interval for the mean of a bounded measure when all ``n`` units share ``value``.

    The share p of the population's units at ``value`` is at least p_lo = ((1-ci)/2)^(1/n)
    (one-sided Clopper-Pearson bound for n successes in n trials); the rest lie within
    ``bounds``, so the mean lies in [value - (1-p_lo)(value - lo), value + (1-p_lo)(hi - value)].
    NaN for an unbounded measure. Exact for equal unit weights.

    >>> [round(x, 3) for x in bounded_constant_interval(-1.0, 30, 0.95, (-1.0, 1.0))]
    [-1.0, -0.769]
    """
    lo, hi = bounds
    if not (np.isfinite(lo) and np.isfinite(hi)) or n < 1:
        return _NAN, _NAN
    miss = 1.0 - ((1.0 - ci) / 2.0) ** (1.0 / n)
    return value - miss * (value - lo), value + miss * (hi - value)


def group_interval(
    est: float,
    var: float,
    n: int,
    t_star: np.ndarray,
    ci: float,
    bounds: tuple[float, float],
    varies: bool,
) -> tuple[float, float, str]:
    """Interval and method of one group's ratio (``var``: linearised variance; ``n`` units)."""
    if n < 2:
        return _NAN, _NAN, CI_NONE
    if not varies:
        lo, hi = bounded_constant_interval(est, n, ci, bounds)
        return lo, hi, CI_BOUNDED if np.isfinite(lo) else CI_NO_VARIATION
    if n < STUDENTIZED_MIN_UNITS:
        return (*t_interval(est, var, n - 1, ci), CI_T_SMALL)
    q = symmetric_quantile(t_star, ci)
    if not np.isfinite(q):
        return (*t_interval(est, var, n - 1, ci), CI_T_TIES)
    half = q * np.sqrt(var)
    return est - half, est + half, CI_STUDENTIZED


def difference_interval(
    est: float,
    var: tuple[float, float],
    n: tuple[int, int],
    t_star: np.ndarray,
    ci: float,
    varies: tuple[bool, bool],
) -> tuple[float, float, str] | None:
    """Interval and method of ratio(b) - ratio(a) when both groups vary (else None: the caller
    combines the two groups' own intervals, ``CI_DIFF_BOUNDED``)."""
    (va, vb), (na, nb) = var, n
    if min(na, nb) < 2:
        return _NAN, _NAN, CI_NONE
    if not all(varies):
        return None
    se2 = va + vb
    if min(na, nb) < STUDENTIZED_MIN_UNITS:
        df = satterthwaite_df(va, na, vb, nb)
        return (*t_interval(est, se2, df, ci), CI_WELCH_SMALL)
    q = symmetric_quantile(t_star, ci)
    if not np.isfinite(q):
        df = satterthwaite_df(va, na, vb, nb)
        return (*t_interval(est, se2, df, ci), CI_WELCH_TIES)
    half = q * np.sqrt(se2)
    return est - half, est + half, CI_STUDENTIZED
