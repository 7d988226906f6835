"""Frame prevalence, naive and corrected with a coded probability sample (DSL / PPI).

For each group (country x language x administration by default), subset (all sentences,
migration-relevant ones, those about children) and frame, the share of sentences carrying the
frame, estimated two ways:

- naive: the share of the group's sentences the instrument flags (lexicon: hits_<frame> > 0;
  a classifier: the mean of prob_<frame>);
- corrected: naive + the design-weighted mean residual (coders' code - instrument's
  prediction) over the coded units of the group and subset (design-based supervised learning,
  Egami et al. 2023; prediction-powered inference, Angelopoulos et al. 2023). Equivalently:
  the coders' design-weighted share among the coded units, plus the difference between the
  instrument's share over all the group's sentences and over the coded units.

The residual mean is a Hajek (weight-normalised) mean with design weights N_h / m_h, and the
interval adds a document bootstrap of the corpus to a stratified Bayesian bootstrap of the
coded units (``frame_prevalence_resampling``). Methods, assumptions and failure modes:
``docs/measurement.md``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.analysis.framing.design import design_units, load_design_sample, match_design_sample
from framelens.analysis.framing.relevance import mark_relevance
from framelens.analysis.stats.frame_prevalence_differences import contrast_pairs, difference_rows
from framelens.analysis.stats.frame_prevalence_estimates import GroupEstimates, group_estimates
from framelens.analysis.stats.frame_prevalence_resampling import (
    CODED_METHODS,
    coded_replicates,
    document_counts,
)
from framelens.analysis.stats.frame_prevalence_tables import (
    empty_table,
    group_rows,
    summary_text,
    what_changed,
)
from framelens.core.config import PreprocessConfig
from framelens.core.domain import CODED_FRAMES, UNKNOWN, group_sort_key
from framelens.core.seeding import rng
from framelens.schemas import validate
from framelens.schemas.measurement import DEFAULT_GROUP_COLUMNS, frame_prevalence_schema

SUBSETS: tuple[str, ...] = ("all", "relevant", "children")


@dataclass
class FramePrevalence:
    """Result of ``frame_prevalence``.

    Attributes
    ----------
    table : DataFrame
        ``frame_prevalence``: naive and corrected shares side by side (schema columns).
    differences : DataFrame
        ``frame_prevalence_differences``.
    units : DataFrame
        ``design_units``: every coded unit, how it met the run's sentences, its weight (empty
        without a design sample).
    unmatched : DataFrame
        The coded units that met no sentence, with the design's columns and ``reason``.
    params : dict
        Settings and counts, for ``run.json`` (see ``record``).
    """

    table: pd.DataFrame
    differences: pd.DataFrame
    units: pd.DataFrame
    unmatched: pd.DataFrame
    params: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The output tables by schema name."""
        return {
            "frame_prevalence": self.table,
            "frame_prevalence_differences": self.differences,
            "design_units": self.units,
        }

    def record(self) -> dict:
        """Settings, match counts and the unmatched units (unit_id, doc_id, reason), for run.json."""
        unmatched = [
            {"unit_id": r.unit_id, "doc_id": r.doc_id, "reason": r.reason}
            for r in self.unmatched.itertuples(index=False)
        ]
        return {**self.params, "unmatched_units": unmatched}

    def summary(self) -> str:
        """Naive and corrected shares of every group (all sentences), as text."""
        return summary_text(self.table, self.params)

    def findings(self, subset: str = "all") -> list[str]:
        """One plain sentence per group and frame on what the correction changed."""
        return what_changed(self.table, subset)


def _predictions(
    predictions: pd.DataFrame, frames: Sequence[str], instrument: str | None
) -> tuple[pd.DataFrame, str]:
    """doc_id, sent_id, one float column per frame and ``_instrument`` (label per sentence).

    Per frame and sentence: ``prob_<frame>`` where given (not NaN), else ``pred_<frame>``
    (0/1), else ``hits_<frame>`` > 0. Returns the table and the rule in words.
    """
    out = predictions[["doc_id", "sent_id"]].copy()
    rules = []
    for frame in frames:
        value = pd.Series(np.nan, index=predictions.index)
        used = []
        for col, convert in (
            (f"prob_{frame}", lambda x: x.astype(float).clip(0.0, 1.0)),
            (f"pred_{frame}", lambda x: (x.astype(float) > 0).astype(float)),
            (f"hits_{frame}", lambda x: (x.astype(float) > 0).astype(float)),
        ):
            if col in predictions.columns and value.isna().any():
                value = value.fillna(convert(predictions[col]).where(predictions[col].notna()))
                used.append(col if not col.startswith("hits") else f"{col} > 0")
        if value.isna().any():
            raise ValueError(
                f"{int(value.isna().sum())} sentences have no prediction for {frame!r} "
                f"(columns prob_{frame}, pred_{frame} or hits_{frame})"
            )
        out[frame] = value.to_numpy(dtype=float)
        rules.append(", else ".join(used))
    out["_instrument"] = _instrument_labels(predictions, instrument)
    return out, "; ".join(rules)


