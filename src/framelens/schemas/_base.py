"""Registry of table schemas (pandera) and helpers shared by the schema modules."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def register(name: str, schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """Register ``schema`` under table ``name`` (ordered, strict columns)."""
    schema.name = name
    SCHEMAS[name] = schema
    return schema


def columns_of(name: str) -> list[str]:
    """The fixed column order of table ``name``."""
    return list(SCHEMAS[name].columns)


def validate(df: pd.DataFrame, name: str, lazy: bool = True) -> pd.DataFrame:
    """Validate ``df`` against the schema of table ``name``; returns the validated frame.

    Raises ``pandera.errors.SchemaErrors`` listing every failing check when ``lazy``.
    """
    return SCHEMAS[name].validate(df, lazy=lazy)


def Str(nullable: bool = False, **kw) -> pa.Column:  # noqa: N802 - reads like a type
    """A text column: object or pandas string dtype (pandas 3 reads strings as ``str``)."""
    return pa.Column(str, nullable=nullable, coerce=False, **kw)


def Int(nullable: bool = False, **kw) -> pa.Column:  # noqa: N802
    return pa.Column("int64", nullable=nullable, coerce=True, **kw)


def Float(nullable: bool = True, **kw) -> pa.Column:  # noqa: N802
    return pa.Column("float64", nullable=nullable, coerce=True, **kw)


def Bool(**kw) -> pa.Column:  # noqa: N802
    return pa.Column("bool", nullable=False, coerce=True, **kw)
