"""Fitting one language: what ``fit_topics`` and ``select_topics`` share.

The topic section's checks, the seed lexicon of a run, the languages to model, the pruned
corpus of a language with its seed terms, whether a language is fitted streamed
(``stream_chunk_for``), the engine for a name and hyperparameters, the seed of each refit, and
``fit_language``: R refits of one engine aligned to the first (seeded themes
by index, other topics by Hungarian matching of topic-word cosine,
``framelens.models.diagnostics.match_topics``).

Layering: this module sits below ``selection`` (which fits the k grid with it) and ``fit``
(which fits the chosen k and may run the selection first); see ``[tool.importlinter]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framelens.core.config import TopicsConfig
from framelens.core.domain import LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed
from framelens.models.base import SeedTerms, TopicModel
from framelens.models.diagnostics import match_topics
from framelens.models.lda import LDATopicModel
from framelens.models.nmf import NMFTopicModel
from framelens.models.seeds import SeedLexicon, load_seeds
from framelens.models.sources import Sentences
from framelens.models.topic_corpus import TopicCorpus, build_corpus

ENGINES = ("lda", "nmf")
SELECTION_RULES = ("frontier", "coherence", "npmi", "stability", "fixed")


def check_topics_config(config: TopicsConfig) -> TopicsConfig:
    """Check the topic section's values that ``RunConfig.validate`` does not (E003/E017)."""

    def bad(key: str, value: Any, reason: str) -> None:
        raise ConfigError(Errors.E003.format(key=f"topics.{key}", value=value, reason=reason))

    if config.unit != "document":
        raise ConfigError(
            Errors.E017.format(
                key="unit", value=config.unit, reason="the topic unit is the document"
            )
        )
    if config.engine not in ENGINES:
        bad("engine", config.engine, "use 'lda' or 'nmf'")
    if any(e not in ENGINES for e in config.selection_engines) or not config.selection_engines:
        bad("selection_engines", config.selection_engines, "use a non-empty list of 'lda', 'nmf'")
    if config.n_seeds < 1:
        bad("n_seeds", config.n_seeds, "must be >= 1")
    if config.n_boot < 1:
        bad("n_boot", config.n_boot, "must be >= 1")
    if not 0.5 < config.ci < 1:
        bad("ci", config.ci, "must be in (0.5, 1)")
    if config.min_df < 1:
        bad("min_df", config.min_df, "must be >= 1")
    if config.selection_rule not in SELECTION_RULES:
        bad(
            "selection_rule",
            config.selection_rule,
            "use 'frontier', 'coherence', 'npmi', 'stability' or 'fixed'",
        )
    if config.selection_rule == "fixed" and config.k is None:
        bad("k", None, "selection_rule 'fixed' needs topics.k")
    if not isinstance(config.stream_above, int) or config.stream_above < 0:
        bad("stream_above", config.stream_above, "must be an integer >= 0 (documents)")
    if not isinstance(config.stream_chunk, int) or config.stream_chunk < 1:
        bad("stream_chunk", config.stream_chunk, "must be an integer >= 1 (documents)")
    return config


def stream_chunk_for(corpus: TopicCorpus, config: TopicsConfig) -> int | None:
    """``config.stream_chunk`` when ``corpus`` has more than ``config.stream_above`` documents
    (the language is fitted streamed: online LDA, MiniBatchNMF), else None (in memory)."""
    return int(config.stream_chunk) if corpus.n_docs > config.stream_above else None


def resolve_seeds(config: TopicsConfig, seeds: SeedLexicon | None) -> SeedLexicon | None:
    """The seed lexicon of a run: ``seeds``, else ``load_seeds(config.seeds_version)`` when
    ``config.seeded``; None when the models are unseeded."""
    if not config.seeded:
        return None
    return seeds if seeds is not None else load_seeds(config.seeds_version)


