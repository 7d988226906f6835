"""OLS of a document measure on country x administration with a document-type control
(table ``frame_regression``), with cluster-robust standard errors by issuer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.settings import DEFAULTS
from framelens.analysis.stats.tidy import check_columns, norm_key, typed, weighting_label
from framelens.analysis.stats.units import cluster_labels
from framelens.core.domain import UNKNOWN, group_sort_key
from framelens.core.formatting import num
from framelens.schemas import columns_of

REGRESSION_COLUMNS = columns_of("frame_regression")


@dataclass
class RegressionResult:
    """OLS fits of one or more measures on country x administration + document type.

    ``table`` is the table ``frame_regression`` (columns ``REGRESSION_COLUMNS``); ``models``
    maps measure -> the statsmodels results object (None when the model could not be fitted).
    ``framelens.outputs.tables.regression_to_latex(result.table)`` renders it for LaTeX.
    """

    table: pd.DataFrame
    models: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result's tables by table name: ``{"frame_regression": ...}``."""
        return {"frame_regression": self.table}

    def summary(self) -> str:
        """A plain-text summary: per measure its fit, reference cell and coefficients."""
        t = self.table
        if t.empty:
            return "Regression: no model fitted.\n" + "".join(f"Note: {n}\n" for n in self.notes)
        lines = []
        for measure, sub in t.groupby("measure", sort=False):
            first = sub.iloc[0]
            lines.append(
                f"OLS of {measure}: n={first['n']}, SE {first['cov_type']}, "
                f"clusters={first['n_clusters']}, weighting {first['weighting']}"
            )
            lines.append(f"reference: {first['reference']}")
            lines.append(
                sub[["term", "coef", "se", "t", "p", "ci_low", "ci_high"]].to_string(
                    index=False, float_format=lambda x: num(x, missing="nan")
                )
            )
            if isinstance(first["note"], str) and first["note"]:
                lines.append(f"Note: {first['note']}")
            lines.append("")
        return "\n".join(lines)


def _group_columns(df: pd.DataFrame) -> tuple[dict[str, np.ndarray], list[str]]:
    """Intercept, country dummies and administration-within-country dummies; reference parts."""
    countries = sorted(df["country"].unique(), key=group_sort_key)
    cols: dict[str, np.ndarray] = {"Intercept": np.ones(len(df))}
    ref_parts = [f"country={countries[0]}"]
    for c in countries[1:]:
        cols[f"country[{c}]"] = (df["country"] == c).to_numpy(dtype=float)
    for c in countries:
        admins = sorted(
            df.loc[df["country"] == c, "administration"].unique(),
            key=lambda a, c=c: group_sort_key(c, a),
        )
        ref_parts.append(f"{c} administration={admins[0]}")
        for a in admins[1:]:
            cols[f"{c}: {a} (vs {admins[0]})"] = (
                (df["country"] == c) & (df["administration"] == a)
            ).to_numpy(dtype=float)
    return cols, ref_parts


def _design(df: pd.DataFrame, control: str | None) -> tuple[pd.DataFrame, str, list[str]]:
    """Treatment-coded design: intercept, country, administrations nested in country, control."""
    notes: list[str] = []
    cols, ref_parts = _group_columns(df)
    X = pd.DataFrame(cols, index=df.index)
    if control is not None:
        ctrl = norm_key(df[control])
        counts = ctrl.value_counts()
        levels = sorted(counts.index, key=lambda v: (-counts[v], v))
        ref_parts.append(f"{control}={levels[0]}")
        dropped = []
        for lev in sorted(levels[1:]):
            candidate = (ctrl == lev).to_numpy(dtype=float)
            trial = np.column_stack([X.to_numpy(), candidate])
            if np.linalg.matrix_rank(trial) > np.linalg.matrix_rank(X.to_numpy()):
                X[f"{control}[{lev}]"] = candidate
            else:
                dropped.append(lev)
        if dropped:
            notes.append(
                f"{control} level(s) {', '.join(dropped)} collinear with the groups: not estimated"
            )
    return X, "; ".join(ref_parts), notes


