"""Section 5 of the report: what limits the reading of this run, stated from its tables, and
the documents without any frame term (the first place to look for off-topic documents)."""

from __future__ import annotations

import pandas as pd

from framelens.core.domain import sort_groups
from framelens.core.formatting import ci_text, integer, num
from framelens.outputs.columns import as_bool, comparable, current_names
from framelens.outputs.figures.validation import F1_TARGET
from framelens.outputs.report.blocks import html_table

_VOCABULARY = (
    "Lexicon counts measure vocabulary, not stance: a security term quoted in order to "
    "criticise enforcement still counts as security language (negations are recorded, "
    "not removed, unless the configuration says so)."
)


def no_hit_documents(tables: dict[str, pd.DataFrame | None], limit: int = 200) -> dict | None:
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
        [str(r["doc_id"]), str(r.get("country", "")), str(r.get("administration", "")),
         str(r.get("doc_type", "")), "" if pd.isna(r.get("title")) else str(r["title"]),
         integer(r.get("n_tokens"))]
        for r in none.head(limit).to_dict(orient="records")
    ]  # fmt: skip
    t = html_table(["Document", "Country", "Administration", "Type", "Title", "Tokens"], rows)
    t["n"] = len(none)
    t["shown"] = len(rows)
    return t


def _validation_items(v: pd.DataFrame | None) -> list[str]:
    if v is None or v.empty:
        return [
            "The lexicon was not validated against hand-coded sentences in this run: its frame "
            "counts are unvalidated measurements."
        ]
    v = current_names(v)
    low = v[~(pd.to_numeric(v["f1"], errors="coerce") >= F1_TARGET)]
    if not len(low):
        return [
            f"Every frame × language cell reached F1 ≥ {F1_TARGET:.2f} on the gold "
            "sentences; the lower ends of the intervals show how far that can be trusted."
        ]
    parts = [f"{r['frame']} ({r['language']}): F1 {num(r['f1'], 2)} "
             f"{ci_text(r.get('f1_ci_low'), r.get('f1_ci_high'), 2)}"
             for r in low.to_dict(orient="records")]  # fmt: skip
    return [
        f"Lexicon validation below the F1 target of {F1_TARGET:.2f}: "
        + "; ".join(parts)
        + ". Frame counts for these cells miss or mislabel a noticeable share of sentences."
    ]


def _group_items(g: pd.DataFrame | None) -> list[str]:
    if g is None or not len(g):
        return []
    items = []
    fi = g[(g["measure"] == "framing_index")]
    small = sort_groups(fi[fi["small_n"].map(as_bool) & comparable(fi)])
    if len(small):
        groups = ", ".join(
            f"{r['country']} {r['administration']} (n={integer(r['n_docs'])})"
            for r in small.to_dict(orient="records")
        )
        items.append(
            f"Groups with fewer than {integer(small['min_n'].iloc[0])} documents (flagged, "
            f"kept): {groups}. Their estimates rest on very few documents; read their "
            "intervals with their interval method."
        )
    n_missing = int(pd.to_numeric(fi["n_missing"], errors="coerce").fillna(0).sum())
    n_all = int(pd.to_numeric(fi["n_docs"], errors="coerce").fillna(0).sum()) + n_missing
    if n_missing:
        items.append(
            f"{n_missing} of {n_all} documents carry no humanitarian or security term at all "
            "(framing index undefined, left out of the index comparisons). Many are likely "
            "off-topic (tariffs, sanctions, other laws): the corpus is not filtered by topic."
        )
    return items


def _regression_items(r: pd.DataFrame | None, measure: str = "framing_index") -> list[str]:
    """The regression of the framing index: model notes, extrapolated and one-issuer terms."""
    if r is None or not len(r):
        return []
    sub = r[r["measure"] == measure] if (r["measure"] == measure).any() else r
    parts = dict.fromkeys(p for n in sub["note"].dropna().astype(str) for p in n.split("; ") if p)
    model = [p for p in parts if not p.startswith(("extrapolated", "one issuer"))]
    items = [f"Regression: {p}." for p in model]
    for col, what in (("extrapolated", "extrapolated beyond the document types their cells "
                       "share (they rest on the additivity of the effects)"),
                      ("one_cluster", "resting on a single issuer on one side (they cannot "
                       "be told apart from it; their intervals miss the between-issuer "
                       "variation)")):  # fmt: skip
        if col in sub.columns and sub[col].map(as_bool).any():
            terms = ", ".join(sub.loc[sub[col].map(as_bool), "term"].astype(str))
            items.append(f"Regression terms {what}: {terms}.")
    return items


def _composition_items(comp: pd.DataFrame | None, share: float = 0.75) -> list[str]:
    """Groups whose framing-index documents are mostly of one document type."""
    if comp is None or comp.empty:
        return []
    fi = comp[(comp["measure"] == "framing_index") & comparable(comp)]
    fi = sort_groups(fi[pd.to_numeric(fi["largest_doc_type_share"], errors="coerce") >= share])
    if fi.empty:
        return []
    groups = "; ".join(f"{r['country']} {r['administration']}: {r['composition']}"
                       for r in fi.to_dict(orient="records"))  # fmt: skip
    return [
        f"Groups made mostly (≥ {share:.0%}) of one document type, so that their estimates "
        f"describe that genre and its issuer as much as the administration: {groups}. Read "
        "their differences within common document types (the adjusted differences table)."
    ]


def _comparability_items(adj: pd.DataFrame | None) -> list[str]:
    """Contrasts that are not comparable: different instruments, no common document type."""
    if adj is None or adj.empty:
        return []
    fi = adj[adj["measure"] == "framing_index"]
    items = []
    raw = fi[(fi["estimator"] == "raw") & ~fi["comparable"].map(as_bool)]
    if len(raw):
        items.append(
            f"{len(raw)} US–Mexico difference(s) of raw lexicon measures compare different "
            "instruments (documents in English scored with the English lexicon, in Spanish with "
            "the Spanish one, each with its own errors): they are labelled not comparable and "
            "not read as findings; the corrected prevalence, when the run has it, is the "
            "comparison to read."
        )
    std = fi[(fi["estimator"] == "standardised") & (fi["comparison"] == "administration")]
    none = std[std["reason"].astype(str).str.startswith("not comparable: no common")]
    if len(none):
        pairs = ", ".join(f"{r['country']} {r['contrast']}" for r in none.to_dict(orient="records"))
        items.append(f"No common document type, so no within-genre comparison: {pairs}.")
    return items


def limitations(tables: dict[str, pd.DataFrame | None], corpus: dict, run: dict) -> list[str]:
    """The limitations of this run, one sentence each, from its tables and run.json."""
    items = _validation_items(tables.get("lexicon_validation"))
    items += _group_items(tables.get("frame_by_group"))
    if corpus.get("n_unknown"):
        items.append(
            f"{corpus['n_unknown']} readable document(s) without a usable date (administration "
            "unknown): shown in the tables, excluded from comparisons and the regression."
        )
    if corpus.get("n_quarantined"):
        items.append(
            f"{corpus['n_quarantined']} files could not be read (quarantined, listed above) and "
            "are not in any measurement."
        )
    items += _composition_items(tables.get("frame_composition"))
    items += _comparability_items(tables.get("frame_differences_adjusted"))
    items += _regression_items(tables.get("frame_regression"))
    if tables.get("topic_prevalence") is None:
        items.append("No topic model in this run: topic prevalence is not reported.")
    for stage, err in sorted((run.get("stage_errors") or {}).items()):
        items.append(f"Stage {stage} failed in this run: {err}")
    items.append(_VOCABULARY)
    return items