def _instrument_labels(predictions: pd.DataFrame, instrument: str | None) -> np.ndarray:
    """The instrument of each sentence: ``instrument`` if given, else the predictions'
    ``instrument`` column ("lexicon" gets its version), else "lexicon <lexicon_version>"."""
    n = len(predictions)
    if instrument:
        return np.full(n, instrument, dtype=object)
    version = (
        predictions["lexicon_version"].astype(str)
        if "lexicon_version" in predictions.columns
        else pd.Series("", index=predictions.index)
    )
    lexicon = ("lexicon " + version).str.strip()
    if "instrument" not in predictions.columns:
        return lexicon.to_numpy(dtype=object)
    named = predictions["instrument"].astype(str)
    return np.where(named == "lexicon", lexicon, named).astype(object)


def _population(
    sentences: pd.DataFrame,
    preds: pd.DataFrame,
    documents: pd.DataFrame,
    relevance: pd.DataFrame,
    group_columns: Sequence[str],
    include_unknown: bool,
) -> pd.DataFrame:
    """One row per sentence of a group: keys, group values, subset flags, predictions."""
    meta = documents[["doc_id", *group_columns]].drop_duplicates("doc_id")
    pop = sentences[["doc_id", "sent_id"]].merge(meta, on="doc_id", how="inner")
    pop = pop.merge(
        relevance[["doc_id", "sent_id", "relevant", "children"]],
        on=["doc_id", "sent_id"],
        how="left",
    )
    n_before = len(pop)
    pop = pop.merge(preds, on=["doc_id", "sent_id"], how="inner")
    if len(pop) != n_before:
        raise ValueError(f"{n_before - len(pop)} sentences have no instrument prediction")
    for col in group_columns:
        pop[col] = pop[col].fillna(UNKNOWN).astype(str).replace("", UNKNOWN)
    if not include_unknown:
        pop = pop[~pop[list(group_columns)].eq(UNKNOWN).any(axis=1)]
    pop["all"] = True
    for col in ("relevant", "children"):
        pop[col] = pop[col].fillna(False).astype(bool)
    return pop.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)


@dataclass
class _Coded:
    """The matched coded units of the population, as arrays (or None without a design)."""

    frame: pd.DataFrame
    replicates: object
    group_keys: list[tuple]
    subsets: np.ndarray
    y: np.ndarray
    f: np.ndarray
    stratum_size: dict[str, int]


def _coded_units(pop: pd.DataFrame, matched: pd.DataFrame | None, settings: dict) -> _Coded | None:
    """Join the matched units to the population; build their replicate weights."""
    if matched is None or matched.empty:
        return None
    group_columns, frames, seed = settings["group_columns"], settings["frames"], settings["seed"]
    units = matched[["unit_id", "doc_id", "run_sent_id", "stratum", "N_stratum", *frames]]
    units = units.rename(columns={"run_sent_id": "sent_id", **{f: f"y_{f}" for f in frames}})
    units = units.merge(pop, on=["doc_id", "sent_id"], how="inner")
    units = units.sort_values("unit_id", kind="stable").reset_index(drop=True)
    if units.empty:
        return None
    names, code = np.unique(units["stratum"].to_numpy(dtype=str), return_inverse=True)
    sizes = units.groupby("stratum")["N_stratum"].first().reindex(names).to_numpy(dtype=float)
    reps = coded_replicates(
        code,
        sizes,
        settings["n_boot"],
        lambda h: rng(seed, "frame_prevalence", "coded", names[h]),
        method=settings["coded_resampling"],
        pseudo_count=settings["pseudo_count"],
    )
    return _Coded(
        frame=units,
        replicates=reps,
        group_keys=list(units[list(group_columns)].itertuples(index=False, name=None)),
        subsets=units[list(SUBSETS)].to_numpy(dtype=bool),
        y=units[[f"y_{f}" for f in frames]].to_numpy(dtype=float),
        f=units[list(frames)].to_numpy(dtype=float),
        stratum_size=dict(zip(names, sizes.astype(int), strict=True)),
    )


