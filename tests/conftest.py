"""Shared fixtures. Real documents come from ../shared (next to the repository) or from the
folder named by the environment variable FRAMELENS_SHARED; tests that need them skip with a
message when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path:
    env = os.environ.get("FRAMELENS_SHARED")
    return Path(env) if env else REPO.parent / "shared"


SHARED = _shared_dir()
CORPUS = SHARED / "corpus"
VALIDATION = SHARED / "validation"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """Path of ../shared/corpus (with us/ and mx/ and their manifests); skips when absent."""
    if not (CORPUS / "us" / "manifest.csv").exists():
        pytest.skip(
            f"shared corpus not found at {CORPUS}: put it beside the repository as ../shared/corpus "
            "or set FRAMELENS_SHARED=/path/to/shared"
        )
    return CORPUS


@pytest.fixture(scope="session")
def gold_sentences() -> Path:
    """Path of ../shared/validation/gold_sentences.csv; skips when absent."""
    path = VALIDATION / "gold_sentences.csv"
    if not path.exists():
        pytest.skip(f"gold sentences not found at {path}: set FRAMELENS_SHARED=/path/to/shared")
    return path


def demo_config(out: Path):
    """A RunConfig for the demo corpus with light settings (small bootstrap, few topic passes)."""
    from framelens.core.config import RunConfig

    cfg = RunConfig()
    cfg.out = str(out)
    cfg.extract.workers = 2
    cfg.compare.n_boot = 300
    cfg.compare.n_perm = 300
    cfg.topics.k = 6
    cfg.topics.n_seeds = 2
    cfg.topics.passes = 5
    cfg.topics.n_boot = 200
    cfg.topics.k_grid = [6, 8]
    cfg.lexicon.n_boot = 200
    return cfg


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The whole pipeline run once on the built-in demo corpus (shared by several test files)."""
    from framelens.pipeline import run

    out = tmp_path_factory.mktemp("demo-run")
    return run(demo_config(out), progress=False)


@pytest.fixture(scope="session")
def make_demo_config():
    """The factory ``demo_config(out) -> RunConfig`` used by ``demo_run``."""
    return demo_config


@pytest.fixture(scope="module")
def local_cluster():
    """A dask LocalCluster of two worker processes (one thread each), for the executor tests."""
    import logging

    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as lc:
        yield lc
