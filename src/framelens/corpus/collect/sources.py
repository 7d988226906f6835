"""SOURCES of ``framelens collect`` -> the document URLs to fetch (``Target``).

A SOURCE is one of:

- a text file of URLs (``read_url_list``): one a line; blank lines and lines starting with
  ``#`` are skipped; after the URL, optional columns separated by a tab or a comma (CSV
  quoting allowed: quote a URL that contains a comma). Without a header the columns are
  ``url, country, issuer, doc_type, date``; a first line starting with ``url`` names them in
  any order, from ``url, doc_id, country, language, date, date_signed, issuer, doc_type,
  title``. A local sitemap or feed file is read as such;
- the URL of a sitemap or a sitemap index (child sitemaps are fetched, to depth 3), of an
  RSS or Atom feed, or of an HTML page: with ``--follow REGEX`` the page's links that match
  (one level); without it the page itself, like a URL of a PDF. With ``--follow`` the
  entries of sitemaps and feeds are filtered by the pattern too.

Every URL is fetched by the polite client (robots.txt, delay, limits); a source that fails is
recorded as a failure and the others go on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from framelens.core.errors import ConfigError, Errors
from framelens.corpus.collect.client import (
    Fetched,
    FetchError,
    PoliteClient,
    is_http_url,
    normalise_url,
)
from framelens.corpus.collect.feeds import SITEMAP_INDEX, looks_like_xml_source, parse_xml_source
from framelens.corpus.collect.links import page_links
from framelens.corpus.sniff import sniff_kind

#: Columns a URL list may give, and their order when it has no header.
LIST_COLUMNS = (
    "url",
    "doc_id",
    "country",
    "language",
    "date",
    "date_signed",
    "issuer",
    "doc_type",
    "title",
)
POSITIONAL = ("url", "country", "issuer", "doc_type", "date")
MAX_SITEMAP_DEPTH = 3


@dataclass
class Target:
    """One document URL to fetch, the SOURCE it came from and the metadata given for it."""

    url: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Failure:
    """A URL (or source) that failed: the stage and a one-line reason."""

    url: str
    source: str
    stage: str
    reason: str
    status: int | None = None


@dataclass
class Expansion:
    """The targets of all sources, the failures met, and bodies already fetched."""

    targets: list[Target] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    prefetched: dict[str, Fetched] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)

    def add(self, target: Target) -> None:
        self.targets.append(target)


def check_sources(sources: list[str], follow: str | None) -> re.Pattern[str] | None:
    """Refuse (``ConfigError``) an empty list, a source that is neither a file nor an http(s)
    URL, and a ``follow`` pattern that is not a valid regular expression; return the pattern."""
    if not sources:
        raise ConfigError(
            Errors.E003.format(
                key="SOURCES",
                value=[],
                reason="give at least one URL list file, sitemap, feed or page URL",
            )
        )
    for source in sources:
        if not (is_http_url(source) or Path(source).is_file()):
            raise ConfigError(
                Errors.E003.format(
                    key="SOURCES", value=source, reason="not an existing file nor an http(s) URL"
                )
            )
    if follow is None:
        return None
    try:
        return re.compile(follow)
    except re.error as exc:
        raise ConfigError(
            Errors.E003.format(
                key="--follow", value=follow, reason=f"not a regular expression: {exc}"
            )
        ) from None


def sources_key(sources: list[str], follow: str | None) -> str:
    """A fingerprint of the sources (URL list contents included) and the pattern.

    A killed run is resumed only by a run with the same key.
    """
    h = hashlib.sha256()
    for source in sources:
        h.update(source.encode("utf-8") + b"\0")
        if not is_http_url(source):
            h.update(hashlib.sha256(Path(source).read_bytes()).digest())
    h.update((follow or "").encode("utf-8"))
    return h.hexdigest()


def read_url_list(path: str | Path) -> tuple[list[Target], list[Failure]]:
    """Read a URL list file (see the module docstring).

    Returns the targets and a failure for each line that is not an http(s) URL.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "urls.txt")
    >>> _ = open(p, "w").write("# laws\\nhttps://a.mx/l.pdf\\tMX\\tDOF\\tley\\t2024-01-02\\n")
    >>> [(t.url, t.meta) for t in read_url_list(p)[0]]
    [('https://a.mx/l.pdf', {'country': 'MX', 'issuer': 'DOF', 'doc_type': 'ley', 'date': '2024-01-02'})]
    """
    source = str(path)
    text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    columns: tuple[str, ...] = POSITIONAL
    targets: list[Target] = []
    failures: list[Failure] = []
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = _split(stripped)
        if not targets and not failures and fields[0].lower() == "url":
            columns = _header(fields, source)
            continue
        url = fields[0]
        if not is_http_url(url):
            failures.append(Failure(url, source, "source", f"line {n}: not an http(s) URL"))
            continue
        meta = {k: v for k, v in zip(columns[1:], fields[1:], strict=False) if k and v}
        targets.append(Target(normalise_url(url), source, meta))
    return targets, failures


def _split(line: str) -> list[str]:
    delimiter = "\t" if "\t" in line else ","
    row = next(csv.reader(io.StringIO(line), delimiter=delimiter, skipinitialspace=True), [line])
    return [f.strip() for f in row] or [line]


def _header(fields: list[str], source: str) -> tuple[str, ...]:
    names = tuple(f.strip().lower() for f in fields)
    unknown = [n for n in names if n not in LIST_COLUMNS]
    if unknown:
        raise ConfigError(
            Errors.E003.format(
                key=f"{source} header",
                value=",".join(unknown),
                reason=f"unknown column(s); known: {', '.join(LIST_COLUMNS)}",
            )
        )
    return names


def expand_sources(
    sources: list[str],
    client: PoliteClient,
    follow: re.Pattern[str] | None = None,
    conditional: Callable[[str], dict[str, str]] | None = None,
) -> Expansion:
    """The targets of ``sources`` (fetching sitemaps, feeds and pages politely).

    Targets keep their first occurrence (and its metadata) when a URL is listed twice.
    ``conditional(url)`` gives the ``If-None-Match``/``If-Modified-Since`` headers of a URL
    collected before: a SOURCE that is itself a document is then asked for conditionally, and
    its answer (``Expansion.prefetched``) is used as the document's fetch.
    """
    out = Expansion()
    for source in sources:
        if is_http_url(source):
            headers = conditional(normalise_url(source)) if conditional else {}
            _expand_url(normalise_url(source), source, client, follow, out, 0, headers)
            continue
        data = Path(source).read_bytes()
        if looks_like_xml_source(data):
            _expand_xml(data, source, source, client, follow, out, depth=0)
        else:
            targets, failures = read_url_list(source)
            for target in targets:
                out.add(target)
            out.failures += failures
    seen: set[str] = set()
    unique = []
    for target in out.targets:
        if target.url not in seen:
            seen.add(target.url)
            unique.append(target)
    out.targets = unique
    return out


def _expand_url(
    url: str,
    source: str,
    client: PoliteClient,
    follow: re.Pattern[str] | None,
    out: Expansion,
    depth: int,
    headers: dict[str, str] | None = None,
) -> None:
    if url in out.visited:
        return
    out.visited.add(url)
    try:
        got = client.get(url, headers)
    except FetchError as exc:
        out.failures.append(Failure(url, source, exc.stage, exc.reason, exc.status))
        return
    if got.status == 304:  # a document collected before, unchanged
        out.add(Target(url, source))
        out.prefetched[url] = got
        return
    if looks_like_xml_source(got.body):
        _expand_xml(got.body, url, source, client, follow, out, depth)
        return
    kind = sniff_kind(got.body)
    if kind == "HTML" and follow is not None:
        for link in page_links(got.body, got.final_url, follow):
            out.add(Target(link, source))
    elif kind in ("HTML", "PDF"):
        out.add(Target(url, source))
        out.prefetched[url] = got
    else:
        reason = f"not a sitemap, feed, HTML page or PDF (looks like {kind})"
        out.failures.append(Failure(url, source, "source", reason, got.status))


def _expand_xml(
    data: bytes,
    where: str,
    source: str,
    client: PoliteClient,
    follow: re.Pattern[str] | None,
    out: Expansion,
    depth: int,
) -> None:
    try:
        parsed = parse_xml_source(data, client.config.max_bytes)
    except ValueError as exc:
        out.failures.append(Failure(where, source, "source", str(exc)))
        return
    urls = [normalise_url(u) for u in parsed.urls if is_http_url(u)]
    if parsed.kind == SITEMAP_INDEX:
        if depth >= MAX_SITEMAP_DEPTH:
            reason = f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels; not read"
            out.failures.append(Failure(where, source, "source", reason))
            return
        for child in urls:
            _expand_url(child, source, client, follow, out, depth + 1)
        return
    for url in urls:
        if follow is None or follow.search(url):
            out.add(Target(url, source))
