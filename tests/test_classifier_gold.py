"""Both instruments against the shared hand-coded sentences (../shared/validation).

The figures asserted are the ones measured (docs/instruments.md), rounded down, so a change
that lowers them fails; the goal F1 >= 0.80 per language x frame is not met by either
instrument in every cell, and these tests do not pretend it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import VALIDATION
from framelens.analysis.framing.classifier_features import (
    coded_sentence_features,
    design_as_coded,
)
from framelens.analysis.framing.classifier_validation import evaluate_instruments
from framelens.analysis.framing.lexicon import load_lexicon
from framelens.analysis.framing.validation import predict_gold, validate_lexicon
from framelens.schemas import columns_of

DESIGN = VALIDATION / "design_sample.csv"
# lexicon 3.0.0 design-weighted precision / recall (issue 10, from the recorded hits)
DESIGN_LEXICON_3 = {
    ("en", "humanitarian"): (0.64, 0.66),
    ("en", "security"): (0.90, 0.65),
    ("es", "humanitarian"): (0.42, 0.95),
    ("es", "security"): (0.74, 0.45),
}
# classifier out-of-fold F1 (nested grouped CV, seed 0; measured .726, .849, .792, .718),
# rounded down to .01 minus .02
REACHED_CLASSIFIER_CV = {
    ("en", "humanitarian"): 0.70,
    ("en", "security"): 0.82,
    ("es", "humanitarian"): 0.77,
    ("es", "security"): 0.69,
}


@pytest.fixture(scope="module")
def design_sample():
    if not DESIGN.exists():
        pytest.skip(f"design sample not found at {DESIGN}: set FRAMELENS_SHARED=/path/to/shared")
    return DESIGN


def _weighted_pr(y, p, w):
    tp = (w * (y == 1) * (p == 1)).sum()
    return tp / (w * (p == 1)).sum(), tp / (w * (y == 1)).sum()


def test_classifier_gold_features_score_like_validate_lexicon(gold_sentences):
    """The classifier's lexicon features are the hits ``validate_lexicon`` scores."""
    lex = load_lexicon("3.0.0")
    feats = coded_sentence_features(gold_sentences, lex)
    pred = predict_gold(gold_sentences, lex)
    assert feats["sent_id"].tolist() == pred["sent_id"].tolist()
    for f in ("humanitarian", "security"):
        assert (feats[f"hits_{f}"].to_numpy() == pred[f"hits_{f}"].to_numpy()).all()
    assert (feats["lemmas"].str.len() > 0).all()
    assert (feats["negated_humanitarian"] <= feats["hits_humanitarian"] + 1).all()


def test_classifier_design_weights_reproduce_lexicon_figures(design_sample):
    """Design-weighted precision / recall of lexicon 3.0.0 from the recorded hits."""
    d = design_as_coded(design_sample)
    assert d["sent_id"].is_unique
    for (lang, frame), (prec, rec) in DESIGN_LEXICON_3.items():
        s = d[d["language"] == lang]
        p = (s[f"lexicon_{frame}_hits"] > 0).astype(int).to_numpy()
        got = _weighted_pr(s[frame].to_numpy(), p, 1 / s["inclusion_prob"].to_numpy())
        assert got == pytest.approx((prec, rec), abs=0.005)


@pytest.mark.slow
def test_classifier_instruments_side_by_side(gold_sentences, design_sample):
    lex = load_lexicon("3.0.0")
    comp = evaluate_instruments(gold_sentences, lex, design=design_sample, seed=0, n_boot=300)
    t = comp.table
    assert list(t.columns) == columns_of("instrument_validation")
    assert len(t) == 2 * 3 * 2 and set(t["instrument"]) == {"lexicon", "classifier"}
    for m in ("precision", "recall", "f1", "design_precision", "design_recall"):
        assert (t[f"{m}_ci_low"] <= t[m] + 1e-9).all() and (t[m] <= t[f"{m}_ci_high"] + 1e-9).all()
    # lexicon rows: the same point estimates as validate_lexicon
    ref = validate_lexicon(gold_sentences, lex, n_boot=0).table.set_index(["language", "frame"])
    lx = t[t["instrument"] == "lexicon"].set_index(["language", "frame"])
    for c in ("n", "n_positive", "n_predicted", "precision", "recall", "f1"):
        assert np.allclose(lx[c].to_numpy(float), ref.loc[lx.index, c].to_numpy(float))
    # design-weighted lexicon figures: re-scored hits agree with the recorded ones
    for (lang, frame), (prec, rec) in DESIGN_LEXICON_3.items():
        row = lx.loc[(lang, frame)]
        assert (row["design_precision"], row["design_recall"]) == pytest.approx(
            (prec, rec), abs=0.005
        )
    # classifier rows: out-of-fold, at least the levels measured
    cl = t[t["instrument"] == "classifier"].set_index(["language", "frame"])
    for key, level in REACHED_CLASSIFIER_CV.items():
        assert cl.loc[key, "f1"] >= level, key
    # cross-fitting: design units of gold documents use the fold that held them out
    dp = comp.design_predictions
    gold_docs = set(pd.read_csv(gold_sentences)["doc_id"])
    assert (dp.loc[dp["doc_id"].isin(gold_docs), "model"] != "all gold").all()
    assert (dp.loc[~dp["doc_id"].isin(gold_docs), "model"] == "all gold").all()
    assert set(comp.choice["language"]) == {"en", "es"}
    assert (comp.choice["sample"] == "design").all()  # the population decides when coded
    shares = lx["design_share_coded"]
    assert shares.loc[("en", "humanitarian")] == pytest.approx(0.071, abs=0.002)
    assert cl["design_mean_prob"].notna().all() and lx["design_mean_prob"].isna().all()
    assert (comp.selection["fold"] == -1).sum() == 4
