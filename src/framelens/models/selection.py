"""Model selection: a grid of k (and engines) over several seeds, scored and chosen by a rule.

For each language, engine in ``config.selection_engines`` and k in ``config.k_grid`` (in seeded
mode, k below the number of themes is skipped), ``config.n_seeds`` refits are fitted with the same
seeds ``fit_topics`` uses. Each refit gets

- ``coherence_cv`` and ``coherence_npmi``: mean over topics of gensim's c_v and c_npmi of the
  top 10 terms, over the tokenised training documents;
- ``exclusivity``: mean over topics of the mean FREX score of the top 10 terms (weight 0.7);
- ``stability``: mean over the other refits (same language, engine, k) of the mean cosine
  similarity of Hungarian-matched topic-word vectors.

Choice rules (``config.selection_rule``), applied per language to the means over seeds:

- ``frontier`` (default): among candidates with stability >= ``config.min_stability`` (all
  candidates when none qualifies or a single seed makes stability undefined), the highest mean
  of min-max scaled c_v and min-max scaled exclusivity (the coherence-exclusivity frontier of
  Roberts et al. 2014, with equal weights);
- ``coherence`` / ``npmi`` / ``stability``: the highest mean c_v / NPMI / stability;
- ``fixed``: ``config.k`` and ``config.engine``.

Ties go to the smaller k, then to ``config.engine``.

A language with more than ``config.stream_above`` documents is fitted with the streamed
estimators (online LDA in chunks, MiniBatchNMF; ``refits.stream_chunk_for``), the same ones
``fit_topics`` then uses; ``SelectionResult.streamed`` records the chunk size per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from framelens.core.config import TopicsConfig
from framelens.models.diagnostics import coherence_per_topic, exclusivity, stability
from framelens.models.refits import (
    check_topics_config,
    languages_of,
    make_model,
    model_seed,
    prepare_corpus,
    resolve_seeds,
    stream_chunk_for,
)
from framelens.models.seeds import SeedLexicon
from framelens.models.sources import Sentences
from framelens.models.topic_corpus import TopicCorpus
from framelens.schemas import columns_of

SELECTION_COLUMNS = columns_of("topic_selection")
CHOSEN_COLUMNS = columns_of("topic_selection_chosen")
FIGURE_COLUMNS = [
    "language",
    "engine",
    "k",
    "n_seeds",
    "coherence_cv",
    "coherence_npmi",
    "exclusivity",
    "stability",
    "chosen",
]
TOPN = 10


@dataclass
class SelectionResult:
    """What ``select_topics`` returns.

    Attributes
    ----------
    table : DataFrame
        One row per fitted refit: ``SELECTION_COLUMNS`` (written as topic_selection.csv).
    chosen : DataFrame
        One row per language: language, k, engine, rule, reason.
    figure : DataFrame
        Means over seeds per (language, engine, k) with a ``chosen`` flag: the data of the
        coherence-against-exclusivity figure (``plot_selection``).
    skipped : list of dict
        Grid points not fitted and why.
    streamed : dict of str to int or None
        Per language: the chunk size (documents) of its streamed fits, or None when it was
        fitted in memory (``topics.stream_above``).
    """

    table: pd.DataFrame
    chosen: pd.DataFrame
    figure: pd.DataFrame
    skipped: list[dict[str, Any]] = field(default_factory=list)
    streamed: dict[str, int | None] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables of the selection by table name: ``topic_selection`` (``table``) and
        ``topic_selection_chosen`` (``chosen``)."""
        return {"topic_selection": self.table, "topic_selection_chosen": self.chosen}

    @classmethod
    def concat(cls, results: list[SelectionResult]) -> SelectionResult | None:
        """One result from several (e.g. one per language), tables in order; None if empty."""
        if not results:
            return None
        return cls(
            table=pd.concat([s.table for s in results], ignore_index=True),
            chosen=pd.concat([s.chosen for s in results], ignore_index=True),
            figure=pd.concat([s.figure for s in results], ignore_index=True),
            skipped=[x for s in results for x in s.skipped],
            streamed={lang: c for s in results for lang, c in s.streamed.items()},
        )


class GridFit(NamedTuple):
    """One refit of the selection grid."""

    engine: str
    k: int
    seed: int
    topic_word: np.ndarray
    top_words: list[list[str]]


