"""The ``framelens`` command line: a thin layer over the functions a notebook calls.

Exit codes: 0 every file read; 3 some files quarantined (everything else still written);
2 configuration or usage error; 4 output folder locked by another run; 1 unexpected error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
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
    quarantine = escape(str(result.out_dir / "tables" / "quarantine.csv"))
    out.print(f"read {n_ok} of {len(docs)} documents; {len(docs) - n_ok} quarantined "
              f"(see {quarantine})")  # fmt: skip
    for stage, err in result.stage_errors.items():
        out.print(f"[yellow]stage {stage} did not complete:[/yellow] {escape(str(err))}")
    out.print(f"outputs in {escape(str(result.out_dir))}")


def _error(message: object, exit_code: int) -> typer.Exit:
    """Print ``message`` (with its code, e.g. "[E004] ...") as one line; the Exit to raise."""
    console.print(f"[red]error:[/red] {escape(str(message))}")
    return typer.Exit(exit_code)


def _guard(fn):
    """Run ``fn``; turn framelens errors into a one-line message and their exit code."""
    try:
        return fn()
    except FramelensError as exc:
        raise _error(exc, exc.exit_code) from None


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
QuietOpt = typer.Option(False, "--quiet", help="No progress bars.")


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
        quiet: bool = QuietOpt,
    ) -> None:
        cfg = _guard(
            lambda: _config(
                config, corpus, manifest, no_manifest, out, seed, workers, executor, scheduler
            )
        )
        result = _guard(lambda: runner(cfg, progress=not quiet))
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
    out: Path | None = OutOpt,
    config: Path | None = ConfigOpt,
    seed: int | None = SeedOpt,
) -> None:
    """Score hand-coded sentences with the lexicon: precision, recall, F1 (with intervals), alpha."""
    from framelens.analysis import load_lexicon, validate_lexicon
    from framelens.core.errors import Errors
    from framelens.outputs import write_tables
    from framelens.pipeline import resolve_gold

    cfg = _guard(lambda: _config(config, out=out, seed=seed))
    if gold is not None:
        cfg.lexicon.gold = str(gold)
    gold_path = _guard(lambda: resolve_gold(cfg))
    if gold_path is None:
        raise _error(
            Errors.E010.format(path="../shared/validation/gold_sentences.csv"), EXIT_CONFIG
        )
    lexicon = _guard(lambda: load_lexicon(cfg.lexicon.version))
    val = _guard(
        lambda: validate_lexicon(
            gold_path, lexicon, config=cfg.lexicon, seed=cfg.seed, n_boot=cfg.lexicon.n_boot
        )
    )
    tables = Path(cfg.out) / "tables"
    _guard(lambda: write_tables(val.tables(), tables))
    Console().print(val.summary())
    Console().print(f"written to {tables}/lexicon_validation.csv")
    raise typer.Exit(EXIT_OK)


@app.command()
def report(out: Path | None = OutOpt) -> None:
    """Re-render LaTeX tables, figures and report/index.html from a finished run (no recomputation)."""
    from framelens.outputs import render_outputs

    out_dir = out or Path("outputs")
    path = _guard(lambda: render_outputs(out_dir))
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
    from framelens.pipeline import ensure_sentences
    from framelens.pipeline.topics import topics_select as select

    cfg = _guard(lambda: _config(config, corpus, out=out, seed=seed))
    _guard(lambda: ensure_sentences(cfg, rebuild=corpus is not None, progress=not quiet))
    sel = _guard(lambda: select(cfg.out, cfg))
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

    cfg = _guard(lambda: _config(config, out=out, seed=seed))
    if score is not None:
        if key is None:
            raise _error(
                "--score needs --key (the answer key written with the sheet).", EXIT_CONFIG
            )
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
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
