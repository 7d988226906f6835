"""Administration from country and date, with inauguration-day boundaries.

A date on or after an inauguration day belongs to the incoming administration
(``../DESIGN.md``). Undated documents get ``"unknown"`` and are excluded from comparisons.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

UNKNOWN = "unknown"

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
