"""One validated run configuration (after spaCy's config): every choice that changes a number.

A ``RunConfig`` is built from defaults, then a YAML file (``--config``), then CLI flags, and is
checked once in ``RunConfig.validate``. It is saved in ``run.json`` next to every output, so a
run can be rebuilt from its record. All randomness in a run derives from ``RunConfig.seed``.

Example YAML (any subset)::

    seed: 20240601
    extract:
      workers: 2
      timeout_s: 120
    topics:
      k: 8
      engine: lda
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from framelens.core.errors import ConfigError, Errors


@dataclass
class ExtractConfig:
    """Corpus stage. ``workers``: processes (0 = all cores). ``timeout_s`` and ``max_pages`` bound
    time and memory per file (a PDF beyond ``max_pages`` is read up to the limit and flagged).
    ``pdf_engine``: ``pdfplumber`` (reference) or ``pypdfium2`` (fast, simpler layout).
    ``executor``: ``local`` (process pool) or ``dask`` (``scheduler`` address or a LocalCluster).
    """

    workers: int = 0
    timeout_s: float = 120.0
    max_pages: int = 2000
    max_file_mb: float = 200.0
    pdf_engine: str = "pdfplumber"
    use_manifest: bool = True
    cache: bool = True
    executor: str = "local"
    scheduler: str | None = None
    partition_size: int = 64
    ocr: bool = True
    ocr_dpi: int = 300


@dataclass
class PreprocessConfig:
    """spaCy preprocessing. ``models`` maps language to a trained pipeline name to use when it is
    installed; otherwise ``spacy.blank(lang)`` + sentencizer + lookup lemmatizer is used.
    ``max_sentence_chars``: longer "sentences" (tables, lists without punctuation) are split.
    """

    models: dict[str, str] = field(
        default_factory=lambda: {"en": "en_core_web_sm", "es": "es_core_news_sm"}
    )
    use_trained: bool = True
    batch_size: int = 32
    n_process: int = 1
    max_sentence_chars: int = 2000
    drop_stopwords_in_lemmas: bool = False


@dataclass
class AnalysisConfig:
    """The per-document stages (preprocess -> score -> actors), streamed (docs/scale.md).

    ``batch_documents``: documents per batch at most, and ``batch_chars`` characters of text
    at most (a batch closes at whichever comes first; a longer document is a batch of its
    own): each batch's sentence-level tables are appended to their Parquet files and
    released, so memory follows the batch (~50 bytes per character while it is processed),
    not the corpus. A batch as large as the corpus is the in-memory run; the tables are the
    same.
    ``cache``: keep each document's outputs under ``<out>/cache/analysis``, keyed by the
    document (doc_id, language, text), the stage's settings and the framelens version, so a
    re-run redoes only new or changed documents (a new lexicon re-scores, nothing else).
    """

    batch_documents: int = 250
    batch_chars: int = 2_000_000
    cache: bool = True


@dataclass
class OutputsConfig:
    """Table formats. ``csv``: ``tables`` writes CSV (beside Parquet) for document-level and
    group-level tables only, ``all`` also for the sentence-level tables (sentences,
    sentence_frames, matches, actors, frame_predictions, relevance), which are large."""

    csv: str = "tables"


@dataclass
class LexiconConfig:
    """Framing lexicon. ``version``: a folder under ``lexicons/framing`` (``latest`` = highest).
    ``negation_window``: tokens before a hit searched for a negator. ``count_negated``: whether a
    negated hit counts towards frame totals (default True: the codebook says a negated frame is
    still evoked; negation is recorded in the match table either way).
    """

    version: str = "latest"
    negation_window: int = 3
    count_negated: bool = True
    gold: str | None = None  # default: ../shared/validation/gold_sentences.csv when present
    n_boot: int = 1000
    #: which instrument predicts frames for the corrected prevalence: "auto" (the one that
    #: validates better out of sample, docs/instruments.md), "lexicon" or "classifier"
    instrument: str = "auto"


@dataclass
class PrevalenceConfig:
    """Frame prevalence, naive and design-corrected (docs/measurement.md).

    ``design_sample``: a coded probability sample of the run's sentences (the format of
    ``../shared/validation/design_sample.csv``); None looks for ``design_sample.csv`` beside the
    gold file. ``min_coded``: groups with fewer coded units are flagged ``unstable``.
    ``coded_resampling``: ``bayes`` (stratified Bayesian bootstrap with ``pseudo_count``
    pseudo-units per stratum) or ``raowu`` (Rao-Wu rescaling bootstrap).
    """

    enabled: bool = True
    design_sample: str | None = None
    n_boot: int = 2000
    min_coded: int = 30
    relevance_version: str = "latest"
    coded_resampling: str = "bayes"
    pseudo_count: float = 0.5


@dataclass
class VersionsConfig:
    """Near-duplicate document versions (docs/versions_and_ocr.md): documents of one country and
    language whose word ``shingle``-grams overlap with exact Jaccard >= ``threshold`` form a
    version group; with ``one_per_group`` the analysis keeps one document per group (``keep``:
    latest | earliest | longest) and the documents table still lists every document.
    """

    enabled: bool = True
    threshold: float = 0.8
    shingle: int = 7
    keep: str = "latest"
    num_perm: int = 128
    one_per_group: bool = True


@dataclass
class TopicsConfig:
    """Topic models: ``engine`` lda (gensim, single-core, reproducible) or nmf (scikit-learn).
    ``k``: number of topics, or None to use the selection rule over ``k_grid``.
    """

    engine: str = "lda"
    k: int | None = 8
    k_grid: list[int] = field(default_factory=lambda: [4, 6, 8, 10, 12])
    n_seeds: int = 3
    seeded: bool = True
    seeds_version: str = "latest"
    min_df: int = 2
    max_df: float = 0.5
    max_vocab: int = 5000
    bigrams: bool = False
    passes: int = 10
    iterations: int = 100
    unit: str = "document"
    n_boot: int = 500
    enabled: bool = True
    # added by the topic stage (framelens.models; docs/topics.md)
    min_n: int = 5  # prevalence groups with fewer documents are flagged small_n
    ci: float = 0.95  # prevalence interval level
    n_top_terms: int = 20  # rows per topic in topics.csv
    alpha: str = "symmetric"  # LDA document-topic prior
    seed_strength: float = 1.0  # seed pseudo-counts as a multiple of the term's corpus count
    extra_stopwords: list[str] = field(default_factory=list)
    selection_engines: list[str] = field(default_factory=lambda: ["lda", "nmf"])
    selection_rule: str = "frontier"  # frontier | coherence | npmi | stability | fixed
    # `framelens run` also writes the selection diagnostics over k_grid when k is fixed
    run_selection: bool = True
    min_stability: float = 0.6
    # above this many units (documents, or sentences with unit: sentence) a language's model
    # is fitted on a streamed corpus (gensim online LDA in chunks; MiniBatchNMF for NMF)
    stream_above: int = 20000
    stream_chunk: int = 2000


@dataclass
class CompareConfig:
    """Statistics: bootstrap replicates, permutation count, minimum n per group, weighting."""

    n_boot: int = 2000
    n_perm: int = 2000
    min_n: int = 5
    cluster: str | None = None  # e.g. "issuer" for a cluster bootstrap
    weighting: str = "document"  # or "tokens"
    ci: float = 0.95
    time_freq: str = "auto"  # "M", "Q" or "auto" (quarterly where sparse)
    # fewest frame hits (H + S) for a document's framing index in a document-weighted mean:
    # with 1 hit the index is exactly -1 or +1, with 3 one frame has a majority (docs/statistics.md)
    min_index_hits: int = 3
    #: equivalence margins of the verdicts (TOST, docs/statistics.md): a difference whose
    #: interval lies within (-m, m) is "equivalent"; framing-index units, and shares of
    #: sentences for the corrected prevalence
    equivalence_margin: float = 0.1
    equivalence_margin_prevalence: float = 0.05


# ---------------------------------------------------------------- gathering (framelens collect)
#: The contact placeholder of the default user agent; a run that still uses it is told to set it.
CONTACT_PLACEHOLDER = "set-your-contact@example.org"
#: Names the tool and a contact, as robots.txt etiquette asks; pass --user-agent to set yours.
DEFAULT_USER_AGENT = f"framelens/0.1 (research corpus collector; contact: {CONTACT_PLACEHOLDER})"


@dataclass
class CollectConfig:
    """Settings of ``framelens collect``.

    Parameters
    ----------
    user_agent : str
        Sent with every request and matched against robots.txt groups (its first token,
        ``framelens``, names the group). Put a way to reach you in it.
    delay : float, default 1.0
        Seconds between two requests to one host (robots.txt ``Crawl-delay`` raises it).
    connect_timeout, read_timeout : float
        Seconds to connect, and to wait for each chunk of the response.
    total_timeout : float, default 300.0
        Seconds one download may take in all (a server that drips bytes is cut off).
    max_bytes : int, default 100 MiB
        Largest body kept; a larger download is stopped and recorded as a failure.
    max_redirects : int, default 10
        Redirects followed per URL; a loop is detected and recorded at once.
    retries : int, default 3
        Retries after a 429, a 5xx, a timeout or a dropped connection.
    backoff : float, default 2.0
        Seconds before the first retry; doubled at each retry. A ``Retry-After`` header that
        asks for longer is honoured.
    max_wait : float, default 300.0
        Longest wait accepted (Retry-After, Crawl-delay, backoff); a server asking for longer
        is recorded as a failure for that URL.
    checkpoint_seconds : float, default 5.0
        How often manifest.csv and collect_log.csv are rewritten during a run.
    """

    user_agent: str = DEFAULT_USER_AGENT
    delay: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0
    max_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 3
    backoff: float = 2.0
    max_wait: float = 300.0
    checkpoint_seconds: float = 5.0

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict (for run records)."""
        return asdict(self)

    def uses_placeholder_contact(self) -> bool:
        """True while the user agent still carries the contact placeholder."""
        return CONTACT_PLACEHOLDER in self.user_agent

    def validate(self) -> CollectConfig:
        """Check every value; raise ``ConfigError`` (E003) naming the first bad one."""

        def bad(key: str, value: Any, reason: str) -> None:
            raise ConfigError(Errors.E003.format(key=f"collect.{key}", value=value, reason=reason))

        ua = self.user_agent
        if not isinstance(ua, str) or not ua.strip() or not ua.isprintable():
            bad("user_agent", ua, "must be one line of printable text naming you")
        for key in ("delay", "backoff"):
            if getattr(self, key) < 0:
                bad(key, getattr(self, key), "must be >= 0 seconds")
        for key in ("connect_timeout", "read_timeout", "total_timeout", "max_wait"):
            if getattr(self, key) <= 0:
                bad(key, getattr(self, key), "must be > 0 seconds")
        if self.checkpoint_seconds < 0:
            bad("checkpoint_seconds", self.checkpoint_seconds, "must be >= 0 seconds")
        if self.max_bytes < 1024:
            bad("max_bytes", self.max_bytes, "must be at least 1024 bytes")
        if not 0 <= self.max_redirects <= 50:
            bad("max_redirects", self.max_redirects, "must be between 0 and 50")
        if not 0 <= self.retries <= 20:
            bad("retries", self.retries, "must be between 0 and 20")
        return self


