"""Compare administrations and countries with honest statistics (stage 5).

The functions here turn document-level measures (the framing index, frame rates, co-occurrence
shares, actor mentions) into group estimates with intervals, differences with permutation
p-values and Holm correction, a regression with cluster-robust standard errors, and a time
series with bootstrap bands. Every choice is documented in ``docs/statistics.md``.

- ``compare(table, value, by=("country", "administration"), ...) -> ComparisonResult``
- ``regress(table, value, ...) -> RegressionResult``
- ``timeseries(table, value, freq="auto", ...) -> DataFrame`` (table ``frame_timeseries``)
- ``cooccurrence_by_group(cooccurrence, ...) -> ComparisonResult``
- ``actors_by_group(actors, ...) -> DataFrame`` (table ``actors_by_group``)
- ``compare_all(tables, config, seed) -> dict[str, DataFrame]`` (what ``framelens run`` writes)

Array-level building blocks (used by the above and by the honesty tests):
``bootstrap_mean``, ``bootstrap_difference``, ``permutation_test``, ``holm``.

Randomness: every interval draws from its own generator, ``numpy.random.default_rng`` seeded
with ``[seed, crc32(key)...]`` where the key names the estimate (measure, group, contrast), so
an estimate's interval does not change when another group is added to the corpus, and the same
input + seed gives byte-identical tables. Bootstraps use index matrices (one row per replicate)
and are fully vectorised.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.domain import ADMINISTRATION_ORDER, ADMINISTRATIONS, UNKNOWN
from framelens.core.seeding import rng as _rng

__all__ = [
    "BY_DEFAULT",
    "COOCCURRENCE_MEASURES",
    "FRAME_MEASURES",
    "BootstrapEstimate",
    "ComparisonResult",
    "RegressionResult",
    "actors_by_group",
    "bootstrap_difference",
    "bootstrap_mean",
    "compare",
    "compare_all",
    "cooccurrence_by_group",
    "holm",
    "joint_periods",
    "permutation_test",
    "regress",
    "timeseries",
]

BY_DEFAULT: tuple[str, str] = ("country", "administration")
#: Document-level frame measures compared by default (those present in the table are used).
FRAME_MEASURES: tuple[str, ...] = (
    "framing_index",
    "rate_humanitarian",
    "rate_security",
    "rate_cooperation",
)
#: Co-occurrence shares and the hit counts that are their denominators (for hit weighting).
COOCCURRENCE_MEASURES: dict[str, str] = {
    "hum_in_sec_share": "hum_hits",
    "sec_in_hum_share": "sec_hits",
}
FRAMES: tuple[str, ...] = ("humanitarian", "security", "cooperation")
COUNTRY_ORDER: tuple[str, ...] = tuple(ADMINISTRATIONS)
COUNTRY_PAIR = "US vs MX"

#: Elements per index matrix chunk; depends on nothing but the group size, so results do not
#: depend on the machine.
_CHUNK_ELEMENTS = 2_000_000

GROUP_COLUMNS = [
    "measure", "country", "administration", "compared", "n_docs", "n_missing", "n_units",
    "n_issuers", "mean", "ci_low", "ci_high", "se_boot", "ci_level", "ci_method", "n_boot", "small_n",
    "min_n", "weighting", "resampling", "note",
]  # fmt: skip
DIFFERENCE_COLUMNS = [
    "measure", "comparison", "country", "period", "period_start", "period_end", "group_a",
    "group_b", "contrast", "n_a", "n_b", "mean_a", "mean_b", "difference", "ci_low", "ci_high",
    "p_perm", "p_holm", "ci_level", "ci_method", "n_boot", "n_perm", "small_n", "weighting", "resampling",
    "note",
]  # fmt: skip
REGRESSION_COLUMNS = [
    "measure", "term", "coef", "se", "t", "p", "ci_low", "ci_high", "ci_level", "n",
    "n_clusters", "cov_type", "weighting", "reference", "note",
]  # fmt: skip
TIMESERIES_COLUMNS = [
    "measure", "country", "freq", "period", "period_start", "period_end", "administrations",
    "n_docs", "mean", "ci_low", "ci_high", "ci_level", "ci_method", "n_boot", "small_n", "min_n",
    "n_undated", "weighting", "resampling",
]  # fmt: skip
ACTOR_COLUMNS = [
    "actor", "actor_country", "country", "administration", "compared", "frame", "n_mentions",
    "n_docs", "n_frame", "share", "ci_low", "ci_high", "ci_level", "ci_method", "n_boot", "small_n",
    "min_n", "weighting", "resampling", "note",
]  # fmt: skip
TABLE_COLUMNS = [
    "kind", "measure", "comparison", "country", "group", "period", "n", "estimate", "ci_low",
    "ci_high", "p_perm", "p_holm", "small_n", "weighting", "note",
]  # fmt: skip


# ============================================================================ randomness


# ============================================================================ array engines
#: Smallest number of resampling units for a studentized interval; smaller groups (2-4 units)
#: get a percentile interval (labelled in ``ci_method``), a single unit gets none.
STUDENTIZED_MIN_UNITS = 5
CI_STUDENTIZED = "studentized bootstrap"
CI_PERCENTILE = "percentile bootstrap (fewer than 5 units)"
CI_PERCENTILE_TIES = "percentile bootstrap (studentized undefined: resamples without variation)"
CI_NONE = "none (fewer than 2 units)"

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
_NO_BOUNDS = (-np.inf, np.inf)
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


def _ratio(S: np.ndarray, W: np.ndarray) -> float:
    w = float(W.sum())
    return float(S.sum()) / w if w > 0 else float("nan")


def _lin_var(S: np.ndarray, W: np.ndarray) -> float:
    """Linearised (delta-method) variance of sum(S)/sum(W) over n units, with n/(n-1).

    For unit weights this is s^2 / n, the squared standard error of a mean.
    """
    n = S.shape[0]
    w = W.sum()
    if n < 2 or w <= 0:
        return float("nan")
    e = S - (S.sum() / w) * W
    return float(n / (n - 1) * (e**2).sum() / w**2)


def _replicates(S: np.ndarray, W: np.ndarray, n_boot: int, rng: np.random.Generator):
    """Bootstrap replicates of r = sum(S)/sum(W) and of its linearised variance.

    Units are drawn with replacement through an index matrix of shape (n_boot, n), built in
    chunks whose size depends only on n. Returns (r*, v*), each of shape (n_boot,).
    """
    n = S.shape[0]
    r_star = np.empty(n_boot, dtype=float)
    v_star = np.empty(n_boot, dtype=float)
    rows = max(1, _CHUNK_ELEMENTS // max(n, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        for start in range(0, n_boot, rows):
            stop = min(n_boot, start + rows)
            idx = rng.integers(0, n, size=(stop - start, n))
            s, w = S[idx], W[idx]
            ws = w.sum(axis=1)
            r = s.sum(axis=1) / ws
            e = s - r[:, None] * w
            r_star[start:stop] = r
            v_star[start:stop] = n / (n - 1) * (e**2).sum(axis=1) / ws**2
    return r_star, v_star


def _quantiles(x: np.ndarray, ci: float) -> tuple[float, float]:
    alpha = (1.0 - ci) / 2.0
    lo, hi = np.quantile(x, [alpha, 1.0 - alpha])
    return float(lo), float(hi)


def _studentized(est, se, t_star, ci) -> tuple[float, float]:
    """Bootstrap-t interval [est - q_hi * se, est - q_lo * se] from replicates of t*.

    Replicates with zero variance give t* = +-inf (kept: they belong in the tails) or NaN
    (r* = est and v* = 0, i.e. t* = 0 by continuity).
    """
    t = np.where(np.isnan(t_star), 0.0, t_star)
    if se == 0:
        return est, est
    with np.errstate(invalid="ignore"):
        q_lo, q_hi = _quantiles(t, ci)
    return est - q_hi * se, est - q_lo * se


def _clip(lo: float, hi: float, bounds: tuple[float, float]) -> tuple[float, float]:
    if np.isfinite(lo):
        lo = float(min(max(lo, bounds[0]), bounds[1]))
    if np.isfinite(hi):
        hi = float(min(max(hi, bounds[0]), bounds[1]))
    return lo, hi


def _bounds(measure: str) -> tuple[float, float]:
    return MEASURE_BOUNDS.get(measure, _NO_BOUNDS)


def _diff_bounds(bounds: tuple[float, float]) -> tuple[float, float]:
    width = bounds[1] - bounds[0]
    return (-width, width)


CI_WILSON = "Wilson score (share of 0 or 1)"


def _wilson(k: float, n: float, ci: float) -> tuple[float, float]:
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


def _units_from_arrays(values, weights) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w >= 0)
    return x[keep] * w[keep], w[keep]


def _boot_units(S, W, n_boot, ci, rng, bounds=_NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of sum(S)/sum(W), resampling units."""
    n = int(S.shape[0])
    est = _ratio(S, W)
    if n < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, n, CI_NONE)
    r_star, v_star = _replicates(S, W, n_boot, rng)
    finite = r_star[np.isfinite(r_star)]
    se_boot = float(finite.std(ddof=1)) if finite.size > 1 else _NAN
    if n >= STUDENTIZED_MIN_UNITS:
        se = np.sqrt(_lin_var(S, W))
        with np.errstate(invalid="ignore", divide="ignore"):
            t_star = (r_star - est) / np.sqrt(v_star)
        lo, hi = _studentized(est, se, t_star, ci)
        method = CI_STUDENTIZED
        if not (np.isfinite(lo) and np.isfinite(hi)):
            lo, hi = _quantiles(finite, ci) if finite.size > 1 else (_NAN, _NAN)
            method = CI_PERCENTILE_TIES
    else:
        lo, hi = _quantiles(finite, ci) if finite.size > 1 else (_NAN, _NAN)
        method = CI_PERCENTILE
    lo, hi = _clip(lo, hi, bounds)
    return BootstrapEstimate(est, lo, hi, se_boot, n, method)


