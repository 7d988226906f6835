"""The seed study's hypothesis as testable propositions, judged by the intervals of a run.

``propositions(frame_by_group, frame_differences, cooccurrence_by_group, ...)`` returns the
``propositions`` table (schema in ``framelens.schemas.outputs``): one row per group or contrast
that a proposition is judged on, with its estimate, interval, verdict and the reason in words.
The report renders this table; it does not judge anything itself. Verdicts
(``verdicts``): supported, contradicted, equivalent within the margin +-m (TOST), inconclusive,
no interval, not comparable, not judged. An interval that includes zero is never "supported".

P1: security language outweighs humanitarian language in each country and administration
(framing index below zero; equivalent when the interval lies within +-m).
P2: humanitarian language appears inside security sentences more than chance would put it
there: observed/expected co-occurrence (the null model of ``cooccurrence_by_group``) above 1;
without a null model "not judged" (the raw share grows with the number of hits alone).
P3: the pattern held across the 2019-2025 administrations: P1 in each administration in office
(the ``in_window`` rows of P1), and each consecutive-administration difference equivalent to
zero within +-m; the genre-standardised difference (``frame_differences_adjusted``) is quoted.
P4 (context): the two countries within the same period. Raw lexicon measures of the two
countries come from different instruments (English and Spanish lexicons): "not comparable".
The corrected prevalence (``frame_prevalence_differences``), when the run has it, is judged
instead (equivalent within +-m_prevalence, or a difference).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framelens.analysis.stats.proposition_sources import (
    adjusted_lookup,
    cooccurrence_groups,
    prevalence_rows,
)
from framelens.analysis.stats.verdicts import (
    CONTRADICTED,
    EQUIVALENT,
    INCONCLUSIVE,
    NOT_COMPARABLE,
    NOT_JUDGED,
    SUPPORTED,
    VERDICTS,
    Verdict,
    judge_direction,
    judge_no_difference,
)
from framelens.core.domain import ADMINISTRATIONS, sort_groups
from framelens.core.formatting import as_float, ci_text, integer, num, p_is, pct
from framelens.schemas import columns_of

__all__ = [
    "PROPOSITIONS",
    "PROPOSITION_WINDOW",
    "VERDICTS",
    "Margins",
    "Proposition",
    "in_window",
    "propositions",
    "propositions_from_tables",
]

#: The seed study's claim concerns 2019-2025: administrations in office during this window
#: enter proposition P3.
PROPOSITION_WINDOW = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))
_NOT_BELOW = ", but the Holm-adjusted p-value is not below 0.05"
_DIFFERENT_INSTRUMENTS = (
    "different instruments: not comparable: US documents are scored with the English lexicon "
    "and Mexican documents with the Spanish one, each with its own errors, so a difference of "
    "raw lexicon measures mixes framing with measurement error"
)


@dataclass(frozen=True)
class Margins:
    """Equivalence margins: framing index (and O/E - 1), and corrected prevalence (shares)."""

    index: float = 0.1
    prevalence: float = 0.05


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
        "entirely below zero supports the proposition, entirely above zero contradicts it, "
        "entirely within the equivalence margin ±m is 'equivalent' (neither frame predominates "
        "by more than m); any other interval that includes zero is inconclusive.",
        "frame_by_group",
    ),
    "P2": Proposition(
        "P2",
        "Humanitarian language appears inside security sentences (humanitarian discourse is "
        "embedded in control practice).",
        "Observed/expected co-occurrence of humanitarian hits in security sentences (expected: "
        "a document's hits falling at random among its sentences), with its interval: above 1 "
        "supports the proposition, below 1 contradicts it. The raw share is not judged: it "
        "grows with the number of hits without any framing. Asymmetry: the O/E interval lies "
        "above the reverse direction's.",
        "cooccurrence_by_group",
    ),
    "P3": Proposition(
        "P3",
        "The pattern held across the 2019–2025 administrations.",
        "P1 holds in every administration in office during 2019–2025, and the framing index of "
        "consecutive administrations within a country does not differ: a difference whose "
        "interval lies within ±m is 'equivalent' (two one-sided tests), one whose interval "
        "excludes zero contradicts the proposition, anything else is inconclusive. The "
        "difference standardised to the common document types is quoted beside the raw one.",
        "frame_differences",
    ),
    "P4": Proposition(
        "P4",
        "Context: the two countries frame migration alike within the same period.",
        "Raw lexicon measures of the two countries come from different instruments (English "
        "and Spanish lexicons) and are not compared. When the run has the corrected prevalence "
        "(coded sample), the Mexico − United States difference of each frame's corrected share "
        "is judged: equivalent within the prevalence margin, a difference, or inconclusive.",
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


def _row(pid: str, label: str, measure: str, values: tuple, verdict: Verdict, **extra) -> dict:
    """A propositions row; ``values`` is (estimate, ci_low, ci_high, n, n_b, margin)."""
    est, lo, hi, n, n_b, margin = values
    return {
        "proposition": pid, "label": label, "claim": PROPOSITIONS[pid].statement,
        "measure": measure, "n": int(as_float(n)) if pd.notna(n) else 0, "n_b": as_float(n_b),
        "estimate": as_float(est), "ci_low": as_float(lo), "ci_high": as_float(hi),
        "margin": as_float(margin), "verdict": verdict.verdict, "reason": verdict.reason,
        "caution": extra.get("caution", ""), "small_n": bool(extra.get("small_n", False)),
        "in_window": bool(extra.get("in_window", False)),
        "asymmetry": bool(extra.get("asymmetry", False)),
        "rests_on": extra.get("rests_on", PROPOSITIONS[pid].rests_on),
    }  # fmt: skip


_P1_MEANING = {
    SUPPORTED: " (security language outweighs humanitarian language)",
    CONTRADICTED: " (humanitarian language outweighs security language)",
    EQUIVALENT: " (neither frame predominates by more than the margin)",
    INCONCLUSIVE: ": no evidence that either frame predominates",
}


#: A group whose largest document type has at least this share of its documents is flagged.
MOSTLY_ONE_TYPE = 0.75


def _mostly_one_type(composition: pd.DataFrame | None) -> dict[tuple[str, str], str]:
    """(country, administration) -> caution, for groups made mostly of one document type."""
    if composition is None or composition.empty:
        return {}
    c = composition[composition["measure"] == "framing_index"]
    share = pd.to_numeric(c["largest_doc_type_share"], errors="coerce")
    return {
        (r["country"], r["administration"]): f"mostly one document type: {r['composition']}"
        for r in c[share >= MOSTLY_ONE_TYPE].to_dict(orient="records")
    }


def _p1_rows(frame_by_group: pd.DataFrame, m: Margins, composition=None) -> list[dict]:
    g = frame_by_group[frame_by_group["measure"] == "framing_index"]
    mostly = _mostly_one_type(composition)
    rows = []
    for r in sort_groups(_comparable(g)).to_dict(orient="records"):
        v = judge_direction(as_float(r["ci_low"]), as_float(r["ci_high"]), m.index, below=True)
        v = Verdict(v.verdict, v.reason + _P1_MEANING.get(v.verdict, ""))
        small = bool(r.get("small_n"))
        cautions = [f"only {integer(r['n_docs'])} documents: read with caution"] if small else []
        cautions += [mostly[k] for k in [(r["country"], r["administration"])] if k in mostly]
        rows.append(_row(
            "P1", f"{r['country']} · {r['administration']}", "framing_index",
            (r["mean"], r["ci_low"], r["ci_high"], r["n_docs"], float("nan"), m.index), v,
            caution="; ".join(cautions), small_n=small,
            in_window=in_window(r["country"], r["administration"]),
        ))  # fmt: skip
    return rows


def _p2_rows(cooccurrence_by_group: pd.DataFrame, m: Margins) -> list[dict]:
    rows = []
    for g in cooccurrence_groups(_comparable(cooccurrence_by_group)):
        cautions = [] if not g["small_n"] else [f"only {integer(g['n'])} documents"]
        share = f"{pct(g['share'])} {ci_text(g['share_lo'], g['share_hi'], percent=True)}"
        if g["oe"] is None:
            v = Verdict(
                NOT_JUDGED,
                f"no null model: not judged ({share} of humanitarian hits "
                "sit in sentences that also carry security language; without the share "
                "expected by chance this cannot tell framing from the number of hits)",
            )
            values = (g["share"], g["share_lo"], g["share_hi"], g["n"], float("nan"), float("nan"))
            measure, asym = "hum_in_sec_share", False  # fmt: skip
        else:
            oe, lo, hi = g["oe"]
            v = judge_direction(lo - 1.0, hi - 1.0, m.index, below=False)
            v = Verdict(v.verdict, v.reason.replace("zero", "1 (chance)") + f": observed/expected "
                        f"{num(oe, 2)}, share {share}")  # fmt: skip
            rev = g["reverse_oe"]
            asym = rev is not None and as_float(lo) > as_float(rev[2])
            if rev is not None:
                cautions.append(f"reverse O/E {num(rev[0], 2)} {ci_text(rev[1], rev[2], 2)}")
            if asym:
                v = Verdict(
                    v.verdict,
                    v.reason + "; above the reverse direction (security "
                    "hits inside humanitarian sentences): intervals do not overlap",
                )
            values = (oe, lo, hi, g["n"], float("nan"), m.index)
            measure = "hum_in_sec_oe"
        rows.append(_row("P2", f"{g['country']} · {g['administration']}", measure, values, v,
                         caution="; ".join(cautions), small_n=g["small_n"], asymmetry=asym,
                         in_window=in_window(g["country"], g["administration"])))  # fmt: skip
    return rows


def _p3_reason(v: Verdict, r: dict, adjusted: dict | None, m: Margins) -> tuple[Verdict, str]:
    """The P3 verdict's words (direction, p-values, the standardised difference); caution."""
    reason = v.reason
    if v.verdict == CONTRADICTED:
        direction = ("rose (towards humanitarian language)" if as_float(r["difference"]) > 0
                     else "fell (towards security language)")  # fmt: skip
        reason += f": the index {direction}"
        if as_float(r["p_holm"]) >= 0.05:
            reason += _NOT_BELOW
    reason += f" (permutation {p_is(r['p_perm'])}, Holm {p_is(r['p_holm'])})"
    caution = "small n" if bool(r.get("small_n")) else ""
    if adjusted is not None:
        std = adjusted.get("standardised")
        if std is None or not std["comparable"]:
            caution = "; ".join(c for c in (caution, "no common document type: the difference "
                                            "may be one of genre") if c)  # fmt: skip
        else:
            sv = judge_no_difference(as_float(std["ci_low"]), as_float(std["ci_high"]), m.index)
            reason += (f"; standardised to the common document types ({std['genres_used']}): "
                       f"{num(std['difference'])} {ci_text(std['ci_low'], std['ci_high'])}, "
                       f"{sv.verdict}")  # fmt: skip
            if sv.verdict != v.verdict:
                caution = "; ".join(c for c in (caution, "the verdict changes when document "
                                                "types are held fixed") if c)  # fmt: skip
    return Verdict(v.verdict, reason), caution


