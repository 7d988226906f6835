"""Extraction, memory, dask and whole-pipeline benchmarks on a corpus built from ../shared/corpus.

Figures (each printed with its goal; ``measure(quick)`` returns them with their details):

- ``extract_parallel_speedup``: a bare one-process pdfplumber loop (``page.extract_text()`` of
  every page) over a set of PDFs, divided by ``framelens.corpus.extract`` of the same PDFs with
  all cores (process pool, no cache). framelens does more per file (header/footer removal,
  language detection, metadata). Goal >= 1.8 on 2 cores.
- ``extract_warm_speedup``: cold ``extract`` of a mixed corpus (PDF, HTML, TXT) into an empty
  cache, divided by the same call again with the cache (nothing re-read). Goal >= 50.
- ``extract_fast_engine_speedup``: the bare pdfplumber loop divided by ``extract`` with
  ``pdf_engine="pypdfium2"`` (all cores, no cache). Goal >= 15. The one-process variant is in
  the details.
- ``memory_ratio_10x``: peak resident memory of ``framelens run`` (a subprocess; the sum over
  the process and its workers, sampled every 50 ms with psutil) on 10 replicas of a corpus,
  divided by the same on one replica. Goal <= 1.3.
- ``dask_speedup_2_workers``: ``extract`` with ``executor="dask"`` on a LocalCluster of one
  worker process, divided by the same on two (clusters started and warmed up outside the
  timings). Goal >= 1.7.
- ``pipeline_docs_per_s``: documents per second of the whole ``framelens run`` (the 10x run).

Replicas differ in bytes but not in text (so neither the cache nor the duplicate check short-
circuits them): PDFs get a ``/FramelensReplica`` entry in their document information (re-saved
with pikepdf, deterministic ID), HTML pages a trailing comment, text files trailing spaces.
Every replica keeps its manifest row (doc_id suffixed ``~rNN``).

Timings are wall-clock seconds on whatever else the machine is doing (with ``--quick``, the
best of two for the PDF and dask timings); ``machine_parallel_ceiling`` (a pure-Python CPU loop
in 1 vs 2 processes, best of three, measured in the same run) says how much parallel speed the
machine itself delivered at the time.

Run alone: ``python benchmarks/bench_extract.py [--quick]``; ``benchmarks/run.py`` aggregates.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMELENS_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"

GOALS = {
    "extract_parallel_speedup": ">= 1.8 (2 cores)",
    "extract_warm_speedup": ">= 50",
    "extract_fast_engine_speedup": ">= 15",
    "memory_ratio_10x": "<= 1.3",
    "dask_speedup_2_workers": ">= 1.7",
    "pipeline_docs_per_s": "reported (no goal)",
}

#: Settings of the ``framelens run`` benchmarks (small topic/statistics settings: the figure
#: is about extraction and analysis throughput, not about bootstrap replicates).
RUN_CONFIG = """\
seed: 1
compare:
  n_boot: 200
  n_perm: 200
topics:
  k: 8
  n_seeds: 1
  passes: 3
  iterations: 50
  n_boot: 100
lexicon:
  n_boot: 100
