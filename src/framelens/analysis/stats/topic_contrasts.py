"""Topic prevalence contrasts between groups and shares of grouped topics (table
``topic_contrasts``), from the method-of-composition draws of ``framelens.models.prevalence``.

- **Topic groups.** Seeded topics carry the name of their theme (``models.seeds.THEMES``), and
  themes belong to frames (``THEME_GROUPS``): humanitarian themes (child protection and
  reception, asylum and refuge), security themes (enforcement and detention, border and
  externalization), cooperation themes (diplomacy, root causes and development). A group's
  share of a topic group is the sum of its topics' shares; per replicate, the sum of their
  replicates (the draws of one group are joint over topics). ``humanitarian - security themes``
  is the difference of the two shares within a group, the topic analogue of the framing index.
- **Differences.** Consecutive administrations with documents within a country and language
  (topics are fitted per language): later minus earlier, for every topic and topic group. The
  estimate is the difference of the exact means; the interval is the percentile interval of
  the differences of the paired replicates (replicate b of both groups comes from one refit:
  stm's ``estimateEffect`` contrast within one draw of the topic proportions).

Intervals are percentile intervals of the draws (``core.resampling.percentile_interval``).
Unseeded models have no theme labels: only single-topic differences are reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.domain import ADMINISTRATION_ORDER, UNKNOWN, group_sort_key
from framelens.core.resampling import percentile_interval
from framelens.schemas import columns_of, validate

#: Frame of each seeded theme (``models.seeds.THEMES``): the topic groups.
THEME_GROUPS: dict[str, tuple[str, ...]] = {
    "humanitarian": ("child_protection_reception", "asylum_refuge"),
    "security": ("enforcement_detention", "border_externalization"),
    "cooperation": ("cooperation_diplomacy", "root_causes_development"),
}
#: The within-group difference of two topic groups reported beside their shares.
BALANCE = ("humanitarian", "security")
TOPIC_CONTRASTS_COLUMNS = columns_of("topic_contrasts")
CI_METHOD = "method of composition, percentile (refits paired across groups)"

GroupKey = tuple[str, str, str]


def topic_contrasts(
    prevalence: pd.DataFrame,
    draws: Mapping[GroupKey, np.ndarray],
    *,
    ci: float = 0.95,
    min_n: int = 5,
    theme_groups: Mapping[str, Sequence[str]] = THEME_GROUPS,
) -> pd.DataFrame:
    """Shares of grouped topics per group and differences between administrations.

    Parameters
    ----------
    prevalence : DataFrame
        The ``topic_prevalence`` table (country, administration, language, topic, label, mean,
        n_docs, comparable, ...).
    draws : mapping
        (country, administration, language) -> (B, k) replicates of the group's topic shares
        (``TopicResults.prevalence_draws``; columns in topic order).
    ci : float, default 0.95
        Interval level.
    min_n : int, default 5
        Rows whose group(s) have fewer documents are flagged ``small_n``.
    theme_groups : mapping of str to labels, default ``THEME_GROUPS``
        Topic groups: name -> topic labels (themes). Labels absent from a language's model
        are skipped; a group with none of its labels gives no row.

    Returns
    -------
    DataFrame
        Table ``topic_contrasts``: share rows (each group x topic group, then the
        humanitarian - security balance), then difference rows (each pair of consecutive
        administrations x topic group and topic), in group order.

    Examples
    --------
    >>> res = fit_topics(sentences, documents, TopicsConfig(k=8), seed=1)  # doctest: +SKIP
    >>> topic_contrasts(res.topic_prevalence, res.prevalence_draws)  # doctest: +SKIP
    """
    rows: list[dict[str, Any]] = []
    groups = _groups(prevalence, draws)
    for g in groups:
        rows += _share_rows(g, theme_groups, ci, min_n)
    for a, b, note in _consecutive(groups):
        rows += _difference_rows(a, b, note, theme_groups, ci, min_n)
    table = pd.DataFrame(rows, columns=TOPIC_CONTRASTS_COLUMNS)
    return validate(table.astype({"topic": "Int64", "n_a": "Int64", "n_b": "Int64"}),
                    "topic_contrasts")  # fmt: skip


def _groups(prevalence: pd.DataFrame, draws: Mapping[GroupKey, np.ndarray]) -> list[dict]:
    """Per group with draws, in group order: key, labels, means (topic order), n_docs."""
    out = []
    for key, sub in prevalence.groupby(["country", "administration", "language"], sort=False):
        key = tuple(str(k) for k in key)
        if key not in draws:
            continue
        sub = sub.sort_values("topic", kind="stable")
        out.append({"key": key, "labels": sub["label"].astype(str).tolist(),
                    "topics": sub["topic"].astype(int).tolist(),
                    "mean": sub["mean"].to_numpy(dtype=float), "draws": np.asarray(draws[key]),
                    "n_docs": int(sub["n_docs"].iloc[0]),
                    "comparable": key[1] != UNKNOWN and key[0] != UNKNOWN})  # fmt: skip
    return sorted(out, key=lambda g: (*group_sort_key(g["key"][0], g["key"][1]), g["key"][2]))


def _members(labels: list[str], theme_groups: Mapping[str, Sequence[str]]) -> dict[str, list]:
    """Topic group name -> positions of its topics among ``labels`` (groups with none left out)."""
    out = {}
    for name, themes in theme_groups.items():
        pos = [i for i, label in enumerate(labels) if label in set(themes)]
        if pos:
            out[name] = pos
    return out


def _interval(x: np.ndarray, ci: float) -> tuple[float, float]:
    lo, hi = percentile_interval(x, ci)
    return float(lo), float(hi)


def _row(kind: str, key: GroupKey, label: str, members: str, estimate: float, x: np.ndarray,
         ci: float, **extra: Any) -> dict[str, Any]:  # fmt: skip
    lo, hi = _interval(x, ci)
    row = {"kind": kind, "country": key[0], "language": key[2], "administration": None,
           "group_a": None, "group_b": None, "contrast": None, "topic": pd.NA, "label": label,
           "members": members, "estimate": float(estimate), "ci_low": lo, "ci_high": hi,
           "ci_level": ci, "ci_method": CI_METHOD, "n_boot": int(len(x)), "n_a": pd.NA,
           "n_b": pd.NA, "note": None}  # fmt: skip
    row.update(extra)
    return row


def _topic_sets(g: dict, theme_groups) -> list[tuple[str, str, float, np.ndarray]]:
    """A group's topic groups and the humanitarian - security balance: (label, members,
    estimate, draws) each, in ``theme_groups`` order."""
    members = _members(g["labels"], theme_groups)
    sets = []
    for name, pos in members.items():
        sets.append((f"{name} themes", _names(g, pos), float(g["mean"][pos].sum()),
                     g["draws"][:, pos].sum(axis=1)))  # fmt: skip
    first, second = BALANCE
    if first in members and second in members:
        sa, sb = sets[list(members).index(first)], sets[list(members).index(second)]
        sets.append((f"{first} - {second} themes", f"{sa[1]} minus {sb[1]}", sa[2] - sb[2],
                     sa[3] - sb[3]))  # fmt: skip
    return sets


def _share_rows(g: dict, theme_groups, ci: float, min_n: int) -> list[dict]:
    """A group's share of each topic group, and the humanitarian - security balance."""
    extra = {"administration": g["key"][1], "n_docs": g["n_docs"],
             "small_n": g["n_docs"] < min_n, "comparable": g["comparable"]}  # fmt: skip
    return [_row("share", g["key"], label, members, est, x, ci, **extra)
            for label, members, est, x in _topic_sets(g, theme_groups)]  # fmt: skip


