"""Differences within common document types and standardised to a common genre mix, beside the
raw difference (table ``frame_differences_adjusted``).

For each difference of ``frame_differences`` (b - a) and measure:

- ``raw``: the difference as in ``frame_differences`` (all documents of both groups);
- ``genre``: one row per common document type g (types with at least ``min_genre_docs``
  documents with a value in each group): mean_b,g - mean_a,g;
- ``within_genre``: the within-genre (fixed-effects) difference over the common types,
  sum_g w_g d_g with w_g proportional to n_a,g n_b,g / (n_a,g + n_b,g), the weights a
  regression with document-type dummies gives (efficient when the difference is the same in
  every type);
- ``standardised``: both groups post-stratified to one genre mix, the pooled mix of the common
  types (w_g proportional to n_a,g + n_b,g: the documents of both groups in those types).

Two groups without a common document type get no within-genre or standardised number:
"not comparable: no common document type". Groups whose documents share no language were
measured with different instruments (each language has its own lexicon, with its own errors):
every row of such a contrast is ``comparable = False``, "different instruments: not
comparable"; the corrected prevalence (``frame_prevalence_differences``) is the comparison to
read instead.

Intervals: a bootstrap stratified by group x document type (documents, or clusters, drawn
within each cell), symmetric studentized with the linearised variance
V = sum_g w_g^2 (v_a,g + v_b,g) when each group has at least five units; otherwise (or when
too many resamples lack variation) a t interval on V with Welch-Satterthwaite degrees of
freedom over the cells, as ``calibrated_intervals`` does for two groups. Weights are fixed by
the observed counts, which the stratified resampling keeps. A cell in which every document has
the same value (no variance) gets the variance of its range bound (``_flat_variance``) and the
t interval; the row's note names such cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import (
    bounds_of,
    clip,
    difference_bounds,
    linearised_variance,
    ratio,
    replicates,
)
from framelens.analysis.stats.composition import composition_text
from framelens.analysis.stats.periods import assign_periods
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.analysis.stats.tidy import check_columns, norm_key, typed, weighting_label
from framelens.analysis.stats.units import Units, UnitTable
from framelens.core.domain import UNKNOWN
from framelens.core.seeding import rng as _rng
from framelens.schemas import columns_of

ADJUSTED_COLUMNS = columns_of("frame_differences_adjusted")
ESTIMATORS = ("raw", "within_genre", "standardised", "genre")
NO_COMMON_GENRE = "not comparable: no common document type"
DIFFERENT_INSTRUMENTS = "different instruments: not comparable"
#: Smallest number of units per group for the bootstrap-t (as ``calibrated_intervals``).
MIN_BOOTSTRAP_T_UNITS = 5
CI_STRATIFIED = "symmetric studentized bootstrap, stratified by document type"
CI_STRATIFIED_T = "Welch t interval, Satterthwaite df over the document-type cells"
CI_NO_INTERVAL = "none (a document-type cell with fewer than 2 units)"
CI_NO_VARIATION = "none (a document-type cell without variation, in an unbounded measure)"
WITHIN_WEIGHTS = "within-genre (fixed-effects) weights n_a n_b / (n_a + n_b)"
POOLED_MIX = "pooled mix of the common document types (n_a + n_b)"


@dataclass
class _Contrast:
    """The documents of one difference and what can be said about them."""

    row: dict
    pos_a: np.ndarray
    pos_b: np.ndarray
    common: list[str]
    thin: list[str]
    instrument_reason: str | None


def _prepare(table: pd.DataFrame, measures: list[str], weights: list[str], cluster: str | None):
    keep = [c for c in ("country", "administration", "date", "doc_id", "doc_type", "issuer",
                        "language", cluster, *weights) if c and c in table.columns]  # fmt: skip
    df = table[list(dict.fromkeys([*keep, *measures]))].copy().reset_index(drop=True)
    df["country"] = norm_key(df["country"])
    df["administration"] = norm_key(df["administration"])
    period = pd.Series(np.nan, index=df.index, dtype=object)
    if "date" in df.columns:
        known = (df["administration"] != UNKNOWN) & df["country"].isin(["US", "MX"])
        period[known] = assign_periods(df[known])
    return df, period.to_numpy()


def _positions(df: pd.DataFrame, period: np.ndarray, r: dict) -> tuple[np.ndarray, np.ndarray]:
    """Rows of group a and group b of the difference ``r`` (a ``frame_differences`` row)."""
    country, admin = df["country"].to_numpy(), df["administration"].to_numpy()
    if r["comparison"] == "administration":
        a = (country == r["country"]) & (admin == r["group_a"])
        b = (country == r["country"]) & (admin == r["group_b"])
    else:
        in_p = period == r["period"]
        a = in_p & (country == str(r["group_a"]).split(" (")[0])
        b = in_p & (country == str(r["group_b"]).split(" (")[0])
    return np.flatnonzero(a), np.flatnonzero(b)


def _instrument_reason(df: pd.DataFrame, pa: np.ndarray, pb: np.ndarray, instrument: str | None,
                       corrected: bool) -> str | None:  # fmt: skip
    """Why the groups' measures are not comparable (no language in common), or None."""
    if instrument is None or instrument not in df.columns or not len(pa) or not len(pb):
        return None
    la = sorted(set(norm_key(df[instrument].iloc[pa])))
    lb = sorted(set(norm_key(df[instrument].iloc[pb])))
    if set(la) & set(lb):
        return None
    reason = (f"{DIFFERENT_INSTRUMENTS} (group a is {', '.join(la)}, group b {', '.join(lb)}: "
              "each language has its own lexicon, with its own errors)")  # fmt: skip
    if corrected:
        reason += "; read the corrected prevalence (frame_prevalence_differences) instead"
    return reason


