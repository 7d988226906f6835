"""Schemas of the comparison stage (stage 5): group means, differences, regression, time series,
co-occurrence and actor tables.

Every table states its weighting in a ``weighting`` column, its interval level in ``ci_level``
and its interval method in ``ci_method`` (symmetric studentized bootstrap; t intervals for
groups of 2-4 resampling units or when the bootstrap-t is undefined; a range bound when no unit
differs; Wilson for actor shares of 0 or 1); ``frame_regression`` holds model-based intervals.
Methods: ``docs/statistics.md``.

Columns
-------
frame_by_group (one row per measure x country x administration):
    measure, country, administration, comparable (False for administration "unknown": shown,
    excluded from differences and regression), n_docs (documents with a value), n_missing
    (documents whose value was NaN, dropped), n_few_hits (of those, framing-index documents
    with fewer than min_index_hits frame hits), n_units (resampled units: documents or
    clusters), n_issuers, mean, ci_low, ci_high, se_boot, ci_level, ci_method; framing-index
    rows only (else 0 / NaN): n_hits (frame hits H+S of the group's documents), pooled_share
    (sum H / sum (H+S)), pooled_share_ci_low, pooled_share_ci_high, pooled_share_ci_method
    (binomial GLM, logit, cluster-robust by document or cluster); n_boot, small_n
    (n_units < min_n), min_n, weighting, resampling, note.
cooccurrence_by_group (one row per country x administration):
    country, administration, comparable, n_docs (documents of the group), n_issuers; for each
    direction ``hum_in_sec`` (humanitarian hits in sentences with a security hit) and
    ``sec_in_hum`` (the reverse): <d>_n_docs (documents with a hit of the first frame: the
    share is defined), <d>_n_units (resampled units: documents or clusters), <d>_share and
    <d>_share_ci_low/_ci_high (observed share), <d>_expected (the share expected when frame
    labels are permuted among each document's hits), <d>_oe_n_units (units in which chance
    co-occurrence is possible: expected > 0; the O/E interval resamples them), <d>_oe
    (observed / expected) and <d>_oe_ci_low/_ci_high, <d>_ci_method; then ci_level, n_boot,
    small_n (fewer than min_n units in any direction's share or O/E), min_n, weighting (document|hits), null_model, resampling, note.
frame_differences (one row per measure x contrast):
    measure, comparison ("administration": consecutive administrations within a country;
    "country": US vs MX within a joint period), country, period, period_start, period_end,
    group_a, group_b, contrast ("b - a"), n_a, n_b, n_units_a, n_units_b (resampled units),
    mean_a, mean_b, difference (mean_b - mean_a), ci_low, ci_high, p_perm (two-sided
    permutation p of the studentized Welch statistic), p_method, p_holm (Holm within measure),
    ci_level, ci_method, n_boot, n_perm, small_n (either n_units < min_n), weighting,
    resampling, note.
frame_regression (one row per measure x term):
    measure, term, coef, se, t, df (degrees of freedom of the t reference: Bell-McCaffrey for
    CR2, G - 1 for CR1, n - k for HC1), p, ci_low, ci_high, ci_level, n, n_clusters, cov_type,
    support (the document types the term's two cells share, with counts; for a document-type
    term the cells that have both levels), extrapolated (they share none: the term rests on the
    additivity of the effects), one_cluster (the term's group or document type, or its
    reference, comes from a single cluster: confounded with that issuer, its standard error
    misses the between-issuer variation), weighting, reference, note (model and term notes:
    dropped collinear levels, empty cells, single-issuer sides).
frame_composition (one row per measure x country x administration):
    measure, country, administration, comparable, n_docs (documents with a value), n_issuers,
    issuers ("Federal Register 22; White House 2"), n_doc_types, doc_types, largest_doc_type_share,
    languages, composition (compact: "22 executive_order (Federal Register); 2 speech (White
    House)").
frame_differences_adjusted (one row per measure x difference x estimator [x document type]):
    measure, comparison, country, period, group_a, group_b, contrast (as in frame_differences),
    estimator ("raw": all documents, as frame_differences; "genre": within one common document
    type, named in genre; "within_genre": fixed-effects weighted over the common types;
    "standardised": both groups post-stratified to the pooled mix of the common types), genre,
    genres_used, genre_weights (which weights and their values), n_a, n_b, mean_a, mean_b,
    difference, ci_low, ci_high, ci_level, ci_method, comparable (False: "not comparable: no
    common document type", or "different instruments: not comparable" when the groups share no
    language, i.e. were measured with different lexicons), reason, composition_a,
    composition_b, small_n, weighting, resampling, note.
frame_timeseries (one row per measure x country x period, empty periods included):
    measure, country, freq ("M"|"Q"), period, period_start, period_end, administrations,
    n_docs, n_units, mean, ci_low, ci_high, ci_level, ci_method, n_boot, small_n (n_units <
    min_n), min_n, n_undated, weighting, resampling.
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
    "n_few_hits": Int(checks=pa.Check.ge(0)),
    "n_units": Int(checks=pa.Check.ge(0)),
    "n_issuers": Int(checks=pa.Check.ge(0)),
    "mean": Float(),
    "ci_low": Float(),
    "ci_high": Float(),
    "se_boot": Float(),
    "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
    "ci_method": Text(),
    "n_hits": Int(checks=pa.Check.ge(0)),
    "pooled_share": Float(checks=_PROPORTION),
    "pooled_share_ci_low": Float(checks=_PROPORTION),
    "pooled_share_ci_high": Float(checks=_PROPORTION),
    "pooled_share_ci_method": Text(nullable=True),
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


def _cooccurrence_direction(prefix: str) -> dict[str, pa.Column]:
    """The columns of one co-occurrence direction (``hum_in_sec`` or ``sec_in_hum``)."""
    share = [_PROPORTION]
    ratio = [pa.Check.ge(0)]
    return {
        f"{prefix}_n_docs": Int(checks=pa.Check.ge(0)),
        f"{prefix}_n_units": Int(checks=pa.Check.ge(0)),
        f"{prefix}_share": Float(checks=share),
        f"{prefix}_share_ci_low": Float(checks=share),
        f"{prefix}_share_ci_high": Float(checks=share),
        f"{prefix}_expected": Float(checks=share),
        f"{prefix}_oe_n_units": Int(checks=pa.Check.ge(0)),
        f"{prefix}_oe": Float(checks=ratio),
        f"{prefix}_oe_ci_low": Float(checks=ratio),
        f"{prefix}_oe_ci_high": Float(checks=ratio),
        f"{prefix}_ci_method": Text(),
    }


#: Co-occurrence per country x administration: observed shares, their expectation under the
#: within-document permutation null, and observed/expected, with document-resampled intervals.
COOCCURRENCE_BY_GROUP = register(
    "cooccurrence_by_group",
    pa.DataFrameSchema(
        {
            "country": Text(),
            "administration": Text(),
            "comparable": Bool(),
            "n_docs": Int(checks=pa.Check.ge(0)),
            "n_issuers": Int(checks=pa.Check.ge(0)),
            **_cooccurrence_direction("hum_in_sec"),
            **_cooccurrence_direction("sec_in_hum"),
            "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
            "n_boot": Int(checks=pa.Check.ge(0)),
            "small_n": Bool(),
            "min_n": Int(checks=pa.Check.ge(0)),
            "weighting": Text(),
            "null_model": Text(),
            "resampling": Text(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
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
            "n_units_a": Int(checks=pa.Check.ge(0)),
            "n_units_b": Int(checks=pa.Check.ge(0)),
            "mean_a": Float(),
            "mean_b": Float(),
            "difference": Float(),
            "ci_low": Float(),
            "ci_high": Float(),
            "p_perm": Float(checks=_PROPORTION),
            "p_method": Text(),
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
            "df": Float(),
            "p": Float(checks=_PROPORTION),
            "ci_low": Float(),
            "ci_high": Float(),
            "ci_level": Float(nullable=False),
            "n": Int(checks=pa.Check.ge(0)),
            "n_clusters": pa.Column("Int64", nullable=True, coerce=True),
            "cov_type": Text(),
            "support": Text(),
            "extrapolated": Bool(),
            "one_cluster": Bool(),
            "weighting": Text(),
            "reference": Text(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

#: Composition of each group: documents, issuers, document types and languages per measure.
FRAME_COMPOSITION = register(
    "frame_composition",
    pa.DataFrameSchema(
        {
            "measure": Text(),
            "country": Text(),
            "administration": Text(),
            "comparable": Bool(),
            "n_docs": Int(checks=pa.Check.ge(0)),
            "n_issuers": Int(checks=pa.Check.ge(0)),
            "issuers": Text(),
            "n_doc_types": Int(checks=pa.Check.ge(0)),
            "doc_types": Text(),
            "largest_doc_type_share": Float(checks=_PROPORTION),
            "languages": Text(),
            "composition": Text(),
        },
        strict=True,
        ordered=True,
    ),
)

#: Raw, within-genre and genre-standardised differences side by side, with composition.
FRAME_DIFFERENCES_ADJUSTED = register(
    "frame_differences_adjusted",
    pa.DataFrameSchema(
        {
            "measure": Text(),
            "comparison": Text(checks=pa.Check.isin(["administration", "country"])),
            "country": Text(),
            "period": Text(nullable=True),
            "group_a": Text(),
            "group_b": Text(),
            "contrast": Text(),
            "estimator": Text(
                checks=pa.Check.isin(["raw", "within_genre", "standardised", "genre"])
            ),
            "genre": Text(nullable=True),
            "genres_used": Text(nullable=True),
            "genre_weights": Text(nullable=True),
            "n_a": Int(checks=pa.Check.ge(0)),
            "n_b": Int(checks=pa.Check.ge(0)),
            "mean_a": Float(),
            "mean_b": Float(),
            "difference": Float(),
            "ci_low": Float(),
            "ci_high": Float(),
            "ci_level": Float(nullable=False),
            "ci_method": Text(),
            "comparable": Bool(),
            "reason": Text(nullable=True),
            "composition_a": Text(),
            "composition_b": Text(),
            "small_n": Bool(),
            "weighting": Text(),
            "resampling": Text(),
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
            "n_units": Int(checks=pa.Check.ge(0)),
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