def _names(g: dict, pos: list[int]) -> str:
    return "; ".join(g["labels"][i] for i in pos)


def _consecutive(groups: list[dict]) -> list[tuple[dict, dict, str | None]]:
    """Pairs of consecutive administrations (with draws) within country and language."""
    pairs = []
    by_stratum: dict[tuple[str, str], list[dict]] = {}
    for g in groups:
        country, admin, lang = g["key"]
        if g["comparable"]:
            by_stratum.setdefault((country, lang), []).append(g)
    for (country, _lang), seq in by_stratum.items():
        order = ADMINISTRATION_ORDER.get(country, [])
        for a, b in zip(seq, seq[1:], strict=False):
            note = None
            ia, ib = (order.index(x["key"][1]) if x["key"][1] in order else -1 for x in (a, b))
            if ia >= 0 and ib - ia > 1:
                note = (
                    f"not consecutive in office: no documents from {', '.join(order[ia + 1 : ib])}"
                )
            pairs.append((a, b, note))
    return pairs


def _difference_rows(a: dict, b: dict, note: str | None, theme_groups, ci: float,
                     min_n: int) -> list[dict]:  # fmt: skip
    """Later minus earlier administration: every topic group, the balance, every topic."""
    admin_a, admin_b = a["key"][1], b["key"][1]
    extra = {"group_a": admin_a, "group_b": admin_b, "contrast": f"{admin_b} - {admin_a}",
             "n_docs": a["n_docs"] + b["n_docs"], "n_a": a["n_docs"], "n_b": b["n_docs"],
             "small_n": min(a["n_docs"], b["n_docs"]) < min_n, "comparable": True,
             "note": note}  # fmt: skip
    rows = []
    for (label, members, est_a, x_a), (_l, _m, est_b, x_b) in zip(
        _topic_sets(a, theme_groups), _topic_sets(b, theme_groups), strict=True
    ):
        rows.append(_row("difference", b["key"], label, members, est_b - est_a, x_b - x_a, ci,
                         **extra))  # fmt: skip
    d = b["draws"] - a["draws"]
    for i, topic in enumerate(a["topics"]):
        rows.append(_row("difference", b["key"], a["labels"][i], a["labels"][i],
                         b["mean"][i] - a["mean"][i], d[:, i], ci, topic=topic, **extra))  # fmt: skip
    return rows
