"""Topic models on a streamed corpus: sentence sources read in chunks of whole documents give the
same TopicCorpus as the DataFrame; above ``topics.stream_above`` documents a language is fitted
streamed (online LDA in chunks, MiniBatchNMF), deterministically, recovering planted topics as
well as the in-memory fit; below it nothing changes."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import NMF, MiniBatchNMF

from _topic_fixtures import small_config
from framelens.core.errors import ConfigError
from framelens.core.io import table_to_csv_bytes
from framelens.models import (
    FrameSource,
    LDATopicModel,
    NMFTopicModel,
    ParquetSentenceSource,
    SentenceSource,
    build_corpus,
    check_topic_model,
    fit_topics,
    load_seeds,
    select_topics,
)
from framelens.models.diagnostics import exclusivity
from framelens.models.fit import document_excerpts
from framelens.models.sources import whole_documents

TABLES = ("topics", "doc_topics", "topic_prevalence", "seed_ranks")


@pytest.fixture(scope="module")
def demo_tables():
    """(documents, sentences) of the built-in demo corpus, extracted and preprocessed for real
    (12 English and 12 Spanish documents of 46 sentences)."""
    from framelens.analysis import preprocess
    from framelens.corpus.extract import extract
    from framelens.demo import write_demo_corpus

    with tempfile.TemporaryDirectory() as tmp:
        documents = extract(write_demo_corpus(Path(tmp) / "demo"), progress=False)
    return documents, preprocess(documents)


@pytest.fixture(scope="module")
def demo_parquet(demo_tables, tmp_path_factory):
    """The demo sentences as a Parquet file with row groups that cut documents in two."""
    path = tmp_path_factory.mktemp("sentences") / "sentences.parquet"
    demo_tables[1].to_parquet(path, index=False, row_group_size=50)
    return path


def assert_same_corpus(a, b):
    assert a.doc_ids == b.doc_ids and a.vocabulary == b.vocabulary and a.language == b.language
    assert a.dtm.shape == b.dtm.shape and a.dtm.dtype == b.dtm.dtype
    for part in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(a.dtm, part), getattr(b.dtm, part)), part
    assert a.texts == b.texts
    pd.testing.assert_frame_equal(a.metadata, b.metadata)
    assert a.pruning == b.pruning


# ---------------------------------------------------------------- corpus from chunks


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("docs_per_chunk", [1, 3, None])
def test_models_streaming_corpus_from_chunks_equals_dataframe(
    demo_tables, language, docs_per_chunk
):
    documents, sentences = demo_tables
    seeds = load_seeds().all_forms(language)
    for kw in ({}, {"bigrams": True, "bigram_min_count": 3, "protected": seeds}):
        want = build_corpus(sentences, documents, language, min_df=2, max_df=0.9, **kw)
        source = FrameSource(sentences, docs_per_chunk=docs_per_chunk)
        got = build_corpus(source, documents, language, min_df=2, max_df=0.9, **kw)
        assert_same_corpus(got, want)
    assert want.n_docs == 12 and want.n_terms > 30
    assert any("_" in t for t in want.vocabulary)  # the bigram step ran on the chunks' texts
    assert want.pruning["n_types_before_df"] > want.n_terms
    n_chunks = sum(1 for _ in source.chunks(["doc_id"]))
    assert n_chunks == {1: 24, 3: 8, None: 1}[docs_per_chunk]


def test_models_streaming_corpus_from_parquet_and_shuffled_rows(demo_tables, demo_parquet):
    documents, sentences = demo_tables
    source = ParquetSentenceSource(demo_parquet, batch_rows=37)
    assert isinstance(source, SentenceSource)
    chunks = list(source.chunks(["doc_id", "sent_id", "lemmas"]))
    # 46 rows per document, batches of 37 rows: documents span batches yet every chunk holds
    # whole documents, each exactly once, and only the requested columns are read
    sizes = pd.concat(chunks).groupby("doc_id").size()
    assert len(sizes) == 24 and (sizes == 46).all()
    assert all(list(c.columns) == ["doc_id", "sent_id", "lemmas"] for c in chunks)
    ids = [set(c["doc_id"]) for c in chunks]
    assert sum(len(s) for s in ids) == len(set().union(*ids)) == 24
    shuffled = sentences.sample(frac=1.0, random_state=4)
    for language in ("en", "es"):
        want = build_corpus(sentences, documents, language, max_df=0.9)
        assert_same_corpus(build_corpus(source, documents, language, max_df=0.9), want)
        got = build_corpus(FrameSource(shuffled, 5), documents, language, max_df=0.9)
        assert_same_corpus(got, want)
    doc_ids = sorted(documents.loc[documents["language"] == "es", "doc_id"])
    pd.testing.assert_frame_equal(
        document_excerpts(source, doc_ids, "es"), document_excerpts(sentences, doc_ids, "es")
    )


def test_models_streaming_sources_refuse_split_documents(demo_tables):
    documents, sentences = demo_tables
    a = sentences[sentences["doc_id"] == "us-demo-20170612"]
    b = sentences[sentences["doc_id"] == "us-demo-20180702"]
    # whole_documents regroups contiguous rows across batches ...
    out = list(whole_documents([a.iloc[:10], a.iloc[10:], b.iloc[:5], b.iloc[5:]]))
    assert [sorted(set(c["doc_id"])) for c in out] == [["us-demo-20170612"], ["us-demo-20180702"]]
    assert [len(c) for c in out] == [46, 46]
    # ... and refuses a document that comes back after another one
    with pytest.raises(ValueError, match="not contiguous"):
        list(whole_documents([a.iloc[:10], b, a.iloc[10:]]))

    class SplitSource:
        def chunks(self, columns):
            yield a.iloc[:20][list(columns)]
            yield a.iloc[20:][list(columns)]

    with pytest.raises(ValueError, match="two chunks"):
        build_corpus(SplitSource(), documents, "en", min_df=1)

    class NoLemmas:
        def chunks(self, columns):
            yield a[["doc_id", "sent_id"]]

    with pytest.raises(ConfigError, match=r"E023.*lemmas"):
        build_corpus(NoLemmas(), documents, "en")
    with pytest.raises(TypeError, match="SentenceSource"):
        build_corpus([a], documents, "en")


# ---------------------------------------------------------------- streamed estimators


@pytest.fixture(scope="module")
def en_corpus(demo_tables):
    documents, sentences = demo_tables
    return build_corpus(sentences, documents, "en", max_df=0.9)


@pytest.mark.parametrize("engine", ["lda", "nmf"])
def test_models_streaming_estimators_keep_the_contract(en_corpus, engine):
    seed_terms = load_seeds().resolve("en", en_corpus.vocabulary)
    if engine == "lda":
        est = LDATopicModel(6, random_state=2, passes=3, iterations=30, stream_chunk=4)
    else:
        est = NMFTopicModel(6, random_state=2, max_iter=100, stream_chunk=4)
    check_topic_model(est, en_corpus)  # includes: two fits with one seed are bit-identical
    seeded = est.set_params(seed_terms=seed_terms).fit(en_corpus)
    assert seeded.topic_labels_ == [th if terms else None for th, terms in seed_terms.items()]
    assert sum(map(bool, seed_terms.values())) >= 4
    if engine == "nmf":
        assert isinstance(seeded.model_, MiniBatchNMF) and seeded.model_.batch_size == 4


def test_models_streaming_lda_stream_equals_in_memory_chunks(en_corpus):
    """Streaming the corpus changes memory, not the online updates: a streamed fit with chunks
    of c documents equals the in-memory fit with chunksize c, bit for bit."""
    kw = dict(random_state=5, passes=3, iterations=30)
    streamed = LDATopicModel(6, stream_chunk=5, **kw).fit(en_corpus)
    listed = LDATopicModel(6, chunksize=5, **kw).fit(en_corpus)
    batch = LDATopicModel(6, **kw).fit(en_corpus)  # 12 documents < chunksize: one update a pass
    assert np.array_equal(streamed.topic_word_, listed.topic_word_)
    assert np.array_equal(streamed.gamma_, listed.gamma_)
    assert not np.allclose(streamed.topic_word_, batch.topic_word_)


# ---------------------------------------------------------------- fit_topics / select_topics


def test_models_streaming_fit_topics_streamed_deterministic_and_recorded(demo_tables, demo_parquet):
    documents, sentences = demo_tables
    cfg = small_config(k=6, stream_above=5, stream_chunk=4, n_boot=100)
    a = fit_topics(sentences, documents, cfg, seed=7)
    b = fit_topics(ParquetSentenceSource(demo_parquet, batch_rows=100), documents, cfg, seed=7)
    for name in TABLES:  # same seed twice (and DataFrame vs Parquet input): identical bytes
        assert table_to_csv_bytes(getattr(a, name)) == table_to_csv_bytes(getattr(b, name)), name
    pd.testing.assert_frame_equal(a.excerpts, b.excerpts)
    assert a.params["stream_above"] == 5
    for lang in ("en", "es"):
        info = a.params["languages"][lang]
        assert info["streamed"] is True and info["stream_chunk"] == 4 and info["n_docs"] == 12
        assert all(m.stream_chunk == 4 for m in a.models[lang])
    sums = a.doc_topics.groupby("doc_id")["weight"].sum()
    assert len(sums) == 24 and np.allclose(sums, 1.0)
    # the seeded themes still lead with their seed terms when streamed
    top = a.seed_ranks.groupby(["language", "topic"])["rank"].min()
    assert (top <= 3).all()


def test_models_streaming_default_threshold_streams_nothing(demo_tables):
    documents, sentences = demo_tables
    res = fit_topics(sentences, documents, small_config(k=6, engine="nmf", n_boot=50), seed=7)
    assert res.params["stream_above"] == 20000
    for lang in ("en", "es"):
        assert res.params["languages"][lang]["streamed"] is False
        assert res.params["languages"][lang]["stream_chunk"] is None
        assert all(type(m.model_) is NMF and m.stream_chunk is None for m in res.models[lang])


def test_models_streaming_selection_uses_streamed_estimators(demo_tables):
    documents, sentences = demo_tables
    cfg = small_config(
        k=6, k_grid=[6], engine="nmf", selection_engines=["nmf"], stream_above=5, stream_chunk=4
    )
    sel = select_topics(FrameSource(sentences, 2), documents, cfg, seed=3)
    assert sel.streamed == {"en": 4, "es": 4}
    res = fit_topics(sentences, documents, cfg, seed=3)
    rows = sel.table.set_index(["language", "seed"])
    for lang in ("en", "es"):
        for m in res.models[lang]:  # the same refits (same seeds, streamed) as fit_topics fits
            assert isinstance(m.model_, MiniBatchNMF)
            got = rows.loc[(lang, m.random_seed_), "exclusivity"]
            assert got == pytest.approx(float(exclusivity(m.topic_word_, 10).mean()), abs=1e-12)
    with pytest.raises(ConfigError, match="stream_chunk"):
        fit_topics(sentences, documents, small_config(stream_chunk=0), seed=3)


# ---------------------------------------------------------------- planted structure

PLANTED = [
    """border wall fence patrol agent checkpoint barrier drone sensor river desert crossing
    smuggler cartel trafficker seizure fentanyl canyon highway truck tunnel ranch sector
    station outpost""",
    """asylum refugee shelter claim hearing judge interview persecution protection lawyer
    petition appeal credible fear sponsor custody family child minor caseworker clinic
    interpreter backlog docket parole""",
    """trade tariff investment factory worker wage export import supply chain growth company
    manufacturing harvest coffee farmer loan credit bank market energy pipeline railway
    tourism remittance""",
]


def planted_tables(n_per_topic: int = 20, seed: int = 0):
    """A generated corpus of 3 x ``n_per_topic`` English documents, each drawing 90% of its
    lemmas from its planted topic's vocabulary and 10% from all three."""
    rng = np.random.default_rng(seed)
    vocabs = [v.split() for v in PLANTED]
    every = [w for v in vocabs for w in v]
    docs, sents, truth = [], [], {}
    for i in range(3 * n_per_topic):
        topic, doc_id = i % 3, f"doc-{i:03d}"
        truth[doc_id] = topic
        docs.append((doc_id, "US", "en", "Biden", "ok"))
        for s in range(4):
            own = rng.random(12) < 0.9
            words = [
                vocabs[topic][rng.integers(len(vocabs[topic]))]
                if o
                else every[rng.integers(len(every))]
                for o in own
            ]
            sents.append((doc_id, s, " ".join(words), " ".join(words)))
    documents = pd.DataFrame(
        docs, columns=["doc_id", "country", "language", "administration", "status"]
    )
    sentences = pd.DataFrame(sents, columns=["doc_id", "sent_id", "text", "lemmas"])
    return documents, sentences, truth


