"""Table helpers shared by the stage-5 modules: column checks, group keys and order, fixed dtypes.

Group order is the one of ``framelens.core.domain`` (countries as in ``COUNTRIES``,
administrations in office order, ``unknown`` last); ``sort_keys`` applies it to group keys of
any grouping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from framelens.core.domain import UNKNOWN, administration_rank, country_rank
from framelens.core.errors import ConfigError, Errors

_INT_COLUMNS = {
    "n_docs", "n_missing", "n_units", "n_issuers", "n_boot", "n_perm", "min_n", "n_a", "n_b", "n",
    "n_mentions", "n_frame", "n_undated", "n_few_hits", "n_hits", "n_units_a", "n_units_b",
}  # fmt: skip
_FLOAT_COLUMNS = {
    "mean", "ci_low", "ci_high", "se_boot", "ci_level", "mean_a", "mean_b", "difference",
    "p_perm", "p_holm", "coef", "se", "t", "p", "share", "pooled_share", "pooled_share_ci_low",
    "pooled_share_ci_high",
}  # fmt: skip
_BOOL_COLUMNS = {"comparable", "small_n"}


def check_columns(table: pd.DataFrame, cols: Iterable[str | None], what: str) -> None:
    """Raise ``ConfigError`` [E023] naming the columns of ``cols`` missing from ``table``."""
    missing = [c for c in cols if c is not None and c not in table.columns]
    if missing:
        raise ConfigError(
            Errors.E023.format(what=what, missing=missing, columns=list(table.columns))
        )


def norm_key(series: pd.Series) -> pd.Series:
    """Group labels as text, missing ones as ``"unknown"``."""
    return series.astype(object).where(series.notna(), UNKNOWN).astype(str)


def weighting_label(weights: str | None) -> str:
    """The ``weighting`` column's text for a weights column (None: each document once)."""
    if weights is None:
        return "document"
    if weights == "n_tokens":
        return "tokens"
    return f"weights:{weights}"


def sort_keys(keys: Iterable[tuple], by: Sequence[str]) -> list[tuple]:
    """Group keys (tuples of the ``by`` columns' values) in the group order of ``core.domain``.

    ``country`` sorts by ``country_rank``, ``administration`` by ``administration_rank`` within
    its country, any other column by its value; each rank is followed by the value as a
    tie-break. For ``by=("country", "administration")`` this is ``core.domain.group_sort_key``.
    """

    def sort_key(k: tuple) -> tuple:
        country = dict(zip(by, k, strict=True)).get("country", "")
        out: list[Any] = []
        for col, val in zip(by, k, strict=True):
            if col == "country":
                out += [country_rank(val), val]
            elif col == "administration":
                out += [administration_rank(country, val), val]
            else:
                out += [0, val]
        return tuple(out)

    return sorted(keys, key=sort_key)


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes for stable bytes: ints as int64, floats as float64, bools as bool, text as str."""
    df = df.copy()
    for c in df.columns:
        if c in _INT_COLUMNS:
            df[c] = df[c].astype("int64")
        elif c in _FLOAT_COLUMNS:
            df[c] = df[c].astype("float64")
        elif c in _BOOL_COLUMNS:
            df[c] = df[c].astype(bool)
        elif df[c].dtype == object or pd.api.types.is_string_dtype(df[c]):
            df[c] = df[c].astype(object).where(df[c].notna(), None).astype("str")
    return df
