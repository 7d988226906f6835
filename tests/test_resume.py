"""Interruption: a ``framelens run`` killed mid-way (SIGKILL) and started again with the same
arguments resumes from the extraction cache and writes tables byte-identical to an
uninterrupted run into another folder; a killed run leaves no half-written file under an output
name; a second run on a locked output folder refuses with exit code 4.

The corpus is the built-in demo plus a slice of ../shared/corpus (with its manifest rows).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from framelens.core.errors import EXIT_LOCKED
from framelens.demo import write_demo_corpus

SLICE = {
    "us": [
        "us-fr-20170130-executive-order-13768-enhancing-public-safety-in.pdf",
        "us-fr-20250130-executive-order-14165-securing-our-borders.pdf",
        "us-fr-20250129-executive-order-14159-protecting-the-american.pdf",
        "us-fr-20170124-executive-order-13765-minimizing-the-economic.html",
        "us-wh-20220413-statement-by-press-secretary-jen-psaki-on-the.txt",
    ],
    "mx": [
        "mx-diputados-20171221-ley-de-seguridad-interior.pdf",
        "mx-presidencia-20241223-conferencia-de-prensa.txt",
        "mx-dof-20240401-dof-extracto.pdf",
    ],
}

CONFIG = """\
seed: 7
extract:
  workers: 2
compare:
  n_boot: 200
  n_perm: 200
topics:
  enabled: false
lexicon:
  n_boot: 100
"""


def _framelens(*args: str) -> list[str]:
    return [sys.executable, "-c", "from framelens.cli import main; main()", *args]


@pytest.fixture(scope="module")
def resume_corpus(tmp_path_factory, shared_corpus) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("resume")
    corpus = root / "corpus"
    write_demo_corpus(corpus / "demo")
    for country, names in SLICE.items():
        (corpus / country).mkdir(parents=True)
        with open(shared_corpus / country / "manifest.csv", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [r for r in reader if r["file"] in names]
            fields = reader.fieldnames
        with open(corpus / country / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        for name in names:
            (corpus / country / name).write_bytes((shared_corpus / country / name).read_bytes())
    config = root / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return corpus, config


def _args(corpus: Path, config: Path, out: Path) -> list[str]:
    return _framelens(
        "run", "--corpus", str(corpus), "--out", str(out), "--config", str(config), "--quiet"
    )


def _tables(out: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((out / "tables").iterdir())
        if p.suffix in (".csv", ".parquet")
    }


def _cache_records(out: Path) -> list[Path]:
    folder = out / "cache" / "extract"
    if not folder.exists():
        return []
    return [
        p
        for p in folder.rglob("*.json")
        if p.name != "stat-index.json" and not p.name.startswith(".")
    ]


def _assert_no_half_written_files(out: Path) -> None:
    """Every file under an output name is complete: Parquet and JSON parse, CSV reads."""
    for p in out.rglob("*"):
        if not p.is_file() or p.name.endswith(".tmp") or p.name == ".framelens.lock":
            continue
        if p.suffix == ".parquet":
            pd.read_parquet(p)
        elif p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
        elif p.suffix == ".csv":
            pd.read_csv(p)
    leftovers = [p for p in out.rglob("*.tmp") if not p.name.startswith(".")]
    assert leftovers == [], "a temporary file sits under an output name"


def test_resume_killed_run_gives_identical_tables_and_second_run_is_locked(resume_corpus, tmp_path):
    corpus, config = resume_corpus
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}  # runs differ in it
    ref, out = tmp_path / "reference", tmp_path / "resumed"
    args = _args(corpus, config, out)

    # a run that will be killed while extracting
    proc = subprocess.Popen(
        args, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while not (out / ".framelens.lock").exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the run did not start in 120 s"
            time.sleep(0.02)
        # a second run on the same folder refuses: exit code 4 and the lock message
        second = subprocess.run(args, env=env, capture_output=True, text=True)
        assert second.returncode == EXIT_LOCKED == 4
        message = " ".join(second.stderr.split())
        assert "[E008] Output folder" in message and f"pid {proc.pid}" in message
        assert "is locked by another framelens run" in message
        while len(_cache_records(out)) < 3:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the run extracted nothing in 120 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (out / "tables" / "documents.parquet").exists(), "killed after extraction"
    n_cached = len(_cache_records(out))
    assert 3 <= n_cached < 24 + sum(len(v) for v in SLICE.values())
    _assert_no_half_written_files(out)

    # the same command again (takes over the dead run's lock and resumes from the cache), and
    # at the same time an uninterrupted run into another folder
    runs = {
        name: subprocess.Popen(
            a, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for name, a in (("resumed", args), ("reference", _args(corpus, config, ref)))
    }
    for name, p in runs.items():
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, (name, err)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["stage_errors"] == {}
    assert not (out / ".framelens.lock").exists()
    _assert_no_half_written_files(out)
    tables = _tables(ref)
    assert len(tables) > 20 and "documents.parquet" in tables and "frame_scores.csv" in tables
    assert _tables(out) == tables
    docs = pd.read_parquet(ref / "tables" / "documents.parquet")
    assert not docs["path"].str.contains(str(tmp_path), regex=False).any()
    assert len(docs) == 24 + sum(len(v) for v in SLICE.values())
