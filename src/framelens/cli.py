"""The ``framelens`` command line: a thin layer over the functions a notebook calls.

Exit codes: 0 every file read; 3 some files quarantined (everything else still written);
2 configuration or usage error; 4 output folder locked by another run; 1 unexpected error.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from framelens.core.config import RunConfig
from framelens.core.errors import EXIT_CONFIG, EXIT_OK, FramelensError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    help="framelens: humanitarian versus security framing in US and Mexican migration policy documents.",
)
topics_app = typer.Typer(add_completion=False, help="Topic-model selection and validation sheets.")
app.add_typer(topics_app, name="topics")
console = Console(stderr=True)


def _config(
    config: Path | None,
    corpus: Path | None = None,
    manifest: Path | None = None,
    no_manifest: bool = False,
    out: Path | None = None,
    seed: int | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
) -> RunConfig:
    cfg = RunConfig.from_yaml(config) if config else RunConfig()
    if corpus is not None:
        cfg.corpus = str(corpus)
    if manifest is not None:
        cfg.manifest = str(manifest)
    if no_manifest:
        cfg.extract.use_manifest = False
    if out is not None:
        cfg.out = str(out)
    if seed is not None:
        cfg.seed = seed
    if workers is not None:
        cfg.extract.workers = workers
    if executor is not None:
        cfg.extract.executor = executor
    if scheduler is not None:
        cfg.extract.scheduler = scheduler
        cfg.extract.executor = "dask"
    return cfg.validate()


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
    out.print(f"read {n_ok} of {len(docs)} documents; {len(docs) - n_ok} quarantined "
              f"(see {result.out_dir / 'tables' / 'quarantine.csv'})")
    for stage, err in result.stage_errors.items():
        out.print(f"[yellow]stage {stage} did not complete:[/yellow] {err}")
    out.print(f"outputs in {result.out_dir}")


def _guard(fn):
    """Run ``fn``; turn framelens errors into a one-line message and their exit code."""
    try:
        return fn()
    except FramelensError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(exc.exit_code) from None


CorpusOpt = typer.Option(None, "--corpus", help="Folder of documents (default: the built-in demo corpus).")
ManifestOpt = typer.Option(None, "--manifest", help="Manifest CSV (default: manifest.csv files found in the corpus).")
NoManifestOpt = typer.Option(False, "--no-manifest", help="Ignore manifests; infer all metadata.")
OutOpt = typer.Option(None, "--out", help="Output folder (default: outputs/).")
ConfigOpt = typer.Option(None, "--config", help="YAML run configuration.")
SeedOpt = typer.Option(None, "--seed", help="Seed of all randomness in the run.")
WorkersOpt = typer.Option(None, "--workers", help="Processes for extraction (0 = all cores).")
ExecutorOpt = typer.Option(None, "--executor", help="local (process pool) or dask.")
SchedulerOpt = typer.Option(None, "--scheduler", help="dask.distributed scheduler address (implies --executor dask).")
QuietOpt = typer.Option(False, "--quiet", help="No progress bars.")


@app.command()
def run(
    corpus: Path | None = CorpusOpt,
    manifest: Path | None = ManifestOpt,
    no_manifest: bool = NoManifestOpt,
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
    workers: int | None = WorkersOpt,
    executor: str | None = ExecutorOpt,
    scheduler: str | None = SchedulerOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Run every stage; with no arguments, on the built-in demo corpus."""
    from framelens.pipeline import run as run_pipeline

    cfg = _guard(lambda: _config(config, corpus, manifest, no_manifest, out, seed, workers, executor, scheduler))
    result = _guard(lambda: run_pipeline(cfg, progress=not quiet))
    _summary(result)
    raise typer.Exit(result.exit_code)


