"""The ``framelens gold ...`` commands as plain functions (the CLI is a thin layer over them).

- ``gold_sample``: a finished run's tables -> ``<out>/sample.csv`` (design copy, kept by the
  study lead), ``coding_sheet.csv`` (blinded, one copy per coder), ``strata.csv``,
  ``design.json`` and ``CODING.md`` (instructions and the codebook's label definitions).
- ``gold_agree``: two filled-in coding sheets -> ``<out>/agreement.csv`` (Krippendorff's alpha
  and percent agreement per label) and ``adjudication.csv`` (the disagreements).
- ``gold_merge``: both sheets, the filled adjudication sheet and the sample -> one CSV in the
  format of ``../shared/validation/design_sample.csv``.

Computation lives in ``framelens.analysis.framing.coding``; this module reads and checks the
files (rows are named as a spreadsheet shows them: the header is row 1) and writes atomically.
Sheets meant for people (``coding_sheet.csv``, ``adjudication.csv``) are written as UTF-8 with a
byte-order mark, so that Excel shows accents; sheets are read from UTF-8 (with or without the
mark; Latin-1 as a fallback) with comma, semicolon or tab separators. Guide: ``docs/coding.md``.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.analysis.framing.coding import (
    DEFAULT_STRATA,
    LABELS,
    CodingSample,
    SampleDesign,
    adjudication_sheet,
    agreement_table,
    cell_text,
    merge_codes,
    pair_codes,
    sample_units,
)
from framelens.core.errors import ConfigError, Errors
from framelens.core.io import atomic_write_bytes, read_table, table_to_csv_bytes, write_json

_CODES = {"0": 0, "1": 1, "0.0": 0, "1.0": 1}
_BOM = b"\xef\xbb\xbf"
CODEBOOK_NAME = "CODEBOOK.md"

#: Label definitions used when no codebook file is found (a summary of CODEBOOK.md 1.2).
BUILTIN_CODEBOOK = """\
# Framing codebook (summary of version 1.2; code with the full codebook when you have it)

