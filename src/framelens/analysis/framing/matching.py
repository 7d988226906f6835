"""The lexicon matcher: a token trie, tokenisation of lemma strings and the scan for hits.

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
  tokens before a hit, within the sentence, marks it ``negated``. Whether a negated hit counts
  is decided by the caller (``score_frames``, ``LexiconConfig.count_negated``).

The scan is a dictionary walk over a token trie (one dict lookup per token plus a short walk at
candidate positions), written for speed: no per-term regular expressions. The per-token work is
vectorised: tokens are split and coded in C (pyarrow), accent folding is done once per distinct
token, candidate starts and per-sentence context flags are numpy lookups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from framelens.analysis.framing.lexicon import Lexicon, fold
from framelens.core.domain import FRAMES

if TYPE_CHECKING:
    import pyarrow as pa

#: Trie key marking the end of an entry (its value: the payloads of entries ending there).
END = None


class TokenTrie:
    """A trie over token sequences with leftmost-longest, non-overlapping scanning.

    ``add(tokens, payload)`` stores an entry; a node is a dict from the next token to the next
    node, and ``node[END]`` lists the payloads of the entries that end at that node.
    ``walk`` returns the entries starting at one position, longest first.
    """

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, tokens: tuple[str, ...], payload) -> None:
        """Store an entry: the token sequence ``tokens`` with ``payload``."""
        node = self.root
        for t in tokens:
            node = node.setdefault(t, {})
        node.setdefault(END, []).append(payload)

    def __bool__(self) -> bool:
        return bool(self.root)

    def candidates(self, toks: list[str]) -> list[int]:
        """Positions in ``toks`` where some entry starts."""
        root = self.root
        return [i for i, t in enumerate(toks) if t in root]

    def walk(self, toks: list[str], i: int, stop: int) -> list[tuple[int, list]]:
        """Entries starting at ``i`` and ending before ``stop``: [(end, payloads)], longest first."""
        node = self.root[toks[i]]
        found = []
        if END in node:
            found.append((i + 1, node[END]))
        j = i + 1
        while j < stop:
            node = node.get(toks[j])
            if node is None:
                break
            j += 1
            if END in node:
                found.append((j, node[END]))
        found.reverse()
        return found


# --------------------------------------------------------------------------- tokenisation
def _arrow_strings(values) -> pa.Array:
    """A pyarrow string array from a pandas Series or list (zero-copy for Arrow-backed str)."""
    import pyarrow as pa

    arr = getattr(getattr(values, "array", None), "_pa_array", None)
    if arr is None:
        arr = pa.array([x if isinstance(x, str) else None for x in values], type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.string()) if arr.type != pa.string() else arr


def tokenize(lemmas) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Split space-joined token strings into tokens in C (pyarrow).

    Parameters
    ----------
    lemmas : Series or list of str
        One string per sentence (``lemmas`` or ``tokens`` of the ``sentences`` table).

    Returns
    -------
    codes : ndarray of int64
        One per token occurrence, all sentences in order.
    vocab : list of str
        The distinct tokens: ``vocab[codes[i]]`` is token ``i``.
    counts : ndarray of int64
        Tokens per sentence.
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


# --------------------------------------------------------------------------- compiled lexicon
@dataclass
class CompiledLexicon:
    """One language of a lexicon, ready for ``scan`` (cached on the ``Lexicon``).

    Attributes
    ----------
    frame_of : ndarray of int64
        Entry -> index in ``FRAMES`` (-1: a blocker, counted nowhere).
    trie : TokenTrie
        The entries' keys, payload the entry index.
    terms : list of tuple
        Per entry: (frame index, subframe, term as written, requires).
    contexts : dict
        Context set name -> (single-token keys, phrase keys).
    negators : frozenset
        Negator keys of the language.
    """

    frame_of: np.ndarray
    trie: TokenTrie
    terms: list[tuple]
    contexts: dict[str, tuple[frozenset, tuple[str, ...]]]
    negators: frozenset


def compile_lexicon(lexicon: Lexicon, lang: str) -> CompiledLexicon:
    """The entries, context sets and negators of ``lexicon`` for ``lang`` (cached per lexicon)."""
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
    negators = frozenset(lexicon.negators.get(lang, ()))
    comp = CompiledLexicon(frame_of, trie, terms, contexts, negators)
    cache[lang] = comp
    return comp


# --------------------------------------------------------------------------- the scan
@dataclass
class _Tokens:
    """The tokens of the scanned sentences, coded once (see ``tokenize``)."""

    codes: np.ndarray  # token occurrence -> distinct token
    folded: list[str]  # distinct token -> accent-folded form
    ids_of_fold: dict[str, list[int]]  # folded form -> distinct tokens with that form
    counts: np.ndarray  # tokens per sentence
    ends: np.ndarray  # per sentence: index after its last token
    starts: np.ndarray  # per sentence: index of its first token

    @property
    def n_voc(self) -> int:
        return len(self.folded)

    def vocab_mask(self, key: str) -> np.ndarray:
        """Boolean mask over the distinct tokens whose folded form is ``key``."""
        mask = np.zeros(self.n_voc, dtype=bool)
        mask[self.ids_of_fold.get(key, [])] = True
        return mask


def _coded_tokens(codes: np.ndarray, vocab: list[str], counts: np.ndarray) -> _Tokens:
    folded = [fold(t) for t in vocab]
    ids_of_fold: dict[str, list[int]] = {}
    for u, f in enumerate(folded):
        ids_of_fold.setdefault(f, []).append(u)
    ends = np.cumsum(counts)
    return _Tokens(codes, folded, ids_of_fold, counts, ends, ends - counts)


def _start_candidates(tok: _Tokens, root: dict) -> np.ndarray:
    """Token positions where an entry may start, sorted.

    A single-token entry's first token is enough; for multi-token entries only, a start is kept
    when the next token (in the same sentence) continues an entry.
    """
    codes, n_voc, n_tok = tok.codes, tok.n_voc, len(tok.codes)
    single_u = np.zeros(n_voc, dtype=bool)
    multi_u = np.zeros(n_voc, dtype=bool)
    for u, f in enumerate(tok.folded):
        node = root.get(f)
        if node is not None:
            if END in node:
                single_u[u] = True
            else:
                multi_u[u] = True
    mc = np.flatnonzero(multi_u[codes])
    if len(mc):
        pairs = {
            u * n_voc + v
            for u in np.flatnonzero(multi_u).tolist()
            for child in root[tok.folded[u]]
            if child is not END
            for v in tok.ids_of_fold.get(child, ())
        }
        nxt = np.minimum(mc + 1, n_tok - 1)
        same = (mc + 1) < tok.ends[np.searchsorted(tok.ends, mc, side="right")]
        pair_codes = codes[mc] * n_voc + codes[nxt]
        mc = mc[same & np.isin(pair_codes, np.fromiter(pairs, dtype=np.int64, count=len(pairs)))]
    return np.sort(np.concatenate([np.flatnonzero(single_u[codes]), mc]))


def _context_flags(tok: _Tokens, comp: CompiledLexicon) -> dict[str, np.ndarray]:
    """Per context set that some entry requires: does each sentence contain one of its terms?"""
    codes, n_sent = tok.codes, len(tok.counts)
    sent_of_tok = np.repeat(np.arange(n_sent), tok.counts)
    needed = {name for t in comp.terms if t[3] for name in t[3].split("|")}
    ctx = {}
    for name in sorted(needed):
        singles, phrases = comp.contexts[name]
        single_u = np.fromiter((f in singles for f in tok.folded), bool, tok.n_voc)
        flags = np.zeros(n_sent, dtype=bool)
        flags[sent_of_tok[single_u[codes]]] = True
        for phrase in phrases:  # contiguous sequences, vectorised token by token
            parts = phrase.split(" ")
            pos = np.flatnonzero(tok.vocab_mask(parts[0])[codes])
            for step, part in enumerate(parts[1:], start=1):
                if not len(pos):
                    break
                ok_u = tok.vocab_mask(part)
                nxt = pos + step
                inside = nxt < tok.ends[sent_of_tok[pos]]
                pos = pos[inside]
                pos = pos[ok_u[codes[nxt[inside]]]]
            flags[sent_of_tok[pos]] = True
        ctx[name] = flags
    return ctx


def _longest_hits(
    tok: _Tokens, cands: np.ndarray, comp: CompiledLexicon, ctx: dict[str, np.ndarray]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Walk the trie at each candidate: leftmost-longest hits whose context rule holds.

    Returns per hit: sentence, first token, end token (flat positions) and entry index.
    """
    codes, folded, n_tok = tok.codes, tok.folded, len(tok.codes)
    root = comp.trie.root
    sent_of = np.searchsorted(tok.ends, cands, side="right").tolist()
    ends_l = tok.ends.tolist()
    # per entry: the context-flag arrays it needs (any of them), or None
    req_flags = [tuple(ctx[n] for n in t[3].split("|")) if t[3] else None for t in comp.terms]
    first_fold = [folded[c] for c in codes[cands].tolist()]
    next_code = codes[np.minimum(cands + 1, n_tok - 1)].tolist()
    hit_s: list[int] = []
    hit_i: list[int] = []
    hit_e: list[int] = []
    hit_k: list[int] = []
    last_end = -1
    for i, s, f0, c1 in zip(cands.tolist(), sent_of, first_fold, next_code, strict=True):
        if i < last_end:
            continue
        stop = ends_l[s]
        node = root[f0]
        found = [(i + 1, node[END])] if END in node else []
        j = i + 1
        if j < stop and len(node) > (1 if found else 0):
            node = node.get(folded[c1])
            while node is not None:
                j += 1
                if END in node:
                    found.append((j, node[END]))
                if j >= stop:
                    break
                node = node.get(folded[codes[j]])
        hit = _first_allowed(found, req_flags, s)
        if hit is None:
            continue
        hit_s.append(s)
        hit_i.append(i)
        hit_e.append(hit[0])
        hit_k.append(hit[1])
        last_end = hit[0]
    return hit_s, hit_i, hit_e, hit_k


