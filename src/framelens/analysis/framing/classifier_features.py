"""Features of the lexicon-seeded classifier: lexicon hits, subframes, negation and lemmas.

One feature row per sentence, the same columns whether the sentence is a hand-coded one
(``coded_sentence_features``) or a sentence of a run (``run_sentence_features``):

- ``language``, ``lemmas`` (space-joined lower-cased lemmas, from ``preprocess``),
- ``hits_<frame>`` and ``negated_<frame>`` for every frame of the lexicon (from
  ``score_frames``' ``sentence_frames``), ``subframes`` ("subframe:count;..."),
- identifiers passed through: ``sent_id``, ``doc_id`` (the source document).

Hand-coded sentences go through the protocol of ``validate_lexicon`` (``validation.py``): each
is read with ``read_gold``, preprocessed as a one-sentence document with the run's pipeline and
scored with the lexicon; when the sentencizer cuts it, the hits and subframe counts of the pieces
are summed and their lemmas joined, so the unit stays the coded sentence. A test pins that the
hits equal those of ``predict_gold``.

``LexiconFeatures`` turns the lexicon columns into a matrix (scikit-learn transformer).
"""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from framelens.analysis.framing.lexicon import Lexicon, load_lexicon
from framelens.analysis.framing.validation import read_gold, score_coded_sentences
from framelens.core.config import LexiconConfig, PreprocessConfig
from framelens.core.domain import CODED_FRAMES, FRAMES
from framelens.core.errors import ConfigError, Errors

#: Count columns of ``sentence_frames`` used as features (all frames of the lexicon).
LEXICON_COUNT_COLUMNS = [f"hits_{f}" for f in FRAMES] + [f"negated_{f}" for f in FRAMES]
#: Columns of a feature table the classifier reads.
FEATURE_COLUMNS = ["language", "lemmas", *LEXICON_COUNT_COLUMNS, "subframes"]
_SCALINGS = ("count", "log1p", "binary")


def parse_subframes(value: str) -> Counter:
    """Parse ``"name:count;name:count"`` (``sentence_frames.subframes``) into a Counter.

    >>> dict(parse_subframes("care_services:1;child_protection:2"))
    {'care_services': 1, 'child_protection': 2}
    """
    out: Counter = Counter()
    for part in str(value or "").split(";"):
        if part:
            name, _, count = part.rpartition(":")
            out[name] += int(count)
    return out


def _join_subframes(values: pd.Series) -> str:
    total: Counter = Counter()
    for v in values:
        total.update(parse_subframes(v))
    return ";".join(f"{k}:{total[k]}" for k in sorted(total))


