"""Lexicon validation: F1 against the hand-coded sentences with its interval, per frame and
language (table ``lexicon_validation``)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.core.domain import FRAMES
from framelens.outputs.columns import current_names
from framelens.outputs.figures.parts import footer, interval
from framelens.outputs.figures.style import (
    GREY,
    LANGUAGE_COLORS,
    LANGUAGE_NAMES,
    new_figure,
    no_data,
    save_figure,
    style,
)

#: The F1 the lexicon aims at (a dashed line in the figure, highlighted rows in the report).
F1_TARGET = 0.80


def draw_lexicon_validation(table: pd.DataFrame, target: float = F1_TARGET) -> Figure:
    """F1 of the lexicon against the hand-coded sentences, with intervals, per frame x language."""
    title = "Validation against hand-coded sentences"
    df = current_names(table)
    need = {"language", "frame", "f1", "f1_ci_low", "f1_ci_high"}
    if df.empty or not need <= set(df.columns):
        return no_data(title, "No data: the lexicon was not validated in this run")
    frames = [f for f in FRAMES if f in set(df["frame"])]
    frames += sorted(set(df["frame"]) - set(frames))
    languages = sorted(set(df["language"].dropna()) - {"all"}) or ["all"]
    if "instrument" not in df.columns:
        df = df.assign(instrument="lexicon")
    instruments = [i for i in ("lexicon", "classifier") if i in set(df["instrument"])]
    series = [(lang, ins) for lang in languages for ins in instruments]
    offsets = np.linspace(-0.3, 0.3, len(series)) if len(series) > 1 else [0.0]
    with style():
        fig = new_figure(3.4 + 2.2 * len(frames), 3.6)
        ax = fig.add_subplot()
        for off, (lang, ins) in zip(offsets, series, strict=True):
            sel = (df["language"] == lang) & (df["instrument"] == ins)
            s = df[sel].set_index("frame").reindex(frames)
            _language_series(ax, s, np.arange(len(frames)) + off, lang, ins, len(instruments) > 1)
        ax.axhline(target, color=GREY, ls="--", lw=0.8)
        ax.text(len(frames) - 0.45, target, f"target F1 = {target:.2f}", va="bottom",
                ha="right", fontsize=7, color=GREY)  # fmt: skip
        ax.set_xticks(np.arange(len(frames)), [f.capitalize() for f in frames])
        ax.set_xlim(-0.6, len(frames) - 0.4)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("F1 score (0–1)")
        ax.set_xlabel("Frame")
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", frameon=False)
        version = df["lexicon_version"].iloc[0] if "lexicon_version" in df else "?"
        ax.set_title(f"{title} (lexicon {version})")
        footer(fig, "F1 with its 95% interval (documents resampled); filled: lexicon, hollow: "
               "classifier (out of fold); n = coded sentences, + = coded with the frame.")  # fmt: skip
    return fig


def _language_series(
    ax, s: pd.DataFrame, x: np.ndarray, lang: str, instrument: str, named: bool
) -> None:
    """F1 points and intervals of one language and instrument (hollow: the classifier), with n
    and positives under the lexicon's points."""
    label = LANGUAGE_NAMES.get(lang, lang) + (f", {instrument}" if named else "")
    interval(ax, x, s["f1"], s["f1_ci_low"], s["f1_ci_high"], LANGUAGE_COLORS.get(lang, GREY),
             "o" if lang == "en" else "s", np.full(len(s), instrument == "classifier"),
             label=label)  # fmt: skip
    if "n" not in s or instrument != "lexicon":
        return
    for xi, n, npos in zip(x, s["n"], s.get("n_positive", s["n"]), strict=True):
        if pd.notna(n):
            ax.text(xi, 0.02, f"n={int(n)}\n+{int(npos)}" if pd.notna(npos) else f"n={int(n)}",
                    ha="center", va="bottom", fontsize=6, color=GREY)  # fmt: skip


def plot_lexicon_validation(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the lexicon validation figure."""
    return save_figure(draw_lexicon_validation(table), stem, dpi)
