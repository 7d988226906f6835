"""Stage 3: the framing lexicon, matching and scoring, actors, validation against hand codes.

Modules: ``lexicon`` (load and check a lexicon version), ``matching`` (token trie and the scan
for hits), ``kwic`` (hit text in context), ``documents`` (sentence languages, document
metadata), ``scoring`` (``score_frames``: the four frame tables), ``actors``, ``validation``.
"""

from framelens.analysis.framing.actors import find_actors, load_actors
from framelens.analysis.framing.lexicon import (
    Lexicon,
    available_versions,
    build_lexicon,
    load_lexicon,
)
from framelens.analysis.framing.scoring import FrameScores, score_frames
from framelens.analysis.framing.validation import LexiconValidation, split_gold, validate_lexicon

__all__ = [
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