def _boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, rng, bounds=_NO_BOUNDS) -> BootstrapEstimate:
    """Estimate and interval of ratio(b) - ratio(a), resampling units within each group."""
    na, nb = int(Sa.shape[0]), int(Sb.shape[0])
    est = _ratio(Sb, Wb) - _ratio(Sa, Wa)
    if na < 2 or nb < 2:
        return BootstrapEstimate(est, _NAN, _NAN, _NAN, na + nb, CI_NONE)
    ra, va = _replicates(Sa, Wa, n_boot, rng)
    rb, vb = _replicates(Sb, Wb, n_boot, rng)
    d_star = rb - ra
    finite = d_star[np.isfinite(d_star)]
    se_boot = float(finite.std(ddof=1)) if finite.size > 1 else _NAN
    if min(na, nb) >= STUDENTIZED_MIN_UNITS:
        se = np.sqrt(_lin_var(Sa, Wa) + _lin_var(Sb, Wb))
        with np.errstate(invalid="ignore", divide="ignore"):
            t_star = (d_star - est) / np.sqrt(va + vb)
        lo, hi = _studentized(est, se, t_star, ci)
        method = CI_STUDENTIZED
        if not (np.isfinite(lo) and np.isfinite(hi)):
            lo, hi = _quantiles(finite, ci) if finite.size > 1 else (_NAN, _NAN)
            method = CI_PERCENTILE_TIES
    else:
        lo, hi = _quantiles(finite, ci) if finite.size > 1 else (_NAN, _NAN)
        method = CI_PERCENTILE
    lo, hi = _clip(lo, hi, _diff_bounds(bounds))
    return BootstrapEstimate(est, lo, hi, se_boot, na + nb, method)