def _estimate_group(
    key, rows: pd.DataFrame, coded: _Coded | None, frames, n_boot, seed
) -> GroupEstimates:
    doc_codes, doc_index = np.unique(rows["doc_id"].to_numpy(dtype=str), return_inverse=True)
    counts = document_counts(
        len(doc_codes), n_boot, rng(seed, "frame_prevalence", "documents", *key)
    )
    if coded is None:
        return group_estimates(
            doc_index,
            rows[list(frames)].to_numpy(dtype=float),
            rows[list(SUBSETS)].to_numpy(dtype=bool),
            counts,
            None,
        )
    in_group = np.array([g == key for g in coded.group_keys], dtype=bool)
    return group_estimates(
        doc_index,
        rows[list(frames)].to_numpy(dtype=float),
        rows[list(SUBSETS)].to_numpy(dtype=bool),
        counts,
        coded.replicates,
        in_group,
        coded.subsets,
        coded.y,
        coded.f,
    )


def _design_population(coded: _Coded | None, key, group_columns) -> int | None:
    """Sentences of the design's population in this group's strata (None without units)."""
    if coded is None:
        return None
    units = coded.frame[[g == key for g in coded.group_keys]]
    strata = units["stratum"].unique().tolist()
    return int(sum(coded.stratum_size[s] for s in strata)) if strata else None


def _read_design(design, sentences):
    if design is None:
        return None, pd.DataFrame(columns=["unit_id", "doc_id", "reason"]), _empty_units()
    if not isinstance(design, pd.DataFrame):
        design = load_design_sample(design)
    matched, unmatched = match_design_sample(design, sentences)
    return matched, unmatched, design_units(matched, unmatched)


def frame_prevalence(
    sentences: pd.DataFrame,
    predictions: pd.DataFrame,
    documents: pd.DataFrame,
    design: pd.DataFrame | str | os.PathLike | None = None,
    *,
    relevance: pd.DataFrame | None = None,
    group_columns: Sequence[str] = DEFAULT_GROUP_COLUMNS,
    frames: Sequence[str] = CODED_FRAMES,
    instrument: str | None = None,
    n_boot: int = 2000,
    seed: int = 1,
    level: float = 0.95,
    min_coded: int = 30,
    method: str = "bayes",
    pseudo_count: float = 0.5,
    include_unknown: bool = False,
    relevance_version: str = "latest",
    preprocess_config: PreprocessConfig | None = None,
) -> FramePrevalence:
    """Naive and design-corrected share of sentences carrying each frame, per group and subset.

    Parameters
    ----------
    sentences : DataFrame
        The run's ``sentences`` table.
    predictions : DataFrame
        doc_id, sent_id and per frame ``prob_<frame>`` (a probability, used as is) or
        ``hits_<frame>`` (flagged when > 0: the lexicon's ``sentence_frames``).
    documents : DataFrame
        doc_id, language and the grouping columns.
    design : DataFrame, path or None
        The coded sample (``load_design_sample`` or its path); None: corrected shares are NaN.
    relevance : DataFrame, optional
        ``mark_relevance`` output; computed with ``relevance_version`` when absent.
    group_columns : sequence of str, default ("country", "language", "administration")
    frames : sequence of str, default ("humanitarian", "security")
    instrument : str, optional
        Label written into the tables (default "lexicon <lexicon_version>").
    n_boot : int, default 2000
        Replicates of each part of the interval.
    seed : int, default 1
        Seed of every draw (``rng(seed, "frame_prevalence", ...)``).
    level : float, default 0.95
    min_coded : int, default 30
        Fewer coded units in a group and subset make the correction ``unstable``.
    method : {"bayes", "raowu"}, default "bayes"
        Coded-sample resampling (``frame_prevalence_resampling``).
    pseudo_count : float, default 0.5
        Dirichlet parameter of the pseudo-units of the "bayes" method.
    include_unknown : bool, default False
        Keep groups with an "unknown" value (undated documents).

    Returns
    -------
    FramePrevalence

    Examples
    --------
    >>> fp = frame_prevalence(sentences, sentence_frames, documents, "design_sample.csv")  # doctest: +SKIP
    >>> fp.table.query("subset == 'all'")[["administration", "frame", "naive", "corrected"]]  # doctest: +SKIP
    """
    if method not in CODED_METHODS:
        raise ValueError(f"method must be one of {CODED_METHODS}")
    settings = dict(
        group_columns=list(group_columns), frames=list(frames), n_boot=n_boot, seed=seed,
        ci_level=level, min_coded=min_coded, coded_resampling=method, pseudo_count=pseudo_count,
    )  # fmt: skip
    if relevance is None:
        relevance = mark_relevance(sentences, documents, relevance_version, preprocess_config)
    preds, settings["prediction_rule"] = _predictions(predictions, settings["frames"], instrument)
    settings["instrument"] = " + ".join(sorted(set(preds["_instrument"])))
    pop = _population(
        sentences, preds, documents, relevance, settings["group_columns"], include_unknown
    )
    matched, unmatched, units = _read_design(design, sentences)
    coded = _coded_units(pop, matched, settings)
    table, diffs = _estimate_groups(pop, coded, settings, matched is not None)
    params = _params(settings, relevance, matched, unmatched, coded)
    return FramePrevalence(table, diffs, units, unmatched, params)


