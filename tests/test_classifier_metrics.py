"""Intervals that resample documents, design-weighted figures, and the choice of instrument."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.classifier_metrics import (
    confusion_contributions,
    metrics_from_totals,
    resample_totals,
)
from framelens.analysis.framing.classifier_validation import choose_instrument
from framelens.core.seeding import rng


def test_classifier_metrics_point_estimates():
    m = metrics_from_totals(np.array([6.0, 2.0, 4.0]), None)
    assert m["precision"] == pytest.approx(0.75)
    assert m["recall"] == pytest.approx(0.6)
    assert m["f1"] == pytest.approx(12 / 18)
    assert np.isnan(m["f1_ci_low"])
    assert np.isnan(metrics_from_totals(np.array([0.0, 0.0, 3.0]), None)["precision"])


def test_classifier_metrics_contributions_weighted():
    y, p, w = [1, 1, 0, 0], [1, 0, 1, 0], [2.0, 3.0, 4.0, 5.0]
    c = confusion_contributions(y, p, w)
    assert c.sum(0).tolist() == [2.0, 4.0, 3.0]  # tp, fp, fn weighted


def test_classifier_metrics_bootstrap_resamples_whole_documents():
    """Two documents: one all right, one all wrong. Every replicate is a mix of whole
    documents, so recall can only be 0, 1/2 or 1 (a sentence bootstrap would give others)."""
    y = np.ones(10, dtype=int)
    p = np.array([1] * 5 + [0] * 5)
    docs = np.array(["a"] * 5 + ["b"] * 5)
    total, boot = resample_totals(
        confusion_contributions(y, p), docs, np.zeros(10), 500, rng(0, "t")
    )
    assert total.tolist() == [5, 0, 5]
    recall = boot[:, 0] / (boot[:, 0] + boot[:, 2])
    assert set(np.round(recall, 6)) <= {0.0, 0.5, 1.0}
    assert {0.0, 1.0} <= set(np.round(recall, 6))
    sent_total, sent_boot = resample_totals(
        confusion_contributions(y, p), np.arange(10), np.zeros(10), 500, rng(0, "t")
    )
    assert len(set(np.round(sent_boot[:, 0] / 10, 6))) > 3  # sentences: many values


def test_classifier_metrics_blocks_keep_their_size():
    """Resampling within blocks: each replicate keeps each block's number of units."""
    blocks = np.array(["en"] * 4 + ["es"] * 6)
    values = np.column_stack([(blocks == "en").astype(float), (blocks == "es").astype(float)])
    total, boot = resample_totals(values, np.arange(10), blocks, 50, rng(1))
    assert total.tolist() == [4, 6]
    assert (boot[:, 0] == 4).all() and (boot[:, 1] == 6).all()


def _table(lex, cls):
    rows = []
    for i, scores in (("lexicon", lex), ("classifier", cls)):
        for la, (h, s) in scores.items():
            rows += [
                {"instrument": i, "language": la, "frame": "humanitarian", "f1": h, "design_f1": h},
                {"instrument": i, "language": la, "frame": "security", "f1": s, "design_f1": s},
            ]
    return pd.DataFrame(rows)


def test_classifier_choice_rule():
    t = _table(
        {"en": (0.70, 0.80), "es": (0.80, 0.70), "all": (0.7, 0.7)},
        {"en": (0.74, 0.80), "es": (0.80, 0.70), "all": (0.9, 0.9)},
    )
    c = choose_instrument(t).set_index("language")
    assert list(c.index) == ["en", "es"]  # "all" is not a language the run chooses for
    assert c.loc["en", "instrument"] == "classifier"
    assert c.loc["es", "instrument"] == "lexicon"  # a tie keeps the lexicon
    assert c.loc["en", "score_classifier"] == pytest.approx(0.77)
    c2 = choose_instrument(t, margin=0.05).set_index("language")
    assert c2.loc["en", "instrument"] == "lexicon"  # gain .02 < margin
    assert choose_instrument(t, sample="design")["sample"].eq("design").all()
