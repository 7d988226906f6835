"""The ``framelens lexicon ...`` commands as plain functions (the CLI is a thin layer over them).

- ``lexicon_suggest``: a finished run's ``sentences`` and ``documents`` tables -> a review sheet
  of candidate terms per frame and subframe (``<run>/lexicon/suggestions.csv`` by default),
  computed by ``framelens.analysis.framing.suggest``.
- ``apply_suggestions``: the accepted rows of a filled-in sheet + a base lexicon version -> a
  new version folder ``<out_dir>/<MAJOR.MINOR+1.0>/`` (the base's files, the new entries,
  ``lexicon.yaml`` with the new version, a CHANGELOG section listing every added entry). The new
  folder is checked by loading it (``build_lexicon``) before it is moved into place.

Sheets are written as UTF-8 with a byte-order mark (Excel shows accents) and read with or
without it, comma-, semicolon- or tab-separated. Guide: ``docs/lexicon.md``, *Growing the
lexicon*.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from framelens.analysis.framing.lexicon import (
    CONTEXT_COLUMNS,
    TERM_COLUMNS,
    Lexicon,
    build_lexicon,
    load_lexicon,
)
from framelens.analysis.framing.suggest import SHEET_COLUMNS, SuggestSettings, suggest_terms
from framelens.analysis.framing.suggest_apply import (
    REQUIRED_COLUMNS,
    accepted_rows,
    bump_minor,
    changelog_section,
    check_minor_bump,
    insert_section,
    new_entries,
)
from framelens.core.config import PreprocessConfig
from framelens.core.domain import FRAMES, LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.core.io import (
    atomic_write_bytes,
    read_optional_table,
    read_table,
    table_to_csv_bytes,
)
from framelens.core.packagedata import version_dir

_BOM = b"\xef\xbb\xbf"
#: Default place of the review sheet inside a run folder.
SHEET_PATH = Path("lexicon") / "suggestions.csv"


@dataclass
class SuggestOutput:
    """Result of ``lexicon_suggest``: the sheet, where it was written, the lexicon version."""

    sheet: pd.DataFrame
    path: Path
    lexicon_version: str


def _run_record(run_dir: Path) -> dict:
    path = run_dir / "run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return {}


def lexicon_suggest(
    run_dir: str | os.PathLike,
    *,
    frame: str | None = None,
    n: int = 20,
    out: str | os.PathLike | None = None,
    version: str | None = None,
    seed: int | None = None,
    settings: SuggestSettings | None = None,
    preprocess_config: PreprocessConfig | None = None,
) -> SuggestOutput:
    """Write the review sheet of candidate terms for a finished run.

    Parameters
    ----------
    run_dir : path
        A run folder (``framelens run --out``) with ``tables/sentences`` and ``documents``.
    frame : str, optional
        Only this frame (humanitarian, security or cooperation).
    n : int, default 20
        Candidates per subframe.
    out : path, optional
        Where to write the sheet (default ``<run_dir>/lexicon/suggestions.csv``).
    version : str, optional
        Lexicon version to grow (default: the run's ``lexicon_version`` in run.json, else latest).
    seed : int, optional
        Seed of the embeddings (default: the run's seed, else 0).
    settings : SuggestSettings, optional
        Word2Vec and sheet settings; ``n`` and ``seed`` override theirs.

    Returns
    -------
    SuggestOutput
    """
    run_dir = Path(run_dir)
    tables = run_dir / "tables"
    sentences = read_table(tables, "sentences")
    documents = read_optional_table(tables, "documents", exclude=("text",))
    if documents is None and "language" not in sentences.columns:
        raise ConfigError(Errors.E011.format(name="documents", path=run_dir))
    record = _run_record(run_dir)
    version = version or str(record.get("lexicon_version") or "latest")
    seed = seed if seed is not None else int(record.get("seed") or 0)
    base = settings or SuggestSettings()
    settings = SuggestSettings(**{**base.__dict__, "n": int(n), "seed": int(seed)})
    lexicon = load_lexicon(version, preprocess_config)
    frames = (frame,) if frame else None
    sheet = suggest_terms(sentences, lexicon, documents, frames=frames, settings=settings)
    path = Path(out) if out is not None else run_dir / SHEET_PATH
    atomic_write_bytes(path, _BOM + table_to_csv_bytes(sheet))
    return SuggestOutput(sheet=sheet, path=path, lexicon_version=lexicon.version)


def read_sheet(path: str | os.PathLike) -> pd.DataFrame:
    """Read a review sheet (UTF-8 with or without BOM, Latin-1 fallback; , ; or tab)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    for sep in (",", ";", "\t"):
        df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        if all(c in df.columns for c in REQUIRED_COLUMNS):
            return df
    return df


def _base_folder(base_version: str | os.PathLike) -> Path:
    """The folder of the base version: a package version ("4.0.0", "latest") or a folder."""
    p = Path(base_version)
    if p.is_dir() and (p / "lexicon.yaml").exists():
        return p
    return version_dir("framing", str(base_version))


def read_lexicon_folder(
    folder: str | os.PathLike, preprocess_config: PreprocessConfig | None = None
) -> Lexicon:
    """Load a lexicon version folder from any path (as ``load_lexicon`` does for the package's)."""
    folder = Path(folder)
    try:
        meta = yaml.safe_load((folder / "lexicon.yaml").read_text(encoding="utf-8"))
        read = lambda name: pd.read_csv(folder / name, dtype=str, keep_default_na=False)  # noqa: E731
        terms = {lang: read(f"{lang}.csv") for lang in LANGUAGES}
        contexts = read("context.csv")
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(Errors.E020.format(path=folder, reason=exc)) from exc
    for lang, df in terms.items():
        if any(c not in df.columns for c in TERM_COLUMNS):
            raise ConfigError(Errors.E020.format(path=folder / f"{lang}.csv", reason="columns"))
    return build_lexicon(
        {lang: df[TERM_COLUMNS] for lang, df in terms.items()},
        contexts=contexts[CONTEXT_COLUMNS],
        negators={lang: list(meta["negators"][lang]) for lang in LANGUAGES},
        subframes={fr: tuple(meta["frames"][fr]) for fr in FRAMES},
        version=str(meta.get("version")),
        preprocess_config=preprocess_config,
        path=folder,
        count_headings=bool((meta.get("matching") or {}).get("count_headings", True)),
    )


def _csv_rows(rows: pd.DataFrame) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for r in rows[TERM_COLUMNS].itertuples(index=False):
        writer.writerow(list(r))
    return buf.getvalue()


def _write_version(
    base: Path,
    target: Path,
    entries: pd.DataFrame,
    base_version: str,
    new_version: str,
    section: str,
) -> None:
    """Copy ``base`` to ``target`` with the new entries, version and CHANGELOG section."""
    target.mkdir(parents=True)
    for src in sorted(base.iterdir()):
        if src.is_file():
            shutil.copyfile(src, target / src.name)
    for lang in LANGUAGES:
        rows = entries[entries["language"] == lang]
        if len(rows):
            text = (base / f"{lang}.csv").read_text(encoding="utf-8")
            text = (text if text.endswith("\n") else text + "\n") + _csv_rows(rows)
            (target / f"{lang}.csv").write_text(text, encoding="utf-8")
    meta = (base / "lexicon.yaml").read_text(encoding="utf-8")
    meta = re.sub(r"(?m)^version:.*$", f'version: "{new_version}"', meta, count=1)
    (target / "lexicon.yaml").write_text(meta, encoding="utf-8")
    log = base / "CHANGELOG.md"
    old = (
        log.read_text(encoding="utf-8") if log.exists() else "# Changelog of the framing lexicon\n"
    )
    (target / "CHANGELOG.md").write_text(insert_section(old, section), encoding="utf-8")
    readme = target / "README.md"
    if readme.exists():
        first, _, rest = readme.read_text(encoding="utf-8").partition("\n")
        readme.write_text(first.replace(base_version, new_version) + "\n" + rest, encoding="utf-8")


def apply_suggestions(
    sheet: str | os.PathLike | pd.DataFrame,
    base_version: str | os.PathLike = "latest",
    new_version: str | None = None,
    out_dir: str | os.PathLike = ".",
    *,
    preprocess_config: PreprocessConfig | None = None,
) -> Path:
    """Write a new lexicon version: ``base_version`` plus the sheet's accepted terms.

    Parameters
    ----------
    sheet : path or DataFrame
        A review sheet (``lexicon_suggest``) with ``accept`` filled in.
    base_version : str or path, default "latest"
        A shipped version ("4.0.0", "latest") or a version folder.
    new_version : str, optional
        Default: the MINOR bump of the base ("4.0.0" -> "4.1.0"); anything else than a MINOR
        bump is refused (E026): adding entries is a MINOR change.
    out_dir : path
        The new folder is ``<out_dir>/<new_version>``; it must not exist. To ship it, copy it
        to ``src/framelens/lexicons/framing/``.

    Returns
    -------
    Path
        The new version folder (loadable with ``read_lexicon_folder``).
    """
    base = _base_folder(base_version)
    base_lex = read_lexicon_folder(base, preprocess_config)
    df = sheet if isinstance(sheet, pd.DataFrame) else read_sheet(sheet)
    accepted = accepted_rows(df, {f: s for f, s in base_lex.subframes.items() if f in FRAMES})
    if accepted.empty:
        raise ConfigError(
            Errors.E026.format(
                what="review sheet",
                key="accept",
                value="(no row accepted)",
                allowed="1, x, yes in the accept column of the rows to add",
            )
        )
    new_version = new_version or bump_minor(base_lex.version)
    check_minor_bump(base_lex.version, new_version)
    existing = set(zip(base_lex.terms["language"], base_lex.terms["key"], strict=True))
    entries, _ = new_entries(accepted, existing, new_version, preprocess_config)
    name = "DataFrame" if isinstance(sheet, pd.DataFrame) else Path(sheet).name
    section = changelog_section(new_version, base_lex.version, entries, name)
    target = Path(out_dir) / new_version
    if target.exists():
        raise ConfigError(
            Errors.E026.format(
                what="apply_suggestions",
                key="out_dir",
                value=str(target),
                allowed="a version folder that does not exist yet",
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{new_version}.", dir=target.parent))
    try:
        _write_version(base, tmp / new_version, entries, base_lex.version, new_version, section)
        read_lexicon_folder(tmp / new_version, preprocess_config)  # refuse a broken version
        os.replace(tmp / new_version, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


__all__ = [
    "SHEET_COLUMNS",
    "SuggestOutput",
    "apply_suggestions",
    "lexicon_suggest",
    "read_lexicon_folder",
    "read_sheet",
]
