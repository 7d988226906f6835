# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 · framelens stage by stage on the demo corpus
#
# This notebook calls each public stage of framelens on its own, on the built-in synthetic demo
# corpus, and shows the table each stage returns. It defines no logic of its own: everything
# comes from the package, so a reviewer can rebuild every number with the same calls.
# The demo documents are synthetic: the numbers illustrate the method, not any government.

# %%
import tempfile
from pathlib import Path

from framelens.analysis import find_actors, load_lexicon, preprocess, score_frames
from framelens.analysis.stats import compare
from framelens.core.config import RunConfig
from framelens.corpus import extract
from framelens.demo import write_demo_corpus
from framelens.models import fit_topics

SEED = 12345
config = RunConfig(seed=SEED)
config.topics.k = 6
config.topics.n_seeds = 2
config.topics.passes = 5
config.topics.n_boot = 200
work = Path(tempfile.mkdtemp(prefix="framelens-nb-"))

# %% [markdown]
# ## 1. Extract: one row per file, with metadata and administration

# %%
corpus = write_demo_corpus(work / "demo")
documents = extract(corpus, config=config.extract, progress=False)
documents[
    ["doc_id", "format", "country", "language", "date", "administration", "n_chars", "status"]
]

# %% [markdown]
# ## 2. Preprocess: sentences with lemmas (spaCy)

# %%
sentences = preprocess(documents, config.preprocess)
print(len(sentences), "sentences")
sentences.head()

# %% [markdown]
# ## 3. Frame scoring with the versioned lexicon

# %%
lexicon = load_lexicon(config.lexicon.version)
scores = score_frames(sentences, lexicon, documents=documents, config=config.lexicon)
print("lexicon version", lexicon.version)
scores.frame_scores[
    ["doc_id", "administration", "hits_humanitarian", "hits_security", "framing_index"]
].head()

# %% [markdown]
# Every hit can be read in its context (keyword in context):

# %%
scores.matches[["doc_id", "frame", "subframe", "left", "matched", "right", "negated"]].head(10)

# %%
actors = find_actors(sentences, scores.sentence_frames, documents=documents)
actors.groupby("actor").size().sort_values(ascending=False).head(10)

# %% [markdown]
# ## 4. Topics per language, seeded themes comparable across languages

# %%
topics = fit_topics(sentences, documents, config.topics, SEED)
topics.topic_prevalence.head(12)

# %% [markdown]
# ## 5. Compare administrations with bootstrap intervals and permutation tests

# %%
result = compare(
    scores.frame_scores,
    "framing_index",
    by=("country", "administration"),
    n_boot=500,
    n_perm=500,
    min_n=3,
    seed=SEED,
)
print(result.summary())

# %%
result.differences
