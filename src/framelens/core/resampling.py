"""Resampling primitives shared by every bootstrap and permutation test of framelens (numpy only).

One core for the index draws and the percentile interval, so that the comparison statistics
(``framelens.analysis.stats``), the topic prevalence intervals and the lexicon validation
resample the same way. The generator is always the caller's: build it with
``framelens.core.seeding.rng(seed, *keys)`` so that each estimate has its own named stream.

- ``bootstrap_sample(n, rng)``: one i.i.d. resample of ``n`` units (positions drawn with
  replacement).
- ``bootstrap_matrix(n, n_boot, rng)``: an index matrix, one resample per row.
- ``bootstrap_chunks(n, n_boot, rng)``: the same matrix in row chunks of bounded size (memory
  stays flat for large groups; the chunk size depends only on ``n``, never on the machine).
- ``permutation_chunks(n, n_perm, rng)``: row-wise permutations of ``0..n-1``, in chunks.
- ``relabelled_sums(U, n_a, n_perm, rng)``: for each permutation, the column sums of ``U`` over
  the ``n_a`` rows relabelled as group a (what a two-group permutation test needs).
- ``cluster_totals(labels, *values)``: per-cluster sums; resampling rows of these totals with
  the index matrices above is the cluster bootstrap of a ratio of sums (documents of one
  cluster move together).
- ``cluster_members(labels)`` and ``expand_clusters(draw, members)``: the document positions of
  a resample of clusters, for estimators that are not ratios of sums.
- ``quantile_levels(ci)``, ``quantile_pair(x, ci)``, ``percentile_interval(draws, ci)``: the
  percentile interval of bootstrap draws.
- ``symmetric_quantile(t_star, ci)``: the ``ci`` quantile of ``|t*|``, the half-width factor of
  a symmetric bootstrap-t interval.

>>> import numpy as np
>>> idx = bootstrap_matrix(5, 3, np.random.default_rng(1))
>>> idx.shape, int(idx.min()) >= 0, int(idx.max()) < 5
((3, 5), True, True)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = [
    "CHUNK_ELEMENTS",
    "bootstrap_chunks",
    "bootstrap_matrix",
    "bootstrap_sample",
    "chunk_rows",
    "cluster_members",
    "cluster_totals",
    "expand_clusters",
    "percentile_interval",
    "permutation_chunks",
    "quantile_levels",
    "quantile_pair",
    "relabelled_sums",
    "symmetric_quantile",
]

#: Elements per index-matrix chunk. It depends on nothing but the number of units, so that
#: chunked draws (and hence results) do not depend on the machine.
CHUNK_ELEMENTS = 2_000_000

_NAN = float("nan")


def chunk_rows(n_units: int, chunk_elements: int = CHUNK_ELEMENTS) -> int:
    """Rows per chunk of an index matrix with ``n_units`` columns (at least one)."""
    return max(1, chunk_elements // max(n_units, 1))


def bootstrap_sample(n: int, rng: np.random.Generator) -> np.ndarray:
    """One i.i.d. bootstrap resample: ``n`` positions in ``0..n-1`` drawn with replacement.

    The same draw as one row of ``bootstrap_matrix(n, 1, rng)``.
    """
    return rng.integers(0, n, size=n)


def bootstrap_matrix(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Index matrix of an i.i.d. bootstrap: shape ``(n_boot, n)``, one resample per row.

    ``values[bootstrap_matrix(n, B, rng)]`` holds the B resampled copies of ``values``; a
    statistic reduced along ``axis=1`` gives its B bootstrap replicates.
    """
    return rng.integers(0, n, size=(n_boot, n))


def bootstrap_chunks(
    n: int,
    n_boot: int,
    rng: np.random.Generator,
    chunk_elements: int | None = CHUNK_ELEMENTS,
) -> Iterator[tuple[slice, np.ndarray]]:
    """The rows of ``bootstrap_matrix(n, n_boot, rng)`` in chunks of bounded size.

    Yields ``(rows, idx)``: ``rows`` the slice of replicates ``idx`` covers (fill
    ``replicates[rows]``), ``idx`` an index matrix of shape ``(rows.stop - rows.start, n)``.
    ``chunk_elements=None`` yields the whole matrix at once.
    """
    rows = max(n_boot, 1) if chunk_elements is None else chunk_rows(n, chunk_elements)
    for start in range(0, n_boot, rows):
        stop = min(n_boot, start + rows)
        yield slice(start, stop), rng.integers(0, n, size=(stop - start, n))


