"""What every ``framelens`` command shares: the app, the console, options, errors, config."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from framelens.core.config import RunConfig
from framelens.core.errors import FramelensError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    help="framelens: humanitarian versus security framing in US and Mexican migration policy documents.",
)
console = Console(stderr=True)


def make_config(
    config: Path | None,
    corpus: Path | None = None,
    manifest: Path | None = None,
    no_manifest: bool = False,
    out: Path | None = None,
    seed: int | None = None,
    workers: int | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    csv: str | None = None,
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
    if csv is not None:
        cfg.outputs.csv = csv
    return cfg.validate()


def fail(message: object, exit_code: int) -> typer.Exit:
    """Print ``message`` (with its code, e.g. "[E004] ...") as one line; the Exit to raise."""
    console.print(f"[red]error:[/red] {escape(str(message))}")
    return typer.Exit(exit_code)


def guard(fn):
    """Run ``fn``; turn framelens errors into a one-line message and their exit code."""
    try:
        return fn()
    except FramelensError as exc:
        raise fail(exc, exc.exit_code) from None


CorpusOpt = typer.Option(
    None, "--corpus", help="Folder of documents (default: the built-in demo corpus)."
)
ManifestOpt = typer.Option(
    None, "--manifest", help="Manifest CSV (default: manifest.csv files found in the corpus)."
)
NoManifestOpt = typer.Option(False, "--no-manifest", help="Ignore manifests; infer all metadata.")
OutOpt = typer.Option(None, "--out", help="Output folder (default: outputs/).")
ConfigOpt = typer.Option(None, "--config", help="YAML run configuration.")
SeedOpt = typer.Option(None, "--seed", help="Seed of all randomness in the run.")
WorkersOpt = typer.Option(None, "--workers", help="Processes for extraction (0 = all cores).")
ExecutorOpt = typer.Option(None, "--executor", help="local (process pool) or dask.")
SchedulerOpt = typer.Option(
    None, "--scheduler", help="dask.distributed scheduler address (implies --executor dask)."
)
CsvOpt = typer.Option(
    None,
    "--csv",
    help="Tables with a CSV beside their Parquet. 'tables': document-level and group-level "
    "tables; the sentence-level ones (sentences, sentence_frames, matches, actors, "
    "frame_predictions, relevance) are Parquet only, as they grow with the corpus. 'all': "
    "every table. Default: outputs.csv of --config, else 'tables'.",
)
QuietOpt = typer.Option(False, "--quiet", help="No progress bars.")
