"""The pooled humanitarian share H / (H + S) of a group, from a hit-level binomial model.

The framing index of a document, (H - S) / (H + S), gives a document with one hit the same
weight as one with a hundred. The pooled share counts hits instead: p = sum H / sum (H + S) over
the group's documents. It is the intercept of a binomial GLM (logit link) of each document's
humanitarian hits out of its frame hits, with standard errors clustered by document (or by the
resampling cluster, e.g. issuer), so that the hits of one document are not taken as
independent:

    logit p = b,   var(b) = G/(G-1) * sum_g (H_g - p N_g)^2 / (p (1-p) sum_g N_g)^2

over G clusters (CR1; equal to statsmodels' ``GLM(..., Binomial()).fit(cov_type="cluster")``).
The interval is b +- t_{G-1} * se on the logit scale, transformed back, so it stays in (0, 1).
When p is 0 or 1 the logit is infinite; a Wilson score interval with the number of clusters as
its sample size is used instead (no more information than one observation per cluster). The
pooled framing index is 2p - 1. Measured coverage: ``docs/statistics.md`` section 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from framelens.analysis.stats.bootstrap import wilson
from framelens.analysis.stats.calibrated_intervals import t_quantile
from framelens.core.resampling import cluster_totals

SHARE_GLM = "binomial GLM (logit), cluster-robust CR1 by {unit}, t with G-1 df"
SHARE_WILSON = "Wilson score over {unit} (pooled share 0 or 1)"
SHARE_NONE = "none (fewer than 2 units with frame hits)"
SHARE_NO_HITS = "none (no frame hits)"

_NAN = float("nan")


@dataclass(frozen=True)
class PooledShare:
    """A group's pooled share H/(H+S) with its interval (``method``), its frame hits (H+S)
    and the number of clusters (documents or resampling clusters) with hits."""

    share: float
    ci_low: float
    ci_high: float
    method: str
    n_hits: int
    n_units: int


def pooled_share(
    hum: np.ndarray,
    sec: np.ndarray,
    ci: float,
    clusters: np.ndarray | None = None,
    unit: str = "documents",
) -> PooledShare:
    """Pooled share ``sum(hum) / sum(hum + sec)`` with a cluster-robust logit interval.

    Parameters
    ----------
    hum, sec : ndarray
        Humanitarian and security hits per document (non-finite rows are left out).
    ci : float
        Interval level.
    clusters : ndarray, optional
        Cluster code per document (default: each document its own cluster).
    unit : str
        What a cluster is, for the method text ("documents", "issuer clusters").

    Examples
    --------
    >>> est = pooled_share(np.array([3, 0, 5, 1]), np.array([1, 4, 5, 9]), 0.95)
    >>> round(est.share, 3), est.n_hits, 0 < est.ci_low < est.share < est.ci_high < 1
    (0.321, 28, True)
    """
    h = np.asarray(hum, dtype=float)
    n = h + np.asarray(sec, dtype=float)
    keep = np.isfinite(n) & (n > 0)
    h, n = h[keep], n[keep]
    n_hits = int(round(n.sum()))
    if clusters is not None:
        h, n = cluster_totals(np.asarray(clusters)[keep], h, n)
    g = int(h.size)
    if n_hits == 0:
        return PooledShare(_NAN, _NAN, _NAN, SHARE_NO_HITS, 0, 0)
    p = float(h.sum() / n.sum())
    if g < 2:
        return PooledShare(p, _NAN, _NAN, SHARE_NONE, n_hits, g)
    if p <= 0.0 or p >= 1.0:
        lo, hi = wilson(p * g, g, ci)
        return PooledShare(p, lo, hi, SHARE_WILSON.format(unit=unit), n_hits, g)
    score = h - p * n
    var_b = g / (g - 1) * float((score**2).sum()) / (p * (1.0 - p) * float(n.sum())) ** 2
    b = np.log(p / (1.0 - p))
    half = t_quantile(ci, g - 1) * np.sqrt(var_b)
    lo, hi = 1.0 / (1.0 + np.exp(-(b - half))), 1.0 / (1.0 + np.exp(-(b + half)))
    return PooledShare(p, float(lo), float(hi), SHARE_GLM.format(unit=unit), n_hits, g)
