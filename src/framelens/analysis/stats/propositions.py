"""The seed study's hypothesis as testable propositions, judged by the intervals of a run.

``propositions(frame_by_group, frame_differences, cooccurrence_by_group)`` returns the
``propositions`` table (schema in ``framelens.schemas.outputs``): one row per group or contrast
that a proposition is judged on, with its estimate, interval, verdict and the reason in words.
The report renders this table; it does not judge anything itself.

P1: security language outweighs humanitarian language in each country and administration
(framing index below zero: the whole interval below zero supports it, the whole interval above
zero contradicts it, an interval that includes zero is inconclusive).
P2: humanitarian language appears inside security sentences (the share of humanitarian hits in
sentences that also carry security hits, with its interval; compared with the reverse share as
a conservative check of asymmetry: non-overlapping intervals).
P3: the pattern held across the 2019-2025 administrations: P1 in each administration in office
in 2019-2025 (the ``in_window`` rows of P1), and differences between consecutive
administrations (interval, Holm p).
P4 (context): the two countries within the same period (US vs MX differences).

Verdicts: ``supported``, ``contradicted``, ``inconclusive``, ``no interval`` (too few
documents for an interval).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framelens.core.domain import ADMINISTRATIONS, sort_groups
from framelens.core.formatting import as_float, ci_text, integer, p_is, pct
from framelens.schemas import columns_of

__all__ = [
    "PROPOSITIONS",
    "PROPOSITION_WINDOW",
    "VERDICTS",
    "Proposition",
    "in_window",
    "propositions",
]

#: The seed study's claim concerns 2019-2025: administrations in office during this window
#: enter proposition P3.
PROPOSITION_WINDOW = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))

SUPPORTED, CONTRADICTED, INCONCLUSIVE, NO_INTERVAL = (
    "supported", "contradicted", "inconclusive", "no interval",
)  # fmt: skip
VERDICTS = (SUPPORTED, CONTRADICTED, INCONCLUSIVE, NO_INTERVAL)
_NO_INTERVAL_REASON = "no interval (too few documents): cannot tell"
_NOT_BELOW = ", but the Holm-adjusted p-value is not below 0.05"


@dataclass(frozen=True)
class Proposition:
    """A proposition: its statement, how it is measured and the table it is judged from."""

    id: str
    statement: str
    operationalisation: str
    rests_on: str


PROPOSITIONS: dict[str, Proposition] = {
    "P1": Proposition(
        "P1",
        "Security language outweighs humanitarian language in each country and administration.",
        "Mean document framing index (H − S)/(H + S) below zero, judged by its interval: "
        "entirely below zero supports the proposition, entirely above zero contradicts it, an "
        "interval that includes zero is no evidence either way.",
        "frame_by_group",
    ),
    "P2": Proposition(
        "P2",
        "Humanitarian language appears inside security sentences (humanitarian discourse is "
        "embedded in control practice).",
        "Share of a document's humanitarian hits that sit in sentences that also carry "
        "security hits (hum_in_sec_share), averaged per group with its interval; for asymmetry, "
        "compared with the share of security hits inside humanitarian sentences "
        "(sec_in_hum_share). Non-overlapping intervals are a conservative sign of asymmetry.",
        "cooccurrence_by_group",
    ),
    "P3": Proposition(
        "P3",
        "The pattern held across the 2019–2025 administrations.",
        "P1 holds in every administration in office during 2019–2025, and the framing index of "
        "consecutive administrations within a country does not differ (difference with its "
        "interval; permutation p-value, Holm-adjusted over all differences of the framing "
        "index). An interval that includes zero is no evidence of a change, not evidence of no "
        "change.",
        "frame_differences",
    ),
    "P4": Proposition(
        "P4",
        "Context: the two countries frame migration alike within the same period.",
        "Difference of the mean framing index, Mexico minus the United States, among documents "
        "dated within each period in which both administrations were in office (interval, "
        "permutation p, Holm p).",
        "frame_differences",
    ),
}


def in_window(country: str, administration: str) -> bool:
    """Whether ``administration`` of ``country`` was in office during ``PROPOSITION_WINDOW``."""
    spans = ADMINISTRATIONS.get(country, [])
    for i, (start, name) in enumerate(spans):
        if name == administration:
            end = spans[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(spans) else dt.date.max
            return start <= PROPOSITION_WINDOW[1] and end >= PROPOSITION_WINDOW[0]
    return False


def _period_in_window(start: Any, end: Any) -> bool:
    """Whether a joint period (ISO dates; a missing end is open) overlaps the window."""
    try:
        lo = dt.date.fromisoformat(str(start)[:10]) if pd.notna(start) else dt.date.min
        hi = dt.date.fromisoformat(str(end)[:10]) if pd.notna(end) else dt.date.max
    except ValueError:
        return False
    return lo <= PROPOSITION_WINDOW[1] and hi >= PROPOSITION_WINDOW[0]


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that enter comparisons (``comparable``; ``compared`` in tables of earlier runs)."""
    for col in ("comparable", "compared"):
        if col in df.columns:
            return df[df[col].astype(bool)]
    return df


