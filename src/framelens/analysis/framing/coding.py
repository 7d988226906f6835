"""The coding workflow's computations (pure functions over DataFrames; method: ``docs/coding.md``).

- Sampling: a stratified probability sample of a run's sentences (default strata language x
  administration x framed, as in ``../shared/validation/design_sample.csv``); per stratum,
  uniform without replacement, so inclusion_prob = n_stratum / N_stratum.
- Agreement: Krippendorff's alpha (nominal) and percent agreement per label, overall and per
  language; the adjudication sheet of the units where two coders disagree.
- Merge: agreed codes, else adjudicated ones, in the design-sample format.

File reading and writing: ``framelens.pipeline.coding``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from framelens.core.domain import CODED_FRAMES, LANGUAGES, UNKNOWN
from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import rng
from framelens.schemas import columns_of, validate
from framelens.schemas.coding import DESIGN_SAMPLE_COLUMNS

#: The labels coders fill in (the codebook's frames).
LABELS: tuple[str, ...] = CODED_FRAMES
#: Variables a sample can be stratified by (``framed``: the lexicon fired in the sentence).
STRATUM_VARIABLES = ("language", "country", "administration", "doc_type", "issuer", "framed")
DEFAULT_STRATA: tuple[str, ...] = ("language", "administration", "framed")
ALLOCATIONS: tuple[str, ...] = ("equal", "proportional", "neyman")
_ALIASES = {"neyman-ish": "neyman", "neymanish": "neyman"}
_ALLOC = "equal, proportional or neyman-ish (or --sizes FILE)"
_SHEET_META = ("doc_id", "sent_id", "language", "issuer", "title", "text")
_DESIGN = ("stratum", "N_stratum", "n_stratum", "inclusion_prob")
_CODER_COLUMNS = tuple(f"coder_{c}_{f}" for c in "ab" for f in CODED_FRAMES)


def _error(template: str, **kw) -> ConfigError:
    return ConfigError(template.format(**kw))


def _bad_value(key: str, value, reason: str) -> ConfigError:
    return ConfigError(Errors.E003.format(key=key, value=value, reason=reason))


# --------------------------------------------------------------------------- sampling design
@dataclass(frozen=True)
class SampleDesign:
    """Parameters of a stratified sample of sentences (method: ``docs/coding.md`` section 1).

    Parameters
    ----------
    n : int
        Units to draw in all (ignored when ``allocation`` is a mapping of stratum sizes).
    strata : tuple of str, default ("language", "administration", "framed")
        Variables whose cross defines the strata, among ``STRATUM_VARIABLES``.
    allocation : {"equal", "proportional", "neyman"} or mapping stratum -> n, default "equal"
        n_h proportional to 1, to N_h, or to N_h * S_h with S_h = sqrt(e_h (1 - e_h)), e_h the
        guessed error rate of the stratum ("neyman-ish"); a mapping gives every n_h.
    min_per_stratum : int, default 2
        At least this many units per stratum (or all of a smaller one).
    error_framed, error_unframed : float, default 0.35, 0.03
        e_h for ``neyman`` where the lexicon fired / did not (mixed by the share framed).
    include_unknown : bool, default False
        Keep sentences of undated documents (administration "unknown").
    seed : int, default 1
        Seed of the draw (``rng(seed, "gold_sample", stratum)``) and of the sheet's order.
    """

    n: int = 0
    strata: tuple[str, ...] = DEFAULT_STRATA
    allocation: str | Mapping[str, int] = "equal"
    min_per_stratum: int = 2
    error_framed: float = 0.35
    error_unframed: float = 0.03
    include_unknown: bool = False
    seed: int = 1

    def checked(self) -> SampleDesign:
        """The design with ``allocation`` normalised; ``ConfigError`` [E003] if invalid."""
        strata, alloc = tuple(self.strata), self.allocation
        if not isinstance(alloc, Mapping):
            alloc = _ALIASES.get(str(alloc).lower(), str(alloc).lower())
        explicit = isinstance(alloc, Mapping)
        odd = bool(set(strata) - set(STRATUM_VARIABLES)) or len(set(strata)) < len(strata)
        rates = ("error_framed", "error_unframed")
        checks = [  # (failed, key, value, reason)
            (odd, "strata", ",".join(strata), f"use distinct names among {STRATUM_VARIABLES}"),
            (not explicit and alloc not in ALLOCATIONS, "allocation", alloc, "use " + _ALLOC),
            (not explicit and int(self.n) < 1, "n", self.n, "draw at least one unit (--n N)"),
            (
                int(self.min_per_stratum) < 1,
                "min_per_stratum",
                self.min_per_stratum,
                "must be >= 1",
            ),
            *(
                (not 0 < getattr(self, k) < 1, k, getattr(self, k), "must be in (0, 1)")
                for k in rates
            ),
        ]
        for failed, key, value, reason in checks:
            if failed:
                raise _bad_value(f"gold.{key}", value, reason)
        return replace(self, strata=strata, allocation=alloc)

    @property
    def population(self) -> tuple[tuple[str, ...], bool]:
        """``(strata, include_unknown)``: the arguments of ``sampling_frame``."""
        return self.strata, self.include_unknown


@dataclass
class CodingSample:
    """A drawn sample: ``sample`` (design copy), ``sheet`` (blinded), ``strata``, ``design``."""

    sample: pd.DataFrame
    sheet: pd.DataFrame
    strata: pd.DataFrame
    design: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by schema name."""
        names = ("coding_sample", "coding_sheet", "coding_strata")
        return dict(zip(names, (self.sample, self.sheet, self.strata), strict=True))


