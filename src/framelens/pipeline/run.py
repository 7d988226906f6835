"""The whole run, stage by stage: the one implementation behind ``framelens run``.

``run(config)`` extracts the corpus (or the built-in demo), preprocesses, scores frames, finds
actors, validates the lexicon when gold sentences are available, fits topic models, compares
administrations and countries, and writes tables, figures, the HTML report and ``run.json``.
Each stage is also a public function of its own package, so a notebook can call any one alone.
Each stage hands the tables of its result objects (``.tables()``) to the store
(``framelens.outputs.store.write_tables``) as soon as it ends: every table is checked against
its schema before it reaches ``tables/``.

A stage that cannot run on the given corpus (say, too few Spanish documents for a topic model)
is recorded in ``run.json`` under ``stage_errors`` and in the report; the rest of the run goes on.
"""

from __future__ import annotations

import logging
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framelens import __version__
from framelens.core.config import RunConfig
from framelens.core.domain import LANGUAGES
from framelens.core.errors import EXIT_OK, EXIT_QUARANTINE, ConfigError, Errors
from framelens.core.io import write_json
from framelens.core.memory import release_memory
from framelens.outputs.run_record import (
    corpus_hash,
    git_commit,
    machine_info,
    output_lock,
    package_versions,
    utc_now,
)
from framelens.outputs.store import write_tables
from framelens.pipeline.tables import RunTables

log = logging.getLogger("framelens")

#: Where the gold sentences are looked for when the config names none (the shared folder
#: beside a checkout, as in CI).
DEFAULT_GOLD_CANDIDATES = (
    Path.cwd() / ".." / "shared" / "validation" / "gold_sentences.csv",
    Path(__file__).resolve().parents[3].parent / "shared" / "validation" / "gold_sentences.csv",
)


@dataclass
class RunResult:
    """What a run produced. ``tables`` maps table name -> DataFrame (as written, validated);
    the sentence-level tables (and, after the analysis stage, ``documents`` with its texts)
    are read from ``tables/`` when asked for (``RunTables``)."""

    out_dir: Path
    config: RunConfig
    tables: RunTables = field(default_factory=RunTables)
    record: dict[str, Any] = field(default_factory=dict)
    stage_errors: dict[str, str] = field(default_factory=dict)

    @property
    def documents(self) -> pd.DataFrame:
        return self.tables["documents"]

    @property
    def n_quarantined(self) -> int:
        return int((self.documents["status"] != "ok").sum())

    @property
    def exit_code(self) -> int:
        """0 when every file was read, 3 when some were quarantined (outputs still written)."""
        return EXIT_QUARANTINE if self.n_quarantined else EXIT_OK


def resolve_gold(config: RunConfig) -> Path | None:
    if config.lexicon.gold:
        p = Path(config.lexicon.gold)
        if not p.exists():
            raise ConfigError(Errors.E010.format(path=p))
        return p
    for cand in DEFAULT_GOLD_CANDIDATES:
        if cand.exists():
            return cand.resolve()
    return None


def run_extract(config: RunConfig, *, progress: bool = True) -> RunResult:
    """Run only the corpus stage and write documents, quarantine and run.json."""
    return run(config, progress=progress, stages=("extract",))


def run(
    config: RunConfig | None = None,
    *,
    progress: bool = True,
    stages: tuple[str, ...] = ("extract", "analysis", "topics", "compare", "outputs"),
) -> RunResult:
    """Run the pipeline on ``config.corpus`` (the demo corpus when None) into ``config.out``.

    Returns a ``RunResult``; its ``exit_code`` is 0 when every file was read and 3 when some were
    quarantined. Raises ``ConfigError`` (exit 2) on configuration errors and ``LockedError``
    (exit 4) when another run holds the output folder.
    """
    config = (config or RunConfig()).validate()
    if "analysis" in stages and config.prevalence.enabled:  # a bad design file stops us here
        from framelens.pipeline.measurement import resolve_design_sample

        resolve_design_sample(config, resolve_gold(config))
    out_dir = Path(config.out)
    result = RunResult(out_dir=out_dir, config=config)
    timings: dict[str, float] = {}
    started = utc_now()

    with ExitStack() as stack:
        stack.enter_context(output_lock(out_dir))
        if config.extract.executor == "dask":  # one cluster client for extract + preprocess
            from framelens.corpus.executors.dask_cluster import dask_session

            stack.enter_context(dask_session(config.extract))
        corpus, corpus_label = _corpus_folder(config, stack)
        _run_extract(result, timings, corpus, progress)

        if "analysis" in stages:
            _stage(result, timings, "analysis", _run_analysis, config, progress)
            _stage(result, timings, "measurement", _run_measurement, config, progress)
        if "topics" in stages and config.topics.enabled:
            _stage(result, timings, "topics", _run_topics, config, progress)
        if "compare" in stages:
            _stage(result, timings, "compare", _run_compare, config, progress)

        # the run record, then figures and report (they read the tables and the record)
        record = build_record(result, corpus_label, started, timings)
        write_json(out_dir / "run.json", record)
        if "outputs" in stages:
            _stage(result, timings, "outputs", _run_outputs, config, progress)
            record = build_record(result, corpus_label, started, timings)
            write_json(out_dir / "run.json", record)
        result.record = record
    return result


