"""Token rules shared by the topic corpus and keyness: which lemmas count as terms.

A lemma from the ``sentences`` table is kept as a term when it

1. is not a spaCy stop word of its language (``spacy.lang.<lang>.stop_words.STOP_WORDS``,
   compared lower-cased), nor a procedural word of official texts (``PROCEDURAL_STOPWORDS``:
   the drafting vocabulary of statutes, orders and the Federal Register / DOF, which otherwise
   forms "legal boilerplate" topics that differ between refits), nor one of the caller's extra
   stop words;
2. is a word: letters, optionally joined by single internal hyphens, apostrophes or periods
   ("covid-19" and "13768" fail: no digits; markup debris such as ``src="data`` fails);
3. is not a Roman numeral from i to xcix (the enumerations of Mexican and US legal texts:
   "fracción xii", "título iv");
4. is not a URL fragment (starts with ``www.`` or ``http``);
5. has at least ``min_chars`` characters (default 3).

These rules are documented in ``docs/topics.md`` (Vocabulary pruning).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

_ROMAN = re.compile(r"^(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_WORD = re.compile(r"^[^\W\d_]+(?:[-'’.][^\W\d_]+)*$")
_URLISH = ("www.", "http")


#: Drafting and publication vocabulary of official texts (lemmas), removed from topic
#: vocabularies: it says how a text is published, not what it is about. Kept short on purpose;
#: users add more with ``topics.extra_stopwords``.
PROCEDURAL_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """shall sec section subsection paragraph pursuant hereby herein thereof therein
        heretofore hereinafter foregoing including amended amend order executive president
        federal register billing code doc filed fr vol authority vested constitution laws
        united states america act u.s.c usc cfr et seq""".split()
    ),
    "es": frozenset(
        """artículo fracción párrafo inciso transitorio transitorios presente decreto dof
        diario oficial federación reforma reformar adicionar derogar publicar publicación
        vigor disposición disposiciones ley leyes fracciones numeral capítulo título
        mediante conforme establecer señalar""".split()
    ),
}


@lru_cache(maxsize=8)
def stop_words(language: str) -> frozenset[str]:
    """Stop words of ``language`` (``en``, ``es``; others: empty), lower-cased: spaCy's list
    plus ``PROCEDURAL_STOPWORDS``."""
    try:
        if language == "en":
            from spacy.lang.en.stop_words import STOP_WORDS
        elif language == "es":
            from spacy.lang.es.stop_words import STOP_WORDS
        else:
            return frozenset()
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return frozenset()
    return frozenset(w.lower() for w in STOP_WORDS) | PROCEDURAL_STOPWORDS.get(
        language, frozenset()
    )


def is_term(token: str, stops: frozenset[str], min_chars: int = 3) -> bool:
    """Whether a lower-cased lemma is kept as a term (rules 1-5 of the module docstring)."""
    if len(token) < min_chars or token in stops:
        return False
    if not _WORD.match(token) or _ROMAN.match(token):
        return False
    return not token.startswith(_URLISH)


def document_tokens(
    sentences: pd.DataFrame,
    doc_ids: Iterable[str],
    language: str,
    *,
    extra_stopwords: Iterable[str] = (),
    min_chars: int = 3,
    terms: dict[str, str] | None = None,
) -> dict[str, list[str]]:
    """Kept lemmas of each document in reading order (sentences sorted by ``sent_id``).

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (doc_id, sent_id, lemmas, ...). Not modified.
    doc_ids : iterable of str
        Documents to tokenise; a document without sentences gets an empty list.
    language : str
        Language whose stop words apply (``en`` or ``es``).
    terms : dict, optional
        token -> its kept string ("" when not a term), shared across calls on chunks of one
        corpus so that every occurrence of a term is the same string object.

    Returns
    -------
    dict of str to list of str
        doc_id -> kept terms.
    """
    wanted = list(dict.fromkeys(doc_ids))
    stops = stop_words(language) | frozenset(w.lower() for w in extra_stopwords)
    sub = sentences.loc[sentences["doc_id"].isin(wanted), ["doc_id", "sent_id", "lemmas"]]
    sub = sub.sort_values(["doc_id", "sent_id"], kind="mergesort")
    out: dict[str, list[str]] = {d: [] for d in wanted}
    # token -> the one string object every occurrence refers to ("" when not a term): a
    # document's list then costs a pointer per token, not a string per token (memory on a
    # large corpus)
    cache: dict[str, str] = {} if terms is None else terms
    for doc_id, lemmas in zip(sub["doc_id"].to_numpy(), sub["lemmas"].to_numpy(), strict=True):
        if not isinstance(lemmas, str) or not lemmas:
            continue
        bucket = out[doc_id]
        for tok in lemmas.lower().split():
            term = cache.get(tok)
            if term is None:
                term = cache[tok] = tok if is_term(tok, stops, min_chars) else ""
            if term:
                bucket.append(term)
    return out
