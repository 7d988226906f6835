"""Scale benchmark: the whole ``framelens run`` on replicas of the shared corpus.

    python benchmarks/run.py --scale [--scale-sizes 1,4,10] [--json FILE]
    python benchmarks/bench_scale.py [--sizes 1,4,10] [--no-dask] [--dask-docs N] [--json FILE]

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

``measure_dask``: ``dask_speedup_2_workers`` = seconds of the per-document pipeline on a dask
LocalCluster of one worker / the same on two (``dask_seconds_1_worker``,
``dask_seconds_2_workers``). The pipeline is what a run does per document: ``extract`` (the
corpus folder, ``pdf_engine: pypdfium2``, no extraction cache, ``versions.enabled: false``) then
``run_analysis`` of ``analysed_documents`` (preprocess, score, actors; ``analysis.cache: false``;
Parquet written to a temporary folder), both on the cluster (``extract.executor: dask``,
``extract.workers`` = 1 or 2, one thread each) through one ``dask_session``. The corpus is the 1x
replica corpus (``--dask-docs N``: N shared documents of it, spread over the manifests;
``--dask-corpus DIR``: a folder). The analysis batch is 25 documents, fewer when the corpus gives
under four batches per worker of the two-worker cluster; the same for both counts. Each count
runs in a fresh process (the venv's python, this file with ``--dask-child``); the cluster start
and a warm-up are not timed: ``warm_up`` (every worker's reader process), one short text per
language preprocessed and scored on every worker (``client.run``), the client's spaCy pipelines,
lexicon and actors, and the whole pipeline once on the smallest PDF, HTML and text file of the
corpus. Then the pipeline is timed (``--dask-repeats``: best of several on the same cluster) and
the tasks each worker ran are recorded. ``machine_parallel_ceiling`` (``bench_extract``) is
measured before and after.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import shutil
import subprocess
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


def spread(rows: list, k: int) -> list:
    """``k`` of ``rows`` evenly spaced over the list (formats and sizes mixed); all when
    ``k >= len(rows)``."""
    if k >= len(rows):
        return list(rows)
    return [rows[i * len(rows) // k] for i in range(k)]


def build_replicas(dest: Path, n: int, limit: int | None = None) -> dict[str, list[dict[str, str]]]:
    """``n`` replicas (-r01 .. -rNN) of the shared corpus in ``dest/us`` and ``dest/mx``;
    ``limit`` keeps about that many shared documents per replica (``spread``, both countries
    in proportion)."""
    manifests: dict[str, list[dict[str, str]]] = {}
    total = sum(len(bench_extract.manifest_rows(c)) for c in COUNTRIES)
    for country in COUNTRIES:
        folder = dest / country
        folder.mkdir(parents=True, exist_ok=True)
        rows = bench_extract.manifest_rows(country)
        if limit is not None:
            rows = spread(rows, max(1, round(limit * len(rows) / total)))
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
    res = bench_extract.run_with_peak_rss(args, interval=INTERVAL, pss=True)
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
                f"(main {cold['peak_main_mib']:.0f} MiB, tree PSS "
                f"{cold.get('peak_tree_pss_mib', 0):.0f} MiB), timings {cold['timings']}"
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
                "incremental_speedup_per_document_stages": _per_document(cold, warm),
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


#: The stages whose work is per document (run.json timings): what a warm run can skip.
PER_DOCUMENT_STAGES = ("extract", "analysis")


def _per_document(cold: dict, warm: dict) -> float | None:
    """Cold / warm seconds of the per-document stages alone (extraction, preprocessing,
    scoring, actors), from the runs' run.json timings; None when a timing is missing."""
    try:
        c = sum(float(cold["timings"][s]) for s in PER_DOCUMENT_STAGES)
        w = sum(float(warm["timings"][s]) for s in PER_DOCUMENT_STAGES)
    except (KeyError, TypeError, ValueError):
        return None
    return c / w if w > 0 else None


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
        # the client alone, and the tree with shared pages counted once (PSS)
        res[f"memory_ratio_{n}x_main"] = big["peak_main_mib"] / base["cold"]["peak_main_mib"]
        if big.get("peak_tree_pss_mib") and base["cold"].get("peak_tree_pss_mib"):
            res[f"memory_ratio_{n}x_pss"] = (
                big["peak_tree_pss_mib"] / base["cold"]["peak_tree_pss_mib"]
            )
        res[f"time_per_doc_ratio_{n}x"] = big["seconds_per_doc"] / base["cold"]["seconds_per_doc"]
    res.setdefault("memory_ratio_10x", None)
    res.setdefault("time_per_doc_ratio_10x", None)
    if sizes:
        largest = sizes[-1]
        res["largest_size"] = largest
        res["incremental_speedup"] = runs[str(largest)]["incremental_speedup"]
        res["incremental_speedup_per_document_stages"] = runs[str(largest)].get(
            "incremental_speedup_per_document_stages"
        )
    else:
        res["largest_size"] = None
        res["incremental_speedup"] = None
    res["sizes_measured"] = sizes
    return res


