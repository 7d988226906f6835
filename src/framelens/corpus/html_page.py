"""HTML pages: main text with trafilatura, metadata from the markup.

Rules (docs/corpus.md, "HTML"):

- bytes that are not text (a PNG, a PDF, a ZIP saved as .html) are refused with the kind named;
- decoding as in ``decode`` (BOM, declared charset, UTF-8, Western code pages) and NUL bytes
  removed *before* parsing: GovInfo Federal Register pages carry NULs inside ``<pre>``;
- a page whose visible text is mostly preformatted (``<pre>`` holds at least half of the body
  text, as on GovInfo) is a typed document: its ``<pre>`` text is taken whole;
- otherwise trafilatura extracts the main text (tables kept, comments and links dropped,
  ``favor_recall``); when trafilatura finds little (< 200 characters) on a page whose body is a
  plain document (more than 1,000 characters, links under 30% of the text), the body text is
  used instead;
- no main text at all -> status ``empty``, "no main text found in HTML page";
- metadata come from the markup only (not from trafilatura/htmldate guesses, which pick dates
  from sidebars): title (og:title, <title>, first <h1>), language (``<html lang>``, content-
  language, og:locale), URL (canonical, og:url), publication date (article:published_time,
  DC.date, datePublished ...), author/publisher/site name.
"""

from __future__ import annotations

import re
from typing import Any

from framelens.core.errors import Errors, ExtractionError
from framelens.corpus.base import Extracted, library_version, read_source
from framelens.corpus.dates import parse_date
from framelens.corpus.decode import clean_text, decode_bytes, tidy_lines
from framelens.corpus.sniff import is_binary_kind, sniff_kind

HEAD_CHARS = 3000
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "publication-date",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "fecha",
    "fecha_publicacion",
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_GPO_PAGE = re.compile(r"^[ \t]*\[\[Page \d+\]\][ \t]*$", re.M)  # page markers of GPO typed text


