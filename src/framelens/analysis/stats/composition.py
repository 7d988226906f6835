"""What is behind a group estimate: its documents, issuers, document types and languages.

Administration coincides with genre and issuer in real corpora (in the shared corpus Trump I is
mostly Federal Register executive orders, Biden mostly White House statements and speeches), so
a difference between two groups may be a difference between genres. ``composition_table``
(table ``frame_composition``) states each group's composition per measure, and
``composition_text`` gives the compact form shown beside every difference
("22 executive_order (Federal Register); 2 speech (White House)").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelens.analysis.stats.groups import BY_DEFAULT
from framelens.analysis.stats.tidy import check_columns, norm_key, sort_keys, typed
from framelens.core.domain import UNKNOWN
from framelens.schemas import columns_of

COMPOSITION_COLUMNS = columns_of("frame_composition")
#: The columns a composition describes (each optional; missing values read "unknown").
COMPOSITION_PARTS: tuple[str, ...] = ("doc_type", "issuer", "language")


def counts_text(values: pd.Series) -> str:
    """Counts of ``values`` as "a 22; b 2", largest first, ties by name."""
    counts = norm_key(values).value_counts()
    order = sorted(counts.index, key=lambda v: (-counts[v], v))
    return "; ".join(f"{v} {int(counts[v])}" for v in order)


def composition_text(df: pd.DataFrame) -> str:
    """Document types with counts and their issuers: "22 executive_order (Federal Register)".

    An issuer list with more than one issuer carries counts ("5 executive_order (White House 3,
    Federal Register 2)"). Missing columns are left out; no documents gives "no documents".
    """
    if df.empty:
        return "no documents"
    genre = (
        norm_key(df["doc_type"])
        if "doc_type" in df.columns
        else pd.Series("documents", index=df.index)
    )
    issuer = norm_key(df["issuer"]) if "issuer" in df.columns else None
    counts = genre.value_counts()
    parts = []
    for g in sorted(counts.index, key=lambda v: (-counts[v], v)):
        text = f"{int(counts[g])} {g}"
        if issuer is not None:
            iss = issuer[genre == g].value_counts()
            names = sorted(iss.index, key=lambda v: (-iss[v], v))
            inner = names[0] if len(names) == 1 else ", ".join(f"{v} {int(iss[v])}" for v in names)
            text += f" ({inner})"
        parts.append(text)
    return "; ".join(parts)


def _row(measure: str, group: dict, sub: pd.DataFrame) -> dict:
    genre = norm_key(sub["doc_type"]) if "doc_type" in sub.columns else None
    shares = genre.value_counts(normalize=True) if genre is not None and len(sub) else None
    comparable = group.get("administration") != UNKNOWN and group.get("country") != UNKNOWN
    return {
        "measure": measure,
        **group,
        "comparable": comparable,
        "n_docs": len(sub),
        "n_issuers": int(norm_key(sub["issuer"]).nunique()) if "issuer" in sub.columns else 0,
        "issuers": counts_text(sub["issuer"]) if "issuer" in sub.columns else "",
        "n_doc_types": int(genre.nunique()) if genre is not None else 0,
        "doc_types": counts_text(sub["doc_type"]) if genre is not None else "",
        "largest_doc_type_share": float(shares.max()) if shares is not None else np.nan,
        "languages": counts_text(sub["language"]) if "language" in sub.columns else "",
        "composition": composition_text(sub),
    }


def composition_table(
    table: pd.DataFrame, value: str | Sequence[str], by: Sequence[str] = BY_DEFAULT
) -> pd.DataFrame:
    """Table ``frame_composition``: per measure x group, the documents behind its estimate.

    Parameters
    ----------
    table : DataFrame
        One row per document (``frame_scores``): the measure column(s), the ``by`` columns and,
        when present, ``doc_type``, ``issuer`` and ``language``.
    value : str or sequence of str
        Measure(s); a document counts for a measure when its value is not missing (as in
        ``compare``).
    by : sequence of str, default ("country", "administration")

    Returns
    -------
    DataFrame
        measure, the ``by`` columns, comparable, n_docs, n_issuers, issuers ("Federal Register
        22; White House 2"), n_doc_types, doc_types, largest_doc_type_share, languages,
        composition (``composition_text``); groups in group order.
    """
    measures = [value] if isinstance(value, str) else list(value)
    by = tuple(by)
    check_columns(table, [*measures, *by], "composition_table")
    df = table.copy()
    for col in by:
        df[col] = norm_key(df[col])
    keys = sort_keys({tuple(k) for k in df[list(by)].itertuples(index=False)}, by)
    rows = []
    for measure in measures:
        has_value = pd.to_numeric(df[measure], errors="coerce").notna()
        for key in keys:
            in_group = np.logical_and.reduce([df[c] == v for c, v in zip(by, key, strict=True)])
            sub = df[in_group & has_value]
            rows.append(_row(measure, dict(zip(by, key, strict=True)), sub))
    columns = ["measure", *by, *COMPOSITION_COLUMNS[3:]]
    return typed(pd.DataFrame(rows, columns=columns))