def _flat_variance(u: Units, ci: float, bounds: tuple[float, float]) -> float:
    """Variance standing in for a cell whose units all share one value (no variance).

    As ``calibrated_intervals.bounded_constant_interval``: the share of the population's units
    away from the value is at most 1 - ((1 - ci)/2)^(1/n) (one-sided Clopper-Pearson), and they
    lie within ``bounds``; the variance is (that half-width / z)^2. NaN when unbounded.
    """
    from scipy.stats import norm

    lo, hi = bounds
    value = ratio(u.S, u.W)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return float("nan")
    miss = 1.0 - ((1.0 - ci) / 2.0) ** (1.0 / len(u.S))
    half = miss * max(value - lo, hi - value)
    return float((half / norm.ppf(0.5 + ci / 2)) ** 2)


def _cell_replicates(cells: list[tuple[Units, Units]], settings: StatsSettings, bounds,
                     rng: np.random.Generator):  # fmt: skip
    """Per cell pair: (r*_b - r*_a, v*_a + v*_b, (v_a, n_a, flat_a), (v_b, n_b, flat_b)), or
    None when a cell has fewer than two units. A cell without variation (flat) gets the
    variance of ``_flat_variance``."""
    if any(len(u.S) < 2 for pair in cells for u in pair):
        return None
    out = []
    for ua, ub in cells:
        ra, va = replicates(ua.S, ua.W, settings.n_boot, rng)
        rb, vb = replicates(ub.S, ub.W, settings.n_boot, rng)
        sides = []
        for u in (ua, ub):
            v = linearised_variance(u.S, u.W)
            flat = not v > 1e-12 * max(1.0, ratio(u.S, u.W) ** 2)
            sides.append((_flat_variance(u, settings.ci, bounds) if flat else v, len(u.S), flat))
        out.append((rb - ra, va + vb, *sides))
    return out