Unit: one sentence, read on its own (the document's title and issuer may be consulted). A
sentence can carry both frames, one, or neither. Code what the sentence says.

## humanitarian (1 / 0)
Migrants, refugees or children presented as people with rights or needs that the state or others
must protect or serve: rights language (human rights, best interests of the child, due process,
asylum as a right, non-refoulement); protection and care (shelter, health, education, legal
representation, family unity, reunification); dignity, vulnerability, victims to assist,
humanitarian assistance. Non-migrant children count only where care, protection or rights for
them are presented; victims in general who are not migrants, refugees, children or trafficking
victims are 0.

## security (1 / 0)
Migration or migrants presented as a threat, a flow to control, or an object of enforcement:
border security, enforcement, apprehension, detention, deportation, removal; invasion, illegal
aliens, cartels or smugglers as offenders, national security, sovereignty; deterrence, Remain in
Mexico, Title 42, safe third country, troops or National Guard at the border, wall, closing the
border. Crime or drug language counts only where tied to migration, migrants, the border or entry.

## both, neither
"Safe, orderly and humane" migration with both elements explicit: 1 / 1. Procedural, budgetary,
ceremonial and off-topic sentences: 0 / 0. Trafficking: humanitarian where victims are protected,
security where traffickers are stopped. A negated frame still evokes it: code it, and note it.
"""


@dataclass
class SampleOutput:
    """What ``gold_sample`` drew and wrote: the ``CodingSample`` and the paths by file name."""

    drawn: CodingSample
    paths: dict[str, Path] = field(default_factory=dict)


@dataclass
class AgreementOutput:
    """What ``gold_agree`` computed and wrote: ``table`` (coding_agreement), ``adjudication``."""

    table: pd.DataFrame
    adjudication: pd.DataFrame
    paths: dict[str, Path] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading sheets
def read_sheet(path: str | os.PathLike, role: str = "Coding sheet") -> pd.DataFrame:
    """Read a CSV sheet as strings (empty cells as ""), whatever the spreadsheet saved.

    UTF-8 with or without a byte-order mark (else Latin-1); the separator (comma, semicolon or
    tab) is the most frequent one in the header line. Raises ``ConfigError`` naming the file
    when it is missing, not CSV, or unreadable.
    """
    p = Path(path)
    if not p.is_file():
        raise ConfigError(Errors.E051.format(role=role, path=p, reason="no such file"))
    if p.suffix.lower() in (".xlsx", ".xls", ".ods", ".numbers"):
        raise ConfigError(
            Errors.E051.format(role=role, path=p, reason=f"a {p.suffix} workbook, not CSV")
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    header = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ConfigError(Errors.E051.format(role=role, path=p, reason=reason)) from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def check_sheet(
    sheet: pd.DataFrame,
    path: str | os.PathLike,
    role: str = "Coding sheet",
    require_codes: bool = True,
    command: str = "sample",
) -> pd.DataFrame:
    """Check a filled-in sheet; return it with 0/1 codes (``Int64``), ``note`` and ``row``.

    Parameters
    ----------
    sheet : pandas.DataFrame
        The sheet as read (cells "1", "0", "1.0", "0.0" are codes; blank cells are empty).
        Rows whose every cell is empty (a spreadsheet's trailing rows) are dropped.
    path : str or path-like
        The file, for messages.
    role : str, default "Coding sheet"
        What the file is, for messages ("Coding sheet", "Adjudication sheet").
    require_codes : bool, default True
        Every row needs a code in every label column; when False blanks stay ``<NA>``.
    command : str, default "sample"
        The ``framelens gold`` command that wrote the sheet (named in messages).

    Returns
    -------
    pandas.DataFrame
        A copy: unit_id (stripped), humanitarian, security (``Int64``), note (str), row (the
        spreadsheet row; the header is row 1) and the sheet's other columns unchanged.

    Raises
    ------
    ConfigError
        Missing columns, an empty or repeated unit_id, or a cell that is not 0 or 1 (or is
        blank when ``require_codes``): the message names the file, the row, the unit and the fix.
    """
    missing = [c for c in ("unit_id", *LABELS) if c not in sheet.columns]
    if missing:
        raise ConfigError(
            Errors.E040.format(
                role=role,
                path=path,
                missing=missing,
                command=command,
                needed=", ".join(("unit_id", *LABELS)),
            )
        )
    out = sheet.copy()
    filled = np.array(
        [any(cell_text(v) for v in row) for row in sheet.itertuples(index=False)], dtype=bool
    )
    out["row"] = np.arange(len(out), dtype="int64") + 2
    out = out[filled].reset_index(drop=True)
    out["unit_id"] = out["unit_id"].map(cell_text)
    if (out["unit_id"] == "").any():
        row = int(out.loc[out["unit_id"] == "", "row"].iloc[0])
        raise ConfigError(Errors.E042.format(role=role, path=path, row=row))
    dup = out[out["unit_id"].duplicated(keep=False)]
    if len(dup):
        unit = dup["unit_id"].iloc[0]
        rows = ", ".join(str(r) for r in dup.loc[dup["unit_id"] == unit, "row"])
        raise ConfigError(Errors.E041.format(role=role, path=path, unit=unit, rows=rows))
    for label in LABELS:
        out[label] = _codes(out, label, path, role, require_codes)
    out["note"] = out["note"].map(cell_text) if "note" in out.columns else ""
    return out


def _codes(out: pd.DataFrame, label: str, path, role: str, require: bool) -> pd.Series:
    raw = out[label].map(cell_text)
    codes = raw.map(_CODES)
    bad = (codes.isna() & ((raw != "") | require)).to_numpy()
    if bad.any():
        i = int(np.argmax(bad))
        problem = f"{label}={raw.iloc[i]!r} is not a code" if raw.iloc[i] else f"{label} is empty"
        more = f" ({int(bad.sum()) - 1} more such cells in {label})" if bad.sum() > 1 else ""
        raise ConfigError(
            Errors.E043.format(
                role=role,
                path=path,
                row=int(out["row"].iloc[i]),
                unit=out["unit_id"].iloc[i],
                problem=problem,
                more=more,
                labels=", ".join(LABELS),
            )
        )
    return pd.Series(pd.array(codes.tolist(), dtype="Int64"), index=out.index)


def read_codes(
    path: str | os.PathLike,
    role: str = "Coding sheet",
    require_codes: bool = True,
    command: str = "sample",
) -> pd.DataFrame:
    """``check_sheet(read_sheet(path))``: a checked sheet from a file."""
    return check_sheet(read_sheet(path, role), str(path), role, require_codes, command)


def read_sizes(path: str | os.PathLike) -> dict[str, int]:
    """Stratum sizes from a CSV with columns stratum and n (or n_stratum, as in strata.csv)."""
    df = read_sheet(path, role="Stratum sizes file")
    col = "n" if "n" in df.columns else "n_stratum"
    if "stratum" not in df.columns or col not in df.columns:
        raise ConfigError(
            Errors.E040.format(
                role="Stratum sizes file",
                path=path,
                missing=["stratum", "n"],
                command="sample",
                needed="stratum, n_stratum (strata.csv)",
            )
        )
    sizes: dict[str, int] = {}
    for i, (stratum, value) in enumerate(zip(df["stratum"], df[col], strict=True), start=2):
        key, text = cell_text(stratum), cell_text(value)
        try:
            number = int(float(text))
        except ValueError:
            number = -1
        if number < 0 or key in sizes:
            reason = f"{key!r} repeated" if key in sizes else "write a whole number >= 1"
            raise ConfigError(
                Errors.E003.format(key=f"{path} row {i} {col}", value=text, reason=reason)
            )
        sizes[key] = number
    return sizes


# --------------------------------------------------------------------------- codebook
def codebook_excerpt(codebook: str) -> str:
    """The codebook for coders: its text up to the "## Files" section (the unit of coding and
    the label definitions), or the whole text when there is no such section."""
    lines = codebook.splitlines()
    end = next(
        (i for i, ln in enumerate(lines) if ln.strip().lower().startswith("## files")), len(lines)
    )
    return "\n".join(lines[:end]).strip() + "\n"


def find_codebook(codebook: str | os.PathLike | None = None) -> Path | None:
    """The codebook to quote: ``codebook`` if given (must exist), else CODEBOOK.md beside the
    default gold file (``../shared/validation/``), else None (the built-in summary is used)."""
    from framelens.pipeline.run import DEFAULT_GOLD_CANDIDATES

    if codebook is not None:
        p = Path(codebook)
        if not p.is_file():
            raise ConfigError(Errors.E051.format(role="Codebook", path=p, reason="no such file"))
        return p
    for cand in DEFAULT_GOLD_CANDIDATES:
        p = cand.parent / CODEBOOK_NAME
        if p.is_file():
            return p.resolve()
    return None


def coding_instructions(drawn: CodingSample, codebook_text: str) -> str:
    """The text of CODING.md: how to code the blinded sheet, then the codebook's labels."""
    d = drawn.design
    return f"""\
# Coding instructions

`coding_sheet.csv` holds {d["n"]} sentences drawn at random (seed {d["seed"]}) from the sentences
of a framelens run. Two coders code every sentence, each alone.

1. Make one copy of `coding_sheet.csv` per coder (for example `coder_a.csv`, `coder_b.csv`).
   Do not discuss sentences with the other coder until both sheets are finished.
2. For every row read `text` (you may look at `title` and `issuer`, nothing else of the
   document) and write in `humanitarian` and in `security` 1 when the sentence carries that
   frame and 0 when it does not, following the codebook below. Every row needs both codes.
   Write anything worth recording (a negated frame, a doubt) in `note`.
3. Do not change `unit_id` or add or delete rows (sorting or filtering rows is fine). Save as
   CSV (UTF-8 if your spreadsheet asks; comma or semicolon separators are both read).

The rows are in random order and the sheet shows nothing of how the sentence was drawn or of
what the software found in it, on purpose: a coder who knows whether the dictionary fired is
pulled towards it, which would make the instrument look better than it is and bias every
corrected estimate made with these codes. The study lead keeps `sample.csv` (the design and the
dictionary's hits) and does not show it to coders.

Next steps (study lead): `framelens gold agree coder_a.csv coder_b.csv --out DIR`, adjudicate
`DIR/adjudication.csv`, then `framelens gold merge coder_a.csv coder_b.csv --adjudicated
DIR/adjudication.csv --sample sample.csv --out design_sample.csv`.

{codebook_text}"""


# --------------------------------------------------------------------------- commands
def _write_csv(df: pd.DataFrame, path: Path, bom: bool = False) -> Path:
    return atomic_write_bytes(path, (_BOM if bom else b"") + table_to_csv_bytes(df))


def _run_record(run_dir: Path) -> dict:
    try:
        record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    keys = ("framelens_version", "lexicon_version", "seed", "corpus", "corpus_hash", "git_commit")
    return {k: record.get(k) for k in keys if k in record}


def gold_sample(
    run_dir: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
    *,
    n: int = 0,
    seed: int = 1,
    strata: tuple[str, ...] | list[str] = DEFAULT_STRATA,
    allocation: str = "equal",
    sizes: str | os.PathLike | None = None,
    min_per_stratum: int = 2,
    error_framed: float = 0.35,
    error_unframed: float = 0.03,
    include_unknown: bool = False,
    codebook: str | os.PathLike | None = None,
    overwrite: bool = False,
) -> SampleOutput:
    """``framelens gold sample``: draw a stratified probability sample of a run's sentences.

    Reads ``<run_dir>/tables/{sentences,sentence_frames,documents}`` and writes, under
    ``out_dir`` (default ``<run_dir>/gold``): sample.csv, coding_sheet.csv, strata.csv,
    design.json, CODING.md. The design parameters are those of
    ``framelens.analysis.framing.coding.SampleDesign``; ``sizes`` (a CSV with stratum and n, or
    an edited strata.csv) replaces ``allocation`` and ``n``. Refuses to replace a different
    sample.csv already in ``out_dir`` unless ``overwrite`` (coders may be coding it).
    """
    run_dir = Path(run_dir)
    tables = run_dir / "tables"
    sentences, frames, documents = (
        read_table(tables, name) for name in ("sentences", "sentence_frames", "documents")
    )
    design = SampleDesign(
        n=int(n),
        strata=tuple(strata),
        allocation=read_sizes(sizes) if sizes else allocation,
        min_per_stratum=min_per_stratum,
        error_framed=error_framed,
        error_unframed=error_unframed,
        include_unknown=include_unknown,
        seed=int(seed),
    )
    drawn = sample_units(sentences, frames, documents, design, source=str(run_dir))
    out = Path(out_dir) if out_dir is not None else run_dir / "gold"
    sample_bytes = table_to_csv_bytes(drawn.sample)
    target = out / "sample.csv"
    if target.exists() and not overwrite and target.read_bytes() != sample_bytes:
        raise ConfigError(Errors.E044.format(path=target))
    book = find_codebook(codebook)
    book_text = codebook_excerpt(book.read_text(encoding="utf-8")) if book else BUILTIN_CODEBOOK
    drawn.design.update(
        run=str(run_dir),
        run_record=_run_record(run_dir),
        sizes_file=str(sizes) if sizes else None,
        codebook=str(book) if book else "built-in summary of CODEBOOK.md 1.2",
    )
    paths = {
        "sample.csv": atomic_write_bytes(target, sample_bytes),
        "coding_sheet.csv": _write_csv(drawn.sheet, out / "coding_sheet.csv", bom=True),
        "strata.csv": _write_csv(drawn.strata, out / "strata.csv"),
        "design.json": write_json(out / "design.json", drawn.design),
        "CODING.md": atomic_write_bytes(
            out / "CODING.md", coding_instructions(drawn, book_text).encode("utf-8")
        ),
    }
    return SampleOutput(drawn=drawn, paths=paths)


def gold_agree(
    sheet_a: str | os.PathLike,
    sheet_b: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
) -> AgreementOutput:
    """``framelens gold agree``: agreement of two coders and the sheet of their disagreements.

    Checks both sheets (same units, every code 0 or 1) and writes, under ``out_dir`` (default:
    the folder of ``sheet_a``), agreement.csv (schema ``coding_agreement``) and
    adjudication.csv (``coding_adjudication``; with a header only when the coders agree on
    everything).
    """
    a, b = read_codes(sheet_a), read_codes(sheet_b)
    paired = pair_codes(a, b, str(sheet_a), str(sheet_b))
    table, adjudication = agreement_table(paired), adjudication_sheet(paired)
    out = Path(out_dir) if out_dir is not None else Path(sheet_a).parent
    paths = {
        "agreement.csv": _write_csv(table, out / "agreement.csv"),
        "adjudication.csv": _write_csv(adjudication, out / "adjudication.csv", bom=True),
    }
    return AgreementOutput(table=table, adjudication=adjudication, paths=paths)


def find_sample(sample: str | os.PathLike | None, *beside: str | os.PathLike | None) -> Path:
    """``sample`` if given, else the first ``sample.csv`` in the folders of ``beside``."""
    if sample is not None:
        return Path(sample)
    folders = list(dict.fromkeys(Path(p).parent for p in beside if p is not None))
    for folder in folders:
        if (folder / "sample.csv").is_file():
            return folder / "sample.csv"
    raise ConfigError(
        Errors.E052.format(name="sample.csv", places=", ".join(str(f) for f in folders) or "-")
    )


def gold_merge(
    sheet_a: str | os.PathLike,
    sheet_b: str | os.PathLike,
    adjudicated: str | os.PathLike | None = None,
    *,
    sample: str | os.PathLike | None = None,
    out: str | os.PathLike | None = None,
) -> tuple[pd.DataFrame, Path]:
    """``framelens gold merge``: final codes in the design-sample format, written to ``out``.

    ``sample`` is the sample.csv of ``gold sample`` (default: found beside the adjudication
    sheet or a coding sheet); ``adjudicated`` the filled adjudication.csv of ``gold agree``
    (needed when the coders disagree anywhere). ``out`` defaults to design_sample.csv beside the
    sample. Returns the table (schema ``coding_design_sample``) and its path.
    """
    sample_path = find_sample(sample, adjudicated, sheet_a, sheet_b)
    sample_df = read_sheet(sample_path, role="Sample sheet")
    paired = pair_codes(read_codes(sheet_a), read_codes(sheet_b), str(sheet_a), str(sheet_b))
    adj = None
    if adjudicated is not None:
        adj = read_codes(adjudicated, "Adjudication sheet", require_codes=False, command="agree")
    merged = merge_codes(
        sample_df, paired, adj, sample_path=str(sample_path), adjudicated_path=str(adjudicated)
    )
    target = Path(out) if out is not None else sample_path.parent / "design_sample.csv"
    return merged, _write_csv(merged, target)
