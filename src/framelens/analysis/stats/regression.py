"""OLS of a document measure on country x administration with a document-type control
(table ``frame_regression``), with cluster-robust standard errors by issuer.

With fewer than ``min_clusters`` issuers (default 50: always, in corpora like the shared one)
the standard errors are CR2 with Bell-McCaffrey degrees of freedom (``cluster_robust``); with
more, CR1 on t(G - 1), which then agrees with CR2 closely. Each term states what it rests on
(``regression_support``): the document types its two cells share, or that it is extrapolated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from framelens.analysis.stats.cluster_robust import cr2
from framelens.analysis.stats.regression_support import cell_coverage_note, term_support
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
    maps measure -> the fitted model (a ``cluster_robust.CR2Fit`` for CR2 standard errors, a
    statsmodels results object for CR1 and HC1; None when the model could not be fitted).
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
            cols = ["term", "coef", "se", "df", "ci_low", "ci_high", "extrapolated", "one_cluster"]
            lines.append(
                sub[cols].to_string(index=False, float_format=lambda x: num(x, missing="nan"))
            )
            for note in dict.fromkeys(n for n in sub["note"] if isinstance(n, str) and n):
                lines.append(f"Note: {note}")
            lines.append("")
        return "\n".join(lines)


def _group_columns(
    df: pd.DataFrame,
) -> tuple[dict[str, np.ndarray], list[str], dict[str, tuple[tuple[str, str], tuple[str, str]]]]:
    """Intercept, country dummies and administration-within-country dummies; reference parts;
    the two cells each group term compares (its cell, the reference cell)."""
    countries = sorted(df["country"].unique(), key=group_sort_key)
    cols: dict[str, np.ndarray] = {"Intercept": np.ones(len(df))}
    ref_parts = [f"country={countries[0]}"]
    first = {
        c: sorted(df.loc[df["country"] == c, "administration"].unique(),
                  key=lambda a, c=c: group_sort_key(c, a))
        for c in countries
    }  # fmt: skip
    compared = {}
    for c in countries[1:]:
        cols[f"country[{c}]"] = (df["country"] == c).to_numpy(dtype=float)
        compared[f"country[{c}]"] = ((c, first[c][0]), (countries[0], first[countries[0]][0]))
    for c in countries:
        admins = first[c]
        ref_parts.append(f"{c} administration={admins[0]}")
        for a in admins[1:]:
            term = f"{c}: {a} (vs {admins[0]})"
            cols[term] = ((df["country"] == c) & (df["administration"] == a)).to_numpy(float)
            compared[term] = ((c, a), (c, admins[0]))
    return cols, ref_parts, compared


@dataclass
class _Design:
    X: pd.DataFrame
    reference: str
    notes: list[str]
    compared: dict
    genre: pd.Series | None = None
    reference_level: str | None = None


def _design(df: pd.DataFrame, control: str | None) -> _Design:
    """Treatment-coded design: intercept, country, administrations nested in country, control."""
    notes: list[str] = []
    cols, ref_parts, compared = _group_columns(df)
    X = pd.DataFrame(cols, index=df.index)
    design = _Design(X, "", notes, compared)
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
                f"{control} level(s) {', '.join(dropped)} collinear with the groups (and the "
                "other levels): dropped, not estimated"
            )
        design.genre, design.reference_level = ctrl, levels[0]
    design.reference = "; ".join(ref_parts)
    return design


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


@dataclass
class _Estimates:
    """Coefficient arrays of one fit (aligned with the design's columns) and its labels."""

    model: Any
    values: dict[str, np.ndarray]
    cov_type: str
    n_clusters: int | None
    notes: list[str]


def _statsmodels_estimates(fit: Any, ci: float, df: np.ndarray) -> dict[str, np.ndarray]:
    conf = np.asarray(fit.conf_int(alpha=1 - ci))
    return {
        "coef": np.asarray(fit.params), "se": np.asarray(fit.bse),
        "t": np.asarray(fit.tvalues), "df": df, "p": np.asarray(fit.pvalues),
        "ci_low": conf[:, 0], "ci_high": conf[:, 1],
    }  # fmt: skip


def _fit(
    model: Any, df: pd.DataFrame, cluster: str | None, min_clusters: int, ci: float
) -> _Estimates:
    """CR2 with Bell-McCaffrey df for 2 to ``min_clusters - 1`` clusters, CR1 from
    ``min_clusters`` on, HC1 without a cluster column or with a single cluster."""
    k = model.exog.shape[1]
    if cluster is None or cluster not in df.columns:
        fit = model.fit(cov_type="HC1", use_t=True)
        dfs = np.full(k, float(fit.df_resid))
        return _Estimates(fit, _statsmodels_estimates(fit, ci, dfs), "HC1", None, [])
    labels = cluster_labels(df, cluster, fallback_prefix="")
    groups = pd.factorize(labels, sort=True)[0]
    n_clusters = int(groups.max() + 1)
    if n_clusters < 2:
        fit = model.fit(cov_type="HC1", use_t=True)
        note = f"a single {cluster} cluster: HC1 standard errors, which ignore clustering"
        dfs = np.full(k, float(fit.df_resid))
        return _Estimates(fit, _statsmodels_estimates(fit, ci, dfs), "HC1", 1, [note])
    if n_clusters >= min_clusters:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        dfs = np.full(k, float(n_clusters - 1))
        return _Estimates(fit, _statsmodels_estimates(fit, ci, dfs), "cluster (CR1)",
                          n_clusters, [])  # fmt: skip
    weights = getattr(model, "weights", None)
    res = cr2(model.exog, model.endog, groups, None if np.isscalar(weights) else weights)
    values = {"coef": res.params, "se": res.se, "df": res.df, **res.tests(ci)}
    note = (
        f"{n_clusters} {cluster} clusters (< {min_clusters}): CR2 standard errors with "
        "Bell-McCaffrey degrees of freedom (small-sample cluster-robust)"
    )
    return _Estimates(res, values, "cluster (CR2, Bell-McCaffrey df)", n_clusters, [note])


def _coefficient_rows(
    est: _Estimates, terms: Sequence[str], support: dict[str, dict], ci: float, **fixed: Any
) -> list[dict]:
    """One row per term; ``fixed`` holds measure, n, weighting, reference and model notes."""
    rows = []
    for j, term in enumerate(terms):
        v = {name: float(arr[j]) for name, arr in est.values.items()}
        notes = [*fixed["notes"], *support[term]["notes"]]
        rows.append({
            "measure": fixed["measure"], "term": term, **v, "ci_level": ci, "n": fixed["n"],
            "n_clusters": est.n_clusters, "cov_type": est.cov_type,
            "support": support[term]["support"],
            "extrapolated": bool(support[term]["extrapolated"]),
            "one_cluster": bool(support[term]["one_cluster"]),
            "weighting": fixed["weighting"], "reference": fixed["reference"],
            "note": "; ".join(notes) if notes else None,
        })  # fmt: skip
    return rows


def _support(df: pd.DataFrame, design: _Design, ctrl: str | None, cluster: str | None) -> dict:
    """``regression_support.term_support`` of the design's terms (clusters when given)."""
    clusters = None
    if cluster is not None and cluster in df.columns:
        clusters = cluster_labels(df, cluster, fallback_prefix="")
    return term_support(df, list(design.X.columns), design.compared, design.genre, ctrl,
                        design.reference_level, clusters)  # fmt: skip


def _model(X: pd.DataFrame, y: np.ndarray, df: pd.DataFrame, weights: str | None) -> Any:
    """The statsmodels OLS (or WLS with the ``weights`` column) of ``y`` on ``X``."""
    import statsmodels.api as sm

    if weights is None:
        return sm.OLS(y, X)
    return sm.WLS(y, X, weights=pd.to_numeric(df[weights]).to_numpy(dtype=float))


def regress(
    table: pd.DataFrame,
    value: str | Sequence[str],
    *,
    control: str | None = "doc_type",
    cluster: str | None = "issuer",
    weights: str | None = None,
    min_clusters: int = 50,
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
        Cluster-robust standard errors by this column (a missing label is its own cluster):
        with fewer than ``min_clusters`` clusters CR2 with Bell-McCaffrey degrees of freedom
        per coefficient (reliable with few clusters), else CR1 with t(G - 1). None (or a single
        cluster): HC1, with a note.
    weights : str, optional
        WLS weights column (e.g. ``"n_tokens"``); default OLS, each document once.
    min_clusters : int, default 50
        From this many clusters on, CR1 (statsmodels) instead of CR2.
    ci : float, default 0.95

    Returns
    -------
    RegressionResult
        ``.table`` (``frame_regression``), ``.models``, ``.tables()``, ``.summary()``. Each term
        carries its degrees of freedom (``df``), what it rests on (``support``: the document
        types its two cells share), ``extrapolated`` (they share none: the term rests on the
        additivity of document-type effects) and ``one_cluster`` (a side of its comparison
        comes from one cluster: confounded with that issuer); collinear control levels are
        dropped with a note.
    """
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
        ctrl = control if control in df.columns else None
        design = _design(df, ctrl)
        if len(df) <= design.X.shape[1]:
            notes_all.append(
                f"{measure}: {len(df)} rows for {design.X.shape[1]} parameters, not fitted"
            )
            continue
        est = _fit(_model(design.X, yv, df, weights), df, cluster, min_clusters, ci)
        models[measure] = est.model
        support = _support(df, design, ctrl, cluster)
        coverage = cell_coverage_note(df, design.genre, ctrl)
        notes = design.notes + est.notes + ([coverage] if coverage else [])
        rows += _coefficient_rows(
            est, list(design.X.columns), support, ci, measure=measure, n=len(df),
            weighting=weighting_label(weights), reference=design.reference, notes=notes,
        )  # fmt: skip
    out = typed(pd.DataFrame(rows, columns=REGRESSION_COLUMNS))
    out["n_clusters"] = out["n_clusters"].astype("Int64")
    return RegressionResult(table=out, models=models, notes=notes_all)