def _p3_rows(frame_differences: pd.DataFrame, adjusted: Mapping, m: Margins) -> list[dict]:
    d = frame_differences[
        (frame_differences["measure"] == "framing_index")
        & (frame_differences["comparison"] == "administration")
    ]
    rows = []
    for r in d.to_dict(orient="records"):
        if not (in_window(r["country"], r["group_a"]) and in_window(r["country"], r["group_b"])):
            continue
        v = judge_no_difference(as_float(r["ci_low"]), as_float(r["ci_high"]), m.index)
        key = ("administration", r["country"], r["group_a"], r["group_b"])
        v, caution = _p3_reason(v, r, adjusted.get(key) if adjusted else None, m)
        rows.append(_row(
            "P3", f"{r['country']} · {r['contrast']}", "framing_index",
            (r["difference"], r["ci_low"], r["ci_high"], r["n_a"], r["n_b"], m.index), v,
            caution=caution, small_n=bool(r.get("small_n")), in_window=True,
        ))  # fmt: skip
    return rows


def _p4_raw_rows(frame_differences: pd.DataFrame, adjusted: Mapping, m: Margins) -> list[dict]:
    d = frame_differences[
        (frame_differences["measure"] == "framing_index")
        & (frame_differences["comparison"] == "country")
    ]
    rows = []
    for r in d.to_dict(orient="records"):
        raw = (adjusted.get(("country", r["country"], r["group_a"], r["group_b"])) or {}).get("raw")
        if raw is not None and bool(raw["comparable"]):  # one instrument: judge it
            v = judge_no_difference(as_float(r["ci_low"]), as_float(r["ci_high"]), m.index)
            v = Verdict(v.verdict, v.reason + f" (Holm {p_is(r['p_holm'])})")
        else:
            v = Verdict(NOT_COMPARABLE, _DIFFERENT_INSTRUMENTS)
        rows.append(_row(
            "P4", f"{r.get('period') or ''} · raw framing index", "framing_index",
            (r["difference"], r["ci_low"], r["ci_high"], r["n_a"], r["n_b"], m.index), v,
            caution="small n" if bool(r.get("small_n")) else "", small_n=bool(r.get("small_n")),
            in_window=_period_in_window(r.get("period_start"), r.get("period_end")),
        ))  # fmt: skip
    return rows