def unit_ids(doc_id: pd.Series, start_char: pd.Series, end_char: pd.Series) -> pd.Series:
    """Stable unit ids: "u" + the first 10 hex digits of SHA-1 of ``doc_id|start|end``.

    >>> unit_ids(pd.Series(["d"]), pd.Series([0]), pd.Series([5])).iloc[0]
    'u28a4c19553'
    """
    start, end = (c.astype("int64").astype(str) for c in (start_char, end_char))
    keys = doc_id.astype(str) + "|" + start + "|" + end
    return keys.map(lambda k: "u" + hashlib.sha1(k.encode("utf-8")).hexdigest()[:10])


def sampling_frame(
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame,
    strata: tuple[str, ...] = DEFAULT_STRATA,
    include_unknown: bool = False,
) -> pd.DataFrame:
    """The population of sentences, one row each, with metadata, lexicon hits and stratum.

    ``sentences``, ``sentence_frames``, ``documents`` are the run's tables (a sentence without a
    sentence_frames row counts as unframed); ``strata`` and ``include_unknown`` as in
    ``SampleDesign``. Returns, sorted by doc_id, sent_id (inputs unchanged): unit_id, doc_id,
    sent_id, start_char, end_char, language, country, administration, doc_type, issuer, title,
    text, lexicon_humanitarian_hits, lexicon_security_hits, lexicon_version, framed ("framed" |
    "unframed"), stratum.
    """
    meta = ["language", "country", "administration", "doc_type", "issuer", "title"]
    docs = documents.loc[:, ["doc_id", *meta]].drop_duplicates("doc_id")
    hits = sentence_frames.loc[
        :, ["doc_id", "sent_id", "hits_humanitarian", "hits_security", "lexicon_version"]
    ]
    df = (
        sentences.loc[:, ["doc_id", "sent_id", "start_char", "end_char", "text"]]
        .merge(hits, on=["doc_id", "sent_id"], how="left", validate="one_to_one")
        .merge(docs, on="doc_id", how="inner", validate="many_to_one")
    )
    df = df[df["language"].isin(LANGUAGES)]
    if not include_unknown:
        df = df[df["administration"].fillna(UNKNOWN) != UNKNOWN]
    hit_cols = {f"hits_{f}": f"lexicon_{f}_hits" for f in LABELS}
    df = df.rename(columns=hit_cols)
    for col in hit_cols.values():
        df[col] = df[col].fillna(0).astype("int64")
    versions = hits["lexicon_version"].dropna()
    df["lexicon_version"] = (
        df["lexicon_version"].fillna(versions.mode().iloc[0] if len(versions) else "").astype(str)
    )
    fired = df[list(hit_cols.values())].sum(axis=1) > 0
    df["framed"] = np.where(fired, "framed", "unframed")
    df["stratum"] = _stratum_labels(df, strata)
    df = df.sort_values(["doc_id", "sent_id"], kind="mergesort").reset_index(drop=True)
    df.insert(0, "unit_id", unit_ids(df["doc_id"], df["start_char"], df["end_char"]))
    keep = [c for c in columns_of("coding_sample") if c not in (*_DESIGN, *LABELS, "note")]
    return df.loc[:, [*keep, "framed", "stratum"]]


