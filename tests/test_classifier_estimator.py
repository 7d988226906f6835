"""The lexicon-seeded classifier as an estimator, and its cross-validation grouped by document.

Synthetic feature tables only (no shared data): fast. The leakage tests plant a signal that
only a split leaking documents can exploit (each document has its own word and one label for
all its sentences), so they fail if any loop of the cross-validation is not grouped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import KFold

import framelens.analysis.framing.classifier as classifier_module
from framelens.analysis.framing import classifier_cv
from framelens.analysis.framing.classifier import (
    FrameClassifier,
    FrameClassifierCV,
    LexiconSeededClassifier,
    best_threshold,
    grouped_splits,
)
from framelens.analysis.framing.classifier_cv import cross_validate_classifier
from framelens.analysis.framing.classifier_features import (
    LEXICON_COUNT_COLUMNS,
    LexiconFeatures,
    parse_subframes,
)
from framelens.core.errors import ConfigError

WORDS = [f"w{i}" for i in range(40)]


def _features(n_docs: int = 24, per_doc: int = 8, seed: int = 0, signal: bool = True):
    """A feature table: the frame is present when the sentence has the lexicon hit 'key'.

    With ``signal=False`` the label is one coin flip per document and the only thing that tells
    documents apart is a word of their own: nothing generalises to a new document.
    """
    gen = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        doc_label = int(gen.random() < 0.5)
        for s in range(per_doc):
            words = list(gen.choice(WORDS, size=6))
            if signal:
                label = int(gen.random() < 0.4)
                hits = label if gen.random() < 0.85 else 1 - label
                words += ["key"] if label else []
            else:
                label, hits = doc_label, 0
            words += [f"doc{d}tag", f"doc{d}mark"]
            rows.append(
                {
                    "sent_id": f"s{d}_{s}",
                    "doc_id": f"d{d}",
                    "language": "en" if d % 2 == 0 else "es",
                    "lemmas": " ".join(words),
                    **{c: 0 for c in LEXICON_COUNT_COLUMNS},
                    "hits_humanitarian": hits,
                    "subframes": "care_services:1" if hits else "",
                    "humanitarian": label,
                    "security": int(gen.random() < 0.3),
                }
            )
    return pd.DataFrame(rows)


def _f1(y, p) -> float:
    y, p = np.asarray(y), np.asarray(p)
    tp = ((y == 1) & (p == 1)).sum()
    d = 2 * tp + ((y == 0) & (p == 1)).sum() + ((y == 1) & (p == 0)).sum()
    return 2 * tp / d if d else 0.0


def test_classifier_subframes_parse_and_features():
    assert dict(parse_subframes("a:1;b_c:2")) == {"a": 1, "b_c": 2}
    assert dict(parse_subframes("")) == {}
    X = _features(4, 3)
    lf = LexiconFeatures("binary").fit(X)
    assert lf.subframes_ == ["care_services"]
    m = lf.transform(X).toarray()
    assert m.shape == (len(X), len(LEXICON_COUNT_COLUMNS) + 1)
    assert set(np.unique(m)) <= {0.0, 1.0}
    assert np.allclose(LexiconFeatures("log1p").fit_transform(X).toarray().max(), np.log(2))


def test_classifier_estimator_contract():
    X = _features()
    est = FrameClassifier(C=0.5, ngram_range=(1, 1), n_folds=3, random_state=7)
    params = est.get_params()
    assert params["C"] == 0.5 and params["random_state"] == 7
    assert not [k for k in vars(est) if k.endswith("_")]  # nothing learned in __init__
    with pytest.raises(NotFittedError):
        est.predict_proba(X)
    assert est.fit(X, X["humanitarian"], X["doc_id"]) is est
    assert est.get_params() == params  # fit does not change parameters
    for attr in ("classes_", "pipeline_", "calibration_", "threshold_", "oof_proba_", "oof_f1_"):
        assert hasattr(est, attr)
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2) and np.allclose(proba.sum(1), 1)
    assert ((proba >= 0) & (proba <= 1)).all()
    assert set(np.unique(est.predict(X))) <= {0, 1}
    again = clone(est).fit(X, X["humanitarian"], X["doc_id"])
    assert np.allclose(again.predict_proba(X), proba)  # seeded: reproducible
    assert est.oof_f1_ > 0.7  # the planted lexicon signal is found out of fold


@pytest.mark.parametrize(
    "bad", [{"C": 0}, {"lexicon_scaling": "sqrt"}, {"threshold": 1.5}, {"class_weight": "x"}]
)
def test_classifier_rejects_bad_parameters(bad):
    X = _features(6, 3)
    with pytest.raises(ConfigError):
        FrameClassifier(**bad).fit(X, X["humanitarian"], X["doc_id"])


def test_classifier_best_threshold_picks_max_f1():
    y = np.array([0, 0, 1, 1, 1])
    p = np.array([0.1, 0.3, 0.35, 0.6, 0.9])
    t, f1 = best_threshold(y, p)
    assert t == pytest.approx(0.35) and f1 == pytest.approx(1.0)


def test_classifier_grouped_splits_keep_documents_together():
    X = _features(20, 5)
    for n in (3, 5):
        splits = grouped_splits(X["humanitarian"], X["doc_id"], n, random_state=1)
        seen = []
        for train, test in splits:
            assert not set(X["doc_id"].iloc[train]) & set(X["doc_id"].iloc[test])
            seen.extend(X["doc_id"].iloc[test].unique())
        assert sorted(seen) == sorted(X["doc_id"].unique())  # each document tested once


def test_classifier_planted_leakage_only_ungrouped_cv_inflates():
    """A document's own words predict its label only inside that document.

    Grouped CV must report what a new document would get (about chance); an ungrouped split
    of the same sentences reports a near-perfect score. If the project's CV leaked documents,
    its out-of-fold F1 would be inflated like the ungrouped one and this test would fail.
    """
    X = _features(30, 8, seed=3, signal=False)
    X = X[X["language"] == "en"].reset_index(drop=True)
    y = X["humanitarian"].to_numpy()
    base = FrameClassifier(C=10.0, ngram_range=(1, 1), min_df=1, threshold=0.5, n_folds=5)
    grouped = clone(base).set_params(random_state=0).fit(X, y, X["doc_id"])
    leaky = np.zeros(len(y))
    for train, test in KFold(5, shuffle=True, random_state=0).split(X):
        leaky[test] = base._pipeline(len(train)).fit(X.iloc[train], y[train]).predict(X.iloc[test])
    assert _f1(y, leaky) > 0.9  # the leak is real and large
    assert grouped.oof_f1_ < 0.75  # the project's inner CV does not exploit it
    ungrouped = clone(base).set_params(random_state=0).fit(X, y, groups=None)
    assert ungrouped.oof_f1_ > 0.9  # the same estimator without groups would


def test_classifier_nested_cv_out_of_fold_is_honest_on_planted_leak():
    X = _features(40, 6, seed=5, signal=False)
    cv = cross_validate_classifier(
        X,
        n_outer=4,
        n_inner=3,
        param_grid={"C": [10.0]},
        random_state=0,
        estimator=FrameClassifier(ngram_range=(1, 1), min_df=1, threshold=0.5),
    )
    p = cv.predictions
    assert (p.groupby("doc_id")["fold"].nunique() == 1).all()
    assert _f1(p["gold_humanitarian"], p["pred_humanitarian"]) < 0.75


def test_classifier_every_loop_is_grouped(monkeypatch):
    """Spy on the models of the outer loop and the splits of the inner loop."""
    X = _features(24, 5, seed=2)
    fitted_docs = []

    class Spy(LexiconSeededClassifier):
        def fit(self, X, y, groups=None):  # noqa: N803
            fitted_docs.append(set(np.asarray(groups).astype(str)))
            return super().fit(X, y, groups)

    inner = []
    real = classifier_module.grouped_splits

    def spy_splits(y, groups, n_splits=5, random_state=0):
        assert groups is not None, "inner CV called without document groups"
        splits = real(y, groups, n_splits, random_state)
        g = np.asarray(groups).astype(str)
        inner.extend(not set(g[tr]) & set(g[te]) for tr, te in splits)
        return splits

    monkeypatch.setattr(classifier_cv, "LexiconSeededClassifier", Spy)
    monkeypatch.setattr(classifier_module, "grouped_splits", spy_splits)
    cv = cross_validate_classifier(X, n_outer=3, n_inner=3, param_grid={"C": [1.0]})
    pred = cv.predictions
    for (lang, k), docs in zip(cv.models, fitted_docs, strict=True):
        test_docs = set(pred.loc[(pred["language"] == lang) & (pred["fold"] == k), "doc_id"])
        assert test_docs and not docs & test_docs
    assert inner and all(inner)


def test_classifier_cv_selects_from_grid_and_collection_predicts():
    X = _features(24, 6, seed=4)
    cvm = FrameClassifierCV(param_grid={"C": [0.1, 1.0]}, n_folds=3, random_state=0)
    cvm.fit(X, X["humanitarian"], X["doc_id"])
    assert list(cvm.cv_results_["C"]) == [0.1, 1.0]
    assert cvm.best_score_ == pytest.approx(cvm.cv_results_["oof_f1"].max())
    model = LexiconSeededClassifier(param_grid={"C": [1.0]}, n_folds=3, random_state=0)
    model.fit(X, X[["humanitarian", "security"]])
    assert set(model.estimators_) == {(la, f) for la in ("en", "es") for f in model.frames}
    other = X.head(3).assign(language="other")
    proba = model.predict_proba(pd.concat([X.head(5), other]))
    assert list(proba.columns) == ["prob_humanitarian", "prob_security"]
    assert proba.iloc[:5].notna().all().all() and proba.iloc[5:].isna().all().all()
    assert set(model.selection_["language"]) == {"en", "es"}
