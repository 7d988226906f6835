"""framelens collect: the pure parts (URL lists, sitemaps, feeds, links, names, robots)."""

from __future__ import annotations

import gzip

import pytest

from framelens.core.errors import ConfigError
from framelens.corpus.collect import file_name_for, page_links, parse_xml_source, read_url_list
from framelens.corpus.collect.config import CollectConfig
from framelens.corpus.collect.feeds import FEED, SITEMAP, SITEMAP_INDEX, looks_like_xml_source
from framelens.corpus.collect.naming import MAX_STEM, safe_component, with_hash
from framelens.corpus.collect.robots import RobotsRules, origin_of
from framelens.corpus.collect.sources import check_sources

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"


def test_url_list_positional_columns_comments_and_bad_lines(tmp_path):
    path = tmp_path / "urls.txt"
    path.write_text(
        "# Mexican laws\n"
        "\n"
        "https://www.diputados.gob.mx/LeyesBiblio/pdf/LMigra.pdf\tMX\tCámara de Diputados\tley\t2024-01-02\n"
        "https://www.dof.gob.mx/nota.php?codigo=1, MX, DOF\n"
        '"https://a.org/x,y.pdf",US\n'
        "not a url\n"
        "   # indented comment\n"
        "https://a.org/plain.html\n",
        encoding="utf-8",
    )
    targets, failures = read_url_list(path)
    assert [t.url for t in targets] == [
        "https://www.diputados.gob.mx/LeyesBiblio/pdf/LMigra.pdf",
        "https://www.dof.gob.mx/nota.php?codigo=1",
        "https://a.org/x,y.pdf",
        "https://a.org/plain.html",
    ]
    assert targets[0].meta == {
        "country": "MX",
        "issuer": "Cámara de Diputados",
        "doc_type": "ley",
        "date": "2024-01-02",
    }
    assert targets[1].meta == {"country": "MX", "issuer": "DOF"}
    assert targets[2].meta == {"country": "US"}
    assert targets[3].meta == {}
    assert len(failures) == 1 and failures[0].stage == "source"
    assert "line 6" in failures[0].reason


def test_url_list_header_names_columns_in_any_order(tmp_path):
    path = tmp_path / "urls.csv"
    path.write_text("url,date,title,country\nhttps://a.org/1.pdf,2020-05-01,A law,MX\n")
    targets, failures = read_url_list(path)
    assert not failures
    assert targets[0].meta == {"date": "2020-05-01", "title": "A law", "country": "MX"}


def test_url_list_header_with_unknown_column_is_a_config_error(tmp_path):
    path = tmp_path / "urls.csv"
    path.write_text("url,colour\nhttps://a.org/1.pdf,red\n")
    with pytest.raises(ConfigError, match="colour"):
        read_url_list(path)


def test_sources_are_checked_before_anything_runs(tmp_path):
    with pytest.raises(ConfigError, match="at least one"):
        check_sources([], None)
    with pytest.raises(ConfigError, match="not an existing file"):
        check_sources([str(tmp_path / "missing.txt")], None)
    with pytest.raises(ConfigError, match="regular expression"):
        check_sources(["https://a.org/"], "([")
    assert check_sources(["https://a.org/"], r"\.pdf$").search("x.pdf")


def test_config_validation_names_the_bad_value():
    with pytest.raises(ConfigError, match="collect.delay"):
        CollectConfig(delay=-1).validate()
    with pytest.raises(ConfigError, match="collect.user_agent"):
        CollectConfig(user_agent="two\nlines").validate()
    assert CollectConfig().validate().delay >= 1.0
    assert CollectConfig().uses_placeholder_contact()
    assert "framelens" in CollectConfig().user_agent


def test_sitemap_and_sitemap_index_and_gzip():
    urlset = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{SM}">'
        "<url><loc>https://a.org/1.pdf</loc><lastmod>2024-01-01</lastmod></url>"
        "<url><loc>\n https://a.org/2.html \n</loc></url>"
        "<url><loc>https://a.org/1.pdf</loc></url></urlset>"
    ).encode()
    parsed = parse_xml_source(urlset)
    assert parsed.kind == SITEMAP
    assert parsed.urls == ["https://a.org/1.pdf", "https://a.org/2.html"]
    index = (
        f'<sitemapindex xmlns="{SM}"><sitemap><loc>https://a.org/s1.xml</loc></sitemap>'
        "<sitemap><loc>https://a.org/s2.xml.gz</loc></sitemap></sitemapindex>"
    ).encode()
    assert parse_xml_source(index).kind == SITEMAP_INDEX
    assert parse_xml_source(index).urls == ["https://a.org/s1.xml", "https://a.org/s2.xml.gz"]
    assert parse_xml_source(gzip.compress(urlset)).urls == parsed.urls
    assert looks_like_xml_source(urlset) and looks_like_xml_source(index)
    assert not looks_like_xml_source(b"<!doctype html><html><body>x</body></html>")


def test_gzip_bomb_and_entities_are_refused():
    big = gzip.compress(b"<urlset>" + b" " * 200_000 + b"</urlset>")
    with pytest.raises(ValueError, match="inflates to more than"):
        parse_xml_source(big, limit=10_000)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>'
    )
    with pytest.raises(ValueError, match="entities are not allowed"):
        parse_xml_source(laughs)
    with pytest.raises(ValueError, match="not well-formed"):
        parse_xml_source(b"<urlset><url>")
    with pytest.raises(ValueError, match="not a sitemap"):
        parse_xml_source(b"<html><body/></html>")


