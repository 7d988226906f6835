"""Nested, document-grouped cross-validation of the lexicon-seeded classifier.

Outer loop: per language, ``n_outer`` folds of documents (``grouped_splits``, stratified on
the combination of frame labels), so the sentences of a document are all in one test fold.
Inner loop: on each outer training part, ``LexiconSeededClassifier`` chooses hyperparameters,
calibration and threshold by its own grouped CV over the training documents only. The outer
test sentences are predicted by a model that saw none of their documents: these out-of-fold
predictions are what the reported F1 is computed from (an honest estimate for new documents
of the same kind, up to the choice of the grid itself, docs/instruments.md).

The fitted outer models are kept, so coded sentences from elsewhere (the design sample) can be
cross-fitted: a sentence of a gold document is predicted by the model of the fold that held that
document out; a sentence of any other document by a model fitted on all gold sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.analysis.framing.classifier import LexiconSeededClassifier, grouped_splits
from framelens.core.domain import CODED_FRAMES
from framelens.core.seeding import derive_seed, resolve_random_state


@dataclass
class ClassifierCV:
    """Result of ``cross_validate_classifier``.

    Attributes
    ----------
    predictions : DataFrame
        One row per input sentence (input order): sent_id, doc_id, language, fold, and per
        frame gold_<frame>, prob_<frame> (out-of-fold, calibrated), pred_<frame>.
    selection : DataFrame
        Per outer fold x language x frame: the hyperparameters chosen by the inner loop,
        inner_f1, threshold, n, n_positive.
    models : dict[(language, fold), LexiconSeededClassifier]
    fold_of_doc : dict[(language, doc_id), int]
    frames : tuple of str
    """

    predictions: pd.DataFrame
    selection: pd.DataFrame
    models: dict = field(repr=False)
    fold_of_doc: dict = field(repr=False)
    frames: tuple = CODED_FRAMES


def _strata(labels: pd.DataFrame, frames) -> np.ndarray:
    code = np.zeros(len(labels), dtype=int)
    for j, f in enumerate(frames):
        code += (2**j) * labels[f].to_numpy(dtype=int)
    return code


def cross_validate_classifier(
    features: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    *,
    frames: tuple[str, ...] = CODED_FRAMES,
    n_outer: int = 5,
    n_inner: int = 5,
    estimator=None,
    param_grid=None,
    random_state: int | np.random.Generator | None = 0,
) -> ClassifierCV:
    """Out-of-fold predictions of the classifier by nested document-grouped cross-validation.

    Parameters
    ----------
    features : DataFrame
        Feature rows (``coded_sentence_features``): sent_id, doc_id, language, lemmas, lexicon
        columns; the labels too when ``labels`` is None.
    labels : DataFrame, optional
        One 0/1 column per frame, row-aligned with ``features``.
    frames : tuple of str
    n_outer, n_inner : int, default 5
        Outer folds (evaluation) and inner folds (selection, calibration, threshold).
    estimator, param_grid :
        Passed to ``LexiconSeededClassifier``.
    random_state : int, Generator or None, default 0
        The outer folds of language ``la`` use ``derive_seed(seed, "outer", la)``, the inner
        models ``derive_seed(seed, "inner", la, fold)``.

    Returns
    -------
    ClassifierCV
    """
    seed = resolve_random_state(random_state)
    X = features.reset_index(drop=True)  # noqa: N806 - scikit-learn's name
    Y = (X if labels is None else labels.reset_index(drop=True))[list(frames)]  # noqa: N806
    docs = X["doc_id"].astype(str).to_numpy()
    lang = X["language"].astype(str).to_numpy()
    fold = np.full(len(X), -1, dtype=int)
    prob = {f: np.full(len(X), np.nan) for f in frames}
    pred = {f: np.full(len(X), -1, dtype="int64") for f in frames}
    models, fold_of_doc, sel = {}, {}, []
    for la in sorted(set(lang) & {"en", "es"}):
        rows = np.flatnonzero(lang == la)
        splits = grouped_splits(
            _strata(Y.iloc[rows], frames), docs[rows], n_outer, derive_seed(seed, "outer", la)
        )
        for k, (tr, te) in enumerate(splits):
            tr, te = rows[tr], rows[te]
            model = LexiconSeededClassifier(
                frames,
                estimator=estimator,
                param_grid=param_grid,
                n_folds=n_inner,
                random_state=derive_seed(seed, "inner", la, k),
            ).fit(X.iloc[tr], Y.iloc[tr], docs[tr])
            p, d = model.predict_proba(X.iloc[te]), model.predict(X.iloc[te])
            for f in frames:
                prob[f][te] = p[f"prob_{f}"].to_numpy()
                pred[f][te] = d[f"pred_{f}"].to_numpy()
            fold[te] = k
            models[(la, k)] = model
            fold_of_doc.update({(la, doc): k for doc in docs[te]})
            sel.append(model.selection_.assign(fold=k))
    out = X[["sent_id", "doc_id", "language"]].copy()
    out["fold"] = fold
    for f in frames:
        out[f"gold_{f}"] = Y[f].to_numpy(dtype="int64")
        out[f"prob_{f}"] = prob[f]
        out[f"pred_{f}"] = pred[f]
    selection = pd.concat(sel, ignore_index=True) if sel else pd.DataFrame()
    if len(selection):
        selection = selection[["fold", *[c for c in selection.columns if c != "fold"]]]
    return ClassifierCV(out, selection, models, fold_of_doc, tuple(frames))


def cross_fit_predict(
    cv: ClassifierCV, full_model: LexiconSeededClassifier, features: pd.DataFrame
) -> pd.DataFrame:
    """Predict other sentences without using their documents' gold sentences.

    A row whose (language, doc_id) is a gold document is predicted by the outer model that held
    that document out; any other row by ``full_model`` (fitted on all gold sentences).

    Returns
    -------
    DataFrame
        Index of ``features``: prob_<frame>, pred_<frame>, model ("fold <k>" or "all gold").
    """
    X = features.reset_index(drop=True)  # noqa: N806
    key = list(zip(X["language"].astype(str), X["doc_id"].astype(str), strict=True))
    which = np.array([cv.fold_of_doc.get(k, -1) for k in key])
    out = pd.DataFrame(index=X.index)
    for f in cv.frames:
        out[f"prob_{f}"] = np.nan
        out[f"pred_{f}"] = -1
    for la in sorted(set(X["language"].astype(str))):
        for k in sorted(set(which[X["language"].astype(str).to_numpy() == la])):
            m = (X["language"].astype(str).to_numpy() == la) & (which == k)
            model = full_model if k < 0 else cv.models[(la, k)]
            p, d = model.predict_proba(X[m]), model.predict(X[m])
            for f in cv.frames:
                out.loc[m, f"prob_{f}"] = p[f"prob_{f}"].to_numpy()
                out.loc[m, f"pred_{f}"] = d[f"pred_{f}"].to_numpy()
    out["model"] = np.where(which < 0, "all gold", np.char.add("fold ", which.astype(str)))
    out.index = features.index
    return out
