"""Rows, notes and text of the frame prevalence tables (from ``GroupEstimates``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.analysis.stats.frame_prevalence_differences import group_label
from framelens.analysis.stats.frame_prevalence_estimates import GroupEstimates
from framelens.analysis.stats.frame_prevalence_resampling import percentile_interval
from framelens.schemas.measurement import frame_prevalence_schema

#: Relative difference between the run's sentences of a group and the design's population
#: above which a note says so (a new segmentation, added or dropped documents).
POPULATION_TOLERANCE = 0.05


@dataclass
class GroupRows:
    """The table rows of one group and what the differences need."""

    rows: pd.DataFrame
    for_differences: dict


def empty_table(group_columns: Sequence[str]) -> pd.DataFrame:
    """An empty ``frame_prevalence`` table with the schema's columns."""
    cols = list(frame_prevalence_schema(tuple(group_columns)).columns)
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def _notes(
    est: GroupEstimates,
    s: int,
    k: int,
    min_coded: int,
    has_design: bool,
    population: str,
    clipped: str,
) -> tuple[list[str], bool]:
    n_coded, notes = int(est.n_coded[s]), []
    if est.n_sentences[s] == 0:
        notes.append("no sentences in this subset")
    if not has_design:
        notes.append("no design sample: corrected share not estimated")
    elif n_coded == 0:
        notes.append("no coded units in this group and subset: corrected share not estimated")
    else:
        if n_coded < min_coded:
            notes.append(
                f"{n_coded} coded units (fewer than {min_coded}): the correction is unstable"
            )
        group_strata = int(est.coded_strata[0])
        if est.coded_strata[s] < group_strata:
            notes.append(
                f"coded units from {int(est.coded_strata[s])} of the group's {group_strata} strata"
            )
        if est.agree[s, k]:
            notes.append("coders and instrument agree on every coded unit")
    notes += [x for x in (population, clipped) if x]
    return notes, n_coded < min_coded


def _population_note(est: GroupEstimates, design_population: int | None) -> str:
    if not design_population:
        return ""
    n = int(est.n_sentences[0])
    rel = n / design_population - 1.0
    if abs(rel) <= POPULATION_TOLERANCE:
        return ""
    return (
        f"the run has {n:,} sentences in this group, the design's population "
        f"{design_population:,} ({rel:+.0%}): the sentences may have changed"
    )


def _clip(value: float) -> tuple[float, str]:
    if np.isfinite(value) and value < 0:
        return 0.0, f"corrected estimate {value:.4f} below 0, shown as 0"
    if np.isfinite(value) and value > 1:
        return 1.0, f"corrected estimate {value:.4f} above 1, shown as 1"
    return float(value), ""


def _row(est: GroupEstimates, s: int, k: int, corrected_draws: np.ndarray, level: float) -> dict:
    naive = float(est.naive[s, k])
    n_lo, n_hi = percentile_interval(est.naive_draws[:, s, k], level)
    c_lo, c_hi = percentile_interval(corrected_draws[:, s, k], level)
    with np.errstate(invalid="ignore"):
        se_corpus = float(np.nanstd(est.naive_draws[:, s, k])) if np.isfinite(naive) else np.nan
        se_coded = float(np.nanstd(est.residual_draws[:, s, k])) if est.n_coded[s] else np.nan
    return {
        "n_sentences": int(est.n_sentences[s]),
        "n_documents": int(est.n_documents[s]),
        "n_coded": int(est.n_coded[s]),
        "n_coded_positive": int(est.n_coded_positive[s, k]),
        "coded_strata": int(est.coded_strata[s]),
        "naive": naive,
        "naive_ci_low": n_lo,
        "naive_ci_high": n_hi,
        "coded_share": float(est.coded_share[s, k]),
        "coded_naive": float(est.coded_naive[s, k]),
        "corrected_ci_low": c_lo,
        "corrected_ci_high": c_hi,
        "se_corpus": se_corpus,
        "se_coded": se_coded,
    }