def summarise_selection(table: pd.DataFrame) -> pd.DataFrame:
    """Means over seeds per (language, engine, k), sorted."""
    g = table.groupby(["language", "engine", "k"], sort=True)
    out = g[["coherence_cv", "coherence_npmi", "exclusivity", "stability"]].mean()
    out.insert(0, "n_seeds", g.size())
    return out.reset_index()


def choose_k(summary: pd.DataFrame, config: TopicsConfig) -> pd.DataFrame:
    """Apply ``config.selection_rule`` to the per-(engine, k) means of each language."""
    rows = []
    rule = config.selection_rule
    for lang, sub in summary.groupby("language", sort=True):
        sub = sub.copy()
        sub["_engine_order"] = (sub["engine"] != config.engine).astype(int)
        if rule == "fixed":
            rows.append((lang, int(config.k), config.engine, rule, "fixed by config (topics.k)"))
            continue
        stable = sub[sub["stability"] >= config.min_stability]
        undefined = sub["stability"].isna().all()
        cand = sub if (stable.empty or undefined) else stable
        if rule == "frontier":
            score = 0.5 * _minmax(cand["coherence_cv"]) + 0.5 * _minmax(cand["exclusivity"])
        else:
            column = {"coherence": "coherence_cv", "npmi": "coherence_npmi"}.get(rule, rule)
            score = cand[column].fillna(-np.inf)
        cand = cand.assign(_score=score)
        best = cand.sort_values(
            ["_score", "k", "_engine_order", "engine"],
            ascending=[False, True, True, True],
            kind="mergesort",
        ).iloc[0]
        if undefined:
            pool = f"all {len(cand)} candidates (one seed: stability undefined)"
        elif stable.empty:
            pool = f"all {len(cand)} candidates (none reached stability >= {config.min_stability})"
        else:
            pool = f"{len(cand)} of {len(sub)} candidates with stability >= {config.min_stability}"
        what = {
            "frontier": "highest mean of min-max scaled c_v and exclusivity",
            "coherence": "highest mean c_v",
            "npmi": "highest mean NPMI",
            "stability": "highest stability",
        }[rule]
        reason = (
            f"{what} among {pool}: c_v {best['coherence_cv']:.3f}, NPMI "
            f"{best['coherence_npmi']:.3f}, exclusivity {best['exclusivity']:.3f}, "
            f"stability {best['stability']:.3f}"
        )
        rows.append((lang, int(best["k"]), str(best["engine"]), rule, reason))
    return pd.DataFrame(rows, columns=CHOSEN_COLUMNS)


def _minmax(x: pd.Series) -> pd.Series:
    x = x.astype(float)
    lo, hi = x.min(), x.max()
    if not np.isfinite(lo) or hi - lo <= 0:
        return pd.Series(0.0, index=x.index)
    return (x - lo) / (hi - lo)


def select_topics(
    sentences: Sentences,
    documents: pd.DataFrame,
    config: TopicsConfig | None = None,
    seed: int = 0,
    *,
    seeds: SeedLexicon | None = None,
    languages: list[str] | None = None,
) -> SelectionResult:
    """Fit the k grid for each engine and language over ``config.n_seeds`` seeds and choose k.

    Parameters
    ----------
    sentences : DataFrame or SentenceSource
        As for ``fit_topics``. Not modified.
    documents : DataFrame
        As for ``fit_topics``. Not modified.
    config : TopicsConfig, optional
        ``k_grid``, ``selection_engines``, ``n_seeds``, ``selection_rule``, ``min_stability``
        and the model hyperparameters.
    seed : int, default 0
        The run seed (refit seeds derive from it exactly as in ``fit_topics``).
    seeds : SeedLexicon, optional
        Seed terms; default: ``load_seeds(config.seeds_version)`` when ``config.seeded``.
    languages : list of str, optional
        Languages to model (default: en and es where present).

    Returns
    -------
    SelectionResult
        ``.table`` (language, engine, k, seed, coherence_cv, coherence_npmi, exclusivity,
        stability), ``.chosen``, ``.figure``.

    Examples
    --------
    >>> sel = select_topics(sentences, documents, TopicsConfig(k_grid=[6, 8]), seed=1)  # doctest: +SKIP
    >>> sel.chosen  # doctest: +SKIP
    """
    config = check_topics_config(config or TopicsConfig())
    seeds = resolve_seeds(config, seeds)
    rows: list[list[Any]] = []
    skipped: list[dict[str, Any]] = []
    streamed: dict[str, int | None] = {}
    for lang in languages_of(documents, languages):
        corpus, seed_terms = prepare_corpus(sentences, documents, lang, config, seeds)
        streamed[lang] = stream_chunk_for(corpus, config)
        fits = fit_grid(corpus, seed_terms, config, seed, skipped)
        if fits:
            rows.extend(score_grid(corpus, fits, config))
    table = pd.DataFrame(rows, columns=SELECTION_COLUMNS)
    chosen, figure = _choose_and_summarise(table, config)
    return SelectionResult(
        table=table, chosen=chosen, figure=figure, skipped=skipped, streamed=streamed
    )


