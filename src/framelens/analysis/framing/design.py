"""The coded probability sample (design sample): reading, checking, and matching to a run.

A design sample is a stratified probability sample of a run's sentences, coded by hand for the
frames of the codebook (reference: ``../shared/validation/design_sample.csv`` and its README;
``framelens gold merge`` writes the same format). Each row is one coded unit: doc_id,
start_char / end_char (offsets into the document text of the run the sample was drawn from),
text, the final codes (humanitarian, security: 0|1), stratum, N_stratum, n_stratum and
inclusion_prob (n_stratum / N_stratum). Columns and rules: ``docs/measurement.md``.

Matching a coded unit to this run's sentences (``match_design_sample``):

1. ``offsets``: the run has a sentence of the same document with the same start_char and
   end_char, and the same normalised text;
2. ``text``: else a sentence of the same document whose normalised text equals the unit's (the
   nearest to start_char when several do). Normalised: lower-cased, accents folded, every run
   of characters that are not letters or digits replaced by one space;
3. else the unit is unmatched, with a reason: the document is not in the run, or the run cut
   the text differently (the span lies inside a longer run sentence, or spans several), or the
   text at those offsets differs.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.analysis.framing.lexicon import fold
from framelens.core.domain import CODED_FRAMES
from framelens.core.errors import ConfigError, Errors

REQUIRED_COLUMNS = (
    "unit_id",
    "doc_id",
    "start_char",
    "end_char",
    "text",
    *CODED_FRAMES,
    "stratum",
    "inclusion_prob",
)
OPTIONAL_TEXT = ("language", "country", "administration")
#: Columns of a loaded design sample (schema ``design_sample``).
DESIGN_COLUMNS = (
    "unit_id",
    "doc_id",
    *OPTIONAL_TEXT,
    "sent_id",
    "start_char",
    "end_char",
    "text",
    *CODED_FRAMES,
    "stratum",
    "N_stratum",
    "n_stratum",
    "inclusion_prob",
)
_FIX_COLUMNS = (
    "Keep the columns of design_sample.csv (unit_id, doc_id, start_char, end_char, text, "
    "humanitarian, security, stratum, inclusion_prob; N_stratum and n_stratum recommended)"
)
_NON_WORD = re.compile(r"[\W_]+")


def _invalid(path, reason: str, fix: str) -> ConfigError:
    return ConfigError(Errors.E031.format(path=path, reason=reason, fix=fix))


def _first_bad(mask: pd.Series) -> int:
    """CSV line number (header = line 1) of the first True in ``mask``."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 2


def _integers(df: pd.DataFrame, col: str, path, minimum: int) -> pd.Series:
    values = pd.to_numeric(df[col].str.strip(), errors="coerce")
    bad = values.isna() | (values != values.round()) | (values < minimum)
    if bad.any():
        line = _first_bad(bad)
        raise _invalid(
            path,
            f"line {line}: {col} = {df[col].iloc[line - 2]!r} is not a whole number >= {minimum}",
            f"Write {col} as a whole number in every row.",
        )
    return values.astype("int64")


def _codes(df: pd.DataFrame, col: str, path) -> pd.Series:
    values = pd.to_numeric(df[col].str.strip(), errors="coerce")
    bad = ~values.isin([0, 1])
    if bad.any():
        line = _first_bad(bad)
        raise _invalid(
            path,
            f"line {line} (unit {df['unit_id'].iloc[line - 2]}): {col} = "
            f"{df[col].iloc[line - 2]!r}; {int(bad.sum())} rows are not coded 0 or 1",
            "Every unit needs a final code: 1 (frame present) or 0 (absent); adjudicate "
            "disagreements first (framelens gold merge).",
        )
    return values.astype("int64")


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise ConfigError(Errors.E030.format(path=path))
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise _invalid(
            path, f"it could not be read as CSV ({exc})", "Save it as UTF-8 CSV."
        ) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise _invalid(path, f"columns {missing} are missing", _FIX_COLUMNS + ".")
    if df.empty:
        raise _invalid(path, "it has no rows", "A design sample needs coded units.")
    return df


