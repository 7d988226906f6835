"""Publication figures of a run, one function per figure, each drawing one table.

Every figure shows point estimates with their intervals and the number of documents behind
them, uses the Okabe-Ito colour-blind-safe palette with redundant marker shapes, labels its axes
with units, and is written as PDF (fonts embedded as TrueType, no creation date) and PNG
(300 dpi, no date) atomically, so that the same table gives the same bytes. Empty or unusable
tables give a figure that says "No data" instead of an error.

Each ``plot_<name>(table, stem)`` writes ``<stem>.pdf`` and ``<stem>.png`` and returns their
paths; ``draw_<name>(table)`` returns the ``matplotlib.figure.Figure`` (for notebooks and the
HTML report). ``write_figures(out_dir)`` draws every figure whose table exists under
``<out_dir>/tables`` into ``<out_dir>/figures``.

No pyplot: figures are plain ``Figure`` objects on an Agg canvas, so nothing global (backend,
current figure) is touched and nothing leaks between figures.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from framelens.core.domain import ADMINISTRATION_ORDER, ADMINISTRATIONS, UNKNOWN
from framelens.core.io import atomic_write_bytes

log = logging.getLogger("framelens")

__all__ = [
    "FIGURES",
    "OKABE_ITO",
    "draw_actor_frames",
    "draw_cooccurrence_by_administration",
    "draw_frame_rates_by_administration",
    "draw_framing_by_administration",
    "draw_framing_over_time",
    "draw_lexicon_validation",
    "draw_topic_prevalence",
    "figure_png_bytes",
    "plot_actor_frames",
    "plot_cooccurrence_by_administration",
    "plot_frame_rates_by_administration",
    "plot_framing_by_administration",
    "plot_framing_over_time",
    "plot_lexicon_validation",
    "plot_topic_prevalence",
    "save_figure",
    "write_figures",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
COUNTRY_COLORS = {"US": OKABE_ITO["blue"], "MX": OKABE_ITO["vermillion"]}
COUNTRY_MARKERS = {"US": "o", "MX": "s"}
COUNTRY_NAMES = {"US": "United States", "MX": "Mexico"}
FRAME_COLORS = {
    "humanitarian": OKABE_ITO["bluish_green"],
    "security": OKABE_ITO["vermillion"],
    "cooperation": OKABE_ITO["sky_blue"],
}
FRAME_MARKERS = {"humanitarian": "o", "security": "s", "cooperation": "^"}
LANGUAGE_COLORS = {"en": OKABE_ITO["blue"], "es": OKABE_ITO["orange"]}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
#: Colours of administrations (by position in office within a country); yellow left out (low
#: contrast on white).
_GROUP_COLORS = {
    "US": [OKABE_ITO["black"], OKABE_ITO["blue"], OKABE_ITO["sky_blue"], OKABE_ITO["bluish_green"]],
    "MX": [
        OKABE_ITO["black"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["orange"],
        OKABE_ITO["reddish_purple"],
    ],
}
_GREY = "#666666"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,
    "svg.hashsalt": "framelens",
    "path.simplify": False,
}


@contextmanager
def _style():
    with matplotlib.rc_context(_RC):
        yield


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


# ============================================================================ saving
def save_figure(fig: Figure, stem: str | os.PathLike, dpi: int = 300) -> dict[str, Path]:
    """Write ``fig`` as ``<stem>.pdf`` and ``<stem>.png`` (``dpi``), atomically and reproducibly.

    PDF: no CreationDate; PNG: no date (matplotlib writes only its version). Returns
    {"pdf": path, "png": path}.
    """
    stem = Path(stem)
    out = {}
    with _style():
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "ModDate": None})
        out["pdf"] = atomic_write_bytes(stem.parent / f"{stem.name}.pdf", buf.getvalue())
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        out["png"] = atomic_write_bytes(stem.parent / f"{stem.name}.png", buf.getvalue())
    return out


def figure_png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for embedding in the HTML report)."""
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# ============================================================================ helpers
def _no_data(title: str, message: str = "No data") -> Figure:
    with _style():
        fig = _new_figure(6.0, 2.4)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=_GREY,
                transform=ax.transAxes, wrap=True)  # fmt: skip
    return fig


def _countries(df: pd.DataFrame) -> list[str]:
    present = [c for c in df["country"].dropna().unique()]
    order = list(ADMINISTRATIONS)
    return sorted(present, key=lambda c: (order.index(c) if c in order else 99, c))


