"""The shipped lexicon against the shared hand-coded sentences (../shared/validation).

Reached with lexicon 2.0.0 (docs/lexicon.md, section 7). The target F1 >= 0.80 per frame and
language is reached for English security only; the other levels asserted here are the ones
reached, not the target, so that a change that lowers them fails.
"""

from __future__ import annotations

import pytest

from framelens.analysis import load_lexicon, split_gold, validate_lexicon
from framelens.schemas import columns_of

# F1 reached by 2.0.0 (rounded down), per (language, frame)
REACHED_ALL = {
    ("en", "humanitarian"): 0.77,
    ("en", "security"): 0.85,
    ("es", "humanitarian"): 0.72,
    ("es", "security"): 0.73,
}
REACHED_HELD_OUT = {
    ("en", "humanitarian"): 0.68,
    ("en", "security"): 0.80,
    ("es", "humanitarian"): 0.68,
    ("es", "security"): 0.62,
}
TARGET = 0.80


@pytest.fixture(scope="module")
def validation(gold_sentences):
    return validate_lexicon(gold_sentences, load_lexicon(), seed=0, n_boot=1000)


def _f1(table, lang, frame):
    return table[(table["language"] == lang) & (table["frame"] == frame)].iloc[0]


def test_validation_gold_f1_reported_with_intervals(validation):
    t = validation.table
    assert list(t.columns) == columns_of("lexicon_validation")
    assert set(t["lexicon_version"]) == {load_lexicon().version}
    print("\n" + validation.summary())
    for (lang, frame), level in REACHED_ALL.items():
        row = _f1(t, lang, frame)
        assert row["n"] == 300
        assert row["f1"] >= level, (lang, frame, row["f1"])
        assert row["f1_low"] <= row["f1"] <= row["f1_high"]
        assert 0.85 <= row["alpha_coders"] <= 1.0  # README: 0.91-0.94 per language and frame
    # the target is met for English security on all sentences (and on the held-out half)
    assert _f1(t, "en", "security")["f1"] >= TARGET
    assert len(validation.misclassified) == int(
        validation.confusion.query("language != 'all'")[["fp", "fn"]].to_numpy().sum()
    )


def test_validation_gold_held_out_half(gold_sentences):
    _, held = split_gold(gold_sentences, 0.5, seed=0)
    v = validate_lexicon(held, load_lexicon(), seed=0, n_boot=200)
    for (lang, frame), level in REACHED_HELD_OUT.items():
        assert _f1(v.table, lang, frame)["f1"] >= level, (lang, frame)
