"""Intrusion tests: sheets from a fitted model and the scorer on hand-filled sheets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from _topic_fixtures import cached_results
from framelens.core.errors import ConfigError
from framelens.models import score_intrusion
from framelens.outputs.intrusion_sheets import write_intrusion_sheets
from framelens.schemas import validate


def test_models_intrusion_word_scores_hand_filled(tmp_path):
    sheet = pd.DataFrame(
        {
            "item_id": ["W001", "W002", "W003", "W003"],
            "coder": ["a", "a", "a", "b"],
            "language": ["en", "en", "es", "es"],
            "word_1": ["border", "asylum", "frontera", "frontera"],
            "word_2": ["wall", "refugee", "muro", "muro"],
            "word_3": ["child", "credible", "cruce", "cruce"],
            "answer": ["3", "wall", "2", "3"],  # W001 right, W002 wrong word, W003 split
        }
    )
    key = pd.DataFrame(
        {
            "item_id": ["W001", "W002", "W003"],
            "language": ["en", "en", "es"],
            "topic": [3, 2, 3],
            "label": ["border_externalization", "asylum_refuge", "border_externalization"],
            "intruder": ["child", "wall", "muro"],
            "intruder_position": [3, 9, 2],
            "intruder_topic": [0, 3, 0],
        }
    )
    key.loc[1, "intruder_position"] = 1
    sheet.to_csv(tmp_path / "s.csv", index=False)
    key.to_csv(tmp_path / "k.csv", index=False)
    scores = score_intrusion(tmp_path / "s.csv", tmp_path / "k.csv")
    validate(scores, "intrusion_scores")
    by = scores.set_index(["language", "topic"], drop=False)
    assert by.loc[("en", 3), "model_precision"] == 1.0
    # "wall" is not among W002's words: unreadable answer, not counted
    assert by.loc[("en", 2), "n_answers"] == 0 and np.isnan(by.loc[("en", 2), "model_precision"])
    assert by.loc[("es", 3), "model_precision"] == 0.5
    overall = scores[scores["language"] == "all"].iloc[0]
    assert (overall["n_items"], overall["n_answers"], overall["n_correct"]) == (3, 3, 2)
    assert overall["model_precision"] == pytest.approx(2 / 3)


def test_models_intrusion_topic_log_odds_hand_filled(tmp_path):
    sheet = pd.DataFrame(
        {
            "item_id": ["T001", "T002"],
            "language": ["en", "es"],
            "doc_id": ["d1", "d2"],
            "excerpt": ["...", "..."],
            **{f"topic_{i}": [f"terms {i}", f"términos {i}"] for i in range(1, 5)},
            "answer": [4, 2],
        }
    )
    key = pd.DataFrame(
        {
            "item_id": ["T001", "T002"],
            "language": ["en", "es"],
            "doc_id": ["d1", "d2"],
            "intruder_position": [4, 4],
            **{f"topic_id_{i}": [i, i] for i in range(1, 5)},
            "theta_1": [0.5, 0.5],
            "theta_2": [0.3, 0.3],
            "theta_3": [0.15, 0.15],
            "theta_4": [0.05, 0.05],
        }
    )
    sheet.to_csv(tmp_path / "s.csv", index=False)
    key.to_csv(tmp_path / "k.csv", index=False)
    scores = score_intrusion(tmp_path / "s.csv", tmp_path / "k.csv").set_index("language")
    assert scores.loc["en", "topic_log_odds"] == pytest.approx(0.0)
    assert scores.loc["es", "topic_log_odds"] == pytest.approx(
        math.log(0.05) - math.log(0.3), rel=1e-6
    )
    assert scores.loc["all", "model_precision"] == 0.5
    assert scores.loc["all", "topic_log_odds"] == pytest.approx(
        (math.log(0.05) - math.log(0.3)) / 2, rel=1e-6
    )


def test_models_intrusion_sheet_key_mismatch(tmp_path):
    pd.DataFrame({"item_id": ["X"], "answer": ["1"]}).to_csv(tmp_path / "s.csv", index=False)
    pd.DataFrame(
        {"item_id": ["W001"], "language": ["en"], "intruder": ["a"], "intruder_position": [1]}
    ).to_csv(tmp_path / "k.csv", index=False)
    with pytest.raises(ConfigError, match="does not match its key"):
        score_intrusion(tmp_path / "s.csv", tmp_path / "k.csv")


@pytest.mark.corpus
def test_models_intrusion_sheets_from_model_score_perfect_with_key(shared_corpus, tmp_path):
    results = cached_results(str(shared_corpus), 11)
    paths = write_intrusion_sheets(results, tmp_path, seed=5, n_docs=6)
    word_sheet = pd.read_csv(paths["word_intrusion_sheet"], keep_default_na=False)
    word_key = pd.read_csv(paths["word_intrusion_key"])
    assert paths["word_intrusion_key"].parent.name == "answer_key"
    assert "label" not in word_sheet.columns and "intruder" not in word_sheet.columns
    assert len(word_sheet) == results.topics.groupby(["language", "topic"]).ngroups
    # each intruder is shown, is not among its topic's listed terms, and tops another topic
    for _, k in word_key.iterrows():
        row = word_sheet.set_index("item_id").loc[k["item_id"]]
        assert row[f"word_{k['intruder_position']}"] == k["intruder"]
        own = results.topics[
            (results.topics["language"] == k["language"]) & (results.topics["topic"] == k["topic"])
        ]
        assert k["intruder"] not in set(own["term"])
    # a coder who always finds the intruder scores precision 1 and log odds 0
    word_sheet["answer"] = word_sheet["item_id"].map(
        word_key.set_index("item_id")["intruder_position"]
    )
    word_sheet.to_csv(tmp_path / "filled_w.csv", index=False)
    ws = score_intrusion(tmp_path / "filled_w.csv", paths["word_intrusion_key"])
    assert (ws["model_precision"] == 1.0).all()
    topic_sheet = pd.read_csv(paths["topic_intrusion_sheet"], keep_default_na=False)
    topic_key = pd.read_csv(paths["topic_intrusion_key"])
    assert len(topic_sheet) == 12 and topic_sheet["excerpt"].str.len().gt(0).all()
    topic_sheet["answer"] = topic_sheet["item_id"].map(
        topic_key.set_index("item_id")["intruder_position"]
    )
    topic_sheet.to_csv(tmp_path / "filled_t.csv", index=False)
    ts = score_intrusion(tmp_path / "filled_t.csv", paths["topic_intrusion_key"])
    assert (ts["topic_log_odds"] == 0).all() and (ts["model_precision"] == 1).all()
    # same seed, same sheets
    again = write_intrusion_sheets(results, tmp_path / "again", seed=5, n_docs=6)
    for name, p in paths.items():
        assert p.read_bytes() == again[name].read_bytes()
