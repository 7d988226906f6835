"""``framelens lexicon suggest`` and ``framelens lexicon apply``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from framelens.cli.common import SeedOpt, app, guard

lexicon_app = typer.Typer(
    add_completion=False, help="Grow the framing lexicon: candidate terms and new versions."
)
app.add_typer(lexicon_app, name="lexicon")


@lexicon_app.command("suggest")
def lexicon_suggest_cmd(
    run: Path = typer.Option(..., "--run", help="A finished run folder (framelens run --out)."),
    frame: str | None = typer.Option(
        None, "--frame", help="Only this frame: humanitarian, security or cooperation."
    ),
    n: int = typer.Option(20, "--n", min=1, help="Candidates per subframe."),
    sheet: Path | None = typer.Option(
        None, "--sheet", help="Where to write the sheet (default: RUN/lexicon/suggestions.csv)."
    ),
    version: str | None = typer.Option(
        None, "--version", help="Lexicon version to grow (default: the run's, from run.json)."
    ),
    seed: int | None = SeedOpt,
) -> None:
    """Candidate terms per frame and subframe from word embeddings of the run's own corpus.

    Writes a review sheet (term, language, frame, subframe, similarity, frequency, three
    keyword-in-context lines, accept, note). Mark accepted rows, then `framelens lexicon apply`.
    """
    from framelens.pipeline.lexicon import lexicon_suggest

    out = guard(
        lambda: lexicon_suggest(run, frame=frame, n=n, out=sheet, version=version, seed=seed)
    )
    for (lang, fr), k in out.sheet.groupby(["language", "frame"]).size().items():
        Console().print(f"{lang} {fr}: {k} candidates")
    Console().print(f"lexicon {out.lexicon_version}; review sheet written to {out.path}")


@lexicon_app.command("apply")
def lexicon_apply_cmd(
    sheet: Path = typer.Argument(..., help="A review sheet with the accept column filled in."),
    base: str = typer.Option(
        "latest", "--base", help="Base lexicon version (e.g. 4.0.0) or a version folder."
    ),
    new_version: str | None = typer.Option(
        None, "--new-version", help="Default: the MINOR bump of the base (4.0.0 -> 4.1.0)."
    ),
    out: Path = typer.Option(
        Path("."), "--out", help="Folder in which the new version folder is written."
    ),
) -> None:
    """Write a new lexicon version: the base plus the sheet's accepted terms (a MINOR bump)."""
    from framelens.pipeline.lexicon import apply_suggestions

    path = guard(lambda: apply_suggestions(sheet, base, new_version, out))
    Console().print(f"new lexicon version written to {path}")
    Console().print(
        "copy it to src/framelens/lexicons/framing/ to use it, then run framelens validate-lexicon"
    )
