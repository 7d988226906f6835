"""The HTML report of a run: one self-contained page rebuilt from the run's tables and run.json.

``render_report(out_dir)`` reads only ``<out_dir>/tables/*`` and ``<out_dir>/run.json`` and
writes ``<out_dir>/report/index.html``, so ``framelens report --out DIR`` re-renders it without
recomputing anything. The page is self-contained: CSS inline, figures embedded as base64 PNG
(drawn from the tables by ``framelens.outputs.figures``), no scripts, no external requests (a
Content-Security-Policy forbids both). Jinja2 autoescaping is on, so document-derived text
(titles, paths, error messages, actor names, topic labels) is always escaped.

Every number in the page comes from a table or from run.json; the report only formats and
counts rows. The verdicts on the study's propositions come from the ``propositions`` table
(made by ``framelens.analysis.stats.propositions``). Optional tables that are missing (no topic
model, no gold sentences) are stated in a sentence.

One module per section, each formatting what it is given: ``corpus``, ``methods``,
``results``, ``propositions``, ``limitations``, ``embedded`` (figures); ``render`` reads the
tables and fills the template ``templates/report.html.j2``.

run.json keys read (all optional): framelens_version, git_commit, corpus, corpus_hash, seed,
config (RunConfig.to_dict()), lexicon_version, lexicon_gold, topics (dict: engine, k, ...),
n_documents, n_ok, n_quarantined, quarantine, stage_errors, packages, timestamps, timings.
"""

from framelens.outputs.report.propositions import proposition_sections
from framelens.outputs.report.render import TABLE_NAMES, build_context, render_report

__all__ = ["TABLE_NAMES", "build_context", "proposition_sections", "render_report"]