def _row(pid: str, label: str, measure: str, r: dict, estimate: str, n: str, n_b: str = "") -> dict:
    """The columns every row shares (``estimate``, ``n``, ``n_b``: columns of ``r``); verdict,
    reason, caution and the flags are filled in by the caller."""
    return {
        "proposition": pid,
        "label": label,
        "claim": PROPOSITIONS[pid].statement,
        "measure": measure,
        "n": int(as_float(r[n])),
        "n_b": as_float(r[n_b]) if n_b else float("nan"),
        "estimate": as_float(r[estimate]),
        "ci_low": as_float(r["ci_low"]),
        "ci_high": as_float(r["ci_high"]),
        "small_n": bool(r.get("small_n")),
        "in_window": False,
        "asymmetry": False,
        "rests_on": PROPOSITIONS[pid].rests_on,
    }


def _has_interval(row: dict) -> bool:
    return math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"])


def _p1_rows(frame_by_group: pd.DataFrame) -> list[dict]:
    g = frame_by_group[frame_by_group["measure"] == "framing_index"]
    rows = []
    for r in sort_groups(_comparable(g)).to_dict(orient="records"):
        row = _row("P1", f"{r['country']} · {r['administration']}", "framing_index", r, "mean",
                   "n_docs")  # fmt: skip
        if not _has_interval(row):
            row["verdict"], row["reason"] = NO_INTERVAL, _NO_INTERVAL_REASON
        elif row["ci_high"] < 0:
            row["verdict"] = SUPPORTED
            row["reason"] = ("supported: the whole interval is below zero (security language "
                             "outweighs humanitarian language)")  # fmt: skip
        elif row["ci_low"] > 0:
            row["verdict"] = CONTRADICTED
            row["reason"] = ("contradicted: the whole interval is above zero (humanitarian "
                             "language outweighs security language)")  # fmt: skip
        else:
            row["verdict"] = INCONCLUSIVE
            row["reason"] = ("inconclusive: the interval includes zero, no evidence that either "
                             "frame predominates")  # fmt: skip
        n_docs = integer(r["n_docs"])
        row["caution"] = f"only {n_docs} documents: read with caution" if row["small_n"] else ""
        row["in_window"] = in_window(r["country"], r["administration"])
        rows.append(row)
    return rows


def _p2_rows(cooccurrence_by_group: pd.DataFrame) -> list[dict]:
    c = _comparable(cooccurrence_by_group)
    shares = sort_groups(c[c["measure"] == "hum_in_sec_share"])
    reverse = c[c["measure"] == "sec_in_hum_share"].set_index(["country", "administration"])
    rows = []
    for r in shares.to_dict(orient="records"):
        row = _row("P2", f"{r['country']} · {r['administration']}", "hum_in_sec_share", r, "mean",
                   "n_docs")  # fmt: skip
        lo, hi = row["ci_low"], row["ci_high"]
        if not _has_interval(row):
            row["verdict"], row["reason"] = NO_INTERVAL, _NO_INTERVAL_REASON
        elif lo > 0:
            row["verdict"] = SUPPORTED
            row["reason"] = (f"present: between {pct(lo)} and {pct(hi)} of humanitarian hits sit "
                             "in sentences that also carry security language")  # fmt: skip
        else:
            row["verdict"] = INCONCLUSIVE
            row["reason"] = ("the interval reaches zero: no clear evidence of humanitarian "
                             "language inside security sentences")  # fmt: skip
        cautions = []
        key = (r["country"], r["administration"])
        if key in reverse.index:
            rs = reverse.loc[key]
            cautions.append(f"reverse share {pct(rs['mean'])} "
                            f"{ci_text(rs['ci_low'], rs['ci_high'], percent=True)}")  # fmt: skip
            if math.isfinite(lo) and as_float(rs["ci_high"]) < lo:
                row["asymmetry"] = True
                row["reason"] += ("; more often than security language sits inside "
                                  "humanitarian sentences (intervals do not overlap)")  # fmt: skip
        if row["small_n"]:
            cautions.append(f"only {integer(r['n_docs'])} documents")
        row["caution"] = "; ".join(cautions)
        row["in_window"] = in_window(r["country"], r["administration"])
        rows.append(row)
    return rows