def _t_interval(est: float, w: np.ndarray, reps, ci: float) -> tuple[float, float]:
    """est +- t_df sqrt(V), Welch-Satterthwaite df of V = sum w_g^2 (v_a,g + v_b,g)."""
    from scipy.stats import t as student_t

    parts = [(wg**2 * side[0], side[1]) for wg, r in zip(w, reps, strict=True) for side in r[2:]]
    var = sum(p for p, _ in parts)
    den = sum(p**2 / (n - 1) for p, n in parts)
    df = var**2 / den if den > 0 else float(min(n for _, n in parts) - 1)
    half = float(student_t.ppf(0.5 + ci / 2, df)) * np.sqrt(var)
    return est - half, est + half


def _combine(cells, reps, w: np.ndarray, settings: StatsSettings, bounds) -> dict[str, Any]:
    """Estimate, interval and method of sum_g w_g (mean_b,g - mean_a,g)."""
    mean_a = float(sum(wg * ratio(ua.S, ua.W) for wg, (ua, _) in zip(w, cells, strict=True)))
    mean_b = float(sum(wg * ratio(ub.S, ub.W) for wg, (_, ub) in zip(w, cells, strict=True)))
    est = mean_b - mean_a
    out = {"mean_a": mean_a, "mean_b": mean_b, "difference": est}
    if reps is None:
        return {**out, "ci_low": np.nan, "ci_high": np.nan, "ci_method": CI_NO_INTERVAL}
    var = float(sum(wg**2 * (r[2][0] + r[3][0]) for wg, r in zip(w, reps, strict=True)))
    if not var > 0:
        return {**out, "ci_low": np.nan, "ci_high": np.nan, "ci_method": CI_NO_VARIATION}
    any_flat = any(r[2][2] or r[3][2] for wg, r in zip(w, reps, strict=True) if wg > 0)
    n_a = sum(len(ua.S) for ua, _ in cells)
    n_b = sum(len(ub.S) for _, ub in cells)
    q = np.inf
    if min(n_a, n_b) >= MIN_BOOTSTRAP_T_UNITS and not any_flat:
        d_star = sum(wg * r[0] for wg, r in zip(w, reps, strict=True))
        v_star = sum(wg**2 * r[1] for wg, r in zip(w, reps, strict=True))
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.abs((d_star - est) / np.sqrt(v_star))
            q = float(np.quantile(np.where(np.isnan(t), 0.0, t), settings.ci))
    if np.isfinite(q):
        lo, hi, method = est - q * np.sqrt(var), est + q * np.sqrt(var), CI_STRATIFIED
    else:
        (lo, hi), method = _t_interval(est, w, reps, settings.ci), CI_STRATIFIED_T
    lo, hi = clip(lo, hi, difference_bounds(bounds))
    return {**out, "ci_low": lo, "ci_high": hi, "ci_method": method}


def _weights_text(genres: Sequence[str], w: np.ndarray) -> str:
    return "; ".join(f"{g} {wg:.3f}" for g, wg in zip(genres, w, strict=True))


def _base(c: _Contrast, measure: str, df: pd.DataFrame, settings: StatsSettings,
          weighting: str, resampling: str) -> dict[str, Any]:  # fmt: skip
    r = c.row
    return {
        "measure": measure, "comparison": r["comparison"], "country": r["country"],
        "period": r.get("period"), "group_a": r["group_a"], "group_b": r["group_b"],
        "contrast": r["contrast"], "genre": None, "ci_level": settings.ci,
        "comparable": c.instrument_reason is None, "reason": c.instrument_reason,
        "composition_a": composition_text(df.iloc[c.pos_a]),
        "composition_b": composition_text(df.iloc[c.pos_b]),
        "weighting": weighting, "resampling": resampling,
    }  # fmt: skip


