"""Topic figures: prevalence by administration for the report (table ``topic_prevalence``), and
the two figures of the ``framelens topics`` commands: model selection (coherence against
exclusivity, table ``topic_selection``) and prevalence per language."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from framelens.core.domain import group_sort_key
from framelens.outputs.figures.parts import (
    ci_label,
    compared_rows,
    dodged_rows,
    group_legend,
    groups_of,
)
from framelens.outputs.figures.style import (
    LANGUAGE_NAMES,
    SERIES_COLORS,
    new_figure,
    no_data,
    save_figure,
    style,
)

_ENGINE_MARKERS = {"lda": "o", "nmf": "s"}


def draw_topic_prevalence(table: pd.DataFrame) -> Figure:
    """Topic prevalence by country x administration: dot plot with intervals, per language."""
    title = "Topic prevalence by administration"
    need = {"country", "administration", "topic", "label", "mean", "ci_low", "ci_high"}
    if table.empty or not need <= set(table.columns):
        return no_data(title, "No data: no topic model in this run")
    df = compared_rows(table).copy()
    if df.empty:
        return no_data(title, "No data: no administration with documents")
    if "language" not in df.columns:
        df["language"] = "all"
    if "n_docs" not in df.columns:
        df["n_docs"] = np.nan
    if "small_n" not in df.columns:
        df["small_n"] = False
    df["row"] = df["topic"].astype(str) + ": " + df["label"].astype(str)
    languages = sorted(df["language"].dropna().unique())
    n_rows = max(df.groupby("language")["row"].nunique())
    groups = groups_of(df)
    with style():
        fig = new_figure(3.4 * len(languages) + 1.5, 1.2 + 0.42 * n_rows + 0.5)
        axes = fig.subplots(1, len(languages), squeeze=False)[0]
        for ax, lang in zip(axes, languages, strict=True):
            sub = df[df["language"] == lang]
            rows = list(sub.sort_values("topic", kind="stable")["row"].drop_duplicates())
            dodged_rows(sub, "row", rows, ax, groups)
            ax.set_title(LANGUAGE_NAMES.get(lang, lang) + " documents")
            ax.set_xlabel("Mean share of document (%)")
            ax.set_xlim(left=0)
        group_legend(fig, df, groups)
        fig.suptitle(f"{title} (mean topic share, {ci_label(df)} intervals; hollow: small n)",
                     fontsize=10)  # fmt: skip
    return fig


def plot_topic_prevalence(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the topic prevalence figure."""
    return save_figure(draw_topic_prevalence(table), stem, dpi)


