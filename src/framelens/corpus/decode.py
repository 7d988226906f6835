"""Bytes to clean text: encoding detection, mojibake repair, control characters.

Order of evidence for the encoding (see docs/corpus.md, "Encodings"):

1. a byte-order mark (UTF-8, UTF-16, UTF-32), or BOM-less UTF-16 recognised by its NUL pattern;
2. a charset declared in the document (``<meta charset>``, ``http-equiv``, XML declaration),
   if the bytes decode cleanly with it (ISO-8859-1 and ASCII are read as windows-1252, as
   browsers do);
3. strict UTF-8;
4. charset-normalizer restricted to the Western European legacy code pages (framelens reads
   English and Spanish; unrestricted guessing often picks cp1250 for Spanish cp1252 text);
5. otherwise UTF-8 with replacement characters, refused when more than 10% is undecodable.

Then ``clean_text`` removes NUL and other control characters, joins CRLF, drops invisible
format characters, repairs mojibake with ftfy (only when a mojibake pattern is present, which
keeps it cheap) and normalises to NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from framelens.core.errors import Errors, ExtractionError
from framelens.corpus.sniff import looks_utf16

_BOMS: list[tuple[bytes, str]] = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
]
_DECLARED_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""",
    re.I,
)
#: WHATWG: these labels mean windows-1252 in practice.
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252", "iso8859_15"}
_WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850", "utf_16", "utf_32"]

_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff\ufffe\u00ad]")
_MOJIBAKE_RE = re.compile(
    "[\u00c2\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)


def declared_charset(data: bytes) -> str | None:
    """The charset declared in the first 4 KB of an HTML/XML document, as a codec name."""
    m = _DECLARED_RE.search(data[:4096])
    if not m:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", "ignore").strip().lower()
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def decode_bytes(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode ``data`` to text; returns ``(text, encoding)``.

    ``html=True`` also honours a charset declared in the markup. Raises ``ExtractionError``
    (W114) when no encoding fits. The text is not cleaned: see ``clean_text``.

    >>> decode_bytes("Migración".encode("cp1252"))
    ('Migración', 'cp1252')
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError:
                break
    utf16 = looks_utf16(data[:4096])
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if html:
        declared = declared_charset(data)
        if declared and not declared.startswith(("utf_16", "utf_32")):
            try:
                return data.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=_WESTERN).best()
    except Exception:  # noqa: BLE001 - detection is best effort
        best = None
    if best is not None:
        enc = best.encoding
        enc = "cp1252" if enc in _AS_CP1252 else enc
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            return str(best), best.encoding
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > 0.10 * max(len(text), 1):
        raise ExtractionError(
            Errors.W114.format(reason=f"{bad} of {len(text)} characters undecodable")
        )
    return text, "utf-8 (with replacements)"


def clean_text(text: str) -> str:
    """Remove control and invisible characters, repair mojibake, normalise to NFC.

    NUL bytes (GovInfo pages carry some inside ``<pre>``) and other C0 controls go; form feeds
    become newlines; CRLF/CR become LF; non-breaking spaces become spaces; Latin ligatures
    (ﬁ, ﬂ) are expanded. ftfy runs only when a UTF-8-read-as-cp1252 pattern (``Ã©``, ``â€``)
    is present.

    >>> clean_text("Versi\\u00c3\\u00b3n\\x00 ni\\u00f1os\\r\\n")
    'Versión niños\\n'
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text.replace("\x0c", "\n"))
    if _MOJIBAKE_RE.search(text):
        import ftfy

        text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").translate(_LIGATURES)
    return unicodedata.normalize("NFC", text)


_WS_RE = re.compile(r"[ \t\u2000-\u200a\u3000]+")
_BLANKS_RE = re.compile(r"\n{3,}")


def tidy_lines(text: str) -> str:
    """Collapse runs of spaces, strip every line, keep at most one blank line in a row."""
    lines = [_WS_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()
