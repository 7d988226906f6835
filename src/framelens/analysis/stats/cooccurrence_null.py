"""The null model of co-occurrence: how often would the two frames share a sentence by chance?

A document's co-occurrence share ``hum_in_sec_share`` (humanitarian hits in sentences that also
carry a security hit) depends on how many hits of each frame the document has: with H = 10
humanitarian and S = 30 security hits falling at random among 100 sentences, about 26% of the
humanitarian hits share a sentence with a security hit and only about 10% of the security hits
share one with a humanitarian hit, with no framing at all. The share has to be read against
what chance gives.

Null model (permutation of frame labels within the document). Keep every sentence's number of
frame hits c_j = h_j + s_j (its *capacity*: where frame language is, and how dense it is) and
the document's totals H and S, and assign the H humanitarian and S security labels at random
to the C = H + S hit slots. The number of humanitarian hits of sentence j is then
hypergeometric (C, H, c_j), and the exact expectation of the observed count
O = sum_j h_j [s_j > 0] is

    E = sum_j c_j * (H / C - P(h_j = c_j)),   P(h_j = c_j) = C(H, c_j) / C(C, c_j),

the mean of the permutation distribution (no Monte Carlo); the security side is the same with
H and S swapped. A sentence with one hit can never co-occur (its term is zero), so E is the
co-occurrence that the document's hit counts and their placement in sentences imply, and
O / E > 1 means the two frames share sentences more often than their labels would by chance.

Why condition on capacities rather than scatter hits uniformly over sentences: frame terms
cluster in long, dense sentences (lists of measures, preambles). Under uniform scattering that
clustering alone would give O / E > 1; conditioning on it asks only whether humanitarian and
security language are associated *given* where frame language is. ``docs/statistics.md``, §7.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from framelens.analysis.stats.tidy import check_columns

#: The two directions of co-occurrence: (prefix, frame of the share, the other frame).
DIRECTIONS: tuple[tuple[str, str, str], ...] = (
    ("hum_in_sec", "humanitarian", "security"),
    ("sec_in_hum", "security", "humanitarian"),
)
#: Columns of the per-document table of ``document_cooccurrence``.
DOCUMENT_COLUMNS = [
    "doc_id", "hum_hits", "sec_hits",
    "hum_in_sec_observed", "hum_in_sec_expected", "sec_in_hum_observed", "sec_in_hum_expected",
]  # fmt: skip
NULL_MODEL = "permutation of frame labels among each document's hits (sentence capacities fixed)"


def all_labels_probability(k: np.ndarray, total: np.ndarray, c: np.ndarray) -> np.ndarray:
    """P(all ``c`` hits of a sentence carry one frame) = C(k, c) / C(total, c), elementwise.

    ``k`` hits of that frame among ``total`` hits; zero when ``c > k``; one when ``c == 0``.

    >>> all_labels_probability(np.array([10]), np.array([40]), np.array([2])).round(4).tolist()
    [0.0577]
    """
    k, total, c = (np.asarray(x, dtype=float) for x in (k, total, c))
    ok = (c <= k) & (total > 0)
    kk, cc, tt = np.where(ok, k, 0.0), np.where(ok, c, 0.0), np.where(ok, total, 1.0)
    log_p = gammaln(kk + 1) - gammaln(kk - cc + 1) - gammaln(tt + 1) + gammaln(tt - cc + 1)
    return np.where(ok, np.exp(log_p), 0.0)


def expected_within(h: np.ndarray, s: np.ndarray, H: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Per sentence, the permutation expectation of h_j [s_j > 0] (see the module docstring).

    ``h``, ``s``: the sentence's hits of the two frames; ``H``, ``S``: its document's totals.
    """
    c = np.asarray(h, dtype=float) + np.asarray(s, dtype=float)
    C = np.asarray(H, dtype=float) + np.asarray(S, dtype=float)
    H = np.asarray(H, dtype=float)
    share = np.where(C > 0, H / np.maximum(C, 1), 0.0)
    e = c * (share - all_labels_probability(H, C, c))
    # exact zeros where no mixed sentence is possible (rounding of exp(log) otherwise)
    possible = (c >= 2) & (H > 0) & (C - H > 0)
    return np.where(possible, np.maximum(e, 0.0), 0.0)


def document_cooccurrence(sentence_frames: pd.DataFrame) -> pd.DataFrame:
    """Observed and expected co-occurrence counts per document, from per-sentence hits.

    Parameters
    ----------
    sentence_frames : DataFrame
        The ``sentence_frames`` table of the framing stage: doc_id, hits_humanitarian,
        hits_security (counted hits per sentence).

    Returns
    -------
    DataFrame
        One row per document (sorted by doc_id), columns ``DOCUMENT_COLUMNS``: hum_hits and
        sec_hits (H, S), ``hum_in_sec_observed`` (humanitarian hits in sentences with a security
        hit), ``hum_in_sec_expected`` (its exact expectation under the null model), and the same
        for ``sec_in_hum``. ``observed / hum_hits`` is the ``hum_in_sec_share`` of the
        ``cooccurrence`` table.

    Examples
    --------
    >>> sf = pd.DataFrame({"doc_id": ["d"] * 3, "hits_humanitarian": [1, 1, 0],
    ...                    "hits_security": [1, 0, 2]})
    >>> d = document_cooccurrence(sf)
    >>> d[["hum_in_sec_observed", "hum_in_sec_expected"]].round(3).values.tolist()
    [[1.0, 1.2]]
    """
    check_columns(sentence_frames, ["doc_id", "hits_humanitarian", "hits_security"],
                  "document_cooccurrence")  # fmt: skip
    doc = sentence_frames["doc_id"].astype(str).to_numpy()
    h = pd.to_numeric(sentence_frames["hits_humanitarian"]).to_numpy(dtype=float)
    s = pd.to_numeric(sentence_frames["hits_security"]).to_numpy(dtype=float)
    codes, doc_ids = pd.factorize(doc, sort=True)
    n = len(doc_ids)
    H = np.bincount(codes, weights=h, minlength=n)
    S = np.bincount(codes, weights=s, minlength=n)
    Hs, Ss = H[codes], S[codes]
    per_sentence = {
        "hum_in_sec_observed": np.where(s > 0, h, 0.0),
        "hum_in_sec_expected": expected_within(h, s, Hs, Ss),
        "sec_in_hum_observed": np.where(h > 0, s, 0.0),
        "sec_in_hum_expected": expected_within(s, h, Ss, Hs),
    }
    out = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object).astype(str)})
    out["hum_hits"] = H.astype(np.int64)
    out["sec_hits"] = S.astype(np.int64)
    for col, values in per_sentence.items():
        out[col] = np.bincount(codes, weights=values, minlength=n)
    return out[DOCUMENT_COLUMNS]


def uniform_expectation(k_other: int, n_sentences: int) -> float:
    """Share of one frame's hits in sentences with a hit of the other frame when the other
    frame's ``k_other`` hits fall independently and uniformly among ``n_sentences`` sentences:
    ``1 - (1 - 1/n)^k``. The issue's example: H = 10, S = 30, 100 sentences gives 0.26 for
    humanitarian-in-security and 0.096 for the reverse.

    >>> round(uniform_expectation(30, 100), 3), round(uniform_expectation(10, 100), 3)
    (0.26, 0.096)
    """
    return 1.0 - (1.0 - 1.0 / n_sentences) ** k_other
