"""Streamed tables: a sentence-level table written batch by batch, never held whole.

``TableSink(tables_dir, name)`` validates each batch against the table's schema and appends it
to ``<name>.parquet`` as one row group (and, with ``csv=True``, to ``<name>.csv``). Both are
written to temporary files in the same folder and renamed over the targets by ``close()``, so a
killed run never leaves a half-written table under its name; ``abort()`` (or leaving the
``with`` block on an error) removes the temporary files and keeps what was there before.

The Parquet schema comes from the table's registered schema (text -> string, int64, float64,
bool), not from the first batch, so that an empty first batch cannot fix a column's type to
``null``. Reading a streamed table with ``pandas.read_parquet`` gives the same frame as reading
the table written whole by ``framelens.core.io.write_table`` (``tests/test_scale_streaming``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType

import pandas as pd

from framelens.schemas import SCHEMAS, columns_of, validate

#: pandera dtype name -> pyarrow type name of the Parquet column
_ARROW_TYPES = {"str": "string", "int64": "int64", "float64": "float64", "bool": "bool"}


def arrow_schema(name: str):
    """The pyarrow schema of table ``name`` from its registered pandera schema."""
    import pyarrow as pa

    fields = []
    for col, spec in SCHEMAS[name].columns.items():
        kind = _ARROW_TYPES.get(str(spec.dtype), "string")
        fields.append(pa.field(col, pa.type_for_alias(kind), nullable=True))
    return pa.schema(fields)


def empty_table(name: str) -> pd.DataFrame:
    """A table with no rows and the columns and dtypes of ``name``."""
    return arrow_schema(name).empty_table().to_pandas()


class TableSink:
    """Append batches of table ``name`` to ``<tables_dir>/<name>.parquet`` (and ``.csv``).

    Parameters
    ----------
    tables_dir : path
        Usually ``<out>/tables``.
    name : str
        A registered table name (``framelens.schemas``).
    csv : bool, default False
        Also write the CSV (sentence-level CSV is opt-in: ``outputs.csv: all``).

    Use as a context manager; ``write(df)`` per batch (batches in the table's row order).
    ``n_rows`` counts the rows written.
    """

    def __init__(self, tables_dir: str | os.PathLike, name: str, *, csv: bool = False):
        import pyarrow.parquet as pq

        self.dir = Path(tables_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.schema = arrow_schema(name)
        self.columns = columns_of(name)
        self.n_rows = 0
        self._tmp: dict[str, Path] = {}
        self._pq_tmp = self._temp("parquet")
        self._writer = pq.ParquetWriter(
            self._pq_tmp, self.schema, compression="zstd", write_statistics=False
        )
        self._csv = None
        if csv:
            self._csv = open(self._temp("csv"), "w", encoding="utf-8", newline="")  # noqa: SIM115

    def _temp(self, fmt: str) -> Path:
        fd, tmp = tempfile.mkstemp(prefix=f".{self.name}.{fmt}.", suffix=".tmp", dir=self.dir)
        os.close(fd)
        self._tmp[fmt] = Path(tmp)
        return Path(tmp)

    def write(self, df: pd.DataFrame) -> None:
        """Validate one batch and append it."""
        import pyarrow as pa

        df = validate(df[self.columns], self.name).reset_index(drop=True)
        df.attrs = {}
        table = pa.Table.from_pandas(df, schema=self.schema, preserve_index=False)
        self._writer.write_table(table)
        if self._csv is not None:
            df.to_csv(self._csv, index=False, header=self.n_rows == 0, lineterminator="\n")
        self.n_rows += len(df)

    def close(self) -> dict[str, Path]:
        """Finish both files and move them over their targets; returns format -> path."""
        if self.n_rows == 0 and self._csv is not None:  # the header of an empty table
            empty_table(self.name).to_csv(self._csv, index=False, lineterminator="\n")
        self._writer.close()
        out = {}
        if self._csv is not None:
            self._csv.flush()
            os.fsync(self._csv.fileno())
            self._csv.close()
        for fmt, tmp in self._tmp.items():
            os.chmod(tmp, 0o644)
            target = self.dir / f"{self.name}.{fmt}"
            os.replace(tmp, target)
            out[fmt] = target
        if self._csv is None:  # a CSV of an earlier run with csv: all would be stale now
            (self.dir / f"{self.name}.csv").unlink(missing_ok=True)
        self._tmp = {}
        return out

    def abort(self) -> None:
        """Drop what was written; the targets stay as they were."""
        try:
            self._writer.close()
        except Exception:  # noqa: BLE001 - closing a broken writer is best effort
            pass
        if self._csv is not None and not self._csv.closed:
            self._csv.close()
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)
        self._tmp = {}

    def __enter__(self) -> TableSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
