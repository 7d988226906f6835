"""One file at a time in a child interpreter that can be killed: the per-file timeout on dask.

A dask task cannot be stopped once it runs, and dask worker processes are daemonic, so they may
not start ``multiprocessing`` children (the local executor's ``KillablePool``). ``IsolatedReader``
therefore runs ``process_file`` in a plain ``subprocess`` child (``python -m
framelens.corpus.executors.isolated``) that it keeps for many files: a task is sent as a
length-prefixed pickle on the child's stdin, the record comes back the same way on a private
copy of its stdout. When a file takes longer than ``timeout_s`` the child is killed (and started again for
the next file) and the file is reported as timed out; a child that dies (segfault, out of
memory) is reported with its exit code. Library output printed in the child goes to stderr.
"""

from __future__ import annotations

import os
import pickle
import selectors
import struct
import subprocess
import sys
import time
from typing import Any, BinaryIO

_HEADER = struct.Struct("<Q")
#: Seconds a child may take to import the readers and load the language models.
STARTUP_TIMEOUT_S = 300.0


def _write_frame(stream: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exact(stream: BinaryIO, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        block = stream.read(n - got)
        if not block:
            raise EOFError("stream closed")
        chunks.append(block)
        got += len(block)
    return b"".join(chunks)


def _read_frame(stream: BinaryIO) -> Any:
    (n,) = _HEADER.unpack(_read_exact(stream, _HEADER.size))
    return pickle.loads(_read_exact(stream, n))


class IsolatedReader:
    """Run ``process_file`` tasks in a killable child process, one at a time.

    ``run(task, timeout_s)`` returns the record, or ``{"worker_error": reason}`` where reason
    is ``"timeout"`` or says how the child died. Not thread-safe: use one per thread.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        """Start a child and wait until it has imported the readers (not counted in any
        file's timeout)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "framelens.corpus.executors.isolated"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            bufsize=0,
        )
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            ready = sel.select(timeout=STARTUP_TIMEOUT_S)
        try:
            if not ready or _read_frame(proc.stdout) != "ready":
                raise EOFError("no ready message")
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            proc.kill()
            proc.wait()
            raise RuntimeError("the isolated reader process did not start") from exc
        return proc

    def start(self) -> None:
        """Start the child process unless it is running."""
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()

    def run(self, task: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        self.start()
        proc = self._proc
        try:
            _write_frame(proc.stdin, task)
        except (BrokenPipeError, OSError):
            return self._died()
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout_s
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.close(kill=True)
                    return {"worker_error": "timeout"}
                if sel.select(timeout=min(left, 1.0)):
                    break
                if proc.poll() is not None:
                    return self._died()
        try:
            return _read_frame(proc.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            return self._died()

    def _died(self) -> dict[str, Any]:
        code = self._proc.poll() if self._proc is not None else None
        self.close(kill=True)
        return {"worker_error": f"worker process died (exit code {code})"}

    def close(self, kill: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if kill:
                proc.kill()
            else:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        try:
            self.close(kill=True)
        except Exception:  # noqa: BLE001
            pass


def main() -> None:  # pragma: no cover - runs in the child
    """The child: read tasks from stdin, write records to a private copy of stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, not into the protocol
    inp = sys.stdin.buffer
    from framelens.corpus.executors.pool import preload
    from framelens.corpus.executors.worker import process_file

    preload()  # readers and language models, before any file's clock starts
    _write_frame(out, "ready")
    while True:
        try:
            task = _read_frame(inp)
        except (EOFError, OSError):
            break
        try:
            record = process_file(task)
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            record = {"worker_error": f"{type(exc).__name__}: {exc}"[:200]}
        _write_frame(out, record)


if __name__ == "__main__":  # pragma: no cover
    main()