"""


# --------------------------------------------------------------------------- corpus building
def manifest_rows(country: str) -> list[dict[str, str]]:
    with open(CORPUS / country / "manifest.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def select(formats: tuple[str, ...], max_bytes: int | None = None, limit: int | None = None):
    """(country, manifest row) pairs of the shared corpus, smallest files first per country."""
    out = []
    for country in ("us", "mx"):
        rows = [r for r in manifest_rows(country) if r["format"] in formats]
        rows.sort(key=lambda r: (int(r["bytes"]), r["file"]))
        if max_bytes:
            rows = [r for r in rows if int(r["bytes"]) <= max_bytes]
        out += [(country, r) for r in (rows[:limit] if limit else rows)]
    return out


def vary_bytes(data: bytes, fmt: str, k: int) -> bytes:
    """Replica ``k`` of a file: other bytes, same text (replica 0 is the file itself)."""
    if k == 0:
        return data
    if fmt == "pdf":
        import warnings

        import pikepdf

        # re-saving a PDF whose form widgets are not in /AcroForm warns; the text is unchanged
        warnings.filterwarnings("ignore", category=getattr(pikepdf, "PikepdfWarning", UserWarning))
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.docinfo["/FramelensReplica"] = str(k)
            buf = io.BytesIO()
            pdf.save(buf, deterministic_id=True)
        return buf.getvalue()
    if fmt == "html":
        return data + f"\n<!-- framelens benchmark replica {k} -->\n".encode()
    return data + b" " * k + b"\n"


def build_corpus(dest: Path, items, replicas: int = 1) -> Path:
    """Write ``replicas`` copies of ``items`` (country, row) under ``dest/rNN/<country>/`` with
    one manifest per folder. Returns ``dest``."""
    for k in range(replicas):
        for country in ("us", "mx"):
            rows = [r for c, r in items if c == country]
            if not rows:
                continue
            folder = dest / f"r{k:02d}" / country
            folder.mkdir(parents=True, exist_ok=True)
            out_rows = []
            for r in rows:
                data = (CORPUS / country / r["file"]).read_bytes()
                (folder / r["file"]).write_bytes(vary_bytes(data, r["format"], k))
                row = {key: v for key, v in r.items() if key not in ("sha256", "bytes")}
                row["doc_id"] = f"{r['doc_id']}~r{k:02d}"
                out_rows.append(row)
            with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(out_rows[0]), lineterminator="\n")
                w.writeheader()
                w.writerows(out_rows)
    return dest


def pdf_paths(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf"))


# --------------------------------------------------------------------------- measurements
def bare_pdfplumber(paths: list[Path]) -> tuple[float, int]:
    """Seconds of a one-process pdfplumber loop over ``paths``, and the pages read."""
    import pdfplumber

    t0 = time.perf_counter()
    pages = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
    return time.perf_counter() - t0, pages


def framelens_extract(source: Path, **cfg: Any) -> tuple[float, Any]:
    from framelens.core.config import ExtractConfig
    from framelens.corpus import extract

    cache_dir = cfg.pop("cache_dir", None)
    t0 = time.perf_counter()
    docs = extract(source, config=ExtractConfig(**cfg), cache_dir=cache_dir, progress=False)
    return time.perf_counter() - t0, docs


def _burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def machine_parallel_ceiling(n: int = 4_000_000, repeats: int = 3) -> float:
    """Speedup of a pure-Python CPU loop run twice in 2 processes vs one after the other
    (best of ``repeats`` for each)."""
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    serial = parallel = float("inf")
    with ctx.Pool(2) as pool:
        for _ in range(repeats):
            t0 = time.perf_counter()
            _burn(n)
            _burn(n)
            serial = min(serial, time.perf_counter() - t0)
            t0 = time.perf_counter()
            pool.map(_burn, [n, n], chunksize=1)
            parallel = min(parallel, time.perf_counter() - t0)
    return serial / parallel


def run_with_peak_rss(
    args: list[str], interval: float = 0.05, pss: bool = False
) -> dict[str, float]:
    """Run a command; return wall seconds and peak RSS (MiB) of the process tree and of the
    main process (psutil samples every ``interval`` seconds). With ``pss`` also the peak PSS
    of the tree (proportional set size, Linux: pages shared between processes, such as a
    forked worker's copy-on-write pages, counted once in all instead of once per process)."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak_tree = peak_main = peak_pss = 0
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            main = ps.memory_info().rss
            tree = pss_tree = 0
            for p in procs:
                try:
                    tree += p.memory_info().rss
                    if pss:
                        pss_tree += p.memory_full_info().pss
                except (psutil.Error, AttributeError):
                    pass
        except psutil.Error:
            break
        peak_tree, peak_main = max(peak_tree, tree), max(peak_main, main)
        peak_pss = max(peak_pss, pss_tree)
        time.sleep(interval)
    _, err = proc.communicate()
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err.decode()[-2000:]}")
    out = {
        "seconds": time.perf_counter() - t0,
        "peak_tree_mib": peak_tree / 2**20,
        "peak_main_mib": peak_main / 2**20,
    }
    if pss:
        out["peak_tree_pss_mib"] = peak_pss / 2**20
    return out


