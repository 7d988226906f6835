"""Relevance marks: the versioned term lists and the rule (children implies relevant)."""

from __future__ import annotations

import pandas as pd
import pytest

from framelens.analysis.framing.lexicon import fold
from framelens.analysis.framing.relevance import (
    fold_array,
    load_relevance_terms,
    mark_relevance,
    relevance_versions,
)
from framelens.analysis.text.preprocess import preprocess
from framelens.core.errors import ConfigError

CASES = [
    # language, text, relevant, children
    ("en", "Unaccompanied children arrived at the border.", True, True),
    ("en", "The child tax credit helps families.", False, False),
    ("en", "Children in shelters near the border need care.", True, True),
    ("en", "ICE agents detained two migrants.", True, False),
    ("en", "We had ice cream after the meeting.", False, False),
    ("en", "We made minor changes to the budget.", False, False),
    ("en", "Minors who cross alone are placed with sponsors after the border.", True, True),
    ("en", "Asylum seekers wait in Mexico.", True, False),
    ("es", "Las niñas, niños y adolescentes migrantes no acompañados.", True, True),
    ("es", "Familias que nos acompañan hoy en la mañanera.", False, False),
    ("es", "El deporte es importante para la juventud.", False, False),
    ("es", "Fueron deportados 200 connacionales.", True, False),
    ("es", "El INM atendió a personas extranjeras en la frontera sur.", True, False),
    ("es", "Los menores de edad tienen derecho a la educación.", False, False),
    ("es", "Los menores migrantes fueron canalizados al DIF.", True, True),
    ("es", "La trata de personas es un delito.", True, False),
]


@pytest.fixture(scope="module")
def marked() -> pd.DataFrame:
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i:02d}" for i in range(len(CASES))],
            "language": [c[0] for c in CASES],
            "status": "ok",
            "text": [c[1] for c in CASES],
        }
    )
    sentences = preprocess(docs)
    assert sentences.groupby("doc_id").size().eq(1).all(), "each case must stay one sentence"
    return mark_relevance(sentences, docs).assign(text=[c[1] for c in CASES])


@pytest.mark.parametrize("k", range(len(CASES)))
def test_measurement_relevance_rule(marked, k):
    lang, text, relevant, children = CASES[k]
    row = marked.iloc[k]
    assert (bool(row["relevant"]), bool(row["children"])) == (relevant, children), text


def test_measurement_relevance_children_implies_relevant(marked):
    assert not (marked["children"] & ~marked["relevant"]).any()
    assert set(marked["relevance_version"]) == {relevance_versions()[-1]}


def test_measurement_relevance_terms_versioned():
    assert "1.0.0" in relevance_versions()
    terms = load_relevance_terms("1.0.0")
    assert set(terms["language"]) == {"en", "es"}
    assert set(terms["category"]) == {"relevant", "children", "both"}
    assert set(terms["match"]) == {"lemma", "token", "acronym"}
    # lemma keys are lemmatised and folded: "migraciones" would meet "migracion"
    es = terms[(terms["language"] == "es") & (terms["match"] == "lemma")]
    assert "migracion" in set(es["key"])
    with pytest.raises(ConfigError, match="not found"):
        load_relevance_terms("0.0.1")


def test_measurement_relevance_needs_language():
    s = pd.DataFrame(
        {"doc_id": ["x"], "sent_id": [0], "tokens": ["migrants"], "lemmas": ["migrant"]}
    )
    with pytest.raises(ConfigError, match="needs a language"):
        mark_relevance(s)


def test_measurement_relevance_input_unchanged():
    s = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "sent_id": [0, 1],
            "language": ["en", "en"],
            "tokens": ["Border Patrol agents", "Nothing here"],
            "lemmas": ["border patrol agent", "nothing here"],
        }
    )
    before = s.copy()
    out = mark_relevance(s)
    pd.testing.assert_frame_equal(s, before)
    assert out["relevant"].tolist() == [True, False]


def test_measurement_relevance_fold_matches_lexicon_fold():
    import pyarrow as pa

    texts = ["Niñas Niños MIGRACIÓN", "Ça über São", "estación migratoria"]
    assert fold_array(pa.array(texts)).to_pylist() == [fold(t) for t in texts]