def _perm_units(Sa, Wa, Sb, Wb, n_perm, rng) -> float:
    """Two-sided permutation p-value of ratio(b) - ratio(a), units' group labels permuted."""
    n_a, n_b = Sa.shape[0], Sb.shape[0]
    if n_a == 0 or n_b == 0 or n_perm <= 0:
        return float("nan")
    S = np.concatenate([Sa, Sb])
    W = np.concatenate([Wa, Wb])
    observed = abs(_ratio(Sb, Wb) - _ratio(Sa, Wa))
    if not np.isfinite(observed):
        return float("nan")
    n = n_a + n_b
    s_tot, w_tot = S.sum(), W.sum()
    base = np.arange(n)
    rows = max(1, _CHUNK_ELEMENTS // n)
    tol = 1e-10 * max(1.0, observed)
    extreme = 0
    for start in range(0, n_perm, rows):
        m = min(n_perm, start + rows) - start
        perm = rng.permuted(np.broadcast_to(base, (m, n)), axis=1)[:, :n_a]
        s_a = S[perm].sum(axis=1)
        w_a = W[perm].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            d = (s_tot - s_a) / (w_tot - w_a) - s_a / w_a
        extreme += int(np.count_nonzero(np.abs(d) >= observed - tol))
    return (1.0 + extreme) / (1.0 + n_perm)


def bootstrap_mean(
    values: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int | np.random.Generator,
) -> BootstrapEstimate:
    """Mean (or weighted mean) of ``values`` with a percentile bootstrap interval.

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
        Interval level; the interval is the (1-ci)/2 and (1+ci)/2 quantiles of the replicates.
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
    S, W = _units_from_arrays(values, weights)
    return _boot_units(S, W, n_boot, ci, _rng(seed, "bootstrap_mean"))


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
    """Difference of means ``mean(b) - mean(a)`` with a percentile bootstrap interval.

    The two groups are resampled independently (a stratified bootstrap: each replicate draws
    ``len(a)`` documents from ``a`` and ``len(b)`` from ``b``). NaN values are dropped.
    The interval is NaN when either group has fewer than two values.
    """
    Sa, Wa = _units_from_arrays(a, weights_a)
    Sb, Wb = _units_from_arrays(b, weights_b)
    return _boot_diff_units(Sa, Wa, Sb, Wb, n_boot, ci, _rng(seed, "bootstrap_difference"))


def permutation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    weights_a: Sequence[float] | np.ndarray | None = None,
    weights_b: Sequence[float] | np.ndarray | None = None,
    *,
    n_perm: int = 2000,
    seed: int | np.random.Generator,
) -> float:
    """Two-sided permutation p-value for ``mean(b) - mean(a)``.

    Group labels are shuffled ``n_perm`` times (Monte Carlo permutations); the p-value is
    ``(1 + #{|d*| >= |d|}) / (1 + n_perm)`` (Phipson & Smyth 2010), never zero. NaN values are
    dropped; returns NaN when a group is empty.
    """
    Sa, Wa = _units_from_arrays(a, weights_a)
    Sb, Wb = _units_from_arrays(b, weights_b)
    return _perm_units(Sa, Wa, Sb, Wb, n_perm, _rng(seed, "permutation_test"))


def holm(pvalues: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values (family-wise error control); NaN stays NaN.

    ``p_(i)`` sorted ascending is multiplied by ``m - i + 1`` (``m`` finite p-values), made
    monotone with a running maximum and capped at 1. Equal to
    ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]``.
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    out[order] = adj
    return out


# ============================================================================ helpers
def _admin_rank(country: str, administration: str) -> int:
    order = ADMINISTRATION_ORDER.get(country, [])
    if administration in order:
        return order.index(administration) + 1
    if administration == UNKNOWN:
        return 10_000
    if str(administration).startswith("before "):
        return 0
    return 5_000


def _country_rank(country: str) -> int:
    return COUNTRY_ORDER.index(country) if country in COUNTRY_ORDER else len(COUNTRY_ORDER)


def _sort_groups(keys: Iterable[tuple], by: Sequence[str]) -> list[tuple]:
    def sort_key(k: tuple):
        d = dict(zip(by, k, strict=True))
        country = d.get("country", "")
        out: list[Any] = []
        for col, val in zip(by, k, strict=True):
            if col == "country":
                out += [_country_rank(val), val]
            elif col == "administration":
                out += [_admin_rank(country, val), val]
            else:
                out += [0, val]
        return tuple(out)

    return sorted(keys, key=sort_key)


def _weighting_label(weights: str | None) -> str:
    if weights is None:
        return "document"
    if weights == "n_tokens":
        return "tokens"
    return f"weights:{weights}"


def _check_columns(table: pd.DataFrame, cols: Iterable[str | None], what: str) -> None:
    missing = [c for c in cols if c is not None and c not in table.columns]
    if missing:
        raise KeyError(
            f"{what}: column(s) {missing} not in the table; columns: {list(table.columns)}"
        )


def _norm_key(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), UNKNOWN).astype(str)


@dataclass
class _Units:
    S: np.ndarray
    W: np.ndarray
    n_docs: int
    n_missing: int
    n_issuers: int
    resampling: str


class _Arrays:
    """Numpy columns of one table, so that the units of many groups are cut without pandas.

    ``units(positions, value, weights)`` returns the resampling units of the rows at
    ``positions``: documents, or clusters (each the sum over its documents) when ``cluster``
    is set. A missing cluster label makes a document its own cluster.
    """

    def __init__(self, df: pd.DataFrame, cluster: str | None):
        self.df = df
        self.cluster = cluster
        self._num: dict[str, np.ndarray] = {}
        self.issuer = pd.factorize(df["issuer"], sort=True)[0] if "issuer" in df.columns else None
        self.ccodes = None
        if cluster is not None:
            labels = df[cluster].astype(object)
            if "doc_id" in df.columns:
                fallback = "doc:" + df["doc_id"].astype(str)
            else:
                fallback = pd.Series([f"row:{i}" for i in range(len(df))], index=df.index)
            labels = labels.where(labels.notna(), fallback).astype(str)
            self.ccodes = pd.factorize(labels, sort=True)[0]

    def col(self, name: str) -> np.ndarray:
        if name not in self._num:
            self._num[name] = pd.to_numeric(self.df[name], errors="coerce").to_numpy(dtype=float)
        return self._num[name]

    def units(self, pos: np.ndarray, value: str, weights: str | None) -> _Units:
        x = self.col(value)[pos]
        w = np.ones_like(x) if weights is None else self.col(weights)[pos]
        keep = np.isfinite(x) & np.isfinite(w) & (w >= 0)
        n_docs = int(keep.sum())
        n_missing = int(keep.size - n_docs)
        n_issuers = 0
        if self.issuer is not None:
            codes = self.issuer[pos][keep]
            n_issuers = int(np.unique(codes[codes >= 0]).size + (codes < 0).sum())
        sx, sw = x[keep] * w[keep], w[keep]
        if self.ccodes is None:
            return _Units(sx, sw, n_docs, n_missing, n_issuers, "documents")
        _, inv = np.unique(self.ccodes[pos][keep], return_inverse=True)
        k = int(inv.max()) + 1 if inv.size else 0
        S = np.bincount(inv, weights=sx, minlength=k)
        W = np.bincount(inv, weights=sw, minlength=k)
        return _Units(S, W, n_docs, n_missing, n_issuers, f"{self.cluster} clusters")


def _positions(df: pd.DataFrame, keys: list[str]) -> dict[tuple, np.ndarray]:
    """Row positions of each group of ``keys`` (keys always tuples)."""
    if df.empty:
        return {}
    return {
        (k if isinstance(k, tuple) else (k,)): np.asarray(v)
        for k, v in df.groupby(keys, sort=True).indices.items()
    }


# ============================================================================ joint periods
def _spans(country: str) -> list[tuple[str, dt.date, dt.date | None]]:
    spans = ADMINISTRATIONS[country]
    out = []
    for i, (start, name) in enumerate(spans):
        end = spans[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(spans) else None
        out.append((name, start, end))
    return out


def joint_periods(a: str = "US", b: str = "MX") -> pd.DataFrame:
    """Calendar periods in which one administration of ``a`` and one of ``b`` were both in office.

    Returns columns period ("<a admin> / <b admin>"), admin_a, admin_b, start, end (ISO dates;
    end None while both are in office), in chronological order. These are the periods within
    which the two countries are compared.

    >>> joint_periods().period.tolist()[-3:]
    ['Biden / López Obrador', 'Biden / Sheinbaum', 'Trump II / Sheinbaum']
    """
    rows = []
    for name_a, s_a, e_a in _spans(a):
        for name_b, s_b, e_b in _spans(b):
            start = max(s_a, s_b)
            ends = [e for e in (e_a, e_b) if e is not None]
            end = min(ends) if ends else None
            if end is None or start <= end:
                rows.append(
                    {
                        "period": f"{name_a} / {name_b}",
                        "admin_a": name_a,
                        "admin_b": name_b,
                        "start": start.isoformat(),
                        "end": end.isoformat() if end else None,
                    }
                )
    return pd.DataFrame(rows).sort_values("start", kind="stable").reset_index(drop=True)


def _parse_dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.astype(object).where(series.notna()), errors="coerce",
                          format="mixed")  # fmt: skip


def _assign_periods(df: pd.DataFrame) -> pd.Series:
    """Joint US/MX period label of each row (NaN when undated or not in a joint period)."""
    from framelens.core.domain import administration_for

    periods = joint_periods("US", "MX")
    valid = {(r.admin_a, r.admin_b): r.period for r in periods.itertuples()}
    dates = _parse_dates(df["date"])
    out = pd.Series(np.nan, index=df.index, dtype=object)
    for idx, country, admin, date in zip(
        df.index, df["country"], df["administration"], dates, strict=True
    ):
        if pd.isna(date) or admin == UNKNOWN or country not in ("US", "MX"):
            continue
        d = date.date()
        if country == "US":
            key = (admin, administration_for("MX", d))
        else:
            key = (administration_for("US", d), admin)
        if key in valid:
            out.at[idx] = valid[key]
    return out


# ============================================================================ compare
@dataclass
class ComparisonResult:
    """Group estimates and differences of one or more measures (like a statsmodels results object).

    Attributes
    ----------
    groups : DataFrame
        Table ``frame_by_group`` (columns ``GROUP_COLUMNS``): one row per measure x group,
        small groups flagged (``small_n``), never dropped; administration "unknown" shown with
        ``compared=False``.
    differences : DataFrame
        Table ``frame_differences`` (columns ``DIFFERENCE_COLUMNS``).
    settings : dict
        n_boot, n_perm, ci, min_n, seed, weighting, cluster, by, measures.
    notes : list of str
        What was excluded and why (unknown administration, NaN values, undated documents).
    """

    groups: pd.DataFrame
    differences: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        """Tidy union of groups and differences: columns ``TABLE_COLUMNS``, one row each."""
        g = self.groups
        groups = pd.DataFrame(
            {
                "kind": "group",
                "measure": g["measure"],
                "comparison": None,
                "country": g["country"] if "country" in g else None,
                "group": g["administration"] if "administration" in g else None,
                "period": None,
                "n": g["n_docs"],
                "estimate": g["mean"],
                "ci_low": g["ci_low"],
                "ci_high": g["ci_high"],
                "p_perm": np.nan,
                "p_holm": np.nan,
                "small_n": g["small_n"],
                "weighting": g["weighting"],
                "note": g["note"],
            }
        )
        d = self.differences
        diffs = pd.DataFrame(
            {
                "kind": "difference",
                "measure": d["measure"],
                "comparison": d["comparison"],
                "country": d["country"],
                "group": d["contrast"],
                "period": d["period"],
                "n": d["n_a"] + d["n_b"],
                "estimate": d["difference"],
                "ci_low": d["ci_low"],
                "ci_high": d["ci_high"],
                "p_perm": d["p_perm"],
                "p_holm": d["p_holm"],
                "small_n": d["small_n"],
                "weighting": d["weighting"],
                "note": d["note"],
            }
        )
        parts = [p for p in (groups, diffs) if len(p)]
        if not parts:
            return pd.DataFrame(columns=TABLE_COLUMNS)
        return pd.concat(parts, ignore_index=True)[TABLE_COLUMNS]

    def summary(self) -> str:
        """A plain-text summary: settings, group estimates, differences, exclusions."""
        s = self.settings
        pct = f"{s.get('ci', 0.95) * 100:g}%"
        lines = [
            f"Comparison of {', '.join(s.get('measures', []))} by {' x '.join(s.get('by', []))}",
            f"weighting: {s.get('weighting')}; resampling: "
            f"{'documents' if not s.get('cluster') else s['cluster'] + ' clusters'}; "
            f"{pct} studentized bootstrap intervals ({s.get('n_boot')} replicates; percentile for "
            f"groups of 2-4); permutation test "
            f"({s.get('n_perm')} permutations); Holm within measure; min n {s.get('min_n')}; "
            f"seed {s.get('seed')}",
            "",
        ]
        if len(self.groups):
            g = self.groups.copy()
            g["interval"] = [
                _fmt_ci(lo, hi) for lo, hi in zip(g["ci_low"], g["ci_high"], strict=True)
            ]
            g["flag"] = np.where(g["small_n"], "small n", "")
            g.loc[~g["compared"], "flag"] = "not compared"
            cols = [c for c in ("measure", "country", "administration") if c in g] + [
                "n_docs", "mean", "interval", "flag"]  # fmt: skip
            lines += ["Groups", g[cols].to_string(index=False, float_format=_fmt), ""]
        if len(self.differences):
            d = self.differences.copy()
            d["interval"] = [
                _fmt_ci(lo, hi) for lo, hi in zip(d["ci_low"], d["ci_high"], strict=True)
            ]
            cols = ["measure", "country", "period", "contrast", "n_a", "n_b", "difference",
                    "interval", "p_perm", "p_holm"]  # fmt: skip
            d["period"] = d["period"].fillna("")
            lines += ["Differences (b - a)", d[cols].to_string(index=False, float_format=_fmt), ""]
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines).rstrip() + "\n"

    def __repr__(self) -> str:
        return (
            f"ComparisonResult(measures={self.settings.get('measures')}, groups={len(self.groups)}, "
            f"differences={len(self.differences)})"
        )


def _fmt(x: float) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.3f}"


def _fmt_ci(lo: float, hi: float) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "n/a"
    return f"[{lo:.3f}, {hi:.3f}]"


def compare(
    table: pd.DataFrame,
    value: str | Sequence[str],
    by: Sequence[str] = BY_DEFAULT,
    *,
    weights: str | None = None,
    cluster: str | None = None,
    n_boot: int = 2000,
    n_perm: int = 2000,
    min_n: int = 5,
    ci: float = 0.95,
    seed: int,
) -> ComparisonResult:
    """Compare a document-level measure across groups, with intervals and tests.

    Parameters
    ----------
    table : DataFrame
        One row per document, e.g. ``frame_scores``: the ``value`` column(s), the ``by``
        columns, and (when used) ``date``, ``issuer``, ``doc_id`` and the ``weights`` column.
        Not modified.
    value : str or sequence of str
        Measure(s) to compare, e.g. ``"framing_index"`` or ``FRAME_MEASURES``. NaN values
        (e.g. the framing index of a document with no hits) are dropped and counted.
    by : sequence of str, default ("country", "administration")
        Grouping columns. Differences are computed only for the default grouping.
    weights : str, optional
        Column of document weights (``"n_tokens"``: token-weighted means, i.e. the pooled
        ratio over tokens). Default: each document counts once. Stated in ``weighting``.
    cluster : str, optional
        ``"issuer"`` for a cluster bootstrap and permutation over issuers (documents of one
        issuer move together). Undated/unknown issuers count as one cluster per document.
    n_boot, n_perm : int, default 2000
        Bootstrap replicates and Monte Carlo permutations.
    min_n : int, default 5
        Groups with fewer documents are flagged ``small_n`` (never dropped).
    ci : float, default 0.95
        Interval level.
    seed : int
        Seed of every generator used (see module docstring).

    Returns
    -------
    ComparisonResult
        ``.groups`` (table ``frame_by_group``), ``.differences`` (``frame_differences``),
        ``.table``, ``.summary()``.

    Notes
    -----
    Differences are ``b - a``: the later minus the earlier administration within a country;
    Mexico minus the United States within a joint period (``joint_periods``: the calendar span
    in which a US and a Mexican administration were both in office; documents placed by their
    date). Holm adjustment runs over all differences of one measure.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"country": ["US"] * 6, "administration": ["Trump I"] * 3 + ["Biden"] * 3,
    ...                   "framing_index": [-0.5, -0.2, -0.4, 0.1, 0.0, 0.3]})
    >>> r = compare(t, "framing_index", n_boot=200, n_perm=200, min_n=3, seed=1)
    >>> r.differences[["contrast", "difference"]].round(3).values.tolist()
    [['Biden - Trump I', 0.5]]
    """
    measures = [value] if isinstance(value, str) else list(value)
    weight_cols = {m: weights for m in measures}
    labels = {m: _weighting_label(weights) for m in measures}
    return _compare(
        table, measures, tuple(by), weight_cols, labels, cluster, n_boot, n_perm, min_n, ci,
        seed, namespace="compare",
    )  # fmt: skip


def _compare(
    table: pd.DataFrame,
    measures: list[str],
    by: tuple[str, ...],
    weight_cols: Mapping[str, str | None],
    weighting_labels: Mapping[str, str],
    cluster: str | None,
    n_boot: int,
    n_perm: int,
    min_n: int,
    ci: float,
    seed: int,
    namespace: str,
) -> ComparisonResult:
    if not measures:
        raise ValueError("compare: give at least one measure")
    if not 0.5 < ci < 1:
        raise ValueError(f"compare: ci={ci} must be in (0.5, 1)")
    _check_columns(table, measures, "compare value")
    _check_columns(table, by, "compare by")
    _check_columns(table, list(weight_cols.values()) + [cluster], "compare weights/cluster")
    keep = list(dict.fromkeys([*by, *measures, *[w for w in weight_cols.values() if w]]))
    for extra in ("doc_id", "date", "issuer", cluster):
        if extra and extra in table.columns and extra not in keep:
            keep.append(extra)
    df = table[keep].copy()
    for col in by:
        df[col] = _norm_key(df[col])

    has_admin = "administration" in by
    group_rows: list[dict[str, Any]] = []
    units: dict[tuple, dict[str, _Units]] = {}
    df = df.reset_index(drop=True)
    arrays = _Arrays(df, cluster)
    grouped = _positions(df, list(by))
    keys = _sort_groups(grouped.keys(), by)
    for measure in measures:
        wcol = weight_cols[measure]
        for key in keys:
            u = arrays.units(grouped[key], measure, wcol)
            units.setdefault(key, {})[measure] = u
            est = _boot_units(
                u.S, u.W, n_boot, ci, _rng(seed, namespace, measure, *key), _bounds(measure)
            )
            d = dict(zip(by, key, strict=True))
            compared = not (has_admin and d["administration"] == UNKNOWN)
            if "country" in d and d["country"] == UNKNOWN:
                compared = False
            notes = []
            if not compared:
                notes.append("administration unknown: shown, excluded from comparisons")
            if u.n_docs == 0:
                notes.append("no non-missing values")
            elif len(u.S) < 2:
                notes.append(
                    "one issuer: no cluster-level variation, no interval"
                    if cluster
                    else "one document: no interval"
                )
            if u.n_missing:
                notes.append(f"{u.n_missing} missing value(s) dropped")
            group_rows.append(
                {
                    "measure": measure,
                    **d,
                    "compared": compared,
                    "n_docs": u.n_docs,
                    "n_missing": u.n_missing,
                    "n_units": len(u.S),
                    "n_issuers": u.n_issuers,
                    "mean": est.estimate,
                    "ci_low": est.ci_low,
                    "ci_high": est.ci_high,
                    "se_boot": est.se,
                    "ci_level": ci,
                    "ci_method": est.method,
                    "n_boot": n_boot,
                    "small_n": u.n_docs < min_n,
                    "min_n": min_n,
                    "weighting": weighting_labels[measure],
                    "resampling": u.resampling,
                    "note": "; ".join(notes) if notes else None,
                }
            )
    group_cols = ["measure", *by] + GROUP_COLUMNS[3:]
    groups = pd.DataFrame(group_rows, columns=group_cols)
    groups = _typed(groups)

    notes: list[str] = []
    if has_admin:
        n_unknown = int((df["administration"] == UNKNOWN).sum())
        if n_unknown:
            notes.append(
                f"{n_unknown} document(s) with administration unknown (undated): shown in the "
                "groups table, excluded from differences and regression"
            )
    for measure in measures:
        n_nan = int(pd.to_numeric(df[measure], errors="coerce").isna().sum())
        if n_nan:
            notes.append(f"{measure}: {n_nan} document(s) with a missing value dropped")

    diff_rows: list[dict[str, Any]] = []
    if tuple(by) == BY_DEFAULT:
        for measure in measures:
            diff_rows += _admin_differences(
                units, keys, measure, weighting_labels[measure], cluster, n_boot, n_perm,
                min_n, ci, seed, namespace,
            )  # fmt: skip
        if "date" in df.columns:
            country_rows, n_undated = _country_differences(
                arrays, measures, weight_cols, weighting_labels, cluster, n_boot, n_perm, min_n,
                ci, seed, namespace,
            )  # fmt: skip
            diff_rows += country_rows
            if n_undated:
                notes.append(
                    f"{n_undated} dated-administration document(s) without a usable date left out "
                    "of the US vs MX comparisons within joint periods"
                )
        else:
            notes.append("no date column: US vs MX comparisons within joint periods skipped")
    else:
        notes.append(f"differences are computed for by={BY_DEFAULT} only")
    differences = pd.DataFrame(diff_rows, columns=DIFFERENCE_COLUMNS)
    if len(differences):
        differences["p_holm"] = np.nan
        for _measure, idx in differences.groupby("measure", sort=False).groups.items():
            differences.loc[idx, "p_holm"] = holm(differences.loc[idx, "p_perm"].to_numpy())
    # stable order: measure in given order, administration comparisons first, then country
    if len(differences):
        differences["_m"] = differences["measure"].map({m: i for i, m in enumerate(measures)})
        differences["_c"] = differences["comparison"].map({"administration": 0, "country": 1})
        differences = differences.sort_values(["_m", "_c"], kind="stable").drop(
            columns=["_m", "_c"]
        )
    differences = _typed(differences.reset_index(drop=True)[DIFFERENCE_COLUMNS])
    settings = {
        "measures": measures,
        "by": list(by),
        "weighting": ", ".join(sorted(set(weighting_labels.values()))),
        "cluster": cluster,
        "n_boot": n_boot,
        "n_perm": n_perm,
        "min_n": min_n,
        "ci": ci,
        "seed": seed,
    }
    return ComparisonResult(groups=groups.reset_index(drop=True), differences=differences,
                            settings=settings, notes=notes)  # fmt: skip


def _diff_row(
    measure, comparison, country, period, pstart, pend, ga, gb, ua: _Units, ub: _Units,
    weighting, n_boot, n_perm, min_n, ci, rng_b, rng_p, extra_note=None,
) -> dict[str, Any]:  # fmt: skip
    est = _boot_diff_units(ua.S, ua.W, ub.S, ub.W, n_boot, ci, rng_b, _bounds(measure))
    p = _perm_units(ua.S, ua.W, ub.S, ub.W, n_perm, rng_p)
    notes = [extra_note] if extra_note else []
    if len(ua.S) < 2 or len(ub.S) < 2:
        notes.append("fewer than two units in a group: no interval")
    return {
        "measure": measure,
        "comparison": comparison,
        "country": country,
        "period": period,
        "period_start": pstart,
        "period_end": pend,
        "group_a": ga,
        "group_b": gb,
        "contrast": f"{gb} - {ga}",
        "n_a": ua.n_docs,
        "n_b": ub.n_docs,
        "mean_a": _ratio(ua.S, ua.W),
        "mean_b": _ratio(ub.S, ub.W),
        "difference": est.estimate,
        "ci_low": est.ci_low,
        "ci_high": est.ci_high,
        "p_perm": p,
        "p_holm": np.nan,
        "ci_level": ci,
        "ci_method": est.method,
        "n_boot": n_boot,
        "n_perm": n_perm,
        "small_n": bool(ua.n_docs < min_n or ub.n_docs < min_n),
        "weighting": weighting,
        "resampling": ua.resampling,
        "note": "; ".join(notes) if notes else None,
    }


def _admin_differences(
    units, keys, measure, weighting, cluster, n_boot, n_perm, min_n, ci, seed, namespace
) -> list[dict[str, Any]]:
    rows = []
    for country in sorted({k[0] for k in keys}, key=lambda c: (_country_rank(c), c)):
        if country == UNKNOWN:
            continue
        admins = [
            k[1]
            for k in keys
            if k[0] == country and k[1] != UNKNOWN and units[k][measure].n_docs > 0
        ]
        order = ADMINISTRATION_ORDER.get(country, [])
        for a, b in zip(admins, admins[1:], strict=False):
            note = None
            if a in order and b in order and order.index(b) - order.index(a) > 1:
                between = order[order.index(a) + 1 : order.index(b)]
                note = f"not consecutive in office: no documents from {', '.join(between)}"
            rows.append(
                _diff_row(
                    measure,
                    "administration",
                    country,
                    None,
                    None,
                    None,
                    a,
                    b,
                    units[(country, a)][measure],
                    units[(country, b)][measure],
                    weighting,
                    n_boot,
                    n_perm,
                    min_n,
                    ci,
                    _rng(seed, namespace, "diff-boot", measure, country, a, b),
                    _rng(seed, namespace, "diff-perm", measure, country, a, b),
                    note,
                )  # fmt: skip
            )
    return rows


def _country_differences(
    arrays, measures, weight_cols, weighting_labels, cluster, n_boot, n_perm, min_n, ci, seed,
    namespace,
) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
    df = arrays.df
    known = (df["administration"] != UNKNOWN) & df["country"].isin(["US", "MX"])
    if not known.any() or df.loc[known, "country"].nunique() < 2:
        return [], 0
    period = pd.Series(np.nan, index=df.index, dtype=object)
    period[known] = _assign_periods(df[known])
    n_undated = int((known & period.isna()).sum())
    periods = joint_periods("US", "MX")
    country = df["country"].to_numpy()
    period_arr = period.to_numpy()
    rows = []
    for measure in measures:
        for p in periods.itertuples():
            in_p = period_arr == p.period
            us = np.flatnonzero(in_p & (country == "US"))
            mx = np.flatnonzero(in_p & (country == "MX"))
            ua = arrays.units(us, measure, weight_cols[measure])
            ub = arrays.units(mx, measure, weight_cols[measure])
            if ua.n_docs == 0 or ub.n_docs == 0:
                continue
            rows.append(
                _diff_row(
                    measure,
                    "country",
                    COUNTRY_PAIR,
                    p.period,
                    p.start,
                    p.end,
                    f"US ({p.admin_a})",
                    f"MX ({p.admin_b})",
                    ua,
                    ub,
                    weighting_labels[measure],
                    n_boot,
                    n_perm,
                    min_n,
                    ci,
                    _rng(seed, namespace, "diff-boot", measure, p.period),
                    _rng(seed, namespace, "diff-perm", measure, p.period),
                    "documents placed in the period by date",
                )  # fmt: skip
            )
    return rows, n_undated


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes for stable bytes: ints as int64, floats as float64, bools as bool."""
    int_cols = {"n_docs", "n_missing", "n_units", "n_issuers", "n_boot", "n_perm", "min_n",
                "n_a", "n_b", "n", "n_mentions", "n_frame", "n_undated"}  # fmt: skip
    float_cols = {"mean", "ci_low", "ci_high", "se_boot", "ci_level", "mean_a", "mean_b",
                  "difference", "p_perm", "p_holm", "coef", "se", "t", "p", "share"}  # fmt: skip
    bool_cols = {"compared", "small_n"}
    df = df.copy()
    for c in df.columns:
        if c in int_cols:
            df[c] = df[c].astype("int64")
        elif c in float_cols:
            df[c] = df[c].astype("float64")
        elif c in bool_cols:
            df[c] = df[c].astype(bool)
        elif df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
            df[c] = df[c].astype(object).where(df[c].notna(), None).astype("str")
    return df


