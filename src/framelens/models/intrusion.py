"""Human validation of topics by intrusion tests (Chang et al. 2009; R package oolong).

Word intrusion: a coder sees a topic's ``n_top`` highest-weight terms plus one intruder (a term
among the top ``n_top`` terms of another topic of the same language that is not among this
topic's listed terms), shuffled, and marks the intruder. Model precision of a topic is the share
of answers that found it.

Topic intrusion: a coder reads the opening of a document and sees four topics (each as its top
terms): the three with the highest weight in the document and one intruder drawn from the topics
with below-median weight in it, shuffled, and marks the intruder. For a document d with true
intruder j* and the coder's choice j_s, the topic log odds is
log theta_d,j* - log theta_d,j_s (0 when found, negative otherwise); we report its mean.

Sheets hold no topic labels or answers; ``framelens.outputs.intrusion_sheets`` writes them and,
in a separate folder, their answer keys (this module computes only). Coders fill the ``answer`` column with the position (1, 2, ...) of the intruder or with the
intruding word itself; a ``coder`` column may be added to pool several coders in one sheet.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed

SCORE_COLUMNS = [
    "test",
    "language",
    "topic",
    "label",
    "n_items",
    "n_answers",
    "n_correct",
    "model_precision",
    "topic_log_odds",
]
N_TOPIC_OPTIONS = 4
_EPS = 1e-12


@dataclass
class IntrusionTest:
    """A sheet for coders and its answer key (kept apart)."""

    sheet: pd.DataFrame
    key: pd.DataFrame


def make_word_intrusion(topics: pd.DataFrame, n_top: int = 5, seed: int = 0) -> IntrusionTest:
    """Word-intrusion items, one per topic.

    Parameters
    ----------
    topics : DataFrame
        The ``topics`` table (language, topic, label, rank, term, weight) or a ``TopicResults``.
    n_top : int, default 5
        Top terms shown with the intruder.
    seed : int
        Seed of the intruder draws and shuffles.

    Returns
    -------
    IntrusionTest
        sheet: item_id, language, word_1..word_{n_top+1}, answer (empty);
        key: item_id, language, topic, label, intruder, intruder_position, intruder_topic.
    """
    topics = getattr(topics, "topics", topics)
    rng = np.random.default_rng(derive_seed(seed, "word_intrusion"))
    items = []
    for lang in sorted(topics["language"].unique()):
        sub = topics[topics["language"] == lang]
        by_topic = {
            int(t): g.sort_values("rank")["term"].tolist()
            for t, g in sub.groupby("topic", sort=True)
        }
        labels = {int(t): str(g["label"].iloc[0]) for t, g in sub.groupby("topic", sort=True)}
        for t, terms in by_topic.items():
            shown = terms[:n_top]
            listed = set(terms)
            cand = sorted({w for u, ws in by_topic.items() if u != t for w in ws[:n_top]} - listed)
            if not cand:
                cand = sorted({w for u, ws in by_topic.items() if u != t for w in ws} - listed)
            if len(shown) < n_top or not cand:
                continue
            intruder = cand[int(rng.integers(len(cand)))]
            owner = min(u for u, ws in by_topic.items() if u != t and intruder in ws)
            words = [*shown, intruder]
            order = rng.permutation(len(words))
            words = [words[i] for i in order]
            items.append((lang, t, labels[t], words, words.index(intruder) + 1, intruder, owner))
    ids = _item_ids("W", len(items), rng)
    sheet_rows, key_rows = [], []
    for item_id, (lang, t, label, words, pos, intruder, owner) in zip(ids, items, strict=True):
        sheet_rows.append([item_id, lang, *words, ""])
        key_rows.append([item_id, lang, t, label, intruder, pos, owner])
    width = n_top + 1
    sheet = pd.DataFrame(
        sheet_rows,
        columns=["item_id", "language", *[f"word_{i}" for i in range(1, width + 1)], "answer"],
    )
    key = pd.DataFrame(
        key_rows,
        columns=[
            "item_id",
            "language",
            "topic",
            "label",
            "intruder",
            "intruder_position",
            "intruder_topic",
        ],
    )
    return IntrusionTest(_by_item(sheet), _by_item(key))


def make_topic_intrusion(
    doc_topics: pd.DataFrame,
    topics: pd.DataFrame,
    excerpts: pd.DataFrame,
    n_docs: int = 20,
    seed: int = 0,
    n_terms: int = 8,
) -> IntrusionTest:
    """Topic-intrusion items for ``n_docs`` documents per language (drawn with ``seed``).

    Parameters
    ----------
    doc_topics : DataFrame
        doc_id, language, topic, label, weight.
    topics : DataFrame
        The ``topics`` table (each shown topic is its top ``n_terms`` terms).
    excerpts : DataFrame
        doc_id, language, excerpt (``TopicResults.excerpts``).

    Returns
    -------
    IntrusionTest
        sheet: item_id, language, doc_id, excerpt, topic_1..topic_4, answer (empty);
        key: item_id, language, doc_id, intruder_position, topic_id_1..4, theta_1..4.
    """
    rng = np.random.default_rng(derive_seed(seed, "topic_intrusion"))
    items = []
    for lang in sorted(doc_topics["language"].unique()):
        show = _topic_term_lists(topics[topics["language"] == lang], n_terms)
        dsub = doc_topics[doc_topics["language"] == lang]
        theta = dsub.pivot(index="doc_id", columns="topic", values="weight").sort_index()
        if theta.shape[1] < N_TOPIC_OPTIONS:
            continue
        docs = theta.index.tolist()
        pick = sorted(rng.choice(len(docs), size=min(n_docs, len(docs)), replace=False).tolist())
        for i in pick:
            shown, pos = _topic_options(theta.iloc[i], rng)
            thetas = [float(theta.iloc[i][t]) for t in shown]
            items.append((lang, docs[i], shown, pos, thetas, show))
    ids = _item_ids("T", len(items), rng)
    text = dict(zip(excerpts["doc_id"], excerpts["excerpt"], strict=True))
    sheet_rows, key_rows = [], []
    for item_id, (lang, doc_id, shown, pos, thetas, show) in zip(ids, items, strict=True):
        sheet_rows.append(
            [item_id, lang, doc_id, text.get(doc_id, ""), *[show[t] for t in shown], ""]
        )
        key_rows.append([item_id, lang, doc_id, pos, *shown, *thetas])
    return IntrusionTest(_by_item(_topic_sheet(sheet_rows)), _by_item(_topic_key(key_rows)))


def _topic_term_lists(topics: pd.DataFrame, n_terms: int) -> dict[int, str]:
    """topic -> its top ``n_terms`` terms joined by ", " (``topics``: one language)."""
    return {
        int(t): ", ".join(g.sort_values("rank")["term"].head(n_terms))
        for t, g in topics.groupby("topic", sort=True)
    }


def _topic_options(weights: pd.Series, rng: np.random.Generator) -> tuple[list[int], int]:
    """The shown topics of one document and the intruder's position (1-based).

    ``weights``: the document's topic proportions indexed by topic. Its three heaviest topics
    plus one intruder drawn from the topics below the median weight (the lighter remaining
    ones when none is), shuffled.
    """
    w = weights.to_numpy()
    cols = weights.index.to_numpy()
    order = np.argsort(-w, kind="stable")
    top = [int(cols[j]) for j in order[: N_TOPIC_OPTIONS - 1]]
    low = [int(cols[j]) for j in range(len(w)) if w[j] < np.median(w) and int(cols[j]) not in top]
    if not low:
        low = [int(cols[j]) for j in order[N_TOPIC_OPTIONS - 1 :]]
    intruder = low[int(rng.integers(len(low)))]
    shown = [*top, intruder]
    perm = rng.permutation(len(shown))
    shown = [shown[p] for p in perm]
    return shown, shown.index(intruder) + 1


def _topic_sheet(rows: list[list]) -> pd.DataFrame:
    n = N_TOPIC_OPTIONS
    columns = ["item_id", "language", "doc_id", "excerpt"]
    return pd.DataFrame(
        rows, columns=[*columns, *[f"topic_{i}" for i in range(1, n + 1)], "answer"]
    )


def _topic_key(rows: list[list]) -> pd.DataFrame:
    n = N_TOPIC_OPTIONS
    return pd.DataFrame(
        rows,
        columns=[
            "item_id",
            "language",
            "doc_id",
            "intruder_position",
            *[f"topic_id_{i}" for i in range(1, n + 1)],
            *[f"theta_{i}" for i in range(1, n + 1)],
        ],
    )


def _item_ids(prefix: str, n: int, rng: np.random.Generator) -> list[str]:
    """Item ids in a shuffled order, so that sheet order (sorted by id) hides topic order."""
    numbers = rng.permutation(n) + 1
    width = max(3, len(str(n)))
    return [f"{prefix}{int(x):0{width}d}" for x in numbers]


def _by_item(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("item_id", kind="mergesort", ignore_index=True)


def _answer_position(answer: object, options: list[str]) -> int | None:
    """The position (1-based) a coder marked: a number or one of the options' text."""
    if answer is None or (isinstance(answer, float) and np.isnan(answer)):
        return None
    s = str(answer).strip()
    if not s:
        return None
    try:
        pos = int(float(s))
        return pos if 1 <= pos <= len(options) else None
    except ValueError:
        pass
    lowered = [str(o).strip().lower() for o in options]
    return lowered.index(s.lower()) + 1 if s.lower() in lowered else None


