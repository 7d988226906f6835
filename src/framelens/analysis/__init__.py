"""framelens.analysis: preprocessing, the framing lexicon, scoring, actors, validation (stages 2-3).

Each import line below is one module; later stages add their own lines.
"""

from framelens.analysis.actors import find_actors, load_actors
from framelens.analysis.lexicon import Lexicon, available_versions, build_lexicon, load_lexicon
from framelens.analysis.preprocess import load_nlp, preprocess
from framelens.analysis.scoring import FrameScores, score_frames
from framelens.analysis.validation import LexiconValidation, split_gold, validate_lexicon

__all__ = [
    "FrameScores",
    "Lexicon",
    "LexiconValidation",
    "available_versions",
    "build_lexicon",
    "find_actors",
    "load_actors",
    "load_lexicon",
    "load_nlp",
    "preprocess",
    "score_frames",
    "split_gold",
    "validate_lexicon",
]

from framelens.analysis.compare import ComparisonResult, compare  # noqa: E402, F401
