"""Coverage simulation: the corrected 95% interval covers the true group share about 95% of the
time, the naive one does not (figures and settings: docs/measurement.md, section Simulation)."""

from __future__ import annotations

import pytest

from framelens.analysis.stats.frame_prevalence_simulation import Scenario, coverage_table, simulate


def pooled(table, estimator: str) -> float:
    row = table[(table["estimator"] == estimator) & (table["group"] == "all groups")]
    return float(row["coverage"].iloc[0])


def test_measurement_coverage_corrected_covers_naive_does_not():
    sim = simulate(Scenario(n_boot=600), n_reps=250, seed=1)
    table = coverage_table(sim)
    corrected = table[(table["estimator"] == "corrected") & (table["group"] != "all groups")]
    assert 0.93 <= pooled(table, "corrected") <= 0.97, table
    assert corrected["coverage"].min() >= 0.90, corrected
    assert pooled(table, "naive") < 0.5, table
    # the correction removes the instrument's bias: mean estimate within 0.3 points of the truth
    assert (corrected["bias"].abs() < 0.003).all(), corrected
    naive = table[(table["estimator"] == "naive") & (table["group"] != "all groups")]
    assert (naive["bias"].abs() > 0.015).all(), naive


@pytest.mark.slow
def test_measurement_coverage_heterogeneous_errors_and_plain_bootstrap():
    """Instrument errors that vary by document: still at least nominal (conservative).
    The plain stratified bootstrap (Rao-Wu, no pseudo-units) undercovers when rare positives
    leave most unframed strata with no positive coded unit: why the default is "bayes"."""
    het = coverage_table(simulate(Scenario(n_boot=600, heterogeneous=True), n_reps=250, seed=2))
    assert pooled(het, "corrected") >= 0.93, het
    plain = coverage_table(simulate(Scenario(n_boot=600, method="raowu"), n_reps=250, seed=1))
    assert pooled(plain, "corrected") < 0.85, plain
