"""The one store of a run's tables: every table is checked against its schema, then written as
CSV and/or Parquet atomically (``framelens.core.io.write_table``).

A table without a registered schema is refused: nothing reaches ``tables/`` unchecked. Format
choices per table: ``quarantine`` is a CSV only; the CSV of ``documents`` leaves out the full
``text`` (kept in Parquet); the sentence-level tables (``SENTENCE_LEVEL``: one row per
sentence or per lexicon hit or actor mention, the large ones) are Parquet only unless the CSV
policy is ``all`` (``framelens run --csv all``, ``outputs.csv`` in the config); every other
table is written as both CSV and Parquet. A caller that names a table's formats gets exactly
those (the ``framelens topics`` commands write some topic tables as CSV only).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from framelens.core.io import write_table
from framelens.schemas import SCHEMAS, validate

#: Formats of a table when the caller does not name them.
DEFAULT_FORMATS: tuple[str, ...] = ("csv", "parquet")
#: Tables written in other formats than ``DEFAULT_FORMATS``.
TABLE_FORMATS: dict[str, tuple[str, ...]] = {"quarantine": ("csv",)}
#: Columns left out of a table's CSV (kept in its Parquet).
CSV_DROP: dict[str, tuple[str, ...]] = {"documents": ("text",)}
#: Tables with one row per sentence (or per hit or mention within a sentence): they grow with
#: the corpus, so their CSV is written only under the CSV policy ``all``.
SENTENCE_LEVEL: frozenset[str] = frozenset(
    {"sentences", "sentence_frames", "matches", "actors", "frame_predictions", "relevance"}
)
#: CSV policies: ``tables`` = CSV beside Parquet for every table but the sentence-level ones
#: (Parquet only); ``all`` = CSV for the sentence-level tables too.
CSV_POLICIES: tuple[str, ...] = ("tables", "all")


def check_csv_policy(csv: str) -> str:
    """``csv`` when it is one of ``CSV_POLICIES``; else ValueError naming the allowed values."""
    if csv not in CSV_POLICIES:
        allowed = ", ".join(repr(p) for p in CSV_POLICIES)
        raise ValueError(f"csv policy {csv!r} is not one of {allowed}")
    return csv


def table_formats(name: str, csv: str = "tables") -> tuple[str, ...]:
    """The formats the store writes table ``name`` in under CSV policy ``csv``, when the caller
    names none: ``TABLE_FORMATS`` or ``DEFAULT_FORMATS``, without CSV for a sentence-level
    table unless ``csv == "all"``.

    Raises
    ------
    ValueError
        When ``csv`` is not one of ``CSV_POLICIES``.
    """
    fmts = TABLE_FORMATS.get(name, DEFAULT_FORMATS)
    if check_csv_policy(csv) == "tables" and name in SENTENCE_LEVEL:
        fmts = tuple(f for f in fmts if f != "csv")
    return fmts


def check_table(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``df`` validated against the schema of table ``name``.

    Raises
    ------
    KeyError
        When no schema is registered under ``name`` (every written table needs one).
    pandera.errors.SchemaErrors
        When ``df`` does not satisfy its schema (every failing check listed).
    """
    if name not in SCHEMAS:
        raise KeyError(
            f"table {name!r} has no registered schema: register one in framelens.schemas "
            "before writing it"
        )
    return validate(df, name)


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    tables_dir: str | os.PathLike,
    formats: Mapping[str, Iterable[str]] | None = None,
    *,
    csv: str = "tables",
) -> dict[str, dict[str, Path]]:
    """Validate every table against its schema, then write it atomically under ``tables_dir``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name -> table (e.g. the ``.tables()`` of a stage's result).
    tables_dir : path
        Usually ``<out>/tables``.
    formats : mapping of str to formats, optional
        Formats per table name, overriding the CSV policy, ``TABLE_FORMATS`` and
        ``DEFAULT_FORMATS``.
    csv : {"tables", "all"}, default "tables"
        CSV policy (``outputs.csv`` of the run config). ``tables``: the ``SENTENCE_LEVEL``
        tables are written as Parquet only, and a ``<name>.csv`` of theirs left in
        ``tables_dir`` by an earlier run is removed once the Parquet is written
        (``remove_stale_csv``; so too when ``formats`` names Parquet without CSV for one).
        ``all``: CSV and Parquet for every table.

    Returns
    -------
    dict
        Table name -> {format: path}. All tables are checked before the first is written, so an
        invalid table leaves the folder as it was.

    Raises
    ------
    ValueError
        When ``csv`` is not one of ``CSV_POLICIES`` (raised before anything is written).
    """
    check_csv_policy(csv)
    checked = {name: check_table(df, name) for name, df in tables.items()}
    formats = formats or {}
    written: dict[str, dict[str, Path]] = {}
    for name, df in checked.items():
        fmts = tuple(formats.get(name, table_formats(name, csv)))
        written[name] = write_table(
            df, tables_dir, name, formats=fmts, csv_drop=CSV_DROP.get(name, ())
        )
        remove_stale_csv(tables_dir, name, fmts)
    return written


def remove_stale_csv(tables_dir: str | os.PathLike, name: str, formats: Iterable[str]) -> bool:
    """Remove ``<tables_dir>/<name>.csv`` when ``name`` is a sentence-level table just written
    in ``formats`` with Parquet but without CSV (an earlier run with ``csv: all`` left it).

    Call it after the Parquet is in place: at no moment does a reader find the old CSV alone.
    Returns True when a file was removed.
    """
    fmts = set(formats)
    if name not in SENTENCE_LEVEL or "csv" in fmts or "parquet" not in fmts:
        return False
    try:
        (Path(tables_dir) / f"{name}.csv").unlink()
    except FileNotFoundError:
        return False
    return True
