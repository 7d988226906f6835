"""Column names of run tables as the outputs read them, across table versions.

Columns renamed for consistency (``compared`` became ``comparable``; the interval bounds of the
lexicon validation became ``<metric>_ci_low``/``<metric>_ci_high``) are read under their
current names, so figures and the report also re-render the tables of an older run.
"""

from __future__ import annotations

import pandas as pd

#: old column name -> current column name.
RENAMED = {
    "compared": "comparable",
    **{
        f"{metric}_{end}": f"{metric}_ci_{end}"
        for metric in ("precision", "recall", "f1")
        for end in ("low", "high")
    },
}


def current_names(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with renamed columns under their current names (``df`` itself when none is)."""
    renames = {old: new for old, new in RENAMED.items() if old in df.columns and new not in df}
    return df.rename(columns=renames) if renames else df


def comparable(df: pd.DataFrame) -> pd.Series:
    """Which rows enter comparisons (all rows of a table without a ``comparable`` column)."""
    df = current_names(df)
    if "comparable" not in df.columns:
        return pd.Series(True, index=df.index)
    return df["comparable"].map(as_bool).astype(bool)


def as_bool(x: object) -> bool:
    """A flag read from a table: True, 1, "true", "yes" (any case) are true; missing is false."""
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    try:
        return bool(x) and not (isinstance(x, float) and x != x)
    except (TypeError, ValueError):
        return False
