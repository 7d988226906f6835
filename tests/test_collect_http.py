"""framelens collect against a real local server: robots.txt, HTTP errors, retries, redirects,
timeouts, size limits and content sniffing. Every request goes to 127.0.0.1."""

from __future__ import annotations

import csv
import time

import pytest
from werkzeug.wrappers import Response

from _collect_site import HTML, PDF, fast_config, fresh_site, running_server, slow_handler
from framelens.corpus.collect import collect_corpus

collect_server = pytest.fixture(scope="module", name="collect_server")(running_server)


@pytest.fixture()
def site(collect_server, monkeypatch):
    return fresh_site(collect_server, monkeypatch)


def _collect(site, tmp_path, paths, **config):
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(site.url(p) + "\n" for p in paths))
    return collect_corpus([str(urls)], tmp_path / "out", config=fast_config(**config))


def _log(tmp_path):
    with open(tmp_path / "out" / "collect_log.csv", newline="", encoding="utf-8") as fh:
        return {row["url"].split("/", 3)[3]: row for row in csv.DictReader(fh)}


def _manifest(tmp_path):
    path = tmp_path / "out" / "manifest.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return {row["source_url"].split("/", 3)[3]: row for row in csv.DictReader(fh)}


def test_robots_disallow_is_obeyed_for_our_user_agent(site, tmp_path):
    site.robots("User-agent: framelens-test\nDisallow: /private/\n\nUser-agent: *\nAllow: /\n")
    site.serve("/private/a.pdf", PDF, "application/pdf")
    site.serve("/public/b.pdf", PDF + b"b", "application/pdf")
    result = _collect(site, tmp_path, ["/private/a.pdf", "/public/b.pdf"])
    assert site.count("/private/a.pdf") == 0
    assert site.count("/robots.txt") == 1
    log = _log(tmp_path)
    assert log["private/a.pdf"]["stage"] == "robots"
    assert "disallowed" in log["private/a.pdf"]["reason"]
    assert log["public/b.pdf"]["outcome"] == "fetched"
    assert result.exit_code == 3


def test_robots_unreachable_skips_the_site(site, tmp_path):
    site.server.clear_all_handlers()
    site.serve("/robots.txt", "down", status=503)
    site.serve("/a.pdf", PDF, "application/pdf")
    _collect(site, tmp_path, ["/a.pdf"], retries=0)
    assert site.count("/a.pdf") == 0
    row = _log(tmp_path)["a.pdf"]
    assert row["stage"] == "robots" and "unreachable" in row["reason"]


def test_404_is_recorded_and_the_run_goes_on(site, tmp_path):
    site.serve("/gone.pdf", "not here", status=404)
    site.serve("/ok.pdf", PDF, "application/pdf")
    result = _collect(site, tmp_path, ["/gone.pdf", "/ok.pdf"])
    log = _log(tmp_path)
    assert log["gone.pdf"]["outcome"] == "failed"
    assert (log["gone.pdf"]["stage"], log["gone.pdf"]["http_status"]) == ("http", "404")
    assert "404" in log["gone.pdf"]["reason"]
    assert site.count("/gone.pdf") == 1  # a 404 is not retried
    assert log["ok.pdf"]["outcome"] == "fetched"
    assert result.counts == {"failed": 1, "fetched": 1} and result.exit_code == 3
    assert list(_manifest(tmp_path)) == ["ok.pdf"]


def test_500_then_success_is_retried(site, tmp_path):
    site.serve_once("/flaky.pdf", "oops", status=500)
    site.serve("/flaky.pdf", PDF, "application/pdf")
    result = _collect(site, tmp_path, ["/flaky.pdf"])
    assert site.count("/flaky.pdf") == 2
    assert result.exit_code == 0
    assert _manifest(tmp_path)["flaky.pdf"]["http_status"] == "200"


def test_persistent_500_gives_up_after_the_retries(site, tmp_path):
    site.serve("/broken.pdf", "oops", status=502)
    _collect(site, tmp_path, ["/broken.pdf"], retries=2)
    assert site.count("/broken.pdf") == 3
    assert "gave up after 2 retries" in _log(tmp_path)["broken.pdf"]["reason"]


def test_429_with_retry_after_is_honoured(site, tmp_path):
    stamps = []

    def limited(request):
        stamps.append(time.monotonic())
        if len(stamps) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(PDF, content_type="application/pdf")

    site.handler("/busy.pdf", limited)
    result = _collect(site, tmp_path, ["/busy.pdf"])
    assert result.exit_code == 0 and len(stamps) == 2
    assert stamps[1] - stamps[0] >= 0.95  # Retry-After: 1 beats the 0.05 s backoff


