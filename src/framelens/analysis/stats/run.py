"""Every comparison table of a run (what ``framelens run`` writes for stage 5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from framelens.analysis.stats.actors import actors_by_group
from framelens.analysis.stats.composition import composition_table
from framelens.analysis.stats.cooccurrence import cooccurrence_by_group
from framelens.analysis.stats.genre_adjusted import adjusted_differences
from framelens.analysis.stats.groups import FRAME_MEASURES, compare
from framelens.analysis.stats.index_hits import prepare_index
from framelens.analysis.stats.propositions import propositions_from_tables
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
        Needs ``frame_scores``; uses ``cooccurrence`` (with ``sentence_frames`` for the
        co-occurrence null model), ``actors`` and the corrected prevalence
        (``frame_prevalence``, ``frame_prevalence_differences``, for proposition P4) when
        present.
    config : framelens.core.config.CompareConfig, optional
        n_boot, n_perm, min_n, cluster, weighting ("document"|"tokens"), ci, time_freq,
        equivalence_margin, equivalence_margin_prevalence.
    seed : int
        The run's seed.

    Returns
    -------
    dict of str to DataFrame
        frame_by_group, frame_composition, frame_differences, frame_differences_adjusted,
        frame_regression, frame_timeseries, propositions and, when their inputs exist,
        cooccurrence_by_group and actors_by_group; each validated against its schema.
    """
    cfg = config or CompareConfig()
    settings = StatsSettings.from_config(cfg, seed)
    fs = tables["frame_scores"]
    measures = [m for m in FRAME_MEASURES if m in fs.columns]
    weights = "n_tokens" if cfg.weighting == "tokens" else None
    out = dict(compare(fs, measures, weights=weights, settings=settings).tables())
    # the documents and weights compare used (framing index: min_index_hits, pooled ratio)
    prepared, weights_of, _labels, _notes = prepare_index(
        fs, measures, dict.fromkeys(measures, weights), dict.fromkeys(measures, ""),
        settings.min_index_hits,
    )  # fmt: skip
    out["frame_composition"] = composition_table(prepared, measures)
    out["frame_differences_adjusted"] = adjusted_differences(
        prepared, out["frame_differences"], weights=weights_of, settings=settings,
        corrected_available="frame_prevalence_differences" in tables,
    )  # fmt: skip
    out.update(
        regress(
            prepared,
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
                tables.get("sentence_frames"),
                weighting="hits" if cfg.weighting == "tokens" else "document",
                settings=settings,
            ).tables()
        )
    if "actors" in tables:
        out["actors_by_group"] = actors_by_group(tables["actors"], settings=settings)
    out["propositions"] = propositions_from_tables({**tables, **out}, cfg)
    return {name: validate(df, name) for name, df in out.items()}
