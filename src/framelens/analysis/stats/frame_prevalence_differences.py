"""Differences of frame prevalence between groups, naive and corrected, with intervals.

Contrasts (``docs/measurement.md``):

- ``within_country``: consecutive administrations of one country (all other grouping columns
  equal), naive and corrected: is the frame more or less common under the later one?
- ``between_countries``: groups of two countries whose administrations overlap in time (all
  other grouping columns but language equal), on corrected shares only: the two countries'
  instruments differ (language), so a difference of naive shares mixes framing with
  instrument error.

Replicates of a difference are differences of the groups' replicates (groups are resampled
independently: their documents, and their coded units, which lie in different strata). The
reading is "inconclusive" when the percentile interval includes 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelens.analysis.stats.frame_prevalence_resampling import percentile_interval
from framelens.core.domain import ADMINISTRATIONS, UNKNOWN, administration_rank, country_rank

_FAR = dt.date(9999, 12, 31)


def group_label(values: Sequence[str]) -> str:
    """Label of a group: its values joined by " | " ("US | en | Biden")."""
    return " | ".join(str(v) for v in values)


def term(country: str, administration: str) -> tuple[dt.date, dt.date] | None:
    """First day in office and first day of the successor (or far future), or None if unknown."""
    spans = ADMINISTRATIONS.get(country, [])
    for k, (start, name) in enumerate(spans):
        if name == administration:
            end = spans[k + 1][0] if k + 1 < len(spans) else _FAR
            return start, end
    return None


def _overlap(a: tuple, b: tuple, cols: list[str]) -> bool:
    if "administration" not in cols:
        return True
    i, j = cols.index("administration"), cols.index("country")
    ta, tb = term(a[j], a[i]), term(b[j], b[i])
    return ta is not None and tb is not None and ta[0] < tb[1] and tb[0] < ta[1]


def contrast_pairs(groups: list[tuple], cols: list[str]) -> list[tuple[str, tuple, tuple]]:
    """The (contrast, group_a, group_b) pairs to compare, in group order."""
    pairs: list[tuple[str, tuple, tuple]] = []
    if "administration" in cols:
        i = cols.index("administration")
        country = cols.index("country") if "country" in cols else None
        rest = [k for k in range(len(cols)) if k != i]
        known = [g for g in groups if g[i] != UNKNOWN and not str(g[i]).startswith("before ")]
        by_rest: dict[tuple, list[tuple]] = {}
        for g in known:
            by_rest.setdefault(tuple(g[k] for k in rest), []).append(g)
        for members in by_rest.values():
            members = sorted(
                members,
                key=lambda g: administration_rank(g[country] if country is not None else "", g[i]),
            )
            pairs += [("within_country", a, b) for a, b in zip(members, members[1:], strict=False)]
    if "country" in cols:
        j = cols.index("country")
        skip = {j} | {cols.index(c) for c in ("language", "administration") if c in cols}
        for a in groups:
            for b in groups:
                if country_rank(a[j]) >= country_rank(b[j]) or a[j] == b[j]:
                    continue
                same = all(a[k] == b[k] for k in range(len(cols)) if k not in skip)
                if same and _overlap(a, b, cols):
                    pairs.append(("between_countries", a, b))
    return pairs


def _reading(lo: float, hi: float) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "not estimable"
    if lo > 0:
        return "higher"
    if hi < 0:
        return "lower"
    return "inconclusive"


def difference_rows(
    pairs: list[tuple[str, tuple, tuple]],
    estimates: dict[tuple, dict],
    subsets: Sequence[str],
    frames: Sequence[str],
    instruments: dict[tuple, str],
    level: float,
) -> pd.DataFrame:
    """Rows of ``frame_prevalence_differences`` for the given pairs.

    ``estimates[group]`` holds, per estimator ("naive", "corrected"), arrays ``point`` (S, F)
    and ``draws`` (B, S, F), and ``unstable`` (S, F) bool; ``instruments[group]`` its
    instrument label (a pair of different instruments is labelled "a / b").
    """
    rows = []
    for contrast, a, b in pairs:
        ea, eb = estimates[a], estimates[b]
        ia, ib = instruments[a], instruments[b]
        instrument = ia if ia == ib else f"{ia} / {ib}"
        estimators = ("corrected",) if contrast == "between_countries" else ("naive", "corrected")
        for s, subset in enumerate(subsets):
            for k, frame in enumerate(frames):
                unstable = bool(ea["unstable"][s, k] or eb["unstable"][s, k])
                for est in estimators:
                    pa_, pb = ea[est]["point"][s, k], eb[est]["point"][s, k]
                    diff = pb - pa_
                    lo, hi = percentile_interval(
                        eb[est]["draws"][:, s, k] - ea[est]["draws"][:, s, k], level
                    )
                    if not np.isfinite(diff):
                        lo = hi = float("nan")
                    reading = _reading(lo, hi)
                    note = []
                    if reading == "not estimable":
                        note.append("a group has no estimate")
                    elif est == "corrected" and unstable:
                        note.append("a group has too few coded units for a stable correction")
                    rows.append(
                        {
                            "contrast": contrast,
                            "group_a": group_label(a),
                            "group_b": group_label(b),
                            "subset": subset,
                            "frame": frame,
                            "instrument": instrument,
                            "estimator": est,
                            "share_a": pa_,
                            "share_b": pb,
                            "difference": diff,
                            "ci_low": lo,
                            "ci_high": hi,
                            "inconclusive": reading in ("inconclusive", "not estimable"),
                            "unstable": unstable if est == "corrected" else False,
                            "reading": reading,
                            "ci_level": level,
                            "note": "; ".join(note),
                        }
                    )
    return pd.DataFrame(
        rows,
        columns=[
            "contrast",
            "group_a",
            "group_b",
            "subset",
            "frame",
            "instrument",
            "estimator",
            "share_a",
            "share_b",
            "difference",
            "ci_low",
            "ci_high",
            "inconclusive",
            "unstable",
            "reading",
            "ci_level",
            "note",
        ],
    )
