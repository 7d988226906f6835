"""The framing lexicon as package data: versions, frames, subframes, lemmatised terms."""

from __future__ import annotations

import pytest

from framelens.analysis import available_versions, load_lexicon
from framelens.analysis.framing.lexicon import FRAMING_DIR, fold
from framelens.core.domain import FRAMES
from framelens.core.errors import ConfigError

REQUIRED_SUBFRAMES = {
    "humanitarian": {
        "child_protection",
        "rights_due_process",
        "asylum_refuge",
        "family_unity",
        "care_services",
        "dignity_vulnerability",
        "humanitarian_aid",
    },
    "security": {
        "enforcement_detention",
        "removal_deportation",
        "border_control_deterrence",
        "externalization",
        "crime_threat",
        "sovereignty_national_security",
    },
}


def test_lexicon_versions_are_semver_and_latest_is_highest():
    versions = available_versions()
    assert versions[0] == "1.0.0"
    lex = load_lexicon()
    assert lex.version == versions[-1]
    assert load_lexicon(versions[-1]) is lex  # cached
    for v in versions:
        folder = FRAMING_DIR / v
        for name in (
            "en.csv",
            "es.csv",
            "context.csv",
            "lexicon.yaml",
            "README.md",
            "CHANGELOG.md",
        ):
            assert (folder / name).exists(), f"{v}/{name}"


def test_lexicon_unknown_version_names_the_available_ones():
    with pytest.raises(ConfigError, match="E009|not found") as exc:
        load_lexicon("0.0.1")
    assert "1.0.0" in str(exc.value)


def test_lexicon_frames_subframes_and_terms():
    lex = load_lexicon()
    t = lex.terms
    assert set(t["frame"]) == set(FRAMES) | {"none"}
    for frame, subs in REQUIRED_SUBFRAMES.items():
        for lang in ("en", "es"):
            have = set(t.loc[(t["frame"] == frame) & (t["language"] == lang), "subframe"])
            assert subs <= have, (frame, lang, subs - have)
    keys = set(zip(t["language"], t["key"], strict=False))
    # official vocabulary of both countries, written naturally and matched as lemmas
    for lang, term in [
        ("en", "unaccompanied alien child"),
        ("en", "well interest of the child"),  # "best interests of the child" as lemmatised
        ("en", "remain in mexico"),
        ("en", "illegal alien"),
        ("es", "nino nino y adolescente migrante no acompanar"),
        ("es", "interes superior de el ninez"),
        ("es", "estacion migratorio"),
        ("es", "aseguramiento"),
        ("es", "quedate en mexico"),
        ("es", "guardia nacional"),
    ]:
        assert (lang, term) in keys, term
    # match types agree with the lemmatised length
    n = t["key"].str.split().str.len()
    assert (n[t["match"] == "lemma"] == 1).all()
    assert (n[t["match"] == "phrase"] >= 2).all()
    # every requires names a context set of its language
    for lang in ("en", "es"):
        known = set(lex.contexts.loc[lex.contexts["language"] == lang, "context"])
        named = {x for r in t.loc[t["language"] == lang, "requires"] for x in r.split("|") if x}
        assert named <= known


def test_lexicon_negators_and_folding():
    lex = load_lexicon()
    assert {"no", "not", "never", "without"} <= set(lex.negators["en"])
    assert {"no", "sin", "nunca", "jamas", "tampoco", "ni"} <= set(lex.negators["es"])
    assert fold("Migración Niñas Pingüino") == "migracion ninas pinguino"
    assert lex.describe()["fold_accents"] is True
