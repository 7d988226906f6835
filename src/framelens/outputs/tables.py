"""Write comparison results as tables: CSV + Parquet (via ``framelens.core.io``) and LaTeX.

Writers read result objects or tables and never recompute. ``write_results`` writes through
the store (``framelens.outputs.store``: each table validated against its schema);
``regression_to_latex`` renders the ``frame_regression`` table as a booktabs table (one column
per measure, coefficients with their intervals below; no significance stars),
so that ``write_latex_tables(out_dir)`` can rebuild the LaTeX from a run's tables alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.formatting import num
from framelens.core.io import atomic_write_text, read_optional_table
from framelens.outputs.store import write_tables

__all__ = [
    "latex_escape",
    "regression_to_latex",
    "write_latex_tables",
    "write_results",
]

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

#: Human-readable names of measures in tables and figures.
MEASURE_LABELS = {
    "framing_index": "Framing index",
    "rate_humanitarian": "Humanitarian (per 1,000 tokens)",
    "rate_security": "Security (per 1,000 tokens)",
    "rate_cooperation": "Cooperation (per 1,000 tokens)",
    "hum_in_sec_share": "Humanitarian hits in security sentences",
    "sec_in_hum_share": "Security hits in humanitarian sentences",
}


def latex_escape(text: Any) -> str:
    """Escape LaTeX special characters in ``text`` (UTF-8 letters such as ó are kept)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _latex_foot(table: pd.DataFrame, references: list[str]) -> str:
    """The note below the LaTeX regression table: intervals, marks, references and notes."""
    refs = sorted(set(references))
    notes = sorted(
        {
            part
            for n in table["note"]
            if isinstance(n, str)
            for part in n.split("; ")
            if not part.startswith(("extrapolated", "one issuer"))
        }
    )  # marked instead
    level = float(table["ci_level"].iloc[0]) if "ci_level" in table.columns else 0.95
    foot = (
        f"{level * 100:g}\\% intervals in brackets (t reference with the degrees of freedom of the "
        "standard-error type; no significance stars)."
        + (" $^{\\dagger}$Extrapolated: the two cells compared share no document type."
           if "extrapolated" in table.columns and table["extrapolated"].astype(bool).any() else "")
        + (" $^{\\ddagger}$One issuer on a side of the comparison: confounded with that issuer."
           if "one_cluster" in table.columns and table["one_cluster"].astype(bool).any() else "")
        + f" Reference: {latex_escape('; '.join(refs))}."
    )  # fmt: skip
    if notes:
        foot += " " + latex_escape(" ".join(n.rstrip(".") + "." for n in notes))
    return foot


def regression_to_latex(
    table: pd.DataFrame,
    caption: str | None = None,
    label: str = "tab:frame-regression",
    digits: int = 3,
) -> str:
    """Render a ``frame_regression`` table as a booktabs LaTeX table.

    One column per measure; per term the coefficient (a dagger marks a term extrapolated
    beyond the document types its cells share) and its interval in brackets below, on t with
    the table's degrees of freedom; no significance stars. At the foot n, clusters and the
    standard-error type; the interval level, reference categories and notes below. Requires
    ``\\usepackage{booktabs}``.
    """
    if table.empty:
        return "% frame_regression: no model was fitted\n"
    measures = list(dict.fromkeys(table["measure"]))
    terms = list(dict.fromkeys(table["term"]))
    cell = {(r.measure, r.term): r for r in table.itertuples(index=False)}
    first = {m: table[table["measure"] == m].iloc[0] for m in measures}
    cap = caption or (
        "OLS of document measures on country and administration with a document-type control"
    )
    lines = [
        "\\begin{table}[ht]",
        "\\centering",
        f"\\caption{{{latex_escape(cap)}}}",
        f"\\label{{{latex_escape(label)}}}",
        "\\begin{tabular}{l" + "c" * len(measures) + "}",
        "\\toprule",
        " & ".join([""] + [latex_escape(MEASURE_LABELS.get(m, m)) for m in measures]) + " \\\\",
        "\\midrule",
    ]
    for term in terms:
        coefs, intervals = [latex_escape(term)], [""]
        for m in measures:
            r = cell.get((m, term))
            if r is None:
                coefs.append("")
                intervals.append("")
                continue
            coef = num(r.coef, digits, missing="")
            mark = ("\\dagger" if bool(getattr(r, "extrapolated", False)) else "") + (
                "\\ddagger" if bool(getattr(r, "one_cluster", False)) else ""
            )
            mark = f"^{{{mark}}}" if mark else ""
            coefs.append(f"${coef}{mark}$" if coef else "")
            lo, hi = num(r.ci_low, digits, missing=""), num(r.ci_high, digits, missing="")
            intervals.append(f"$[{lo}, {hi}]$" if lo and hi else "")
        lines.append(" & ".join(coefs) + " \\\\")
        lines.append(" & ".join(intervals) + " \\\\")
    lines.append("\\midrule")
    lines.append(" & ".join(["$n$"] + [str(int(first[m]["n"])) for m in measures]) + " \\\\")
    lines.append(
        " & ".join(
            ["Clusters"]
            + [
                "" if pd.isna(first[m]["n_clusters"]) else str(int(first[m]["n_clusters"]))
                for m in measures
            ]
        )
        + " \\\\"
    )
    lines.append(
        " & ".join(["SE"] + [latex_escape(first[m]["cov_type"]) for m in measures]) + " \\\\"
    )
    lines.append("\\bottomrule")
    lines.append("\\end{tabular}")
    foot = _latex_foot(table, [str(first[m]["reference"]) for m in measures])
    lines.append(f"\\par\\smallskip\\parbox{{0.95\\linewidth}}{{\\footnotesize {foot}}}")
    lines.append("\\end{table}")
    return "\n".join(lines) + "\n"


