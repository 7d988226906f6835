"""The report's measurement section: frame prevalence naive and corrected, side by side.

It formats the ``frame_prevalence`` table (computed in ``analysis.stats.frame_prevalence``) and
what run.json records about the design sample; it judges nothing: the one sentence per group
only puts the table's numbers into words.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.core.domain import sort_groups
from framelens.core.formatting import as_float, ci_text, integer, pct
from framelens.outputs.columns import as_bool
from framelens.outputs.report.blocks import html_table

COLUMNS = ["country", "administration", "frame", "instrument", "sentences", "coded units",
           "naive share [95%]", "corrected share [95%]", "correction"]  # fmt: skip


def _row(r: pd.Series) -> list[str]:
    corrected = as_float(r.get("corrected"))
    return [
        str(r["country"]), str(r["administration"]), str(r["frame"]), str(r.get("instrument", "")),
        integer(r.get("n_sentences")), integer(r.get("n_coded")),
        f"{pct(r['naive'])} {ci_text(r['naive_ci_low'], r['naive_ci_high'], percent=True)}",
        "not corrected (no coded units)" if corrected != corrected else
        f"{pct(corrected)} {ci_text(r['corrected_ci_low'], r['corrected_ci_high'], percent=True)}",
        "" if corrected != corrected else f"{100 * as_float(r.get('correction')):+.1f} points",
    ]  # fmt: skip


def _sentence(r: pd.Series) -> str:
    """The row's numbers in words (what the correction changed)."""
    who = f"{r['administration']} ({r['country']}), {r['frame']}"
    naive = f"{pct(r['naive'])} {ci_text(r['naive_ci_low'], r['naive_ci_high'], percent=True)}"
    if as_float(r.get("corrected")) != as_float(r.get("corrected")):
        return f"{who}: the instrument alone says {naive}; no coded unit of this group, so no correction."
    corrected = ci_text(r["corrected_ci_low"], r["corrected_ci_high"], percent=True)
    change = 100 * as_float(r.get("correction"))
    verb = "raises" if change > 0 else "lowers"
    text = (f"{who}: the instrument alone says {naive}; corrected with {integer(r['n_coded'])} "
            f"coded sentences, {pct(r['corrected'])} {corrected}: the correction {verb} it by "
            f"{abs(change):.1f} points")  # fmt: skip
    if as_bool(r.get("unstable", False)):
        text += " (few coded units: unstable)"
    return text + "."


def measurement_section(table: pd.DataFrame | None, run: dict[str, Any]) -> dict[str, Any]:
    """The section's context: a table of all sentences' prevalence, sentences per group and
    frame, and how the design sample matched (from run.json)."""
    if table is None or table.empty:
        return {}
    rows = sort_groups(table[table["subset"] == "all"]) if "subset" in table else table
    record = run.get("frame_prevalence") or {}
    design = record.get("design_sample") or {}
    return {
        "table": html_table(
            COLUMNS,
            [_row(r) for _, r in rows.iterrows()],
            ["flag" if as_bool(r.get("unstable", False)) else "" for _, r in rows.iterrows()],
        ),
        "sentences": [_sentence(r) for _, r in rows.iterrows()],
        "design": design.get("path", "none (corrected shares are missing)"),
        "matching": {
            k: v
            for k, v in record.items()
            if k.startswith(("n_", "matched", "unmatched")) and not isinstance(v, (list, dict))
        },  # fmt: skip
        "subsets": sorted(set(table["subset"])) if "subset" in table else ["all"],
    }
