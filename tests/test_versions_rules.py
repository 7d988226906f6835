"""Rules of ``find_versions`` on small synthetic documents: shingles, blocking by country and
language, representatives, failed documents, parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.core.errors import ConfigError
from framelens.corpus.versions import (
    VERSION_COLUMNS,
    attach_versions,
    exact_jaccard,
    find_versions,
    lsh_bands,
    representatives,
    shingle_hashes,
    version_groups_table,
)
from framelens.schemas import validate

RNG_WORDS = [f"palabra{i}" for i in range(400)]


def _text(seed: int, n: int = 600) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(rng.choice(RNG_WORDS, size=n))


def _edit(text: str, every: int, seed: int) -> str:
    """``text`` with one word in ``every`` replaced (a reform touches few places)."""
    words = text.split()
    for i in range(seed % every, len(words), every):
        words[i] = f"reformado{i}"
    return " ".join(words)


def _docs(rows: list[dict]) -> pd.DataFrame:
    base = {"country": "MX", "language": "es", "date": None, "status": "ok"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["n_chars"] = frame["text"].str.len()
    return frame


def test_shingles_ignore_case_and_spacing_but_not_order():
    a = shingle_hashes("La Ley  dice\nesto y aquello", 3)
    assert np.array_equal(a, shingle_hashes("la ley dice esto y aquello", 3))
    assert not np.array_equal(a, shingle_hashes("ley la dice esto y aquello", 3))
    assert a.dtype == np.uint64 and np.all(np.diff(a.astype(np.float64)) > 0)
    assert len(shingle_hashes("dos palabras", 3)) == 0
    assert exact_jaccard(a, a) == 1.0
    assert exact_jaccard(a, np.empty(0, np.uint64)) == 0.0


def test_lsh_bands_keep_the_miss_chance_small():
    for threshold in (0.5, 0.7, 0.8, 0.9, 0.95):
        bands, rows, p_miss = lsh_bands(threshold, 128)
        assert bands * rows <= 128 and bands >= 2
        assert p_miss <= 1e-6
        assert p_miss == pytest.approx((1 - threshold**rows) ** bands)


def test_versions_group_transitively_and_others_stay_alone():
    v1 = _text(1)
    v2 = _edit(v1, 100, 1)
    v3 = _edit(v2, 100, 50)  # v1 ~ v2 (0.88), v2 ~ v3 (0.87), v1 and v3 below 0.8 (0.77)
    assert exact_jaccard(shingle_hashes(v1), shingle_hashes(v3)) < 0.8
    docs = _docs(
        [
            {"doc_id": "law-v1", "text": v1, "date": "2019-01-01"},
            {"doc_id": "law-v2", "text": v2, "date": "2021-01-01"},
            {"doc_id": "law-v3", "text": v3, "date": "2023-01-01"},
            {"doc_id": "other", "text": _text(2)},
        ]
    )
    out = validate(find_versions(docs, seed=3), "versions")
    assert out["version_group"].tolist() == ["law-v1", "law-v1", "law-v1", "other"]
    assert out["group_size"].tolist() == [3, 3, 3, 1]
    assert out["is_representative"].tolist() == [False, False, True, True]
    assert np.isnan(out["similarity_to_group"].iloc[3])
    assert (out["similarity_to_group"].iloc[:3] >= 0.8).all()


def test_only_same_country_and_language_group():
    text = _text(5)
    docs = _docs(
        [
            {"doc_id": "a", "text": text},
            {"doc_id": "b", "text": text, "country": "US"},
            {"doc_id": "c", "text": text, "language": "en"},
            {"doc_id": "d", "text": text},
        ]
    )
    out = find_versions(docs)
    assert out["version_group"].tolist() == ["a", "b", "c", "a"]


def test_failed_and_empty_documents_stay_alone():
    text = _text(6)
    docs = _docs(
        [
            {"doc_id": "a", "text": text},
            {"doc_id": "b", "text": text, "status": "error"},
            {"doc_id": "c", "text": ""},
            {"doc_id": "d", "text": "too short"},
        ]
    )
    out = find_versions(docs)
    assert out["group_size"].tolist() == [1, 1, 1, 1]
    assert out["is_representative"].all()
    assert out.attrs["versions"]["n_compared"] == 1  # only a: d has no 7-word shingle


@pytest.mark.parametrize(
    ("keep", "expected"),
    [("latest", "new"), ("earliest", "old"), ("longest", "long")],
)
def test_keep_rule_chooses_the_representative(keep, expected):
    text = _text(7)
    docs = _docs(
        [
            {"doc_id": "old", "text": text, "date": "2010-05-05"},
            {"doc_id": "new", "text": _edit(text, 80, 3), "date": "2020-05-05"},
            {"doc_id": "long", "text": text + " anexo" * 40, "date": "2015-05-05"},
            {"doc_id": "undated", "text": _edit(text, 90, 5)},
        ]
    )
    out = find_versions(docs, keep=keep)
    assert out["group_size"].eq(4).all()
    assert out.loc[out["is_representative"], "doc_id"].tolist() == [expected]
    table = version_groups_table(docs, out)
    assert table["representative"].unique().tolist() == [expected]
    assert table["doc_id"].tolist()[-1] == "undated"  # undated members sort last
    assert representatives(docs, out)["doc_id"].tolist() == [expected]


def test_threshold_and_shingle_change_the_decision():
    a = _text(8)
    b = _edit(a, 12, 4)  # about 1 word in 12 changed: 7-word shingles overlap about 0.4
    docs = _docs([{"doc_id": "a", "text": a}, {"doc_id": "b", "text": b}])
    sim = exact_jaccard(shingle_hashes(a), shingle_hashes(b))
    assert 0.2 < sim < 0.8
    assert find_versions(docs)["group_size"].eq(1).all()
    assert find_versions(docs, threshold=sim - 0.01)["group_size"].eq(2).all()
    assert find_versions(docs, threshold=sim + 0.01)["group_size"].eq(1).all()
    assert find_versions(docs, shingle=2, threshold=0.7)["group_size"].eq(2).all()


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 0.0}, {"threshold": 1.5}, {"shingle": 0}, {"keep": "newest"}, {"num_perm": 4}],
)
def test_bad_parameters_are_config_errors(kwargs):
    docs = _docs([{"doc_id": "a", "text": _text(9)}])
    with pytest.raises(ConfigError, match=r"\[E003\].*versions\."):
        find_versions(docs, **kwargs)


def test_attach_versions_adds_the_columns_and_representatives_reads_them():
    text = _text(10)
    docs = _docs(
        [
            {"doc_id": "b-new", "text": _edit(text, 100, 2), "date": "2022-01-01"},
            {"doc_id": "a-old", "text": text, "date": "2020-01-01"},
            {"doc_id": "c", "text": _text(11)},
        ]
    )
    docs.attrs["corpus_root"] = "/x"
    versions = find_versions(docs)
    merged = attach_versions(docs, versions)
    assert merged["doc_id"].tolist() == docs["doc_id"].tolist()  # row order kept
    assert list(merged.columns[-4:]) == list(VERSION_COLUMNS)
    assert merged["version_group"].tolist() == ["a-old", "a-old", "c"]
    assert merged.attrs["corpus_root"] == "/x" and merged.attrs["versions"]["n_groups"] == 1
    assert [p["doc_a"] for p in merged.attrs["version_pairs"]] == ["a-old"]
    assert representatives(merged)["doc_id"].tolist() == ["b-new", "c"]
    assert attach_versions(merged, versions).equals(merged)  # idempotent
    table = version_groups_table(merged, versions)
    assert table["doc_id"].tolist() == ["a-old", "b-new"]
