"""Keyword in context: the surface text of each lexicon hit, with its context in the sentence."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Characters of context shown on each side of a hit in the match table (cut at a space).
KWIC_CHARS = 60


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


def is_caps(text: str) -> bool:
    """Whether ``text`` is written in capitals (``str.isupper``) and longer than one character."""
    return len(text) > 1 and text.isupper()


def keyword_in_context(
    sentences: pd.DataFrame, rows: np.ndarray, first: np.ndarray, end: np.ndarray
) -> dict[str, list]:
    """The text of each hit and its context within the sentence.

    Parameters
    ----------
    sentences : DataFrame
        The ``sentences`` table (text, and tokens when present, else lemmas).
    rows, first, end : ndarray of int
        Per hit: the sentence row (position in ``sentences``), its first token and the token
        after its last one (word tokens of the sentence).

    Returns
    -------
    dict
        Lists, one item per hit: ``matched`` (the text as written), ``start_char``,
        ``end_char`` (offsets of ``matched`` in the sentence text), ``left``, ``right``
        (up to ``KWIC_CHARS`` characters of context). Without a ``tokens`` column ``matched``
        is the lemma sequence and the offsets and context are empty.
    """
    uniq, inv = np.unique(rows, return_inverse=True)
    u_text = sentences["text"].iloc[uniq].tolist()
    u_tok = sentences["tokens"].iloc[uniq].tolist() if "tokens" in sentences.columns else None
    u_lem = sentences["lemmas"].iloc[uniq].tolist() if u_tok is None else None
    spans_cache: dict[int, _Spans] = {}
    mk: dict[str, list] = {"matched": [], "start_char": [], "end_char": [], "left": [], "right": []}
    for u, a, b in zip(inv.tolist(), first.tolist(), end.tolist(), strict=False):
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
    return mk
