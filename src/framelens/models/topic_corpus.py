"""The document-term matrix a topic model is fitted on (``TopicCorpus``) and how it is built.

``build_corpus`` turns the ``sentences`` table of the preprocessing stage (a DataFrame, or a
``SentenceSource`` read chunk by chunk, ``framelens.models.sources``: the same corpus, without
the whole table in memory) into one bag of lemmas per document of one language, prunes the
vocabulary by documented rules and returns a ``TopicCorpus``: doc_ids, vocabulary, a sparse
count matrix, the tokenised documents (used by coherence measures) and the documents' metadata
(which travels along, like quanteda docvars).

Pruning, in this order (see ``docs/topics.md``):

1. token rules: spaCy stop words of the language plus ``stopwords``, tokens with digits or
   without letters, Roman numerals, URL fragments, tokens shorter than ``min_chars``
   (``framelens.models._tokens``);
2. optional bigram phrases (gensim ``Phrases``, ``bigram_min_count``, ``bigram_threshold``,
   joined with ``_``) found among the kept tokens;
3. document frequency: a term is kept when it occurs in at least ``min_df`` documents and in
   at most ``max_df`` (a proportion) of them. Terms in ``protected`` (the seed terms of a
   seeded model) are exempt from the ``max_df`` cut, not from ``min_df``;
4. ``max_vocab``: the most frequent terms (ties by term) when more remain; protected terms are
   kept first;
5. documents left with no term are dropped and listed in ``pruning["dropped_empty"]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framelens.core.errors import ConfigError, Errors
from framelens.models._tokens import document_tokens
from framelens.models.sources import Sentences, sentence_chunks

#: Metadata columns carried from ``documents`` into ``TopicCorpus.metadata`` when present.
METADATA_COLUMNS = ["doc_id", "country", "language", "administration", "date", "issuer", "doc_type"]


@dataclass
class TopicCorpus:
    """Documents of one language as a bag of terms.

    Attributes
    ----------
    doc_ids : list of str
        Row labels of ``dtm``, sorted.
    vocabulary : list of str
        Column labels of ``dtm``, sorted; bigram phrases are joined with ``_``.
    dtm : scipy.sparse.csr_matrix of shape (n_docs, n_terms)
        Term counts (int64).
    language : str
        ``en`` or ``es``.
    texts : list of list of str
        Each document's kept terms in reading order, restricted to ``vocabulary`` (for
        coherence measures that slide a window over the text).
    metadata : DataFrame
        One row per doc_id in ``doc_ids`` order: doc_id, country, language, administration,
        date, issuer, doc_type (those present in ``documents``).
    pruning : dict
        Settings and counts of the vocabulary pruning (recorded in run.json).
    """

    doc_ids: list[str]
    vocabulary: list[str]
    dtm: sp.csr_matrix
    language: str
    texts: list[list[str]] = field(repr=False, default_factory=list)
    metadata: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    pruning: dict[str, Any] = field(default_factory=dict)

    @property
    def n_docs(self) -> int:
        return len(self.doc_ids)

    @property
    def n_terms(self) -> int:
        return len(self.vocabulary)

    def term_index(self) -> dict[str, int]:
        """Mapping term -> column of ``dtm``."""
        return {t: i for i, t in enumerate(self.vocabulary)}

    def subset(self, doc_ids: Iterable[str]) -> TopicCorpus:
        """The same vocabulary restricted to ``doc_ids`` (in this corpus' order)."""
        keep = set(doc_ids)
        rows = [i for i, d in enumerate(self.doc_ids) if d in keep]
        return TopicCorpus(
            doc_ids=[self.doc_ids[i] for i in rows],
            vocabulary=list(self.vocabulary),
            dtm=self.dtm[rows],
            language=self.language,
            texts=[self.texts[i] for i in rows] if self.texts else [],
            metadata=self.metadata.iloc[rows].reset_index(drop=True),
            pruning=dict(self.pruning),
        )


def select_documents(documents: pd.DataFrame, language: str) -> pd.DataFrame:
    """Documents of ``language`` that were read (``status == "ok"`` when the column exists)."""
    docs = documents
    if "status" in docs.columns:
        docs = docs[docs["status"] == "ok"]
    docs = docs[docs["language"] == language]
    return docs.sort_values("doc_id", kind="mergesort").reset_index(drop=True)


def build_corpus(
    sentences: Sentences,
    documents: pd.DataFrame,
    language: str,
    *,
    min_df: int = 2,
    max_df: float = 0.5,
    max_vocab: int | None = 5000,
    bigrams: bool = False,
    stopwords: Iterable[str] = (),
    min_chars: int = 3,
    protected: Iterable[str] = (),
    bigram_min_count: int = 5,
    bigram_threshold: float = 10.0,
) -> TopicCorpus:
    """Build the document-term matrix of one language from the ``sentences`` table, pruned
    by the rules 1-5 of this module's docstring. Inputs are not modified.

    Parameters
    ----------
    sentences : DataFrame or SentenceSource
        The ``sentences`` table (doc_id, sent_id, lemmas, ...) or a source of it (read once).
    documents : DataFrame
        The ``documents`` table: doc_id, language, status (optional) and metadata columns.
    language : str
        ``en`` or ``es``: documents of this language are used.

    Returns
    -------
    TopicCorpus
        Sorted doc_ids and vocabulary, ``pruning`` records settings and counts.

    Examples
    --------
    >>> corpus = build_corpus(sentences, documents, "en", min_df=2, max_df=0.9)  # doctest: +SKIP
    >>> corpus.dtm.shape  # doctest: +SKIP
    (24, 1830)
    """
    docs = select_documents(documents, language)
    if docs.empty:
        raise ConfigError(Errors.E013.format(language=language))
    doc_ids = docs["doc_id"].astype(str).tolist()
    texts = _document_texts(sentences, doc_ids, language, stopwords, min_chars)
    n_tokens_kept = sum(len(t) for t in texts)
    if bigrams:
        texts = _apply_bigrams(texts, bigram_min_count, bigram_threshold)
    vocabulary, protected_set, counts = _prune_vocabulary(
        texts, min_df=min_df, max_df=max_df, max_vocab=max_vocab, protected=protected
    )
    index = {t: i for i, t in enumerate(vocabulary)}
    kept_ids, kept_texts, dropped = _drop_empty_documents(doc_ids, texts, index)
    if not kept_ids or not vocabulary:
        raise ConfigError(
            Errors.E014.format(language=language, n_docs=len(texts), min_df=min_df, max_df=max_df)
        )
    pruning = {
        "language": language,
        "min_df": min_df,
        "max_df": max_df,
        "max_vocab": max_vocab,
        "bigrams": bigrams,
        "min_chars": min_chars,
        "extra_stopwords": sorted(set(stopwords)),
        "n_documents_in": len(texts),
        "n_documents": len(kept_ids),
        "dropped_empty": dropped,
        "n_tokens_kept": n_tokens_kept,
        **counts,
        "n_terms": len(vocabulary),
        "protected_terms": sorted(protected_set & set(vocabulary)),
    }
    return TopicCorpus(
        doc_ids=kept_ids,
        vocabulary=vocabulary,
        dtm=count_matrix(kept_texts, index),
        language=language,
        texts=kept_texts,
        metadata=_metadata(docs, kept_ids),
        pruning=pruning,
    )


def _metadata(docs: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """The ``METADATA_COLUMNS`` of ``docs`` present, one row per doc_id in ``doc_ids`` order."""
    meta_cols = [c for c in METADATA_COLUMNS if c in docs.columns]
    return docs.set_index("doc_id").loc[doc_ids].reset_index()[meta_cols]


def _document_texts(
    sentences: Sentences,
    doc_ids: list[str],
    language: str,
    stopwords: Iterable[str],
    min_chars: int,
) -> list[list[str]]:
    """Step 1 of ``build_corpus``: each document's kept tokens, in ``doc_ids`` order.

    A source is read chunk by chunk: each chunk's documents of ``doc_ids`` are tokenised and
    only their kept tokens are kept, so the sentences table is never whole in memory."""
    if isinstance(sentences, pd.DataFrame):
        tokens = document_tokens(
            sentences, doc_ids, language, extra_stopwords=stopwords, min_chars=min_chars
        )
        return [tokens[d] for d in doc_ids]
    wanted = set(doc_ids)
    tokens = {}
    terms: dict[str, str] = {}  # one string object per term across chunks
    for chunk in sentence_chunks(sentences, ["doc_id", "sent_id", "lemmas"]):
        present = [d for d in pd.unique(chunk["doc_id"]) if d in wanted]
        if not present:
            continue
        part = document_tokens(
            chunk, present, language, extra_stopwords=stopwords, min_chars=min_chars, terms=terms
        )
        for d, toks in part.items():
            if d in tokens:
                raise ValueError(
                    f"document {d!r} is in two chunks of the sentence source: a chunk must "
                    "hold all sentences of its documents"
                )
            tokens[d] = toks
    return [tokens.get(d, []) for d in doc_ids]


def _prune_vocabulary(
    texts: list[list[str]],
    *,
    min_df: int,
    max_df: float,
    max_vocab: int | None,
    protected: Iterable[str],
) -> tuple[list[str], set[str], dict[str, int]]:
    """Steps 3 and 4 of ``build_corpus``: the sorted vocabulary kept by document frequency and
    ``max_vocab``, the protected terms that passed ``min_df``, and the type counts before and
    after the document-frequency cut (``n_types_before_df``, ``n_types_after_df``)."""
    df: Counter = Counter()
    tf: Counter = Counter()
    for toks in texts:
        tf.update(toks)
        df.update(set(toks))
    protected_set = {p for p in protected if df.get(p, 0) >= min_df}
    max_count = max_df * len(texts)
    kept = [t for t, n in df.items() if n >= min_df and (n <= max_count or t in protected_set)]
    counts = {"n_types_before_df": len(df), "n_types_after_df": len(kept)}
    if max_vocab is not None and len(kept) > max_vocab:
        kept.sort(key=lambda t: (t not in protected_set, -tf[t], t))
        kept = kept[:max_vocab]
    return sorted(kept), protected_set, counts


def _drop_empty_documents(
    doc_ids: list[str], texts: list[list[str]], index: dict[str, int]
) -> tuple[list[str], list[list[str]], list[str]]:
    """Step 5 of ``build_corpus``: texts restricted to the vocabulary ``index``; documents left
    without a term are dropped. Returns (doc_ids, texts, dropped doc_ids)."""
    texts = [[t for t in toks if t in index] for toks in texts]
    nonempty = [i for i, toks in enumerate(texts) if toks]
    dropped = [doc_ids[i] for i, toks in enumerate(texts) if not toks]
    return [doc_ids[i] for i in nonempty], [texts[i] for i in nonempty], dropped


def count_matrix(texts: list[list[str]], index: dict[str, int]) -> sp.csr_matrix:
    """The document-term count matrix (int64 csr, shape (len(texts), len(index))) of
    tokenised ``texts`` over the vocabulary ``index`` (term -> column); every token must be
    in ``index``."""
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for toks in texts:
        counts = Counter(index[t] for t in toks)
        for j in sorted(counts):
            indices.append(j)
            data.append(counts[j])
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(texts), len(index)),
    )


def _apply_bigrams(texts: list[list[str]], min_count: int, threshold: float) -> list[list[str]]:
    from gensim.models.phrases import Phrases

    phrases = Phrases(texts, min_count=min_count, threshold=threshold, delimiter="_")
    frozen = phrases.freeze()
    return [list(frozen[toks]) for toks in texts]


def align_dtm(corpus: TopicCorpus, vocabulary: list[str]) -> sp.csr_matrix:
    """``corpus.dtm`` re-indexed to ``vocabulary`` (terms unknown to it are dropped).

    Returns a csr matrix of shape (corpus.n_docs, len(vocabulary)).
    """
    if corpus.vocabulary == vocabulary:
        return corpus.dtm
    target = {t: i for i, t in enumerate(vocabulary)}
    src_cols = [i for i, t in enumerate(corpus.vocabulary) if t in target]
    dst_cols = [target[corpus.vocabulary[i]] for i in src_cols]
    mapper = sp.csr_matrix(
        (np.ones(len(src_cols), dtype=np.int64), (src_cols, dst_cols)),
        shape=(corpus.n_terms, len(vocabulary)),
    )
    out = (corpus.dtm @ mapper).tocsr()
    out.sort_indices()
    return out
