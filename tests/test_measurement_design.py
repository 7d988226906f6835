"""The design sample: reading and checking the file, matching coded units to a run's sentences."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.design import (
    design_units,
    load_design_sample,
    match_design_sample,
    normalise_text,
)
from framelens.core.errors import ConfigError


def _shared() -> Path:
    env = os.environ.get("FRAMELENS_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


VALIDATION = _shared() / "validation"

ROWS = [
    # unit_id, doc_id, start, end, text, hum, sec, stratum, N, n
    ("u1", "d1", 0, 20, "Children need care.", 1, 0, "en|A|framed", 10, 2),
    ("u2", "d1", 21, 45, "Border agents arrested.", 0, 1, "en|A|framed", 10, 2),
    ("u3", "d2", 0, 12, "Good times.", 0, 0, "en|A|unframed", 100, 2),
    ("u4", "d2", 13, 30, "More of the same.", 0, 0, "en|A|unframed", 100, 2),
]


def design_frame(rows=ROWS) -> pd.DataFrame:
    df = pd.DataFrame(
        rows,
        columns=[
            "unit_id",
            "doc_id",
            "start_char",
            "end_char",
            "text",
            "humanitarian",
            "security",
            "stratum",
            "N_stratum",
            "n_stratum",
        ],
    )
    df["inclusion_prob"] = df["n_stratum"] / df["N_stratum"]
    return df


def write(tmp_path: Path, df: pd.DataFrame, name: str = "design.csv") -> Path:
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def test_measurement_design_load_reference_format(tmp_path):
    design = load_design_sample(write(tmp_path, design_frame()))
    assert list(design.columns) == [
        "unit_id",
        "doc_id",
        "language",
        "country",
        "administration",
        "sent_id",
        "start_char",
        "end_char",
        "text",
        "humanitarian",
        "security",
        "stratum",
        "N_stratum",
        "n_stratum",
        "inclusion_prob",
    ]
    assert design["sent_id"].eq(-1).all() and design["language"].eq("").all()
    assert design["inclusion_prob"].tolist() == [0.2, 0.2, 0.02, 0.02]


def test_measurement_design_derives_stratum_sizes(tmp_path):
    df = design_frame().drop(columns=["N_stratum", "n_stratum"])
    design = load_design_sample(write(tmp_path, df))
    assert design["n_stratum"].tolist() == [2, 2, 2, 2]
    assert design["N_stratum"].tolist() == [10, 10, 100, 100]


@pytest.mark.skipif(
    not (VALIDATION / "design_sample.csv").exists(),
    reason=f"design sample not found under {VALIDATION}: set FRAMELENS_SHARED=/path/to/shared",
)
def test_measurement_design_load_shared_file():
    design = load_design_sample(VALIDATION / "design_sample.csv")
    assert len(design) == 762 and design["stratum"].nunique() == 24
    strata = design.groupby("stratum").agg(
        N=("N_stratum", "first"), n=("n_stratum", "first"), rows=("unit_id", "size")
    )
    assert (strata["rows"] == strata["n"]).all()
    assert strata.loc["es|López Obrador|unframed", "N"] == 26312


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d.drop(columns=["inclusion_prob"]),
            "columns \\['inclusion_prob'\\] are missing",
        ),
        (lambda d: d.assign(humanitarian=[1, 2, 0, 0]), "humanitarian = '2'"),
        (lambda d: d.assign(security=["1", "", "0", "0"]), "security = ''"),
        (lambda d: d.assign(inclusion_prob=[0.2, 0.2, 0.0, 0.0]), "is not in \\(0, 1\\]"),
        (lambda d: d.assign(inclusion_prob=[0.2, 0.3, 0.02, 0.02]), "more than one inclusion_prob"),
        (
            lambda d: d.assign(unit_id=["u1", "u1", "u3", "u4"]),
            "unit_id u1 appears on lines \\[2, 3\\]",
        ),
        (lambda d: d.assign(end_char=[20, 10, 12, 30]), "line 3: end_char <= start_char"),
        (
            lambda d: d.assign(n_stratum=[1, 1, 2, 2], inclusion_prob=[0.1, 0.1, 0.02, 0.02]),
            "more rows than n_stratum",
        ),
        (
            lambda d: d.assign(inclusion_prob=[0.25, 0.25, 0.02, 0.02]),
            "inclusion_prob != n_stratum / N_stratum",
        ),
        (
            lambda d: d.assign(start_char=["0", "x", "0", "13"]),
            "start_char = 'x' is not a whole number",
        ),
        (lambda d: d.iloc[0:0], "it has no rows"),
    ],
)
def test_measurement_design_invalid_files_name_the_problem(tmp_path, change, expected):
    path = write(tmp_path, change(design_frame()))
    with pytest.raises(ConfigError, match=expected) as err:
        load_design_sample(path)
    assert str(path) in str(err.value)
    assert "Design sample" in str(err.value)


def test_measurement_design_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not found. Pass a coded probability sample"):
        load_design_sample(tmp_path / "nope.csv")


def run_sentences() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("d1", 0, 0, 20, "Children need care."),
            ("d1", 1, 21, 45, "Border agents  arrested!"),  # same words, other spacing/punctuation
            ("d2", 0, 0, 30, "Good times. More of the same."),  # the run joined two sentences
            ("d3", 0, 5, 15, "Elsewhere."),
        ],
        columns=["doc_id", "sent_id", "start_char", "end_char", "text"],
    )


def test_measurement_design_match_by_offsets_then_text(tmp_path):
    design = load_design_sample(write(tmp_path, design_frame()))
    shifted = run_sentences()
    shifted.loc[1, ["start_char", "end_char"]] = [30, 54]  # extraction moved the offsets
    matched, unmatched = match_design_sample(design, shifted)
    assert matched.set_index("unit_id")["match"].to_dict() == {"u1": "offsets", "u2": "text"}
    assert matched.set_index("unit_id")["run_sent_id"].to_dict() == {"u1": 0, "u2": 1}
    reasons = unmatched.set_index("unit_id")["reason"].to_dict()
    assert reasons == {
        "u3": "segmentation differs: the coded text is part of the run's sentence 0",
        "u4": "segmentation differs: the coded text is part of the run's sentence 0",
    }


def test_measurement_design_unmatched_reasons():
    design = design_frame(
        [
            ("a", "gone", 0, 10, "Lost doc.", 0, 0, "s", 10, 3),
            ("b", "d", 0, 10, "Other words here.", 0, 0, "s", 10, 3),
            ("c", "d", 5, 25, "Spans two run sentences.", 0, 0, "s", 10, 3),
        ]
    )
    sents = pd.DataFrame(
        [
            ("d", 0, 0, 10, "Different."),
            ("d", 1, 11, 18, "Spans two"),
            ("d", 2, 19, 30, "run sentences."),
        ],
        columns=["doc_id", "sent_id", "start_char", "end_char", "text"],
    )
    matched, unmatched = match_design_sample(design, sents)
    assert matched.empty
    assert unmatched.set_index("unit_id")["reason"].to_dict() == {
        "a": "document not in this run",
        "b": "the run's sentence 0 at these offsets has other text",
        "c": "segmentation differs: the coded text spans the run's sentences 0-2",
    }


def test_measurement_design_text_match_takes_the_nearest_duplicate():
    design = design_frame([("a", "d", 100, 104, "Yes.", 0, 0, "s", 10, 1)])
    sents = pd.DataFrame(
        [("d", 0, 0, 4, "Yes."), ("d", 5, 90, 94, "Yes."), ("d", 9, 300, 304, "Yes.")],
        columns=["doc_id", "sent_id", "start_char", "end_char", "text"],
    )
    matched, _ = match_design_sample(design, sents)
    assert matched["run_sent_id"].tolist() == [5] and matched["match"].tolist() == ["text"]


def test_measurement_design_units_weights(tmp_path):
    design = load_design_sample(write(tmp_path, design_frame()))
    matched, unmatched = match_design_sample(design, run_sentences())
    units = design_units(matched, unmatched).set_index("unit_id")
    # u1, u2 matched in a stratum of N = 10: weight 10 / 2; u3, u4 unmatched: NaN, sent_id -1
    assert units.loc["u1", "weight"] == 5.0 and units.loc["u2", "weight"] == 5.0
    assert np.isnan(units.loc["u3", "weight"]) and units.loc["u3", "sent_id"] == -1
    assert set(units["match"]) == {"offsets", "unmatched"}


def test_measurement_design_normalise_text():
    assert normalise_text("¿Qué   pasó—con\nlos NIÑOS?") == "que paso con los ninos"


def test_measurement_design_found_beside_the_gold_file(tmp_path):
    from framelens.analysis.framing.design import default_design_sample

    gold = tmp_path / "gold_sentences.csv"
    gold.write_text("x\n")
    assert default_design_sample(gold) is None and default_design_sample(None) is None
    write(tmp_path, design_frame(), "design_sample.csv")
    assert default_design_sample(gold) == tmp_path / "design_sample.csv"
