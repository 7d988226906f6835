"""framelens.analysis: the text (stage 2), framing (stage 3) and statistics (stage 5) layers.

``analysis.text`` < ``analysis.framing`` < ``models`` < ``analysis.stats`` in the import
order (docs/architecture.md). The stage functions are re-exported here for notebooks.
"""

from framelens.analysis.framing import (
    FrameScores,
    Lexicon,
    LexiconValidation,
    available_versions,
    build_lexicon,
    find_actors,
    load_actors,
    load_lexicon,
    score_frames,
    split_gold,
    validate_lexicon,
)
from framelens.analysis.stats import ComparisonResult, compare
from framelens.analysis.text import load_nlp, preprocess

__all__ = [
    "ComparisonResult",
    "FrameScores",
    "Lexicon",
    "LexiconValidation",
    "available_versions",
    "build_lexicon",
    "compare",
    "find_actors",
    "load_actors",
    "load_lexicon",
    "load_nlp",
    "preprocess",
    "score_frames",
    "split_gold",
    "validate_lexicon",
]
