"""Stage 3: lexicon scoring of sentences and documents, KWIC matches and co-occurrence.

The hits come from the matcher (``framelens.analysis.framing.matching``, whose docstring states
the matching rules: lemmas, accent folding, leftmost-longest, context sets, negation). This
module turns them into the four tables of ``FrameScores``:

- A hit counts toward the frame totals unless it is negated and ``count_negated=False``, or it
  is written all in capitals (a heading, lexicon >= 2.0.0) and its entry is not an acronym.
  With ``count_negated=True`` (default) negated hits still count, because the codebook codes a
  negated frame as present ("we will not detain children" still evokes detention); the negated
  counts are reported beside the totals either way. Blocker entries count nowhere.
- ``sentence_frames``: counted hits and negated hits per frame, subframe counts per sentence.
- ``frame_scores``: per document, hits and rates per 1,000 tokens per frame and the framing
  index (H - S) / (H + S) over humanitarian and security hits.
- ``cooccurrence``: per document, the share of humanitarian hits in sentences that also carry
  a security hit, and the reverse.
- ``matches``: one row per hit, with its text and context (``kwic``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framelens.analysis.framing.documents import document_metadata, sentence_languages
from framelens.analysis.framing.kwic import is_caps, keyword_in_context
from framelens.analysis.framing.lexicon import Lexicon
from framelens.analysis.framing.matching import compile_lexicon, scan
from framelens.core.config import LexiconConfig
from framelens.core.domain import FRAMES, LANGUAGES

# rows of the per-sentence count arrays compared by the framing index and co-occurrence
_HUM = FRAMES.index("humanitarian")
_SEC = FRAMES.index("security")


@dataclass
class FrameScores:
    """Result of ``score_frames``.

    Attributes
    ----------
    sentence_frames : DataFrame
        One row per sentence (schema ``sentence_frames``).
    frame_scores : DataFrame
        One row per document (schema ``frame_scores``).
    matches : DataFrame
        One row per hit, for reading in context (schema ``matches``).
    cooccurrence : DataFrame
        One row per document (schema ``cooccurrence``).
    lexicon_version : str
    config : LexiconConfig
    """

    sentence_frames: pd.DataFrame
    frame_scores: pd.DataFrame
    matches: pd.DataFrame
    cooccurrence: pd.DataFrame
    lexicon_version: str
    config: LexiconConfig = field(default_factory=LexiconConfig)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tables keyed by table name (``sentence_frames``, ``frame_scores``,
        ``matches``, ``cooccurrence``)."""
        return {
            "sentence_frames": self.sentence_frames,
            "frame_scores": self.frame_scores,
            "matches": self.matches,
            "cooccurrence": self.cooccurrence,
        }

    def summary(self) -> str:
        """A short text summary: documents, tokens, hits per frame, mean framing index."""
        fs = self.frame_scores
        lines = [
            f"framing lexicon {self.lexicon_version}: {len(fs)} documents, "
            f"{int(fs['n_tokens'].sum()):,} tokens, {len(self.sentence_frames):,} sentences",
        ]
        for f in FRAMES:
            lines.append(f"  {f:<13} hits {int(fs[f'hits_{f}'].sum()):>7,}")
        lines.append(
            f"  framing index mean {fs['framing_index'].mean():.3f} "
            f"over {int(fs['framing_index'].notna().sum())} documents with H+S > 0"
        )
        return "\n".join(lines)


def _str(values) -> pd.Series:
    return pd.Series(values, dtype="str")


# --------------------------------------------------------------------------- hits
@dataclass
class _Hits:
    """Every non-blocker hit of the scanned sentences, in sentence order per language."""

    rows: np.ndarray  # sentence row (position in ``sentences``)
    first: np.ndarray  # first token (word tokens of the sentence)
    end: np.ndarray  # token after the last one
    frame: np.ndarray  # index in FRAMES
    subframe: list[str]
    term: list[str]  # the entry as written in the lexicon
    negated: np.ndarray
    acronym: list[bool]  # the entry is written in capitals

    def __len__(self) -> int:
        return len(self.rows)


def _language_hits(sub, idx: np.ndarray, lexicon: Lexicon, lang: str, window: int) -> _Hits | None:
    """The hits in the sentences ``sub`` (lemmas; rows ``idx``) of one language."""
    comp = compile_lexicon(lexicon, lang)
    s_l, a_l, b_l, t_l, n_l = scan(sub, comp, window)
    if not s_l:
        return None
    k = np.asarray(t_l, dtype=np.int64)
    fr = comp.frame_of[k]
    keep = fr >= 0  # blockers count nowhere
    kept = k[keep].tolist()
    return _Hits(
        idx[np.asarray(s_l, dtype=np.int64)][keep],
        np.asarray(a_l, dtype=np.int64)[keep],
        np.asarray(b_l, dtype=np.int64)[keep],
        fr[keep],
        [comp.terms[x][1] for x in kept],
        [comp.terms[x][2] for x in kept],
        np.asarray(n_l, dtype=bool)[keep],
        [is_caps(comp.terms[x][2]) for x in kept],
    )


