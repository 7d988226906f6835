"""A run's tables: small ones in memory, sentence-level ones on disk and read when asked for.

``RunTables`` is the mapping behind ``RunResult.tables``. A table that was streamed to
``<out>/tables/<name>.parquet`` (the sentence-level tables of the analysis stage), or spilled
there after it was written, is held as a path: ``tables[name]`` reads it whole each time (so a
notebook sees an ordinary mapping of DataFrames), ``tables.read(name, columns)`` reads only the
columns a step needs, and nothing keeps a corpus-sized table alive between stages. This is
what bounds a run's memory by the largest step's working set instead of by the sum of every
table (docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path

import pandas as pd


class RunTables(MutableMapping):
    """Table name -> DataFrame; on-disk tables are read on access (never cached)."""

    def __init__(self) -> None:
        self._memory: dict[str, pd.DataFrame] = {}
        self._disk: dict[str, Path] = {}
        self._light: dict[str, pd.DataFrame] = {}  # on-disk tables' copies without bulky columns

    # ------------------------------------------------------------------ mapping
    def __getitem__(self, name: str) -> pd.DataFrame:
        if name in self._memory:
            return self._memory[name]
        if name in self._disk:
            df = pd.read_parquet(self._disk[name])
            if name in self._light:
                df.attrs = dict(self._light[name].attrs)
            return df
        raise KeyError(name)

    def __setitem__(self, name: str, df: pd.DataFrame) -> None:
        self._disk.pop(name, None)
        self._light.pop(name, None)
        self._memory[name] = df

    def __delitem__(self, name: str) -> None:
        if name not in self._memory and name not in self._disk:
            raise KeyError(name)
        self._memory.pop(name, None)
        self._disk.pop(name, None)
        self._light.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self._memory
        yield from (n for n in self._disk if n not in self._memory)

    def __len__(self) -> int:
        return len(self._memory.keys() | self._disk.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._memory or name in self._disk

    # ------------------------------------------------------------------ on disk
    def on_disk(self, name: str) -> bool:
        """Whether ``name`` is held as a file (read on access)."""
        return name in self._disk and name not in self._memory

    def path(self, name: str) -> Path | None:
        return self._disk.get(name)

    def add_on_disk(self, name: str, path: str | Path, light: pd.DataFrame | None = None) -> None:
        """Hold ``name`` as the Parquet file ``path`` (already written and validated);
        ``light``: a copy without its bulky columns that the run's own steps use
        (``light(name)``; e.g. the documents without their texts)."""
        self._memory.pop(name, None)
        self._disk[name] = Path(path)
        if light is not None:
            self._light[name] = light

    def light(self, name: str) -> pd.DataFrame:
        """The light copy of an on-disk table when there is one, else the table."""
        if name not in self._memory and name in self._light:
            return self._light[name]
        return self[name]

    def spill(self, names: Iterable[str], tables_dir: str | Path) -> None:
        """Drop the in-memory copies of ``names`` that were written to ``tables_dir``."""
        for name in names:
            target = Path(tables_dir) / f"{name}.parquet"
            if name in self._memory and target.exists():
                self.add_on_disk(name, target)

    def read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Table ``name``, only ``columns`` when given (read from Parquet when on disk)."""
        if name in self._memory:
            df = self._memory[name]
            return df if columns is None else df[columns]
        return pd.read_parquet(self._disk[name], columns=columns)

    def view(
        self, load: Iterable[str] | Mapping[str, list[str] | None] = ()
    ) -> dict[str, pd.DataFrame]:
        """A plain dict: every in-memory table and light copy, plus the on-disk tables named
        in ``load`` (a mapping name -> columns reads only those columns; None reads all)."""
        wanted = load if isinstance(load, Mapping) else dict.fromkeys(load)
        out = {**self._light, **self._memory}
        for name, columns in wanted.items():
            if name in self._disk and name not in out:
                out[name] = self.read(name, columns)
        return out

    def sentence_source(self):
        """The ``sentences`` table as a source of chunks of whole documents (read from its
        Parquet file; the in-memory table when it is not on disk)."""
        from framelens.models import ParquetSentenceSource

        if self.on_disk("sentences"):
            return ParquetSentenceSource(self._disk["sentences"])
        return self["sentences"]
