"""The sampler of `framelens gold sample`: strata, allocation, inclusion probabilities
(Horvitz-Thompson totals recover known totals), seeding and the blinded sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.coding import (
    SampleDesign,
    allocate,
    draw_sample,
    sample_units,
    sampling_frame,
    stratum_table,
    unit_ids,
)
from framelens.core.errors import ConfigError

ADMINS = {"en": ("US", ["Trump I", "Biden"]), "es": ("MX", ["López Obrador", "Sheinbaum"])}


def population(seed: int = 0, docs_per_group: int = 3) -> dict[str, pd.DataFrame]:
    """Run tables of a synthetic corpus: 2 languages x 2 administrations, one undated document
    and one document in another language (both outside the population)."""
    rs = np.random.default_rng(seed)
    docs, sents, frames = [], [], []
    groups = [(lang, c, a) for lang, (c, admins) in ADMINS.items() for a in admins]
    groups += [("en", "US", "unknown"), ("other", "US", "Biden")]
    for g, (lang, country, admin) in enumerate(groups):
        for d in range(docs_per_group if admin != "unknown" and lang != "other" else 1):
            doc_id = f"{country.lower()}-{g}-{d}"
            docs.append(
                {
                    "doc_id": doc_id,
                    "language": lang,
                    "country": country,
                    "administration": admin,
                    "doc_type": "speech",
                    "issuer": f"issuer {g}",
                    "title": f"Title {doc_id}",
                }
            )
            # fire rates differ by group so that strata differ in size (one framed stratum tiny)
            rate = 0.02 if (lang, admin) == ("es", "Sheinbaum") else 0.25 + 0.1 * g
            pos = 0
            for s in range(int(rs.integers(30, 80))):
                length = int(rs.integers(20, 120))
                fired = rs.random() < rate
                sents.append(
                    {
                        "doc_id": doc_id,
                        "sent_id": s,
                        "start_char": pos,
                        "end_char": pos + length,
                        "text": f"sentence {s} of {doc_id}",
                    }
                )
                frames.append(
                    {
                        "doc_id": doc_id,
                        "sent_id": s,
                        "hits_humanitarian": int(fired and rs.random() < 0.6),
                        "hits_security": int(fired) * int(rs.integers(0, 3)),
                        "lexicon_version": "3.0.0",
                    }
                )
                pos += length + 1
    frames_df = pd.DataFrame(frames)
    frames_df["y"] = rs.random(len(frames_df))  # a variable to estimate (not in the run's tables)
    return {
        "sentences": pd.DataFrame(sents),
        "sentence_frames": frames_df,
        "documents": pd.DataFrame(docs),
    }


@pytest.fixture(scope="module")
def run_tables():
    return population()


def _draw(tables, **kw):
    return sample_units(
        tables["sentences"], tables["sentence_frames"], tables["documents"], SampleDesign(**kw)
    )


def test_coding_sample_population_excludes_undated_and_other_languages(run_tables):
    frame = sampling_frame(
        run_tables["sentences"], run_tables["sentence_frames"], run_tables["documents"]
    )
    assert set(frame["language"]) == {"en", "es"}
    assert "unknown" not in set(frame["administration"])
    assert frame["stratum"].str.count(r"\|").eq(2).all()
    assert set(frame["framed"]) == {"framed", "unframed"}
    fired = (frame["lexicon_humanitarian_hits"] + frame["lexicon_security_hits"]) > 0
    assert (frame["framed"].eq("framed") == fired).all()
    with_unknown = sampling_frame(
        run_tables["sentences"],
        run_tables["sentence_frames"],
        run_tables["documents"],
        include_unknown=True,
    )
    assert "unknown" in set(with_unknown["administration"])


def test_coding_sample_horvitz_thompson_recovers_stratum_totals_exactly(run_tables):
    drawn = _draw(run_tables, n=80, seed=4)
    sample, strata = drawn.sample, drawn.strata
    frame = sampling_frame(
        run_tables["sentences"], run_tables["sentence_frames"], run_tables["documents"]
    )
    truth = frame.groupby("stratum").size()
    ht = (1.0 / sample["inclusion_prob"]).groupby(sample["stratum"]).sum()
    np.testing.assert_allclose(ht.reindex(truth.index).to_numpy(), truth.to_numpy(), rtol=1e-12)
    # per stratum: n/N as recorded, and n rows drawn
    counts = sample.groupby("stratum").size()
    s = strata.set_index("stratum")
    assert (counts.reindex(s.index) == s["n_stratum"]).all()
    np.testing.assert_allclose(s["inclusion_prob"], s["n_stratum"] / s["N_stratum"])
    # totals of groups made of whole strata (language x administration) come out exactly too
    key = sample["language"] + "|" + sample["administration"]
    ht_groups = (1.0 / sample["inclusion_prob"]).groupby(key).sum()
    true_groups = frame.groupby(frame["language"] + "|" + frame["administration"]).size()
    np.testing.assert_allclose(ht_groups.reindex(true_groups.index), true_groups, rtol=1e-12)
    # the tiny framed stratum (fewer units than its allocation) is taken whole
    small = s[s["N_stratum"] <= s["n_stratum"]]
    assert len(small) >= 1 and (small["inclusion_prob"] == 1.0).all()
    assert sample["unit_id"].is_unique and len(sample) == 80


def test_coding_sample_horvitz_thompson_unbiased_for_a_variable_over_draws(run_tables):
    frame = sampling_frame(
        run_tables["sentences"], run_tables["sentence_frames"], run_tables["documents"]
    )
    y = run_tables["sentence_frames"].set_index(["doc_id", "sent_id"])["y"]
    frame["y"] = y.reindex(pd.MultiIndex.from_frame(frame[["doc_id", "sent_id"]])).to_numpy()
    frame["y"] += 3.0 * (frame["framed"] == "framed")  # y differs between strata
    design = SampleDesign(n=60, allocation="neyman").checked()
    table = stratum_table(frame, design)
    n_h = allocate(table["N_stratum"], design.n, table["weight"], design.min_per_stratum)
    truth = float(frame["y"].sum())
    estimates = []
    for seed in range(300):
        s = draw_sample(frame, n_h, seed)
        estimates.append(float((s["y"] / s["inclusion_prob"]).sum()))
    estimates = np.asarray(estimates)
    se = estimates.std(ddof=1) / np.sqrt(len(estimates))
    assert abs(estimates.mean() - truth) < 3.5 * se
    assert estimates.std() > 0  # the draws do differ


def test_coding_allocation_equal_proportional_and_caps():
    sizes = pd.Series({"a": 100, "b": 100, "c": 5, "d": 1000})
    equal = allocate(sizes, 60)
    assert equal.sum() == 60 and equal["c"] == 5
    assert equal.drop("c").max() - equal.drop("c").min() <= 1
    prop = allocate(
        pd.Series({"a": 100, "b": 300, "c": 600}),
        100,
        pd.Series({"a": 100.0, "b": 300.0, "c": 600.0}),
    )
    assert prop.tolist() == [10, 30, 60]
    floor = allocate(
        pd.Series({"a": 10, "b": 10_000}),
        50,
        pd.Series({"a": 10.0, "b": 10_000.0}),
        min_per_stratum=5,
    )
    assert floor.tolist() == [5, 45]
    everything = allocate(sizes, 10_000)
    assert (everything == sizes).all()
    with pytest.raises(ConfigError, match="E003"):
        allocate(sizes, 6, min_per_stratum=2)


def test_coding_allocation_neyman_follows_guessed_error_rates(run_tables):
    frame = pd.DataFrame(
        {"stratum": ["f"] * 500 + ["u"] * 500, "framed": ["framed"] * 500 + ["unframed"] * 500}
    )
    table = stratum_table(frame, SampleDesign(n=100, allocation="neyman-ish").checked())
    n_h = allocate(table["N_stratum"], 100, table["weight"])
    ratio = np.sqrt(0.35 * 0.65) / np.sqrt(0.03 * 0.97)
    assert abs(n_h["f"] / n_h["u"] - ratio) < 0.15
    assert n_h.sum() == 100


def test_coding_sample_explicit_sizes(run_tables):
    frame = sampling_frame(
        run_tables["sentences"], run_tables["sentence_frames"], run_tables["documents"]
    )
    strata = sorted(frame["stratum"].unique())
    sizes = {s: 3 for s in strata}
    drawn = _draw(run_tables, allocation=sizes)
    got = drawn.sample.groupby("stratum").size()
    cap = frame.groupby("stratum").size().clip(upper=3)
    assert (got.reindex(cap.index) == cap).all()
    with pytest.raises(ConfigError, match="unknown strata"):
        _draw(run_tables, allocation={**sizes, "xx|yy|framed": 2})
    with pytest.raises(ConfigError, match="without a size"):
        _draw(run_tables, allocation={s: 3 for s in strata[1:]})


def test_coding_sample_is_seeded_and_independent_of_row_order(run_tables):
    a = _draw(run_tables, n=50, seed=7)
    b = _draw(run_tables, n=50, seed=7)
    pd.testing.assert_frame_equal(a.sample, b.sample)
    pd.testing.assert_frame_equal(a.sheet, b.sheet)
    shuffled = {k: v.sample(frac=1.0, random_state=3) for k, v in run_tables.items()}
    pd.testing.assert_frame_equal(_draw(shuffled, n=50, seed=7).sample, a.sample)
    other = _draw(run_tables, n=50, seed=8)
    assert set(other.sample["unit_id"]) != set(a.sample["unit_id"])


def test_coding_sheet_is_blinded(run_tables):
    drawn = _draw(run_tables, n=50, seed=2)
    hidden = {
        "stratum",
        "N_stratum",
        "n_stratum",
        "inclusion_prob",
        "lexicon_version",
        "lexicon_humanitarian_hits",
        "lexicon_security_hits",
        "start_char",
        "end_char",
    }
    assert not hidden & set(drawn.sheet.columns)
    assert set(drawn.sheet["unit_id"]) == set(drawn.sample["unit_id"])
    # rows are shuffled: the sheet's order does not follow the strata
    order = drawn.sample.set_index("unit_id").loc[drawn.sheet["unit_id"], "stratum"]
    assert not order.is_monotonic_increasing
    assert drawn.sheet[["humanitarian", "security"]].isna().all().all()


def test_coding_sample_rejects_bad_designs(run_tables):
    with pytest.raises(ConfigError, match="gold.strata"):
        _draw(run_tables, n=10, strata=("language", "colour"))
    with pytest.raises(ConfigError, match="gold.allocation"):
        _draw(run_tables, n=10, allocation="optimal")
    with pytest.raises(ConfigError, match="gold.n"):
        _draw(run_tables, n=0)
    docs = run_tables["documents"].assign(administration="unknown")
    with pytest.raises(ConfigError, match="No sentences to sample"):
        sample_units(
            run_tables["sentences"], run_tables["sentence_frames"], docs, SampleDesign(n=10)
        )


def test_coding_unit_ids_are_stable_hashes():
    ids = unit_ids(pd.Series(["d", "d"]), pd.Series([0, 6]), pd.Series([5, 9]))
    assert ids.iloc[0] == "u28a4c19553"  # sha1("d|0|5")[:10]
    assert ids.str.match(r"^u[0-9a-f]{10}$").all() and ids.is_unique
    again = unit_ids(pd.Series(["d"]), pd.Series([0]), pd.Series([5]))
    assert again.iloc[0] == ids.iloc[0]
