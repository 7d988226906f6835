"""``fit_topics``: per-language topic models, their tables and prevalence intervals.

Layering inside ``framelens.models`` (an import-linter contract in ``pyproject.toml``): this
module is on top; it may run ``selection`` first (when ``topics.k`` is null), both fit through
``refits``, which uses the engines (``lda``, ``nmf`` on ``base``) and their inputs
(``topic_corpus``, ``seeds``, ``diagnostics``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.config import TopicsConfig
from framelens.core.errors import ConfigError, Errors
from framelens.models.base import TopicModel
from framelens.models.prevalence import PREVALENCE_COLUMNS, estimate_prevalence
from framelens.models.refits import (
    check_topics_config,
    fit_language,
    languages_of,
    prepare_corpus,
    resolve_seeds,
    stream_chunk_for,
)
from framelens.models.seeds import SeedLexicon
from framelens.models.selection import SelectionResult, select_topics
from framelens.models.sources import Sentences, sentence_chunks
from framelens.models.topic_corpus import TopicCorpus, select_documents
from framelens.schemas import columns_of

TOPICS_COLUMNS = columns_of("topics")
DOC_TOPICS_COLUMNS = columns_of("doc_topics")
EXCERPT_COLUMNS = ["doc_id", "language", "excerpt"]
SEED_RANK_COLUMNS = columns_of("topic_seed_ranks")


@dataclass
class TopicResults:
    """What ``fit_topics`` returns: tidy tables plus the fitted models.

    Attributes
    ----------
    topics : DataFrame
        language, topic, label, rank, term, weight: the top ``n_top_terms`` terms of each topic
        (weights averaged over the aligned refits).
    doc_topics : DataFrame
        doc_id, language, topic, label, weight: every document's topic proportions (averaged
        over the aligned refits); rows of a document sum to 1.
    topic_prevalence : DataFrame
        country, administration, language, topic, label, mean, ci_low, ci_high, n_docs,
        small_n, comparable (see ``framelens.models.prevalence``).
    seed_ranks : DataFrame
        language, topic, label, term, rank, weight: where each seed term found in the
        vocabulary ranks in its theme (empty when unseeded): shows a theme drifting away.
    excerpts : DataFrame
        doc_id, language, excerpt: the opening text of each modelled document (for topic
        intrusion sheets).
    models : dict of str to list of TopicModel
        Per language, the R refits; ``models[lang][0]`` is the reference the others are
        aligned to.
    corpora : dict of str to TopicCorpus
    params : dict
        Engine, k, seeds, seed version, ``stream_above``, and per language (``languages``)
        pruning, ``streamed`` and ``stream_chunk``: recorded in run.json.
    prevalence_draws : dict
        (country, administration, language) -> (B, k) replicates of the prevalence.
    selection : SelectionResult or None
        The selection run when ``config.k`` is None (its tables concatenated over languages).
    """

    topics: pd.DataFrame
    doc_topics: pd.DataFrame
    topic_prevalence: pd.DataFrame
    seed_ranks: pd.DataFrame
    excerpts: pd.DataFrame
    models: dict[str, list[TopicModel]] = field(repr=False, default_factory=dict)
    corpora: dict[str, TopicCorpus] = field(repr=False, default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    prevalence_draws: dict[tuple[str, str, str], np.ndarray] = field(
        repr=False, default_factory=dict
    )
    selection: SelectionResult | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The topic tables by table name: ``topics``, ``doc_topics``, ``topic_prevalence``
        and ``topic_seed_ranks`` (``seed_ranks``). The selection's tables are in
        ``selection.tables()``."""
        return {
            "topics": self.topics,
            "doc_topics": self.doc_topics,
            "topic_prevalence": self.topic_prevalence,
            "topic_seed_ranks": self.seed_ranks,
        }

    @property
    def info(self) -> dict[str, Any]:
        """The run-record entry of the topic stage (same as ``params``)."""
        return self.params

    def summary(self) -> str:
        """A short text summary: per language engine, k, documents, vocabulary, topics."""
        lines = [
            f"Topic models (engine {self.params.get('engine')}, seed {self.params.get('seed')})"
        ]
        for lang, p in self.params.get("languages", {}).items():
            lines.append(
                f"  {lang}: k={p['k']}, {p['n_docs']} documents, {p['n_terms']} terms, "
                f"{p['n_refits']} refits"
            )
            sub = self.topics[(self.topics["language"] == lang) & (self.topics["rank"] <= 5)]
            for (t, label), g in sub.groupby(["topic", "label"], sort=True):
                lines.append(f"    {t:>2} {label}: {', '.join(g['term'])}")
        return "\n".join(lines)


