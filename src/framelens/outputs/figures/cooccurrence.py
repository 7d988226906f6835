"""Frames together and around actors: co-occurrence of the two frames within sentences (table
``cooccurrence_by_group``) and the frame mix of sentences that mention each actor (table
``actors_by_group``)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from framelens.analysis.stats.cooccurrence import cooccurrence_long
from framelens.core.domain import FRAMES
from framelens.outputs.figures.panels import by_admin_panels
from framelens.outputs.figures.parts import (
    ci_label,
    compared_rows,
    dodged_rows,
    group_legend,
    groups_of,
)
from framelens.outputs.figures.style import FRAME_COLORS, new_figure, no_data, save_figure, style


def draw_cooccurrence_by_administration(table: pd.DataFrame) -> Figure:
    """Shares of hits in sentences that also carry the other frame (``cooccurrence_by_group``)."""
    if "measure" not in table.columns and not table.empty:  # one row per group -> long layout
        table = cooccurrence_long(table)
    return by_admin_panels(
        table,
        [
            m
            for m in ("hum_in_sec_share", "sec_in_hum_share")
            if m in set(table.get("measure", pd.Series(dtype=object)))
        ],  # fmt: skip
        title="Co-occurrence: frame language inside sentences of the other frame",
        ylabel="Share of hits (%)",
        colors={
            "hum_in_sec_share": FRAME_COLORS["humanitarian"],
            "sec_in_hum_share": FRAME_COLORS["security"],
        },  # fmt: skip
        markers={"hum_in_sec_share": "o", "sec_in_hum_share": "s"},
        labels={
            "hum_in_sec_share": "Humanitarian hits in security sentences",
            "sec_in_hum_share": "Security hits in humanitarian sentences",
        },
        scale=100.0,
        ylim=(-2, 102),
    )


def plot_cooccurrence_by_administration(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the co-occurrence-by-administration figure."""
    return save_figure(draw_cooccurrence_by_administration(table), stem, dpi)


def top_actors(df: pd.DataFrame, top: int) -> tuple[list[str], pd.Series]:
    """The ``top`` actors by sentence mentions over all groups (ties by name), and the counts."""
    mentions = (
        df.drop_duplicates(["actor", "country", "administration"])
        .groupby("actor")["n_mentions"]
        .sum()
    )
    return sorted(mentions.index, key=lambda a: (-mentions[a], a))[:top], mentions


def draw_actor_frames(table: pd.DataFrame, top: int = 10) -> Figure:
    """Frame mix of the sentences that mention each actor, by country x administration.

    The ``top`` actors by mentions (over all groups) are shown; one panel per frame.
    """
    title = "Frames in sentences that mention each actor"
    need = {"actor", "country", "administration", "frame", "share", "ci_low", "ci_high"}
    if table.empty or not need <= set(table.columns):
        return no_data(title, "No data: no actor mentions")
    df = compared_rows(table).rename(columns={"share": "mean"})
    if df.empty:
        return no_data(title, "No data: no actor mentions in dated documents")
    actors, mentions = top_actors(df, top)
    df = df[df["actor"].isin(actors)].copy()
    df["n_docs_group"] = df["n_docs"]
    labels = {a: f"{a} ({int(mentions[a])})" for a in actors}
    df["row"] = df["actor"].map(labels)
    rows = [labels[a] for a in actors]
    frames = [f for f in FRAMES if f in set(df["frame"])]
    groups = groups_of(df)
    with style():
        fig = new_figure(2.6 * len(frames) + 1.6, 1.3 + 0.36 * len(rows) + 0.5)
        axes = fig.subplots(1, len(frames), sharey=True, squeeze=False)[0]
        for ax, frame in zip(axes, frames, strict=True):
            dodged_rows(df[df["frame"] == frame], "row", rows, ax, groups)
            ax.set_title(frame.capitalize(), color=FRAME_COLORS.get(frame, "black"))
            ax.set_xlabel("Sentences with the frame (%)")
            ax.set_xlim(-2, 102)
        axes[0].set_ylabel("Actor (sentence mentions)")
        group_legend(fig, df.assign(n_docs=df["n_mentions"]), groups)
        fig.suptitle(f"{title} ({ci_label(df)} intervals resampling documents; legend n = "
                     "mentions)", fontsize=10)  # fmt: skip
    return fig


def plot_actor_frames(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the actor x frame figure."""
    return save_figure(draw_actor_frames(table), stem, dpi)
