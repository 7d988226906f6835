"""Schemas of the topic stage (``framelens.models``): topics, doc_topics, topic_prevalence,
topic_seed_ranks, topic_selection, topic_selection_chosen, intrusion_scores; and keyness
(computed by ``framelens.analysis.stats.keyness``, with or without topics) and topic_contrasts
(``framelens.analysis.stats.topic_contrasts``, from the prevalence draws). Methods:
``docs/topics.md``.

Columns
-------
topics (one row per language x topic x rank):
    language, topic (0-based; seeded themes first), label (theme name, or top three terms),
    rank (1 = highest weight), term, weight (topic-word probability, averaged over refits).
doc_topics (one row per document x topic):
    doc_id, language, topic, label, weight (topic proportion; a document's weights sum to 1).
topic_prevalence (one row per country x administration x language x topic):
    country, administration, language, topic, label, mean (mean share over the group's
    documents and the refits), ci_low, ci_high (method-of-composition percentile interval),
    n_docs, small_n (n_docs < topics.min_n), comparable (False for administration "unknown").
topic_contrasts (one row per group x topic group, or contrast x topic or topic group):
    kind ("share": a group's share of a topic group; "difference": later minus earlier
    administration within country and language), country, language, administration (share
    rows), group_a, group_b, contrast ("b - a"; difference rows), topic (topic number; empty
    for a topic group), label (topic label, or "<frame> themes" for a topic group, or
    "humanitarian - security themes"), members (labels of the topic group's topics), estimate,
    ci_low, ci_high (method-of-composition percentile interval of the draws; refits paired
    across groups), ci_level, ci_method, n_boot, n_docs, n_a, n_b (documents; empty on share
    rows), small_n, comparable, note.
topic_seed_ranks (one row per seeded theme x seed term found in the vocabulary):
    language, topic, label (the theme), term, rank (of the term in its theme's topic),
    weight.
topic_selection (one row per language x engine x k x refit seed):
    language, engine, k, seed, coherence_cv, coherence_npmi, exclusivity, stability.
topic_selection_chosen (one row per language):
    language, k, engine, rule (topics.selection_rule), reason (why, with the scores).
keyness (one row per stratum x group x direction x term, top terms only):
    country, group, reference, term, freq_group, freq_reference, g2, p_value, effect
    (log2 ratio), direction (over|under), rank.
intrusion_scores (one row per topic, language and overall):
    test (word|topic), language, topic, label, n_items, n_answers, n_correct, model_precision,
    topic_log_odds.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Bool, Float, Int, register


def Text(nullable: bool = False, **kw) -> pa.Column:  # noqa: N802 - reads like a type
    """A string column (object or pandas ``str`` dtype)."""
    return pa.Column(str, nullable=nullable, coerce=True, **kw)


_LANG = pa.Check.isin(["en", "es"])
_UNIT = [pa.Check.ge(0), pa.Check.le(1 + 1e-9)]
#: topic_contrasts: shares lie in [0, 1], differences of shares in [-1, 1], and differences
#: of the humanitarian - security balance (itself in [-1, 1]) in [-2, 2]
_CONTRAST = [pa.Check.ge(-2 - 1e-9), pa.Check.le(2 + 1e-9)]

TOPICS = register(
    "topics",
    pa.DataFrameSchema(
        {
            "language": Text(checks=_LANG),
            "topic": Int(checks=pa.Check.ge(0)),
            "label": Text(),
            "rank": Int(checks=pa.Check.ge(1)),
            "term": Text(),
            "weight": Float(nullable=False, checks=_UNIT),
        },
        strict=True,
        ordered=True,
    ),
)

DOC_TOPICS = register(
    "doc_topics",
    pa.DataFrameSchema(
        {
            "doc_id": Text(),
            "language": Text(checks=_LANG),
            "topic": Int(checks=pa.Check.ge(0)),
            "label": Text(),
            "weight": Float(nullable=False, checks=_UNIT),
        },
        strict=True,
        ordered=True,
        unique=["doc_id", "topic"],
    ),
)

TOPIC_PREVALENCE = register(
    "topic_prevalence",
    pa.DataFrameSchema(
        {
            "country": Text(),
            "administration": Text(),
            "language": Text(checks=_LANG),
            "topic": Int(checks=pa.Check.ge(0)),
            "label": Text(),
            "mean": Float(nullable=False, checks=_UNIT),
            "ci_low": Float(nullable=False, checks=_UNIT),
            "ci_high": Float(nullable=False, checks=_UNIT),
            "n_docs": Int(checks=pa.Check.ge(1)),
            "small_n": Bool(),
            "comparable": Bool(),
        },
        strict=True,
        ordered=True,
    ),
)

TOPIC_CONTRASTS = register(
    "topic_contrasts",
    pa.DataFrameSchema(
        {
            "kind": Text(checks=pa.Check.isin(["share", "difference"])),
            "country": Text(),
            "language": Text(checks=_LANG),
            "administration": Text(nullable=True),
            "group_a": Text(nullable=True),
            "group_b": Text(nullable=True),
            "contrast": Text(nullable=True),
            "topic": pa.Column("Int64", nullable=True, coerce=True),
            "label": Text(),
            "members": Text(),
            "estimate": Float(nullable=False, checks=_CONTRAST),
            "ci_low": Float(checks=_CONTRAST),
            "ci_high": Float(checks=_CONTRAST),
            "ci_level": Float(nullable=False, checks=pa.Check.in_range(0.5, 1.0)),
            "ci_method": Text(),
            "n_boot": Int(checks=pa.Check.ge(0)),
            "n_docs": Int(checks=pa.Check.ge(0)),
            "n_a": pa.Column("Int64", nullable=True, coerce=True),
            "n_b": pa.Column("Int64", nullable=True, coerce=True),
            "small_n": Bool(),
            "comparable": Bool(),
            "note": Text(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

TOPIC_SEED_RANKS = register(
    "topic_seed_ranks",
    pa.DataFrameSchema(
        {
            "language": Text(checks=_LANG),
            "topic": Int(checks=pa.Check.ge(0)),
            "label": Text(),
            "term": Text(),
            "rank": Int(checks=pa.Check.ge(1)),
            "weight": Float(nullable=False, checks=_UNIT),
        },
        strict=True,
        ordered=True,
    ),
)

TOPIC_SELECTION = register(
    "topic_selection",
    pa.DataFrameSchema(
        {
            "language": Text(checks=_LANG),
            "engine": Text(checks=pa.Check.isin(["lda", "nmf"])),
            "k": Int(checks=pa.Check.ge(2)),
            "seed": Int(checks=pa.Check.ge(0)),
            "coherence_cv": Float(),
            "coherence_npmi": Float(),
            "exclusivity": Float(checks=_UNIT),
            "stability": Float(),
        },
        strict=True,
        ordered=True,
    ),
)

TOPIC_SELECTION_CHOSEN = register(
    "topic_selection_chosen",
    pa.DataFrameSchema(
        {
            "language": Text(checks=_LANG),
            "k": Int(checks=pa.Check.ge(1)),
            "engine": Text(checks=pa.Check.isin(["lda", "nmf"])),
            "rule": Text(
                checks=pa.Check.isin(["frontier", "coherence", "npmi", "stability", "fixed"])
            ),
            "reason": Text(),
        },
        strict=True,
        ordered=True,
        unique=["language"],
    ),
)

KEYNESS = register(
    "keyness",
    pa.DataFrameSchema(
        {
            "country": Text(),
            "group": Text(),
            "reference": Text(),
            "term": Text(),
            "freq_group": Int(checks=pa.Check.ge(0)),
            "freq_reference": Int(checks=pa.Check.ge(0)),
            "g2": Float(nullable=False, checks=pa.Check.ge(0)),
            "p_value": Float(nullable=False, checks=_UNIT),
            "effect": Float(nullable=False),
            "direction": Text(checks=pa.Check.isin(["over", "under"])),
            "rank": Int(checks=pa.Check.ge(1)),
        },
        strict=True,
        ordered=True,
    ),
)

INTRUSION_SCORES = register(
    "intrusion_scores",
    pa.DataFrameSchema(
        {
            "test": Text(checks=pa.Check.isin(["word", "topic"])),
            "language": Text(),
            "topic": pa.Column("Int64", nullable=True, coerce=True),
            "label": Text(nullable=True),
            "n_items": Int(checks=pa.Check.ge(0)),
            "n_answers": Int(checks=pa.Check.ge(0)),
            "n_correct": Int(checks=pa.Check.ge(0)),
            "model_precision": Float(checks=_UNIT),
            "topic_log_odds": Float(checks=pa.Check.le(1e-9)),
        },
        strict=True,
        ordered=True,
    ),
)
