"""Gather a corpus from the web: ``collect_corpus(sources, out_dir)`` (``framelens collect``).

Polite (robots.txt, a per-host delay, retries with backoff honouring Retry-After, timeouts,
a size limit), resumable (kill it and run it again) and traceable (``manifest.csv`` with the
URL, time, status and hash of every file, ``collect_log.csv`` with every outcome). The
manifest has the columns ``framelens run`` reads, so ``framelens run --corpus DIR`` works on
the folder as it is. See docs/collect.md.

Modules: ``config`` (``CollectConfig``), ``sources`` (URL lists; sitemaps, feeds and pages
expanded into targets), ``feeds`` (sitemap/RSS/Atom parsing), ``links`` (``--follow``),
``robots`` (robots.txt rules), ``client`` (the polite HTTP client), ``naming`` (safe file
names), ``store`` (files and the two tables), ``state`` (lock, journal, resume), ``run``.
"""

from __future__ import annotations

from framelens.corpus.collect.client import Fetched, FetchError, PoliteClient
from framelens.corpus.collect.config import CONTACT_PLACEHOLDER, DEFAULT_USER_AGENT, CollectConfig
from framelens.corpus.collect.feeds import XmlSource, parse_xml_source
from framelens.corpus.collect.links import page_links
from framelens.corpus.collect.naming import file_name_for
from framelens.corpus.collect.run import CollectResult, collect_corpus
from framelens.corpus.collect.sources import Target, read_url_list

__all__ = [
    "CONTACT_PLACEHOLDER",
    "DEFAULT_USER_AGENT",
    "CollectConfig",
    "CollectResult",
    "FetchError",
    "Fetched",
    "PoliteClient",
    "Target",
    "XmlSource",
    "collect_corpus",
    "file_name_for",
    "page_links",
    "parse_xml_source",
    "read_url_list",
]
