"""Scale-out: extraction, preprocessing and scoring on a dask.distributed cluster give the same tables as
the local process pool.

A LocalCluster with two worker processes (one thread each) stands in for a real cluster; the
run reaches it through ``extract.scheduler`` as ``--scheduler ADDRESS`` would. The corpus is a
slice of ../shared/corpus plus two files that must fail the same way on both executors: a
broken PDF, and a PDF that hangs the reader (killed by the per-file timeout on the cluster too).
"""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest

from _hostile import form_bomb_pdf
from framelens.core.config import RunConfig
from framelens.core.errors import Errors
from framelens.corpus.executors.dask_cluster import document_partitions, partition_size
from framelens.pipeline import run

SLICE = (
    "us/us-fr-20170130-executive-order-13768-enhancing-public-safety-in.pdf",
    "us/us-fr-20250130-executive-order-14165-securing-our-borders.pdf",
    "us/us-fr-20250124-executive-order-14146-partial-revocation-of.pdf",
    "us/us-fr-20170124-executive-order-13765-minimizing-the-economic.html",
    "us/us-wh-20220413-statement-by-press-secretary-jen-psaki-on-the.txt",
    "mx/mx-dof-20240401-dof-extracto.pdf",
    "mx/mx-presidencia-20241223-conferencia-de-prensa.txt",
    "mx/mx-presidencia-20260814-conferencia-de-prensa.txt",
)
TIMEOUT_S = 5.0
TABLES = ("documents", "quarantine", "sentences", "frame_scores", "sentence_frames", "matches")


@pytest.fixture(scope="module")
def dask_corpus(tmp_path_factory, shared_corpus):
    root = tmp_path_factory.mktemp("dask") / "corpus"
    for rel in SLICE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_corpus / rel, root / rel)
    (root / "hangs.pdf").write_bytes(form_bomb_pdf())
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nendobj\n")
    return root


def _config(corpus, out, **extract) -> RunConfig:
    cfg = RunConfig()
    cfg.corpus, cfg.out = str(corpus), str(out)
    cfg.extract.workers = 2
    cfg.extract.timeout_s = TIMEOUT_S
    for key, value in extract.items():
        setattr(cfg.extract, key, value)
    cfg.lexicon.n_boot = 100
    return cfg.validate()


def _hashes(out) -> dict[str, str]:
    return {
        f"{name}.{ext}": hashlib.sha256((out / "tables" / f"{name}.{ext}").read_bytes()).hexdigest()
        for name in TABLES
        for ext in ("csv", "parquet")
        if (out / "tables" / f"{name}.{ext}").exists()
    }


def test_dask_executor_tables_equal_local(dask_corpus, local_cluster, tmp_path):
    cluster = local_cluster
    stages = ("extract", "analysis")
    local = run(_config(dask_corpus, tmp_path / "local"), progress=False, stages=stages)
    dask = run(
        _config(
            dask_corpus,
            tmp_path / "dask",
            executor="dask",
            scheduler=cluster.scheduler_address,
            partition_size=2,
        ),
        progress=False,
        stages=stages,
    )
    assert local.stage_errors == {} and dask.stage_errors == {}
    expected = _hashes(tmp_path / "local")
    # quarantine is CSV only; sentences, sentence_frames, matches Parquet only (outputs.csv)
    assert len(expected) == 8
    assert _hashes(tmp_path / "dask") == expected
    docs = dask.documents.set_index("path")
    assert docs.loc["hangs.pdf", "error"] == Errors.W112.format(seconds=TIMEOUT_S)
    assert docs.loc["broken.pdf", "status"] == "error"
    assert (docs.loc[list(SLICE), "status"] == "ok").all()
    assert len(dask.tables["sentences"]) > 100
    assert dask.exit_code == local.exit_code == 3
    # the work ran as dask tasks on the cluster
    prefixes = set(cluster.scheduler.task_prefixes)
    assert {"extract_partition", "analyse_partition"} <= prefixes, prefixes


def test_dask_executor_partitions_bound_and_balance():
    assert partition_size(10_000, 8, 64) == 64  # large corpus: the configured size
    assert partition_size(40, 2, 64) == 5  # small corpus: 4 partitions per worker
    assert partition_size(3, 2, 64) == 1
    docs = pd.DataFrame(
        {
            "doc_id": [f"d{i:02d}" for i in range(10)],
            "text": ["x" * (100 * (i + 1)) for i in range(10)],
        }
    )
    parts = document_partitions(docs.sample(frac=1, random_state=0), 4)
    assert 2 <= len(parts) <= 4
    assert pd.concat(parts)["doc_id"].tolist() == docs["doc_id"].tolist()  # whole, in order