def _find_hits(sentences: pd.DataFrame, langs: np.ndarray, lexicon: Lexicon, window: int) -> _Hits:
    """The hits of every sentence, language by language (``LANGUAGES`` order)."""
    n = len(sentences)
    lemma_series = sentences["lemmas"]
    parts = []
    for lang in LANGUAGES:
        idx = np.flatnonzero(langs == lang)
        if not len(idx):
            continue
        sub = lemma_series if len(idx) == n else lemma_series.iloc[idx]
        part = _language_hits(sub, idx, lexicon, lang, window)
        if part is not None:
            parts.append(part)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Hits(empty, empty, empty, empty, [], [], np.zeros(0, dtype=bool), [])
    return _Hits(
        *(
            np.concatenate([getattr(p, a) for p in parts])
            for a in ("rows", "first", "end", "frame")
        ),
        [x for p in parts for x in p.subframe],
        [x for p in parts for x in p.term],
        np.concatenate([p.negated for p in parts]),
        [x for p in parts for x in p.acronym],
    )


def _counted(hits: _Hits, matched: list[str], lexicon: Lexicon, config: LexiconConfig):
    """Which hits count toward the frame totals (negation and heading rules)."""
    # headings (lexicon >= 2.0.0): a hit whose text is written all in capitals (a title such as
    # "CAPÍTULO II DE LA CONDICIÓN DE REFUGIADO") names a topic and frames nothing; acronym
    # entries are exempt
    if lexicon.count_headings:
        heading = np.zeros(len(hits.acronym), dtype=bool)
    else:
        heading = np.fromiter(
            (is_caps(m) and not acr for m, acr in zip(matched, hits.acronym, strict=False)),
            dtype=bool,
            count=len(hits.acronym),
        )
    return (np.ones_like(hits.negated) if config.count_negated else ~hits.negated) & ~heading


def _subframes(hits: _Hits, counted: np.ndarray, n: int) -> np.ndarray:
    """Per sentence: "subframe:count;..." over its counted hits (sorted), "" when none."""
    subframes = np.full(n, "", dtype=object)
    if counted.any():
        sc = (
            pd.DataFrame(
                {"r": hits.rows[counted], "s": np.asarray(hits.subframe, dtype=object)[counted]}
            )
            .groupby(["r", "s"], sort=True)
            .size()
        )
        by_row: dict[int, list[str]] = {}
        for (r, s_), c in zip(sc.index.tolist(), sc.to_numpy().tolist(), strict=False):
            by_row.setdefault(r, []).append(f"{s_}:{c}")
        for r, labels in by_row.items():
            subframes[r] = ";".join(labels)
    return subframes


# --------------------------------------------------------------------------- tables
def _matches_table(
    sentences: pd.DataFrame, hits: _Hits, kwic: dict[str, list], counted, version: str
) -> pd.DataFrame:
    """The ``matches`` table: one row per hit, sorted by doc_id, sent_id, start_char."""
    rows = hits.rows
    sent_ids = sentences["sent_id"].to_numpy(dtype=np.int64)
    matches = pd.DataFrame(
        {
            "doc_id": _str(sentences["doc_id"].iloc[rows].tolist()),
            "sent_id": pd.Series(sent_ids[rows], dtype="int64"),
            "frame": _str(np.asarray(FRAMES, dtype=object)[hits.frame].tolist()),
            "subframe": _str(hits.subframe),
            "term": _str(hits.term),
            "matched": _str(kwic["matched"]),
            "start_char": pd.Series(kwic["start_char"], dtype="int64"),
            "end_char": pd.Series(kwic["end_char"], dtype="int64"),
            "left": _str(kwic["left"]),
            "right": _str(kwic["right"]),
            "negated": pd.Series(hits.negated, dtype=bool),
            "counted": pd.Series(counted, dtype=bool),
            "lexicon_version": _str([version] * len(rows)),
        }
    )
    if len(matches):
        matches = matches.sort_values(
            ["doc_id", "sent_id", "start_char"], kind="stable"
        ).reset_index(drop=True)
    return matches


