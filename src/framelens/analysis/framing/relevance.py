"""Relevance and focus: which sentences are about migration, and which about children.

Term lists are versioned package data (``framelens/lexicons/relevance/<version>/en.csv`` and
``es.csv``: term, category, match, note), documented in their README and in
``docs/measurement.md``. Categories:

- ``relevant``: migration, borders, asylum and refuge, migrants, deportation, the agencies;
- ``children``: children, minors, adolescents (in any context);
- ``both``: terms that name children in migration ("unaccompanied", "UAC", "NNA").

Matching (``match``):

- ``lemma``: the term is lemmatised with the sentences' spaCy pipeline on loading and compared
  with the sentence's ``lemmas`` as a contiguous sequence of whole tokens, lower-cased and
  accent-folded on both sides (``fold``), like the framing lexicon;
- ``token``: the term as written, folded, compared with the sentence's ``tokens`` (folded), for
  words whose lemma is ambiguous ("minors": the lemma ``minor`` is also the adjective);
- ``acronym``: the term as written, compared case-sensitively with whole ``tokens`` ("ICE" the
  agency, not "ice").

Rule: a sentence is ``relevant`` when it holds a ``relevant`` or ``both`` term; it is about
``children`` when it holds a ``both`` term, or a ``children`` term in a relevant sentence. So
children sentences are a subset of relevant sentences: "the child tax credit" is not one.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from framelens.analysis.framing.lexicon import fold
from framelens.core.config import PreprocessConfig
from framelens.core.errors import ConfigError, Errors
from framelens.core.packagedata import available_versions, kind_dir, resolve_version

RELEVANCE_DIR = kind_dir("relevance")
TERM_COLUMNS = ["term", "category", "match", "note"]
CATEGORIES = ("relevant", "children", "both")
MATCHES = ("lemma", "token", "acronym")

_CACHE: dict[tuple[str, str], pd.DataFrame] = {}


def relevance_versions() -> list[str]:
    """Versions of the relevance term lists shipped with framelens, oldest first."""
    return available_versions("relevance")


def _read_terms(path, lang: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ConfigError(Errors.E032.format(path=path, reason=exc)) from exc
    missing = [c for c in TERM_COLUMNS if c not in df.columns]
    if missing:
        raise ConfigError(Errors.E032.format(path=path, reason=f"missing columns {missing}"))
    df = df[TERM_COLUMNS].apply(lambda s: s.str.strip())
    for col, allowed in (("category", CATEGORIES), ("match", MATCHES)):
        bad = df[~df[col].isin(allowed)]
        if len(bad):
            reason = (
                f"row {int(bad.index[0]) + 2}: {col} {bad.iloc[0][col]!r} is not one of {allowed}"
            )
            raise ConfigError(Errors.E032.format(path=path, reason=reason))
    if (df["term"] == "").any():
        row = int(df.index[df["term"] == ""][0]) + 2
        raise ConfigError(Errors.E032.format(path=path, reason=f"row {row}: empty term"))
    df.insert(0, "language", lang)
    return df


def load_relevance_terms(
    version: str = "latest", preprocess_config: PreprocessConfig | None = None
) -> pd.DataFrame:
    """Load the relevance term lists of one version, with the keys that are matched.

    Parameters
    ----------
    version : str, default "latest"
        A folder under ``framelens/lexicons/relevance`` ("1.0.0"), or "latest" (highest).
    preprocess_config : PreprocessConfig, optional
        The preprocessing of the sentences to be marked: ``lemma`` terms are lemmatised with the
        same pipeline.

    Returns
    -------
    DataFrame
        One row per term: language, term, category, match, note, key (what is compared: the
        folded lemma sequence, the folded token sequence, or the acronym as written), version.

    Raises
    ------
    ConfigError
        E009 when the version is not shipped; a term-list error naming the file and the row.
    """
    from framelens.analysis.text.preprocess import lemmatize_terms

    v = resolve_version("relevance", version)
    cache_key = (v, repr(preprocess_config))
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    parts = []
    for lang in ("en", "es"):
        path = RELEVANCE_DIR / v / f"{lang}.csv"
        df = _read_terms(path, lang)
        is_lemma = df["match"] == "lemma"
        keys = df["term"].map(fold)
        if is_lemma.any():
            lemmas = lemmatize_terms(df.loc[is_lemma, "term"].tolist(), lang, preprocess_config)
            keys[is_lemma] = [fold(x) for x in lemmas]
        keys[df["match"] == "acronym"] = df.loc[df["match"] == "acronym", "term"]
        df["key"] = keys.str.split().str.join(" ")
        empty = df[df["key"] == ""]
        if len(empty):
            reason = f"term {empty.iloc[0].term!r} has no word token"
            raise ConfigError(Errors.E032.format(path=path, reason=reason))
        parts.append(df)
    terms = pd.concat(parts, ignore_index=True)
    terms = terms.drop_duplicates(["language", "category", "match", "key"]).reset_index(drop=True)
    terms["version"] = v
    _CACHE[cache_key] = terms
    return terms


def _pattern(keys: list[str]) -> str | None:
    """One regular expression (RE2 syntax) matching any key as whole space-separated tokens."""
    if not keys:
        return None
    alt = "|".join(re.escape(k) for k in sorted(set(keys), key=len, reverse=True))
    return rf"(?:^| )(?:{alt})(?: |$)"


def _strings(values: pd.Series):
    """A pyarrow string array of ``values`` (missing values as "")."""
    import pyarrow as pa

    return pa.array(values.fillna("").astype(str).tolist(), type=pa.string())


def fold_array(arr):
    """``fold`` for a pyarrow string array, in C: lower-case, then NFD and strip the combining
    marks (á -> a, ñ -> n), which is what ``fold`` does to every Latin letter it folds."""
    import pyarrow.compute as pc

    decomposed = pc.utf8_normalize(pc.utf8_lower(arr), "NFD")
    return pc.replace_substring_regex(decomposed, r"\p{Mn}", "")


def _hits(texts, keys: list[str]) -> np.ndarray:
    """Whether each string of the pyarrow array ``texts`` holds one of ``keys`` (RE2, in C)."""
    import pyarrow.compute as pc

    pat = _pattern(keys)
    if pat is None or len(texts) == 0:
        return np.zeros(len(texts), dtype=bool)
    found = pc.match_substring_regex(texts, pat).fill_null(False)
    return found.to_numpy(zero_copy_only=False).astype(bool)


def _category_hits(work: dict, terms: pd.DataFrame, categories: tuple[str, ...]) -> np.ndarray:
    """Whether each sentence of ``work`` (arrays by match kind) holds a term of ``categories``."""
    t = terms[terms["category"].isin(categories)]
    out = np.zeros(len(work["acronym"]), dtype=bool)
    for match in MATCHES:
        keys = t.loc[t["match"] == match, "key"].tolist()
        if keys:
            out |= _hits(work[match], keys)
    return out


def _languages(sentences: pd.DataFrame, documents: pd.DataFrame | None) -> pd.Series:
    if "language" in sentences.columns:
        lang = sentences["language"].astype(object)
    elif documents is not None:
        lang_of = dict(zip(documents["doc_id"], documents["language"], strict=False))
        lang = sentences["doc_id"].map(lang_of)
    else:
        lang = pd.Series(None, index=sentences.index, dtype=object)
    missing = int(lang.isna().sum())
    if missing:
        raise ConfigError(Errors.E033.format(n=missing))
    return lang


def mark_relevance(
    sentences: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    version: str = "latest",
    preprocess_config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Mark each sentence as migration-relevant and as about children.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (doc_id, sent_id, lemmas, tokens; ``tokens`` is needed for
        ``token`` and ``acronym`` terms and treated as empty when absent). A ``language``
        column is used when present, else ``documents``. Not modified.
    documents : DataFrame, optional
        doc_id, language: the language of each sentence's document.
    version : str, default "latest"
        Version of the term lists (``framelens/lexicons/relevance``).
    preprocess_config : PreprocessConfig, optional
        The preprocessing of ``sentences`` (terms are lemmatised with the same pipeline).

    Returns
    -------
    DataFrame
        Schema ``relevance``, one row per sentence in the order of ``sentences``: doc_id,
        sent_id, relevant (bool), children (bool, implies relevant), relevance_version.

    Raises
    ------
    ConfigError
        When a sentence has no language, or the term lists are invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "language": ["en", "en"],
    ...     "tokens": ["Unaccompanied children arrived", "The child tax credit"],
    ...     "lemmas": ["unaccompanied child arrive", "the child tax credit"]})
    >>> mark_relevance(s)[["relevant", "children"]].to_dict("records")
    [{'relevant': True, 'children': True}, {'relevant': False, 'children': False}]
    """
    from framelens.schemas import validate

    terms = load_relevance_terms(version, preprocess_config)
    lang = _languages(sentences, documents)
    raw = (
        sentences["tokens"]
        if "tokens" in sentences.columns
        else pd.Series("", index=sentences.index)
    )
    relevant = np.zeros(len(sentences), dtype=bool)
    children = np.zeros(len(sentences), dtype=bool)
    for language, pos in (
        pd.Series(np.arange(len(sentences))).groupby(lang.to_numpy()).groups.items()
    ):
        rows = np.asarray(pos, dtype=np.int64)
        t = terms[terms["language"] == language]
        acronym = _strings(raw.iloc[rows])
        work = {
            "lemma": fold_array(_strings(sentences["lemmas"].iloc[rows])),
            "token": fold_array(acronym),
            "acronym": acronym,
        }
        rel = _category_hits(work, t, ("relevant", "both"))
        both = _category_hits(work, t, ("both",))
        relevant[rows] = rel
        children[rows] = both | (_category_hits(work, t, ("children",)) & rel)
    out = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].astype(str).to_numpy(),
            "sent_id": sentences["sent_id"].to_numpy(dtype="int64"),
            "relevant": relevant,
            "children": children,
            "relevance_version": str(terms["version"].iloc[0]),
        }
    )
    return validate(out, "relevance")
