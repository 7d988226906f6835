"""Dates printed in English and Spanish official documents, and the rules that pick one.

Recognised forms (``find_dates``): "January 19, 2025", "19 January 2025", "Jan. 19th, 2025";
"6 de septiembre de 2019", "6 de septiembre, 2019", "1o. de enero de 2025"; the written-out
forms of decrees and proclamations ("a los diecinueve días del mes de mayo de dos mil once",
"this thirtieth day of April, in the year of our Lord two thousand twenty-one"); ISO
"2025-01-19"; and the DOF's numeric "DOF 16-05-2025". Numeric dd/mm vs mm/dd forms without a
label are ambiguous and ignored.

Rules (documented in docs/corpus.md, "Dates"):

- ``publication_date(head, title)``: (1) a labelled publication date: the last-reform line of a
  consolidated Mexican law ("Última reforma publicada DOF 27-05-2024", else "Nueva Ley ... DOF"),
  the masthead of an official gazette ("Federal Register / Vol. 90, No. 15 / Friday, January 24,
  2025", "Lunes 1 de abril de 2024 DIARIO OFICIAL"); (2) a date printed in the title; (3) the
  first date in the header region (the first 1,500 characters), skipping dates that designate
  another act ("Executive Order 14145 of January 19, 2025", "publicada en el Diario Oficial
  de la Federación el ...").
- ``signing_date(text)``: the last signing formula of the document: "THE WHITE HOUSE, <date>",
  "IN WITNESS WHEREOF ... this <ordinal> day of <month>, in the year of our Lord <year>",
  "Dado en ... a <date>" / "expido el presente Decreto ... a <date>", or a Spanish date after
  "a"/"a los" followed by a signature mark ("Rúbrica") within 400 characters.
- ``url_date(url)``: /2021/03/05/, 2017-01-24, 20190906, or a Spanish/English date spelled in
  the slug ("...-del-02-de-julio-de-2025").
"""

from __future__ import annotations

import datetime as dt
import re

from framelens.core.domain import LANGUAGES

MIN_YEAR, MAX_YEAR = 1900, 2100

_EN_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ES_MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}

_EN_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_ES_MONTH = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre|octubre|noviembre|diciembre)"
)

# --------------------------------------------------------------------------- number words
_ES_NUM = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "primero": 1,
    "primer": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "novecientos": 900,
    "ochocientos": 800,
}
_EN_NUM = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
_ACCENTS = str.maketrans("áéíóúü", "aeiouu")


def words_to_int(words: str) -> int | None:
    """Read a number written in Spanish or English words ("dos mil once", "twenty-first",
    "two thousand and twenty-one"); None when a word is not a number word."""
    tokens = re.split(r"[\s\-]+", words.lower().translate(_ACCENTS).strip())
    value, seen = 0, False
    for tok in tokens:
        if not tok or tok in ("y", "and"):
            continue
        if tok in ("mil", "thousand"):
            value = (value or 1) * 1000
        elif tok in _ES_NUM:
            value += _ES_NUM[tok]
        elif tok in _EN_NUM:
            if tok == "hundred":
                value = (value or 1) * 100
            else:
                value += _EN_NUM[tok]
        else:
            return None
        seen = True
    return value if seen else None


# --------------------------------------------------------------------------- patterns
_NUMWORD = r"[A-Za-záéíóúü]+(?:[\s\-]+(?:y\s+|and\s+)?[A-Za-záéíóúü]+){0,5}"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("en_mdy", re.compile(rf"\b({_EN_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    (
        "en_dmy",
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH}),?\s+(\d{{4}})\b"),
    ),
    (
        "es",
        re.compile(
            rf"\b(\d{{1,2}}|1o\.?|1º|1°|primero)\s+(?:de\s+)?({_ES_MONTH})(?:\s+de|\s+del|\s*,)?\s+(?:año\s+)?(\d{{4}})\b",
            re.I,
        ),
    ),
    (
        "es_words",
        re.compile(
            rf"\blos\s+({_NUMWORD})\s+días\s+del\s+mes\s+de\s+({_ES_MONTH})\s+(?:de|del)\s+(?:año\s+)?(\d{{4}}|{_NUMWORD})",
            re.I,
        ),
    ),
    ("iso", re.compile(r"(?<![\d\-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\d\-])")),
    ("dof", re.compile(r"\bDOF\s+(\d{1,2})[-/](\d{1,2})[-/](\d{4})\b")),
]