def _admins(df: pd.DataFrame, country: str) -> list[str]:
    present = list(df.loc[df["country"] == country, "administration"].dropna().unique())
    order = ADMINISTRATION_ORDER.get(country, [])
    return sorted(present, key=lambda a: (order.index(a) if a in order else 99, a))


def _group_color(country: str, admin: str) -> str:
    order = ADMINISTRATION_ORDER.get(country, [])
    colors = _GROUP_COLORS.get(country, [_GREY])
    i = order.index(admin) if admin in order else 0
    return colors[i % len(colors)]


def _compared(df: pd.DataFrame) -> pd.DataFrame:
    if "compared" in df.columns:
        df = df[df["compared"].astype(bool)]
    if "administration" in df.columns:
        df = df[df["administration"] != UNKNOWN]
    return df


def _interval(ax, x, mean, lo, hi, color, marker, hollow, horizontal=False, size=5.5, label=None):
    """Point with an interval line (intervals drawn as lines: they need not contain the point)."""
    x = np.asarray(x, dtype=float)
    mean, lo, hi = (np.asarray(v, dtype=float) for v in (mean, lo, hi))
    hollow = np.asarray(hollow, dtype=bool)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if horizontal:
        ax.hlines(x[ok], lo[ok], hi[ok], color=color, lw=1.3)
    else:
        ax.vlines(x[ok], lo[ok], hi[ok], color=color, lw=1.3)
    for filled, sel in ((True, ~hollow), (False, hollow)):
        if not sel.any():
            continue
        xs, ys = (mean[sel], x[sel]) if horizontal else (x[sel], mean[sel])
        ax.plot(xs, ys, linestyle="none", marker=marker, markersize=size, color=color,
                markerfacecolor=color if filled else "white", markeredgewidth=1.2,
                label=label if filled or not (~hollow).any() else None)  # fmt: skip


def _n_labels(ax, xs, ns, y=0.01):
    trans = ax.get_xaxis_transform()
    for x, n in zip(xs, ns, strict=True):
        ax.text(x, y, f"n={int(n)}", ha="center", va="bottom", fontsize=6.5, color=_GREY,
                transform=trans)  # fmt: skip


def _ci_text(df: pd.DataFrame) -> str:
    if "ci_level" not in df.columns:
        return "95%"
    level = df["ci_level"].dropna()
    pct = f"{float(level.iloc[0]) * 100:g}%" if len(level) else "95%"
    return pct


def _footer(fig: Figure, text: str) -> None:
    """A one-line note under the axes (space reserved in the constrained layout)."""
    h = 0.22 / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, h, 1, 1 - h))
    fig.text(0.01, 0.005, text, fontsize=6.5, color=_GREY, ha="left", va="bottom")


def _min_n(df: pd.DataFrame) -> str:
    return str(int(df["min_n"].iloc[0])) if "min_n" in df.columns and len(df) else "min n"


# ============================================================================ 1. framing index
def _by_admin_panels(
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
    need = {"measure", "country", "administration", "mean", "ci_low", "ci_high", "n_docs"}
    if not measures or not need <= set(df.columns):
        return _no_data(title, "No data")
    df = _compared(df[df["measure"].isin(measures)])
    if df.empty or df["mean"].notna().sum() == 0:
        return _no_data(title, "No data: no administration with a value")
    countries = _countries(df)
    widths = [max(1, len(_admins(df, c))) for c in countries]
    with _style():
        legend_w = (
            0.6 + 0.065 * max(len(labels.get(m, m)) for m in measures) if len(measures) > 1 else 0
        )
        fig = _new_figure(max(4.5, 1.6 + 1.25 * sum(widths)) + legend_w, 3.6)
        axes = fig.subplots(1, len(countries), sharey=True, squeeze=False,
                            gridspec_kw={"width_ratios": widths})[0]  # fmt: skip
        m = len(measures)
        offsets = np.linspace(-0.12 * (m - 1), 0.12 * (m - 1), m) if m > 1 else [0.0]
        for ax, country in zip(axes, countries, strict=True):
            admins = _admins(df, country)
            sub = df[df["country"] == country]
            for off, measure in zip(offsets, measures, strict=True):
                s = sub[sub["measure"] == measure].set_index("administration").reindex(admins)
                color = colors[measure] if colors else COUNTRY_COLORS.get(country, _GREY)
                marker = markers[measure] if markers else COUNTRY_MARKERS.get(country, "o")
                _interval(ax, np.arange(len(admins)) + off, s["mean"] * scale,
                          s["ci_low"] * scale, s["ci_high"] * scale, color, marker,
                          s["small_n"].fillna(True).astype(bool),
                          label=labels.get(measure, measure))  # fmt: skip
            n = (
                sub.groupby("administration")["n_docs"].max().reindex(admins).fillna(0)
                if len(sub)
                else []
            )
            _n_labels(ax, np.arange(len(admins)), n)
            ax.set_xticks(np.arange(len(admins)), admins, rotation=20, ha="right")
            ax.set_xlim(-0.6, len(admins) - 0.4)
            ax.set_title(COUNTRY_NAMES.get(country, country))
            if zero_line:
                ax.axhline(0, color=_GREY, lw=0.8, ls="--", zorder=0)
            ax.grid(axis="y", color="#dddddd", lw=0.5)
            ax.set_axisbelow(True)
        if ylim:
            axes[0].set_ylim(*ylim)
        axes[0].set_ylabel(ylabel)
        if len(measures) > 1:
            fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper",
                       frameon=False)  # fmt: skip
        fig.suptitle(title, fontsize=10)
        _footer(fig, f"Points: {'means' if scale == 1 else 'shares'}; lines: {_ci_text(df)} "
                f"bootstrap intervals; hollow: fewer than {_min_n(df)} documents; "
                f"n = documents with a value; weighting: {df['weighting'].iloc[0]}.")  # fmt: skip
    return fig