def _raw_row(c: _Contrast, base: dict, settings: StatsSettings) -> dict[str, Any]:
    r = c.row
    notes = []
    if not c.common:
        notes.append("no common document type: the raw difference mixes the groups with "
                     "their genres")  # fmt: skip
    return {
        **base, "estimator": "raw", "genres_used": "all documents", "genre_weights": "",
        "n_a": int(r["n_a"]), "n_b": int(r["n_b"]), "mean_a": r["mean_a"], "mean_b": r["mean_b"],
        "difference": r["difference"], "ci_low": r["ci_low"], "ci_high": r["ci_high"],
        "ci_method": r["ci_method"], "small_n": bool(r["small_n"]),
        "note": "; ".join(notes) if notes else None,
    }  # fmt: skip


def _issuer_note(c: _Contrast, genre: np.ndarray, issuer: np.ndarray | None, g: str) -> str | None:
    """A note when the two groups' documents of type ``g`` come from different issuers."""
    if issuer is None:
        return None
    ia = sorted(set(issuer[c.pos_a[genre[c.pos_a] == g]]))
    ib = sorted(set(issuer[c.pos_b[genre[c.pos_b] == g]]))
    if set(ia) & set(ib):
        return None
    return f"no issuer in common within {g} (a: {', '.join(ia)}; b: {', '.join(ib)})"


def _adjusted_rows(c: _Contrast, base: dict, arrays: UnitTable, measure: str,
                   weights: str | None, genre: np.ndarray, issuer: np.ndarray | None,
                   settings: StatsSettings) -> list[dict[str, Any]]:  # fmt: skip
    """The genre, within_genre and standardised rows of one contrast and measure."""
    thin = f"too few documents (< 2 per group) in: {', '.join(c.thin)}" if c.thin else None
    if not c.common:
        return [
            {**base, "estimator": est, "genres_used": "", "genre_weights": "", "n_a": 0,
             "n_b": 0, "mean_a": np.nan, "mean_b": np.nan, "difference": np.nan,
             "ci_low": np.nan, "ci_high": np.nan, "ci_method": "none", "comparable": False,
             "reason": c.instrument_reason or NO_COMMON_GENRE, "small_n": True, "note": thin}
            for est in ("within_genre", "standardised")
        ]  # fmt: skip
    cells = [
        (arrays.units(c.pos_a[genre[c.pos_a] == g], measure, weights),
         arrays.units(c.pos_b[genre[c.pos_b] == g], measure, weights))
        for g in c.common
    ]  # fmt: skip
    r = c.row
    period = r.get("period") if isinstance(r.get("period"), str) else ""
    rng = _rng(settings.seed, "adjusted", measure, r["comparison"], r["country"], period,
               r["group_a"], r["group_b"])  # fmt: skip
    bounds = bounds_of(measure)
    reps = _cell_replicates(cells, settings, bounds, rng)
    flat = [f"{g} (group {side})" for g, rep in zip(c.common, reps or [], strict=False)
            for side, cell in (("a", rep[2]), ("b", rep[3])) if cell[2]]  # fmt: skip
    notes = [thin] if thin else []
    if flat:
        notes.append(f"every document has the same value in {', '.join(flat)}: its variance is "
                     "the range bound's")  # fmt: skip
    note = "; ".join(notes) if notes else None
    na = np.array([ua.n_docs for ua, _ in cells], dtype=float)
    nb = np.array([ub.n_docs for _, ub in cells], dtype=float)
    rows = []
    for k, g in enumerate(c.common):
        est = _combine([cells[k]], None if reps is None else [reps[k]], np.ones(1), settings,
                       bounds)  # fmt: skip
        rows.append({**base, "estimator": "genre", "genre": g, "genres_used": g,
                     "genre_weights": "", "n_a": int(na[k]), "n_b": int(nb[k]), **est,
                     "small_n": bool(min(na[k], nb[k]) < settings.min_n),
                     "note": _issuer_note(c, genre, issuer, g)})  # fmt: skip
    for name, w, label in (("within_genre", na * nb / (na + nb), WITHIN_WEIGHTS),
                           ("standardised", na + nb, POOLED_MIX)):  # fmt: skip
        w = w / w.sum()
        est = _combine(cells, reps, w, settings, bounds)
        rows.append({**base, "estimator": name, "genres_used": ", ".join(c.common),
                     "genre_weights": f"{label}: {_weights_text(c.common, w)}",
                     "n_a": int(na.sum()), "n_b": int(nb.sum()), **est,
                     "small_n": bool(min(na.sum(), nb.sum()) < settings.min_n),
                     "note": note})  # fmt: skip
    order = {"within_genre": 0, "standardised": 1, "genre": 2}
    return sorted(rows, key=lambda x: order[x["estimator"]])