def make_date(year: int, month: int, day: int) -> str | None:
    """ISO string for a valid date between 1900 and 2100, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".").translate(_ACCENTS)
    return _EN_MONTHS.get(key) or _ES_MONTHS.get(key)


def _day(token: str) -> int | None:
    token = token.strip().rstrip(".")
    if token.isdigit():
        return int(token)
    if token.lower() in ("1o", "1º", "1°", "primero"):
        return 1
    return words_to_int(token)


def _year(token: str) -> int | None:
    token = token.strip()
    return int(token) if token.isdigit() else words_to_int(token)


def _from_match(kind: str, m: re.Match[str]) -> str | None:
    g = m.groups()
    if kind == "en_mdy":
        month, day, year = _month(g[0]), _day(g[1]), _year(g[2])
    elif kind == "en_dmy":
        day, month, year = _day(g[0]), _month(g[1]), _year(g[2])
    elif kind in ("es", "es_words"):
        day, month, year = _day(g[0]), _month(g[1]), _year(g[2])
    elif kind == "iso":
        year, month, day = int(g[0]), int(g[1]), int(g[2])
    else:  # dof: dd-mm-yyyy
        day, month, year = int(g[0]), int(g[1]), int(g[2])
    if not (day and month and year):
        return None
    return make_date(year, month, day)


def find_dates(text: str) -> list[tuple[int, int, str, str]]:
    """Every recognised date in ``text`` as ``(start, end, iso, kind)``, in text order.

    >>> [d[2] for d in find_dates("THE WHITE HOUSE, January 19, 2025. DOF 16-05-2025")]
    ['2025-01-19', '2025-05-16']
    """
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _from_match(kind, m)
            if iso:
                found.append((m.start(), m.end(), iso, kind))
    found.sort()
    # drop matches nested inside an earlier, longer one
    out: list[tuple[int, int, str, str]] = []
    for item in found:
        if out and item[0] < out[-1][1]:
            continue
        out.append(item)
    return out


def parse_date(value: str | None) -> str | None:
    """Parse a metadata date value (ISO datetime, printed date, PDF ``D:YYYYMMDD...``).

    Tries ISO and the printed forms above, then dateparser (English/Spanish) for anything else.

    >>> parse_date("2021-01-20 23:01:28-05:00"), parse_date("D:20250124050927Z")
    ('2021-01-20', '2025-01-24')
    """
    if not value:
        return None
    value = str(value).strip()
    m = re.match(r"^D?:?((?:19|20)\d{2})(\d{2})(\d{2})", value)
    if m and not re.match(r"^\d{4}-", value):
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})", value)
    if m:
        return make_date(int(m[1]), int(m[2]), int(m[3]))
    dates = find_dates(value)
    if dates:
        return dates[0][2]
    if len(value) > 60 or not re.search(r"\d{4}", value):
        return None
    try:
        import dateparser

        parsed = dateparser.parse(
            value,
            languages=list(LANGUAGES),
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
        )
    except Exception:  # noqa: BLE001 - dateparser raises on odd input
        return None
    return make_date(parsed.year, parsed.month, parsed.day) if parsed else None


# --------------------------------------------------------------------------- publication date
HEAD_CHARS = 1500

_WS = re.compile(r"\s+")
_LAST_REFORM = re.compile(
    r"[ÚU]ltima\s+[Rr]eforma\s+(?:publicada\s+)?(?:en\s+el\s+)?DOF\s+(\d{1,2})-(\d{1,2})-(\d{4})",
    re.I,
)
_NEW_LAW = re.compile(
    r"Nuev[oa]\s+(?:Ley|C[óo]digo|Reglamento)\s+(?:publicad[oa]\s+)?(?:en\s+el\s+)?DOF\s+(\d{1,2})-(\d{1,2})-(\d{4})",
    re.I,
)
_MASTHEAD_BEFORE = re.compile(
    r"(?:Federal\s+Register|FEDERAL\s+REGISTER|Vol\.\s*\d+\s*,\s*No\.\s*\d+|DIARIO\s+OFICIAL"
    r"|GACETA\s+OFICIAL)\W{0,40}(?:\w+\W{0,30}){0,8}$"
)
_MASTHEAD_AFTER = re.compile(r"^\W{0,5}(?:DIARIO\s+OFICIAL|FEDERAL\s+REGISTER|GACETA\s+OFICIAL)")
_PUBLISHED_IN = re.compile(r"publish|publicad", re.I)
_DESIGNATION_BEFORE = re.compile(
    r"(?:(?:Order|Proclamation|Memorandum|Notice|Determination)\s+(?:No\.\s*)?[\d\-]*\s+of"
    r"|publicad[oa]s?\s+en\s+el\s+(?:Diario\s+Oficial\s+de\s+la\s+Federaci[óo]n|DOF)(?:\s+el)?"
    r"|de\s+fecha|dated|filed|Filed)\s*$",
    re.I,
)


def publication_date(head: str, title: str | None = None) -> tuple[str, str] | None:
    """Pick the publication date printed in a document; returns ``(iso, rule)`` or None.

    ``head`` is the beginning of the document as extracted (before header/footer removal),
    ``title`` its title when known. ``rule`` is one of "last_reform", "new_law", "masthead",
    "title", "first_in_header".
    """
    region = _WS.sub(" ", head[: HEAD_CHARS * 2])
    for rule, pattern in (("last_reform", _LAST_REFORM), ("new_law", _NEW_LAW)):
        m = pattern.search(region)
        if m:
            iso = make_date(int(m[3]), int(m[2]), int(m[1]))
            if iso:
                return iso, rule
    region = region[:HEAD_CHARS]
    dates = find_dates(region)
    for start, end, iso, _ in dates:
        before = region[max(0, start - 120) : start]
        if _PUBLISHED_IN.search(before):
            continue
        if _MASTHEAD_BEFORE.search(before) or _MASTHEAD_AFTER.search(region[end : end + 40]):
            return iso, "masthead"
    if title:
        tdates = find_dates(title)
        if tdates:
            return tdates[0][2], "title"
    for start, _end, iso, _ in dates:
        if _DESIGNATION_BEFORE.search(region[max(0, start - 90) : start]):
            continue
        return iso, "first_in_header"
    return None


# --------------------------------------------------------------------------- signing date
_SIGN_WH = re.compile(rf"THE\s+WHITE\s+HOUSE\s*,\s*({_EN_MONTH}\s+\d{{1,2}},?\s+\d{{4}})")
_SIGN_WITNESS = re.compile(
    rf"IN\s+WITNESS\s+WHEREOF,?\s+I\s+have\s+hereunto\s+set\s+my\s+hand\s+this\s+([\w\s\-]+?)\s+day\s+of\s+"
    rf"({_EN_MONTH}),?\s+in\s+the\s+year\s+of\s+our\s+Lord\s+([a-z]+(?:[\s\-]+[a-z]+){{0,6}}?)\s*(?=,|\.|\s+and\s+of)",
    re.I,
)
_SIGN_ES_INTRO = re.compile(
    r"\b(?:Dad[oa]|[Ee]xpid[oe]\s+el\s+presente|[Ee]xpide\s+el\s+presente|[Ff]irmad[oa])\b", re.I
)
_RUBRICA = re.compile(r"R[úu]brica", re.I)


def signing_date(text: str) -> str | None:
    """The date of the last signing formula in ``text`` (see the module docstring), or None.

    >>> signing_date("... employees, or agents, or any other person.\\nTHE WHITE HOUSE,\\nJanuary 19, 2025.")
    '2025-01-19'
    """
    candidates: list[tuple[int, str]] = []
    for m in _SIGN_WH.finditer(text):
        iso = parse_date(m[1])
        if iso:
            candidates.append((m.start(), iso))
    for m in _SIGN_WITNESS.finditer(text):
        day, month, year = words_to_int(m[1]), _month(m[2]), words_to_int(m[3])
        iso = make_date(year, month, day) if (day and month and year) else None
        if iso:
            candidates.append((m.start(), iso))
    spanish = [d for d in find_dates(text) if d[3] in ("es", "es_words")]
    for start, end, iso, _kind in spanish:
        if not re.search(r"\ba\s+$", text[max(0, start - 6) : start]):
            continue
        intro = _SIGN_ES_INTRO.search(text, max(0, start - 400), start)
        signed = _RUBRICA.search(text, end, end + 400)
        if intro or signed:
            candidates.append((start, iso))
    if not candidates:
        return None
    return max(candidates)[1]


def plausible_signing(date_signed: str | None, date: str | None, max_days: int = 180) -> bool:
    """A signing date is kept only if it is on or before the publication date and at most
    ``max_days`` before it (or when there is no publication date to check against)."""
    if not date_signed:
        return False
    if not date:
        return True
    delta = (dt.date.fromisoformat(date) - dt.date.fromisoformat(date_signed)).days
    return 0 <= delta <= max_days


# --------------------------------------------------------------------------- URL / file name
_URL_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_\-.]?(\d{2})[/_\-.]?(\d{2})(?!\d)")
_URL_SLASH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")


def url_date(url: str | None) -> str | None:
    """A date spelled in a URL or file name, or None.

    >>> url_date("https://www.govinfo.gov/content/pkg/FR-2017-01-24/html/2017-01799.htm")
    '2017-01-24'
    >>> url_date("mx-presidencia-20190906-conferencia-de-prensa.txt")
    '2019-09-06'
    """
    if not url:
        return None
    m = _URL_SLASH.search(url)
    if m:
        iso = make_date(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            return iso
    for m in _URL_YMD.finditer(url):
        iso = make_date(int(m[1]), int(m[2]), int(m[3]))
        if iso:
            return iso
    spelled = re.sub(r"[-_+/]+", " ", url)
    dates = [d for d in find_dates(spelled) if d[3] != "iso"]
    return dates[0][2] if dates else None
