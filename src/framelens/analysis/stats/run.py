"""Every comparison table of a run (what ``framelens run`` writes for stage 5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from framelens.analysis.stats.actors import actors_by_group
from framelens.analysis.stats.cooccurrence import cooccurrence_by_group
from framelens.analysis.stats.groups import FRAME_MEASURES, compare
from framelens.analysis.stats.regression import regress
from framelens.analysis.stats.settings import StatsSettings
from framelens.analysis.stats.timeseries import timeseries
from framelens.core.config import CompareConfig
from framelens.schemas import validate


def compare_all(
    tables: Mapping[str, pd.DataFrame], config: Any = None, *, seed: int
) -> dict[str, pd.DataFrame]:
    """Every comparison table of a run, from the analysis tables (what ``framelens run`` writes).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Needs ``frame_scores``; uses ``cooccurrence`` and ``actors`` when present.
    config : framelens.core.config.CompareConfig, optional
        n_boot, n_perm, min_n, cluster, weighting ("document"|"tokens"), ci, time_freq.
    seed : int
        The run's seed.

    Returns
    -------
    dict of str to DataFrame
        frame_by_group, frame_differences, frame_regression, frame_timeseries, and, when their
        inputs exist, cooccurrence_by_group and actors_by_group; each validated against its
        schema.
    """
    cfg = config or CompareConfig()
    settings = StatsSettings.from_config(cfg, seed)
    fs = tables["frame_scores"]
    measures = [m for m in FRAME_MEASURES if m in fs.columns]
    weights = "n_tokens" if cfg.weighting == "tokens" else None
    out = dict(compare(fs, measures, weights=weights, settings=settings).tables())
    out.update(
        regress(
            fs,
            measures,
            cluster="issuer" if "issuer" in fs.columns else None,
            weights=weights,
            ci=cfg.ci,
        ).tables()
    )
    out["frame_timeseries"] = timeseries(
        fs, measures, freq=cfg.time_freq, weights=weights, settings=settings
    )
    if "cooccurrence" in tables and len(tables["cooccurrence"]):
        out.update(
            cooccurrence_by_group(
                tables["cooccurrence"],
                weighting="hits" if cfg.weighting == "tokens" else "document",
                settings=settings,
            ).tables()
        )
    if "actors" in tables:
        out["actors_by_group"] = actors_by_group(tables["actors"], settings=settings)
    return {name: validate(df, name) for name, df in out.items()}