def _contrast(df: pd.DataFrame, r: dict, positions, finite: np.ndarray, genre: np.ndarray | None,
              instrument: str | None, min_genre_docs: int, corrected: bool) -> _Contrast:  # fmt: skip
    pa, pb = positions
    pa, pb = pa[finite[pa]], pb[finite[pb]]
    common: list[str] = []
    thin: list[str] = []
    if genre is not None:
        ca = pd.Series(genre[pa]).value_counts()
        cb = pd.Series(genre[pb]).value_counts()
        both = sorted(set(ca.index) & set(cb.index))
        common = [g for g in both if min(ca[g], cb[g]) >= min_genre_docs]
        thin = [g for g in both if g not in common]
    reason = _instrument_reason(df, pa, pb, instrument, corrected)
    return _Contrast(r, pa, pb, common, thin, reason)


def adjusted_differences(
    table: pd.DataFrame,
    differences: pd.DataFrame,
    *,
    weights: str | Mapping[str, str | None] | None = None,
    genre: str | None = "doc_type",
    instrument: str | None = "language",
    min_genre_docs: int = 2,
    corrected_available: bool = False,
    settings: StatsSettings | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Raw, within-genre and genre-standardised differences side by side, with composition.

    Parameters
    ----------
    table : DataFrame
        One row per document (``frame_scores``): the measures of ``differences``, country,
        administration, date (for the country comparisons within joint periods) and, when
        present, ``genre``, ``instrument``, issuer and the ``weights`` column.
    differences : DataFrame
        ``frame_differences`` (``compare(...).differences``): the contrasts, and the raw row.
    weights : str or mapping of str to str, optional
        Weights column, as in ``compare`` (each document once by default), or one per measure.
        The ``weighting`` label of each row is the one of its ``differences`` row.
    genre : str or None, default "doc_type"
        Column of document types; None gives the raw rows only.
    instrument : str or None, default "language"
        Column naming the measuring instrument (the lexicon differs by language): groups with
        no value in common are "different instruments: not comparable". None: no check (a
        measure from one instrument, such as hand codes).
    min_genre_docs : int, default 2
        Documents with a value each group needs in a type for the type to count as common.
    corrected_available : bool, default False
        Whether the run has corrected prevalence (named in the not-comparable reason).
    settings : StatsSettings, optional
        As in ``compare``; keyword ``options`` (seed, n_boot, ci, min_n, cluster) override it.

    Returns
    -------
    DataFrame
        Table ``frame_differences_adjusted``: per difference and measure the rows ``raw``,
        ``within_genre``, ``standardised`` and one ``genre`` row per common type, with
        genres_used, genre_weights (which weights, and their values), the composition of both
        groups, comparable and reason.
    """
    s = resolve("adjusted_differences", settings, options)
    measures = list(dict.fromkeys(differences["measure"])) if len(differences) else []
    wmap = dict(weights) if isinstance(weights, Mapping) else dict.fromkeys(measures, weights)
    wcols = sorted({w for w in wmap.values() if w})
    check_columns(table, ["country", "administration", *measures, *wcols, s.cluster],
                  "adjusted_differences")  # fmt: skip
    df, period = _prepare(table, measures, wcols, s.cluster)
    arrays = UnitTable(df, s.cluster)
    genre_arr = norm_key(df[genre]).to_numpy() if genre and genre in df.columns else None
    issuer = norm_key(df["issuer"]).to_numpy() if "issuer" in df.columns else None
    resampling = "documents" if s.cluster is None else f"{s.cluster} clusters"
    rows: list[dict[str, Any]] = []
    cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    for r in differences.to_dict(orient="records"):
        key = (r["comparison"], r["country"], r.get("period"), r["group_a"], r["group_b"])
        if key not in cache:
            cache[key] = _positions(df, period, r)
        w = wmap.get(r["measure"])
        x = arrays.col(r["measure"])
        finite = np.isfinite(x) & (np.isfinite(arrays.col(w)) & (arrays.col(w) >= 0) if w else True)
        c = _contrast(df, r, cache[key], finite, genre_arr, instrument, min_genre_docs,
                      corrected_available)  # fmt: skip
        label = str(r["weighting"]) if isinstance(r.get("weighting"), str) else weighting_label(w)
        base = _base(c, r["measure"], df, s, label, resampling)
        rows.append(_raw_row(c, base, s))
        if genre_arr is not None:
            rows += _adjusted_rows(c, base, arrays, r["measure"], w, genre_arr, issuer, s)
    out = pd.DataFrame(rows, columns=ADJUSTED_COLUMNS)
    return typed(out.astype({"comparable": bool, "small_n": bool}))


def genre_standardised_difference(
    a: Sequence[float] | np.ndarray,
    genre_a: Sequence[str] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    genre_b: Sequence[str] | np.ndarray,
    *,
    estimator: str = "standardised",
    min_genre_docs: int = 2,
    n_boot: int = 2000,
    ci: float = 0.95,
    bounds: tuple[float, float] = (-np.inf, np.inf),
    seed: int | np.random.Generator,
) -> dict[str, Any]:
    """``mean(b) - mean(a)`` within the document types both groups have (array level).

    ``estimator``: "standardised" (pooled mix of the common types) or "within_genre"
    (fixed-effects weights). Returns difference, ci_low, ci_high, ci_method, mean_a, mean_b and
    genres (the common types); NaN and an empty list when no type is common. NaN values are
    dropped. The engine of ``adjusted_differences``.
    """
    if estimator not in ("standardised", "within_genre"):
        raise ValueError(f"estimator must be 'standardised' or 'within_genre', not {estimator!r}")
    xa, xb = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ga, gb = np.asarray(genre_a).astype(str), np.asarray(genre_b).astype(str)
    ka, kb = np.isfinite(xa), np.isfinite(xb)
    xa, ga, xb, gb = xa[ka], ga[ka], xb[kb], gb[kb]
    common = sorted(g for g in set(ga) & set(gb)
                    if min((ga == g).sum(), (gb == g).sum()) >= min_genre_docs)  # fmt: skip
    if not common:
        return {"difference": np.nan, "ci_low": np.nan, "ci_high": np.nan, "mean_a": np.nan,
                "mean_b": np.nan, "ci_method": NO_COMMON_GENRE, "genres": []}  # fmt: skip

    def units(x: np.ndarray) -> Units:
        return Units(x, np.ones_like(x), x.size, 0, 0, "documents")

    cells = [(units(xa[ga == g]), units(xb[gb == g])) for g in common]
    settings = StatsSettings(n_boot=n_boot, ci=ci, seed=0)
    reps = _cell_replicates(cells, settings, bounds, _rng(seed, "genre_standardised"))
    na = np.array([u.n_docs for u, _ in cells], dtype=float)
    nb = np.array([u.n_docs for _, u in cells], dtype=float)
    w = na + nb if estimator == "standardised" else na * nb / (na + nb)
    out = _combine(cells, reps, w / w.sum(), settings, bounds)
    return {**out, "genres": common}
