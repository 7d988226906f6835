"""Every instrument side by side: the lexicon and the lexicon-seeded classifier, validated.

``evaluate_instruments`` (``compare_instruments`` returns its table) measures both instruments
on the hand-coded sentences (``docs/instruments.md``):

- gold set: the lexicon's predictions are its fixed rule (``predict_gold``: at least one
  counted hit); the classifier's are out-of-fold predictions of a nested document-grouped
  cross-validation (``cross_validate_classifier``), so every gold sentence is predicted by a
  model that saw no sentence of its document. Intervals: cluster bootstrap over documents.
- design sample (when given): design-weighted precision, recall and F1 (weights
  1 / inclusion_prob). The classifier is trained on gold sentences only and cross-fitted: a
  design unit from a gold document is predicted by the outer model that held that document out,
  any other unit by the model fitted on all gold sentences. Intervals: units resampled within
  strata.

``choose_instrument`` applies the documented rule that picks, per language, the instrument the
run uses: the higher mean F1 over the frames, out of sample; a tie keeps the lexicon.
``evaluate_instruments`` scores it on the design sample when there is one (the run's
population; the classifier never trained on it), else on the gold set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.analysis.framing.classifier import LexiconSeededClassifier
from framelens.analysis.framing.classifier_cv import (
    ClassifierCV,
    cross_fit_predict,
    cross_validate_classifier,
)
from framelens.analysis.framing.classifier_features import (
    coded_sentence_features,
    design_as_coded,
)
from framelens.analysis.framing.classifier_metrics import (
    confusion_contributions,
    metrics_from_totals,
    resample_totals,
)
from framelens.analysis.framing.lexicon import Lexicon, load_lexicon
from framelens.analysis.framing.validation import binary_alpha, predict_gold, read_gold
from framelens.core.config import LexiconConfig, PreprocessConfig
from framelens.core.domain import CODED_FRAMES
from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed, rng
from framelens.schemas.instruments import INSTRUMENTS

EVALUATION = {
    "lexicon": "fixed rules (lexicon {version}; gold sentences may have been used in tuning it)",
    "classifier": "out-of-fold, nested document-grouped CV ({outer} outer x {inner} inner folds)",
}


@dataclass
class InstrumentComparison:
    """Result of ``evaluate_instruments``.

    Attributes
    ----------
    table : DataFrame
        Schema ``instrument_validation``.
    choice : DataFrame
        Schema ``instrument_choice`` (``choose_instrument(table)``).
    predictions : DataFrame
        One row per gold sentence: sent_id, doc_id, language, fold, gold_<frame>, and per
        instrument and frame ``lexicon_pred_<frame>``, ``classifier_prob_<frame>``,
        ``classifier_pred_<frame>`` (out-of-fold).
    design_predictions : DataFrame or None
        The same per design unit (unit_id as sent_id, stratum, inclusion_prob, model).
    selection : DataFrame
        Schema ``instrument_selection``.
    classifier : LexiconSeededClassifier
        Fitted on all gold sentences (what a run uses).
    cv : ClassifierCV
        The nested cross-validation (outer models, for cross-fitting).
    lexicon_version : str
    n_boot, seed : int
    """

    table: pd.DataFrame
    choice: pd.DataFrame
    predictions: pd.DataFrame
    design_predictions: pd.DataFrame | None
    selection: pd.DataFrame
    classifier: LexiconSeededClassifier = field(repr=False)
    cv: ClassifierCV = field(repr=False)
    lexicon_version: str = ""
    n_boot: int = 0
    seed: int = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables keyed by table name."""
        return {
            "instrument_validation": self.table,
            "instrument_choice": self.choice,
            "instrument_selection": self.selection,
        }

    def summary(self) -> str:
        """F1 (gold, 95% document-resampled interval) and design-weighted P/R per instrument."""
        lines = [
            f"Instruments against hand-coded sentences (lexicon {self.lexicon_version}; "
            f"{self.n_boot} resamples, seed {self.seed})",
            f"{'instrument':<11} {'lang':<4} {'frame':<13} {'F1 gold [95%]':<22} "
            f"{'P design':>8} {'R design':>8} {'F1 design':>9}",
        ]
        for r in self.table.itertuples():
            lines.append(
                f"{r.instrument:<11} {r.language:<4} {r.frame:<13} "
                f"{r.f1:.3f} [{r.f1_ci_low:.3f}, {r.f1_ci_high:.3f}]   "
                f"{r.design_precision:>8.3f} {r.design_recall:>8.3f} {r.design_f1:>9.3f}"
            )
        for r in self.choice.itertuples():
            lines.append(
                f"{r.language}: the run uses the {r.instrument} ({r.metric} on {r.sample}: "
                f"lexicon {r.score_lexicon:.3f}, classifier {r.score_classifier:.3f})"
            )
        return "\n".join(lines)


