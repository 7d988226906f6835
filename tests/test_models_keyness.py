"""Keyness (G², log ratio) on a small synthetic corpus with a planted term."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framelens.analysis.stats.keyness import g2_statistic, keyness
from framelens.schemas import validate

BACKGROUND = "migrant policy government office report program country people"


def _corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    docs, sents = [], []
    plan = [
        ("d1", "Trump I"),
        ("d2", "Trump I"),
        ("d3", "Biden"),
        ("d4", "Biden"),
        ("d5", "Trump II"),
        ("d6", "unknown"),
    ]
    for doc_id, adm in plan:
        docs.append(
            {
                "doc_id": doc_id,
                "country": "US",
                "language": "en",
                "administration": adm,
                "status": "ok",
            }
        )
        lemmas = [BACKGROUND] * 5
        if adm == "Trump I":
            lemmas.append("wall " * 10)  # planted: 20 occurrences in Trump I only
        if adm == "unknown":
            lemmas.append("wall " * 50)  # must not count: unknown is excluded
        for i, lem in enumerate(lemmas):
            sents.append({"doc_id": doc_id, "sent_id": i, "lemmas": lem.strip()})
    return pd.DataFrame(docs), pd.DataFrame(sents)


def test_models_keyness_planted_term_ranks_first():
    documents, sentences = _corpus()
    table = keyness(sentences, documents, min_freq=5)
    validate(table, "keyness")
    trump = table[(table["group"] == "Trump I") & (table["direction"] == "over")]
    top = trump.iloc[0]
    assert top["term"] == "wall" and top["rank"] == 1
    assert top["reference"] == "Biden + Trump II"
    assert top["freq_group"] == 20 and top["freq_reference"] == 0
    # hand computation: group has 2 docs x 5 x 8 background + 20 = 100 tokens, reference 3 x 40
    c, d = 100.0, 120.0
    e1 = c * 20 / (c + d)
    assert top["g2"] == pytest.approx(2 * 20 * math.log(20 / e1))
    assert top["effect"] == pytest.approx(math.log2((20 / c) / (0.5 / d)))
    assert top["p_value"] < 1e-6
    biden = table[(table["group"] == "Biden") & (table["term"] == "wall")].iloc[0]
    assert biden["direction"] == "under" and biden["rank"] == 1
    assert biden["reference"] == "Trump I + Trump II"
    assert "unknown" not in set(table["group"])


def test_models_keyness_deterministic_and_input_unchanged():
    documents, sentences = _corpus()
    copy = sentences.copy()
    a = keyness(sentences, documents)
    b = keyness(sentences.sample(frac=1.0, random_state=0), documents.iloc[::-1])
    assert a.equals(b)
    assert sentences.equals(copy)
    assert list(a["group"].drop_duplicates()) == ["Trump I", "Biden", "Trump II"]


def test_models_keyness_g2_zero_when_proportional():
    assert g2_statistic([10], [20], 100.0, 200.0)[0] == pytest.approx(0.0)
