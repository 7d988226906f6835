"""Non-negative matrix factorisation of the tf-idf matrix with scikit-learn.

X (n_docs x n_terms, tf-idf, rows L2-normalised) ~ W H, W >= 0 (document loadings), H >= 0
(topic loadings on terms). Fitted with coordinate descent (``solver="cd"``), Frobenius loss.
Deterministic for a fixed ``random_state``: the default NNDSVDa initialisation is an SVD and
the seeded initialisation below draws from ``numpy.random.default_rng(random_state)``.

Seeded mode (the NMF counterpart of LDA's seeded eta) is guided NMF (Vendrow, Haddock, Rebrova
and Needell 2021): the tf-idf matrix is stacked with one pseudo-document per seeded theme, the
L2-normalised indicator of its seed terms, weighted by omega = sqrt(seed_strength * n_docs / k),
and the stacked matrix is factorised with a shared H:

    || [X; omega Y] - [W; B] H ||^2  =  ||X - W H||^2 + omega^2 ||Y - B H||^2.

omega^2 = seed_strength * n_docs / k makes each theme's pseudo-document weigh as much as an
average topic's share of the documents when ``seed_strength`` is 1. H is initialised by us
(``init="custom"``) so that theme i starts on topic i: seeded rows start at 1% of the random
scale with their seed terms at ``(1 + seed_strength)`` times the largest initial entry; unseeded
rows start as scikit-learn's "random" init (sqrt(mean(X)/k) * |N(0, 1)|, drawn from
``numpy.random.default_rng(random_state)``); W starts at the non-negative least-squares fit
given that H. The pseudo-documents' loadings B are discarded; ``doc_topic_`` and
``transform`` use the real documents only. Unlike LDA's prior, nothing pins a theme to its
seeds: ``fit_topics`` reports the seed terms' ranks so a drifting theme is visible
(docs/topics.md, Seeded priors).

Streamed mode (``stream_chunk`` set; ``fit_topics`` sets it above ``topics.stream_above``
documents): scikit-learn's ``MiniBatchNMF`` (online multiplicative updates of H from
mini-batches of ``stream_chunk`` rows, Frobenius loss) on the same sparse tf-idf matrix, with the
same initialisation (NNDSVDa from ``random_state``, or the seeded custom init above) and the
same pseudo-documents in seeded mode. It is a different optimiser: its topics are close to, not
equal to, the batch fit's. Deterministic for a fixed ``random_state`` (batches are taken in row
order).
"""

from __future__ import annotations

import warnings
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import NMF, MiniBatchNMF, non_negative_factorization
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils._param_validation import Interval, StrOptions

from framelens.core.seeding import resolve_random_state
from framelens.models.base import (
    NON_NEGATIVE_REAL,
    POSITIVE_INT,
    POSITIVE_REAL,
    SeedTerms,
    TopicModel,
    normalise_rows,
)
from framelens.models.topic_corpus import TopicCorpus


