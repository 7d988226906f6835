"""Schemas of the comparison stage (stage 5): group means, differences, regression, time series,
co-occurrence and actor tables.

Every table states its weighting in a ``weighting`` column, its interval level in ``ci_level``
and its interval method in ``ci_method`` (studentized bootstrap; percentile bootstrap for groups
of 2-4 units; Wilson for actor shares of 0 or 1); ``frame_regression`` holds model-based
intervals. Methods: ``docs/statistics.md``.

Columns
-------
frame_by_group / cooccurrence_by_group (one row per measure x country x administration):
    measure, country, administration, comparable (False for administration "unknown": shown,
    excluded from differences and regression), n_docs (documents with a value), n_missing
    (documents whose value was NaN, dropped), n_units (resampled units: documents or issuers),
    n_issuers, mean, ci_low, ci_high, se_boot, ci_level, ci_method, n_boot, small_n (n_docs < min_n),
    min_n, weighting, resampling, note.
frame_differences (one row per measure x contrast):
    measure, comparison ("administration": consecutive administrations within a country;
    "country": US vs MX within a joint period), country, period, period_start, period_end,
    group_a, group_b, contrast ("b - a"), n_a, n_b, mean_a, mean_b, difference (mean_b - mean_a),
    ci_low, ci_high, p_perm (two-sided permutation p), p_holm (Holm within measure), ci_level,
    ci_method, n_boot, n_perm, small_n, weighting, resampling, note.
frame_regression (one row per measure x term):
    measure, term, coef, se, t, p, ci_low, ci_high, ci_level, n, n_clusters, cov_type,
    weighting, reference, note.
frame_timeseries (one row per measure x country x period, empty periods included):
    measure, country, freq ("M"|"Q"), period, period_start, period_end, administrations,
    n_docs, mean, ci_low, ci_high, ci_level, ci_method, n_boot, small_n, min_n, n_undated, weighting,
    resampling.
actors_by_group (one row per actor x country x administration x frame):
    actor, actor_country, country, administration, comparable, frame, n_mentions (sentences
    mentioning the actor), n_docs, n_frame (of those, sentences carrying the frame), share,
    ci_low, ci_high, ci_level, ci_method, n_boot, small_n (n_docs < min_n), min_n, weighting, resampling,
    note.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Bool, Float, Int, register

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def Text(nullable: bool = False, **kw) -> pa.Column:  # noqa: N802 - reads like a type
    """A string column that accepts both ``object`` and pandas' ``str`` dtypes."""
    return pa.Column(str, nullable=nullable, coerce=False, **kw)


_PROPORTION = pa.Check.in_range(0.0, 1.0)

_GROUP_COLUMNS = {
    "measure": Text(),
    "country": Text(),
    "administration": Text(),
    "comparable": Bool(),
    "n_docs": Int(checks=pa.Check.ge(0)),
    "n_missing": Int(checks=pa.Check.ge(0)),
    "n_units": Int(checks=pa.Check.ge(0)),
    "n_issuers": Int(checks=pa.Check.ge(0)),
    "mean": Float(),
    "ci_low": Float(),
    "ci_high": Float(),
    "se_boot": Float(),
    "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
    "ci_method": Text(),
    "n_boot": Int(checks=pa.Check.ge(0)),
    "small_n": Bool(),
    "min_n": Int(checks=pa.Check.ge(0)),
    "weighting": Text(),
    "resampling": Text(),
    "note": Text(nullable=True),
}

#: Group means of the document frame measures (framing index, rates per 1,000 tokens).
FRAME_BY_GROUP = register(
    "frame_by_group", pa.DataFrameSchema(dict(_GROUP_COLUMNS), strict=True, ordered=True)
)

#: Group means of the co-occurrence shares (hum_in_sec_share, sec_in_hum_share).
COOCCURRENCE_BY_GROUP = register(
    "cooccurrence_by_group", pa.DataFrameSchema(dict(_GROUP_COLUMNS), strict=True, ordered=True)
)

