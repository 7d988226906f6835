"""Institutional actors named in sentences, with the frames of those sentences.

The actor table is package data (``framelens/lexicons/actors/<version>/actors.csv``): canonical
actor ids (INM, COMAR, SNDIF, ..., DHS, CBP, ICE, ..., UNHCR, UNICEF, IOM) with their aliases in
both languages. Acronyms are matched on the word tokens as written (case-sensitive, whole
token: "ICE" the agency, not "ice"); names are matched on lemmas like the framing lexicon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.analysis.framing.documents import document_metadata, sentence_languages
from framelens.analysis.framing.lexicon import fold
from framelens.analysis.framing.matching import END, TokenTrie, tokenize
from framelens.core.config import PreprocessConfig
from framelens.core.domain import FRAMES, LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.core.packagedata import kind_dir, resolve_version
from framelens.schemas.analysis import ACTOR_COUNTRIES, DOCUMENT_METADATA_COLUMNS

ACTORS_DIR = kind_dir("actors")
#: Columns of the actor lexicon file (``actors.csv``), in order.
ACTOR_LEXICON_COLUMNS = ["actor", "actor_country", "alias", "language", "match", "note"]
_CACHE: dict[tuple[str, str], pd.DataFrame] = {}


def load_actors(
    version: str = "latest", preprocess_config: PreprocessConfig | None = None
) -> pd.DataFrame:
    """Load the actor lexicon shipped with framelens and lemmatise its names.

    Parameters
    ----------
    version : str, default "latest"
        A folder under ``framelens/lexicons/actors`` ("1.0.0"), or "latest" (highest).
    preprocess_config : PreprocessConfig, optional
        The pipeline of the sentences to be searched: names are lemmatised with it.

    Returns
    -------
    DataFrame
        One row per alias: ``ACTOR_LEXICON_COLUMNS`` (actor, actor_country (US|MX|INTL),
        alias, language (en|es|any), match (acronym|name), note), then ``key`` and ``key_es``:
        what is matched in English and in Spanish sentences (the alias for acronyms; for
        names, the alias lemmatised and accent-folded). Cached per version and configuration.

    Raises
    ------
    ConfigError
        E009 when the version does not exist, E020 when the file breaks the format.
    """
    from framelens.analysis.text.preprocess import lemmatize_terms

    v = resolve_version("actors", version)
    key = (v, repr(preprocess_config))
    if key in _CACHE:
        return _CACHE[key]
    path = ACTORS_DIR / v / "actors.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = (
        set(ACTOR_LEXICON_COLUMNS) - set(df.columns)
        or not df["actor_country"].isin(ACTOR_COUNTRIES).all()
        or not df["match"].isin(["acronym", "name"]).all()
        or not df["language"].isin([*LANGUAGES, "any"]).all()
    )
    if bad:
        raise ConfigError(Errors.E020.format(path=path, reason="columns or values out of range"))
    df = df[ACTOR_LEXICON_COLUMNS].copy()
    df["key"] = df["alias"]
    for lang in LANGUAGES:
        m = (df["match"] == "name") & (df["language"] == lang)
        df.loc[m, "key"] = [
            fold(x) for x in lemmatize_terms(df.loc[m, "alias"].tolist(), lang, preprocess_config)
        ]
    # "any" names: lemmatised with each pipeline, "key" for English sentences, "key_es" Spanish
    any_names = (df["match"] == "name") & (df["language"] == "any")
    df["key_es"] = df["key"]
    if any_names.any():
        aliases = df.loc[any_names, "alias"].tolist()
        df.loc[any_names, "key"] = [
            fold(x) for x in lemmatize_terms(aliases, "en", preprocess_config)
        ]
        df.loc[any_names, "key_es"] = [
            fold(x) for x in lemmatize_terms(aliases, "es", preprocess_config)
        ]
    df.attrs["version"] = v
    _CACHE[key] = df
    return df


def _positions(
    values, entries: dict[tuple[str, ...], str], normalize
) -> tuple[list[int], list[str]]:
    """(sentence index, actor) for every leftmost-longest match of ``entries`` in ``values``."""
    out_s: list[int] = []
    out_a: list[str] = []
    if not entries:
        return out_s, out_a
    trie = TokenTrie()
    for toks, actor in entries.items():
        trie.add(toks, actor)
    codes, vocab, counts = tokenize(values)
    if not len(codes):
        return out_s, out_a
    norm = [normalize(t) for t in vocab]
    first = np.fromiter((t in trie.root for t in norm), bool, len(norm))
    cands = np.flatnonzero(first[codes])
    if not len(cands):
        return out_s, out_a
    ends = np.cumsum(counts)
    sent_of = np.searchsorted(ends, cands, side="right").tolist()
    ends_l = ends.tolist()
    last_end = -1
    for i, s in zip(cands.tolist(), sent_of, strict=False):
        if i < last_end:
            continue
        node, j, best = trie.root[norm[codes[i]]], i + 1, None
        if END in node:
            best = (j, node[END][0])
        while j < ends_l[s]:
            node = node.get(norm[codes[j]])
            if node is None:
                break
            j += 1
            if END in node:
                best = (j, node[END][0])
        if best is not None:
            out_s.append(s)
            out_a.append(best[1])
            last_end = best[0]
    return out_s, out_a


def _actor_entries(table: pd.DataFrame, lang: str) -> tuple[dict, dict]:
    """The actor aliases for sentences in ``lang``: acronyms (one token as written) and names
    (lemma keys), each as token tuple -> actor."""
    t = table[table["language"].isin([lang, "any"])]
    acronym = t["match"] == "acronym"
    acr = {
        (a,): act for a, act in zip(t.loc[acronym, "alias"], t.loc[acronym, "actor"], strict=False)
    }
    key_col = "key" if lang == "en" else "key_es"
    name = t["match"] == "name"
    names = {
        tuple(k.split()): act
        for k, act in zip(t.loc[name, key_col], t.loc[name, "actor"], strict=False)
        if k
    }
    return acr, names


def _actor_mentions(
    sentences: pd.DataFrame, table: pd.DataFrame, langs: np.ndarray
) -> pd.DataFrame:
    """(row, actor) for every actor named in a sentence, once per sentence and actor."""
    found_rows: list[int] = []
    found_actor: list[str] = []
    for lang in LANGUAGES:
        idx = np.flatnonzero(langs == lang)
        if not len(idx):
            continue
        acr, names = _actor_entries(table, lang)
        for col, entries, normalize in (("tokens", acr, str), ("lemmas", names, fold)):
            if col not in sentences.columns:
                continue
            values = sentences[col].iloc[idx] if len(idx) < len(sentences) else sentences[col]
            s_l, a_l = _positions(values, entries, normalize)
            found_rows.extend(idx[np.asarray(s_l, dtype=np.int64)].tolist())
            found_actor.extend(a_l)
    hits = pd.DataFrame({"row": np.asarray(found_rows, dtype=np.int64), "actor": found_actor})
    return hits.drop_duplicates().reset_index(drop=True)


def find_actors(
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame | None = None,
    *,
    actors: pd.DataFrame | None = None,
    validate: bool = True,
) -> pd.DataFrame:
    """Find institutional actors in sentences and attach the frames of those sentences.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (needs doc_id, sent_id, tokens, lemmas; language from a
        ``language`` column or from ``documents``).
    sentence_frames : DataFrame
        ``FrameScores.sentence_frames`` for the same sentences.
    documents : DataFrame, optional
        Metadata (country, language, administration, date, issuer, doc_type) to carry along.
    actors : DataFrame, optional
        An actor table (``load_actors()`` by default).
    validate : bool, default True
        Check the output against the ``actors`` schema.

    Returns
    -------
    DataFrame
        ``actors``: one row per actor named in a sentence: doc_id, sent_id, actor,
        actor_country, humanitarian, security, cooperation (the sentence carries at least one
        counted hit of the frame), country, language, administration, date, issuer, doc_type.
        Sorted by doc_id, sent_id, actor.
    """
    from framelens.schemas import validate as check

    table = actors if actors is not None else load_actors()
    country_of = dict(zip(table["actor"], table["actor_country"], strict=False))
    langs = sentence_languages(sentences, documents)
    hits = _actor_mentions(sentences, table, langs)
    hits["doc_id"] = sentences["doc_id"].to_numpy(dtype=object)[hits["row"].to_numpy()]
    hits["sent_id"] = sentences["sent_id"].to_numpy(dtype=np.int64)[hits["row"].to_numpy()]
    hits["actor_country"] = hits["actor"].map(country_of)
    sf = sentence_frames[["doc_id", "sent_id", *(f"hits_{f}" for f in FRAMES)]]
    out = hits.merge(sf, on=["doc_id", "sent_id"], how="left")
    for f in FRAMES:
        out[f] = out[f"hits_{f}"].fillna(0).to_numpy() > 0
    lang_of_doc = dict(zip(sentences["doc_id"].tolist(), langs.tolist(), strict=False))
    out = actors_with_metadata(out, documents, lang_of_doc, validate=False)
    return check(out, "actors") if validate else out


#: Columns of an actor mention that do not depend on document metadata (what the per-document
#: cache of a streamed run keeps; ``actors_with_metadata`` adds the rest).
MENTION_COLUMNS = ["doc_id", "sent_id", "actor", "actor_country", *FRAMES]


def actors_with_metadata(
    mentions: pd.DataFrame,
    documents: pd.DataFrame | None,
    langs: dict | None = None,
    *,
    validate: bool = True,
) -> pd.DataFrame:
    """The ``actors`` table from actor mentions (``MENTION_COLUMNS``) and the documents'
    metadata (``langs``: doc_id -> language, for documents ``documents`` lacks)."""
    from framelens.schemas import columns_of
    from framelens.schemas import validate as check

    meta = document_metadata(sorted(set(mentions["doc_id"])), documents, langs or {})
    out = mentions[MENTION_COLUMNS].merge(meta, on="doc_id", how="left")
    out = (
        out[columns_of("actors")]
        .sort_values(["doc_id", "sent_id", "actor"], kind="stable")
        .reset_index(drop=True)
    )
    for c in ("doc_id", "actor", "actor_country", *DOCUMENT_METADATA_COLUMNS):
        out[c] = out[c].astype("str")
    out["sent_id"] = out["sent_id"].astype("int64")
    return check(out, "actors") if validate else out