def _selection_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, min and max of coherence and exclusivity per (language, engine, k) over seeds."""
    cols = ["language", "engine", "k"]
    g = table.groupby(cols, sort=True)
    summ = g[["coherence_cv", "exclusivity"]].agg(["mean", "min", "max"]).reset_index()
    summ.columns = ["_".join(c).rstrip("_") for c in summ.columns]
    if "chosen" in table.columns:
        summ = summ.merge(g["chosen"].any().reset_index(), on=cols)
    return summ


def _selection_panel(ax, sub: pd.DataFrame) -> None:
    for i, (engine, e) in enumerate(sub.groupby("engine", sort=True)):
        ax.errorbar(
            e["exclusivity_mean"],
            e["coherence_cv_mean"],
            xerr=[
                e["exclusivity_mean"] - e["exclusivity_min"],
                e["exclusivity_max"] - e["exclusivity_mean"],
            ],
            yerr=[
                e["coherence_cv_mean"] - e["coherence_cv_min"],
                e["coherence_cv_max"] - e["coherence_cv_mean"],
            ],
            fmt=_ENGINE_MARKERS.get(engine, "^"),
            color=SERIES_COLORS[i % len(SERIES_COLORS)],
            label=engine.upper(),
            capsize=2,
            linestyle="none",
        )
        for _, r in e.iterrows():
            xy = (r["exclusivity_mean"], r["coherence_cv_mean"])
            ax.annotate(f"k={int(r['k'])}", xy, textcoords="offset points", xytext=(4, 4),
                        fontsize=8)  # fmt: skip
            if bool(r.get("chosen", False)):
                ax.scatter([xy[0]], [xy[1]], s=220, facecolors="none", edgecolors="black",
                           linewidths=1.2)  # fmt: skip


def plot_selection(table: pd.DataFrame, path_without_suffix: str | os.PathLike) -> dict[str, Path]:
    """Coherence (c_v) against exclusivity per (engine, k), one panel per language.

    ``table``: the selection table (one row per seed; means are taken) or its ``.figure``
    summary (with an optional ``chosen`` column, circled). Points are labelled with k; error
    bars span the seeds' range.
    """
    summ = _selection_summary(table)
    langs = sorted(summ["language"].unique())
    fig = Figure(figsize=(5.5 * max(1, len(langs)), 4.4), layout="constrained")
    axes = fig.subplots(1, max(1, len(langs)), squeeze=False)[0]
    for ax, lang in zip(axes, langs, strict=False):
        _selection_panel(ax, summ[summ["language"] == lang])
        ax.set_title(f"Topic model selection ({lang}); circled: chosen")
        ax.set_xlabel("Exclusivity (mean FREX of top 10 terms)")
        ax.set_ylabel("Semantic coherence (c_v, top 10 terms)")
        ax.legend(title="engine", fontsize=8)
    return save_figure(fig, path_without_suffix, dpi=150, tight=True)


def _prevalence_panel(ax, sub: pd.DataFrame) -> None:
    groups = sorted(
        {(c, a) for c, a in zip(sub["country"], sub["administration"], strict=True)},
        key=lambda ca: group_sort_key(*ca),
    )
    labels = sub.drop_duplicates("topic").sort_values("topic")[["topic", "label"]]
    ypos = {int(t): i for i, t in enumerate(labels["topic"])}
    width = 0.8 / max(1, len(groups))
    for gi, (country, adm) in enumerate(groups):
        g = sub[(sub["country"] == country) & (sub["administration"] == adm)]
        g = g.sort_values("topic")
        y = [ypos[int(t)] - 0.4 + width * (gi + 0.5) for t in g["topic"]]
        color = SERIES_COLORS[gi % len(SERIES_COLORS)]
        small = bool(g["small_n"].iloc[0])
        n = int(g["n_docs"].iloc[0])
        ax.errorbar(g["mean"], y, xerr=[g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]],
                    fmt="o", color=color, mfc="white" if small else color, capsize=2,
                    label=f"{country} {adm} (n={n}{', small n' if small else ''})")  # fmt: skip
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels["label"], fontsize=8)
    ax.invert_yaxis()


def plot_prevalence(
    prevalence: pd.DataFrame, path_without_suffix: str | os.PathLike
) -> dict[str, Path]:
    """Mean topic share with its interval per administration, one panel per language.

    ``prevalence``: the ``topic_prevalence`` table. Administrations are in group order with n
    in the legend; small-n groups are drawn hollow; "unknown" is left out (it is not compared).
    """
    data = compared_rows(prevalence)
    langs = sorted(data["language"].unique())
    n_topics = max([data.loc[data["language"] == lang, "topic"].nunique() for lang in langs] or [1])
    fig = Figure(figsize=(8.0 * max(1, len(langs)), 0.5 * n_topics + 2.2), layout="constrained")
    axes = fig.subplots(1, max(1, len(langs)), squeeze=False)[0]
    for ax, lang in zip(axes, langs, strict=False):
        _prevalence_panel(ax, data[data["language"] == lang])
        ax.set_xlabel("Mean topic share of documents, with interval")
        ax.set_title(f"Topic prevalence by administration ({lang})")
        ax.legend(fontsize=7, loc="lower right")
    return save_figure(fig, path_without_suffix, dpi=150, tight=True)
