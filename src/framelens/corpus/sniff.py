"""What a file really is, from its first bytes (magic numbers), whatever its extension says.

``sniff_kind(data)`` names the content ("PDF", "HTML", "PNG image", "ZIP archive (.docx/.xlsx/...)",
"plain text", "binary data", ...). The readers use it to refuse a file whose content does not
match its extension with a one-line reason (``not a PDF (no %PDF header; looks like PNG image)``)
instead of feeding garbage to a parser.
"""

from __future__ import annotations

import re

#: (prefix, offset, kind) - checked in order.
_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "PDF"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"PK\x03\x04", 0, "ZIP archive (.docx/.xlsx/.odt/...)"),
    (b"PK\x05\x06", 0, "ZIP archive (empty)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "OLE2 compound file (.doc/.xls/.msg)"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x7fELF", 0, "executable (ELF)"),
    (b"{\\rtf", 0, "RTF document"),
    (b"OggS", 0, "Ogg media"),
    (b"ID3", 0, "MP3 audio"),
    (b"RIFF", 0, "RIFF media (WAV/AVI/WEBP)"),
    (b"\x00\x00\x00\x18ftyp", 0, "MP4 media"),
    (b"\x00\x00\x00\x20ftyp", 0, "MP4 media"),
    (b"wOFF", 0, "web font"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_RE = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|pre)\b", re.I)
# bytes that never occur in text (C0 controls other than \t \n \v \f \r, and ESC kept as text-ish)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    n_ctrl = len(sample) - len(sample.translate(None, _CONTROL))
    return n_ctrl / len(sample)


def _utf8_prefix_ok(sample: bytes) -> bool:
    """True when ``sample`` is valid UTF-8 (a sequence cut at its end is allowed)."""
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"
    return True


def looks_utf16(sample: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when ``sample`` looks like BOM-less UTF-16 text."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even = even.count(0) / len(even)
    zeros_odd = odd.count(0) / max(len(odd), 1)
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def sniff_kind(data: bytes) -> str:
    """Name what ``data`` looks like from its first bytes.

    Returns one of "empty", "PDF", an image/archive/media name, "HTML", "plain text" or
    "binary data". Text with a handful of stray NUL bytes (GovInfo pages have some) is text.

    >>> sniff_kind(b"%PDF-1.7 ..."), sniff_kind(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff_kind(b"<html>")
    ('PDF', 'PNG image', 'HTML')
    """
    if not data:
        return "empty"
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return "PDF"
    for magic, offset, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return kind
    if head.startswith(_BOMS) or looks_utf16(head):
        return "HTML" if _HTML_RE.search(head.replace(b"\x00", b"")) else "plain text"
    ratio = _control_ratio(head)
    if ratio > 0.10 or (ratio > 0.01 and not _utf8_prefix_ok(head)):
        # uniform random bytes hold ~10% C0 controls (26 of 256 values), so the 10% cut alone
        # calls a third of them text; legacy-encoded text has (almost) no controls at all
        if head.startswith(b"MZ"):
            return "executable (Windows)"
        return "binary data"
    if _HTML_RE.search(head):
        return "HTML"
    return "plain text"


def is_binary_kind(kind: str) -> bool:
    """True for kinds that are not text of any sort (images, archives, PDFs, binary data)."""
    return kind not in ("HTML", "plain text", "empty")
