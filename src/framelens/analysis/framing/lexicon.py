"""The bilingual framing lexicon: versioned package data, loaded into a ``Lexicon`` object.

A lexicon version is a folder ``framelens/lexicons/framing/<MAJOR.MINOR.PATCH>/`` holding

- ``en.csv``, ``es.csv``: term, frame, subframe, match (``lemma`` | ``phrase``), requires, note;
- ``context.csv``: language, context, term, note (the context sets named in ``requires``);
- ``lexicon.yaml``: version, frames and subframes, negators per language, matching rules;
- ``README.md`` (the matching rules in prose) and ``CHANGELOG.md``.

Terms are written in natural forms ("unaccompanied children", "estaciones migratorias") and are
lemmatised on loading with the same spaCy pipeline as the sentences (``lemmatize_terms``), so
that "detained", "detains" and "detain" all meet the lemma ``detain``. Matching rules are in
``framelens.analysis.framing.matching`` and ``docs/lexicon.md``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from framelens.core.config import PreprocessConfig
from framelens.core.domain import FRAMES, LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.core.packagedata import available_versions as _available
from framelens.core.packagedata import kind_dir, resolve_version

FRAMING_DIR = kind_dir("framing")
#: Frame of "blocker" entries: names that contain frame words but frame nothing by themselves
#: ("Customs and Border Protection", "Ley de Seguridad Nacional"). They are matched like any
#: entry, so they consume their tokens (longest match), and are counted nowhere.
BLOCKER = "none"
#: Columns of a term file (``en.csv``, ``es.csv``), in order.
TERM_COLUMNS = ["term", "frame", "subframe", "match", "requires", "note"]
#: Columns of the context file (``context.csv``), in order.
CONTEXT_COLUMNS = ["language", "context", "term", "note"]


def _fold_table() -> dict[int, str]:
    """Every Latin letter with a diacritic -> its base letter (á->a, ñ->n, ü->u)."""
    table = {}
    for cp in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii() and base.isalpha():
            table[cp] = base
    return table


FOLD_TABLE = str.maketrans(_fold_table())
_CACHE: dict[tuple[str, str], Lexicon] = {}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics from Latin letters ("Migración" -> "migracion")."""
    return text.lower().translate(FOLD_TABLE)


def available_versions() -> list[str]:
    """Lexicon versions shipped with the package, in semantic-version order."""
    return _available("framing")


@dataclass(frozen=True)
class Lexicon:
    """A loaded framing lexicon with its matching parameters.

    Attributes
    ----------
    version : str
        Semantic version (folder name), written into every score table.
    terms : DataFrame
        One row per entry: language, term (as written), frame, subframe, match
        (``lemma``: one token; ``phrase``: a contiguous multi-token sequence), requires (a
        context set name or ""), note, lemmas (the term lemmatised), key (lemmas accent-folded:
        what is matched).
    contexts : DataFrame
        language, context, term, lemmas, key: the context sets that ``requires`` names.
    negators : dict
        language -> tuple of negator keys (accent-folded lemmas; "no", "not", "sin", ...).
    subframes : dict
        frame -> tuple of subframe names.
    case_sensitive, fold_accents, longest_match : bool
        Matching parameters (fixed: False, True, True; recorded for the run record).
    count_headings : bool
        Whether a hit written all in capitals (a heading or title) counts; from
        ``lexicon.yaml`` (``matching.count_headings``, default True; False from 2.0.0).
    path : Path
        Folder the lexicon was read from.
    """

    version: str
    terms: pd.DataFrame
    contexts: pd.DataFrame
    negators: dict[str, tuple[str, ...]]
    subframes: dict[str, tuple[str, ...]]
    frames: tuple[str, ...] = FRAMES
    case_sensitive: bool = False
    fold_accents: bool = True
    longest_match: bool = True
    count_headings: bool = True
    path: Path | None = None
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def languages(self) -> list[str]:
        return sorted(self.terms["language"].unique().tolist())

    def describe(self) -> dict:
        """Matching parameters and counts, for ``run.json``."""
        counts = self.terms.groupby(["language", "frame"]).size()
        return {
            "version": self.version,
            "case_sensitive": self.case_sensitive,
            "fold_accents": self.fold_accents,
            "longest_match": self.longest_match,
            "count_headings": self.count_headings,
            "overlap": "counted once (leftmost-longest, non-overlapping)",
            "negators": {k: list(v) for k, v in self.negators.items()},
            "n_terms": {f"{lang}/{fr}": int(n) for (lang, fr), n in counts.items()},
        }


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except (OSError, ValueError) as exc:
        raise ConfigError(Errors.E020.format(path=path, reason=exc)) from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ConfigError(Errors.E020.format(path=path, reason=f"missing columns {missing}"))
    return df[columns].apply(lambda s: s.str.strip())


