"""Report tables of composition and confounding: the documents behind each group estimate
(``frame_composition``), raw, within-genre and standardised differences side by side
(``frame_differences_adjusted``), and the co-occurrence table against its null model."""

from __future__ import annotations

import pandas as pd

from framelens.core.domain import sort_groups
from framelens.core.formatting import ci_text, integer, num, pct
from framelens.outputs.columns import as_bool
from framelens.outputs.report.blocks import html_table

_ESTIMATORS = ("raw", "within_genre", "standardised")


def composition_lookup(comp: pd.DataFrame | None, measure: str) -> dict[tuple[str, str], str]:
    """(country, administration) -> the compact composition text of ``measure``'s documents."""
    if comp is None or comp.empty:
        return {}
    sub = comp[comp["measure"] == measure]
    return {
        (str(r["country"]), str(r["administration"])): str(r["composition"])
        for r in sub.to_dict(orient="records")
    }


def _short(reason: object) -> str:
    """A not-comparable reason without its explanation in parentheses."""
    return str(reason or "not comparable").split(" (")[0]


def _estimate(r: dict | None) -> str:
    if r is None:
        return "n/a"
    if not as_bool(r.get("comparable")) and not pd.notna(r.get("difference")):
        return _short(r.get("reason"))
    return f"{num(r['difference'])} {ci_text(r['ci_low'], r['ci_high'])}"


def adjusted_table(adj: pd.DataFrame, measure: str) -> dict | None:
    """Per difference of ``measure``: raw, within-genre and standardised estimates with their
    intervals, the document types used, both groups' composition and whether it is comparable."""
    sub = adj[(adj["measure"] == measure) & adj["estimator"].isin(_ESTIMATORS)]
    if sub.empty:
        return None
    rows, classes = [], []
    keys = ["comparison", "country", "group_a", "group_b"]
    for _key, g in sub.groupby(keys, sort=False, dropna=False):
        by = {r["estimator"]: r for r in g.to_dict(orient="records")}
        raw = by.get("raw") or next(iter(by.values()))
        std = by.get("standardised")
        comparable = as_bool(raw.get("comparable"))
        where = raw["country"] if raw["comparison"] == "administration" else str(raw["period"])
        rows.append([
            str(where), str(raw["contrast"]),
            f"{integer(raw['n_a'])} / {integer(raw['n_b'])}",
            _estimate(raw), _estimate(by.get("within_genre")), _estimate(std),
            str((std or {}).get("genres_used") or "none"),
            str(raw["composition_a"]), str(raw["composition_b"]),
            "yes" if comparable else str(raw.get("reason") or "no"),  # the reason in full once
        ])  # fmt: skip
        classes.append("" if comparable else "flag")
    columns = ["Within", "Contrast (b − a)", "n a / n b", "Raw [CI]", "Within genre [CI]",
               "Standardised [CI]", "Common document types", "Composition a",
               "Composition b", "Comparable"]  # fmt: skip
    return html_table(columns, rows, classes)


def not_comparable(adj: pd.DataFrame | None, measure: str) -> dict[tuple, str]:
    """(comparison, country, group_a, group_b) -> reason, for raw rows that are not comparable."""
    if adj is None or adj.empty:
        return {}
    raw = adj[(adj["measure"] == measure) & (adj["estimator"] == "raw")]
    return {
        (r["comparison"], r["country"], r["group_a"], r["group_b"]): str(r["reason"])
        for r in raw.to_dict(orient="records")
        if not as_bool(r["comparable"])
    }


def cooccurrence_table(c: pd.DataFrame, prefix: str) -> dict:
    """Per group: observed share, share expected by chance, observed/expected with intervals
    (the wide ``cooccurrence_by_group`` of the null model)."""
    rows, classes = [], []
    for r in sort_groups(c).to_dict(orient="records"):
        flags = []
        if not as_bool(r.get("comparable", True)):
            flags.append("not compared")
        if as_bool(r.get("small_n")):
            flags.append(f"n < {integer(r.get('min_n'))}")
        rows.append([
            str(r["country"]), str(r["administration"]), integer(r.get(f"{prefix}_n_docs")),
            f"{pct(r.get(f'{prefix}_share'))} "
            f"{ci_text(r.get(f'{prefix}_share_ci_low'), r.get(f'{prefix}_share_ci_high'), percent=True)}",
            pct(r.get(f"{prefix}_expected")),
            f"{num(r.get(f'{prefix}_oe'), 2)} "
            f"{ci_text(r.get(f'{prefix}_oe_ci_low'), r.get(f'{prefix}_oe_ci_high'), 2)}",
            ", ".join(flags),
        ])  # fmt: skip
        classes.append("flag" if flags else "")
    columns = ["Country", "Administration", "n", "Observed share [CI]", "Expected by chance",
               "Observed / expected [CI]", "Flags"]  # fmt: skip
    return html_table(columns, rows, classes)
