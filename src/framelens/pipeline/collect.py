"""``framelens collect`` as a plain function: gather documents, then say what happened.

>>> from framelens.pipeline.collect import collect          # doctest: +SKIP
>>> result = collect(["urls.txt"], "corpus/")                # doctest: +SKIP
>>> result.exit_code                                         # doctest: +SKIP
0

The work is done by ``framelens.corpus.collect.collect_corpus``; this layer adds the summary
printed for people (counts per outcome, the first failures, notes, where the files are).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from framelens.corpus.collect import CollectConfig, CollectResult, collect_corpus

__all__ = ["CollectConfig", "CollectResult", "collect", "collect_summary"]

_ORDER = ("fetched", "updated", "unchanged", "not modified", "duplicate", "failed")
_SHOWN_FAILURES = 10


def collect(
    sources: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike,
    *,
    follow: str | None = None,
    config: CollectConfig | None = None,
    progress: bool = True,
    console=None,
) -> CollectResult:
    """Collect the PDF and HTML documents of ``sources`` into ``out_dir``.

    Parameters
    ----------
    sources : sequence of str or path
        URL list files (one URL a line, ``#`` comments, optional country/issuer/doc_type/date
        columns), sitemap or sitemap index URLs, RSS/Atom feed URLs, or page URLs.
    out_dir : path
        DIR: the documents (``<host>/<name>.pdf|html``), ``manifest.csv`` (read as it is by
        ``framelens run --corpus DIR``) and ``collect_log.csv``.
    follow : str, optional
        Regular expression: links of page sources to collect (one level); entries of
        sitemaps and feeds to keep.
    config : CollectConfig, optional
        User agent, per-host delay, timeouts, size limit, retries (see ``CollectConfig``).
    progress : bool, default True
        Show a progress bar on standard error.
    console : rich.console.Console, optional
        Where to print the summary; nothing is printed when None.

    Returns
    -------
    CollectResult
        ``exit_code`` is 0 when every URL gave a document or was not modified, 3 when some
        failed (each failure is in ``collect_log.csv`` with its stage and reason).

    Raises
    ------
    ConfigError
        Bad settings or sources (exit code 2).
    LockedError
        Another collect is running on ``out_dir`` (exit code 4).
    """
    result = collect_corpus(
        [os.fspath(s) for s in sources], out_dir, follow=follow, config=config, progress=progress
    )
    if console is not None:
        for line in collect_summary(result):
            console.print(line, markup=False, highlight=False)
    return result


def collect_summary(result: CollectResult) -> list[str]:
    """The lines printed after a collect: counts, first failures, notes, where things are.

    >>> from pathlib import Path
    >>> r = CollectResult(Path("c"), "2025-01-01T00:00:00Z", 3, {"fetched": 2, "failed": 1},
    ...                   [{"url": "https://a/x", "source": "u.txt", "stage": "http",
    ...                     "reason": "HTTP 404 Not Found"}])
    >>> print("\\n".join(collect_summary(r)))
    3 URLs: 2 fetched, 1 failed
    failed: https://a/x (http: HTTP 404 Not Found)
    manifest: c/manifest.csv
    log: c/collect_log.csv
    """
    counts = ", ".join(f"{result.counts[k]} {k}" for k in _ORDER if result.counts.get(k))
    lines = [f"{result.targets} URLs: {counts or 'nothing to do'}"]
    for f in result.failures[:_SHOWN_FAILURES]:
        lines.append(f"failed: {f['url']} ({f['stage']}: {f['reason']})")
    if len(result.failures) > _SHOWN_FAILURES:
        lines.append(f"... and {len(result.failures) - _SHOWN_FAILURES} more failures")
    lines += [f"note: {n}" for n in result.notes]
    lines += [f"manifest: {result.manifest.as_posix()}", f"log: {result.log.as_posix()}"]
    return lines
