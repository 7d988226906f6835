"""``framelens run``, ``extract``, ``validate-lexicon`` and ``report``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from framelens.cli.common import (
    ConfigOpt,
    CorpusOpt,
    CsvOpt,
    ExecutorOpt,
    ManifestOpt,
    NoManifestOpt,
    OutOpt,
    QuietOpt,
    SchedulerOpt,
    SeedOpt,
    WorkersOpt,
    app,
    fail,
    guard,
    make_config,
)
from framelens.core.config import RunConfig
from framelens.core.errors import EXIT_CONFIG, EXIT_OK
from framelens.outputs import write_tables
from framelens.pipeline import resolve_gold


def _summary(result) -> None:
    from framelens.corpus import extract_summary

    docs = result.documents
    summary = extract_summary(docs)
    table = Table(title="Documents by country and administration")
    for col in summary.columns:
        table.add_column(str(col))
    for row in summary.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    out = Console()
    out.print(table)
    n_ok = int((docs["status"] == "ok").sum())
    quarantine = escape(str(result.out_dir / "tables" / "quarantine.csv"))
    out.print(f"read {n_ok} of {len(docs)} documents; {len(docs) - n_ok} quarantined "
              f"(see {quarantine})")  # fmt: skip
    for stage, err in result.stage_errors.items():
        out.print(f"[yellow]stage {stage} did not complete:[/yellow] {escape(str(err))}")
    out.print(f"outputs in {escape(str(result.out_dir))}")


DesignOpt = typer.Option(
    None,
    "--design-sample",
    help="Coded probability sample of the run's sentences (design_sample.csv format) for the "
    "corrected frame prevalence (default: design_sample.csv beside the gold file).",
)


def _corpus_command(name: str, runner: Callable, doc: str) -> None:
    """Register ``framelens <name>``: the corpus options, declared once for ``run`` and
    ``extract``; ``runner(config, progress=...)`` does the work."""

    def command(
        corpus: Path | None = CorpusOpt,
        manifest: Path | None = ManifestOpt,
        no_manifest: bool = NoManifestOpt,
        out: Path | None = OutOpt,
        config: Path | None = ConfigOpt,
        seed: int | None = SeedOpt,
        workers: int | None = WorkersOpt,
        executor: str | None = ExecutorOpt,
        scheduler: str | None = SchedulerOpt,
        design_sample: Path | None = DesignOpt,
        csv: str | None = CsvOpt,
        quiet: bool = QuietOpt,
    ) -> None:
        def configure() -> RunConfig:
            cfg = make_config(
                config,
                corpus,
                manifest,
                no_manifest,
                out,
                seed,
                workers,
                executor,
                scheduler,
                csv=csv,
            )
            if design_sample is not None:
                cfg.prevalence.design_sample = str(design_sample)
            return cfg

        cfg = guard(configure)
        result = guard(lambda: runner(cfg, progress=not quiet))
        _summary(result)
        raise typer.Exit(result.exit_code)

    command.__doc__ = doc
    command.__name__ = name
    app.command(name)(command)


def _run(cfg: RunConfig, *, progress: bool):
    from framelens.pipeline import run

    return run(cfg, progress=progress)


def _extract(cfg: RunConfig, *, progress: bool):
    from framelens.pipeline import run_extract

    return run_extract(cfg, progress=progress)


_corpus_command("run", _run, "Run every stage; with no arguments, on the built-in demo corpus.")
_corpus_command(
    "extract",
    _extract,
    "Extract documents only: tables/documents.{csv,parquet}, tables/quarantine.csv, run.json.",
)


@app.command("validate-lexicon")
def validate_lexicon_cmd(
    gold: Path | None = typer.Option(
        None,
        "--gold",
        help="Hand-coded sentences CSV (default: ../shared/validation/gold_sentences.csv).",
    ),
    design_sample: Path | None = DesignOpt,
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
) -> None:
    """Validate the instruments against hand-coded sentences: the lexicon and the lexicon-seeded
    classifier side by side (precision, recall, F1 with document-resampled intervals, alpha;
    design-weighted on the design sample), and which one the run would use."""
    from framelens.core.errors import Errors

    cfg = guard(lambda: make_config(config, out=out, seed=seed))
    if gold is not None:
        cfg.lexicon.gold = str(gold)
    if design_sample is not None:
        cfg.prevalence.design_sample = str(design_sample)
    gold_path = guard(lambda: resolve_gold(cfg))
    if gold_path is None:
        raise fail(Errors.E010.format(path="../shared/validation/gold_sentences.csv"), EXIT_CONFIG)
    tables, summary = guard(lambda: _validate(cfg, gold_path))
    folder = Path(cfg.out) / "tables"
    guard(lambda: write_tables(tables, folder, csv=cfg.outputs.csv))
    Console().print(summary)
    Console().print(f"written to {folder}/lexicon_validation.csv, instrument_validation.csv")
    raise typer.Exit(EXIT_OK)


def _validate(cfg: RunConfig, gold_path: Path) -> tuple[dict, str]:
    from framelens.pipeline.measurement import resolve_design_sample, validate_instruments

    tables, comp = validate_instruments(cfg, gold_path, resolve_design_sample(cfg, gold_path))
    return tables, comp.summary()


@app.command()
def report(out: Path | None = OutOpt) -> None:
    """Re-render LaTeX tables, figures and report/index.html from a finished run (no recomputation)."""
    from framelens.outputs import render_outputs

    out_dir = out or Path("outputs")
    path = guard(lambda: render_outputs(out_dir))
    Console().print(f"report written to {path}")
