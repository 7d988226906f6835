"""Group estimates and differences of document-level measures: ``compare`` and its result.

``compare(table, value, by=("country", "administration"), ...)`` returns a
``ComparisonResult``: one row per measure x group (mean, bootstrap interval, small groups
flagged, administration "unknown" shown but not comparable; for the framing index also the
pooled share H/(H+S) of ``index_share``) and the differences between consecutive
administrations and between the countries within joint periods. Methods:
``docs/statistics.md``.

Randomness: every interval draws from its own generator (``core.seeding.rng``) keyed by the
estimate's name (namespace, measure, group or contrast), so an estimate's interval does not
change when another group is added to the corpus, and the same input + seed gives
byte-identical tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import boot_units, bounds_of
from framelens.analysis.stats.calibrated_intervals import STUDENTIZED_MIN_UNITS
from framelens.analysis.stats.differences import (
    administration_differences,
    country_differences,
    differences_table,
)
from framelens.analysis.stats.index_hits import (
    HELPER_COLUMNS,
    HUM_HITS,
    INDEX,
    INDEX_HITS,
    POOLED_LABEL,
    few_hits_count,
    prepare_index,
)
from framelens.analysis.stats.index_share import pooled_share
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.analysis.stats.tidy import (
    check_columns,
    norm_key,
    sort_keys,
    typed,
    weighting_label,
)
from framelens.analysis.stats.units import Units, UnitTable, group_positions
from framelens.core.domain import UNKNOWN
from framelens.core.errors import ConfigError, Errors
from framelens.core.formatting import ci_text, num
from framelens.core.seeding import rng as _rng
from framelens.schemas import columns_of

BY_DEFAULT: tuple[str, str] = ("country", "administration")
#: Document-level frame measures compared by default (those present in the table are used).
FRAME_MEASURES: tuple[str, ...] = (
    "framing_index",
    "rate_humanitarian",
    "rate_security",
    "rate_cooperation",
)
GROUP_COLUMNS = columns_of("frame_by_group")
#: Columns of ``ComparisonResult.table`` (groups and differences in one tidy table).
TABLE_COLUMNS = [
    "kind", "measure", "comparison", "country", "group", "period", "n", "estimate", "ci_low",
    "ci_high", "p_perm", "p_holm", "small_n", "weighting", "note",
]  # fmt: skip
_FRAME_TABLES = {"groups": "frame_by_group", "differences": "frame_differences"}


def _fmt(x: float) -> str:
    return num(x, missing="nan")


@dataclass
class ComparisonResult:
    """Group estimates and differences of one or more measures (like a statsmodels results object).

    Attributes
    ----------
    groups : DataFrame
        Table ``frame_by_group`` (columns ``GROUP_COLUMNS``): one row per measure x group,
        small groups flagged (``small_n``), never dropped; administration "unknown" shown with
        ``comparable=False``.
    differences : DataFrame
        Table ``frame_differences`` (columns ``DIFFERENCE_COLUMNS``).
    settings : dict
        n_boot, n_perm, ci, min_n, seed, weighting, cluster, by, measures.
    notes : list of str
        What was excluded and why (unknown administration, NaN values, undated documents).
    table_names : dict
        Attribute -> name of the table it is (``tables()``).
    """

    groups: pd.DataFrame
    differences: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    table_names: dict[str, str] = field(default_factory=lambda: dict(_FRAME_TABLES))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tables by table name, e.g. ``{"frame_by_group": ..., "frame_differences": ...}``."""
        return {name: getattr(self, attr) for attr, name in self.table_names.items()}

    @property
    def table(self) -> pd.DataFrame:
        """Tidy union of groups and differences: columns ``TABLE_COLUMNS``, one row each."""
        g, d = self.groups, self.differences
        groups = pd.DataFrame(
            {
                "kind": "group", "measure": g["measure"], "comparison": None,
                "country": g["country"] if "country" in g else None,
                "group": g["administration"] if "administration" in g else None,
                "period": None, "n": g["n_docs"], "estimate": g["mean"], "ci_low": g["ci_low"],
                "ci_high": g["ci_high"], "p_perm": np.nan, "p_holm": np.nan,
                "small_n": g["small_n"], "weighting": g["weighting"], "note": g["note"],
            }
        )  # fmt: skip
        diffs = pd.DataFrame(
            {
                "kind": "difference", "measure": d["measure"], "comparison": d["comparison"],
                "country": d["country"], "group": d["contrast"], "period": d["period"],
                "n": d["n_a"] + d["n_b"], "estimate": d["difference"], "ci_low": d["ci_low"],
                "ci_high": d["ci_high"], "p_perm": d["p_perm"], "p_holm": d["p_holm"],
                "small_n": d["small_n"], "weighting": d["weighting"], "note": d["note"],
            }
        )  # fmt: skip
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
            f"{pct} symmetric studentized bootstrap intervals ({s.get('n_boot')} replicates; "
            f"t intervals below {STUDENTIZED_MIN_UNITS} units); studentized permutation test "
            f"({s.get('n_perm')} permutations); Holm within measure; min n {s.get('min_n')} "
            f"units; min index hits {s.get('min_index_hits')}; seed {s.get('seed')}",
            "",
        ]
        if len(self.groups):
            g = self.groups.copy()
            g["interval"] = [
                ci_text(lo, hi, missing="n/a")
                for lo, hi in zip(g["ci_low"], g["ci_high"], strict=True)
            ]
            g["flag"] = np.where(g["small_n"], "small n", "")
            g.loc[~g["comparable"], "flag"] = "not compared"
            cols = [c for c in ("measure", "country", "administration") if c in g] + [
                "n_docs", "mean", "interval", "flag"]  # fmt: skip
            lines += ["Groups", g[cols].to_string(index=False, float_format=_fmt), ""]
        if len(self.differences):
            d = self.differences.copy()
            d["interval"] = [
                ci_text(lo, hi, missing="n/a")
                for lo, hi in zip(d["ci_low"], d["ci_high"], strict=True)
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


def compare(
    table: pd.DataFrame,
    value: str | Sequence[str],
    by: Sequence[str] = BY_DEFAULT,
    *,
    weights: str | None = None,
    settings: StatsSettings | None = None,
    **options: Any,
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
        Column of document weights. ``"n_tokens"`` gives pooled estimates: token-weighted
        rates (all hits over all tokens) and, for ``framing_index``, the pooled ratio
        (sum H - sum S) / (sum H + sum S), documents weighted by their frame hits
        (``index_hits``). Default: each document counts once. Stated in ``weighting``.
    settings : StatsSettings, optional
        The statistics settings (default ``StatsSettings()``); keyword options override them.
    **options
        Any field of ``StatsSettings``: ``seed`` (int, required: seed of every generator),
        ``n_boot`` and ``n_perm`` (default 2000: bootstrap replicates, Monte Carlo
        permutations), ``min_n`` (default 5: groups with fewer resampling units, documents or
        clusters, are flagged ``small_n``, never dropped), ``ci`` (default 0.95), ``cluster``
        (``"issuer"`` for a cluster bootstrap and permutation over issuers: documents of one
        issuer move together; a missing issuer makes a document its own cluster),
        ``min_index_hits`` (default 3: a document's framing index enters the document mean
        only with at least this many frame hits; document weighting only).

    Returns
    -------
    ComparisonResult
        ``.groups`` (table ``frame_by_group``; framing-index rows also carry the pooled share
        H/(H+S) with its interval), ``.differences`` (``frame_differences``), ``.tables()``,
        ``.table``, ``.summary()``.

    Notes
    -----
    Differences are ``b - a``: the later minus the earlier administration within a country;
    Mexico minus the United States within a joint period (``joint_periods``: the calendar span
    in which a US and a Mexican administration were both in office; documents placed by their
    date). p-values permute the studentized (Welch) statistic; Holm adjustment runs over all
    differences of one measure.

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
    s = resolve("compare", settings, options)
    table, weights_of, labels, notes = prepare_index(
        table,
        measures,
        {m: weights for m in measures},
        {m: weighting_label(weights) for m in measures},
        s.min_index_hits,
    )
    result = compare_measures(table, measures, tuple(by), weights=weights_of, labels=labels,
                              settings=s, namespace="compare")  # fmt: skip
    result.notes[:0] = notes
    return result


def compare_measures(
    table: pd.DataFrame,
    measures: list[str],
    by: tuple[str, ...],
    *,
    weights: Mapping[str, str | None],
    labels: Mapping[str, str],
    settings: StatsSettings,
    namespace: str,
    table_names: Mapping[str, str] = _FRAME_TABLES,
) -> ComparisonResult:
    """``compare`` with a weights column and a ``weighting`` label per measure.

    ``namespace`` is the first key of every generator (``"compare"``, ``"cooccurrence"``), so
    that two comparisons of one run draw independent streams.
    """
    df = _comparison_frame(table, measures, by, weights, settings)
    arrays = UnitTable(df, settings.cluster)
    grouped = group_positions(df, list(by))
    keys = sort_keys(grouped.keys(), by)
    group_rows: list[dict[str, Any]] = []
    units: dict[tuple, dict[str, Units]] = {}
    for measure in measures:
        for key in keys:
            u = arrays.units(grouped[key], measure, weights[measure])
            units.setdefault(key, {})[measure] = u
            rng = _rng(settings.seed, namespace, measure, *key)
            row = _group_row(
                measure, dict(zip(by, key, strict=True)), u, labels[measure], settings, rng
            )
            row.update(_index_columns(arrays, grouped[key], measure, u, settings))
            if labels[measure] == POOLED_LABEL:
                _pooled_index_interval(row)
            group_rows.append(row)
    group_cols = columns_of(table_names["groups"])
    groups = typed(pd.DataFrame(group_rows, columns=["measure", *by] + group_cols[3:]))
    notes = _exclusion_notes(df, measures, by)
    diff_rows: list[dict[str, Any]] = []
    if tuple(by) == BY_DEFAULT:
        diff_rows, diff_notes = _differences(arrays, units, keys, measures, weights, labels,
                                             settings, namespace)  # fmt: skip
        notes += diff_notes
    else:
        notes.append(f"differences are computed for by={BY_DEFAULT} only")
    return ComparisonResult(
        groups=groups.reset_index(drop=True),
        differences=differences_table(diff_rows, measures),
        settings=_settings_record(measures, by, labels, settings),
        notes=notes,
        table_names=dict(table_names),
    )


def _comparison_frame(
    table: pd.DataFrame,
    measures: list[str],
    by: tuple[str, ...],
    weights: Mapping[str, str | None],
    settings: StatsSettings,
) -> pd.DataFrame:
    """The columns a comparison uses, checked, with group labels as text (``unknown`` if missing)."""
    if not measures:
        raise ConfigError(Errors.E025.format(what="compare"))
    if not 0.5 < settings.ci < 1:
        raise ConfigError(Errors.E024.format(what="compare", ci=settings.ci))
    check_columns(table, measures, "compare value")
    check_columns(table, by, "compare by")
    check_columns(table, list(weights.values()) + [settings.cluster], "compare weights/cluster")
    keep = list(dict.fromkeys([*by, *measures, *[w for w in weights.values() if w]]))
    for extra in ("doc_id", "date", "issuer", settings.cluster, *HELPER_COLUMNS):
        if extra and extra in table.columns and extra not in keep:
            keep.append(extra)
    df = table[keep].copy()
    for col in by:
        df[col] = norm_key(df[col])
    return df.reset_index(drop=True)


def _group_row(
    measure: str,
    group: dict[str, str],
    u: Units,
    weighting: str,
    settings: StatsSettings,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """One row of ``frame_by_group``: the group's estimate, interval, flags and notes."""
    s = settings
    est = boot_units(u.S, u.W, s.n_boot, s.ci, rng, bounds_of(measure))
    comparable = group.get("administration") != UNKNOWN and group.get("country") != UNKNOWN
    notes = []
    if not comparable:
        notes.append("administration unknown: shown, excluded from comparisons")
    if u.n_docs == 0:
        notes.append("no non-missing values")
    elif len(u.S) < 2:
        notes.append(
            "one issuer: no cluster-level variation, no interval"
            if s.cluster
            else "one document: no interval"
        )
    if u.n_missing:
        notes.append(f"{u.n_missing} missing value(s) dropped")
    return {
        "measure": measure, **group, "comparable": comparable, "n_docs": u.n_docs,
        "n_missing": u.n_missing, "n_units": len(u.S), "n_issuers": u.n_issuers,
        "mean": est.estimate, "ci_low": est.ci_low, "ci_high": est.ci_high, "se_boot": est.se,
        "ci_level": s.ci, "ci_method": est.method, "n_boot": s.n_boot,
        "small_n": len(u.S) < s.min_n, "min_n": s.min_n, "weighting": weighting,
        "resampling": u.resampling, "note": "; ".join(notes) if notes else None,
    }  # fmt: skip


def _index_columns(
    arrays: UnitTable, pos: np.ndarray, measure: str, u: Units, settings: StatsSettings
) -> dict[str, Any]:
    """The framing-index columns of a group row: documents left out for too few hits, and the
    pooled share H/(H+S) with its cluster-robust interval (NaN for other measures)."""
    out: dict[str, Any] = {
        "n_few_hits": few_hits_count(arrays.df, pos, measure), "n_hits": 0,
        "pooled_share": np.nan, "pooled_share_ci_low": np.nan, "pooled_share_ci_high": np.nan,
        "pooled_share_ci_method": None,
    }  # fmt: skip
    if measure != INDEX or INDEX_HITS not in arrays.df.columns:
        return out
    hits = arrays.col(INDEX_HITS)[pos]
    clusters = arrays.ccodes[pos] if arrays.ccodes is not None else None
    est = pooled_share(arrays.col(HUM_HITS)[pos], hits - arrays.col(HUM_HITS)[pos],
                       settings.ci, clusters, u.resampling)  # fmt: skip
    out.update(n_hits=est.n_hits, pooled_share=est.share, pooled_share_ci_low=est.ci_low,
               pooled_share_ci_high=est.ci_high, pooled_share_ci_method=est.method)  # fmt: skip
    return out


def _pooled_index_interval(row: dict[str, Any]) -> None:
    """The pooled index 2p - 1 takes its interval from the pooled share's binomial model, whose
    coverage is better than the ratio bootstrap's in small skewed groups (docs section 1)."""
    lo, hi = row["pooled_share_ci_low"], row["pooled_share_ci_high"]
    if np.isfinite(lo) and np.isfinite(hi):
        row["ci_low"], row["ci_high"] = 2.0 * lo - 1.0, 2.0 * hi - 1.0
        row["ci_method"] = f"2p - 1 of the pooled share: {row['pooled_share_ci_method']}"


def _exclusion_notes(df: pd.DataFrame, measures: list[str], by: tuple[str, ...]) -> list[str]:
    """Notes on the documents left out: administration unknown, missing values."""
    notes: list[str] = []
    if "administration" in by:
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
    return notes


def _differences(
    arrays: UnitTable,
    units: Mapping[tuple, Mapping[str, Units]],
    keys: list[tuple],
    measures: list[str],
    weights: Mapping[str, str | None],
    labels: Mapping[str, str],
    settings: StatsSettings,
    namespace: str,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of every difference (administrations, then countries per measure) and notes."""
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for measure in measures:
        rows += administration_differences(units, keys, measure, labels[measure], settings,
                                           namespace)  # fmt: skip
    if "date" not in arrays.df.columns:
        notes.append("no date column: US vs MX comparisons within joint periods skipped")
        return rows, notes
    country_rows, n_undated = country_differences(arrays, measures, weights, labels, settings,
                                                  namespace)  # fmt: skip
    rows += country_rows
    if n_undated:
        notes.append(
            f"{n_undated} dated-administration document(s) without a usable date left out "
            "of the US vs MX comparisons within joint periods"
        )
    return rows, notes


def _settings_record(
    measures: list[str], by: tuple[str, ...], labels: Mapping[str, str], settings: StatsSettings
) -> dict[str, Any]:
    return {
        "measures": measures,
        "by": list(by),
        "weighting": ", ".join(sorted(set(labels.values()))),
        "cluster": settings.cluster,
        "n_boot": settings.n_boot,
        "n_perm": settings.n_perm,
        "min_n": settings.min_n,
        "min_index_hits": settings.min_index_hits,
        "ci": settings.ci,
        "seed": settings.seed,
    }
