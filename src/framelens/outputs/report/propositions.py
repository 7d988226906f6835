"""Section 4 of the report: the propositions P1-P4 as judged in the ``propositions`` table.

The verdicts are made by ``framelens.analysis.stats.propositions``; this module only formats
the rows and counts them by verdict for each proposition's summary sentence.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import pandas as pd

from framelens.analysis.stats.propositions import PROPOSITIONS
from framelens.core.formatting import ci_text, integer, num, pct

#: verdict -> the CSS class of its cell (``status-<class>``). Only "supported" is green; an
#: interval that includes zero is never "supported" (``analysis.stats.verdicts``).
STATUS = {
    "supported": "supports",
    "contradicted": "contrary",
    "equivalent": "equivalent",
    "inconclusive": "inconclusive",
    "no interval": "none",
    "not comparable": "notcomparable",
    "not judged": "none",
}

#: What the summary says when the table a proposition rests on is not in the run.
_UNAVAILABLE = {
    "P1": "The frame_by_group table is not in this run: P1 could not be assessed.",
    "P2": "The co-occurrence table is not in this run: P2 could not be assessed.",
    "P4": "The frame_differences table is not in this run.",
    "P3": "The frame_differences table is not in this run: P3 could not be assessed.",
}


def _format_row(r: dict) -> dict[str, str]:
    percent = str(r["measure"]).endswith("_share")
    n = integer(r["n"]) if pd.isna(r["n_b"]) else f"{integer(r['n'])} / {integer(r['n_b'])}"
    return {
        "label": str(r["label"]),
        "n": n,
        "estimate": pct(r["estimate"]) if percent else num(r["estimate"]),
        "interval": ci_text(r["ci_low"], r["ci_high"], percent=percent),
        "verdict": str(r["reason"]),
        "status": STATUS.get(str(r["verdict"]), "none"),
        "caution": "" if pd.isna(r["caution"]) else str(r["caution"]),
    }


def _count(rows: pd.DataFrame, verdict: str) -> int:
    return int((rows["verdict"] == verdict).sum())


def _counts(rows: pd.DataFrame, *verdicts: str) -> str:
    return "; ".join(f"{v} in {_count(rows, v)}" for v in verdicts if _count(rows, v))


def _summary(pid: str, rows: pd.DataFrame, table: pd.DataFrame) -> str:
    if pid == "P1":
        return (
            f"Supported in {_count(rows, 'supported')} of {len(rows)} country × administration "
            f"groups; contradicted in {_count(rows, 'contradicted')}; equivalent to balance "
            f"within the margin in {_count(rows, 'equivalent')}; inconclusive in "
            f"{_count(rows, 'inconclusive')}; no interval in {_count(rows, 'no interval')}."
        )
    if pid == "P2":
        if rows.empty or (rows["verdict"] == "not judged").all():
            return ("Not judged: this run has no null model for co-occurrence, and the raw "
                    "share grows with the number of hits alone.")  # fmt: skip
        return (
            "More humanitarian language inside security sentences than chance (O/E above 1) in "
            f"{_count(rows, 'supported')} of {len(rows)} groups; "
            + (_counts(rows, "contradicted", "equivalent", "inconclusive", "no interval",
                       "not judged") or "no other verdict")
            + f"; above the reverse direction in {int(rows['asymmetry'].astype(bool).sum())}."
        )  # fmt: skip
    if pid == "P3":
        p1 = table[(table["proposition"] == "P1") & table["in_window"].astype(bool)]
        return (
            "Security language outweighed humanitarian language (P1 supported) in "
            f"{_count(p1, 'supported')} of {len(p1)} administrations in office during "
            f"2019–2025. Of {len(rows)} consecutive-administration differences, "
            f"{_count(rows, 'equivalent')} are equivalent within the margin (the pattern held), "
            f"{_count(rows, 'contradicted')} show a change, {_count(rows, 'inconclusive')} are "
            "inconclusive."
        )
    if rows.empty:
        return "No joint period has documents from both countries."
    raw = rows[rows["rests_on"] == "frame_differences"]
    corrected = rows[rows["rests_on"] != "frame_differences"]
    text = (
        f"{_count(raw, 'not comparable')} of {len(raw)} raw US–Mexico differences compare "
        "different instruments (English and Spanish lexicons) and are not read as findings."
    )
    if len(corrected):
        text += (
            f" On the corrected prevalence: {_count(corrected, 'equivalent')} of "
            f"{len(corrected)} differences equivalent within the margin, "
            f"{_count(corrected, 'contradicted')} a difference, "
            f"{_count(corrected, 'inconclusive')} inconclusive."
        )
    else:
        text += " This run has no corrected prevalence to compare the countries on."
    return text


def verdict_margins(table: pd.DataFrame | None, run: dict) -> dict[str, str]:
    """The equivalence margins as stated on the page (from the config, else the table)."""
    cfg = (run.get("config") or {}).get("compare") or {}
    index = cfg.get("equivalence_margin")
    prevalence = cfg.get("equivalence_margin_prevalence")
    if index is None and table is not None and "margin" in table.columns:
        m = table.loc[table["proposition"] == "P1", "margin"].dropna()
        index = float(m.iloc[0]) if len(m) else None
    return {
        "index": f"±{index:g}" if index is not None else "n/a",
        "prevalence": f"±{prevalence:g}" if prevalence is not None else "n/a",
    }


def proposition_sections(
    table: pd.DataFrame | None, present: Collection[str]
) -> list[dict[str, Any]]:
    """The four propositions for the template, from the ``propositions`` table.

    Parameters
    ----------
    table : DataFrame or None
        The run's ``propositions`` table (None when the run has none).
    present : collection of str
        Names of the tables in the run (a proposition whose table is absent is not assessed).

    Returns
    -------
    list of dict
        Per proposition: id, statement, operationalisation, rows (label, n, estimate,
        interval, verdict, status, caution), summary, available.
    """
    out = []
    for pid, prop in PROPOSITIONS.items():
        available = table is not None and prop.rests_on in present
        section: dict[str, Any] = {
            "id": pid,
            "statement": prop.statement,
            "operationalisation": prop.operationalisation,
            "rows": [],
            "available": available,
        }
        if table is None:
            section["summary"] = (
                f"The propositions table is not in this run: {pid} could not be assessed."
            )
        elif not available and pid in _UNAVAILABLE:
            section["summary"] = _UNAVAILABLE[pid]
        else:
            rows = table[table["proposition"] == pid]
            section["rows"] = [_format_row(r) for r in rows.to_dict(orient="records")]
            section["summary"] = _summary(pid, rows, table)
        out.append(section)
    return out
