"""Preprocessing on a dask.distributed cluster: the same sentences as ``preprocess``."""

from __future__ import annotations

import pandas as pd

from framelens.analysis.text.preprocess import preprocess
from framelens.core.config import ExtractConfig, PreprocessConfig
from framelens.core.domain import LANGUAGES
from framelens.corpus.executors.dask_cluster import map_partitions
from framelens.schemas import validate


def preprocess_partition(documents: pd.DataFrame, config: PreprocessConfig) -> pd.DataFrame:
    """One partition's sentences (runs on a worker)."""
    return preprocess(documents, config)


def preprocess_on_dask(
    documents: pd.DataFrame, config: PreprocessConfig, cfg: ExtractConfig
) -> pd.DataFrame:
    """``analysis.preprocess`` with the documents spread over a dask cluster (same result).

    ``cfg`` names the cluster (``scheduler`` address, or a LocalCluster when None).
    """
    docs = documents.loc[
        (documents["status"] == "ok") & documents["language"].isin(LANGUAGES),
        ["doc_id", "language", "text", "status"],
    ]
    docs = docs.copy()
    docs.attrs = {}
    if docs.empty:
        return preprocess(docs, config)
    frames = map_partitions(preprocess_partition, docs, (config,), cfg)
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    return validate(out, "sentences")
