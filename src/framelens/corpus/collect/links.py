"""Links of an HTML page that match a pattern (``--follow REGEX``, one level).

lxml's HTML parser reads the page (it detects the encoding from the bytes and ``<meta>``,
loads no DTD and nothing from the network). Each ``<a href>`` and ``<area href>`` is made
absolute against the page's URL (or its ``<base href>``), its fragment dropped, and kept when
it is an http(s) URL that the pattern matches (``re.search``, so ``\\.pdf$`` keeps PDFs).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from lxml.etree import ParserError


def page_links(
    html: bytes, page_url: str, pattern: re.Pattern[str] | str | None = None
) -> list[str]:
    """The absolute http(s) links of ``html`` that match ``pattern``, in page order, once each.

    Parameters
    ----------
    html : bytes
        The page.
    page_url : str
        Its URL (the final one, after redirects), against which relative links resolve.
    pattern : regex or str, optional
        Keep the links it matches anywhere (``re.search``); all links when None.

    Examples
    --------
    >>> page_links(b'<a href="/a.pdf#p2">A</a><a href="b.html">B</a><a href="mailto:x@y">',
    ...            "https://gob.mx/docs/", r"\\.pdf$")
    ['https://gob.mx/a.pdf']
    """
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    try:
        doc = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return []
    base = page_url
    for node in doc.iter("base"):
        if node.get("href"):
            base = urljoin(page_url, node.get("href").strip())
            break
    found: dict[str, None] = {}
    for node in doc.iter("a", "area"):
        href = (node.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        parts = urlsplit(urljoin(base, href))
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            continue
        url = urlunsplit(
            (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
        )
        if regex is None or regex.search(url):
            found.setdefault(url, None)
    return list(found)
