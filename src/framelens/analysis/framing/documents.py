"""Which language each sentence is in, and the document metadata the framing tables carry."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.core.domain import LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.schemas.analysis import DOCUMENT_METADATA_COLUMNS


def sentence_languages(sentences: pd.DataFrame, documents: pd.DataFrame | None) -> np.ndarray:
    """The language of each sentence: its ``language`` column, else its document's.

    Raises ``ConfigError`` [E021] when a sentence has no language (en, es or other).
    """
    if "language" in sentences.columns:
        lang = sentences["language"].astype(object)
    elif documents is not None and "language" in documents.columns:
        mapping = dict(zip(documents["doc_id"], documents["language"], strict=False))
        lang = sentences["doc_id"].map(mapping).astype(object)
    else:
        lang = pd.Series([None] * len(sentences), index=sentences.index, dtype=object)
    missing = lang.isna() | ~lang.isin([*LANGUAGES, "other"])
    if missing.any():
        raise ConfigError(Errors.E021.format(n=int(missing.sum())))
    return lang.to_numpy()


def document_metadata(
    doc_ids: list[str], documents: pd.DataFrame | None, langs: dict
) -> pd.DataFrame:
    """doc_id and ``DOCUMENT_METADATA_COLUMNS`` for ``doc_ids``, as text.

    Metadata comes from ``documents`` (missing values stay missing); a missing language is
    taken from ``langs`` (doc_id -> language of its sentences).
    """
    meta = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype="str")})
    if documents is not None:
        cols = [c for c in DOCUMENT_METADATA_COLUMNS if c in documents.columns]
        d = documents[["doc_id", *cols]].drop_duplicates("doc_id")
        d = d.astype({c: "str" for c in ["doc_id", *cols]})
        meta = meta.merge(d, on="doc_id", how="left")
    for c in DOCUMENT_METADATA_COLUMNS:
        if c not in meta.columns:
            meta[c] = pd.Series([None] * len(meta), dtype="str")
        meta[c] = meta[c].astype("str")
    lang_fill = meta["doc_id"].map(langs)
    meta["language"] = meta["language"].where(meta["language"].notna(), lang_fill).astype("str")
    return meta[["doc_id", *DOCUMENT_METADATA_COLUMNS]]
