"""The one shape of a table in the report: header cells, rows of text cells, a class per row."""

from __future__ import annotations


def html_table(columns: list[str], rows: list[list[str]], classes: list[str] | None = None) -> dict:
    """A table for the template's ``table`` macro (``classes``: "flag", "total" or "")."""
    return {"columns": columns, "rows": rows, "classes": classes or [""] * len(rows)}
