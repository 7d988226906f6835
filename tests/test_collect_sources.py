"""framelens collect: sources (sitemaps, feeds, pages), stored files, re-runs, the manifest."""

from __future__ import annotations

import csv
import gzip

import pytest
from werkzeug.wrappers import Response

from _collect_site import HTML, PDF, etag_handler, fast_config, fresh_site, running_server
from framelens.core.errors import ConfigError, LockedError
from framelens.corpus.collect import collect_corpus
from framelens.corpus.collect.state import collect_lock
from framelens.corpus.manifest import plan_corpus, read_manifest

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"

collect_server = pytest.fixture(scope="module", name="collect_server")(running_server)


@pytest.fixture()
def site(collect_server, monkeypatch):
    return fresh_site(collect_server, monkeypatch)


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _pdf(n: int) -> bytes:
    return PDF + f"% document {n}\n".encode()


def test_same_content_under_two_urls_is_stored_once_and_both_recorded(site, tmp_path):
    site.serve("/a/report.pdf", PDF, "application/pdf")
    site.serve("/mirror/report-copy.pdf", PDF, "application/pdf")
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.url('/a/report.pdf')}\n{site.url('/mirror/report-copy.pdf')}\n")
    result = collect_corpus([str(urls)], tmp_path / "out", config=fast_config())
    assert result.counts == {"fetched": 1, "duplicate": 1} and result.exit_code == 0
    rows = _rows(tmp_path / "out" / "manifest.csv")
    assert len(rows) == 2 and rows[0]["file"] == rows[1]["file"]
    assert {r["source_url"] for r in rows} == {
        site.url("/a/report.pdf"),
        site.url("/mirror/report-copy.pdf"),
    }
    assert len({r["doc_id"] for r in rows}) == 2
    pdfs = list((tmp_path / "out").rglob("*.pdf"))
    assert len(pdfs) == 1
    plan = plan_corpus(tmp_path / "out")
    assert [it.path for it in plan.items] == [rows[0]["file"]]  # read once by framelens run


def test_rerun_sends_conditional_requests_and_records_not_modified(site, tmp_path):
    seen = []

    def lm(request):
        seen.append(dict(request.headers))
        if request.headers.get("If-Modified-Since") == "Tue, 01 Oct 2024 10:00:00 GMT":
            return Response(status=304)
        return Response(
            HTML,
            content_type="text/html",
            headers={"Last-Modified": "Tue, 01 Oct 2024 10:00:00 GMT"},
        )

    site.handler("/law.pdf", etag_handler(_pdf(1), '"v1"'))
    site.handler("/page.html", lm)
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.url('/law.pdf')}\tMX\n{site.url('/page.html')}\tUS\n")
    out = tmp_path / "out"
    first = collect_corpus([str(urls)], out, config=fast_config())
    assert first.counts == {"fetched": 2}
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.suffix in (".pdf", ".html")}
    manifest1 = {r["source_url"]: r for r in _rows(out / "manifest.csv")}

    second = collect_corpus([str(urls)], out, config=fast_config())
    assert second.counts == {"not modified": 2} and second.exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in before} == before  # nothing written again
    assert seen[-1].get("If-Modified-Since") == "Tue, 01 Oct 2024 10:00:00 GMT"
    manifest2 = {r["source_url"]: r for r in _rows(out / "manifest.csv")}
    law = manifest2[site.url("/law.pdf")]
    assert law["etag"] == '"v1"' and law["sha256"] == manifest1[site.url("/law.pdf")]["sha256"]
    assert law["retrieved_at"] == manifest1[site.url("/law.pdf")]["retrieved_at"]
    log = _rows(out / "collect_log.csv")
    assert [r["outcome"] for r in log if r["run"] == second.run] == ["not modified"] * 2
    assert len({r["run"] for r in log}) == 2  # the log keeps both runs


def test_changed_content_replaces_the_file(site, tmp_path):
    site.serve_once("/v.pdf", _pdf(1), "application/pdf")
    site.serve_once("/v.pdf", _pdf(2), "application/pdf")
    urls = tmp_path / "urls.txt"
    urls.write_text(site.url("/v.pdf") + "\n")
    out = tmp_path / "out"
    collect_corpus([str(urls)], out, config=fast_config())
    second = collect_corpus([str(urls)], out, config=fast_config())
    assert second.counts == {"updated": 1}
    (row,) = _rows(out / "manifest.csv")
    assert (out / row["file"]).read_bytes() == _pdf(2)
    assert len(list(out.rglob("*.pdf"))) == 1


def test_sitemap_index_with_a_gzipped_child(site, tmp_path):
    child1 = (
        f'<urlset xmlns="{SM}"><url><loc>{site.url("/d/1.pdf")}</loc></url>'
        f"<url><loc>{site.url('/d/about.html')}</loc></url></urlset>"
    )
    child2 = f'<urlset xmlns="{SM}"><url><loc>{site.url("/d/2.pdf")}</loc></url></urlset>'
    index = (
        f'<?xml version="1.0"?><sitemapindex xmlns="{SM}">'
        f"<sitemap><loc>{site.url('/sm1.xml')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/sm2.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/index.xml')}</loc></sitemap></sitemapindex>"
    )
    site.serve("/index.xml", index, "application/xml")
    site.serve("/sm1.xml", child1, "application/xml")
    site.serve("/sm2.xml.gz", gzip.compress(child2.encode()), "application/x-gzip")
    for i in (1, 2):
        site.serve(f"/d/{i}.pdf", _pdf(i), "application/pdf")
    site.serve("/d/about.html", HTML)
    result = collect_corpus([site.url("/index.xml")], tmp_path / "out", config=fast_config())
    assert result.counts == {"fetched": 3} and result.targets == 3
    assert site.count("/index.xml") == 1  # an index listing itself is not read twice
    # with --follow the entries are filtered
    result = collect_corpus(
        [site.url("/index.xml")], tmp_path / "out2", follow=r"\.pdf$", config=fast_config()
    )
    assert result.targets == 2
    sources = {r["source"] for r in _rows(tmp_path / "out" / "manifest.csv")}
    assert sources == {site.url("/index.xml")}


