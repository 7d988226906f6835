"""The topic-model estimator contract shared by every engine (after scikit-learn's estimators).

``__init__`` stores hyperparameters and does nothing else; ``fit(corpus)`` learns; learned state
ends with an underscore. Every engine exposes

- ``topic_word_``: ndarray of shape (k, n_terms), rows sum to 1 (in the LDA literature: beta /
  phi; for NMF: the rows of H normalised to sum to 1);
- ``doc_topic_``: ndarray of shape (n_docs, k), rows sum to 1 (LDA: E[theta]; NMF: rows of W
  normalised), equal to ``transform(corpus)`` on the training corpus;
- ``vocabulary_``, ``doc_ids_``, ``language_``, ``topic_labels_`` (the seeded theme of each
  topic, or None), ``random_seed_`` (the integer seed actually used);
- ``top_terms(n)`` and ``transform(corpus)``.

``framelens.models.checks.check_topic_model`` tests an engine against this contract.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed, resolve_random_state  # noqa: F401 (re-exported)
from framelens.models.topic_corpus import TopicCorpus, align_dtm

SeedTerms = Mapping[str, Sequence[str]]


def normalise_rows(a: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    a = np.asarray(a, dtype=np.float64)
    s = a.sum(axis=1, keepdims=True)
    out = np.divide(a, s, out=np.full_like(a, 1.0 / a.shape[1]), where=s > 0)
    return out


class TopicModel(BaseEstimator):
    """Base class of topic-model engines (not used directly)."""

    #: name -> (check, description): every hyperparameter's allowed values, checked in ``fit``.
    _parameter_constraints: dict[str, tuple[Callable[[Any], bool], str]] = {}
    engine: str = ""

    def _validate_params(self) -> None:
        for name, (ok, description) in self._parameter_constraints.items():
            value = getattr(self, name)
            if not ok(value):
                raise ConfigError(Errors.E003.format(key=name, value=value, reason=description))

    # ------------------------------------------------------------------ seeds
    def _seed_rows(self, corpus: TopicCorpus) -> tuple[list[str | None], list[list[int]]]:
        """Per topic: its theme (or None) and the vocabulary columns of its seed terms."""
        themes = list(self.seed_terms.items()) if self.seed_terms else []
        if len(themes) > self.k:
            raise ConfigError(Errors.E015.format(k=self.k, n_themes=len(themes)))
        index = corpus.term_index()
        labels: list[str | None] = [None] * self.k
        cols: list[list[int]] = [[] for _ in range(self.k)]
        for t, (theme, terms) in enumerate(themes):
            cols[t] = sorted({index[w] for w in terms if w in index})
            labels[t] = str(theme) if cols[t] else None  # no seed term left: unseeded
        return labels, cols

    # ------------------------------------------------------------------ common API
    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_word_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with a "
                "TopicCorpus first."
            )

    def _prepare(self, corpus: TopicCorpus) -> None:
        if not isinstance(corpus, TopicCorpus):
            raise TypeError(f"fit expects a TopicCorpus, got {type(corpus).__name__}")
        self._validate_params()

    def _finish_fit(self, corpus: TopicCorpus, seed: int, labels: list[str | None]) -> None:
        self.vocabulary_ = list(corpus.vocabulary)
        self.doc_ids_ = list(corpus.doc_ids)
        self.language_ = corpus.language
        self.topic_labels_ = labels
        self.random_seed_ = seed
        self.doc_topic_ = self.transform(corpus)

    def _aligned(self, corpus: TopicCorpus):
        self._check_fitted()
        return align_dtm(corpus, self.vocabulary_)

    def fit_transform(self, corpus: TopicCorpus) -> np.ndarray:
        """Fit on ``corpus`` and return ``doc_topic_`` (n_docs, k)."""
        return self.fit(corpus).doc_topic_

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` highest-weight terms of each topic.

        Returns
        -------
        DataFrame
            Columns topic (int, 0-based), rank (1..n), term, weight (the topic-word
            probability), sorted by topic then rank; ties by term.
        """
        self._check_fitted()
        n = min(int(n), len(self.vocabulary_))
        rows = []
        vocab = np.asarray(self.vocabulary_, dtype=object)
        for t in range(self.topic_word_.shape[0]):
            w = self.topic_word_[t]
            order = np.argsort(-w, kind="stable")[:n]
            for r, j in enumerate(order, start=1):
                rows.append((t, r, vocab[j], float(w[j])))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])

    def transform(self, corpus: TopicCorpus) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, corpus: TopicCorpus) -> TopicModel:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def doc_topic_concentration_(self) -> np.ndarray | None:
        """Per-document Dirichlet parameters of the topic proportions (LDA's variational
        gamma) of the training corpus, or None for engines without a posterior (NMF)."""
        return None


def _is_pos_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1


def _is_pos_float(v: Any) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and v > 0


def _is_nonneg_float(v: Any) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and v >= 0


def _is_seed_terms(v: Any) -> bool:
    if v is None:
        return True
    if not isinstance(v, Mapping):
        return False
    return all(
        isinstance(k, str) and not isinstance(t, str) and all(isinstance(w, str) for w in t)
        for k, t in v.items()
    )
