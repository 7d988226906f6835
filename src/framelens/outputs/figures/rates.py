"""Frame language over groups and time: hits per 1,000 tokens by administration (table
``frame_by_group``) and the framing index per month or quarter (table ``frame_timeseries``)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.core.domain import ADMINISTRATIONS
from framelens.outputs.figures.panels import by_admin_panels
from framelens.outputs.figures.parts import ci_label, countries, footer
from framelens.outputs.figures.style import (
    COUNTRY_COLORS,
    COUNTRY_MARKERS,
    COUNTRY_NAMES,
    FRAME_COLORS,
    FRAME_MARKERS,
    GREY,
    new_figure,
    no_data,
    save_figure,
    style,
)


def draw_frame_rates_by_administration(table: pd.DataFrame) -> Figure:
    """Humanitarian, security and cooperation hits per 1,000 tokens by administration."""
    measures = [m for m in ("rate_humanitarian", "rate_security", "rate_cooperation")
                if m in set(table.get("measure", pd.Series(dtype=object)))]  # fmt: skip
    if not measures:
        return no_data("Frame rates by administration", "No data: no frame rates")
    return by_admin_panels(
        table,
        measures,
        title="Frame language by administration (hits per 1,000 tokens)",
        ylabel="Lexicon hits per 1,000 tokens",
        colors={f"rate_{f}": c for f, c in FRAME_COLORS.items()},
        markers={f"rate_{f}": mk for f, mk in FRAME_MARKERS.items()},
        labels={f"rate_{f}": f.capitalize() for f in FRAME_COLORS},
    )


def plot_frame_rates_by_administration(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the frame-rates-by-administration figure."""
    return save_figure(draw_frame_rates_by_administration(table), stem, dpi)


def draw_framing_over_time(table: pd.DataFrame, measure: str = "framing_index") -> Figure:
    """Framing index per month or quarter and country, bands and administration boundaries.

    Reads ``frame_timeseries``; a lower panel shows the documents per period.
    """
    title = "Framing index over time"
    need = {"measure", "country", "period_start", "period_end", "mean", "ci_low", "ci_high"}
    if not need <= set(table.columns):
        return no_data(title, "No data: no dated documents")
    df = table[table["measure"] == measure]
    if df.empty or df["mean"].notna().sum() == 0:
        return no_data(title, "No data: no dated documents")
    freq = str(df["freq"].iloc[0])
    bins = "monthly" if freq == "M" else "quarterly"
    with style():
        fig = new_figure(7.2, 4.4)
        ax, axn = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        _series(ax, axn, df, width_days=25 if freq == "M" else 80)
        _inaugurations(ax, axn, df)
        ax.axhline(0, color=GREY, lw=0.7, ls="-", zorder=0)
        ax.set_ylim(-1.08, 1.08)
        ax.set_ylabel("Framing index (H − S)/(H + S)")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", frameon=False)
        axn.set_ylabel("Documents (n)")
        axn.set_xlabel(f"Date ({bins} bins)")
        ax.set_title(f"{title} ({bins}; lines mark inaugurations)")
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        footer(fig, f"Bands: {ci_label(df)} bootstrap intervals (periods with 2+ documents); "
               f"weighting: {df['weighting'].iloc[0]}; undated documents left out.")  # fmt: skip
    return fig


def _midpoints(df: pd.DataFrame) -> pd.Series:
    start = pd.to_datetime(df["period_start"])
    return start + (pd.to_datetime(df["period_end"]) - start) / 2


def _series(ax, axn, df: pd.DataFrame, width_days: int) -> None:
    """Per country: the index with its band (upper panel), documents per period (lower)."""
    mid = _midpoints(df)
    present = countries(df)
    for i, country in enumerate(present):
        sel = (df["country"] == country).to_numpy()
        color = COUNTRY_COLORS.get(country, GREY)
        x = mid[sel]
        y = df.loc[sel, "mean"].to_numpy(dtype=float)
        lo = df.loc[sel, "ci_low"].to_numpy(dtype=float)
        hi = df.loc[sel, "ci_high"].to_numpy(dtype=float)
        band = np.isfinite(lo) & np.isfinite(hi)
        ax.fill_between(x, np.where(band, lo, np.nan), np.where(band, hi, np.nan),
                        color=color, alpha=0.18, lw=0)  # fmt: skip
        ax.plot(x, y, color=color, lw=1.2, marker=COUNTRY_MARKERS.get(country, "o"),
                markersize=3, label=COUNTRY_NAMES.get(country, country))  # fmt: skip
        shift = pd.to_timedelta((i - (len(present) - 1) / 2) * width_days / 2, unit="D")
        axn.bar(x + shift, df.loc[sel, "n_docs"], width=width_days / max(1, len(present)),
                color=color, alpha=0.8)  # fmt: skip


def _inaugurations(ax, axn, df: pd.DataFrame) -> None:
    """A vertical line and label at each inauguration inside the time range."""
    lo_t = pd.to_datetime(df["period_start"]).min()
    hi_t = pd.to_datetime(df["period_end"]).max()
    for country in countries(df):
        color = COUNTRY_COLORS.get(country, GREY)
        ls = "--" if country == "US" else ":"
        for day, name in ADMINISTRATIONS.get(country, []):
            t = pd.Timestamp(day)
            if lo_t <= t <= hi_t:
                for a in (ax, axn):
                    a.axvline(t, color=color, ls=ls, lw=0.9, alpha=0.8)
                ax.text(t, 1.0, f" {name}", rotation=90, va="top", ha="left", fontsize=6.5,
                        color=color, transform=ax.get_xaxis_transform())  # fmt: skip


def plot_framing_over_time(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the framing-over-time figure."""
    return save_figure(draw_framing_over_time(table), stem, dpi)