def _as_table(obj: Any) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, "table"):
        return obj.table
    raise TypeError(f"cannot write {type(obj).__name__} as a table")


def write_results(
    tables_dir: str | os.PathLike,
    *,
    frame: Any = None,
    regression: Any = None,
    timeseries: pd.DataFrame | None = None,
    cooccurrence: Any = None,
    actors: pd.DataFrame | None = None,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, dict[str, Path]]:
    """Write comparison results under ``tables_dir`` through the store (validated CSV +
    Parquet), and ``frame_regression.tex`` when there is a regression.

    Parameters
    ----------
    tables_dir : path
        Usually ``<out>/tables``.
    frame : ComparisonResult, optional
        Written as ``frame_by_group`` (``.groups``) and ``frame_differences``
        (``.differences``).
    regression : RegressionResult or DataFrame, optional
        Written as ``frame_regression`` (CSV, Parquet) and ``frame_regression.tex``.
    timeseries : DataFrame, optional
        ``frame_timeseries``.
    cooccurrence : ComparisonResult or DataFrame, optional
        ``cooccurrence_by_group`` (the ``.groups`` of a result).
    actors : DataFrame, optional
        ``actors_by_group``.
    extra : mapping of str to DataFrame, optional
        Further tables by name (each needs a registered schema).

    Returns
    -------
    dict
        table name -> {format: path}.
    """
    todo: dict[str, pd.DataFrame] = {}
    if frame is not None:
        todo["frame_by_group"] = frame.groups
        todo["frame_differences"] = frame.differences
    if regression is not None:
        todo["frame_regression"] = _as_table(regression)
    if timeseries is not None:
        todo["frame_timeseries"] = _as_table(timeseries)
    if cooccurrence is not None:
        todo["cooccurrence_by_group"] = (
            cooccurrence if isinstance(cooccurrence, pd.DataFrame) else cooccurrence.groups
        )
    if actors is not None:
        todo["actors_by_group"] = _as_table(actors)
    todo.update(extra or {})
    tables_dir = Path(tables_dir)
    out = write_tables(todo, tables_dir)
    if "frame_regression" in todo:
        out["frame_regression"]["tex"] = atomic_write_text(
            tables_dir / "frame_regression.tex", regression_to_latex(todo["frame_regression"])
        )
    return out


def write_latex_tables(out_dir: str | os.PathLike) -> list[Path]:
    """Rebuild the LaTeX tables of a run from its tables (``<out>/tables/*.tex``).

    Currently ``frame_regression.tex``. Missing tables are skipped. Returns the paths written.
    """
    tables_dir = Path(out_dir) / "tables"
    written = []
    reg = read_optional_table(tables_dir, "frame_regression")
    if reg is not None:
        written.append(
            atomic_write_text(tables_dir / "frame_regression.tex", regression_to_latex(reg))
        )
    return written
