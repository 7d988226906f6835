"""Accepted rows of a review sheet -> the entries and CHANGELOG lines of a new lexicon version.

Pure functions (no files): ``framelens.pipeline.lexicon.apply_suggestions`` reads the sheet and
the base version's folder and writes the new folder. Adding entries is a MINOR change of the
lexicon's semantic version (STYLE.md): ``bump_minor("4.0.0") == "4.1.0"``.

A row is accepted when its ``accept`` cell says so (1, x, y, yes, true, accept; sí/si). The
reviewer may correct ``term``, ``frame`` and ``subframe`` in the sheet, and may add a
``requires`` column (context sets joined by ``|``, e.g. ``migration``) and a ``note``.
"""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from framelens.analysis.framing.lexicon import TERM_COLUMNS, fold
from framelens.core.config import PreprocessConfig
from framelens.core.domain import LANGUAGES
from framelens.core.errors import ConfigError, Errors

#: Cells of ``accept`` that accept a row (compared lower-cased, accents folded, trimmed).
ACCEPT_VALUES = frozenset({"1", "1.0", "x", "y", "yes", "true", "accept", "accepted", "si"})
#: Columns a review sheet must have to be applied.
REQUIRED_COLUMNS = ["term", "language", "frame", "subframe", "accept"]
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def _parts(version: str) -> tuple[int, int, int]:
    m = _SEMVER.match(str(version))
    if not m:
        raise ConfigError(
            Errors.E026.format(
                what="lexicon version", key="version", value=version, allowed="MAJOR.MINOR.PATCH"
            )
        )
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def bump_minor(version: str) -> str:
    """The next MINOR version: ``"4.0.0"`` -> ``"4.1.0"`` (entries added, nothing removed)."""
    major, minor, _ = _parts(version)
    return f"{major}.{minor + 1}.0"


def check_minor_bump(base: str, new: str) -> None:
    """ConfigError [E026] unless ``new`` has ``base``'s MAJOR and a higher MINOR (PATCH 0)."""
    b, n = _parts(base), _parts(new)
    if not (n[0] == b[0] and n[1] > b[1] and n[2] == 0):
        raise ConfigError(
            Errors.E026.format(
                what=f"new lexicon version for added entries (base {base})",
                key="new_version",
                value=new,
                allowed=f"a MINOR bump such as {bump_minor(base)}",
            )
        )


def accepted_rows(sheet: pd.DataFrame, subframes: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """The accepted rows of a review sheet, checked, with columns term, language, frame,
    subframe, requires, note, similarity, frequency (the last two may be empty).

    Raises ConfigError: E023 when a required column is missing, E026 for a language, frame or
    subframe the lexicon does not have.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        raise ConfigError(
            Errors.E023.format(
                what="review sheet", missing=missing, columns=", ".join(map(str, sheet.columns))
            )
        )
    s = sheet.copy()
    for c in ("requires", "note", "similarity", "frequency"):
        if c not in s.columns:
            s[c] = ""
    text = {
        c: s[c].fillna("").astype(str).str.strip() for c in [*REQUIRED_COLUMNS, "requires", "note"]
    }
    keep = text["accept"].map(fold).isin(ACCEPT_VALUES) & (text["term"] != "")
    out = pd.DataFrame({c: v[keep] for c, v in text.items() if c != "accept"})
    out["similarity"] = s.loc[keep, "similarity"]
    out["frequency"] = s.loc[keep, "frequency"]
    for row in out.itertuples():
        if row.language not in LANGUAGES:
            raise ConfigError(
                Errors.E026.format(
                    what=f"review sheet row {row.term!r}",
                    key="language",
                    value=row.language,
                    allowed=", ".join(LANGUAGES),
                )
            )
        if row.subframe not in subframes.get(row.frame, ()):
            allowed = "; ".join(f"{f}: {', '.join(v)}" for f, v in sorted(subframes.items()))
            raise ConfigError(
                Errors.E026.format(
                    what=f"review sheet row {row.term!r}",
                    key="frame/subframe",
                    value=f"{row.frame}/{row.subframe}",
                    allowed=allowed,
                )
            )
    return out.reset_index(drop=True)


def new_entries(
    accepted: pd.DataFrame,
    existing_keys: set[tuple[str, str]],
    new_version: str,
    preprocess_config: PreprocessConfig | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Term-file rows for the accepted terms, and the rows skipped as already present.

    ``match`` is ``lemma`` when the term lemmatises to one token, else ``phrase``; a term whose
    key (lemmas, accent-folded) is already in ``existing_keys`` ((language, key) pairs of the
    base version) or earlier in the sheet is skipped.
    """
    from framelens.analysis.text.preprocess import lemmatize_terms

    rows, skipped, seen = [], [], set(existing_keys)
    for lang in LANGUAGES:
        part = accepted[accepted["language"] == lang]
        if part.empty:
            continue
        lemmas = lemmatize_terms(part["term"].tolist(), lang, preprocess_config)
        for r, lem in zip(part.itertuples(), lemmas, strict=True):
            key = fold(lem)
            if not key or (lang, key) in seen:
                skipped.append({"language": lang, "term": r.term, "key": key})
                continue
            seen.add((lang, key))
            note = f"{new_version}: accepted from lexicon suggest" + (
                f"; {r.note}" if r.note else ""
            )
            rows.append(
                {
                    "language": lang,
                    "term": r.term,
                    "frame": r.frame,
                    "subframe": r.subframe,
                    "match": "phrase" if " " in key else "lemma",
                    "requires": r.requires,
                    "note": note,
                    "similarity": r.similarity,
                    "frequency": r.frequency,
                }
            )
    cols = ["language", *TERM_COLUMNS, "similarity", "frequency"]
    return pd.DataFrame(rows, columns=cols), pd.DataFrame(
        skipped, columns=["language", "term", "key"]
    )


def changelog_section(
    new_version: str, base_version: str, entries: pd.DataFrame, sheet_name: str
) -> str:
    """The CHANGELOG section of the new version: one line per added entry."""
    intro = (
        f"MINOR: {len(entries)} entries added to {base_version} (nothing removed or changed), "
        f"accepted by a reviewer from the review sheet `{sheet_name}` written by `framelens "
        "lexicon suggest` (nearest words to each subframe in embeddings of the run's corpus)."
    )
    lines = [f"## {new_version}", "", textwrap.fill(intro, width=96), ""]
    for r in entries.sort_values(["language", "frame", "subframe", "term"]).itertuples():
        extra = []
        if str(r.similarity).strip() not in ("", "nan"):
            extra.append(f"similarity {float(r.similarity):.3f}")
        if str(r.frequency).strip() not in ("", "nan"):
            extra.append(f"frequency {int(float(r.frequency))}")
        if r.requires:
            extra.append(f"requires {r.requires}")
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"- {r.language} `{r.term}`: {r.frame} / {r.subframe}{tail}")
    return "\n".join(lines) + "\n"


def insert_section(changelog: str, section: str) -> str:
    """``changelog`` with ``section`` placed before its first ``## `` heading (newest first)."""
    lines = changelog.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("## "):
            return "".join(lines[:i]) + section + "\n" + "".join(lines[i:])
    return changelog.rstrip("\n") + "\n\n" + section