#: Differences between consecutive administrations and between countries within a period.
FRAME_DIFFERENCES = register(
    "frame_differences",
    pa.DataFrameSchema(
        {
            "measure": Text(),
            "comparison": Text(checks=pa.Check.isin(["administration", "country"])),
            "country": Text(),
            "period": Text(nullable=True),
            "period_start": Text(nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
            "period_end": Text(nullable=True, checks=pa.Check.str_matches(ISO_DATE)),
            "group_a": Text(),
            "group_b": Text(),
            "contrast": Text(),
            "n_a": Int(checks=pa.Check.ge(0)),
            "n_b": Int(checks=pa.Check.ge(0)),
            "mean_a": Float(),
            "mean_b": Float(),
            "difference": Float(),
            "ci_low": Float(),
            "ci_high": Float(),
            "p_perm": Float(checks=_PROPORTION),
            "p_holm": Float(checks=_PROPORTION),
            "ci_level": Float(nullable=False),
            "ci_method": Text(),
            "n_boot": Int(checks=pa.Check.ge(0)),
            "n_perm": Int(checks=pa.Check.ge(0)),
            "small_n": Bool(),
            "weighting": Text(),
            "resampling": Text(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

#: OLS coefficients of each measure on country x administration with a document-type control.
FRAME_REGRESSION = register(
    "frame_regression",
    pa.DataFrameSchema(
        {
            "measure": Text(),
            "term": Text(),
            "coef": Float(),
            "se": Float(),
            "t": Float(),
            "p": Float(checks=_PROPORTION),
            "ci_low": Float(),
            "ci_high": Float(),
            "ci_level": Float(nullable=False),
            "n": Int(checks=pa.Check.ge(0)),
            "n_clusters": pa.Column("Int64", nullable=True, coerce=True),
            "cov_type": Text(),
            "weighting": Text(),
            "reference": Text(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

#: Framing over time per country (monthly or quarterly bins) with bootstrap bands.
FRAME_TIMESERIES = register(
    "frame_timeseries",
    pa.DataFrameSchema(
        {
            "measure": Text(),
            "country": Text(),
            "freq": Text(checks=pa.Check.isin(["M", "Q"])),
            "period": Text(),
            "period_start": Text(checks=pa.Check.str_matches(ISO_DATE)),
            "period_end": Text(checks=pa.Check.str_matches(ISO_DATE)),
            "administrations": Text(nullable=True),
            "n_docs": Int(checks=pa.Check.ge(0)),
            "mean": Float(),
            "ci_low": Float(),
            "ci_high": Float(),
            "ci_level": Float(nullable=False),
            "ci_method": Text(),
            "n_boot": Int(checks=pa.Check.ge(0)),
            "small_n": Bool(),
            "min_n": Int(checks=pa.Check.ge(0)),
            "n_undated": Int(checks=pa.Check.ge(0)),
            "weighting": Text(),
            "resampling": Text(),
        },
        strict=True,
        ordered=True,
    ),
)

#: Actor x country x administration x frame: mentions and the frame mix of their sentences.
ACTORS_BY_GROUP = register(
    "actors_by_group",
    pa.DataFrameSchema(
        {
            "actor": Text(),
            "actor_country": Text(nullable=True),
            "country": Text(),
            "administration": Text(),
            "comparable": Bool(),
            "frame": Text(),
            "n_mentions": Int(checks=pa.Check.ge(0)),
            "n_docs": Int(checks=pa.Check.ge(0)),
            "n_frame": Int(checks=pa.Check.ge(0)),
            "share": Float(checks=_PROPORTION),
            "ci_low": Float(checks=_PROPORTION),
            "ci_high": Float(checks=_PROPORTION),
            "ci_level": Float(nullable=False),
            "ci_method": Text(),
            "n_boot": Int(checks=pa.Check.ge(0)),
            "small_n": Bool(),
            "min_n": Int(checks=pa.Check.ge(0)),
            "weighting": Text(),
            "resampling": Text(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)
