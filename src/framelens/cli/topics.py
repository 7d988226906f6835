"""``framelens topics select`` and ``framelens topics intrusion``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from framelens.cli.common import (
    ConfigOpt,
    CorpusOpt,
    OutOpt,
    QuietOpt,
    SeedOpt,
    app,
    fail,
    guard,
    make_config,
)
from framelens.core.errors import EXIT_CONFIG

topics_app = typer.Typer(add_completion=False, help="Topic-model selection and validation sheets.")
app.add_typer(topics_app, name="topics")


@topics_app.command("select")
def topics_select(
    corpus: Path | None = CorpusOpt,
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Fit a grid of k (both engines, several seeds): tables/topic_selection.csv and the choice.

    Uses the sentences of an earlier run in --out; with --corpus (or when --out holds no run)
    it first extracts and preprocesses that corpus (the demo corpus when none is given).
    """
    from framelens.pipeline import ensure_sentences
    from framelens.pipeline.topics import topics_select as select

    cfg = guard(lambda: make_config(config, corpus, out=out, seed=seed))
    guard(lambda: ensure_sentences(cfg, rebuild=corpus is not None, progress=not quiet))
    sel = guard(lambda: select(cfg.out, cfg))
    Console().print(sel.table.to_string(index=False))
    Console().print(sel.chosen.to_string(index=False))
    Console().print(f"written to {Path(cfg.out) / 'tables' / 'topic_selection.csv'}")


@topics_app.command("intrusion")
def topics_intrusion(
    out: Path | None = OutOpt,
    score: Path | None = typer.Option(
        None, "--score", help="A filled-in intrusion sheet to score."
    ),
    key: Path | None = typer.Option(None, "--key", help="The answer key of that sheet."),
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
) -> None:
    """Write word- and topic-intrusion sheets for a human coder, or score a filled-in sheet."""
    from framelens.pipeline.topics import topics_intrusion as write_sheets
    from framelens.pipeline.topics import topics_score

    cfg = guard(lambda: make_config(config, out=out, seed=seed))
    if score is not None:
        if key is None:
            raise fail("--score needs --key (the answer key written with the sheet).", EXIT_CONFIG)
        out_csv = Path(cfg.out) / "tables" / "intrusion_scores.csv"
        scores = guard(lambda: topics_score(score, key, out_csv=out_csv))
        Console().print(scores.to_string(index=False))
        Console().print(f"written to {out_csv}")
        return
    paths = guard(lambda: write_sheets(cfg.out, cfg))
    for name, p in sorted(paths.items()):
        Console().print(f"{name}: {p}")