# ============================================================================ co-occurrence
def cooccurrence_by_group(
    table: pd.DataFrame,
    *,
    weighting: str = "document",
    cluster: str | None = None,
    n_boot: int = 2000,
    n_perm: int = 2000,
    min_n: int = 5,
    ci: float = 0.95,
    seed: int,
) -> ComparisonResult:
    """Co-occurrence shares by country x administration (table ``cooccurrence_by_group``).

    Parameters
    ----------
    table : DataFrame
        The per-document ``cooccurrence`` table (hum_in_sec_share, sec_in_hum_share, hum_hits,
        sec_hits, country, administration, ...). A share is NaN for a document without hits of
        its frame; such documents are dropped and counted.
    weighting : {"document", "hits"}, default "document"
        ``"document"``: the mean of per-document shares (each document counts once);
        ``"hits"``: each share weighted by its denominator (hum_hits, sec_hits), i.e. the
        pooled share of all humanitarian hits in the group that sit in security sentences.

    Returns
    -------
    ComparisonResult
        ``.groups`` is the table ``cooccurrence_by_group``.
    """
    if weighting not in ("document", "hits"):
        raise ValueError("cooccurrence_by_group: weighting must be 'document' or 'hits'")
    measures = [m for m in COOCCURRENCE_MEASURES if m in table.columns]
    if not measures:
        raise KeyError(f"cooccurrence_by_group: none of {list(COOCCURRENCE_MEASURES)} in table")
    if weighting == "hits":
        wcols = {m: COOCCURRENCE_MEASURES[m] for m in measures}
        labels = {m: f"hits ({COOCCURRENCE_MEASURES[m]})" for m in measures}
    else:
        wcols = {m: None for m in measures}
        labels = {m: "document" for m in measures}
    return _compare(table, measures, BY_DEFAULT, wcols, labels, cluster, n_boot, n_perm, min_n,
                    ci, seed, namespace="cooccurrence")  # fmt: skip


