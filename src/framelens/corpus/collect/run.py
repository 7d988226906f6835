"""``collect_corpus``: SOURCES -> documents, manifest.csv and collect_log.csv under DIR.

The steps: check the sources; take DIR's lock; delete temporary files a killed run left;
read manifest.csv, collect_log.csv and the journal of an interrupted run; resume that run
when its sources are the same (its targets, minus the URLs it finished), else expand the
sources into targets; fetch each target once, hosts interleaved so that one site's delay
does not hold up the others; sniff the bytes (PDF or HTML are kept, whatever the
Content-Type says); store them; journal each outcome; rewrite the two tables every few
seconds and at the end.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framelens.corpus.collect.client import Fetched, FetchError, PoliteClient, utc_now
from framelens.corpus.collect.config import CollectConfig
from framelens.corpus.collect.robots import origin_of
from framelens.corpus.collect.sources import (
    Failure,
    Target,
    check_sources,
    expand_sources,
    sources_key,
)
from framelens.corpus.collect.state import RunState, collect_lock, remove_stale_temps
from framelens.corpus.collect.store import LOG_FILE, MANIFEST_FILE, Store
from framelens.corpus.sniff import sniff_kind

_FORMATS = {"PDF": "pdf", "HTML": "html"}


@dataclass
class CollectResult:
    """What one ``collect`` run did.

    ``counts`` has one entry per outcome (fetched, updated, not modified, unchanged,
    duplicate, failed) over the whole run, the part done before a kill included;
    ``failures`` lists the failed URLs (url, source, stage, reason).
    """

    out_dir: Path
    run: str
    targets: int
    counts: dict[str, int]
    failures: list[dict[str, str]]
    resumed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST_FILE

    @property
    def log(self) -> Path:
        return self.out_dir / LOG_FILE

    @property
    def exit_code(self) -> int:
        """0 when every URL gave a document (or was not modified), 3 when some failed."""
        return 3 if self.failures else 0


def collect_corpus(
    sources: list[str],
    out_dir: str | Path,
    *,
    follow: str | None = None,
    config: CollectConfig | None = None,
    progress: bool = False,
) -> CollectResult:
    """Collect the PDF and HTML documents of ``sources`` into ``out_dir`` (see the module doc).

    Parameters
    ----------
    sources : list of str
        URL list files, sitemap / sitemap index / RSS / Atom URLs, or page URLs.
    out_dir : path
        DIR: documents under ``<host>/``, ``manifest.csv``, ``collect_log.csv``.
    follow : str, optional
        A regular expression: on page sources, the links to collect (one level); on sitemaps
        and feeds, the entries to keep.
    config : CollectConfig, optional
        Politeness and limits (defaults: 1 s per host, 100 MiB, 3 retries).
    progress : bool
        Show a progress bar.

    Returns
    -------
    CollectResult
        Counts per outcome, failures and notes; ``exit_code`` is 0 or 3.

    Raises
    ------
    ConfigError
        Bad settings, no sources, a source that is neither a file nor a URL, a bad pattern.
    LockedError
        Another collect is running on ``out_dir``.
    """
    cfg = (config or CollectConfig()).validate()
    pattern = check_sources(list(sources), follow)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    with collect_lock(out):
        removed = remove_stale_temps(out)
        if removed:
            notes.append(f"removed {removed} temporary file(s) left by an interrupted run")
        store, state = Store(out), RunState(out)
        records = state.replay()
        _apply_records(store, records)
        key = sources_key(list(sources), follow)
        info = state.unfinished()
        with PoliteClient(cfg) as client:
            if info is not None and info.get("key") == key:
                run, targets = info["run"], RunState.targets_of(info)
                done = {r["log"]["url"] for r in records if r.get("log", {}).get("run") == run}
                prefetched: dict[str, Fetched] = {}
                notes.append(f"resumed the run started {run}: {len(done)} URL(s) already done")
            else:
                if records:  # settle what an abandoned run left in its journal
                    store.write()
                state.discard_journal()
                run, targets, prefetched, done = _new_run(
                    list(sources), pattern, key, client, store, state
                )
            todo = [t for t in targets if t.url not in done]
            try:
                _fetch_all(todo, len(targets), client, store, state, run, prefetched, progress)
            finally:  # interrupted too (Ctrl-C): the tables show what is done; the journal resumes
                store.write()
        state.finish()
    notes += _notes(cfg, targets)
    return _result(out, run, targets, store, info is not None and info.get("key") == key, notes)


def _new_run(
    sources: list[str], pattern: Any, key: str, client: PoliteClient, store: Store, state: RunState
) -> tuple[str, list[Target], dict[str, Fetched], set[str]]:
    run = utc_now(precise=True)
    expansion = expand_sources(sources, client, pattern, store.conditional_headers)
    state.start(key, expansion.targets, run)
    for failure in expansion.failures:
        _record(store, state, _failure_record(run, failure))
    return run, expansion.targets, expansion.prefetched, set()


def _fetch_all(
    todo: list[Target],
    total: int,
    client: PoliteClient,
    store: Store,
    state: RunState,
    run: str,
    prefetched: dict[str, Fetched],
    progress: bool,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    last_write = time.monotonic()
    columns = (
        TextColumn("collecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), disable=not progress) as bar:
        task = bar.add_task("", total=total, completed=total - len(todo))
        for target in interleave_by_host(todo):
            bar.update(task, description=origin_of(target.url))
            record = collect_one(target, client, store, run, prefetched.pop(target.url, None))
            _record(store, state, record, applied=True)
            bar.advance(task)
            if time.monotonic() - last_write >= client.config.checkpoint_seconds:
                store.write()
                last_write = time.monotonic()


def interleave_by_host(targets: list[Target]) -> list[Target]:
    """``targets`` reordered round-robin over their hosts (order kept within a host).

    >>> [t.url for t in interleave_by_host([Target("http://a/1", ""), Target("http://a/2", ""),
    ...                                      Target("http://b/1", "")])]
    ['http://a/1', 'http://b/1', 'http://a/2']
    """
    by_host: dict[str, list[Target]] = {}
    for target in targets:
        by_host.setdefault(origin_of(target.url), []).append(target)
    queues = list(by_host.values())
    out: list[Target] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out += [q[i] for q in queues if i < len(q)]
    return out


def collect_one(
    target: Target, client: PoliteClient, store: Store, run: str, prefetched: Fetched | None = None
) -> dict[str, Any]:
    """Fetch, sniff and store one target; return its journal record (``row`` and ``log``)."""
    headers = store.conditional_headers(target.url)
    try:
        got = prefetched or client.get(target.url, headers)
    except FetchError as exc:
        return _failure_record(
            run, Failure(target.url, target.source, exc.stage, exc.reason, exc.status)
        )
    if got.status == 304:
        if not headers:
            reason = "HTTP 304 Not Modified to a request that was not conditional"
            return _failure_record(run, Failure(target.url, target.source, "http", reason, 304))
        row = store.not_modified(target, got)
        return {"row": row, "log": _log(run, target, "not modified", got.status, row["file"])}
    kind = sniff_kind(got.body)
    fmt = _FORMATS.get(kind)
    if kind == "plain text" and "html" in got.content_type.lower():
        fmt = "html"  # markup beyond the first 4 KiB: the bytes are text, the server says HTML
    if fmt is None:
        served = got.content_type or "no Content-Type"
        reason = f"not a PDF or HTML document: looks like {kind} (served as {served})"
        return _failure_record(
            run, Failure(target.url, target.source, "content", reason, got.status)
        )
    try:
        outcome, row = store.save(target, got, fmt)
    except OSError as exc:
        reason = f"could not write the file: {exc}"
        return _failure_record(run, Failure(target.url, target.source, "store", reason, got.status))
    return {"row": row, "log": _log(run, target, outcome, got.status, row["file"])}


def _log(
    run: str,
    target: Target,
    outcome: str,
    status: int | None,
    file: str = "",
    stage: str = "",
    reason: str = "",
) -> dict[str, Any]:
    return {
        "run": run,
        "time": utc_now(),
        "url": target.url,
        "source": target.source,
        "outcome": outcome,
        "stage": stage,
        "reason": reason,
        "http_status": "" if status is None else str(status),
        "file": file,
    }


def _failure_record(run: str, f: Failure) -> dict[str, Any]:
    log = _log(run, Target(f.url, f.source), "failed", f.status, stage=f.stage, reason=f.reason)
    return {"row": None, "log": log}


def _record(store: Store, state: RunState, record: dict[str, Any], applied: bool = False) -> None:
    """Journal ``record`` and put it in the store (``applied``: its row is there already)."""
    state.append(record)
    if not applied and record.get("row"):
        store.put_row(record["row"])
    store.add_log(record["log"])


def _apply_records(store: Store, records: list[dict[str, Any]]) -> None:
    """Put the journal of an interrupted run into the store (idempotent)."""
    for run in {r["log"].get("run") for r in records if r.get("log")}:
        store.drop_run_log(run)
    for record in records:
        if record.get("row"):
            store.put_row(record["row"])
        if record.get("log"):
            store.add_log(record["log"])


def _notes(cfg: CollectConfig, targets: list[Target]) -> list[str]:
    notes = []
    if cfg.uses_placeholder_contact():
        notes.append(
            "the user agent still has the contact placeholder: pass --user-agent "
            "'framelens (your project; contact: you@your.org)' so sites can reach you"
        )
    dated = sum(1 for t in targets if t.meta.get("date"))
    if 0 < dated < len(targets):
        notes.append(
            f"{dated} of {len(targets)} URLs have a date in the list: framelens run takes "
            "an empty date in manifest.csv as 'no date' (give a date for every URL or "
            "for none, to let it read dates from the documents)"
        )
    return notes


def _result(
    out: Path, run: str, targets: list[Target], store: Store, resumed: bool, notes: list[str]
) -> CollectResult:
    rows = [r for r in store.log if r.get("run") == run]
    counts = Counter(r["outcome"] for r in rows)
    failures = [
        {k: r[k] for k in ("url", "source", "stage", "reason")}
        for r in rows
        if r["outcome"] == "failed"
    ]
    return CollectResult(out, run, len(targets), dict(counts), failures, resumed, notes)
