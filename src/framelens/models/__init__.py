"""framelens.models: topic models of migration-policy documents, per language and comparable
across languages through seeded themes (stage 4). Compute only.

Estimators (scikit-learn style, parameters in scikit-learn's constraint format):
``LDATopicModel`` (gensim, single-core, reproducible) and ``NMFTopicModel`` (scikit-learn,
tf-idf), fitted on a ``TopicCorpus`` from ``build_corpus``; above ``topics.stream_above``
documents a language is fitted streamed (online LDA, ``MiniBatchNMF``). The sentences input is
a DataFrame or a ``SentenceSource`` read in chunks of whole documents (``FrameSource``,
``ParquetSentenceSource``). Pipeline functions: ``fit_topics``
-> ``TopicResults`` (topics, doc_topics, topic_prevalence with method-of-composition
intervals, seed ranks; ``.tables()``), ``select_topics`` -> ``SelectionResult``
(``.tables()``), intrusion tests (``make_word_intrusion``, ``make_topic_intrusion``,
``score_intrusion``). Seeds come from ``framelens.core.seeding``. Not here: the intrusion
sheets are written by ``framelens.outputs.intrusion_sheets``, the figures are drawn by
``framelens.outputs.figures``, keyness is computed in ``framelens.analysis.stats``,
and the ``framelens topics`` commands live in ``framelens.pipeline.topics``.

Modules, from the bottom up (the import-linter contract "framelens.models layers"):
``_tokens``, ``sources``; ``topic_corpus``, ``seeds``, ``diagnostics``; ``base``; ``lda``, ``nmf``;
``checks``, ``refits``, ``prevalence``, ``intrusion``; ``selection``; ``fit``.
Methods: docs/topics.md.
"""

from framelens.models.base import TopicModel
from framelens.models.checks import check_topic_model
from framelens.models.diagnostics import coherence_per_topic, exclusivity, frex, stability
from framelens.models.fit import TopicResults, document_excerpts, fit_topics
from framelens.models.intrusion import (
    IntrusionTest,
    make_topic_intrusion,
    make_word_intrusion,
    score_intrusion,
)
from framelens.models.lda import LDATopicModel
from framelens.models.nmf import NMFTopicModel
from framelens.models.prevalence import estimate_prevalence
from framelens.models.seeds import SeedLexicon, available_seed_versions, load_seeds
from framelens.models.selection import SelectionResult, choose_k, select_topics
from framelens.models.sources import FrameSource, ParquetSentenceSource, SentenceSource
from framelens.models.topic_corpus import TopicCorpus, build_corpus

__all__ = [
    "FrameSource",
    "IntrusionTest",
    "LDATopicModel",
    "NMFTopicModel",
    "ParquetSentenceSource",
    "SeedLexicon",
    "SelectionResult",
    "SentenceSource",
    "TopicCorpus",
    "TopicModel",
    "TopicResults",
    "available_seed_versions",
    "build_corpus",
    "check_topic_model",
    "choose_k",
    "coherence_per_topic",
    "document_excerpts",
    "estimate_prevalence",
    "exclusivity",
    "fit_topics",
    "frex",
    "load_seeds",
    "make_topic_intrusion",
    "make_word_intrusion",
    "score_intrusion",
    "select_topics",
    "stability",
]
