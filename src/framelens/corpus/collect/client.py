"""The polite HTTP client of ``framelens collect`` (httpx underneath).

One request at a time, so never two at once to one host; a pause of at least
``CollectConfig.delay`` seconds (or the site's robots.txt ``Crawl-delay``) between two requests
to the same host; robots.txt checked before every request, redirects included; redirects
followed by hand with a limit and loop detection; retries after 429, 5xx, timeouts and dropped
connections with exponential backoff that honours ``Retry-After``; connect, read and total
timeouts; the body streamed and cut off at ``max_bytes``.

``PoliteClient.get`` returns a ``Fetched`` or raises ``FetchError(stage, reason)``, where the
stage is one of ``robots``, ``fetch``, ``redirect``, ``http``, ``size``.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from framelens.corpus.collect.config import CollectConfig
from framelens.corpus.collect.robots import RobotsRules, origin_of

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309: follow at least five


class FetchError(Exception):
    """A URL that could not be fetched: the ``stage`` that failed and a one-line ``reason``."""

    def __init__(self, stage: str, reason: str, status: int | None = None):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason
        self.status = status


class _Retryable(FetchError):
    """A failure worth retrying (429, 5xx, timeout, dropped connection)."""

    def __init__(
        self,
        stage: str,
        reason: str,
        host: str,
        status: int | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(stage, reason, status)
        self.host = host
        self.retry_after = retry_after


@dataclass
class Fetched:
    """One answered request: the body (empty for 304) and what the final response said."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    redirects: list[str] = field(default_factory=list)
    retrieved_at: str = ""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def normalise_url(url: str) -> str:
    """``url`` without its fragment, with scheme and host lower-cased.

    >>> normalise_url("HTTP://Example.ORG/A/b.pdf#page=2")
    'http://example.org/A/b.pdf'
    """
    parts = urlsplit(url.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


def is_http_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def utc_now(precise: bool = False) -> str:
    """The current UTC time as ISO 8601 with seconds (``2025-01-31T12:00:00Z``), or with
    microseconds when ``precise`` (run ids: two runs never share one)."""
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if precise else "%Y-%m-%dT%H:%M:%SZ"
    return datetime.now(timezone.utc).strftime(fmt)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> retry_after_seconds("7"), retry_after_seconds("soon")
    (7.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class PoliteClient:
    """Sequential, paced, robots-aware GETs (see the module docstring).

    Parameters
    ----------
    config : CollectConfig
        Limits and the user agent.
    sleep, clock : callables, optional
        ``time.sleep`` and ``time.monotonic`` (tests may pass their own).
    """

    def __init__(
        self,
        config: CollectConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.config = config
        self._sleep = sleep
        self._clock = clock
        self._next_ok: dict[str, float] = {}
        self._robots: dict[str, RobotsRules] = {}
        timeout = httpx.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.read_timeout,
            pool=config.connect_timeout,
        )
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={
                "User-Agent": config.user_agent,
                "Accept": "application/pdf, text/html, application/xhtml+xml, "
                "application/xml;q=0.9, */*;q=0.5",
            },
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ public
    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` politely, following redirects; raise ``FetchError`` when it fails.

        ``headers`` (e.g. ``If-None-Match``) are sent on every hop. A 304 answer returns a
        ``Fetched`` with status 304 and no body.
        """
        return self._with_retries(lambda: self._follow(url, headers or {}, robots=True))

    def robots_for(self, url: str) -> RobotsRules:
        """The robots.txt rules of ``url``'s site (fetched once per run, see ``robots``)."""
        origin = origin_of(url)
        if origin not in self._robots:
            self._robots[origin] = self._fetch_robots(origin)
        return self._robots[origin]

    # ------------------------------------------------------------------ retries
    def _with_retries(self, attempt: Callable[[], Fetched]) -> Fetched:
        cfg = self.config
        for n in range(cfg.retries + 1):
            try:
                return attempt()
            except _Retryable as exc:
                if n == cfg.retries:
                    tries = f"{cfg.retries} retries" if cfg.retries != 1 else "1 retry"
                    raise FetchError(
                        exc.stage, f"{exc.reason} (gave up after {tries})", exc.status
                    ) from None
                wait = cfg.backoff * 2**n
                if exc.retry_after is not None:
                    if exc.retry_after > cfg.max_wait:
                        raise FetchError(
                            exc.stage,
                            f"{exc.reason} with Retry-After {exc.retry_after:g} s, longer than "
                            f"max_wait {cfg.max_wait:g} s",
                            exc.status,
                        ) from None
                    wait = max(wait, exc.retry_after)
                self._defer(exc.host, min(wait, cfg.max_wait))
        raise AssertionError("unreachable")  # pragma: no cover

    # ------------------------------------------------------------------ pacing
    def _host_delay(self, host: str) -> float:
        rules = self._robots.get(host)
        crawl = rules.crawl_delay() if rules is not None else None
        return max(self.config.delay, min(crawl or 0.0, self.config.max_wait))

    def _defer(self, host: str, seconds: float) -> None:
        self._next_ok[host] = max(self._next_ok.get(host, 0.0), self._clock() + seconds)

    def _pace(self, host: str) -> None:
        wait = self._next_ok.get(host, 0.0) - self._clock()
        if wait > 0:
            self._sleep(wait)

    # ------------------------------------------------------------------ requests
    def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, max_redirects: int | None = None
    ) -> Fetched:
        limit = self.config.max_redirects if max_redirects is None else max_redirects
        chain = [normalise_url(url)]
        current = chain[0]
        while True:
            if robots:
                rules = self.robots_for(current)
                if not rules.allowed(current):
                    raise FetchError("robots", rules.why_refused(current))
            status, resp_headers, body = self._request(current, headers)
            if status not in REDIRECTS:
                return self._answer(url, current, status, resp_headers, body, chain)
            location = resp_headers.get("location", "").strip()
            if not location:
                raise FetchError("redirect", f"HTTP {status} without a Location header", status)
            target = normalise_url(urljoin(current, location))
            if not is_http_url(target):
                raise FetchError("redirect", f"redirect to a non-http(s) URL {target!r}", status)
            if target in chain:
                loop = " -> ".join([*chain[chain.index(target) :], target])
                raise FetchError("redirect", f"redirect loop: {loop}", status)
            if len(chain) > limit:
                raise FetchError("redirect", f"more than {limit} redirects (last {target})", status)
            chain.append(target)
            current = target

    def _answer(
        self,
        url: str,
        final: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        chain: list[str],
    ) -> Fetched:
        host = origin_of(final)
        if status in RETRY_STATUSES:
            after = retry_after_seconds(headers.get("retry-after"))
            raise _Retryable("http", f"HTTP {status}", host, status, after)
        if status == 304 or 200 <= status < 300:
            return Fetched(url, final, status, headers, body, chain[1:], utc_now())
        raise FetchError("http", f"HTTP {status} {_phrase(status)}".rstrip(), status)

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One paced GET: ``(status, lower-cased headers, body)``; the body only for 2xx."""
        host = origin_of(url)
        self._pace(host)
        cfg = self.config
        try:
            with self._http.stream("GET", url, headers=headers) as resp:
                resp_headers = {k.lower(): v for k, v in resp.headers.items()}
                body = b""
                if 200 <= resp.status_code < 300:
                    body = self._read_limited(resp)
                return resp.status_code, resp_headers, body
        except httpx.ConnectTimeout:
            raise _Retryable(
                "fetch", f"connect timeout after {cfg.connect_timeout:g} s", host
            ) from None
        except httpx.ReadTimeout:
            raise _Retryable("fetch", f"read timeout after {cfg.read_timeout:g} s", host) from None
        except httpx.TimeoutException as exc:
            raise _Retryable("fetch", f"timeout ({type(exc).__name__})", host) from None
        except (
            httpx.ConnectError,
            httpx.ReadError,
            httpx.RemoteProtocolError,
            httpx.WriteError,
        ) as exc:
            raise _Retryable("fetch", f"connection failed: {_one_line(exc)}", host) from None
        except httpx.DecodingError as exc:
            raise FetchError("fetch", f"could not decode the body: {_one_line(exc)}") from None
        except httpx.HTTPError as exc:
            raise FetchError("fetch", f"{type(exc).__name__}: {_one_line(exc)}") from None
        finally:
            self._next_ok[host] = self._clock() + self._host_delay(host)

    def _read_limited(self, resp: httpx.Response) -> bytes:
        cfg = self.config
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cfg.max_bytes:
            raise FetchError(
                "size",
                f"Content-Length {int(declared)} bytes is more than "
                f"max_bytes {cfg.max_bytes}; not downloaded",
            )
        start = self._clock()
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes(chunk_size=65536):
            size += len(chunk)
            if size > cfg.max_bytes:
                raise FetchError(
                    "size", f"body larger than max_bytes {cfg.max_bytes}; download stopped"
                )
            if self._clock() - start > cfg.total_timeout:
                raise FetchError(
                    "fetch",
                    f"download took longer than total_timeout {cfg.total_timeout:g} s; stopped",
                )
            chunks.append(chunk)
        return b"".join(chunks)

    # ------------------------------------------------------------------ robots.txt
    def _fetch_robots(self, origin: str) -> RobotsRules:
        ua = self.config.user_agent
        url = f"{origin}/robots.txt"
        try:
            got = self._with_retries(
                lambda: self._follow(url, {}, robots=False, max_redirects=ROBOTS_MAX_REDIRECTS)
            )
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules(origin, ua)  # no robots.txt: everything allowed
            reason = f"robots.txt unreachable ({exc.reason}): the site is skipped (RFC 9309)"
            return RobotsRules(origin, ua, refuse_all=True, reason=reason)
        return RobotsRules.from_text(origin, ua, got.body.decode("utf-8", errors="replace"))


def _phrase(status: int) -> str:
    try:
        return httpx.codes(status).phrase
    except ValueError:
        return ""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
