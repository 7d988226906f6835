"""The HTML report of a run: one self-contained page rebuilt from the run's tables and run.json.

``render_report(out_dir)`` reads only ``<out_dir>/tables/*`` and ``<out_dir>/run.json`` and
writes ``<out_dir>/report/index.html``, so ``framelens report --out DIR`` re-renders it without
recomputing anything. The page is self-contained: CSS inline, figures embedded as base64 PNG
(drawn from the tables by ``framelens.outputs.figures``), no scripts, no external requests (a
Content-Security-Policy forbids both). Jinja2 autoescaping is on, so document-derived text
(titles, paths, error messages, actor names, topic labels) is always escaped.

Every number in the page comes from a table or from run.json; the report only formats, counts
rows and compares interval bounds with zero. Optional tables that are missing (no topic model,
no gold sentences) are stated in a sentence.

run.json keys read (all optional): framelens_version, git_commit, corpus, corpus_hash, seed,
config (RunConfig.to_dict()), lexicon_version, lexicon_gold, topics (dict: engine, k, ...),
n_documents, n_ok, n_quarantined, quarantine, stage_errors, packages, timestamps, timings.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.domain import ADMINISTRATION_ORDER, ADMINISTRATIONS, UNKNOWN
from framelens.core.io import atomic_write_text, read_table

log = logging.getLogger("framelens")

__all__ = ["PROPOSITION_WINDOW", "build_context", "propositions", "render_report"]

#: The seed study's claim concerns 2019-2025: administrations in office during this window
#: enter proposition P3.
PROPOSITION_WINDOW = (dt.date(2019, 1, 1), dt.date(2025, 12, 31))
TEMPLATES = Path(__file__).resolve().parent / "templates"
F1_TARGET = 0.80
COUNTRY_NAMES = {"US": "United States", "MX": "Mexico"}


# ============================================================================ formatting
def _f(x: Any) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return v


def num(x: Any, digits: int = 3) -> str:
    """A number as text with ``digits`` decimals; "n/a" when missing."""
    v = _f(x)
    return "n/a" if not math.isfinite(v) else f"{v:.{digits}f}"


def pct(x: Any, digits: int = 1) -> str:
    v = _f(x)
    return "n/a" if not math.isfinite(v) else f"{100 * v:.{digits}f}%"


def ci_text(lo: Any, hi: Any, digits: int = 3, percent: bool = False) -> str:
    lo_v, hi_v = _f(lo), _f(hi)
    if not (math.isfinite(lo_v) and math.isfinite(hi_v)):
        return "no interval"
    if percent:
        return f"[{pct(lo_v)}, {pct(hi_v)}]"
    return f"[{lo_v:.{digits}f}, {hi_v:.{digits}f}]"


def pval(p: Any) -> str:
    v = _f(p)
    if not math.isfinite(v):
        return "n/a"
    return "< 0.001" if v < 0.001 else f"{v:.3f}"


def p_is(p: Any) -> str:
    """ "p = 0.012", "p < 0.001" or "p n/a"."""
    text = pval(p)
    return f"p {text}" if text.startswith("<") or text == "n/a" else f"p = {text}"


def _int(x: Any) -> str:
    v = _f(x)
    return "n/a" if not math.isfinite(v) else str(int(v))


def _admin_rank(country: str, admin: str) -> tuple[int, str]:
    order = ADMINISTRATION_ORDER.get(country, [])
    return (order.index(admin) if admin in order else (99 if admin == UNKNOWN else 50), admin)


def _country_rank(country: str) -> tuple[int, str]:
    order = list(ADMINISTRATIONS)
    return (order.index(country) if country in order else 9, str(country))


def _sort_groups(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    key = [
        (_country_rank(c), _admin_rank(c, a))
        for c, a in zip(df["country"], df["administration"], strict=True)
    ]
    return df.assign(_k=key).sort_values("_k", kind="stable").drop(columns="_k")


def _bool(x: Any) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    try:
        return bool(x) and not (isinstance(x, float) and math.isnan(x))
    except (TypeError, ValueError):
        return False


# ============================================================================ loading
def _load(tables_dir: Path, name: str) -> pd.DataFrame | None:
    if not ((tables_dir / f"{name}.parquet").exists() or (tables_dir / f"{name}.csv").exists()):
        return None
    try:
        if name == "documents" and (tables_dir / "documents.parquet").exists():
            import pyarrow.parquet as pq

            cols = [
                c for c in pq.read_schema(tables_dir / "documents.parquet").names if c != "text"
            ]
            return pd.read_parquet(tables_dir / "documents.parquet", columns=cols)
        return read_table(tables_dir, name)
    except Exception as exc:  # an unreadable table is reported, not fatal
        log.warning("report: table %s could not be read: %s", name, exc)
        return None


def _run_record(out_dir: Path) -> dict[str, Any]:
    path = out_dir / "run.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("report: run.json could not be read: %s", exc)
        return {}


def _table(columns: list[str], rows: list[list[str]], classes: list[str] | None = None) -> dict:
    return {"columns": columns, "rows": rows, "classes": classes or [""] * len(rows)}


# ============================================================================ sections
def _corpus_section(docs: pd.DataFrame | None, quarantine: pd.DataFrame | None, run: dict) -> dict:
    out: dict[str, Any] = {"available": docs is not None}
    if docs is not None and len(docs):
        d = docs.copy()
        for c in ("country", "administration", "format", "status"):
            if c not in d:
                d[c] = None
        d["country"] = d["country"].fillna("unknown").astype(str)
        d["administration"] = d["administration"].fillna(UNKNOWN).astype(str)
        d["format"] = d["format"].fillna("other").astype(str)
        ok = d[d["status"] == "ok"]
        formats = sorted(d["format"].unique())
        keys = sorted(
            {(c, a) for c, a in zip(d["country"], d["administration"], strict=True)},
            key=lambda k: (_country_rank(k[0]), _admin_rank(k[0], k[1])),
        )
        rows = []
        for c, a in keys:
            sel = ok[(ok["country"] == c) & (ok["administration"] == a)]
            bad = d[(d["country"] == c) & (d["administration"] == a) & (d["status"] != "ok")]
            counts = [str(int((sel["format"] == f).sum())) for f in formats]
            rows.append([c, a, *counts, str(len(sel)), str(len(bad))])
        totals = [str(int((ok["format"] == f).sum())) for f in formats]
        rows.append(["all", "", *totals, str(len(ok)), str(int((d["status"] != "ok").sum()))])
        out["table"] = _table(
            [
                "Country",
                "Administration",
                *[f"{f.upper()} (read)" for f in formats],
                "Read",
                "Quarantined",
            ],  # fmt: skip
            rows,
            [""] * (len(rows) - 1) + ["total"],
        )
        out["n_documents"] = len(d)
        out["n_ok"] = len(ok)
        out["n_unknown"] = int((ok["administration"] == UNKNOWN).sum())
    else:
        out["n_documents"] = run.get("n_documents")
        out["n_ok"] = run.get("n_ok")
        out["n_unknown"] = None
    q = quarantine
    if q is None and run.get("quarantine"):
        q = pd.DataFrame(run["quarantine"])
    if q is not None and len(q):
        q = q.sort_values([c for c in ("path", "doc_id") if c in q.columns], kind="stable")
        out["quarantine"] = _table(
            ["File", "Status", "Reason"],
            [
                [
                    str(r.get("path", r.get("doc_id", ""))),
                    str(r.get("status", "")),
                    str(r.get("error", "")),
                ]
                for r in q.to_dict(orient="records")
            ],  # fmt: skip
        )
    out["n_quarantined"] = 0 if q is None else len(q)
    return out


def _methods_section(run: dict, validation: pd.DataFrame | None, topics_available: bool) -> dict:
    cfg = run.get("config") or {}
    pre = cfg.get("preprocess") or {}
    lex = cfg.get("lexicon") or {}
    top = cfg.get("topics") or {}
    cmp_ = cfg.get("compare") or {}
    topics_info = run.get("topics") if isinstance(run.get("topics"), dict) else {}
    m: dict[str, Any] = {
        "seed": run.get("seed", cfg.get("seed")),
        "preprocess": {
            "models": ", ".join(f"{k}: {v}" for k, v in sorted((pre.get("models") or {}).items()))
            or "n/a",
            "use_trained": pre.get("use_trained"),
            "used": ", ".join(
                f"{k}: {v}" for k, v in sorted((run.get("spacy_pipelines") or {}).items())
            ),
            "max_sentence_chars": pre.get("max_sentence_chars"),
            "drop_stopwords": pre.get("drop_stopwords_in_lemmas"),
        },
        "lexicon": {
            "version": run.get("lexicon_version") or lex.get("version", "n/a"),
            "negation_window": lex.get("negation_window"),
            "count_negated": lex.get("count_negated"),
            "gold": run.get("lexicon_gold"),
        },
        "topics": {
            "enabled": top.get("enabled", True) and topics_available,
            "engine": topics_info.get("engine", top.get("engine")),
            "k": topics_info.get("k", top.get("k")),
            "seeded": topics_info.get("seeded", top.get("seeded")),
            "n_seeds": top.get("n_seeds"),
            "n_boot": top.get("n_boot"),
        },
        "compare": {
            "n_boot": cmp_.get("n_boot"),
            "n_perm": cmp_.get("n_perm"),
            "min_n": cmp_.get("min_n"),
            "cluster": cmp_.get("cluster"),
            "weighting": cmp_.get("weighting"),
            "ci": pct(cmp_.get("ci"), 0) if cmp_.get("ci") is not None else "95%",
            "time_freq": cmp_.get("time_freq"),
        },
    }
    if validation is not None and len(validation):
        v = validation.sort_values(["language", "frame"], kind="stable")
        rows = []
        classes = []
        for r in v.to_dict(orient="records"):
            f1 = _f(r.get("f1"))
            rows.append(
                [
                    str(r.get("language")),
                    str(r.get("frame")),
                    _int(r.get("n")),
                    _int(r.get("n_positive")),
                    f"{num(r.get('precision'), 2)} {ci_text(r.get('precision_low'), r.get('precision_high'), 2)}",
                    f"{num(r.get('recall'), 2)} {ci_text(r.get('recall_low'), r.get('recall_high'), 2)}",
                    f"{num(f1, 2)} {ci_text(r.get('f1_low'), r.get('f1_high'), 2)}",
                    num(r.get("alpha_lexicon"), 2),
                    num(r.get("alpha_coders"), 2),
                ]  # fmt: skip
            )
            classes.append("flag" if not (math.isfinite(f1) and f1 >= F1_TARGET) else "")
        m["validation"] = _table(
            [
                "Language",
                "Frame",
                "Sentences",
                "Positives",
                "Precision [CI]",
                "Recall [CI]",
                "F1 [CI]",
                "α lexicon–gold",
                "α coders",
            ],  # fmt: skip
            rows,
            classes,
        )
    return m


def _group_table(df: pd.DataFrame, measure: str, percent: bool = False, digits: int = 3) -> dict:
    sub = _sort_groups(df[df["measure"] == measure])
    rows, classes = [], []
    for r in sub.to_dict(orient="records"):
        flags = []
        if not _bool(r.get("compared", True)):
            flags.append("not compared")
        if _bool(r.get("small_n")):
            flags.append(f"n < {_int(r.get('min_n'))}")
        est = pct(r["mean"]) if percent else num(r["mean"], digits)
        rows.append([str(r["country"]), str(r["administration"]), _int(r["n_docs"]),
                     _int(r.get("n_missing")), est,
                     ci_text(r["ci_low"], r["ci_high"], digits, percent),
                     str(r.get("ci_method", "")), ", ".join(flags)])  # fmt: skip
        classes.append("flag" if flags else "")
    return _table(
        [
            "Country",
            "Administration",
            "n",
            "Missing",
            "Estimate",
            "Interval",
            "Interval method",
            "Flags",
        ],  # fmt: skip
        rows,
        classes,
    )


def _difference_table(df: pd.DataFrame, measure: str) -> dict:
    sub = df[df["measure"] == measure]
    rows, classes = [], []
    for r in sub.to_dict(orient="records"):
        flags = []
        if _bool(r.get("small_n")):
            flags.append("small n")
        if isinstance(r.get("note"), str) and r["note"]:
            flags.append(r["note"])
        where = r["country"] if r["comparison"] == "administration" else str(r.get("period") or "")
        rows.append([str(r["comparison"]), str(where), str(r["contrast"]),
                     f"{_int(r['n_a'])} / {_int(r['n_b'])}", num(r["difference"]),
                     ci_text(r["ci_low"], r["ci_high"]), pval(r["p_perm"]), pval(r["p_holm"]),
                     "; ".join(flags)])  # fmt: skip
        classes.append("flag" if _bool(r.get("small_n")) else "")
    return _table(
        [
            "Comparison",
            "Within",
            "Contrast (b − a)",
            "n a / n b",
            "Difference",
            "Interval",
            "p (perm.)",
            "p (Holm)",
            "Notes",
        ],  # fmt: skip
        rows,
        classes,
    )


def _regression_table(df: pd.DataFrame, measure: str) -> dict | None:
    sub = df[df["measure"] == measure]
    if sub.empty:
        return None
    rows = [
        [
            str(r["term"]),
            num(r["coef"]),
            num(r["se"]),
            num(r["t"], 2),
            pval(r["p"]),
            ci_text(r["ci_low"], r["ci_high"]),
        ]  # fmt: skip
        for r in sub.to_dict(orient="records")
    ]
    first = sub.iloc[0]
    t = _table(["Term", "Coefficient", "SE", "t", "p", "Interval"], rows)
    t["meta"] = {
        "n": _int(first["n"]),
        "n_clusters": _int(first.get("n_clusters")),
        "cov_type": str(first["cov_type"]),
        "reference": str(first["reference"]),
        "note": first["note"] if isinstance(first.get("note"), str) else None,
        "weighting": str(first.get("weighting", "")),
    }
    return t


def _actors_table(df: pd.DataFrame, top: int = 15) -> dict:
    d = df[df["compared"].map(_bool)] if "compared" in df else df
    mentions = (
        d.drop_duplicates(["actor", "country", "administration"])
        .groupby("actor")["n_mentions"]
        .sum()
    )
    actors = sorted(mentions.index, key=lambda a: (-mentions[a], a))[:top]
    rows = []
    for actor in actors:
        sub = _sort_groups(d[d["actor"] == actor].drop_duplicates(["country", "administration"]))
        for r in sub.to_dict(orient="records"):
            fr = d[(d["actor"] == actor) & (d["country"] == r["country"])
                   & (d["administration"] == r["administration"])].set_index("frame")  # fmt: skip
            cells = []
            for frame in ("humanitarian", "security", "cooperation"):
                if frame in fr.index:
                    x = fr.loc[frame]
                    cells.append(
                        f"{pct(x['share'])} {ci_text(x['ci_low'], x['ci_high'], percent=True)}"
                    )
                else:
                    cells.append("n/a")
            rows.append([str(actor), str(r["country"]), str(r["administration"]),
                         _int(r["n_mentions"]), _int(r["n_docs"]), *cells])  # fmt: skip
    return _table(
        [
            "Actor",
            "Country",
            "Administration",
            "Mentions",
            "Documents",
            "Humanitarian",
            "Security",
            "Cooperation",
        ],  # fmt: skip
        rows,
    )


def _topic_table(df: pd.DataFrame) -> dict:
    d = df.copy()
    d = _sort_groups(d) if {"country", "administration"} <= set(d.columns) else d
    rows = []
    for r in d.to_dict(orient="records"):
        rows.append([str(r.get("language", "")), str(r.get("country", "")),
                     str(r.get("administration", "")), str(r.get("topic", "")),
                     str(r.get("label", "")), pct(r.get("mean")),
                     ci_text(r.get("ci_low"), r.get("ci_high"), percent=True),
                     _int(r.get("n_docs")), "small n" if _bool(r.get("small_n")) else ""])  # fmt: skip
    return _table(
        [
            "Language",
            "Country",
            "Administration",
            "Topic",
            "Label",
            "Mean share",
            "Interval",
            "n",
            "Flag",
        ],  # fmt: skip
        rows,
    )


# ============================================================================ propositions
def _in_window(country: str, admin: str) -> bool:
    spans = ADMINISTRATIONS.get(country, [])
    for i, (start, name) in enumerate(spans):
        if name == admin:
            end = spans[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(spans) else dt.date.max
            return start <= PROPOSITION_WINDOW[1] and end >= PROPOSITION_WINDOW[0]
    return False


def _sign_verdict(lo: float, hi: float, below: str, above: str, neither: str) -> tuple[str, str]:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "none", "no interval (too few documents): cannot tell"
    if hi < 0:
        return "supports", below
    if lo > 0:
        return "contrary", above
    return "inconclusive", neither


def propositions(
    frame_by_group: pd.DataFrame | None,
    frame_differences: pd.DataFrame | None,
    cooccurrence_by_group: pd.DataFrame | None,
) -> list[dict[str, Any]]:
    """The seed study's hypothesis as testable propositions, with what the tables say.

    P1: security language outweighs humanitarian language in each country and administration
    (framing index below zero: the whole interval below zero supports it, the whole interval
    above zero contradicts it, an interval that includes zero is inconclusive).
    P2: humanitarian language appears inside security sentences (the share of humanitarian hits
    in sentences that also carry security hits, with its interval; compared with the reverse
    share as a conservative check of asymmetry: non-overlapping intervals).
    P3: the pattern held across the 2019-2025 administrations: P1 in each administration in
    office in 2019-2025, and differences between consecutive administrations (interval, Holm p).
    P4 (context): the two countries within the same period (US vs MX differences).

    Returns a list of dicts: id, statement, operationalisation, rows (label, n, estimate,
    interval, verdict, status, caution), summary, available.
    """
    out: list[dict[str, Any]] = []
    # ---------------------------------------------------------------- P1
    p1: dict[str, Any] = {
        "id": "P1",
        "statement": "Security language outweighs humanitarian language in each country and "
        "administration.",
        "operationalisation": "Mean document framing index (H − S)/(H + S) below zero, judged "
        "by its interval: entirely below zero supports the proposition, entirely above zero "
        "contradicts it, an interval that includes zero is no evidence either way.",
        "rows": [],
        "available": frame_by_group is not None,
    }
    statuses: dict[tuple[str, str], str] = {}
    if frame_by_group is not None:
        g = frame_by_group[frame_by_group["measure"] == "framing_index"]
        g = _sort_groups(g[g["compared"].map(_bool)]) if "compared" in g else _sort_groups(g)
        for r in g.to_dict(orient="records"):
            lo, hi = _f(r["ci_low"]), _f(r["ci_high"])
            status, verdict = _sign_verdict(
                lo, hi,
                "supported: the whole interval is below zero (security language outweighs "
                "humanitarian language)",
                "contradicted: the whole interval is above zero (humanitarian language "
                "outweighs security language)",
                "inconclusive: the interval includes zero, no evidence that either frame "
                "predominates",
            )  # fmt: skip
            statuses[(r["country"], r["administration"])] = status
            p1["rows"].append(
                {
                    "label": f"{r['country']} · {r['administration']}",
                    "n": _int(r["n_docs"]),
                    "estimate": num(r["mean"]),
                    "interval": ci_text(lo, hi),
                    "verdict": verdict,
                    "status": status,
                    "caution": f"only {_int(r['n_docs'])} documents: read with caution"
                    if _bool(r.get("small_n"))
                    else "",
                }
            )
        counts = {s: sum(1 for v in statuses.values() if v == s) for s in
                  ("supports", "contrary", "inconclusive", "none")}  # fmt: skip
        p1["summary"] = (
            f"Supported in {counts['supports']} of {len(statuses)} country × administration "
            f"groups; contradicted in {counts['contrary']}; inconclusive in "
            f"{counts['inconclusive']}; no interval in {counts['none']}."
        )
    else:
        p1["summary"] = "The frame_by_group table is not in this run: P1 could not be assessed."
    out.append(p1)
    # ---------------------------------------------------------------- P2
    p2: dict[str, Any] = {
        "id": "P2",
        "statement": "Humanitarian language appears inside security sentences (humanitarian "
        "discourse is embedded in control practice).",
        "operationalisation": "Share of a document's humanitarian hits that sit in sentences "
        "that also carry security hits (hum_in_sec_share), averaged per group with its interval; "
        "for asymmetry, compared with the share of security hits inside humanitarian sentences "
        "(sec_in_hum_share). Non-overlapping intervals are a conservative sign of asymmetry.",
        "rows": [],
        "available": cooccurrence_by_group is not None,
    }
    if cooccurrence_by_group is not None:
        c = cooccurrence_by_group
        c = c[c["compared"].map(_bool)] if "compared" in c else c
        h = _sort_groups(c[c["measure"] == "hum_in_sec_share"])
        s = c[c["measure"] == "sec_in_hum_share"].set_index(["country", "administration"])
        n_present = n_asym = 0
        for r in h.to_dict(orient="records"):
            lo, hi = _f(r["ci_low"]), _f(r["ci_high"])
            if not (math.isfinite(lo) and math.isfinite(hi)):
                status, verdict = "none", "no interval (too few documents): cannot tell"
            elif lo > 0:
                status = "supports"
                n_present += 1
                verdict = (
                    f"present: between {pct(lo)} and {pct(hi)} of humanitarian hits sit in "
                    "sentences that also carry security language"
                )
            else:
                status = "inconclusive"
                verdict = "the interval reaches zero: no clear evidence of humanitarian language "
                verdict += "inside security sentences"
            key = (r["country"], r["administration"])
            reverse = ""
            if key in s.index:
                rs = s.loc[key]
                reverse = f"reverse share {pct(rs['mean'])} {ci_text(rs['ci_low'], rs['ci_high'], percent=True)}"
                if math.isfinite(lo) and _f(rs["ci_high"]) < lo:
                    n_asym += 1
                    verdict += "; more often than security language sits inside humanitarian "
                    verdict += "sentences (intervals do not overlap)"
            p2["rows"].append(
                {
                    "label": f"{r['country']} · {r['administration']}",
                    "n": _int(r["n_docs"]),
                    "estimate": pct(r["mean"]),
                    "interval": ci_text(lo, hi, percent=True),
                    "verdict": verdict,
                    "status": status,
                    "caution": "; ".join(
                        x
                        for x in (
                            reverse,
                            f"only {_int(r['n_docs'])} documents"
                            if _bool(r.get("small_n"))
                            else "",
                        )
                        if x
                    ),
                }
            )
        p2["summary"] = (
            f"Humanitarian language inside security sentences is present (interval above zero) "
            f"in {n_present} of {len(p2['rows'])} groups; the asymmetry (humanitarian inside "
            f"security more than the reverse, non-overlapping intervals) shows in {n_asym}."
        )
    else:
        p2["summary"] = "The co-occurrence table is not in this run: P2 could not be assessed."
    out.append(p2)
    # ---------------------------------------------------------------- P3
    p3: dict[str, Any] = {
        "id": "P3",
        "statement": "The pattern held across the 2019–2025 administrations.",
        "operationalisation": "P1 holds in every administration in office during 2019–2025, "
        "and the framing index of consecutive administrations within a country does not "
        "differ (difference with its interval; permutation p-value, Holm-adjusted over all "
        "differences of the framing index). An interval that includes zero is no evidence "
        "of a change, not evidence of no change.",
        "rows": [],
        "available": frame_differences is not None,
    }
    in_window = {k: v for k, v in statuses.items() if _in_window(*k)}
    held = sum(1 for v in in_window.values() if v == "supports")
    n_changes = 0
    if frame_differences is not None:
        d = frame_differences[
            (frame_differences["measure"] == "framing_index")
            & (frame_differences["comparison"] == "administration")
        ]
        for r in d.to_dict(orient="records"):
            if not (
                _in_window(r["country"], r["group_a"]) and _in_window(r["country"], r["group_b"])
            ):
                continue
            lo, hi = _f(r["ci_low"]), _f(r["ci_high"])
            diff = _f(r["difference"])
            if not (math.isfinite(lo) and math.isfinite(hi)):
                status, verdict = "none", "no interval (too few documents): cannot tell"
            elif lo <= 0 <= hi:
                status = "supports"
                verdict = "the interval includes zero: no evidence of a change"
            else:
                status = "contrary"
                n_changes += 1
                direction = "rose (towards humanitarian language)" if diff > 0 else (
                    "fell (towards security language)")  # fmt: skip
                verdict = f"the index {direction}: the interval excludes zero"
                if _f(r["p_holm"]) >= 0.05:
                    verdict += ", but the Holm-adjusted p-value is not below 0.05"
            p3["rows"].append(
                {
                    "label": f"{r['country']} · {r['contrast']}",
                    "n": f"{_int(r['n_a'])} / {_int(r['n_b'])}",
                    "estimate": num(diff),
                    "interval": ci_text(lo, hi),
                    "verdict": f"{verdict} (permutation {p_is(r['p_perm'])}, Holm "
                    f"{p_is(r['p_holm'])})",
                    "status": status,
                    "caution": "small n" if _bool(r.get("small_n")) else "",
                }
            )
    p3["summary"] = (
        f"Security language outweighed humanitarian language (P1 supported) in {held} of "
        f"{len(in_window)} administrations in office during 2019–2025; "
        f"{n_changes} of {len(p3['rows'])} consecutive-administration differences have an "
        "interval that excludes zero."
    )
    out.append(p3)
    # ---------------------------------------------------------------- P4
    p4: dict[str, Any] = {
        "id": "P4",
        "statement": "Context: the two countries frame migration alike within the same period.",
        "operationalisation": "Difference of the mean framing index, Mexico minus the United "
        "States, among documents dated within each period in which both administrations were "
        "in office (interval, permutation p, Holm p).",
        "rows": [],
        "available": frame_differences is not None,
    }
    if frame_differences is not None:
        d = frame_differences[
            (frame_differences["measure"] == "framing_index")
            & (frame_differences["comparison"] == "country")
        ]
        n_diff = 0
        for r in d.to_dict(orient="records"):
            lo, hi = _f(r["ci_low"]), _f(r["ci_high"])
            if not (math.isfinite(lo) and math.isfinite(hi)):
                status, verdict = "none", "no interval (too few documents): cannot tell"
            elif lo <= 0 <= hi:
                status, verdict = (
                    "supports",
                    "the interval includes zero: no evidence of a difference",
                )
            else:
                n_diff += 1
                status = "contrary"
                verdict = "Mexico's index is " + ("higher" if _f(r["difference"]) > 0 else "lower")
                verdict += " than the United States' (the interval excludes zero)"
                if _f(r["p_holm"]) >= 0.05:
                    verdict += ", but the Holm-adjusted p-value is not below 0.05"
            p4["rows"].append(
                {
                    "label": str(r.get("period") or ""),
                    "n": f"{_int(r['n_a'])} / {_int(r['n_b'])}",
                    "estimate": num(r["difference"]),
                    "interval": ci_text(lo, hi),
                    "verdict": f"{verdict} (Holm {p_is(r['p_holm'])})",
                    "status": status,
                    "caution": "small n" if _bool(r.get("small_n")) else "",
                }
            )
        p4["summary"] = (
            f"{n_diff} of {len(p4['rows'])} joint periods show a US–Mexico difference whose "
            "interval excludes zero."
            if p4["rows"]
            else "No joint period has documents from both countries."
        )
    else:
        p4["summary"] = "The frame_differences table is not in this run."
    out.append(p4)
    return out


# ============================================================================ limitations
def _no_hit_documents(tables: dict[str, pd.DataFrame | None], limit: int = 200) -> dict | None:
    """Documents without any humanitarian or security hit (framing index undefined), with titles.

    They are the first place to look for off-topic documents.
    """
    fs = tables.get("frame_scores")
    if fs is None or fs.empty or "framing_n" not in fs.columns:
        return None
    none = fs[pd.to_numeric(fs["framing_n"], errors="coerce").fillna(0) <= 0]
    if none.empty:
        return None
    docs = tables.get("documents")
    if docs is not None and {"doc_id", "title"} <= set(docs.columns):
        none = none.merge(docs[["doc_id", "title"]], on="doc_id", how="left")
    else:
        none = none.assign(title=None)
    none = none.sort_values("doc_id", kind="stable")
    rows = [
        [
            str(r["doc_id"]),
            str(r.get("country", "")),
            str(r.get("administration", "")),
            str(r.get("doc_type", "")),
            "" if pd.isna(r.get("title")) else str(r["title"]),
            _int(r.get("n_tokens")),
        ]  # fmt: skip
        for r in none.head(limit).to_dict(orient="records")
    ]
    t = _table(["Document", "Country", "Administration", "Type", "Title", "Tokens"], rows)
    t["n"] = len(none)
    t["shown"] = len(rows)
    return t


def _limitations(tables: dict[str, pd.DataFrame | None], corpus: dict, run: dict) -> list[str]:
    items: list[str] = []
    v = tables.get("lexicon_validation")
    if v is None or v.empty:
        items.append(
            "The lexicon was not validated against hand-coded sentences in this run: its frame "
            "counts are unvalidated measurements."
        )
    else:
        low = v[~(pd.to_numeric(v["f1"], errors="coerce") >= F1_TARGET)]
        if len(low):
            parts = [f"{r['frame']} ({r['language']}): F1 {num(r['f1'], 2)} "
                     f"{ci_text(r.get('f1_low'), r.get('f1_high'), 2)}"
                     for r in low.to_dict(orient="records")]  # fmt: skip
            items.append(
                f"Lexicon validation below the F1 target of {F1_TARGET:.2f}: "
                + "; ".join(parts)
                + ". Frame counts for these cells miss or mislabel a noticeable share of "
                "sentences."
            )
        else:
            items.append(
                f"Every frame × language cell reached F1 ≥ {F1_TARGET:.2f} on the gold "
                "sentences; the lower ends of the intervals show how far that can be trusted."
            )
    g = tables.get("frame_by_group")
    if g is not None and len(g):
        fi = g[(g["measure"] == "framing_index")]
        small = _sort_groups(fi[fi["small_n"].map(_bool) & fi["compared"].map(_bool)])
        if len(small):
            items.append(
                "Groups with fewer than "
                f"{_int(small['min_n'].iloc[0])} documents (flagged, kept): "
                + ", ".join(
                    f"{r['country']} {r['administration']} (n={_int(r['n_docs'])})"
                    for r in small.to_dict(orient="records")
                )  # fmt: skip
                + ". Their intervals are wide; below five documents they are percentile "
                "intervals, which tend to be too narrow."
            )
        n_missing = int(pd.to_numeric(fi["n_missing"], errors="coerce").fillna(0).sum())
        n_all = int(pd.to_numeric(fi["n_docs"], errors="coerce").fillna(0).sum()) + n_missing
        if n_missing:
            items.append(
                f"{n_missing} of {n_all} documents carry no humanitarian or security term at all "
                "(framing index undefined, left out of the index comparisons). Many are likely "
                "off-topic (tariffs, sanctions, other laws): the corpus is not filtered by topic."
            )
    n_unknown = corpus.get("n_unknown")
    if n_unknown:
        items.append(
            f"{n_unknown} readable document(s) without a usable date (administration unknown): "
            "shown in the tables, excluded from comparisons and the regression."
        )
    if corpus.get("n_quarantined"):
        items.append(
            f"{corpus['n_quarantined']} files could not be read (quarantined, listed above) and "
            "are not in any measurement."
        )
    r = tables.get("frame_regression")
    if r is not None and len(r):
        notes = sorted({n for n in r["note"].dropna().astype(str) if n})
        for n in notes:
            items.append(f"Regression: {n}.")
    if tables.get("topic_prevalence") is None:
        items.append("No topic model in this run: topic prevalence is not reported.")
    for stage, err in sorted((run.get("stage_errors") or {}).items()):
        items.append(f"Stage {stage} failed in this run: {err}")
    items.append(
        "Lexicon counts measure vocabulary, not stance: a security term quoted in order to "
        "criticise enforcement still counts as security language (negations are recorded, "
        "not removed, unless the configuration says so)."
    )
    return items


# ============================================================================ figures
def _figures(tables: dict[str, pd.DataFrame | None], dpi: int = 110) -> list[dict[str, Any]]:
    from framelens.outputs.figures import FIGURES, figure_png_bytes

    out = []
    for name, (table_name, draw, caption) in FIGURES.items():
        table = tables.get(table_name)
        if table is None:
            out.append({"name": name, "caption": caption, "src": None,
                        "missing": f"Table {table_name} is not in this run."})  # fmt: skip
            continue
        try:
            png = figure_png_bytes(draw(table), dpi=dpi)
        except Exception as exc:  # a broken figure must not lose the report
            log.warning("report: figure %s failed: %s", name, exc)
            out.append({"name": name, "caption": caption, "src": None,
                        "missing": f"The figure could not be drawn ({type(exc).__name__})."})  # fmt: skip
            continue
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        out.append({"name": name, "caption": caption, "src": src, "missing": None})
    return out


# ============================================================================ context + render
TABLE_NAMES = (
    "documents", "quarantine", "frame_by_group", "frame_differences", "frame_regression",
    "frame_timeseries", "cooccurrence_by_group", "actors_by_group", "topic_prevalence",
    "lexicon_validation", "frame_scores",
)  # fmt: skip


def build_context(out_dir: str | os.PathLike, figure_dpi: int = 110) -> dict[str, Any]:
    """Everything the template needs, read from ``<out_dir>/tables`` and ``run.json``."""
    out_dir = Path(out_dir)
    tables_dir = out_dir / "tables"
    run = _run_record(out_dir)
    tables = {name: _load(tables_dir, name) for name in TABLE_NAMES}
    corpus = _corpus_section(tables["documents"], tables["quarantine"], run)
    results: dict[str, Any] = {}
    g = tables["frame_by_group"]
    if g is not None:
        results["framing"] = _group_table(g, "framing_index")
        results["rates"] = {
            m: _group_table(g, m) for m in ("rate_humanitarian", "rate_security", "rate_cooperation")
            if (g["measure"] == m).any()
        }  # fmt: skip
        results["weighting"] = ", ".join(sorted(set(g["weighting"].astype(str))))
    d = tables["frame_differences"]
    if d is not None:
        results["differences"] = _difference_table(d, "framing_index")
    r = tables["frame_regression"]
    if r is not None:
        results["regression"] = _regression_table(r, "framing_index")
    c = tables["cooccurrence_by_group"]
    if c is not None:
        results["cooccurrence"] = _group_table(c, "hum_in_sec_share", percent=True)
        results["cooccurrence_reverse"] = _group_table(c, "sec_in_hum_share", percent=True)
    a = tables["actors_by_group"]
    if a is not None and len(a):
        results["actors"] = _actors_table(a)
    t = tables["topic_prevalence"]
    if t is not None and len(t):
        results["topics"] = _topic_table(t)
    props = propositions(g, d, c)
    provenance = {
        "framelens_version": run.get("framelens_version", "n/a"),
        "git_commit": run.get("git_commit") or "n/a (not a git checkout)",
        "corpus": run.get("corpus", "n/a"),
        "corpus_hash": run.get("corpus_hash", "n/a"),
        "seed": run.get("seed", "n/a"),
        "lexicon_version": run.get("lexicon_version", "n/a"),
        "started": (run.get("timestamps") or {}).get("started", "n/a"),
        "finished": (run.get("timestamps") or {}).get("finished", "n/a"),
        "packages": sorted((run.get("packages") or {}).items()),
        "json": json.dumps(run, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        if run
        else "",
    }
    methods = _methods_section(run, tables["lexicon_validation"], t is not None)
    chosen_path = tables_dir / "topic_selection_chosen.csv"
    if chosen_path.exists():
        chosen = pd.read_csv(chosen_path)
        methods["topics"]["selection"] = chosen[["language", "k", "engine", "reason"]].to_dict(
            orient="records"
        )
        methods["topics"]["k_grid"] = (run.get("config") or {}).get("topics", {}).get("k_grid")
    return {
        "title": "framelens report",
        "run_available": bool(run),
        "corpus": corpus,
        "methods": methods,
        "results": results,
        "figures": _figures(tables, figure_dpi),
        "propositions": props,
        "limitations": _limitations(tables, corpus, run),
        "no_hit_documents": _no_hit_documents(tables),
        "provenance": provenance,
        "missing_tables": [n for n in TABLE_NAMES if tables[n] is None],
    }


def render_report(out_dir: str | os.PathLike, figure_dpi: int = 110) -> Path:
    """Render ``<out_dir>/report/index.html`` from the run's tables and run.json.

    Parameters
    ----------
    out_dir : path
        A run's output folder (with ``tables/`` and ``run.json``).
    figure_dpi : int, default 110
        Resolution of the embedded PNG figures (screen resolution keeps the page small; the
        300 dpi figures for print are under ``figures/``).

    Returns
    -------
    Path
        The written ``index.html`` (self-contained: open it in any browser, offline).
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    html = env.get_template("report.html.j2").render(**build_context(out_dir, figure_dpi))
    return atomic_write_text(Path(out_dir) / "report" / "index.html", html)
