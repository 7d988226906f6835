"""Latent Dirichlet allocation with gensim's single-core ``LdaModel``.

Why not ``LdaMulticore``: its workers update the model from chunks in the order they finish,
so two runs with the same ``random_state`` give different topics. ``LdaModel`` processes chunks
in one process in corpus order and draws every random number from one
``numpy.random.RandomState(random_state)``: same corpus + seed gives identical topics. (See
docs/topics.md, Determinism.)

Streamed mode (``stream_chunk`` set; ``fit_topics`` sets it above ``topics.stream_above``
documents): gensim reads the corpus as a stream (``_BowStream``: one bag of words at a time,
converted from the sparse matrix, never a list of all documents) and updates the topics online
after every ``stream_chunk`` documents. The updates are those of the in-memory fit with
``chunksize = stream_chunk`` (tested bit for bit); only memory differs.
"""

from __future__ import annotations

import logging
from numbers import Real

import numpy as np
from gensim.models import LdaModel
from sklearn.utils._param_validation import Interval, StrOptions

from framelens.core.seeding import resolve_random_state
from framelens.models.base import (
    POSITIVE_INT,
    POSITIVE_REAL,
    SeedTerms,
    TopicModel,
    normalise_rows,
)
from framelens.models.topic_corpus import TopicCorpus

logging.getLogger("gensim").setLevel(logging.WARNING)


def _csr_to_bow(dtm) -> list[list[tuple[int, int]]]:
    return list(_BowStream(dtm))


class _BowStream:
    """The rows of a sparse count matrix as gensim bags of words, converted one row at a time
    on each iteration: a re-iterable streamed corpus with a length (like gensim's
    ``Sparse2Corpus``, with Python ints as ``_csr_to_bow`` gives)."""

    def __init__(self, dtm):
        self._dtm = dtm.tocsr()

    def __len__(self) -> int:
        return int(self._dtm.shape[0])

    def __iter__(self):
        indptr, indices, data = self._dtm.indptr, self._dtm.indices, self._dtm.data
        for i in range(self._dtm.shape[0]):
            lo, hi = indptr[i], indptr[i + 1]
            yield list(zip(indices[lo:hi].tolist(), data[lo:hi].tolist(), strict=True))