def _check_ids(df: pd.DataFrame, path) -> None:
    for col in ("unit_id", "doc_id", "stratum"):
        empty = df[col].str.strip() == ""
        if empty.any():
            raise _invalid(path, f"line {_first_bad(empty)}: {col} is empty", _FIX_COLUMNS + ".")
    dup = df["unit_id"].duplicated(keep=False)
    if dup.any():
        unit = df.loc[dup, "unit_id"].iloc[0]
        lines = [int(i) + 2 for i in np.flatnonzero((df["unit_id"] == unit).to_numpy())]
        raise _invalid(path, f"unit_id {unit} appears on lines {lines}", "Each unit appears once.")


def _design_columns(df: pd.DataFrame, path) -> pd.DataFrame:
    """inclusion_prob, N_stratum, n_stratum: checked for consistency within each stratum."""
    prob = pd.to_numeric(df["inclusion_prob"].str.strip(), errors="coerce")
    bad = prob.isna() | (prob <= 0) | (prob > 1)
    if bad.any():
        line = _first_bad(bad)
        raise _invalid(
            path,
            f"line {line}: inclusion_prob = {df['inclusion_prob'].iloc[line - 2]!r} is not in (0, 1]",
            "inclusion_prob is the unit's probability of being drawn (n_stratum / N_stratum).",
        )
    rows = df.groupby("stratum")["unit_id"].transform("size").astype("int64")
    n = _integers(df, "n_stratum", path, 1) if "n_stratum" in df.columns else rows
    big_n = (
        _integers(df, "N_stratum", path, 1)
        if "N_stratum" in df.columns
        else (n / prob).round().astype("int64")
    )
    out = pd.DataFrame({"stratum": df["stratum"], "p": prob, "n": n, "N": big_n, "rows": rows})
    spread = out.groupby("stratum")[["p", "n", "N"]].agg(lambda s: s.max() - s.min())
    varies = spread[(spread["p"] > 1e-9) | (spread["n"] > 0) | (spread["N"] > 0)]
    if len(varies):
        raise _invalid(
            path,
            f"stratum {varies.index[0]!r} has more than one inclusion_prob, n_stratum or N_stratum",
            "Units of a stratum share its design values.",
        )
    checks = (
        (out["n"] > out["N"], "n_stratum > N_stratum"),
        (out["rows"] > out["n"], "more rows than n_stratum"),
        (
            (out["p"] - out["n"] / out["N"]).abs() > 1e-6 * out["p"],
            "inclusion_prob != n_stratum / N_stratum",
        ),
    )
    for mask, what in checks:
        if mask.any():
            stratum = out.loc[mask, "stratum"].iloc[0]
            raise _invalid(
                path,
                f"stratum {stratum!r}: {what}",
                "Within a stratum, n_stratum units are drawn uniformly from N_stratum, so "
                "inclusion_prob = n_stratum / N_stratum.",
            )
    return out