def _corpus_folder(config: RunConfig, stack: ExitStack) -> tuple[Path, str]:
    """The corpus to read (the demo corpus written to a temporary folder when none is given)
    and how run.json names it."""
    if config.corpus is None:
        from framelens.demo import write_demo_corpus

        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="framelens-demo-"))
        return write_demo_corpus(Path(tmp) / "demo"), "built-in demo corpus (synthetic)"
    corpus = Path(config.corpus)
    if not corpus.exists():
        raise ConfigError(Errors.E004.format(path=corpus))
    return corpus, str(corpus)


def _run_extract(
    result: RunResult, timings: dict[str, float], corpus: Path, progress: bool
) -> None:
    """Stage 1: the documents, quarantine and version-group tables, written at once (they
    stay whatever comes next)."""
    from framelens.corpus import extract, quarantine_table
    from framelens.corpus.versions import VERSION_COLUMNS, version_groups_table

    config = result.config
    t0 = time.perf_counter()
    documents = extract(
        corpus,
        manifest=config.manifest,
        config=config.extract,
        cache_dir=result.out_dir / "cache" / "extract",
        progress=progress,
        versions=config.versions,
    )
    timings["extract"] = time.perf_counter() - t0
    first = {
        "documents": documents,
        "quarantine": quarantine_table(documents),
        "version_groups": version_groups_table(
            documents, documents[["doc_id", *VERSION_COLUMNS]], shingle=config.versions.shingle
        ),
    }
    result.tables.update(first)
    write_tables(first, result.out_dir / "tables", csv=config.outputs.csv)


def _stage(result: RunResult, timings: dict[str, float], name: str, fn, config, progress) -> None:
    """Run one stage, then write the tables it added through the store (validated).

    A stage that fails is recorded in ``stage_errors`` (the tables it made before failing are
    still written); tables that do not pass their schemas are recorded the same way and are
    neither written nor kept. One stage failing never loses the others' outputs.
    """
    t0 = time.perf_counter()
    tables = result.tables
    before = set(tables)
    try:
        fn(result, config, progress)
    except ConfigError:
        raise
    except Exception as exc:
        _failed(result, name, exc)
    # tables streamed to disk by the stage are written already
    added = {k: tables[k] for k in tables if k not in before and not tables.on_disk(k)}
    try:
        write_tables(added, result.out_dir / "tables", csv=config.outputs.csv)
    except Exception as exc:  # a table that breaks its schema never reaches disk
        _failed(result, name, exc)
        for key in added:
            del tables[key]
    else:  # sentence-level tables are not kept in memory once written
        tables.spill([k for k in added if k in SPILLED], result.out_dir / "tables")
    del added
    release_memory()
    timings[name] = time.perf_counter() - t0


#: Columns of ``sentence_frames`` the co-occurrence statistics read.
COOCCURRENCE_HITS = ("hits_humanitarian", "hits_security")
#: Sentence-level tables a stage computes whole: read back from disk when a later step asks.
SPILLED = frozenset({"frame_predictions", "relevance"})


def _failed(result: RunResult, name: str, exc: Exception) -> None:
    log.exception("stage %s failed", name)
    result.stage_errors.setdefault(name, f"{type(exc).__name__}: {exc}")


def _ok_documents(documents: pd.DataFrame) -> pd.DataFrame:
    return documents[(documents["status"] == "ok") & documents["language"].isin(LANGUAGES)]


