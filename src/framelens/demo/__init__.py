"""The built-in demo corpus: small, synthetic, clearly labelled, written at run time.

``write_demo_corpus(folder)`` writes 24 short documents (PDF made with fpdf2, and HTML) in
English and Spanish, attributed to US and Mexican issuers across six administrations, plus a
``manifest.csv``. Every document says in its title and first line that it is synthetic: the
sentences are composed from a small bank of typical official phrasings so that the pipeline has
humanitarian, security and cooperation language to measure. Nothing is downloaded, and the
output is byte-identical on every call (fixed seed, fixed PDF metadata).

It is a demonstration and a smoke test, not evidence about any government.
"""

from framelens.demo.writer import DEMO_DOCUMENTS, write_demo_corpus

__all__ = ["DEMO_DOCUMENTS", "write_demo_corpus"]
