"""Topic prevalence per group with intervals that carry sampling and model uncertainty.

Method of composition (Tanner 1996; the idea behind stm's ``estimateEffect``), for each group g
(country x administration x language) with documents D_g (n_g of them) and R refits of the model
(different seeds, topics aligned to the reference refit), for b = 1..B:

1. take refit m_b, drawn uniformly from the R refits (model uncertainty across seeds); the
   sequence m_1..m_B is drawn once per language and shared by every group of that language,
   so replicate b of every group comes from the same refit;
2. resample n_g documents of D_g with replacement (sampling uncertainty over documents);
3. draw each resampled document's topic proportions from the refit's posterior: LDA's
   variational posterior theta_d ~ Dirichlet(gamma_d); NMF has no posterior, so its point
   proportions are used (its model uncertainty is the refit draw alone);
4. the replicate is the mean of those proportions, a vector over topics.

The reported ``mean`` is the expectation of this replicate distribution, computed exactly: the
average over refits of the group's mean expected proportions, (1/R) sum_r (1/n_g) sum_d
E[theta_d^(r)] (equal to the group mean of the ``doc_topics`` table). ``ci_low``/``ci_high``
are the (1-ci)/2 and (1+ci)/2 percentiles of the B replicates. The resamples and the
percentile interval are those of ``framelens.core.resampling`` (``bootstrap_sample``,
``percentile_interval``), shared with every other bootstrap of framelens. Each group draws
its documents and posterior draws from its own generator, seeded from (run seed, country,
administration, language), and the refit sequence from one seeded by (run seed, language), so
adding a group never changes another group's interval.

Contrasts. Because replicate b of two groups comes from one refit, the difference of their
replicates is a draw of the difference within one fitted model: the composition analogue of
stm's ``estimateEffect``, which computes a contrast within each simulated set of topic
proportions. Topics are aligned across refits, but a topic's level still moves between refits;
pairing keeps that movement, common to both groups, out of the difference's interval (drawing
refits independently per group would add it twice). ``framelens.analysis.stats.
topic_contrasts`` turns the draws into differences and shares of grouped topics.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelens.core.domain import UNKNOWN, group_sort_key
from framelens.core.resampling import bootstrap_sample, percentile_interval
from framelens.core.seeding import derive_seed
from framelens.core.seeding import rng as seeded_rng
from framelens.schemas import columns_of

PREVALENCE_COLUMNS = columns_of("topic_prevalence")

GroupKey = tuple[str, str, str]


def estimate_prevalence(
    doc_topic: np.ndarray,
    metadata: pd.DataFrame,
    labels: Sequence[str],
    *,
    concentration: np.ndarray | None = None,
    n_boot: int = 500,
    ci: float = 0.95,
    min_n: int = 5,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[GroupKey, np.ndarray]]:
    """Mean topic share per (country, administration, language) with composition intervals.

    Parameters
    ----------
    doc_topic : ndarray of shape (R, n_docs, k) or (n_docs, k)
        Expected topic proportions from R aligned refits (rows sum to 1).
    metadata : DataFrame
        n_docs rows in ``doc_topic`` order with columns country, administration, language.
    labels : sequence of str
        Label of each of the k topics.
    concentration : ndarray of shape (R, n_docs, k), optional
        Dirichlet parameters of each document's proportions (LDA's gamma), aligned like
        ``doc_topic``; None: no within-model posterior draw (NMF).
    n_boot : int, default 500
        Replicates B.
    ci : float, default 0.95
        Interval level.
    min_n : int, default 5
        Groups with fewer documents get ``small_n`` True (reported, not hidden).
    seed : int
        Run seed; each group's generator is derived from it.

    Returns
    -------
    table : DataFrame
        Columns ``PREVALENCE_COLUMNS``; ``comparable`` is False for administration "unknown"
        (reported, excluded from comparisons). Sorted in group order
        (``framelens.core.domain.group_sort_key``: US before MX, administrations
        chronologically, unknown last), then language, topic.
    draws : dict
        (country, administration, language) -> ndarray (B, k) of replicates, for differences
        between groups; replicate b of every group of one language comes from the same refit.
    """
    theta, conc = _per_refit(doc_topic, concentration)
    if len(metadata) != theta.shape[1]:
        raise ValueError(
            f"metadata has {len(metadata)} rows, doc_topic has {theta.shape[1]} documents"
        )
    groups = _groups(metadata)
    rows: list[tuple] = []
    draws: dict[GroupKey, np.ndarray] = {}
    refits: dict[str, np.ndarray] = {}
    for key in sorted(groups, key=lambda g: (*group_sort_key(g[0], g[1]), g[2])):
        idx = np.asarray(groups[key])
        language = key[2]
        if language not in refits:
            refits[language] = refit_sequence(theta.shape[0], n_boot, seed, language)
        group_rng = np.random.default_rng(derive_seed(seed, "prevalence", *key))
        reps = composition_replicates(theta, conc, idx, n_boot, group_rng, refits[language])
        draws[key] = reps
        mean = theta[:, idx, :].mean(axis=(0, 1))
        low, high = percentile_interval(reps, ci, axis=0)
        rows.extend(_group_rows(key, labels, mean, low, high, len(idx), min_n))
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS), draws


def _per_refit(
    doc_topic: np.ndarray, concentration: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """``doc_topic`` and ``concentration`` as float arrays of shape (R, n_docs, k)."""
    theta = np.asarray(doc_topic, dtype=np.float64)
    if theta.ndim == 2:
        theta = theta[None]
    conc = None if concentration is None else np.asarray(concentration, dtype=np.float64)
    if conc is not None and conc.ndim == 2:
        conc = conc[None]
    return theta, conc


def _groups(metadata: pd.DataFrame) -> dict[GroupKey, list[int]]:
    """(country, administration, language) -> positions of its documents in ``metadata``."""
    meta = metadata.reset_index(drop=True)
    keys = zip(
        meta["country"].astype(str),
        meta["administration"].astype(str),
        meta["language"].astype(str),
        strict=True,
    )
    groups: dict[GroupKey, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return groups


def refit_sequence(n_refits: int, n_boot: int, seed: int, language: str) -> np.ndarray:
    """The refit of each of the ``n_boot`` replicates (uniform over ``n_refits``), drawn from
    ``core.seeding.rng(seed, "prevalence-refits", language)``: one sequence per language,
    shared by its groups so that their replicates pair up by refit."""
    return seeded_rng(seed, "prevalence-refits", language).integers(n_refits, size=n_boot)


def composition_replicates(
    theta: np.ndarray,
    concentration: np.ndarray | None,
    idx: np.ndarray,
    n_boot: int,
    rng: np.random.Generator,
    refits: np.ndarray | None = None,
) -> np.ndarray:
    """B method-of-composition replicates of the mean topic shares of documents ``idx``.

    Steps 1-4 of the module docstring: per replicate a refit (``refits[b]``; drawn from
    ``rng`` when ``refits`` is None), a resample of the documents with replacement, and (with
    ``concentration``) a Dirichlet draw of each resampled document's proportions. ``theta``
    and ``concentration`` have shape (R, n_docs, k); returns (B, k).
    """
    r_models, n_g, k = theta.shape[0], len(idx), theta.shape[2]
    reps = np.empty((n_boot, k))
    for b in range(n_boot):
        m = int(rng.integers(r_models)) if refits is None else int(refits[b])
        pick = idx[bootstrap_sample(n_g, rng)]
        if concentration is not None:
            g = rng.gamma(np.maximum(concentration[m, pick], 1e-12))
            s = g.sum(axis=1, keepdims=True)
            props = np.divide(g, s, out=theta[m, pick].copy(), where=s > 0)
        else:
            props = theta[m, pick]
        reps[b] = props.mean(axis=0)
    return reps


def _group_rows(
    key: GroupKey,
    labels: Sequence[str],
    mean: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    n_g: int,
    min_n: int,
) -> list[tuple]:
    """The table rows of one group, one per topic (``PREVALENCE_COLUMNS`` order)."""
    country, administration, language = key
    return [
        (
            country,
            administration,
            language,
            t,
            str(labels[t]),
            float(mean[t]),
            float(low[t]),
            float(high[t]),
            n_g,
            n_g < min_n,
            administration != UNKNOWN,
        )
        for t in range(len(mean))
    ]
