"""The estimates of one group: naive and corrected shares per subset and frame, with replicates.

Numpy only: ``frame_prevalence`` calls it once per group with the run's tables turned into
arrays, and the coverage simulation (``frame_prevalence_simulation``) calls it on synthetic
data, so the two share every line of the estimator. Formulas: ``frame_prevalence_resampling``
and ``docs/measurement.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from framelens.analysis.stats.frame_prevalence_resampling import CodedReplicates, ratio_draws


@dataclass
class GroupEstimates:
    """Estimates of one group, arrays indexed [subset, frame] (replicates: [b, subset, frame]).

    Attributes
    ----------
    n_sentences, n_documents : ndarray of int, shape (S,)
        Sentences and documents of the group in each subset.
    naive : ndarray, shape (S, F)
        Share of sentences flagged by the instrument (mean prediction).
    naive_draws : ndarray, shape (B, S, F)
        Document-resampled replicates of ``naive`` (the corpus part).
    n_coded : ndarray of int, shape (S,)
        Coded units of the group in each subset.
    n_coded_positive : ndarray of int, shape (S, F)
        Of those, units the coders flag.
    coded_strata : ndarray of int, shape (S,)
        Strata the subset's coded units come from.
    coded_share, coded_naive : ndarray, shape (S, F)
        Design-weighted (Hajek) share of the coded units flagged by the coders, by the
        instrument; NaN without coded units.
    residual_draws : ndarray, shape (B, S, F)
        Replicates of coded_share - coded_naive (the coded-sample part).
    agree : ndarray of bool, shape (S, F)
        Coders and instrument agree on every coded unit (all residuals 0).
    """

    n_sentences: np.ndarray
    n_documents: np.ndarray
    naive: np.ndarray
    naive_draws: np.ndarray
    n_coded: np.ndarray
    n_coded_positive: np.ndarray
    coded_strata: np.ndarray
    coded_share: np.ndarray
    coded_naive: np.ndarray
    residual_draws: np.ndarray
    agree: np.ndarray

    @property
    def corrected(self) -> np.ndarray:
        """naive + coded_share - coded_naive, shape (S, F)."""
        return self.naive + self.coded_share - self.coded_naive

    @property
    def corrected_draws(self) -> np.ndarray:
        """Replicates of the corrected share: corpus part + coded-sample part, (B, S, F)."""
        return self.naive_draws + self.residual_draws


def corpus_part(
    doc_index: np.ndarray, predictions: np.ndarray, subsets: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Naive shares and their document-resampled replicates.

    Parameters
    ----------
    doc_index : array of int, shape (N,)
        Document 0..K-1 of each sentence of the group.
    predictions : array of float, shape (N, F)
        Instrument prediction per sentence and frame (0/1, or a probability).
    subsets : array of bool, shape (N, S)
        Subset membership ("all" is a column of True).
    counts : array of int, shape (B, K)
        Document resampling counts (``document_counts``).

    Returns
    -------
    n_sentences (S,), n_documents (S,), naive (S, F), naive_draws (B, S, F)
    """
    n_docs = counts.shape[1]
    sub = subsets.astype(float)
    n_sub, n_frames = sub.shape[1], predictions.shape[1]
    denom = np.zeros((n_docs, n_sub))
    numer = np.zeros((n_docs, n_sub, n_frames))
    for s in range(n_sub):
        denom[:, s] = np.bincount(doc_index, weights=sub[:, s], minlength=n_docs)
        for f in range(n_frames):
            numer[:, s, f] = np.bincount(
                doc_index, weights=sub[:, s] * predictions[:, f], minlength=n_docs
            )
    total = denom.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        naive = np.where(
            total[:, None] > 0, numer.sum(axis=0) / np.maximum(total, 1)[:, None], np.nan
        )
    draws = ratio_draws(counts, numer, np.repeat(denom[:, :, None], n_frames, axis=2))
    n_documents = (denom > 0).sum(axis=0)
    return total.astype(np.int64), n_documents.astype(np.int64), naive, draws


def coded_part(
    coded: CodedReplicates,
    in_group: np.ndarray,
    subsets: np.ndarray,
    y: np.ndarray,
    f: np.ndarray,
) -> dict[str, np.ndarray]:
    """The coded-sample quantities of one group (see ``GroupEstimates``).

    ``in_group`` (n,) bool over all coded units; ``subsets`` (n, S) bool; ``y`` and ``f``
    (n, F): the coders' codes and the instrument's predictions of the coded units.
    """
    n_sub, n_frames, n_boot = subsets.shape[1], y.shape[1], coded.n_boot
    out = {
        "n_coded": np.zeros(n_sub, dtype=np.int64),
        "n_coded_positive": np.zeros((n_sub, n_frames), dtype=np.int64),
        "coded_strata": np.zeros(n_sub, dtype=np.int64),
        "coded_share": np.full((n_sub, n_frames), np.nan),
        "coded_naive": np.full((n_sub, n_frames), np.nan),
        "residual_draws": np.full((n_boot, n_sub, n_frames), np.nan),
        "agree": np.zeros((n_sub, n_frames), dtype=bool),
    }
    for s in range(n_sub):
        mask = in_group & subsets[:, s]
        out["n_coded"][s] = int(mask.sum())
        if not mask.any():
            continue
        out["coded_strata"][s] = len(np.unique(coded.stratum[mask]))
        for k in range(n_frames):
            out["n_coded_positive"][s, k] = int(y[mask, k].sum())
            out["coded_share"][s, k] = coded.point(y[:, k], mask)
            out["coded_naive"][s, k] = coded.point(f[:, k], mask)
            out["agree"][s, k] = bool(np.all(y[mask, k] == f[mask, k]))
            out["residual_draws"][:, s, k] = coded.residual_draws(y[:, k], f[:, k], mask)
    return out


def group_estimates(
    doc_index: np.ndarray,
    predictions: np.ndarray,
    subsets: np.ndarray,
    counts: np.ndarray,
    coded: CodedReplicates | None,
    coded_in_group: np.ndarray | None = None,
    coded_subsets: np.ndarray | None = None,
    coded_y: np.ndarray | None = None,
    coded_f: np.ndarray | None = None,
) -> GroupEstimates:
    """Naive and corrected shares of one group, for every subset and frame, with replicates.

    The population arguments are those of ``corpus_part``; the coded ones those of
    ``coded_part`` (``coded=None``: no coded sample, corrected shares are NaN).
    """
    n_sent, n_docs, naive, naive_draws = corpus_part(doc_index, predictions, subsets, counts)
    if coded is None:
        n_units = 0
        coded_in_group = np.zeros(0, dtype=bool)
        coded_subsets = np.zeros((0, subsets.shape[1]), dtype=bool)
        coded_y = coded_f = np.zeros((0, predictions.shape[1]))
        coded = CodedReplicates(
            np.zeros(n_units, dtype=np.int64),
            np.zeros(n_units),
            np.zeros((counts.shape[0], 0)),
            np.zeros((counts.shape[0], 0)),
            np.zeros((counts.shape[0], 0)),
            np.zeros(0, dtype=np.int64),
        )
    part = coded_part(coded, coded_in_group, coded_subsets, coded_y, coded_f)
    return GroupEstimates(n_sent, n_docs, naive, naive_draws, **part)
