"""Frame scoring: matching rules, negation, context rules, KWIC, document scores, co-occurrence."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from framelens.analysis import build_lexicon, load_lexicon, preprocess, score_frames
from framelens.core.config import LexiconConfig
from framelens.core.errors import ConfigError
from framelens.core.io import table_to_csv_bytes
from framelens.schemas import columns_of


def _terms(rows):
    return pd.DataFrame(rows, columns=["term", "frame", "subframe", "match", "requires"])


@pytest.fixture(scope="module")
def toy():
    """A small lexicon that exercises every rule (independent of the shipped terms)."""
    en = _terms(
        [
            ["children", "humanitarian", "child_protection", "lemma", ""],
            ["unaccompanied alien children", "humanitarian", "child_protection", "phrase", ""],
            ["alien", "security", "enforcement_detention", "lemma", ""],
            ["detain", "security", "enforcement_detention", "lemma", ""],
            ["border security", "security", "border_control_deterrence", "phrase", ""],
            ["security", "cooperation", "agreements", "lemma", ""],  # only to test overlap
            ["cartels", "security", "crime_threat", "lemma", "migration"],
            ["Customs and Border Protection", "none", "name", "phrase", ""],
            ["protection", "humanitarian", "rights_due_process", "lemma", ""],
        ]
    )
    es = _terms(
        [
            ["estación migratoria", "security", "enforcement_detention", "phrase", ""],
            ["niñas", "humanitarian", "child_protection", "lemma", ""],
            ["detención", "security", "enforcement_detention", "lemma", ""],
        ]
    )
    ctx = pd.DataFrame(
        [["en", "migration", "border"], ["en", "migration", "migrants"]],
        columns=["language", "context", "term"],
    )
    return build_lexicon(
        {"en": en, "es": es},
        contexts=ctx,
        negators={"en": ["not", "never", "no"], "es": ["no", "sin", "nunca"]},
        version="0.0.test",
    )


def _score(texts, lexicon, config=None, lang="en"):
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "language": lang,
            "status": "ok",
            "text": texts,
            "country": "US" if lang == "en" else "MX",
            "administration": "Biden",
            "date": "2021-03-25",
            "issuer": "White House",
            "doc_type": "remarks",
        }
    )
    sents = preprocess(docs)
    return sents, score_frames(sents, lexicon, docs, config)


def test_scoring_lemmas_phrases_and_longest_match(toy):
    _, fs = _score(["Unaccompanied alien children and other children were detained."], toy)
    m = fs.matches
    # the three-word phrase wins over "alien" and "children" inside it; the later "children"
    # is a hit of its own; "detained" meets the lemma "detain"
    assert m["term"].tolist() == ["unaccompanied alien children", "children", "detain"]
    assert m["matched"].tolist() == ["Unaccompanied alien children", "children", "detained"]
    sf = fs.sentence_frames.iloc[0]
    assert (sf["hits_humanitarian"], sf["hits_security"]) == (2, 1)
    assert sf["subframes"] == "child_protection:2;enforcement_detention:1"


def test_scoring_overlapping_terms_count_once(toy):
    # "border security" (security) overlaps "security" (cooperation): one hit, the longer one
    _, fs = _score(["Border security matters."], toy)
    assert fs.matches["term"].tolist() == ["border security"]
    row = fs.frame_scores.iloc[0]
    assert (row["hits_security"], row["hits_cooperation"]) == (1, 0)


def test_scoring_blocker_names_consume_their_tokens(toy):
    _, fs = _score(["Customs and Border Protection gave protection to children."], toy)
    assert fs.matches["term"].tolist() == ["protection", "children"]
    assert fs.matches["start_char"].tolist()[0] > 25  # not the "Protection" of the agency name


def test_scoring_negation_recorded_and_counted_per_config(toy):
    texts = ["We will not detain children.", "We detain no one."]
    _, fs = _score(texts, toy)
    m = fs.matches.set_index(["doc_id", "term"])
    assert bool(m.loc[("d0", "detain"), "negated"]) is True
    # the rule is a window, not syntax: "not" is also within 3 tokens of "children"
    assert bool(m.loc[("d0", "children"), "negated"]) is True
    assert bool(m.loc[("d1", "detain"), "negated"]) is False  # negator after the hit
    assert fs.sentence_frames["negated_security"].tolist() == [1, 0]
    # default: a negated frame is still evoked (codebook) and counts
    assert fs.frame_scores["hits_security"].tolist() == [1, 1]
    _, fs2 = _score(texts, toy, LexiconConfig(count_negated=False))
    assert fs2.frame_scores["hits_security"].tolist() == [0, 1]
    assert fs2.sentence_frames["negated_security"].tolist() == [1, 0]
    _, fs3 = _score(texts, toy, LexiconConfig(negation_window=0))
    assert not fs3.matches["negated"].any()


def test_scoring_negation_window_in_spanish(toy):
    _, fs = _score(
        ["Las niñas no estarán en la estación migratoria.", "Sin detención de niñas."],
        toy,
        lang="es",
    )
    m = fs.matches
    assert m.loc[m["term"] == "estación migratoria", "negated"].tolist() == [False]  # 3 tokens back
    assert m.loc[m["term"] == "detención", "negated"].tolist() == [True]


def test_scoring_context_rule_requires_migration_term(toy):
    _, fs = _score(
        ["Cartels traffic fentanyl.", "Cartels smuggle migrants across the border."], toy
    )
    # codebook 1.1: crime language is security only when tied to migration or the border
    assert fs.frame_scores["hits_security"].tolist() == [0, 1]


def test_scoring_accents_folded_and_case_ignored(toy):
    _, fs = _score(["La ESTACION MIGRATORIA y la detencion."], toy, lang="es")
    assert fs.matches["term"].tolist() == ["estación migratoria", "detención"]


def test_scoring_kwic_offsets_point_into_sentence_text(toy):
    sents, fs = _score(
        ["First sentence. Children (unaccompanied alien children) were detained, children said."],
        toy,
    )
    text = dict(
        zip(zip(sents["doc_id"], sents["sent_id"], strict=False), sents["text"], strict=False)
    )
    for r in fs.matches.itertuples():
        t = text[(r.doc_id, r.sent_id)]
        assert t[r.start_char : r.end_char] == r.matched
        assert t.startswith(r.left) or r.left in t
    last = fs.matches.iloc[-1]
    assert (last["matched"], last["right"]) == ("children", "said.")
    assert last["left"] == "Children (unaccompanied alien children) were detained,"
    assert list(fs.matches.columns) == columns_of("matches")


def test_scoring_document_scores_rates_index_and_metadata(toy):
    sents, fs = _score(
        ["Children were detained. Children.", "Nothing here at all.", "Detain the alien."], toy
    )
    fsc = fs.frame_scores
    assert list(fsc.columns) == columns_of("frame_scores")
    d0 = fsc.iloc[0]
    assert d0["n_tokens"] == 4 and d0["n_sentences"] == 2
    assert (d0["hits_humanitarian"], d0["hits_security"]) == (2, 1)
    assert d0["rate_humanitarian"] == pytest.approx(2 * 1000 / 4)
    assert d0["framing_index"] == pytest.approx((2 - 1) / (2 + 1))
    assert d0["framing_n"] == 3
    assert math.isnan(fsc.iloc[1]["framing_index"]) and fsc.iloc[1]["framing_n"] == 0
    assert fsc.iloc[2]["framing_index"] == -1.0
    assert set(fsc["country"]) == {"US"} and set(fsc["administration"]) == {"Biden"}
    assert set(fs.sentence_frames["lexicon_version"]) == {"0.0.test"}
    assert set(fsc["lexicon_version"]) == {"0.0.test"}


def test_scoring_cooccurrence_shares(toy):
    # sentence 1: H=1 S=1; sentence 2: H=2 S=0; sentence 3: H=0 S=1
    _, fs = _score(["Children were detained. Children and children. Detain."], toy)
    co = fs.cooccurrence.iloc[0]
    assert (co["hum_hits"], co["sec_hits"], co["n_sentences_both"]) == (3, 2, 1)
    assert co["hum_in_sec_share"] == pytest.approx(1 / 3)
    assert co["sec_in_hum_share"] == pytest.approx(1 / 2)
    assert list(fs.cooccurrence.columns) == columns_of("cooccurrence")
    tables = fs.tables()
    assert list(tables) == ["sentence_frames", "frame_scores", "matches", "cooccurrence"]
    assert all(list(t.columns) == columns_of(name) for name, t in tables.items())


def test_scoring_needs_a_language(toy):
    sents = preprocess(
        pd.DataFrame({"doc_id": ["a"], "language": ["en"], "status": ["ok"], "text": ["Children."]})
    )
    with pytest.raises(ConfigError, match="language"):
        score_frames(sents, toy)
    fs = score_frames(sents.assign(language="en"), toy)  # a language column is enough
    assert fs.frame_scores["hits_humanitarian"].tolist() == [1]


def test_scoring_byte_identical_on_rerun_and_input_unchanged(shared_corpus):
    path = (
        shared_corpus / "us" / "us-wh-20210325-remarks-by-president-biden-in-press-conference.txt"
    )
    docs = pd.DataFrame(
        {
            "doc_id": ["us1"],
            "language": ["en"],
            "status": ["ok"],
            "text": [path.read_text(encoding="utf-8")],
        }
    )
    lex = load_lexicon()
    s1 = preprocess(docs)
    before = s1.copy(deep=True)
    a = score_frames(s1, lex, docs)
    b = score_frames(preprocess(docs), lex, docs)
    pd.testing.assert_frame_equal(s1, before)
    for name in ("sentence_frames", "frame_scores", "matches", "cooccurrence"):
        assert table_to_csv_bytes(getattr(a, name)) == table_to_csv_bytes(getattr(b, name)), name


def _doc_sentences(path, lang, doc_id):
    text = path.read_text(encoding="utf-8")
    docs = pd.DataFrame({"doc_id": [doc_id], "language": [lang], "status": ["ok"], "text": [text]})
    sents = preprocess(docs)
    # the sentences below were read with 3.0.0 (4.0.0 asks a protection word of child phrases)
    fs = score_frames(sents, load_lexicon("3.0.0"), docs)
    return sents.merge(fs.sentence_frames, on=["doc_id", "sent_id"]), fs


def _row(table, needle):
    rows = table[table["text"].str.contains(needle, regex=False)]
    assert len(rows) >= 1, needle
    return rows.iloc[0]


def test_scoring_real_us_transcript_known_sentences(shared_corpus):
    path = (
        shared_corpus / "us" / "us-wh-20210325-remarks-by-president-biden-in-press-conference.txt"
    )
    t, fs = _doc_sentences(path, "en", "us-biden-20210325")
    assert _row(t, "when it comes to unaccompanied minors")["hits_humanitarian"] >= 1
    assert _row(t, "with Title 42")["hits_security"] >= 1
    both = _row(t, "who are unaccompanied children, we’re moving rapidly")
    assert (
        both["hits_humanitarian"] >= 1 and both["hits_security"] >= 1
    )  # "coming across the border"
    assert fs.frame_scores.iloc[0]["hits_humanitarian"] > fs.frame_scores.iloc[0]["hits_security"]


def test_scoring_real_mx_transcript_known_sentences(shared_corpus):
    path = shared_corpus / "mx" / "mx-presidencia-20190906-conferencia-de-prensa.txt"
    t, _ = _doc_sentences(path, "es", "mx-amlo-20190906")
    assert (
        _row(t, "reducción del flujo migratorio del orden del 56 por ciento")["hits_security"] >= 1
    )
    assert _row(t, "25 mil 451 elementos de la Guardia Nacional")["hits_security"] >= 1
    assert _row(t, "ampliar el programa Sembrando Vida")["hits_humanitarian"] >= 1
