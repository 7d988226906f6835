"""Joint periods: the calendar spans in which one US and one Mexican administration were both in
office, within which the two countries are compared (documents placed by their date)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from framelens.core.domain import ADMINISTRATIONS, UNKNOWN, administration_for


def _spans(country: str) -> list[tuple[str, dt.date, dt.date | None]]:
    spans = ADMINISTRATIONS[country]
    out = []
    for i, (start, name) in enumerate(spans):
        end = spans[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(spans) else None
        out.append((name, start, end))
    return out


def joint_periods(a: str = "US", b: str = "MX") -> pd.DataFrame:
    """Calendar periods in which one administration of ``a`` and one of ``b`` were both in office.

    Returns columns period ("<a admin> / <b admin>"), admin_a, admin_b, start, end (ISO dates;
    end None while both are in office), in chronological order. These are the periods within
    which the two countries are compared.

    >>> joint_periods().period.tolist()[-3:]
    ['Biden / López Obrador', 'Biden / Sheinbaum', 'Trump II / Sheinbaum']
    """
    rows = []
    for name_a, s_a, e_a in _spans(a):
        for name_b, s_b, e_b in _spans(b):
            start = max(s_a, s_b)
            ends = [e for e in (e_a, e_b) if e is not None]
            end = min(ends) if ends else None
            if end is None or start <= end:
                rows.append(
                    {
                        "period": f"{name_a} / {name_b}",
                        "admin_a": name_a,
                        "admin_b": name_b,
                        "start": start.isoformat(),
                        "end": end.isoformat() if end else None,
                    }
                )
    return pd.DataFrame(rows).sort_values("start", kind="stable").reset_index(drop=True)


def parse_dates(series: pd.Series) -> pd.Series:
    """ISO date strings (or missing) as timestamps; unparseable ones NaT."""
    return pd.to_datetime(series.astype(object).where(series.notna()), errors="coerce",
                          format="mixed")  # fmt: skip


def assign_periods(df: pd.DataFrame) -> pd.Series:
    """Joint US/MX period label of each row (NaN when undated or not in a joint period)."""
    periods = joint_periods("US", "MX")
    valid = {(r.admin_a, r.admin_b): r.period for r in periods.itertuples()}
    dates = parse_dates(df["date"])
    out = pd.Series(np.nan, index=df.index, dtype=object)
    for idx, country, admin, date in zip(
        df.index, df["country"], df["administration"], dates, strict=True
    ):
        if pd.isna(date) or admin == UNKNOWN or country not in ("US", "MX"):
            continue
        d = date.date()
        if country == "US":
            key = (admin, administration_for("MX", d))
        else:
            key = (administration_for("US", d), admin)
        if key in valid:
            out.at[idx] = valid[key]
    return out
