"""``framelens compare``: the comparison stage on any document-level table.

A user's own scores, hand codes or another tool's output (one row per document, numeric
measure columns, grouping columns) get the same comparison tables as a framelens run: group
estimates with bootstrap intervals (``frame_by_group``), differences between consecutive
administrations and between the countries within joint periods with permutation p-values and
Holm adjustment (``frame_differences``), through ``framelens.analysis.stats.compare`` (the function); and,
for the default grouping, the composition of every group (``frame_composition``) and the raw
differences beside the differences within the strata of ``--stratum`` and standardised to
their common mix (``frame_differences_adjusted``): the inputs of the verdicts. Everything is
written by the one store (``framelens.outputs.store.write_tables``, every table validated),
with ``compare.json`` (input, its SHA-256, the settings and the notes).

Input checks, each a coded error (``ConfigError``, exit code 2 on the command line): the file
must exist and be CSV or Parquet; the ``--value``, ``--by``, ``--cluster`` and ``--stratum``
columns must be in it; a ``--value`` column must hold numbers (empty cells are missing values;
text such as "yes" is an error naming the rows). When ``--by`` names ``administration`` and the
table has none, it is derived from ``country`` and ``date`` (``core.domain.administration_for``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.analysis.stats.composition import composition_table
from framelens.analysis.stats.genre_adjusted import adjusted_differences
from framelens.analysis.stats.groups import BY_DEFAULT, ComparisonResult, compare
from framelens.analysis.stats.settings import StatsSettings
from framelens.analysis.stats.tidy import check_columns
from framelens.core.domain import UNKNOWN, administration_for
from framelens.core.errors import ConfigError, Errors
from framelens.core.io import write_json
from framelens.outputs.store import write_tables

SUFFIXES = (".csv", ".parquet")
_WHAT = "framelens compare"
_MAX_EXAMPLES = 3


@dataclass
class CompareRun:
    """What ``run_compare`` did: the comparison, the tables written and the record.

    Attributes
    ----------
    result : ComparisonResult
        ``.groups`` (``frame_by_group``), ``.differences`` (``frame_differences``),
        ``.summary()``.
    written : dict
        Table name -> {format: path}.
    record : dict
        What ``compare.json`` holds.
    out_dir : Path
    """

    result: ComparisonResult
    written: dict[str, dict[str, Path]] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    out_dir: Path = Path(".")


def read_input(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV or Parquet table; CSV cells are read as text (values are converted later).

    Raises ``ConfigError``: [E026] for another file type, [E060] when the file is missing or
    cannot be read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ConfigError(Errors.E026.format(what=_WHAT, key="--input suffix", value=suffix,
                                             allowed=list(SUFFIXES)))  # fmt: skip
    if not path.is_file():
        raise ConfigError(Errors.E060.format(path=path, reason="no such file"))
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=True)
        return pd.read_parquet(path)
    except Exception as exc:  # any parser error becomes one coded message
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        raise ConfigError(Errors.E060.format(path=path, reason=reason)) from None


def numeric_column(table: pd.DataFrame, column: str) -> pd.Series:
    """Column ``column`` as floats: empty cells are NaN; text is an error [E061] naming rows."""
    raw = table[column]
    if pd.api.types.is_bool_dtype(raw):
        return raw.astype(float)
    values = pd.to_numeric(raw, errors="coerce")
    text = raw.astype(object).where(raw.notna(), None)
    blank = text.map(lambda v: v is None or (isinstance(v, str) and not v.strip()))
    bad = values.isna() & ~blank
    if bad.any():
        positions = [int(i) for i in bad.to_numpy().nonzero()[0]]
        examples = [str(raw.iloc[i]) for i in positions[:_MAX_EXAMPLES]]
        rows = ", ".join(str(i + 2) for i in positions[:_MAX_EXAMPLES])  # header is row 1
        raise ConfigError(Errors.E061.format(what=_WHAT, column=column, n=len(positions),
                                             examples=examples, rows=rows))  # fmt: skip
    return values.astype(float)


def prepare_table(
    table: pd.DataFrame,
    values: Sequence[str],
    by: Sequence[str],
    *,
    cluster: str | None = None,
    stratum: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The table checked for ``compare``: value columns numeric, grouping columns present.

    Returns the prepared copy and notes (e.g. an administration derived from the dates).
    Raises ``ConfigError`` [E025] without values, [E023] for a missing column, [E061] for a
    value column that holds text.
    """
    if not values:
        raise ConfigError(Errors.E025.format(what=_WHAT))
    df = table.copy()
    notes: list[str] = []
    if "administration" in by and "administration" not in df.columns:
        check_columns(df, ["country", "date"], f"{_WHAT} (administration from country and date)")
        df["administration"] = [administration_for(c, d) for c, d in
                                zip(df["country"], df["date"], strict=True)]  # fmt: skip
        n_unknown = int((df["administration"] == UNKNOWN).sum())
        notes.append(f"administration derived from country and date ({n_unknown} unknown)")
    check_columns(df, list(values), f"{_WHAT} --value")
    check_columns(df, list(by), f"{_WHAT} --by")
    check_columns(df, [cluster, stratum], f"{_WHAT} --cluster/--stratum")
    for column in values:
        df[column] = numeric_column(df, column)
    return df, notes


