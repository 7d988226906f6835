"""The ``framelens`` command line: a thin layer over the functions a notebook calls.

One module per family of commands (``run``: run, extract, validate-lexicon, report;
``topics``; ``gold``; ``collect``; ``lexicon``; ``compare``), all registered on one typer
``app`` (``framelens.cli.common``).

Exit codes: 0 every file read; 3 some files quarantined (everything else still written);
2 configuration or usage error; 4 output folder locked by another run; 1 unexpected error.
``framelens collect``: 0 every URL fetched or not modified, 3 some URLs failed, 4 another
collect holds the folder.
"""

from __future__ import annotations

import logging
import sys

from rich.markup import escape

from framelens.cli import collect, compare, gold, lexicon, run, topics  # noqa: F401 - registers the commands
from framelens.cli.common import app, console
from framelens.core.errors import FramelensError

__all__ = ["app", "main"]


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except FramelensError as exc:  # pragma: no cover - _guard handles most
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
