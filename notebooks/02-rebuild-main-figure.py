# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Rebuild the report's main figure from the tables of a run
#
# The main figure of the report (framing index by administration, both countries side by
# side, with 95% bootstrap intervals and n) is drawn by one function from one table,
# `tables/frame_by_group.csv`. A reviewer with only the tables of a run can redraw it.
#
# Set `FRAMELENS_RUN_DIR` to the output folder of a run; without it, this notebook runs the
# demo pipeline into a temporary folder first.

# %%
import os
import tempfile
from pathlib import Path

import pandas as pd

from framelens.core.config import RunConfig
from framelens.outputs.figures import plot_framing_by_administration
from framelens.pipeline import run

run_dir = os.environ.get("FRAMELENS_RUN_DIR")
if run_dir is None:
    cfg = RunConfig()
    cfg.out = tempfile.mkdtemp(prefix="framelens-nb2-")
    cfg.topics.enabled = False
    cfg.compare.n_boot = 500
    cfg.compare.n_perm = 500
    run(cfg, progress=False)
    run_dir = cfg.out
run_dir = Path(run_dir)

# %%
table = pd.read_csv(run_dir / "tables" / "frame_by_group.csv")
table[table["measure"] == "framing_index"]

# %%
out_stem = run_dir / "figures" / "rebuilt_framing_index"
paths = plot_framing_by_administration(table, out_stem)
paths
