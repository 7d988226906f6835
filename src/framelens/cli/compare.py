"""``framelens compare``: the comparison stage on any document-level table."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from framelens.cli.common import SeedOpt, app, guard
from framelens.core.errors import EXIT_OK


@app.command("compare")
def compare_cmd(
    input_path: Path = typer.Option(
        ..., "--input", help="Document-level table: CSV or Parquet, one row per document."
    ),
    value: list[str] = typer.Option(
        ..., "--value", help="Numeric column to compare (repeat the option for several)."
    ),
    by: str = typer.Option(
        "country,administration", "--by", help="Grouping columns, comma-separated."
    ),
    cluster: str | None = typer.Option(
        None,
        "--cluster",
        help="Column of resampling clusters (e.g. issuer): whole clusters are resampled and "
        "permuted.",
    ),
    stratum: str | None = typer.Option(
        None,
        "--stratum",
        help="Column of strata (e.g. doc_type) for within-stratum and standardised differences.",
    ),
    out: Path = typer.Option(
        Path("outputs/compare"), "--out", help="Output folder (tables/ and compare.json)."
    ),
    seed: int | None = SeedOpt,
    n_boot: int | None = typer.Option(None, "--n-boot", help="Bootstrap replicates (2000)."),
    n_perm: int | None = typer.Option(None, "--n-perm", help="Permutations (2000)."),
    min_n: int | None = typer.Option(None, "--min-n", help="Flag groups with fewer units (5)."),
    ci: float | None = typer.Option(None, "--ci", help="Interval level (0.95)."),
) -> None:
    """Compare the groups of any document-level table (your own scores, hand codes, another
    tool's output): group estimates with intervals, differences, permutation tests, Holm."""
    from framelens.pipeline.compare import run_compare

    columns = [c.strip() for c in by.split(",") if c.strip()]
    given = {"n_boot": n_boot, "n_perm": n_perm, "min_n": min_n, "ci": ci}
    options = {k: v for k, v in given.items() if v is not None}
    run = guard(
        lambda: run_compare(
            input_path,
            value,
            columns,
            out=out,
            cluster=cluster,
            stratum=stratum,
            seed=1 if seed is None else seed,
            **options,
        )  # fmt: skip
    )
    Console().print(run.result.summary())
    Console().print(f"tables written to {escape(str(run.out_dir / 'tables'))}")
    raise typer.Exit(EXIT_OK)
