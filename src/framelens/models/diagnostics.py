"""Topic-model diagnostics: coherence, exclusivity, and matching topics across refits.

- ``coherence_per_topic``: gensim ``CoherenceModel`` c_v (Röder et al. 2015: boolean sliding
  window of 110 tokens, NPMI, indirect cosine) and c_npmi (window of 10, mean NPMI of word
  pairs) over the tokenised training documents, for each topic's top ``topn`` terms.
- ``exclusivity``: FREX-style (Bischof and Airoldi 2012; stm's ``exclusivity()``).
- ``match_topics`` / ``stability``: Hungarian matching (scipy ``linear_sum_assignment``) of
  topic-word vectors by cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment


def coherence_per_topic(
    topics: Sequence[Sequence[str]],
    texts: Sequence[Sequence[str]],
    measure: str = "c_v",
) -> np.ndarray:
    """Coherence of each topic (list of top terms) over ``texts`` (gensim CoherenceModel).

    All topics are scored with one accumulator over the union of their terms, which gives the
    same per-topic values as scoring each model separately (a topic's score depends only on its
    own terms and the reference texts) at the cost of one pass over the texts.

    Parameters
    ----------
    topics : sequence of sequence of str
        Top terms of each topic (all must occur in ``texts``).
    texts : sequence of sequence of str
        Tokenised reference documents (``TopicCorpus.texts``).
    measure : {"c_v", "c_npmi"}

    Returns
    -------
    ndarray of shape (n_topics,)
    """
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    if not topics:
        return np.zeros(0)
    dictionary = Dictionary(texts)
    topn = max(len(t) for t in topics)
    cm = CoherenceModel(
        topics=[list(t) for t in topics],
        texts=[list(t) for t in texts],
        dictionary=dictionary,
        coherence=measure,
        topn=topn,
        processes=1,
    )
    values = np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
    return np.where(np.isfinite(values), values, np.nan)


def _ecdf_rank(x: np.ndarray) -> np.ndarray:
    """Empirical CDF value of each element within its row (ties share the higher value)."""
    out = np.empty_like(x, dtype=np.float64)
    n = x.shape[1]
    for i in range(x.shape[0]):
        s = np.sort(x[i])
        out[i] = np.searchsorted(s, x[i], side="right") / n
    return out


def frex(topic_word: np.ndarray, weight: float = 0.7) -> np.ndarray:
    """FREX score of every (topic, term): weighted harmonic mean of the within-topic ECDF ranks
    of exclusivity (beta_kv / sum_j beta_jv) and frequency (beta_kv).

    Returns an array of shape (k, n_terms) in [0, 1]. ``weight`` is the weight on exclusivity
    (stm's default 0.7).
    """
    beta = np.asarray(topic_word, dtype=np.float64)
    col = beta.sum(axis=0, keepdims=True)
    excl = np.divide(beta, col, out=np.zeros_like(beta), where=col > 0)
    e = _ecdf_rank(excl)
    f = _ecdf_rank(beta)
    return 1.0 / (weight / e + (1.0 - weight) / f)


def exclusivity(topic_word: np.ndarray, n: int = 10, weight: float = 0.7) -> np.ndarray:
    """Exclusivity of each topic: mean FREX of its ``n`` highest-probability terms.

    stm sums FREX over the top M terms; we report the mean, so the value stays in [0, 1] and is
    comparable across ``n``. Returns shape (k,).
    """
    beta = np.asarray(topic_word, dtype=np.float64)
    scores = frex(beta, weight)
    n = min(n, beta.shape[1])
    top = np.argsort(-beta, axis=1, kind="stable")[:, :n]
    return np.take_along_axis(scores, top, axis=1).mean(axis=1)


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity between rows of ``a`` (k1, V) and rows of ``b`` (k2, V)."""
    na = np.linalg.norm(a, axis=1, keepdims=True)
    nb = np.linalg.norm(b, axis=1, keepdims=True)
    a = np.divide(a, na, out=np.zeros_like(a, dtype=np.float64), where=na > 0)
    b = np.divide(b, nb, out=np.zeros_like(b, dtype=np.float64), where=nb > 0)
    return a @ b.T


def match_topics(
    reference: np.ndarray, other: np.ndarray, fixed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Permutation of ``other``'s topics that best matches ``reference`` (Hungarian, cosine).

    The first ``fixed`` topics (seeded themes, anchored by their priors) keep their index; the
    others are matched among themselves. Returns ``(perm, similarity)`` where ``other[perm]`` is
    aligned to ``reference`` and ``similarity[i]`` is the cosine of matched pair i.
    """
    k = reference.shape[0]
    sim = cosine_matrix(reference, other)
    perm = np.arange(k)
    if fixed < k:
        sub = sim[fixed:, fixed:]
        rows, cols = linear_sum_assignment(-sub)
        perm[fixed + rows] = fixed + cols
    return perm, sim[np.arange(k), perm]


def stability(topic_words: Sequence[np.ndarray], fixed: int = 0) -> np.ndarray:
    """Stability of each refit: mean over the other refits of the mean matched cosine.

    ``topic_words``: the topic-word matrices (k, V) of refits with different seeds. Returns shape
    (n_refits,); NaN when there is a single refit.
    """
    r = len(topic_words)
    out = np.full(r, np.nan)
    if r < 2:
        return out
    pair = np.zeros((r, r))
    for i in range(r):
        for j in range(i + 1, r):
            _, s = match_topics(topic_words[i], topic_words[j], fixed=fixed)
            pair[i, j] = pair[j, i] = float(s.mean())
    for i in range(r):
        out[i] = pair[i, [j for j in range(r) if j != i]].mean()
    return out
