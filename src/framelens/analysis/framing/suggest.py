"""Candidate lexicon terms from word embeddings trained on a run's own sentences.

How a researcher grows the dictionary without guessing (``docs/lexicon.md``, *Growing the
lexicon*): for each language a Word2Vec model (gensim, skip-gram) is trained on the run's
lemmatised sentences; each subframe of the lexicon is represented by the centroid of its
entries' vectors; the words of the corpus nearest to that centroid (cosine similarity), that
are not already entries of the lexicon, are proposed, each with its corpus frequency and a few
keyword-in-context lines, as rows of a review sheet. A person decides (column ``accept``);
accepted rows become a new lexicon version (``suggest_apply``).

Reproducibility: one worker thread, the seed of ``SuggestSettings`` and a hash function that
does not depend on Python's per-process string hashing, so the same run and seed give the same
sheet. Everything here is a pure function over DataFrames; reading the run and writing the
sheet is ``framelens.pipeline.lexicon``.
"""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.analysis.framing.documents import sentence_languages
from framelens.analysis.framing.lexicon import BLOCKER, Lexicon, fold
from framelens.analysis.framing.suggest_kwic import keyword_lines, surface_forms
from framelens.core.domain import FRAMES, LANGUAGES
from framelens.core.errors import ConfigError, Errors

#: Columns of the review sheet, in order (``accept`` and ``note`` are for the reviewer).
SHEET_COLUMNS = [
    "term",
    "language",
    "frame",
    "subframe",
    "similarity",
    "frequency",
    "kwic_1",
    "kwic_2",
    "kwic_3",
    "accept",
    "note",
]


@dataclass(frozen=True)
class SuggestSettings:
    """Settings of ``suggest_terms``.

    n : candidates per subframe. vector_size, window, min_count, epochs, sg : Word2Vec
    (skip-gram by default: better neighbours for rare words in a small corpus). seed : the
    model's seed. min_length : shortest candidate (characters). n_kwic, kwic_tokens : how many
    keyword-in-context lines per candidate and how many tokens on each side.
    """

    n: int = 20
    vector_size: int = 100
    window: int = 5
    min_count: int = 10
    epochs: int = 10
    sg: int = 1
    seed: int = 0
    min_length: int = 3
    n_kwic: int = 3
    kwic_tokens: int = 8


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (gensim seeds word vectors with it)."""
    return zlib.crc32(text.encode("utf-8"))


def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words of ``lang``, lower-cased and accent-folded."""
    if lang == "es":
        from spacy.lang.es.stop_words import STOP_WORDS
    else:
        from spacy.lang.en.stop_words import STOP_WORDS
    return frozenset(fold(w) for w in STOP_WORDS)


def lemma_tokens(lemmas: pd.Series) -> list[list[str]]:
    """Each sentence's lemmas as a list of accent-folded, lower-case tokens (the lexicon's keys)."""
    return [fold(str(s)).split() for s in lemmas.fillna("")]


def train_embeddings(token_lists: list[list[str]], settings: SuggestSettings):
    """A Word2Vec model (gensim) over ``token_lists``; deterministic for a given seed.

    Returns its ``KeyedVectors`` (``None`` when the vocabulary is empty).
    """
    from gensim.models import Word2Vec

    docs = [t for t in token_lists if t]
    counts = Counter(tok for t in docs for tok in t)
    if not any(c >= settings.min_count for c in counts.values()):
        return None
    model = Word2Vec(
        sentences=docs,
        vector_size=settings.vector_size,
        window=settings.window,
        min_count=settings.min_count,
        sg=settings.sg,
        epochs=settings.epochs,
        seed=settings.seed,
        workers=1,
        hashfxn=stable_hash,
    )
    return model.wv


def subframe_centroids(
    lexicon: Lexicon, lang: str, kv, frames: tuple[str, ...], stop: frozenset[str]
) -> dict[tuple[str, str], tuple[np.ndarray, list[str]]]:
    """(frame, subframe) -> (unit centroid of its entries' vectors, the entries' keys used).

    An entry's vector is the mean of the unit vectors of its content tokens (stop words left
    out, tokens outside the model's vocabulary skipped); entries with no such token are left out,
    and so are subframes with no entry left.
    """
    t = lexicon.terms
    t = t[(t["language"] == lang) & t["frame"].isin(frames)]
    out = {}
    for (frame, sub), grp in t.groupby(["frame", "subframe"], sort=True):
        vecs, used = [], []
        for key in sorted(set(grp["key"])):
            toks = [w for w in key.split() if w not in stop and w in kv.key_to_index]
            if toks:
                v = np.mean([kv.get_vector(w, norm=True) for w in toks], axis=0)
                vecs.append(v / (np.linalg.norm(v) or 1.0))
                used.append(key)
        if vecs:
            c = np.mean(vecs, axis=0)
            out[(frame, sub)] = (c / (np.linalg.norm(c) or 1.0), used)
    return out


def _eligible(kv, exclude: set[str], stop: frozenset[str], min_length: int) -> np.ndarray:
    """Vocabulary positions that may be proposed: words (letters only) of ``min_length`` or more
    characters that are neither stop words nor entries of the lexicon."""
    return np.array(
        [
            i
            for i, w in enumerate(kv.index_to_key)
            if len(w) >= min_length and w.isalpha() and w not in stop and w not in exclude
        ],
        dtype=np.int64,
    )