def document_excerpts(
    sentences: Sentences, doc_ids: list[str], language: str, max_chars: int = 700
) -> pd.DataFrame:
    """The opening sentences of each document, up to about ``max_chars`` characters.

    ``sentences`` is the sentences table (doc_id, sent_id, text) or a ``SentenceSource``
    (read chunk by chunk with those columns). Returns doc_id, language, excerpt, one row per
    doc_id in ``doc_ids`` order ("" for a document without sentences)."""
    wanted = set(doc_ids)
    out: dict[str, str] = {}
    for chunk in sentence_chunks(sentences, ["doc_id", "sent_id", "text"]):
        out.update(_excerpts(chunk[chunk["doc_id"].isin(wanted)], max_chars))
    rows = [(d, language, out.get(d, "")) for d in doc_ids]
    return pd.DataFrame(rows, columns=EXCERPT_COLUMNS)


def _excerpts(sub: pd.DataFrame, max_chars: int) -> dict[str, str]:
    """doc_id -> excerpt of the documents in ``sub`` (rows of the sentences table)."""
    sub = sub.sort_values(["doc_id", "sent_id"], kind="mergesort")
    out = {}
    for doc_id, g in sub.groupby("doc_id", sort=True):
        parts, n = [], 0
        for text in g["text"].astype(str):
            text = " ".join(text.split())
            parts.append(text)
            n += len(text) + 1
            if n >= max_chars:
                break
        excerpt = " ".join(parts)
        out[doc_id] = excerpt if len(excerpt) <= max_chars else excerpt[:max_chars].rstrip() + " …"
    return out


def fit_topics(
    sentences: Sentences,
    documents: pd.DataFrame,
    config: TopicsConfig | None = None,
    seed: int = 0,
    *,
    seeds: SeedLexicon | None = None,
    languages: list[str] | None = None,
) -> TopicResults:
    """Fit one topic model per language and compute topic tables and prevalence.

    Per language (English documents, Spanish documents): build the pruned corpus
    (``build_corpus``), fit ``config.n_seeds`` refits of ``config.engine`` with k =
    ``config.k`` (or the ``select_topics`` choice when ``config.k`` is None) and seeds derived
    from ``seed``, align the refits to the first (seeded themes by index, other topics by
    Hungarian matching of topic-word cosine), average topic-word and document-topic weights
    over the aligned refits, and estimate prevalence per country x administration with
    method-of-composition intervals (``framelens.models.prevalence``). A language with more
    than ``config.stream_above`` documents is fitted streamed (online LDA / MiniBatchNMF in
    chunks of ``config.stream_chunk`` documents), recorded in ``params``.

    Parameters
    ----------
    sentences : DataFrame or SentenceSource
        The ``sentences`` table (doc_id, sent_id, text, lemmas, ...), not modified; or a source
        serving it in chunks of whole documents (``FrameSource``, ``ParquetSentenceSource``,
        ``framelens.models.sources``), read twice per language (lemmas for the corpus, text
        for the excerpts) and a third time when k is selected. Both give the same tables.
    documents : DataFrame
        The ``documents`` table (doc_id, country, language, administration, status, ...).
    config : TopicsConfig, optional
        The ``topics`` section of the run config (defaults when None).
    seed : int, default 0
        The run seed; every random draw derives from it.
    seeds : SeedLexicon, optional
        Seed terms; default: ``load_seeds(config.seeds_version)`` when ``config.seeded``.
    languages : list of str, optional
        Languages to model (default: en and es where present).

    Returns
    -------
    TopicResults

    Examples
    --------
    >>> res = fit_topics(sentences, documents, TopicsConfig(k=8), seed=1)  # doctest: +SKIP
    >>> res.topic_prevalence.query("label == 'enforcement_detention'")  # doctest: +SKIP
    """
    config = check_topics_config(config or TopicsConfig())
    seeds = resolve_seeds(config, seeds)
    parts = _Parts()
    params: dict[str, Any] = {
        "engine": config.engine,
        "seed": seed,
        "seeded": seeds is not None,
        "seeds_version": seeds.version if seeds is not None else None,
        "n_seeds": config.n_seeds,
        "n_boot": config.n_boot,
        "ci": config.ci,
        "stream_above": config.stream_above,
        "languages": {},
    }
    for lang in languages_of(documents, languages):
        params["languages"][lang] = _fit_one_language(
            parts, sentences, documents, lang, config, seed, seeds
        )
    return parts.results(params)


