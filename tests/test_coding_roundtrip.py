"""The coding workflow end to end on a tiny run folder: `gold sample` -> two coders fill their
sheets (with disagreements) -> `gold agree` -> adjudication -> `gold merge` -> a file in the
format of ../shared/validation/design_sample.csv whose labels are the adjudicated ones."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framelens.core.errors import ConfigError
from framelens.core.io import write_table
from framelens.pipeline.coding import gold_agree, gold_merge, gold_sample, read_sheet
from framelens.schemas.coding import DESIGN_SAMPLE_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMELENS_SHARED", REPO.parent / "shared"))
DESIGN_SAMPLE = SHARED / "validation" / "design_sample.csv"
GROUPS = [("en", "US", "Biden"), ("en", "US", "Trump II"), ("es", "MX", "Sheinbaum")]


def write_tiny_run(root: Path) -> Path:
    """A run folder with the three tables `gold sample` reads (and a run.json)."""
    rs = np.random.default_rng(11)
    docs, sents, frames = [], [], []
    for g, (lang, country, admin) in enumerate(GROUPS):
        for d in range(2):
            doc_id = f"{country.lower()}-{g}{d}"
            docs.append(
                {
                    "doc_id": doc_id,
                    "language": lang,
                    "country": country,
                    "administration": admin,
                    "doc_type": "speech",
                    "issuer": "Office",
                    "title": f"Título {doc_id}",
                    "status": "ok",
                }
            )
            for s in range(25):
                fired = rs.random() < 0.3
                sents.append(
                    {
                        "doc_id": doc_id,
                        "sent_id": s,
                        "start_char": 100 * s,
                        "end_char": 100 * s + 90,
                        "text": f"Oración {s} de {doc_id}.",
                    }
                )
                frames.append(
                    {
                        "doc_id": doc_id,
                        "sent_id": s,
                        "hits_humanitarian": int(fired),
                        "hits_security": int(fired and rs.random() < 0.5),
                        "lexicon_version": "3.0.0",
                    }
                )
    tables = root / "tables"
    write_table(pd.DataFrame(docs), tables, "documents")
    write_table(pd.DataFrame(sents), tables, "sentences")
    write_table(pd.DataFrame(frames), tables, "sentence_frames")
    (root / "run.json").write_text(json.dumps({"seed": 1, "lexicon_version": "3.0.0"}))
    return root


def _truth(unit_ids: pd.Series) -> pd.DataFrame:
    """Hidden 'true' codes per unit (a deterministic function of the id)."""
    h = np.array([int(u[1:], 16) for u in unit_ids])
    return pd.DataFrame(
        {"humanitarian": (h % 3 == 0).astype(int), "security": (h % 5 == 0).astype(int)},
        index=list(unit_ids),
    )


@pytest.fixture()
def sampled(tmp_path):
    run = write_tiny_run(tmp_path / "run")
    out = gold_sample(run, n=30, seed=5)
    return run, out


def test_coding_roundtrip_sample_agree_merge(sampled, tmp_path):
    run, out = sampled
    gold = run / "gold"
    assert {p.name for p in gold.iterdir()} >= {
        "sample.csv",
        "coding_sheet.csv",
        "strata.csv",
        "design.json",
        "CODING.md",
    }
    assert "## humanitarian" in (gold / "CODING.md").read_text(encoding="utf-8")
    sheet = read_sheet(gold / "coding_sheet.csv")
    assert not any(
        c.startswith("lexicon") or c in ("stratum", "inclusion_prob") for c in sheet.columns
    )
    truth = _truth(sheet["unit_id"])
    a = sheet.copy()
    a["humanitarian"] = truth["humanitarian"].to_numpy()
    a["security"] = truth["security"].to_numpy()
    b = a.copy()
    flip_h, flip_s = [1, 4, 7], [4, 9]  # coder b errs here; unit 4 on both labels
    b.loc[flip_h, "humanitarian"] = 1 - b.loc[flip_h, "humanitarian"]
    b.loc[flip_s, "security"] = 1 - b.loc[flip_s, "security"]
    b.loc[9, "note"] = "negated frame"
    a.to_csv(tmp_path / "coder_a.csv", index=False)
    b.iloc[::-1].to_csv(tmp_path / "coder_b.csv", index=False, sep=";")  # another order, ';'

    result = gold_agree(tmp_path / "coder_a.csv", tmp_path / "coder_b.csv", tmp_path / "agree")
    adj = read_sheet(result.paths["adjudication.csv"])
    flipped = set(sheet["unit_id"].iloc[sorted({*flip_h, *flip_s})])
    assert set(adj["unit_id"]) == flipped
    n_h = result.table.set_index(["language", "label"]).loc[
        ("all", "humanitarian"), "n_disagreements"
    ]
    assert n_h == 3

    # the adjudicator decides: the truth where the coders disagree
    for label in ("humanitarian", "security"):
        adj[label] = [str(truth.loc[u, label]) for u in adj["unit_id"]]
    adj.loc[0, "note"] = "coder b misread"
    adj.to_csv(tmp_path / "agree" / "adjudication.csv", index=False)
    merged, path = gold_merge(
        tmp_path / "coder_a.csv",
        tmp_path / "coder_b.csv",
        tmp_path / "agree" / "adjudication.csv",
        sample=gold / "sample.csv",
        out=tmp_path / "design_sample.csv",
    )
    written = pd.read_csv(path)
    assert list(written.columns) == list(DESIGN_SAMPLE_COLUMNS)
    if DESIGN_SAMPLE.exists():
        assert list(written.columns) == list(pd.read_csv(DESIGN_SAMPLE, nrows=0).columns)
    final = written.set_index("unit_id")
    expected = _truth(written["unit_id"])
    assert (final["humanitarian"] == expected["humanitarian"]).all()
    assert (final["security"] == expected["security"]).all()
    assert set(final.index[final["agreement"] == 0]) == flipped
    assert final.loc[sorted(flipped), "note"].str.startswith("adjudicated").all()
    assert final["note"].fillna("").str.contains("coder b: negated frame").sum() == 1
    sample = pd.read_csv(gold / "sample.csv").set_index("unit_id")
    np.testing.assert_allclose(final["inclusion_prob"], sample.loc[final.index, "inclusion_prob"])
    ht = (1 / written["inclusion_prob"]).groupby(written["stratum"]).sum()
    np.testing.assert_allclose(ht, written.groupby("stratum")["N_stratum"].first())
    assert len(merged) == 30
    try:  # the run's reader of design samples (issue 10, part 1) takes the merged file as is
        from framelens.analysis.framing.design import load_design_sample
    except ImportError:
        return
    loaded = load_design_sample(path)
    assert loaded["unit_id"].tolist() == written["unit_id"].tolist()
    np.testing.assert_allclose(loaded["inclusion_prob"], written["inclusion_prob"])


def test_coding_merge_refuses_incomplete_adjudication(sampled, tmp_path):
    run, _ = sampled
    sheet = read_sheet(run / "gold" / "coding_sheet.csv")
    a = sheet.assign(humanitarian="0", security="0")
    b = a.copy()
    b.loc[[2, 3], "humanitarian"] = "1"
    a.to_csv(tmp_path / "A.csv", index=False)
    b.to_csv(tmp_path / "B.csv", index=False)
    with pytest.raises(ConfigError, match="no adjudication sheet was given"):
        gold_merge(tmp_path / "A.csv", tmp_path / "B.csv", sample=run / "gold" / "sample.csv")
    result = gold_agree(tmp_path / "A.csv", tmp_path / "B.csv")
    adj_path = result.paths["adjudication.csv"]
    assert adj_path.parent == tmp_path
    with pytest.raises(
        ConfigError, match=r"adjudication\.csv: 2 disagreements .*\(row 2\) lacks humanitarian"
    ):
        gold_merge(
            tmp_path / "A.csv", tmp_path / "B.csv", adj_path, sample=run / "gold" / "sample.csv"
        )
    with pytest.raises(ConfigError, match="No sample sheet for the merge"):
        gold_merge(tmp_path / "A.csv", tmp_path / "B.csv", adj_path)
    # agreed everywhere: no adjudication needed
    merged, _ = gold_merge(
        tmp_path / "A.csv",
        tmp_path / "A.csv",
        sample=run / "gold" / "sample.csv",
        out=tmp_path / "m.csv",
    )
    assert merged["agreement"].eq(1).all() and merged["note"].fillna("").eq("").all()


def test_coding_sample_does_not_replace_a_different_sample(sampled):
    run, out = sampled
    again = gold_sample(run, n=30, seed=5)  # the same draw: fine
    assert again.paths["sample.csv"].read_bytes() == out.paths["sample.csv"].read_bytes()
    with pytest.raises(ConfigError, match="already holds a different sample"):
        gold_sample(run, n=30, seed=6)
    gold_sample(run, n=30, seed=6, overwrite=True)


def test_coding_sample_needs_a_finished_run(tmp_path):
    with pytest.raises(ConfigError, match=r"\[E011\] Table sentences is missing"):
        gold_sample(tmp_path, n=10)
