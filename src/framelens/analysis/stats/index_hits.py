"""The framing index's hits: the minimum number of frame hits for a document's index, and
token weighting of the index as the pooled ratio over hits.

- **Document weighting** (default): a document's index (H - S)/(H + S) enters the group mean
  only when it has at least ``min_index_hits`` frame hits (H + S); with fewer the index is set
  to missing and counted (``n_few_hits``). Default 3: with one hit a document scores exactly
  -1 or +1 and counts as much as a document with a hundred hits; with two it is -1, 0 or +1.
  At three hits one frame has a majority and one misread hit moves the index by at most 2/3.
  ``min_index_hits = 1`` keeps every document with a hit (the behaviour before issue 13).
- **Token weighting** (``weights="n_tokens"``, config ``compare.weighting: tokens``): for the
  framing index this is the pooled ratio (sum H - sum S) / (sum H + sum S), i.e. documents
  weighted by their frame hits H + S, not by their tokens (a token-weighted mean of
  per-document indices is neither the mean index nor the pooled ratio). Every hit counts, so no
  minimum applies. The rates stay token-weighted (pooled hits per 1,000 tokens).

The hits come from ``hits_humanitarian`` and ``hits_security`` or, failing those, from
``framing_n`` and the index (H = N (1 + index) / 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

INDEX = "framing_index"
#: Helper columns added to the comparison table (hits of the index, few-hits flag).
HUM_HITS, INDEX_HITS, FEW_HITS = "_hum_hits", "_index_hits", "_few_hits"
HELPER_COLUMNS = (HUM_HITS, INDEX_HITS, FEW_HITS)
POOLED_LABEL = "hits (pooled index)"
POOLED_WEIGHTS = "n_tokens"


def index_hits(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Humanitarian hits H and frame hits H + S per row, or None when the table has neither
    ``hits_humanitarian``/``hits_security`` nor ``framing_n`` with ``framing_index``."""
    if {"hits_humanitarian", "hits_security"} <= set(table.columns):
        h = pd.to_numeric(table["hits_humanitarian"], errors="coerce").to_numpy(dtype=float)
        s = pd.to_numeric(table["hits_security"], errors="coerce").to_numpy(dtype=float)
        return h, h + s
    if {"framing_n", INDEX} <= set(table.columns):
        n = pd.to_numeric(table["framing_n"], errors="coerce").to_numpy(dtype=float)
        x = pd.to_numeric(table[INDEX], errors="coerce").to_numpy(dtype=float)
        return np.where(n > 0, np.rint(n * (1 + np.nan_to_num(x)) / 2), 0.0), n
    return None


def prepare_index(
    table: pd.DataFrame,
    measures: Sequence[str],
    weights: Mapping[str, str | None],
    labels: Mapping[str, str],
    min_index_hits: int,
) -> tuple[pd.DataFrame, dict[str, str | None], dict[str, str], list[str]]:
    """The table, weights and labels of a comparison with the index rules applied.

    Returns a copy of ``table`` with the helper columns (``HELPER_COLUMNS``) when it has the
    index and its hits, the weights and ``weighting`` labels per measure (the pooled index
    under token weighting) and notes. Without hits the index is compared as given (noted).
    """
    weights, labels = dict(weights), dict(labels)
    if INDEX not in measures:
        return table, weights, labels, []
    hits = index_hits(table)
    pooled = weights.get(INDEX) == POOLED_WEIGHTS
    if hits is None:
        note = (f"{INDEX}: no hit columns (hits_humanitarian, hits_security or framing_n): "
                "compared as given")  # fmt: skip
        if pooled:
            note += ", token weighting uses n_tokens (not the pooled ratio over hits)"
        elif min_index_hits > 1:
            note += f", min_index_hits = {min_index_hits} not applied"
        return table, weights, labels, [note]
    h, n = hits
    out = table.copy()
    out[HUM_HITS], out[INDEX_HITS] = h, n
    if pooled:
        weights[INDEX], labels[INDEX] = INDEX_HITS, POOLED_LABEL
        out[FEW_HITS] = False
        note = (f"{INDEX} with token weighting: the pooled ratio (sum H - sum S) / "
                "(sum H + sum S), documents weighted by their frame hits")  # fmt: skip
        return out, weights, labels, [note]
    few = (n > 0) & (n < min_index_hits)
    out[FEW_HITS] = few
    x = pd.to_numeric(out[INDEX], errors="coerce")
    out[INDEX] = x.where(~few)
    notes = []
    if few.any():
        notes.append(
            f"{INDEX}: {int(few.sum())} document(s) with fewer than {min_index_hits} frame "
            f"hits (H + S) left out of the document mean (min_index_hits = {min_index_hits}); "
            "their hits still count in the pooled share"
        )
    return out, weights, labels, notes


def few_hits_count(df: pd.DataFrame, pos: np.ndarray, measure: str) -> int:
    """Documents at ``pos`` whose index was left out for too few hits (0 for other measures)."""
    if measure != INDEX or FEW_HITS not in df.columns:
        return 0
    return int(df[FEW_HITS].to_numpy(dtype=bool)[pos].sum())
