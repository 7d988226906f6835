"""The look of every figure, and the one way a figure reaches disk.

Colours are the Okabe-Ito colour-blind-safe palette with redundant marker shapes; text sizes
and spines come from one rc dictionary applied while drawing and saving. ``save_figure`` is the
only function that writes a figure: PDF (fonts embedded as TrueType, no creation date) and PNG
(no date), atomically, so that the same table gives the same bytes. Figures are plain
``Figure`` objects on an Agg canvas (no pyplot): nothing global leaks between figures.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from framelens.core.io import atomic_write_bytes

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The palette as a sequence, for series without a colour of their own (engines, groups).
SERIES_COLORS = [
    OKABE_ITO[c]
    for c in (
        "blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "yellow",
        "black",
    )
]  # fmt: skip
COUNTRY_COLORS = {"US": OKABE_ITO["blue"], "MX": OKABE_ITO["vermillion"]}
COUNTRY_MARKERS = {"US": "o", "MX": "s"}
COUNTRY_NAMES = {"US": "United States", "MX": "Mexico"}
FRAME_COLORS = {
    "humanitarian": OKABE_ITO["bluish_green"],
    "security": OKABE_ITO["vermillion"],
    "cooperation": OKABE_ITO["sky_blue"],
}
FRAME_MARKERS = {"humanitarian": "o", "security": "s", "cooperation": "^"}
LANGUAGE_COLORS = {"en": OKABE_ITO["blue"], "es": OKABE_ITO["orange"]}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}
#: Colours of administrations (by position in office within a country); yellow left out (low
#: contrast on white).
GROUP_COLORS = {
    "US": [OKABE_ITO["black"], OKABE_ITO["blue"], OKABE_ITO["sky_blue"], OKABE_ITO["bluish_green"]],
    "MX": [
        OKABE_ITO["black"],
        OKABE_ITO["vermillion"],
        OKABE_ITO["orange"],
        OKABE_ITO["reddish_purple"],
    ],
}
GREY = "#666666"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,
    "svg.hashsalt": "framelens",
    "path.simplify": False,
}


@contextmanager
def style() -> Iterator[None]:
    """The figures' rc settings, for the duration of a drawing or a save."""
    with matplotlib.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A ``Figure`` of ``width`` x ``height`` inches on its own Agg canvas (constrained layout)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def no_data(title: str, message: str = "No data") -> Figure:
    """A small figure that says why there is nothing to draw (instead of an error)."""
    with style():
        fig = new_figure(6.0, 2.4)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=GREY,
                transform=ax.transAxes, wrap=True)  # fmt: skip
    return fig


def save_figure(
    fig: Figure, stem: str | os.PathLike, dpi: int = 300, *, tight: bool = False
) -> dict[str, Path]:
    """Write ``fig`` as ``<stem>.pdf`` and ``<stem>.png``, atomically and reproducibly.

    Parameters
    ----------
    fig : Figure
        The figure to write.
    stem : path
        Target path without suffix.
    dpi : int, default 300
        Resolution of the PNG.
    tight : bool, default False
        Crop to the drawn content (``bbox_inches="tight"``) instead of the figure size.

    Returns
    -------
    dict
        ``{"pdf": path, "png": path}``. The PDF has no CreationDate or ModDate; the PNG no date
        (matplotlib writes only its version).
    """
    stem = Path(stem)
    extra = {"bbox_inches": "tight"} if tight else {}
    out = {}
    with style():
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "ModDate": None}, **extra)
        out["pdf"] = atomic_write_bytes(stem.parent / f"{stem.name}.pdf", buf.getvalue())
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, **extra)
        out["png"] = atomic_write_bytes(stem.parent / f"{stem.name}.png", buf.getvalue())
    return out


def figure_png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (for embedding in the HTML report)."""
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
