"""Stage 3: the framing lexicon, matching and scoring, actors, validation against hand codes.

Modules: ``lexicon`` (load and check a lexicon version), ``matching`` (token trie and the scan
for hits), ``kwic`` (hit text in context), ``documents`` (sentence languages, document
metadata), ``scoring`` (``score_frames``: the four frame tables), ``actors``, ``validation``.
"""

from framelens.analysis.framing.actors import find_actors, load_actors
from framelens.analysis.framing.classifier import (
    FrameClassifier,
    FrameClassifierCV,
    LexiconSeededClassifier,
)
from framelens.analysis.framing.classifier_predictions import (
    classifier_frame_predictions,
    instrument_for_run,
    lexicon_frame_predictions,
)
from framelens.analysis.framing.classifier_validation import (
    InstrumentComparison,
    choose_instrument,
    compare_instruments,
    evaluate_instruments,
)
from framelens.analysis.framing.coding import (
    CodingSample,
    SampleDesign,
    adjudication_sheet,
    agreement_table,
    merge_codes,
    nominal_alpha,
    sample_units,
)
from framelens.analysis.framing.design import (
    default_design_sample,
    load_design_sample,
    match_design_sample,
)
from framelens.analysis.framing.lexicon import (
    Lexicon,
    available_versions,
    build_lexicon,
    load_lexicon,
)
from framelens.analysis.framing.relevance import mark_relevance
from framelens.analysis.framing.scoring import FrameScores, score_frames
from framelens.analysis.framing.validation import LexiconValidation, split_gold, validate_lexicon

__all__ = [
    "FrameClassifier",
    "FrameClassifierCV",
    "LexiconSeededClassifier",
    "classifier_frame_predictions",
    "instrument_for_run",
    "lexicon_frame_predictions",
    "InstrumentComparison",
    "choose_instrument",
    "compare_instruments",
    "evaluate_instruments",
    "CodingSample",
    "SampleDesign",
    "adjudication_sheet",
    "agreement_table",
    "merge_codes",
    "nominal_alpha",
    "sample_units",
    "default_design_sample",
    "load_design_sample",
    "match_design_sample",
    "mark_relevance",
    "FrameScores",
    "Lexicon",
    "LexiconValidation",
    "available_versions",
    "build_lexicon",
    "find_actors",
    "load_actors",
    "load_lexicon",
    "score_frames",
    "split_gold",
    "validate_lexicon",
]
