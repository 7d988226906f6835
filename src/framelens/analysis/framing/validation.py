"""Validation of the framing lexicon against hand-coded sentences (precision, recall, F1, alpha).

Protocol (``docs/lexicon.md``, section *Validation*):

- Each gold sentence is preprocessed as a one-sentence document with the run's pipeline and
  scored with the lexicon; if the sentencizer cuts it in two, the hits of the pieces are summed,
  so the unit stays the coded sentence.
- Prediction rule: a sentence carries a frame when it has at least one counted hit of that frame
  (with the default ``count_negated=True`` a negated hit counts, as the codebook codes a negated
  frame as present).
- Precision, recall and F1 per language and frame (and over both languages, ``all``), with 95%
  percentile bootstrap intervals from ``n_boot`` resamples of **documents** (a cluster
  bootstrap: the gold sentences of one document are drawn together, since sentences of one
  document share author, genre and vocabulary and are not independent; a sentence without a
  ``doc_id`` is its own cluster). One set of resamples per language, shared by the frames,
  seeded from ``(seed, "lexicon_validation", language)``. A language with fewer than two
  documents gets no interval. F1 is 0 when there is no true positive.
- Krippendorff's alpha (nominal, ``krippendorff`` package) between the lexicon and the gold
  codes, beside the alpha between the two human coders of the gold file: the ceiling.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelens.analysis.framing.lexicon import Lexicon, load_lexicon
from framelens.core.config import LexiconConfig, PreprocessConfig
from framelens.core.domain import CODED_FRAMES
from framelens.core.errors import ConfigError, Errors
from framelens.core.resampling import bootstrap_matrix, cluster_totals, percentile_interval
from framelens.core.seeding import rng as _rng

_GOLD_REQUIRED = ["sent_id", "language", "text", *CODED_FRAMES]
_METRICS = ("precision", "recall", "f1")


@dataclass
class LexiconValidation:
    """Result of ``validate_lexicon``.

    Attributes
    ----------
    table : DataFrame
        One row per language (en, es, all) x frame: language, frame, n (sentences), n_docs
        (documents, the resampling units, when the schema lists it), n_positive,
        n_predicted, precision, precision_ci_low, precision_ci_high, recall, recall_ci_low,
        recall_ci_high, f1, f1_ci_low, f1_ci_high, alpha_lexicon, alpha_coders,
        lexicon_version.
    confusion : DataFrame
        language, frame, tp, fp, fn, tn, lexicon_version.
    misclassified : DataFrame
        One row per wrong sentence x frame: sent_id, doc_id, language, frame, gold, predicted,
        error (fp|fn), text, matched_terms, lexicon_version.
    predictions : DataFrame
        One row per gold sentence: sent_id, doc_id, language, gold_* and pred_* per frame,
        hits_* and matched_terms.
    lexicon_version : str
    n_boot, seed : int
    """

    table: pd.DataFrame
    confusion: pd.DataFrame
    misclassified: pd.DataFrame
    predictions: pd.DataFrame
    lexicon_version: str
    n_boot: int
    seed: int

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tables keyed by table name (``lexicon_validation``,
        ``lexicon_confusion``, ``lexicon_misclassified``)."""
        return {
            "lexicon_validation": self.table,
            "lexicon_confusion": self.confusion,
            "lexicon_misclassified": self.misclassified,
        }

    def summary(self) -> str:
        """The validation table as text (F1 with its 95% interval, alpha beside the coders')."""
        lines = [
            f"Lexicon {self.lexicon_version} against hand-coded sentences "
            f"(95% bootstrap intervals resampling documents, {self.n_boot} resamples, "
            f"seed {self.seed})",
            f"{'language':<8} {'frame':<13} {'n':>4} {'pos':>4} {'pred':>4}  "
            f"{'precision':<19} {'recall':<19} {'F1':<19} {'alpha':>6} {'coders':>6}",
        ]

        def ci(row, m):
            return f"{row[m]:.3f} [{row[m + '_ci_low']:.3f}, {row[m + '_ci_high']:.3f}]"

        for _, r in self.table.iterrows():
            lines.append(
                f"{r['language']:<8} {r['frame']:<13} {r['n']:>4} {r['n_positive']:>4} "
                f"{r['n_predicted']:>4}  {ci(r, 'precision'):<19} {ci(r, 'recall'):<19} "
                f"{ci(r, 'f1'):<19} {r['alpha_lexicon']:>6.3f} {r['alpha_coders']:>6.3f}"
            )
        return "\n".join(lines)