def make_model(
    engine: str,
    k: int,
    random_state: int,
    config: TopicsConfig,
    seed_terms: SeedTerms | None = None,
    stream_chunk: int | None = None,
) -> TopicModel:
    """The estimator for ``engine`` with the config's hyperparameters; streamed with chunks of
    ``stream_chunk`` documents when it is set (``stream_chunk_for``)."""
    if engine == "lda":
        return LDATopicModel(
            k,
            random_state=random_state,
            passes=config.passes,
            iterations=config.iterations,
            alpha=config.alpha,
            seed_terms=seed_terms,
            seed_strength=config.seed_strength,
            stream_chunk=stream_chunk,
        )
    if engine == "nmf":
        return NMFTopicModel(
            k,
            random_state=random_state,
            seed_terms=seed_terms,
            seed_strength=config.seed_strength,
            stream_chunk=stream_chunk,
        )
    raise ConfigError(Errors.E003.format(key="topics.engine", value=engine, reason="use lda|nmf"))


def model_seed(seed: int, language: str, engine: str, k: int, replicate: int) -> int:
    """The seed of refit ``replicate`` (shared by ``fit_topics`` and ``select_topics``)."""
    return derive_seed(seed, "topics", language, engine, k, replicate)


def languages_of(documents: pd.DataFrame, languages: list[str] | None = None) -> list[str]:
    """Languages with readable documents (en, es), or those asked for."""
    if languages is not None:
        return list(languages)
    docs = documents[documents["status"] == "ok"] if "status" in documents else documents
    present = set(docs["language"].dropna().astype(str))
    return [lang for lang in LANGUAGES if lang in present]


def prepare_corpus(
    sentences: Sentences,
    documents: pd.DataFrame,
    language: str,
    config: TopicsConfig,
    seeds: SeedLexicon | None,
) -> tuple[TopicCorpus, dict[str, list[str]] | None]:
    """The pruned corpus of ``language`` and the seed terms resolved to its vocabulary."""
    protected = seeds.all_forms(language) if seeds is not None else ()
    corpus = build_corpus(
        sentences,
        documents,
        language,
        min_df=config.min_df,
        max_df=config.max_df,
        max_vocab=config.max_vocab,
        bigrams=config.bigrams,
        stopwords=config.extra_stopwords,
        protected=protected,
    )
    seed_terms = seeds.resolve(language, corpus.vocabulary) if seeds is not None else None
    return corpus, seed_terms


def topic_labels(
    topic_word: np.ndarray, vocabulary: list[str], themes: list[str | None]
) -> list[str]:
    """Theme name for seeded topics; the top three terms joined by ``_`` otherwise (made
    unique with the topic number on a clash)."""
    labels: list[str] = []
    vocab = np.asarray(vocabulary, dtype=object)
    for t in range(topic_word.shape[0]):
        theme = themes[t] if t < len(themes) else None
        if theme:
            labels.append(theme)
            continue
        top = vocab[np.argsort(-topic_word[t], kind="stable")[:3]]
        label = "_".join(str(w) for w in top)
        if label in labels or label in themes:
            label = f"{label}_{t}"
        labels.append(label)
    return labels


def fit_language(
    corpus: TopicCorpus,
    seed_terms: dict[str, list[str]] | None,
    engine: str,
    k: int,
    config: TopicsConfig,
    seed: int,
) -> tuple[list[TopicModel], np.ndarray, np.ndarray, np.ndarray | None, list[str]]:
    """Fit R refits of one language and align them to the first (streamed above
    ``config.stream_above`` documents, ``stream_chunk_for``).

    Returns (models, topic_word (R, k, V), doc_topic (R, n, k), concentration (R, n, k) or
    None, labels).
    """
    n_fixed = len(seed_terms) if seed_terms else 0
    models: list[TopicModel] = []
    tw, dt, conc = [], [], []
    chunk = stream_chunk_for(corpus, config)
    for r in range(config.n_seeds):
        s = model_seed(seed, corpus.language, engine, k, r)
        m = make_model(engine, k, s, config, seed_terms, stream_chunk=chunk)
        m.fit(corpus)
        if r == 0:
            perm = np.arange(k)
        else:
            perm, _ = match_topics(models[0].topic_word_, m.topic_word_, fixed=n_fixed)
        models.append(m)
        tw.append(m.topic_word_[perm])
        dt.append(m.doc_topic_[:, perm])
        c = m.doc_topic_concentration_
        conc.append(None if c is None else c[:, perm])
    topic_word = np.stack(tw)
    doc_topic = np.stack(dt)
    concentration = None if any(c is None for c in conc) else np.stack(conc)
    labels = topic_labels(topic_word.mean(axis=0), corpus.vocabulary, models[0].topic_labels_)
    return models, topic_word, doc_topic, concentration, labels
