"""One progress bar for long work (rich, on stderr), or nothing when it is off.

No refresh thread: the local process pool and ``nlp.pipe`` fork workers from this process, so
the bar is redrawn by hand, at most once per ``REFRESH_SECONDS`` (the last state is always
drawn). Disabled (``enabled=False`` or ``total == 0``) every method does nothing::

    with ProgressBar(len(docs), enabled=True, label="preprocess", unit="documents") as bar:
        bar.advance()
"""

from __future__ import annotations

import time

#: Shortest time between two redraws of the bar (seconds).
REFRESH_SECONDS = 0.1


class ProgressBar:
    """A rich progress bar counting ``total`` items, labelled ``label`` (``unit`` after m/n)."""

    def __init__(self, total: int, enabled: bool, label: str = "work", unit: str = ""):
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

            columns = [TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn()]
            if unit:
                columns.append(TextColumn(unit))
            self.bar = Progress(
                *columns,
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
                auto_refresh=False,
            )
            self.task = self.bar.add_task(label, total=total)

    def start(self) -> ProgressBar:
        """Show the bar (``with`` does it)."""
        if self.bar is not None:
            self.bar.start()
        return self

    def stop(self) -> None:
        """Draw the last state and leave the bar on screen."""
        if self.bar is not None:
            self.bar.refresh()
            self.bar.stop()

    def __enter__(self) -> ProgressBar:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more items as done."""
        if self.bar is None or n <= 0:
            return
        self.bar.advance(self.task, n)
        now = time.monotonic()
        if now - self._last >= REFRESH_SECONDS:
            self._last = now
            self.bar.refresh()
