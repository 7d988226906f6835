"""The by-administration layout shared by the framing, rate and co-occurrence figures: one
panel per country, administrations on x, one dodged series per measure, with intervals and n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.outputs.figures.parts import (
    administrations,
    ci_label,
    compared_rows,
    countries,
    footer,
    interval,
    min_n_label,
    n_labels,
)
from framelens.outputs.figures.style import (
    COUNTRY_COLORS,
    COUNTRY_MARKERS,
    COUNTRY_NAMES,
    GREY,
    new_figure,
    no_data,
    style,
)

_NEED = {"measure", "country", "administration", "mean", "ci_low", "ci_high", "n_docs"}


def by_admin_panels(
    df: pd.DataFrame,
    measures: list[str],
    *,
    title: str,
    ylabel: str,
    colors: dict[str, str] | None,
    markers: dict[str, str] | None,
    labels: dict[str, str],
    scale: float = 1.0,
    ylim: tuple[float, float] | None = None,
    zero_line: bool = False,
) -> Figure:
    """Panels per country, administrations on x, one dodged series per measure."""
    if not measures or not _NEED <= set(df.columns):
        return no_data(title, "No data")
    df = compared_rows(df[df["measure"].isin(measures)])
    if df.empty or df["mean"].notna().sum() == 0:
        return no_data(title, "No data: no administration with a value")
    present = countries(df)
    widths = [max(1, len(administrations(df, c))) for c in present]
    with style():
        legend_w = (
            0.6 + 0.065 * max(len(labels.get(m, m)) for m in measures) if len(measures) > 1 else 0
        )
        fig = new_figure(max(4.5, 1.6 + 1.25 * sum(widths)) + legend_w, 3.6)
        axes = fig.subplots(1, len(present), sharey=True, squeeze=False,
                            gridspec_kw={"width_ratios": widths})[0]  # fmt: skip
        for ax, country in zip(axes, present, strict=True):
            _country_panel(ax, df, country, measures, colors, markers, labels, scale)
            if zero_line:
                ax.axhline(0, color=GREY, lw=0.8, ls="--", zorder=0)
            ax.grid(axis="y", color="#dddddd", lw=0.5)
            ax.set_axisbelow(True)
        if ylim:
            axes[0].set_ylim(*ylim)
        axes[0].set_ylabel(ylabel)
        if len(measures) > 1:
            fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper",
                       frameon=False)  # fmt: skip
        fig.suptitle(title, fontsize=10)
        footer(fig, f"Points: {'means' if scale == 1 else 'shares'}; lines: {ci_label(df)} "
               f"bootstrap intervals; hollow: fewer than {min_n_label(df)} documents; "
               f"n = documents with a value; weighting: {df['weighting'].iloc[0]}.")  # fmt: skip
    return fig


def _country_panel(ax, df, country, measures, colors, markers, labels, scale) -> None:
    admins = administrations(df, country)
    sub = df[df["country"] == country]
    m = len(measures)
    offsets = np.linspace(-0.12 * (m - 1), 0.12 * (m - 1), m) if m > 1 else [0.0]
    for off, measure in zip(offsets, measures, strict=True):
        s = sub[sub["measure"] == measure].set_index("administration").reindex(admins)
        color = colors[measure] if colors else COUNTRY_COLORS.get(country, GREY)
        marker = markers[measure] if markers else COUNTRY_MARKERS.get(country, "o")
        interval(ax, np.arange(len(admins)) + off, s["mean"] * scale,
                 s["ci_low"] * scale, s["ci_high"] * scale, color, marker,
                 s["small_n"].fillna(True).astype(bool),
                 label=labels.get(measure, measure))  # fmt: skip
    n = sub.groupby("administration")["n_docs"].max().reindex(admins).fillna(0) if len(sub) else []
    n_labels(ax, np.arange(len(admins)), n)
    ax.set_xticks(np.arange(len(admins)), admins, rotation=20, ha="right")
    ax.set_xlim(-0.6, len(admins) - 0.4)
    ax.set_title(COUNTRY_NAMES.get(country, country))