def load_design_sample(path: str | os.PathLike) -> pd.DataFrame:
    """Read and check a coded probability sample (the format of ``design_sample.csv``).

    Parameters
    ----------
    path : path-like
        CSV with at least unit_id, doc_id, start_char, end_char, text, humanitarian, security,
        stratum, inclusion_prob; N_stratum and n_stratum are recommended (without them,
        n_stratum = the stratum's rows and N_stratum = n_stratum / inclusion_prob);
        language, country, administration and sent_id are kept when present. Other columns
        (coder codes, notes) are ignored.

    Returns
    -------
    DataFrame
        Schema ``design_sample``: unit_id, doc_id, language, country, administration, sent_id
        (-1 when absent), start_char, end_char, text, humanitarian, security, stratum,
        N_stratum, n_stratum, inclusion_prob; in file order.

    Raises
    ------
    ConfigError
        When the file is missing, unreadable or breaks a rule; the message names the file, the
        line or stratum, and what to do.

    Examples
    --------
    >>> design = load_design_sample("../shared/validation/design_sample.csv")  # doctest: +SKIP
    >>> design.groupby("stratum")["inclusion_prob"].first().head(2)  # doctest: +SKIP
    """
    from framelens.schemas import validate

    path = Path(path)
    df = _read(path)
    _check_ids(df, path)
    start = _integers(df, "start_char", path, 0)
    end = _integers(df, "end_char", path, 0)
    if (end <= start).any():
        line = _first_bad(end <= start)
        raise _invalid(path, f"line {line}: end_char <= start_char", "Offsets are [start, end).")
    design = _design_columns(df, path)
    out = pd.DataFrame({"unit_id": df["unit_id"].str.strip(), "doc_id": df["doc_id"].str.strip()})
    for col in OPTIONAL_TEXT:
        out[col] = df[col].str.strip() if col in df.columns else ""
    out["sent_id"] = _integers(df, "sent_id", path, 0) if "sent_id" in df.columns else -1
    out["start_char"], out["end_char"], out["text"] = start, end, df["text"]
    for frame in CODED_FRAMES:
        out[frame] = _codes(df, frame, path)
    out["stratum"] = df["stratum"].str.strip()
    out["N_stratum"], out["n_stratum"] = design["N"], design["n"]
    out["inclusion_prob"] = design["p"].astype(float)
    for col in ("unit_id", "doc_id", *OPTIONAL_TEXT, "text", "stratum"):
        out[col] = out[col].astype(str)
    return validate(out[list(DESIGN_COLUMNS)].reset_index(drop=True), "design_sample")


def default_design_sample(gold: str | os.PathLike | None) -> Path | None:
    """The design sample found beside the gold file (``design_sample.csv``), or None.

    The run uses it when no ``--design-sample FILE`` is given, as it finds the gold file.
    """
    if not gold:
        return None
    path = Path(gold).parent / "design_sample.csv"
    return path if path.is_file() else None


def normalise_text(text: str) -> str:
    """Text as compared by ``match_design_sample``: folded, non-alphanumerics collapsed.

    >>> normalise_text("  Niñas, niños —\\nY adolescentes.")
    'ninas ninos y adolescentes'
    """
    return _NON_WORD.sub(" ", fold(str(text))).strip()


def _unmatched_reason(unit, sents: pd.DataFrame | None) -> str:
    """Why a unit found no sentence (``sents``: the run's sentences of its document)."""
    if sents is None or sents.empty:
        return "document not in this run"
    s, e = int(unit.start_char), int(unit.end_char)
    same = sents[(sents["start_char"] == s) & (sents["end_char"] == e)]
    if len(same):
        return f"the run's sentence {int(same['sent_id'].iloc[0])} at these offsets has other text"
    over = sents[(sents["start_char"] < e) & (sents["end_char"] > s)]
    if over.empty:
        return "no run sentence at these offsets or with this text"
    ids = over["sent_id"].astype(int).tolist()
    if len(ids) == 1:
        return f"segmentation differs: the coded text is part of the run's sentence {ids[0]}"
    return f"segmentation differs: the coded text spans the run's sentences {ids[0]}-{ids[-1]}"


def _text_match(unit, sents: pd.DataFrame) -> int | None:
    """sent_id of the run sentence with the unit's normalised text, nearest to its offsets."""
    key = normalise_text(unit.text)
    if not key:
        return None
    hit = sents[sents["_norm"] == key]
    if hit.empty:
        return None
    nearest = (hit["start_char"] - int(unit.start_char)).abs().to_numpy().argmin()
    return int(hit["sent_id"].iloc[nearest])


