"""Bilingual seed terms of named themes (package data ``lexicons/topic_seeds/<version>/``).

A seeded model places theme i on topic i (LDA: extra prior pseudo-counts in eta; NMF: a custom
initialisation of H), so that a theme keeps its name in every language and its prevalence can be
compared between US (English) and Mexican (Spanish) documents. Matching rules are in the
seeds' README.md and docs/topics.md (Seeded priors).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from framelens.core.packagedata import available_versions, kind_dir, resolve_version

#: The themes of seeds 1.x, in topic order.
THEMES = (
    "child_protection_reception",
    "enforcement_detention",
    "asylum_refuge",
    "border_externalization",
    "cooperation_diplomacy",
    "root_causes_development",
)


def available_seed_versions() -> list[str]:
    """Seed versions shipped with the package, oldest first."""
    return available_versions("topic_seeds", required="seeds.csv")


@dataclass(frozen=True)
class SeedLexicon:
    """Seed terms of named themes.

    Attributes
    ----------
    version : str
        Semantic version of the seed set.
    table : DataFrame
        Columns theme, language, term (as written in seeds.csv).
    themes : tuple of str
        Theme names in topic order (first appearance in seeds.csv).
    """

    version: str
    table: pd.DataFrame
    themes: tuple[str, ...]

    def terms(self, language: str) -> dict[str, list[str]]:
        """theme -> seed terms as written, for ``language``, in theme order."""
        sub = self.table[self.table["language"] == language]
        return {th: sub.loc[sub["theme"] == th, "term"].tolist() for th in self.themes}

    def resolve(self, language: str, vocabulary: list[str] | None = None) -> dict[str, list[str]]:
        """theme -> vocabulary forms of its seed terms (term and its lookup lemma).

        With ``vocabulary``, only forms present in it are kept (sorted); every theme is listed,
        possibly with an empty list.
        """
        vocab = set(vocabulary) if vocabulary is not None else None
        out: dict[str, list[str]] = {}
        for theme, terms in self.terms(language).items():
            forms: set[str] = set()
            for term in terms:
                forms.update(seed_forms(term, language))
            if vocab is not None:
                forms &= vocab
            out[theme] = sorted(forms)
        return out

    def all_forms(self, language: str) -> list[str]:
        """Every vocabulary form of every seed term of ``language`` (for pruning exemptions)."""
        return sorted({f for forms in self.resolve(language).values() for f in forms})


def load_seeds(version: str = "latest") -> SeedLexicon:
    """Load the seed lexicon ``version`` (``latest`` = highest shipped version).

    Raises ``ConfigError`` (E009) naming the available versions when it does not exist.
    """
    version = resolve_version("topic_seeds", version, required="seeds.csv")
    path = kind_dir("topic_seeds") / version / "seeds.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[["theme", "language", "term"]].copy()
    table["term"] = table["term"].str.strip().str.lower()
    table = table[table["term"] != ""].drop_duplicates().reset_index(drop=True)
    themes = tuple(dict.fromkeys(table["theme"].tolist()))
    return SeedLexicon(version=version, table=table, themes=themes)


def seed_forms(term: str, language: str) -> list[str]:
    """Vocabulary forms a seed term matches: itself and its spaCy lookup lemma; words of a
    multiword term are joined with ``_`` (bigram phrases)."""
    words = term.lower().split()
    raw = "_".join(words)
    lemma = "_".join(_lookup_lemma(w, language) for w in words)
    return sorted({raw, lemma})


def _lookup_lemma(word: str, language: str) -> str:
    table = _lookup_table(language)
    return table.get(word, word).lower() if table else word


@lru_cache(maxsize=4)
def _lookup_table(language: str) -> dict[str, str]:
    """spaCy's lookup lemma table for ``language`` (spacy-lookups-data), or {} when absent."""
    try:
        import spacy

        nlp = spacy.blank(language)
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        lemmatizer = nlp.get_pipe("lemmatizer")
        table = lemmatizer.lookups.get_table("lemma_lookup")
        return _TableView(table)
    except Exception:  # noqa: BLE001 - no lookups data: match raw forms only
        return {}


class _TableView(dict):
    """Read-only dict view over a spaCy lookups Table (keys are hashed strings)."""

    def __init__(self, table):
        super().__init__()
        self._table = table

    def get(self, key, default=None):  # type: ignore[override]
        value = self._table.get(key, None)
        return value if value is not None else default

    def __bool__(self) -> bool:
        return True
