"""Where a candidate term occurs in a run: its written form and keyword-in-context lines.

The ``tokens`` column of the ``sentences`` table holds the words as written, aligned one to one
with ``lemmas``; a candidate (an accent-folded lemma) is found in the lemmas and shown with the
written words around it. When a sentence's tokens do not align with its lemmas, its lemmas are
shown instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd


def _written(sents: pd.DataFrame, tokens: list[list[str]], row: int) -> list[str]:
    """The written tokens of sentence ``row`` (its lemmas when the two do not align)."""
    if "tokens" in sents.columns:
        written = str(sents["tokens"].iat[row] or "").split()
        if len(written) == len(tokens[row]):
            return written
    return tokens[row]


def _occurrences(tokens: list[list[str]], keys: list[str]) -> dict[str, list[tuple[int, int]]]:
    """key -> every (sentence row, token position) where the lemma ``key`` occurs, in order."""
    wanted = set(keys)
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row, toks in enumerate(tokens):
        for pos, tok in enumerate(toks):
            if tok in wanted:
                found[tok].append((row, pos))
    return found


def _form(word: str) -> str:
    """A written form as a lexicon term: lower case, except acronyms (all capitals, <= 5)."""
    return word if (word.isupper() and len(word) <= 5) else word.lower()


def surface_forms(sents: pd.DataFrame, tokens: list[list[str]], keys: list[str]) -> dict[str, str]:
    """key -> its most frequent written form (ties: alphabetical); the key when never written."""
    out = {}
    for key, occ in _occurrences(tokens, keys).items():
        counts = Counter(_form(_written(sents, tokens, r)[p]) for r, p in occ)
        out[key] = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return {k: out.get(k, k) for k in keys}


def keyword_lines(
    sents: pd.DataFrame, tokens: list[list[str]], keys: list[str], n: int, width: int
) -> dict[str, list[str]]:
    """key -> up to ``n`` lines "left words [WORD] right words" (``width`` words each side).

    The lines come from different sentences spread evenly over the key's occurrences in
    (doc_id, sent_id) order, so they are deterministic and not all from one document.
    """
    out: dict[str, list[str]] = {k: [] for k in keys}
    for key, occ in _occurrences(tokens, keys).items():
        by_sentence = list(dict.fromkeys(r for r, _ in occ))
        first_pos = {}
        for r, p in occ:
            first_pos.setdefault(r, p)
        picks = np.unique(
            np.linspace(0, len(by_sentence) - 1, num=min(n, len(by_sentence))).round()
        )
        for i in picks.astype(int):
            row = by_sentence[i]
            words = _written(sents, tokens, row)
            p = first_pos[row]
            left = " ".join(words[max(0, p - width) : p])
            right = " ".join(words[p + 1 : p + 1 + width])
            out[key].append(f"{left} [{words[p]}] {right}".strip())
    return out