def framelens_run(corpus: Path, out: Path, config: Path) -> dict[str, Any]:
    args = [
        sys.executable,
        "-c",
        "from framelens.cli import main; main()",
        "run",
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--config",
        str(config),
        "--quiet",
    ]
    res = run_with_peak_rss(args)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    res["n_documents"] = record["n_documents"]
    res["timings"] = record["timings"]
    res["stage_errors"] = record["stage_errors"]
    import pandas as pd

    docs = pd.read_parquet(out / "tables" / "documents.parquet", columns=["n_chars", "n_pages"])
    res["n_chars"] = int(docs["n_chars"].sum())
    res["n_pages"] = int(docs["n_pages"].fillna(0).sum())
    return res


def dask_extract(source: Path, n_workers: int, timeout_s: float, repeats: int = 1) -> float:
    """Best of ``repeats`` dask extractions of ``source`` on a LocalCluster of ``n_workers``."""
    from dask.distributed import Client, LocalCluster

    from framelens.corpus.executors.dask_cluster import warm_up

    with LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        with Client(cluster, set_as_default=False) as client:
            warm_up(client)  # every worker's reader process started, outside the timing
        common = dict(executor="dask", scheduler=cluster.scheduler_address, timeout_s=timeout_s)
        return min(framelens_extract(source, **common)[0] for _ in range(repeats))


