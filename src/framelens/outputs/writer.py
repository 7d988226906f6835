"""Everything a run shows, written in one call: tables (validated), run.json, the LaTeX tables,
the figures and the HTML report (the figures and the report are drawn from the written tables,
so they re-render alone with ``framelens report``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.io import write_json
from framelens.outputs.figures import write_figures
from framelens.outputs.report import render_report
from framelens.outputs.store import write_tables
from framelens.outputs.tables import write_latex_tables


def render_outputs(out_dir: str | os.PathLike) -> Path:
    """Rebuild the LaTeX tables, the figures and the report from ``<out_dir>/tables`` and
    ``run.json``. Returns the report's path."""
    write_latex_tables(out_dir)
    write_figures(out_dir)
    return render_report(out_dir)


def write_all(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | os.PathLike,
    record: Mapping[str, Any] | None = None,
    *,
    csv: str = "tables",
) -> Path:
    """Write a run's tables, its record, LaTeX tables, figures and report under ``out_dir``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name -> table; each is validated against its schema before anything is written.
    out_dir : path
        The output folder (``tables/``, ``figures/``, ``report/``, ``run.json``).
    record : mapping, optional
        The run record, written as ``run.json`` before the report (which reads it).
    csv : {"tables", "all"}, default "tables"
        CSV policy of ``write_tables``: ``all`` also writes the sentence-level tables as CSV.

    Returns
    -------
    Path
        The written ``report/index.html``.
    """
    out_dir = Path(out_dir)
    write_tables(tables, out_dir / "tables", csv=csv)
    if record is not None:
        write_json(out_dir / "run.json", dict(record))
    return render_outputs(out_dir)
