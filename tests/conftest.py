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
