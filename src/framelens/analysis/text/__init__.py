"""Stage 2: spaCy preprocessing, documents -> sentences (``preprocess``), locally or on dask."""

from framelens.analysis.text.preprocess import lemmatize_terms, load_nlp, preprocess

__all__ = ["lemmatize_terms", "load_nlp", "preprocess"]
