"""Every user-facing message of framelens, each with a code, in one place (after spaCy's errors.py).

A message says what went wrong, names the file when there is one, and says what to do.
Use ``Errors.E001.format(...)`` to build one and raise one of the exception classes below.
User-facing messages (``E...``) carry their code in front, as spaCy's do: ``Errors.E004``
reads "[E004] Corpus folder ... does not exist. ...", so a user can quote it and look it up in
the README. Per-file reasons (``W1..``) are recorded verbatim in the documents table's
``error`` column (one line each, no code), and so are stage failures in ``run.json``.

Exit codes of the CLI (documented in the README):

- ``EXIT_OK`` (0): every file was read.
- ``EXIT_QUARANTINE`` (3): the run finished and wrote everything, but some files were quarantined
  (status ``empty`` or ``error``); see ``tables/quarantine.csv``.
- ``EXIT_CONFIG`` (2): a configuration or usage error; nothing was run.
- ``EXIT_LOCKED`` (4): another run holds the output folder's lock.
- ``EXIT_FAILURE`` (1): an unexpected internal error (a bug: please report it with run.json).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CONFIG = 2
EXIT_QUARANTINE = 3
EXIT_LOCKED = 4


class _WithCodes(type):
    """Metaclass: ``Errors.E001`` returns the message with ``[E001]`` in front."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code.startswith("E") and code[1:].isdigit():
            return f"[{code}] {msg}"
        return msg