def _estimate_groups(
    pop: pd.DataFrame, coded: _Coded | None, settings: dict, has_design: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``frame_prevalence`` and ``frame_prevalence_differences`` tables, group by group."""
    cols, frames = settings["group_columns"], settings["frames"]
    level = settings["ci_level"]
    groups = {(k if isinstance(k, tuple) else (k,)): g for k, g in pop.groupby(cols, sort=False)}
    keys = sorted(groups, key=lambda k: _sort_key(k, cols))
    rows, estimates, labels = [], {}, {}
    for key in keys:
        labels[key] = " + ".join(sorted(set(groups[key]["_instrument"])))
        est = _estimate_group(key, groups[key], coded, frames, settings["n_boot"], settings["seed"])
        found = group_rows(
            key,
            est,
            SUBSETS,
            frames,
            labels[key],
            level,
            settings["min_coded"],
            _design_population(coded, key, cols),
            has_design,
            cols,
        )
        rows.append(found.rows)
        estimates[key] = found.for_differences
    table = frame_prevalence_schema(tuple(cols)).validate(
        pd.concat(rows, ignore_index=True) if rows else empty_table(cols)
    )
    diffs = difference_rows(contrast_pairs(keys, cols), estimates, SUBSETS, frames, labels, level)
    return table, validate(diffs, "frame_prevalence_differences")


def _empty_units() -> pd.DataFrame:
    return validate(
        pd.DataFrame({c: pd.Series(dtype=t) for c, t in _UNIT_DTYPES.items()}), "design_units"
    )


_UNIT_DTYPES = {
    "unit_id": "str",
    "doc_id": "str",
    "stratum": "str",
    "inclusion_prob": "float64",
    "weight": "float64",
    "match": "str",
    "sent_id": "int64",
    "reason": "str",
}


def _sort_key(key: tuple, group_columns: list[str]) -> tuple:
    if "country" in group_columns:
        c = key[group_columns.index("country")]
        a = (
            key[group_columns.index("administration")]
            if "administration" in group_columns
            else None
        )
        return (group_sort_key(c, a), key)
    return ((), key)


def _params(settings: dict, relevance, matched, unmatched, coded) -> dict:
    """Settings and counts for run.json."""
    out = {
        **settings,
        "subsets": list(SUBSETS),
        "relevance_version": str(relevance["relevance_version"].iloc[0]) if len(relevance) else "",
        "estimator": "naive + Hajek mean residual (design weights N_h / m_h)",
        "interval": "percentile; document bootstrap + stratified Bayesian bootstrap of coded units",
        "design_sample": matched is not None,
    }
    if matched is not None:
        used = 0 if coded is None else len(coded.frame)
        out.update(
            {
                "coded_units": int(len(matched) + len(unmatched)),
                "matched_by_offsets": int((matched["match"] == "offsets").sum()),
                "matched_by_text": int((matched["match"] == "text").sum()),
                "unmatched": int(len(unmatched)),
                "matched_outside_groups": int(len(matched) - used),
            }
        )
    return out
