"""Scale benchmark: the whole ``framelens run`` on replicas of the shared corpus.

    python benchmarks/run.py --scale [--scale-sizes 1,4,10] [--json FILE]
    python benchmarks/bench_scale.py [--sizes 1,4,10] [--json FILE]

For each size ``n`` a corpus of ``n`` replicas of ../shared/corpus (or
$FRAMELENS_SHARED/corpus) is built in a temporary folder: every file is copied under a new name
(``<stem>-rNN.<ext>``) with other bytes and the same text (``bench_extract.vary_bytes``: PDFs
re-saved with a ``/FramelensReplica`` document-information entry, HTML a trailing comment, text
files trailing spaces), and ``us/manifest.csv`` and ``mx/manifest.csv`` keep the shared
manifests' columns with distinct doc_ids (``<doc_id>-rNN``) and the new files' sha256 and bytes.

Each size runs ``framelens run --corpus DIR --out OUT --config YAML --seed 1 --quiet`` (the
venv's ``framelens``) in a subprocess; wall seconds and the peak RSS of the whole process tree
(psutil every 0.2 s, RSS of the process plus all its children) are recorded, with the run's
``run.json`` timings. Then 1% new documents (at least one; further replicas of shared files,
spread over both countries) are added to the corpus and the run is repeated into the same OUT
folder (its cache): the warm re-run's seconds give ``incremental_speedup`` = cold / warm.

The configuration: ``versions: {enabled: false}`` (identical replica texts would otherwise be
grouped into one version group), ``extract: {pdf_engine: pypdfium2}`` (the fast engine;
pdfplumber is the reference), ``prevalence: {enabled: false}``, ``lexicon: {instrument:
lexicon}`` (the measurement stage does not cross-validate a classifier); everything else,
topics included, as configured by default.

Figures: ``memory_ratio_10x`` (peak tree RSS at 10x / at 1x), ``time_per_doc_ratio_10x``
(seconds per document at 10x / at 1x), ``incremental_speedup`` (at the largest size). When 10x
is not among the sizes, the 10x figures are ``None`` and the same ratios at the largest size
measured are reported under their own names (``memory_ratio_4x`` ...); nothing is extrapolated.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_extract  # noqa: E402

CORPUS = bench_extract.CORPUS
COUNTRIES = ("us", "mx")

SCALE_CONFIG = """\
versions:
  enabled: false
extract:
  pdf_engine: pypdfium2
prevalence:
  enabled: false
lexicon:
  instrument: lexicon
