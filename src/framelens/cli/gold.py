"""``framelens gold sample | agree | merge``: from a run to a coded probability sample."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from framelens.cli.common import app, guard

gold_app = typer.Typer(
    add_completion=False,
    help="Hand coding: draw a probability sample of a run's sentences, check agreement, merge codes.",
)
app.add_typer(gold_app, name="gold")


@gold_app.command("sample")
def gold_sample_cmd(
    run_dir: Path = typer.Option(..., "--run", help="Folder of a finished run (holds tables/)."),
    n: int = typer.Option(0, "--n", help="Sentences to draw in all (not needed with --sizes)."),
    seed: int = typer.Option(1, "--seed", help="Seed of the draw and of the coders' row order."),
    strata: str = typer.Option(
        "language,administration,framed",
        "--strata",
        help="Stratum variables, comma-separated: language, country, administration, doc_type, issuer, framed.",
    ),
    allocation: str = typer.Option(
        "equal", "--allocation", help="equal, proportional or neyman-ish."
    ),
    sizes: Path | None = typer.Option(
        None,
        "--sizes",
        help="CSV of stratum,n (e.g. an edited strata.csv); replaces --n and --allocation.",
    ),
    min_per_stratum: int = typer.Option(
        2,
        "--min-per-stratum",
        help="At least this many sentences per stratum (or all of a smaller one).",
    ),
    error_framed: float = typer.Option(
        0.35,
        "--error-framed",
        help="neyman-ish: guessed share of framed sentences the lexicon gets wrong.",
    ),
    error_unframed: float = typer.Option(
        0.03,
        "--error-unframed",
        help="neyman-ish: guessed share of unframed sentences the lexicon gets wrong.",
    ),
    include_undated: bool = typer.Option(
        False,
        "--include-undated",
        help="Also sample sentences of undated documents (administration unknown).",
    ),
    codebook: Path | None = typer.Option(
        None,
        "--codebook",
        help="Codebook quoted in CODING.md (default: ../shared/validation/CODEBOOK.md when found).",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for the sheets (default: RUN/gold)."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace a different sample already in --out."
    ),
) -> None:
    """Draw a stratified probability sample of a run's sentences and write the coding sheets."""
    from framelens.pipeline.coding import gold_sample

    result = guard(
        lambda: gold_sample(
            run_dir,
            out,
            n=n,
            seed=seed,
            strata=tuple(s.strip() for s in strata.split(",") if s.strip()),
            allocation=allocation,
            sizes=sizes,
            min_per_stratum=min_per_stratum,
            error_framed=error_framed,
            error_unframed=error_unframed,
            include_unknown=include_undated,
            codebook=codebook,
            overwrite=overwrite,
        )
    )
    Console().print(result.drawn.strata.to_string(index=False), soft_wrap=True)
    for name, p in result.paths.items():
        Console().print(f"{name}: {p}")
    Console().print(
        "Give each coder a copy of coding_sheet.csv and CODING.md; keep sample.csv (it shows the "
        "lexicon's hits, which coders must not see) for `framelens gold merge`."
    )


@gold_app.command("agree")
def gold_agree_cmd(
    sheet_a: Path = typer.Argument(..., help="Coder A's filled-in coding sheet (CSV)."),
    sheet_b: Path = typer.Argument(..., help="Coder B's filled-in coding sheet (CSV)."),
    out: Path | None = typer.Option(
        None, "--out", help="Folder for agreement.csv and adjudication.csv (default: beside A)."
    ),
) -> None:
    """Krippendorff's alpha and percent agreement per label; write the adjudication sheet."""
    from framelens.pipeline.coding import gold_agree

    result = guard(lambda: gold_agree(sheet_a, sheet_b, out))
    Console().print(result.table.to_string(index=False), soft_wrap=True)
    Console().print(f"{len(result.adjudication)} units to adjudicate")
    for name, p in result.paths.items():
        Console().print(f"{name}: {p}")


@gold_app.command("merge")
def gold_merge_cmd(
    sheet_a: Path = typer.Argument(..., help="Coder A's filled-in coding sheet (CSV)."),
    sheet_b: Path = typer.Argument(..., help="Coder B's filled-in coding sheet (CSV)."),
    adjudicated: Path | None = typer.Option(
        None,
        "--adjudicated",
        help="The filled adjudication.csv of `gold agree` (needed when the coders disagree).",
    ),
    sample: Path | None = typer.Option(
        None,
        "--sample",
        help="sample.csv of `gold sample` (default: found beside the adjudication or coding sheets).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Output CSV in the design-sample format (default: design_sample.csv beside the sample).",
    ),
) -> None:
    """Merge both coders' codes and the adjudication into the design-sample format."""
    from framelens.pipeline.coding import gold_merge

    merged, path = guard(lambda: gold_merge(sheet_a, sheet_b, adjudicated, sample=sample, out=out))
    n_adj = int((merged["agreement"] == 0).sum())
    Console().print(f"{len(merged)} coded sentences ({n_adj} adjudicated) written to {path}")