@dataclass
class _Parts:
    """What ``fit_topics`` collects language by language (rows in table order)."""

    topic_rows: list[tuple] = field(default_factory=list)
    doc_rows: list[tuple] = field(default_factory=list)
    seed_rows: list[tuple] = field(default_factory=list)
    prevalence: list[pd.DataFrame] = field(default_factory=list)
    excerpts: list[pd.DataFrame] = field(default_factory=list)
    models: dict[str, list[TopicModel]] = field(default_factory=dict)
    corpora: dict[str, TopicCorpus] = field(default_factory=dict)
    draws: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)
    selections: list[SelectionResult] = field(default_factory=list)

    def results(self, params: dict[str, Any]) -> TopicResults:
        """The collected rows as tables, with the models and ``params``."""
        doc_topics = pd.DataFrame(self.doc_rows, columns=DOC_TOPICS_COLUMNS).sort_values(
            ["doc_id", "topic"], kind="mergesort", ignore_index=True
        )
        return TopicResults(
            topics=pd.DataFrame(self.topic_rows, columns=TOPICS_COLUMNS),
            doc_topics=doc_topics,
            topic_prevalence=_concat(self.prevalence, PREVALENCE_COLUMNS),
            seed_ranks=pd.DataFrame(self.seed_rows, columns=SEED_RANK_COLUMNS),
            excerpts=_concat(self.excerpts, EXCERPT_COLUMNS),
            models=self.models,
            corpora=self.corpora,
            params=params,
            prevalence_draws=self.draws,
            selection=SelectionResult.concat(self.selections),
        )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _fit_one_language(
    parts: _Parts,
    sentences: Sentences,
    documents: pd.DataFrame,
    lang: str,
    config: TopicsConfig,
    seed: int,
    seeds: SeedLexicon | None,
) -> dict[str, Any]:
    """Fit ``lang``, add its rows, models and draws to ``parts``; return its run-record entry."""
    corpus, seed_terms = prepare_corpus(sentences, documents, lang, config, seeds)
    k, selection = _number_of_topics(sentences, documents, lang, config, seed)
    if selection is not None:
        parts.selections.append(selection)
    if seed_terms is not None and len(seed_terms) > k:
        raise ConfigError(Errors.E015.format(k=k, n_themes=len(seed_terms)))
    fitted, topic_word, doc_topic, conc, labels = fit_language(
        corpus, seed_terms, config.engine, k, config, seed
    )
    parts.models[lang] = fitted
    parts.corpora[lang] = corpus
    mean_tw = topic_word.mean(axis=0)
    parts.topic_rows.extend(topic_rows(lang, mean_tw, labels, corpus, config.n_top_terms))
    parts.seed_rows.extend(seed_rank_rows(lang, mean_tw, labels, corpus, seed_terms))
    parts.doc_rows.extend(doc_topic_rows(lang, doc_topic.mean(axis=0), labels, corpus))
    prev, lang_draws = estimate_prevalence(
        doc_topic,
        corpus.metadata,
        labels,
        concentration=conc,
        n_boot=config.n_boot,
        ci=config.ci,
        min_n=config.min_n,
        seed=seed,
    )
    parts.prevalence.append(prev)
    parts.draws.update(lang_draws)
    parts.excerpts.append(document_excerpts(sentences, corpus.doc_ids, lang))
    return {
        "k": k,
        "k_source": "config" if config.k is not None else "selection",
        "selection": None if selection is None else selection.chosen.to_dict("records"),
        "n_docs": corpus.n_docs,
        "n_docs_language": len(select_documents(documents, lang)),
        "n_terms": corpus.n_terms,
        "n_refits": len(fitted),
        "streamed": stream_chunk_for(corpus, config) is not None,
        "stream_chunk": stream_chunk_for(corpus, config),
        "model_seeds": [m.random_seed_ for m in fitted],
        "labels": labels,
        "pruning": corpus.pruning,
        "seed_terms_found": None
        if seed_terms is None
        else {th: len(v) for th, v in seed_terms.items()},
    }


