"""`framelens lexicon suggest` and `apply_suggestions` on a small synthetic corpus.

Planted synonyms ("youngsters" beside "children"/"minors", "jail" beside "detention"/"arrest")
occur in the same contexts as a subframe's entries; the embeddings trained on the corpus must
put them at the top of that subframe's candidates. Accepted rows become a MINOR version that
``build_lexicon`` loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing import build_lexicon
from framelens.analysis.framing.suggest import SHEET_COLUMNS, SuggestSettings, suggest_terms
from framelens.analysis.framing.suggest_apply import bump_minor, check_minor_bump
from framelens.core.errors import ConfigError
from framelens.core.io import write_table
from framelens.core.packagedata import version_dir
from framelens.pipeline.lexicon import (
    apply_suggestions,
    lexicon_suggest,
    read_lexicon_folder,
    read_sheet,
)

SETTINGS = SuggestSettings(n=5, vector_size=24, window=3, min_count=3, epochs=40, seed=7)
# (written, lemma) pairs; the planted words are the last of each group
CHILD = [("children", "child"), ("minors", "minor"), ("youngsters", "youngster")]
JAIL = [("detention", "detention"), ("arrest", "arrest"), ("jail", "jail")]
HUM = [
    "the {} need shelter care and protection services",
    "we provide safe shelter and health care to the {}",
    "every one of the {} deserves care protection and schooling",
]
SEC = [
    "police ordered the {} of smugglers at the border checkpoint",
    "agents carried out the {} of the gang members at the crossing",
    "the cartel leaders face {} after the raid at the crossing",
]
NOISE = "the committee met on tuesday to discuss the budget of the ministry"


def _corpus(n: int = 160, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        for group, templates in ((CHILD, HUM), (JAIL, SEC)):
            written, lemma = group[rng.integers(len(group))]
            t = templates[rng.integers(len(templates))]
            rows.append((t.format(written), t.format(lemma)))
        rows.append((NOISE, NOISE))
    return pd.DataFrame(
        {
            "doc_id": [f"d{i // 30:03d}" for i in range(len(rows))],
            "sent_id": [i % 30 for i in range(len(rows))],
            "text": [w for w, _ in rows],
            "tokens": [w for w, _ in rows],
            "lemmas": [lem for _, lem in rows],
            "n_tokens": [len(w.split()) for w, _ in rows],
            "language": "en",
        }
    )


def _lexicon_tables() -> dict[str, pd.DataFrame]:
    return {
        "en": pd.DataFrame(
            {
                "term": ["child", "minor", "shelter", "detention", "arrest", "smuggler"],
                "frame": ["humanitarian"] * 3 + ["security"] * 3,
                "subframe": [
                    "child_protection",
                    "child_protection",
                    "care_services",
                    "enforcement_detention",
                    "enforcement_detention",
                    "crime_threat",
                ],
                "match": ["lemma"] * 6,
            }
        ),
        "es": pd.DataFrame(
            {
                "term": ["refugio"],
                "frame": ["humanitarian"],
                "subframe": ["asylum_refuge"],
                "match": ["lemma"],
            }
        ),
    }


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _corpus()


@pytest.fixture(scope="module")
def sheet(corpus) -> pd.DataFrame:
    return suggest_terms(corpus, build_lexicon(_lexicon_tables()), settings=SETTINGS)


def _lexicon_folder(root):
    """A minimal lexicon version folder (1.0.0) written like the package's."""
    folder = root / "1.0.0"
    folder.mkdir(parents=True)
    for lang, df in _lexicon_tables().items():
        df.assign(requires="", note="").to_csv(folder / f"{lang}.csv", index=False)
    pd.DataFrame(
        {"language": ["en"], "context": ["migration"], "term": ["border"], "note": [""]}
    ).to_csv(folder / "context.csv", index=False)
    # the package's own lexicon.yaml gives the frames and negators
    meta = (version_dir("framing", "3.0.0") / "lexicon.yaml").read_text(encoding="utf-8")
    (folder / "lexicon.yaml").write_text(meta.replace('"3.0.0"', '"1.0.0"'), encoding="utf-8")
    (folder / "CHANGELOG.md").write_text("# Changelog\n\nIntro.\n\n## 1.0.0\n\nFirst.\n")
    (folder / "README.md").write_text("# test lexicon, version 1.0.0\n\nText.\n")
    return folder


def test_lexicon_suggest_planted_synonyms_on_top(sheet):
    assert list(sheet.columns) == SHEET_COLUMNS
    child = sheet[sheet["subframe"] == "child_protection"]
    assert child.iloc[0]["term"] == "youngsters"  # the written form, not the lemma
    assert child.iloc[0]["frame"] == "humanitarian"
    jail = sheet[sheet["subframe"] == "enforcement_detention"]
    assert jail.iloc[0]["term"] == "jail"
    # existing entries are never proposed; every row has frequency, kwic and an empty accept
    assert not sheet["note"].str.startswith("lemma: child;").any()
    assert (sheet["frequency"] >= SETTINGS.min_count).all()
    assert (sheet["accept"] == "").all()
    top = child.iloc[0]
    assert "[youngsters]" in top["kwic_1"] and top["kwic_3"]
    assert sheet["similarity"].between(-1, 1).all()
    assert (sheet.groupby("subframe").size() <= SETTINGS.n).all()


def test_lexicon_suggest_frame_filter_and_unknown_frame(corpus):
    lex = build_lexicon(_lexicon_tables())
    sec = suggest_terms(corpus, lex, frames=["security"], settings=SETTINGS)
    assert set(sec["frame"]) == {"security"}
    with pytest.raises(ConfigError, match="E026"):
        suggest_terms(corpus, lex, frames=["safety"], settings=SETTINGS)