class NMFTopicModel(TopicModel):
    """NMF topic model on tf-idf (scikit-learn ``NMF``).

    Parameters
    ----------
    k : int, default 8
        Number of topics (n_components).
    random_state : int, numpy Generator or None, default None
        Seed of the initialisation.
    max_iter : int, default 400
        Maximum coordinate-descent iterations.
    tol : float, default 1e-4
        Stopping tolerance.
    init : {"nndsvda", "nndsvd", "nndsvdar", "random"}, default "nndsvda"
        Initialisation of unseeded models (seeded models use the custom init above).
    alpha_W, alpha_H, l1_ratio : float
        Regularisation, as in scikit-learn (default none).
    sublinear_tf : bool, default True
        tf-idf uses 1 + log(tf): long laws do not drown short statements.
    seed_terms : mapping of str to list of str, or None
        Named themes and their seed terms; theme i initialises topic i.
    seed_strength : float, default 1.0
        Seed terms start at (1 + seed_strength) x the largest initial entry of H.
    stream_chunk : int or None, default None
        Streamed mode: ``MiniBatchNMF`` with ``batch_size = stream_chunk`` (``max_iter`` then
        counts passes over the data); None fits scikit-learn's batch ``NMF``.

    Attributes
    ----------
    topic_word_ : ndarray of shape (k, n_terms)
        Rows of H normalised to sum to 1.
    doc_topic_ : ndarray of shape (n_docs, k)
        Rows of W (from ``transform``) normalised to sum to 1; a document with W = 0 gets
        uniform weights.
    components_ : ndarray of shape (k, n_terms)
        H, unnormalised.
    tfidf_ : sklearn TfidfTransformer
    model_ : sklearn NMF, or MiniBatchNMF in streamed mode
    """

    engine = "nmf"
    _parameter_constraints = {
        **TopicModel._parameter_constraints,
        "max_iter": [POSITIVE_INT],
        "tol": [POSITIVE_REAL],
        "init": [StrOptions({"nndsvda", "nndsvd", "nndsvdar", "random"})],
        "alpha_W": [NON_NEGATIVE_REAL],
        "alpha_H": [NON_NEGATIVE_REAL, StrOptions({"same"})],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "sublinear_tf": ["boolean"],
        "stream_chunk": [POSITIVE_INT, None],
    }

    def __init__(
        self,
        k: int = 8,
        *,
        random_state: int | np.random.Generator | None = None,
        max_iter: int = 400,
        tol: float = 1e-4,
        init: str = "nndsvda",
        alpha_W: float = 0.0,  # noqa: N803 - scikit-learn's name
        alpha_H: float | str = "same",  # noqa: N803
        l1_ratio: float = 0.0,
        sublinear_tf: bool = True,
        seed_terms: SeedTerms | None = None,
        seed_strength: float = 1.0,
        stream_chunk: int | None = None,
    ):
        super().__init__(
            k, random_state=random_state, seed_terms=seed_terms, seed_strength=seed_strength
        )
        self.stream_chunk = stream_chunk
        self.max_iter = max_iter
        self.tol = tol
        self.init = init
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.sublinear_tf = sublinear_tf

    def _nmf(self, seed: int, init: str) -> NMF | MiniBatchNMF:
        common = dict(
            n_components=int(self.k),
            init=init,
            beta_loss="frobenius",
            tol=float(self.tol),
            max_iter=int(self.max_iter),
            random_state=seed,
            alpha_W=float(self.alpha_W),
            alpha_H=self.alpha_H,
            l1_ratio=float(self.l1_ratio),
        )
        if self.stream_chunk is not None:  # streamed: mini-batches of stream_chunk documents
            return MiniBatchNMF(batch_size=int(self.stream_chunk), **common)
        return NMF(solver="cd", **common)

    def fit(self, corpus: TopicCorpus) -> NMFTopicModel:
        """Fit NMF on the tf-idf of ``corpus`` (not modified). Returns self."""
        self._prepare(corpus)
        seed = resolve_random_state(self.random_state)
        labels, cols = self._seed_rows(corpus)
        self.tfidf_ = TfidfTransformer(norm="l2", smooth_idf=True, sublinear_tf=self.sublinear_tf)
        x = self.tfidf_.fit_transform(corpus.dtm.astype(np.float64)).tocsr()
        k = int(self.k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if any(cols):
                x_fit = self._guided(x, cols)
                h0 = self._seeded_init(x_fit, cols, seed)
                w0, _, _ = non_negative_factorization(
                    x_fit,
                    H=h0,
                    n_components=k,
                    init="custom",
                    update_H=False,
                    solver="cd",
                    max_iter=int(self.max_iter),
                    tol=float(self.tol),
                    random_state=seed,
                )
                self.model_ = self._nmf(seed, "custom")
                self.model_.fit(x_fit, W=np.ascontiguousarray(w0), H=h0)
            else:
                self.model_ = self._nmf(seed, self.init)
                self.model_.fit(x)
        self.components_ = np.asarray(self.model_.components_, dtype=np.float64)
        self.topic_word_ = normalise_rows(self.components_)
        self._finish_fit(corpus, seed, labels)
        return self

    def _guided(self, x, cols: list[list[int]]):
        """X stacked with one weighted pseudo-document per seeded theme (guided NMF)."""
        rows, indices, data = [], [], []
        for c in cols:
            if c:
                rows.append(len(rows))
                indices.extend(c)
                data.extend([1.0 / np.sqrt(len(c))] * len(c))
        indptr = [0]
        for c in cols:
            if c:
                indptr.append(indptr[-1] + len(c))
        y = sp.csr_matrix((data, indices, indptr), shape=(len(rows), x.shape[1]))
        omega = np.sqrt(float(self.seed_strength) * x.shape[0] / int(self.k))
        return sp.vstack([x, omega * y]).tocsr()

    def _seeded_init(self, x, cols: list[list[int]], seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        k, v = int(self.k), x.shape[1]
        scale = np.sqrt(x.mean() / k)
        h0 = scale * np.abs(rng.standard_normal((k, v)))
        top = float(h0.max())
        for t, c in enumerate(cols):
            if c:
                h0[t] *= 0.01
                h0[t, c] = (1.0 + float(self.seed_strength)) * top
        return np.ascontiguousarray(h0, dtype=np.float64)

    def transform(self, corpus: TopicCorpus) -> np.ndarray:
        """Normalised document loadings W of ``corpus`` given the fitted H, shape (n_docs, k).

        Terms outside the training vocabulary are ignored."""
        dtm = self._aligned(corpus)
        x = self.tfidf_.transform(dtm.astype(np.float64))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            w = self.model_.transform(x)
        return normalise_rows(w)