def _instrument_columns(pred: pd.DataFrame, cls: pd.DataFrame) -> pd.DataFrame:
    out = pred[["sent_id", "doc_id", "language"]].copy()
    for f in CODED_FRAMES:
        out[f"gold_{f}"] = pred[f"gold_{f}"].to_numpy(dtype="int64")
        out[f"lexicon_pred_{f}"] = pred[f"pred_{f}"].to_numpy(dtype="int64")
        out[f"classifier_prob_{f}"] = cls[f"prob_{f}"].to_numpy(dtype=float)
        out[f"classifier_pred_{f}"] = cls[f"pred_{f}"].to_numpy(dtype="int64")
    return out


def _language_masks(languages: pd.Series) -> list[tuple[str, np.ndarray]]:
    langs = sorted(languages.astype(str).unique().tolist())
    return [(la, (languages == la).to_numpy()) for la in langs] + [
        ("all", np.ones(len(languages), dtype=bool))
    ]


def _sample_metrics(pred: pd.DataFrame, *, design: bool, n_boot: int, seed: int) -> dict:
    """{(instrument, language, frame): metrics} for one sample, paired resamples per language."""
    sample = "design" if design else "gold"
    cols = [(i, f) for i in INSTRUMENTS for f in CODED_FRAMES]
    weight = 1.0 / pred["inclusion_prob"].to_numpy(dtype=float) if design else None
    values = np.hstack(
        [confusion_contributions(pred[f"gold_{f}"], pred[f"{i}_pred_{f}"], weight) for i, f in cols]
    )
    clusters = (pred["sent_id"] if design else pred["doc_id"]).astype(str).to_numpy()
    blocks = (pred["stratum"] if design else pred["language"]).astype(str).to_numpy()
    lang = pred["language"].astype(str).to_numpy()
    per_lang = {}
    for la in sorted(set(lang.tolist())):
        m = lang == la
        gen = rng(seed, "instrument_validation", sample, la)
        per_lang[la] = resample_totals(values[m], clusters[m], blocks[m], n_boot, gen)
    per_lang["all"] = (
        sum(t for t, _ in per_lang.values()),
        sum(b for _, b in per_lang.values()),
    )
    out = {}
    for la, (total, boot) in per_lang.items():
        for j, (i, f) in enumerate(cols):
            sl = slice(3 * j, 3 * j + 3)
            out[(i, la, f)] = metrics_from_totals(total[sl], boot[:, sl] if n_boot else None)
    return out


def _design_columns(design_pred, n_boot, seed) -> dict:
    """{(instrument, language, frame): design_* columns}; NaN without a design sample."""
    out: dict = {}
    if design_pred is None or not len(design_pred):
        return out
    metrics = _sample_metrics(design_pred, design=True, n_boot=n_boot, seed=seed)
    w = 1.0 / design_pred["inclusion_prob"].to_numpy(dtype=float)
    for la, m in _language_masks(design_pred["language"]):
        for i in INSTRUMENTS:
            for f in CODED_FRAMES:
                y, p = design_pred[f"gold_{f}"].to_numpy()[m], design_pred[f"{i}_pred_{f}"][m]
                prob = design_pred.get(f"{i}_prob_{f}")
                cols = {f"design_{k}": v for k, v in metrics[(i, la, f)].items()}
                cols.update(
                    design_n=int(m.sum()),
                    design_n_positive=int(y.sum()),
                    design_n_predicted=int((p == 1).sum()),
                    design_share_coded=float(np.average(y, weights=w[m])),
                    design_share_predicted=float(np.average(p == 1, weights=w[m])),
                    design_mean_prob=(
                        np.nan if prob is None else float(np.average(prob[m], weights=w[m]))
                    ),
                )
                out[(i, la, f)] = cols
    return out


