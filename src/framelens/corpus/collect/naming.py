"""File names from URLs that are safe on every operating system.

``file_name_for(url, fmt)`` gives ``<host>/<slug>.<pdf|html>``: the host (port kept as
``_8080``) as a folder, then the URL's path segments and query joined by ``_``. Names are
ASCII (accents folded, every other character but letters, digits, ``.``, ``-`` and ``_`` made
``-``), never a Windows reserved device name (``CON``, ``NUL``, ``COM1`` ...), never end in a
dot or space, and their stem is at most ``MAX_STEM`` characters: a longer one is cut and
ends in 8 hex digits of the URL's sha256, so two long URLs never share a name. The
extension is the one of the sniffed content (a PDF served from ``/view.aspx`` is ``.pdf``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_STEM = 100
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
    | {"com¹", "com²", "com³", "lpt¹", "lpt²", "lpt³"}
)
_DOC_SUFFIXES = re.compile(
    r"\.(pdf|html?|xhtml|php\d?|aspx?|jsp|cfm|cgi|shtml|do|action)$", re.IGNORECASE
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUNS = re.compile(r"([-_.])[-_.]+")


def url_hash(url: str, n: int = 8) -> str:
    """The first ``n`` hex digits of the sha256 of ``url``."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:n]


def safe_component(text: str, fallback: str = "index") -> str:
    """``text`` as one safe ASCII path component (no length limit applied here).

    >>> safe_component("Ley de Migración (2024)?"), safe_component("CON"), safe_component("..")
    ('Ley-de-Migracion-2024', 'CON_', 'index')
    """
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    safe = _UNSAFE.sub("-", folded)
    safe = _RUNS.sub(lambda m: m.group(1), safe).strip("-_. ")
    if not safe:
        return fallback
    if safe.split(".")[0].lower() in _WINDOWS_RESERVED:
        safe = f"{safe}_"
    return safe


def file_name_for(url: str, fmt: str) -> str:
    """The relative POSIX path under which the content of ``url`` is stored.

    Parameters
    ----------
    url : str
        The document's URL (its fragment is ignored).
    fmt : str
        ``pdf`` or ``html``: the sniffed content, which sets the extension.

    Examples
    --------
    >>> file_name_for("https://www.dof.gob.mx/nota_detalle.php?codigo=5640701&fecha=17/01/2022", "html")
    'www.dof.gob.mx/nota_detalle_codigo-5640701-fecha-17-01-2022.html'
    >>> file_name_for("http://127.0.0.1:8080/docs/Ley%20de%20Migraci%C3%B3n.pdf", "pdf")
    '127.0.0.1_8080/docs_Ley-de-Migracion.pdf'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "unknown-host").lower()
    if parts.port:
        host = f"{host}_{parts.port}"
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if segments:
        segments[-1] = _DOC_SUFFIXES.sub("", segments[-1])
    stem = "_".join(safe_component(s, "") for s in segments if safe_component(s, ""))
    if parts.query:
        query = safe_component(unquote(parts.query.replace("+", " ")), "")
        stem = f"{stem}_{query}" if stem else query
    stem = safe_component(stem or "index")
    if len(stem) > MAX_STEM:
        stem = f"{stem[: MAX_STEM - 9].rstrip('-_.')}-{url_hash(url)}"
    return f"{safe_component(host, 'unknown-host')}/{stem}.{fmt}"


def with_hash(name: str, url: str) -> str:
    """``name`` with 8 hex digits of ``url``'s sha256 before its extension (to make it unique).

    >>> with_hash("h/report.pdf", "https://h/report.pdf?v=2")[:-4].split("-")[0]
    'h/report'
    """
    folder, _, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem[: MAX_STEM - 9].rstrip("-_.")
    new = f"{stem}-{url_hash(url)}" + (f".{ext}" if ext else "")
    return f"{folder}/{new}" if folder else new
