"""Section 2 of the report: preprocessing, lexicon (with its validation), topic model and
statistics settings, all read from run.json and the validation table."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from framelens.core.formatting import as_float, ci_text, integer, num, pct
from framelens.outputs.columns import current_names
from framelens.outputs.figures.validation import F1_TARGET
from framelens.outputs.report.blocks import html_table


def _joined(pairs: dict | None) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted((pairs or {}).items()))


def methods_section(
    run: dict, validation: pd.DataFrame | None, topics_available: bool
) -> dict[str, Any]:
    """Settings of the run as the methods text needs them; the validation table when present."""
    cfg = run.get("config") or {}
    pre = cfg.get("preprocess") or {}
    lex = cfg.get("lexicon") or {}
    top = cfg.get("topics") or {}
    cmp_ = cfg.get("compare") or {}
    topics_info = run.get("topics") if isinstance(run.get("topics"), dict) else {}
    m: dict[str, Any] = {
        "seed": run.get("seed", cfg.get("seed")),
        "preprocess": {
            "models": _joined(pre.get("models")) or "n/a",
            "use_trained": pre.get("use_trained"),
            "used": _joined(run.get("spacy_pipelines")),
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
            **{k: cmp_.get(k) for k in ("n_boot", "n_perm", "min_n", "cluster", "weighting")},
            "ci": pct(cmp_.get("ci"), 0) if cmp_.get("ci") is not None else "95%",
            "time_freq": cmp_.get("time_freq"),
        },
    }
    if validation is not None and len(validation):
        m["validation"] = validation_table(validation)
    return m


def _with_interval(r: dict, metric: str) -> str:
    return f"{num(r.get(metric), 2)} " + ci_text(
        r.get(f"{metric}_ci_low"), r.get(f"{metric}_ci_high"), 2
    )


def validation_table(validation: pd.DataFrame) -> dict:
    """Precision, recall and F1 with intervals and alpha per language x frame; rows below the
    F1 target flagged."""
    v = current_names(validation).sort_values(["language", "frame"], kind="stable")
    rows, classes = [], []
    for r in v.to_dict(orient="records"):
        f1 = as_float(r.get("f1"))
        rows.append([str(r.get("language")), str(r.get("frame")), integer(r.get("n")),
                     integer(r.get("n_positive")), _with_interval(r, "precision"),
                     _with_interval(r, "recall"), _with_interval(r, "f1"),
                     num(r.get("alpha_lexicon"), 2), num(r.get("alpha_coders"), 2)])  # fmt: skip
        classes.append("flag" if not (math.isfinite(f1) and f1 >= F1_TARGET) else "")
    columns = ["Language", "Frame", "Sentences", "Positives", "Precision [CI]", "Recall [CI]",
               "F1 [CI]", "α lexicon–gold", "α coders"]  # fmt: skip
    return html_table(columns, rows, classes)
