"""Stage 3: lexicon scoring of sentences and documents, KWIC matches and co-occurrence.

Matching rules (also in the lexicon README and ``docs/lexicon.md``):

- Terms and sentences are compared as lemma sequences, lower-cased and accent-folded
  (``fold``: "Migración" and "migracion" meet), so that inflected forms match and an extractor
  that lost accents does not lose hits. ``lemma`` entries are one token, ``phrase`` entries a
  contiguous sequence of tokens inside one sentence.
- Scanning goes left to right; at each position the longest entry that starts there wins and
  the scan resumes after it, so overlapping entries are counted once ("unaccompanied alien
  children" is one hit, not also "alien" and "children").
- An entry with ``requires`` (a context set, e.g. ``migration``) counts only in a sentence that
  also contains a term of that set (codebook 1.1: crime language is security only when tied to
  migration or the border). If the longest entry fails its context, the next-longest entry
  starting at the same token is tried.
- Negation: a negator of the language ("not", "no", "sin", ...) among the ``negation_window``
  tokens before a hit, within the sentence, marks it ``negated``. With ``count_negated=True``
  (default) negated hits still count toward frame totals, because the codebook codes a negated
  frame as present ("we will not detain children" still evokes detention); the negated counts
  are reported beside the totals either way.

The scan is a dictionary walk over a token trie (one dict lookup per token plus a short walk at
candidate positions), written for speed: no per-term regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framelens.analysis.framing.lexicon import FRAMES, Lexicon, fold
from framelens.core.config import LexiconConfig
from framelens.core.errors import ConfigError, Errors
from framelens.schemas.analysis import METADATA_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

#: Characters of context shown on each side of a hit in the match table (cut at a space).
KWIC_CHARS = 60
_END = None  # trie key marking the end of an entry


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


# --------------------------------------------------------------------------- the matcher
class TokenTrie:
    """A trie over token sequences with leftmost-longest, non-overlapping scanning.

    ``add(tokens, payload)`` stores an entry; ``scan`` walks a flat token list whose sentence
    ends are given, returning ``(start, end, payloads)`` for each match, where ``payloads``
    lists the entries ending at ``end`` and at shorter ends, longest first.
    """

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, tokens: tuple[str, ...], payload) -> None:
        node = self.root
        for t in tokens:
            node = node.setdefault(t, {})
        node.setdefault(_END, []).append(payload)

    def __bool__(self) -> bool:
        return bool(self.root)

    def candidates(self, toks: list[str]) -> list[int]:
        root = self.root
        return [i for i, t in enumerate(toks) if t in root]

    def walk(self, toks: list[str], i: int, stop: int) -> list[tuple[int, list]]:
        """Entries starting at ``i`` and ending before ``stop``: [(end, payloads)], longest first."""
        node = self.root[toks[i]]
        found = []
        if _END in node:
            found.append((i + 1, node[_END]))
        j = i + 1
        while j < stop:
            node = node.get(toks[j])
            if node is None:
                break
            j += 1
            if _END in node:
                found.append((j, node[_END]))
        found.reverse()
        return found


@dataclass
class _Compiled:
    frame_of: np.ndarray  # entry -> frame index (-1: blocker)
    trie: TokenTrie
    terms: list[tuple]  # (frame_idx, subframe, term, requires)
    contexts: dict[str, tuple[frozenset, tuple[str, ...]]]  # name -> (single keys, phrase keys)
    negators: frozenset


def _compile(lexicon: Lexicon, lang: str) -> _Compiled:
    cache = lexicon._compiled
    if lang in cache:
        return cache[lang]
    t = lexicon.terms[lexicon.terms["language"] == lang]
    trie = TokenTrie()
    terms = []
    for k, row in enumerate(t.itertuples()):
        trie.add(tuple(row.key.split()), k)
        fr = FRAMES.index(row.frame) if row.frame in FRAMES else -1  # -1: blocker
        terms.append((fr, row.subframe, row.term, row.requires))
    contexts = {}
    c = lexicon.contexts[lexicon.contexts["language"] == lang]
    for name, grp in c.groupby("context", sort=True):
        keys = [k for k in grp["key"].tolist() if k]
        singles = frozenset(k for k in keys if " " not in k)
        phrases = tuple(sorted(k for k in keys if " " in k))
        contexts[name] = (singles, phrases)
    frame_of = np.asarray([t[0] for t in terms], dtype=np.int64)
    comp = _Compiled(frame_of, trie, terms, contexts, frozenset(lexicon.negators.get(lang, ())))
    cache[lang] = comp
    return comp


def _arrow_strings(values) -> pa.Array:
    """A pyarrow string array from a pandas Series or list (zero-copy for Arrow-backed str)."""
    import pyarrow as pa

    arr = getattr(getattr(values, "array", None), "_pa_array", None)
    if arr is None:
        arr = pa.array([x if isinstance(x, str) else None for x in values], type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.string()) if arr.type != pa.string() else arr


def _tokenize(lemmas) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Split lemma strings into tokens in C (pyarrow): token codes, distinct tokens, counts.

    Returns ``codes`` (int array, one per token occurrence, all sentences in order),
    ``vocab`` (the distinct tokens, ``vocab[codes[i]]`` is token ``i``) and ``counts``
    (tokens per sentence).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    # an empty string yields one empty token, which matches nothing and holds no position
    lists = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(_arrow_strings(lemmas)))
    counts = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    enc = pc.list_flatten(lists).dictionary_encode()
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return codes, enc.dictionary.to_pylist(), counts.astype(np.int64, copy=False)


def _sentence_flags(
    mask_u: np.ndarray, codes: np.ndarray, sent_of_tok: np.ndarray, n: int
) -> np.ndarray:
    """Per sentence: does it hold a token whose distinct form is flagged in ``mask_u``?"""
    flags = np.zeros(n, dtype=bool)
    flags[sent_of_tok[mask_u[codes]]] = True
    return flags


def _vocab_mask(ids_of_fold: dict[str, list[int]], key: str, n_voc: int) -> np.ndarray:
    """Boolean mask over the distinct tokens whose folded form is ``key``."""
    mask = np.zeros(n_voc, dtype=bool)
    mask[ids_of_fold.get(key, [])] = True
    return mask


def _scan(
    lemmas, comp: _Compiled, window: int
) -> tuple[list[int], list[int], list[int], list[int], list[bool]]:
    """Scan lemma strings with the compiled lexicon.

    Returns, per hit: sentence index, first token and end token (within the sentence), entry
    index, and whether a negator precedes it within ``window`` tokens. The per-token work is
    vectorised: tokens are split and coded in C (pyarrow), accent folding is done once per
    distinct token, candidate starts (and, for multi-token entries, their second token) and
    the per-sentence context flags are numpy lookups; Python only walks the trie at candidate
    positions.
    """
    out: tuple[list, list, list, list, list] = ([], [], [], [], [])
    codes, vocab, counts = _tokenize(lemmas)
    n_tok, n_sent, n_voc = len(codes), len(counts), len(vocab)
    if n_tok == 0:
        return out
    folded = [fold(t) for t in vocab]
    root = comp.trie.root
    single_u = np.zeros(n_voc, dtype=bool)
    multi_u = np.zeros(n_voc, dtype=bool)
    ids_of_fold: dict[str, list[int]] = {}
    for u, f in enumerate(folded):
        ids_of_fold.setdefault(f, []).append(u)
        node = root.get(f)
        if node is not None:
            if _END in node:
                single_u[u] = True
            else:
                multi_u[u] = True
    ends = np.cumsum(counts)
    starts = ends - counts
    # multi-token entries: keep a start only if the next token (same sentence) continues it
    mc = np.flatnonzero(multi_u[codes])
    if len(mc):
        pairs = {
            u * n_voc + v
            for u in np.flatnonzero(multi_u).tolist()
            for child in root[folded[u]]
            if child is not _END
            for v in ids_of_fold.get(child, ())
        }
        nxt = np.minimum(mc + 1, n_tok - 1)
        same = (mc + 1) < ends[np.searchsorted(ends, mc, side="right")]
        pair_codes = codes[mc] * n_voc + codes[nxt]
        mc = mc[same & np.isin(pair_codes, np.fromiter(pairs, dtype=np.int64, count=len(pairs)))]
    cands = np.sort(np.concatenate([np.flatnonzero(single_u[codes]), mc]))
    if not len(cands):
        return out
    sent_of_tok = np.repeat(np.arange(n_sent), counts)
    terms = comp.terms
    needed = {name for t in terms if t[3] for name in t[3].split("|")}
    ctx = {}
    for name in sorted(needed):
        singles, phrases = comp.contexts[name]
        flags = _sentence_flags(
            np.fromiter((f in singles for f in folded), bool, n_voc), codes, sent_of_tok, n_sent
        )
        for phrase in phrases:  # contiguous sequences, vectorised token by token
            parts = phrase.split(" ")
            pos = np.flatnonzero(_vocab_mask(ids_of_fold, parts[0], n_voc)[codes])
            for step, part in enumerate(parts[1:], start=1):
                if not len(pos):
                    break
                ok_u = _vocab_mask(ids_of_fold, part, n_voc)
                nxt = pos + step
                inside = nxt < ends[sent_of_tok[pos]]
                pos = pos[inside]
                pos = pos[ok_u[codes[nxt[inside]]]]
            flags[sent_of_tok[pos]] = True
        ctx[name] = flags
    sent_of = np.searchsorted(ends, cands, side="right").tolist()
    ends_l = ends.tolist()
    # per entry: the context-flag arrays it needs (any of them), or None
    req_flags = [tuple(ctx[name] for name in t[3].split("|")) if t[3] else None for t in terms]
    first_fold = [folded[c] for c in codes[cands].tolist()]
    next_code = codes[np.minimum(cands + 1, n_tok - 1)].tolist()
    hit_s, hit_i, hit_e, hit_k = out[0], out[1], out[2], out[3]
    last_end = -1
    for i, s, f0, c1 in zip(cands.tolist(), sent_of, first_fold, next_code, strict=True):
        if i < last_end:
            continue
        stop = ends_l[s]
        node = root[f0]
        found = [(i + 1, node[_END])] if _END in node else []
        j = i + 1
        if j < stop and len(node) > (1 if found else 0):
            node = node.get(folded[c1])
            while node is not None:
                j += 1
                if _END in node:
                    found.append((j, node[_END]))
                if j >= stop:
                    break
                node = node.get(folded[codes[j]])
        hit = None
        for end, payloads in reversed(found):  # longest first
            for k in payloads:
                flags = req_flags[k]
                if flags is not None and not any(f[s] for f in flags):
                    continue
                hit = (end, k)
                break
            if hit is not None:
                break
        if hit is None:
            continue
        end, k = hit
        hit_s.append(s)
        hit_i.append(i)
        hit_e.append(end)
        hit_k.append(k)
        last_end = end
    if not hit_s:
        return out
    gi = np.asarray(hit_i, dtype=np.int64)
    si = np.asarray(hit_s, dtype=np.int64)
    if window > 0 and comp.negators:
        neg_u = np.fromiter((f in comp.negators for f in folded), bool, n_voc)
        cum = np.concatenate([[0], np.cumsum(neg_u[codes])])
        lo = np.maximum(starts[si], gi - window)
        negated = ((cum[gi] - cum[lo]) > 0).tolist()
    else:
        negated = [False] * len(hit_i)
    first = starts[si]
    return (
        hit_s,
        (gi - first).tolist(),
        (np.asarray(hit_e, dtype=np.int64) - first).tolist(),
        hit_k,
        negated,
    )


class _Spans:
    """Character positions of a sentence's word tokens in its text.

    The word tokens appear in the text in order, separated only by punctuation, symbols and
    whitespace (no letters or digits), so token ``j`` starts at occurrence number ``n + 1`` of
    its string in the text, where ``n`` counts the occurrences of that string inside the tokens
    before ``j``. Both counts are C-level string operations.
    """

    __slots__ = ("text", "toks")

    def __init__(self, text: str, tokens: str):
        self.text = text
        self.toks = tokens.split(" ")

    def start(self, j: int) -> int:
        tok = self.toks[j]
        n = " ".join(self.toks[:j]).count(tok) if j else 0
        pos = -1
        for _ in range(n + 1):
            pos = self.text.find(tok, pos + 1)
            if pos < 0:  # not as written (cannot happen for preprocess output)
                return 0
        return pos

    def end(self, j: int) -> int:
        return self.start(j) + len(self.toks[j])

    def window(self, lo: int, hi: int) -> list[int]:
        """Start positions of tokens ``lo`` .. ``hi - 1`` (one lookup, then forward finds)."""
        pos = self.start(lo)
        out = [pos]
        text, toks = self.text, self.toks
        for j in range(lo + 1, hi):
            pos = text.find(toks[j], pos + len(toks[j - 1]))
            if pos < 0:  # cannot happen for preprocess output
                pos = out[-1]
            out.append(pos)
        return out

    def __len__(self) -> int:
        return len(self.toks)


# --------------------------------------------------------------------------- public API
def _languages(sentences: pd.DataFrame, documents: pd.DataFrame | None) -> np.ndarray:
    if "language" in sentences.columns:
        lang = sentences["language"].astype(object)
    elif documents is not None and "language" in documents.columns:
        mapping = dict(zip(documents["doc_id"], documents["language"], strict=False))
        lang = sentences["doc_id"].map(mapping).astype(object)
    else:
        lang = pd.Series([None] * len(sentences), index=sentences.index, dtype=object)
    missing = lang.isna() | ~lang.isin(["en", "es", "other"])
    if missing.any():
        raise ConfigError(Errors.E021.format(n=int(missing.sum())))
    return lang.to_numpy()


def _cut_left(text: str, s0: int) -> str:
    """Up to ``KWIC_CHARS`` characters before ``s0``, cut at a word boundary."""
    lo = s0 - KWIC_CHARS
    if lo <= 0:
        return text[:s0].strip()
    sp = text.find(" ", lo, s0)
    return text[(sp + 1 if sp >= 0 else lo) : s0].strip()


def _cut_right(text: str, e0: int) -> str:
    """Up to ``KWIC_CHARS`` characters after ``e0``, cut at a word boundary."""
    hi = e0 + KWIC_CHARS
    if hi >= len(text):
        return text[e0:].strip()
    sp = text.rfind(" ", e0, hi)
    return text[e0 : (sp if sp > e0 else hi)].strip()


def _is_caps(text: str) -> bool:
    """Whether ``text`` is written in capitals (``str.isupper``) and longer than one character."""
    return len(text) > 1 and text.isupper()


def _is_sorted(df: pd.DataFrame) -> bool:
    """Whether rows are ordered by (doc_id, sent_id), as ``preprocess`` returns them."""
    d = df["doc_id"].to_numpy(dtype=object)
    if len(d) < 2:
        return True
    sid = df["sent_id"].to_numpy()
    same = d[1:] == d[:-1]
    return bool(np.all((d[1:] > d[:-1]) | (same & (sid[1:] > sid[:-1]))))


def _str(values) -> pd.Series:
    return pd.Series(values, dtype="str")


def _doc_metadata(doc_ids: list[str], documents: pd.DataFrame | None, langs: dict) -> pd.DataFrame:
    meta = pd.DataFrame({"doc_id": _str(doc_ids)})
    if documents is not None:
        cols = [c for c in METADATA_COLUMNS if c in documents.columns]
        d = documents[["doc_id", *cols]].drop_duplicates("doc_id")
        d = d.astype({c: "str" for c in ["doc_id", *cols]})
        meta = meta.merge(d, on="doc_id", how="left")
    for c in METADATA_COLUMNS:
        if c not in meta.columns:
            meta[c] = _str([None] * len(meta))
        meta[c] = meta[c].astype("str")
    lang_fill = meta["doc_id"].map(langs)
    meta["language"] = meta["language"].where(meta["language"].notna(), lang_fill).astype("str")
    return meta[["doc_id", *METADATA_COLUMNS]]


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
    langs = _languages(sentences, documents)
    lemma_series = sentences["lemmas"]
    hits = np.zeros((3, n), dtype=np.int64)
    negs = np.zeros((3, n), dtype=np.int64)
    parts = []
    for lang in ("en", "es"):
        idx = np.flatnonzero(langs == lang)
        if not len(idx):
            continue
        comp = _compile(lexicon, lang)
        sub = lemma_series if len(idx) == n else lemma_series.iloc[idx]
        s_l, a_l, b_l, t_l, n_l = _scan(sub, comp, config.negation_window)
        if not s_l:
            continue
        k = np.asarray(t_l, dtype=np.int64)
        fr = comp.frame_of[k]
        keep = fr >= 0  # blockers count nowhere
        parts.append(
            (
                idx[np.asarray(s_l, dtype=np.int64)][keep],
                np.asarray(a_l, dtype=np.int64)[keep],
                np.asarray(b_l, dtype=np.int64)[keep],
                fr[keep],
                [comp.terms[x][1] for x in k[keep].tolist()],
                [comp.terms[x][2] for x in k[keep].tolist()],
                np.asarray(n_l, dtype=bool)[keep],
                [_is_caps(comp.terms[x][2]) for x in k[keep].tolist()],
            )
        )
    if parts:
        rows, a_arr, b_arr, fr_arr = (np.concatenate([p[j] for p in parts]) for j in range(4))
        subs = [x for p in parts for x in p[4]]
        term_l = [x for p in parts for x in p[5]]
        neg = np.concatenate([p[6] for p in parts])
        acro = [x for p in parts for x in p[7]]
    else:
        rows = a_arr = b_arr = fr_arr = np.zeros(0, dtype=np.int64)
        subs, term_l, neg, acro = [], [], np.zeros(0, dtype=bool), []
    # KWIC: surface text of each hit, with context within its sentence
    uniq, inv = np.unique(rows, return_inverse=True)
    u_text = sentences["text"].iloc[uniq].tolist()
    u_tok = sentences["tokens"].iloc[uniq].tolist() if "tokens" in sentences.columns else None
    u_lem = lemma_series.iloc[uniq].tolist() if u_tok is None else None
    spans_cache: dict[int, _Spans] = {}
    mk = {"matched": [], "start_char": [], "end_char": [], "left": [], "right": []}
    for u, a, b in zip(inv.tolist(), a_arr.tolist(), b_arr.tolist(), strict=False):
        text = u_text[u]
        if u_tok is not None:
            sp = spans_cache.get(u)
            if sp is None:
                sp = spans_cache[u] = _Spans(text, u_tok[u])
            w = sp.window(a, b)
            s0, e0 = w[0], w[-1] + len(sp.toks[b - 1])
            left = _cut_left(text, s0)
            right = _cut_right(text, e0)
            matched = text[s0:e0]
        else:  # sentences without surface tokens: show the lemma sequence
            s0 = e0 = 0
            matched, left, right = " ".join(str(u_lem[u]).split()[a:b]), "", ""
        mk["matched"].append(matched)
        mk["start_char"].append(s0)
        mk["end_char"].append(e0)
        mk["left"].append(left)
        mk["right"].append(right)
    # headings (lexicon >= 2.0.0): a hit whose text is written all in capitals (a title such as
    # "CAPÍTULO II DE LA CONDICIÓN DE REFUGIADO") names a topic and frames nothing; acronym
    # entries are exempt
    if lexicon.count_headings:
        heading = np.zeros(len(acro), dtype=bool)
    else:
        heading = np.fromiter(
            (_is_caps(m) and not acr for m, acr in zip(mk["matched"], acro, strict=False)),
            dtype=bool,
            count=len(acro),
        )
    counted = (np.ones_like(neg) if config.count_negated else ~neg) & ~heading
    np.add.at(hits, (fr_arr[counted], rows[counted]), 1)
    np.add.at(negs, (fr_arr[neg], rows[neg]), 1)

    # subframes per sentence ("name:count;..." over counted hits)
    subframes = np.full(n, "", dtype=object)
    if counted.any():
        sc = (
            pd.DataFrame({"r": rows[counted], "s": np.asarray(subs, dtype=object)[counted]})
            .groupby(["r", "s"], sort=True)
            .size()
        )
        by_row: dict[int, list[str]] = {}
        for (r, s_), c in zip(sc.index.tolist(), sc.to_numpy().tolist(), strict=False):
            by_row.setdefault(r, []).append(f"{s_}:{c}")
        for r, labels in by_row.items():
            subframes[r] = ";".join(labels)

    doc_ids = sentences["doc_id"]
    sent_ids = sentences["sent_id"].to_numpy(dtype=np.int64)
    matches = pd.DataFrame(
        {
            "doc_id": _str(doc_ids.iloc[rows].tolist()),
            "sent_id": pd.Series(sent_ids[rows], dtype="int64"),
            "frame": _str(np.asarray(FRAMES, dtype=object)[fr_arr].tolist()),
            "subframe": _str(subs),
            "term": _str(term_l),
            "matched": _str(mk["matched"]),
            "start_char": pd.Series(mk["start_char"], dtype="int64"),
            "end_char": pd.Series(mk["end_char"], dtype="int64"),
            "left": _str(mk["left"]),
            "right": _str(mk["right"]),
            "negated": pd.Series(neg, dtype=bool),
            "counted": pd.Series(counted, dtype=bool),
            "lexicon_version": _str([version] * len(rows)),
        }
    )
    if len(matches):
        matches = matches.sort_values(
            ["doc_id", "sent_id", "start_char"], kind="stable"
        ).reset_index(drop=True)

    sf = pd.DataFrame(
        {
            "doc_id": doc_ids.astype("str").reset_index(drop=True),
            "sent_id": pd.Series(sent_ids, dtype="int64"),
            **{f"hits_{f}": hits[j] for j, f in enumerate(FRAMES)},
            **{f"negated_{f}": negs[j] for j, f in enumerate(FRAMES)},
            "subframes": _str(subframes.tolist()),
            "lexicon_version": _str([version] * n),
        }
    )
    if not _is_sorted(sf):
        sf = sf.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)

    # ---------------------------------------------------------------- document level
    lang_of_doc = dict(zip(sentences["doc_id"].tolist(), langs.tolist(), strict=False))
    doc_set = set(lang_of_doc)
    if documents is not None:
        ok = (
            documents[(documents["status"] == "ok") & documents["language"].isin(["en", "es"])]
            if "status" in documents.columns
            else documents
        )
        doc_set |= set(ok["doc_id"].tolist())
    doc_ids_sorted = sorted(doc_set)
    meta = _doc_metadata(doc_ids_sorted, documents, lang_of_doc)
    per_sent = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy(),
            "n_tokens": sentences["n_tokens"].to_numpy(dtype=np.int64),
            "H": hits[0],
            "S": hits[1],
            "C": hits[2],
        }
    )
    per_sent["both"] = (per_sent["H"] > 0) & (per_sent["S"] > 0)
    per_sent["H_in_S"] = np.where(per_sent["S"] > 0, per_sent["H"], 0)
    per_sent["S_in_H"] = np.where(per_sent["H"] > 0, per_sent["S"], 0)
    g = per_sent.groupby("doc_id", sort=True).agg(
        n_tokens=("n_tokens", "sum"),
        n_sentences=("n_tokens", "size"),
        H=("H", "sum"),
        S=("S", "sum"),
        C=("C", "sum"),
        both=("both", "sum"),
        H_in_S=("H_in_S", "sum"),
        S_in_H=("S_in_H", "sum"),
    )
    g = g.reindex(doc_ids_sorted, fill_value=0).astype("int64")
    tok = g["n_tokens"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = {
            f: np.where(tok > 0, g[c].to_numpy() * 1000.0 / tok, np.nan)
            for f, c in zip(FRAMES, "HSC", strict=False)
        }
        hs = (g["H"] + g["S"]).to_numpy()
        index = np.where(hs > 0, (g["H"] - g["S"]).to_numpy() / np.maximum(hs, 1), np.nan)
        h_in_s = np.where(g["H"] > 0, g["H_in_S"] / np.maximum(g["H"], 1), np.nan)
        s_in_h = np.where(g["S"] > 0, g["S_in_H"] / np.maximum(g["S"], 1), np.nan)
    fs = meta.copy()
    fs["n_tokens"] = g["n_tokens"].to_numpy()
    fs["n_sentences"] = g["n_sentences"].to_numpy()
    for f, c in zip(FRAMES, "HSC", strict=False):
        fs[f"hits_{f}"] = g[c].to_numpy()
    for f in FRAMES:
        fs[f"rate_{f}"] = rate[f]
    fs["framing_index"] = index
    fs["framing_n"] = hs.astype(np.int64)
    fs["lexicon_version"] = _str([version] * len(fs))

    co = meta.copy()
    co["hum_hits"] = g["H"].to_numpy()
    co["sec_hits"] = g["S"].to_numpy()
    co["hum_in_sec_share"] = h_in_s.astype(float)
    co["sec_in_hum_share"] = s_in_h.astype(float)
    co["n_sentences_both"] = g["both"].to_numpy()
    co["lexicon_version"] = _str([version] * len(co))

    if validate:
        sf = check(sf, "sentence_frames")
        fs = check(fs, "frame_scores")
        matches = check(matches, "matches")
        co = check(co, "cooccurrence")
    return FrameScores(sf, fs, matches, co, version, config)
