"""The figures of a run, in the report's order, and ``write_figures`` that draws them all."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from framelens.core.io import read_optional_table
from framelens.outputs.figures.cooccurrence import (
    draw_actor_frames,
    draw_cooccurrence_by_administration,
)
from framelens.outputs.figures.framing import draw_framing_by_administration
from framelens.outputs.figures.prevalence import draw_frame_prevalence
from framelens.outputs.figures.rates import (
    draw_frame_rates_by_administration,
    draw_framing_over_time,
)
from framelens.outputs.figures.style import save_figure
from framelens.outputs.figures.topics import draw_topic_prevalence
from framelens.outputs.figures.validation import draw_lexicon_validation

log = logging.getLogger("framelens")

#: name -> (table it draws, draw function, caption). The order is the report's order.
FIGURES: dict[str, tuple[str, Callable[[pd.DataFrame], Figure], str]] = {
    "framing_by_administration": (
        "frame_by_group",
        draw_framing_by_administration,
        "Mean framing index per administration with its interval; below zero, security "
        "language outweighs humanitarian language.",
    ),
    "frame_prevalence": (
        "frame_prevalence",
        draw_frame_prevalence,
        "Share of sentences carrying each frame per administration: the instrument's naive "
        "share and the share corrected with the coded probability sample, with intervals.",
    ),
    "frame_rates_by_administration": (
        "frame_by_group",
        draw_frame_rates_by_administration,
        "Lexicon hits per 1,000 tokens for each frame.",
    ),
    "framing_over_time": (
        "frame_timeseries",
        draw_framing_over_time,
        "Framing index over time per country, with bootstrap bands and inauguration dates.",
    ),
    "cooccurrence_by_administration": (
        "cooccurrence_by_group",
        draw_cooccurrence_by_administration,
        "Share of one frame's hits that sit in sentences that also carry the other frame.",
    ),
    "topic_prevalence": (
        "topic_prevalence",
        draw_topic_prevalence,
        "Mean share of each topic in the documents of each administration.",
    ),
    "actor_frames": (
        "actors_by_group",
        draw_actor_frames,
        "Share of the sentences mentioning an actor that carry each frame.",
    ),
    "lexicon_validation": (
        "lexicon_validation",
        draw_lexicon_validation,
        "F1 of the lexicon against hand-coded sentences, per frame and language.",
    ),
}


def write_figures(out_dir: str | os.PathLike, dpi: int = 300) -> dict[str, dict[str, Path]]:
    """Draw every figure whose table exists under ``<out_dir>/tables`` into ``<out_dir>/figures``.

    Parameters
    ----------
    out_dir : path
        A run's output folder.
    dpi : int, default 300
        Resolution of the PNG files.

    Returns
    -------
    dict
        Figure name -> {"pdf": path, "png": path}. Figures whose table is missing are skipped
        (logged); empty tables give a "No data" figure.
    """
    out_dir = Path(out_dir)
    tables_dir = out_dir / "tables"
    written: dict[str, dict[str, Path]] = {}
    cache: dict[str, pd.DataFrame | None] = {}
    for name, (table_name, draw, _caption) in FIGURES.items():
        if table_name not in cache:
            cache[table_name] = read_optional_table(tables_dir, table_name)
        table = cache[table_name]
        if table is None:
            log.info("figure %s skipped: table %s not found", name, table_name)
            continue
        written[name] = save_figure(draw(table), out_dir / "figures" / name, dpi=dpi)
    return written
