"""Assemble the report's context from a run's tables and run.json, and render the page."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.io import atomic_write_text, read_optional_table
from framelens.outputs.report.corpus import corpus_section
from framelens.outputs.report.embedded import embedded_figures
from framelens.outputs.report.limitations import limitations, no_hit_documents
from framelens.outputs.report.measurement import measurement_section
from framelens.outputs.report.methods import methods_section
from framelens.outputs.report.propositions import proposition_sections, verdict_margins
from framelens.outputs.report.results import results_section
from framelens.outputs.run_record import read_run_record

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

#: The tables the report reads (all optional; the missing ones are named on the page).
TABLE_NAMES = (
    "documents", "quarantine", "frame_by_group", "frame_composition", "frame_differences",
    "frame_differences_adjusted", "frame_regression", "frame_timeseries",
    "cooccurrence_by_group", "actors_by_group", "topic_prevalence", "lexicon_validation",
    "frame_scores", "propositions", "frame_prevalence", "frame_prevalence_differences",
)  # fmt: skip


def _provenance(run: dict[str, Any]) -> dict[str, Any]:
    stamps = run.get("timestamps") or {}
    return {
        "framelens_version": run.get("framelens_version", "n/a"),
        "git_commit": run.get("git_commit") or "n/a (not a git checkout)",
        "corpus": run.get("corpus", "n/a"),
        "corpus_hash": run.get("corpus_hash", "n/a"),
        "seed": run.get("seed", "n/a"),
        "lexicon_version": run.get("lexicon_version", "n/a"),
        "started": stamps.get("started", "n/a"),
        "finished": stamps.get("finished", "n/a"),
        "packages": sorted((run.get("packages") or {}).items()),
        "json": json.dumps(run, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        if run
        else "",
    }


def _topic_selection(methods: dict[str, Any], tables_dir: Path, run: dict[str, Any]) -> None:
    chosen = read_optional_table(tables_dir, "topic_selection_chosen")
    if chosen is not None:
        cols = ["language", "k", "engine", "reason"]
        methods["topics"]["selection"] = chosen[cols].to_dict(orient="records")
        methods["topics"]["k_grid"] = (run.get("config") or {}).get("topics", {}).get("k_grid")


def build_context(out_dir: str | os.PathLike, figure_dpi: int = 110) -> dict[str, Any]:
    """Everything the template needs, read from ``<out_dir>/tables`` and ``run.json``."""
    out_dir = Path(out_dir)
    tables_dir = out_dir / "tables"
    run = read_run_record(out_dir)
    tables: dict[str, pd.DataFrame | None] = {
        name: read_optional_table(
            tables_dir, name, exclude=("text",) if name == "documents" else ()
        )
        for name in TABLE_NAMES
    }
    present = {name for name, table in tables.items() if table is not None}
    corpus = corpus_section(tables["documents"], tables["quarantine"], run)
    methods = methods_section(run, tables["lexicon_validation"], "topic_prevalence" in present)
    _topic_selection(methods, tables_dir, run)
    return {
        "title": "framelens report",
        "run_available": bool(run),
        "corpus": corpus,
        "methods": methods,
        "results": results_section(tables),
        "measurement": measurement_section(tables["frame_prevalence"], run),
        "figures": embedded_figures(tables, figure_dpi),
        "propositions": proposition_sections(tables["propositions"], present),
        "verdict_margins": verdict_margins(tables["propositions"], run),
        "limitations": limitations(tables, corpus, run),
        "no_hit_documents": no_hit_documents(tables),
        "provenance": _provenance(run),
        "missing_tables": [n for n in TABLE_NAMES if tables[n] is None],
    }


def render_report(out_dir: str | os.PathLike, figure_dpi: int = 110) -> Path:
    """Render ``<out_dir>/report/index.html`` from the run's tables and run.json.

    Parameters
    ----------
    out_dir : path
        A run's output folder (with ``tables/`` and ``run.json``).
    figure_dpi : int, default 110
        Resolution of the embedded PNG figures (screen resolution keeps the page small; the
        300 dpi figures for print are under ``figures/``).

    Returns
    -------
    Path
        The written ``index.html`` (self-contained: open it in any browser, offline).
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    html = env.get_template("report.html.j2").render(**build_context(out_dir, figure_dpi))
    return atomic_write_text(Path(out_dir) / "report" / "index.html", html)
