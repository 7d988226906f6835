"""Studentized permutation test of a difference of two ratios of sums (Welch statistic).

The permutation test of a raw difference of means tests exchangeability: with unequal spreads
and group sizes it is not a test of equal means, and its size can be far from nominal (31.9% at
a nominal 5% for 31 concentrated documents against 8 scored +-1; issue 13). Permuting the
studentized statistic

    T = (r_b - r_a) / sqrt(v_a + v_b),

with v the linearised variance of each group's ratio (s^2 / n for a plain mean: Welch's t), is
exact under exchangeability and asymptotically valid for equal means whatever the spreads and
sizes (Janssen 1997; Chung & Romano 2013). Weighted estimates (pooled rates, the pooled framing
index) and the cluster option use the same units and the same linearised variance.

In small groups a permuted sample often puts most of the spread in the smaller group, whose t
then has heavy tails; so each T (observed and permuted) is read on a common scale, its Welch
p-value 2 P(t_df > |T|) with Welch-Satterthwaite df (a prepivoted statistic, Beran 1988; as
df grows it orders permutations exactly as |T| does, so the asymptotic validity is unchanged).
The permutation p-value is the share of permutations whose Welch p-value is at most the
observed one. Measured sizes at a nominal 5%: docs/statistics.md section 3.

With a single unit in a group the variance of that group is undefined: the raw difference is
permuted instead and ``P_RAW`` names it.
"""

from __future__ import annotations

import numpy as np

from framelens.core.resampling import relabelled_sums

P_STUDENTIZED = "studentized permutation (Welch t, Satterthwaite df)"
P_RAW = "permutation of the difference (a group with one unit: no variance)"
P_NONE = "none (an empty group)"

#: Relative size below which a centred sum of squares is rounding error, i.e. zero.
_ROUNDING = 1e-10


def _moments(S: np.ndarray, W: np.ndarray, studentized: bool) -> np.ndarray:
    """Per-unit columns whose sums give a group's ratio and linearised variance."""
    if not studentized:
        return np.column_stack([S, W])
    return np.column_stack([S, W, S * S, W * W, S * W])


def _statistic(sums: np.ndarray, n: int, studentized: bool) -> tuple[np.ndarray, np.ndarray]:
    """Ratio and linearised variance of the groups whose column sums are the rows of ``sums``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        r = sums[:, 0] / sums[:, 1]
        if not studentized:
            return r, np.zeros_like(r)
        ss, ww, sw = sums[:, 2], sums[:, 3], sums[:, 4]
        centred = ss - 2.0 * r * sw + r * r * ww
        size = ss + r * r * ww
        centred = np.where(centred <= _ROUNDING * size, 0.0, centred)
        v = n / (n - 1) * centred / sums[:, 1] ** 2
    return r, v


def _score(sums_a: np.ndarray, sums_b: np.ndarray, n_a: int, n_b: int, studentized: bool):
    """How extreme each row of group sums is: -log of the Welch p-value of T (``studentized``),
    else |r_b - r_a|. +inf without variance and a nonzero difference; NaN when undefined."""
    r_a, v_a = _statistic(sums_a, n_a, studentized)
    r_b, v_b = _statistic(sums_b, n_b, studentized)
    d = r_b - r_a
    if not studentized:
        return np.abs(d)
    from scipy.stats import t as student_t

    v = v_a + v_b
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(d) / np.sqrt(v)
        den = v_a**2 / (n_a - 1) + v_b**2 / (n_b - 1)
        df = np.where(den > 0, v**2 / den, min(n_a, n_b) - 1.0)
    t = np.where(np.isnan(t) & np.isfinite(d), 0.0, t)
    score = -student_t.logsf(np.where(np.isfinite(t), t, 0.0), np.maximum(df, 1e-12))
    return np.where(np.isinf(t), np.inf, np.where(np.isnan(t), np.nan, score))


def studentized_perm_units(
    Sa: np.ndarray,
    Wa: np.ndarray,
    Sb: np.ndarray,
    Wb: np.ndarray,
    n_perm: int,
    rng: np.random.Generator,
    studentized: bool = True,
) -> tuple[float, str]:
    """Two-sided Monte Carlo permutation p-value of ratio(b) - ratio(a) and its method.

    Units' group labels are permuted ``n_perm`` times (group sizes kept);
    p = (1 + #{p_W(T*) <= p_W(T)}) / (1 + n_perm) (Phipson & Smyth 2010), p_W the Welch
    p-value of the studentized statistic. ``studentized=False`` permutes the raw difference
    (the test before issue 13, kept for comparison).
    """
    n_a, n_b = int(Sa.shape[0]), int(Sb.shape[0])
    if n_a == 0 or n_b == 0 or n_perm <= 0:
        return float("nan"), P_NONE
    S = np.concatenate([Sa, Sb]).astype(float)
    W = np.concatenate([Wa, Wb]).astype(float)
    if not (W[:n_a].sum() > 0 and W[n_a:].sum() > 0):
        return float("nan"), P_NONE
    # centre and scale (the statistic is unchanged; the sums of squares stay well conditioned)
    scale = float(W.mean()) or 1.0
    S, W = S / scale, W / scale
    S = S - (S.sum() / W.sum()) * W
    use_t = studentized and min(n_a, n_b) >= 2
    U = _moments(S, W, use_t)
    total = U.sum(axis=0)
    sums_a = U[:n_a].sum(axis=0, keepdims=True)
    observed = float(_score(sums_a, total - sums_a, n_a, n_b, use_t)[0])
    if np.isnan(observed):
        return float("nan"), P_NONE
    perm_a = relabelled_sums(U, n_a, n_perm, rng)
    t_perm = _score(perm_a, total - perm_a, n_a, n_b, use_t)
    threshold = observed - 1e-9 * max(1.0, observed) if np.isfinite(observed) else np.inf
    extreme = int(np.count_nonzero(t_perm >= threshold))
    method = P_STUDENTIZED if use_t else (P_RAW if studentized else "permutation of the difference")
    return (1.0 + extreme) / (1.0 + n_perm), method
