"""fit_topics on real US and Mexican documents: determinism, seeded themes, prevalence."""

from __future__ import annotations

import numpy as np
import pytest

from _topic_fixtures import cached_results, cached_tables, small_config
from framelens.core.io import table_to_csv_bytes
from framelens.models import estimate_prevalence, fit_topics, load_seeds
from framelens.schemas import validate

pytestmark = pytest.mark.corpus

SEED = 11


@pytest.fixture(scope="module")
def tables(shared_corpus):
    return cached_tables(str(shared_corpus))


@pytest.fixture(scope="module")
def results(shared_corpus):
    return cached_results(str(shared_corpus), SEED)


def test_models_topics_tables_match_schemas(results):
    for name in ("topics", "doc_topics", "topic_prevalence"):
        validate(getattr(results, name), name)
    tables = results.tables()
    assert list(tables) == ["topics", "doc_topics", "topic_prevalence", "topic_seed_ranks"]
    assert tables["topic_seed_ranks"] is results.seed_ranks
    for name, df in tables.items():
        validate(df, name)
    assert set(results.topics["language"]) == {"en", "es"}
    sums = results.doc_topics.groupby("doc_id")["weight"].sum()
    assert np.allclose(sums, 1.0)


def test_models_topics_determinism_byte_identical(results, tables):
    documents, sentences = tables
    before = (documents.copy(), sentences.copy())
    again = fit_topics(sentences, documents, small_config(), seed=SEED)
    for name in ("topics", "doc_topics", "topic_prevalence", "seed_ranks"):
        assert table_to_csv_bytes(getattr(again, name)) == table_to_csv_bytes(
            getattr(results, name)
        ), name
    # inputs are not modified
    assert documents.equals(before[0]) and sentences.equals(before[1])


@pytest.mark.parametrize("language", ["en", "es"])
def test_models_topics_seeded_theme_recovers_seed_terms(results, language):
    seeds = load_seeds()
    topics = results.topics[results.topics["language"] == language]
    resolved = seeds.resolve(language, results.corpora[language].vocabulary)
    for t, theme in enumerate(seeds.themes):
        sub = topics[topics["topic"] == t]
        assert (sub["label"] == theme).all()
        top10 = set(sub.loc[sub["rank"] <= 10, "term"])
        found = top10 & set(resolved[theme])
        assert len(found) >= 2, (language, theme, sorted(top10))
    ranks = results.seed_ranks[results.seed_ranks["language"] == language]
    assert set(ranks["label"]) == set(seeds.themes)
    assert ranks.groupby("label")["rank"].min().max() <= 4  # each theme leads with a seed term


def test_models_topics_theme_labels_shared_across_languages(results):
    prev = results.topic_prevalence
    for theme in load_seeds().themes:
        assert set(prev.loc[prev["label"] == theme, "country"]) == {"US", "MX"}


def test_models_topics_prevalence_contains_point_estimate(results):
    prev = results.topic_prevalence
    assert (prev["ci_low"] <= prev["mean"]).all() and (prev["mean"] <= prev["ci_high"]).all()
    groups = prev.groupby(["country", "administration"])["n_docs"].first()
    assert groups[("US", "Biden")] == 8 and groups[("MX", "Sheinbaum")] == 6
    unknown = prev[prev["administration"] == "unknown"]
    assert len(unknown) > 0 and not unknown["comparable"].any() and unknown["small_n"].all()
    assert prev.loc[prev["administration"] != "unknown", "comparable"].all()


def test_models_topics_prevalence_widens_when_n_shrinks(results):
    corpus = results.corpora["en"]
    model = results.models["en"][0]
    meta = corpus.metadata.assign(country="US", administration="Biden", language="en")
    theta = model.doc_topic_[None]
    gamma = model.gamma_[None]
    labels = [f"t{i}" for i in range(model.k)]
    full, _ = estimate_prevalence(theta, meta, labels, concentration=gamma, n_boot=400, seed=1)
    half = np.arange(0, corpus.n_docs, 3)  # a third of the documents
    part, _ = estimate_prevalence(
        theta[:, half], meta.iloc[half], labels, concentration=gamma[:, half], n_boot=400, seed=1
    )
    width_full = (full["ci_high"] - full["ci_low"]).mean()
    width_part = (part["ci_high"] - part["ci_low"]).mean()
    assert full["n_docs"].iloc[0] == corpus.n_docs and part["n_docs"].iloc[0] == len(half)
    assert width_part > 1.2 * width_full
    assert (part["ci_low"] <= part["mean"]).all() and (part["mean"] <= part["ci_high"]).all()


def test_models_topics_prevalence_mean_is_group_mean_of_doc_topics(results):
    dt = results.doc_topics.merge(
        results.corpora["es"].metadata[["doc_id", "administration"]], on="doc_id"
    )
    manual = dt[dt["administration"] == "Sheinbaum"].groupby("topic")["weight"].mean()
    prev = results.topic_prevalence
    table = prev[(prev["administration"] == "Sheinbaum")].set_index("topic")["mean"]
    assert np.allclose(manual.sort_index().to_numpy(), table.sort_index().to_numpy())


def test_models_topics_model_uncertainty_enters_intervals(results):
    """With refits that disagree, one document's interval is wider than its own posterior."""
    corpus = results.corpora["es"]
    models = results.models["es"]
    assert len(models) == 2 and models[0].random_seed_ != models[1].random_seed_
    meta = corpus.metadata.assign(administration="x")
    one = estimate_prevalence(models[0].doc_topic_, meta, list(range(models[0].k)), n_boot=200)[0]
    assert (one["ci_low"] <= one["mean"] + 1e-12).all()


def test_models_topics_commands_write_tables_and_figures(tables, tmp_path):
    from framelens.core.config import RunConfig
    from framelens.core.io import write_table
    from framelens.pipeline.topics import topics_fit, topics_intrusion, topics_score

    documents, sentences = tables
    write_table(sentences, tmp_path / "tables", "sentences", ("parquet",))
    write_table(documents, tmp_path / "tables", "documents", ("parquet",))
    cfg = RunConfig.from_dict(
        {"seed": 4, "topics": {"k": 6, "passes": 2, "iterations": 20, "n_seeds": 1, "n_boot": 50}}
    )
    res = topics_fit(tmp_path, cfg)
    for name in ("topics.csv", "doc_topics.parquet", "topic_prevalence.csv"):
        assert (tmp_path / "tables" / name).stat().st_size > 0
    assert (tmp_path / "tables" / "topics.csv").read_bytes() == table_to_csv_bytes(res.topics)
    assert (tmp_path / "figures" / "topic_prevalence.pdf").exists()
    paths = topics_intrusion(tmp_path, cfg, n_docs=3)
    scores = topics_score(paths["word_intrusion_sheet"], paths["word_intrusion_key"])
    assert (scores["n_answers"] == 0).all()  # nothing filled in yet
