"""Section 3 of the report: the tables beside the figures (group estimates, differences,
regression, co-occurrence, actors, topics), formatted from the run's tables."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.core.domain import FRAMES, sort_groups
from framelens.core.formatting import ci_text, integer, num, pct, pval
from framelens.outputs.columns import as_bool, comparable, current_names
from framelens.outputs.figures.cooccurrence import top_actors
from framelens.outputs.report.adjusted import (
    adjusted_table,
    composition_lookup,
    cooccurrence_table,
    not_comparable,
)
from framelens.outputs.report.blocks import html_table

RATES = ("rate_humanitarian", "rate_security", "rate_cooperation")


def results_section(tables: dict[str, pd.DataFrame | None]) -> dict[str, Any]:
    """Every results table whose source table is in the run (keys absent otherwise)."""
    results: dict[str, Any] = {}
    g = tables["frame_by_group"]
    comp = tables.get("frame_composition")
    if g is not None:
        results["framing"] = group_table(
            g, "framing_index", composition=composition_lookup(comp, "framing_index")
        )
        results["rates"] = {m: group_table(g, m) for m in RATES if (g["measure"] == m).any()}
        results["weighting"] = ", ".join(sorted(set(g["weighting"].astype(str))))
    d = tables["frame_differences"]
    adj = tables.get("frame_differences_adjusted")
    if d is not None:
        results["differences"] = difference_table(
            d, "framing_index", not_comparable(adj, "framing_index")
        )
    if adj is not None and len(adj):
        results["adjusted"] = adjusted_table(adj, "framing_index")
    r = tables["frame_regression"]
    if r is not None:
        results["regression"] = regression_table(r, "framing_index")
    c = tables["cooccurrence_by_group"]
    if c is not None and "measure" in c.columns:  # tables of earlier runs: one row per measure
        results["cooccurrence"] = group_table(c, "hum_in_sec_share", percent=True)
        results["cooccurrence_reverse"] = group_table(c, "sec_in_hum_share", percent=True)
    elif c is not None:
        results["cooccurrence"] = cooccurrence_table(c, "hum_in_sec")
        results["cooccurrence_reverse"] = cooccurrence_table(c, "sec_in_hum")
    a = tables["actors_by_group"]
    if a is not None and len(a):
        results["actors"] = actors_table(a)
    t = tables["topic_prevalence"]
    if t is not None and len(t):
        results["topics"] = topic_table(t)
    return results


def group_table(
    df: pd.DataFrame,
    measure: str,
    percent: bool = False,
    digits: int = 3,
    composition: dict[tuple[str, str], str] | None = None,
) -> dict:
    """Estimates of ``measure`` per country x administration, with intervals and flags (and
    the composition of each group's documents when ``composition`` is given)."""
    sub = sort_groups(current_names(df[df["measure"] == measure]))
    rows, classes = [], []
    for r in sub.to_dict(orient="records"):
        flags = []
        if not as_bool(r.get("comparable", True)):
            flags.append("not compared")
        if as_bool(r.get("small_n")):
            flags.append(f"n < {integer(r.get('min_n'))}")
        est = pct(r["mean"]) if percent else num(r["mean"], digits)
        row = [str(r["country"]), str(r["administration"]), integer(r["n_docs"]),
               integer(r.get("n_missing")), est, ci_text(r["ci_low"], r["ci_high"], digits, percent),
               str(r.get("ci_method", "")), ", ".join(flags)]  # fmt: skip
        if composition is not None:
            row.insert(7, composition.get((str(r["country"]), str(r["administration"])), "n/a"))
        rows.append(row)
        classes.append("flag" if flags else "")
    columns = ["Country", "Administration", "n", "Missing", "Estimate", "Interval",
               "Interval method", "Flags"]  # fmt: skip
    if composition is not None:
        columns.insert(7, "Composition (documents by type and issuer)")
    return html_table(columns, rows, classes)


def difference_table(
    df: pd.DataFrame, measure: str, not_comparable: dict[tuple, str] | None = None
) -> dict:
    """Differences of ``measure`` (b − a) with intervals, permutation and Holm p-values; rows
    in ``not_comparable`` ((comparison, country, group_a, group_b) -> reason) are flagged."""
    sub = df[df["measure"] == measure]
    rows, classes = [], []
    for r in sub.to_dict(orient="records"):
        flags = []
        reason = (not_comparable or {}).get(
            (r["comparison"], r["country"], r["group_a"], r["group_b"])
        )
        if reason:
            flags.append(reason)
        if as_bool(r.get("small_n")):
            flags.append("small n")
        if isinstance(r.get("note"), str) and r["note"]:
            flags.append(r["note"])
        where = r["country"] if r["comparison"] == "administration" else str(r.get("period") or "")
        rows.append([str(r["comparison"]), str(where), str(r["contrast"]),
                     f"{integer(r['n_a'])} / {integer(r['n_b'])}", num(r["difference"]),
                     ci_text(r["ci_low"], r["ci_high"]), pval(r["p_perm"]), pval(r["p_holm"]),
                     "; ".join(flags)])  # fmt: skip
        classes.append("flag" if as_bool(r.get("small_n")) or reason else "")
    columns = ["Comparison", "Within", "Contrast (b − a)", "n a / n b", "Difference",
               "Interval", "p (perm.)", "p (Holm)", "Notes"]  # fmt: skip
    return html_table(columns, rows, classes)


def regression_table(df: pd.DataFrame, measure: str) -> dict | None:
    """Coefficients of the regression of ``measure`` with intervals on t(df), what each term
    rests on (extrapolated terms flagged), and the model's n, clusters and notes."""
    sub = df[df["measure"] == measure]
    if sub.empty:
        return None
    rows, classes = [], []
    for r in sub.to_dict(orient="records"):
        extrapolated = as_bool(r.get("extrapolated"))
        single = as_bool(r.get("one_cluster"))
        flags = (["extrapolated"] if extrapolated else []) + (["one issuer"] if single else [])
        rests = "; ".join([*flags, str(r.get("support") or "")])
        rows.append([str(r["term"]), num(r["coef"]), num(r["se"]), num(r.get("df"), 1),
                     ci_text(r["ci_low"], r["ci_high"]), pval(r["p"]), rests])  # fmt: skip
        classes.append("flag" if flags else "")
    first = sub.iloc[0]
    t = html_table(["Term", "Coefficient", "SE", "df", "Interval", "p", "Rests on"], rows, classes)
    notes = list(dict.fromkeys(
        part for n in sub["note"] if isinstance(n, str) for part in n.split("; ") if part
    ))  # fmt: skip
    t["meta"] = {
        "n": integer(first["n"]),
        "n_clusters": integer(first.get("n_clusters")),
        "cov_type": str(first["cov_type"]),
        "reference": str(first["reference"]),
        "note": "; ".join(notes) if notes else None,
        "weighting": str(first.get("weighting", "")),
    }
    return t


def actors_table(df: pd.DataFrame, top: int = 15) -> dict:
    """The ``top`` actors by mentions: share of their sentences carrying each frame, per group."""
    d = df[comparable(df)]
    actors, _ = top_actors(d, top)
    rows = []
    for actor in actors:
        sub = sort_groups(d[d["actor"] == actor].drop_duplicates(["country", "administration"]))
        for r in sub.to_dict(orient="records"):
            fr = d[(d["actor"] == actor) & (d["country"] == r["country"])
                   & (d["administration"] == r["administration"])].set_index("frame")  # fmt: skip
            cells = [
                f"{pct(fr.loc[f, 'share'])} "
                f"{ci_text(fr.loc[f, 'ci_low'], fr.loc[f, 'ci_high'], percent=True)}"
                if f in fr.index
                else "n/a"
                for f in FRAMES
            ]
            rows.append([str(actor), str(r["country"]), str(r["administration"]),
                         integer(r["n_mentions"]), integer(r["n_docs"]), *cells])  # fmt: skip
    columns = ["Actor", "Country", "Administration", "Mentions", "Documents", "Humanitarian",
               "Security", "Cooperation"]  # fmt: skip
    return html_table(columns, rows)


def topic_table(df: pd.DataFrame) -> dict:
    """Mean topic share per language x group x topic, with intervals."""
    d = sort_groups(df) if {"country", "administration"} <= set(df.columns) else df
    rows = []
    for r in d.to_dict(orient="records"):
        rows.append([str(r.get("language", "")), str(r.get("country", "")),
                     str(r.get("administration", "")), str(r.get("topic", "")),
                     str(r.get("label", "")), pct(r.get("mean")),
                     ci_text(r.get("ci_low"), r.get("ci_high"), percent=True),
                     integer(r.get("n_docs")), "small n" if as_bool(r.get("small_n")) else ""])  # fmt: skip
    columns = ["Language", "Country", "Administration", "Topic", "Label", "Mean share",
               "Interval", "n", "Flag"]  # fmt: skip
    return html_table(columns, rows)