def analysed_documents(documents: pd.DataFrame, config: RunConfig) -> pd.DataFrame:
    """The documents the analysis measures: readable, in a language with an instrument, and,
    with ``versions.one_per_group``, one document per near-duplicate version group (the
    documents table itself still lists every document)."""
    ok = _ok_documents(documents)
    if config.versions.one_per_group and "is_representative" in ok.columns:
        ok = ok[ok["is_representative"].astype(bool)]
    return ok


def _run_analysis(result: RunResult, config: RunConfig, progress: bool) -> None:
    """Stages 2-3 streamed batch by batch, cached per document (``pipeline.analysis``)."""
    from framelens.analysis import load_nlp
    from framelens.pipeline.analysis import run_analysis

    documents = analysed_documents(result.tables["documents"], config)
    stage = run_analysis(documents, config, result.out_dir, progress=progress)
    languages = sorted(documents["language"].unique())
    del documents
    # later steps never read the texts: the table is held as tables/documents.parquet (read
    # whole when asked for) with a light copy without texts for the run's own steps
    full = result.tables["documents"]
    light = full.drop(columns=["text"])
    light.attrs = dict(full.attrs)
    del full
    result.tables.add_on_disk(
        "documents", result.out_dir / "tables" / "documents.parquet", light=light
    )
    result.tables.update(stage.tables())
    for name, path in stage.streamed.items():
        result.tables.add_on_disk(name, path)
    result.record["spacy_pipelines"] = {
        lang: load_nlp(lang, config.preprocess).meta.get("framelens_pipeline", "unknown")
        for lang in languages
    }
    result.record["lexicon_version"] = stage.lexicon_version
    result.record["analysis"] = {**stage.record, "input_key": stage.input_key}


def _run_measurement(result: RunResult, config: RunConfig, progress: bool) -> None:
    from framelens.pipeline.measurement import run_measurement

    if "sentence_frames" not in result.tables:
        raise RuntimeError("the measurement stage needs the frame scores of the analysis stage")
    documents = analysed_documents(result.tables.light("documents"), config)
    # result.tables reads the sentence-level tables from disk only when a step asks for them
    run_measurement(
        result.tables,
        config,
        resolve_gold(config),
        result.record,
        documents,
        cache_dir=result.out_dir / "cache" / "measurement" if config.analysis.cache else None,
    )


def _run_topics(result: RunResult, config: RunConfig, progress: bool) -> None:
    if "sentences" not in result.tables:
        raise RuntimeError("topics need the sentences of the analysis stage")
    documents = analysed_documents(result.tables.light("documents"), config)
    topics, selection = _fit_topics_cached(result, config, documents)
    result.tables.update(topics.tables())
    from framelens.analysis.stats.topic_contrasts import topic_contrasts

    result.tables["topic_contrasts"] = topic_contrasts(
        topics.topic_prevalence,
        topics.prevalence_draws,
        ci=config.topics.ci,
        min_n=config.topics.min_n,
    )
    if selection is not None:
        from framelens.pipeline.topics import write_selection_figure

        result.tables.update(selection.tables())
        write_selection_figure(selection, result.out_dir)
    result.record["topics"] = topics.info


def _fit_topics_cached(result: RunResult, config: RunConfig, documents: pd.DataFrame):
    """The topic models and the selection diagnostics, from ``<out>/cache/topics`` when the
    sentences (the analysis stage's ``input_key``), the documents' metadata, the topics
    settings, the seed and the framelens version are those of a cached fit: a run whose corpus
    did not change (a new lexicon, other comparison settings) does not refit."""
    from dataclasses import asdict

    from framelens.core.doccache import ResultCache, key
    from framelens.models import fit_topics, select_topics

    def fit():
        sentences = result.tables.sentence_source()  # chunks of whole documents, never whole
        topics = fit_topics(sentences, documents, config.topics, config.seed)
        selection = topics.selection
        if selection is None and config.topics.run_selection:
            selection = select_topics(sentences, documents, config.topics, config.seed)
        return topics, selection

    input_key = result.record.get("analysis", {}).get("input_key")
    if not (config.analysis.cache and input_key):
        return fit()
    meta = documents.drop(columns=["text"], errors="ignore").to_csv(index=False)
    k = key("topics-2", __version__, input_key, meta, asdict(config.topics), config.seed)
    cache = ResultCache(result.out_dir / "cache" / "topics")
    hit = cache.get(k)
    if hit is not None:
        return hit
    fitted = fit()
    cache.put(k, fitted)
    return fitted


