"""Verdicts: an interval that includes zero is never "supported"; equivalence is TOST with the
configured margin; raw US-vs-MX lexicon differences are "not comparable"; P2 needs its null
model; P4 reads the corrected prevalence when there is one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from framelens.analysis.stats.propositions import Margins, propositions, propositions_from_tables
from framelens.analysis.stats.verdicts import (
    CONTRADICTED,
    EQUIVALENT,
    INCONCLUSIVE,
    NO_INTERVAL,
    NOT_COMPARABLE,
    NOT_JUDGED,
    SUPPORTED,
    judge_direction,
    judge_no_difference,
)
from framelens.core.config import CompareConfig, RunConfig
from framelens.core.errors import ConfigError
from framelens.schemas import validate


def test_inference_an_interval_including_zero_is_never_supported():
    rng = np.random.default_rng(0)
    for _ in range(5000):
        lo, hi = np.sort(rng.uniform(-1, 1, 2))
        m = rng.uniform(0.01, 0.5)
        for v in (judge_direction(lo, hi, m, below=True), judge_direction(lo, hi, m, below=False),
                  judge_no_difference(lo, hi, m)):  # fmt: skip
            if lo <= 0 <= hi:
                assert v.verdict != SUPPORTED, (lo, hi, m, v)
            if v.verdict == SUPPORTED:
                assert hi < 0 or lo > 0
    assert judge_direction(-0.3, 0.2, 0.1).verdict == INCONCLUSIVE
    assert judge_direction(-0.05, 0.08, 0.1).verdict == EQUIVALENT
    assert judge_direction(-0.5, -0.2, 0.1).verdict == SUPPORTED
    assert judge_direction(0.2, 0.5, 0.1).verdict == CONTRADICTED
    assert judge_direction(float("nan"), 0.1, 0.1).verdict == NO_INTERVAL
    assert "within the equivalence margin" in judge_direction(-0.08, -0.01, 0.1).reason


def test_inference_equivalence_is_tost_with_the_margin():
    """An interval at level 1 - 2a inside (-m, m) <=> both one-sided tests at level a reject."""
    rng = np.random.default_rng(1)
    z = stats.norm.ppf(0.975)
    for _ in range(5000):
        d, se, m = rng.normal(0, 0.2), rng.uniform(0.01, 0.2), rng.uniform(0.02, 0.3)
        p_low = stats.norm.sf((d + m) / se)  # H0: d <= -m
        p_high = stats.norm.cdf((d - m) / se)  # H0: d >= m
        tost = max(p_low, p_high) < 0.025
        v = judge_no_difference(d - z * se, d + z * se, m)
        assert (v.verdict == EQUIVALENT) == tost
    assert judge_no_difference(0.2, 0.6, 0.1).verdict == CONTRADICTED
    assert judge_no_difference(-0.2, 0.3, 0.1).verdict == INCONCLUSIVE
    assert "excludes zero" in judge_no_difference(0.01, 0.05, 0.1).reason


def _groups(rows):
    return pd.DataFrame(
        [{"measure": "framing_index", "country": c, "administration": a, "comparable": True,
          "n_docs": n, "mean": (lo + hi) / 2, "ci_low": lo, "ci_high": hi, "small_n": n < 5,
          "min_n": 5} for c, a, n, lo, hi in rows]
    )  # fmt: skip


def _differences(rows):
    out = []
    for comparison, country, a, b, lo, hi, period in rows:
        out.append({"measure": "framing_index", "comparison": comparison, "country": country,
                    "group_a": a, "group_b": b, "contrast": f"{b} - {a}", "n_a": 30, "n_b": 30,
                    "difference": (lo + hi) / 2, "ci_low": lo, "ci_high": hi, "p_perm": 0.3,
                    "p_holm": 0.6, "small_n": False, "period": period,
                    "period_start": "2021-01-20" if period else None, "period_end": None})  # fmt: skip
    return pd.DataFrame(out)


def test_inference_p3_and_p4_never_read_zero_as_support():
    g = _groups([("US", "Trump I", 30, -0.7, -0.3), ("US", "Biden", 30, -0.06, 0.08),
                 ("US", "Trump II", 30, -0.3, 0.2)])  # fmt: skip
    d = _differences([
        ("administration", "US", "Trump I", "Biden", -0.05, 0.09, None),
        ("administration", "US", "Biden", "Trump II", -0.4, 0.3, None),
        ("country", "US vs MX", "US (Biden)", "MX (López Obrador)", -0.2, 0.25, "Biden / López Obrador"),
    ])  # fmt: skip
    t = validate(propositions(g, d, None, margins=Margins(index=0.1)), "propositions")
    p1 = t[t["proposition"] == "P1"].set_index("label")["verdict"]
    assert p1.to_dict() == {"US · Trump I": SUPPORTED, "US · Biden": EQUIVALENT,
                            "US · Trump II": INCONCLUSIVE}  # fmt: skip
    p3 = t[t["proposition"] == "P3"]["verdict"].tolist()
    assert p3 == [EQUIVALENT, INCONCLUSIVE]
    p4 = t[t["proposition"] == "P4"].iloc[0]
    assert p4["verdict"] == NOT_COMPARABLE and "different instruments" in p4["reason"]
    assert (t["margin"].dropna() == 0.1).all()
    for r in t.itertuples():
        if r.ci_low <= 0 <= r.ci_high:
            assert r.verdict != SUPPORTED


def test_inference_p4_reads_one_instrument_and_the_corrected_prevalence():
    d = _differences([("country", "US vs MX", "US (Biden)", "MX (López Obrador)", -0.04, 0.06,
                       "Biden / López Obrador")])  # fmt: skip
    adjusted = d.assign(estimator="raw", comparable=True)  # one instrument: judged
    t = propositions(None, d, None, frame_differences_adjusted=adjusted)
    assert t.loc[t["proposition"] == "P4", "verdict"].tolist() == [EQUIVALENT]
    prev = pd.DataFrame([
        {"contrast": "between_countries", "group_a": "US | en | Biden",
         "group_b": "MX | es | López Obrador", "subset": subset, "frame": frame,
         "estimator": "corrected", "difference": diff, "ci_low": lo, "ci_high": hi,
         "unstable": False}
        for subset in ("all", "relevant")
        for frame, diff, lo, hi in (("humanitarian", 0.01, -0.02, 0.04),
                                    ("security", -0.12, -0.2, -0.04))
    ])  # fmt: skip
    t = validate(propositions(None, d, None, frame_prevalence_differences=prev), "propositions")
    p4 = t[t["rests_on"] == "frame_prevalence_differences"].set_index("measure")
    assert set(p4.index) == {"corrected_prevalence_humanitarian", "corrected_prevalence_security"}
    assert p4.loc["corrected_prevalence_humanitarian", "verdict"] == EQUIVALENT
    assert p4.loc["corrected_prevalence_security", "verdict"] == CONTRADICTED
    assert "relevant sentences" in p4["label"].iloc[0] and (p4["margin"] == 0.05).all()
    assert "lower" in p4.loc["corrected_prevalence_security", "reason"]


def _cooc_wide(oe: tuple, reverse: tuple) -> pd.DataFrame:
    row = {"country": "US", "administration": "Biden", "comparable": True, "n_docs": 40,
           "small_n": False, "hum_in_sec_n_docs": 38, "hum_in_sec_share": 0.35,
           "hum_in_sec_share_ci_low": 0.28, "hum_in_sec_share_ci_high": 0.44}  # fmt: skip
    for prefix, (v, lo, hi) in (("hum_in_sec_oe", oe), ("sec_in_hum_oe", reverse)):
        row.update({prefix: v, f"{prefix}_ci_low": lo, f"{prefix}_ci_high": hi})
    return pd.DataFrame([row])


def test_inference_p2_needs_a_null_model():
    long = pd.DataFrame([{"measure": "hum_in_sec_share", "country": "US", "administration": "Biden",
                          "comparable": True, "n_docs": 40, "mean": 0.35, "ci_low": 0.28,
                          "ci_high": 0.44, "small_n": False}])  # fmt: skip
    t = propositions(None, None, long)
    assert t["verdict"].tolist() == [NOT_JUDGED] and "no null model" in t["reason"].iloc[0]
    t = propositions(None, None, _cooc_wide((1.4, 1.2, 1.6), (1.05, 0.95, 1.15)))
    r = t.iloc[0]
    assert r["verdict"] == SUPPORTED and r["measure"] == "hum_in_sec_oe" and r["asymmetry"]
    assert r["estimate"] == pytest.approx(1.4)
    t = propositions(None, None, _cooc_wide((1.02, 0.95, 1.08), (1.0, 0.9, 1.1)))
    assert t["verdict"].tolist() == [EQUIVALENT] and not t["asymmetry"].iloc[0]
    t = propositions(None, None, _cooc_wide((0.9, 0.7, 1.3), (1.0, 0.9, 1.1)))
    assert t["verdict"].tolist() == [INCONCLUSIVE]
    nan = _cooc_wide((np.nan, np.nan, np.nan), (np.nan, np.nan, np.nan))
    assert propositions(None, None, nan)["verdict"].tolist() == [NOT_JUDGED]


def test_inference_margins_come_from_the_config():
    g = _groups([("US", "Biden", 30, -0.15, 0.15)])
    wide = CompareConfig(equivalence_margin=0.2)
    t = propositions_from_tables({"frame_by_group": g}, wide)
    assert t["verdict"].tolist() == [EQUIVALENT] and t["margin"].iloc[0] == 0.2
    assert propositions_from_tables({"frame_by_group": g})["verdict"].tolist() == [INCONCLUSIVE]
    with pytest.raises(ConfigError):
        RunConfig.from_dict({"compare": {"equivalence_margin": 0}})