def _stratum_labels(df: pd.DataFrame, strata: tuple[str, ...]) -> pd.Series:
    if not strata:
        return pd.Series("all", index=df.index, dtype=object)
    parts = [df[s].astype(object).where(df[s].notna(), UNKNOWN).astype(str) for s in strata]
    out = parts[0]
    for p in parts[1:]:
        out = out + "|" + p
    return out


def stratum_table(frame: pd.DataFrame, design: SampleDesign) -> pd.DataFrame:
    """Per stratum: N_stratum, share_framed and the allocation weight (sorted by stratum)."""
    g = frame.groupby("stratum", sort=True)
    out = pd.DataFrame({"N_stratum": g.size().astype("int64")})
    out["share_framed"] = g["framed"].apply(lambda s: float((s == "framed").mean()))
    if design.allocation == "proportional":
        w = out["N_stratum"].astype(float)
    elif design.allocation == "neyman":
        q = out["share_framed"]
        e = q * design.error_framed + (1 - q) * design.error_unframed
        w = out["N_stratum"] * np.sqrt(e * (1 - e))
    else:  # equal or explicit sizes
        w = pd.Series(1.0, index=out.index)
    out["weight"] = w.astype(float)
    return out


def allocate(
    sizes: pd.Series, n: int, weights: pd.Series | None = None, min_per_stratum: int = 2
) -> pd.Series:
    """Split ``n`` units over strata: n_h close to ``n * w_h / sum(w)`` within [min, N_h].

    ``sizes`` (N_h) and ``weights`` (w_h >= 0, default equal) are indexed by stratum; each n_h
    is at least ``min(min_per_stratum, N_h)`` and at most N_h. Returns n_h (int, same index)
    summing to ``min(n, sum(N_h))``: continuous water-filling (bisection on the multiplier of
    w_h), then largest-remainder rounding, ties to the earlier stratum.
    """
    cap = sizes.to_numpy(dtype=float)
    w = np.ones_like(cap) if weights is None else weights.reindex(sizes.index).to_numpy(dtype=float)
    total = float(min(int(n), int(cap.sum())))
    lo = np.minimum(float(min_per_stratum), cap)
    if lo.sum() > total:
        need = f"{len(cap)} strata need at least {int(lo.sum())} units (min_per_stratum="
        reason = need + f"{min_per_stratum}); raise --n or lower --min-per-stratum"
        raise _bad_value("gold.n", n, reason)
    lam_lo, lam_hi = 0.0, float(np.max(np.where(w > 0, cap / np.where(w > 0, w, 1), 0))) + 1.0
    for _ in range(200):
        lam = (lam_lo + lam_hi) / 2
        if np.clip(lam * w, lo, cap).sum() < total:
            lam_lo = lam
        else:
            lam_hi = lam
    x = np.clip(lam_hi * w, lo, cap)
    base = np.clip(np.floor(x + 1e-9), lo, cap)
    frac = x - base
    for i in sorted(range(len(cap)), key=lambda i: (-frac[i], i)):
        if base.sum() >= total:
            break
        if base[i] < cap[i]:
            base[i] += 1
    for i in range(len(cap)):  # only when weights of zero left units over
        while base.sum() < total and base[i] < cap[i]:
            base[i] += 1
    return pd.Series(base.astype("int64"), index=sizes.index, name="n_stratum")


