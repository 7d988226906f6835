"""Lexicon 3.0.0 (and 2.0.0) against the shared hand-coded sentences (../shared/validation).

The levels asserted are the ones reached (rounded down), not the target, so that a change that
lowers them fails. They were re-measured on gold_sentences.csv as it is now (979 sentences:
round 4 added Spanish migration-control and English children/asylum sentences, on which 3.0.0
does worse than on the 600 it was tuned on: English humanitarian 0.70, Spanish security 0.73 on
all sentences; in grouped cross-validation 0.64 and 0.72). Counts are derived from the file.
The version is named explicitly: the default ("latest") may move on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis import load_lexicon, preprocess, split_gold, validate_lexicon
from framelens.analysis.framing.lexicon import available_versions, fold
from framelens.analysis.framing.validation import predict_gold
from framelens.schemas import columns_of

VERSION = "3.0.0"
# F1 reached by 3.0.0 on all 979 sentences (rounded down), per (language, frame)
REACHED_ALL = {
    ("en", "humanitarian"): 0.69,
    ("en", "security"): 0.84,
    ("es", "humanitarian"): 0.79,
    ("es", "security"): 0.73,
}
# mean out-of-fold F1 of grouped 5-fold cross-validation by document (seed 0), rounded down
REACHED_CV = {
    ("en", "humanitarian"): 0.64,
    ("en", "security"): 0.84,
    ("es", "humanitarian"): 0.76,
    ("es", "security"): 0.72,
}
# F1 on the held-out half of documents (split_gold seed 0), rounded down
REACHED_HELD = {
    ("en", "humanitarian"): 0.64,
    ("en", "security"): 0.85,
    ("es", "humanitarian"): 0.80,
    ("es", "security"): 0.75,
}
# 2.0.0 stays shipped and reproducible (all 979 sentences)
REACHED_ALL_2_0_0 = {
    ("en", "humanitarian"): 0.68,
    ("en", "security"): 0.82,
    ("es", "humanitarian"): 0.74,
    ("es", "security"): 0.67,
}


@pytest.fixture(scope="module")
def validation(gold_sentences):
    return validate_lexicon(gold_sentences, load_lexicon(VERSION), seed=0, n_boot=1000)


def _f1(table, lang, frame):
    return table[(table["language"] == lang) & (table["frame"] == frame)].iloc[0]


def _grouped_cv_f1(pred: pd.DataFrame, k: int = 5, seed: int = 0) -> dict:
    """Mean out-of-fold F1 per (language, frame), folds = documents shuffled within language."""
    rng = np.random.default_rng(seed)
    fold_of = {}
    for lang in sorted(pred["language"].unique()):
        docs = np.array(sorted(pred.loc[pred["language"] == lang, "doc_id"].unique()))
        for j, i in enumerate(rng.permutation(len(docs))):
            fold_of[docs[i]] = j % k
    folds = pred["doc_id"].map(fold_of)
    out = {}
    for lang in ("en", "es"):
        for frame in ("humanitarian", "security"):
            f1s = []
            for j in range(k):
                d = pred[(pred["language"] == lang) & (folds == j)]
                y, yh = d[f"gold_{frame}"], d[f"pred_{frame}"]
                tp = int(((y == 1) & (yh == 1)).sum())
                fp = int(((y == 0) & (yh == 1)).sum())
                fn = int(((y == 1) & (yh == 0)).sum())
                f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
            out[(lang, frame)] = float(np.mean(f1s))
    return out


def test_validation_gold_f1_reported_with_intervals(validation, gold_sentences):
    t = validation.table
    assert list(t.columns) == columns_of("lexicon_validation")
    assert set(t["lexicon_version"]) == {VERSION}
    print("\n" + validation.summary())
    n_per_language = pd.read_csv(gold_sentences)["language"].value_counts()
    for (lang, frame), level in REACHED_ALL.items():
        row = _f1(t, lang, frame)
        assert row["n"] == n_per_language[lang]
        assert row["f1"] >= level, (lang, frame, row["f1"])
        assert row["f1_ci_low"] <= row["f1"] <= row["f1_ci_high"]
        assert 0.85 <= row["alpha_coders"] <= 1.0  # README: 0.91-0.94 per language and frame
    assert len(validation.misclassified) == int(
        validation.confusion.query("language != 'all'")[["fp", "fn"]].to_numpy().sum()
    )


def test_validation_gold_grouped_cross_validation(gold_sentences):
    cv = _grouped_cv_f1(predict_gold(gold_sentences, load_lexicon(VERSION)))
    for key, level in REACHED_CV.items():
        assert cv[key] >= level, (key, cv[key])


def test_validation_gold_held_out_half(gold_sentences):
    # the 2.0.0 split; not blind for 3.0.0 (its errors were read), kept as a regression check
    _, held = split_gold(gold_sentences, 0.5, seed=0)
    v = validate_lexicon(held, load_lexicon(VERSION), seed=0, n_boot=200)
    for (lang, frame), level in REACHED_HELD.items():
        assert _f1(v.table, lang, frame)["f1"] >= level, (lang, frame)


def test_validation_gold_previous_version_reproducible(gold_sentences):
    assert {"2.0.0", "3.0.0"} <= set(available_versions())
    v = validate_lexicon(gold_sentences, load_lexicon("2.0.0"), seed=0, n_boot=50)
    assert set(v.table["lexicon_version"]) == {"2.0.0"}
    for (lang, frame), level in REACHED_ALL_2_0_0.items():
        assert level <= _f1(v.table, lang, frame)["f1"] < level + 0.02, (lang, frame)


@pytest.mark.parametrize("version", ["2.0.0", "3.0.0", "4.0.0"])
def test_validation_gold_every_term_hits_itself(version):
    """Each entry, written as a sentence, is lemmatised to a sequence containing its key.

    A term whose lemmas differ between the lexicon loader and the sentence pipeline would never
    match (a silent bug, above all with the Spanish lookup table).
    """
    lex = load_lexicon(version)
    t = lex.terms.reset_index(drop=True)
    docs = pd.DataFrame(
        {
            "doc_id": [f"t{i:05d}" for i in range(len(t))],
            "language": t["language"].to_numpy(),
            "text": t["term"].to_numpy(),
            "status": "ok",
        }
    )
    lem = preprocess(docs).groupby("doc_id")["lemmas"].agg(" ".join)
    missing = [
        (r.language, r.term, r.key)
        for i, r in enumerate(t.itertuples())
        if f" {r.key} " not in f" {fold(lem.get(f't{i:05d}', ''))} "
    ]
    assert missing == []
