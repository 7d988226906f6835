"""Section 1 of the report: documents by country, administration and format; quarantined files."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.core.domain import UNKNOWN, group_sort_key
from framelens.outputs.report.blocks import html_table


def corpus_section(
    docs: pd.DataFrame | None, quarantine: pd.DataFrame | None, run: dict
) -> dict[str, Any]:
    """Counts of documents read and quarantined, as tables (or run.json's counts)."""
    out: dict[str, Any] = {"available": docs is not None}
    if docs is not None and len(docs):
        out.update(_documents_table(docs))
    else:
        out["n_documents"] = run.get("n_documents")
        out["n_ok"] = run.get("n_ok")
        out["n_unknown"] = None
    q = quarantine
    if q is None and run.get("quarantine"):
        q = pd.DataFrame(run["quarantine"])
    if q is not None and len(q):
        q = q.sort_values([c for c in ("path", "doc_id") if c in q.columns], kind="stable")
        out["quarantine"] = html_table(
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


def _documents_table(docs: pd.DataFrame) -> dict[str, Any]:
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
        key=lambda k: group_sort_key(*k),
    )
    rows = []
    for c, a in keys:
        sel = ok[(ok["country"] == c) & (ok["administration"] == a)]
        bad = d[(d["country"] == c) & (d["administration"] == a) & (d["status"] != "ok")]
        counts = [str(int((sel["format"] == f).sum())) for f in formats]
        rows.append([c, a, *counts, str(len(sel)), str(len(bad))])
    totals = [str(int((ok["format"] == f).sum())) for f in formats]
    rows.append(["all", "", *totals, str(len(ok)), str(int((d["status"] != "ok").sum()))])
    table = html_table(
        ["Country", "Administration", *[f"{f.upper()} (read)" for f in formats], "Read",
         "Quarantined"],
        rows,
        [""] * (len(rows) - 1) + ["total"],
    )  # fmt: skip
    return {
        "table": table,
        "n_documents": len(d),
        "n_ok": len(ok),
        "n_unknown": int((ok["administration"] == UNKNOWN).sum()),
    }
