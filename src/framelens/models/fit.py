"""``fit_topics``: per-language topic models, their tables and prevalence intervals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.config import TopicsConfig
from framelens.core.errors import ConfigError, Errors
from framelens.models.base import SeedTerms, TopicModel, derive_seed
from framelens.models.topic_corpus import TopicCorpus, build_corpus, select_documents
from framelens.models.diagnostics import match_topics
from framelens.models.lda import LDATopicModel
from framelens.models.nmf import NMFTopicModel
from framelens.models.prevalence import PREVALENCE_COLUMNS, estimate_prevalence
from framelens.models.seeds import SeedLexicon, load_seeds

LANGUAGES = ("en", "es")
TOPICS_COLUMNS = ["language", "topic", "label", "rank", "term", "weight"]
DOC_TOPICS_COLUMNS = ["doc_id", "language", "topic", "label", "weight"]
EXCERPT_COLUMNS = ["doc_id", "language", "excerpt"]
SEED_RANK_COLUMNS = ["language", "topic", "label", "term", "rank", "weight"]


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
        Engine, k, seeds, seed version, pruning per language: recorded in run.json.
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
    selection: Any = None

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
    if config.engine not in ("lda", "nmf"):
        bad("engine", config.engine, "use 'lda' or 'nmf'")
    if (
        any(e not in ("lda", "nmf") for e in config.selection_engines)
        or not config.selection_engines
    ):
        bad("selection_engines", config.selection_engines, "use a non-empty list of 'lda', 'nmf'")
    if config.n_seeds < 1:
        bad("n_seeds", config.n_seeds, "must be >= 1")
    if config.n_boot < 1:
        bad("n_boot", config.n_boot, "must be >= 1")
    if not 0.5 < config.ci < 1:
        bad("ci", config.ci, "must be in (0.5, 1)")
    if config.min_df < 1:
        bad("min_df", config.min_df, "must be >= 1")
    if config.selection_rule not in ("frontier", "coherence", "npmi", "stability", "fixed"):
        bad(
            "selection_rule",
            config.selection_rule,
            "use 'frontier', 'coherence', 'npmi', 'stability' or 'fixed'",
        )
    if config.selection_rule == "fixed" and config.k is None:
        bad("k", None, "selection_rule 'fixed' needs topics.k")
    return config


def make_model(
    engine: str,
    k: int,
    random_state: int,
    config: TopicsConfig,
    seed_terms: SeedTerms | None = None,
) -> TopicModel:
    """The estimator for ``engine`` with the config's hyperparameters."""
    if engine == "lda":
        return LDATopicModel(
            k,
            random_state=random_state,
            passes=config.passes,
            iterations=config.iterations,
            alpha=config.alpha,
            seed_terms=seed_terms,
            seed_strength=config.seed_strength,
        )
    if engine == "nmf":
        return NMFTopicModel(
            k,
            random_state=random_state,
            seed_terms=seed_terms,
            seed_strength=config.seed_strength,
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
    sentences: pd.DataFrame,
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


def document_excerpts(
    sentences: pd.DataFrame, doc_ids: list[str], language: str, max_chars: int = 700
) -> pd.DataFrame:
    """The opening sentences of each document, up to about ``max_chars`` characters."""
    sub = sentences[sentences["doc_id"].isin(doc_ids)]
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
    rows = [(d, language, out.get(d, "")) for d in doc_ids]
    return pd.DataFrame(rows, columns=EXCERPT_COLUMNS)


def fit_language(
    corpus: TopicCorpus,
    seed_terms: dict[str, list[str]] | None,
    engine: str,
    k: int,
    config: TopicsConfig,
    seed: int,
) -> tuple[list[TopicModel], np.ndarray, np.ndarray, np.ndarray | None, list[str]]:
    """Fit R refits of one language and align them to the first.

    Returns (models, topic_word (R, k, V), doc_topic (R, n, k), concentration (R, n, k) or
    None, labels).
    """
    n_fixed = len(seed_terms) if seed_terms else 0
    models: list[TopicModel] = []
    tw, dt, conc = [], [], []
    for r in range(config.n_seeds):
        m = make_model(
            engine, k, model_seed(seed, corpus.language, engine, k, r), config, seed_terms
        )
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


def fit_topics(
    sentences: pd.DataFrame,
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
    method-of-composition intervals (``framelens.models.prevalence``).

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (doc_id, sent_id, text, lemmas, ...). Not modified.
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
    if config.seeded and seeds is None:
        seeds = load_seeds(config.seeds_version)
    if not config.seeded:
        seeds = None
    topics_rows, doc_rows, prev_frames, seed_rows, excerpt_frames = [], [], [], [], []
    models: dict[str, list[TopicModel]] = {}
    corpora: dict[str, TopicCorpus] = {}
    draws: dict[tuple[str, str, str], np.ndarray] = {}
    selections: list[Any] = []
    params: dict[str, Any] = {
        "engine": config.engine,
        "seed": seed,
        "seeded": seeds is not None,
        "seeds_version": seeds.version if seeds is not None else None,
        "n_seeds": config.n_seeds,
        "n_boot": config.n_boot,
        "ci": config.ci,
        "languages": {},
    }
    for lang in languages_of(documents, languages):
        corpus, seed_terms = prepare_corpus(sentences, documents, lang, config, seeds)
        k = config.k
        selection = None
        if k is None:
            from framelens.models.selection import select_topics

            sub_cfg = TopicsConfig(**{**config.__dict__, "selection_engines": [config.engine]})
            selection = select_topics(sentences, documents, sub_cfg, seed, languages=[lang])
            k = int(selection.chosen.set_index("language").loc[lang, "k"])
            selections.append(selection)
        if seed_terms is not None and len(seed_terms) > k:
            raise ConfigError(Errors.E015.format(k=k, n_themes=len(seed_terms)))
        fitted, topic_word, doc_topic, conc, labels = fit_language(
            corpus, seed_terms, config.engine, k, config, seed
        )
        models[lang] = fitted
        corpora[lang] = corpus
        mean_tw = topic_word.mean(axis=0)
        mean_dt = doc_topic.mean(axis=0)
        vocab = np.asarray(corpus.vocabulary, dtype=object)
        n_top = min(config.n_top_terms, corpus.n_terms)
        for t in range(k):
            order = np.argsort(-mean_tw[t], kind="stable")
            for r, j in enumerate(order[:n_top], start=1):
                topics_rows.append((lang, t, labels[t], r, vocab[j], float(mean_tw[t, j])))
            if seed_terms is not None and t < len(seed_terms):
                theme = list(seed_terms)[t]
                ranks = np.empty(corpus.n_terms, dtype=np.int64)
                ranks[order] = np.arange(1, corpus.n_terms + 1)
                index = corpus.term_index()
                for term in sorted(seed_terms[theme], key=lambda w: (ranks[index[w]], w)):
                    j = index[term]
                    seed_rows.append(
                        (lang, t, labels[t], term, int(ranks[j]), float(mean_tw[t, j]))
                    )
        for i, doc_id in enumerate(corpus.doc_ids):
            for t in range(k):
                doc_rows.append((doc_id, lang, t, labels[t], float(mean_dt[i, t])))
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
        prev_frames.append(prev)
        draws.update(lang_draws)
        excerpt_frames.append(document_excerpts(sentences, corpus.doc_ids, lang))
        n_docs_lang = len(select_documents(documents, lang))
        params["languages"][lang] = {
            "k": k,
            "k_source": "config" if config.k is not None else "selection",
            "selection": None if selection is None else selection.chosen.to_dict("records"),
            "n_docs": corpus.n_docs,
            "n_docs_language": n_docs_lang,
            "n_terms": corpus.n_terms,
            "n_refits": len(fitted),
            "model_seeds": [m.random_seed_ for m in fitted],
            "labels": labels,
            "pruning": corpus.pruning,
            "seed_terms_found": None
            if seed_terms is None
            else {th: len(v) for th, v in seed_terms.items()},
        }
    topics = pd.DataFrame(topics_rows, columns=TOPICS_COLUMNS)
    doc_topics = pd.DataFrame(doc_rows, columns=DOC_TOPICS_COLUMNS).sort_values(
        ["doc_id", "topic"], kind="mergesort", ignore_index=True
    )
    prevalence = (
        pd.concat(prev_frames, ignore_index=True)
        if prev_frames
        else pd.DataFrame(columns=PREVALENCE_COLUMNS)
    )
    return TopicResults(
        topics=topics,
        doc_topics=doc_topics,
        topic_prevalence=prevalence,
        seed_ranks=pd.DataFrame(seed_rows, columns=SEED_RANK_COLUMNS),
        excerpts=pd.concat(excerpt_frames, ignore_index=True)
        if excerpt_frames
        else pd.DataFrame(columns=EXCERPT_COLUMNS),
        models=models,
        corpora=corpora,
        params=params,
        prevalence_draws=draws,
        selection=_merge_selections(selections),
    )


def _merge_selections(selections: list[Any]) -> Any:
    if not selections:
        return None
    from framelens.models.selection import SelectionResult

    return SelectionResult(
        table=pd.concat([s.table for s in selections], ignore_index=True),
        chosen=pd.concat([s.chosen for s in selections], ignore_index=True),
        figure=pd.concat([s.figure for s in selections], ignore_index=True),
        skipped=[x for s in selections for x in s.skipped],
    )
