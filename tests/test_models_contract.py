"""The estimator contract, checked for both engines (after scikit-learn's estimator_checks)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from _topic_fixtures import cached_tables
from framelens.core.errors import ConfigError
from framelens.models import (
    LDATopicModel,
    NMFTopicModel,
    build_corpus,
    check_topic_model,
    load_seeds,
)

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def en_corpus(shared_corpus):
    documents, sentences = cached_tables(str(shared_corpus))
    return build_corpus(sentences, documents, "en", min_df=2, max_df=0.6)


@pytest.fixture(scope="module")
def en_seed_terms(en_corpus):
    return load_seeds().resolve("en", en_corpus.vocabulary)


ENGINES = {
    "lda": lambda **kw: LDATopicModel(6, random_state=3, passes=2, iterations=20, **kw),
    "nmf": lambda **kw: NMFTopicModel(6, random_state=3, max_iter=200, **kw),
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_models_contract_unseeded(engine, en_corpus):
    check_topic_model(ENGINES[engine](), en_corpus)


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_models_contract_seeded(engine, en_corpus, en_seed_terms):
    est = ENGINES[engine](seed_terms=en_seed_terms)
    check_topic_model(est, en_corpus)
    fitted = ENGINES[engine](seed_terms=en_seed_terms).fit(en_corpus)
    assert fitted.topic_labels_ == list(load_seeds().themes)


def test_models_contract_init_does_no_work(en_corpus):
    est = LDATopicModel(k=-1, passes=0)  # invalid values are accepted until fit, as in sklearn
    assert est.k == -1
    with pytest.raises(ConfigError, match="E003|invalid"):
        est.fit(en_corpus)
    # the constraints are in scikit-learn's format: its own validation understands them
    with pytest.raises(InvalidParameterError, match="'k' parameter of LDATopicModel"):
        est._validate_params()
    NMFTopicModel()._validate_params()
    with pytest.raises(NotFittedError):
        NMFTopicModel().top_terms()


def test_models_contract_k_below_themes_refused(en_corpus, en_seed_terms):
    with pytest.raises(ConfigError, match="smaller than the 6 seeded themes"):
        LDATopicModel(4, random_state=0, passes=1, seed_terms=en_seed_terms).fit(en_corpus)


def test_models_corpus_pruning_rules(en_corpus):
    vocab = set(en_corpus.vocabulary)
    assert not any(any(ch.isdigit() for ch in t) for t in vocab)
    assert all(len(t) >= 3 for t in vocab)
    assert not vocab & {"the", "and", "shall_not", "iii", "xii"}
    df = np.asarray((en_corpus.dtm > 0).sum(axis=0)).ravel()
    assert df.min() >= 2
    assert en_corpus.dtm.shape == (len(en_corpus.doc_ids), len(en_corpus.vocabulary))
    assert en_corpus.doc_ids == sorted(en_corpus.doc_ids)
    assert list(en_corpus.metadata["doc_id"]) == en_corpus.doc_ids
