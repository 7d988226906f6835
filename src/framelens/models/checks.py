"""One contract test for every topic-model engine (after scikit-learn's ``estimator_checks``).

``check_topic_model(estimator, corpus)`` runs each check below on an unfitted estimator and a
small ``TopicCorpus`` and raises ``AssertionError`` naming the broken rule.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from framelens.models.base import TopicModel
from framelens.models.topic_corpus import TopicCorpus


def check_init_stores_params(est: TopicModel, corpus: TopicCorpus) -> None:
    """``__init__`` stores its arguments as given and learns nothing."""
    params = est.get_params(deep=False)
    for name, value in params.items():
        assert getattr(est, name) is value, f"__init__ changed parameter {name}"
    learned = [a for a in vars(est) if a.endswith("_") and not a.startswith("__")]
    assert not learned, f"unfitted estimator has learned attributes {learned}"


def check_not_fitted(est: TopicModel, corpus: TopicCorpus) -> None:
    """``transform`` and ``top_terms`` before ``fit`` raise NotFittedError."""
    fresh = clone(est)
    for call in (lambda: fresh.transform(corpus), lambda: fresh.top_terms(5)):
        try:
            call()
        except NotFittedError:
            continue
        raise AssertionError("an unfitted estimator did not raise NotFittedError")


def check_fit_shapes_and_simplex(est: TopicModel, corpus: TopicCorpus) -> None:
    """``fit`` returns self; topic_word_ (k, V) and doc_topic_ (n, k) are non-negative rows
    summing to 1; labels and vocabulary are recorded."""
    m = clone(est)
    assert m.fit(corpus) is m, "fit must return self"
    k = m.k
    assert m.topic_word_.shape == (k, corpus.n_terms), "topic_word_ shape"
    assert m.doc_topic_.shape == (corpus.n_docs, k), "doc_topic_ shape"
    for name in ("topic_word_", "doc_topic_"):
        a = getattr(m, name)
        assert np.all(np.isfinite(a)) and np.all(a >= 0), f"{name} must be finite and >= 0"
        assert np.allclose(a.sum(axis=1), 1.0, atol=1e-8), f"{name} rows must sum to 1"
    assert m.vocabulary_ == corpus.vocabulary and m.doc_ids_ == corpus.doc_ids
    assert len(m.topic_labels_) == k
    assert isinstance(m.random_seed_, int)


def check_top_terms(est: TopicModel, corpus: TopicCorpus) -> None:
    """``top_terms(n)``: n rows per topic, ranks 1..n, weights non-increasing, from topic_word_."""
    m = clone(est).fit(corpus)
    n = 7
    tt = m.top_terms(n)
    assert list(tt.columns) == ["topic", "rank", "term", "weight"]
    assert len(tt) == m.k * n
    index = {t: i for i, t in enumerate(m.vocabulary_)}
    for t, g in tt.groupby("topic"):
        assert g["rank"].tolist() == list(range(1, n + 1))
        w = g["weight"].to_numpy()
        assert np.all(np.diff(w) <= 0), "weights must not increase with rank"
        expected = m.topic_word_[t, [index[x] for x in g["term"]]]
        assert np.allclose(w, expected), "top_terms weights must come from topic_word_"
        assert w[0] == m.topic_word_[t].max()


def check_transform(est: TopicModel, corpus: TopicCorpus) -> None:
    """``transform`` of the training corpus equals ``doc_topic_``; of a subset, its rows."""
    m = clone(est).fit(corpus)
    assert np.array_equal(m.transform(corpus), m.doc_topic_), "transform(train) != doc_topic_"
    sub = corpus.subset(corpus.doc_ids[:3])
    out = m.transform(sub)
    assert out.shape == (3, m.k) and np.allclose(out.sum(axis=1), 1.0)


def check_deterministic(est: TopicModel, corpus: TopicCorpus) -> None:
    """Same corpus + random_state: identical arrays, bit for bit."""
    a = clone(est).fit(corpus)
    b = clone(est).fit(corpus)
    assert np.array_equal(a.topic_word_, b.topic_word_), "topic_word_ differs between runs"
    assert np.array_equal(a.doc_topic_, b.doc_topic_), "doc_topic_ differs between runs"


def check_input_unchanged(est: TopicModel, corpus: TopicCorpus) -> None:
    """``fit`` and ``transform`` do not modify the corpus."""
    before = (corpus.dtm.copy(), list(corpus.vocabulary), list(corpus.doc_ids))
    m = clone(est).fit(corpus)
    m.transform(corpus)
    assert (corpus.dtm != before[0]).nnz == 0, "fit modified corpus.dtm"
    assert corpus.vocabulary == before[1] and corpus.doc_ids == before[2]


def check_clone_params(est: TopicModel, corpus: TopicCorpus) -> None:
    """``clone`` and ``set_params`` round-trip the hyperparameters."""
    c = clone(est)
    assert c.get_params() == est.get_params()
    c.set_params(k=est.k + 1)
    assert c.k == est.k + 1 and est.k != c.k


CHECKS: list[Callable[[TopicModel, TopicCorpus], None]] = [
    check_init_stores_params,
    check_not_fitted,
    check_fit_shapes_and_simplex,
    check_top_terms,
    check_transform,
    check_deterministic,
    check_input_unchanged,
    check_clone_params,
]


def check_topic_model(estimator: TopicModel, corpus: TopicCorpus) -> None:
    """Run every contract check on ``estimator`` (unfitted) with ``corpus``."""
    for check in CHECKS:
        check(estimator, corpus)