class LDATopicModel(TopicModel):
    """LDA fitted by online variational Bayes (Hoffman et al. 2010), gensim ``LdaModel``.

    Parameters
    ----------
    k : int, default 8
        Number of topics (K).
    random_state : int, numpy Generator or None, default None
        Seed of every random draw (initial lambda, gamma initialisation in inference).
    passes : int, default 10
        Passes over the corpus.
    iterations : int, default 100
        Maximum E-step iterations per document.
    alpha : {"symmetric", "asymmetric", "auto"} or float, default "symmetric"
        Dirichlet prior on document-topic proportions (alpha).
    eta : float or None, default None
        Symmetric Dirichlet prior on topic-word distributions (in the literature eta or
        beta); None means 1/k (gensim's default).
    seed_terms : mapping of str to list of str, or None
        Named themes and their seed terms (vocabulary forms). Theme i is placed on topic i:
        ``eta[i, w] += seed_strength * n_w`` for each of its seed terms w, where n_w is the
        count of w in the training corpus. Topics after the themes are unseeded.
    seed_strength : float, default 1.0
        Prior pseudo-counts of a seed term in its theme, as a multiple of the term's corpus
        count (1.0: as many pseudo-counts as observed tokens).
    chunksize : int, default 2000
        Documents per online update (>= n_docs makes each pass one batch update).
    decay, offset : float
        Online learning-rate parameters (kappa, tau_0).
    stream_chunk : int or None, default None
        Streamed mode: gensim reads the corpus as a stream and updates online every
        ``stream_chunk`` documents (replaces ``chunksize``); None fits on an in-memory list.

    Attributes
    ----------
    topic_word_ : ndarray of shape (k, n_terms)
        Topic-word probabilities (normalised lambda).
    doc_topic_ : ndarray of shape (n_docs, k)
        Expected topic proportions E[theta_d] = gamma_d / sum(gamma_d).
    gamma_ : ndarray of shape (n_docs, k)
        Variational Dirichlet parameters of theta_d on the training corpus.
    eta_ : ndarray of shape (k, n_terms)
        The topic-word prior used (with seed pseudo-counts).
    model_ : gensim.models.LdaModel
    """

    engine = "lda"
    _parameter_constraints = {
        **TopicModel._parameter_constraints,
        "passes": [POSITIVE_INT],
        "iterations": [POSITIVE_INT],
        "chunksize": [POSITIVE_INT],
        "alpha": [StrOptions({"symmetric", "asymmetric", "auto"}), POSITIVE_REAL],
        "eta": [POSITIVE_REAL, None],
        "decay": [Interval(Real, 0.5, 1.0, closed="both")],
        "offset": [POSITIVE_REAL],
        "stream_chunk": [POSITIVE_INT, None],
    }

    def __init__(
        self,
        k: int = 8,
        *,
        random_state: int | np.random.Generator | None = None,
        passes: int = 10,
        iterations: int = 100,
        alpha: str | float = "symmetric",
        eta: float | None = None,
        seed_terms: SeedTerms | None = None,
        seed_strength: float = 1.0,
        chunksize: int = 2000,
        decay: float = 0.5,
        offset: float = 1.0,
        stream_chunk: int | None = None,
    ):
        super().__init__(
            k, random_state=random_state, seed_terms=seed_terms, seed_strength=seed_strength
        )
        self.passes = passes
        self.iterations = iterations
        self.alpha = alpha
        self.eta = eta
        self.chunksize = chunksize
        self.decay = decay
        self.offset = offset
        self.stream_chunk = stream_chunk

    def _chunk(self) -> int:
        """Documents per online update (and per inference call)."""
        return int(self.stream_chunk if self.stream_chunk is not None else self.chunksize)

    def fit(self, corpus: TopicCorpus) -> LDATopicModel:
        """Fit LDA on ``corpus`` (not modified). Returns self."""
        self._prepare(corpus)
        seed = resolve_random_state(self.random_state)
        labels, cols = self._seed_rows(corpus)
        k, v = int(self.k), corpus.n_terms
        base = 1.0 / k if self.eta is None else float(self.eta)
        eta = np.full((k, v), base, dtype=np.float64)
        counts = np.asarray(corpus.dtm.sum(axis=0)).ravel().astype(np.float64)
        for t, c in enumerate(cols):
            if c:
                eta[t, c] += float(self.seed_strength) * np.maximum(counts[c], 1.0)
        bow = _csr_to_bow(corpus.dtm) if self.stream_chunk is None else _BowStream(corpus.dtm)
        self.model_ = LdaModel(
            corpus=bow,
            num_topics=k,
            id2word={i: w for i, w in enumerate(corpus.vocabulary)},
            passes=int(self.passes),
            iterations=int(self.iterations),
            alpha=self.alpha,
            eta=eta,
            random_state=seed,
            chunksize=self._chunk(),
            decay=float(self.decay),
            offset=float(self.offset),
            update_every=1,
            eval_every=None,
            minimum_probability=0.0,
            dtype=np.float64,
        )
        self.eta_ = eta
        self.topic_word_ = normalise_rows(self.model_.get_topics())
        self._finish_fit(corpus, seed, labels)
        self.gamma_ = self._gamma(corpus)
        return self

    def _gamma(self, corpus: TopicCorpus) -> np.ndarray:
        dtm = self._aligned(corpus).tocsr()
        # gensim initialises gamma from the model's RandomState: reset it so that transform
        # is a pure function of (model, corpus, random_seed_). Its draws are sequential, so the
        # chunking does not change them; each chunk is converted to bags of words on its own.
        self.model_.random_state = np.random.RandomState(self.random_seed_)
        gammas = []
        step = max(1, self._chunk())
        for lo in range(0, dtm.shape[0], step):
            bow = _csr_to_bow(dtm[lo : lo + step])
            g, _ = self.model_.inference(bow, collect_sstats=False)
            gammas.append(np.asarray(g, dtype=np.float64))
        if not gammas:
            return np.zeros((0, int(self.k)))
        return np.vstack(gammas)

    def transform(self, corpus: TopicCorpus) -> np.ndarray:
        """Expected topic proportions of each document of ``corpus``, shape (n_docs, k).

        Terms outside the training vocabulary are ignored."""
        self._check_fitted()
        return normalise_rows(self._gamma(corpus))

    @property
    def doc_topic_concentration_(self) -> np.ndarray | None:
        return getattr(self, "gamma_", None)
