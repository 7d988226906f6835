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

#: verdict -> the CSS class of its cell (``status-<class>``).
STATUS = {
    "supported": "supports",
    "contradicted": "contrary",
    "inconclusive": "inconclusive",
    "no interval": "none",
}

#: What the summary says when the table a proposition rests on is not in the run.
_UNAVAILABLE = {
    "P1": "The frame_by_group table is not in this run: P1 could not be assessed.",
    "P2": "The co-occurrence table is not in this run: P2 could not be assessed.",
    "P4": "The frame_differences table is not in this run.",
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


def _summary(pid: str, rows: pd.DataFrame, table: pd.DataFrame) -> str:
    if pid == "P1":
        return (
            f"Supported in {_count(rows, 'supported')} of {len(rows)} country × administration "
            f"groups; contradicted in {_count(rows, 'contradicted')}; inconclusive in "
            f"{_count(rows, 'inconclusive')}; no interval in {_count(rows, 'no interval')}."
        )
    if pid == "P2":
        return (
            "Humanitarian language inside security sentences is present (interval above zero) "
            f"in {_count(rows, 'supported')} of {len(rows)} groups; the asymmetry (humanitarian "
            "inside security more than the reverse, non-overlapping intervals) shows in "
            f"{int(rows['asymmetry'].astype(bool).sum())}."
        )
    if pid == "P3":
        p1 = table[(table["proposition"] == "P1") & table["in_window"].astype(bool)]
        return (
            "Security language outweighed humanitarian language (P1 supported) in "
            f"{_count(p1, 'supported')} of {len(p1)} administrations in office during "
            f"2019–2025; {_count(rows, 'contradicted')} of {len(rows)} consecutive-administration "
            "differences have an interval that excludes zero."
        )
    if rows.empty:
        return "No joint period has documents from both countries."
    return (
        f"{_count(rows, 'contradicted')} of {len(rows)} joint periods show a US–Mexico "
        "difference whose interval excludes zero."
    )


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