def group_rows(
    key: tuple,
    est: GroupEstimates,
    subsets: Sequence[str],
    frames: Sequence[str],
    instrument: str,
    level: float,
    min_coded: int,
    design_population: int | None,
    has_design: bool,
    group_columns: Sequence[str] | None = None,
) -> GroupRows:
    """The ``frame_prevalence`` rows of one group (one per subset x frame)."""
    group_columns = list(group_columns or ("country", "language", "administration"))[: len(key)]
    corrected_draws = np.clip(est.corrected_draws, 0.0, 1.0)
    corrected_point = np.full_like(est.naive, np.nan)
    unstable = np.zeros_like(est.naive, dtype=bool)
    population = _population_note(est, design_population)
    rows = []
    for s, subset in enumerate(subsets):
        for k, frame in enumerate(frames):
            corrected, clipped = _clip(float(est.corrected[s, k]))
            notes, unstable[s, k] = _notes(est, s, k, min_coded, has_design, population, clipped)
            corrected_point[s, k] = corrected
            row = {
                **dict(zip(group_columns, key, strict=True)),
                "subset": subset,
                "frame": frame,
                "instrument": instrument,
                **_row(est, s, k, corrected_draws, level),
            }
            row["corrected"] = corrected
            row["correction"] = corrected - row["naive"]
            row["unstable"] = bool(unstable[s, k])
            row["ci_level"], row["note"] = level, "; ".join(notes)
            rows.append(row)
    table = pd.DataFrame(rows)[list(frame_prevalence_schema(tuple(group_columns)).columns)]
    draws = {
        "naive": {"point": est.naive, "draws": est.naive_draws},
        "corrected": {"point": corrected_point, "draws": corrected_draws},
        "unstable": unstable,
    }
    return GroupRows(table, draws)


def _group_columns(table: pd.DataFrame) -> list[str]:
    """The grouping columns of a ``frame_prevalence`` table: those before ``subset``."""
    cols = list(table.columns)
    return cols[: cols.index("subset")]


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{100 * x:.1f}%"


def summary_text(table: pd.DataFrame, params: dict) -> str:
    """Naive and corrected shares (all sentences) of every group, as text."""
    lines = [
        f"Frame prevalence ({params.get('instrument', '')}; {int(100 * params.get('ci_level', 0.95))}% "
        f"intervals, {params.get('n_boot')} replicates, seed {params.get('seed')})",
    ]
    if params.get("design_sample"):
        lines.append(
            f"coded units: {params.get('coded_units')} ({params.get('matched_by_offsets')} matched by "
            f"offsets, {params.get('matched_by_text')} by text, {params.get('unmatched')} unmatched)"
        )
    group_cols = _group_columns(table)
    for _, r in table[table["subset"] == "all"].iterrows():
        label = group_label([r[c] for c in group_cols])
        flag = " unstable" if r["unstable"] else ""
        lines.append(
            f"  {label:<34} {r['frame']:<13} naive {_pct(r['naive']):>6} "
            f"[{_pct(r['naive_ci_low'])}, {_pct(r['naive_ci_high'])}]  corrected "
            f"{_pct(r['corrected']):>6} [{_pct(r['corrected_ci_low'])}, {_pct(r['corrected_ci_high'])}]"
            f"  n_coded {int(r['n_coded'])}{flag}"
        )
    return "\n".join(lines)


def _sentence(label: str, r: pd.Series) -> str:
    head = (
        f"{label}, {r['frame']}: {r['instrument']} flags {_pct(r['naive'])} of sentences "
        f"[{_pct(r['naive_ci_low'])}, {_pct(r['naive_ci_high'])}]"
    )
    if not np.isfinite(r["corrected"]):
        return f"{head}; not corrected: no coded units."
    points = 100 * (r["corrected"] - r["naive"])
    direction = "higher" if points > 0 else "lower"
    text = (
        f"{head}; corrected with {int(r['n_coded'])} coded sentences, {_pct(r['corrected'])} "
        f"[{_pct(r['corrected_ci_low'])}, {_pct(r['corrected_ci_high'])}], "
        f"{abs(points):.1f} points {direction}"
    )
    if r["corrected_ci_low"] <= r["naive"] <= r["corrected_ci_high"]:
        text += " (the naive share lies within the corrected interval)"
    if r["unstable"]:
        text += "; unstable: too few coded units"
    return text + "."


def what_changed(table: pd.DataFrame, subset: str = "all") -> list[str]:
    """One plain sentence per group and frame on what the correction changed."""
    group_cols = _group_columns(table)
    return [
        _sentence(group_label([r[c] for c in group_cols]), r)
        for _, r in table[table["subset"] == subset].iterrows()
    ]
