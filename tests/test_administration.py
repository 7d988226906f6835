"""Administration boundaries: inauguration day belongs to the incoming administration."""

import datetime as dt

import pytest

from framelens.core.domain import ADMINISTRATIONS, UNKNOWN, administration_for


@pytest.mark.parametrize("country", ["US", "MX"])
def test_administration_both_sides_of_every_inauguration(country):
    spans = ADMINISTRATIONS[country]
    for (start, name), (_, previous) in zip(spans[1:], spans[:-1], strict=True):
        eve = start - dt.timedelta(days=1)
        assert administration_for(country, start) == name
        assert administration_for(country, start.isoformat()) == name
        assert administration_for(country, eve) == previous
        assert administration_for(country, eve.isoformat()) == previous


@pytest.mark.parametrize(
    "country,date,expected",
    [
        ("US", "2017-01-19", "Obama"),
        ("US", "2017-01-20", "Trump I"),
        ("US", "2021-01-19", "Trump I"),
        ("US", "2021-01-20", "Biden"),
        ("US", "2025-01-19", "Biden"),
        ("US", "2025-01-20", "Trump II"),
        ("MX", "2012-11-30", "Calderón"),
        ("MX", "2012-12-01", "Peña Nieto"),
        ("MX", "2018-11-30", "Peña Nieto"),
        ("MX", "2018-12-01", "López Obrador"),
        ("MX", "2024-09-30", "López Obrador"),
        ("MX", "2024-10-01", "Sheinbaum"),
    ],
)
def test_administration_design_table(country, date, expected):
    assert administration_for(country, date) == expected


@pytest.mark.parametrize(
    "country,date",
    [
        ("US", None),
        ("US", ""),
        (None, "2020-01-01"),
        ("CA", "2020-01-01"),
        ("MX", "not a date"),
        ("US", float("nan")),
    ],
)
def test_administration_unknown_when_undeterminable(country, date):
    assert administration_for(country, date) == UNKNOWN
