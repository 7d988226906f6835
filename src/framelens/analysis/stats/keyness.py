"""Keyness: terms that distinguish a group of documents from the rest (Dunning's G²).

For each group g (e.g. an administration) within a stratum (e.g. a country), the reference is
every other group of the same stratum, named in the ``reference`` column. With a = count of the
term in g, b = its count in the reference, c and d the total term counts of g and reference,
expected counts E1 = c (a + b) / (c + d), E2 = d (a + b) / (c + d) and

    G² = 2 (a ln(a / E1) + b ln(b / E2))          (0 ln 0 = 0),

p_value = P(chi²_1 > G²) (unadjusted: read it as a ranking statistic; with thousands of terms,
compare it with a Bonferroni threshold), effect = Hardie's Log Ratio
log2((a / c) / (b / d)) with 0.5 added to a zero count, direction ``over`` when the term is
relatively more frequent in g, else ``under``. Terms are the lemmas kept by the topic
vocabulary's token rules (stop words, numbers, short tokens dropped; docs/topics.md).
Administration "unknown" is left out of targets and references.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.stats import chi2

from framelens.core.domain import UNKNOWN, group_sort_key
from framelens.models._tokens import document_tokens
from framelens.models.sources import Sentences, sentence_chunks

KEYNESS_COLUMNS = [
    "country",
    "group",
    "reference",
    "term",
    "freq_group",
    "freq_reference",
    "g2",
    "p_value",
    "effect",
    "direction",
    "rank",
]


def g2_statistic(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Dunning's log-likelihood G² for counts ``a`` (target) and ``b`` (reference) with
    target and reference totals ``c`` and ``d``."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    t1 = np.where(a > 0, a * np.log(np.where(a > 0, a, 1.0) / np.where(e1 > 0, e1, 1.0)), 0.0)
    t2 = np.where(b > 0, b * np.log(np.where(b > 0, b, 1.0) / np.where(e2 > 0, e2, 1.0)), 0.0)
    return 2.0 * (t1 + t2)


def keyness(
    sentences: Sentences,
    documents: pd.DataFrame,
    by: str = "administration",
    within: str | None = "country",
    *,
    min_freq: int = 5,
    top_n: int | None = 50,
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Key terms of each group against the other groups of its stratum (G², Log Ratio).

    Parameters
    ----------
    sentences : DataFrame or SentenceSource
        The ``sentences`` table (doc_id, sent_id, lemmas), or a source that serves it in
        chunks of whole documents (``framelens.models.ParquetSentenceSource``). Not modified.
    documents : DataFrame
        doc_id, language, the ``by`` and ``within`` columns, status (optional).
    by : str, default "administration"
        The grouping compared.
    within : str or None, default "country"
        Strata; None compares across the whole corpus (column ``country`` is then "all").
    min_freq : int, default 5
        Terms with fewer occurrences in group + reference are skipped.
    top_n : int or None, default 50
        Rows kept per (stratum, group, direction), by rank; None keeps all.

    Returns
    -------
    DataFrame
        Columns ``KEYNESS_COLUMNS``: country (the stratum), group, reference (the other groups,
        " + "-joined), term, freq_group, freq_reference, g2, p_value, effect (log2 ratio),
        direction (over|under), rank (1 = highest G² within stratum, group and direction).
        Sorted by stratum, group (chronological), direction (over first), rank.

    Examples
    --------
    >>> keyness(sentences, documents).head()  # doctest: +SKIP
    """
    docs = documents
    if "status" in docs.columns:
        docs = docs[docs["status"] == "ok"]
    docs = docs[docs[by].notna() & (docs[by].astype(str) != UNKNOWN)]
    strata = docs[within].astype(str) if within else pd.Series("all", index=docs.index)
    counts = _group_counts(sentences, docs, by, strata, extra_stopwords)
    frames = []
    for stratum in sorted({s for s, _ in counts}):
        groups = sorted(
            (g for s, g in counts if s == stratum), key=lambda g: group_sort_key(stratum, g)
        )
        if len(groups) < 2:
            continue
        for g in groups:
            target = counts[(stratum, g)]
            others = [h for h in groups if h != g]
            ref = Counter()
            for h in others:
                ref.update(counts[(stratum, h)])
            frames.append(_key_terms(stratum, g, " + ".join(others), target, ref, min_freq, top_n))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in KEYNESS_COLUMNS})
    return pd.concat(frames, ignore_index=True)[KEYNESS_COLUMNS]


def _group_counts(
    sentences: Sentences,
    docs: pd.DataFrame,
    by: str,
    strata: pd.Series,
    extra_stopwords: Iterable[str],
) -> dict[tuple[str, str], Counter]:
    """Term counts per (stratum, group), language by language, read chunk by chunk."""
    counts: dict[tuple[str, str], Counter] = {}
    for language, sub in docs.groupby("language", sort=True):
        cell = dict(
            zip(
                sub["doc_id"].astype(str),
                zip(strata.loc[sub.index], sub[by].astype(str), strict=True),
                strict=True,
            )
        )
        terms: dict[str, str] = {}
        # chunk by chunk (a SentenceSource reads the sentences table in pieces of whole
        # documents); documents in the documents' order within each chunk
        for chunk in sentence_chunks(sentences, ["doc_id", "sent_id", "lemmas"]):
            present = set(chunk["doc_id"].astype(str)) & cell.keys()
            ids = [d for d in sub["doc_id"].astype(str) if d in present]
            if not ids:
                continue
            toks = document_tokens(
                chunk, ids, str(language), extra_stopwords=extra_stopwords, terms=terms
            )
            for doc_id in ids:
                counts.setdefault(cell[doc_id], Counter()).update(toks[doc_id])
    return counts


def _key_terms(
    stratum: str,
    group: str,
    reference: str,
    target: Counter,
    ref: Counter,
    min_freq: int,
    top_n: int | None,
) -> pd.DataFrame:
    terms = sorted(t for t in set(target) | set(ref) if target[t] + ref[t] >= min_freq)
    a = np.array([target[t] for t in terms], dtype=np.float64)
    b = np.array([ref[t] for t in terms], dtype=np.float64)
    c, d = float(sum(target.values())), float(sum(ref.values()))
    g2 = g2_statistic(a, b, c, d) if terms else np.zeros(0)
    effect = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
    over = a / c > b / d
    df = pd.DataFrame(
        {
            "country": stratum,
            "group": group,
            "reference": reference,
            "term": terms,
            "freq_group": a.astype(np.int64),
            "freq_reference": b.astype(np.int64),
            "g2": g2,
            "p_value": chi2.sf(g2, 1),
            "effect": effect,
            "direction": np.where(over, "over", "under"),
        }
    )
    df["_dir"] = np.where(over, 0, 1)
    df = df.sort_values(["_dir", "g2", "term"], ascending=[True, False, True], kind="mergesort")
    df["rank"] = df.groupby("_dir").cumcount() + 1
    if top_n is not None:
        df = df[df["rank"] <= top_n]
    return df.drop(columns="_dir").reset_index(drop=True)
