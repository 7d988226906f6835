"""Co-occurrence shares by country x administration (table ``cooccurrence_by_group``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framelens.analysis.stats.groups import BY_DEFAULT, ComparisonResult, compare_measures
from framelens.analysis.stats.settings import StatsSettings, resolve
from framelens.core.errors import ConfigError, Errors

#: Co-occurrence shares and the hit counts that are their denominators (for hit weighting).
COOCCURRENCE_MEASURES: dict[str, str] = {
    "hum_in_sec_share": "hum_hits",
    "sec_in_hum_share": "sec_hits",
}
WEIGHTINGS = ("document", "hits")


def cooccurrence_by_group(
    table: pd.DataFrame,
    *,
    weighting: str = "document",
    settings: StatsSettings | None = None,
    **options: Any,
) -> ComparisonResult:
    """Co-occurrence shares by country x administration (table ``cooccurrence_by_group``).

    Parameters
    ----------
    table : DataFrame
        The per-document ``cooccurrence`` table (hum_in_sec_share, sec_in_hum_share, hum_hits,
        sec_hits, country, administration, ...). A share is NaN for a document without hits of
        its frame; such documents are dropped and counted.
    weighting : {"document", "hits"}, default "document"
        ``"document"``: the mean of per-document shares (each document counts once);
        ``"hits"``: each share weighted by its denominator (hum_hits, sec_hits), i.e. the
        pooled share of all humanitarian hits in the group that sit in security sentences.
    settings : StatsSettings, optional
        Statistics settings; keyword ``options`` (seed, n_boot, n_perm, min_n, ci, cluster)
        override them, as in ``compare``.

    Returns
    -------
    ComparisonResult
        ``.groups`` is the table ``cooccurrence_by_group`` (``.tables()`` holds only it; the
        differences are in ``.differences``).
    """
    if weighting not in WEIGHTINGS:
        raise ConfigError(Errors.E026.format(what="cooccurrence_by_group", key="weighting",
                                             value=weighting, allowed=list(WEIGHTINGS)))  # fmt: skip
    measures = [m for m in COOCCURRENCE_MEASURES if m in table.columns]
    if not measures:
        raise ConfigError(Errors.E029.format(what="cooccurrence_by_group",
                                             expected=list(COOCCURRENCE_MEASURES)))  # fmt: skip
    if weighting == "hits":
        weights = {m: COOCCURRENCE_MEASURES[m] for m in measures}
        labels = {m: f"hits ({COOCCURRENCE_MEASURES[m]})" for m in measures}
    else:
        weights = {m: None for m in measures}
        labels = {m: "document" for m in measures}
    return compare_measures(
        table,
        measures,
        BY_DEFAULT,
        weights=weights,
        labels=labels,
        settings=resolve("cooccurrence_by_group", settings, options),
        namespace="cooccurrence",
        table_names={"groups": "cooccurrence_by_group"},
    )