class Errors(metaclass=_WithCodes):
    # configuration and usage
    E001 = "Config file {path} could not be read: {reason}. Check that it is valid YAML."
    E002 = "Config key '{key}' in {path} is unknown. Known keys in [{section}]: {known}."
    E003 = "Config value {key}={value!r} is invalid: {reason}."
    E004 = "Corpus folder {path} does not exist. Pass an existing folder with --corpus DIR."
    E005 = "Manifest {path} could not be read: {reason}. It must be a CSV with at least a 'file' column."
    E006 = "Manifest {path} has no 'file' column. Add one with paths relative to the manifest."
    E007 = "No documents found under {path}. Supported types: .pdf, .html, .htm, .txt."
    E008 = (
        "Output folder {path} is locked by another framelens run (pid {pid}, started {started}). "
        "Wait for it to finish, or remove {lock} if that process no longer exists."
    )
    E009 = (
        "Package data {kind} version {version} not found; available: {available}. "
        "Use one of these (or 'latest') in the config."
    )
    E010 = "Gold file {path} not found. Pass one with --gold CSV (columns: sent_id, language, text, humanitarian, security)."
    E011 = "Table {name} is missing from {path}. Run `framelens run --out {path}` first."
    E012 = "Unknown executor {value!r}: use 'local' or 'dask'."
    # topic models (framelens.models)
    E013 = "No readable documents in language {language!r} for the topic model. Check the documents table (status ok, language en|es)."
    E014 = "Topic vocabulary for {language!r} is empty after pruning ({n_docs} documents, min_df={min_df}, max_df={max_df}). Lower topics.min_df or raise topics.max_df."
    E015 = "topics.k={k} is smaller than the {n_themes} seeded themes. Use k >= {n_themes} or set topics.seeded: false."
    E016 = "Topic seed version {version} not found; available: {available}."
    E017 = "topics.{key}={value!r} is not supported: {reason}."
    E018 = "Intrusion sheet {sheet} does not match its key {key}: {reason}."
    # preprocessing, lexicon, validation (framelens.analysis)
    E019 = "spaCy pipeline for {lang!r} could not be built: {reason}. Install spacy-lookups-data (pip install -e .) or a trained pipeline."
    E020 = "Lexicon file {path} is invalid: {reason}."
    E021 = "score_frames needs a language for every sentence: {n} sentences have none. Pass the documents table or a 'language' column (en|es)."
    E022 = "Gold file {path} lacks columns {missing}. It needs sent_id, language, text, humanitarian, security."
    # comparison statistics (framelens.analysis.stats)
    E023 = "{what}: column(s) {missing} not in the table. Its columns: {columns}."
    E024 = "{what}: ci={ci} is not an interval level; use a value between 0.5 and 1 (e.g. 0.95)."
    E025 = "{what}: no measure given. Pass a column name or a list of them, e.g. 'framing_index'."
    E026 = "{what}: {key}={value!r} is not supported; use one of {allowed}."
    E027 = "{what} does not take option(s) {names}; its options: {known}."
    E028 = "{what} needs a seed: pass seed=<int> (or settings=StatsSettings(seed=...))."
    E029 = "{what}: the table has none of the columns {expected}. Pass the per-document cooccurrence table of the framing stage."

    # measurement: design sample, relevance (framelens.analysis.framing, analysis.stats)
    E030 = (
        "Design sample {path} not found. Pass a coded probability sample with --design-sample FILE "
        "(the format of design_sample.csv, see docs/measurement.md), or leave the option out to "
        "report the instrument's uncorrected shares only."
    )
    E031 = "Design sample {path} is invalid: {reason}. {fix}"
    E032 = (
        "Relevance term list {path} is invalid: {reason}. Columns: term, category "
        "(relevant|children|both), match (lemma|token|acronym), note."
    )
    E033 = (
        "mark_relevance needs a language for every sentence: {n} sentences have none. Pass the "
        "documents table (doc_id, language) or a 'language' column (en|es)."
    )
    # hand coding: framelens gold sample / agree / merge (framelens.analysis.framing.coding)
    E040 = "{role} {path} lacks columns {missing}. Keep the columns of the sheet written by `framelens gold {command}` ({needed}), or start again from a fresh copy."
    E041 = "{role} {path} repeats unit_id {unit} (rows {rows}; the header is row 1). Each unit appears once: delete the extra rows."
    E042 = "{role} {path}, row {row}: unit_id is empty. Copy it back from the sheet written by framelens."
    E043 = "{role} {path}, row {row} (unit {unit}): {problem}{more}. Write 1 (frame present) or 0 (absent) in every row of the columns {labels}."
    E044 = "{path} already holds a different sample. Coders may be coding it: pass another --out folder, or --overwrite to replace it."
    E045 = "{role_a} {path_a} and {role_b} {path_b} hold different units: {n_a} only in the first (e.g. {ex_a}), {n_b} only in the second (e.g. {ex_b}). Code every row of the sheet written by `framelens gold sample`; add or delete none."
    E046 = "Adjudication sheet {path}: {n} disagreements have no adjudicated code, e.g. unit {unit} ({row}) lacks {label}. Write 0 or 1 in the columns humanitarian and security of every row."
    E047 = "The coders disagree on {n} units but no adjudication sheet was given. Run `framelens gold agree A B --out DIR`, fill DIR/adjudication.csv and pass it with --adjudicated FILE."
    E048 = "Adjudication sheet {path} holds {n} units that are not in the sample (e.g. {ex}). Use the adjudication.csv that `framelens gold agree` wrote for these two coding sheets."
    E049 = "No sentences to sample in the run {path}: {reason}. Run `framelens run --out {path}` on a corpus with dated English or Spanish documents first."
    E050 = "The stratum sizes (--sizes) do not match the run's strata: {problem}. Strata of this run: {known}. List each once with n >= 1 (columns stratum, n)."
    E051 = "{role} {path} could not be read: {reason}. Save it as CSV (UTF-8) from the spreadsheet."
    E052 = "No sample sheet for the merge (looked for {name} in {places}). Pass the sample.csv written by `framelens gold sample` with --sample FILE."

    # framelens compare on a user's table (framelens.pipeline.compare)
    E060 = "Input table {path} could not be read: {reason}. Pass a CSV or Parquet file with a header row and one row per document (--input FILE)."
    E061 = "{what}: column {column!r} holds {n} value(s) that are not numbers, e.g. {examples} (rows {rows}; the header is row 1). Write numbers (leave a missing value empty) or pass another --value column."

    # per-file extraction reasons (one line each, recorded in the documents table)
    W101 = "file not found"
    W102 = "empty file (0 bytes)"
    W103 = "not a PDF (no %PDF header; looks like {kind})"
    W104 = "corrupt or truncated PDF: {reason}"
    W105 = "encrypted PDF (password required)"
    W106 = "no text layer (scanned?)"
    W107 = "no main text found in HTML page"
    W108 = "binary content in a text/HTML file (looks like {kind})"
    W109 = "unsupported file type {suffix}; supported: .pdf, .html, .htm, .txt"
    W110 = "duplicate content: same sha256 as {other}"
    W111 = "manifest path outside the corpus folder refused: {file}"
    W112 = "extraction timed out after {seconds:.0f} s"
    W113 = "PDF has {n} pages, more than the page limit {limit}; first {limit} pages read"
    W114 = "could not decode text: {reason}"
    W115 = "extraction failed: {reason}"
    W116 = "declared language {declared} disagrees with detected {detected}"
    W117 = "no date found: administration unknown"
    W118 = "file too large ({mb:.1f} MB > extract.max_file_mb {limit:g} MB); not read"
    W119 = "manifest {manifest} row {row} has an empty 'file' column"
    W120 = "scanned: no text layer (install tesseract-ocr and tesseract-ocr-spa to OCR it)"
    W121 = "scanned: OCR found no text on {n} page(s) ({engine})"


class FramelensError(Exception):
    """Base class of framelens errors that the CLI reports without a traceback."""

    exit_code = EXIT_FAILURE


class ConfigError(FramelensError):
    """A configuration or usage error (exit code 2)."""

    exit_code = EXIT_CONFIG


class LockedError(FramelensError):
    """The output folder is locked by another run (exit code 4)."""

    exit_code = EXIT_LOCKED


class ExtractionError(FramelensError):
    """A single file could not be extracted; carries the one-line reason recorded for it."""

    def __init__(self, reason: str, status: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.status = status