# ============================================================================ regression
@dataclass
class RegressionResult:
    """OLS fits of one or more measures on country x administration + document type.

    ``table`` is the table ``frame_regression`` (columns ``REGRESSION_COLUMNS``); ``models``
    maps measure -> the statsmodels results object (None when the model could not be fitted).
    """

    table: pd.DataFrame
    models: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_latex(self, caption: str | None = None, label: str = "tab:frame-regression") -> str:
        """A booktabs LaTeX table: one column per measure, coefficients with (SE) below."""
        from framelens.outputs.tables import regression_to_latex

        return regression_to_latex(self.table, caption=caption, label=label)

    def summary(self) -> str:
        t = self.table
        if t.empty:
            return "Regression: no model fitted.\n" + "".join(f"Note: {n}\n" for n in self.notes)
        lines = []
        for measure, sub in t.groupby("measure", sort=False):
            first = sub.iloc[0]
            lines.append(
                f"OLS of {measure}: n={first['n']}, SE {first['cov_type']}, "
                f"clusters={first['n_clusters']}, weighting {first['weighting']}"
            )
            lines.append(f"reference: {first['reference']}")
            lines.append(
                sub[["term", "coef", "se", "t", "p", "ci_low", "ci_high"]].to_string(
                    index=False, float_format=_fmt
                )
            )
            if isinstance(first["note"], str) and first["note"]:
                lines.append(f"Note: {first['note']}")
            lines.append("")
        return "\n".join(lines)


