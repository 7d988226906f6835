"""Issuer, country, document type and title from what a document and its address say.

Everything here is a plain rule over strings, so that it applies to documents framelens has not
seen (docs/corpus.md, "Metadata inference"):

- **issuer**: the agency table ``AGENCIES`` (both countries) matched against the document's
  own URL (domain and path), its metadata (HTML author/publisher/site name, the issuer line of a
  transcript header, the PDF Author), then the first agency named in the header region;
- **country**: the domain (.gob.mx/.mx -> MX; .gov/.mil -> US), else the issuer's country,
  else the language (es -> MX, en -> US);
- **doc_type**: designations in the title or the first lines ("Executive Order 14145",
  "A Proclamation", "Fact Sheet:", "Remarks by", "Versión estenográfica", "LEY ...",
  "DECRETO por el que", "ACUERDO por el que", ...), then section paths of the URL
  (/speeches-remarks/, /fact-sheets/, /news/releases/ ...), then the shape of the text (a
  transcript: many lines opening with an upper-case speaker label and a colon);
- **title**: a metadata title unless it only names the periodical ("Federal Register, Volume
  82 Issue 14 ..."), else the document's designation line and its title line, else the first
  line that reads like a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Agency:
    """A known issuer: canonical ``name``, ``country``, text ``pattern`` and URL ``hosts``/``paths``."""

    name: str
    country: str
    pattern: str
    hosts: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # e.g. gob.mx/sre: host gob.mx with a first path segment "sre"


#: Known issuers of both countries. Order matters only for URL matching (first match wins).
AGENCIES: tuple[Agency, ...] = (
    # ---------------------------------------------------------------- United States
    Agency(
        "Federal Register",
        "US",
        r"\bFederal\s+Register\b|\bFEDERAL\s+REGISTER\b",
        ("federalregister.gov",),
    ),
    Agency(
        "White House",
        "US",
        r"\bTHE\s+WHITE\s+HOUSE\b|\bThe\s+White\s+House\b",
        (
            "whitehouse.gov",
            "whitehouse.archives.gov",
            "obamawhitehouse.archives.gov",
            "trumpwhitehouse.archives.gov",
            "bidenwhitehouse.archives.gov",
        ),
    ),
    Agency(
        "USCIS",
        "US",
        r"\bU\.?S\.?\s+Citizenship\s+and\s+Immigration\s+Services\b|\bUSCIS\b",
        ("uscis.gov",),
    ),
    Agency(
        "CBP",
        "US",
        r"\b(?:U\.?S\.?\s+)?Customs\s+and\s+Border\s+Protection\b|\bCBP\b"
        r"|\b(?:United\s+States|U\.?S\.?)\s+Border\s+Patrol\b|\bUSBP\b",
        ("cbp.gov",),
    ),
    Agency(
        "ICE",
        "US",
        r"\b(?:U\.?S\.?\s+)?Immigration\s+and\s+Customs\s+Enforcement\b|\bICE\b",
        ("ice.gov",),
    ),
    Agency(
        "ORR", "US", r"\bOffice\s+of\s+Refugee\s+Resettlement\b|\bORR\b", (), ("acf.hhs.gov/orr",)
    ),
    Agency(
        "HHS",
        "US",
        r"\b(?:U\.?S\.?\s+)?Department\s+of\s+Health\s+and\s+Human\s+Services\b|\bHHS\b",
        ("hhs.gov",),
    ),
    Agency(
        "DHS",
        "US",
        r"\b(?:U\.?S\.?\s+)?Department\s+of\s+Homeland\s+Security\b|\bDHS\b",
        ("dhs.gov",),
    ),
    Agency("DOS", "US", r"\b(?:U\.?S\.?\s+)?Department\s+of\s+State\b", ("state.gov",)),
    Agency(
        "DOJ",
        "US",
        r"\b(?:U\.?S\.?\s+)?Department\s+of\s+Justice\b|\bDOJ\b|\bExecutive\s+Office\s+for\s+Immigration\s+Review\b",
        ("justice.gov",),
    ),
    # ---------------------------------------------------------------- Mexico
    Agency(
        "DOF",
        "MX",
        r"\bDiario\s+Oficial\s+de\s+la\s+Federaci[óo]n\b|\bDIARIO\s+OFICIAL\b"
        r"|\bAl\s+margen\s+un\s+sello\s+con\s+el\s+Escudo\s+Nacional\b",
        ("dof.gob.mx",),
    ),
    Agency(
        "Cámara de Diputados",
        "MX",
        r"\bC[ÁáAa]MARA\s+DE\s+DIPUTADOS\b|\bC[áa]mara\s+de\s+Diputados\b",
        ("diputados.gob.mx",),
    ),
    Agency(
        "Senado",
        "MX",
        r"\bSenado\s+de\s+la\s+Rep[úu]blica\b|\bC[áa]mara\s+de\s+Senadores\b",
        ("senado.gob.mx",),
    ),
    Agency(
        "Presidencia",
        "MX",
        r"\bPresidencia\s+de\s+la\s+Rep[úu]blica\b|\bPRESIDENCIA\s+DE\s+LA\s+REP[ÚU]BLICA\b"
        r"|\bPresident[ea]\s+de\s+(?:los\s+Estados\s+Unidos\s+Mexicanos|M[ée]xico)\b"
        r"|\bPRESIDENT[EA]\s+(?:DE\s+M[ÉE]XICO|ANDR[ÉE]S\s+MANUEL|CLAUDIA|ENRIQUE\s+PE[ÑN]A)",
        ("presidente.gob.mx", "lopezobrador.org.mx"),
        ("gob.mx/presidencia",),
    ),
    Agency(
        "SRE",
        "MX",
        r"\bSecretar[íi]a\s+de\s+Relaciones\s+Exteriores\b|\bSRE\b",
        ("sre.gob.mx",),
        ("gob.mx/sre",),
    ),
    Agency(
        "SEGOB",
        "MX",
        r"\bSecretar[íi]a\s+de\s+Gobernaci[óo]n\b|\bSEGOB\b|\bSegob\b",
        ("segob.gob.mx",),
        ("gob.mx/segob",),
    ),
    Agency(
        "INM",
        "MX",
        r"\bInstituto\s+Nacional\s+de\s+Migraci[óo]n\b|\bINM\b",
        ("inm.gob.mx",),
        ("gob.mx/inm",),
    ),
    Agency(
        "COMAR",
        "MX",
        r"\bComisi[óo]n\s+Mexicana\s+de\s+Ayuda\s+a\s+Refugiados\b|\bCOMAR\b",
        (),
        ("gob.mx/comar",),
    ),
    Agency(
        "SNDIF",
        "MX",
        r"\bSistema\s+Nacional\s+(?:para\s+el\s+)?Desarrollo\s+Integral\s+de\s+la\s+Familia\b"
        r"|\bSNDIF\b|\bDIF\s+Nacional\b",
        ("dif.gob.mx",),
        ("gob.mx/difnacional", "gob.mx/sndif"),
    ),
    Agency(
        "Sipinna",
        "MX",
        r"\bSistema\s+Nacional\s+de\s+Protecci[óo]n\s+Integral\s+de\s+(?:los\s+Derechos\s+de\s+)?Niñas,?\s+Niños\s+y\s+Adolescentes\b"
        r"|\bSIPINNA\b|\bSipinna\b",
        (),
        ("gob.mx/sipinna",),
    ),
    Agency(
        "Guardia Nacional",
        "MX",
        r"\bGuardia\s+Nacional\b|\bGUARDIA\s+NACIONAL\b",
        (),
        ("gob.mx/guardianacional",),
    ),
    Agency(
        "CNDH",
        "MX",
        r"\bComisi[óo]n\s+Nacional\s+de\s+(?:los\s+)?Derechos\s+Humanos\b|\bCNDH\b",
        ("cndh.org.mx",),
    ),
    Agency(
        "SSPC",
        "MX",
        r"\bSecretar[íi]a\s+de\s+Seguridad\s+y\s+Protecci[óo]n\s+Ciudadana\b|\bSSPC\b",
        ("sspc.gob.mx",),
        ("gob.mx/sspc",),
    ),
)

_AGENCY_RE = [(a, re.compile(a.pattern)) for a in AGENCIES]
_BY_NAME = {a.name.lower(): a for a in AGENCIES}


def agency_country(name: str | None) -> str | None:
    """Country of a known issuer name (case-insensitive), else None."""
    if not name:
        return None
    agency = _BY_NAME.get(name.strip().lower())
    return agency.country if agency else None


def _host_path(url: str) -> tuple[str, str]:
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, parts.path.lower()


def _host_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def issuer_from_url(url: str | None) -> str | None:
    """Issuer of a document from its URL (host, or host + first path segment), or None.

    >>> issuer_from_url("https://www.gob.mx/sre/prensa/x"), issuer_from_url("https://www.ice.gov/news")
    ('SRE', 'ICE')
    """
    if not url:
        return None
    host, path = _host_path(url)
    if not host:
        return None
    for agency in AGENCIES:
        for hp in agency.paths:
            h, _, p = hp.partition("/")
            if _host_matches(host, h) and (path + "/").startswith("/" + p + "/"):
                return agency.name
    if _host_matches(host, "govinfo.gov") and re.search(r"/fr-\d{4}-\d{2}-\d{2}/", path):
        return "Federal Register"
    for agency in AGENCIES:
        if any(_host_matches(host, d) for d in agency.hosts):
            return agency.name
    return None


def country_from_url(url: str | None) -> str | None:
    """ "MX" for .mx hosts, "US" for .gov/.mil hosts (and known US agencies), else None."""
    if not url:
        return None
    host, _ = _host_path(url)
    if not host:
        return None
    if host.endswith(".mx") or host == "mx":
        return "MX"
    if host.endswith((".gov", ".mil")) or host in ("gov", "mil"):
        return "US"
    return agency_country(issuer_from_url(url))


_LAW_NAME_BEFORE = re.compile(
    r"\b(?:LEY|Ley|REGLAMENTO|Reglamento|C[ÓO]DIGO|C[óo]digo|ESTATUTO|Estatuto|DECRETO|Decreto)"
    r"(?:\s+(?:GENERAL|General|ORG[ÁA]NICA|Org[áa]nica|FEDERAL|Federal|INTERIOR|Interior))?"
    r"\s+(?:DE\s+LA|DE\s+LOS|DE\s+LAS|DEL|DE|SOBRE|de\s+la|de\s+los|de\s+las|del|de|sobre)\s+$"
)


def issuer_from_text(text: str | None) -> str | None:
    """The known agency named first in ``text`` (usually the header region), or None.

    A name that is part of a law's name ("LEY DE LA GUARDIA NACIONAL") does not count.

    >>> issuer_from_text("Versión estenográfica ...\\nPresidencia de la República\\n06 de septiembre de 2019")
    'Presidencia'
    >>> issuer_from_text("LEY DE LA GUARDIA NACIONAL\\nCÁMARA DE DIPUTADOS DEL H. CONGRESO DE LA UNIÓN")
    'Cámara de Diputados'
    """
    if not text:
        return None
    best: tuple[int, int, str] | None = None
    for order, (agency, pattern) in enumerate(_AGENCY_RE):
        for m in pattern.finditer(text):
            if _LAW_NAME_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
                continue
            if best is None or (m.start(), order) < best[:2]:
                best = (m.start(), order, agency.name)
            break
    return best[2] if best else None


# --------------------------------------------------------------------------- document type
_TITLE_TYPES: list[tuple[str, str]] = [
    (r"^\W*(?:Title\s+3\W+)?Executive\s+Order\b|^\W*EXECUTIVE\s+ORDER\b", "executive_order"),
    (r"^\W*(?:A\s+)?Proclamation\b|^\W*PROCLAMATION\b|^\W*Proclamaci[óo]n\b", "proclamation"),
    (
        r"^\W*(?:Presidential\s+)?Memorandum\b|^\W*MEMORANDUM\b|^\W*National\s+Security\s+Presidential\s+Memorandum",
        "memorandum",
    ),
    (r"^\W*FACT\s+SHEET\b|^\W*Fact\s+Sheet\b|^\W*Ficha\s+informativa\b", "fact_sheet"),
    (
        r"^\W*(?:Remarks|Press\s+Briefing|Press\s+Gaggle|(?:On-the-Record\s+|Background\s+)?Press\s+Call|Background\s+Briefing"
        r"|Press\s+Conference|Interview|Address|Speech|Discurso|Mensaje)\b",
        "speech",
    ),
    (r"^\W*(?:Statement|Readout|Joint\s+Statement|Declaraci[óo]n|Posicionamiento)\b", "statement"),
    (r"^\W*(?:Press\s+Release|News\s+Release|Comunicado|Bolet[íi]n)\b", "press_release"),
    (
        r"^\W*Versi[óo]n\s+estenogr[áa]fica\b|^\W*VERSI[ÓO]N\s+ESTENOGR[ÁA]FICA\b",
        "version_estenografica",
    ),
    (r"^\W*(?:LEY|Ley)\b|^\W*C[ÓO]DIGO\b|^\W*C[óo]digo\b", "ley"),
    (r"^\W*DECRETO\b|^\W*Decreto\s+(?:por|que|de)\b", "decreto"),
    (r"^\W*ACUERDO\b|^\W*Acuerdo\s+(?:por|que|de)\b", "acuerdo"),
    (r"^\W*REGLAMENTO\b|^\W*Reglamento\b", "reglamento"),
    (r"^\W*(?:LINEAMIENTOS|Lineamientos)\b", "lineamientos"),
    (r"^\W*(?:Report|Informe|Annual\s+Report)\b", "report"),
]
_TITLE_TYPES_RE = [(re.compile(p, re.M), t) for p, t in _TITLE_TYPES]
_CONTAINS_TYPES_RE = [
    (re.compile(r"\bExecutive\s+Order\s+\d{4,5}\b"), "executive_order"),
    (re.compile(r"\bVersi[óo]n\s+estenogr[áa]fica\b", re.I), "version_estenografica"),
    (re.compile(r"\bFact\s+Sheet\b", re.I), "fact_sheet"),
    (re.compile(r"^\W*(?:A\s+)?Proclamation\s+(?:on|\d)", re.I), "proclamation"),
]
_URL_TYPES: list[tuple[str, str]] = [
    (r"/executive-orders?/|/executive-order-", "executive_order"),
    (r"/proclamations?/|/a-proclamation-", "proclamation"),
    (r"/presidential-memorand|/memorandum-", "memorandum"),
    (r"/fact-sheets?/|/fact-sheet-", "fact_sheet"),
    (
        r"/speeches-remarks/|/remarks/|/press-briefings/|/briefings-statements/.*remarks|/discursos?/",
        "speech",
    ),
    (r"/statements-releases/|/statements?/|/readouts?/", "statement"),
    (
        r"/news/releases/|/news-releases?/|/press-releases?/|/newsroom/|/prensa/|/comunicados?/|/articles/|/releases/",
        "press_release",
    ),
    (r"/version-estenografica|/versiones-estenograficas/", "version_estenografica"),
]
_URL_TYPES_RE = [(re.compile(p), t) for p, t in _URL_TYPES]
_TAG_TYPES = {
    "speeches-remarks": "speech",
    "press-briefings": "speech",
    "statements-releases": "statement",
    "fact-sheets": "fact_sheet",
    "article": "press_release",
    "articles": "press_release",
    "briefings-statements": "statement",
    "executive-orders": "executive_order",
    "proclamations": "proclamation",
}
_SPEAKER_RE = re.compile(
    r"^-?\s*(?:[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ.\-]+)(?:[ ,][A-ZÁÉÍÓÚÑÜ.\-]+){0,12}\s*:", re.M
)


def doc_type_from_text(
    title: str | None, head: str | None, language: str | None = None
) -> str | None:
    """Document type from the title and the first lines (see module docstring), or None."""
    for text in (title, (head or "")[:400]):
        if not text:
            continue
        first = text.strip()
        for pattern, dtype in _TITLE_TYPES_RE:
            if pattern.search(first[:200]):
                return dtype
    for text in (title, (head or "")[:600]):
        if not text:
            continue
        for pattern, dtype in _CONTAINS_TYPES_RE:
            if pattern.search(text):
                return dtype
    return None


def doc_type_from_url(url: str | None) -> str | None:
    """Document type from section names in a URL path (whitehouse.gov, ice.gov, gob.mx ...)."""
    if not url:
        return None
    _, path = _host_path(url)
    path = path + "/"
    for pattern, dtype in _URL_TYPES_RE:
        if pattern.search(path):
            return dtype
    return None


def doc_type_from_tags(tags: str | None) -> str | None:
    """Document type from an archive's section tags ("speeches-remarks", "fact-sheets" ...)."""
    if not tags:
        return None
    for tag in re.split(r"[,;|\s]+", tags.lower()):
        if tag in _TAG_TYPES:
            return _TAG_TYPES[tag]
    return None