def _first_allowed(found: list[tuple[int, list]], req_flags: list, s: int) -> tuple | None:
    """The longest (end, entry) among ``found`` whose context rule holds in sentence ``s``."""
    for end, payloads in reversed(found):  # longest first
        for k in payloads:
            flags = req_flags[k]
            if flags is not None and not any(f[s] for f in flags):
                continue
            return end, k
    return None


def _negated(
    tok: _Tokens, comp: CompiledLexicon, window: int, si: np.ndarray, gi: np.ndarray
) -> list[bool]:
    """Whether a negator stands within ``window`` tokens before each hit, in its sentence."""
    if window > 0 and comp.negators:
        neg_u = np.fromiter((f in comp.negators for f in tok.folded), bool, tok.n_voc)
        cum = np.concatenate([[0], np.cumsum(neg_u[tok.codes])])
        lo = np.maximum(tok.starts[si], gi - window)
        return ((cum[gi] - cum[lo]) > 0).tolist()
    return [False] * len(gi)


def scan(
    lemmas, comp: CompiledLexicon, window: int
) -> tuple[list[int], list[int], list[int], list[int], list[bool]]:
    """Scan lemma strings with a compiled lexicon (the rules of the module docstring).

    Parameters
    ----------
    lemmas : Series or list of str
        Space-joined lemmas, one string per sentence.
    comp : CompiledLexicon
        From ``compile_lexicon``.
    window : int
        Negation window in tokens (0: nothing is marked negated).

    Returns
    -------
    tuple of lists
        Per hit: sentence index, first token and end token (within the sentence), entry
        index, and whether a negator precedes it within ``window`` tokens.
    """
    out: tuple[list, list, list, list, list] = ([], [], [], [], [])
    codes, vocab, counts = tokenize(lemmas)
    if len(codes) == 0:
        return out
    tok = _coded_tokens(codes, vocab, counts)
    cands = _start_candidates(tok, comp.trie.root)
    if not len(cands):
        return out
    ctx = _context_flags(tok, comp)
    hit_s, hit_i, hit_e, hit_k = _longest_hits(tok, cands, comp, ctx)
    if not hit_s:
        return out
    gi = np.asarray(hit_i, dtype=np.int64)
    si = np.asarray(hit_s, dtype=np.int64)
    negated = _negated(tok, comp, window, si, gi)
    first = tok.starts[si]
    return (
        hit_s,
        (gi - first).tolist(),
        (np.asarray(hit_e, dtype=np.int64) - first).tolist(),
        hit_k,
        negated,
    )
