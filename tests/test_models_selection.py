"""Model selection: the table's columns, the chosen-k rule and the figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from _topic_fixtures import cached_tables, small_config
from framelens.models import choose_k, select_topics
from framelens.models.selection import SELECTION_COLUMNS, summarise_selection
from framelens.outputs.figures import plot_selection
from framelens.schemas import validate


@pytest.mark.corpus
def test_models_selection_table_and_choice(shared_corpus, tmp_path):
    documents, sentences = cached_tables(str(shared_corpus))
    cfg = small_config(k_grid=[4, 6, 7], passes=2, iterations=20, n_seeds=2)
    sel = select_topics(sentences, documents, cfg, seed=3, languages=["en"])
    validate(sel.table, "topic_selection")
    validate(sel.chosen, "topic_selection_chosen")
    assert list(sel.table.columns) == SELECTION_COLUMNS
    # k=4 is below the six seeded themes: skipped and said so
    assert sorted(set(sel.table["k"])) == [6, 7]
    assert {(s["engine"], s["k"]) for s in sel.skipped} == {("lda", 4), ("nmf", 4)}
    assert len(sel.table) == 2 * 2 * 2  # engines x k x seeds
    for _, g in sel.table.groupby(["engine", "k"]):
        assert g["seed"].nunique() == 2
        assert g["stability"].between(0, 1 + 1e-9).all()
    assert sel.table["coherence_cv"].between(0, 1).all()
    assert sel.table["coherence_npmi"].between(-1, 1).all()
    chosen = sel.chosen.set_index("language").loc["en"]
    assert chosen["k"] in (6, 7) and chosen["engine"] in ("lda", "nmf")
    assert chosen["rule"] == "frontier" and "c_v" in chosen["reason"]
    assert sel.figure["chosen"].sum() == 1
    paths = plot_selection(sel.figure, tmp_path / "topic_selection")
    assert paths["pdf"].stat().st_size > 1000 and paths["png"].stat().st_size > 1000
    again = plot_selection(sel.figure, tmp_path / "again")
    assert paths["pdf"].read_bytes() == again["pdf"].read_bytes()


def _summary() -> pd.DataFrame:
    rows = [
        # language, engine, k, cv, npmi, exclusivity, stability
        ("en", "lda", 6, 0.50, 0.02, 0.80, 0.90),
        ("en", "lda", 8, 0.55, 0.05, 0.85, 0.40),  # best scores but unstable
        ("en", "nmf", 6, 0.45, 0.01, 0.90, 0.95),
        ("en", "nmf", 8, 0.52, 0.03, 0.88, 0.70),
    ]
    table = pd.DataFrame(
        [(lang, e, k, s, cv, np_, ex, st) for lang, e, k, cv, np_, ex, st in rows for s in (1, 2)],
        columns=SELECTION_COLUMNS,
    )
    return summarise_selection(table)


def test_models_selection_frontier_rule_respects_stability():
    cfg = small_config(min_stability=0.6)
    out = choose_k(_summary(), cfg).iloc[0]
    # candidates: lda6 (cv .50, ex .80), nmf6 (.45, .90), nmf8 (.52, .88); scaled means:
    # lda6 (5/7 + 0)/2 = .357, nmf6 (0 + 1)/2 = .5, nmf8 (1 + .8)/2 = .9
    assert (out["k"], out["engine"]) == (8, "nmf")
    assert "3 of 4 candidates with stability >= 0.6" in out["reason"]


def test_models_selection_rules_overridable():
    s = _summary()
    assert tuple(
        choose_k(s, small_config(selection_rule="coherence")).iloc[0][["k", "engine"]]
    ) == (8, "nmf")
    loose = small_config(selection_rule="coherence", min_stability=0.0)
    assert tuple(choose_k(s, loose).iloc[0][["k", "engine"]]) == (8, "lda")
    assert tuple(
        choose_k(s, small_config(selection_rule="stability")).iloc[0][["k", "engine"]]
    ) == (6, "nmf")
    fixed = choose_k(s, small_config(selection_rule="fixed", k=10, engine="lda")).iloc[0]
    assert (fixed["k"], fixed["engine"], fixed["reason"]) == (
        10,
        "lda",
        "fixed by config (topics.k)",
    )
    # nobody stable: all candidates, and the reason says so
    strict = choose_k(s, small_config(min_stability=0.99)).iloc[0]
    assert "none reached stability" in strict["reason"]
    assert np.isfinite(s["stability"]).all()


@pytest.mark.corpus
def test_models_selection_used_by_fit_topics_when_k_is_null(shared_corpus):
    from framelens.models import fit_topics

    documents, sentences = cached_tables(str(shared_corpus))
    cfg = small_config(k=None, k_grid=[6, 7], passes=2, iterations=20, n_seeds=1, n_boot=50)
    res = fit_topics(sentences, documents, cfg, seed=2, languages=["en"])
    chosen = res.selection.chosen.set_index("language").loc["en"]
    assert set(res.selection.table["engine"]) == {"lda"}  # only the configured engine
    assert res.params["languages"]["en"]["k"] == chosen["k"]
    assert res.params["languages"]["en"]["k_source"] == "selection"
    assert res.topics["topic"].nunique() == chosen["k"]
    assert "one seed: stability undefined" in chosen["reason"]
    tables = res.selection.tables()
    assert list(tables) == ["topic_selection", "topic_selection_chosen"]
    assert tables["topic_selection_chosen"] is res.selection.chosen
