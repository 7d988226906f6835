"""Work on a dask.distributed cluster (``--executor dask``): extraction, and a generic
partition map that later stages use for their own work.

``extract.executor: dask`` sends the same unit of work as the local process pool
(``worker.process_file``, one file in, one record out) to a cluster: the scheduler at
``extract.scheduler`` (``--scheduler tcp://host:8786``), or a ``LocalCluster`` of
``extract.workers`` processes (one thread each) when no address is given. Results are identical
to the local executor's: the records are the same and ``extract`` sorts rows by doc_id.

Streaming, so the client's memory stays bounded:

- files go out in partitions (one dask task reads a list of files), ``extract.partition_size``
  files at most, smaller when the corpus is small (at least four partitions per worker, so
  that two workers share the work evenly); files are dealt to partitions in turn from the
  largest down, so partitions carry similar work;
- at most two partitions per worker are in flight; as each finishes (``as_completed``) its
  records are written to the extraction cache, the future is released and the next partition
  is submitted. The client never holds more than the in-flight partitions' task lists (and, as
  with the local executor, the records it has received, which become the documents table);
- per-file timeouts hold on the cluster too: each dask worker reads its files in a killable
  child interpreter (``isolated.IsolatedReader``), since a running dask task cannot be stopped.

``map_partitions(fn, documents, args, cfg)`` runs any per-document function the same way: the
documents table is cut into runs of similar text length (``document_partitions``), ``fn``
runs on each partition on a worker, with the same bounded window, and the results come back in
partition order. This module does not know what ``fn`` does; a later stage passes its own
(a module-level function, so that dask names its tasks after it).

A run opens one client for all its dask work (``dask_session``); ``dask_client`` reuses it.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

import pandas as pd

from framelens.core.config import ExtractConfig

log = logging.getLogger(__name__)

#: Partitions in flight per worker (bounded client memory; one queued while one runs).
IN_FLIGHT_PER_WORKER = 2
#: Partitions per worker at least, when the corpus is small (load balance).
MIN_PARTITIONS_PER_WORKER = 4

_SESSION: dict[str, Any] = {}
#: Idle reader processes of this dask worker process (one per thread that needs one).
_READERS: list[Any] = []
_READERS_LOCK = threading.Lock()


@contextmanager
def dask_client(cfg: ExtractConfig) -> Iterator[Any]:
    """A ``dask.distributed.Client``: the open session's, else one for ``cfg`` closed on exit.

    ``cfg.scheduler`` names a running scheduler; without it a ``LocalCluster`` with
    ``cfg.workers`` worker processes (0 = all cores), one thread each, no dashboard.
    """
    if _SESSION.get("client") is not None:
        yield _SESSION["client"]
        return
    from dask.distributed import Client, LocalCluster

    cluster = None
    if cfg.scheduler:
        client = Client(cfg.scheduler, set_as_default=False)
    else:
        n = cfg.workers or (os.cpu_count() or 1)
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def dask_session(cfg: ExtractConfig) -> Iterator[Any]:
    """Open one client for every dask step inside the block (extraction, later stages)."""
    if _SESSION.get("client") is not None:
        yield _SESSION["client"]
        return
    with dask_client(cfg) as client:
        _SESSION["client"] = client
        try:
            yield client
        finally:
            _SESSION.pop("client", None)


def n_workers(client: Any) -> int:
    """Workers connected to the client's scheduler (at least 1)."""
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # noqa: BLE001 - an unreachable scheduler fails later, with its reason
        return 1


def partition_size(n_items: int, workers: int, cap: int) -> int:
    """Items per partition: ``cap`` at most, small enough for 4 partitions per worker."""
    per_worker = math.ceil(n_items / (MIN_PARTITIONS_PER_WORKER * max(1, workers)))
    return max(1, min(int(cap), per_worker))


def _stream(
    client: Any,
    fn: Callable[..., Any],
    parts: list[Any],
    args: tuple,
    workers: int,
) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """Submit ``fn(part, *args)`` for each part, a bounded number at a time; yield
    ``(part, result, error)`` as they finish, releasing each future."""
    from dask.distributed import as_completed

    window = IN_FLIGHT_PER_WORKER * max(1, workers)
    pending = iter(parts)
    meta: dict[Any, Any] = {}
    for part in islice(pending, window):
        meta[client.submit(fn, part, *args, pure=False)] = part
    if not meta:
        return
    ac = as_completed(list(meta), loop=client.loop)
    for fut in ac:
        part = meta.pop(fut)
        try:
            result, error = fut.result(), None
        except Exception as exc:  # noqa: BLE001 - a failed partition is reported per item
            result, error = None, exc
        fut.release()
        yield part, result, error
        nxt = next(pending, None)
        if nxt is not None:
            new = client.submit(fn, nxt, *args, pure=False)
            meta[new] = nxt
            ac.add(new)


# --------------------------------------------------------------------------- extraction
@contextmanager
def _reader() -> Iterator[Any]:
    """An idle reader process of this worker (started when there is none), returned after."""
    from framelens.corpus.executors.isolated import IsolatedReader

    with _READERS_LOCK:
        reader = _READERS.pop() if _READERS else IsolatedReader()
    try:
        yield reader
    finally:
        with _READERS_LOCK:
            _READERS.append(reader)


