"""Rows of ``cooccurrence_by_group``: per group and direction, the observed co-occurrence share,
its expectation under the within-document permutation null (``cooccurrence_null``) and
observed/expected, with intervals that resample documents (or clusters of documents).

For direction ``hum_in_sec`` and a document i with H_i > 0 humanitarian hits, O_i humanitarian
hits in security sentences and E_i their null expectation:

- document weighting: share = mean(O_i / H_i), expected = mean(E_i / H_i);
- hit weighting: share = sum O_i / sum H_i, expected = sum E_i / sum H_i;
- in both, O/E = share / expected, a ratio of sums over the same documents.

All three are ratios of sums over resampling units, so the studentized ratio bootstrap of
``bootstrap.boot_units`` gives their intervals (share: numerator over weight; O/E: numerator
over expected), resampling documents, or clusters whose totals are sums over their documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import NO_BOUNDS, boot_units
from framelens.analysis.stats.cooccurrence_null import DIRECTIONS
from framelens.analysis.stats.settings import StatsSettings
from framelens.analysis.stats.units import cluster_labels
from framelens.core.domain import UNKNOWN
from framelens.core.resampling import cluster_totals
from framelens.core.seeding import rng as _rng

_SHARE_BOUNDS = (0.0, 1.0)
_OE_BOUNDS = (0.0, NO_BOUNDS[1])
_HITS = {"hum_in_sec": "hum_hits", "sec_in_hum": "sec_hits"}
_NAN = float("nan")


@dataclass
class DirectionUnits:
    """Resampling units of one group and direction: numerator (observed), weight (hits or 1)
    and null expectation, each a sum over the unit's documents."""

    observed: np.ndarray
    weight: np.ndarray
    expected: np.ndarray
    n_docs: int
    resampling: str


def direction_units(
    docs: pd.DataFrame, pos: np.ndarray, prefix: str, weighting: str, cluster: str | None
) -> DirectionUnits:
    """The units of direction ``prefix`` for the documents at ``pos`` of ``docs``.

    ``docs`` holds per document ``hum_hits``, ``sec_hits``, ``<prefix>_observed`` and
    ``<prefix>_expected`` (counts); documents without a hit of the share's frame are left out.
    """
    sub = docs.iloc[pos]
    hits = sub[_HITS[prefix]].to_numpy(dtype=float)
    keep = hits > 0
    o = sub[f"{prefix}_observed"].to_numpy(dtype=float)[keep]
    e = sub[f"{prefix}_expected"].to_numpy(dtype=float)[keep]
    h = hits[keep]
    if weighting == "document":
        o, e, h = o / h, e / h, np.ones_like(h)
    n_docs = int(keep.sum())
    if cluster is None:
        return DirectionUnits(o, h, e, n_docs, "documents")
    labels = cluster_labels(sub[keep], cluster).to_numpy()
    o, h, e = cluster_totals(labels, o, h, e)
    return DirectionUnits(o, h, e, n_docs, f"{cluster} clusters")


def _method(share_method: str, oe_method: str) -> str:
    if share_method == oe_method:
        return share_method
    return f"share: {share_method}; O/E: {oe_method}"


def direction_columns(
    u: DirectionUnits, prefix: str, key: tuple, settings: StatsSettings, namespace: str
) -> tuple[dict[str, Any], list[str]]:
    """The ``<prefix>_*`` columns of one group's row, and notes."""
    s = settings
    share = boot_units(u.observed, u.weight, s.n_boot, s.ci,
                       _rng(s.seed, namespace, prefix, "share", *key), _SHARE_BOUNDS)  # fmt: skip
    notes: list[str] = []
    w = float(u.weight.sum())
    expected = float(u.expected.sum()) / w if w > 0 else _NAN
    # units whose hits cannot co-occur by chance (expected 0, hence observed 0) carry no
    # information on O/E: its estimate is the same without them, and its interval resamples
    # the units in which co-occurrence is possible
    possible = np.isfinite(u.expected) & (u.expected > 0)
    n_oe = int(possible.sum())
    if n_oe:
        oe = boot_units(u.observed[possible], u.expected[possible], s.n_boot, s.ci,
                        _rng(s.seed, namespace, prefix, "oe", *key), _OE_BOUNDS)  # fmt: skip
        oe_values = (oe.estimate, oe.ci_low, oe.ci_high)
        method = _method(share.method, oe.method)
        if not np.isfinite(oe.ci_high) and not u.observed.any() and np.isfinite(share.ci_high):
            # no co-occurrence in any unit: no variation to resample, so O/E takes the share's
            # range bound over the expected share (the expectation held fixed)
            oe_values = (oe.estimate, share.ci_low / expected, share.ci_high / expected)
            method = f"{share.method}, divided by the expected share"
    else:
        oe_values, method = (_NAN, _NAN, _NAN), share.method
        if u.n_docs and np.isfinite(expected):
            notes.append(f"{prefix}: no sentence can hold both frames by chance: no O/E")
    cols = {
        f"{prefix}_n_docs": u.n_docs,
        f"{prefix}_n_units": len(u.observed),
        f"{prefix}_share": share.estimate,
        f"{prefix}_share_ci_low": share.ci_low,
        f"{prefix}_share_ci_high": share.ci_high,
        f"{prefix}_expected": expected,
        f"{prefix}_oe_n_units": n_oe,
        f"{prefix}_oe": oe_values[0],
        f"{prefix}_oe_ci_low": oe_values[1],
        f"{prefix}_oe_ci_high": oe_values[2],
        f"{prefix}_ci_method": method,
    }
    return cols, notes


def group_row(
    docs: pd.DataFrame,
    pos: np.ndarray,
    key: tuple[str, str],
    weighting: str,
    settings: StatsSettings,
    namespace: str,
) -> dict[str, Any]:
    """One row of ``cooccurrence_by_group`` (both directions) for the documents at ``pos``."""
    country, administration = key
    comparable = administration != UNKNOWN and country != UNKNOWN
    row: dict[str, Any] = {"country": country, "administration": administration,
                           "comparable": comparable, "n_docs": len(pos),
                           "n_issuers": _n_issuers(docs, pos)}  # fmt: skip
    notes = [] if comparable else ["administration unknown: shown, excluded from comparisons"]
    n_units, resampling = [], "documents"
    for prefix, _frame, _other in DIRECTIONS:
        u = direction_units(docs, pos, prefix, weighting, settings.cluster)
        cols, more = direction_columns(u, prefix, key, settings, namespace)
        row.update(cols)
        notes += more
        n_units += [cols[f"{prefix}_n_units"], cols[f"{prefix}_oe_n_units"]]
        resampling = u.resampling
        if cols[f"{prefix}_n_units"] == 1:
            notes.append(f"{prefix}: one unit: no interval")
        elif cols[f"{prefix}_oe_n_units"] == 1:
            notes.append(f"{prefix}: one unit with possible co-occurrence: no O/E interval")
    row.update(
        ci_level=settings.ci,
        n_boot=settings.n_boot,
        small_n=min(n_units) < settings.min_n,
        min_n=settings.min_n,
        resampling=resampling,
        note="; ".join(notes) if notes else None,
    )
    return row


def _n_issuers(docs: pd.DataFrame, pos: np.ndarray) -> int:
    """Distinct issuers of the documents at ``pos`` (a missing issuer counts as its own)."""
    if "issuer" not in docs.columns:
        return 0
    issuers = docs["issuer"].iloc[pos]
    return int(issuers.dropna().nunique() + issuers.isna().sum())