def score_intrusion(sheet_csv: str | os.PathLike, key_csv: str | os.PathLike) -> pd.DataFrame:
    """Score a filled-in intrusion sheet against its key.

    Word intrusion: per topic and language, and overall ("all"), ``model_precision`` = correct
    answers / answers. Topic intrusion: per language and overall, the share of intruders found
    (in ``model_precision``) and the mean topic log odds (``topic_log_odds``, <= 0). Unanswered
    or unreadable answers count in ``n_items`` but not in ``n_answers``.

    Returns
    -------
    DataFrame
        Columns ``SCORE_COLUMNS``; ``topic`` and ``label`` are empty on summary rows.
    """
    sheet = pd.read_csv(sheet_csv, dtype=str, keep_default_na=False)
    key = pd.read_csv(key_csv, keep_default_na=False)
    key["item_id"] = key["item_id"].astype(str)
    missing = sorted(set(sheet["item_id"]) - set(key["item_id"]))
    if missing or "answer" not in sheet.columns:
        reason = (
            "no 'answer' column"
            if "answer" not in sheet.columns
            else f"unknown items {missing[:5]}"
        )
        raise ConfigError(Errors.E018.format(sheet=sheet_csv, key=key_csv, reason=reason))
    is_word = "intruder" in key.columns
    opt_prefix = "word_" if is_word else "topic_"
    opt_cols = sorted(
        (c for c in sheet.columns if c.startswith(opt_prefix) and c[len(opt_prefix) :].isdigit()),
        key=lambda c: int(c[len(opt_prefix) :]),
    )
    merged = sheet.merge(key.drop(columns=["language"]), on="item_id", how="left", validate="m:1")
    merged["_pos"] = [
        _answer_position(a, [r[c] for c in opt_cols])
        for a, (_, r) in zip(merged["answer"], merged.iterrows(), strict=True)
    ]
    merged["_answered"] = merged["_pos"].notna()
    merged["_correct"] = merged["_answered"] & (merged["_pos"] == merged["intruder_position"])
    rows = []
    if is_word:
        for (lang, t), g in merged.groupby(["language", "topic"], sort=True):
            rows.append(_score_row("word", lang, int(t), str(g["label"].iloc[0]), g, None))
        for lang, g in merged.groupby("language", sort=True):
            rows.append(_score_row("word", lang, None, None, g, None))
        rows.append(_score_row("word", "all", None, None, merged, None))
    else:
        tlo = []
        for _, r in merged.iterrows():
            if not r["_answered"]:
                tlo.append(np.nan)
                continue
            true_theta = float(r[f"theta_{int(r['intruder_position'])}"])
            chosen_theta = float(r[f"theta_{int(r['_pos'])}"])
            tlo.append(np.log(true_theta + _EPS) - np.log(chosen_theta + _EPS))
        merged["_tlo"] = tlo
        for lang, g in merged.groupby("language", sort=True):
            rows.append(_score_row("topic", lang, None, None, g, g["_tlo"]))
        rows.append(_score_row("topic", "all", None, None, merged, merged["_tlo"]))
    out = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    out["topic"] = out["topic"].astype("Int64")
    return out


def _score_row(test, lang, topic, label, g, tlo) -> list:
    n_answers = int(g["_answered"].sum())
    n_correct = int(g["_correct"].sum())
    precision = n_correct / n_answers if n_answers else np.nan
    log_odds = float(np.nanmean(tlo)) if tlo is not None and tlo.notna().any() else np.nan
    return [
        test,
        lang,
        topic,
        label,
        int(g["item_id"].nunique()),
        n_answers,
        n_correct,
        precision,
        log_odds,
    ]
