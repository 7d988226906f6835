"""Actors by group: how often each actor is mentioned per country x administration, and the frame
mix of the sentences that mention it (table ``actors_by_group``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.bootstrap import CI_WILSON, boot_units, wilson
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.analysis.stats.tidy import check_columns, norm_key, typed
from framelens.core.domain import FRAMES, UNKNOWN, group_sort_key
from framelens.core.seeding import rng as _rng
from framelens.schemas import columns_of

#: Columns of the table ``actors_by_group`` (not ``analysis.framing.actors.ACTOR_COLUMNS``, the
#: actor list's columns).
ACTORS_BY_GROUP_COLUMNS = columns_of("actors_by_group")
_OPTIONS = ("seed", "n_boot", "min_n", "ci")
_GROUP_KEYS = ["actor", "_ac", "country", "administration"]


def _mentions_per_document(actors: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """Per actor x group x document: sentences mentioning the actor and, per frame, how many
    of them carry it. Repeated (doc_id, sent_id, actor) rows count once."""
    df = actors.drop_duplicates(["doc_id", "sent_id", "actor"]).copy()
    df["country"] = norm_key(df["country"])
    df["administration"] = norm_key(df["administration"])
    if "actor_country" not in df:
        df["actor_country"] = None
    df["_ac"] = df["actor_country"].astype(object).where(df["actor_country"].notna(), "")
    for f in frames:
        df[f] = df[f].fillna(False).astype(bool).astype(float)
    return (
        df.groupby([*_GROUP_KEYS, "doc_id"], sort=True)
        .agg(n=("sent_id", "size"), **{f: (f, "sum") for f in frames})
        .reset_index()
    )


def _share(
    S: np.ndarray, W: np.ndarray, n_docs: int, ci: float, est: Any
) -> tuple[float, float, str, str | None]:
    """Interval, method and note of a share: Wilson when it is 0 or 1 over several documents."""
    if n_docs >= 2 and S.sum() in (0.0, W.sum()):
        lo, hi = wilson(S.sum(), W.sum(), ci)
        return (
            lo,
            hi,
            CI_WILSON,
            "share is 0 or 1: Wilson interval over sentences (ignores clustering)",
        )
    note = "one document: no interval" if n_docs < 2 else None
    return est.ci_low, est.ci_high, est.method, note


def _group_rows(
    key: tuple[str, str, str, str], g: pd.DataFrame, frames: list[str], settings: StatsSettings
) -> list[dict[str, Any]]:
    """Rows of one actor x country x administration, one per frame."""
    actor, ac, country, admin = key
    s = settings
    W = g["n"].to_numpy(dtype=float)
    n_docs = len(g)
    rows = []
    for f in frames:
        S = g[f].to_numpy(dtype=float)
        rng = _rng(s.seed, "actors", actor, ac, country, admin, f)
        est = boot_units(S, W, s.n_boot, s.ci, rng, (0.0, 1.0))
        lo, hi, method, note = _share(S, W, n_docs, s.ci, est)
        rows.append(
            {
                "actor": actor, "actor_country": ac or None, "country": country,
                "administration": admin, "comparable": admin != UNKNOWN and country != UNKNOWN,
                "frame": f, "n_mentions": int(W.sum()), "n_docs": n_docs,
                "n_frame": int(S.sum()), "share": est.estimate, "ci_low": lo, "ci_high": hi,
                "ci_level": s.ci, "ci_method": method, "n_boot": s.n_boot,
                "small_n": n_docs < s.min_n, "min_n": s.min_n, "weighting": "mentions",
                "resampling": "documents", "note": note,
            }
        )  # fmt: skip
    return rows


def actors_by_group(
    actors: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    settings: StatsSettings | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Mentions of each actor and the frame mix of the sentences that mention it, by group.

    Parameters
    ----------
    actors : DataFrame
        One row per sentence x actor: doc_id, sent_id, actor, actor_country, the frame columns
        (bool per sentence: humanitarian, security, cooperation) and country, administration.
        Repeated (doc_id, sent_id, actor) rows count once.
    frames : sequence of str, optional
        Frame columns to summarise (default: those of ``core.domain.FRAMES`` present).
    settings, **options
        As in ``compare`` (seed, n_boot, min_n, ci); documents are always the resampling
        units (``settings.cluster`` is not used).

    Returns
    -------
    DataFrame
        Table ``actors_by_group``: per actor x country x administration x frame, the number of
        sentences mentioning the actor (``n_mentions``), in how many documents (``n_docs``),
        how many of those sentences carry the frame (``n_frame``), the share and a bootstrap
        interval that resamples documents (sentences of one document move together). The
        interval is NaN for actors seen in a single document.
    """
    s = resolve("actors_by_group", settings, options, allowed=_OPTIONS)
    frames = [f for f in (frames or FRAMES) if f in actors.columns]
    check_columns(actors, ["doc_id", "sent_id", "actor", "country", "administration"], "actors")
    if actors.empty or not frames:
        return typed(pd.DataFrame(columns=ACTORS_BY_GROUP_COLUMNS))
    groups = list(_mentions_per_document(actors, frames).groupby(_GROUP_KEYS, sort=True))
    groups.sort(key=lambda kv: (kv[0][0], kv[0][1], *group_sort_key(kv[0][2], kv[0][3])))
    rows = []
    for key, g in groups:
        rows += _group_rows(key, g, frames, s)
    return typed(pd.DataFrame(rows, columns=ACTORS_BY_GROUP_COLUMNS))
