"""framelens: humanitarian versus security framing in US and Mexican migration policy documents.

Stages (each a plain function over pandas DataFrames, callable alone from a notebook):

1. ``framelens.corpus.extract`` -> documents
2. ``framelens.analysis.text.preprocess`` -> sentences
3. ``framelens.analysis.framing.score_frames`` -> frame scores, matches, co-occurrence;
   ``framelens.analysis.stats.frame_prevalence`` -> naive and design-corrected prevalence
4. ``framelens.models.fit_topics`` -> topic model and tables
5. ``framelens.analysis.stats.compare`` / ``compare_all`` -> comparisons with intervals
6. ``framelens.outputs.write_all`` -> tables, figures, report, run.json

Layers and the tables between them: docs/architecture.md.
"""

__version__ = "0.2.0"

__all__ = ["__version__"]