"""

#: psutil sampling interval of the peak-RSS measurement (seconds)
INTERVAL = 0.2


def _framelens() -> str:
    exe = Path(sys.executable).parent / "framelens"
    return str(exe) if exe.exists() else "framelens"


def _fieldnames(country: str) -> list[str]:
    with open(CORPUS / country / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh).fieldnames or [])


def _replica(folder: Path, country: str, row: dict[str, str], k: int) -> dict[str, str]:
    """Write replica ``k`` (>= 1) of one shared file into ``folder``; return its manifest row."""
    src = CORPUS / country / row["file"]
    stem, dot, ext = row["file"].rpartition(".")
    name = f"{stem}-r{k:02d}{dot}{ext}" if dot else f"{row['file']}-r{k:02d}"
    data = bench_extract.vary_bytes(src.read_bytes(), row["format"], k)
    (folder / name).write_bytes(data)
    out = dict(row)
    out.update(
        doc_id=f"{row['doc_id']}-r{k:02d}",
        file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=str(len(data)),
    )
    return out


def _write_manifest(folder: Path, country: str, rows: list[dict[str, str]]) -> None:
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=_fieldnames(country), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def build_replicas(dest: Path, n: int) -> dict[str, list[dict[str, str]]]:
    """``n`` replicas (-r01 .. -rNN) of the shared corpus in ``dest/us`` and ``dest/mx``."""
    manifests: dict[str, list[dict[str, str]]] = {}
    for country in COUNTRIES:
        folder = dest / country
        folder.mkdir(parents=True, exist_ok=True)
        rows = bench_extract.manifest_rows(country)
        manifests[country] = [
            _replica(folder, country, r, k) for k in range(1, n + 1) for r in rows
        ]
        _write_manifest(folder, country, manifests[country])
    return manifests


def add_new_documents(dest: Path, manifests: dict, n: int, count: int) -> int:
    """Add ``count`` new documents (replica ``n + 1`` of shared files, alternating countries)."""
    shared = {c: bench_extract.manifest_rows(c) for c in COUNTRIES}
    added = 0
    i = 0
    while added < count:
        country = COUNTRIES[added % 2]
        rows = shared[country]
        row = rows[(i * 7) % len(rows)]  # spread over the manifest (formats and sizes)
        manifests[country].append(_replica(dest / country, country, row, n + 1))
        added += 1
        if added % 2 == 0:
            i += 1
    for country in COUNTRIES:
        _write_manifest(dest / country, country, manifests[country])
    return added


def framelens_run(corpus: Path, out: Path, config: Path, seed: int = 1) -> dict[str, Any]:
    args = [
        _framelens(),
        "run",
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--config",
        str(config),
        "--seed",
        str(seed),
        "--quiet",
    ]
    res = bench_extract.run_with_peak_rss(args, interval=INTERVAL)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    res["n_documents"] = record.get("n_documents")
    res["timings"] = record.get("timings")
    res["stage_errors"] = record.get("stage_errors")
    try:
        import pandas as pd

        docs = pd.read_parquet(out / "tables" / "documents.parquet", columns=["n_chars"])
        res["n_chars"] = int(docs["n_chars"].sum())
    except Exception:  # noqa: BLE001 - the figure is informative only
        res["n_chars"] = None
    res["out_bytes"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    res["seconds_per_doc"] = res["seconds"] / res["n_documents"] if res["n_documents"] else None
    return res


def measure(sizes: tuple[int, ...] = (1, 4, 10), log=print, keep: Path | None = None) -> dict:
    """Cold and warm runs at each size; the figures and each run's details."""
    tmp = Path(tempfile.mkdtemp(prefix="framelens-scale-"))
    config = tmp / "scale.yaml"
    config.write_text(SCALE_CONFIG, encoding="utf-8")
    runs: dict[str, dict] = {}
    try:
        for n in sizes:
            corpus, out = tmp / f"corpus{n}x", tmp / f"out{n}x"
            t0 = time.perf_counter()
            manifests = build_replicas(corpus, n)
            n_docs = sum(len(v) for v in manifests.values())
            log(f"{n}x: {n_docs} documents built in {time.perf_counter() - t0:.1f} s")
            cold = framelens_run(corpus, out, config)
            log(
                f"{n}x cold: {cold['n_documents']} documents, {cold['seconds']:.1f} s "
                f"({cold['seconds_per_doc']:.3f} s/doc), peak {cold['peak_tree_mib']:.0f} MiB "
                f"(main {cold['peak_main_mib']:.0f} MiB), timings {cold['timings']}"
            )
            new = add_new_documents(corpus, manifests, n, max(1, math.ceil(0.01 * n_docs)))
            warm = framelens_run(corpus, out, config)
            warm["new_documents"] = new
            log(
                f"{n}x warm (+{new} new): {warm['n_documents']} documents, "
                f"{warm['seconds']:.1f} s, peak {warm['peak_tree_mib']:.0f} MiB, "
                f"timings {warm['timings']}"
            )
            runs[str(n)] = {
                "cold": cold,
                "warm": warm,
                "incremental_speedup": cold["seconds"] / warm["seconds"],
            }
            if keep is not None:
                (keep / f"scale_{n}x.json").write_text(
                    json.dumps(runs[str(n)], indent=2, default=str)
                )
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures(runs)


def figures(runs: dict[str, dict]) -> dict:
    res: dict[str, Any] = {
        "runs": runs,
        "config": SCALE_CONFIG,
        "seed": 1,
        "rss_interval_s": INTERVAL,
    }
    sizes = sorted(int(k) for k in runs)
    base = runs.get("1")
    for n in sizes:
        if n == 1 or base is None:
            continue
        big = runs[str(n)]["cold"]
        res[f"memory_ratio_{n}x"] = big["peak_tree_mib"] / base["cold"]["peak_tree_mib"]
        res[f"time_per_doc_ratio_{n}x"] = big["seconds_per_doc"] / base["cold"]["seconds_per_doc"]
    res.setdefault("memory_ratio_10x", None)
    res.setdefault("time_per_doc_ratio_10x", None)
    if sizes:
        largest = sizes[-1]
        res["largest_size"] = largest
        res["incremental_speedup"] = runs[str(largest)]["incremental_speedup"]
    else:
        res["largest_size"] = None
        res["incremental_speedup"] = None
    res["sizes_measured"] = sizes
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,10", help="replica counts, comma-separated")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    res = measure(tuple(int(s) for s in args.sizes.split(",")))
    for key, value in res.items():
        if key not in ("runs", "config"):
            print(key, value)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