def _meta_map(tree: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (
            el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
        )
        value = el.get("content")
        if key and value and value.strip():
            out.setdefault(key.strip().lower(), value.strip())
    return out


def _text_of(el: Any) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def html_metadata(tree: Any, raw: str) -> tuple[dict[str, str], str | None, list[str]]:
    """Metadata from the markup: ``(meta, title, headings)``."""
    meta_tags = _meta_map(tree)
    meta: dict[str, str] = {}
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    lang = (
        lang
        or meta_tags.get("content-language")
        or meta_tags.get("og:locale")
        or meta_tags.get("dc.language")
    )
    if lang:
        meta["lang"] = lang.strip()
    url = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            url = link.get("href").strip()
            break
    url = url or meta_tags.get("og:url") or meta_tags.get("dc.identifier")
    if url and url.startswith(("http://", "https://", "//")):
        meta["url"] = url
    for key in _DATE_META:
        if key in meta_tags:
            iso = parse_date(meta_tags[key])
            if iso:
                meta["date_meta"] = iso
                meta["date_meta_key"] = key
                break
    if "date_meta" not in meta:
        for el in tree.iter("time"):
            if (el.get("itemprop") or "").lower() == "datepublished" or el.get(
                "pubdate"
            ) is not None:
                iso = parse_date(el.get("datetime") or _text_of(el))
                if iso:
                    meta["date_meta"], meta["date_meta_key"] = iso, "time[datePublished]"
                    break
    if "date_meta" not in meta:
        m = _JSONLD_DATE.search(raw)
        if m and parse_date(m[1]):
            meta["date_meta"], meta["date_meta_key"] = parse_date(m[1]), "json-ld datePublished"
    for src, key in (
        ("author", "author"),
        ("dc.creator", "author"),
        ("article:publisher", "publisher"),
        ("dc.publisher", "publisher"),
        ("publisher", "publisher"),
        ("og:site_name", "site"),
        ("description", "description"),
        ("og:description", "description"),
        ("keywords", "keywords"),
        ("og:type", "og_type"),
    ):
        if src in meta_tags and key not in meta:
            meta[key] = clean_text(meta_tags[src])[:500]
    title = meta_tags.get("og:title") or meta_tags.get("dc.title") or meta_tags.get("twitter:title")
    if not title:
        t = next(iter(tree.iter("title")), None)
        title = _text_of(t) if t is not None else None
    headings = []
    for tag in ("h1", "h2"):
        for el in tree.iter(tag):
            txt = _text_of(el)
            if txt:
                headings.append(txt)
            if len(headings) >= 4:
                break
    if not title and headings:
        title = headings[0]
    return meta, (clean_text(title).strip() if title else None), headings


def _pre_text(tree: Any) -> tuple[str, int]:
    pre = [el.text_content() for el in tree.iter("pre")]
    body = next(iter(tree.iter("body")), tree)
    return "\n".join(pre), len(re.sub(r"\s+", "", body.text_content() or ""))


def _body_fallback(tree: Any) -> str | None:
    body = next(iter(tree.iter("body")), None)
    if body is None:
        return None
    text = body.text_content() or ""
    n = len(re.sub(r"\s+", "", text))
    link_chars = sum(len(re.sub(r"\s+", "", a.text_content() or "")) for a in body.iter("a"))
    if n > 1000 and link_chars < 0.3 * n:
        return text
    return None


#: Element depth kept when a page nests deeper than libxml2 allows (it stops at 256 and drops
#: everything below, text included).
MAX_DEPTH = 128
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _flatten(raw: str, max_depth: int = MAX_DEPTH) -> str:
    """Re-serialise ``raw`` keeping every text node but no tag nested deeper than ``max_depth``
    (stdlib ``html.parser``, which has no depth limit)."""
    from html import escape
    from html.parser import HTMLParser

    out: list[str] = []
    stack: list[str] = []

    class Flatten(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in _VOID:
                if len(stack) < max_depth:
                    out.append(self.get_starttag_text() or "")
                return
            stack.append(tag)
            if len(stack) <= max_depth:
                out.append(self.get_starttag_text() or f"<{tag}>")
            elif tag in ("p", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"):
                out.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _VOID or tag not in stack:
                return
            while stack:
                top = stack.pop()
                if len(stack) < max_depth:
                    out.append(f"</{top}>")
                if top == tag:
                    break

        def handle_data(self, data: str) -> None:
            out.append(escape(data, quote=False))

    parser = Flatten(convert_charrefs=True)
    parser.feed(raw)
    parser.close()
    out.extend(f"</{t}>" for t in reversed(stack[:max_depth]))
    return "".join(out)


def _parse(raw: str) -> Any:
    """``lxml.html.document_fromstring`` that survives pathological nesting: when libxml2 hits
    its depth limit (and silently drops the deeper content), the page is flattened first."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    tree = lxml.html.document_fromstring(raw, parser=parser)
    if any("depth" in (e.message or "").lower() for e in parser.error_log):
        tree = lxml.html.document_fromstring(_flatten(raw))
    return tree


def _read_page(source: bytes | str | Any) -> tuple[str, str]:
    """The page's text and encoding, control characters (NULs included) removed; raises
    ``ExtractionError`` for an empty file or bytes that are not text."""
    data = read_source(source)
    if not data:
        raise ExtractionError(Errors.W102)
    kind = sniff_kind(data)
    if is_binary_kind(kind):
        raise ExtractionError(Errors.W108.format(kind=kind))
    raw, encoding = decode_bytes(data, html=True)
    return _CTRL.sub("", raw), encoding


def _main_text(tree: Any, meta: dict[str, str], url: str | None) -> str | None:
    """The page's main text (scripts and styles dropped from ``tree``): its ``<pre>`` text
    when that is most of the page, else trafilatura's, else the body's when trafilatura
    finds little on a plain document. Records the choice in ``meta["main_text"]``."""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    pre, body_len = _pre_text(tree)
    if len(pre.strip()) > 200 and len(re.sub(r"\s+", "", pre)) >= 0.5 * body_len:
        meta["main_text"] = "pre"
        return _GPO_PAGE.sub("", pre)
    import trafilatura

    text = trafilatura.extract(
        tree,
        url=url or meta.get("url"),
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
    )
    meta["main_text"] = "trafilatura"
    if not text or len(text) < 200:
        fallback = _body_fallback(tree)
        if fallback and len(fallback) > 5 * len(text or ""):
            text, meta["main_text"] = fallback, "body"
    return text


def extract_html(source: bytes | str | Any, *, url: str | None = None) -> Extracted:
    """Extract the main text and metadata of an HTML page.

    Parameters
    ----------
    source : bytes or path
        The page's bytes, or its path.
    url : str, optional
        The page's address when known (used by trafilatura only as a hint).

    Returns
    -------
    Extracted
        ``meta`` holds lang, url, date_meta, author, publisher, site, description, encoding.

    Examples
    --------
    >>> ex = extract_html(b"<html lang='es'><title>Ley</title><body><pre>Art\\x00\\xc3\\xadculo 1. Texto.</pre></body></html>")
    >>> ex.text, ex.meta["lang"]
    ('Artículo 1. Texto.', 'es')
    """
    extractor = f"trafilatura {library_version('trafilatura')}"
    try:
        raw, encoding = _read_page(source)
        try:
            tree = _parse(raw)
        except Exception as exc:  # noqa: BLE001 - lxml raises on empty/odd documents
            raise ExtractionError(Errors.W107, status="empty") from exc
        meta, title, headings = html_metadata(tree, raw)
        meta["encoding"] = encoding
        text = _main_text(tree, meta, url)
    except ExtractionError as exc:
        return Extracted.failed(exc.reason, exc.status, extractor)
    except (MemoryError, RecursionError) as exc:
        return Extracted.failed(Errors.W115.format(reason=type(exc).__name__), "error", extractor)
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        reason = re.sub(r"\s+", " ", f"{type(exc).__name__}: {exc}")[:200]
        return Extracted.failed(Errors.W115.format(reason=reason), "error", extractor)
    text = tidy_lines(clean_text(text or ""))
    if meta.get("main_text") == "pre":
        extractor = f"lxml {library_version('lxml')} (pre)"
    head = "\n".join([*headings[:3], text[:HEAD_CHARS]])
    dates = {"meta": meta["date_meta"]} if meta.get("date_meta") else {}
    ex = Extracted(text=text, title=title, meta=meta, head=head, extractor=extractor, dates=dates)
    if not re.search(r"[^\W\d_]", text):
        ex.text = ""
        ex.status, ex.error = "empty", Errors.W107
    return ex
