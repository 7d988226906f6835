"""The one store of a run's tables: every table is checked against its schema, then written as
CSV and Parquet atomically (``framelens.core.io.write_table``).

A table without a registered schema is refused: nothing reaches ``tables/`` unchecked. Format
choices per table: ``quarantine`` is a CSV only; the CSV of ``documents`` leaves out the full
``text`` (kept in Parquet); every other table is written as both CSV and Parquet unless the
caller names its formats (the ``framelens topics`` commands write some topic tables as CSV
only).
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
) -> dict[str, dict[str, Path]]:
    """Validate every table against its schema, then write it atomically under ``tables_dir``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name -> table (e.g. the ``.tables()`` of a stage's result).
    tables_dir : path
        Usually ``<out>/tables``.
    formats : mapping of str to formats, optional
        Formats per table name, overriding ``TABLE_FORMATS`` and ``DEFAULT_FORMATS``.

    Returns
    -------
    dict
        Table name -> {format: path}. All tables are checked before the first is written, so an
        invalid table leaves the folder as it was.
    """
    checked = {name: check_table(df, name) for name, df in tables.items()}
    formats = formats or {}
    written: dict[str, dict[str, Path]] = {}
    for name, df in checked.items():
        fmts = tuple(formats.get(name, TABLE_FORMATS.get(name, DEFAULT_FORMATS)))
        written[name] = write_table(
            df, tables_dir, name, formats=fmts, csv_drop=CSV_DROP.get(name, ())
        )
    return written