def looks_like_transcript(text: str, min_turns: int = 5) -> bool:
    """True when at least ``min_turns`` lines open with an upper-case speaker label and a colon
    ("PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR:", "MS. PSAKI:", "-MODERADOR:")."""
    n = 0
    for _ in _SPEAKER_RE.finditer(text[:20000]):
        n += 1
        if n >= min_turns:
            return True
    return False


# --------------------------------------------------------------------------- title
_GENERIC_TITLE = re.compile(
    r"^(?:Federal\s+Register,?\s+Volume\b|Diario\s+Oficial\s+de\s+la\s+Federaci[óo]n\s*$|DOF\s*-|untitled"
    r"|Microsoft\s+(?:Word|PowerPoint|Excel)\b|Document\d*$|Presentaci[óo]n\d*$|Slide\s*\d*$)"
    r"|\.(?:docx?|pdf|xlsx?|pptx?|rtf|html?)$|^[\w\-]{1,3}$",
    re.I,
)
_DESIGNATION = re.compile(
    r"^\W*(?:Title\s+3\W+)?((?:Executive\s+Order|Proclamation|Presidential\s+Memorandum|Memorandum)\s+(?:No\.\s*)?[\d\-]+)"
    r"(?:\s+of\s+[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})?\s*$",
    re.M,
)
_TITLE_STOP = re.compile(
    r"^(?:By\s+the\s+authority|By\s+the\s+President|Section\s+1|Sec\.\s+1|Memorandum\s+for|MEMORANDUM\s+FOR|\[FR\s+Doc)",
    re.I,
)


