"""Schemas of stages 2-3: sentences, frame scoring, co-occurrence, actors, lexicon validation.

Columns
-------
sentences (one row per sentence; ``framelens.analysis.text.preprocess``):
    doc_id, sent_id (0-based within the document), start_char, end_char (offsets into
    ``documents.text``, end exclusive), text (the sentence, line breaks joined), tokens (word
    tokens as written, space-joined), lemmas (lower-cased, space-joined, aligned with tokens),
    n_tokens (word tokens).
sentence_frames (one row per sentence; ``score_frames``):
    doc_id, sent_id, hits_humanitarian, hits_security, hits_cooperation (counted hits),
    negated_humanitarian, negated_security, negated_cooperation (of all hits, those with a
    negator before them), subframes ("subframe:count;..." sorted, "" when none),
    lexicon_version.
frame_scores (one row per document):
    doc_id, country, language, administration, date, issuer, doc_type, n_tokens, n_sentences,
    hits_* , rate_* (hits per 1,000 tokens), framing_index ((H-S)/(H+S), NaN when H+S = 0),
    framing_n (H+S), lexicon_version.
matches (one row per lexicon hit, KWIC):
    doc_id, sent_id, frame, subframe, term (lexicon entry), matched (text as written),
    start_char, end_char (offsets of ``matched`` in the sentence ``text``), left, right
    (context within the sentence), negated, counted (the hit counts toward the totals: False for
    a negated hit when count_negated is off, and for a hit written all in capitals, a heading,
    unless the entry is an acronym), lexicon_version.
cooccurrence (one row per document):
    doc_id + metadata, hum_hits, sec_hits, hum_in_sec_share, sec_in_hum_share,
    n_sentences_both, lexicon_version.
actors (one row per actor mentioned in a sentence):
    doc_id, sent_id, actor, actor_country (US|MX|INTL), humanitarian, security, cooperation
    (frames of that sentence) + metadata.
lexicon_validation (one row per language x frame):
    language, frame, n, n_positive, n_predicted, precision, precision_ci_low,
    precision_ci_high, recall, recall_ci_low, recall_ci_high, f1, f1_ci_low, f1_ci_high (95%
    bootstrap intervals), alpha_lexicon, alpha_coders, lexicon_version.
lexicon_confusion / lexicon_misclassified: see ``validate_lexicon``.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.core.domain import COUNTRIES, FRAMES
from framelens.schemas._base import Bool, Float, Int, Str, register

#: Values of ``actor_country`` in the actor lexicon and the ``actors`` table.
ACTOR_COUNTRIES: tuple[str, ...] = (*COUNTRIES, "INTL")


def _metadata() -> dict[str, pa.Column]:
    return {
        "country": Str(nullable=True),
        "language": Str(nullable=True),
        "administration": Str(nullable=True),
        "date": Str(nullable=True),
        "issuer": Str(nullable=True),
        "doc_type": Str(nullable=True),
    }


#: Document metadata columns that travel into document-level outputs (like quanteda docvars).
DOCUMENT_METADATA_COLUMNS = list(_metadata())
_GE0 = pa.Check.ge(0)
_SHARE = pa.Check.in_range(0.0, 1.0)

SENTENCES = register(
    "sentences",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            "start_char": Int(checks=_GE0),
            "end_char": Int(checks=_GE0),
            "text": Str(),
            "tokens": Str(),
            "lemmas": Str(),
            "n_tokens": Int(checks=_GE0),
        },
        strict=True,
        ordered=True,
        unique=["doc_id", "sent_id"],
    ),
)

SENTENCE_FRAMES = register(
    "sentence_frames",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            **{f"hits_{f}": Int(checks=_GE0) for f in FRAMES},
            **{f"negated_{f}": Int(checks=_GE0) for f in FRAMES},
            "subframes": Str(),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

FRAME_SCORES = register(
    "frame_scores",
    pa.DataFrameSchema(
        {
            "doc_id": Str(unique=True),
            **_metadata(),
            "n_tokens": Int(checks=_GE0),
            "n_sentences": Int(checks=_GE0),
            **{f"hits_{f}": Int(checks=_GE0) for f in FRAMES},
            **{f"rate_{f}": Float(checks=_GE0) for f in FRAMES},
            "framing_index": Float(checks=pa.Check.in_range(-1.0, 1.0)),
            "framing_n": Int(checks=_GE0),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

MATCHES = register(
    "matches",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            "frame": Str(checks=pa.Check.isin(list(FRAMES))),
            "subframe": Str(),
            "term": Str(),
            "matched": Str(),
            "start_char": Int(checks=_GE0),
            "end_char": Int(checks=_GE0),
            "left": Str(),
            "right": Str(),
            "negated": Bool(),
            "counted": Bool(),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

COOCCURRENCE = register(
    "cooccurrence",
    pa.DataFrameSchema(
        {
            "doc_id": Str(unique=True),
            **_metadata(),
            "hum_hits": Int(checks=_GE0),
            "sec_hits": Int(checks=_GE0),
            "hum_in_sec_share": Float(checks=_SHARE),
            "sec_in_hum_share": Float(checks=_SHARE),
            "n_sentences_both": Int(checks=_GE0),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

ACTORS = register(
    "actors",
    pa.DataFrameSchema(
        {
            "doc_id": Str(),
            "sent_id": Int(checks=_GE0),
            "actor": Str(),
            "actor_country": Str(checks=pa.Check.isin(list(ACTOR_COUNTRIES))),
            **{f: Bool() for f in FRAMES},
            **_metadata(),
        },
        strict=True,
        ordered=True,
        unique=["doc_id", "sent_id", "actor"],
    ),
)

LEXICON_VALIDATION = register(
    "lexicon_validation",
    pa.DataFrameSchema(
        {
            # lexicon rows from validate_lexicon; classifier rows (out-of-fold predictions of
            # a nested document-grouped CV) added by the run and `framelens validate-lexicon`
            "instrument": Str(checks=pa.Check.isin(["lexicon", "classifier"])),
            "language": Str(),
            "frame": Str(),
            "n": Int(checks=_GE0),
            "n_docs": Int(checks=_GE0),
            "n_positive": Int(checks=_GE0),
            "n_predicted": Int(checks=_GE0),
            **{
                f"{m}{s}": Float(checks=_SHARE)
                for m in ("precision", "recall", "f1")
                for s in ("", "_ci_low", "_ci_high")
            },
            "alpha_lexicon": Float(),
            "alpha_coders": Float(),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

LEXICON_CONFUSION = register(
    "lexicon_confusion",
    pa.DataFrameSchema(
        {
            "language": Str(),
            "frame": Str(),
            "tp": Int(checks=_GE0),
            "fp": Int(checks=_GE0),
            "fn": Int(checks=_GE0),
            "tn": Int(checks=_GE0),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)

LEXICON_MISCLASSIFIED = register(
    "lexicon_misclassified",
    pa.DataFrameSchema(
        {
            "sent_id": Str(),
            "doc_id": Str(nullable=True),
            "language": Str(),
            "frame": Str(),
            "gold": Int(checks=pa.Check.isin([0, 1])),
            "predicted": Int(checks=pa.Check.isin([0, 1])),
            "error": Str(checks=pa.Check.isin(["fp", "fn"])),
            "text": Str(),
            "matched_terms": Str(),
            "lexicon_version": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
