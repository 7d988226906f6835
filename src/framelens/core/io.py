"""Atomic, deterministic writers and their paired readers (one place for every file a run writes).

Every file is written to a temporary file in the same folder, flushed, fsynced and renamed over
the target, so that a killed run never leaves a half-written file under an output name.
Tables are written deterministically: fixed column order, rows as given, floats with ``repr``
precision in CSV, Parquet without timestamps, so the same data gives the same bytes.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename). Returns the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically (newlines as given)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, obj: Any) -> Path:
    """Write JSON atomically with sorted keys and a trailing newline (stable bytes)."""
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default)
    return atomic_write_text(path, text + "\n")


def _json_default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (pd.Timestamp,)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    return str(o)


def table_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a table to CSV bytes deterministically (UTF-8, LF, no index)."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def table_to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a table to Parquet bytes deterministically (pyarrow, no index, zstd)."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    df = df.reset_index(drop=True)
    df.attrs = {}  # pandas stores attrs in the Parquet metadata: run timings, absolute paths
    table = pa.Table.from_pandas(df, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def write_table(
    df: pd.DataFrame,
    tables_dir: str | os.PathLike,
    name: str,
    formats: Iterable[str] = ("csv", "parquet"),
    csv_drop: Iterable[str] = (),
) -> dict[str, Path]:
    """Write ``df`` as ``<tables_dir>/<name>.csv`` and/or ``.parquet``, atomically.

    ``csv_drop`` names columns left out of the CSV only (e.g. the full ``text`` of documents,
    kept in Parquet). Returns a mapping format -> path.
    """
    out: dict[str, Path] = {}
    tables_dir = Path(tables_dir)
    for fmt in formats:
        target = tables_dir / f"{name}.{fmt}"
        if fmt == "csv":
            data = df.drop(columns=[c for c in csv_drop if c in df.columns])
            out[fmt] = atomic_write_bytes(target, table_to_csv_bytes(data))
        elif fmt == "parquet":
            out[fmt] = atomic_write_bytes(target, table_to_parquet_bytes(df))
        else:
            raise ValueError(f"unknown table format {fmt!r}")
    return out


def read_table(tables_dir: str | os.PathLike, name: str) -> pd.DataFrame:
    """Read a table written by ``write_table`` (Parquet when present, else CSV)."""
    from framelens.core.errors import ConfigError, Errors

    tables_dir = Path(tables_dir)
    pq_path = tables_dir / f"{name}.parquet"
    csv_path = tables_dir / f"{name}.csv"
    if pq_path.exists():
        return pd.read_parquet(pq_path)
    if csv_path.exists():
        return pd.read_csv(csv_path)
    raise ConfigError(Errors.E011.format(name=name, path=tables_dir.parent))


def read_optional_table(
    tables_dir: str | os.PathLike, name: str, exclude: Iterable[str] = ()
) -> pd.DataFrame | None:
    """Read an optional table of a run: None when it is not there or cannot be read.

    The one reader of tables that a run may lack (no topic model, no gold sentences): figures,
    the report and the LaTeX tables draw what is there and state what is not. A table that
    exists but cannot be read is logged as a warning and treated as absent. ``exclude`` names
    columns left unread (Parquet reads only the others), e.g. the full ``text`` of documents.
    """
    import logging

    tables_dir = Path(tables_dir)
    pq_path = tables_dir / f"{name}.parquet"
    if not (pq_path.exists() or (tables_dir / f"{name}.csv").exists()):
        return None
    drop = set(exclude)
    try:
        if drop and pq_path.exists():
            import pyarrow.parquet as pq

            keep = [c for c in pq.read_schema(pq_path).names if c not in drop]
            return pd.read_parquet(pq_path, columns=keep)
        df = read_table(tables_dir, name)
    except Exception as exc:  # an unreadable optional table is reported, not fatal
        logging.getLogger("framelens").warning("table %s could not be read: %s", name, exc)
        return None
    return df.drop(columns=[c for c in drop if c in df.columns])


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (this process counts as alive).

    Used by the folder locks of a run and of ``framelens collect``: a lock whose process is
    gone is taken over.
    """
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
