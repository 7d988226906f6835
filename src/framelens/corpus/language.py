"""Language identification with lingua: English, Spanish, or "other".

The detector knows English and Spanish plus four decoys (Portuguese, French, Italian, German).
Restricted to English and Spanish alone, lingua labels Portuguese or German text "es" with high
confidence; with the decoys such text is recognised and reported as "other". It runs in lingua's
low-accuracy (trigram) mode, which loads in a fraction of a second and is reliable on the
paragraph-length samples used here.

Rule (docs/corpus.md, "Language"): take up to three 2,000-character windows (start, middle,
end) of the text; with fewer than ``MIN_LETTERS`` letters the result is *uncertain* (None);
otherwise the most likely language is returned when its confidence is at least
``MIN_CONFIDENCE`` (mapped to "other" unless English or Spanish), and None (uncertain) when it
is not. The caller falls back to a declared language, then to "other", for uncertain results.
"""

from __future__ import annotations

import re

from framelens.core.domain import LANGUAGES

MIN_LETTERS = 100
MIN_CONFIDENCE = 0.80
WINDOW = 2000

_detector = None
_LETTER = re.compile(r"[^\W\d_]")


def _get_detector():
    global _detector
    if _detector is None:
        from lingua import Language, LanguageDetectorBuilder

        _detector = (
            LanguageDetectorBuilder.from_languages(
                Language.ENGLISH,
                Language.SPANISH,
                Language.PORTUGUESE,
                Language.FRENCH,
                Language.ITALIAN,
                Language.GERMAN,
            )
            .with_low_accuracy_mode()
            .build()
        )
    return _detector


def language_sample(text: str) -> str:
    """Up to three windows of ``WINDOW`` characters: start, middle, end."""
    if len(text) <= 3 * WINDOW:
        return text
    mid = len(text) // 2
    return "\n".join((text[:WINDOW], text[mid - WINDOW // 2 : mid + WINDOW // 2], text[-WINDOW:]))


def detect_language(text: str) -> tuple[str | None, float]:
    """Detect the language of ``text``: ``("en"|"es"|"other", confidence)`` or
    ``(None, confidence)`` when uncertain (too short, or confidence below the threshold).

    >>> detect_language("The Secretary of Homeland Security shall ensure that children " * 5)[0]
    'en'
    """
    sample = language_sample(text)
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None, 0.0
    values = _get_detector().compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    top = values[0]
    confidence = round(float(top.value), 4)
    if confidence < MIN_CONFIDENCE:
        return None, confidence
    code = top.language.iso_code_639_1.name.lower()
    return (code if code in LANGUAGES else "other"), confidence


def normalise_language_tag(tag: str | None) -> str | None:
    """ "es-MX" -> "es", "en_US" -> "en", "English" -> "en", "" -> None."""
    if not tag:
        return None
    tag = str(tag).strip().lower().replace("_", "-")
    if not tag:
        return None
    names = {"english": "en", "spanish": "es", "español": "es", "espanol": "es", "inglés": "en"}
    if tag in names:
        return names[tag]
    primary = tag.split("-")[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None
