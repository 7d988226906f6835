"""Per-sentence predictions of a run from either instrument (the input of frame_prevalence)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.classifier import LexiconSeededClassifier
from framelens.analysis.framing.classifier_features import run_sentence_features
from framelens.analysis.framing.classifier_predictions import (
    classifier_frame_predictions,
    instrument_for_run,
    lexicon_frame_predictions,
)
from framelens.analysis.framing.lexicon import load_lexicon
from framelens.analysis.framing.scoring import score_frames
from framelens.analysis.text.preprocess import preprocess
from framelens.schemas import columns_of

EN = [
    "Unaccompanied children were apprehended at the border and placed in shelters.",
    "The agents detained migrants and deported them to Mexico.",
    "Families seeking asylum need legal aid and humanitarian protection.",
    "The weather was pleasant on Tuesday.",
]
ES = [
    "Los niños migrantes no acompañados recibieron atención médica y albergue.",
    "La Guardia Nacional detuvo a los migrantes en la frontera sur.",
    "El presidente habló de la economía y del petróleo.",
]


@pytest.fixture(scope="module")
def run_tables():
    docs = []
    for lang, texts in (("en", EN), ("es", ES)):
        for j in range(6):
            docs.append(
                {
                    "doc_id": f"{lang}{j}",
                    "language": lang,
                    "status": "ok",
                    "text": " ".join(texts[j % len(texts) :] + texts[: j % len(texts)]),
                }
            )
    documents = pd.DataFrame(docs)
    sentences = preprocess(documents)
    sf = score_frames(sentences, load_lexicon("3.0.0"), documents).sentence_frames
    return documents, sentences, sf


def test_classifier_lexicon_predictions(run_tables):
    documents, sentences, sf = run_tables
    lp = lexicon_frame_predictions(sf)
    assert list(lp.columns) == columns_of("frame_predictions")
    assert lp["prob_humanitarian"].isna().all()
    assert (lp["pred_security"] == (sf["hits_security"] > 0).astype(int)).all()


def test_classifier_run_predictions_and_choice(run_tables):
    documents, sentences, sf = run_tables
    feats = run_sentence_features(sentences, sf, documents)
    assert len(feats) == len(sf) and set(feats["language"]) == {"en", "es"}
    labels = pd.DataFrame(
        {f: (feats[f"hits_{f}"] > 0).astype(int) for f in ("humanitarian", "security")}
    )
    model = LexiconSeededClassifier(param_grid={"C": [1.0]}, n_folds=2, random_state=0)
    model.fit(feats, labels, feats["doc_id"])
    cp = classifier_frame_predictions(model, sentences, sf, documents)
    assert list(cp.columns) == columns_of("frame_predictions")
    assert cp["prob_security"].between(0, 1).all() and (cp["model"] == "all gold").all()
    choice = pd.DataFrame({"language": ["en", "es"], "instrument": ["classifier", "lexicon"]})
    used = instrument_for_run(choice, sf, cp, documents)
    is_en = used["doc_id"].str.startswith("en").to_numpy()
    assert (used.loc[is_en, "instrument"] == "classifier").all()
    assert (used.loc[~is_en, "instrument"] == "lexicon").all()
    assert used.loc[~is_en, "prob_humanitarian"].isna().all()
    assert np.allclose(
        used.loc[is_en, "prob_humanitarian"].to_numpy(),
        cp.loc[is_en, "prob_humanitarian"].to_numpy(),
    )
    assert instrument_for_run(choice, sf, None, documents)["instrument"].eq("lexicon").all()