def _number_of_topics(
    sentences: Sentences, documents: pd.DataFrame, lang: str, config: TopicsConfig, seed: int
) -> tuple[int, SelectionResult | None]:
    """``config.k``, or the k ``select_topics`` chooses for ``lang`` with ``config.engine``
    when it is None (with that selection)."""
    if config.k is not None:
        return config.k, None
    sub_cfg = TopicsConfig(**{**config.__dict__, "selection_engines": [config.engine]})
    selection = select_topics(sentences, documents, sub_cfg, seed, languages=[lang])
    return int(selection.chosen.set_index("language").loc[lang, "k"]), selection


def topic_rows(
    lang: str, topic_word: np.ndarray, labels: list[str], corpus: TopicCorpus, n_top_terms: int
) -> list[tuple]:
    """``topics`` rows: the top ``n_top_terms`` terms of each topic of ``topic_word`` (k, V)."""
    vocab = np.asarray(corpus.vocabulary, dtype=object)
    n_top = min(n_top_terms, corpus.n_terms)
    rows = []
    for t in range(topic_word.shape[0]):
        order = np.argsort(-topic_word[t], kind="stable")
        for r, j in enumerate(order[:n_top], start=1):
            rows.append((lang, t, labels[t], r, vocab[j], float(topic_word[t, j])))
    return rows


def seed_rank_rows(
    lang: str,
    topic_word: np.ndarray,
    labels: list[str],
    corpus: TopicCorpus,
    seed_terms: dict[str, list[str]] | None,
) -> list[tuple]:
    """``seed_ranks`` rows: the rank and weight of each seed term in its theme's topic
    (theme i is topic i), best rank first; none when unseeded."""
    if seed_terms is None:
        return []
    index = corpus.term_index()
    rows = []
    for t, theme in enumerate(list(seed_terms)[: topic_word.shape[0]]):
        order = np.argsort(-topic_word[t], kind="stable")
        ranks = np.empty(corpus.n_terms, dtype=np.int64)
        ranks[order] = np.arange(1, corpus.n_terms + 1)
        for term in sorted(seed_terms[theme], key=lambda w: (ranks[index[w]], w)):
            j = index[term]
            rows.append((lang, t, labels[t], term, int(ranks[j]), float(topic_word[t, j])))
    return rows


def doc_topic_rows(
    lang: str, doc_topic: np.ndarray, labels: list[str], corpus: TopicCorpus
) -> list[tuple]:
    """``doc_topics`` rows: every document's proportion of every topic (``doc_topic`` (n, k))."""
    k = doc_topic.shape[1]
    return [
        (doc_id, lang, t, labels[t], float(doc_topic[i, t]))
        for i, doc_id in enumerate(corpus.doc_ids)
        for t in range(k)
    ]
