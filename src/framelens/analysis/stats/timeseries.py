"""A measure per country and calendar month or quarter, with bootstrap bands
(table ``frame_timeseries``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import boot_units, bounds_of
from framelens.analysis.stats.index_hits import prepare_index
from framelens.analysis.stats.periods import parse_dates
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.analysis.stats.tidy import check_columns, norm_key, typed, weighting_label
from framelens.analysis.stats.units import Units, UnitTable, group_positions
from framelens.core.domain import group_sort_key
from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import rng as _rng
from framelens.schemas import columns_of

TIMESERIES_COLUMNS = columns_of("frame_timeseries")
FREQUENCIES = ("auto", "M", "Q")
_OPTIONS = ("seed", "n_boot", "min_n", "ci", "cluster", "min_index_hits")


def _choose_freq(dates: pd.Series, countries: pd.Series, threshold: float) -> str:
    med = []
    for c in sorted(countries.unique()):
        d = dates[countries == c]
        months = d.dt.to_period("M")
        span = pd.period_range(months.min(), months.max(), freq="M")
        med.append(months.value_counts().reindex(span, fill_value=0).to_numpy())
    counts = np.concatenate(med) if med else np.array([0])
    return "Q" if float(np.median(counts)) < threshold else "M"


def _administrations(admin_arr: np.ndarray | None, pos: np.ndarray, country: str) -> str | None:
    """The administrations of a bin's documents, in office order, joined by "/"."""
    if admin_arr is None or not pos.size:
        return None
    present = set(admin_arr[pos])
    return "/".join(sorted(present, key=lambda a: group_sort_key(country, a)))


def _bin_row(
    measure: str,
    country: str,
    freq: str,
    per: pd.Period,
    u: Units,
    administrations: str | None,
    n_undated: int,
    weighting: str,
    settings: StatsSettings,
) -> dict[str, Any]:
    """One row of ``frame_timeseries``: the bin's estimate and bootstrap band."""
    s = settings
    rng = _rng(s.seed, "timeseries", measure, country, str(per))
    est = boot_units(u.S, u.W, s.n_boot, s.ci, rng, bounds_of(measure))
    return {
        "measure": measure, "country": country, "freq": freq, "period": str(per),
        "period_start": per.start_time.date().isoformat(),
        "period_end": per.end_time.date().isoformat(), "administrations": administrations,
        "n_docs": u.n_docs, "n_units": len(u.S), "mean": est.estimate, "ci_low": est.ci_low, "ci_high": est.ci_high,
        "ci_level": s.ci, "ci_method": est.method, "n_boot": s.n_boot,
        "small_n": len(u.S) < s.min_n, "min_n": s.min_n, "n_undated": n_undated,
        "weighting": weighting, "resampling": u.resampling,
    }  # fmt: skip


def _bin_rows(
    dated: pd.DataFrame,
    measures: list[str],
    freq: str,
    undated: pd.Series,
    weights_of: dict[str, str | None],
    labels: dict[str, str],
    s: StatsSettings,
) -> list[dict[str, Any]]:
    """Rows of every measure x country x period, from each country's first to last period."""
    arrays = UnitTable(dated, s.cluster)
    cells = group_positions(dated, ["country", "_period"])
    admin_arr = (
        dated["administration"].astype(str).to_numpy()
        if "administration" in dated.columns
        else None
    )
    empty = np.array([], dtype=int)
    rows = []
    for measure in measures:
        for country in sorted(dated["country"].unique(), key=group_sort_key):
            sub = dated.loc[dated["country"] == country, "_period"]
            for per in pd.period_range(sub.min(), sub.max(), freq=freq):
                pos = cells.get((country, per), empty)
                u = arrays.units(pos, measure, weights_of[measure])
                rows.append(
                    _bin_row(measure, country, freq, per, u,
                             _administrations(admin_arr, pos, country),
                             int(undated.get(country, 0)), labels[measure], s)
                )  # fmt: skip
    return rows


def timeseries(
    table: pd.DataFrame,
    value: str | Sequence[str] = "framing_index",
    freq: str = "auto",
    *,
    weights: str | None = None,
    sparse_threshold: float = 3.0,
    settings: StatsSettings | None = None,
    **options: Any,
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
    weights : str, optional
        As in ``compare`` (``"n_tokens"``: pooled rates and the pooled framing index).
    settings, **options
        As in ``compare`` (seed, n_boot, min_n, ci, cluster, min_index_hits); each bin is
        bootstrapped over its own documents (intervals as in ``compare``).

    Returns
    -------
    DataFrame
        Table ``frame_timeseries``: one row per measure x country x period from the country's
        first to its last dated period, empty periods included (n_docs 0, mean NaN), so gaps
        stay visible. ``administrations`` lists the administrations of the bin's documents.
    """
    s = resolve("timeseries", settings, options, allowed=_OPTIONS)
    measures = [value] if isinstance(value, str) else list(value)
    check_columns(table, [*measures, "country", "date", weights, s.cluster], "timeseries")
    table, weights_of, labels, _notes = prepare_index(
        table, measures, {m: weights for m in measures},
        {m: weighting_label(weights) for m in measures}, s.min_index_hits,
    )  # fmt: skip
    if freq not in FREQUENCIES:
        raise ConfigError(Errors.E026.format(what="timeseries", key="freq", value=freq,
                                             allowed=list(FREQUENCIES)))  # fmt: skip
    df = table.copy()
    df["country"] = norm_key(df["country"])
    df["_date"] = parse_dates(df["date"])
    undated = df[df["_date"].isna()].groupby("country").size()
    dated = df[df["_date"].notna()]
    if dated.empty:
        return typed(pd.DataFrame(columns=TIMESERIES_COLUMNS))
    if freq == "auto":
        freq = _choose_freq(dated["_date"], dated["country"], sparse_threshold)
    dated = dated.assign(_period=dated["_date"].dt.to_period(freq)).reset_index(drop=True)
    rows = _bin_rows(dated, measures, freq, undated, weights_of, labels, s)
    return typed(pd.DataFrame(rows, columns=TIMESERIES_COLUMNS))
