"""Speed of lexicon scoring and of preprocessing, on real text from ../shared/corpus.

Prints three figures, each with its goal beside it:

- ``score_tokens_per_s``: ``framelens.analysis.score_frames`` on pre-lemmatised sentences
  (the transcripts of the shared corpus, preprocessed once, replicated to ~2 million tokens;
  one process, best of three runs, schema validation included). Goal >= 2,000,000.
- ``score_vs_regex_speedup``: the same sentences scored by a per-term regular-expression loop
  (one compiled pattern per lexicon entry run over the accent-folded lemma text of each
  language, hits mapped back to sentences), divided by the ``score_frames`` time. The regex
  loop does less (no longest match, context rule or negation). Goal >= 10.
- ``preprocess_overhead``: ``framelens.analysis.text.preprocess`` time divided by a bare
  ``nlp.pipe`` over the same document texts with the same blank pipeline (sentencizer + lookup
  lemmatizer), one process each. Goal <= 1.5.

Run: ``python benchmarks/bench_scoring.py [--quick]``. ``measure(quick)`` returns the figures
as a dict. Set FRAMELENS_SHARED to the folder holding ``corpus/`` if it is not ../shared.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.analysis import load_lexicon, load_nlp, preprocess, score_frames
from framelens.analysis.framing.lexicon import fold
from framelens.core.config import PreprocessConfig

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMELENS_SHARED", REPO.parent / "shared"))
GOALS = {
    "score_tokens_per_s": ">= 2,000,000",
    "score_vs_regex_speedup": ">= 10",
    "preprocess_overhead": "<= 1.5",
}


def read_transcripts(limit: int | None = None) -> pd.DataFrame:
    """The .txt documents of the shared corpus as a minimal documents table (own reader)."""
    rows = []
    for country in ("us", "mx"):
        man = pd.read_csv(
            SHARED / "corpus" / country / "manifest.csv", dtype=str, keep_default_na=False
        )
        for r in man[man["format"] == "txt"].itertuples():
            text = (SHARED / "corpus" / country / r.file).read_text(
                encoding="utf-8", errors="replace"
            )
            rows.append({"doc_id": r.doc_id, "language": r.language, "status": "ok", "text": text})
    docs = pd.DataFrame(rows).sort_values("doc_id").reset_index(drop=True)
    return docs.head(limit) if limit else docs


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _replicate(sents: pd.DataFrame, target_tokens: int) -> pd.DataFrame:
    k = max(1, int(np.ceil(target_tokens / max(1, sents["n_tokens"].sum()))))
    parts = [sents.assign(doc_id=sents["doc_id"] + f"#{i:03d}") for i in range(k)]
    return pd.concat(parts, ignore_index=True)


def regex_baseline(sents: pd.DataFrame, lexicon) -> np.ndarray:
    """Hits per sentence and frame with one regular expression per lexicon entry."""
    frames = ["humanitarian", "security", "cooperation"]
    out = np.zeros((3, len(sents)), dtype=np.int64)
    for lang in ("en", "es"):
        idx = np.flatnonzero(sents["language"].to_numpy() == lang)
        lem = [fold(x) for x in sents["lemmas"].iloc[idx].tolist()]
        starts = np.cumsum([0] + [len(x) + 1 for x in lem[:-1]])
        text = "\n".join(lem)
        terms = lexicon.terms[
            (lexicon.terms["language"] == lang) & lexicon.terms["frame"].isin(frames)
        ]
        for key, frame in zip(terms["key"], terms["frame"], strict=False):
            pat = re.compile(r"(?<!\S)" + re.escape(key) + r"(?!\S)")
            pos = [m.start() for m in pat.finditer(text)]
            if pos:
                row = idx[np.searchsorted(starts, pos, side="right") - 1]
                np.add.at(out[frames.index(frame)], row, 1)
    return out


def measure(quick: bool = False) -> dict:
    """Run the benchmark; ``quick`` uses fewer documents and tokens (for a smoke run)."""
    docs = read_transcripts(limit=24 if quick else None)
    config = PreprocessConfig(n_process=1)
    lexicon = load_lexicon()
    for lang in ("en", "es"):  # load pipelines outside the timings
        load_nlp(lang, config)

    def bare():
        for lang in ("en", "es"):
            texts = docs.loc[docs["language"] == lang, "text"].tolist()
            for _ in load_nlp(lang, config).pipe(texts, batch_size=config.batch_size):
                pass

    # interleaved repetitions, best of each: the two timings see the same machine load
    t_pre = t_bare = float("inf")
    for _ in range(2 if quick else 3):
        t_bare = min(t_bare, _best(bare, 1))
        t_pre = min(t_pre, _best(lambda: preprocess(docs, config), 1))
    sents = preprocess(docs, config)
    sents = sents.assign(
        language=sents["doc_id"].map(dict(zip(docs["doc_id"], docs["language"], strict=False)))
    )
    big = _replicate(sents, 300_000 if quick else 2_000_000)
    n_tokens = int(big["n_tokens"].sum())
    score_frames(big.head(1000), lexicon)  # warm caches (compiled lexicon)
    t_score = _best(lambda: score_frames(big, lexicon), 2 if quick else 3)
    t_regex = _best(lambda: regex_baseline(big, lexicon), 1)
    return {
        "score_tokens_per_s": n_tokens / t_score,
        "score_vs_regex_speedup": t_regex / t_score,
        "preprocess_overhead": t_pre / t_bare,
        "score_seconds": t_score,
        "regex_seconds": t_regex,
        "preprocess_seconds": t_pre,
        "bare_pipe_seconds": t_bare,
        "tokens_scored": n_tokens,
        "documents": len(docs),
        "lexicon_version": lexicon.version,
        "machine": f"{platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()}".strip(),
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    res = measure(quick="--quick" in argv)
    for key in ("score_tokens_per_s", "score_vs_regex_speedup", "preprocess_overhead"):
        val = res[key]
        shown = f"{val:,.0f}" if key == "score_tokens_per_s" else f"{val:.2f}"
        print(f"{key:<24} {shown:>14}   (goal {GOALS[key]})")
    for key in (
        "tokens_scored",
        "score_seconds",
        "regex_seconds",
        "preprocess_seconds",
        "bare_pipe_seconds",
        "documents",
        "lexicon_version",
        "machine",
        "python",
    ):
        val = res[key]
        print(f"  {key:<22} {val:.3f}" if isinstance(val, float) else f"  {key:<22} {val}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