def permutation_chunks(
    n: int,
    n_perm: int,
    rng: np.random.Generator,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> Iterator[np.ndarray]:
    """Random permutations of ``0..n-1``, one per row, in chunks (``n_perm`` rows in all).

    For a two-group permutation test, the first ``n_a`` columns of a row are the positions
    relabelled as group a.
    """
    base = np.arange(n)
    rows = chunk_rows(n, chunk_elements)
    for start in range(0, n_perm, rows):
        m = min(n_perm, start + rows) - start
        yield rng.permuted(np.broadcast_to(base, (m, n)), axis=1)


def relabelled_sums(
    U: np.ndarray,
    n_a: int,
    n_perm: int,
    rng: np.random.Generator,
    chunk_elements: int = CHUNK_ELEMENTS,
) -> np.ndarray:
    """Column sums of ``U`` over the rows relabelled as group a, one row per permutation.

    ``U`` has one row per unit (shape ``(n, k)``); the permutations are those of
    ``permutation_chunks(n, n_perm, rng)`` and group a is the first ``n_a`` positions of each.
    Returns shape ``(n_perm, k)``; group b's sums are ``U.sum(axis=0)`` minus these.

    >>> U = np.array([[1.0], [2.0], [3.0]])
    >>> s = relabelled_sums(U, 1, 4, np.random.default_rng(0))
    >>> s.shape, set(s[:, 0]) <= {1.0, 2.0, 3.0}
    ((4, 1), True)
    """
    U = np.asarray(U, dtype=float)
    n = U.shape[0]
    out = np.empty((max(n_perm, 0), U.shape[1]), dtype=float)
    start = 0
    for perm in permutation_chunks(n, n_perm, rng, chunk_elements=chunk_elements):
        stop = start + perm.shape[0]
        relabelled_a = perm[:, :n_a]
        for j in range(U.shape[1]):  # one column at a time: memory stays at one index chunk
            out[start:stop, j] = U[relabelled_a, j].sum(axis=1)
        start = stop
    return out


def cluster_totals(labels: np.ndarray, *values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Sum each of ``values`` within clusters (one row per cluster, in sorted label order).

    The cluster bootstrap of a ratio ``sum(S) / sum(W)`` resamples the rows of
    ``cluster_totals(labels, S, W)`` like independent units.

    >>> s, w = cluster_totals(np.array([2, 0, 2]), np.array([1.0, 2.0, 3.0]), np.ones(3))
    >>> s.tolist(), w.tolist()
    ([2.0, 4.0], [1.0, 2.0])
    """
    _, inv = np.unique(labels, return_inverse=True)
    k = int(inv.max()) + 1 if inv.size else 0
    return tuple(np.bincount(inv, weights=v, minlength=k) for v in values)


def cluster_members(labels: np.ndarray) -> list[np.ndarray]:
    """Positions of the members of each cluster, in sorted label order (as ``cluster_totals``)."""
    _, inv = np.unique(labels, return_inverse=True)
    order = np.argsort(inv, kind="stable")
    bounds = np.cumsum(np.bincount(inv))[:-1] if inv.size else []
    return np.split(order, bounds) if inv.size else []


def expand_clusters(draw: np.ndarray, members: Sequence[np.ndarray]) -> np.ndarray:
    """Positions of the units in a resample of clusters (``draw``: cluster numbers).

    >>> members = cluster_members(np.array(["a", "b", "a"]))
    >>> expand_clusters(np.array([0, 0, 1]), members).tolist()
    [0, 2, 0, 2, 1]
    """
    if len(draw) == 0:
        return np.array([], dtype=int)
    return np.concatenate([members[c] for c in draw])


def quantile_levels(ci: float) -> tuple[float, float]:
    """Lower and upper quantile levels of a central interval: ``(1-ci)/2`` and ``1 - (1-ci)/2``."""
    alpha = (1.0 - ci) / 2.0
    return alpha, 1.0 - alpha


def quantile_pair(x: np.ndarray, ci: float) -> tuple[float, float]:
    """The two quantiles of ``x`` at ``quantile_levels(ci)`` (no filtering of ``x``)."""
    lo, hi = np.quantile(x, list(quantile_levels(ci)))
    return float(lo), float(hi)


def symmetric_quantile(t_star: np.ndarray, ci: float) -> float:
    """The ``ci`` quantile of ``|t*|``: a symmetric bootstrap-t interval is ``est +- q * se``.

    NaN replicates (``0/0``: a resample equal to the estimate with no variance) count as 0;
    infinite ones (a resample without variance away from the estimate) stay infinite, so the
    quantile is infinite (undefined) when more than ``1 - ci`` of the replicates are.

    >>> symmetric_quantile(np.array([-3.0, -1.0, 0.0, 1.0, 2.0]), 0.5)
    1.0
    """
    t = np.abs(np.where(np.isnan(t_star), 0.0, t_star))
    if t.size == 0:
        return _NAN
    with np.errstate(invalid="ignore"):
        q = float(np.quantile(t, ci))
    return np.inf if np.isnan(q) else q  # between two infinite replicates


def percentile_interval(
    draws: np.ndarray,
    ci: float,
    *,
    axis: int | None = None,
    levels: tuple[float, float] | None = None,
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of ``draws`` at level ``ci``.

    Parameters
    ----------
    draws : ndarray
        Bootstrap replicates of a statistic.
    ci : float
        Interval level, e.g. 0.95: the quantiles at ``quantile_levels(ci)``.
    axis : int, optional
        ``None``: ``draws`` is one statistic's replicates; non-finite replicates are dropped
        and ``(nan, nan)`` is returned when fewer than two remain. An int: one interval per
        statistic along that axis (``np.quantile`` over ``axis``, no filtering); returns two
        arrays.
    levels : (float, float), optional
        Explicit quantile levels instead of ``quantile_levels(ci)``.

    Returns
    -------
    (low, high)
        Floats, or arrays when ``axis`` is given.
    """
    lo_q, hi_q = levels if levels is not None else quantile_levels(ci)
    if axis is not None:
        return np.quantile(draws, lo_q, axis=axis), np.quantile(draws, hi_q, axis=axis)
    x = np.asarray(draws, dtype=float)
    finite = x[np.isfinite(x)]
    if finite.size < 2:
        return _NAN, _NAN
    lo, hi = np.quantile(finite, [lo_q, hi_q])
    return float(lo), float(hi)
