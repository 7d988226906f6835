"""Building blocks shared by the figure families: points with intervals, n labels, footers,
group order and colours, dodged rows and their legend.

Groups are ordered by ``framelens.core.domain.group_sort_key`` (countries as in ``COUNTRIES``,
administrations chronologically), as in every table and in the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from framelens.core.domain import ADMINISTRATION_ORDER, UNKNOWN, group_sort_key
from framelens.outputs.columns import comparable
from framelens.outputs.figures.style import COUNTRY_MARKERS, GREY, GROUP_COLORS


def compared_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that enter comparisons, without the "unknown" administration."""
    df = df[comparable(df)]
    if "administration" in df.columns:
        df = df[df["administration"] != UNKNOWN]
    return df


def countries(df: pd.DataFrame) -> list[str]:
    """The countries of ``df`` in group order."""
    return sorted(df["country"].dropna().unique(), key=group_sort_key)


def administrations(df: pd.DataFrame, country: str) -> list[str]:
    """The administrations of ``country`` in ``df``, chronologically."""
    present = df.loc[df["country"] == country, "administration"].dropna().unique()
    return sorted(present, key=lambda a: group_sort_key(country, a))


def groups_of(df: pd.DataFrame) -> list[tuple[str, str]]:
    """The (country, administration) groups of ``df`` in group order."""
    return [(c, a) for c in countries(df) for a in administrations(df, c)]


def group_color(country: str, admin: str) -> str:
    """The colour of an administration (by its position in office within the country)."""
    order = ADMINISTRATION_ORDER.get(country, [])
    colors = GROUP_COLORS.get(country, [GREY])
    i = order.index(admin) if admin in order else 0
    return colors[i % len(colors)]


def interval(ax, x, mean, lo, hi, color, marker, hollow, horizontal=False, size=5.5, label=None):
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


def n_labels(ax, xs, ns, y=0.01) -> None:
    """ "n=..." under each x position."""
    trans = ax.get_xaxis_transform()
    for x, n in zip(xs, ns, strict=True):
        ax.text(x, y, f"n={int(n)}", ha="center", va="bottom", fontsize=6.5, color=GREY,
                transform=trans)  # fmt: skip


def ci_label(df: pd.DataFrame) -> str:
    """The interval level of a table as text ("95%")."""
    if "ci_level" not in df.columns:
        return "95%"
    level = df["ci_level"].dropna()
    return f"{float(level.iloc[0]) * 100:g}%" if len(level) else "95%"


def footer(fig: Figure, text: str) -> None:
    """A one-line note under the axes (space reserved in the constrained layout)."""
    h = 0.22 / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, h, 1, 1 - h))
    fig.text(0.01, 0.005, text, fontsize=6.5, color=GREY, ha="left", va="bottom")


def min_n_label(df: pd.DataFrame) -> str:
    """The small-group threshold of a table as text."""
    return str(int(df["min_n"].iloc[0])) if "min_n" in df.columns and len(df) else "min n"


def dodged_rows(
    df: pd.DataFrame,
    row_col: str,
    rows: list[str],
    ax,
    groups: list[tuple[str, str]],
    x_scale: float = 100.0,
) -> None:
    """One horizontal row per ``rows`` entry, the groups dodged within it."""
    g = len(groups)
    offsets = np.linspace(-0.3, 0.3, g) if g > 1 else [0.0]
    ypos = {r: i for i, r in enumerate(rows)}
    for off, (country, admin) in zip(offsets, groups, strict=True):
        s = df[(df["country"] == country) & (df["administration"] == admin)]
        s = s[s[row_col].isin(rows)]
        if s.empty:
            continue
        y = s[row_col].map(ypos).to_numpy(dtype=float) + off
        interval(ax, y, s["mean"] * x_scale, s["ci_low"] * x_scale, s["ci_high"] * x_scale,
                 group_color(country, admin), COUNTRY_MARKERS.get(country, "o"),
                 s["small_n"].fillna(True).astype(bool), horizontal=True, size=4.5)  # fmt: skip
    ax.set_yticks(np.arange(len(rows)), rows)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", lw=0.5)
    ax.set_axisbelow(True)


def group_legend(fig: Figure, df: pd.DataFrame, groups: list[tuple[str, str]], ncol: int = 3):
    """A legend of the groups with their n, under the panels."""
    handles = []
    for country, admin in groups:
        n = df[(df["country"] == country) & (df["administration"] == admin)]["n_docs"].max()
        label = f"{country} {admin} (n={int(n) if pd.notna(n) else 0})"
        handles.append(Line2D([], [], color=group_color(country, admin), ls="none",
                              marker=COUNTRY_MARKERS.get(country, "o"), label=label))  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=ncol, frameon=False)