@app.command()
def extract(
    corpus: Path | None = CorpusOpt,
    manifest: Path | None = ManifestOpt,
    no_manifest: bool = NoManifestOpt,
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
    workers: int | None = WorkersOpt,
    executor: str | None = ExecutorOpt,
    scheduler: str | None = SchedulerOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Extract documents only: tables/documents.{csv,parquet}, tables/quarantine.csv, run.json."""
    from framelens.pipeline import run_extract

    cfg = _guard(lambda: _config(config, corpus, manifest, no_manifest, out, seed, workers, executor, scheduler))
    result = _guard(lambda: run_extract(cfg, progress=not quiet))
    _summary(result)
    raise typer.Exit(result.exit_code)


@app.command("validate-lexicon")
def validate_lexicon_cmd(
    gold: Path | None = typer.Option(None, "--gold", help="Hand-coded sentences CSV (default: ../shared/validation/gold_sentences.csv)."),
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
) -> None:
    """Score hand-coded sentences with the lexicon: precision, recall, F1 (with intervals), alpha."""
    from framelens.analysis import load_lexicon, validate_lexicon
    from framelens.core.io import write_table
    from framelens.pipeline import resolve_gold

    cfg = _guard(lambda: _config(config, out=out, seed=seed))
    if gold is not None:
        cfg.lexicon.gold = str(gold)
    gold_path = _guard(lambda: resolve_gold(cfg))
    if gold_path is None:
        from framelens.core.errors import Errors

        console.print(f"[red]error:[/red] {Errors.E010.format(path='../shared/validation/gold_sentences.csv')}")
        raise typer.Exit(EXIT_CONFIG)
    lexicon = _guard(lambda: load_lexicon(cfg.lexicon.version))
    val = validate_lexicon(gold_path, lexicon, config=cfg.lexicon, seed=cfg.seed, n_boot=cfg.lexicon.n_boot)
    tables = Path(cfg.out) / "tables"
    write_table(val.table, tables, "lexicon_validation")
    write_table(val.confusion, tables, "lexicon_confusion")
    write_table(val.misclassified, tables, "lexicon_misclassified")
    Console().print(val.summary())
    Console().print(f"written to {tables}/lexicon_validation.csv")
    raise typer.Exit(EXIT_OK)


@app.command()
def report(out: Path | None = OutOpt) -> None:
    """Re-render figures and report/index.html from the tables of a finished run (no recomputation)."""
    from framelens.outputs.figures import write_figures
    from framelens.outputs.report import render_report

    out_dir = out or Path("outputs")

    def _render():
        write_figures(out_dir)
        return render_report(out_dir)

    path = _guard(_render)
    Console().print(f"report written to {path}")


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
    from framelens.pipeline.topics import topics_select as select
    from framelens.pipeline import ensure_sentences

    cfg = _guard(lambda: _config(config, corpus, out=out, seed=seed))
    _guard(lambda: ensure_sentences(cfg, rebuild=corpus is not None, progress=not quiet))
    sel = _guard(lambda: select(cfg.out, cfg))
    Console().print(sel.table.to_string(index=False))
    Console().print(sel.chosen.to_string(index=False))
    Console().print(f"written to {Path(cfg.out) / 'tables' / 'topic_selection.csv'}")


@topics_app.command("intrusion")
def topics_intrusion(
    out: Path | None = OutOpt,
    score: Path | None = typer.Option(None, "--score", help="A filled-in intrusion sheet to score."),
    key: Path | None = typer.Option(None, "--key", help="The answer key of that sheet."),
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
) -> None:
    """Write word- and topic-intrusion sheets for a human coder, or score a filled-in sheet."""
    from framelens.pipeline.topics import topics_intrusion as write_sheets
    from framelens.pipeline.topics import topics_score

    cfg = _guard(lambda: _config(config, out=out, seed=seed))
    if score is not None:
        if key is None:
            console.print("[red]error:[/red] --score needs --key (the answer key written with the sheet).")
            raise typer.Exit(EXIT_CONFIG)
        out_csv = Path(cfg.out) / "tables" / "intrusion_scores.csv"
        scores = _guard(lambda: topics_score(score, key, out_csv=out_csv))
        Console().print(scores.to_string(index=False))
        Console().print(f"written to {out_csv}")
        return
    paths = _guard(lambda: write_sheets(cfg.out, cfg))
    for name, p in sorted(paths.items()):
        Console().print(f"{name}: {p}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except FramelensError as exc:  # pragma: no cover - _guard handles most
        console.print(f"[red]error:[/red] {exc}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
