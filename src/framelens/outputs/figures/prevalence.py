"""Frame prevalence, naive and design-corrected, per group (table ``frame_prevalence``).

One panel per frame; one row per country x administration (subset "all"): the instrument's
naive share (hollow marker) and the corrected share (filled) with their intervals. Groups with
too few coded units (``unstable``) are drawn grey and say so; a group without coded units shows
only its naive share.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.core.domain import CODED_FRAMES, sort_groups
from framelens.outputs.figures.parts import ci_label, footer, interval
from framelens.outputs.figures.style import (
    FRAME_COLORS,
    GREY,
    new_figure,
    no_data,
    save_figure,
    style,
)

TITLE = (
    "Share of sentences carrying each frame\n"
    "○ naive (the instrument alone)   ■ corrected with the coded probability sample"
)


def _rows(table: pd.DataFrame, subset: str) -> pd.DataFrame:
    rows = table[table["subset"] == subset] if "subset" in table.columns else table
    return sort_groups(rows)


def _panel(ax, rows: pd.DataFrame, frame: str, labels: list[str]) -> None:
    sub = rows[rows["frame"] == frame].set_index(["country", "administration"])
    y = np.arange(len(labels))[::-1].astype(float)
    keys = [tuple(k.split(" · ", 1)) for k in labels]
    got = sub.reindex(keys)
    color = FRAME_COLORS.get(frame, GREY)
    unstable = got["unstable"].fillna(True).astype(bool).to_numpy()
    interval(ax, y + 0.15, got["naive"], got["naive_ci_low"], got["naive_ci_high"], GREY, "o",
             np.ones(len(y), bool), horizontal=True, label="naive")  # fmt: skip
    for flag, c in ((False, color), (True, GREY)):
        sel = unstable == flag
        if sel.any():
            interval(ax, y[sel] - 0.15, got["corrected"].to_numpy()[sel],
                     got["corrected_ci_low"].to_numpy()[sel],
                     got["corrected_ci_high"].to_numpy()[sel], c, "s", np.zeros(sel.sum(), bool),
                     horizontal=True, label="corrected" + (" (unstable)" if flag else ""))  # fmt: skip
    ax.set_yticks(y, labels)
    ax.set_xlim(left=0)
    ax.set_title(frame.capitalize())
    ax.set_xlabel("Share of sentences")
    ax.grid(axis="x", alpha=0.3)


def draw_frame_prevalence(table: pd.DataFrame, subset: str = "all") -> Figure:
    """The naive-vs-corrected prevalence figure of one ``subset`` (all|relevant|children)."""
    rows = _rows(table, subset)
    if rows.empty:
        return no_data(TITLE)
    groups = rows[["country", "administration"]].drop_duplicates()
    labels = [f"{c} · {a}" for c, a in groups.itertuples(index=False)]
    frames = [f for f in CODED_FRAMES if f in set(rows["frame"])]
    with style():
        fig = new_figure(3.4 * len(frames) + 1.2, 0.42 * len(labels) + 1.6)
        axes = fig.subplots(1, len(frames), sharey=True, squeeze=False)[0]
        for ax, frame in zip(axes, frames, strict=True):
            _panel(ax, rows, frame, labels)
        fig.suptitle(TITLE, fontsize=9)
        footer(fig, f"{ci_label(rows)} intervals; subset: {subset} sentences; grey squares: "
                    "too few coded units for a stable correction; no square: no coded units.")  # fmt: skip
    return fig


def plot_frame_prevalence(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the frame-prevalence figure as ``<stem>.pdf/.png``."""
    return save_figure(draw_frame_prevalence(table), stem, dpi)
