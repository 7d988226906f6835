"""Figures: every figure function writes a PDF and a PNG of the expected size, reproducibly, and
draws a "No data" figure instead of failing on empty tables."""

from __future__ import annotations

import struct
from pathlib import Path

import pandas as pd
import pytest

from framelens.core.io import read_table
from framelens.outputs import figures as F
from test_compare_synthetic import make_output_dir

PLOTS = {
    "framing_by_administration": F.plot_framing_by_administration,
    "frame_rates_by_administration": F.plot_frame_rates_by_administration,
    "framing_over_time": F.plot_framing_over_time,
    "cooccurrence_by_administration": F.plot_cooccurrence_by_administration,
    "topic_prevalence": F.plot_topic_prevalence,
    "actor_frames": F.plot_actor_frames,
    "lexicon_validation": F.plot_lexicon_validation,
}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return make_output_dir(tmp_path_factory.mktemp("run"))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_figures_every_function_writes_pdf_and_png(run_dir, tmp_path):
    for name, plot in PLOTS.items():
        table = read_table(run_dir / "tables", F.FIGURES[name][0])
        paths = plot(table, tmp_path / name, dpi=40)
        assert paths["pdf"].read_bytes()[:5] == b"%PDF-"
        assert paths["pdf"].stat().st_size > 5_000, name
        pw, ph = _png_size(paths["png"])
        # figures are between 4 and 14 inches wide and 2 and 8 inches high
        assert 4 * 40 <= pw <= 14 * 40 and 2 * 40 <= ph <= 8 * 40, (name, pw, ph)


def test_figures_png_at_300_dpi_and_pdf_without_date(run_dir, tmp_path):
    table = read_table(run_dir / "tables", "frame_by_group")
    paths = F.plot_framing_by_administration(table, tmp_path / "fig")
    fig = F.draw_framing_by_administration(table)
    w, h = fig.get_size_inches()
    assert _png_size(paths["png"]) == (round(w * 300), round(h * 300))
    assert paths["png"].stat().st_size > 50_000
    pdf = paths["pdf"].read_bytes()
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf
    assert b"tIME" not in paths["png"].read_bytes()  # no timestamp chunk


def test_figures_are_byte_identical_on_redraw(run_dir, tmp_path):
    table = read_table(run_dir / "tables", "frame_timeseries")
    a = F.plot_framing_over_time(table, tmp_path / "a", dpi=60)
    b = F.plot_framing_over_time(table, tmp_path / "b", dpi=60)
    assert a["pdf"].read_bytes() == b["pdf"].read_bytes()
    assert a["png"].read_bytes() == b["png"].read_bytes()


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_figures_empty_table_gives_a_no_data_figure(name):
    fig = F.FIGURES[name][1](pd.DataFrame())
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("No data") for t in texts)


def test_figures_no_data_figure_is_written(tmp_path):
    paths = F.plot_topic_prevalence(pd.DataFrame(), tmp_path / "topics", dpi=30)
    assert paths["png"].exists() and paths["pdf"].exists()


def test_figures_tiny_tables_draw(run_dir, tmp_path):
    groups = read_table(run_dir / "tables", "frame_by_group")
    one = groups[(groups["country"] == "MX") & (groups["administration"] == "Peña Nieto")]
    fig = F.draw_framing_by_administration(one)
    assert len(fig.axes) == 1 and fig.axes[0].get_title() == "Mexico"
    # only NaN estimates: "No data" rather than an empty frame
    nan = one.assign(mean=float("nan"), ci_low=float("nan"), ci_high=float("nan"))
    assert "No data" in F.draw_framing_by_administration(nan).axes[0].texts[0].get_text()
    ts = read_table(run_dir / "tables", "frame_timeseries").head(1)
    F.plot_framing_over_time(ts, tmp_path / "ts", dpi=30)


def test_figures_write_figures_reads_the_run_tables(tmp_path):
    # without topic tables, the other six figures are written
    bare = make_output_dir(tmp_path / "bare", with_topics=False)
    written = F.write_figures(bare, dpi=30)
    # frame_prevalence needs a design sample's run: its table is not in this folder either
    assert sorted(written) == sorted(set(F.FIGURES) - {"topic_prevalence", "frame_prevalence"})
    assert all((bare / "figures" / f"{n}.pdf").exists() for n in written)
    assert all((bare / "figures" / f"{n}.png").exists() for n in written)


def _prevalence_rows() -> pd.DataFrame:
    rows = []
    for country, admin, n_coded in (
        ("US", "Biden", 135),
        ("MX", "Sheinbaum", 12),
        ("US", "Obama", 0),
    ):
        for frame, naive, corrected in (("humanitarian", 0.10, 0.04), ("security", 0.05, 0.09)):
            rows.append({
                "country": country, "administration": admin, "subset": "all", "frame": frame,
                "naive": naive, "naive_ci_low": naive - 0.02, "naive_ci_high": naive + 0.02,
                "corrected": corrected if n_coded else float("nan"),
                "corrected_ci_low": corrected - 0.03 if n_coded else float("nan"),
                "corrected_ci_high": corrected + 0.05 if n_coded else float("nan"),
                "unstable": n_coded < 30, "ci_level": 0.95,
            })  # fmt: skip
    return pd.DataFrame(rows)


def test_figures_frame_prevalence_naive_and_corrected(tmp_path):
    table = _prevalence_rows()
    paths = F.plot_frame_prevalence(table, tmp_path / "prev", dpi=30)
    assert paths["pdf"].stat().st_size > 0 and _png_size(paths["png"])[0] > 0
    fig = F.draw_frame_prevalence(table)
    assert [ax.get_title() for ax in fig.axes] == ["Humanitarian", "Security"]
    # groups in the project's order, one tick each
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["US · Obama", "US · Biden", "MX · Sheinbaum"]
    empty = F.draw_frame_prevalence(table.iloc[0:0])
    assert "No data" in empty.axes[0].texts[0].get_text()
