"""The notebooks under notebooks/ (jupytext percent format) execute on the demo corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.py"))


def _execute(path: Path, cwd: Path, env: dict[str, str]) -> object:
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nb = jupytext.read(path)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        client = nbclient.NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
        )
        client.execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def test_notebooks_exist():
    names = [p.name for p in NOTEBOOKS]
    assert any("walkthrough" in n for n in names) and any("figure" in n for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes(path, tmp_path, demo_run):
    env = {"FRAMELENS_RUN_DIR": str(demo_run.out_dir), "MPLBACKEND": "Agg"}
    nb = _execute(path, tmp_path, env)
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    if "figure" in path.name:
        assert (demo_run.out_dir / "figures" / "rebuilt_framing_index.png").exists()