def _design(df: pd.DataFrame, control: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    """Treatment-coded design: intercept, country, administrations nested in country, control."""
    notes: list[str] = []
    countries = sorted(df["country"].unique(), key=lambda c: (_country_rank(c), c))
    cols: dict[str, np.ndarray] = {"Intercept": np.ones(len(df))}
    ref_parts = [f"country={countries[0]}"]
    for c in countries[1:]:
        cols[f"country[{c}]"] = (df["country"] == c).to_numpy(dtype=float)
    for c in countries:
        admins = sorted(
            df.loc[df["country"] == c, "administration"].unique(),
            key=lambda a, c=c: (_admin_rank(c, a), a),
        )
        ref_parts.append(f"{c} administration={admins[0]}")
        for a in admins[1:]:
            cols[f"{c}: {a} (vs {admins[0]})"] = (
                (df["country"] == c) & (df["administration"] == a)
            ).to_numpy(dtype=float)
    X = pd.DataFrame(cols, index=df.index)
    if control is not None:
        ctrl = _norm_key(df[control])
        counts = ctrl.value_counts()
        levels = sorted(counts.index, key=lambda v: (-counts[v], v))
        ref_parts.append(f"{control}={levels[0]}")
        dropped = []
        for lev in sorted(levels[1:]):
            candidate = (ctrl == lev).to_numpy(dtype=float)
            trial = np.column_stack([X.to_numpy(), candidate])
            if np.linalg.matrix_rank(trial) > np.linalg.matrix_rank(X.to_numpy()):
                X[f"{control}[{lev}]"] = candidate
            else:
                dropped.append(lev)
        if dropped:
            notes.append(
                f"{control} level(s) {', '.join(dropped)} collinear with the groups: not estimated"
            )
    return X, "; ".join(ref_parts), notes


def regress(
    table: pd.DataFrame,
    value: str | Sequence[str],
    *,
    control: str | None = "doc_type",
    cluster: str | None = "issuer",
    weights: str | None = None,
    min_clusters: int = 10,
    ci: float = 0.95,
) -> RegressionResult:
    """OLS of a document measure on country x administration with a document-type control.

    Model: ``value ~ 1 + country + administration-within-country + doc_type``, treatment
    coded: the intercept is the reference cell (first country, its first administration in
    the data, most frequent document type); ``country[MX]`` compares the first administrations
    of the two countries; ``US: Biden (vs Trump I)`` is the difference between administrations
    of one country holding document type fixed. Rows with administration "unknown" or a
    missing value are left out.

    Parameters
    ----------
    table : DataFrame
        ``frame_scores`` (one row per document). Not modified.
    value : str or sequence of str
        Measure(s); one model per measure.
    control : str or None, default "doc_type"
        Categorical control (missing values form a level "unknown"); collinear levels dropped
        with a note.
    cluster : str or None, default "issuer"
        Cluster-robust (CR1) standard errors by this column, t reference with G-1 degrees of
        freedom; with fewer than ``min_clusters`` clusters, HC1 standard errors instead, with a
        note (cluster-robust errors are unreliable with few clusters).
    weights : str, optional
        WLS weights column (e.g. ``"n_tokens"``); default OLS, each document once.
    min_clusters : int, default 10
    ci : float, default 0.95

    Returns
    -------
    RegressionResult
        ``.table`` (``frame_regression``), ``.models``, ``.to_latex()``, ``.summary()``.
    """
    import statsmodels.api as sm

    measures = [value] if isinstance(value, str) else list(value)
    _check_columns(table, measures, "regress value")
    _check_columns(table, ["country", "administration", control, weights], "regress")
    rows: list[dict[str, Any]] = []
    models: dict[str, Any] = {}
    notes_all: list[str] = []
    label = _weighting_label(weights)
    for measure in measures:
        df = table.copy()
        df["country"] = _norm_key(df["country"])
        df["administration"] = _norm_key(df["administration"])
        y = pd.to_numeric(df[measure], errors="coerce")
        ok = y.notna() & (df["administration"] != UNKNOWN) & (df["country"] != UNKNOWN)
        if weights is not None:
            w = pd.to_numeric(df[weights], errors="coerce")
            ok &= w.notna() & (w > 0)
        df = df[ok]
        notes: list[str] = []
        if df.empty:
            notes_all.append(f"{measure}: no rows to fit")
            models[measure] = None
            continue
        X, reference, design_notes = _design(df, control if control in df.columns else None)
        notes += design_notes
        yv = y[ok].to_numpy(dtype=float)
        if len(df) <= X.shape[1]:
            notes_all.append(f"{measure}: {len(df)} rows for {X.shape[1]} parameters, not fitted")
            models[measure] = None
            continue
        model = (
            sm.WLS(yv, X, weights=pd.to_numeric(df[weights]).to_numpy(dtype=float))
            if weights is not None
            else sm.OLS(yv, X)
        )
        n_clusters = None
        cov_type = "HC1"
        if cluster is not None and cluster in df.columns:
            labels = df[cluster].astype(object)
            fallback = (
                "doc:" + df["doc_id"].astype(str)
                if "doc_id" in df
                else pd.Series(range(len(df)), index=df.index).astype(str)
            )
            labels = labels.where(labels.notna(), fallback).astype(str)
            groups = pd.factorize(labels, sort=True)[0]
            n_clusters = int(groups.max() + 1)
            if n_clusters >= min_clusters:
                cov_type = "cluster"
                fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
            else:
                notes.append(
                    f"only {n_clusters} {cluster} cluster(s) (< {min_clusters}): HC1 "
                    "heteroskedasticity-robust SEs instead of cluster-robust"
                )
                fit = model.fit(cov_type="HC1", use_t=True)
        else:
            fit = model.fit(cov_type="HC1", use_t=True)
        models[measure] = fit
        conf = fit.conf_int(alpha=1 - ci)
        for term in X.columns:
            rows.append(
                {
                    "measure": measure,
                    "term": term,
                    "coef": float(fit.params[term]),
                    "se": float(fit.bse[term]),
                    "t": float(fit.tvalues[term]),
                    "p": float(fit.pvalues[term]),
                    "ci_low": float(conf.loc[term, 0]),
                    "ci_high": float(conf.loc[term, 1]),
                    "ci_level": ci,
                    "n": int(fit.nobs),
                    "n_clusters": n_clusters,
                    "cov_type": "cluster (CR1)" if cov_type == "cluster" else "HC1",
                    "weighting": label,
                    "reference": reference,
                    "note": "; ".join(notes) if notes else None,
                }
            )
    out = pd.DataFrame(rows, columns=REGRESSION_COLUMNS)
    out = _typed(out)
    out["n_clusters"] = out["n_clusters"].astype("Int64")
    return RegressionResult(table=out, models=models, notes=notes_all)


# ============================================================================ time series
def _choose_freq(dates: pd.Series, countries: pd.Series, threshold: float) -> str:
    med = []
    for c in sorted(countries.unique()):
        d = dates[countries == c]
        months = d.dt.to_period("M")
        span = pd.period_range(months.min(), months.max(), freq="M")
        med.append(months.value_counts().reindex(span, fill_value=0).to_numpy())
    counts = np.concatenate(med) if med else np.array([0])
    return "Q" if float(np.median(counts)) < threshold else "M"


def timeseries(
    table: pd.DataFrame,
    value: str | Sequence[str] = "framing_index",
    freq: str = "auto",
    *,
    weights: str | None = None,
    cluster: str | None = None,
    n_boot: int = 2000,
    min_n: int = 5,
    ci: float = 0.95,
    sparse_threshold: float = 3.0,
    seed: int,
) -> pd.DataFrame:
    """Measure per country and calendar month or quarter, with bootstrap bands.

    Parameters
    ----------
    table : DataFrame
        ``frame_scores`` with ``date`` (ISO), ``country`` and the measure(s). Undated rows are
        left out and counted per country (``n_undated``).
    freq : {"auto", "M", "Q"}, default "auto"
        ``"auto"``: quarterly when the median number of documents per calendar month (over
        every month between a country's first and last dated document, empty months included,
        pooled over countries) is below ``sparse_threshold``; else monthly. One frequency for
        all countries, so that they share an axis.
    weights, cluster, n_boot, min_n, ci, seed
        As in ``compare``; each bin is bootstrapped over its own documents.

    Returns
    -------
    DataFrame
        Table ``frame_timeseries``: one row per measure x country x period from the country's
        first to its last dated period, empty periods included (n_docs 0, mean NaN), so gaps
        stay visible. ``administrations`` lists the administrations of the bin's documents.
    """
    measures = [value] if isinstance(value, str) else list(value)
    _check_columns(table, [*measures, "country", "date", weights, cluster], "timeseries")
    if freq not in ("auto", "M", "Q"):
        raise ValueError("timeseries: freq must be 'auto', 'M' or 'Q'")
    df = table.copy()
    df["country"] = _norm_key(df["country"])
    df["_date"] = _parse_dates(df["date"])
    undated = df[df["_date"].isna()].groupby("country").size()
    dated = df[df["_date"].notna()]
    if dated.empty:
        return _typed(pd.DataFrame(columns=TIMESERIES_COLUMNS))
    if freq == "auto":
        freq = _choose_freq(dated["_date"], dated["country"], sparse_threshold)
    dated = dated.assign(_period=dated["_date"].dt.to_period(freq)).reset_index(drop=True)
    arrays = _Arrays(dated, cluster)
    cells = _positions(dated, ["country", "_period"])
    admin_arr = (
        dated["administration"].astype(str).to_numpy()
        if "administration" in dated.columns
        else None
    )
    empty = np.array([], dtype=int)
    label = _weighting_label(weights)
    rows = []
    countries = sorted(dated["country"].unique(), key=lambda c: (_country_rank(c), c))
    for measure in measures:
        for country in countries:
            sub = dated.loc[dated["country"] == country, "_period"]
            span = pd.period_range(sub.min(), sub.max(), freq=freq)
            for per in span:
                pos = cells.get((country, per), empty)
                u = arrays.units(pos, measure, weights)
                est = _boot_units(
                    u.S,
                    u.W,
                    n_boot,
                    ci,
                    _rng(seed, "timeseries", measure, country, str(per)),
                    _bounds(measure),
                )
                admins = None
                if admin_arr is not None and pos.size:
                    present = set(admin_arr[pos])
                    order = sorted(present, key=lambda a, c=country: (_admin_rank(c, a), a))
                    admins = "/".join(order)
                rows.append(
                    {
                        "measure": measure,
                        "country": country,
                        "freq": freq,
                        "period": str(per),
                        "period_start": per.start_time.date().isoformat(),
                        "period_end": per.end_time.date().isoformat(),
                        "administrations": admins,
                        "n_docs": u.n_docs,
                        "mean": est.estimate,
                        "ci_low": est.ci_low,
                        "ci_high": est.ci_high,
                        "ci_level": ci,
                        "ci_method": est.method,
                        "n_boot": n_boot,
                        "small_n": u.n_docs < min_n,
                        "min_n": min_n,
                        "n_undated": int(undated.get(country, 0)),
                        "weighting": label,
                        "resampling": u.resampling,
                    }
                )
    return _typed(pd.DataFrame(rows, columns=TIMESERIES_COLUMNS))


# ============================================================================ actors
def actors_by_group(
    actors: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    n_boot: int = 2000,
    min_n: int = 5,
    ci: float = 0.95,
    seed: int,
) -> pd.DataFrame:
    """Mentions of each actor and the frame mix of the sentences that mention it, by group.

    Parameters
    ----------
    actors : DataFrame
        One row per sentence x actor: doc_id, sent_id, actor, actor_country, the frame columns
        (bool per sentence: humanitarian, security, cooperation) and country, administration.
        Repeated (doc_id, sent_id, actor) rows count once.
    frames : sequence of str, optional
        Frame columns to summarise (default: those of ``FRAMES`` present).

    Returns
    -------
    DataFrame
        Table ``actors_by_group``: per actor x country x administration x frame, the number of
        sentences mentioning the actor (``n_mentions``), in how many documents (``n_docs``),
        how many of those sentences carry the frame (``n_frame``), the share and a percentile
        bootstrap interval that resamples documents (sentences of one document move together).
        The interval is NaN for actors seen in a single document.
    """
    frames = [f for f in (frames or FRAMES) if f in actors.columns]
    _check_columns(actors, ["doc_id", "sent_id", "actor", "country", "administration"], "actors")
    if actors.empty or not frames:
        return _typed(pd.DataFrame(columns=ACTOR_COLUMNS))
    df = actors.drop_duplicates(["doc_id", "sent_id", "actor"]).copy()
    df["country"] = _norm_key(df["country"])
    df["administration"] = _norm_key(df["administration"])
    if "actor_country" not in df:
        df["actor_country"] = None
    df["_ac"] = df["actor_country"].astype(object).where(df["actor_country"].notna(), "")
    for f in frames:
        df[f] = df[f].fillna(False).astype(bool).astype(float)
    per_doc = (
        df.groupby(["actor", "_ac", "country", "administration", "doc_id"], sort=True)
        .agg(n=("sent_id", "size"), **{f: (f, "sum") for f in frames})
        .reset_index()
    )
    rows = []
    group_keys = ["actor", "_ac", "country", "administration"]
    groups = list(per_doc.groupby(group_keys, sort=True))
    groups.sort(
        key=lambda kv: (
            kv[0][0],
            kv[0][1],
            _country_rank(kv[0][2]),
            _admin_rank(kv[0][2], kv[0][3]),
        )
    )
    for (actor, ac, country, admin), g in groups:
        W = g["n"].to_numpy(dtype=float)
        n_docs = len(g)
        for f in frames:
            S = g[f].to_numpy(dtype=float)
            est = _boot_units(
                S, W, n_boot, ci, _rng(seed, "actors", actor, ac, country, admin, f), (0.0, 1.0)
            )
            share, lo, hi, method = est.estimate, est.ci_low, est.ci_high, est.method
            note = None
            if n_docs >= 2 and S.sum() in (0.0, W.sum()):
                lo, hi = _wilson(S.sum(), W.sum(), ci)
                method = CI_WILSON
                note = "share is 0 or 1: Wilson interval over sentences (ignores clustering)"
            elif n_docs < 2:
                note = "one document: no interval"
            rows.append(
                {
                    "actor": actor,
                    "actor_country": ac or None,
                    "country": country,
                    "administration": admin,
                    "compared": admin != UNKNOWN and country != UNKNOWN,
                    "frame": f,
                    "n_mentions": int(W.sum()),
                    "n_docs": n_docs,
                    "n_frame": int(S.sum()),
                    "share": share,
                    "ci_low": lo,
                    "ci_high": hi,
                    "ci_level": ci,
                    "ci_method": method,
                    "n_boot": n_boot,
                    "small_n": n_docs < min_n,
                    "min_n": min_n,
                    "weighting": "mentions",
                    "resampling": "documents",
                    "note": note,
                }
            )
    return _typed(pd.DataFrame(rows, columns=ACTOR_COLUMNS))


# ============================================================================ all tables
def compare_all(
    tables: Mapping[str, pd.DataFrame], config: Any = None, *, seed: int
) -> dict[str, pd.DataFrame]:
    """Every comparison table of a run, from the analysis tables (what ``framelens run`` writes).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Needs ``frame_scores``; uses ``cooccurrence`` and ``actors`` when present.
    config : framelens.core.config.CompareConfig, optional
        n_boot, n_perm, min_n, cluster, weighting ("document"|"tokens"), ci, time_freq.
    seed : int
        The run's seed.

    Returns
    -------
    dict of str to DataFrame
        frame_by_group, frame_differences, frame_regression, frame_timeseries, and, when their
        inputs exist, cooccurrence_by_group and actors_by_group; each validated against its
        schema.
    """
    from framelens.core.config import CompareConfig
    from framelens.schemas import validate

    cfg = config or CompareConfig()
    fs = tables["frame_scores"]
    measures = [m for m in FRAME_MEASURES if m in fs.columns]
    weights = "n_tokens" if cfg.weighting == "tokens" else None
    common = dict(n_boot=cfg.n_boot, min_n=cfg.min_n, ci=cfg.ci, seed=seed)
    res = compare(fs, measures, weights=weights, cluster=cfg.cluster, n_perm=cfg.n_perm, **common)
    out = {
        "frame_by_group": res.groups,
        "frame_differences": res.differences,
        "frame_regression": regress(
            fs,
            measures,
            cluster="issuer" if "issuer" in fs.columns else None,
            weights=weights,
            ci=cfg.ci,
        ).table,  # fmt: skip
        "frame_timeseries": timeseries(
            fs, measures, freq=cfg.time_freq, weights=weights, cluster=cfg.cluster, **common
        ),
    }
    if "cooccurrence" in tables and len(tables["cooccurrence"]):
        out["cooccurrence_by_group"] = cooccurrence_by_group(
            tables["cooccurrence"], weighting="hits" if cfg.weighting == "tokens" else "document",
            cluster=cfg.cluster, n_perm=cfg.n_perm, **common,
        ).groups  # fmt: skip
    if "actors" in tables:
        out["actors_by_group"] = actors_by_group(tables["actors"], **common)
    for name, df in out.items():
        out[name] = validate(df, name)
    return out
