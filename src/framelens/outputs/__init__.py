"""framelens.outputs: stage 6, the only package that writes or renders a run's results.

- ``write_tables(tables, tables_dir, csv=...)``: the store; every table validated against its
  schema, then written as CSV + Parquet atomically; sentence-level tables as Parquet only
  unless ``csv="all"`` (``store``).
- ``write_all(tables, out_dir, record)``: tables, run.json, LaTeX tables, figures and the HTML
  report; ``render_outputs(out_dir)`` redraws the last three from a run's tables (``writer``).
- ``figures``: one function per figure (``write_figures``); ``report``: the HTML report
  (``render_report``); ``tables``: LaTeX tables; ``intrusion_sheets``: topic intrusion sheets;
  ``run_record``: run.json and the output-folder lock.
"""

from framelens.outputs.store import write_tables
from framelens.outputs.writer import render_outputs, write_all

__all__ = ["render_outputs", "write_all", "write_tables"]