def _explicit_sizes(table: pd.DataFrame, sizes: Mapping[str, int]) -> pd.Series:
    known = list(table.index)
    extra = sorted(set(sizes) - set(known))
    missing = [s for s in known if s not in sizes]
    bad = [s for s, v in sizes.items() if int(v) < 1]
    problems = (
        f"unknown strata {extra}",
        f"strata without a size {missing}",
        f"sizes below 1 for {bad}",
    )
    problem = "; ".join(p for p, show in zip(problems, (extra, missing, bad), strict=True) if show)
    if problem:
        raise _error(Errors.E050, problem=problem, known=", ".join(known))
    n = pd.Series({s: int(sizes[s]) for s in known}, dtype="int64")
    return np.minimum(n, table["N_stratum"]).rename("n_stratum")


def draw_sample(frame: pd.DataFrame, n_stratum: pd.Series, seed: int) -> pd.DataFrame:
    """Draw n_h units per stratum uniformly without replacement; add the design columns.

    ``frame`` is a ``sampling_frame`` (sorted by doc_id, sent_id, so the draw does not depend on
    the input's row order); ``n_stratum`` is indexed by stratum. Stratum h uses
    ``rng(seed, "gold_sample", h)``. Returns the drawn rows sorted by stratum, doc_id, sent_id,
    with N_stratum, n_stratum and inclusion_prob = n_stratum / N_stratum.
    """
    picks, big, small = [], [], []
    for stratum, idx in sorted(frame.groupby("stratum").indices.items()):
        n = min(int(n_stratum.get(stratum, 0)), len(idx))
        if n > 0:
            draw = rng(seed, "gold_sample", stratum)
            picks.append(idx[np.sort(draw.choice(len(idx), size=n, replace=False))])
            big, small = big + [len(idx)] * n, small + [n] * n
    out = frame.iloc[np.concatenate(picks)].copy()
    out["N_stratum"], out["n_stratum"] = big, small
    out["inclusion_prob"] = out["n_stratum"] / out["N_stratum"]
    out = out.sort_values(["stratum", "doc_id", "sent_id"], kind="mergesort")
    return out.reset_index(drop=True)


def sample_units(
    sentences: pd.DataFrame,
    sentence_frames: pd.DataFrame,
    documents: pd.DataFrame,
    design: SampleDesign,
    source: str = "the run",
) -> CodingSample:
    """Draw a stratified probability sample of a run's sentences for hand coding.

    Returns a ``CodingSample``: ``sample`` (schema ``coding_sample``: design columns, lexicon
    hits, empty labels), ``sheet`` (``coding_sheet``: blinded, seeded random order), ``strata``
    (``coding_strata``) and ``design`` (the parameters, for ``design.json``). ``source``
    names the run in messages. Horvitz-Thompson: ``(1 / inclusion_prob)`` summed over a
    stratum's sampled rows equals its N_stratum.
    """
    design = design.checked()
    frame = sampling_frame(sentences, sentence_frames, documents, *design.population)
    if frame.empty:
        reason = "no sentence of a dated en/es document"
        raise _error(Errors.E049, path=source, reason=reason)
    table = stratum_table(frame, design)
    if isinstance(design.allocation, Mapping):
        n_h = _explicit_sizes(table, design.allocation)
    else:
        n_h = allocate(table["N_stratum"], design.n, table["weight"], design.min_per_stratum)
    drawn = draw_sample(frame, n_h, design.seed)
    for label in LABELS:
        drawn[label] = pd.array([pd.NA] * len(drawn), dtype="Int64")
    drawn["note"] = ""
    sample = validate(drawn.loc[:, columns_of("coding_sample")], "coding_sample")
    strata = table.assign(n_stratum=n_h.reindex(table.index).fillna(0).astype("int64"))
    strata = strata[strata["n_stratum"] > 0]
    strata = strata.assign(inclusion_prob=strata["n_stratum"] / strata["N_stratum"])
    strata = strata.rename_axis("stratum").reset_index().loc[:, columns_of("coding_strata")]
    sheet, record = blind_sheet(sample, design.seed), _design_record(design, frame, sample)
    return CodingSample(sample, sheet, validate(strata, "coding_strata"), record)


