"""Co-occurrence by country x administration, read against a null model (table
``cooccurrence_by_group``).

The share of humanitarian hits that sit in sentences with a security hit (and the reverse) is
partly mechanical: it grows with the other frame's number of hits. Each group's observed share
is therefore reported beside the share expected when each document's frame labels are permuted
among its hits (``cooccurrence_null``), and their ratio O/E with a document-resampled interval:
O/E near 1 is what chance gives, above 1 the frames share sentences more often than chance.
Methods: ``docs/statistics.md`` §7.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.cooccurrence_groups import group_row
from framelens.analysis.stats.cooccurrence_null import (
    DIRECTIONS,
    DOCUMENT_COLUMNS,
    NULL_MODEL,
    document_cooccurrence,
)
from framelens.analysis.stats.groups import BY_DEFAULT
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.analysis.stats.tidy import check_columns, norm_key, sort_keys
from framelens.analysis.stats.units import group_positions
from framelens.core.errors import ConfigError, Errors
from framelens.core.formatting import ci_text, num
from framelens.schemas import columns_of, validate

#: Co-occurrence shares and the hit counts that are their denominators (for hit weighting).
COOCCURRENCE_MEASURES: dict[str, str] = {
    "hum_in_sec_share": "hum_hits",
    "sec_in_hum_share": "sec_hits",
}
WEIGHTINGS = ("document", "hits")
COOCCURRENCE_COLUMNS = columns_of("cooccurrence_by_group")
NO_NULL_MODEL = "none (no sentence_frames: observed shares only)"
_WHAT = "cooccurrence_by_group"


@dataclass
class CooccurrenceResult:
    """Result of ``cooccurrence_by_group``.

    Attributes
    ----------
    groups : DataFrame
        Table ``cooccurrence_by_group`` (one row per country x administration).
    documents : DataFrame
        Per document: the grouping columns, hum_hits, sec_hits and the observed and expected
        co-occurrence counts of both directions (not written; for checks and notebooks).
    settings : dict
    notes : list of str
    """

    groups: pd.DataFrame
    documents: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"cooccurrence_by_group": groups}``."""
        return {"cooccurrence_by_group": self.groups}

    def long(self) -> pd.DataFrame:
        """The groups as one row per measure x group (``cooccurrence_long``)."""
        return cooccurrence_long(self.groups)

    def summary(self) -> str:
        """Observed share, expected share and O/E with its interval, per group and direction."""
        s = self.settings
        lines = [f"Co-occurrence by country x administration (weighting {s.get('weighting')}; "
                 f"null model: {s.get('null_model')})"]  # fmt: skip
        for r in self.groups.to_dict(orient="records"):
            for prefix, _f, _o in DIRECTIONS:
                oe = ci_text(r[f"{prefix}_oe_ci_low"], r[f"{prefix}_oe_ci_high"], missing="n/a")
                lines.append(
                    f"  {r['country']} {r['administration']:<12} {prefix}: observed "
                    f"{num(r[f'{prefix}_share'], missing='nan')} expected "
                    f"{num(r[f'{prefix}_expected'], missing='nan')} O/E "
                    f"{num(r[f'{prefix}_oe'], missing='nan')} {oe} "
                    f"(n={r[f'{prefix}_n_docs']})"
                )
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def cooccurrence_by_group(
    table: pd.DataFrame,
    sentence_frames: pd.DataFrame | None = None,
    *,
    weighting: str = "document",
    settings: StatsSettings | None = None,
    **options: Any,
) -> CooccurrenceResult:
    """Co-occurrence shares by country x administration against a null model.

    Parameters
    ----------
    table : DataFrame
        The per-document ``cooccurrence`` table (doc_id, country, administration, hum_hits,
        sec_hits, hum_in_sec_share, sec_in_hum_share, issuer, ...).
    sentence_frames : DataFrame, optional
        The ``sentence_frames`` table (doc_id, hits_humanitarian, hits_security per sentence):
        the observed counts and their expectation under the null model come from it. Without
        it only the observed shares are reported (expected and O/E are NaN, noted).
    weighting : {"document", "hits"}, default "document"
        ``"document"``: means of per-document shares (each document with a hit of the frame
        counts once); ``"hits"``: pooled shares (all humanitarian hits of the group in security
        sentences over all its humanitarian hits).
    settings : StatsSettings, optional
        Statistics settings; keyword ``options`` (seed, n_boot, min_n, ci, cluster) override
        them. ``cluster`` resamples clusters of documents (e.g. issuers).

    Returns
    -------
    CooccurrenceResult
        ``.groups`` is the table ``cooccurrence_by_group``; ``.tables()``, ``.long()``,
        ``.summary()``.

    Examples
    --------
    >>> res = cooccurrence_by_group(cooccurrence, sentence_frames, seed=1)  # doctest: +SKIP
    >>> res.groups[["administration", "hum_in_sec_share", "hum_in_sec_oe"]]  # doctest: +SKIP
    """
    if weighting not in WEIGHTINGS:
        raise ConfigError(Errors.E026.format(what=_WHAT, key="weighting", value=weighting,
                                             allowed=list(WEIGHTINGS)))  # fmt: skip
    s = resolve(_WHAT, settings, options)
    if not 0.5 < s.ci < 1:
        raise ConfigError(Errors.E024.format(what=_WHAT, ci=s.ci))
    docs, notes = cooccurrence_documents(table, sentence_frames)
    check_columns(docs, [s.cluster], f"{_WHAT} cluster")
    grouped = group_positions(docs, list(BY_DEFAULT))
    rows = [
        group_row(docs, grouped[key], key, weighting, s, "cooccurrence")
        for key in sort_keys(grouped.keys(), BY_DEFAULT)
    ]
    null_model = NULL_MODEL if sentence_frames is not None else NO_NULL_MODEL
    groups = pd.DataFrame(rows)
    if len(groups):
        groups["weighting"] = weighting
        groups["null_model"] = null_model
    groups = validate(groups.reindex(columns=COOCCURRENCE_COLUMNS), _WHAT)
    record = {"weighting": weighting, "null_model": null_model, "cluster": s.cluster,
              "n_boot": s.n_boot, "min_n": s.min_n, "ci": s.ci, "seed": s.seed}  # fmt: skip
    return CooccurrenceResult(groups.reset_index(drop=True), docs, record, notes)


