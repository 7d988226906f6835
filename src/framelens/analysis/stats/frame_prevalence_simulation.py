"""Coverage simulation of the corrected prevalence estimator (the figures of docs/measurement.md).

Each replication draws a new corpus from a known process, runs an instrument whose errors
differ by group, draws a stratified probability sample of sentences for coding (strata: group x
whether the instrument fired, as in ``design_sample.csv``), and computes naive and corrected
shares with their 95% intervals through ``group_estimates``, the code ``frame_prevalence``
uses. Coverage is the share of replications whose interval holds the process's true share
(the estimand: the share of sentences carrying the frame in the process that writes the
group's documents; every replication has a new corpus). Coverage of the realised corpus share
is reported beside it.

Default process, two groups ("over": the instrument fires too often, as the lexicon does for
López Obrador's humanitarian frame; "under": it misses most positives, as for Sheinbaum's
security frame):

- documents per group ``n_docs`` (60), sentences per document uniform in [40, 260);
- each sentence relevant with probability 0.4; a document's prevalence p_k ~ Beta with mean
  ``prevalence`` and concentration 20 (documents differ); a relevant sentence carries the frame
  with probability p_k, another with 0.25 p_k;
- the instrument flags a positive with probability ``sensitivity`` and a negative with
  ``false_positive`` (per group; with ``heterogeneous=True`` the false-positive rate varies by
  document, Beta with concentration 5);
- coded units: ``n_framed`` (50) where the instrument fired and ``n_unframed`` (40) where not,
  per group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.analysis.stats.frame_prevalence_estimates import group_estimates
from framelens.analysis.stats.frame_prevalence_resampling import (
    coded_replicates,
    document_counts,
    percentile_interval,
    stratified_sample,
)
from framelens.core.seeding import rng

SUBSETS = ("all", "relevant")
RELEVANT_SHARE = 0.4
OTHER_FACTOR = 0.25


@dataclass(frozen=True)
class SimulatedGroup:
    """Process parameters of one group (see the module docstring)."""

    name: str
    prevalence: float  # share among relevant sentences (mean over documents)
    sensitivity: float
    false_positive: float

    @property
    def truth(self) -> dict[str, float]:
        """True shares of the process: all sentences, relevant sentences."""
        all_share = self.prevalence * (RELEVANT_SHARE + (1 - RELEVANT_SHARE) * OTHER_FACTOR)
        return {"all": all_share, "relevant": self.prevalence}


DEFAULT_GROUPS = (
    SimulatedGroup("over", prevalence=0.055, sensitivity=0.70, false_positive=0.04),
    SimulatedGroup("under", prevalence=0.075, sensitivity=0.35, false_positive=0.004),
)


@dataclass(frozen=True)
class Scenario:
    """Settings of one simulation (see the module docstring)."""

    groups: tuple[SimulatedGroup, ...] = DEFAULT_GROUPS
    n_docs: int = 60
    n_framed: int = 50
    n_unframed: int = 40
    heterogeneous: bool = False
    method: str = "bayes"
    pseudo_count: float = 0.5
    n_boot: int = 1000
    level: float = 0.95


def _corpus(group: SimulatedGroup, scenario: Scenario, gen: np.random.Generator):
    """One simulated corpus of a group: doc index, relevant, truth y, prediction f."""
    lengths = gen.integers(40, 260, size=scenario.n_docs)
    doc = np.repeat(np.arange(scenario.n_docs), lengths)
    conc = 20.0
    p_doc = gen.beta(group.prevalence * conc, (1 - group.prevalence) * conc, size=scenario.n_docs)
    relevant = gen.random(len(doc)) < RELEVANT_SHARE
    p = np.where(relevant, p_doc[doc], OTHER_FACTOR * p_doc[doc])
    y = gen.random(len(doc)) < p
    fp = np.full(scenario.n_docs, group.false_positive)
    if scenario.heterogeneous:
        c = 5.0
        fp = gen.beta(
            group.false_positive * c, (1 - group.false_positive) * c, size=scenario.n_docs
        )
    f = np.where(y, gen.random(len(doc)) < group.sensitivity, gen.random(len(doc)) < fp[doc])
    return doc, relevant, y.astype(float), f.astype(float)


def _replication(scenario: Scenario, seed: int, rep: int) -> list[dict]:
    gen = rng(seed, "simulation", rep)
    corpora = [_corpus(g, scenario, gen) for g in scenario.groups]
    # the coded sample: strata = group x fired
    strata = np.concatenate([2 * k + c[3].astype(int) for k, c in enumerate(corpora)])
    sizes = np.bincount(strata, minlength=2 * len(corpora))
    alloc = {h: (scenario.n_framed if h % 2 else scenario.n_unframed) for h in range(len(sizes))}
    index, _ = stratified_sample(strata, alloc, gen)
    present = np.unique(strata[index])
    code = np.searchsorted(present, strata[index])
    coded = coded_replicates(
        code,
        sizes[present],
        scenario.n_boot,
        lambda h: rng(seed, "simulation", rep, "coded", h),
        method=scenario.method,
        pseudo_count=scenario.pseudo_count,
    )
    group_of = np.concatenate([np.full(len(c[0]), k) for k, c in enumerate(corpora)])[index]
    rel_all = np.concatenate([c[1] for c in corpora])[index]
    y_all = np.concatenate([c[2] for c in corpora])[index][:, None]
    f_all = np.concatenate([c[3] for c in corpora])[index][:, None]
    coded_subsets = np.column_stack([np.ones(len(index), dtype=bool), rel_all])
    rows = []
    for k, (group, (doc, relevant, y, f)) in enumerate(zip(scenario.groups, corpora, strict=True)):
        counts = document_counts(
            scenario.n_docs, scenario.n_boot, rng(seed, "simulation", rep, "docs", k)
        )
        subsets = np.column_stack([np.ones(len(doc), dtype=bool), relevant])
        est = group_estimates(
            doc, f[:, None], subsets, counts, coded, group_of == k, coded_subsets, y_all, f_all
        )
        for s, name in enumerate(SUBSETS):
            corpus_share = float(y[subsets[:, s]].mean())
            for estimator, point, draws in (
                ("naive", est.naive[s, 0], est.naive_draws[:, s, 0]),
                ("corrected", est.corrected[s, 0], est.corrected_draws[:, s, 0]),
            ):
                lo, hi = percentile_interval(draws, scenario.level)
                rows.append(
                    {
                        "rep": rep,
                        "group": group.name,
                        "subset": name,
                        "estimator": estimator,
                        "truth": group.truth[name],
                        "corpus_share": corpus_share,
                        "estimate": point,
                        "ci_low": lo,
                        "ci_high": hi,
                        "n_coded": int(est.n_coded[s]),
                    }
                )
    return rows


def simulate(scenario: Scenario | None = None, n_reps: int = 500, seed: int = 1) -> pd.DataFrame:
    """Run the coverage simulation; one row per replication x group x subset x estimator.

    Columns: rep, group, subset, estimator ("naive" | "corrected"), truth (the process's
    share), corpus_share (the realised corpus's share), estimate, ci_low, ci_high, n_coded,
    covers (the interval holds ``truth``), covers_corpus (it holds ``corpus_share``), width.
    """
    scenario = scenario or Scenario()
    rows = [r for rep in range(n_reps) for r in _replication(scenario, seed, rep)]
    out = pd.DataFrame(rows)
    out["covers"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    out["covers_corpus"] = (out["ci_low"] <= out["corpus_share"]) & (
        out["corpus_share"] <= out["ci_high"]
    )
    out["width"] = out["ci_high"] - out["ci_low"]
    return out


def coverage_table(sim: pd.DataFrame) -> pd.DataFrame:
    """Coverage, bias and mean width per estimator x group x subset, and pooled ("all groups")."""
    keys = ["estimator", "group", "subset"]

    def summarise(df: pd.DataFrame) -> pd.Series:
        return pd.Series(
            {
                "truth": df["truth"].mean(),
                "mean_estimate": df["estimate"].mean(),
                "bias": (df["estimate"] - df["truth"]).mean(),
                "coverage": df["covers"].mean(),
                "coverage_corpus": df["covers_corpus"].mean(),
                "mean_width": df["width"].mean(),
                "n": float(len(df)),
            }
        )

    per = sim.groupby(keys, sort=True).apply(summarise, include_groups=False).reset_index()
    pooled = (
        sim.groupby("estimator", sort=True).apply(summarise, include_groups=False).reset_index()
    )
    pooled["group"], pooled["subset"] = "all groups", "all subsets"
    return pd.concat([per, pooled[per.columns]], ignore_index=True)