def test_retry_after_longer_than_max_wait_fails_at_once(site, tmp_path):
    site.serve("/later.pdf", "later", status=503, headers={"Retry-After": "3600"})
    _collect(site, tmp_path, ["/later.pdf"])
    assert site.count("/later.pdf") == 1
    assert "Retry-After 3600" in _log(tmp_path)["later.pdf"]["reason"]


def test_redirect_chain_is_followed_and_recorded(site, tmp_path):
    site.redirect("/old.pdf", "/mid.pdf", 301)
    site.redirect("/mid.pdf", site.url("/new/final.pdf"), 302)
    site.serve("/new/final.pdf", PDF, "application/pdf")
    result = _collect(site, tmp_path, ["/old.pdf"])
    assert result.exit_code == 0
    row = _manifest(tmp_path)["old.pdf"]
    assert row["final_url"] == site.url("/new/final.pdf")
    assert row["file"].endswith("/old.pdf")  # named after the URL that was asked for


def test_redirect_loop_and_too_many_redirects(site, tmp_path):
    site.redirect("/a", "/b")
    site.redirect("/b", "/a")
    for i in range(5):
        site.redirect(f"/hop{i}", f"/hop{i + 1}")
    site.serve("/hop5", HTML)
    _collect(site, tmp_path, ["/a", "/hop0"], max_redirects=3)
    log = _log(tmp_path)
    assert log["a"]["stage"] == "redirect" and "redirect loop" in log["a"]["reason"]
    assert site.count("/a") == 1 and site.count("/b") == 1
    assert "more than 3 redirects" in log["hop0"]["reason"]
    assert site.count("/hop5") == 0


def test_slow_response_past_the_read_timeout(site, tmp_path):
    site.handler("/slow.html", slow_handler(1.5))
    site.serve("/fast.html", HTML)
    start = time.monotonic()
    result = _collect(site, tmp_path, ["/slow.html", "/fast.html"], read_timeout=0.3, retries=1)
    assert time.monotonic() - start < 10
    log = _log(tmp_path)
    assert log["slow.html"]["stage"] == "fetch"
    assert "read timeout after 0.3 s" in log["slow.html"]["reason"]
    assert log["fast.html"]["outcome"] == "fetched"
    assert result.exit_code == 3


def test_oversized_body_is_stopped_declared_or_streamed(site, tmp_path):
    big = PDF + b"0" * 50_000
    site.serve("/declared.pdf", big, "application/pdf")

    def chunked(_request):
        return Response(
            (b"%PDF-1.4\n" if i == 0 else b"0" * 8192 for i in range(20)),
            content_type="application/pdf",
        )

    site.handler("/streamed.pdf", chunked)
    _collect(site, tmp_path, ["/declared.pdf", "/streamed.pdf"], max_bytes=20_000)
    log = _log(tmp_path)
    assert (
        log["declared.pdf"]["stage"] == "size" and "Content-Length" in log["declared.pdf"]["reason"]
    )
    assert (
        log["streamed.pdf"]["stage"] == "size"
        and "download stopped" in log["streamed.pdf"]["reason"]
    )
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and ".collect" not in p.parts]
    assert {p.name for p in files} == {"manifest.csv", "collect_log.csv"}


def test_content_is_sniffed_not_taken_from_content_type(site, tmp_path):
    site.serve("/report", PDF, "text/html; charset=utf-8")  # a PDF served as HTML
    site.serve("/page.bin", HTML, "application/octet-stream")  # HTML served as binary
    site.serve("/logo.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "application/pdf")
    result = _collect(site, tmp_path, ["/report", "/page.bin", "/logo.pdf"])
    manifest = _manifest(tmp_path)
    assert manifest["report"]["format"] == "pdf" and manifest["report"]["file"].endswith(".pdf")
    assert manifest["report"]["content_type"].startswith("text/html")
    assert manifest["page.bin"]["format"] == "html"
    assert manifest["page.bin"]["file"].endswith("/page.bin.html")
    out = tmp_path / "out"
    assert (out / manifest["report"]["file"]).read_bytes() == PDF
    log = _log(tmp_path)
    assert log["logo.pdf"]["stage"] == "content" and "PNG image" in log["logo.pdf"]["reason"]
    assert result.counts == {"fetched": 2, "failed": 1}


def test_requests_to_one_host_are_spaced_by_the_delay(site, tmp_path):
    stamps = []

    def record(_request):
        stamps.append(time.monotonic())
        return Response(HTML + str(len(stamps)).encode(), content_type="text/html")

    for i in range(3):
        site.handler(f"/p{i}.html", record)
    _collect(site, tmp_path, [f"/p{i}.html" for i in range(3)], delay=0.3)
    gaps = [b - a for a, b in zip(stamps, stamps[1:], strict=False)]
    assert len(stamps) == 3 and min(gaps) >= 0.28
    agents = {req.headers.get("User-Agent") for req, _ in site.server.log}
    assert agents == {"framelens-test/1.0 (tests; contact: tests@example.org)"}