def match_design_sample(
    design: pd.DataFrame, sentences: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match coded units to this run's sentences: by offsets, else by text within the document.

    Parameters
    ----------
    design : DataFrame
        A loaded design sample (``load_design_sample``).
    sentences : DataFrame
        The run's ``sentences`` table (doc_id, sent_id, start_char, end_char, text).

    Returns
    -------
    matched : DataFrame
        The design's columns plus ``run_sent_id`` (this run's sentence) and ``match``
        ("offsets" | "text"), in the design's order.
    unmatched : DataFrame
        The design's columns plus ``reason`` (one line: why no sentence was found).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "start_char": [0, 10],
    ...                   "end_char": [9, 20], "text": ["One here.", "Two there."]})
    >>> d = pd.DataFrame({"unit_id": ["a", "b"], "doc_id": ["d", "d"], "start_char": [0, 12],
    ...                   "end_char": [9, 22], "text": ["One here.", "two there"]})
    >>> m, u = match_design_sample(d, s)
    >>> m[["unit_id", "run_sent_id", "match"]].to_dict("records")
    [{'unit_id': 'a', 'run_sent_id': 0, 'match': 'offsets'}, {'unit_id': 'b', 'run_sent_id': 1, 'match': 'text'}]
    """
    cols = ["doc_id", "sent_id", "start_char", "end_char", "text"]
    docs = set(design["doc_id"])
    run = sentences.loc[sentences["doc_id"].isin(docs), cols].copy()
    run["_norm"] = run["text"].map(normalise_text)
    by_doc = {d: g for d, g in run.groupby("doc_id", sort=False)}
    sent_ids, methods, reasons = [], [], []
    for unit in design.itertuples(index=False):
        sents = by_doc.get(unit.doc_id)
        found, how = None, ""
        if sents is not None:
            same = sents[
                (sents["start_char"] == int(unit.start_char))
                & (sents["end_char"] == int(unit.end_char))
            ]
            if len(same) and same["_norm"].iloc[0] == normalise_text(unit.text):
                found, how = int(same["sent_id"].iloc[0]), "offsets"
            else:
                found = _text_match(unit, sents)
                how = "text" if found is not None else ""
        sent_ids.append(found)
        methods.append(how)
        reasons.append("" if found is not None else _unmatched_reason(unit, sents))
    ok = np.array([x is not None for x in sent_ids], dtype=bool)
    matched = design.loc[ok].copy()
    matched["run_sent_id"] = np.array([x for x in sent_ids if x is not None], dtype="int64")
    matched["match"] = [m for m, k in zip(methods, ok, strict=True) if k]
    unmatched = design.loc[~ok].copy()
    unmatched["reason"] = [r for r, k in zip(reasons, ok, strict=True) if not k]
    return matched.reset_index(drop=True), unmatched.reset_index(drop=True)


def design_units(matched: pd.DataFrame, unmatched: pd.DataFrame) -> pd.DataFrame:
    """One row per coded unit (schema ``design_units``): how it met the run, and its weight.

    The weight of a matched unit is N_stratum / m, where m is the number of matched units of its
    stratum (the design weight 1 / inclusion_prob, raised so that the matched units of a
    stratum stand for the whole stratum: unmatched units are treated as missing at random
    within their stratum). Unmatched units have weight NaN and sent_id -1.
    """
    from framelens.schemas import validate

    m = matched.copy()
    m_h = m.groupby("stratum")["unit_id"].transform("size")
    m["weight"] = m["N_stratum"] / m_h
    m["sent_id"] = m["run_sent_id"]
    m["reason"] = ""
    u = unmatched.copy()
    u["weight"], u["sent_id"], u["match"] = np.nan, -1, "unmatched"
    cols = [
        "unit_id",
        "doc_id",
        "stratum",
        "inclusion_prob",
        "weight",
        "match",
        "sent_id",
        "reason",
    ]
    out = pd.concat([m[cols], u[cols]], ignore_index=True)
    out["sent_id"] = out["sent_id"].astype("int64")
    out["weight"] = out["weight"].astype(float)
    for col in ("unit_id", "doc_id", "stratum", "match", "reason"):
        out[col] = out[col].astype(str)
    return validate(
        out.sort_values("unit_id", kind="stable").reset_index(drop=True), "design_units"
    )