def fit_grid(
    corpus: TopicCorpus,
    seed_terms: dict[str, list[str]] | None,
    config: TopicsConfig,
    seed: int,
    skipped: list[dict[str, Any]],
) -> list[GridFit]:
    """Fit every (engine, k, refit) of the grid on ``corpus``, engines and k in order
    (streamed above ``config.stream_above`` documents, as in ``fit_topics``).

    k below the number of seeded themes is not fitted: it is appended to ``skipped`` with the
    reason.
    """
    n_themes = len(seed_terms) if seed_terms else 0
    chunk = stream_chunk_for(corpus, config)
    fits: list[GridFit] = []
    for engine in config.selection_engines:
        for k in sorted(set(config.k_grid)):
            if k < n_themes:
                skipped.append(
                    {
                        "language": corpus.language,
                        "engine": engine,
                        "k": k,
                        "reason": f"k below the {n_themes} seeded themes",
                    }
                )
                continue
            for r in range(config.n_seeds):
                s = model_seed(seed, corpus.language, engine, k, r)
                m = make_model(engine, k, s, config, seed_terms, stream_chunk=chunk).fit(corpus)
                tops = m.top_terms(TOPN)
                words = [g["term"].tolist() for _, g in tops.groupby("topic", sort=True)]
                fits.append(GridFit(engine, k, s, m.topic_word_, words))
    return fits


def score_grid(corpus: TopicCorpus, fits: list[GridFit], config: TopicsConfig) -> list[list[Any]]:
    """One ``SELECTION_COLUMNS`` row per refit: mean c_v and NPMI of its topics over the
    corpus texts, mean exclusivity, and stability among the refits of its (engine, k)."""
    all_topics = [w for fit in fits for w in fit.top_words]
    cv = coherence_per_topic(all_topics, corpus.texts, "c_v")
    npmi = coherence_per_topic(all_topics, corpus.texts, "c_npmi")
    stab: dict[tuple[str, int, int], float] = {}
    for engine in config.selection_engines:
        for k in sorted(set(config.k_grid)):
            group = [(f.seed, f.topic_word) for f in fits if f.engine == engine and f.k == k]
            if group:
                values = stability([tw for _, tw in group])
                for (s, _), v in zip(group, values, strict=True):
                    stab[(engine, k, s)] = float(v)
    rows = []
    pos = 0
    for engine, k, s, tw, words in fits:
        n = len(words)
        rows.append(
            [
                corpus.language,
                engine,
                k,
                s,
                float(np.nanmean(cv[pos : pos + n])),
                float(np.nanmean(npmi[pos : pos + n])),
                float(exclusivity(tw, TOPN).mean()),
                stab[(engine, k, s)],
            ]
        )
        pos += n
    return rows


def _choose_and_summarise(
    table: pd.DataFrame, config: TopicsConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chosen k per language and the figure data (means over seeds, ``chosen`` flag)."""
    if table.empty:
        return pd.DataFrame(columns=CHOSEN_COLUMNS), pd.DataFrame(columns=FIGURE_COLUMNS)
    summary = summarise_selection(table)
    chosen = choose_k(summary, config)
    key = set(zip(chosen["language"], chosen["engine"], chosen["k"], strict=True))
    summary["chosen"] = [
        (lang, e, k) in key
        for lang, e, k in zip(summary["language"], summary["engine"], summary["k"], strict=True)
    ]
    return chosen, summary[FIGURE_COLUMNS]
