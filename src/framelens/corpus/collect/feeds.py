"""Sitemaps (and sitemap indexes), RSS and Atom feeds: the URLs they list.

A small parser of its own rather than trafilatura's helpers: ``trafilatura.sitemaps`` and
``trafilatura.feeds`` download what they parse themselves (their own HTTP client, with no
robots.txt check, no per-host delay and no limits of ours), while here every byte is fetched
by the polite client and only parsed. XML is parsed with ``defusedxml`` (entity declarations
and external references are refused, so a hostile sitemap cannot expand entities or read
files); gzip-compressed sitemaps are inflated up to the body size limit.

- sitemap ``<urlset>``: every ``<url><loc>``;
- sitemap index ``<sitemapindex>``: every ``<sitemap><loc>`` (child sitemaps, fetched next);
- RSS 2.0 and RSS 1.0 (RDF): each item's ``<link>`` (else a permalink ``<guid>``), and
  ``<enclosure url>`` of PDF enclosures;
- Atom: each entry's ``<link href>`` whose ``rel`` is ``alternate`` (or absent) or
  ``enclosure``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SITEMAP = "sitemap"
SITEMAP_INDEX = "sitemap index"
FEED = "feed"
_ROOTS = (b"<urlset", b"<sitemapindex", b"<rss", b"<feed", b"<rdf")


@dataclass
class XmlSource:
    """What an XML source lists: ``kind`` (sitemap, sitemap index, feed) and its URLs."""

    kind: str
    urls: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    """The tag without its namespace, lower-cased (``{ns}loc`` -> ``loc``)."""
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data``, refusing more than ``limit`` bytes (a decompression bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise ValueError(f"compressed sitemap inflates to more than {limit} bytes")
    return out


def looks_like_xml_source(data: bytes) -> bool:
    """True when ``data`` starts like a sitemap or a feed (possibly gzip-compressed)."""
    if data[:2] == b"\x1f\x8b":
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        return any(tag in head for tag in _ROOTS)
    return head.startswith(_ROOTS)


def parse_xml_source(data: bytes, limit: int = 100 * 1024 * 1024) -> XmlSource:
    """Parse a sitemap, sitemap index, RSS or Atom feed into the URLs it lists.

    Parameters
    ----------
    data : bytes
        The body (gzip-compressed or not).
    limit : int
        Largest inflated size accepted for gzip data.

    Returns
    -------
    XmlSource
        Its kind and its URLs, in document order, stripped, without repeats.

    Raises
    ------
    ValueError
        When the XML cannot be parsed, declares entities, or is none of these kinds.

    Examples
    --------
    >>> parse_xml_source(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ...                  b'<url><loc> https://a.org/x.pdf </loc></url></urlset>')
    XmlSource(kind='sitemap', urls=['https://a.org/x.pdf'])
    """
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip_limited(data, limit)
        except zlib.error as exc:
            raise ValueError(f"broken gzip data: {exc}") from None
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ValueError(f"XML refused ({type(exc).__name__}: entities are not allowed)") from None
    except ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    kind = _local(root.tag)
    if kind == "urlset":
        return XmlSource(SITEMAP, _unique(_locs(root, "url")))
    if kind == "sitemapindex":
        return XmlSource(SITEMAP_INDEX, _unique(_locs(root, "sitemap")))
    if kind in ("rss", "rdf"):
        return XmlSource(FEED, _unique(_rss_links(root)))
    if kind == "feed":
        return XmlSource(FEED, _unique(_atom_links(root)))
    raise ValueError(f"XML root <{kind}> is not a sitemap, sitemap index, RSS or Atom feed")


def _locs(root: Element, entry: str) -> list[str]:
    return [
        (child.text or "").strip()
        for node in root
        if _local(node.tag) == entry
        for child in node
        if _local(child.tag) == "loc"
    ]


def _rss_links(root: Element) -> list[str]:
    urls: list[str] = []
    for item in root.iter():
        if _local(item.tag) != "item":
            continue
        link = guid = ""
        enclosures: list[str] = []
        for child in item:
            name = _local(child.tag)
            if name == "link" and not link:
                link = (child.text or "").strip()
            elif name == "guid" and child.get("isPermaLink", "true").lower() == "true":
                guid = (child.text or "").strip()
            elif name == "enclosure" and _is_pdf_link(child.get("url", ""), child.get("type")):
                enclosures.append(child.get("url", "").strip())
        if not link:
            link = guid or _rdf_about(item)
        urls += [link, *enclosures]
    return urls


def _rdf_about(item: Element) -> str:
    for key, value in item.attrib.items():
        if _local(key) == "about":
            return value.strip()
    return ""


def _atom_links(root: Element) -> list[str]:
    urls: list[str] = []
    for entry in root:
        if _local(entry.tag) != "entry":
            continue
        for link in entry:
            if _local(link.tag) != "link":
                continue
            rel = (link.get("rel") or "alternate").lower()
            href = link.get("href", "").strip()
            if rel == "alternate" or (rel == "enclosure" and _is_pdf_link(href, link.get("type"))):
                urls.append(href)
    return urls


def _is_pdf_link(url: str, mime: str | None) -> bool:
    return (mime or "").lower() == "application/pdf" or url.lower().split("?")[0].endswith(".pdf")


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(u for u in urls if u))
