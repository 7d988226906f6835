"""Domain facts, defined once: countries, languages, frames, administrations and group order.

Administration from country and date, with inauguration-day boundaries: a date on or after an
inauguration day belongs to the incoming administration (``../DESIGN.md``). Undated documents
get ``"unknown"`` and are excluded from comparisons.

Group order (tables, figures, report): countries as in ``COUNTRIES`` (US, MX), then any other
by name; within a country, a "before <first>" label first, the listed administrations
chronologically, any other label next, and ``unknown`` last.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

UNKNOWN = "unknown"

#: Countries in table and figure order.
COUNTRIES: tuple[str, ...] = ("US", "MX")
#: Languages with an instrument (lexicon, spaCy pipeline).
LANGUAGES: tuple[str, ...] = ("en", "es")
#: Frames the lexicon scores, in column order (hits_<frame>, rate_<frame>, ...).
FRAMES: tuple[str, ...] = ("humanitarian", "security", "cooperation")
#: Frames of the codebook (hand-coded sentences; validation and correction).
CODED_FRAMES: tuple[str, ...] = ("humanitarian", "security")

#: (first day in office, administration), per country, in order.
ADMINISTRATIONS: dict[str, list[tuple[dt.date, str]]] = {
    "US": [
        (dt.date(2009, 1, 20), "Obama"),
        (dt.date(2017, 1, 20), "Trump I"),
        (dt.date(2021, 1, 20), "Biden"),
        (dt.date(2025, 1, 20), "Trump II"),
    ],
    "MX": [
        (dt.date(2006, 12, 1), "Calderón"),
        (dt.date(2012, 12, 1), "Peña Nieto"),
        (dt.date(2018, 12, 1), "López Obrador"),
        (dt.date(2024, 10, 1), "Sheinbaum"),
    ],
}

#: Chronological order of administrations per country (for tables and figures).
ADMINISTRATION_ORDER: dict[str, list[str]] = {
    c: [name for _, name in spans] for c, spans in ADMINISTRATIONS.items()
}


def administration_for(country: str | None, date: str | dt.date | None) -> str:
    """Return the administration in office in ``country`` (US|MX) on ``date``.

    ``date`` is a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string. Returns ``"unknown"`` when
    the country or the date is missing or unparseable. Dates before the first listed
    administration get the first one's predecessor label ``"before <name>"``.

    >>> administration_for("US", "2021-01-19"), administration_for("US", "2021-01-20")
    ('Trump I', 'Biden')
    >>> administration_for("MX", "2024-10-01")
    'Sheinbaum'
    """
    if not country or country not in ADMINISTRATIONS or date is None:
        return UNKNOWN
    if isinstance(date, str):
        if not date or date != date:  # empty or NaN
            return UNKNOWN
        try:
            date = dt.date.fromisoformat(date[:10])
        except ValueError:
            return UNKNOWN
    elif isinstance(date, dt.datetime):
        date = date.date()
    elif isinstance(date, pd.Timestamp):
        if pd.isna(date):
            return UNKNOWN
        date = date.date()
    elif not isinstance(date, dt.date):
        return UNKNOWN
    spans = ADMINISTRATIONS[country]
    current = None
    for start, name in spans:
        if date >= start:
            current = name
    return current if current is not None else f"before {spans[0][1]}"


def country_rank(country: str) -> int:
    """Position of ``country`` in ``COUNTRIES``; other countries after them."""
    return COUNTRIES.index(country) if country in COUNTRIES else len(COUNTRIES)


def administration_rank(country: str, administration: str) -> int:
    """Chronological rank of ``administration`` within ``country``.

    "before <first>" sorts first (0), listed administrations 1..n in office order, any other
    label 5,000, ``unknown`` last (10,000).
    """
    order = ADMINISTRATION_ORDER.get(country, [])
    if administration in order:
        return order.index(administration) + 1
    if administration == UNKNOWN:
        return 10_000
    if str(administration).startswith("before "):
        return 0
    return 5_000


def group_sort_key(country: str, administration: str | None = None) -> tuple:
    """The one sort key of (country, administration) groups across framelens.

    >>> sorted([("MX", "Sheinbaum"), ("US", "Biden"), ("US", "Trump I")],
    ...        key=lambda g: group_sort_key(*g))
    [('US', 'Trump I'), ('US', 'Biden'), ('MX', 'Sheinbaum')]
    """
    key: tuple = (country_rank(country), str(country))
    if administration is not None:
        key += (administration_rank(country, administration), str(administration))
    return key


def sort_groups(
    df: pd.DataFrame, country: str = "country", administration: str = "administration"
) -> pd.DataFrame:
    """Rows of ``df`` in group order (stable: ties keep their order). ``df`` is not modified."""
    if df.empty or country not in df.columns:
        return df
    if administration in df.columns:
        keys = [group_sort_key(c, a) for c, a in zip(df[country], df[administration], strict=True)]
    else:
        keys = [group_sort_key(c) for c in df[country]]
    order = sorted(range(len(df)), key=lambda i: keys[i])
    return df.iloc[order]