def _validation_table(gold, pred, design_pred, version, n_boot, seed, n_outer, n_inner):
    """Rows of ``instrument_validation`` (schema-checked)."""
    from framelens.schemas import columns_of, validate

    gold_m = _sample_metrics(pred, design=False, n_boot=n_boot, seed=seed)
    design_m = _design_columns(design_pred, n_boot, seed)
    empty = {f"design_{k}": np.nan for k in metrics_from_totals(np.zeros(3), None)}
    empty.update(design_n=0, design_n_positive=0, design_n_predicted=0)
    empty.update(design_share_coded=np.nan, design_share_predicted=np.nan, design_mean_prob=np.nan)
    evaluation = {
        "lexicon": EVALUATION["lexicon"].format(version=version),
        "classifier": EVALUATION["classifier"].format(outer=n_outer, inner=n_inner),
    }
    rows = []
    for i in INSTRUMENTS:
        for la, m in _language_masks(pred["language"]):
            for f in CODED_FRAMES:
                y = pred.loc[m, f"gold_{f}"].to_numpy(dtype=int)
                p = pred.loc[m, f"{i}_pred_{f}"].to_numpy(dtype=int)
                a, b = f"coder_a_{f}", f"coder_b_{f}"
                coders = (
                    binary_alpha(gold.loc[m, a].to_numpy(), gold.loc[m, b].to_numpy())
                    if a in gold.columns and b in gold.columns
                    else np.nan
                )
                rows.append(
                    {
                        "instrument": i,
                        "language": la,
                        "frame": f,
                        "n": int(m.sum()),
                        "n_positive": int(y.sum()),
                        "n_predicted": int((p == 1).sum()),
                        **gold_m[(i, la, f)],
                        "alpha_lexicon": binary_alpha(y, p),
                        "alpha_coders": coders,
                        "lexicon_version": version,
                        "n_docs": int(pred.loc[m, "doc_id"].nunique()),
                        "evaluation": evaluation[i],
                        **design_m.get((i, la, f), empty),
                        "n_boot": n_boot,
                        "seed": seed,
                    }
                )
    table = pd.DataFrame(rows)[columns_of("instrument_validation")]
    for c in ("instrument", "language", "frame", "lexicon_version", "evaluation"):
        table[c] = table[c].astype("str")
    return validate(table, "instrument_validation")