def nearest_terms(
    kv, centroids: dict, exclude: set[str], stop: frozenset[str], settings: SuggestSettings
) -> pd.DataFrame:
    """Per (frame, subframe): the ``settings.n`` eligible words nearest to its centroid.

    Columns: key, frame, subframe, similarity (cosine, rounded to 4 decimals), seeds (the
    subframe's three entries nearest to the word). Ties are broken by the word, so the order
    is deterministic.
    """
    cols = ["key", "frame", "subframe", "similarity", "seeds"]
    pos = _eligible(kv, exclude, stop, settings.min_length)
    if not len(pos) or not centroids:
        return pd.DataFrame(columns=cols)
    words = np.array(kv.index_to_key, dtype=object)[pos]
    normed = kv.get_normed_vectors()[pos]
    rows = []
    for (frame, sub), (centroid, seeds) in sorted(centroids.items()):
        sims = np.round((normed @ centroid).astype(np.float64), 4)
        order = np.lexsort((words, -sims))[: settings.n]
        seed_vecs = np.array([_key_vector(kv, s, stop) for s in seeds])
        for i in order:
            if sims[i] <= 0:
                continue
            near = np.argsort(-(seed_vecs @ normed[i]), kind="stable")[:3]
            rows.append(
                {
                    "key": words[i],
                    "frame": frame,
                    "subframe": sub,
                    "similarity": float(sims[i]),
                    "seeds": ", ".join(seeds[j] for j in near),
                }
            )
    return pd.DataFrame(rows, columns=cols)


def _key_vector(kv, key: str, stop: frozenset[str]) -> np.ndarray:
    toks = [w for w in key.split() if w not in stop and w in kv.key_to_index]
    v = np.mean([kv.get_vector(w, norm=True) for w in toks], axis=0)
    return v / (np.linalg.norm(v) or 1.0)


def _check_frames(frames: tuple[str, ...]) -> None:
    bad = [f for f in frames if f not in FRAMES]
    if bad:
        raise ConfigError(
            Errors.E026.format(
                what="lexicon suggest", key="frame", value=bad[0], allowed=", ".join(FRAMES)
            )
        )


def _language_sheet(
    sents: pd.DataFrame, lexicon: Lexicon, lang: str, frames: tuple[str, ...], settings
) -> pd.DataFrame:
    """The review-sheet rows of one language (empty when it has too few words)."""
    tokens = lemma_tokens(sents["lemmas"])
    kv = train_embeddings(tokens, settings)
    if kv is None:
        return pd.DataFrame(columns=SHEET_COLUMNS)
    stop = stop_words(lang)
    lex_terms = lexicon.terms[lexicon.terms["language"] == lang]
    exclude = {k for k in lex_terms["key"] if " " not in k}
    centroids = subframe_centroids(lexicon, lang, kv, frames, stop)
    near = nearest_terms(kv, centroids, exclude, stop, settings)
    if near.empty:
        return pd.DataFrame(columns=SHEET_COLUMNS)
    counts = Counter(tok for t in tokens for tok in t)
    keys = sorted(set(near["key"]))
    forms = surface_forms(sents, tokens, keys)
    lines = keyword_lines(sents, tokens, keys, settings.n_kwic, settings.kwic_tokens)
    sheet = pd.DataFrame(
        {
            "term": near["key"].map(forms),
            "language": lang,
            "frame": near["frame"],
            "subframe": near["subframe"],
            "similarity": near["similarity"],
            "frequency": near["key"].map(counts).astype("int64"),
        }
    )
    for j in range(3):
        sheet[f"kwic_{j + 1}"] = near["key"].map(
            lambda k, j=j: lines[k][j] if j < len(lines[k]) else ""
        )
    sheet["accept"] = ""
    sheet["note"] = "lemma: " + near["key"] + "; nearest entries: " + near["seeds"]
    return sheet[SHEET_COLUMNS]


def suggest_terms(
    sentences: pd.DataFrame,
    lexicon: Lexicon,
    documents: pd.DataFrame | None = None,
    *,
    frames: tuple[str, ...] | list[str] | None = None,
    settings: SuggestSettings | None = None,
) -> pd.DataFrame:
    """Candidate terms per frame and subframe, nearest to the lexicon's entries in embeddings
    trained on ``sentences`` (one model per language).

    Parameters
    ----------
    sentences : DataFrame
        A run's ``sentences`` table (doc_id, sent_id, tokens, lemmas; ``language`` or the
        ``documents`` table gives each sentence's language).
    lexicon : Lexicon
        The lexicon to grow; its entries are the seeds and are never proposed again.
    documents : DataFrame, optional
        The run's ``documents`` table (doc_id, language) when ``sentences`` has no language.
    frames : sequence of str, optional
        Frames to propose for (default: humanitarian, security and cooperation).
    settings : SuggestSettings, optional
        Candidates per subframe, Word2Vec settings and the seed.

    Returns
    -------
    DataFrame
        The review sheet (``SHEET_COLUMNS``): one row per candidate and subframe, ordered by
        language, frame, subframe and decreasing similarity; ``accept`` empty.

    Examples
    --------
    >>> sheet = suggest_terms(sentences, load_lexicon(), documents)  # doctest: +SKIP
    >>> sheet.query("subframe == 'child_protection'").head()  # doctest: +SKIP
    """
    settings = settings or SuggestSettings()
    frames = tuple(frames) if frames else tuple(f for f in FRAMES if f != BLOCKER)
    _check_frames(frames)
    langs = sentence_languages(sentences, documents)
    parts = []
    for lang in LANGUAGES:
        mask = langs == lang
        if mask.any() and lang in lexicon.languages:
            sents = sentences.loc[mask].sort_values(["doc_id", "sent_id"], kind="stable")
            parts.append(
                _language_sheet(sents.reset_index(drop=True), lexicon, lang, frames, settings)
            )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=SHEET_COLUMNS)
    sheet = pd.concat(parts, ignore_index=True)
    return sheet.astype({"similarity": "float64", "frequency": "int64"})