def _is_sorted(df: pd.DataFrame) -> bool:
    """Whether rows are ordered by (doc_id, sent_id), as ``preprocess`` returns them."""
    d = df["doc_id"].to_numpy(dtype=object)
    if len(d) < 2:
        return True
    sid = df["sent_id"].to_numpy()
    same = d[1:] == d[:-1]
    return bool(np.all((d[1:] > d[:-1]) | (same & (sid[1:] > sid[:-1]))))


def _sentence_table(
    sentences: pd.DataFrame, counts: np.ndarray, negs: np.ndarray, subframes, version: str
) -> pd.DataFrame:
    """The ``sentence_frames`` table, sorted by doc_id, sent_id."""
    sf = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].astype("str").reset_index(drop=True),
            "sent_id": pd.Series(sentences["sent_id"].to_numpy(dtype=np.int64), dtype="int64"),
            **{f"hits_{f}": counts[j] for j, f in enumerate(FRAMES)},
            **{f"negated_{f}": negs[j] for j, f in enumerate(FRAMES)},
            "subframes": _str(subframes.tolist()),
            "lexicon_version": _str([version] * len(sentences)),
        }
    )
    if not _is_sorted(sf):
        sf = sf.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    return sf


def _scored_doc_ids(
    sentences: pd.DataFrame, langs: np.ndarray, documents: pd.DataFrame | None
) -> tuple[list[str], dict]:
    """Documents of the document tables, sorted (those with sentences, and every readable
    document in a scored language), and doc_id -> language of its sentences."""
    lang_of_doc = dict(zip(sentences["doc_id"].tolist(), langs.tolist(), strict=False))
    doc_set = set(lang_of_doc)
    if documents is not None:
        ok = (
            documents[(documents["status"] == "ok") & documents["language"].isin(LANGUAGES)]
            if "status" in documents.columns
            else documents
        )
        doc_set |= set(ok["doc_id"].tolist())
    return sorted(doc_set), lang_of_doc


def _document_counts(
    sentences: pd.DataFrame, counts: np.ndarray, doc_ids: list[str]
) -> pd.DataFrame:
    """Per document (``doc_ids`` order): tokens, sentences, counted hits per frame, and the
    co-occurrence counts of humanitarian (H) and security (S) hits."""
    hum, sec = counts[_HUM], counts[_SEC]
    per_sent = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy(),
            "n_tokens": sentences["n_tokens"].to_numpy(dtype=np.int64),
            **{f: counts[j] for j, f in enumerate(FRAMES)},
            "both": (hum > 0) & (sec > 0),
            "H_in_S": np.where(sec > 0, hum, 0),
            "S_in_H": np.where(hum > 0, sec, 0),
        }
    )
    g = per_sent.groupby("doc_id", sort=True).agg(
        n_tokens=("n_tokens", "sum"),
        n_sentences=("n_tokens", "size"),
        **{f: (f, "sum") for f in FRAMES},
        both=("both", "sum"),
        H_in_S=("H_in_S", "sum"),
        S_in_H=("S_in_H", "sum"),
    )
    return g.reindex(doc_ids, fill_value=0).astype("int64")