def good_title(title: str | None) -> str | None:
    """``title`` stripped, or None when empty or only a periodical/file name."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", str(title)).strip()
    if len(title) < 4 or _GENERIC_TITLE.search(title):
        return None
    return title[:500]


def designation_title(head: str) -> str | None:
    """ "Executive Order 14145: Helping Left-Behind Communities ..." from a designation line and
    the title line(s) under it, or None."""
    lines = [ln.strip() for ln in head.split("\n")]
    for i, line in enumerate(lines[:60]):
        m = _DESIGNATION.match(line)
        if not m:
            continue
        parts: list[str] = []
        for nxt in lines[i + 1 : i + 5]:
            if not nxt:
                if parts:
                    break
                continue
            if _TITLE_STOP.match(nxt):
                break
            parts.append(re.sub(r"^The\s+President\s+", "", nxt))
        name = re.sub(r"\s+", " ", m[1])
        return f"{name}: {' '.join(parts)}" if parts else name
    return None


def first_heading(text: str) -> str | None:
    """The first line with at least three words and mostly letters (a heading), or None."""
    for line in text.split("\n")[:80]:
        line = line.strip()
        if len(line) < 12 or len(line) > 300:
            continue
        letters = sum(ch.isalpha() for ch in line)
        if letters / len(line) < 0.6 or len(line.split()) < 3:
            continue
        return line
    return None