def _design_record(design: SampleDesign, frame: pd.DataFrame, sample: pd.DataFrame) -> dict:
    record = {k: getattr(design, k) for k in design.__dataclass_fields__}
    versions = sorted(frame["lexicon_version"].unique().tolist())
    record.update(strata=list(design.strata), n_requested=int(design.n), n=int(len(sample)))
    record.update(population=int(len(frame)), lexicon_version=versions)
    if isinstance(design.allocation, Mapping):
        record["allocation"] = {k: int(v) for k, v in design.allocation.items()}
    return record


def blind_sheet(sample: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The coders' sheet: no lexicon or design columns, rows in a seeded random order."""
    order = rng(seed, "gold_sample", "sheet_order").permutation(len(sample))
    sheet = sample.iloc[order].reset_index(drop=True)
    return validate(sheet.loc[:, columns_of("coding_sheet")], "coding_sheet")


# --------------------------------------------------------------------------- coders' sheets
def cell_text(value) -> str:
    """A spreadsheet cell as stripped text ("" for an empty cell, None or NaN)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _same_units(ids_a, ids_b, role_a: str, path_a, role_b: str, path_b) -> None:
    """Raise ``ConfigError`` unless ``ids_a`` and ``ids_b`` hold the same unit ids."""
    set_a, set_b = set(ids_a), set(ids_b)
    only_a, only_b = [u for u in ids_a if u not in set_b], [u for u in ids_b if u not in set_a]
    if only_a or only_b:
        kw = dict(role_a=role_a, path_a=path_a, role_b=role_b, path_b=path_b)
        kw.update(n_a=len(only_a), ex_a=", ".join(only_a[:3]) or "-")
        kw.update(n_b=len(only_b), ex_b=", ".join(only_b[:3]) or "-")
        raise _error(Errors.E045, **kw)


def pair_codes(a: pd.DataFrame, b: pd.DataFrame, path_a="A", path_b="B") -> pd.DataFrame:
    """Put two coders' checked sheets side by side (rows in the order of ``a``).

    ``a`` and ``b`` are ``check_sheet`` outputs over the same units (else ``ConfigError``).
    Returns unit_id, doc_id, sent_id, language, issuer, title, text (from ``a`` where present),
    coder_a_<label>, coder_b_<label> for each label, coder_a_note, coder_b_note.
    """
    _same_units(a["unit_id"], b["unit_id"], "Coding sheet", path_a, "coding sheet", path_b)
    bb = b.set_index("unit_id").loc[a["unit_id"]]
    out = pd.DataFrame({"unit_id": a["unit_id"].to_numpy()})
    for col in _SHEET_META:
        out[col] = a[col].to_numpy() if col in a.columns else pd.NA
    for label in LABELS:
        out[f"coder_a_{label}"] = a[label].astype("int64").to_numpy()
        out[f"coder_b_{label}"] = bb[label].astype("int64").to_numpy()
    out["coder_a_note"] = a["note"].to_numpy()
    out["coder_b_note"] = bb["note"].to_numpy()
    return out


# --------------------------------------------------------------------------- agreement
def nominal_alpha(reliability_data) -> float:
    """Krippendorff's alpha, nominal, of a coders x units array (``np.nan`` = not coded).

    NaN when fewer than two distinct values occur (alpha is undefined without variation).

    >>> round(nominal_alpha([[1, 1, 0, 0], [1, 0, 0, 0]]), 4)
    0.5333
    """
    import krippendorff

    data = np.asarray(reliability_data, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    if len(values) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement_table(paired: pd.DataFrame) -> pd.DataFrame:
    """Percent agreement and Krippendorff's alpha per label, for all units and per language.

    ``paired`` is a ``pair_codes`` output. Returns the ``coding_agreement`` table: language
    ("all", then each language when there are several), label, n_units, n_disagreements,
    percent_agreement (0-100), alpha, positives_a, positives_b.
    """
    langs = sorted({cell_text(v) for v in paired["language"]} - {""})
    groups = [("all", paired)]
    if len(langs) > 1:
        groups += [(lang, paired[paired["language"] == lang]) for lang in langs]
    rows = []
    for lang, g in groups:
        for label in LABELS:
            ca, cb = g[f"coder_a_{label}"].to_numpy(), g[f"coder_b_{label}"].to_numpy()
            n, same = len(g), ca == cb
            percent = float(100.0 * same.mean()) if n else np.nan
            alpha = nominal_alpha(np.vstack([ca, cb])) if n else np.nan
            rows.append((lang, label, n, int((~same).sum()), percent, alpha, ca.sum(), cb.sum()))
    table = pd.DataFrame(rows, columns=columns_of("coding_agreement"))
    return validate(table, "coding_agreement")


def adjudication_sheet(paired: pd.DataFrame) -> pd.DataFrame:
    """The units where the coders disagree on any label, both codes side by side.

    Returns the ``coding_adjudication`` table: the adjudicated columns ``humanitarian`` and
    ``security`` hold the agreed code where the coders agree on that label and are empty
    (``<NA>``) where they disagree, for the adjudicator to fill; ``note`` is empty.
    """
    differs = {label: paired[f"coder_a_{label}"] != paired[f"coder_b_{label}"] for label in LABELS}
    any_diff = np.logical_or.reduce([d.to_numpy() for d in differs.values()])
    sub = paired[any_diff].copy()
    sub["disagree_on"] = [";".join(f for f in LABELS if differs[f][i]) for i in sub.index]
    for label in LABELS:
        agreed = sub[f"coder_a_{label}"].astype("Int64")
        sub[label] = agreed.where(~differs[label][sub.index], pd.NA)
    sub["note"] = ""
    sub = sub.reset_index(drop=True)
    return validate(sub.loc[:, columns_of("coding_adjudication")], "coding_adjudication")


# --------------------------------------------------------------------------- merge
_CODED = (*LABELS, "agreement", "note", *_CODER_COLUMNS)
_FROM_SAMPLE = [c for c in DESIGN_SAMPLE_COLUMNS if c not in _CODED]


def merge_codes(
    sample: pd.DataFrame,
    paired: pd.DataFrame,
    adjudicated: pd.DataFrame | None = None,
    *,
    sample_path: str = "sample",
    adjudicated_path: str = "adjudication",
) -> pd.DataFrame:
    """Final codes in the design-sample format (``../shared/validation/design_sample.csv``).

    Parameters
    ----------
    sample : pandas.DataFrame
        The design copy written by ``gold sample`` (``coding_sample`` columns; strings are fine).
    paired : pandas.DataFrame
        ``pair_codes`` of the two coders' checked sheets, over the sample's units.
    adjudicated : pandas.DataFrame, optional
        ``check_sheet(..., require_codes=False)`` of the filled adjudication sheet; needed when
        the coders disagree anywhere. Its codes are final where given (an adjudicator may also
        overrule an agreed code); every disagreement must have one.

    Returns
    -------
    pandas.DataFrame
        Schema ``coding_design_sample`` (the columns of the shared file, in order), rows in the
        sample's order: humanitarian, security final; agreement 1 where the coders agreed on
        both labels; coder_a_*, coder_b_*; note "adjudicated[: reason]" where the adjudication
        decided, then the coders' notes ("coder a: ...").
    """
    missing = [c for c in _FROM_SAMPLE if c not in sample.columns]
    if missing:
        kw = dict(role="Sample sheet", path=sample_path, missing=missing, command="sample")
        raise _error(Errors.E040, needed=", ".join(_FROM_SAMPLE), **kw)
    base = sample.loc[:, _FROM_SAMPLE].copy()
    base["unit_id"] = base["unit_id"].map(cell_text)
    ids = base["unit_id"]
    _same_units(ids, paired["unit_id"], "Sample sheet", sample_path, "coding sheets", "(A, B)")
    codes = paired.set_index("unit_id").loc[base["unit_id"]].reset_index()
    final, decided = _final_codes(codes, adjudicated, adjudicated_path)
    for label in LABELS:
        base[label] = final[label]
    agree = np.logical_and.reduce(
        [codes[f"coder_a_{f}"].to_numpy() == codes[f"coder_b_{f}"].to_numpy() for f in LABELS]
    )
    base["agreement"] = agree.astype("int64")
    for col in _CODER_COLUMNS:
        base[col] = codes[col].to_numpy()
    base["note"] = _notes(codes, decided)
    return validate(base.loc[:, list(DESIGN_SAMPLE_COLUMNS)], "coding_design_sample")


def _final_codes(
    codes: pd.DataFrame, adjudicated: pd.DataFrame | None, path: str
) -> tuple[dict[str, np.ndarray], pd.Series]:
    """Agreed codes, replaced by adjudicated ones; returns codes per label and the adjudicator's
    note per unit (NaN where the adjudication did not decide)."""
    disagree = {f: codes[f"coder_a_{f}"] != codes[f"coder_b_{f}"] for f in LABELS}
    n_disagree = int(np.logical_or.reduce([d.to_numpy() for d in disagree.values()]).sum())
    if adjudicated is None:
        if n_disagree:
            raise _error(Errors.E047, n=n_disagree)
        adjudicated = pd.DataFrame(columns=["unit_id", *LABELS, "note", "row"])
    unknown = adjudicated.loc[~adjudicated["unit_id"].isin(codes["unit_id"]), "unit_id"]
    if len(unknown):
        ex = ", ".join(unknown.iloc[:3])
        raise _error(Errors.E048, path=path, n=len(unknown), ex=ex)
    adj = adjudicated.set_index("unit_id").reindex(codes["unit_id"])
    final, changed = {}, pd.Series(False, index=codes.index)
    for f in LABELS:
        given = adj[f].to_numpy()
        lacking = disagree[f].to_numpy() & pd.isna(given)
        if lacking.any():
            i = int(np.argmax(lacking))
            row = adj["row"].iloc[i]
            kw = dict(path=path, n=int(lacking.sum()), unit=codes["unit_id"].iloc[i], label=f)
            where = "not in the sheet" if pd.isna(row) else f"row {int(row)}"
            raise _error(Errors.E046, row=where, **kw)
        agreed = codes[f"coder_a_{f}"].to_numpy()
        value = np.where(pd.isna(given), agreed, given).astype("int64")
        changed |= disagree[f].to_numpy() | (value != agreed)
        final[f] = value
    notes = adj["note"].fillna("").astype(str).to_numpy()
    decided = pd.Series(notes, index=codes.index, dtype=object)
    decided[~(changed.to_numpy() | (notes != ""))] = np.nan
    return final, decided


def _notes(codes: pd.DataFrame, decided: pd.Series) -> list[str]:
    out = []
    for i in range(len(codes)):
        parts = []
        if not pd.isna(decided.iloc[i]):
            parts.append(f"adjudicated: {decided.iloc[i]}" if decided.iloc[i] else "adjudicated")
        for c in ("a", "b"):
            note = cell_text(codes[f"coder_{c}_note"].iloc[i])
            if note:
                parts.append(f"coder {c}: {note}")
        out.append("; ".join(parts))
    return out
