"""Preprocessing: lemmas in both languages, sentence splitting, offsets, filtering, determinism."""

from __future__ import annotations

import pandas as pd
import pytest

from framelens.analysis import load_nlp, preprocess
from framelens.analysis.text.preprocess import lemmatize_terms, prepare_text
from framelens.core.config import PreprocessConfig
from framelens.schemas import columns_of


def _docs(*rows):
    return pd.DataFrame(
        [{"doc_id": d, "language": lang, "status": st, "text": t} for d, lang, st, t in rows]
    )


@pytest.mark.parametrize(
    ("lang", "form", "lemma"),
    [
        ("es", "detenidos", "detenido"),
        ("es", "niñas", "niño"),
        ("es", "niños", "niño"),
        ("es", "deportaciones", "deportación"),
        ("es", "Deportaciones", "deportación"),  # sentence-initial capital: lower-case fallback
        ("es", "estaciones", "estación"),  # lemma override (lookup says "estacionar")
        ("es", "migratorias", "migratorio"),
        ("es", "albergues", "albergue"),
        ("es", "albergue", "albergue"),  # singular and plural meet (override)
        ("en", "detained", "detain"),
        ("en", "children", "child"),
        ("en", "removals", "removal"),
        ("en", "Removals", "removal"),
        ("en", "apprehensions", "apprehension"),
        ("en", "US", "us"),  # short all-capital acronym is not lemmatised to "we"
    ],
)
def test_preprocess_lemma_fixture(lang, form, lemma):
    assert lemmatize_terms([form], lang) == [lemma]


def test_preprocess_load_nlp_uses_lookup_table_and_is_cached():
    nlp = load_nlp("es")
    assert nlp is load_nlp("es", PreprocessConfig())
    assert nlp.pipe_names == ["sentencizer", "lemmatizer"]
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    assert len(table) > 100_000  # spacy-lookups-data really loaded
    assert nlp.meta["framelens_pipeline"] == "blank+sentencizer+lookup_lemmatizer"


def test_preprocess_columns_lemmas_and_tokens_aligned():
    docs = _docs(
        ("d1", "es", "ok", "Las niñas fueron detenidas en la estación migratoria. ¿Y los niños?"),
        ("d2", "en", "ok", "Unaccompanied children were detained. Removals rose, didn't they?"),
    )
    s = preprocess(docs)
    assert list(s.columns) == columns_of("sentences")
    assert s["doc_id"].tolist() == ["d1", "d1", "d2", "d2"]
    assert s["sent_id"].tolist() == [0, 1, 0, 1]
    first = s.iloc[0]
    assert first["lemmas"] == "el niño ser detenido en el estación migratorio"
    assert first["tokens"] == "Las niñas fueron detenidas en la estación migratoria"
    # "¿" opens the next sentence instead of closing the previous one
    assert s.iloc[1]["text"] == "¿Y los niños?"
    for row in s.itertuples():
        assert len(row.tokens.split()) == len(row.lemmas.split()) == row.n_tokens
    assert s.iloc[2]["lemmas"] == "unaccompanied child be detain"
    assert "not" in s.iloc[3]["lemmas"].split()  # "n't" -> "not": the negator is kept


def test_preprocess_offsets_point_into_the_original_text():
    text = (
        "SECURING OUR BORDERS\n"
        "Sec. 1. The Secretary shall take all appro-\n"
        "priate action to detain aliens until their\n"
        "removal.\n\n"
        "(a) Establishing a physical wall;\n"
        "(b) Deterring entry."
    )
    docs = _docs(("fr", "en", "ok", text))
    s = preprocess(docs)
    texts = s["text"].tolist()
    assert texts[0] == "SECURING OUR BORDERS"  # heading line is its own sentence
    assert "appropriate action to detain aliens until their removal." in " ".join(texts)
    assert "(a) Establishing a physical wall;" in texts
    assert "(b) Deterring entry." in texts
    for row in s.itertuples():
        src = text[row.start_char : row.end_char]
        # the source span holds the same words (line breaks and hyphenation aside)
        assert src.replace("-\n", "").replace("\n", " ").split() == row.text.split()


def test_preprocess_prepare_text_maps_offsets():
    prepared, prep_pos, orig_pos = prepare_text("A  b\nc-\nd\n\nE")
    assert prepared == "A b cd\nE"
    import numpy as np

    from framelens.analysis.text.preprocess import map_offsets

    got = map_offsets(np.arange(len(prepared)), prep_pos, orig_pos)
    assert "".join("A  b\nc-\nd\n\nE"[i] for i in got if "A  b\nc-\nd\n\nE"[i].strip()) == "AbcdE"


def test_preprocess_filters_status_and_language_and_splits_long_sentences():
    long = " ".join(["palabra"] * 400)  # ~3,200 characters without punctuation
    docs = _docs(
        ("a", "es", "ok", long),
        ("b", "es", "error", "No se lee."),
        ("c", "other", "ok", "Ceci n'est pas traité."),
        ("d", "en", "empty", ""),
    )
    s = preprocess(docs, PreprocessConfig(max_sentence_chars=500))
    assert set(s["doc_id"]) == {"a"}
    assert (s["end_char"] - s["start_char"]).max() <= 500
    assert s["n_tokens"].sum() == 400
    assert preprocess(docs.iloc[1:]).empty


def test_preprocess_is_deterministic_and_leaves_input_alone():
    docs = _docs(("d1", "en", "ok", "Children were detained.\nThey were removed."))
    before = docs.copy(deep=True)
    a = preprocess(docs)
    b = preprocess(docs)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(docs, before)


def test_preprocess_progress_bar_leaves_sentences_unchanged(capsys):
    docs = _docs(
        ("d1", "en", "ok", "Children were detained.\nThey were removed."),
        ("d2", "es", "ok", "Los niños detenidos."),
        ("d3", "en", "ok", "   "),  # nothing to parse: still counted as processed
    )
    quiet = preprocess(docs)
    assert capsys.readouterr().err == ""  # off by default
    shown = preprocess(docs, progress=True)
    pd.testing.assert_frame_equal(quiet, shown)
    assert "3/3" in capsys.readouterr().err


def test_preprocess_real_transcript(shared_corpus):
    path = shared_corpus / "mx" / "mx-presidencia-20190906-conferencia-de-prensa.txt"
    docs = _docs(("mx1", "es", "ok", path.read_text(encoding="utf-8")))
    s = preprocess(docs)
    assert len(s) > 300
    assert s["n_tokens"].sum() > 10_000
    speaker = s[s["text"] == "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR"]
    assert len(speaker) >= 1  # speaker line kept apart from the speech
    text = docs.loc[0, "text"]
    row = s.iloc[5]
    assert text[row.start_char : row.end_char].split() == row.text.split()