def draw_framing_by_administration(table: pd.DataFrame) -> Figure:
    """Framing index by administration, both countries side by side (table ``frame_by_group``)."""
    return _by_admin_panels(
        table,
        ["framing_index"],
        title="Framing index by administration (mean and interval)",
        ylabel="Framing index (H − S)/(H + S)\n−1 = only security · +1 = only humanitarian",
        colors=None,
        markers=None,
        labels={},
        ylim=(-1.08, 1.08),
        zero_line=True,
    )


def plot_framing_by_administration(table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300):
    """Write the framing-index-by-administration figure as ``<stem>.pdf/.png``."""
    return _save(draw_framing_by_administration(table), stem, dpi)


# ============================================================================ 2. rates
def draw_frame_rates_by_administration(table: pd.DataFrame) -> Figure:
    """Humanitarian, security and cooperation hits per 1,000 tokens by administration."""
    measures = [m for m in ("rate_humanitarian", "rate_security", "rate_cooperation")
                if m in set(table.get("measure", pd.Series(dtype=object)))]  # fmt: skip
    if not measures:
        return _no_data("Frame rates by administration", "No data: no frame rates")
    return _by_admin_panels(
        table,
        measures,
        title="Frame language by administration (hits per 1,000 tokens)",
        ylabel="Lexicon hits per 1,000 tokens",
        colors={f"rate_{f}": c for f, c in FRAME_COLORS.items()},
        markers={f"rate_{f}": mk for f, mk in FRAME_MARKERS.items()},
        labels={f"rate_{f}": f.capitalize() for f in FRAME_COLORS},
    )