def load_lexicon(
    version: str = "latest", preprocess_config: PreprocessConfig | None = None
) -> Lexicon:
    """Load a framing lexicon shipped with framelens and lemmatise its terms.

    Parameters
    ----------
    version : str, default "latest"
        A folder under ``framelens/lexicons/framing`` ("1.2.0"), or "latest" (highest).
    preprocess_config : PreprocessConfig, optional
        The preprocessing configuration of the sentences to be scored: terms are lemmatised
        with the same pipeline (``load_nlp``).

    Returns
    -------
    Lexicon

    Raises
    ------
    ConfigError
        E009 when the version does not exist, E020 when a file breaks the format (unknown
        frame or subframe, a ``lemma`` entry of several tokens, an unknown context set).

    Examples
    --------
    >>> lex = load_lexicon()
    >>> sorted(lex.terms["frame"].unique())
    ['cooperation', 'humanitarian', 'none', 'security']
    """
    v = resolve_version("framing", version)
    cache_key = (v, repr(preprocess_config))
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    folder = FRAMING_DIR / v
    meta_path = folder / "lexicon.yaml"
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(Errors.E020.format(path=meta_path, reason=exc)) from exc
    if str(meta.get("version")) != v:
        raise ConfigError(
            Errors.E020.format(
                path=meta_path, reason=f"version {meta.get('version')} != folder {v}"
            )
        )
    subframes = {fr: tuple(meta["frames"][fr]) for fr in FRAMES}
    contexts = _read_csv(folder / "context.csv", CONTEXT_COLUMNS)
    terms = {lang: _read_csv(folder / f"{lang}.csv", TERM_COLUMNS) for lang in LANGUAGES}
    lex = build_lexicon(
        terms,
        contexts=contexts,
        negators={lang: list(meta["negators"][lang]) for lang in LANGUAGES},
        subframes=subframes,
        version=v,
        preprocess_config=preprocess_config,
        path=folder,
        count_headings=bool((meta.get("matching") or {}).get("count_headings", True)),
    )
    _CACHE[cache_key] = lex
    return lex


def build_lexicon(
    terms: dict[str, pd.DataFrame],
    *,
    contexts: pd.DataFrame | None = None,
    negators: dict[str, list[str]] | None = None,
    subframes: dict[str, tuple[str, ...]] | None = None,
    version: str = "custom",
    preprocess_config: PreprocessConfig | None = None,
    path: Path | None = None,
    count_headings: bool = True,
) -> Lexicon:
    """Build a ``Lexicon`` from tables (what ``load_lexicon`` does with the package files).

    Parameters
    ----------
    terms : dict
        language -> DataFrame with columns term, frame, subframe, match (lemma|phrase), and
        optionally requires (context set names joined by "|") and note.
    contexts : DataFrame, optional
        language, context, term (and note): the context sets named in ``requires``.
    negators : dict, optional
        language -> negator words (default: none, so nothing is marked negated).
    subframes : dict, optional
        frame -> allowed subframes (default: whatever the terms use).
    version : str
        Written into every output table.
    count_headings : bool, default True
        Whether hits written all in capitals (headings) count.

    Returns
    -------
    Lexicon

    Examples
    --------
    >>> import pandas as pd
    >>> lex = build_lexicon({"en": pd.DataFrame({"term": ["border wall"], "frame": ["security"],
    ...     "subframe": ["border_control_deterrence"], "match": ["phrase"]})})
    >>> lex.terms[["term", "key"]].to_dict("records")
    [{'term': 'border wall', 'key': 'border wall'}]
    """
    contexts = _context_table(contexts)
    frames = [
        _language_terms(lang, df, contexts, subframes, path, preprocess_config)
        for lang, df in sorted(terms.items())
    ]
    all_terms = pd.concat(frames, ignore_index=True)
    all_terms["key"] = all_terms["lemmas"].map(fold)
    all_terms = _drop_duplicate_keys(all_terms, path)
    contexts = _lemmatised_contexts(contexts, preprocess_config)
    neg = _negator_keys(negators or {}, preprocess_config)
    if subframes is None:
        subframes = {
            fr: tuple(sorted(set(all_terms.loc[all_terms["frame"] == fr, "subframe"])))
            for fr in FRAMES
        }
    subframes = {**subframes, BLOCKER: ("name",)}
    return Lexicon(
        version=version,
        terms=all_terms,
        contexts=contexts,
        negators=neg,
        subframes=subframes,
        path=path,
        count_headings=count_headings,
    )


# --------------------------------------------------------------------------- building blocks
def _context_table(contexts: pd.DataFrame | None) -> pd.DataFrame:
    """A copy of the context sets with a ``note`` column (an empty table when None)."""
    contexts = (
        contexts.copy()
        if contexts is not None
        else pd.DataFrame({c: pd.Series([], dtype=str) for c in ("language", "context", "term")})
    )
    if "note" not in contexts.columns:
        contexts["note"] = ""
    return contexts