def coded_sentence_features(
    coded: str | os.PathLike | pd.DataFrame,
    lexicon: Lexicon | None = None,
    *,
    config: LexiconConfig | None = None,
    preprocess_config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Preprocess and score hand-coded sentences as ``validate_lexicon`` does; one row each.

    Parameters
    ----------
    coded : path or DataFrame
        Gold-format sentences (``read_gold``): sent_id (unique), doc_id, language, text,
        humanitarian, security.
    lexicon : Lexicon, optional
        Default ``load_lexicon(config.version)``.
    config, preprocess_config : optional
        Scoring (negation window, ``count_negated``) and spaCy pipeline, as for a run.

    Returns
    -------
    DataFrame
        In the order of ``coded``: sent_id, doc_id, language, lemmas, hits_* and negated_* per
        lexicon frame, subframes, and the labels humanitarian, security (0/1).
    """
    g = read_gold(coded)
    config = config or LexiconConfig()
    lexicon = lexicon or load_lexicon(config.version, preprocess_config)
    sents, scores = score_coded_sentences(g, lexicon, config, preprocess_config)
    sf = scores.sentence_frames
    sf = sf.merge(sents[["doc_id", "sent_id", "lemmas"]], on=["doc_id", "sent_id"], how="left")
    by = sf.groupby("doc_id", sort=False)
    per = by[LEXICON_COUNT_COLUMNS].sum()
    per["lemmas"] = by["lemmas"].agg(" ".join)
    per["subframes"] = by["subframes"].agg(_join_subframes)
    key = g["sent_id"].astype(str)
    out = pd.DataFrame(
        {"sent_id": key, "doc_id": g["doc_id"].astype(str), "language": g["language"].astype(str)}
    )
    out["lemmas"] = key.map(per["lemmas"]).fillna("").astype(str).to_numpy()
    for c in LEXICON_COUNT_COLUMNS:
        out[c] = key.map(per[c]).fillna(0).astype("int64").to_numpy()
    out["subframes"] = key.map(per["subframes"]).fillna("").astype(str).to_numpy()
    for f in CODED_FRAMES:
        out[f] = g[f].astype("int64").to_numpy()
    return out


def design_as_coded(design: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """A design sample (``design_sample.csv``) in the gold format: ``sent_id`` = ``unit_id``.

    The design sample's own ``sent_id`` numbers sentences within a document, so it is not a
    unique key; ``unit_id`` is. The other columns (stratum, inclusion_prob, ...) are kept.
    """
    if isinstance(design, pd.DataFrame):
        d = design.copy()
    else:
        if not os.path.exists(design):
            raise ConfigError(Errors.E010.format(path=design))
        d = pd.read_csv(design, dtype={"unit_id": str, "doc_id": str}, keep_default_na=False)
    missing = [c for c in ("unit_id", "inclusion_prob", "stratum") if c not in d.columns]
    if missing:
        raise ConfigError(Errors.E022.format(path="design sample", missing=missing))
    d = d.rename(columns={"sent_id": "run_sent_id"}).assign(sent_id=d["unit_id"].astype(str))
    return d.reset_index(drop=True)


def run_sentence_features(
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Feature rows for a run's sentences (``preprocess`` + ``score_frames`` tables).

    Returns one row per sentence in the order of ``sentence_frames``: doc_id, sent_id,
    language (``sentences.language`` or ``documents.language``), lemmas, hits_*, negated_*,
    subframes. The inputs are not modified.
    """
    keys = ["doc_id", "sent_id"]
    cols = keys + ["lemmas"] + (["language"] if "language" in sentences.columns else [])
    out = sentence_frames[keys + LEXICON_COUNT_COLUMNS + ["subframes"]].merge(
        sentences[cols], on=keys, how="left", validate="one_to_one"
    )
    if "language" not in out.columns:
        lang = (
            {}
            if documents is None
            else dict(zip(documents["doc_id"], documents["language"], strict=True))
        )
        out["language"] = out["doc_id"].map(lang)
    out["lemmas"] = out["lemmas"].fillna("").astype(str)
    return out[keys + FEATURE_COLUMNS]


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """The lexicon block of the classifier's features: frame hits, negated hits, subframes.

    Parameters
    ----------
    scaling : {"log1p", "count", "binary"}, default "log1p"
        Transform of each count: ``log(1 + count)``, the raw count, or ``count > 0``.

    Attributes
    ----------
    subframes_ : list of str
        Subframe names seen in ``fit`` (one column each).
    feature_names_out_ : ndarray of shape (n_features,)
        hits_*, negated_* per frame, then ``subframe=<name>``.
    """

    def __init__(self, scaling: str = "log1p"):
        self.scaling = scaling

    def fit(self, X: pd.DataFrame, y=None) -> LexiconFeatures:  # noqa: N803 - sklearn's name
        if self.scaling not in _SCALINGS:
            raise ConfigError(
                Errors.E003.format(key="scaling", value=self.scaling, reason=f"use {_SCALINGS}")
            )
        names: set[str] = set()
        for v in X["subframes"]:
            names.update(parse_subframes(v))
        self.subframes_ = sorted(names)
        self.feature_names_out_ = np.array(
            LEXICON_COUNT_COLUMNS + [f"subframe={s}" for s in self.subframes_], dtype=object
        )
        return self

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:  # noqa: N803
        counts = X[LEXICON_COUNT_COLUMNS].to_numpy(dtype=float)
        col = {s: j for j, s in enumerate(self.subframes_)}
        subs = np.zeros((len(X), len(col)))
        for i, v in enumerate(X["subframes"].tolist()):
            for name, c in parse_subframes(v).items():
                if name in col:
                    subs[i, col[name]] = c
        m = np.hstack([counts, subs])
        if self.scaling == "log1p":
            m = np.log1p(m)
        elif self.scaling == "binary":
            m = (m > 0).astype(float)
        return sparse.csr_matrix(m)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.feature_names_out_