def test_lexicon_suggest_deterministic(corpus, sheet):
    again = suggest_terms(corpus, build_lexicon(_lexicon_tables()), settings=SETTINGS)
    pd.testing.assert_frame_equal(sheet, again)


def test_lexicon_suggest_same_sheet_in_another_process(tmp_path, corpus, sheet):
    """String hashing differs between processes; the sheet must not."""
    corpus.to_parquet(tmp_path / "c.parquet")
    code = (
        "import sys, pandas as pd\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "from test_lexicon_suggest import SETTINGS, _lexicon_tables\n"
        "from framelens.analysis.framing import build_lexicon\n"
        "from framelens.analysis.framing.suggest import suggest_terms\n"
        f"c = pd.read_parquet({str(tmp_path / 'c.parquet')!r})\n"
        "s = suggest_terms(c, build_lexicon(_lexicon_tables()), settings=SETTINGS)\n"
        f"s.to_csv({str(tmp_path / 'other.csv')!r}, index=False)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    other = pd.read_csv(tmp_path / "other.csv", dtype=str, keep_default_na=False)
    mine = pd.read_csv(
        pd.io.common.StringIO(sheet.to_csv(index=False)), dtype=str, keep_default_na=False
    )
    pd.testing.assert_frame_equal(mine, other)


def test_apply_suggestions_writes_minor_version(tmp_path, sheet):
    base = _lexicon_folder(tmp_path / "lex")
    filled = sheet.copy()
    pick = ((filled["term"] == "youngsters") & (filled["subframe"] == "child_protection")) | (
        (filled["term"] == "jail") & (filled["subframe"] == "enforcement_detention")
    )
    filled.loc[pick, "accept"] = "x"
    path = tmp_path / "sheet.csv"
    filled.to_csv(path, index=False, encoding="utf-8-sig")
    target = apply_suggestions(read_sheet(path), base, out_dir=tmp_path / "out")
    assert target.name == "1.1.0"
    lex = read_lexicon_folder(target)
    assert lex.version == "1.1.0"
    keys = set(lex.terms["key"])
    assert {"youngster", "jail", "child", "minor"} <= keys
    added = lex.terms.set_index("key").loc[["youngster", "jail"]]
    assert list(added["subframe"]) == ["child_protection", "enforcement_detention"]
    assert (added["match"] == "lemma").all()
    # build_lexicon accepts the written files as they are
    terms = {
        lang: pd.read_csv(target / f"{lang}.csv", dtype=str, keep_default_na=False)
        for lang in ("en", "es")
    }
    assert len(build_lexicon(terms).terms) == len(lex.terms)
    log = (target / "CHANGELOG.md").read_text()
    assert log.index("## 1.1.0") < log.index("## 1.0.0")
    assert "`youngsters`: humanitarian / child_protection" in log
    assert "# test lexicon, version 1.1.0" in (target / "README.md").read_text()
    # the base is untouched, and the same folder is never overwritten
    assert "youngsters" not in (base / "en.csv").read_text()
    with pytest.raises(ConfigError, match="E026"):
        apply_suggestions(filled, base, out_dir=tmp_path / "out")


def test_apply_suggestions_refuses_bad_sheets_and_versions(tmp_path, sheet):
    base = _lexicon_folder(tmp_path / "lex")
    with pytest.raises(ConfigError, match="E026"):  # nothing accepted
        apply_suggestions(sheet, base, out_dir=tmp_path)
    with pytest.raises(ConfigError, match="E023"):
        apply_suggestions(sheet.drop(columns=["subframe"]), base, out_dir=tmp_path)
    wrong = sheet.head(1).assign(accept="1", subframe="not_a_subframe")
    with pytest.raises(ConfigError, match="E026"):
        apply_suggestions(wrong, base, out_dir=tmp_path)
    ok = sheet.head(1).assign(accept="1")
    with pytest.raises(ConfigError, match="E026"):  # adding entries is not a MAJOR change
        apply_suggestions(ok, base, new_version="2.0.0", out_dir=tmp_path)
    assert bump_minor("4.0.0") == "4.1.0" and bump_minor("3.2.1") == "3.3.0"
    check_minor_bump("4.0.0", "4.2.0")
    with pytest.raises(ConfigError):
        check_minor_bump("4.0.0", "4.0.1")


def test_lexicon_suggest_from_run_folder(tmp_path):
    """The pipeline function reads a run's tables and writes the sheet (package lexicon 3.0.0)."""
    corpus = _corpus(120, seed=1)
    tables = tmp_path / "run" / "tables"
    write_table(corpus.drop(columns=["language"]), tables, "sentences")
    docs = pd.DataFrame(
        {"doc_id": sorted(set(corpus["doc_id"])), "language": "en", "text": "", "status": "ok"}
    )
    write_table(docs, tables, "documents")
    (tmp_path / "run" / "run.json").write_text(json.dumps({"seed": 3, "lexicon_version": "3.0.0"}))
    settings = SuggestSettings(vector_size=24, window=3, min_count=3, epochs=20)
    out = lexicon_suggest(tmp_path / "run", frame="humanitarian", n=3, settings=settings)
    assert out.lexicon_version == "3.0.0"
    assert out.path == tmp_path / "run" / "lexicon" / "suggestions.csv"
    assert out.path.read_bytes().startswith(b"\xef\xbb\xbf")
    written = read_sheet(out.path)
    assert list(written.columns) == SHEET_COLUMNS
    assert set(written["frame"]) == {"humanitarian"}
    child = written[written["subframe"] == "child_protection"]
    assert child.iloc[0]["term"] == "youngsters"