def read_gold(gold: str | os.PathLike | pd.DataFrame) -> pd.DataFrame:
    """Read and check a gold file (path or DataFrame); returns a copy with the needed columns."""
    if isinstance(gold, pd.DataFrame):
        df, where = gold.copy(), "<DataFrame>"
    else:
        where = str(gold)
        if not os.path.exists(gold):
            raise ConfigError(Errors.E010.format(path=gold))
        df = pd.read_csv(gold, dtype={"sent_id": str, "doc_id": str}, keep_default_na=False)
    missing = [c for c in _GOLD_REQUIRED if c not in df.columns]
    if missing:
        raise ConfigError(Errors.E022.format(path=where, missing=missing))
    if "doc_id" not in df.columns:
        df["doc_id"] = None
    for f in CODED_FRAMES:
        df[f] = pd.to_numeric(df[f]).astype("int64")
    df["sent_id"] = df["sent_id"].astype(str)
    return df.reset_index(drop=True)


def split_gold(
    gold: str | os.PathLike | pd.DataFrame, frac: float = 0.5, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split gold sentences by document into a development part and a held-out part.

    Within each language the documents are shuffled with ``numpy.random.default_rng(seed)``
    and the first ``round(frac * n_documents)`` go to the development part, so no document
    contributes sentences to both parts.

    Returns
    -------
    dev, held_out : DataFrame
    """
    df = read_gold(gold)
    rng = np.random.default_rng(seed)
    dev_docs: set[str] = set()
    for lang in sorted(df["language"].unique()):
        docs = np.array(sorted(df.loc[df["language"] == lang, "doc_id"].astype(str).unique()))
        perm = rng.permutation(len(docs))
        dev_docs |= set(docs[perm[: int(round(frac * len(docs)))]].tolist())
    in_dev = df["doc_id"].astype(str).isin(dev_docs)
    return df[in_dev].reset_index(drop=True), df[~in_dev].reset_index(drop=True)


def score_coded_sentences(
    coded: pd.DataFrame,
    lexicon: Lexicon,
    config: LexiconConfig,
    preprocess_config: PreprocessConfig | None = None,
):
    """Preprocess and score hand-coded sentences, each as a one-sentence document.

    ``coded`` has sent_id, language, text (``read_gold``). Returns the sentences table (doc_id =
    the coded sent_id, with a ``language`` column) and the ``FrameScores`` of the lexicon, the
    same pipeline a run's sentences go through.
    """
    from framelens.analysis.framing.scoring import score_frames
    from framelens.analysis.text.preprocess import preprocess

    docs = pd.DataFrame(
        {
            "doc_id": coded["sent_id"].astype(str),
            "language": coded["language"].astype(str),
            "text": coded["text"].astype(str),
            "status": "ok",
        }
    )
    sents = preprocess(docs, preprocess_config)
    sents = sents.assign(
        language=sents["doc_id"].map(dict(zip(docs["doc_id"], docs["language"], strict=False)))
    )
    return sents, score_frames(sents, lexicon, config=config, validate=False)


def predict_gold(
    gold: str | os.PathLike | pd.DataFrame,
    lexicon: Lexicon | None = None,
    *,
    config: LexiconConfig | None = None,
    preprocess_config: PreprocessConfig | None = None,
) -> pd.DataFrame:
    """Score each gold sentence with the lexicon (see the module docstring for the rule).

    Returns one row per gold sentence: sent_id, doc_id, language, text, gold_humanitarian,
    gold_security, hits_* and pred_* per frame, matched_terms ("frame:term; ...").
    """
    g = read_gold(gold)
    lexicon = lexicon or load_lexicon(preprocess_config=preprocess_config)
    config = config or LexiconConfig()
    _sents, fs = score_coded_sentences(g, lexicon, config, preprocess_config)
    hits = fs.sentence_frames.groupby("doc_id")[[f"hits_{f}" for f in CODED_FRAMES]].sum()
    m = fs.matches
    terms = (
        (
            m["frame"]
            + ":"
            + m["term"]
            + m["negated"].map({True: "(neg)", False: ""})
            + m["counted"].map({True: "", False: "(not counted)"})
        )
        .groupby(m["doc_id"])
        .agg("; ".join)
    )
    out = pd.DataFrame(
        {
            "sent_id": g["sent_id"],
            "doc_id": g["doc_id"],
            "language": g["language"],
            "text": g["text"],
        }
    )
    for f in CODED_FRAMES:
        out[f"gold_{f}"] = g[f].to_numpy()
        h = out["sent_id"].map(hits[f"hits_{f}"]).fillna(0).astype("int64")
        out[f"hits_{f}"] = h
        out[f"pred_{f}"] = (h >= 1).astype("int64")
    out["matched_terms"] = out["sent_id"].map(terms).fillna("").astype(str)
    return out


def binary_alpha(a: np.ndarray, b: np.ndarray) -> float:
    """Krippendorff's alpha (nominal) between two 0/1 codings of the same units; NaN when only
    one value occurs (alpha is undefined without variation)."""
    import krippendorff

    data = np.vstack([a, b]).astype(float)
    if len(np.unique(data)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def prf(tp, fp, fn):
    """Precision, recall and F1 from counts (arrays allowed: one value per resample); NaN
    where a ratio has no denominator."""
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return precision, recall, f1


def _confusion(y: np.ndarray, p: np.ndarray) -> dict[str, int]:
    """tp, fp, fn, tn of predictions ``p`` against gold codes ``y`` (0/1)."""
    return {
        "tp": int(((y == 1) & (p == 1)).sum()),
        "fp": int(((y == 0) & (p == 1)).sum()),
        "fn": int(((y == 1) & (p == 0)).sum()),
        "tn": int(((y == 0) & (p == 0)).sum()),
    }


def _document_labels(predictions: pd.DataFrame) -> np.ndarray:
    """Resampling cluster of each row: its ``doc_id``, or the row itself when it has none."""
    rows = pd.Series([f"row:{i}" for i in range(len(predictions))], index=predictions.index)
    if "doc_id" not in predictions.columns:
        return rows.to_numpy()
    doc = predictions["doc_id"].astype(object)
    doc = doc.where(doc.notna() & (doc.astype(str) != ""), None)
    return ("doc:" + doc.astype(str)).where(doc.notna(), rows).to_numpy()


def _bootstrap_ci(
    y: np.ndarray, p: np.ndarray, labels: np.ndarray, idx: np.ndarray | None
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of precision, recall and F1 over the cluster resamples ``idx``
    (rows: resamples, values: positions of clusters in sorted ``labels`` order); NaN without
    resamples. Each cluster's tp, fp and fn are summed, then the sums of resampled clusters."""
    if idx is None:
        return {k: (np.nan, np.nan) for k in _METRICS}
    tp, fp, fn = cluster_totals(
        labels,
        ((y == 1) & (p == 1)).astype(float),
        ((y == 0) & (p == 1)).astype(float),
        ((y == 1) & (p == 0)).astype(float),
    )
    bp, br, bf = prf(tp[idx].sum(1), fp[idx].sum(1), fn[idx].sum(1))
    ci = {}
    for name, arr in zip(_METRICS, (bp, br, bf), strict=True):
        lo, hi = percentile_interval(arr, 0.95)
        ci[name] = (float(lo), float(hi))
    return ci


def _coders_alpha(gold: pd.DataFrame | None, mask: np.ndarray, frame: str) -> float:
    """Alpha between the two human coders of ``frame`` (NaN when ``gold`` lacks them)."""
    a, b = f"coder_a_{frame}", f"coder_b_{frame}"
    if gold is None or a not in gold.columns or b not in gold.columns:
        return np.nan
    return binary_alpha(gold.loc[mask, a].to_numpy(), gold.loc[mask, b].to_numpy())


def _frame_rows(
    predictions: pd.DataFrame,
    gold,
    mask: np.ndarray,
    resamples: tuple[np.ndarray, np.ndarray | None],
    lang: str,
    frame: str,
    version: str,
) -> tuple[dict, dict]:
    """The ``lexicon_validation`` and ``lexicon_confusion`` rows of one language and frame;
    ``resamples`` are the cluster labels of the rows in ``mask`` and the cluster resamples."""
    y = predictions.loc[mask, f"gold_{frame}"].to_numpy(dtype=np.int64)
    p = predictions.loc[mask, f"pred_{frame}"].to_numpy(dtype=np.int64)
    conf = _confusion(y, p)
    point = [float(x) for x in prf(conf["tp"], conf["fp"], conf["fn"])]
    labels, idx = resamples
    ci = _bootstrap_ci(y, p, labels, idx)
    row = {
        "language": lang,
        "frame": frame,
        "n": int(mask.sum()),
        "n_docs": int(np.unique(labels).size),
        "n_positive": int(y.sum()),
        "n_predicted": int(p.sum()),
    }
    for m, value in zip(_METRICS, point, strict=True):
        row.update({m: value, f"{m}_ci_low": ci[m][0], f"{m}_ci_high": ci[m][1]})
    row.update(
        alpha_lexicon=binary_alpha(y, p),
        alpha_coders=_coders_alpha(gold, mask, frame),
        lexicon_version=version,
    )
    return row, {"language": lang, "frame": frame, **conf, "lexicon_version": version}


def metrics_table(
    predictions: pd.DataFrame,
    *,
    gold: pd.DataFrame | None = None,
    seed: int = 0,
    n_boot: int = 1000,
    lexicon_version: str = "",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision/recall/F1 with bootstrap intervals and alphas from a predictions table.

    Parameters
    ----------
    predictions : DataFrame
        language, gold_<frame> and pred_<frame> (0/1) per coded frame (``predict_gold``).
    gold : DataFrame, optional
        Row-aligned with ``predictions``; its coder_a_<frame>/coder_b_<frame> columns give the
        coders' alpha (NaN without them).
    seed : int, default 0
        Per language (and ``all``) one set of ``n_boot`` resamples of documents (``doc_id``;
        a row without one is its own cluster) is drawn from
        ``core.seeding.rng(seed, "lexicon_validation", language)`` and shared by the frames.
    n_boot : int, default 1000
        Bootstrap resamples (0: no intervals; none either for a language with fewer than two
        documents).
    lexicon_version : str
        Written into both tables.

    Returns
    -------
    table, confusion : DataFrame
        The ``lexicon_validation`` and ``lexicon_confusion`` tables (not yet validated).
    """
    from framelens.schemas import columns_of

    clusters = _document_labels(predictions)
    rows, conf = [], []
    langs = sorted(predictions["language"].unique().tolist())
    for lang in [*langs, "all"]:
        mask = (
            np.ones(len(predictions), bool)
            if lang == "all"
            else (predictions["language"] == lang).to_numpy()
        )
        labels = clusters[mask]
        n_clusters = int(np.unique(labels).size)
        idx = None
        if n_boot > 0 and n_clusters > 1:
            idx = bootstrap_matrix(n_clusters, n_boot, _rng(seed, "lexicon_validation", lang))
        for f in CODED_FRAMES:
            row, counts = _frame_rows(predictions, gold, mask, (labels, idx), lang, f,
                                      lexicon_version)  # fmt: skip
            rows.append(row)
            conf.append(counts)
    # the schema is the list of columns (n_docs, the resampling units, when it lists it)
    table = pd.DataFrame(rows)
    table.insert(0, "instrument", "lexicon")
    table = table[[c for c in columns_of("lexicon_validation") if c in table.columns]]
    confusion = pd.DataFrame(conf)
    for df in (table, confusion):
        for c in ("instrument", "language", "frame", "lexicon_version"):
            if c in df:
                df[c] = df[c].astype("str")
    return table, confusion


def _misclassified(pred: pd.DataFrame, version: str) -> pd.DataFrame:
    """The ``lexicon_misclassified`` table: one row per wrong sentence x frame."""
    from framelens.schemas import columns_of

    wrong = []
    for f in CODED_FRAMES:
        bad = pred[pred[f"gold_{f}"] != pred[f"pred_{f}"]]
        for r in bad.itertuples():
            terms = "; ".join(t for t in r.matched_terms.split("; ") if t.startswith(f + ":"))
            wrong.append(
                {
                    "sent_id": r.sent_id,
                    "doc_id": r.doc_id,
                    "language": r.language,
                    "frame": f,
                    "gold": int(getattr(r, f"gold_{f}")),
                    "predicted": int(getattr(r, f"pred_{f}")),
                    "error": "fn" if getattr(r, f"gold_{f}") == 1 else "fp",
                    "text": r.text,
                    "matched_terms": terms,
                    "lexicon_version": version,
                }
            )
    mis = pd.DataFrame(wrong, columns=columns_of("lexicon_misclassified"))
    mis = mis.sort_values(["language", "frame", "error", "sent_id"], kind="stable").reset_index(
        drop=True
    )
    for c in mis.columns:
        mis[c] = mis[c].astype("int64" if c in ("gold", "predicted") else "str")
    return mis


def validate_lexicon(
    gold: str | os.PathLike | pd.DataFrame,
    lexicon: Lexicon | None = None,
    *,
    config: LexiconConfig | None = None,
    preprocess_config: PreprocessConfig | None = None,
    seed: int = 0,
    n_boot: int = 1000,
) -> LexiconValidation:
    """Validate the framing lexicon against hand-coded sentences.

    Parameters
    ----------
    gold : path or DataFrame
        ``gold_sentences.csv`` (columns sent_id, doc_id, language, text, humanitarian,
        security and, for the coders' alpha, coder_a_*/coder_b_*).
    lexicon : Lexicon, optional
        Default: ``load_lexicon(config.version)``.
    config : LexiconConfig, optional
        Negation window and ``count_negated`` used for scoring (default: the defaults).
    preprocess_config : PreprocessConfig, optional
        The spaCy pipeline used for the gold sentences (and the terms).
    seed : int, default 0
        Seed of the bootstrap (``numpy.random.default_rng``).
    n_boot : int, default 1000
        Bootstrap resamples of sentences.

    Returns
    -------
    LexiconValidation
        ``.table`` (schema ``lexicon_validation``), ``.confusion``, ``.misclassified``,
        ``.predictions``, ``.summary()``.

    Examples
    --------
    >>> v = validate_lexicon("../shared/validation/gold_sentences.csv")  # doctest: +SKIP
    >>> print(v.summary())  # doctest: +SKIP
    """
    from framelens.schemas import validate as check

    config = config or LexiconConfig()
    g = read_gold(gold)
    lexicon = lexicon or load_lexicon(config.version, preprocess_config)
    pred = predict_gold(g, lexicon, config=config, preprocess_config=preprocess_config)
    table, confusion = metrics_table(
        pred, gold=g, seed=seed, n_boot=n_boot, lexicon_version=lexicon.version
    )
    mis = _misclassified(pred, lexicon.version)
    return LexiconValidation(
        table=check(table, "lexicon_validation"),
        confusion=check(confusion, "lexicon_confusion"),
        misclassified=check(mis, "lexicon_misclassified"),
        predictions=pred,
        lexicon_version=lexicon.version,
        n_boot=n_boot,
        seed=seed,
    )