def choose_instrument(
    table: pd.DataFrame, *, sample: str = "gold", metric: str = "f1", margin: float = 0.0
) -> pd.DataFrame:
    """Choose, per language, the instrument that validates better out of sample.

    Rule: per language (en, es), the mean of ``metric`` over the coded frames on ``sample``
    ("gold": the lexicon's F1 on the gold set against the classifier's out-of-fold F1 of the
    nested document-grouped CV; "design": the design-weighted figures). The classifier is
    chosen only when its mean exceeds the lexicon's by more than ``margin``; a tie, a missing
    score or a smaller gain keeps the lexicon (the simpler instrument, with no training). The
    lexicon's figure is optimistic on sentences it was tuned on (gold, for every version; the
    design sample, for a version informed by it), so the rule leans towards the lexicon. On
    the design sample the classifier's predictions are cross-fitted (``evaluate_instruments``)
    and the figures are those of the run's population.

    Parameters
    ----------
    table : DataFrame
        ``instrument_validation`` (``compare_instruments``).
    sample : {"gold", "design"}, default "gold"
    metric : {"f1", "precision", "recall"}, default "f1"
    margin : float, default 0.0

    Returns
    -------
    DataFrame
        Schema ``instrument_choice``: language, instrument, score_lexicon, score_classifier,
        sample, metric, rule.
    """
    from framelens.schemas import validate

    if sample not in ("gold", "design") or metric not in ("f1", "precision", "recall"):
        raise ConfigError(
            Errors.E003.format(
                key="sample/metric",
                value=(sample, metric),
                reason="gold|design, f1|precision|recall",
            )
        )
    col = metric if sample == "gold" else f"design_{metric}"
    rule = (
        f"mean {metric} over {', '.join(CODED_FRAMES)} on the {sample} sample; the classifier "
        f"only if it exceeds the lexicon by more than {margin:g}, else the lexicon"
    )
    rows = []
    for la in sorted(set(table["language"]) - {"all"}):
        t = table[table["language"] == la]
        score = {
            i: float(t.loc[t["instrument"] == i, col].mean())
            if (t["instrument"] == i).any()
            else np.nan
            for i in INSTRUMENTS
        }
        better = np.isfinite(score["classifier"]) and (
            not np.isfinite(score["lexicon"]) or score["classifier"] > score["lexicon"] + margin
        )
        rows.append(
            {
                "language": la,
                "instrument": "classifier" if better else "lexicon",
                "score_lexicon": score["lexicon"],
                "score_classifier": score["classifier"],
                "sample": sample,
                "metric": metric,
                "rule": rule,
            }
        )
    return validate(pd.DataFrame(rows), "instrument_choice")


def _selection_table(cv: ClassifierCV, full: LexiconSeededClassifier) -> pd.DataFrame:
    from framelens.schemas import columns_of, validate

    sel = pd.concat([cv.selection, full.selection_.assign(fold=-1)], ignore_index=True)
    return validate(sel[columns_of("instrument_selection")], "instrument_selection")


def _design_predictions(design, lexicon, cv, full, config, preprocess_config) -> pd.DataFrame:
    d = design_as_coded(design)
    feats = coded_sentence_features(d, lexicon, config=config, preprocess_config=preprocess_config)
    lex = predict_gold(d, lexicon, config=config, preprocess_config=preprocess_config)
    cls = cross_fit_predict(cv, full, feats)
    out = _instrument_columns(lex, cls)
    out["stratum"] = d["stratum"].astype(str).to_numpy()
    out["inclusion_prob"] = d["inclusion_prob"].astype(float).to_numpy()
    out["model"] = cls["model"].to_numpy()
    return out


def _classifier_fits(feats, seed, n_outer, n_inner, estimator, param_grid):
    """The nested CV (out-of-fold predictions, outer models) and the model on all gold."""
    cls_seed = derive_seed(seed, "classifier")
    kw = dict(estimator=estimator, param_grid=param_grid)
    cv = cross_validate_classifier(
        feats, n_outer=n_outer, n_inner=n_inner, random_state=cls_seed, **kw
    )
    full = LexiconSeededClassifier(
        CODED_FRAMES, n_folds=n_inner, random_state=derive_seed(cls_seed, "all"), **kw
    ).fit(feats, feats[list(CODED_FRAMES)], feats["doc_id"])
    return cv, full