def cooccurrence_documents(
    table: pd.DataFrame, sentence_frames: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[str]]:
    """Per document: grouping columns (``unknown`` when missing), issuer and cluster columns,
    and the counts of ``cooccurrence_null.DOCUMENT_COLUMNS``; and notes."""
    check_columns(table, list(BY_DEFAULT), f"{_WHAT} by")
    counts = [c for c in DOCUMENT_COLUMNS if c != "doc_id"]
    meta = table.drop(columns=[c for c in counts if c in table.columns]).reset_index(drop=True)
    for col in BY_DEFAULT:
        meta[col] = norm_key(meta[col])
    if sentence_frames is not None:
        check_columns(table, ["doc_id"], _WHAT)
        per_doc = document_cooccurrence(sentence_frames).set_index("doc_id")
        found = per_doc.reindex(meta["doc_id"].astype(str)).reset_index(drop=True)
        docs = pd.concat([meta, found.fillna(0.0)], axis=1)
        return docs, []
    missing = [m for m in COOCCURRENCE_MEASURES if m not in table.columns]
    if missing:
        raise ConfigError(Errors.E029.format(what=_WHAT, expected=list(COOCCURRENCE_MEASURES)))
    check_columns(table, list(COOCCURRENCE_MEASURES.values()), _WHAT)
    docs = meta.copy()
    for prefix, _f, _o in DIRECTIONS:
        hits_col = COOCCURRENCE_MEASURES[f"{prefix}_share"]
        hits = pd.to_numeric(table[hits_col]).to_numpy(dtype=float)
        share = pd.to_numeric(table[f"{prefix}_share"]).to_numpy(dtype=float)
        docs[hits_col] = hits
        docs[f"{prefix}_observed"] = np.where(hits > 0, np.nan_to_num(share) * hits, 0.0)
        docs[f"{prefix}_expected"] = np.nan
    return docs, ["no sentence_frames: expected co-occurrence and O/E not computed"]


def cooccurrence_long(groups: pd.DataFrame) -> pd.DataFrame:
    """``cooccurrence_by_group`` as one row per measure x group, in the layout of
    ``frame_by_group`` (measure ``hum_in_sec_share`` or ``sec_in_hum_share``; ``mean``,
    ``ci_low``, ``ci_high`` the observed share), plus ``expected``, ``oe``, ``oe_ci_low``,
    ``oe_ci_high``: for figures and report tables that draw one series per measure.
    """
    parts = []
    for prefix, _f, _o in DIRECTIONS:
        p = f"{prefix}_"
        part = pd.DataFrame(
            {
                "measure": f"{prefix}_share", "country": groups["country"],
                "administration": groups["administration"], "comparable": groups["comparable"],
                "n_docs": groups[p + "n_docs"], "n_missing": groups["n_docs"] - groups[p + "n_docs"],
                "n_units": groups[p + "n_units"], "n_issuers": groups["n_issuers"],
                "mean": groups[p + "share"], "ci_low": groups[p + "share_ci_low"],
                "ci_high": groups[p + "share_ci_high"], "ci_level": groups["ci_level"],
                "ci_method": groups[p + "ci_method"], "n_boot": groups["n_boot"],
                "small_n": groups["small_n"], "min_n": groups["min_n"],
                "weighting": groups["weighting"], "resampling": groups["resampling"],
                "note": groups["note"], "expected": groups[p + "expected"],
                "oe": groups[p + "oe"], "oe_ci_low": groups[p + "oe_ci_low"],
                "oe_ci_high": groups[p + "oe_ci_high"],
            }
        )  # fmt: skip
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