@dataclass
class RunConfig:
    """The whole run. ``corpus`` None means the built-in demo corpus."""

    seed: int = 12345
    corpus: str | None = None
    manifest: str | None = None
    out: str = "outputs"
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    preprocess: PreprocessConfig = field(default_factory=PreprocessConfig)
    lexicon: LexiconConfig = field(default_factory=LexiconConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    prevalence: PrevalenceConfig = field(default_factory=PrevalenceConfig)
    versions: VersionsConfig = field(default_factory=VersionsConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    outputs: OutputsConfig = field(default_factory=OutputsConfig)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> RunConfig:
        cfg = cls()
        _merge(cfg, data or {}, source, "run")
        cfg.validate()
        return cfg

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> RunConfig:
        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(Errors.E001.format(path=p, reason=exc)) from exc
        if not isinstance(data, dict):
            raise ConfigError(Errors.E001.format(path=p, reason="top level is not a mapping"))
        return cls.from_dict(data, source=str(p))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def replace(self, **changes: Any) -> RunConfig:
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ validation
    def validate(self) -> RunConfig:
        def bad(key: str, value: Any, reason: str) -> None:
            raise ConfigError(Errors.E003.format(key=key, value=value, reason=reason))

        if not isinstance(self.seed, int) or self.seed < 0:
            bad("seed", self.seed, "must be a non-negative integer")
        e = self.extract
        if e.workers < 0:
            bad("extract.workers", e.workers, "must be >= 0 (0 = all cores)")
        if e.timeout_s <= 0:
            bad("extract.timeout_s", e.timeout_s, "must be > 0 seconds")
        if e.max_pages < 1:
            bad("extract.max_pages", e.max_pages, "must be >= 1")
        if e.pdf_engine not in ("pdfplumber", "pypdfium2"):
            bad("extract.pdf_engine", e.pdf_engine, "use 'pdfplumber' or 'pypdfium2'")
        if e.executor not in ("local", "dask"):
            raise ConfigError(Errors.E012.format(value=e.executor))
        if self.lexicon.instrument not in ("auto", "lexicon", "classifier"):
            bad(
                "lexicon.instrument",
                self.lexicon.instrument,
                "use 'auto', 'lexicon' or 'classifier'",
            )
        p = self.prevalence
        if p.coded_resampling not in ("bayes", "raowu"):
            bad("prevalence.coded_resampling", p.coded_resampling, "use 'bayes' or 'raowu'")
        if p.min_coded < 1 or p.n_boot < 100 or p.pseudo_count < 0:
            bad(
                "prevalence",
                (p.min_coded, p.n_boot, p.pseudo_count),
                "min_coded >= 1, n_boot >= 100, pseudo_count >= 0",
            )
        v = self.versions
        if (
            not 0 < v.threshold <= 1
            or v.shingle < 1
            or v.keep not in ("latest", "earliest", "longest")
        ):
            bad(
                "versions",
                (v.threshold, v.shingle, v.keep),
                "threshold in (0, 1], shingle >= 1, keep latest|earliest|longest",
            )
        if self.lexicon.negation_window < 0:
            bad("lexicon.negation_window", self.lexicon.negation_window, "must be >= 0")
        t = self.topics
        if t.engine not in ("lda", "nmf"):
            bad("topics.engine", t.engine, "use 'lda' or 'nmf'")
        if t.k is not None and t.k < 2:
            bad("topics.k", t.k, "must be >= 2 or null (choose by selection)")
        if not t.k_grid or any(k < 2 for k in t.k_grid):
            bad("topics.k_grid", t.k_grid, "must be a non-empty list of integers >= 2")
        if not 0 < t.max_df <= 1:
            bad("topics.max_df", t.max_df, "must be a proportion in (0, 1]")
        self._validate_scale(bad)
        c = self.compare
        if c.weighting not in ("document", "tokens"):
            bad("compare.weighting", c.weighting, "use 'document' or 'tokens'")
        if not 0.5 < c.ci < 1:
            bad("compare.ci", c.ci, "must be in (0.5, 1)")
        if c.n_boot < 100 or c.n_perm < 100:
            bad("compare.n_boot/n_perm", (c.n_boot, c.n_perm), "use at least 100 replicates")
        if c.time_freq not in ("auto", "M", "Q"):
            bad("compare.time_freq", c.time_freq, "use 'auto', 'M' or 'Q'")
        if not isinstance(c.min_index_hits, int) or c.min_index_hits < 1:
            bad("compare.min_index_hits", c.min_index_hits, "must be an integer >= 1")
        if not (0 < c.equivalence_margin <= 2 and 0 < c.equivalence_margin_prevalence <= 1):
            bad(
                "compare.equivalence_margin/_prevalence",
                (c.equivalence_margin, c.equivalence_margin_prevalence),
                "margins must be positive (at most 2 for the index, 1 for shares)",
            )
        return self

    def _validate_scale(self, bad) -> None:
        """The checks of the streaming settings (analysis, outputs, topic streaming)."""
        a, t = self.analysis, self.topics
        for name in ("batch_documents", "batch_chars"):
            value = getattr(a, name)
            if not isinstance(value, int) or value < 1:
                bad(f"analysis.{name}", value, "must be an integer >= 1")
        if self.outputs.csv not in ("tables", "all"):
            bad("outputs.csv", self.outputs.csv, "use 'tables' or 'all'")
        if t.stream_above < 1 or t.stream_chunk < 1:
            bad("topics.stream_*", (t.stream_above, t.stream_chunk), "must be >= 1")

    def n_workers(self) -> int:
        return self.extract.workers or (os.cpu_count() or 1)


def _merge(obj: Any, data: dict[str, Any], source: str, section: str) -> None:
    known = {f.name: f for f in fields(obj)}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(
                Errors.E002.format(key=key, path=source, section=section, known=", ".join(known))
            )
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(
                    Errors.E003.format(
                        key=f"{section}.{key}", value=value, reason="expected a mapping"
                    )
                )
            _merge(current, value, source, key)
        else:
            setattr(obj, key, value)
