"""Lexicon validation: metrics against a hand-computed example, bootstrap, the shared gold set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis import build_lexicon, split_gold, validate_lexicon
from framelens.analysis.framing.validation import metrics_table, read_gold
from framelens.core.errors import ConfigError
from framelens.schemas import columns_of


def _pred(gold_h, pred_h, gold_s, pred_s, lang="en"):
    return pd.DataFrame(
        {
            "language": lang,
            "gold_humanitarian": gold_h,
            "pred_humanitarian": pred_h,
            "gold_security": gold_s,
            "pred_security": pred_s,
        }
    )


def test_validation_metrics_match_hand_computation():
    # humanitarian: gold 1 1 0 0 1, lexicon 1 0 0 1 1 -> tp 2, fp 1, fn 1, tn 1
    # precision = recall = F1 = 2/3.
    # Krippendorff's alpha (nominal): coincidences o00=2, o11=4, o01=o10=2; n0=4, n1=6, n=10;
    # D_o = 4/10, D_e = 2*4*6/(10*9) = 48/90, alpha = 1 - 0.4/0.5333 = 0.25.
    # security: gold 1 1 1 0 0, lexicon 1 1 0 0 0 -> tp 2, fp 0, fn 1: P 1, R 2/3, F1 0.8.
    p = _pred([1, 1, 0, 0, 1], [1, 0, 0, 1, 1], [1, 1, 1, 0, 0], [1, 1, 0, 0, 0])
    table, conf = metrics_table(p, n_boot=0, lexicon_version="t")
    h = table[(table["language"] == "en") & (table["frame"] == "humanitarian")].iloc[0]
    assert (h["n"], h["n_positive"], h["n_predicted"]) == (5, 3, 3)
    assert h["precision"] == pytest.approx(2 / 3)
    assert h["recall"] == pytest.approx(2 / 3)
    assert h["f1"] == pytest.approx(2 / 3)
    assert h["alpha_lexicon"] == pytest.approx(0.25)
    s = table[(table["language"] == "en") & (table["frame"] == "security")].iloc[0]
    assert (s["precision"], s["recall"], s["f1"]) == pytest.approx((1.0, 2 / 3, 0.8))
    c = conf[(conf["language"] == "en") & (conf["frame"] == "humanitarian")].iloc[0]
    assert (c["tp"], c["fp"], c["fn"], c["tn"]) == (2, 1, 1, 1)
    assert set(table["language"]) == {"en", "all"}


def test_validation_bootstrap_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(7)
    g = rng.integers(0, 2, 200)
    p = np.where(rng.random(200) < 0.8, g, 1 - g)
    pred = _pred(g, p, g, g)
    t1, _ = metrics_table(pred, seed=3, n_boot=300)
    t2, _ = metrics_table(pred, seed=3, n_boot=300)
    t3, _ = metrics_table(pred, seed=4, n_boot=300)
    pd.testing.assert_frame_equal(t1, t2)
    assert not t1["f1_ci_low"].equals(t3["f1_ci_low"])
    h = t1.iloc[0]
    assert h["f1_ci_low"] < h["f1"] < h["f1_ci_high"]
    assert h["precision_ci_low"] <= h["precision"] <= h["precision_ci_high"]


def test_validation_bootstrap_resamples_documents():
    """Copying every sentence of a document five times adds no information: the document
    (cluster) bootstrap gives the same intervals, a sentence bootstrap would narrow them."""
    rng = np.random.default_rng(11)
    g = rng.integers(0, 2, 60)
    p = np.where(rng.random(60) < 0.75, g, 1 - g)
    once = _pred(g, p, g, p).assign(doc_id=[f"d{i}" for i in range(60)])
    five = once.loc[once.index.repeat(5)].reset_index(drop=True)
    t_once, _ = metrics_table(once, seed=2, n_boot=400)
    t_five, _ = metrics_table(five, seed=2, n_boot=400)
    cols = ["f1", "f1_ci_low", "f1_ci_high", "precision_ci_low", "recall_ci_high"]
    pd.testing.assert_frame_equal(t_once[cols], t_five[cols])
    assert (t_five["n"] == 5 * t_once["n"]).all()
    as_sentences, _ = metrics_table(five.drop(columns=["doc_id"]), seed=2, n_boot=400)
    width = (t_five["f1_ci_high"] - t_five["f1_ci_low"]).iloc[0]
    width_sentences = (as_sentences["f1_ci_high"] - as_sentences["f1_ci_low"]).iloc[0]
    assert width_sentences < 0.6 * width


def test_validation_no_interval_with_one_document():
    one_doc = _pred([1, 0, 1, 1], [1, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 1]).assign(doc_id="d")
    table, _ = metrics_table(one_doc, seed=1, n_boot=200)
    assert table["f1"].notna().all()
    assert table[["f1_ci_low", "f1_ci_high", "precision_ci_low"]].isna().all().all()


def test_validation_end_to_end_with_a_small_lexicon():
    lex = build_lexicon(
        {
            "en": pd.DataFrame(
                {
                    "term": ["children", "detain"],
                    "frame": ["humanitarian", "security"],
                    "subframe": ["child_protection", "enforcement_detention"],
                    "match": ["lemma", "lemma"],
                }
            ),
            "es": pd.DataFrame(
                {
                    "term": ["niñas"],
                    "frame": ["humanitarian"],
                    "subframe": ["child_protection"],
                    "match": ["lemma"],
                }
            ),
        },
        negators={"en": ["not"]},
        version="0.0.t",
    )
    gold = pd.DataFrame(
        {
            "sent_id": ["s1", "s2", "s3", "s4"],
            "doc_id": ["a", "a", "b", "c"],
            "language": ["en", "en", "en", "es"],
            "text": [
                "Children were detained.",
                "We will not detain anyone.",
                "Nothing here.",
                "Las niñas.",
            ],
            "humanitarian": [1, 1, 0, 1],
            "security": [1, 1, 0, 0],
            "coder_a_humanitarian": [1, 1, 0, 1],
            "coder_a_security": [1, 1, 0, 0],
            "coder_b_humanitarian": [1, 0, 0, 1],
            "coder_b_security": [1, 1, 0, 0],
        }
    )
    v = validate_lexicon(gold, lex, n_boot=50)
    assert list(v.table.columns) == columns_of("lexicon_validation")
    en_s = v.table[(v.table["language"] == "en") & (v.table["frame"] == "security")].iloc[0]
    assert en_s["recall"] == 1.0  # the negated "detain" still evokes the frame
    mis = v.misclassified
    assert mis[["sent_id", "frame", "error"]].values.tolist() == [["s2", "humanitarian", "fn"]]
    assert "lexicon 0.0.t" in v.summary().lower() or "0.0.t" in v.summary()
    assert set(v.table["lexicon_version"]) == {"0.0.t"}
    tables = v.tables()
    assert list(tables) == ["lexicon_validation", "lexicon_confusion", "lexicon_misclassified"]
    assert all(list(t.columns) == columns_of(name) for name, t in tables.items())


def test_validation_gold_errors():
    with pytest.raises(ConfigError, match="not found"):
        read_gold("/nonexistent/gold.csv")
    with pytest.raises(ConfigError, match="lacks columns"):
        read_gold(pd.DataFrame({"sent_id": ["a"], "text": ["x"]}))


def test_validation_split_keeps_documents_whole(gold_sentences):
    dev, held = split_gold(gold_sentences, 0.5, seed=0)
    assert len(dev) + len(held) == len(pd.read_csv(gold_sentences))
    assert not set(dev["doc_id"]) & set(held["doc_id"])
    dev2, _ = split_gold(gold_sentences, 0.5, seed=0)
    pd.testing.assert_frame_equal(dev, dev2)
    assert set(dev["language"]) == set(held["language"]) == {"en", "es"}