# --------------------------------------------------------------------------- the benchmark
def measure(quick: bool = False, log=print) -> dict[str, Any]:
    """Run every measurement; ``quick`` uses small corpora (a few minutes on 2 cores)."""
    import pandas as pd  # noqa: F401 - imported before timings

    from framelens.corpus.executors.pool import preload

    preload()  # readers and language models loaded once, outside the timings
    if not (CORPUS / "us" / "manifest.csv").exists():
        raise SystemExit(f"shared corpus not found at {CORPUS}; set FRAMELENS_SHARED")
    n_cores = os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix="framelens-bench-"))
    res: dict[str, Any] = {"quick": quick, "cores": n_cores}
    try:
        res["machine_parallel_ceiling"] = machine_parallel_ceiling()
        log(f"machine_parallel_ceiling {res['machine_parallel_ceiling']:.2f}")

        # ---- PDFs: bare pdfplumber, framelens all cores, pypdfium2 (1 process and all cores)
        pdf_items = select(("pdf",), max_bytes=450_000 if quick else None)
        if quick:  # the smaller PDFs of both countries, ~100 pages
            pdf_items = [x for x in pdf_items if x[0] == "us"][:12] + [
                x for x in pdf_items if x[0] == "mx"
            ][:4]
        pdf_dir = build_corpus(tmp / "pdf", pdf_items)
        paths = pdf_paths(pdf_dir)
        # quick: best of two (a small corpus is at the mercy of the machine's other work)
        repeats = 2 if quick else 1
        t_bare = t_par = float("inf")
        for _ in range(repeats):
            t, n_pages = bare_pdfplumber(paths)
            t_bare = min(t_bare, t)
            t, docs = framelens_extract(pdf_dir, workers=0, timeout_s=600)
            t_par = min(t_par, t)
        log(f"bare pdfplumber: {len(paths)} PDFs, {n_pages} pages, {t_bare:.1f} s")
        assert (docs["status"] == "ok").all(), docs.loc[docs["status"] != "ok", "error"]
        log(f"framelens extract, {n_cores} processes: {t_par:.1f} s")
        t_fast, _ = framelens_extract(pdf_dir, workers=0, pdf_engine="pypdfium2")
        t_fast1, _ = framelens_extract(pdf_dir, workers=1, pdf_engine="pypdfium2")
        log(f"framelens extract pypdfium2: {t_fast:.2f} s all cores, {t_fast1:.2f} s one process")
        t_par1 = None
        if not quick:
            t_par1, _ = framelens_extract(pdf_dir, workers=1, timeout_s=600)
        res.update(
            extract_parallel_speedup=t_bare / t_par,
            extract_fast_engine_speedup=t_bare / t_fast,
            extract_fast_engine_speedup_1_process=t_bare / t_fast1,
            pdf_files=len(paths),
            pdf_pages=n_pages,
            bare_pdfplumber_s=t_bare,
            bare_pdfplumber_s_per_page=t_bare / n_pages,
            framelens_pdfplumber_all_cores_s=t_par,
            framelens_pdfplumber_1_process_s=t_par1,
            framelens_pypdfium2_all_cores_s=t_fast,
            framelens_pypdfium2_1_process_s=t_fast1,
            framelens_pypdfium2_s_per_page=t_fast1 / n_pages,
        )

        # ---- cold vs warm with the cache, on a mixed corpus
        mixed_items = select(("txt", "html"), limit=10 if quick else None) + pdf_items
        mixed = build_corpus(tmp / "mixed", mixed_items)
        cache = tmp / "cache"
        t_cold, docs = framelens_extract(mixed, workers=0, cache_dir=cache, timeout_s=600)
        t_warm = min(framelens_extract(mixed, workers=0, cache_dir=cache)[0] for _ in range(3))
        log(f"cold {t_cold:.1f} s, warm {t_warm:.3f} s ({len(docs)} documents)")
        text_items = [x for x in mixed_items if x[1]["format"] != "pdf"]
        text_dir = build_corpus(tmp / "text", text_items)
        t_text, _ = framelens_extract(text_dir, workers=1)
        res.update(
            extract_warm_speedup=t_cold / t_warm,
            cold_s=t_cold,
            warm_s=t_warm,
            mixed_documents=len(docs),
            html_txt_s_per_doc_1_process=t_text / max(1, len(text_items)),
        )

        # ---- dask: 1 vs 2 workers on a LocalCluster
        if n_cores >= 2:
            t_d1 = dask_extract(pdf_dir, 1, 600, repeats)
            t_d2 = dask_extract(pdf_dir, 2, 600, repeats)
            log(f"dask extract: 1 worker {t_d1:.1f} s, 2 workers {t_d2:.1f} s")
            res.update(
                dask_speedup_2_workers=t_d1 / t_d2, dask_1_worker_s=t_d1, dask_2_workers_s=t_d2
            )
        else:
            res.update(dask_speedup_2_workers=None)

        # ---- whole runs on 1x and 10x: memory and documents per second
        if quick:
            run_items = select(("txt", "html"), max_bytes=40_000, limit=6) + select(
                ("pdf",), max_bytes=200_000, limit=2
            )
        else:
            run_items = select(("txt", "html", "pdf"))
        config = tmp / "run.yaml"
        config.write_text(
            RUN_CONFIG + ("" if quick else "extract:\n  pdf_engine: pypdfium2\n"),
            encoding="utf-8",
        )
        runs = {}
        for n in (1, 10):
            corpus = build_corpus(tmp / f"run{n}x", run_items, replicas=n)
            runs[n] = framelens_run(corpus, tmp / f"out{n}x", config)
            r = runs[n]
            log(
                f"framelens run {n}x: {r['n_documents']} documents, {r['seconds']:.1f} s, "
                f"peak {r['peak_tree_mib']:.0f} MiB (main process {r['peak_main_mib']:.0f} MiB)"
            )
            shutil.rmtree(corpus, ignore_errors=True)
        res.update(
            memory_ratio_10x=runs[10]["peak_tree_mib"] / runs[1]["peak_tree_mib"],
            memory_ratio_10x_main_process=runs[10]["peak_main_mib"] / runs[1]["peak_main_mib"],
            pipeline_docs_per_s=runs[10]["n_documents"] / runs[10]["seconds"],
            pipeline_docs_per_s_1x=runs[1]["n_documents"] / runs[1]["seconds"],
            runs={str(k): v for k, v in runs.items()},
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def corpus_fingerprint() -> str:
    h = hashlib.sha256()
    for country in ("us", "mx"):
        h.update((CORPUS / country / "manifest.csv").read_bytes())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    res = measure(quick="--quick" in argv)
    for key, goal in GOALS.items():
        val = res.get(key)
        shown = "n/a" if val is None else f"{val:,.2f}"
        print(f"{key:<30} {shown:>12}   (goal {goal})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
