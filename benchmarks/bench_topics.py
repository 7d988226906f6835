"""Topic-model fitting speed: seconds per 1,000 documents for gensim LDA and scikit-learn NMF.

Documents are derived from ../shared/corpus (or $FRAMELENS_SHARED/corpus): the .txt and .html
files of both countries are read and lemmatised with spacy.blank + lookup lemmatizer (the test
helper tests/_topic_fixtures.py), then cut into segments of ``SEGMENT`` sentences so that the
model sees many documents of realistic length. Each engine is fitted once per language with the
default hyperparameters of ``TopicsConfig`` (quick: 3 passes, fewer documents), seeded themes
on, one refit. Prints a JSON record with the machine, versions and timings.

    python benchmarks/bench_topics.py           # full
    python benchmarks/bench_topics.py --quick   # a minute or less
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

SEGMENT = 30  # sentences per pseudo-document


def _corpus_dir() -> Path:
    env = os.environ.get("FRAMELENS_SHARED")
    return (Path(env) if env else REPO.parent / "shared") / "corpus"


def _segment(documents: pd.DataFrame, sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    sents = sentences.copy()
    sents["segment"] = sents.groupby("doc_id").cumcount() // SEGMENT
    sents["doc_id"] = sents["doc_id"] + "#" + sents["segment"].astype(str).str.zfill(4)
    meta = documents.set_index("doc_id")
    seg_docs = (
        sents[["doc_id"]]
        .drop_duplicates()
        .assign(source=lambda d: d["doc_id"].str.split("#").str[0])
    )
    seg_docs = seg_docs.join(meta.drop(columns=["text"], errors="ignore"), on="source")
    return seg_docs.drop(columns="source").reset_index(drop=True), sents.drop(columns="segment")


def measure(quick: bool = True) -> dict:
    """Fit LDA and NMF per language and return seconds per 1,000 documents (and details)."""
    from _topic_fixtures import TOPIC_DOCS, build_tables
    from framelens.core.config import TopicsConfig
    from framelens.models import load_seeds
    from framelens.models.refits import make_model, prepare_corpus

    corpus_dir = _corpus_dir()
    if quick:
        docs = [d for d in TOPIC_DOCS if "-fr-" not in d[1] and "diputados" not in d[1]][:20]
        max_chars = 30_000
    else:
        docs = []
        for folder in ("us", "mx"):
            m = pd.read_csv(corpus_dir / folder / "manifest.csv", dtype=str)
            docs += [(folder, d) for d in m.loc[m["format"] != "pdf", "doc_id"]]
        max_chars = 200_000
    t0 = time.perf_counter()
    documents, sentences = build_tables(corpus_dir, docs, max_chars=max_chars)
    prep_s = time.perf_counter() - t0
    documents, sentences = _segment(documents, sentences)
    config = TopicsConfig(k=8, passes=3 if quick else 10)
    seeds = load_seeds()
    record: dict = {
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "segment_sentences": SEGMENT,
        "source_documents": len(docs),
        "preprocess_s": round(prep_s, 2),
        "languages": {},
    }
    import gensim
    import sklearn

    record["versions"] = {"gensim": gensim.__version__, "scikit-learn": sklearn.__version__}
    for lang in ("en", "es"):
        corpus, seed_terms = prepare_corpus(sentences, documents, lang, config, seeds)
        entry = {
            "n_docs": corpus.n_docs,
            "n_terms": corpus.n_terms,
            "n_tokens": int(corpus.dtm.sum()),
        }
        for engine in ("lda", "nmf"):
            model = make_model(engine, config.k, 1, config, seed_terms)
            t = time.perf_counter()
            model.fit(corpus)
            secs = time.perf_counter() - t
            entry[engine] = {
                "fit_s": round(secs, 3),
                "s_per_1000_docs": round(secs / corpus.n_docs * 1000, 3),
            }
        record["languages"][lang] = entry
    return record


if __name__ == "__main__":
    result = measure(quick="--quick" in sys.argv)
    print(json.dumps(result, indent=2))
    for lang, e in result["languages"].items():
        print(
            f"{lang}: {e['n_docs']} documents; LDA {e['lda']['s_per_1000_docs']:.2f} s/1000 docs, "
            f"NMF {e['nmf']['s_per_1000_docs']:.2f} s/1000 docs"
        )
