"""The framing index by administration: the report's main figure (table ``frame_by_group``)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from framelens.outputs.figures.panels import by_admin_panels
from framelens.outputs.figures.style import save_figure


def draw_framing_by_administration(table: pd.DataFrame) -> Figure:
    """Framing index by administration, both countries side by side (table ``frame_by_group``)."""
    return by_admin_panels(
        table,
        ["framing_index"],
        title="Framing index by administration (mean and interval)",
        ylabel="Framing index (H − S)/(H + S)\n−1 = only security · +1 = only humanitarian",
        colors=None,
        markers=None,
        labels={},
        ylim=(-1.08, 1.08),
        zero_line=True,
    )


def plot_framing_by_administration(
    table: pd.DataFrame, stem: str | os.PathLike, dpi: int = 300
) -> dict[str, Path]:
    """Write the framing-index-by-administration figure as ``<stem>.pdf/.png``."""
    return save_figure(draw_framing_by_administration(table), stem, dpi)
