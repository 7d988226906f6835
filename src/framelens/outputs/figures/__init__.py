"""Publication figures of a run, one function per figure, each drawing one table.

Every figure shows point estimates with their intervals and the number of documents behind
them, uses the Okabe-Ito colour-blind-safe palette with redundant marker shapes, labels its axes
with units, and is written as PDF (fonts embedded as TrueType, no creation date) and PNG
(300 dpi, no date) atomically by ``save_figure``, so that the same table gives the same bytes.
Empty or unusable tables give a figure that says "No data" instead of an error.

Each ``plot_<name>(table, stem)`` writes ``<stem>.pdf`` and ``<stem>.png`` and returns their
paths; ``draw_<name>(table)`` returns the ``matplotlib.figure.Figure`` (for notebooks and the
HTML report). ``write_figures(out_dir)`` draws every figure whose table exists under
``<out_dir>/tables`` into ``<out_dir>/figures``.

Modules, one per figure family: ``framing`` (the framing index by administration), ``rates``
(frame rates by administration, the framing index over time), ``cooccurrence`` (co-occurrence
and actors), ``topics`` (topic prevalence and the topic commands' figures), ``validation``
(lexicon F1); ``style`` holds the palette and the one save function, ``parts`` and ``panels``
the shared drawing blocks, ``catalogue`` the list of a run's figures.
"""

from framelens.outputs.figures.catalogue import FIGURES, write_figures
from framelens.outputs.figures.cooccurrence import (
    draw_actor_frames,
    draw_cooccurrence_by_administration,
    plot_actor_frames,
    plot_cooccurrence_by_administration,
)
from framelens.outputs.figures.framing import (
    draw_framing_by_administration,
    plot_framing_by_administration,
)
from framelens.outputs.figures.prevalence import draw_frame_prevalence, plot_frame_prevalence
from framelens.outputs.figures.rates import (
    draw_frame_rates_by_administration,
    draw_framing_over_time,
    plot_frame_rates_by_administration,
    plot_framing_over_time,
)
from framelens.outputs.figures.style import OKABE_ITO, figure_png_bytes, save_figure
from framelens.outputs.figures.topics import (
    draw_topic_prevalence,
    plot_prevalence,
    plot_selection,
    plot_topic_prevalence,
)
from framelens.outputs.figures.validation import draw_lexicon_validation, plot_lexicon_validation

__all__ = [
    "draw_frame_prevalence",
    "plot_frame_prevalence",
    "FIGURES",
    "OKABE_ITO",
    "draw_actor_frames",
    "draw_cooccurrence_by_administration",
    "draw_frame_rates_by_administration",
    "draw_framing_by_administration",
    "draw_framing_over_time",
    "draw_lexicon_validation",
    "draw_topic_prevalence",
    "figure_png_bytes",
    "plot_actor_frames",
    "plot_cooccurrence_by_administration",
    "plot_frame_rates_by_administration",
    "plot_framing_by_administration",
    "plot_framing_over_time",
    "plot_lexicon_validation",
    "plot_prevalence",
    "plot_selection",
    "plot_topic_prevalence",
    "save_figure",
    "write_figures",
]