def _start_reader() -> bool:
    with _reader() as reader:
        reader.start()
    return True


def warm_up(client: Any) -> None:
    """Start a reader process on every worker now (it loads the readers and language
    models), so that the first partitions do not pay for it; optional."""
    client.run(_start_reader)


def extract_partition(
    tasks: list[tuple[int, dict[str, Any]]], timeout_s: float
) -> list[tuple[int, dict[str, Any]]]:
    """Read a partition of files on a dask worker, each with the per-file timeout."""
    with _reader() as reader:
        return [(key, reader.run(task, timeout_s)) for key, task in tasks]


def run_extract_tasks(
    tasks: list[tuple[int, dict[str, Any]]],
    cfg: ExtractConfig,
    advance: Callable[[int, dict[str, Any]], None],
    failure: Callable[[int, dict[str, Any], str], dict[str, Any]],
) -> dict[int, dict[str, Any]]:
    """Run extraction tasks on dask; ``advance(key, record)`` is called as records arrive and
    ``failure(key, task, reason)`` builds the record of a file that timed out or crashed."""
    results: dict[int, dict[str, Any]] = {}
    with dask_client(cfg) as client:
        workers = n_workers(client)
        size = partition_size(len(tasks), workers, cfg.partition_size)
        n_parts = math.ceil(len(tasks) / size)
        # strided: tasks come largest first, so partition j takes files j, j + n, j + 2n ...
        # and every partition gets a like share of big and small files
        parts = [tasks[j::n_parts] for j in range(n_parts)]
        log.info("dask: %d files in %d partitions on %d workers", len(tasks), len(parts), workers)
        for part, pairs, error in _stream(
            client, extract_partition, parts, (cfg.timeout_s,), workers
        ):
            if error is not None:
                reason = f"dask task failed: {type(error).__name__}: {error}"[:200]
                pairs = [(key, {"worker_error": reason}) for key, _ in part]
            tasks_of = dict(part)
            for key, record in pairs:
                if "worker_error" in record:
                    record = failure(key, tasks_of[key], record["worker_error"])
                results[key] = record
                advance(key, record)
    return results


# --------------------------------------------------------------------------- any partitioned work
def document_partitions(documents: pd.DataFrame, n_parts: int) -> list[pd.DataFrame]:
    """Cut ``documents`` (sorted by doc_id) into at most ``n_parts`` runs of similar text length."""
    docs = documents.sort_values("doc_id", kind="stable")
    if docs.empty:
        return []
    lengths = docs["text"].fillna("").str.len().to_numpy()
    target = max(1, lengths.sum() / max(1, n_parts))
    parts, start, acc = [], 0, 0
    for i, n in enumerate(lengths):
        acc += n
        if acc >= target and i + 1 < len(docs):
            parts.append(docs.iloc[start : i + 1])
            start, acc = i + 1, 0
    parts.append(docs.iloc[start:])
    return [p for p in parts if len(p)]


def map_partitions(
    fn: Callable[..., Any],
    documents: pd.DataFrame,
    args: tuple,
    cfg: ExtractConfig,
) -> list[Any]:
    """Run ``fn(partition, *args)`` over ``documents`` cut into partitions on the cluster.

    Parameters
    ----------
    fn : callable
        A module-level function of a documents partition (and ``args``); it runs on a worker.
    documents : pandas.DataFrame
        Rows with ``doc_id`` and ``text`` (partitions are runs by doc_id of similar length).
    args : tuple
        Further arguments of ``fn`` (sent to the workers).
    cfg : ExtractConfig
        The cluster (``scheduler`` address, else a LocalCluster of ``workers``).

    Returns
    -------
    list
        ``fn``'s results in partition order (doc_id order). The first error raised by ``fn``
        is raised here.
    """
    with dask_client(cfg) as client:
        workers = n_workers(client)
        n_parts = max(1, min(len(documents), MIN_PARTITIONS_PER_WORKER * workers))
        parts = document_partitions(documents, n_parts)
        position = {id(part): i for i, part in enumerate(parts)}
        results: list[Any] = [None] * len(parts)
        for part, result, error in _stream(client, fn, parts, args, workers):
            if error is not None:
                raise error
            results[position[id(part)]] = result
    return results


def imap_ordered(
    fn: Callable[..., Any],
    items: Iterator[Any],
    args: tuple,
    cfg: ExtractConfig,
) -> Iterator[Any]:
    """``fn(item, *args)`` for each item on the cluster, yielded in the items' order.

    Items are drawn from the iterator only as the window allows (two per worker in flight),
    and results that finish early wait in a buffer no larger than the window: the client
    holds a bounded number of items and results, whatever the length of ``items``. Tasks are
    named after ``fn``. The first error raised by ``fn`` is raised here.
    """
    position: dict[int, int] = {}

    def numbered() -> Iterator[Any]:
        for i, item in enumerate(items):
            position[id(item)] = i
            yield item

    with dask_client(cfg) as client:
        workers = n_workers(client)
        done: dict[int, Any] = {}
        nxt = 0
        drawn: Any = numbered()  # _stream draws lazily
        for item, result, error in _stream(client, fn, drawn, args, workers):
            if error is not None:
                raise error
            done[position.pop(id(item))] = result
            del item
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