def evaluate_instruments(
    gold: str | os.PathLike | pd.DataFrame,
    lexicon: Lexicon | None = None,
    *,
    design: str | os.PathLike | pd.DataFrame | None = None,
    config: LexiconConfig | None = None,
    preprocess_config: PreprocessConfig | None = None,
    seed: int = 0,
    n_boot: int = 1000,
    n_outer: int = 5,
    n_inner: int = 5,
    estimator=None,
    param_grid=None,
    choose_by: str | None = None,
) -> InstrumentComparison:
    """Validate the lexicon and the lexicon-seeded classifier side by side.

    Parameters
    ----------
    gold : path or DataFrame
        ``gold_sentences.csv`` (sent_id, doc_id, language, text, humanitarian, security, and
        coder_a_* / coder_b_* for the coders' alpha).
    lexicon : Lexicon, optional
        Default ``load_lexicon(config.version)``; the classifier's features come from it too.
    design : path or DataFrame, optional
        ``design_sample.csv`` (unit_id, doc_id, language, text, humanitarian, security,
        stratum, inclusion_prob): adds the design-weighted columns.
    config, preprocess_config : optional
        Lexicon scoring and spaCy pipeline (as for a run).
    seed : int, default 0
        Seeds the folds (``derive_seed(seed, "classifier", ...)``) and the resamples
        (``rng(seed, "instrument_validation", sample, language)``).
    n_boot : int, default 1000
    n_outer, n_inner : int, default 5
        Folds of the nested cross-validation.
    estimator, param_grid : optional
        Base ``FrameClassifier`` and grid (default ``DEFAULT_PARAM_GRID``).
    choose_by : {"gold", "design"}, optional
        Sample of ``choose_instrument``; default "design" when a design sample is given (the
        run's population, never used to train the classifier), else "gold".

    Returns
    -------
    InstrumentComparison

    Examples
    --------
    >>> c = evaluate_instruments("../shared/validation/gold_sentences.csv",
    ...     design="../shared/validation/design_sample.csv")  # doctest: +SKIP
    >>> print(c.summary())  # doctest: +SKIP
    """
    config = config or LexiconConfig()
    g = read_gold(gold)
    lexicon = lexicon or load_lexicon(config.version, preprocess_config)
    feats = coded_sentence_features(g, lexicon, config=config, preprocess_config=preprocess_config)
    lex = predict_gold(g, lexicon, config=config, preprocess_config=preprocess_config)
    cv, full = _classifier_fits(feats, seed, n_outer, n_inner, estimator, param_grid)
    pred = _instrument_columns(lex, cv.predictions)
    pred.insert(3, "fold", cv.predictions["fold"].to_numpy())
    design_pred = (
        None
        if design is None
        else _design_predictions(design, lexicon, cv, full, config, preprocess_config)
    )
    table = _validation_table(g, pred, design_pred, lexicon.version, n_boot, seed, n_outer, n_inner)
    return InstrumentComparison(
        table=table,
        choice=choose_instrument(
            table, sample=choose_by or ("gold" if design_pred is None else "design")
        ),
        predictions=pred,
        design_predictions=design_pred,
        selection=_selection_table(cv, full),
        classifier=full,
        cv=cv,
        lexicon_version=lexicon.version,
        n_boot=n_boot,
        seed=seed,
    )


def compare_instruments(
    gold: str | os.PathLike | pd.DataFrame, lexicon: Lexicon | None = None, **kwargs
) -> pd.DataFrame:
    """The ``instrument_validation`` table of ``evaluate_instruments`` (same parameters).

    One row per instrument (lexicon, classifier) x language (en, es, all) x frame: the
    ``lexicon_validation`` columns (document-resampled intervals) with an ``instrument`` column,
    and the design-weighted precision / recall / F1 beside them when ``design`` is given.
    """
    return evaluate_instruments(gold, lexicon, **kwargs).table


def with_classifier_rows(
    lexicon_validation: pd.DataFrame, comparison: pd.DataFrame
) -> pd.DataFrame:
    """``lexicon_validation`` (the lexicon's rows) with the classifier's rows of an instrument
    comparison (``InstrumentComparison.table``) below them, in the ``lexicon_validation``
    columns: one table that shows both instruments side by side on the gold sentences, with
    document-resampled intervals (the design-weighted figures stay in ``instrument_validation``).
    """
    from framelens.schemas import columns_of, validate

    columns = columns_of("lexicon_validation")
    cls = comparison[comparison["instrument"] == "classifier"]
    cls = cls[[c for c in columns if c in cls.columns]]
    out = pd.concat([lexicon_validation[columns], cls[columns]], ignore_index=True)
    return validate(out, "lexicon_validation")
