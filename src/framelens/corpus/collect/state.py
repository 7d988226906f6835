"""The state that makes ``framelens collect`` resumable, under ``DIR/.collect/``.

- ``lock``: held while a collect runs on DIR (a second one refuses with E008, exit 4; the lock
  of a killed process is taken over);
- ``run.json``: the run in progress: its start time (the run id in collect_log.csv), the
  fingerprint of its sources, the expanded target list and ``finished``;
- ``journal.jsonl``: one line per finished URL (a manifest row and/or a log row), appended and
  flushed as soon as the file is on disk. manifest.csv and collect_log.csv are rewritten from
  the store every few seconds and at the end; the journal is what a killed run leaves behind.

A run that finds an unfinished ``run.json`` with the same sources resumes it: the targets are
not expanded again and every URL in the journal is skipped (nothing fetched twice). Files are
written atomically, so a kill leaves no half-written document, only hidden temporary files
(``.name.XXXXXXXX.tmp``), which ``remove_stale_temps`` deletes. The folder is hidden, so
``framelens run --corpus DIR`` does not read it.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from framelens.core.errors import Errors, LockedError
from framelens.core.io import pid_alive, write_json
from framelens.corpus.collect.client import utc_now
from framelens.corpus.collect.sources import Target

STATE_DIR = ".collect"
_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class RunState:
    """``run.json`` and ``journal.jsonl`` of one collect folder (see the module docstring)."""

    def __init__(self, out_dir: str | Path):
        self.dir = Path(out_dir) / STATE_DIR
        self.run_file = self.dir / "run.json"
        self.journal_file = self.dir / "journal.jsonl"
        self._journal = None

    # ------------------------------------------------------------------ run.json
    def unfinished(self) -> dict[str, Any] | None:
        """The record of a run that did not finish, or None."""
        try:
            info = json.loads(self.run_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return info if isinstance(info, dict) and not info.get("finished") else None

    def start(self, key: str, targets: list[Target], run: str | None = None) -> str:
        """Record a run over ``targets`` (``run`` is its id, now by default); return the id."""
        run = run or utc_now(precise=True)
        write_json(
            self.run_file,
            {"run": run, "key": key, "finished": False, "targets": [asdict(t) for t in targets]},
        )
        return run

    def finish(self) -> None:
        """Mark the run finished and drop its journal."""
        info = self.unfinished() or {}
        info.update(finished=True, finished_at=utc_now(), targets=len(info.get("targets", [])))
        write_json(self.run_file, info)
        self.close()
        self.journal_file.unlink(missing_ok=True)

    @staticmethod
    def targets_of(info: dict[str, Any]) -> list[Target]:
        """The targets recorded in ``run.json``."""
        return [Target(t["url"], t["source"], dict(t.get("meta") or {})) for t in info["targets"]]

    # ------------------------------------------------------------------ journal
    def replay(self) -> list[dict[str, Any]]:
        """The journal's records (a last line cut by a kill is ignored)."""
        if not self.journal_file.is_file():
            return []
        records = []
        for line in self.journal_file.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records

    def append(self, record: dict[str, Any]) -> None:
        """Append one record and flush it to the OS (it survives a killed process)."""
        if self._journal is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._repair_tail()
            self._journal = open(self.journal_file, "a", encoding="utf-8")  # noqa: SIM115
        self._journal.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        self._journal.flush()

    def discard_journal(self) -> None:
        """Forget the journal (its records are in manifest.csv and collect_log.csv now)."""
        self.close()
        self.journal_file.unlink(missing_ok=True)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _repair_tail(self) -> None:
        """End the journal with a newline, so a line cut by a kill stays a line of its own."""
        if self.journal_file.is_file() and self.journal_file.stat().st_size:
            with open(self.journal_file, "rb+") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    fh.write(b"\n")


def remove_stale_temps(out_dir: str | Path) -> int:
    """Delete the temporary files a killed atomic write left under ``out_dir``; count them."""
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(out_dir):
        for name in filenames:
            if _TEMP.match(name):
                Path(dirpath, name).unlink(missing_ok=True)
                removed += 1
    return removed


@contextmanager
def collect_lock(out_dir: str | Path) -> Iterator[Path]:
    """Hold ``DIR/.collect/lock`` while collecting (``LockedError`` if a live run holds it)."""
    lock = Path(out_dir) / STATE_DIR / "lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"pid": os.getpid(), "started": utc_now(), "host": socket.gethostname()})
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            _refuse_if_alive(lock, out_dir)
            lock.unlink(missing_ok=True)  # the lock of a dead process
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(payload)
        break
    else:
        raise LockedError(Errors.E008.format(path=out_dir, pid="?", started="?", lock=lock))
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _refuse_if_alive(lock: Path, out_dir: str | Path) -> None:
    try:
        info = json.loads(lock.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    pid = int(info.get("pid", 0) or 0)
    if pid and info.get("host") == socket.gethostname() and pid_alive(pid):
        raise LockedError(
            Errors.E008.format(path=out_dir, pid=pid, started=info.get("started"), lock=lock)
        )