# --------------------------------------------------------------------------- dask, 1 vs 2 workers
#: Marks the child's result line on its stdout.
DASK_RESULT = "DASK_RESULT "
#: Batches per worker the analysis gets at least (the batch size is lowered to give them).
BATCHES_PER_WORKER = 4


def dask_config(workers: int, batch: int) -> dict[str, Any]:
    """The run configuration of the dask measurement (as a dict for ``RunConfig.from_dict``)."""
    return {
        "extract": {
            "pdf_engine": "pypdfium2",
            "executor": "dask",
            "workers": workers,
            "cache": False,
        },
        "analysis": {"batch_documents": batch, "cache": False},
        "versions": {"enabled": False},
    }


def batch_size(n_docs: int, cap: int, max_workers: int) -> int:
    """``cap`` documents per batch at most, fewer when needed for ``BATCHES_PER_WORKER``
    batches per worker of the largest cluster (the same for every worker count)."""
    return max(1, min(cap, n_docs // (BATCHES_PER_WORKER * max(1, max_workers))))


def warm_files(corpus: Path) -> list[Path]:
    """The smallest file of each format in ``corpus`` (the warm-up run reads these)."""
    out = []
    for suffixes in ((".pdf",), (".html", ".htm"), (".txt",)):
        files = [p for p in corpus.rglob("*") if p.suffix.lower() in suffixes and p.is_file()]
        if files:
            out.append(min(files, key=lambda p: (p.stat().st_size, str(p))))
    return out


def _pipeline(source: Any, cfg: Any, out: Path) -> dict[str, Any]:
    """Extraction then the streamed analysis of ``source`` (nothing cached); seconds, counts."""
    from framelens.corpus import extract
    from framelens.pipeline.analysis import run_analysis
    from framelens.pipeline.run import analysed_documents

    t0 = time.perf_counter()
    docs = extract(
        source, config=cfg.extract, cache_dir=None, progress=False, versions=cfg.versions
    )
    t1 = time.perf_counter()
    analysed = analysed_documents(docs, cfg)
    stage = run_analysis(analysed, cfg, out, progress=False)
    t2 = time.perf_counter()
    return {
        "seconds": t2 - t0,
        "extract_s": t1 - t0,
        "analysis_s": t2 - t1,
        "n_documents": len(docs),
        "n_analysed": len(analysed),
        "n_chars": int(analysed["n_chars"].sum()),
        "n_batches": stage.record["n_batches"],
        "rows": stage.record["rows"],
    }


def _tasks_per_worker(stream: list[dict]) -> dict[str, dict[str, int]]:
    """Task counts by worker and task name (``extract_partition``, ``analyse_partition``)."""
    out: dict[str, dict[str, int]] = {}
    for t in stream:
        name = str(t.get("key", "")).strip("()',").split("-")[0]
        per = out.setdefault(str(t.get("worker")), {})
        per[name] = per.get(name, 0) + 1
    return out


def dask_child(corpus: Path, workers: int, cap: int, max_workers: int, repeats: int, out: Path):
    """In a fresh process: a LocalCluster of ``workers``, warmed up, then the per-document
    pipeline on ``corpus`` timed ``repeats`` times (the cluster's start and warm-up are not)."""
    from distributed import get_task_stream

    from framelens.core.config import RunConfig
    from framelens.corpus import plan_corpus
    from framelens.corpus.executors.dask_cluster import dask_session, n_workers, warm_up

    n_docs = len(plan_corpus(corpus).items)
    batch = batch_size(n_docs, cap, max_workers)
    cfg = RunConfig.from_dict(dask_config(workers, batch))
    t0 = time.perf_counter()
    with dask_session(cfg.extract) as client:
        t_start = time.perf_counter() - t0
        warm_up(client)  # every worker's reader process (extraction libraries, language models)
        client.run(_warm_analysis, cfg)  # every worker's spaCy pipelines, lexicon, actors
        warm = _pipeline(warm_files(corpus), cfg, out / "warm")  # the client's side, once
        t_warm = time.perf_counter() - t0 - t_start
        runs = []
        for i in range(repeats):
            with get_task_stream(client) as ts:
                run = _pipeline(corpus, cfg, out / f"run{i}")
            run["tasks_per_worker"] = _tasks_per_worker(ts.data)
            runs.append(run)
        alive = n_workers(client)
    return {
        "workers": workers,
        "workers_alive_at_end": alive,
        "batch_documents": batch,
        "corpus_documents": n_docs,
        "cluster_start_s": t_start,
        "warm_up_s": t_warm,
        "warm_up_documents": warm["n_documents"],
        "runs": runs,
        "seconds": min(r["seconds"] for r in runs),
    }


def _warm_analysis(cfg: Any) -> int:
    """Preprocess, score and find actors in one short text per language (on a worker)."""
    import pandas as pd

    from framelens.analysis.framing.actors import load_actors
    from framelens.analysis.framing.batch import BatchSettings
    from framelens.analysis.framing.lexicon import load_lexicon
    from framelens.pipeline.analysis import analyse_partition

    texts = {
        "en": "The Secretary shall secure the border. Asylum seekers must wait in Mexico.",
        "es": "La Secretaría protegerá a las personas migrantes. El Estado garantiza el asilo.",
    }
    docs = pd.DataFrame(
        {
            "doc_id": [f"warm-{lang}" for lang in texts],
            "language": list(texts),
            "status": "ok",
            "text": list(texts.values()),
        }
    )
    lexicon = load_lexicon(cfg.lexicon.version)
    settings = BatchSettings(cfg.preprocess, lexicon, cfg.lexicon, load_actors())
    item = (docs, pd.DataFrame(columns=["doc_id", "sent_id"]), docs[["doc_id", "language"]])
    return len(analyse_partition(item, settings)["sentences"])


def _warm_analysis_client() -> None:
    """The client's spaCy pipelines (both languages), lexicon and actors, before any timing."""
    from framelens.core.config import RunConfig

    _warm_analysis(RunConfig())


def _run_child(corpus: Path, workers: int, cap: int, max_workers: int, repeats: int, out: Path):
    """``dask_child`` in a subprocess of the venv's python; its result."""
    args = [sys.executable, str(Path(__file__).resolve()), "--dask-child", str(corpus)]
    args += ["--workers", str(workers), "--batch", str(cap), "--max-workers", str(max_workers)]
    args += ["--repeats", str(repeats), "--out", str(out)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=7200, check=False)
    lines = [x for x in proc.stdout.splitlines() if x.startswith(DASK_RESULT)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"dask child ({workers} workers) failed ({proc.returncode}): {proc.stderr[-3000:]}"
        )
    return json.loads(lines[-1][len(DASK_RESULT) :])


def measure_dask(
    corpus: Path | None = None,
    docs: int | None = None,
    batch: int = 25,
    workers: tuple[int, ...] = (1, 2),
    repeats: int = 1,
    log=print,
) -> dict:
    """The per-document pipeline (extraction + analysis) on a LocalCluster of 1, then 2
    workers, each in a fresh process; ``corpus`` None = the 1x replica corpus (``docs``
    shared documents of it when given)."""
    tmp = Path(tempfile.mkdtemp(prefix="framelens-dask-"))
    res: dict[str, Any] = {"config": dask_config(0, batch), "repeats": repeats}
    try:
        if corpus is None:
            corpus = tmp / "corpus1x"
            manifests = build_replicas(corpus, 1, limit=docs)
            res["corpus"] = f"1x replicas ({sum(len(v) for v in manifests.values())} documents)"
        else:
            res["corpus"] = str(corpus)
        res["machine_parallel_ceiling"] = bench_extract.machine_parallel_ceiling()
        log(f"machine_parallel_ceiling {res['machine_parallel_ceiling']:.2f}")
        by_n = {}
        for n in workers:
            by_n[n] = _run_child(corpus, n, batch, max(workers), repeats, tmp / f"out{n}")
            r = by_n[n]["runs"][-1]
            log(
                f"dask {n} worker(s): {by_n[n]['seconds']:.1f} s (extract {r['extract_s']:.1f}, "
                f"analysis {r['analysis_s']:.1f}; {r['n_analysed']} documents, "
                f"{r['n_batches']} batches of {by_n[n]['batch_documents']}; cluster start "
                f"{by_n[n]['cluster_start_s']:.1f} s, warm-up {by_n[n]['warm_up_s']:.1f} s, "
                f"untimed); tasks {r['tasks_per_worker']}"
            )
        res["machine_parallel_ceiling_after"] = bench_extract.machine_parallel_ceiling()
        log(f"machine_parallel_ceiling after {res['machine_parallel_ceiling_after']:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["by_workers"] = {str(n): v for n, v in by_n.items()}
    for n, v in by_n.items():
        res[f"dask_seconds_{n}_worker{'s' if n > 1 else ''}"] = v["seconds"]
    if 1 in by_n and 2 in by_n:
        res["dask_speedup_2_workers"] = by_n[1]["seconds"] / by_n[2]["seconds"]
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,10", help="replica counts, comma-separated")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-dask", action="store_true", help="skip the dask figure")
    parser.add_argument("--dask-docs", type=int, help="dask figure on this many documents")
    parser.add_argument("--dask-corpus", type=Path, help="dask figure on this corpus folder")
    # the child process of the dask figure (``measure_dask`` starts it)
    parser.add_argument("--dask-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=25, help=argparse.SUPPRESS)
    parser.add_argument("--max-workers", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dask_child is not None:
        _warm_analysis_client()
        res = dask_child(
            args.dask_child, args.workers, args.batch, args.max_workers, args.repeats, args.out
        )
        print(DASK_RESULT + json.dumps(res, default=str), flush=True)
        return 0
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    res = measure(sizes) if sizes else {}
    if not args.no_dask:
        res["dask"] = measure_dask(args.dask_corpus, args.dask_docs)
    for key, value in res.items():
        if key not in ("runs", "config", "dask"):
            print(key, value)
    for key, value in res.get("dask", {}).items():
        if key.startswith(("dask_", "machine_")):
            print(key, value)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
