"""Numbers as text, in one place: the report, LaTeX tables and ``.summary()`` texts use these.

Every function takes anything number-like (int, float, numpy scalar, numeric string, None, NaN)
and returns text; a missing or non-finite value becomes ``missing`` (default "n/a").

>>> num(0.12345), pct(0.1234), ci_text(0.1, 0.25), p_is(0.0004)
('0.123', '12.3%', '[0.100, 0.250]', 'p < 0.001')
"""

from __future__ import annotations

import math
from typing import Any


def as_float(x: Any) -> float:
    """``float(x)``, or NaN when ``x`` is not a number."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def num(x: Any, digits: int = 3, missing: str = "n/a") -> str:
    """A number with ``digits`` decimals; ``missing`` when it is missing or not finite."""
    v = as_float(x)
    return missing if not math.isfinite(v) else f"{v:.{digits}f}"


def integer(x: Any, missing: str = "n/a") -> str:
    """A count as a whole number; ``missing`` when it is missing."""
    v = as_float(x)
    return missing if not math.isfinite(v) else str(int(v))


def pct(x: Any, digits: int = 1, missing: str = "n/a") -> str:
    """A proportion as a percentage ("12.3%")."""
    v = as_float(x)
    return missing if not math.isfinite(v) else f"{100 * v:.{digits}f}%"


def ci_text(
    lo: Any, hi: Any, digits: int = 3, percent: bool = False, missing: str = "no interval"
) -> str:
    """An interval as "[lo, hi]" (percentages when ``percent``); ``missing`` without bounds."""
    lo_v, hi_v = as_float(lo), as_float(hi)
    if not (math.isfinite(lo_v) and math.isfinite(hi_v)):
        return missing
    if percent:
        return f"[{pct(lo_v)}, {pct(hi_v)}]"
    return f"[{lo_v:.{digits}f}, {hi_v:.{digits}f}]"


def pval(p: Any, missing: str = "n/a") -> str:
    """A p-value: "< 0.001" below 0.001, else three decimals."""
    v = as_float(p)
    if not math.isfinite(v):
        return missing
    return "< 0.001" if v < 0.001 else f"{v:.3f}"


def p_is(p: Any) -> str:
    """ "p = 0.012", "p < 0.001" or "p n/a"."""
    text = pval(p)
    return f"p {text}" if text.startswith("<") or text == "n/a" else f"p = {text}"