def planted_accuracy(doc_topics: pd.DataFrame, truth: dict[str, int]) -> float:
    """Share of documents whose dominant topic is their planted one (best topic matching)."""
    dominant = doc_topics.loc[doc_topics.groupby("doc_id")["weight"].idxmax()]
    got = dict(zip(dominant["doc_id"], dominant["topic"], strict=True))
    return max(
        np.mean([perm[got[d]] == t for d, t in truth.items()])
        for perm in itertools.permutations(range(3))
    )


@pytest.mark.parametrize("engine", ["lda", "nmf"])
def test_models_streaming_recovers_planted_topics(engine):
    documents, sentences, truth = planted_tables()
    base = dict(k=3, engine=engine, seeded=False, n_seeds=1, n_boot=20, passes=10, iterations=50)
    streamed = fit_topics(
        FrameSource(sentences, 7),
        documents,
        small_config(**base, stream_above=5, stream_chunk=10),
        seed=1,
    )
    in_memory = fit_topics(sentences, documents, small_config(**base), seed=1)
    assert streamed.params["languages"]["en"]["streamed"] is True
    assert in_memory.params["languages"]["en"]["streamed"] is False
    acc_streamed = planted_accuracy(streamed.doc_topics, truth)
    acc_memory = planted_accuracy(in_memory.doc_topics, truth)
    assert acc_memory >= 0.9 and acc_streamed >= 0.9, (acc_memory, acc_streamed)
    # each streamed topic's top 5 terms come from one planted vocabulary, a different one each
    vocab_of = {w: i for i, v in enumerate(PLANTED) for w in v.split()}
    top = streamed.topics[streamed.topics["rank"] <= 5]
    sources = top.groupby("topic")["term"].apply(lambda ws: {vocab_of[w] for w in ws})
    assert sorted(len(s) for s in sources) == [1, 1, 1]
    assert set().union(*sources) == {0, 1, 2}
