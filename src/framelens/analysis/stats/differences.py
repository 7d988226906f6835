"""Differences between groups: permutation tests, Holm adjustment, and the contrasts of a
comparison (consecutive administrations within a country; US vs MX within a joint period).

A difference is ``b - a`` with a bootstrap interval (``bootstrap.boot_diff_units``, each group
resampled on its own) and a two-sided Monte Carlo permutation p-value of the studentized
(Welch) statistic (``calibrated_tests``); p-values are Holm adjusted over all differences of
one measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import (
    boot_diff_units,
    bounds_of,
    ratio,
    units_from_arrays,
)
from framelens.analysis.stats.calibrated_tests import studentized_perm_units
from framelens.analysis.stats.periods import assign_periods, joint_periods
from framelens.analysis.stats.settings import StatsSettings
from framelens.analysis.stats.tidy import typed
from framelens.analysis.stats.units import Units, UnitTable
from framelens.core.domain import ADMINISTRATION_ORDER, UNKNOWN, group_sort_key
from framelens.core.seeding import rng as _rng
from framelens.schemas import columns_of

DIFFERENCE_COLUMNS = columns_of("frame_differences")
COUNTRY_PAIR = "US vs MX"


# ============================================================================ array engines
def perm_units(Sa, Wa, Sb, Wb, n_perm, rng, studentized: bool = True) -> float:
    """Two-sided permutation p-value of ratio(b) - ratio(a): the studentized (Welch) statistic
    is permuted (``calibrated_tests.studentized_perm_units``; ``studentized=False``: the raw
    difference)."""
    return studentized_perm_units(Sa, Wa, Sb, Wb, n_perm, rng, studentized)[0]


def permutation_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    weights_a: Sequence[float] | np.ndarray | None = None,
    weights_b: Sequence[float] | np.ndarray | None = None,
    *,
    n_perm: int = 2000,
    seed: int | np.random.Generator,
    studentized: bool = True,
) -> float:
    """Two-sided permutation p-value for ``mean(b) - mean(a)`` (weighted means with weights).

    Group labels are shuffled ``n_perm`` times (Monte Carlo permutations) and the studentized
    statistic T = (mean(b) - mean(a)) / sqrt(v_a + v_b) (Welch's t; linearised variances for
    weighted means) is recomputed each time; the p-value is
    ``(1 + #{|T*| >= |T|}) / (1 + n_perm)`` (Phipson & Smyth 2010), never zero. Studentizing
    keeps the test's size near nominal when the groups differ in spread and size (Janssen 1997;
    Chung & Romano 2013). ``studentized=False`` permutes the raw difference (a test of
    exchangeability, mis-sized for equal means with unequal spreads; for comparison only).
    NaN values are dropped; returns NaN when a group is empty.

    Examples
    --------
    >>> a = [0.01, -0.02, 0.0, 0.01, -0.01, 0.02, 0.0, -0.01]
    >>> b = [1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0, -1.0]
    >>> 0.2 < permutation_test(a, b, n_perm=999, seed=1) <= 1
    True
    """
    Sa, Wa = units_from_arrays(a, weights_a)
    Sb, Wb = units_from_arrays(b, weights_b)
    return perm_units(Sa, Wa, Sb, Wb, n_perm, _rng(seed, "permutation_test"), studentized)


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


# ============================================================================ contrasts
@dataclass(frozen=True)
class Contrast:
    """What one difference row compares: group b minus group a of ``measure``."""

    measure: str
    comparison: str  # "administration" or "country"
    country: str
    group_a: str
    group_b: str
    period: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    note: str | None = None


def difference_row(
    c: Contrast,
    ua: Units,
    ub: Units,
    weighting: str,
    settings: StatsSettings,
    rng_boot: np.random.Generator,
    rng_perm: np.random.Generator,
) -> dict[str, Any]:
    """One row of ``frame_differences``: interval and permutation p of ``c`` (p_holm later).

    ``small_n`` and the "no interval" decision count resampling units (documents, or clusters).
    """
    s = settings
    est = boot_diff_units(ua.S, ua.W, ub.S, ub.W, s.n_boot, s.ci, rng_boot, bounds_of(c.measure))
    p, p_method = studentized_perm_units(ua.S, ua.W, ub.S, ub.W, s.n_perm, rng_perm)
    notes = [c.note] if c.note else []
    if len(ua.S) < 2 or len(ub.S) < 2:
        notes.append("fewer than two units in a group: no interval")
    return {
        "measure": c.measure,
        "comparison": c.comparison,
        "country": c.country,
        "period": c.period,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "group_a": c.group_a,
        "group_b": c.group_b,
        "contrast": f"{c.group_b} - {c.group_a}",
        "n_a": ua.n_docs,
        "n_b": ub.n_docs,
        "n_units_a": len(ua.S),
        "n_units_b": len(ub.S),
        "mean_a": ratio(ua.S, ua.W),
        "mean_b": ratio(ub.S, ub.W),
        "difference": est.estimate,
        "ci_low": est.ci_low,
        "ci_high": est.ci_high,
        "p_perm": p,
        "p_method": p_method,
        "p_holm": np.nan,
        "ci_level": s.ci,
        "ci_method": est.method,
        "n_boot": s.n_boot,
        "n_perm": s.n_perm,
        "small_n": bool(len(ua.S) < s.min_n or len(ub.S) < s.min_n),
        "weighting": weighting,
        "resampling": ua.resampling,
        "note": "; ".join(notes) if notes else None,
    }


def _gap_note(country: str, a: str, b: str) -> str | None:
    order = ADMINISTRATION_ORDER.get(country, [])
    if a in order and b in order and order.index(b) - order.index(a) > 1:
        between = order[order.index(a) + 1 : order.index(b)]
        return f"not consecutive in office: no documents from {', '.join(between)}"
    return None


def administration_differences(
    units: Mapping[tuple, Mapping[str, Units]],
    keys: Sequence[tuple],
    measure: str,
    weighting: str,
    settings: StatsSettings,
    namespace: str,
) -> list[dict[str, Any]]:
    """Consecutive administrations (with documents) within each country: later minus earlier.

    ``units`` maps (country, administration) -> measure -> units; ``keys`` are the groups in
    group order.
    """
    rows = []
    for country in sorted({k[0] for k in keys}, key=group_sort_key):
        if country == UNKNOWN:
            continue
        admins = [
            k[1]
            for k in keys
            if k[0] == country and k[1] != UNKNOWN and units[k][measure].n_docs > 0
        ]
        for a, b in zip(admins, admins[1:], strict=False):
            contrast = Contrast(measure, "administration", country, a, b,
                                note=_gap_note(country, a, b))  # fmt: skip
            rows.append(
                difference_row(
                    contrast,
                    units[(country, a)][measure],
                    units[(country, b)][measure],
                    weighting,
                    settings,
                    _rng(settings.seed, namespace, "diff-boot", measure, country, a, b),
                    _rng(settings.seed, namespace, "diff-perm", measure, country, a, b),
                )
            )
    return rows


def country_differences(
    arrays: UnitTable,
    measures: Sequence[str],
    weight_cols: Mapping[str, str | None],
    weighting_labels: Mapping[str, str],
    settings: StatsSettings,
    namespace: str,
) -> tuple[list[dict[str, Any]], int]:
    """MX minus US within each joint period (documents placed by date).

    Returns the rows and the number of documents of a known administration without a usable
    date (left out).
    """
    df = arrays.df
    known = (df["administration"] != UNKNOWN) & df["country"].isin(["US", "MX"])
    if not known.any() or df.loc[known, "country"].nunique() < 2:
        return [], 0
    period = pd.Series(np.nan, index=df.index, dtype=object)
    period[known] = assign_periods(df[known])
    n_undated = int((known & period.isna()).sum())
    country = df["country"].to_numpy()
    period_arr = period.to_numpy()
    periods = list(joint_periods("US", "MX").itertuples())
    rows = []
    for measure in measures:
        for p in periods:
            in_p = period_arr == p.period
            ua = arrays.units(
                np.flatnonzero(in_p & (country == "US")), measure, weight_cols[measure]
            )
            ub = arrays.units(
                np.flatnonzero(in_p & (country == "MX")), measure, weight_cols[measure]
            )
            if ua.n_docs == 0 or ub.n_docs == 0:
                continue
            contrast = Contrast(
                measure, "country", COUNTRY_PAIR, f"US ({p.admin_a})", f"MX ({p.admin_b})",
                p.period, p.start, p.end, "documents placed in the period by date",
            )  # fmt: skip
            rows.append(
                difference_row(
                    contrast,
                    ua,
                    ub,
                    weighting_labels[measure],
                    settings,
                    _rng(settings.seed, namespace, "diff-boot", measure, p.period),
                    _rng(settings.seed, namespace, "diff-perm", measure, p.period),
                )
            )
    return rows, n_undated


def differences_table(rows: list[dict[str, Any]], measures: Sequence[str]) -> pd.DataFrame:
    """Table ``frame_differences``: Holm within measure; measures in the given order,
    administration contrasts before country contrasts."""
    differences = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
    if len(differences):
        differences["p_holm"] = np.nan
        for _measure, idx in differences.groupby("measure", sort=False).groups.items():
            differences.loc[idx, "p_holm"] = holm(differences.loc[idx, "p_perm"].to_numpy())
        differences["_m"] = differences["measure"].map({m: i for i, m in enumerate(measures)})
        differences["_c"] = differences["comparison"].map({"administration": 0, "country": 1})
        differences = differences.sort_values(["_m", "_c"], kind="stable").drop(
            columns=["_m", "_c"]
        )
    return typed(differences.reset_index(drop=True)[DIFFERENCE_COLUMNS])