def _document_tables(
    g: pd.DataFrame, meta: pd.DataFrame, version: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``frame_scores`` and ``cooccurrence`` tables from the per-document counts."""
    hum, sec = g[FRAMES[_HUM]], g[FRAMES[_SEC]]
    tok = g["n_tokens"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = {f: np.where(tok > 0, g[f].to_numpy() * 1000.0 / tok, np.nan) for f in FRAMES}
        hs = (hum + sec).to_numpy()
        index = np.where(hs > 0, (hum - sec).to_numpy() / np.maximum(hs, 1), np.nan)
        h_in_s = np.where(hum > 0, g["H_in_S"] / np.maximum(hum, 1), np.nan)
        s_in_h = np.where(sec > 0, g["S_in_H"] / np.maximum(sec, 1), np.nan)
    fs = meta.copy()
    fs["n_tokens"] = g["n_tokens"].to_numpy()
    fs["n_sentences"] = g["n_sentences"].to_numpy()
    for f in FRAMES:
        fs[f"hits_{f}"] = g[f].to_numpy()
    for f in FRAMES:
        fs[f"rate_{f}"] = rate[f]
    fs["framing_index"] = index
    fs["framing_n"] = hs.astype(np.int64)
    fs["lexicon_version"] = _str([version] * len(fs))

    co = meta.copy()
    co["hum_hits"] = hum.to_numpy()
    co["sec_hits"] = sec.to_numpy()
    co["hum_in_sec_share"] = h_in_s.astype(float)
    co["sec_in_hum_share"] = s_in_h.astype(float)
    co["n_sentences_both"] = g["both"].to_numpy()
    co["lexicon_version"] = _str([version] * len(co))
    return fs, co


# --------------------------------------------------------------------------- public API
def document_scores(
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame | None,
    version: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The document tables (``frame_scores``, ``cooccurrence``) from sentence-level outputs.

    ``sentences`` (doc_id, sent_id, n_tokens; language from a ``language`` column or
    ``documents``) and ``sentence_frames`` (hits per frame) of the same sentences, in any order;
    ``documents`` as in ``score_frames``. This is how ``score_frames`` builds them, so a
    streamed run that scores documents batch by batch (or reads their sentence rows from the
    cache) gives the same document tables (``framelens.pipeline.analysis``).
    """
    from framelens.schemas import validate as check

    keys = ["doc_id", "sent_id"]
    s = sentences.sort_values(keys, kind="stable").reset_index(drop=True)
    sf = sentence_frames.sort_values(keys, kind="stable").reset_index(drop=True)
    same = (
        len(s) == len(sf)
        and (s["doc_id"].astype(str).to_numpy() == sf["doc_id"].astype(str).to_numpy()).all()
    )
    if not (same and (s["sent_id"].to_numpy() == sf["sent_id"].to_numpy()).all()):
        raise ValueError("sentences and sentence_frames must hold the same sentences")
    counts = np.vstack([sf[f"hits_{f}"].to_numpy(dtype=np.int64) for f in FRAMES]).reshape(
        len(FRAMES), len(sf)
    )
    langs = sentence_languages(s, documents)
    doc_ids, lang_of_doc = _scored_doc_ids(s, langs, documents)
    meta = document_metadata(doc_ids, documents, lang_of_doc)
    fs, co = _document_tables(_document_counts(s, counts, doc_ids), meta, version)
    return check(fs, "frame_scores"), check(co, "cooccurrence")


def score_frames(
    sentences: pd.DataFrame,
    lexicon: Lexicon,
    documents: pd.DataFrame | None = None,
    config: LexiconConfig | None = None,
    *,
    validate: bool = True,
) -> FrameScores:
    """Score sentences and documents with the framing lexicon (stage 3).

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (``preprocess``): doc_id, sent_id, text, tokens, lemmas,
        n_tokens; a ``language`` column is used when present, else ``documents.language``.
        Not modified.
    lexicon : Lexicon
        From ``load_lexicon``.
    documents : DataFrame, optional
        The ``documents`` table; its metadata columns (country, language, administration, date,
        issuer, doc_type) travel into the document tables, and documents without sentences get
        a row with zero counts.
    config : LexiconConfig, optional
        ``negation_window`` (tokens, default 3) and ``count_negated`` (default True).
    validate : bool, default True
        Check the output tables against their schemas.

    Returns
    -------
    FrameScores
        ``sentence_frames``, ``frame_scores``, ``matches``, ``cooccurrence`` (columns in
        ``framelens.schemas.analysis``), every table carrying ``lexicon_version``.

    Examples
    --------
    >>> import pandas as pd
    >>> from framelens.analysis import load_lexicon, preprocess
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "language": ["en"], "status": ["ok"],
    ...     "text": ["Unaccompanied children were apprehended at the border."]})
    >>> fs = score_frames(preprocess(docs), load_lexicon(), docs)
    >>> fs.frame_scores[["hits_humanitarian", "hits_security"]].to_dict("records")
    [{'hits_humanitarian': 1, 'hits_security': 1}]
    """
    from framelens.schemas import validate as check

    config = config or LexiconConfig()
    version = lexicon.version
    n = len(sentences)
    langs = sentence_languages(sentences, documents)
    hits = _find_hits(sentences, langs, lexicon, config.negation_window)
    kwic = keyword_in_context(sentences, hits.rows, hits.first, hits.end)
    counted = _counted(hits, kwic["matched"], lexicon, config)
    counts = np.zeros((len(FRAMES), n), dtype=np.int64)
    negs = np.zeros((len(FRAMES), n), dtype=np.int64)
    np.add.at(counts, (hits.frame[counted], hits.rows[counted]), 1)
    np.add.at(negs, (hits.frame[hits.negated], hits.rows[hits.negated]), 1)

    matches = _matches_table(sentences, hits, kwic, counted, version)
    sf = _sentence_table(sentences, counts, negs, _subframes(hits, counted, n), version)
    doc_ids, lang_of_doc = _scored_doc_ids(sentences, langs, documents)
    meta = document_metadata(doc_ids, documents, lang_of_doc)
    fs, co = _document_tables(_document_counts(sentences, counts, doc_ids), meta, version)
    if validate:
        sf = check(sf, "sentence_frames")
        fs = check(fs, "frame_scores")
        matches = check(matches, "matches")
        co = check(co, "cooccurrence")
    return FrameScores(sf, fs, matches, co, version, config)
