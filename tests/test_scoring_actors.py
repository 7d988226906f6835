"""Actors: bilingual aliases, case-sensitive acronyms, frames of the sentence, metadata."""

from __future__ import annotations

import pandas as pd

from framelens.analysis import find_actors, load_actors, load_lexicon, preprocess, score_frames
from framelens.schemas import columns_of

REQUIRED = {
    "INM",
    "COMAR",
    "SNDIF",
    "SIPINNA",
    "CNDH",
    "SRE",
    "GUARDIA_NACIONAL",
    "SEGOB",
    "PFPNNA",
    "DHS",
    "CBP",
    "ICE",
    "HHS",
    "ORR",
    "USCIS",
    "DOS",
    "DOJ",
    "EOIR",
    "UNHCR",
    "UNICEF",
    "IOM",
}


def test_scoring_actors_table_covers_both_countries():
    a = load_actors()
    assert REQUIRED <= set(a["actor"])
    assert set(a["actor_country"]) == {"US", "MX", "INTL"}
    assert a.attrs["version"] == "1.0.0"


def test_scoring_actors_found_with_sentence_frames_and_metadata():
    docs = pd.DataFrame(
        {
            "doc_id": ["us", "mx"],
            "language": ["en", "es"],
            "status": ["ok", "ok"],
            "text": [
                "ICE agents detained migrants at the border. The ice melted. "
                "The Office of Refugee Resettlement (ORR) provides care to unaccompanied children.",
                "El Instituto Nacional de Migración y la Guardia Nacional detuvieron a migrantes. "
                "La COMAR y el ACNUR atienden a solicitantes de asilo. Son dos.",
            ],
            "country": ["US", "MX"],
            "administration": ["Trump I", "López Obrador"],
            "date": ["2019-06-01", "2019-06-02"],
            "issuer": ["DHS", "SRE"],
            "doc_type": ["press", "press"],
        }
    )
    sents = preprocess(docs)
    fs = score_frames(sents, load_lexicon(), docs)
    act = find_actors(sents, fs.sentence_frames, docs)
    assert list(act.columns) == columns_of("actors")
    got = {(r.doc_id, r.sent_id, r.actor) for r in act.itertuples()}
    assert got == {
        ("mx", 0, "GUARDIA_NACIONAL"),
        ("mx", 0, "INM"),
        ("mx", 1, "COMAR"),
        ("mx", 1, "UNHCR"),
        ("us", 0, "ICE"),
        ("us", 2, "ORR"),  # name and acronym in one sentence: reported once
    }  # "ice" (lower case) is not ICE; Spanish "dos" is not the State Department
    ice = act[act["actor"] == "ICE"].iloc[0]
    assert (
        bool(ice["security"])
        and ice["actor_country"] == "US"
        and ice["administration"] == "Trump I"
    )
    orr = act[act["actor"] == "ORR"].iloc[0]
    assert bool(orr["humanitarian"]) and not bool(orr["security"])
    assert act[act["doc_id"] == "mx"]["country"].unique().tolist() == ["MX"]
