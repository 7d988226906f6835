"""The ``framelens topics ...`` commands as plain functions (the CLI is a thin layer over them).

Each reads the tables of an earlier run from ``<out>/tables`` (``sentences``, ``documents``),
works, and writes its outputs atomically under ``<out>``:

- ``topics_fit``      -> tables/topics.csv, doc_topics.parquet (+ .csv), topic_prevalence.csv,
                         topic_seed_ranks.csv; figures/topic_prevalence.{pdf,png}
- ``topics_select``   -> tables/topic_selection.csv, topic_selection_chosen.csv;
                         figures/topic_selection.{pdf,png}
- ``topics_intrusion``-> validation/intrusion/*_sheet.csv and validation/intrusion/answer_key/
- ``topics_score``    -> a scores table (and CSV when ``out_csv`` is given)
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from framelens.core.config import RunConfig
from framelens.core.io import atomic_write_bytes, read_table, table_to_csv_bytes
from framelens.models.fit import EXCERPT_COLUMNS, TopicResults, document_excerpts, fit_topics
from framelens.models.intrusion import score_intrusion
from framelens.models.selection import SelectionResult, select_topics
from framelens.outputs.figures import plot_prevalence, plot_selection
from framelens.outputs.intrusion_sheets import write_intrusion_sheets
from framelens.outputs.store import check_table, write_tables

#: Formats of the tables the topic commands write (``framelens run`` writes CSV + Parquet).
TOPIC_FORMATS = {
    "topics": ("csv",),
    "doc_topics": ("parquet", "csv"),
    "topic_prevalence": ("csv",),
    "topic_seed_ranks": ("csv",),
    "topic_selection": ("csv",),
    "topic_selection_chosen": ("csv",),
}


def _inputs(out: str | os.PathLike) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = Path(out) / "tables"
    return read_table(tables, "sentences"), read_table(tables, "documents")


def _flat(written: dict[str, dict[str, Path]]) -> dict[str, Path]:
    return {f"{name}.{fmt}": p for name, paths in written.items() for fmt, p in paths.items()}


def write_topic_tables(results: TopicResults, out: str | os.PathLike) -> dict[str, Path]:
    """Validate and write the tables and the prevalence figure of ``results`` under ``out``."""
    paths = _flat(write_tables(results.tables(), Path(out) / "tables", TOPIC_FORMATS))
    if not results.topic_prevalence.empty:
        for fmt, p in plot_prevalence(
            results.topic_prevalence, Path(out) / "figures" / "topic_prevalence"
        ).items():
            paths[f"topic_prevalence.{fmt}"] = p
    return paths


def topics_fit(out: str | os.PathLike, config: RunConfig | None = None) -> TopicResults:
    """``framelens topics fit``: fit the per-language models on a run's sentences and write
    the topic tables and prevalence figure."""
    config = config or RunConfig()
    sentences, documents = _inputs(out)
    results = fit_topics(sentences, documents, config.topics, config.seed)
    write_topic_tables(results, out)
    return results


def write_selection_figure(selection: SelectionResult, out: str | os.PathLike) -> dict[str, Path]:
    """Draw the coherence-exclusivity figure of ``selection`` (chosen k circled) under
    ``<out>/figures``; nothing when no grid point was fitted."""
    if selection.figure.empty:
        return {}
    chosen = selection.figure[["language", "engine", "k", "chosen"]]
    per_seed = selection.table.merge(chosen, on=["language", "engine", "k"], how="left")
    paths = plot_selection(per_seed, Path(out) / "figures" / "topic_selection")
    return {f"topic_selection.{fmt}": p for fmt, p in paths.items()}


def write_selection(selection: SelectionResult, out: str | os.PathLike) -> dict[str, Path]:
    """Write the selection table, the chosen k per language and the figure under ``out``."""
    paths = _flat(write_tables(selection.tables(), Path(out) / "tables", TOPIC_FORMATS))
    paths.update(write_selection_figure(selection, out))
    return paths


def topics_select(out: str | os.PathLike, config: RunConfig | None = None) -> SelectionResult:
    """``framelens topics select``: fit the k grid over seeds and write the selection table,
    the chosen k (with the rule's reason) and the coherence-exclusivity figure."""
    config = config or RunConfig()
    sentences, documents = _inputs(out)
    selection = select_topics(sentences, documents, config.topics, config.seed)
    write_selection(selection, out)
    return selection


def topics_intrusion(
    out: str | os.PathLike,
    config: RunConfig | None = None,
    *,
    n_top: int = 5,
    n_docs: int = 20,
) -> dict[str, Path]:
    """``framelens topics intrusion``: write word- and topic-intrusion sheets (and keys, in
    ``answer_key/``) under ``<out>/validation/intrusion`` from a run's topic tables."""
    config = config or RunConfig()
    tables = Path(out) / "tables"
    topics = read_table(tables, "topics")
    doc_topics = read_table(tables, "doc_topics")
    sentences = read_table(tables, "sentences")
    frames = [
        document_excerpts(sentences, sorted(g["doc_id"].unique()), str(lang))
        for lang, g in doc_topics.groupby("language", sort=True)
    ]
    excerpts = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EXCERPT_COLUMNS)
    )
    tables_view = SimpleNamespace(topics=topics, doc_topics=doc_topics, excerpts=excerpts)
    return write_intrusion_sheets(
        tables_view, Path(out) / "validation" / "intrusion", config.seed, n_top=n_top, n_docs=n_docs
    )


def topics_score(
    sheet: str | os.PathLike, key: str | os.PathLike, out_csv: str | os.PathLike | None = None
) -> pd.DataFrame:
    """``framelens topics score``: score a filled-in intrusion sheet against its key."""
    scores = check_table(score_intrusion(sheet, key), "intrusion_scores")
    if out_csv is not None:
        atomic_write_bytes(out_csv, table_to_csv_bytes(scores))
    return scores