def test_rss_feed_and_atom_feed(site, tmp_path):
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>A</title><link>{site.url('/news/a.html')}</link>"
        f'<enclosure url="{site.url("/news/a.pdf")}" type="application/pdf" length="9"/></item>'
        f"<item><title>B</title><link>{site.url('/news/b.html')}</link></item></channel></rss>"
    )
    atom = (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>'
        f'<entry><title>C</title><link href="{site.url("/briefings/c.html")}"/></entry></feed>'
    )
    site.serve("/rss.xml", rss, "application/rss+xml")
    site.serve("/atom.xml", atom, "application/atom+xml")
    site.serve("/news/a.html", HTML.replace(b"Hello", b"A"))
    site.serve("/news/a.pdf", _pdf(1), "application/pdf")
    site.serve("/news/b.html", HTML.replace(b"Hello", b"B"))
    site.serve("/briefings/c.html", HTML.replace(b"Hello", b"C"))
    result = collect_corpus(
        [site.url("/rss.xml"), site.url("/atom.xml")], tmp_path / "out", config=fast_config()
    )
    assert result.counts == {"fetched": 4}
    files = sorted(r["file"].split("/", 1)[1] for r in _rows(tmp_path / "out" / "manifest.csv"))
    assert files == ["briefings_c.html", "news_a.html", "news_a.pdf", "news_b.html"]


def test_page_with_follow_collects_matching_links_one_level(site, tmp_path):
    page = (
        '<html><body><a href="/laws/1.pdf">1</a><a href="laws/2.pdf">2</a>'
        '<a href="/about.html">about</a></body></html>'
    )
    site.serve("/index.html", page)
    site.serve("/laws/1.pdf", _pdf(1), "application/pdf")
    site.serve("/laws/2.pdf", '<html><a href="/laws/3.pdf">3</a></html>', "text/html")
    result = collect_corpus(
        [site.url("/index.html")], tmp_path / "out", follow=r"\.pdf$", config=fast_config()
    )
    assert result.counts == {"fetched": 2}
    assert site.count("/about.html") == 0 and site.count("/laws/3.pdf") == 0  # one level


def test_a_document_url_as_source_is_fetched_once(site, tmp_path):
    site.handler("/direct.pdf", etag_handler(_pdf(7), '"d"'))
    out = tmp_path / "out"
    first = collect_corpus([site.url("/direct.pdf")], out, config=fast_config())
    assert first.counts == {"fetched": 1} and site.count("/direct.pdf") == 1
    second = collect_corpus([site.url("/direct.pdf")], out, config=fast_config())
    assert second.counts == {"not modified": 1} and site.count("/direct.pdf") == 2


def test_manifest_is_read_by_framelens_run_with_list_metadata(site, tmp_path):
    site.serve("/eo.html", HTML)
    site.serve("/ley.pdf", _pdf(3), "application/pdf")
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"# two documents\n{site.url('/eo.html')}\tUS\tWhite House\texecutive_order\n"
        f"{site.url('/ley.pdf')},MX,DOF,ley\n"
    )
    out = tmp_path / "out"
    result = collect_corpus([str(urls)], out, config=fast_config())
    assert result.exit_code == 0
    rows = read_manifest(out / "manifest.csv")
    assert "date" not in rows[0]  # no URL gave a date: dates are read from the documents
    for col in (
        "doc_id",
        "file",
        "country",
        "language",
        "issuer",
        "doc_type",
        "title",
        "source_url",
        "format",
        "sha256",
        "bytes",
        "final_url",
        "retrieved_at",
        "http_status",
        "content_type",
        "etag",
        "last_modified",
    ):
        assert col in rows[0], col
    by_url = {r["source_url"]: r for r in rows}
    assert by_url[site.url("/ley.pdf")]["country"] == "MX"
    assert by_url[site.url("/eo.html")]["issuer"] == "White House"
    plan = plan_corpus(out)
    assert sorted(it.format for it in plan.items) == ["html", "pdf"]
    assert all(it.error is None and it.manifest_row for it in plan.items)


def test_a_second_collect_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.invalid/x.pdf\n")
    with collect_lock(out):
        with pytest.raises(LockedError, match="E008"):
            collect_corpus([str(urls)], out, config=fast_config())


def test_a_folder_with_a_foreign_manifest_is_refused_and_left_alone(tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "manifest.csv").write_text("doc_id,file,country\na,a.pdf,US\n")
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.invalid/x.pdf\n")
    with pytest.raises(ConfigError, match="not written by framelens collect"):
        collect_corpus([str(urls)], out, config=fast_config())
    assert (out / "manifest.csv").read_text() == "doc_id,file,country\na,a.pdf,US\n"
    assert not (out / ".collect" / "lock").exists()
