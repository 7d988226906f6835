"""Resampling for corrected frame prevalence: the corpus part and the coded-sample part.

Numpy only; the tables are built in ``frame_prevalence``. Methods: ``docs/measurement.md``.

The corrected share of a group g and subset d is

    theta = F + R,    F = (1/N_d) sum_{i in U_d} f_i,
                      R = sum_{j in s_d} w_j (y_j - f_j) / sum_{j in s_d} w_j,

F the mean prediction over the group's sentences U_d in the run and R the Hajek
(weight-normalised) mean residual over the coded units s_d of the group and subset, with
design weights w_j = N_h / m_h (stratum h; m_h its matched coded units). Its interval combines
two independent sets of replicates, b = 1..B:

- the corpus part (``document_counts``): documents of the group are resampled with replacement
  (multinomial counts), giving F*_b;
- the coded-sample part (``CodedReplicates``): a stratified Bayesian bootstrap of the coded
  units, giving R*_b. Within stratum h, unit weights are Dirichlet(1, ..., 1) draws (Gamma(1)
  over their sum) plus two pseudo-units at the stratum's mean prediction, coded 1 and 0, each
  with Dirichlet parameter ``pseudo_count`` (0.5: Jeffreys). The pseudo-units matter only when
  the stratum's coded units carry little information (e.g. none of 40 unframed units is
  positive: a plain bootstrap would then see no uncertainty at all). The draw is shrunk towards
  the point weights by lambda_h = sqrt(1 - m_h / N_h), the finite-population correction of Rao
  & Wu's (1988) rescaling bootstrap, so a stratum coded in full adds no variance.

theta*_b = F*_b + R*_b; the interval is the percentile interval of theta*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: Coded-sample resampling methods: "bayes" (default, above) or "raowu" (the plain rescaling
#: bootstrap: m_h - 1 units drawn with replacement, weights rescaled; no pseudo-units).
CODED_METHODS = ("bayes", "raowu")


def document_counts(n_docs: int, n_boot: int, gen: np.random.Generator) -> np.ndarray:
    """Multinomial resampling counts of documents, ndarray of shape (n_boot, n_docs).

    Row b says how often each document is drawn in replicate b (rows sum to ``n_docs``).
    """
    if n_docs == 0:
        return np.zeros((n_boot, 0), dtype=np.int64)
    return gen.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_boot)


def ratio_draws(counts: np.ndarray, numer: np.ndarray, denom: np.ndarray) -> np.ndarray:
    """Replicates of sum(numer) / sum(denom) over resampled documents.

    ``counts`` (B, K); ``numer`` (K, ...) and ``denom`` (K, ...) per-document sums with the same
    trailing shape. Returns (B, ...); NaN where a replicate has no denominator.
    """
    num = np.tensordot(counts, numer, axes=(1, 0))
    den = np.tensordot(counts, denom, axes=(1, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@dataclass
class CodedReplicates:
    """Replicate weights of the coded units (see the module docstring).

    Attributes
    ----------
    stratum : ndarray of int, shape (n,)
        Stratum index of each coded unit, 0..H-1.
    weight : ndarray of float, shape (n,)
        Point design weights N_h / m_h.
    replicate : ndarray of float, shape (B, n)
        Replicate weights of the units.
    pseudo_one, pseudo_zero : ndarray of float, shape (B, H)
        Replicate weights of the stratum's pseudo-units coded 1 and 0 (zeros for "raowu").
    m : ndarray of int, shape (H,)
        Coded units per stratum.
    """

    stratum: np.ndarray
    weight: np.ndarray
    replicate: np.ndarray
    pseudo_one: np.ndarray
    pseudo_zero: np.ndarray
    m: np.ndarray

    @property
    def n_boot(self) -> int:
        return self.replicate.shape[0]

    def point(self, values: np.ndarray, mask: np.ndarray) -> float:
        """Hajek mean of ``values`` over the units in ``mask`` (NaN when there are none)."""
        w = self.weight * mask
        total = w.sum()
        return float((w * values).sum() / total) if total > 0 else float("nan")

    def residual_draws(self, y: np.ndarray, f: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Replicates R*_b of the Hajek mean residual y - f over the units in ``mask``.

        The pseudo-units of stratum h enter every domain that has coded units in h, at the
        mean prediction of those units, with their full Dirichlet parameter: relative to the
        domain's m_hd units of h they weigh ``pseudo_count`` / m_hd, as Jeffreys' prior does for
        a proportion estimated from m_hd units. Returns shape (B,).
        """
        mask = mask.astype(float)
        n_h = len(self.m)
        in_dom = np.bincount(self.stratum, weights=mask, minlength=n_h)
        share = (in_dom > 0).astype(float)
        f_bar = np.bincount(self.stratum, weights=mask * f, minlength=n_h) / np.maximum(in_dom, 1)
        num = self.replicate @ (mask * (y - f))
        num += self.pseudo_one @ (share * (1.0 - f_bar)) - self.pseudo_zero @ (share * f_bar)
        den = self.replicate @ mask + (self.pseudo_one + self.pseudo_zero) @ share
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _stratum_bayes(gen, m: int, big_n: float, n_boot: int, pseudo: float):
    lam = np.sqrt(max(0.0, 1.0 - m / big_n))
    g = gen.standard_gamma(1.0, size=(n_boot, m))
    p1 = gen.standard_gamma(pseudo, size=n_boot) if pseudo > 0 else np.zeros(n_boot)
    p0 = gen.standard_gamma(pseudo, size=n_boot) if pseudo > 0 else np.zeros(n_boot)
    total = g.sum(axis=1) + p1 + p0
    w = big_n * ((1.0 - lam) / m + lam * g / total[:, None])
    return w, big_n * lam * p1 / total, big_n * lam * p0 / total


