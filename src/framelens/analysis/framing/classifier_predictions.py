"""Per-sentence frame predictions of a run, from either instrument (``frame_predictions``).

The table ``frame_predictions`` is what ``frame_prevalence`` reads: per sentence doc_id,
sent_id and per coded frame ``prob_<frame>`` (the classifier's calibrated probability; NaN for
the lexicon, which gives none) and ``pred_<frame>`` (0/1). ``instrument_for_run`` applies the
choice of ``choose_instrument`` per language, so a run can use the classifier for one language
and the lexicon for the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.analysis.framing.classifier import LexiconSeededClassifier
from framelens.analysis.framing.classifier_cv import ClassifierCV, cross_fit_predict
from framelens.analysis.framing.classifier_features import run_sentence_features
from framelens.core.domain import CODED_FRAMES


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    from framelens.schemas import columns_of, validate

    for c in ("doc_id", "instrument", "model", "lexicon_version"):
        out[c] = out[c].astype("str")
    return validate(
        out[columns_of("frame_predictions")].reset_index(drop=True), "frame_predictions"
    )


def lexicon_frame_predictions(sentence_frames: pd.DataFrame) -> pd.DataFrame:
    """``frame_predictions`` of the lexicon: pred = at least one counted hit, prob = NaN."""
    out = sentence_frames[["doc_id", "sent_id"]].copy()
    for f in CODED_FRAMES:
        out[f"prob_{f}"] = np.nan
        out[f"pred_{f}"] = (sentence_frames[f"hits_{f}"].to_numpy() > 0).astype("int64")
    out["instrument"] = "lexicon"
    out["model"] = "rules"
    out["lexicon_version"] = sentence_frames["lexicon_version"].to_numpy()
    return _finish(out)


def classifier_frame_predictions(
    classifier: LexiconSeededClassifier,
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    cv: ClassifierCV | None = None,
) -> pd.DataFrame:
    """``frame_predictions`` of the classifier for a run's sentences.

    Parameters
    ----------
    classifier : LexiconSeededClassifier
        Fitted on the gold sentences (``InstrumentComparison.classifier``).
    sentences, sentence_frames, documents : DataFrame
        The run's tables (``documents`` gives the language when ``sentences`` has none).
    cv : ClassifierCV, optional
        When given, sentences of gold documents are cross-fitted: predicted by the outer model
        that held their document out, so no prediction rests on its own document's codes.

    Returns
    -------
    DataFrame
        Schema ``frame_predictions``; sentences in a language without a trained classifier
        (not en/es) get prob NaN and pred 0.
    """
    feats = run_sentence_features(sentences, sentence_frames, documents)
    if cv is not None:
        pred = cross_fit_predict(cv, classifier, feats)
    else:
        pred = classifier.predict_proba(feats).join(classifier.predict(feats))
        pred["model"] = "all gold"
    out = feats[["doc_id", "sent_id"]].copy()
    for f in CODED_FRAMES:
        out[f"prob_{f}"] = pred[f"prob_{f}"].to_numpy(dtype=float)
        out[f"pred_{f}"] = pred[f"pred_{f}"].clip(lower=0).to_numpy(dtype="int64")
    out["instrument"] = "classifier"
    out["model"] = pred["model"].to_numpy()
    out["lexicon_version"] = sentence_frames["lexicon_version"].to_numpy()
    return _finish(out)


def instrument_for_run(
    choice: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    classifier_predictions: pd.DataFrame | None,
    documents: pd.DataFrame,
) -> pd.DataFrame:
    """The ``frame_predictions`` a run uses: per language the instrument ``choice`` names.

    ``choice`` is ``instrument_choice`` (``choose_instrument``); a language it does not name,
    or every language when ``classifier_predictions`` is None, uses the lexicon.
    """
    lex = lexicon_frame_predictions(sentence_frames)
    if classifier_predictions is None:
        return lex
    chosen = dict(zip(choice["language"], choice["instrument"], strict=True))
    lang = lex["doc_id"].map(dict(zip(documents["doc_id"], documents["language"], strict=False)))
    use_cls = lang.map(chosen).eq("classifier").to_numpy()
    cls = classifier_predictions.set_index(["doc_id", "sent_id"]).reindex(
        pd.MultiIndex.from_frame(lex[["doc_id", "sent_id"]])
    )
    out = lex.copy()
    for c in [c for c in lex.columns if c not in ("doc_id", "sent_id")]:
        out.loc[use_cls, c] = cls[c].to_numpy()[use_cls]
    return _finish(out)
