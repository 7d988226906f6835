"""A lexicon-seeded sentence classifier for the frames (scikit-learn), one per language x frame.

Model (``docs/instruments.md``): for one language and one frame, a regularised (L2) logistic
regression on two blocks of features of a sentence (``classifier_features``):

- the lexicon block: counts of counted and negated hits of every frame and of every subframe
  (``LexiconFeatures``, scaled by ``lexicon_scaling`` and weighted by ``lexicon_weight``);
- the n-gram block: lemma n-grams (``ngram_range``, ``min_df``), tf-idf or binary.

Probabilities are calibrated by Platt scaling fitted on out-of-fold decision scores of a
document-grouped cross-validation inside ``fit`` (``n_folds``, folds from ``grouped_splits``:
no document is on both sides of a split). The same out-of-fold probabilities choose the
decision threshold (``threshold="f1"``: the one maximising F1 on a fixed grid) and give
``oof_f1_``, the grouped-CV score ``FrameClassifierCV`` selects hyperparameters by.

Classes, after scikit-learn's estimator contract (parameters in ``__init__``, learning in
``fit``, learned attributes with a trailing underscore, ``random_state`` passed in):

- ``FrameClassifier``: one binary classifier with fixed hyperparameters.
- ``FrameClassifierCV``: chooses hyperparameters from a small grid by grouped CV.
- ``LexiconSeededClassifier``: one ``FrameClassifierCV`` per language x frame, over feature
  tables; ``predict_proba`` returns ``prob_<frame>`` columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import ParameterGrid, StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from framelens.analysis.framing.classifier_features import (
    LEXICON_COUNT_COLUMNS,
    LexiconFeatures,
)
from framelens.core.domain import CODED_FRAMES
from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed, resolve_random_state

#: Thresholds tried when ``threshold="f1"`` (probabilities are calibrated first).
THRESHOLD_GRID = np.round(np.arange(0.15, 0.701, 0.05), 2)

#: Hyperparameters searched by default (chosen by grouped CV on the gold set, docs/instruments.md).
DEFAULT_PARAM_GRID = {"C": [0.1, 0.3, 1.0, 3.0]}


def grouped_splits(
    y, groups, n_splits: int = 5, random_state: int | np.random.Generator | None = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index pairs of a stratified k-fold split by groups (documents).

    Every group falls in exactly one test fold, so no document is on both sides of a split
    (``StratifiedGroupKFold``, shuffled with ``random_state``). The number of folds is cut to
    the number of groups when there are fewer; with ``groups=None`` each row is its own group.

    Returns
    -------
    list of (train_idx, test_idx)
    """
    y = np.asarray(y)
    groups = np.arange(len(y)) if groups is None else np.asarray(groups).astype(str)
    k = min(int(n_splits), len(np.unique(groups)))
    if k < 2:
        raise ConfigError(
            Errors.E003.format(key="n_splits", value=n_splits, reason="needs at least 2 groups")
        )
    cv = StratifiedGroupKFold(
        n_splits=k, shuffle=True, random_state=resolve_random_state(random_state)
    )
    import warnings

    with warnings.catch_warnings():  # "the least populated class has only n members"
        warnings.simplefilter("ignore", UserWarning)
        return [(tr, te) for tr, te in cv.split(np.zeros(len(y)), y, groups)]


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling: ``P(y=1|s) = 1 / (1 + exp(-(a*s + b)))`` fitted by logistic regression."""
    if len(np.unique(y)) < 2:
        return 0.0, float(np.log((y.mean() + 1e-6) / (1 - y.mean() + 1e-6)))
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(scores: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(a * np.asarray(scores, dtype=float) + b)))


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(((y == 1) & (pred == 1)).sum())
    denom = 2 * tp + int(((y == 0) & (pred == 1)).sum()) + int(((y == 1) & (pred == 0)).sum())
    return 2 * tp / denom if denom else 0.0


def best_threshold(y, proba, grid=THRESHOLD_GRID) -> tuple[float, float]:
    """The threshold of ``grid`` with the highest F1 (first on ties) and that F1."""
    y = np.asarray(y)
    f1s = [_f1(y, (np.asarray(proba) >= t).astype(int)) for t in grid]
    j = int(np.argmax(f1s))
    return float(grid[j]), float(f1s[j])


class FrameClassifier(ClassifierMixin, BaseEstimator):
    """Binary lexicon-seeded classifier for one frame in one language.

    Parameters
    ----------
    C : float, default 1.0
        Inverse L2 regularisation strength of the logistic regression.
    ngram_range : tuple (min_n, max_n), default (1, 2)
        Lemma n-grams.
    min_df : int, default 2
        Minimum number of training sentences an n-gram must occur in.
    ngram_weighting : {"tfidf", "binary"}, default "tfidf"
        Sublinear, L2-normalised tf-idf, or presence (0/1).
    use_ngrams : bool, default True
        False gives a logistic regression on the lexicon block only.
    lexicon_scaling : {"log1p", "count", "binary"}, default "log1p"
    lexicon_weight : float, default 1.0
        Multiplies the lexicon block (its scale against the n-grams under one penalty).
    class_weight : {"balanced"} or None, default "balanced"
    threshold : "f1" or float, default "f1"
        Decision threshold on the calibrated probability; "f1" picks it on the out-of-fold
        probabilities of the grouped CV in ``fit``.
    n_folds : int, default 5
        Document-grouped folds for calibration and the threshold.
    random_state : int, Generator or None, default None
        Shuffles the grouped folds.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    pipeline_ : Pipeline
        Features + logistic regression fitted on all training sentences.
    calibration_ : tuple (a, b)
        Platt parameters: ``p = 1 / (1 + exp(-(a * decision + b)))``.
    threshold_ : float
    oof_proba_ : ndarray of shape (n_samples,)
        Calibrated out-of-fold probabilities of the grouped CV in ``fit``.
    oof_f1_ : float
        F1 of ``oof_proba_ >= threshold_`` (the selection score).
    n_features_ : int
    """

    _parameter_constraints = {
        "ngram_weighting": ("tfidf", "binary"),
        "lexicon_scaling": ("log1p", "count", "binary"),
        "class_weight": ("balanced", None),
    }

    def __init__(
        self,
        *,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 2,
        ngram_weighting: str = "tfidf",
        use_ngrams: bool = True,
        lexicon_scaling: str = "log1p",
        lexicon_weight: float = 1.0,
        class_weight: str | None = "balanced",
        threshold: str | float = "f1",
        n_folds: int = 5,
        random_state: int | np.random.Generator | None = None,
    ):
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.ngram_weighting = ngram_weighting
        self.use_ngrams = use_ngrams
        self.lexicon_scaling = lexicon_scaling
        self.lexicon_weight = lexicon_weight
        self.class_weight = class_weight
        self.threshold = threshold
        self.n_folds = n_folds
        self.random_state = random_state

    def _check_params(self) -> None:
        for key, allowed in self._parameter_constraints.items():
            if getattr(self, key) not in allowed:
                raise ConfigError(
                    Errors.E003.format(key=key, value=getattr(self, key), reason=f"use {allowed}")
                )
        if not self.C > 0 or not self.lexicon_weight >= 0 or self.min_df < 1:
            raise ConfigError(
                Errors.E003.format(
                    key="C/lexicon_weight/min_df",
                    value=(self.C, self.lexicon_weight, self.min_df),
                    reason="C > 0, lexicon_weight >= 0, min_df >= 1",
                )
            )
        if self.threshold != "f1" and not 0 < float(self.threshold) < 1:
            raise ConfigError(
                Errors.E003.format(key="threshold", value=self.threshold, reason="'f1' or in (0,1)")
            )

    def _pipeline(self, n_rows: int) -> Pipeline:
        blocks = [
            (
                "lexicon",
                LexiconFeatures(self.lexicon_scaling),
                LEXICON_COUNT_COLUMNS + ["subframes"],
            )
        ]
        if self.use_ngrams:
            common = dict(
                tokenizer=str.split,
                token_pattern=None,
                lowercase=False,
                ngram_range=tuple(self.ngram_range),
                min_df=min(self.min_df, max(n_rows - 1, 1)),
            )
            vec = (
                TfidfVectorizer(sublinear_tf=True, **common)
                if self.ngram_weighting == "tfidf"
                else CountVectorizer(binary=True, **common)
            )
            blocks.append(("ngrams", vec, "lemmas"))
        features = ColumnTransformer(
            blocks, transformer_weights={"lexicon": self.lexicon_weight, "ngrams": 1.0}
        )
        lr = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000)
        return Pipeline([("features", features), ("lr", lr)])

    def _fit_decision(self, X, y, train, test) -> np.ndarray:  # noqa: N803
        """Decision scores on ``test`` of a pipeline fitted on ``train`` (0 if one class)."""
        if len(np.unique(y[train])) < 2:
            return np.full(len(test), 0.0 if y[train][0] else -1.0)
        pipe = self._pipeline(len(train)).fit(X.iloc[train], y[train])
        return pipe.decision_function(X.iloc[test])

    def oof_decision(self, X: pd.DataFrame, y, splits) -> np.ndarray:  # noqa: N803
        """Out-of-fold decision scores of this configuration over ``splits`` (unfitted use)."""
        self._check_params()
        y = np.asarray(y).astype(int)
        scores = np.zeros(len(y))
        for train, test in splits:
            scores[test] = self._fit_decision(X, y, train, test)
        return scores

    def fit(self, X: pd.DataFrame, y, groups=None) -> FrameClassifier:  # noqa: N803
        """Fit on a feature table ``X`` (``classifier_features``) and labels ``y`` (0/1).

        ``groups`` (document ids, length n_samples) keeps each document in one fold of the
        internal cross-validation; without it every sentence is its own group.
        """
        self._check_params()
        y = np.asarray(y).astype(int)
        splits = grouped_splits(y, groups, self.n_folds, self.random_state)
        with threadpool_limits(1):  # small problems: BLAS threads only cost time
            return self._fit_final(X, y, self.oof_decision(X, y, splits))

    def _fit_final(self, X, y, oof: np.ndarray) -> FrameClassifier:  # noqa: N803
        """Calibrate on the out-of-fold scores ``oof``, then fit the pipeline on all rows."""
        self._set_calibration(oof, y)
        self.pipeline_ = self._pipeline(len(y)).fit(X, y) if len(np.unique(y)) > 1 else None
        self._constant_ = float(y.mean())
        self.classes_ = np.array([0, 1])
        self.n_features_ = (
            len(self.pipeline_.named_steps["features"].get_feature_names_out())
            if self.pipeline_ is not None
            else 0
        )
        return self

    def _set_calibration(self, oof: np.ndarray, y: np.ndarray) -> None:
        self.calibration_ = _platt(oof, y)
        self.oof_proba_ = _sigmoid(oof, *self.calibration_)
        if self.threshold == "f1":
            self.threshold_, self.oof_f1_ = best_threshold(y, self.oof_proba_)
        else:
            self.threshold_ = float(self.threshold)
            self.oof_f1_ = _f1(y, (self.oof_proba_ >= self.threshold_).astype(int))

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        """Logistic-regression scores (before calibration), shape (n_samples,)."""
        check_is_fitted(self, "calibration_")
        if self.pipeline_ is None:
            return np.full(len(X), 0.0 if self._constant_ else -1.0)
        return self.pipeline_.decision_function(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        """Calibrated probabilities, ndarray of shape (n_samples, 2): P(absent), P(present)."""
        p = _sigmoid(self.decision_function(X), *self.calibration_)
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        """1 where the calibrated probability reaches ``threshold_``, else 0."""
        return (self.predict_proba(X)[:, 1] >= self.threshold_).astype("int64")


class FrameClassifierCV(ClassifierMixin, BaseEstimator):
    """``FrameClassifier`` with hyperparameters chosen by document-grouped cross-validation.

    Each point of ``param_grid`` is scored by the F1 of its calibrated out-of-fold
    predictions (``n_folds`` grouped folds, the same folds for every point); the best point
    (the first in grid order on ties) is refitted on all rows.

    Parameters
    ----------
    estimator : FrameClassifier, optional
        Base configuration (default ``FrameClassifier()``); grid values override it.
    param_grid : dict of lists, optional
        Default ``DEFAULT_PARAM_GRID``.
    n_folds : int, default 5
    random_state : int, Generator or None, default None

    Attributes
    ----------
    best_params_ : dict
    best_score_ : float
        Grouped out-of-fold F1 of the best point (optimistic: the maximum over the grid).
    best_estimator_ : FrameClassifier
    cv_results_ : DataFrame
        One row per grid point: the parameters, oof_f1, threshold.
    classes_ : ndarray of shape (2,)
    """

    def __init__(self, estimator=None, *, param_grid=None, n_folds: int = 5, random_state=None):
        self.estimator = estimator
        self.param_grid = param_grid
        self.n_folds = n_folds
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y, groups=None) -> FrameClassifierCV:  # noqa: N803
        y = np.asarray(y).astype(int)
        seed = resolve_random_state(self.random_state)
        base = clone(self.estimator if self.estimator is not None else FrameClassifier())
        base.set_params(n_folds=self.n_folds, random_state=seed)
        splits = grouped_splits(y, groups, self.n_folds, seed)
        rows, oofs = [], []
        with threadpool_limits(1):
            for params in ParameterGrid(self.param_grid or DEFAULT_PARAM_GRID):
                est = clone(base).set_params(**params)
                oofs.append(est.oof_decision(X, y, splits))
                est._set_calibration(oofs[-1], y)
                rows.append({**params, "oof_f1": est.oof_f1_, "threshold": est.threshold_})
            self.cv_results_ = pd.DataFrame(rows)
            best = int(self.cv_results_["oof_f1"].to_numpy().argmax())
            keys = [c for c in self.cv_results_.columns if c not in ("oof_f1", "threshold")]
            self.best_params_ = {k: rows[best][k] for k in keys}
            self.best_score_ = float(rows[best]["oof_f1"])
            est = clone(base).set_params(**self.best_params_)
            est._check_params()
            self.best_estimator_ = est._fit_final(X, y, oofs[best])
        self.classes_ = self.best_estimator_.classes_
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict_proba(X)

    def predict(self, X: pd.DataFrame) -> np.ndarray:  # noqa: N803
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.predict(X)


class LexiconSeededClassifier(BaseEstimator):
    """One ``FrameClassifierCV`` per language x frame, over feature tables.

    Parameters
    ----------
    frames : tuple of str, default ("humanitarian", "security")
        Label columns of ``y``.
    estimator : FrameClassifier, optional
        Base configuration.
    param_grid : dict of lists, optional
        Searched per language x frame (default ``DEFAULT_PARAM_GRID``).
    n_folds : int, default 5
        Document-grouped folds of the selection and calibration.
    random_state : int, Generator or None, default None
        Each language x frame gets ``derive_seed(random_state, language, frame)``.

    Attributes
    ----------
    estimators_ : dict[(language, frame), FrameClassifierCV]
    languages_ : list of str
    selection_ : DataFrame
        language, frame, params (chosen, as text), inner_f1, threshold, n, n_positive.
    """

    def __init__(
        self,
        frames: tuple[str, ...] = CODED_FRAMES,
        *,
        estimator=None,
        param_grid=None,
        n_folds: int = 5,
        random_state=None,
    ):
        self.frames = frames
        self.estimator = estimator
        self.param_grid = param_grid
        self.n_folds = n_folds
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: pd.DataFrame, groups=None) -> LexiconSeededClassifier:  # noqa: N803
        """Fit on feature rows ``X`` (with ``language``) and labels ``y`` (a column per frame).

        ``groups``: document ids (default ``X["doc_id"]`` when present).
        """
        seed = resolve_random_state(self.random_state)
        if groups is None and "doc_id" in X.columns:
            groups = X["doc_id"]
        groups = None if groups is None else np.asarray(groups).astype(str)
        lang = X["language"].astype(str).to_numpy()
        self.languages_ = sorted(set(lang) & {"en", "es"})
        self.estimators_, rows = {}, []
        for la in self.languages_:
            m = lang == la
            for f in self.frames:
                yl = np.asarray(y[f])[m].astype(int)
                est = FrameClassifierCV(
                    self.estimator,
                    param_grid=self.param_grid,
                    n_folds=self.n_folds,
                    random_state=derive_seed(seed, la, f),
                ).fit(X[m].reset_index(drop=True), yl, None if groups is None else groups[m])
                self.estimators_[(la, f)] = est
                rows.append(
                    {
                        "language": la,
                        "frame": f,
                        "params": repr(est.best_params_),
                        "inner_f1": est.best_score_,
                        "threshold": est.best_estimator_.threshold_,
                        "n": int(m.sum()),
                        "n_positive": int(yl.sum()),
                    }
                )
        self.selection_ = pd.DataFrame(rows)
        return self

    def predict_proba(self, X: pd.DataFrame) -> pd.DataFrame:  # noqa: N803
        """Calibrated probabilities: DataFrame (index of ``X``) with ``prob_<frame>``.

        Rows in a language the classifier was not trained on get NaN.
        """
        return self._apply(X, lambda est, x: est.predict_proba(x)[:, 1], "prob", float)

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:  # noqa: N803
        """0/1 predictions at each classifier's threshold: ``pred_<frame>`` (-1 if untrained)."""
        return self._apply(X, lambda est, x: est.predict(x), "pred", "int64")

    def _apply(self, X, fn, prefix, dtype) -> pd.DataFrame:  # noqa: N803
        check_is_fitted(self, "estimators_")
        lang = X["language"].astype(str).to_numpy()
        fill = np.nan if dtype is float else -1
        out = pd.DataFrame(index=X.index)
        for f in self.frames:
            col = np.full(len(X), fill, dtype=float if dtype is float else "int64")
            for la in self.languages_:
                m = lang == la
                if m.any():
                    col[m] = fn(self.estimators_[(la, f)], X[m].reset_index(drop=True))
            out[f"{prefix}_{f}"] = col
        return out
