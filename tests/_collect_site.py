"""A local web site for the ``framelens collect`` tests: a real HTTP server on 127.0.0.1.

A test module declares its two fixtures from ``running_server`` (pytest-httpserver's server,
started once per module on 127.0.0.1 with a free port, threaded so that a slow handler does
not hold up other requests) and ``fresh_site`` (the server cleared before each test, with a
404 robots.txt unless the test sets one). Nothing here ever
contacts another address; proxies from the environment are switched off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Request, Response

from framelens.corpus.collect import CollectConfig

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><head><title>Doc</title></head><body><p>Hello</p></body></html>"


def fast_config(**changes) -> CollectConfig:
    """Settings with tiny delays and timeouts, so tests stay fast."""
    base = dict(
        user_agent="framelens-test/1.0 (tests; contact: tests@example.org)",
        delay=0.01,
        backoff=0.05,
        retries=2,
        connect_timeout=2.0,
        read_timeout=1.0,
        total_timeout=10.0,
        max_wait=5.0,
        checkpoint_seconds=0.0,
    )
    base.update(changes)
    return CollectConfig(**base)


class Site:
    """Routes on the test server, and what was asked of it."""

    def __init__(self, server: HTTPServer):
        self.server = server

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def serve(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.server.expect_request(path).respond_with_data(
            data, status=status, content_type=content_type, headers=headers or {}
        )

    def serve_once(
        self,
        path: str,
        body: bytes | str = b"",
        content_type: str = "text/html",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.server.expect_oneshot_request(path).respond_with_data(
            data, status=status, content_type=content_type, headers=headers or {}
        )

    def handler(self, path: str, fn: Callable[[Request], Response]) -> None:
        self.server.expect_request(path).respond_with_handler(fn)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        self.serve(path, b"", status=status, headers={"Location": to})

    def robots(self, text: str) -> None:
        self.server.clear_all_handlers()
        self.serve("/robots.txt", text, content_type="text/plain")

    def count(self, path: str) -> int:
        """How many requests reached ``path``."""
        return sum(1 for req, _resp in self.server.log if req.path == path)


def etag_handler(body: bytes, etag: str, content_type: str = "application/pdf"):
    """A handler that answers 304 to a matching If-None-Match, else the body with its ETag."""

    def handle(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, status=200, content_type=content_type, headers={"ETag": etag})

    return handle


def slow_handler(seconds: float, body: bytes = HTML):
    def handle(_request: Request) -> Response:
        time.sleep(seconds)
        return Response(body, content_type="text/html")

    return handle


def running_server() -> Iterator[HTTPServer]:
    """A threaded test server on 127.0.0.1 (a free port), stopped at the end."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def fresh_site(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Site:
    """``server`` cleared, with a 404 robots.txt, and no proxy from the environment."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    server.clear()
    s = Site(server)
    s.serve("/robots.txt", "", status=404, content_type="text/plain")
    return s
