"""Precision, recall and F1 of an instrument with intervals that respect how units were drawn.

Two samples, two resampling schemes (``docs/instruments.md``):

- the gold set (enriched, clustered in documents): percentile intervals from a cluster
  bootstrap that resamples *documents* with replacement within each language, so sentences of
  one document stay together (sentences of a document are not independent: a document that
  uses a register the instrument misreads contributes several errors at once);
- the design sample (a stratified probability sample of sentences): design-weighted totals
  (weight ``1 / inclusion_prob``) and a bootstrap that resamples units with replacement within
  each stratum, as they were drawn.

Both are computed from per-unit contributions to the three totals tp, fp, fn (indicators, or
weighted indicators), resampled together, so the frames and instruments of one table share
the same resamples (paired comparisons). Precision is tp / (tp + fp), recall tp / (tp + fn),
F1 2 tp / (2 tp + fp + fn); a ratio with a zero denominator is NaN and left out of the
percentiles.
"""

from __future__ import annotations

import numpy as np

from framelens.analysis.framing.validation import prf

METRICS = ("precision", "recall", "f1")


def confusion_contributions(y, p, weight=None) -> np.ndarray:
    """Per-unit contributions to (tp, fp, fn): array of shape (n_units, 3).

    ``y``: gold codes (0/1), ``p``: predictions (0/1), ``weight``: design weights (default 1).
    """
    y, p = np.asarray(y).astype(int), np.asarray(p).astype(int)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    return np.column_stack(
        [w * (y == 1) * (p == 1), w * (y == 0) * (p == 1), w * (y == 1) * (p == 0)]
    )


def resample_totals(
    values: np.ndarray,
    clusters,
    blocks,
    n_boot: int,
    gen: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Totals of ``values`` and their bootstrap replicates, clusters drawn within blocks.

    Parameters
    ----------
    values : ndarray of shape (n_units, k)
        Per-unit contributions.
    clusters : array of shape (n_units,)
        Resampling unit (document id; or the unit itself).
    blocks : array of shape (n_units,)
        Clusters are drawn with replacement within each block (language; stratum), as many as
        the block has, blocks in sorted order.
    n_boot : int
    gen : numpy Generator

    Returns
    -------
    total : ndarray of shape (k,)
    boot : ndarray of shape (n_boot, k)
    """
    values = np.asarray(values, dtype=float)
    clusters = np.asarray(clusters).astype(str)
    blocks = np.asarray(blocks).astype(str)
    boot = np.zeros((n_boot, values.shape[1]))
    for b in sorted(set(blocks.tolist())):
        m = blocks == b
        _, code = np.unique(clusters[m], return_inverse=True)
        per = np.zeros((code.max() + 1, values.shape[1]))
        np.add.at(per, code, values[m])
        idx = gen.integers(0, len(per), size=(n_boot, len(per)))
        boot += per[idx].sum(axis=1)
    return values.sum(axis=0), boot


def metrics_from_totals(total: np.ndarray, boot: np.ndarray | None) -> dict[str, float]:
    """Point estimates and 95% percentile intervals from (tp, fp, fn) totals.

    ``total`` has shape (3,), ``boot`` (n_boot, 3) or None. Returns precision, recall, f1 and
    their ``_ci_low`` / ``_ci_high`` (NaN without replicates).
    """
    point = prf(*total)
    out = {}
    reps = prf(boot[:, 0], boot[:, 1], boot[:, 2]) if boot is not None and len(boot) else None
    for j, m in enumerate(METRICS):
        out[m] = float(point[j])
        lo = hi = np.nan
        if reps is not None:
            ok = reps[j][~np.isnan(reps[j])]
            if len(ok):
                lo, hi = (float(x) for x in np.percentile(ok, [2.5, 97.5]))
        out[f"{m}_ci_low"], out[f"{m}_ci_high"] = lo, hi
    return out