def plot_frame_rates_by_administration(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the frame-rates-by-administration figure."""
    return _save(draw_frame_rates_by_administration(table), stem, dpi)


# ============================================================================ 4. co-occurrence
def draw_cooccurrence_by_administration(table: pd.DataFrame) -> Figure:
    """Shares of hits in sentences that also carry the other frame (``cooccurrence_by_group``)."""
    return _by_admin_panels(
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


def plot_cooccurrence_by_administration(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the co-occurrence-by-administration figure."""
    return _save(draw_cooccurrence_by_administration(table), stem, dpi)


# ============================================================================ 3. time series
def draw_framing_over_time(table: pd.DataFrame, measure: str = "framing_index") -> Figure:
    """Framing index per month or quarter and country, bands and administration boundaries.

    Reads ``frame_timeseries``; a lower panel shows the documents per period.
    """
    title = "Framing index over time"
    need = {"measure", "country", "period_start", "period_end", "mean", "ci_low", "ci_high"}
    if not need <= set(table.columns):
        return _no_data(title, "No data: no dated documents")
    df = table[table["measure"] == measure]
    if df.empty or df["mean"].notna().sum() == 0:
        return _no_data(title, "No data: no dated documents")
    freq = str(df["freq"].iloc[0])
    start = pd.to_datetime(df["period_start"])
    end = pd.to_datetime(df["period_end"])
    mid = start + (end - start) / 2
    with _style():
        fig = _new_figure(7.2, 4.4)
        ax, axn = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
        countries = _countries(df)
        width_days = 25 if freq == "M" else 80
        for i, country in enumerate(countries):
            sel = (df["country"] == country).to_numpy()
            color = COUNTRY_COLORS.get(country, _GREY)
            x = mid[sel]
            y = df.loc[sel, "mean"].to_numpy(dtype=float)
            lo = df.loc[sel, "ci_low"].to_numpy(dtype=float)
            hi = df.loc[sel, "ci_high"].to_numpy(dtype=float)
            band = np.isfinite(lo) & np.isfinite(hi)
            ax.fill_between(x, np.where(band, lo, np.nan), np.where(band, hi, np.nan),
                            color=color, alpha=0.18, lw=0)  # fmt: skip
            ax.plot(x, y, color=color, lw=1.2, marker=COUNTRY_MARKERS.get(country, "o"),
                    markersize=3, label=COUNTRY_NAMES.get(country, country))  # fmt: skip
            shift = pd.to_timedelta((i - (len(countries) - 1) / 2) * width_days / 2, unit="D")
            axn.bar(x + shift, df.loc[sel, "n_docs"], width=width_days / max(1, len(countries)),
                    color=color, alpha=0.8)  # fmt: skip
        lo_t, hi_t = start.min(), end.max()
        for country in countries:
            color = COUNTRY_COLORS.get(country, _GREY)
            ls = "--" if country == "US" else ":"
            for day, name in ADMINISTRATIONS.get(country, []):
                t = pd.Timestamp(day)
                if lo_t <= t <= hi_t:
                    for a in (ax, axn):
                        a.axvline(t, color=color, ls=ls, lw=0.9, alpha=0.8)
                    ax.text(t, 1.0, f" {name}", rotation=90, va="top", ha="left", fontsize=6.5,
                            color=color, transform=ax.get_xaxis_transform())  # fmt: skip
        ax.axhline(0, color=_GREY, lw=0.7, ls="-", zorder=0)
        ax.set_ylim(-1.08, 1.08)
        ax.set_ylabel("Framing index (H − S)/(H + S)")
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", frameon=False)
        axn.set_ylabel("Documents (n)")
        axn.set_xlabel("Date (" + ("monthly" if freq == "M" else "quarterly") + " bins)")
        ax.set_title(f"{title} ({'monthly' if freq == 'M' else 'quarterly'}; lines mark "
                     "inaugurations)")  # fmt: skip
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        _footer(fig, f"Bands: {_ci_text(df)} bootstrap intervals (periods with 2+ documents); "
                f"weighting: {df['weighting'].iloc[0]}; undated documents left out.")  # fmt: skip
    return fig


def plot_framing_over_time(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the framing-over-time figure."""
    return _save(draw_framing_over_time(table), stem, dpi)


# ============================================================================ 5. topics
def _dodged_rows(
    df: pd.DataFrame,
    row_col: str,
    rows: list[str],
    ax,
    groups: list[tuple[str, str]],
    x_scale: float = 100.0,
) -> None:
    g = len(groups)
    offsets = np.linspace(-0.3, 0.3, g) if g > 1 else [0.0]
    ypos = {r: i for i, r in enumerate(rows)}
    for off, (country, admin) in zip(offsets, groups, strict=True):
        s = df[(df["country"] == country) & (df["administration"] == admin)]
        s = s[s[row_col].isin(rows)]
        if s.empty:
            continue
        y = s[row_col].map(ypos).to_numpy(dtype=float) + off
        _interval(ax, y, s["mean"] * x_scale, s["ci_low"] * x_scale, s["ci_high"] * x_scale,
                  _group_color(country, admin), COUNTRY_MARKERS.get(country, "o"),
                  s["small_n"].fillna(True).astype(bool), horizontal=True, size=4.5)  # fmt: skip
    ax.set_yticks(np.arange(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", lw=0.5)
    ax.set_axisbelow(True)


def _group_legend(fig: Figure, df: pd.DataFrame, groups: list[tuple[str, str]], ncol: int = 3):
    handles = []
    for country, admin in groups:
        n = df[(df["country"] == country) & (df["administration"] == admin)]["n_docs"].max()
        label = f"{country} {admin} (n={int(n) if pd.notna(n) else 0})"
        handles.append(Line2D([], [], color=_group_color(country, admin), ls="none",
                              marker=COUNTRY_MARKERS.get(country, "o"), label=label))  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False)


def _groups_of(df: pd.DataFrame) -> list[tuple[str, str]]:
    out = []
    for c in _countries(df):
        for a in _admins(df, c):
            out.append((c, a))
    return out


def draw_topic_prevalence(table: pd.DataFrame) -> Figure:
    """Topic prevalence by country x administration: dot plot with intervals, per language."""
    title = "Topic prevalence by administration"
    need = {"country", "administration", "topic", "label", "mean", "ci_low", "ci_high"}
    if table.empty or not need <= set(table.columns):
        return _no_data(title, "No data: no topic model in this run")
    df = _compared(table).copy()
    if df.empty:
        return _no_data(title, "No data: no administration with documents")
    if "language" not in df.columns:
        df["language"] = "all"
    if "n_docs" not in df.columns:
        df["n_docs"] = np.nan
    if "small_n" not in df.columns:
        df["small_n"] = False
    df["row"] = df["topic"].astype(str) + ": " + df["label"].astype(str)
    languages = sorted(df["language"].dropna().unique())
    n_rows = max(df.groupby("language")["row"].nunique())
    groups = _groups_of(df)
    with _style():
        fig = _new_figure(3.4 * len(languages) + 1.5, 1.2 + 0.42 * n_rows + 0.5)
        axes = fig.subplots(1, len(languages), squeeze=False)[0]
        for ax, lang in zip(axes, languages, strict=True):
            sub = df[df["language"] == lang]
            rows = list(sub.sort_values("topic", kind="stable")["row"].drop_duplicates())
            _dodged_rows(sub, "row", rows, ax, groups)
            ax.set_title(LANGUAGE_NAMES.get(lang, lang) + " documents")
            ax.set_xlabel("Mean share of document (%)")
            ax.set_xlim(left=0)
        _group_legend(fig, df, groups)
        fig.suptitle(f"{title} (mean topic share, {_ci_text(df)} intervals; hollow: small n)",
                     fontsize=10)  # fmt: skip
    return fig


def plot_topic_prevalence(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the topic prevalence figure."""
    return _save(draw_topic_prevalence(table), stem, dpi)


# ============================================================================ 6. actors
def draw_actor_frames(table: pd.DataFrame, top: int = 10) -> Figure:
    """Frame mix of the sentences that mention each actor, by country x administration.

    The ``top`` actors by mentions (over all groups) are shown; one panel per frame.
    """
    title = "Frames in sentences that mention each actor"
    need = {"actor", "country", "administration", "frame", "share", "ci_low", "ci_high"}
    if table.empty or not need <= set(table.columns):
        return _no_data(title, "No data: no actor mentions")
    df = _compared(table).rename(columns={"share": "mean"})
    if df.empty:
        return _no_data(title, "No data: no actor mentions in dated documents")
    mentions = (
        df.drop_duplicates(["actor", "country", "administration"])
        .groupby("actor")["n_mentions"]
        .sum()
    )
    actors = sorted(mentions.index, key=lambda a: (-mentions[a], a))[:top]
    df = df[df["actor"].isin(actors)].copy()
    df["n_docs_group"] = df["n_docs"]
    labels = {a: f"{a} ({int(mentions[a])})" for a in actors}
    df["row"] = df["actor"].map(labels)
    rows = [labels[a] for a in actors]
    frames = [f for f in ("humanitarian", "security", "cooperation") if f in set(df["frame"])]
    groups = _groups_of(df)
    with _style():
        fig = _new_figure(2.6 * len(frames) + 1.6, 1.3 + 0.36 * len(rows) + 0.5)
        axes = fig.subplots(1, len(frames), sharey=True, squeeze=False)[0]
        for ax, frame in zip(axes, frames, strict=True):
            _dodged_rows(df[df["frame"] == frame], "row", rows, ax, groups)
            ax.set_title(frame.capitalize(), color=FRAME_COLORS.get(frame, "black"))
            ax.set_xlabel("Sentences with the frame (%)")
            ax.set_xlim(-2, 102)
        axes[0].set_ylabel("Actor (sentence mentions)")
        _group_legend(fig, df.assign(n_docs=df["n_mentions"]), groups)
        fig.suptitle(f"{title} ({_ci_text(df)} intervals resampling documents; legend n = "
                     "mentions)", fontsize=10)  # fmt: skip
    return fig


def plot_actor_frames(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the actor x frame figure."""
    return _save(draw_actor_frames(table), stem, dpi)


# ============================================================================ 7. validation
def draw_lexicon_validation(table: pd.DataFrame, target: float = 0.80) -> Figure:
    """F1 of the lexicon against the hand-coded sentences, with intervals, per frame x language."""
    title = "Lexicon validation against hand-coded sentences"
    need = {"language", "frame", "f1", "f1_low", "f1_high"}
    if table.empty or not need <= set(table.columns):
        return _no_data(title, "No data: the lexicon was not validated in this run")
    df = table.copy()
    frames = [f for f in ("humanitarian", "security", "cooperation") if f in set(df["frame"])]
    frames += sorted(set(df["frame"]) - set(frames))
    languages = sorted(df["language"].dropna().unique())
    offsets = np.linspace(-0.15, 0.15, len(languages)) if len(languages) > 1 else [0.0]
    with _style():
        fig = _new_figure(1.8 + 1.3 * len(frames), 3.4)
        ax = fig.add_subplot()
        for off, lang in zip(offsets, languages, strict=True):
            s = df[df["language"] == lang].set_index("frame").reindex(frames)
            x = np.arange(len(frames)) + off
            color = LANGUAGE_COLORS.get(lang, _GREY)
            _interval(ax, x, s["f1"], s["f1_low"], s["f1_high"], color,
                      "o" if lang == "en" else "s", np.zeros(len(frames), bool),
                      label=LANGUAGE_NAMES.get(lang, lang))  # fmt: skip
            if "n" in s:
                for xi, n, npos in zip(x, s["n"], s.get("n_positive", s["n"]), strict=True):
                    if pd.notna(n):
                        ax.text(xi, 0.02, f"n={int(n)}\n+{int(npos)}" if pd.notna(npos)
                                else f"n={int(n)}", ha="center", va="bottom", fontsize=6,
                                color=_GREY)  # fmt: skip
        ax.axhline(target, color=_GREY, ls="--", lw=0.8)
        ax.text(len(frames) - 0.45, target, f"target F1 = {target:.2f}", va="bottom",
                ha="right", fontsize=7, color=_GREY)  # fmt: skip
        ax.set_xticks(np.arange(len(frames)), [f.capitalize() for f in frames])
        ax.set_xlim(-0.6, len(frames) - 0.4)
        ax.set_ylim(0, 1.02)
        ax.set_ylabel("F1 score (0–1)")
        ax.set_xlabel("Frame")
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        fig.legend(*ax.get_legend_handles_labels(), loc="outside right upper", frameon=False)
        version = df["lexicon_version"].iloc[0] if "lexicon_version" in df else "?"
        ax.set_title(f"{title} (lexicon {version})")
        _footer(fig, "Points: F1 with its 95% bootstrap interval; n = hand-coded sentences, "
                "+ = sentences coded with the frame.")  # fmt: skip
    return fig


def plot_lexicon_validation(table: pd.DataFrame, stem, dpi: int = 300):
    """Write the lexicon validation figure."""
    return _save(draw_lexicon_validation(table), stem, dpi)


# ============================================================================ all figures
def _save(fig: Figure, stem, dpi: int) -> dict[str, Path]:
    return save_figure(fig, stem, dpi=dpi)


#: name -> (table it draws, draw function, caption). The order is the report's order.
FIGURES: dict[str, tuple[str, Callable[[pd.DataFrame], Figure], str]] = {
    "framing_by_administration": (
        "frame_by_group",
        draw_framing_by_administration,
        "Mean framing index per administration with its interval; below zero, security "
        "language outweighs humanitarian language.",
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


def _read_optional(tables_dir: Path, name: str) -> pd.DataFrame | None:
    from framelens.core.io import read_table

    if not ((tables_dir / f"{name}.parquet").exists() or (tables_dir / f"{name}.csv").exists()):
        return None
    return read_table(tables_dir, name)


def write_figures(out_dir: str | os.PathLike, dpi: int = 300) -> dict[str, dict[str, Path]]:
    """Draw every figure whose table exists under ``<out_dir>/tables`` into ``<out_dir>/figures``.

    Returns figure name -> {"pdf": path, "png": path}. Figures whose table is missing are
    skipped (logged); empty tables give a "No data" figure.
    """
    out_dir = Path(out_dir)
    tables_dir = out_dir / "tables"
    written: dict[str, dict[str, Path]] = {}
    cache: dict[str, pd.DataFrame | None] = {}
    for name, (table_name, draw, _caption) in FIGURES.items():
        if table_name not in cache:
            cache[table_name] = _read_optional(tables_dir, table_name)
        table = cache[table_name]
        if table is None:
            log.info("figure %s skipped: table %s not found", name, table_name)
            continue
        written[name] = save_figure(draw(table), out_dir / "figures" / name, dpi=dpi)
    return written
