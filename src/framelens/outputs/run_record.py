"""The run record (``run.json``) and the output-folder lock.

``run.json`` says what produced a run: framelens and dependency versions, the full config, the
lexicon and topic-seed versions, the corpus hash (over each input file's relative path and
sha256), the seed, counts, the quarantine list, and, in fields of their own (``timestamps`` and
``timings``), the only values that change between two identical runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import platform
import socket
import subprocess
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.errors import Errors, LockedError
from framelens.core.io import pid_alive

log = logging.getLogger("framelens")

#: Distributions whose versions are recorded in run.json.
RECORDED_PACKAGES = (
    "framelens",
    "pdfplumber",
    "pypdfium2",
    "trafilatura",
    "charset-normalizer",
    "ftfy",
    "lingua-language-detector",
    "dateparser",
    "spacy",
    "spacy-lookups-data",
    "gensim",
    "scikit-learn",
    "scipy",
    "statsmodels",
    "krippendorff",
    "numpy",
    "pandas",
    "pyarrow",
    "pandera",
    "matplotlib",
    "jinja2",
    "dask",
    "distributed",
)

#: Fields of run.json that legitimately differ between two identical runs.
VOLATILE_FIELDS = ("timestamps", "timings", "machine")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that can change a number (missing ones: "absent")."""
    out = {}
    for name in RECORDED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def git_commit(path: str | os.PathLike | None = None) -> str | None:
    """The git commit of the framelens source tree when it is a checkout, else None."""
    here = Path(path) if path else Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def corpus_hash(documents: pd.DataFrame) -> str:
    """sha256 over the sorted (path, sha256) pairs of the documents table."""
    h = hashlib.sha256()
    pairs = sorted(
        zip(documents["path"].astype(str), documents["sha256"].fillna("").astype(str), strict=True)
    )
    for path, sha in pairs:
        h.update(f"{path}\t{sha}\n".encode())
    return h.hexdigest()


def machine_info() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "hostname": socket.gethostname(),
    }


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def stable_view(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without its volatile fields (what two identical runs must share byte for byte)."""
    return {k: v for k, v in record.items() if k not in VOLATILE_FIELDS}


def read_run_record(out_dir: str | os.PathLike) -> dict[str, Any]:
    """The ``run.json`` of a run; {} when there is none or it cannot be read (logged)."""
    path = Path(out_dir) / "run.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("run.json could not be read: %s", exc)
        return {}


@contextmanager
def output_lock(out_dir: str | os.PathLike):
    """Hold ``<out_dir>/.framelens.lock`` for the duration of a run.

    A second run on the same folder refuses with ``LockedError`` (exit code 4) while the first
    is alive. A lock left by a process that no longer exists (a killed run) is taken over, so a
    killed run can be resumed with the same command.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lock = out / ".framelens.lock"
    payload = json.dumps({"pid": os.getpid(), "started": utc_now(), "host": socket.gethostname()})
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                info = json.loads(lock.read_text(encoding="utf-8") or "{}")
            except (OSError, ValueError):
                info = {}
            pid = int(info.get("pid", 0) or 0)
            same_host = info.get("host", socket.gethostname()) == socket.gethostname()
            if pid and same_host and pid_alive(pid):
                raise LockedError(
                    Errors.E008.format(path=out, pid=pid, started=info.get("started"), lock=lock)
                ) from None
            try:  # stale lock of a dead run
                lock.unlink()
            except FileNotFoundError:
                pass
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(payload)
        break
    try:
        yield lock
    finally:
        try:
            lock.unlink()
        except FileNotFoundError:
            pass
