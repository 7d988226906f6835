"""Views of the ``documents`` table for people: what was quarantined, counts, things to check.

Nothing here reads files; each function takes the table ``extract`` returned and leaves it
unchanged. ``quarantine_table`` is written by a run as ``tables/quarantine.csv``;
``extract_summary`` is the table the CLI prints after a run.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from framelens.core.domain import UNKNOWN, group_sort_key
from framelens.core.errors import Errors
from framelens.schemas import columns_of, validate

#: Values of the documents table's ``status`` column, in report order.
STATUSES: tuple[str, ...] = ("ok", "empty", "error")


def quarantine_table(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents that were not read (status != ok): doc_id, path, format, status, error.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table; not modified.

    Returns
    -------
    pandas.DataFrame
        The ``quarantine`` table (``framelens.schemas.QUARANTINE``), sorted by doc_id; written
        as ``tables/quarantine.csv``.
    """
    columns = columns_of("quarantine")
    bad = documents.loc[documents["status"] != "ok", columns].copy()
    bad = bad.sort_values("doc_id", kind="stable").reset_index(drop=True)
    bad["error"] = [e if isinstance(e, str) and e else "unknown reason" for e in bad["error"]]
    for col in columns:
        bad[col] = pd.Series(bad[col].tolist(), dtype="str")
    return validate(bad, "quarantine")


def extract_summary(documents: pd.DataFrame) -> pd.DataFrame:
    """Counts of documents per country x administration x status.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table.

    Returns
    -------
    pandas.DataFrame
        Columns country, administration, status, n_documents, in the group order of
        ``core.domain.group_sort_key`` (countries US, MX, then others; a missing country is
        shown as "?"; administrations chronologically, "unknown" last), then status ok, empty,
        error.
    """
    df = documents.assign(country=documents["country"].fillna("?"))
    counts = df.groupby(["country", "administration", "status"], dropna=False).size()
    out = counts.rename("n_documents").reset_index()
    if out.empty:
        return pd.DataFrame(columns=["country", "administration", "status", "n_documents"])

    def order(i: int) -> tuple:
        row = out.loc[i]
        status = row["status"]
        s_rank = STATUSES.index(status) if status in STATUSES else len(STATUSES)
        return (*group_sort_key(row["country"], row["administration"]), s_rank)

    out = out.loc[sorted(out.index, key=order)].reset_index(drop=True)
    out["n_documents"] = out["n_documents"].astype("int64")
    return out


def language_disagreements(documents: pd.DataFrame) -> pd.DataFrame:
    """Documents whose declared language differs from the language detected in the text.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table.

    Returns
    -------
    pandas.DataFrame
        doc_id, path, language_declared (manifest or ``<html lang>``), language (detected),
        for readable documents only, sorted by doc_id.
    """
    d = documents
    mask = (
        d["status"].eq("ok")
        & d["language_declared"].notna()
        & d["language"].notna()
        & (d["language_declared"].astype(str) != d["language"].astype(str))
    )
    cols = ["doc_id", "path", "language_declared", "language"]
    return d.loc[mask, cols].sort_values("doc_id").reset_index(drop=True)


def extraction_notes(documents: pd.DataFrame) -> pd.DataFrame:
    """Everything worth a look that did not make a document fail: doc_id, kind, note.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table as ``extract`` returned it (its ``attrs["notes"]`` are used).

    Returns
    -------
    pandas.DataFrame
        doc_id, kind, note, sorted. Kinds: ``language`` (declared != detected), ``undated``
        (administration unknown), ``reader`` (notes recorded during extraction: page limit,
        unreadable pages, a sha256 that differs from the manifest's).
    """
    rows: list[tuple[str, str, str]] = []
    for r in language_disagreements(documents).itertuples(index=False):
        note = Errors.W116.format(declared=r.language_declared, detected=r.language)
        rows.append((r.doc_id, "language", note))
    ok = documents[documents["status"].eq("ok") & documents["administration"].eq(UNKNOWN)]
    for doc_id in ok["doc_id"]:
        rows.append((doc_id, "undated", Errors.W117))
    for doc_id, items in (documents.attrs.get("notes") or {}).items():
        for note in items:
            rows.append((doc_id, "reader", note))
    out = pd.DataFrame(rows, columns=["doc_id", "kind", "note"], dtype="str")
    return out.sort_values(["doc_id", "kind", "note"], kind="stable").reset_index(drop=True)


def status_counts(documents: pd.DataFrame) -> dict[str, int]:
    """Documents per status.

    Parameters
    ----------
    documents : pandas.DataFrame
        The ``documents`` table.

    Returns
    -------
    dict of str to int
        ``{"ok": n, "empty": n, "error": n}``, zeros included.
    """
    c = Counter(documents["status"])
    return {s: int(c.get(s, 0)) for s in STATUSES}
