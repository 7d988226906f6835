"""A progress bar of documents processed (rich, on stderr), or nothing when it is off."""

from __future__ import annotations

import time

#: Shortest time between two redraws of the bar (seconds); the last state is always drawn.
REFRESH_SECONDS = 0.1


class DocumentProgress:
    """A rich progress bar counting documents, refreshed by hand.

    No refresh thread: ``nlp.pipe`` may fork worker processes. Redraws are throttled to one
    per ``REFRESH_SECONDS``. Disabled (``enabled=False`` or ``total == 0``), every method does
    nothing. Use as a context manager::

        with DocumentProgress(len(docs), enabled=True) as bar:
            bar.advance()
    """

    def __init__(self, total: int, enabled: bool, label: str = "preprocess"):
        self.bar = None
        self._last = 0.0
        if enabled and total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn(f"[bold]{label}[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
                auto_refresh=False,
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> DocumentProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.stop()

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more documents as processed."""
        if self.bar is None or n <= 0:
            return
        self.bar.advance(self.task, n)
        now = time.monotonic()
        if now - self._last >= REFRESH_SECONDS:
            self._last = now
            self.bar.refresh()
