"""What each regression coefficient rests on: the document types its two cells share, and
whether either side comes from a single issuer.

The regression is additive (cell + document type). A coefficient comparing two country x
administration cells is observed directly only through the document types both cells have;
when they share none, the coefficient is an extrapolation that rests entirely on the additivity
of the document-type effects (e.g. ``country[MX]`` when the first Mexican administration has
only laws and the first US administration only executive orders). A coefficient whose group or
document type (or whose reference) comes from one issuer cannot be told apart from that
issuer, and no cluster-robust standard error can see the between-issuer variation on that side
(``one_cluster``). ``term_support`` states both per term (``support``, ``extrapolated``,
``one_cluster``, notes); ``cell_coverage_note`` counts the cell x document-type combinations
without documents.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

Cell = tuple[str, str]


def _in_cell(df: pd.DataFrame, cell: Cell) -> pd.Series:
    return (df["country"] == cell[0]) & (df["administration"] == cell[1])


def _cell_label(cell: Cell) -> str:
    return f"{cell[0]} {cell[1]}"


def _single(clusters: pd.Series | None, rows: pd.Series, what: str) -> list[str]:
    """A note when the rows ``rows`` all belong to one cluster (none without clusters)."""
    if clusters is None or not rows.any():
        return []
    values = clusters[rows].unique()
    if len(values) != 1:
        return []
    return [f"one issuer for {what} ({values[0]}): the coefficient cannot tell it from its "
            "issuer, and its standard error misses the between-issuer variation"]  # fmt: skip


def _group_term(df: pd.DataFrame, genre: pd.Series | None, cells: tuple[Cell, Cell],
                clusters: pd.Series | None) -> dict:  # fmt: skip
    """Support of a term comparing ``cells[0]`` with ``cells[1]`` (the reference)."""
    cell, ref = cells
    single = [n for c in (cell, ref) for n in _single(clusters, _in_cell(df, c), _cell_label(c))]
    out = {"support": "", "extrapolated": False, "one_cluster": bool(single), "notes": single}
    if genre is None:
        return out
    a, b = genre[_in_cell(df, cell)].value_counts(), genre[_in_cell(df, ref)].value_counts()
    common = sorted(set(a.index) & set(b.index))
    if not common:
        out["support"] = (f"no document type in common between {_cell_label(cell)} and "
                          f"{_cell_label(ref)}")  # fmt: skip
        out["extrapolated"] = True
        out["notes"] = single + [
            f"extrapolated: {_cell_label(cell)} and {_cell_label(ref)} share no document type, "
            "so the coefficient rests on the additivity of document-type effects"
        ]
        return out
    text = ", ".join(f"{g} ({int(a[g])} vs {int(b[g])})" for g in common)
    out["support"] = f"common document types: {text}"
    return out


def _genre_term(df: pd.DataFrame, genre: pd.Series, level: str, reference: str,
                clusters: pd.Series | None) -> dict:  # fmt: skip
    """Support of ``control[level]`` against the reference level: cells having both."""
    single = _single(clusters, genre == level, level) + _single(clusters, genre == reference,
                                                                 reference)  # fmt: skip
    cells = df.assign(_g=genre.to_numpy()).groupby(["country", "administration"])["_g"]
    both = sorted(f"{c} {a}" for (c, a), g in cells if level in set(g) and reference in set(g))
    if not both:
        return {
            "support": f"no country x administration cell has both {level} and {reference}",
            "extrapolated": True, "one_cluster": bool(single),
            "notes": single + [f"extrapolated: {level} and {reference} never occur in the same "
                               "cell"],
        }  # fmt: skip
    return {"support": "cells with both: " + ", ".join(both), "extrapolated": False,
            "one_cluster": bool(single), "notes": single}  # fmt: skip


def term_support(
    df: pd.DataFrame,
    terms: list[str],
    compared: Mapping[str, tuple[Cell, Cell]],
    genre: pd.Series | None,
    control: str | None,
    reference_level: str | None,
    clusters: pd.Series | None = None,
) -> dict[str, dict]:
    """Per term: ``support`` (text), ``extrapolated``, ``one_cluster`` (bool) and ``notes``.

    ``compared`` maps each group term to (its cell, the reference cell); ``genre`` holds the
    control's levels of ``df``'s rows (None without a control); ``clusters`` the cluster label
    of each row (None: no single-cluster check).
    """
    out: dict[str, dict] = {}
    for term in terms:
        if term in compared:
            out[term] = _group_term(df, genre, compared[term], clusters)
        elif genre is not None and control and term.startswith(f"{control}["):
            level = term[len(control) + 1 : -1]
            out[term] = _genre_term(df, genre, level, str(reference_level), clusters)
        else:
            out[term] = {"support": "", "extrapolated": False, "one_cluster": False, "notes": []}
    if "Intercept" in out and genre is not None and compared:
        ref_cell = next(iter(compared.values()))[1]
        n = int(genre[_in_cell(df, ref_cell)].value_counts().get(reference_level, 0))
        out["Intercept"]["support"] = (
            f"{n} document(s) of {_cell_label(ref_cell)} x {reference_level}"
        )
        if n == 0:
            out["Intercept"]["extrapolated"] = True
            out["Intercept"]["notes"] = [
                f"extrapolated: the intercept predicts {_cell_label(ref_cell)} x "
                f"{reference_level}, a cell without documents"
            ]
    return out


def cell_coverage_note(
    df: pd.DataFrame, genre: pd.Series | None, control: str | None
) -> str | None:
    """How many country x administration x control cells have no documents (None if all do)."""
    if genre is None:
        return None
    cells = df[["country", "administration"]].drop_duplicates()
    observed = set(zip(df["country"], df["administration"], genre, strict=True))
    total = len(cells) * genre.nunique()
    empty = total - len(observed)
    if not empty:
        return None
    return (
        f"{empty} of {total} country x administration x {control} cells have no documents: "
        "the model's predictions there rest on the additivity of the effects"
    )
