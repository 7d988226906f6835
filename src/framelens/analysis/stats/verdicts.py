"""Verdicts from intervals: supported, contradicted, equivalent within a margin, inconclusive.

A verdict reads only where an interval lies, relative to zero and to the equivalence margin
``(-m, m)``:

- a **directional** claim (``judge_direction``: "the framing index is below zero") is
  *supported* when the whole interval lies on the claimed side of zero, *contradicted* when it
  lies wholly on the other side, *equivalent* when it lies within (-m, m) (the quantity is
  practically zero: neither direction by more than m), and *inconclusive* otherwise;
- a **no-difference** claim (``judge_no_difference``: "the pattern held", "the two countries
  frame alike") is *equivalent* when the interval lies within (-m, m), which is the two
  one-sided tests (TOST, Schuirmann 1987) at level (1 - ci)/2 each (2.5% for a 95% interval:
  conservative for a 5% TOST, which would use the 90% interval); *contradicted* when the
  interval excludes zero and reaches beyond the margin; *inconclusive* otherwise.

An interval that includes zero is never *supported*: absence of evidence is not evidence of
absence, and only the margin can turn a small interval around zero into a finding
("equivalent"). Missing intervals give *no interval*; estimates on different instruments give
*not comparable*; a claim that needs a null model that is not there gives *not judged*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
EQUIVALENT = "equivalent"
INCONCLUSIVE = "inconclusive"
NO_INTERVAL = "no interval"
NOT_COMPARABLE = "not comparable"
NOT_JUDGED = "not judged"
VERDICTS = (
    SUPPORTED, CONTRADICTED, EQUIVALENT, INCONCLUSIVE, NO_INTERVAL, NOT_COMPARABLE, NOT_JUDGED,
)  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """A verdict and the finding in words."""

    verdict: str
    reason: str


def has_interval(lo: float, hi: float) -> bool:
    """Whether both ends of an interval are finite numbers."""
    try:
        return math.isfinite(float(lo)) and math.isfinite(float(hi))
    except (TypeError, ValueError):
        return False


def within_margin(lo: float, hi: float, margin: float) -> bool:
    """TOST at level (1 - ci)/2 per side: the whole interval lies inside (-margin, margin)."""
    return has_interval(lo, hi) and -margin < lo and hi < margin


def margin_text(margin: float) -> str:
    """ "±0.1" (the margin as the reports print it)."""
    return f"±{margin:g}"


def judge_direction(lo: float, hi: float, margin: float, below: bool = True) -> Verdict:
    """Verdict on "the quantity is below zero" (``below``) or "above zero".

    Supported only when the whole interval lies on the claimed side of zero.
    """
    if not has_interval(lo, hi):
        return Verdict(NO_INTERVAL, "no interval (too few documents): cannot tell")
    claimed = hi < 0 if below else lo > 0
    opposite = lo > 0 if below else hi < 0
    side, other = ("below", "above") if below else ("above", "below")
    if claimed:
        reason = f"supported: the whole interval is {side} zero"
        if within_margin(lo, hi, margin):
            reason += f", though within the equivalence margin {margin_text(margin)}"
        return Verdict(SUPPORTED, reason)
    if opposite:
        return Verdict(CONTRADICTED, f"contradicted: the whole interval is {other} zero")
    if within_margin(lo, hi, margin):
        return Verdict(EQUIVALENT, f"equivalent to zero within {margin_text(margin)}: the "
                       "interval includes zero and lies inside the margin")  # fmt: skip
    return Verdict(INCONCLUSIVE, "inconclusive: the interval includes zero and reaches beyond "
                   f"the margin {margin_text(margin)}")  # fmt: skip


def judge_no_difference(lo: float, hi: float, margin: float) -> Verdict:
    """Verdict on "no difference": equivalent (TOST), contradicted, or inconclusive."""
    if not has_interval(lo, hi):
        return Verdict(NO_INTERVAL, "no interval (too few documents): cannot tell")
    if within_margin(lo, hi, margin):
        extra = " (it excludes zero: a difference smaller than the margin)" if (
            lo > 0 or hi < 0) else ""  # fmt: skip
        return Verdict(EQUIVALENT, f"equivalent within {margin_text(margin)}: the whole "
                       f"interval lies inside the margin{extra}")  # fmt: skip
    if lo > 0 or hi < 0:
        return Verdict(CONTRADICTED, "contradicted: the interval excludes zero (a difference)")
    return Verdict(INCONCLUSIVE, "inconclusive: the interval includes zero but reaches beyond "
                   f"the margin {margin_text(margin)}, so neither a difference nor equivalence "
                   "is shown")  # fmt: skip