def _stratum_raowu(gen, m: int, big_n: float, n_boot: int):
    base = big_n / m
    if m < 2:
        return np.full((n_boot, m), base), np.zeros(n_boot), np.zeros(n_boot)
    lam = np.sqrt(max(0.0, 1.0 - m / big_n))
    draws = gen.integers(0, m, size=(n_boot, m - 1))
    counts = np.zeros((n_boot, m))
    np.add.at(counts, (np.repeat(np.arange(n_boot), m - 1), draws.ravel()), 1.0)
    w = base * (1.0 - lam + lam * m / (m - 1) * counts)
    return w, np.zeros(n_boot), np.zeros(n_boot)


def coded_replicates(
    stratum: np.ndarray,
    stratum_size: np.ndarray,
    n_boot: int,
    generator: Callable[[int], np.random.Generator],
    method: str = "bayes",
    pseudo_count: float = 0.5,
) -> CodedReplicates:
    """Point and replicate weights of coded units from a stratified sample.

    Parameters
    ----------
    stratum : array of int, shape (n,)
        Stratum index 0..H-1 of each coded (matched) unit.
    stratum_size : array of float, shape (H,)
        N_h, the population size of each stratum.
    n_boot : int
        Replicates B.
    generator : callable
        ``generator(h)`` returns the numpy Generator of stratum h (one named stream each, so a
        stratum's draws do not depend on the others).
    method : {"bayes", "raowu"}, default "bayes"
    pseudo_count : float, default 0.5
        Dirichlet parameter of each pseudo-unit ("bayes" only); 0 turns them off.

    Returns
    -------
    CodedReplicates
    """
    if method not in CODED_METHODS:
        raise ValueError(f"method must be one of {CODED_METHODS}, not {method!r}")
    stratum = np.asarray(stratum, dtype=np.int64)
    sizes = np.asarray(stratum_size, dtype=float)
    n_h = len(sizes)
    m = np.bincount(stratum, minlength=n_h)
    weight = sizes[stratum] / np.maximum(m[stratum], 1)
    rep = np.empty((n_boot, len(stratum)))
    p_one, p_zero = np.zeros((n_boot, n_h)), np.zeros((n_boot, n_h))
    for h in range(n_h):
        idx = np.flatnonzero(stratum == h)
        if not len(idx):
            continue
        gen = generator(h)
        if method == "bayes":
            w, p_one[:, h], p_zero[:, h] = _stratum_bayes(
                gen, len(idx), sizes[h], n_boot, pseudo_count
            )
        else:
            w, p_one[:, h], p_zero[:, h] = _stratum_raowu(gen, len(idx), sizes[h], n_boot)
        rep[:, idx] = w
    return CodedReplicates(stratum, weight, rep, p_one, p_zero, m)


def percentile_interval(draws: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of replicates (NaNs dropped; NaN, NaN when none is finite)."""
    x = np.asarray(draws, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x):
        return float("nan"), float("nan")
    a = (1.0 - level) / 2.0
    lo, hi = np.quantile(x, [a, 1.0 - a])
    return float(lo), float(hi)


def stratified_sample(
    stratum: np.ndarray, n_per_stratum: dict[int, int] | np.ndarray, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a stratified sample, uniform without replacement within strata.

    Parameters
    ----------
    stratum : array of int, shape (N,)
        Stratum index of every population unit.
    n_per_stratum : mapping or array
        Units to draw per stratum index (a stratum smaller than its n is taken whole).
    gen : numpy Generator

    Returns
    -------
    index : ndarray of int
        Positions of the drawn units, sorted.
    inclusion_prob : ndarray of float
        Their inclusion probabilities n_h / N_h, aligned with ``index``.
    """
    stratum = np.asarray(stratum, dtype=np.int64)
    picks, probs = [], []
    for h in np.unique(stratum):
        pool = np.flatnonzero(stratum == h)
        n = int(min(n_per_stratum[h], len(pool)))
        if n <= 0:
            continue
        picks.append(np.sort(gen.choice(pool, size=n, replace=False)))
        probs.append(np.full(n, n / len(pool)))
    if not picks:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    index = np.concatenate(picks)
    order = np.argsort(index, kind="stable")
    return index[order], np.concatenate(probs)[order]


def horvitz_thompson_total(values: np.ndarray, inclusion_prob: np.ndarray) -> float:
    """Horvitz-Thompson estimate of a population total: sum of values / inclusion_prob."""
    return float(np.sum(np.asarray(values, dtype=float) / np.asarray(inclusion_prob, dtype=float)))
