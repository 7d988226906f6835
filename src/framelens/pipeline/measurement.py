"""The measurement stage of a run: which instrument, and prevalence corrected for its errors.

After the framing stage, ``run_measurement`` (docs/measurement.md, docs/instruments.md):

1. compares the instruments (lexicon, lexicon-seeded classifier) on the hand-coded sentences
   when a gold file is found, out of sample (document-grouped cross-validation) and, with a
   design sample, design-weighted on the corpus population; ``lexicon.instrument: auto`` uses
   the one that validates better per language (recorded in run.json);
2. predicts every sentence's frames with the chosen instrument (``frame_predictions``);
3. marks migration-relevant and children sentences (``relevance``);
4. estimates each group's frame prevalence naively and corrected with the coded probability
   sample (``frame_prevalence``, ``frame_prevalence_differences``, ``design_units``).

Without a gold file the lexicon is the instrument; without a design sample the corrected
shares are missing (NaN with a note), never faked.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.core.config import RunConfig
from framelens.core.errors import ConfigError, Errors


def resolve_design_sample(config: RunConfig, gold: Path | None) -> Path | None:
    """The design sample a run uses: ``prevalence.design_sample``, else the file found beside
    the gold sentences (``design_sample.csv``), else None. A named file that does not exist
    raises ``ConfigError`` [E030]; a malformed one [E031] (checked before anything runs)."""
    from framelens.analysis.framing.design import default_design_sample, load_design_sample

    named = config.prevalence.design_sample
    if named:
        path = Path(named)
        if not path.exists():
            raise ConfigError(Errors.E030.format(path=path))
    else:
        path = default_design_sample(gold)
    if path is not None:
        load_design_sample(path)  # a malformed file stops the run before the heavy stages
    return path


def _file_record(path: Path) -> dict[str, str]:
    return {"path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def validate_instruments(
    config: RunConfig, gold: Path, design: Path | None
) -> tuple[dict[str, pd.DataFrame], Any]:
    """Validate the lexicon and the lexicon-seeded classifier against the gold sentences.

    Returns the tables (``lexicon_validation`` with both instruments' rows, ``lexicon_confusion``,
    ``lexicon_misclassified``, ``instrument_validation``, ``instrument_choice``,
    ``instrument_selection``) and the ``InstrumentComparison`` (its fitted classifier).
    """
    from framelens.analysis.framing import load_lexicon, validate_lexicon
    from framelens.analysis.framing.classifier_validation import (
        evaluate_instruments,
        with_classifier_rows,
    )

    lexicon = load_lexicon(config.lexicon.version)
    val = validate_lexicon(
        gold, lexicon, config=config.lexicon, seed=config.seed, n_boot=config.lexicon.n_boot
    )
    comp = evaluate_instruments(
        gold,
        lexicon,
        design=design,
        config=config.lexicon,
        preprocess_config=config.preprocess,
        seed=config.seed,
        n_boot=config.lexicon.n_boot,
    )
    tables = {**val.tables(), **comp.tables()}
    tables["lexicon_validation"] = with_classifier_rows(val.table, comp.table)
    return tables, comp


def cached_validate_instruments(
    config: RunConfig, gold: Path, design: Path | None, cache_dir: Path | None
) -> tuple[dict[str, pd.DataFrame], Any]:
    """``validate_instruments``, kept under ``cache_dir`` (``<out>/cache/measurement``) keyed
    by the gold and design files' bytes, the lexicon (version and files), the lexicon and
    preprocessing settings, the seed and the framelens version: it does not depend on the
    corpus, so a re-run (new documents) does not cross-validate again."""
    if cache_dir is None:
        return validate_instruments(config, gold, design)
    from dataclasses import asdict

    from framelens import __version__
    from framelens.analysis.framing import load_lexicon
    from framelens.core.doccache import ResultCache, key
    from framelens.pipeline.analysis import files_hash

    lexicon = load_lexicon(config.lexicon.version)
    k = key(
        "instruments",
        __version__,
        _file_record(gold)["sha256"],
        _file_record(design)["sha256"] if design is not None else "",
        lexicon.version,
        files_hash(lexicon.path),
        asdict(config.lexicon) | {"gold": None},
        asdict(config.preprocess),
        config.seed,
    )
    cache = ResultCache(cache_dir)
    hit = cache.get(k)
    if hit is not None:
        return hit
    result = validate_instruments(config, gold, design)
    cache.put(k, result)
    return result


def lexicon_predictions(tables, config: RunConfig) -> pd.DataFrame | None:
    """``frame_predictions`` of the lexicon (a row-wise function of ``sentence_frames``).

    In a run, where ``sentence_frames`` is a Parquet file (``pipeline.tables.RunTables``),
    they are computed chunk by chunk and streamed to ``tables/frame_predictions.parquet``
    (the table is then held as that file and None is returned); otherwise the table."""
    from framelens.analysis.framing.classifier_predictions import lexicon_frame_predictions

    on_disk = getattr(tables, "on_disk", None)
    if on_disk is None or not on_disk("sentence_frames"):
        return lexicon_frame_predictions(tables["sentence_frames"])
    import pyarrow.parquet as pq

    from framelens.outputs.sink import TableSink
    from framelens.outputs.store import table_formats

    source = tables.path("sentence_frames")
    csv = "csv" in table_formats("frame_predictions", config.outputs.csv)
    with TableSink(source.parent, "frame_predictions", csv=csv) as sink:
        for batch in pq.ParquetFile(source).iter_batches(batch_size=200_000):
            sink.write(lexicon_frame_predictions(batch.to_pandas()))
    tables.add_on_disk("frame_predictions", source.parent / "frame_predictions.parquet")
    return None


def choose_predictions(
    tables: dict[str, pd.DataFrame],
    config: RunConfig,
    gold: Path | None,
    design: Path | None,
    record: dict[str, Any],
    cache_dir: Path | None = None,
) -> pd.DataFrame:
    """Validate the instruments (when gold is found), put their validation tables into
    ``tables`` and return the per-sentence ``frame_predictions`` of the chosen instrument
    (None when they were streamed to disk: ``lexicon_predictions``)."""
    from framelens.analysis.framing.classifier_predictions import (
        classifier_frame_predictions,
        instrument_for_run,
    )

    if gold is None:
        record["instrument_choice"] = {"rule": "lexicon (no gold sentences to validate with)"}
        return lexicon_predictions(tables, config)
    validation, comp = cached_validate_instruments(config, gold, design, cache_dir)
    tables.update(validation)
    record["lexicon_gold"] = str(gold)
    choice = comp.choice.copy()
    if config.lexicon.instrument in ("lexicon", "classifier"):
        choice["instrument"] = config.lexicon.instrument
        choice["rule"] = f"lexicon.instrument: {config.lexicon.instrument} (configured)"
    record["instrument_choice"] = choice.to_dict(orient="records")
    if not (choice["instrument"] == "classifier").any():
        return lexicon_predictions(tables, config)
    frames = tables["sentence_frames"]
    cls = classifier_frame_predictions(
        comp.classifier, tables["sentences"], frames, tables["documents"], cv=comp.cv
    )
    return instrument_for_run(choice, frames, cls, tables["documents"])


def run_measurement(
    tables: dict[str, pd.DataFrame],
    config: RunConfig,
    gold: Path | None,
    record: dict[str, Any],
    documents: pd.DataFrame,
    cache_dir: Path | None = None,
) -> None:
    """Add ``frame_predictions``, ``relevance``, ``frame_prevalence``,
    ``frame_prevalence_differences`` and ``design_units`` to ``tables`` (and the instruments'
    validation tables when gold is found); notes go into ``record`` (run.json).

    ``documents`` are the documents the analysis kept (one per version group). With
    ``cache_dir`` the instruments' validation is cached there (``cached_validate_instruments``).
    """
    from framelens.analysis.framing.design import load_design_sample
    from framelens.analysis.framing.relevance import mark_relevance
    from framelens.analysis.stats.frame_prevalence import frame_prevalence

    p = config.prevalence
    design_path = resolve_design_sample(config, gold) if p.enabled else None
    predictions = choose_predictions(tables, config, gold, design_path, record, cache_dir)
    if predictions is not None:
        tables["frame_predictions"] = predictions
    if not p.enabled:
        return
    predictions = tables["frame_predictions"]
    relevance = mark_relevance(
        tables["sentences"], documents, p.relevance_version, config.preprocess
    )
    tables["relevance"] = relevance
    result = frame_prevalence(
        tables["sentences"],
        predictions,
        documents,
        load_design_sample(design_path) if design_path is not None else None,
        relevance=relevance,
        n_boot=p.n_boot,
        seed=config.seed,
        min_coded=p.min_coded,
        method=p.coded_resampling,
        pseudo_count=p.pseudo_count,
        relevance_version=p.relevance_version,
        preprocess_config=config.preprocess,
    )
    tables.update(result.tables())
    record["frame_prevalence"] = {
        **result.record(),
        "design_sample": _file_record(design_path) if design_path is not None else None,
    }