def test_rss_rdf_and_atom_feeds():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
      <link>https://gob.mx/</link>
      <item><title>A</title><link>https://gob.mx/a</link>
        <enclosure url="https://gob.mx/a.pdf" type="application/pdf" length="1"/>
        <enclosure url="https://gob.mx/a.mp3" type="audio/mpeg" length="1"/></item>
      <item><title>B</title><guid isPermaLink="true">https://gob.mx/b</guid></item>
      <item><title>C</title><guid isPermaLink="false">tag:c</guid></item>
    </channel></rss>"""
    parsed = parse_xml_source(rss)
    assert parsed.kind == FEED
    assert parsed.urls == ["https://gob.mx/a", "https://gob.mx/a.pdf", "https://gob.mx/b"]
    rdf = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://x.org/"><link>https://x.org/</link></channel>
      <item rdf:about="https://x.org/1"><title>1</title><link>https://x.org/1</link></item>
      <item rdf:about="https://x.org/2"><title>2</title></item></rdf:RDF>"""
    assert parse_xml_source(rdf).urls == ["https://x.org/1", "https://x.org/2"]
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <title>F</title><link href="https://wh.gov/feed" rel="self"/>
      <entry><title>E1</title><link href="https://wh.gov/e1"/></entry>
      <entry><title>E2</title><link rel="alternate" type="text/html" href="https://wh.gov/e2"/>
        <link rel="enclosure" type="application/pdf" href="https://wh.gov/e2.pdf"/>
        <link rel="related" href="https://wh.gov/other"/></entry></feed>"""
    parsed = parse_xml_source(atom)
    assert parsed.kind == FEED
    assert parsed.urls == ["https://wh.gov/e1", "https://wh.gov/e2", "https://wh.gov/e2.pdf"]


def test_page_links_resolve_base_drop_fragments_and_match_pattern():
    html = b"""<html><head><base href="https://gob.mx/docs/"></head><body>
      <a href="ley.pdf#page=3">Ley</a> <a href="/otra/reglamento.PDF">R</a>
      <a href="https://gob.mx/docs/ley.pdf">again</a> <a href="javascript:void(0)">x</a>
      <a href="mailto:a@b.mx">m</a> <a href="#top">top</a> <a href="acerca.html">about</a>
      <map><area href="mapa.pdf"></map></body></html>"""
    links = page_links(html, "https://gob.mx/index.html", r"(?i)\.pdf$")
    assert links == [
        "https://gob.mx/docs/ley.pdf",
        "https://gob.mx/otra/reglamento.PDF",
        "https://gob.mx/docs/mapa.pdf",
    ]
    assert "https://gob.mx/docs/acerca.html" in page_links(html, "https://gob.mx/")
    assert page_links(b"", "https://gob.mx/") == []


@pytest.mark.parametrize(
    ("url", "fmt", "expected"),
    [
        ("https://www.whitehouse.gov/", "html", "www.whitehouse.gov/index.html"),
        ("https://a.org/CON", "html", "a.org/CON_.html"),
        ("https://a.org/dir/aux.pdf", "pdf", "a.org/dir_aux.pdf"),
        ("https://a.org/nul.pdf", "pdf", "a.org/nul_.pdf"),
        ("https://a.org/view.aspx?id=7", "pdf", "a.org/view_id-7.pdf"),
        ("https://a.org/a%3Ab%7Cc%22d.pdf", "pdf", "a.org/a-b-c-d.pdf"),
        ("https://a.org/trailing.dot.", "html", "a.org/trailing.dot.html"),
        ("http://[::1]:8080/x.pdf", "pdf", "1_8080/x.pdf"),
    ],
)
def test_file_names_are_safe_on_every_os(url, fmt, expected):
    assert file_name_for(url, fmt) == expected


def test_long_names_are_cut_with_a_hash_and_stay_unique():
    a = file_name_for("https://a.org/" + "x" * 300 + "?v=1", "pdf")
    b = file_name_for("https://a.org/" + "x" * 300 + "?v=2", "pdf")
    assert a != b
    for name in (a, b):
        stem = name.split("/", 1)[1].rsplit(".", 1)[0]
        assert len(stem) <= MAX_STEM
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in stem)
    assert with_hash("a.org/x.pdf", "u1") != with_hash("a.org/x.pdf", "u2")
    assert safe_component("Ley de Migración") == "Ley-de-Migracion"
    assert safe_component("<>:|?*") == "index"


def test_robots_rules_longest_match_wildcards_and_crawl_delay():
    text = (
        "User-agent: framelens\nDisallow: /private\nAllow: /private/ok\nDisallow: /*.zip$\n"
        "Crawl-delay: 3\n\nUser-agent: *\nDisallow: /\n"
    )
    rules = RobotsRules.from_text("https://a.org", "framelens/0.1 (contact: x@y.org)", text)
    assert not rules.allowed("https://a.org/private/x.pdf")
    assert rules.allowed("https://a.org/private/ok/x.pdf")
    assert not rules.allowed("https://a.org/files/a.zip")
    assert rules.allowed("https://a.org/files/a.pdf")
    assert rules.crawl_delay() == 3.0
    other = RobotsRules.from_text("https://a.org", "otherbot/1.0", text)
    assert not other.allowed("https://a.org/files/a.pdf")
    assert "robots.txt" in rules.why_refused("https://a.org/private/x")
    assert origin_of("HTTP://A.org:81/x") == "http://a.org:81"
