"""Schemas of the measuring instruments: the lexicon and the lexicon-seeded classifier.

Guide: ``docs/instruments.md``.

Columns
-------
instrument_validation (one row per instrument x language (en, es, all) x frame;
``compare_instruments``): the columns of ``lexicon_validation`` with ``instrument`` in front,
then
    instrument ("lexicon" | "classifier"), language, frame, n (gold sentences), n_positive,
    n_predicted, precision, precision_ci_low, precision_ci_high, recall, recall_ci_low,
    recall_ci_high, f1, f1_ci_low, f1_ci_high (gold set; intervals: 95% percentile cluster
    bootstrap resampling documents within language), alpha_lexicon (Krippendorff's alpha between
    this instrument and the gold codes; named as in ``lexicon_validation``), alpha_coders,
    lexicon_version,
    n_docs (gold documents), evaluation (how the predictions were made: the lexicon's fixed
    rules, or the classifier's out-of-fold predictions of a nested document-grouped CV),
    design_n, design_n_positive, design_n_predicted (coded units of the design sample,
    unweighted), design_precision, design_precision_ci_low, design_precision_ci_high,
    design_recall, ..._ci_high, design_f1, ..._ci_high (design-weighted, weight
    1 / inclusion_prob; intervals resample units within strata; NaN without a design sample),
    design_share_coded, design_share_predicted (design-weighted share of sentences the coders /
    the instrument flag: the population prevalence and the instrument's naive estimate of it),
    design_mean_prob (design-weighted mean probability; NaN for the lexicon), n_boot, seed.
instrument_choice (one row per language):
    language, instrument (chosen), score_lexicon, score_classifier (the rule's score of each),
    sample ("gold" | "design"), metric ("f1" ...), rule (the rule in words).
instrument_selection (one row per outer fold x language x frame; fold -1 for the model
fitted on all gold sentences):
    fold, language, frame, params (chosen hyperparameters, as text), inner_f1 (grouped
    out-of-fold F1 of the chosen point in the inner loop), threshold, n, n_positive.
frame_predictions (one row per sentence of a run; input of ``frame_prevalence``):
    doc_id, sent_id, prob_humanitarian, pred_humanitarian, prob_security, pred_security
    (calibrated probability, NaN for the lexicon; 0/1 decision), instrument, model ("all gold",
    or "fold k" for a sentence of a gold document when cross-fitted), lexicon_version.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.core.domain import CODED_FRAMES
from framelens.schemas._base import Float, Int, Str, register

_GE0 = pa.Check.ge(0)
_SHARE = pa.Check.in_range(0.0, 1.0)
_INSTRUMENTS = pa.Check.isin(["lexicon", "classifier"])
#: The instruments ``compare_instruments`` reports, in table order.
INSTRUMENTS = ("lexicon", "classifier")


def _metrics(prefix: str = "") -> dict[str, pa.Column]:
    return {
        f"{prefix}{m}{s}": Float(checks=_SHARE)
        for m in ("precision", "recall", "f1")
        for s in ("", "_ci_low", "_ci_high")
    }


INSTRUMENT_VALIDATION = register(
    "instrument_validation",
    pa.DataFrameSchema(
        {
            "instrument": Str(checks=_INSTRUMENTS),
            "language": Str(),
            "frame": Str(checks=pa.Check.isin(list(CODED_FRAMES))),
            "n": Int(checks=_GE0),
            "n_positive": Int(checks=_GE0),
            "n_predicted": Int(checks=_GE0),
            **_metrics(),
            "alpha_lexicon": Float(),
            "alpha_coders": Float(),
            "lexicon_version": Str(),
            "n_docs": Int(checks=_GE0),
            "evaluation": Str(),
            "design_n": Int(checks=_GE0),
            "design_n_positive": Int(checks=_GE0),
            "design_n_predicted": Int(checks=_GE0),
            **_metrics("design_"),
            "design_share_coded": Float(checks=_SHARE),
            "design_share_predicted": Float(checks=_SHARE),
            "design_mean_prob": Float(checks=_SHARE),
            "n_boot": Int(checks=_GE0),
            "seed": Int(),
        },
        strict=True,
        ordered=True,
        unique=["instrument", "language", "frame"],
    ),
)

INSTRUMENT_CHOICE = register(
    "instrument_choice",
    pa.DataFrameSchema(
        {
            "language": Str(),
            "instrument": Str(checks=_INSTRUMENTS),
            "score_lexicon": Float(),
            "score_classifier": Float(),
            "sample": Str(checks=pa.Check.isin(["gold", "design"])),
            "metric": Str(),
            "rule": Str(),
        },
        strict=True,
        ordered=True,
        unique=["language"],
    ),
)

INSTRUMENT_SELECTION = register(
    "instrument_selection",
    pa.DataFrameSchema(
        {
            "fold": Int(),
            "language": Str(),
            "frame": Str(),
            "params": Str(),
            "inner_f1": Float(checks=_SHARE),
            "threshold": Float(checks=_SHARE),
            "n": Int(checks=_GE0),
            "n_positive": Int(checks=_GE0),
        },
        strict=True,
        ordered=True,
    ),
)

FRAME_PREDICTIONS = register(
    "frame_predictions",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            **{
                c: col
                for f in CODED_FRAMES
                for c, col in (
                    (f"prob_{f}", Float(checks=_SHARE)),
                    (f"pred_{f}", Int(checks=pa.Check.isin([0, 1]))),
                )
            },
            "instrument": Str(checks=_INSTRUMENTS),
            "model": Str(),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
        unique=["doc_id", "sent_id"],
    ),
)
