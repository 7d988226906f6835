"""Every framelens benchmark in one run: each figure printed with its goal beside it.

    python benchmarks/run.py [--quick] [--json FILE]
    python benchmarks/run.py --scale [--scale-sizes 1,4,10] [--scale-no-dask] [--json FILE]
    python benchmarks/run.py --scale --scale-dask-only [--dask-docs 40] [--json FILE]

Aggregates ``bench_extract.measure`` (extraction, cache, fast engine, memory, dask, whole
runs), ``bench_scoring.measure`` (scoring speed, regex baseline, preprocessing overhead) and
``bench_topics.measure`` (topic fitting seconds per 1,000 documents), on corpora built from
../shared/corpus (or $FRAMELENS_SHARED/corpus). ``--quick`` uses small corpora and finishes in
a few minutes on 2 cores; without it the corpora are the whole shared corpus (and 10 replicas
of it for the memory figure), which takes much longer. The JSON file holds every figure with
its goal and whether it was met, the details of each benchmark, the machine and the versions.
A benchmark that fails is reported as such (its figures ``null``); the others still run.

``--scale`` runs only the scale benchmark (``bench_scale.measure``: the whole ``framelens run``
on 1x, 4x and 10x replicas of the shared corpus, peak RSS of the process tree, seconds per
document, a warm re-run with 1% new documents), ``bench_scale.measure_dask`` (the per-document
pipeline, extraction + analysis, on a dask LocalCluster of 1 then 2 workers, on the 1x replica
corpus) and ``bench_scoring.measure`` (scoring speed), and prints the scale figures
(SCALE_FIGURES) with their goals. ``--scale-dask-only`` measures the dask figure alone
(``--dask-docs N`` on N shared documents, ``--dask-corpus DIR`` on a corpus folder, for a quick
check); ``--scale-no-dask`` skips it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: (figure, goal text, comparison, threshold); comparison None = reported without a goal.
FIGURES: list[tuple[str, str, str | None, float | None]] = [
    ("extract_parallel_speedup", ">= 1.8 on 2 cores", ">=", 1.8),
    ("extract_warm_speedup", ">= 50", ">=", 50),
    ("extract_fast_engine_speedup", ">= 15", ">=", 15),
    ("preprocess_overhead", "<= 1.5", "<=", 1.5),
    ("score_tokens_per_s", ">= 2,000,000 (one core)", ">=", 2_000_000),
    ("score_vs_regex_speedup", ">= 10", ">=", 10),
    ("memory_ratio_10x", "<= 1.3", "<=", 1.3),
    ("dask_speedup_2_workers", ">= 1.7", ">=", 1.7),
    ("pipeline_docs_per_s", "reported (no goal)", None, None),
    ("topics_lda_s_per_1000_docs", "reported (no goal)", None, None),
    ("topics_nmf_s_per_1000_docs", "reported (no goal)", None, None),
]

#: figures of ``--scale`` (same layout as FIGURES)
SCALE_FIGURES: list[tuple[str, str, str | None, float | None]] = [
    ("memory_ratio_10x", "<= 1.3", "<=", 1.3),
    ("memory_ratio_10x_main", "reported (main process RSS)", None, None),
    ("memory_ratio_10x_pss", "reported (tree PSS)", None, None),
    ("time_per_doc_ratio_10x", "<= 1.15", "<=", 1.15),
    ("incremental_speedup", ">= 10", ">=", 10),
    ("incremental_speedup_per_document_stages", "reported (extract + analysis only)", None, None),
    ("dask_speedup_2_workers", ">= 1.7", ">=", 1.7),
    ("dask_seconds_1_worker", "reported (no goal)", None, None),
    ("dask_seconds_2_workers", "reported (no goal)", None, None),
    ("machine_parallel_ceiling", "reported (2.0 = two cores)", None, None),
    ("score_tokens_per_s", ">= 2,000,000 (one core)", ">=", 2_000_000),
]

#: figures ``bench_scale.measure_dask`` returns
DASK_KEYS = (
    "dask_speedup_2_workers",
    "dask_seconds_1_worker",
    "dask_seconds_2_workers",
    "machine_parallel_ceiling",
)

VERSIONS = (
    "framelens",
    "pdfplumber",
    "pdfminer.six",
    "pypdfium2",
    "trafilatura",
    "spacy",
    "gensim",
    "scikit-learn",
    "numpy",
    "pandas",
    "pyarrow",
    "dask",
    "distributed",
    "psutil",
)


def machine() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }
    try:
        import psutil

        info["ram_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except (ImportError, OSError):
        pass
    return info


def versions() -> dict:
    out = {}
    for name in VERSIONS:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def _topics_figures(rec: dict) -> dict:
    out = {}
    for engine in ("lda", "nmf"):
        secs = sum(v[engine]["fit_s"] for v in rec["languages"].values())
        docs = sum(v["n_docs"] for v in rec["languages"].values())
        out[f"topics_{engine}_s_per_1000_docs"] = secs / docs * 1000 if docs else None
    return out


def _step(name: str, fn, details: dict, errors: dict, timings: dict) -> None:
    """Run one benchmark: its result in ``details``, a failure in ``errors`` (the others go on),
    its seconds in ``timings``."""
    t0 = time.perf_counter()
    print(f"--- {name} ...", flush=True)
    try:
        details[name] = fn()
    except Exception as exc:  # noqa: BLE001 - one failed benchmark must not hide the others
        errors[name] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    timings[name] = round(time.perf_counter() - t0, 1)


def run_all(quick: bool) -> dict:
    details: dict = {}
    figures: dict = {}
    errors: dict = {}
    timings: dict = {}

    def step(name, fn):
        _step(name, fn, details, errors, timings)

    import bench_extract

    step(
        "extract",
        lambda: bench_extract.measure(quick=quick, log=lambda m: print("   ", m, flush=True)),
    )
    step("scoring", lambda: __import__("bench_scoring").measure(quick))
    step("topics", lambda: __import__("bench_topics").measure(quick))
    for name in ("extract", "scoring"):
        for key, *_ in FIGURES:
            if key in details.get(name, {}):
                figures[key] = details[name][key]
    if "topics" in details:
        figures.update(_topics_figures(details["topics"]))
    table = []
    for key, goal, op, threshold in FIGURES:
        value = figures.get(key)
        met = None
        if value is not None and op is not None:
            met = bool(value >= threshold) if op == ">=" else bool(value <= threshold)
        table.append({"figure": key, "value": value, "goal": goal, "met": met})
    return {
        "quick": quick,
        "figures": table,
        "machine": machine(),
        "versions": versions(),
        "seconds": timings,
        "errors": errors,
        "details": details,
    }


def _table(spec, figures: dict) -> list[dict]:
    table = []
    for key, goal, op, threshold in spec:
        value = figures.get(key)
        met = None
        if value is not None and op is not None:
            met = bool(value >= threshold) if op == ">=" else bool(value <= threshold)
        table.append({"figure": key, "value": value, "goal": goal, "met": met})
    return table


def run_scale(
    sizes: tuple[int, ...],
    with_scoring: bool = True,
    dask: dict | None = None,
) -> dict:
    """The scale figures: ``sizes`` (may be empty) for ``bench_scale.measure``, ``dask``
    the keyword arguments of ``bench_scale.measure_dask`` (None = not measured)."""
    details: dict = {}
    errors: dict = {}
    timings: dict = {}

    def step(name, fn):
        _step(name, fn, details, errors, timings)

    import bench_scale

    def say(message: str) -> None:
        print("   ", message, flush=True)

    if dask is not None:
        step("dask", lambda: bench_scale.measure_dask(**dask, log=say))
    if sizes:
        step("scale", lambda: bench_scale.measure(sizes, log=say))
    if with_scoring:
        step("scoring", lambda: __import__("bench_scoring").measure(False))
    figures: dict = {}
    scale = details.get("scale", {})
    for key in (
        "memory_ratio_10x",
        "memory_ratio_10x_main",
        "memory_ratio_10x_pss",
        "time_per_doc_ratio_10x",
        "incremental_speedup",
        "incremental_speedup_per_document_stages",
    ):
        figures[key] = scale.get(key)
    for key in DASK_KEYS:
        figures[key] = details.get("dask", {}).get(key)
    figures["score_tokens_per_s"] = details.get("scoring", {}).get("score_tokens_per_s")
    table = _table(SCALE_FIGURES, figures)
    notes = _scale_notes(sizes, with_scoring, dask, scale, table)
    return {
        "scale": True,
        "sizes": list(sizes),
        "figures": table,
        "notes": notes,
        "machine": machine(),
        "versions": versions(),
        "seconds": timings,
        "errors": errors,
        "details": details,
    }


def _scale_notes(sizes, with_scoring: bool, dask, scale: dict, table: list[dict]) -> dict:
    """Why a scale figure is missing or where it was measured; adds the ratios measured at
    the largest size when it is not 10x to ``table``."""
    notes: dict = {}
    if dask is None:
        notes.update({key: "not measured (--scale-no-dask)" for key in DASK_KEYS})
    elif dask.get("docs") or dask.get("corpus"):
        what = dask.get("corpus") or f"{dask['docs']} shared documents"
        notes["dask_speedup_2_workers"] = f"on {what}, not the 1x corpus"
    if not with_scoring:
        notes["score_tokens_per_s"] = "not measured (--scale-no-scoring / --scale-dask-only)"
    largest = scale.get("largest_size")
    for key in ("memory_ratio_10x", "time_per_doc_ratio_10x", "incremental_speedup"):
        if not sizes:
            notes[key] = "not measured (no sizes)"
        elif key != "incremental_speedup" and scale.get(key) is None:
            notes[key] = f"not measured (sizes {','.join(str(n) for n in sizes)})"
    if largest and largest != 10:
        # measured at the largest size instead of 10x: reported under their own names
        for key in ("memory_ratio", "time_per_doc_ratio"):
            name = f"{key}_{largest}x"
            if name in scale:
                table.append(
                    {
                        "figure": name,
                        "value": scale[name],
                        "goal": f"(measured at {largest}x; goal is for 10x)",
                        "met": None,
                    }
                )
        notes["incremental_speedup"] = f"measured at {largest}x"
    return notes


def _show(value) -> str:
    if value is None:
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _dask_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of the dask figure of ``--scale``."""
    parser.add_argument(
        "--scale-no-dask", action="store_true", help="--scale without the dask figure"
    )
    parser.add_argument(
        "--scale-dask-only",
        action="store_true",
        help="--scale measuring only the dask figure (no replica sizes, no scoring)",
    )
    parser.add_argument(
        "--dask-docs", type=int, help="dask figure on this many shared documents (a quick check)"
    )
    parser.add_argument("--dask-corpus", type=Path, help="dask figure on this corpus folder")
    parser.add_argument(
        "--dask-batch",
        type=int,
        default=25,
        help="analysis batch size of the dask figure, at most (lowered to give 4 batches "
        "per worker; default 25)",
    )
    parser.add_argument(
        "--dask-repeats", type=int, default=1, help="timed runs per cluster, best kept"
    )


