"""A small process pool whose workers can be killed: one file that hangs costs one timeout.

``concurrent.futures`` cannot stop a running task, so a PDF that sends pdfminer into a loop
would hold a worker forever. Here each worker is a process with its own pipe; the parent
dispatches one task at a time per worker, and when a task exceeds ``timeout_s`` the worker is
killed and replaced and the task is reported as timed out. A worker that dies (segfault,
out-of-memory kill) is reported the same way with its exit code. Workers are recycled after
``max_tasks`` tasks to bound memory.

On Linux workers are forked from the parent after it has imported the readers and loaded the
language models (``preload``), so starting or replacing one is cheap; the progress bar is
refreshed by hand, so the parent runs no thread of ours when it forks. Elsewhere workers are
spawned.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

#: Modules imported in the parent before forking, per input format ("*" = always).
PRELOAD: dict[str, list[str]] = {
    "*": ["framelens.corpus.executors.worker", "framelens.corpus.infer"],
    "pdf": ["framelens.corpus.pdf", "pdfplumber", "pypdfium2"],
    "html": ["framelens.corpus.html_page", "trafilatura", "lxml.html"],
    "txt": ["framelens.corpus.plain_text"],
}


def _context() -> mp.context.BaseContext:
    """``fork`` on Linux (cheap, and scripts need no ``if __name__ == "__main__"`` guard),
    ``spawn`` elsewhere (macOS, Windows: scripts need the guard there)."""
    if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


def preload(formats: set[str] | None = None) -> None:
    """Import the readers of ``formats`` and load the language models once in the parent, so
    that forked workers start warm (copy-on-write) instead of each loading them again."""
    import importlib

    names = list(PRELOAD["*"])
    for fmt in sorted(formats if formats is not None else PRELOAD):
        names += PRELOAD.get(fmt, []) if fmt != "*" else []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional engine missing
            pass
    from framelens.corpus.language import detect_language

    detect_language("The Secretary shall ensure the protection of children. " * 4)
    detect_language("La Secretaría garantizará la protección de niñas y niños. " * 4)


def _worker_main(conn: Connection) -> None:  # pragma: no cover - runs in the child
    from framelens.corpus.executors.worker import process_file

    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        key, task = msg
        try:
            result = process_file(task)
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            result = {"worker_error": f"{type(exc).__name__}: {exc}"[:200]}
        try:
            conn.send((key, result))
        except (OSError, ValueError):
            break


@dataclass
class _Worker:
    process: Any
    conn: Connection
    key: Any = None
    task: Any = None
    started: float = 0.0
    n_done: int = 0


class KillablePool:
    """Run ``process_file`` tasks in ``n_workers`` processes with a per-task timeout.

    ``failure(key, task, reason)`` builds the result reported for a task whose worker timed
    out or died.
    """

    def __init__(
        self,
        n_workers: int,
        timeout_s: float,
        failure: Callable[[Any, Any, str], Any],
        max_tasks: int = 200,
        formats: set[str] | None = None,
    ):
        self.n_workers = max(1, int(n_workers))
        self.timeout_s = float(timeout_s)
        self.failure = failure
        self.max_tasks = max_tasks
        self._ctx = _context()
        self._workers: list[_Worker] = []
        if self._ctx.get_start_method() == "fork":
            preload(formats)

    # ------------------------------------------------------------------ lifecycle
    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child,), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _stop(self, w: _Worker, kill: bool = False) -> None:
        try:
            if kill:
                w.process.kill()
            else:
                w.conn.send(None)
        except (OSError, ValueError, BrokenPipeError):
            pass
        w.process.join(timeout=5 if not kill else 10)
        if w.process.is_alive():
            w.process.kill()
            w.process.join(timeout=5)
        try:
            w.conn.close()
        except OSError:
            pass

    def close(self) -> None:
        for w in self._workers:
            self._stop(w, kill=w.key is not None)
        self._workers = []

    def __enter__(self) -> KillablePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ running
    def imap_unordered(self, tasks: list[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
        """Yield ``(key, result)`` for every ``(key, task)`` as results arrive."""
        queue = deque(tasks)
        n = min(self.n_workers, len(queue))
        while len(self._workers) < n:
            self._workers.append(self._spawn())
        idle = list(self._workers)
        busy: list[_Worker] = []
        while queue or busy:
            while queue and idle:
                w = idle.pop()
                key, task = queue.popleft()
                try:
                    w.conn.send((key, task))
                except (OSError, ValueError, BrokenPipeError):
                    queue.appendleft((key, task))
                    idle.append(self._replace(w))
                    continue
                w.key, w.task, w.started = key, task, time.monotonic()
                busy.append(w)
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + self.timeout_s for w in busy) - now) if busy else 0
            handles: list[Any] = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            ready = set(wait(handles, timeout=wait_for + 0.01)) if busy else set()
            for w in list(busy):
                result = None
                if w.conn in ready:
                    try:
                        _, result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    if result is not None and "worker_error" in result:
                        result = self.failure(w.key, w.task, result["worker_error"])
                if result is None and (w.process.sentinel in ready or w.conn in ready):
                    code = w.process.exitcode
                    result = self.failure(w.key, w.task, f"worker process died (exit code {code})")
                    key = w.key
                    busy.remove(w)
                    w.key = None
                    new = self._replace(w)
                    idle.append(new)
                    yield key, result
                    continue
                if result is None and time.monotonic() - w.started > self.timeout_s:
                    key = w.key
                    busy.remove(w)
                    result = self.failure(key, w.task, "timeout")
                    new = self._replace(w, kill=True)
                    idle.append(new)
                    yield key, result
                    continue
                if result is not None:
                    key = w.key
                    busy.remove(w)
                    w.key, w.task = None, None
                    w.n_done += 1
                    if w.n_done >= self.max_tasks and queue:
                        w = self._replace(w)
                    idle.append(w)
                    yield key, result

    def _replace(self, w: _Worker, kill: bool = False) -> _Worker:
        self._stop(w, kill=kill)
        new = self._spawn()
        self._workers = [x for x in self._workers if x is not w] + [new]
        return new