def compare_table(
    table: pd.DataFrame,
    values: Sequence[str],
    by: Sequence[str] = BY_DEFAULT,
    *,
    cluster: str | None = None,
    settings: StatsSettings | None = None,
    **options: Any,
) -> tuple[ComparisonResult, list[str]]:
    """``prepare_table`` then ``analysis.stats.compare``: the result and the input notes.

    ``options`` are ``StatsSettings`` fields (seed, n_boot, n_perm, min_n, ci).
    """
    df, notes = prepare_table(table, values, by, cluster=cluster)
    extra = {"cluster": cluster} if cluster else {}
    result = compare(df, list(values), tuple(by), settings=settings, **options, **extra)
    return result, notes


def comparison_tables(
    table: pd.DataFrame,
    values: Sequence[str],
    by: Sequence[str] = BY_DEFAULT,
    *,
    cluster: str | None = None,
    stratum: str | None = None,
    instrument: str | None = None,
    **options: Any,
) -> tuple[dict[str, pd.DataFrame], ComparisonResult, list[str]]:
    """Every comparison table of ``table``: ``frame_by_group`` and ``frame_differences``, and
    for the default grouping ``frame_composition`` and ``frame_differences_adjusted`` (raw,
    within-stratum and standardised differences over the levels of ``stratum``; raw rows only
    without one). ``instrument`` names a column whose groups without a common value are "not
    comparable" (e.g. ``language`` for lexicon measures); None for one instrument (hand codes).
    Returns the tables, the comparison and the notes."""
    df, notes = prepare_table(table, values, by, cluster=cluster, stratum=stratum)
    extra = {"cluster": cluster} if cluster else {}
    result = compare(df, list(values), tuple(by), **options, **extra)
    tables = dict(result.tables())
    if tuple(by) != BY_DEFAULT:
        return tables, result, notes
    if stratum and stratum != "doc_type":  # the adjusted table reads strata as "doc_type"
        df = df.drop(columns=[c for c in ("doc_type",) if c in df.columns])
        df = df.rename(columns={stratum: "doc_type"})
        notes.append(f"strata of {stratum!r} are shown as document types (doc_type)")
    tables["frame_composition"] = composition_table(df, list(values))
    tables["frame_differences_adjusted"] = adjusted_differences(
        df, result.differences, genre="doc_type" if stratum else None, instrument=instrument,
        **options, **extra,
    )  # fmt: skip
    return tables, result, notes


def run_compare(
    input: str | os.PathLike | pd.DataFrame,  # noqa: A002 - the command's option name
    values: Sequence[str],
    by: Sequence[str] = BY_DEFAULT,
    *,
    out: str | os.PathLike = "outputs/compare",
    cluster: str | None = None,
    stratum: str | None = None,
    instrument: str | None = None,
    seed: int = 1,
    **options: Any,
) -> CompareRun:
    """Compare the groups of a document-level table and write the comparison tables.

    Parameters
    ----------
    input : path or DataFrame
        A CSV or Parquet file (or a DataFrame): one row per document.
    values : sequence of str
        Numeric measure columns to compare (``--value``, repeatable).
    by : sequence of str, default ("country", "administration")
        Grouping columns. Differences are computed for the default grouping: consecutive
        administrations within a country and, with a ``date`` column, US vs MX within joint
        periods.
    out : path, default "outputs/compare"
        Output folder: ``tables/`` (``frame_by_group``, ``frame_differences`` and, for the
        default grouping, ``frame_composition`` and ``frame_differences_adjusted``, each as CSV
        and Parquet) and ``compare.json``.
    cluster : str, optional
        Column of resampling clusters (e.g. issuer): bootstrap and permutations move whole
        clusters.
    stratum : str, optional
        Column of strata (e.g. doc_type): differences within the strata both groups have and
        standardised to their common mix, beside the raw difference.
    instrument : str, optional
        Column of measuring instruments (``language`` for framelens lexicon measures): groups
        without a common instrument are "not comparable". Default: one instrument.
    seed : int, default 1
        Seed of every interval and test.
    **options
        ``n_boot``, ``n_perm``, ``min_n``, ``ci`` (``StatsSettings`` fields).

    Returns
    -------
    CompareRun

    Examples
    --------
    >>> run = run_compare("scores.csv", ["my_index"], out="cmp", seed=1)  # doctest: +SKIP
    >>> print(run.result.summary())  # doctest: +SKIP
    """
    source = "<DataFrame>" if isinstance(input, pd.DataFrame) else str(input)
    table = input if isinstance(input, pd.DataFrame) else read_input(input)
    tables, result, notes = comparison_tables(table, values, by, cluster=cluster,
                                              stratum=stratum, instrument=instrument, seed=seed,
                                              **options)  # fmt: skip
    out_dir = Path(out)
    written = write_tables(tables, out_dir / "tables")
    record = {
        "command": "framelens compare",
        "input": source,
        "input_sha256": _sha256(input) if not isinstance(input, pd.DataFrame) else None,
        "n_rows": int(len(table)),
        "values": list(values),
        "by": list(by),
        "stratum": stratum,
        "settings": result.settings,
        "notes": notes + list(result.notes),
        "tables": {name: {k: str(v) for k, v in paths.items()} for name, paths in written.items()},
    }
    write_json(out_dir / "compare.json", record)
    return CompareRun(result, written, record, out_dir)


def _sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