def _p4_prevalence_rows(prevalence_differences, prevalence, m: Margins) -> list[dict]:
    rows = []
    for p in prevalence_rows(prevalence_differences, prevalence):
        v = judge_no_difference(p["ci_low"], p["ci_high"], m.prevalence)
        if v.verdict == CONTRADICTED:
            v = Verdict(v.verdict, v.reason + ": Mexico's corrected share is "
                        + ("higher" if p["difference"] > 0 else "lower"))  # fmt: skip
        caution = "a group has too few coded units for a stable correction" if p["unstable"] else ""
        rows.append(_row(
            "P4", p["label"], p["measure"],
            (p["difference"], p["ci_low"], p["ci_high"], p["n"], p["n_b"], m.prevalence), v,
            caution=caution, small_n=p["unstable"],
            in_window=in_window(*p["group_a"]) and in_window(*p["group_b"]),
            rests_on="frame_prevalence_differences",
        ))  # fmt: skip
    return rows


def propositions(
    frame_by_group: pd.DataFrame | None = None,
    frame_differences: pd.DataFrame | None = None,
    cooccurrence_by_group: pd.DataFrame | None = None,
    *,
    frame_differences_adjusted: pd.DataFrame | None = None,
    frame_prevalence_differences: pd.DataFrame | None = None,
    frame_prevalence: pd.DataFrame | None = None,
    frame_composition: pd.DataFrame | None = None,
    margins: Margins | None = None,
) -> pd.DataFrame:
    """Judge the propositions P1-P4 by the intervals of a run's comparison tables.

    Parameters
    ----------
    frame_by_group, frame_differences, cooccurrence_by_group : DataFrame, optional
        The comparison tables; a proposition whose table is missing gets no rows.
    frame_differences_adjusted : DataFrame, optional
        Genre-adjusted differences: P3 quotes the standardised difference, P4 reads which
        raw differences compare one instrument.
    frame_prevalence_differences, frame_prevalence : DataFrame, optional
        Corrected prevalence: P4 judges its between-country differences.
    frame_composition : DataFrame, optional
        P1 cautions groups made mostly (>= 75%) of one document type.
    margins : Margins, optional
        Equivalence margins (default index 0.1, prevalence 0.05).

    Returns
    -------
    DataFrame
        The ``propositions`` table, rows in proposition order (P1-P4), groups in group order:
        proposition, label, claim, measure, n, n_b, estimate, ci_low, ci_high, margin (the
        equivalence margin used), verdict (one of ``VERDICTS``), reason, caution, small_n,
        in_window, asymmetry (P2), rests_on (the table judged).
    """
    m = margins or Margins()
    adjusted = adjusted_lookup(frame_differences_adjusted)
    rows: list[dict] = []
    if frame_by_group is not None:
        rows += _p1_rows(frame_by_group, m, frame_composition)
    if cooccurrence_by_group is not None:
        rows += _p2_rows(cooccurrence_by_group, m)
    if frame_differences is not None:
        rows += _p3_rows(frame_differences, adjusted, m) + _p4_raw_rows(
            frame_differences, adjusted, m
        )
    if frame_prevalence_differences is not None:
        rows += _p4_prevalence_rows(frame_prevalence_differences, frame_prevalence, m)
    table = pd.DataFrame(rows, columns=columns_of("propositions"))
    return table.astype(_DTYPES)


def propositions_from_tables(
    tables: Mapping[str, pd.DataFrame], config: Any = None
) -> pd.DataFrame:
    """``propositions`` from a run's tables (those present) and its ``CompareConfig`` margins."""
    margins = Margins(
        getattr(config, "equivalence_margin", Margins.index),
        getattr(config, "equivalence_margin_prevalence", Margins.prevalence),
    )
    names = (
        "frame_differences_adjusted",
        "frame_prevalence_differences",
        "frame_prevalence",
        "frame_composition",
    )
    return propositions(
        tables.get("frame_by_group"), tables.get("frame_differences"),
        tables.get("cooccurrence_by_group"), **{n: tables.get(n) for n in names},
        margins=margins,
    )  # fmt: skip


_TEXT = ("proposition", "label", "claim", "measure", "verdict", "reason", "caution", "rests_on")
_DTYPES = {
    **dict.fromkeys(_TEXT, "str"),
    "n": "int64",
    "n_b": "float64",
    "estimate": "float64",
    "ci_low": "float64",
    "ci_high": "float64",
    "margin": "float64",
    "small_n": "bool",
    "in_window": "bool",
    "asymmetry": "bool",
}
