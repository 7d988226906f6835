"""Schemas of measurement: relevance marks, the coded design sample and corrected prevalence.

Methods: ``docs/measurement.md``.

Columns
-------
relevance (one row per sentence; ``framelens.analysis.framing.mark_relevance``):
    doc_id, sent_id, relevant (the sentence names migration, borders, asylum, refuge, migrants,
    deportation or the agencies), children (it names children in a relevant sentence, or
    unaccompanied / NNA terms; implies relevant), relevance_version.
design_sample (one row per coded unit; ``load_design_sample``):
    unit_id, doc_id, language, country, administration (as recorded when the sample was
    drawn; may be empty), sent_id (the drawing run's sentence number; -1 when unknown),
    start_char, end_char (that run's offsets into the document text), text, humanitarian,
    security (the coders' final codes, 0|1), stratum, N_stratum (sentences in the stratum's
    population), n_stratum (drawn in the stratum), inclusion_prob (n_stratum / N_stratum).
design_units (one row per coded unit; how it met this run's sentences):
    unit_id, doc_id, stratum, inclusion_prob, weight (design weight N_stratum / m, m = the
    stratum's matched units; NaN when unmatched), match ("offsets" | "text" | "unmatched"),
    sent_id (this run's sentence; -1 when unmatched), reason ("" when matched).
frame_prevalence (one row per group x subset x frame; default groups country x language x
administration):
    country, language, administration, subset ("all" | "relevant" | "children"), frame,
    instrument ("lexicon 3.0.0", ...), n_sentences, n_documents (of the group and subset in
    this run), n_coded (coded units of the group and subset), n_coded_positive (of those, coded
    as carrying the frame), coded_strata (strata those units come from), naive (share of
    sentences the instrument flags, or mean probability), naive_ci_low, naive_ci_high,
    coded_share (design-weighted share the coders flag among the coded units), coded_naive (the
    same for the instrument), corrected (naive + coded_share - coded_naive), corrected_ci_low,
    corrected_ci_high, se_corpus, se_coded (bootstrap standard deviations of the two parts of
    the corrected estimate), correction (corrected - naive), unstable (fewer than ``min_coded``
    coded units), ci_level, note.
frame_prevalence_differences (one row per contrast x subset x frame x estimator):
    contrast ("within_country": consecutive administrations; "between_countries": overlapping
    administrations of two countries, corrected shares only), group_a, group_b (labels
    "country | language | administration"), subset, frame, instrument, estimator ("naive" |
    "corrected"), share_a, share_b, difference (share_b - share_a), ci_low, ci_high,
    inconclusive (the interval includes 0, or no estimate), unstable (either group unstable),
    reading ("higher" | "lower" | "inconclusive" | "not estimable": b against a), ci_level, note.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Bool, Float, Int, Str, register

_GE0 = pa.Check.ge(0)
_SHARE = pa.Check.in_range(0.0, 1.0)
_BIN = pa.Check.isin([0, 1])
_SUBSETS = pa.Check.isin(["all", "relevant", "children"])
#: Grouping columns of ``frame_prevalence`` unless the caller names others.
DEFAULT_GROUP_COLUMNS: tuple[str, ...] = ("country", "language", "administration")

RELEVANCE = register(
    "relevance",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            "relevant": Bool(),
            "children": Bool(),
            "relevance_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

DESIGN_SAMPLE = register(
    "design_sample",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True),
            "doc_id": Str(),
            "language": Str(),
            "country": Str(),
            "administration": Str(),
            "sent_id": Int(checks=pa.Check.ge(-1)),
            "start_char": Int(checks=_GE0),
            "end_char": Int(checks=_GE0),
            "text": Str(),
            "humanitarian": Int(checks=_BIN),
            "security": Int(checks=_BIN),
            "stratum": Str(),
            "N_stratum": Int(checks=pa.Check.ge(1)),
            "n_stratum": Int(checks=pa.Check.ge(1)),
            "inclusion_prob": Float(nullable=False, checks=[pa.Check.gt(0.0), pa.Check.le(1.0)]),
        },
        strict=True,
        ordered=True,
    ),
)

DESIGN_UNITS = register(
    "design_units",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True),
            "doc_id": Str(),
            "stratum": Str(),
            "inclusion_prob": Float(nullable=False, checks=[pa.Check.gt(0.0), pa.Check.le(1.0)]),
            "weight": Float(checks=pa.Check.ge(1.0)),
            "match": Str(checks=pa.Check.isin(["offsets", "text", "unmatched"])),
            "sent_id": Int(checks=pa.Check.ge(-1)),
            "reason": Str(),
        },
        strict=True,
        ordered=True,
    ),
)


def _prevalence_columns() -> dict[str, pa.Column]:
    return {
        "subset": Str(checks=_SUBSETS),
        "frame": Str(),
        "instrument": Str(),
        "n_sentences": Int(checks=_GE0),
        "n_documents": Int(checks=_GE0),
        "n_coded": Int(checks=_GE0),
        "n_coded_positive": Int(checks=_GE0),
        "coded_strata": Int(checks=_GE0),
        "naive": Float(checks=_SHARE),
        "naive_ci_low": Float(checks=_SHARE),
        "naive_ci_high": Float(checks=_SHARE),
        "coded_share": Float(checks=_SHARE),
        "coded_naive": Float(checks=_SHARE),
        "corrected": Float(checks=_SHARE),
        "corrected_ci_low": Float(checks=_SHARE),
        "corrected_ci_high": Float(checks=_SHARE),
        "se_corpus": Float(checks=_GE0),
        "se_coded": Float(checks=_GE0),
        "correction": Float(checks=pa.Check.in_range(-1.0, 1.0)),
        "unstable": Bool(),
        "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
        "note": Str(),
    }


def frame_prevalence_schema(
    group_columns: tuple[str, ...] = DEFAULT_GROUP_COLUMNS,
) -> pa.DataFrameSchema:
    """The ``frame_prevalence`` schema for the given grouping columns (text columns first)."""
    cols = {c: Str() for c in group_columns}
    return pa.DataFrameSchema({**cols, **_prevalence_columns()}, strict=True, ordered=True)


FRAME_PREVALENCE = register("frame_prevalence", frame_prevalence_schema())

FRAME_PREVALENCE_DIFFERENCES = register(
    "frame_prevalence_differences",
    pa.DataFrameSchema(
        {
            "contrast": Str(checks=pa.Check.isin(["within_country", "between_countries"])),
            "group_a": Str(),
            "group_b": Str(),
            "subset": Str(checks=_SUBSETS),
            "frame": Str(),
            "instrument": Str(),
            "estimator": Str(checks=pa.Check.isin(["naive", "corrected"])),
            "share_a": Float(checks=_SHARE),
            "share_b": Float(checks=_SHARE),
            "difference": Float(checks=pa.Check.in_range(-1.0, 1.0)),
            "ci_low": Float(checks=pa.Check.in_range(-1.0, 1.0)),
            "ci_high": Float(checks=pa.Check.in_range(-1.0, 1.0)),
            "inconclusive": Bool(),
            "unstable": Bool(),
            "reading": Str(
                checks=pa.Check.isin(["higher", "lower", "inconclusive", "not estimable"])
            ),
            "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
            "note": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
