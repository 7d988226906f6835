"""Atomic, deterministic writers; the output lock."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from framelens.core.errors import LockedError
from framelens.core.io import atomic_write_bytes, read_table, write_json, write_table
from framelens.outputs.run_record import corpus_hash, output_lock, stable_view


def _frame():
    return pd.DataFrame({"doc_id": ["b", "a"], "x": [0.1 + 0.2, np.nan], "n": [1, 2]})


def test_write_table_is_byte_identical_and_roundtrips(tmp_path):
    a = write_table(_frame(), tmp_path / "a", "t")
    b = write_table(_frame(), tmp_path / "b", "t")
    for fmt in ("csv", "parquet"):
        assert a[fmt].read_bytes() == b[fmt].read_bytes()
    back = read_table(tmp_path / "a", "t")
    pd.testing.assert_frame_equal(back, _frame())
    # full float precision survives the CSV
    assert "0.30000000000000004" in a["csv"].read_text()


def test_write_table_csv_drop_keeps_parquet_column(tmp_path):
    df = _frame().assign(text=["long", "text"])
    paths = write_table(df, tmp_path, "docs", csv_drop=("text",))
    assert "text" not in pd.read_csv(paths["csv"]).columns
    assert "text" in pd.read_parquet(paths["parquet"]).columns


def test_atomic_write_leaves_no_temp_files_and_replaces(tmp_path):
    target = tmp_path / "x.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_write_json_is_sorted_and_stable(tmp_path):
    write_json(tmp_path / "a.json", {"b": np.int64(2), "a": [np.float64(0.5)]})
    assert json.loads((tmp_path / "a.json").read_text()) == {"a": [0.5], "b": 2}
    assert (tmp_path / "a.json").read_text().index('"a"') < (tmp_path / "a.json").read_text().index(
        '"b"'
    )


def test_output_lock_refuses_second_run_and_takes_over_stale(tmp_path):
    with output_lock(tmp_path):
        with pytest.raises(LockedError) as info:
            with output_lock(tmp_path):
                pass
        assert ".framelens.lock" in str(info.value)
    assert not (tmp_path / ".framelens.lock").exists()
    # a lock left by a process that no longer exists is taken over
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(proc.stdout)
    (tmp_path / ".framelens.lock").write_text(
        json.dumps({"pid": dead, "host": os.uname().nodename})
    )
    with output_lock(tmp_path):
        pass


def test_corpus_hash_ignores_row_order_and_sees_content():
    d = pd.DataFrame({"path": ["a.pdf", "b.html"], "sha256": ["1", "2"]})
    assert corpus_hash(d) == corpus_hash(d.iloc[::-1])
    assert corpus_hash(d) != corpus_hash(d.assign(sha256=["1", "3"]))


def test_stable_view_drops_volatile_fields():
    rec = {"seed": 1, "timings": {"x": 1.0}, "timestamps": {}, "machine": {}}
    assert stable_view(rec) == {"seed": 1}


def test_atomic_write_gives_ordinary_file_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        target = atomic_write_bytes(tmp_path / "r.html", b"x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