def _difference_verdict(row: dict, no_change: str, change: str) -> None:
    """Verdict of a difference: an interval that includes zero supports "no difference"."""
    if not _has_interval(row):
        row["verdict"], row["reason"] = NO_INTERVAL, _NO_INTERVAL_REASON
    elif row["ci_low"] <= 0 <= row["ci_high"]:
        row["verdict"], row["reason"] = SUPPORTED, no_change
    else:
        row["verdict"], row["reason"] = CONTRADICTED, change


def _p3_rows(frame_differences: pd.DataFrame) -> list[dict]:
    d = frame_differences[
        (frame_differences["measure"] == "framing_index")
        & (frame_differences["comparison"] == "administration")
    ]
    rows = []
    for r in d.to_dict(orient="records"):
        if not (in_window(r["country"], r["group_a"]) and in_window(r["country"], r["group_b"])):
            continue
        row = _row("P3", f"{r['country']} · {r['contrast']}", "framing_index", r, "difference",
                   "n_a", "n_b")  # fmt: skip
        direction = ("rose (towards humanitarian language)" if row["estimate"] > 0
                     else "fell (towards security language)")  # fmt: skip
        change = f"the index {direction}: the interval excludes zero"
        if as_float(r["p_holm"]) >= 0.05:
            change += _NOT_BELOW
        _difference_verdict(row, "the interval includes zero: no evidence of a change", change)
        row["reason"] += f" (permutation {p_is(r['p_perm'])}, Holm {p_is(r['p_holm'])})"
        row["caution"] = "small n" if row["small_n"] else ""
        row["in_window"] = True
        rows.append(row)
    return rows


def _p4_rows(frame_differences: pd.DataFrame) -> list[dict]:
    d = frame_differences[
        (frame_differences["measure"] == "framing_index")
        & (frame_differences["comparison"] == "country")
    ]
    rows = []
    for r in d.to_dict(orient="records"):
        row = _row("P4", str(r.get("period") or ""), "framing_index", r, "difference", "n_a", "n_b")
        change = "Mexico's index is " + ("higher" if row["estimate"] > 0 else "lower")
        change += " than the United States' (the interval excludes zero)"
        if as_float(r["p_holm"]) >= 0.05:
            change += _NOT_BELOW
        _difference_verdict(row, "the interval includes zero: no evidence of a difference", change)
        row["reason"] += f" (Holm {p_is(r['p_holm'])})"
        row["caution"] = "small n" if row["small_n"] else ""
        row["in_window"] = _period_in_window(r.get("period_start"), r.get("period_end"))
        rows.append(row)
    return rows


def propositions(
    frame_by_group: pd.DataFrame | None = None,
    frame_differences: pd.DataFrame | None = None,
    cooccurrence_by_group: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Judge the propositions P1-P4 by the intervals of a run's comparison tables.

    Parameters
    ----------
    frame_by_group, frame_differences, cooccurrence_by_group : DataFrame, optional
        The comparison tables; a proposition whose table is missing gets no rows.

    Returns
    -------
    DataFrame
        The ``propositions`` table, rows in proposition order (P1-P4), groups in group order:
        proposition, label, claim, measure, n, n_b (second group of a difference), estimate,
        ci_low, ci_high, verdict (one of ``VERDICTS``), reason (the finding in words), caution,
        small_n, in_window (in office during ``PROPOSITION_WINDOW``), asymmetry (P2: the share's
        interval lies above the reverse share's), rests_on (the table judged).
    """
    rows: list[dict] = []
    if frame_by_group is not None:
        rows += _p1_rows(frame_by_group)
    if cooccurrence_by_group is not None:
        rows += _p2_rows(cooccurrence_by_group)
    if frame_differences is not None:
        rows += _p3_rows(frame_differences) + _p4_rows(frame_differences)
    table = pd.DataFrame(rows, columns=columns_of("propositions"))
    return table.astype(_DTYPES)


_TEXT = ("proposition", "label", "claim", "measure", "verdict", "reason", "caution", "rests_on")
_DTYPES = {
    **dict.fromkeys(_TEXT, "str"),
    "n": "int64",
    "n_b": "float64",
    "estimate": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "small_n": "bool",
    "in_window": "bool",
    "asymmetry": "bool",
}
