"""The report's figures: each figure of ``framelens.outputs.figures.FIGURES`` drawn from the
run's tables and embedded as a base64 PNG (or a sentence saying why it is missing)."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pandas as pd

from framelens.outputs.figures import FIGURES, figure_png_bytes

log = logging.getLogger("framelens")


def embedded_figures(
    tables: dict[str, pd.DataFrame | None], dpi: int = 110
) -> list[dict[str, Any]]:
    """Per figure, in report order: name, caption, src (a data: URL) or missing (why not)."""
    out = []
    for name, (table_name, draw, caption) in FIGURES.items():
        table = tables.get(table_name)
        if table is None:
            out.append({"name": name, "caption": caption, "src": None,
                        "missing": f"Table {table_name} is not in this run."})  # fmt: skip
            continue
        try:
            png = figure_png_bytes(draw(table), dpi=dpi)
        except Exception as exc:  # a broken figure must not lose the report
            log.warning("report: figure %s failed: %s", name, exc)
            out.append({"name": name, "caption": caption, "src": None,
                        "missing": f"The figure could not be drawn ({type(exc).__name__})."})  # fmt: skip
            continue
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        out.append({"name": name, "caption": caption, "src": src, "missing": None})
    return out