def _rows_to_fit(
    table: pd.DataFrame, measure: str, weights: str | None
) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows with a value, a known country and administration (and a positive weight)."""
    df = table.copy()
    df["country"] = norm_key(df["country"])
    df["administration"] = norm_key(df["administration"])
    y = pd.to_numeric(df[measure], errors="coerce")
    ok = y.notna() & (df["administration"] != UNKNOWN) & (df["country"] != UNKNOWN)
    if weights is not None:
        w = pd.to_numeric(df[weights], errors="coerce")
        ok &= w.notna() & (w > 0)
    return df[ok], y[ok].to_numpy(dtype=float)


def _fit(
    model: Any, df: pd.DataFrame, cluster: str | None, min_clusters: int
) -> tuple[Any, str, int | None, list[str]]:
    """Fit with CR1 cluster-robust SEs, or HC1 without a cluster column or with few clusters.

    Returns the fit, its covariance label, the number of clusters and notes.
    """
    if cluster is None or cluster not in df.columns:
        return model.fit(cov_type="HC1", use_t=True), "HC1", None, []
    groups = pd.factorize(cluster_labels(df, cluster, fallback_prefix=""), sort=True)[0]
    n_clusters = int(groups.max() + 1)
    if n_clusters >= min_clusters:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        return fit, "cluster (CR1)", n_clusters, []
    note = (
        f"only {n_clusters} {cluster} cluster(s) (< {min_clusters}): HC1 "
        "heteroskedasticity-robust SEs instead of cluster-robust"
    )
    return model.fit(cov_type="HC1", use_t=True), "HC1", n_clusters, [note]


def _coefficient_rows(fit: Any, terms: Sequence[str], ci: float, **fixed: Any) -> list[dict]:
    """One row per term of a fitted model; ``fixed`` holds the columns shared by all rows."""
    conf = fit.conf_int(alpha=1 - ci)
    return [
        {
            "measure": fixed["measure"], "term": term, "coef": float(fit.params[term]),
            "se": float(fit.bse[term]), "t": float(fit.tvalues[term]),
            "p": float(fit.pvalues[term]), "ci_low": float(conf.loc[term, 0]),
            "ci_high": float(conf.loc[term, 1]), "ci_level": ci, "n": int(fit.nobs),
            "n_clusters": fixed["n_clusters"], "cov_type": fixed["cov_type"],
            "weighting": fixed["weighting"], "reference": fixed["reference"],
            "note": fixed["note"],
        }
        for term in terms
    ]  # fmt: skip


def regress(
    table: pd.DataFrame,
    value: str | Sequence[str],
    *,
    control: str | None = "doc_type",
    cluster: str | None = "issuer",
    weights: str | None = None,
    min_clusters: int = 10,
    ci: float = DEFAULTS.ci,
) -> RegressionResult:
    """OLS of a document measure on country x administration with a document-type control.

    Model: ``value ~ 1 + country + administration-within-country + doc_type``, treatment
    coded: the intercept is the reference cell (first country, its first administration in
    the data, most frequent document type); ``country[MX]`` compares the first administrations
    of the two countries; ``US: Biden (vs Trump I)`` is the difference between administrations
    of one country holding document type fixed. Rows with administration "unknown" or a
    missing value are left out.

    Parameters
    ----------
    table : DataFrame
        ``frame_scores`` (one row per document). Not modified.
    value : str or sequence of str
        Measure(s); one model per measure.
    control : str or None, default "doc_type"
        Categorical control (missing values form a level "unknown"); collinear levels dropped
        with a note.
    cluster : str or None, default "issuer"
        Cluster-robust (CR1) standard errors by this column, t reference with G-1 degrees of
        freedom; with fewer than ``min_clusters`` clusters, HC1 standard errors instead, with a
        note (cluster-robust errors are unreliable with few clusters).
    weights : str, optional
        WLS weights column (e.g. ``"n_tokens"``); default OLS, each document once.
    min_clusters : int, default 10
    ci : float, default 0.95

    Returns
    -------
    RegressionResult
        ``.table`` (``frame_regression``), ``.models``, ``.tables()``, ``.summary()``.
    """
    import statsmodels.api as sm

    measures = [value] if isinstance(value, str) else list(value)
    check_columns(table, measures, "regress value")
    check_columns(table, ["country", "administration", control, weights], "regress")
    rows: list[dict[str, Any]] = []
    models: dict[str, Any] = {}
    notes_all: list[str] = []
    for measure in measures:
        df, yv = _rows_to_fit(table, measure, weights)
        models[measure] = None
        if df.empty:
            notes_all.append(f"{measure}: no rows to fit")
            continue
        X, reference, notes = _design(df, control if control in df.columns else None)
        if len(df) <= X.shape[1]:
            notes_all.append(f"{measure}: {len(df)} rows for {X.shape[1]} parameters, not fitted")
            continue
        model = (
            sm.WLS(yv, X, weights=pd.to_numeric(df[weights]).to_numpy(dtype=float))
            if weights is not None
            else sm.OLS(yv, X)
        )
        fit, cov_type, n_clusters, fit_notes = _fit(model, df, cluster, min_clusters)
        notes += fit_notes
        models[measure] = fit
        rows += _coefficient_rows(
            fit, X.columns, ci, measure=measure, n_clusters=n_clusters, cov_type=cov_type,
            weighting=weighting_label(weights), reference=reference,
            note="; ".join(notes) if notes else None,
        )  # fmt: skip
    out = typed(pd.DataFrame(rows, columns=REGRESSION_COLUMNS))
    out["n_clusters"] = out["n_clusters"].astype("Int64")
    return RegressionResult(table=out, models=models, notes=notes_all)