def _scale_from_args(parser: argparse.ArgumentParser, args) -> dict:
    if args.scale_dask_only and args.scale_no_dask:
        parser.error("--scale-dask-only and --scale-no-dask exclude each other")
    if args.dask_docs is not None and args.dask_corpus is not None:
        parser.error("--dask-docs and --dask-corpus exclude each other")
    sizes = tuple(int(x) for x in args.scale_sizes.split(",") if x.strip())
    dask = None
    if not args.scale_no_dask:
        dask = {
            "corpus": args.dask_corpus,
            "docs": args.dask_docs,
            "batch": args.dask_batch,
            "repeats": args.dask_repeats,
        }
    if args.scale_dask_only:
        return run_scale((), with_scoring=False, dask=dask)
    return run_scale(sizes, with_scoring=not args.scale_no_scoring, dask=dask)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora (a few minutes)")
    parser.add_argument("--json", type=Path, help="write every figure and detail to this file")
    parser.add_argument(
        "--scale", action="store_true", help="whole runs on 1x, 4x and 10x replicas (long)"
    )
    parser.add_argument(
        "--scale-sizes", default="1,4,10", help="replica counts of --scale (default 1,4,10)"
    )
    parser.add_argument(
        "--scale-no-scoring", action="store_true", help="--scale without the scoring benchmark"
    )
    _dask_arguments(parser)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.scale:
        result = _scale_from_args(parser, args)
    else:
        result = run_all(args.quick)
    result["total_seconds"] = round(time.perf_counter() - t0, 1)
    print()
    print(f"{'figure':<30} {'value':>14}   goal")
    for row in result["figures"]:
        mark = {True: "met", False: "NOT met", None: ""}[row["met"]]
        note = result.get("notes", {}).get(row["figure"])
        if row["value"] is None and note:
            mark = note
        elif note:
            mark = f"{mark} ({note})"
        print(f"{row['figure']:<30} {_show(row['value']):>14}   {row['goal']:<26} {mark}")
    ceiling = result["details"].get("extract", {}).get("machine_parallel_ceiling")
    if ceiling is not None:
        print(f"(machine_parallel_ceiling: a CPU loop ran {ceiling:.2f}x faster in 2 processes)")
    for name, err in result["errors"].items():
        print(f"benchmark {name} failed: {err}")
    print(f"total {result['total_seconds']} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"written to {args.json}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
