"""frame_prevalence on small synthetic runs: the table contract, the estimator's arithmetic,
the notes (never a faked number), differences and determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.design import DESIGN_COLUMNS
from framelens.analysis.stats.frame_prevalence import FramePrevalence, frame_prevalence
from framelens.schemas import validate

ADMINS = {"US": ["Trump I", "Biden"], "MX": ["López Obrador"]}
LANG = {"US": "en", "MX": "es"}


def synthetic_run(seed: int = 0, docs_per_group: int = 8, sentences_per_doc: int = 60):
    """documents, sentences, sentence_frames (lexicon-like hits), relevance, design (coded sample)."""
    gen = np.random.default_rng(seed)
    docs, sents, frames, rel, truth = [], [], [], [], []
    for country, admins in ADMINS.items():
        for admin in admins:
            for d in range(docs_per_group):
                doc_id = f"{country}-{admin}-{d}"
                docs.append((doc_id, country, LANG[country], admin))
                for s in range(sentences_per_doc):
                    y_h, y_s = gen.random() < 0.10, gen.random() < 0.15
                    # the instrument over-fires humanitarian and misses half of security
                    f_h = y_h or gen.random() < 0.08
                    f_s = y_s and gen.random() < 0.5
                    sents.append((doc_id, s, s * 10, s * 10 + 9, f"Sentence {doc_id} {s}."))
                    frames.append((doc_id, s, int(f_h), int(f_s), 0))
                    rel.append((doc_id, s, s % 2 == 0, s % 10 == 0))
                    truth.append((doc_id, s, int(y_h), int(y_s)))
    documents = pd.DataFrame(docs, columns=["doc_id", "country", "language", "administration"])
    sentences = pd.DataFrame(sents, columns=["doc_id", "sent_id", "start_char", "end_char", "text"])
    sf = pd.DataFrame(
        frames,
        columns=["doc_id", "sent_id", "hits_humanitarian", "hits_security", "hits_cooperation"],
    ).assign(lexicon_version="3.0.0")
    relevance = pd.DataFrame(rel, columns=["doc_id", "sent_id", "relevant", "children"]).assign(
        relevance_version="1.0.0"
    )
    truth = pd.DataFrame(truth, columns=["doc_id", "sent_id", "humanitarian", "security"])
    return documents, sentences, sf, relevance, truth


def draw_design(sentences, sf, documents, truth, n=(30, 20), seed=1, groups=None) -> pd.DataFrame:
    """A stratified sample (group x fired) in the design-sample format."""
    pop = (
        sentences.merge(sf, on=["doc_id", "sent_id"])
        .merge(documents, on="doc_id")
        .merge(truth, on=["doc_id", "sent_id"])
    )
    if groups is not None:
        pop = pop[pop["administration"].isin(groups)]
    fired = (pop["hits_humanitarian"] + pop["hits_security"]) > 0
    pop["stratum"] = (
        pop["language"] + "|" + pop["administration"] + "|" + np.where(fired, "framed", "unframed")
    )
    gen = np.random.default_rng(seed)
    parts = []
    for stratum, rows in pop.groupby("stratum"):
        k = min(n[0] if stratum.endswith("|framed") else n[1], len(rows))
        pick = rows.iloc[np.sort(gen.choice(len(rows), size=k, replace=False))].copy()
        pick["N_stratum"], pick["n_stratum"], pick["inclusion_prob"] = len(rows), k, k / len(rows)
        parts.append(pick)
    d = pd.concat(parts, ignore_index=True)
    d["unit_id"] = [f"u{i:05d}" for i in range(len(d))]
    return d[list(DESIGN_COLUMNS)]


@pytest.fixture(scope="module")
def run_tables():
    return synthetic_run()


@pytest.fixture(scope="module")
def result(run_tables) -> FramePrevalence:
    documents, sentences, sf, relevance, truth = run_tables
    design = draw_design(sentences, sf, documents, truth)
    return frame_prevalence(
        sentences, sf, documents, design, relevance=relevance, n_boot=400, seed=3
    )


def test_measurement_prevalence_table_contract(result):
    t = result.table
    validate(t, "frame_prevalence")
    validate(result.differences, "frame_prevalence_differences")
    validate(result.units, "design_units")
    groups = (
        t[["country", "language", "administration"]].drop_duplicates().apply(tuple, axis=1).tolist()
    )
    assert groups == [("US", "en", "Trump I"), ("US", "en", "Biden"), ("MX", "es", "López Obrador")]
    assert len(t) == 3 * 3 * 2  # groups x subsets x frames
    assert set(t["instrument"]) == {"lexicon 3.0.0"}
    assert set(result.tables()) == {
        "frame_prevalence",
        "frame_prevalence_differences",
        "design_units",
    }


def test_measurement_prevalence_arithmetic(result, run_tables):
    documents, sentences, sf, relevance, truth = run_tables
    t = result.table.set_index(["administration", "subset", "frame"])
    row = t.loc[("Biden", "all", "humanitarian")]
    biden = sf[sf["doc_id"].str.startswith("US-Biden")]
    assert row["naive"] == pytest.approx((biden["hits_humanitarian"] > 0).mean())
    assert row["n_sentences"] == len(biden) and row["n_documents"] == 8
    assert row["corrected"] == pytest.approx(row["naive"] + row["coded_share"] - row["coded_naive"])
    assert row["correction"] == pytest.approx(row["corrected"] - row["naive"])
    assert row["naive_ci_low"] <= row["naive"] <= row["naive_ci_high"]
    assert row["corrected_ci_low"] <= row["corrected"] <= row["corrected_ci_high"]
    assert row["coded_strata"] == 2 and row["n_coded"] == 50
    # the coders' design-weighted share: stratified mean of the codes
    units = result.units.merge(truth, left_on=["doc_id", "sent_id"], right_on=["doc_id", "sent_id"])
    units = units[units["doc_id"].str.startswith("US-Biden")]
    w = units["weight"]
    assert row["coded_share"] == pytest.approx((w * units["humanitarian"]).sum() / w.sum())


def test_measurement_prevalence_moves_towards_the_truth(result, run_tables):
    """The instrument over-fires humanitarian and misses security: the corrected share is closer
    to the true share of the corpus than the naive one, in every group."""
    documents, sentences, sf, relevance, truth = run_tables
    t = result.table[result.table["subset"] == "all"].set_index(["administration", "frame"])
    true = (
        truth.merge(documents, on="doc_id")
        .groupby("administration")[["humanitarian", "security"]]
        .mean()
    )
    for (admin, frame), r in t.iterrows():
        assert abs(r["corrected"] - true.loc[admin, frame]) < abs(
            r["naive"] - true.loc[admin, frame]
        )
        assert r["corrected_ci_low"] <= true.loc[admin, frame] <= r["corrected_ci_high"]


def test_measurement_prevalence_no_design_means_no_corrected_number(run_tables):
    documents, sentences, sf, relevance, _ = run_tables
    fp = frame_prevalence(sentences, sf, documents, None, relevance=relevance, n_boot=100)
    assert fp.table["corrected"].isna().all() and fp.table["naive"].notna().all()
    assert fp.table["note"].str.contains("no design sample").all()
    assert fp.units.empty and fp.params["design_sample"] is False
    assert set(fp.differences["estimator"]) <= {"naive", "corrected"}


def test_measurement_prevalence_group_without_coded_units(run_tables):
    documents, sentences, sf, relevance, truth = run_tables
    design = draw_design(sentences, sf, documents, truth, groups=["Biden", "López Obrador"])
    fp = frame_prevalence(sentences, sf, documents, design, relevance=relevance, n_boot=100)
    t = fp.table.set_index(["administration", "subset", "frame"])
    row = t.loc[("Trump I", "all", "security")]
    assert np.isnan(row["corrected"]) and np.isnan(row["corrected_ci_low"]) and row["n_coded"] == 0
    assert bool(row["unstable"]) and "no coded units" in row["note"]
    assert t.loc[("Biden", "all", "security"), "corrected"] > 0


def test_measurement_prevalence_unstable_when_few_coded_units(result):
    t = result.table
    children = t[t["subset"] == "children"]
    assert (children["n_coded"] < 30).all() and children["unstable"].all()
    assert children["note"].str.contains("fewer than 30").all()
    assert not t[t["subset"] == "all"]["unstable"].any()


def test_measurement_prevalence_probabilities_are_used_as_given(run_tables):
    documents, sentences, sf, relevance, truth = run_tables
    probs = sf[["doc_id", "sent_id"]].assign(prob_humanitarian=0.25, prob_security=0.5)
    design = draw_design(sentences, sf, documents, truth)
    fp = frame_prevalence(
        sentences,
        probs,
        documents,
        design,
        relevance=relevance,
        n_boot=100,
        instrument="classifier",
    )
    t = fp.table
    assert np.allclose(t.loc[t["frame"] == "humanitarian", "naive"], 0.25)
    assert np.allclose(t.loc[t["frame"] == "humanitarian", "coded_naive"].dropna(), 0.25)
    assert set(t["instrument"]) == {"classifier"}
    assert fp.params["prediction_rule"] == "prob_humanitarian; prob_security"


def test_measurement_prevalence_reads_frame_predictions_of_mixed_instruments(run_tables):
    """The ``frame_predictions`` table: a classifier's probabilities for English, the lexicon's
    0/1 decisions (prob NaN) for Spanish; each group is labelled with its instrument."""
    documents, sentences, sf, relevance, truth = run_tables
    english = sf["doc_id"].str.startswith("US")
    preds = sf[["doc_id", "sent_id"]].assign(
        prob_humanitarian=np.where(english, 0.3, np.nan),
        pred_humanitarian=(sf["hits_humanitarian"] > 0).astype(int),
        prob_security=np.where(english, 0.2, np.nan),
        pred_security=(sf["hits_security"] > 0).astype(int),
        instrument=np.where(english, "classifier", "lexicon"),
        model="all gold",
        lexicon_version="3.0.0",
    )
    design = draw_design(sentences, sf, documents, truth)
    fp = frame_prevalence(sentences, preds, documents, design, relevance=relevance, n_boot=100)
    t = fp.table.set_index(["country", "subset", "frame"]).sort_index()
    assert set(t.loc["US", "instrument"]) == {"classifier"}
    assert set(t.loc["MX", "instrument"]) == {"lexicon 3.0.0"}
    assert np.allclose(t.loc[("US", "all", "humanitarian"), "naive"], 0.3)
    mx = sf[~english]
    assert t.loc[("MX", "all", "security"), "naive"] == pytest.approx(
        (mx["hits_security"] > 0).mean()
    )
    between = fp.differences[fp.differences["contrast"] == "between_countries"]
    assert set(between["instrument"]) == {"classifier / lexicon 3.0.0"}
    assert fp.params["instrument"] == "classifier + lexicon 3.0.0"


def test_measurement_prevalence_differences(result):
    d = result.differences
    within = d[d["contrast"] == "within_country"]
    assert set(zip(within["group_a"], within["group_b"], strict=True)) == {
        ("US | en | Trump I", "US | en | Biden")
    }
    assert set(within["estimator"]) == {"naive", "corrected"}
    between = d[d["contrast"] == "between_countries"]
    # Trump I and Biden both overlap López Obrador's term; corrected shares only
    assert set(between["group_b"]) == {"MX | es | López Obrador"}
    assert set(between["estimator"]) == {"corrected"}
    for _, r in d.iterrows():
        assert r["difference"] == pytest.approx(r["share_b"] - r["share_a"])
        covers_zero = r["ci_low"] <= 0 <= r["ci_high"]
        assert r["inconclusive"] == (covers_zero or r["reading"] == "not estimable")
        if not r["inconclusive"]:
            assert r["reading"] == ("higher" if r["difference"] > 0 else "lower")


def test_measurement_prevalence_deterministic_given_seed(run_tables):
    documents, sentences, sf, relevance, truth = run_tables
    design = draw_design(sentences, sf, documents, truth)
    a = frame_prevalence(sentences, sf, documents, design, relevance=relevance, n_boot=200, seed=5)
    b = frame_prevalence(sentences, sf, documents, design, relevance=relevance, n_boot=200, seed=5)
    c = frame_prevalence(sentences, sf, documents, design, relevance=relevance, n_boot=200, seed=6)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.differences, b.differences)
    assert not np.allclose(
        a.table["corrected_ci_high"].fillna(0), c.table["corrected_ci_high"].fillna(0)
    )
    assert np.allclose(a.table["corrected"].fillna(-1), c.table["corrected"].fillna(-1))


def test_measurement_prevalence_summary_record_findings(result):
    text = result.summary()
    assert "US | en | Biden" in text and "corrected" in text
    record = result.record()
    assert (
        record["coded_units"]
        == record["matched_by_offsets"] + record["matched_by_text"] + record["unmatched"]
    )
    assert record["unmatched_units"] == []
    findings = result.findings()
    assert len(findings) == 3 * 2 and all(s.endswith(".") for s in findings)
    assert any("points lower" in s or "points higher" in s for s in findings)
