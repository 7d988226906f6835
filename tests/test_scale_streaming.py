"""Issue 11: the streamed analysis stage gives the same tables whatever the batch size, the
cache state or the executor, and a re-run does only the new documents' work.

Real inputs: the built-in demo corpus and a slice of ../shared/corpus (English and Spanish,
PDF, HTML and text). "In memory" is one batch holding the whole corpus; "streamed" is batches
of a few documents, each appended to the Parquet files and released.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from framelens.core.config import RunConfig
from framelens.corpus import extract
from framelens.demo import write_demo_corpus
from framelens.pipeline.analysis import STREAMED, run_analysis
from framelens.pipeline.run import analysed_documents

SHARED_SLICE = (
    "us/us-fr-20250130-executive-order-14165-securing-our-borders.pdf",
    "us/us-fr-20170124-executive-order-13765-minimizing-the-economic.html",
    "us/us-wh-20220413-statement-by-press-secretary-jen-psaki-on-the.txt",
    "mx/mx-dof-20240401-dof-extracto.pdf",
    "mx/mx-presidencia-20241223-conferencia-de-prensa.txt",
    "mx/mx-presidencia-20260814-conferencia-de-prensa.txt",
)


def _config(
    out: Path, batch: int, *, cache: bool = True, lexicon: str = "latest", chars: int = 10**9
) -> RunConfig:
    cfg = RunConfig()
    cfg.out = str(out)
    cfg.analysis.batch_documents = batch
    cfg.analysis.batch_chars = chars
    cfg.analysis.cache = cache
    cfg.lexicon.version = lexicon
    return cfg.validate()


def _tables(out: Path, stage) -> dict[str, pd.DataFrame]:
    tables = {t: pd.read_parquet(out / "tables" / f"{t}.parquet") for t in STREAMED}
    return {**tables, **stage.tables()}


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


@pytest.fixture(scope="module")
def demo_documents(tmp_path_factory) -> pd.DataFrame:
    root = write_demo_corpus(tmp_path_factory.mktemp("demo") / "corpus")
    docs = extract(root, progress=False)
    return analysed_documents(docs, RunConfig())


@pytest.fixture(scope="module")
def shared_documents(tmp_path_factory, shared_corpus) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("slice") / "corpus"
    for rel in SHARED_SLICE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_corpus / rel, root / rel)
    cfg = RunConfig()
    cfg.extract.pdf_engine = "pypdfium2"
    docs = extract(root, config=cfg.extract, progress=False)
    assert (docs["status"] == "ok").all()
    return analysed_documents(docs, cfg)


@pytest.mark.parametrize("corpus", ["demo", "shared"])
def test_streamed_equals_in_memory(corpus, request, tmp_path):
    docs = request.getfixturevalue(f"{corpus}_documents")
    assert set(docs["language"]) == {"en", "es"}
    whole = run_analysis(docs, _config(tmp_path / "whole", 10_000, cache=False), tmp_path / "whole")
    batched = run_analysis(docs, _config(tmp_path / "b", 2, cache=False), tmp_path / "b")
    assert whole.record["n_batches"] == 1
    assert batched.record["n_batches"] == -(-len(docs) // 2) > 2
    by_chars = run_analysis(docs, _config(tmp_path / "c", 1000, chars=20_000), tmp_path / "c")
    assert by_chars.record["n_batches"] > 2
    a, b = _tables(tmp_path / "whole", whole), _tables(tmp_path / "b", batched)
    _assert_same(a, b)
    _assert_same(a, _tables(tmp_path / "c", by_chars))
    assert len(a["sentences"]) > 100 and len(a["matches"]) > 50 and len(a["actors"]) > 5
    assert a["frame_scores"]["doc_id"].tolist() == sorted(docs["doc_id"])
    # the streamed sentence-level tables have no CSV by default
    assert not any((tmp_path / "b" / "tables" / f"{t}.csv").exists() for t in STREAMED)


def test_batch_bounds_close_on_documents_or_characters():
    from framelens.pipeline.analysis import batch_bounds

    assert batch_bounds([10, 10, 10, 10, 10], 2, 10**9) == [(0, 2), (2, 4), (4, 5)]
    assert batch_bounds([10, 10, 10, 10, 10], 10, 25) == [(0, 2), (2, 4), (4, 5)]
    # a document longer than the limit is a batch of its own; none is ever empty
    assert batch_bounds([5, 100, 5, 5], 10, 20) == [(0, 1), (1, 2), (2, 4)]
    assert batch_bounds([], 10, 20) == []


def test_streamed_equals_score_frames_in_one_pass(demo_documents, tmp_path):
    """The per-batch assembly gives what the stage functions give on the whole corpus."""
    from framelens.analysis import find_actors, load_lexicon, preprocess, score_frames

    stage = run_analysis(demo_documents, _config(tmp_path, 5, cache=False), tmp_path)
    got = _tables(tmp_path, stage)
    sentences = preprocess(demo_documents)
    scores = score_frames(sentences, load_lexicon(), documents=demo_documents)
    actors = find_actors(sentences, scores.sentence_frames, documents=demo_documents)
    expected = {"sentences": sentences, **scores.tables(), "actors": actors}
    _assert_same(got, expected)


def test_incremental_run_does_only_new_documents(shared_documents, tmp_path):
    docs = shared_documents
    new = sorted(docs["doc_id"])[1::3]  # two of six, not at the end of the order
    cold = run_analysis(docs, _config(tmp_path / "cold", 2), tmp_path / "cold")
    warm_dir = tmp_path / "warm"
    first = run_analysis(docs[~docs["doc_id"].isin(new)], _config(warm_dir, 2), warm_dir)
    assert first.record["cache"]["preprocess"] == {"enabled": True, "hits": 0, "misses": 4}
    again = run_analysis(docs, _config(warm_dir, 2), warm_dir)
    for step in ("preprocess", "score"):
        assert again.record["cache"][step] == {"enabled": True, "hits": 4, "misses": 2}
    _assert_same(_tables(warm_dir, again), _tables(tmp_path / "cold", cold))


def test_new_lexicon_rescores_without_preprocessing(demo_documents, tmp_path):
    out = tmp_path / "run"
    run_analysis(demo_documents, _config(out, 7), out)
    n = len(demo_documents)
    rescored = run_analysis(demo_documents, _config(out, 7, lexicon="3.0.0"), out)
    assert rescored.record["cache"]["preprocess"] == {"enabled": True, "hits": n, "misses": 0}
    assert rescored.record["cache"]["score"] == {"enabled": True, "hits": 0, "misses": n}
    cold = run_analysis(demo_documents, _config(tmp_path / "c", 7, lexicon="3.0.0"), tmp_path / "c")
    got, expected = _tables(out, rescored), _tables(tmp_path / "c", cold)
    _assert_same(got, expected)
    assert set(got["frame_scores"]["lexicon_version"]) == {"3.0.0"}


def test_changed_text_is_a_miss_and_damaged_cache_is_ignored(demo_documents, tmp_path):
    out = tmp_path / "run"
    run_analysis(demo_documents, _config(out, 50), out)
    docs = demo_documents.copy()
    first = sorted(docs["doc_id"])[0]
    docs.loc[docs["doc_id"] == first, "text"] += " Los niños migrantes fueron detenidos."
    for index in (out / "cache" / "analysis" / "score").glob("seg-*.json"):
        index.write_text("{not json")  # a damaged key list: the segment is ignored
    again = run_analysis(docs, _config(out, 50), out)
    assert again.record["cache"]["preprocess"]["misses"] == 1
    assert again.record["cache"]["score"]["misses"] == len(docs)
    cold = run_analysis(docs, _config(tmp_path / "c", 50, cache=False), tmp_path / "c")
    _assert_same(_tables(out, again), _tables(tmp_path / "c", cold))


def test_csv_all_streams_csv_too(demo_documents, tmp_path):
    cfg = _config(tmp_path, 4, cache=False)
    cfg.outputs.csv = "all"
    run_analysis(demo_documents, cfg, tmp_path)
    for t in STREAMED:
        csv = pd.read_csv(tmp_path / "tables" / f"{t}.csv", keep_default_na=False)
        assert len(csv) == len(pd.read_parquet(tmp_path / "tables" / f"{t}.parquet"))


def test_dask_executor_equals_local(shared_documents, local_cluster, tmp_path):
    local = run_analysis(shared_documents, _config(tmp_path / "l", 2), tmp_path / "l")
    cfg = _config(tmp_path / "d", 2)
    cfg.extract.executor = "dask"
    cfg.extract.scheduler = local_cluster.scheduler_address
    remote = run_analysis(shared_documents, cfg, tmp_path / "d")
    prefixes = set(local_cluster.scheduler.task_prefixes)
    assert "analyse_partition" in prefixes, prefixes
    assert remote.record["executor"] == "dask"
    _assert_same(_tables(tmp_path / "d", remote), _tables(tmp_path / "l", local))


def test_incremental_run_equals_cold_run(demo_run, make_demo_config, tmp_path):
    """The whole run: a corpus run once without two documents and again with them (same
    output folder, so every cache is warm) writes the same tables as the cold run of the
    whole corpus (the session's demo run, same settings)."""
    from framelens.pipeline import run

    root = write_demo_corpus(tmp_path / "corpus")
    manifest = (root / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    held = ("mx-demo-20190610.pdf", "us-demo-20220610.html")
    aside = tmp_path / "aside"
    aside.mkdir()
    for name in held:
        (root / name).rename(aside / name)
    (root / "manifest.csv").write_text(
        "".join(line for line in manifest if not any(f",{h}," in line for h in held)),
        encoding="utf-8",
    )
    cfg = make_demo_config(tmp_path / "out")
    cfg.corpus = str(root)
    first = run(cfg.validate(), progress=False)
    assert len(first.documents) == 22
    for name in held:
        (aside / name).rename(root / name)
    (root / "manifest.csv").write_text("".join(manifest), encoding="utf-8")
    warm = run(cfg, progress=False)
    assert warm.stage_errors == demo_run.stage_errors == {}
    assert warm.record["analysis"]["cache"]["preprocess"]["misses"] == 2
    assert warm.record["analysis"]["cache"]["score"]["hits"] == 22
    cold_dir, warm_dir = demo_run.out_dir / "tables", tmp_path / "out" / "tables"
    names = sorted(p.name for p in cold_dir.iterdir() if p.suffix in (".csv", ".parquet"))
    assert names == sorted(p.name for p in warm_dir.iterdir() if p.suffix in (".csv", ".parquet"))
    assert len(names) > 60
    for name in names:
        if name.endswith(".csv"):
            assert (warm_dir / name).read_bytes() == (cold_dir / name).read_bytes(), name
        else:
            pd.testing.assert_frame_equal(
                pd.read_parquet(warm_dir / name), pd.read_parquet(cold_dir / name), obj=name
            )


def test_new_lexicon_run_reuses_topics_and_refits_nothing_else(demo_run, tmp_path):
    """A whole run with another lexicon in a finished run's folder: sentences come from the
    preprocessing cache and the topic models from the topic cache (the corpus did not change);
    frames are re-scored and the instruments validated again."""
    from framelens.pipeline import run

    out = tmp_path / "out"
    shutil.copytree(demo_run.out_dir, out)
    cfg = demo_run.config.replace(out=str(out))
    cfg.lexicon = type(cfg.lexicon)(**{**vars(cfg.lexicon), "version": "3.0.0"})
    topic_cache = sorted((out / "cache" / "topics").glob("*.joblib"))
    assert len(topic_cache) == 1
    stamp = topic_cache[0].stat().st_mtime_ns
    again = run(cfg.validate(), progress=False)
    assert again.stage_errors == {}
    n = len(again.tables["frame_scores"])
    assert again.record["analysis"]["cache"]["preprocess"]["hits"] == n
    assert again.record["analysis"]["cache"]["score"]["misses"] == n
    assert sorted((out / "cache" / "topics").glob("*.joblib")) == topic_cache
    assert topic_cache[0].stat().st_mtime_ns == stamp  # read, not written again
    assert len(list((out / "cache" / "measurement").glob("*.joblib"))) == 2
    assert set(again.tables["frame_scores"]["lexicon_version"]) == {"3.0.0"}
    for name in ("topics", "doc_topics", "topic_prevalence"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / "tables" / f"{name}.parquet"),
            pd.read_parquet(demo_run.out_dir / "tables" / f"{name}.parquet"),
            obj=name,
        )


def test_lexicon_predictions_streamed_equal_whole(demo_documents, tmp_path):
    from framelens.analysis.framing.classifier_predictions import lexicon_frame_predictions
    from framelens.pipeline.measurement import lexicon_predictions
    from framelens.pipeline.tables import RunTables

    stage = run_analysis(demo_documents, _config(tmp_path, 5, cache=False), tmp_path)
    tables = RunTables()
    for name, path in stage.streamed.items():
        tables.add_on_disk(name, path)
    assert lexicon_predictions(tables, _config(tmp_path, 5)) is None  # streamed to its file
    assert tables.on_disk("frame_predictions")
    whole = lexicon_frame_predictions(pd.read_parquet(stage.streamed["sentence_frames"]))
    pd.testing.assert_frame_equal(tables["frame_predictions"], whole)
    assert int(whole["pred_security"].sum()) > 0
    assert not (tmp_path / "tables" / "frame_predictions.csv").exists()
