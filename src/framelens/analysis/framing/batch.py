"""The per-document work of a batch: preprocess, score frames, find actors (one function, so
that a dask worker can run all of it; ``framelens.pipeline.analysis`` streams the batches).

Everything here is per document: a document's sentences, frame hits and actor mentions depend
on its own text, the preprocessing settings, the lexicon and the actor table, never on the
other documents of the batch. That is what makes batches, the per-document cache and the
cluster give the same tables as one pass over the whole corpus. Document-level tables
(``frame_scores``, ``cooccurrence``) and the actors' metadata are put together afterwards from
these rows (``document_scores``, ``actors_with_metadata``), because document metadata can change
without the text changing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framelens.analysis.framing.actors import MENTION_COLUMNS, find_actors
from framelens.analysis.framing.lexicon import Lexicon
from framelens.analysis.framing.scoring import score_frames
from framelens.analysis.text.preprocess import preprocess
from framelens.core.config import LexiconConfig, PreprocessConfig


@dataclass
class BatchSettings:
    """What a worker needs besides the documents (sent once per task)."""

    preprocess: PreprocessConfig
    lexicon: Lexicon
    lexicon_config: LexiconConfig
    actors: pd.DataFrame


def analyse_batch(
    to_preprocess: pd.DataFrame,
    preprocessed: pd.DataFrame,
    languages: pd.DataFrame,
    settings: BatchSettings,
) -> dict[str, pd.DataFrame]:
    """Sentences of ``to_preprocess`` and frame hits and actor mentions of every document.

    Parameters
    ----------
    to_preprocess : DataFrame
        Documents to split into sentences (doc_id, language, status, text).
    preprocessed : DataFrame
        ``sentences`` rows of further documents to score (their preprocessing was cached).
    languages : DataFrame
        doc_id, language of every document of the batch that is scored.
    settings : BatchSettings

    Returns
    -------
    dict
        ``sentences`` (of ``to_preprocess`` only), ``sentence_frames``, ``matches`` and
        ``actor_mentions`` (``MENTION_COLUMNS``) of the documents in ``to_preprocess`` and
        ``preprocessed``; rows sorted by doc_id, sent_id.
    """
    new = preprocess(to_preprocess, settings.preprocess)
    sentences = new if preprocessed.empty else pd.concat([preprocessed, new], ignore_index=True)
    sentences = sentences.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    with_lang = _with_language(sentences, languages)
    scores = score_frames(
        with_lang, settings.lexicon, config=settings.lexicon_config, validate=False
    )
    frames = scores.sentence_frames
    mentions = find_actors(with_lang, frames, actors=settings.actors, validate=False)
    return {
        "sentences": new,
        "sentence_frames": frames,
        "matches": scores.matches,
        "actor_mentions": mentions[MENTION_COLUMNS],
    }


def _with_language(sentences: pd.DataFrame, languages: pd.DataFrame) -> pd.DataFrame:
    lang = dict(zip(languages["doc_id"], languages["language"], strict=False))
    return sentences.assign(language=sentences["doc_id"].map(lang).astype(object))