def _run_compare(result: RunResult, config: RunConfig, progress: bool) -> None:
    from framelens.analysis.stats import compare_all, keyness

    if "frame_scores" not in result.tables:
        raise RuntimeError("comparisons need the frame scores of the analysis stage")
    tables = result.tables
    # group estimates, differences (raw, within genre, standardised), regression, time series,
    # co-occurrence against chance, actors, composition and the propositions' verdicts
    # the co-occurrence null needs three columns of the sentence frames
    view = tables.view(
        load={"sentence_frames": ["doc_id", "sent_id", *COOCCURRENCE_HITS], "actors": None}
    )
    tables.update(compare_all(view, config.compare, seed=config.seed))
    del view
    if "sentences" in tables:  # key terms per administration, with or without topics
        tables["keyness"] = keyness(
            tables.sentence_source(),
            analysed_documents(tables.light("documents"), config),
            extra_stopwords=config.topics.extra_stopwords,
        )


def _run_outputs(result: RunResult, config: RunConfig, progress: bool) -> None:
    from framelens.outputs import render_outputs

    render_outputs(result.out_dir)


def build_record(
    result: RunResult, corpus_label: str, started: str, timings: dict[str, float]
) -> dict[str, Any]:
    """The run.json content: provenance first, volatile fields (timestamps, timings) apart."""
    documents = result.tables.light("documents")
    counts = (
        documents.groupby(["country", "administration", "status"], dropna=False)
        .size()
        .reset_index(name="n")
    )
    quarantine = result.tables.get("quarantine", pd.DataFrame())
    record = {
        "framelens_version": __version__,
        "git_commit": git_commit(),
        "packages": package_versions(),
        "config": result.config.to_dict(),
        "seed": result.config.seed,
        "corpus": corpus_label if result.config.corpus is None else str(result.config.corpus),
        "corpus_hash": corpus_hash(documents),
        "n_documents": int(len(documents)),
        "n_ok": int((documents["status"] == "ok").sum()),
        "n_quarantined": int((documents["status"] != "ok").sum()),
        "counts": [
            {k: (None if pd.isna(v) else v) for k, v in row.items()}
            for row in counts.to_dict(orient="records")
        ],
        "quarantine": quarantine[["doc_id", "path", "status", "error"]].to_dict(orient="records")
        if len(quarantine)
        else [],
        "tables": sorted(result.tables),
        "stage_errors": dict(sorted(result.stage_errors.items())),
        "timestamps": {"started": started, "finished": utc_now()},
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "machine": machine_info(),
    }
    record["versions"] = {
        **documents.attrs.get("versions", {}),
        "one_per_group": result.config.versions.one_per_group,
        "n_set_aside": int((~documents["is_representative"].astype(bool)).sum()),
    }
    record["ocr"] = _ocr_record(documents)
    for key in (
        "lexicon_version",
        "analysis",
        "lexicon_gold",
        "spacy_pipelines",
        "topics",
        "instrument_choice",
        "frame_prevalence",
    ):
        if key in result.record:
            record[key] = result.record[key]
    if "lexicon_validation" in result.tables:
        record["lexicon_validation"] = result.tables["lexicon_validation"].to_dict(orient="records")
    return record


def _ocr_record(documents: pd.DataFrame) -> dict[str, Any]:
    """What OCR did in this run: engine, documents and pages read by OCR, scans not read."""
    from framelens.core.errors import Errors
    from framelens.corpus.ocr import ocr_signature

    ocred = documents["ocr_pages"].dropna() if "ocr_pages" in documents else pd.Series([])
    pages = sum(
        (int(b) - int(a) + 1) if "-" in part else 1
        for r in ocred
        for part in str(r).split(",")
        if part
        for a, _, b in [part.partition("-")]
    )
    not_read = documents.loc[documents["error"].fillna("").eq(Errors.W120), "doc_id"]
    return {
        "engine": ocr_signature(),
        "documents_ocred": int(len(ocred)),
        "pages_ocred": int(pages),
        "scanned_not_ocred": sorted(not_read.tolist()),
    }


def ensure_sentences(config: RunConfig, *, rebuild: bool = False, progress: bool = True) -> Path:
    """Make sure ``<out>/tables`` holds documents and sentences (for ``topics select``).

    Runs the corpus and analysis stages when ``rebuild`` or when the tables are missing.
    """
    tables = Path(config.out) / "tables"
    have = (tables / "sentences.parquet").exists() and (tables / "documents.parquet").exists()
    if rebuild or not have:
        run(config, progress=progress, stages=("extract", "analysis"))
    return tables
