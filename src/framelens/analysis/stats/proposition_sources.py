"""The rows the propositions read, from tables of more than one layout.

- ``adjusted_lookup``: the framing-index rows of ``frame_differences_adjusted`` by contrast and
  estimator;
- ``cooccurrence_groups``: per group the share of humanitarian hits inside security sentences
  and, when the table carries the null model (``hum_in_sec_oe``, ``hum_in_sec_oe_ci_low``,
  ``hum_in_sec_oe_ci_high`` and the same for ``sec_in_hum_``), observed/expected; from the long
  layout (one row per measure, ``mean``/``ci_low``/``ci_high``) or the wide one (one row per
  group, ``hum_in_sec_share``/``hum_in_sec_share_ci_low``/...);
- ``prevalence_rows``: the between-country corrected differences of
  ``frame_prevalence_differences`` (subset "relevant" when present, else "all").
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from framelens.core.domain import sort_groups
from framelens.core.formatting import as_float

_NAN = float("nan")


def adjusted_lookup(adjusted: pd.DataFrame | None) -> dict[tuple, dict[str, dict]]:
    """(comparison, country, group_a, group_b) -> estimator -> row, framing index only."""
    if adjusted is None or adjusted.empty:
        return {}
    out: dict[tuple, dict[str, dict]] = {}
    rows = adjusted[(adjusted["measure"] == "framing_index") & (adjusted["estimator"] != "genre")]
    for r in rows.to_dict(orient="records"):
        key = (r["comparison"], r["country"], r["group_a"], r["group_b"])
        out.setdefault(key, {})[r["estimator"]] = r
    return out


def _triple(r: dict, prefix: str) -> tuple[float, float, float] | None:
    """(value, ci_low, ci_high) of ``<prefix>``, ``<prefix>_ci_low``, ``<prefix>_ci_high``."""
    if prefix not in r or f"{prefix}_ci_low" not in r:
        return None
    value = as_float(r[prefix])
    if not math.isfinite(value):
        return None
    return value, as_float(r[f"{prefix}_ci_low"]), as_float(r[f"{prefix}_ci_high"])


def _wide(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for r in sort_groups(df).to_dict(orient="records"):
        share = _triple(r, "hum_in_sec_share") or (_NAN, _NAN, _NAN)
        n = r.get("hum_in_sec_n_docs", r.get("n_docs", 0))
        out.append({
            "country": r["country"], "administration": r["administration"], "n": n,
            "small_n": bool(r.get("small_n", False)), "share": share[0], "share_lo": share[1],
            "share_hi": share[2], "oe": _triple(r, "hum_in_sec_oe"),
            "reverse_oe": _triple(r, "sec_in_hum_oe"),
        })  # fmt: skip
    return out


def _long(df: pd.DataFrame) -> list[dict[str, Any]]:
    shares = sort_groups(df[df["measure"] == "hum_in_sec_share"])
    out = []
    for r in shares.to_dict(orient="records"):
        same = df[(df["country"] == r["country"]) & (df["administration"] == r["administration"])]
        oe = rev = None
        for other in same.to_dict(orient="records"):  # null-model columns on any of the rows
            oe = oe or _triple(other, "hum_in_sec_oe")
            rev = rev or _triple(other, "sec_in_hum_oe")
        out.append({
            "country": r["country"], "administration": r["administration"], "n": r["n_docs"],
            "small_n": bool(r.get("small_n", False)), "share": as_float(r["mean"]),
            "share_lo": as_float(r["ci_low"]), "share_hi": as_float(r["ci_high"]), "oe": oe,
            "reverse_oe": rev,
        })  # fmt: skip
    return out


def cooccurrence_groups(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Per comparable group of ``cooccurrence_by_group``: n, small_n, the hum_in_sec share with
    its interval, and (value, lo, hi) of observed/expected and of the reverse direction's
    observed/expected (None without a null model)."""
    if "measure" in df.columns:
        return _long(df)
    return _wide(df)


def _split(label: str) -> tuple[str, str]:
    """Country and administration of a prevalence group label "US | en | Biden"."""
    parts = [p.strip() for p in str(label).split("|")]
    return parts[0], parts[-1]


def _n_documents(prevalence: pd.DataFrame | None, label: str, subset: str, frame: str) -> float:
    if prevalence is None or "n_documents" not in prevalence.columns:
        return _NAN
    keys = [c for c in ("country", "language", "administration") if c in prevalence.columns]
    labels = prevalence[keys].astype(str).agg(" | ".join, axis=1)
    hit = prevalence[(labels == label) & (prevalence["subset"] == subset)
                     & (prevalence["frame"] == frame)]  # fmt: skip
    return as_float(hit["n_documents"].iloc[0]) if len(hit) else _NAN


def prevalence_rows(
    differences: pd.DataFrame, prevalence: pd.DataFrame | None
) -> list[dict[str, Any]]:
    """The corrected between-country differences (b - a: Mexico - United States), one subset.

    Each row: label, measure, difference, ci_low, ci_high, n, n_b (documents of the two groups
    when ``prevalence`` is given), unstable, and the two groups' (country, administration).
    """
    d = differences[(differences["contrast"] == "between_countries")
                    & (differences["estimator"] == "corrected")]  # fmt: skip
    if d.empty:
        return []
    subset = "relevant" if (d["subset"] == "relevant").any() else str(d["subset"].iloc[0])
    out = []
    for r in d[d["subset"] == subset].to_dict(orient="records"):
        a, b = _split(r["group_a"]), _split(r["group_b"])
        out.append({
            "label": f"{b[0]} {b[1]} − {a[0]} {a[1]} · {r['frame']} ({subset} sentences, "
                     "corrected prevalence)",
            "measure": f"corrected_prevalence_{r['frame']}",
            "difference": as_float(r["difference"]), "ci_low": as_float(r["ci_low"]),
            "ci_high": as_float(r["ci_high"]),
            "n": _n_documents(prevalence, r["group_a"], subset, r["frame"]),
            "n_b": _n_documents(prevalence, r["group_b"], subset, r["frame"]),
            "unstable": bool(r.get("unstable", False)), "group_a": a, "group_b": b,
        })  # fmt: skip
    return out
