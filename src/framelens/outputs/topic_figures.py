"""Figures of the topic stage (matplotlib, no pyplot state): selection and prevalence.

Each function writes ``<path>.pdf`` and ``<path>.png`` atomically, with fixed metadata so the
same table gives the same files, and returns the two paths. Colours are the Okabe-Ito
colour-blind-safe palette; axes are labelled and n and intervals are shown.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from framelens.models.prevalence import group_order
from framelens.core.io import atomic_write_bytes

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
_MARKERS = {"lda": "o", "nmf": "s"}


def _save(fig: Figure, path: str | os.PathLike) -> dict[str, Path]:
    base = Path(path)
    out = {}
    for fmt, meta in (
        ("pdf", {"CreationDate": None, "Producer": None}),
        ("png", {"Software": None}),
    ):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=meta, dpi=150, bbox_inches="tight")
        out[fmt] = atomic_write_bytes(base.with_name(base.name + f".{fmt}"), buf.getvalue())
    return out


def plot_selection(table: pd.DataFrame, path_without_suffix: str | os.PathLike) -> dict[str, Path]:
    """Coherence (c_v) against exclusivity per (engine, k), one panel per language.

    ``table``: the selection table (one row per seed; means are taken) or its ``.figure``
    summary (with an optional ``chosen`` column, circled). Points are labelled with k; error
    bars span the seeds' range.
    """
    cols = ["language", "engine", "k"]
    g = table.groupby(cols, sort=True)
    summ = g[["coherence_cv", "exclusivity"]].agg(["mean", "min", "max"]).reset_index()
    summ.columns = ["_".join(c).rstrip("_") for c in summ.columns]
    if "chosen" in table.columns:
        chosen = g["chosen"].any().reset_index()
        summ = summ.merge(chosen, on=cols)
    langs = sorted(summ["language"].unique())
    fig = Figure(figsize=(5.5 * max(1, len(langs)), 4.4), layout="constrained")
    axes = fig.subplots(1, max(1, len(langs)), squeeze=False)[0]
    for ax, lang in zip(axes, langs, strict=False):
        sub = summ[summ["language"] == lang]
        for i, (engine, e) in enumerate(sub.groupby("engine", sort=True)):
            color = OKABE_ITO[i % len(OKABE_ITO)]
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
                fmt=_MARKERS.get(engine, "^"),
                color=color,
                label=engine.upper(),
                capsize=2,
                linestyle="none",
            )
            for _, r in e.iterrows():
                ax.annotate(
                    f"k={int(r['k'])}",
                    (r["exclusivity_mean"], r["coherence_cv_mean"]),
                    textcoords="offset points",
                    xytext=(4, 4),
                    fontsize=8,
                )
                if bool(r.get("chosen", False)):
                    ax.scatter(
                        [r["exclusivity_mean"]],
                        [r["coherence_cv_mean"]],
                        s=220,
                        facecolors="none",
                        edgecolors="black",
                        linewidths=1.2,
                    )
        ax.set_title(f"Topic model selection ({lang}); circled: chosen")
        ax.set_xlabel("Exclusivity (mean FREX of top 10 terms)")
        ax.set_ylabel("Semantic coherence (c_v, top 10 terms)")
        ax.legend(title="engine", fontsize=8)
    return _save(fig, path_without_suffix)


def plot_prevalence(
    prevalence: pd.DataFrame, path_without_suffix: str | os.PathLike
) -> dict[str, Path]:
    """Mean topic share with its interval per administration, one panel per language.

    ``prevalence``: the ``topic_prevalence`` table. Administrations are in chronological order
    with n in the legend; small-n groups are drawn hollow; "unknown" is left out (it is not
    compared).
    """
    data = prevalence[prevalence["comparable"].astype(bool)]
    langs = sorted(data["language"].unique())
    n_topics = max([data.loc[data["language"] == lang, "topic"].nunique() for lang in langs] or [1])
    fig = Figure(figsize=(8.0 * max(1, len(langs)), 0.5 * n_topics + 2.2), layout="constrained")
    axes = fig.subplots(1, max(1, len(langs)), squeeze=False)[0]
    for ax, lang in zip(axes, langs, strict=False):
        sub = data[data["language"] == lang]
        groups = sorted(
            {(c, a) for c, a in zip(sub["country"], sub["administration"], strict=True)},
            key=lambda ca: group_order(*ca),
        )
        labels = sub.drop_duplicates("topic").sort_values("topic")[["topic", "label"]]
        ypos = {int(t): i for i, t in enumerate(labels["topic"])}
        width = 0.8 / max(1, len(groups))
        for gi, (country, adm) in enumerate(groups):
            g = sub[(sub["country"] == country) & (sub["administration"] == adm)].sort_values(
                "topic"
            )
            y = [ypos[int(t)] - 0.4 + width * (gi + 0.5) for t in g["topic"]]
            color = OKABE_ITO[gi % len(OKABE_ITO)]
            small = bool(g["small_n"].iloc[0])
            ax.errorbar(
                g["mean"],
                y,
                xerr=[g["mean"] - g["ci_low"], g["ci_high"] - g["mean"]],
                fmt="o",
                color=color,
                mfc="white" if small else color,
                capsize=2,
                label=f"{country} {adm} (n={int(g['n_docs'].iloc[0])}{', small n' if small else ''})",
            )
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels["label"], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("Mean topic share of documents, with interval")
        ax.set_title(f"Topic prevalence by administration ({lang})")
        ax.legend(fontsize=7, loc="lower right")
    return _save(fig, path_without_suffix)
