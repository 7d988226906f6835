"""Plain-text documents, with an optional header block of metadata.

Archives that save pages as text often put metadata on top. Two generic forms are recognised
(docs/corpus.md, "Text files"); neither is required:

- YAML front matter: a first line ``---``, ``key: value`` lines, a closing ``---``
  (keys used: title, date, published_time, publication_date, source_url/url, tags, author,
  issuer, language/lang);
- a header block: one to eight short lines followed by a line of dashes (``---``) within the
  first ten lines. Each header line is read as a date if it is one, a URL if it is one, an
  issuer line if it names a known agency, and the first remaining line is the title.

The header is removed from the text; everything else is kept as written (lines stripped, runs
of blank lines collapsed).
"""

from __future__ import annotations

import re
from typing import Any

from framelens.core.errors import Errors, ExtractionError
from framelens.corpus.base import Extracted, read_source
from framelens.corpus.dates import find_dates, parse_date
from framelens.corpus.decode import clean_text, decode_bytes, tidy_lines
from framelens.corpus.metadata import issuer_from_text
from framelens.corpus.sniff import is_binary_kind, sniff_kind

HEAD_CHARS = 3000
_DASHES = re.compile(r"^\s*(?:-{3,}|={3,}|\*{3,}|_{3,})\s*$")
_KV = re.compile(r"^([A-Za-z_][\w\-]*)\s*:\s*(.*)$")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int] | None:
    if not lines or lines[0].strip() != "---":
        return None
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return None
    block = "\n".join(lines[1:end])
    fields: dict[str, str] = {}
    try:
        import yaml

        loaded = yaml.safe_load(block)
        if isinstance(loaded, dict):
            for k, v in loaded.items():
                if v is None:
                    continue
                if isinstance(v, (list, tuple)):
                    v = ", ".join(str(x) for x in v)
                fields[str(k).strip().lower()] = str(v).strip()
    except Exception:  # noqa: BLE001 - fall back to key: value lines
        fields = {}
    if not fields:
        for line in lines[1:end]:
            m = _KV.match(line.strip())
            if m:
                fields[m[1].lower()] = m[2].strip().strip("'\"")
    return (fields, end + 1) if fields else None


def _header_block(lines: list[str]) -> tuple[dict[str, str], int] | None:
    for i, line in enumerate(lines[:10]):
        if _DASHES.match(line):
            header = [ln.strip() for ln in lines[:i] if ln.strip()]
            if not 1 <= len(header) <= 8 or any(len(h) > 300 for h in header):
                return None
            fields: dict[str, str] = {}
            for h in header:
                dates = find_dates(h)
                if "date" not in fields and dates and dates[0][1] - dates[0][0] >= 0.6 * len(h):
                    fields["date"] = dates[0][2]
                elif "url" not in fields and _URL.match(h):
                    fields["url"] = h
                elif "title" not in fields:
                    fields["title"] = h
                elif "issuer_line" not in fields and issuer_from_text(h):
                    fields["issuer_line"] = h
            return fields, i + 1
    return None


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a text into ``(header fields, body)``; fields are empty when there is no header.

    >>> split_header("Title\\nPresidencia de la República\\n06 de septiembre de 2019\\n---\\nBody")
    ({'title': 'Title', 'issuer_line': 'Presidencia de la República', 'date': '2019-09-06'}, 'Body')
    """
    lines = text.split("\n")
    parsed = _front_matter(lines) or _header_block(lines)
    if not parsed:
        return {}, text
    fields, start = parsed
    return fields, "\n".join(lines[start:])


def extract_text(source: bytes | str | Any) -> Extracted:
    """Read a plain-text document (UTF-8 or detected encoding) and its optional header.

    Examples
    --------
    >>> ex = extract_text("Informe\\nSRE\\n3 de enero de 2025\\n---\\nTexto del informe.".encode("cp1252"))
    >>> ex.title, ex.dates["meta"], ex.text
    ('Informe', '2025-01-03', 'Texto del informe.')
    """
    extractor = "text"
    try:
        data = read_source(source)
        if not data:
            raise ExtractionError(Errors.W102)
        kind = sniff_kind(data)
        if is_binary_kind(kind):
            raise ExtractionError(Errors.W108.format(kind=kind))
        raw, encoding = decode_bytes(data)
    except ExtractionError as exc:
        return Extracted.failed(exc.reason, exc.status, extractor)
    except Exception as exc:  # noqa: BLE001
        return Extracted.failed(Errors.W115.format(reason=type(exc).__name__), "error", extractor)
    raw = clean_text(raw)
    fields, body = split_header(raw)
    fields = {k: clean_text(v).strip() for k, v in fields.items()}
    text = tidy_lines(body)
    meta: dict[str, str] = {"encoding": encoding}
    title = fields.get("title")
    url = fields.get("source_url") or fields.get("url") or fields.get("canonical_url")
    if url:
        meta["url"] = url
    for key in ("tags", "author", "issuer", "issuer_line", "categories"):
        if fields.get(key):
            meta[key if key != "categories" else "tags"] = fields[key][:300]
    lang = fields.get("language") or fields.get("lang")
    if lang:
        meta["lang"] = lang
    dates: dict[str, str] = {}
    for key in ("date", "published_time", "publication_date", "published", "pubdate", "fecha"):
        iso = parse_date(fields.get(key))
        if iso:
            dates["meta"] = iso
            meta["date_meta_key"] = key
            break
    header_lines = [
        v for k, v in fields.items() if k in ("title", "issuer_line", "issuer", "author")
    ]
    head = "\n".join([*header_lines, text[:HEAD_CHARS]])
    ex = Extracted(text=text, title=title, meta=meta, head=head, extractor=extractor, dates=dates)
    if not re.search(r"[^\W\d_]", text):
        ex.text = ""
        ex.status, ex.error = "empty", "no text (file holds only whitespace, digits or punctuation)"
    return ex
