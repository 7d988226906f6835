"""Resampling units of a table's groups: documents, or clusters of documents.

``UnitTable`` keeps the numeric columns of one table as numpy arrays, so that the units of many
groups (``group_positions``) are cut without pandas. A group's units are ``S`` (sum of weighted
values) and ``W`` (sum of weights) per document, or per cluster (``core.resampling.
cluster_totals``) when a cluster column is set; a missing cluster label makes a document its own
cluster.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.core.resampling import cluster_totals


@dataclass
class Units:
    """The resampling units of one group and what they stand for."""

    S: np.ndarray
    W: np.ndarray
    n_docs: int
    n_missing: int
    n_issuers: int
    resampling: str


def cluster_labels(df: pd.DataFrame, cluster: str, fallback_prefix: str = "row:") -> pd.Series:
    """Cluster labels of ``df``'s rows; a missing label becomes ``doc:<doc_id>`` (its own cluster).

    Without a ``doc_id`` column the fallback is ``<fallback_prefix><row number>``.
    """
    labels = df[cluster].astype(object)
    if "doc_id" in df.columns:
        fallback = "doc:" + df["doc_id"].astype(str)
    else:
        fallback = pd.Series([f"{fallback_prefix}{i}" for i in range(len(df))], index=df.index)
    return labels.where(labels.notna(), fallback).astype(str)


class UnitTable:
    """Numpy columns of one table, cut into the resampling units of any group of its rows.

    ``units(positions, value, weights)`` returns the resampling units of the rows at
    ``positions``: documents, or clusters (each the sum over its documents) when ``cluster``
    is set.
    """

    def __init__(self, df: pd.DataFrame, cluster: str | None):
        self.df = df
        self.cluster = cluster
        self._num: dict[str, np.ndarray] = {}
        self.issuer = pd.factorize(df["issuer"], sort=True)[0] if "issuer" in df.columns else None
        self.ccodes = None
        if cluster is not None:
            self.ccodes = pd.factorize(cluster_labels(df, cluster), sort=True)[0]

    def col(self, name: str) -> np.ndarray:
        """Column ``name`` as floats (non-numbers NaN), cached."""
        if name not in self._num:
            self._num[name] = pd.to_numeric(self.df[name], errors="coerce").to_numpy(dtype=float)
        return self._num[name]

    def units(self, pos: np.ndarray, value: str, weights: str | None) -> Units:
        """Units of the rows at ``pos`` for measure ``value`` weighted by column ``weights``."""
        x = self.col(value)[pos]
        w = np.ones_like(x) if weights is None else self.col(weights)[pos]
        keep = np.isfinite(x) & np.isfinite(w) & (w >= 0)
        n_docs = int(keep.sum())
        n_missing = int(keep.size - n_docs)
        n_issuers = 0
        if self.issuer is not None:
            codes = self.issuer[pos][keep]
            n_issuers = int(np.unique(codes[codes >= 0]).size + (codes < 0).sum())
        sx, sw = x[keep] * w[keep], w[keep]
        if self.ccodes is None:
            return Units(sx, sw, n_docs, n_missing, n_issuers, "documents")
        S, W = cluster_totals(self.ccodes[pos][keep], sx, sw)
        return Units(S, W, n_docs, n_missing, n_issuers, f"{self.cluster} clusters")


def group_positions(df: pd.DataFrame, keys: list[str]) -> dict[tuple, np.ndarray]:
    """Row positions of each group of ``keys`` (group keys always tuples)."""
    if df.empty:
        return {}
    return {
        (k if isinstance(k, tuple) else (k,)): np.asarray(v)
        for k, v in df.groupby(keys, sort=True).indices.items()
    }
