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
