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

Hyperparameters are declared once, in scikit-learn's own format: ``_parameter_constraints``
maps each name to a list of ``sklearn.utils._param_validation`` constraints (``Interval``,
``StrOptions``, a type, None, ...), so scikit-learn's ``BaseEstimator._validate_params`` (used by
its ``_fit_context`` and ``check_estimator``) works on our engines. ``fit`` checks them through
``check_params``, which turns a violation into ``ConfigError`` [E003] naming the parameter.
The parameters every engine shares (``k``, ``random_state``, ``seed_terms``,
``seed_strength``) are stored and constrained here; engines add their own.

``framelens.models.checks.check_topic_model`` tests an engine against this contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    validate_parameter_constraints,
)

from framelens.core.errors import ConfigError, Errors
from framelens.models.topic_corpus import TopicCorpus, align_dtm

SeedTerms = Mapping[str, Sequence[str]]

#: Constraints (scikit-learn format) reused by the engines.
POSITIVE_INT = Interval(Integral, 1, None, closed="left")
POSITIVE_REAL = Interval(Real, 0, None, closed="neither")
NON_NEGATIVE_REAL = Interval(Real, 0, None, closed="left")


def normalise_rows(a: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform."""
    a = np.asarray(a, dtype=np.float64)
    s = a.sum(axis=1, keepdims=True)
    out = np.divide(a, s, out=np.full_like(a, 1.0 / a.shape[1]), where=s > 0)
    return out


def _is_seed_terms(value: Any) -> bool:
    """None, or a mapping of theme names (str) to sequences of terms (str, not one str)."""
    if value is None:
        return True
    if not isinstance(value, Mapping):
        return False
    return all(
        isinstance(k, str) and not isinstance(t, str) and all(isinstance(w, str) for w in t)
        for k, t in value.items()
    )


def _reason(err: InvalidParameterError) -> str:
    """The "must be ..." part of scikit-learn's message (the whole message if it differs)."""
    message = str(err)
    if " must be " in message and ". Got " in message:
        return "must be " + message.split(" must be ", 1)[1].rsplit(". Got ", 1)[0]
    return message


class TopicModel(BaseEstimator):
    """Base class of topic-model engines (not used directly).

    Parameters
    ----------
    k : int
        Number of topics.
    random_state : int, numpy Generator or None
        Seed of every random draw of the engine.
    seed_terms : mapping of str to list of str, or None
        Named themes and their seed terms; theme i is placed on topic i.
    seed_strength : float
        How strongly seed terms pull towards their theme (engine-specific scale).
    """

    #: name -> list of constraints (scikit-learn format); engines extend this dict.
    _parameter_constraints: dict = {
        "k": [POSITIVE_INT],
        "seed_terms": [Mapping, None],
        "seed_strength": [NON_NEGATIVE_REAL],
    }
    engine: str = ""

    def __init__(
        self,
        k: int,
        *,
        random_state: int | np.random.Generator | None,
        seed_terms: SeedTerms | None,
        seed_strength: float,
    ):
        self.k = k
        self.random_state = random_state
        self.seed_terms = seed_terms
        self.seed_strength = seed_strength

    # ------------------------------------------------------------------ parameters
    def check_params(self) -> None:
        """Check every hyperparameter against ``_parameter_constraints`` (as scikit-learn's
        ``_validate_params`` does) and the seed terms' contents.

        Raises
        ------
        ConfigError
            [E003] naming the first invalid parameter, its value and what it must be.
        """
        for name, constraints in self._parameter_constraints.items():
            value = getattr(self, name)
            try:
                validate_parameter_constraints(
                    {name: constraints}, {name: value}, caller_name=type(self).__name__
                )
            except InvalidParameterError as err:
                raise ConfigError(
                    Errors.E003.format(key=name, value=value, reason=_reason(err))
                ) from err
        if not _is_seed_terms(self.seed_terms):
            raise ConfigError(
                Errors.E003.format(
                    key="seed_terms",
                    value=self.seed_terms,
                    reason="use a mapping theme -> list of terms, or None",
                )
            )

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
        self.check_params()

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
