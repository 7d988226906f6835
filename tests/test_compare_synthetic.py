"""Seeded synthetic upstream tables (frame_scores, cooccurrence, actors, topic_prevalence,
lexicon_validation, documents, quarantine) with exactly the upstream columns, and an output
folder built from them. Imported by the compare, figures and report tests; the tests in this
file check the generator itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.core.domain import ADMINISTRATIONS, administration_for

#: (country, administration) -> true mean framing index of the generator (security-leaning).
TRUE_INDEX = {
    ("US", "Trump I"): -0.6,
    ("US", "Biden"): -0.1,
    ("US", "Trump II"): -0.7,
    ("MX", "Peña Nieto"): -0.3,
    ("MX", "López Obrador"): -0.4,
    ("MX", "Sheinbaum"): -0.35,
}
ISSUERS = {
    "US": ["White House", "Federal Register", "DHS", "CBP", "ICE", "HHS"],
    "MX": ["Presidencia", "DOF", "Cámara de Diputados", "SEGOB", "INM", "SRE"],
}
DOC_TYPES = ["executive_order", "press_release", "law", "speech"]


def _slug(admin: str) -> str:
    return admin.lower().replace(" ", "").replace("ñ", "n").replace("ó", "o")


def _span(country: str, admin: str) -> tuple[dt.date, dt.date]:
    spans = ADMINISTRATIONS[country]
    for i, (start, name) in enumerate(spans):
        if name == admin:
            end = (
                spans[i + 1][0] - dt.timedelta(days=1)
                if i + 1 < len(spans)
                else dt.date(2025, 9, 30)
            )
            return max(start, dt.date(2017, 1, 20)), end
    raise KeyError(admin)


def make_frame_scores(
    n_per_group: int = 30, seed: int = 7, n_unknown: int = 3, small: dict | None = None
) -> pd.DataFrame:
    """frame_scores with per-group sizes ``n_per_group`` (``small`` overrides some groups)."""
    rng = np.random.default_rng(seed)
    rows = []
    small = small or {("MX", "Peña Nieto"): 3}
    for (country, admin), mu in TRUE_INDEX.items():
        n = small.get((country, admin), n_per_group)
        start, end = _span(country, admin)
        days = (end - start).days
        for i in range(n):
            date = start + dt.timedelta(days=int(rng.integers(0, days + 1)))
            n_tokens = int(rng.integers(200, 5000))
            p_h = (1 + mu) / 2
            total = int(rng.poisson(n_tokens / 200))
            h = int(rng.binomial(total, np.clip(p_h + rng.normal(0, 0.1), 0.01, 0.99)))
            s = total - h
            c = int(rng.poisson(n_tokens / 1000))
            rows.append(
                {
                    "doc_id": f"{country.lower()}-{_slug(admin)}-{i:03d}",
                    "country": country,
                    "language": "en" if country == "US" else "es",
                    "administration": administration_for(country, date),
                    "date": date.isoformat(),
                    "issuer": ISSUERS[country][int(rng.integers(0, 6))],
                    "doc_type": DOC_TYPES[int(rng.integers(0, 4))],
                    "n_tokens": n_tokens,
                    "n_sentences": max(1, n_tokens // 25),
                    "hits_humanitarian": h,
                    "hits_security": s,
                    "hits_cooperation": c,
                }
            )
    for i in range(n_unknown):
        country = "MX" if i % 2 else "US"
        rows.append(
            {
                "doc_id": f"{country.lower()}-undated-{i:03d}",
                "country": country,
                "language": "en" if country == "US" else "es",
                "administration": "unknown",
                "date": None,
                "issuer": ISSUERS[country][0],
                "doc_type": "speech",
                "n_tokens": 1000,
                "n_sentences": 40,
                "hits_humanitarian": 2 + i,
                "hits_security": 3,
                "hits_cooperation": 0,
            }
        )
    df = pd.DataFrame(rows)
    # two off-topic documents without hits: framing index undefined (NaN)
    df.loc[[0, 1], ["hits_humanitarian", "hits_security"]] = 0
    for f in ("humanitarian", "security", "cooperation"):
        df[f"rate_{f}"] = df[f"hits_{f}"] / df["n_tokens"] * 1000.0
    h, s = df["hits_humanitarian"].astype(float), df["hits_security"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        df["framing_index"] = np.where(h + s > 0, (h - s) / (h + s), np.nan)
    df["framing_n"] = (h + s).astype(int)
    df["lexicon_version"] = "1.0.0"
    cols = ["doc_id", "country", "language", "administration", "date", "issuer", "doc_type",
            "n_tokens", "n_sentences", "hits_humanitarian", "hits_security", "hits_cooperation",
            "rate_humanitarian", "rate_security", "rate_cooperation", "framing_index",
            "framing_n", "lexicon_version"]  # fmt: skip
    return df[cols].sort_values("doc_id").reset_index(drop=True)


INJECTED_TITLES = ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">')
META = ["country", "language", "administration", "date", "issuer", "doc_type"]


def make_cooccurrence(frame_scores: pd.DataFrame, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = frame_scores[["doc_id", *META]].copy()
    df["hum_hits"] = frame_scores["hits_humanitarian"].to_numpy()
    df["sec_hits"] = frame_scores["hits_security"].to_numpy()
    both_h = rng.binomial(df["hum_hits"], 0.35)
    both_s = rng.binomial(df["sec_hits"], 0.15)
    with np.errstate(invalid="ignore", divide="ignore"):
        df["hum_in_sec_share"] = np.where(df["hum_hits"] > 0, both_h / df["hum_hits"], np.nan)
        df["sec_in_hum_share"] = np.where(df["sec_hits"] > 0, both_s / df["sec_hits"], np.nan)
    df["n_sentences_both"] = np.minimum(both_h, both_s + 1)
    df["lexicon_version"] = "1.0.0"
    return df


def make_actors(frame_scores: pd.DataFrame, seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    actors = [("INM", "MX"), ("COMAR", "MX"), ("DIF", "MX"), ("CBP", "US"), ("ORR", "US"),
              ("UNHCR", "INTL"), ("Guardia Nacional", "MX"), ("ICE", "US")]  # fmt: skip
    rows = []
    for r in frame_scores.itertuples():
        for k in range(int(rng.integers(0, 4))):
            actor, ac = actors[int(rng.integers(0, len(actors)))]
            sec = bool(
                rng.random() < (0.7 if actor in ("INM", "CBP", "ICE", "Guardia Nacional") else 0.3)
            )
            rows.append(
                {
                    "doc_id": r.doc_id,
                    "sent_id": int(k * 3 + rng.integers(0, 3)),
                    "actor": actor,
                    "actor_country": ac,
                    "humanitarian": bool(rng.random() < 0.4),
                    "security": sec,
                    "cooperation": bool(rng.random() < 0.1),
                    "country": r.country,
                    "language": r.language,
                    "administration": r.administration,
                    "date": r.date,
                    "issuer": r.issuer,
                    "doc_type": r.doc_type,
                }
            )
    return pd.DataFrame(rows).drop_duplicates(["doc_id", "sent_id", "actor"], ignore_index=True)


def make_topic_prevalence(seed: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    labels = ["enforcement/detention", "child_protection/reception", "asylum/refuge", "cooperation"]
    for country, admin in TRUE_INDEX:
        lang = "en" if country == "US" else "es"
        shares = rng.dirichlet(np.ones(len(labels)) * 3)
        for t, (label, m) in enumerate(zip(labels, shares, strict=True)):
            rows.append({"country": country, "administration": admin, "language": lang,
                         "topic": t, "label": label, "mean": m, "ci_low": max(0, m - 0.05),
                         "ci_high": min(1, m + 0.05), "n_docs": 30 if admin != "Peña Nieto" else 3,
                         "small_n": admin == "Peña Nieto", "comparable": True})  # fmt: skip
    return pd.DataFrame(rows)


def make_lexicon_validation() -> pd.DataFrame:
    rows = []
    for lang, base in (("en", 0.86), ("es", 0.78)):
        for j, frame in enumerate(("humanitarian", "security", "cooperation")):
            f1 = base - 0.03 * j
            rows.append({"language": lang, "frame": frame, "n": 200, "n_positive": 80 - 10 * j,
                         "n_predicted": 78, "precision": f1 + 0.02, "precision_low": f1 - 0.05,
                         "precision_high": f1 + 0.08, "recall": f1 - 0.02, "recall_low": f1 - 0.09,
                         "recall_high": f1 + 0.04, "f1": f1, "f1_low": f1 - 0.06,
                         "f1_high": f1 + 0.05, "alpha_lexicon": f1 - 0.1, "alpha_coders": 0.81,
                         "lexicon_version": "1.0.0"})  # fmt: skip
    return pd.DataFrame(rows)


def make_documents(frame_scores: pd.DataFrame) -> pd.DataFrame:
    d = frame_scores[["doc_id", "country", "language", "date", "issuer", "doc_type",
                      "administration"]].copy()  # fmt: skip
    d["format"] = np.where(
        np.arange(len(d)) % 3 == 0, "pdf", np.where(np.arange(len(d)) % 3 == 1, "html", "txt")
    )
    d["title"] = "Policy document " + d["doc_id"]
    no_hits = d.index[frame_scores["framing_n"].to_numpy() == 0]
    d.loc[no_hits[0], "title"] = INJECTED_TITLES[0]
    d.loc[no_hits[1], "title"] = INJECTED_TITLES[1]
    d["status"] = "ok"
    bad = pd.DataFrame(
        {
            "doc_id": ["bad-001", "bad-002"],
            "country": ["US", "MX"],
            "language": [None, None],
            "date": [None, None],
            "issuer": [None, None],
            "doc_type": [None, None],
            "administration": ["unknown", "unknown"],
            "format": ["pdf", "html"],
            "title": [None, None],
            "status": ["error", "empty"],
        }  # fmt: skip
    )
    return pd.concat([d, bad], ignore_index=True)


def make_quarantine() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["bad-001", "bad-002"],
            "path": ["us/broken.pdf", "mx/<script>alert(3)</script>.html"],
            "format": ["pdf", "html"],
            "status": ["error", "empty"],
            "error": ["encrypted PDF (password required)", "no main text found in HTML page"],
        }
    )


def make_run_record(seed: int = 11) -> dict:
    from framelens.core.config import RunConfig

    cfg = RunConfig(seed=seed)
    cfg.compare.n_boot = 200
    cfg.compare.n_perm = 200
    return {
        "framelens_version": "0.1.0",
        "git_commit": "0123456789abcdef0123456789abcdef01234567",
        "packages": {"numpy": np.__version__, "pandas": pd.__version__},
        "config": cfg.to_dict(),
        "seed": seed,
        "corpus": "synthetic <b>test</b> corpus",
        "corpus_hash": "ab" * 32,
        "n_documents": 10,
        "n_ok": 8,
        "n_quarantined": 2,
        "quarantine": make_quarantine()[["doc_id", "path", "status", "error"]].to_dict(
            orient="records"
        ),
        "lexicon_version": "1.0.0",
        "topics": {"engine": "lda", "k": 4, "seeded": True},
        "stage_errors": {},
        "timestamps": {
            "started": "2025-01-01T00:00:00+00:00",
            "finished": "2025-01-01T00:01:00+00:00",
        },
        "timings": {"extract": 1.0},
    }


def make_output_dir(
    out: Path, seed: int = 11, with_topics: bool = True, n_per_group: int = 30
) -> Path:
    """An output folder with tables/ (upstream + comparison tables) and run.json."""
    from framelens.analysis.stats import compare_all
    from framelens.core.config import CompareConfig
    from framelens.core.io import write_json, write_table

    fs = make_frame_scores(n_per_group=n_per_group)
    tables = {
        "frame_scores": fs,
        "cooccurrence": make_cooccurrence(fs),
        "actors": make_actors(fs),
        "lexicon_validation": make_lexicon_validation(),
        "documents": make_documents(fs),
        "quarantine": make_quarantine(),
    }
    if with_topics:
        tables["topic_prevalence"] = make_topic_prevalence()
    cfg = CompareConfig(n_boot=200, n_perm=200)
    tables.update(compare_all(tables, cfg, seed=seed))
    for name, df in tables.items():
        write_table(df, out / "tables", name)
    write_json(out / "run.json", make_run_record(seed))
    return out


# ---------------------------------------------------------------------------- generator tests
def test_compare_synthetic_frame_scores_have_upstream_columns():
    fs = make_frame_scores()
    assert list(fs.columns)[:3] == ["doc_id", "country", "language"]
    assert fs["framing_index"].isna().sum() >= 2
    assert (fs["administration"] == "unknown").sum() == 3
    assert fs["doc_id"].is_unique


def test_compare_synthetic_generator_is_seeded():
    pd.testing.assert_frame_equal(make_frame_scores(seed=3), make_frame_scores(seed=3))
    rec = make_run_record()
    assert json.loads(json.dumps(rec))["seed"] == 11