def _check_entries(
    df: pd.DataFrame, where, subframes: dict | None, known_contexts: set[str]
) -> None:
    """E020 for an unknown frame or subframe, a match other than lemma|phrase, or a
    ``requires`` naming a context set that does not exist (checked in that order)."""
    bad = df[~df["frame"].isin([*FRAMES, BLOCKER])]
    if len(bad):
        raise ConfigError(
            Errors.E020.format(path=where, reason=f"unknown frame {bad.iloc[0].frame!r}")
        )
    if subframes is not None:
        allowed = {**subframes, BLOCKER: ("name",)}
        for row in df.itertuples():
            if row.subframe not in allowed[row.frame]:
                reason = f"subframe {row.subframe!r} is not listed for {row.frame} in lexicon.yaml"
                raise ConfigError(Errors.E020.format(path=where, reason=reason))
    if not df["match"].isin(["lemma", "phrase"]).all():
        raise ConfigError(Errors.E020.format(path=where, reason="match must be lemma or phrase"))
    named = {name for req in df["requires"] for name in req.split("|") if name}
    unknown = named - known_contexts
    if unknown:
        raise ConfigError(
            Errors.E020.format(path=where, reason=f"unknown context {sorted(unknown)}")
        )


def _check_token_counts(df: pd.DataFrame, where) -> None:
    """E020 when a term lemmatises to nothing, a ``lemma`` entry to several tokens or a
    ``phrase`` entry to one."""
    n_tok = df["lemmas"].str.split().str.len()
    wrong = df[
        (n_tok == 0)
        | ((df["match"] == "lemma") & (n_tok != 1))
        | ((df["match"] == "phrase") & (n_tok < 2))
    ]
    if len(wrong):
        r = wrong.iloc[0]
        reason = f"term {r.term!r} lemmatises to {r.lemmas!r}, which does not fit match={r.match}"
        raise ConfigError(Errors.E020.format(path=where, reason=reason))


def _language_terms(
    lang: str,
    df: pd.DataFrame,
    contexts: pd.DataFrame,
    subframes: dict | None,
    path: Path | None,
    preprocess_config: PreprocessConfig | None,
) -> pd.DataFrame:
    """The checked and lemmatised term table of one language (``language`` first, ``lemmas``)."""
    from framelens.analysis.text.preprocess import lemmatize_terms

    where = path / f"{lang}.csv" if path else f"<terms {lang}>"
    df = df.copy()
    for col in ("requires", "note"):
        if col not in df.columns:
            df[col] = ""
    df = df[TERM_COLUMNS].fillna("")
    known = set(contexts.loc[contexts["language"] == lang, "context"])
    _check_entries(df, where, subframes, known)
    df.insert(0, "language", lang)
    df["lemmas"] = lemmatize_terms(df["term"].tolist(), lang, preprocess_config)
    _check_token_counts(df, where)
    return df


def _drop_duplicate_keys(all_terms: pd.DataFrame, path: Path | None) -> pd.DataFrame:
    """Keep the first of entries with the same key in a language; E020 when such entries
    belong to different frames."""
    dup = all_terms[all_terms.duplicated(["language", "key"], keep=False)]
    if not len(dup):
        return all_terms
    clash = dup.groupby(["language", "key"])["frame"].nunique()
    if (clash > 1).any():
        (lang, key) = clash[clash > 1].index[0]
        raise ConfigError(
            Errors.E020.format(
                path=path or "<terms>", reason=f"{lang} key {key!r} is listed under two frames"
            )
        )
    return all_terms.drop_duplicates(["language", "key"], keep="first").reset_index(drop=True)


def _lemmatised_contexts(
    contexts: pd.DataFrame, preprocess_config: PreprocessConfig | None
) -> pd.DataFrame:
    """The context sets with ``lemmas`` and ``key`` (lemmas accent-folded) per term."""
    from framelens.analysis.text.preprocess import lemmatize_terms

    parts = []
    for lang in sorted(set(contexts["language"])):
        c = contexts[contexts["language"] == lang].copy()
        c["lemmas"] = lemmatize_terms(c["term"].tolist(), lang, preprocess_config)
        parts.append(c)
    contexts = pd.concat(parts, ignore_index=True) if parts else contexts.assign(lemmas="")
    contexts["key"] = contexts["lemmas"].map(fold)
    return contexts


def _negator_keys(
    negators: dict[str, list[str]], preprocess_config: PreprocessConfig | None
) -> dict[str, tuple[str, ...]]:
    """language -> the negators' keys (one-token lemmas, accent-folded, sorted)."""
    from framelens.analysis.text.preprocess import lemmatize_terms

    neg = {}
    for lang, words in negators.items():
        lem = lemmatize_terms([str(w) for w in words], lang, preprocess_config)
        neg[lang] = tuple(sorted({fold(w) for w in lem if w and " " not in w}))
    return neg
