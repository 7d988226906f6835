"""Test-only builders of ``documents`` and ``sentences`` tables from real shared-corpus files.

The production preprocessing lives elsewhere (framelens.analysis); this helper only reproduces
its output contract (doc_id, sent_id, start_char, end_char, text, lemmas, n_tokens) with
spacy.blank(lang) + sentencizer + lookup lemmatizer, so that the topic-model tests run on real
US and Mexican documents. Texts are truncated to ``max_chars`` to keep the tests fast.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from framelens.core.domain import administration_for

#: (country folder, doc_id) of the documents used by the topic tests: three US and two
#: Mexican administrations, transcripts (.txt), Federal Register HTML, one PDF per country and
#: one undated Mexican transcript (administration "unknown").
TOPIC_DOCS: list[tuple[str, str]] = [
    # US, Trump I (Federal Register HTML)
    ("us", "us-fr-20170201-executive-order-13769-protecting-the-nation-from"),
    ("us", "us-fr-20171027-executive-order-13815-resuming-the-united-states"),
    ("us", "us-fr-20200629-executive-order-13930-strengthening-the-child"),
    ("us", "us-fr-20200205-executive-order-13903-combating-human-trafficking"),
    ("us", "us-fr-20180625-executive-order-13841-affording-congress-an"),
    ("us", "us-fr-20170421-executive-order-13788-buy-american-and-hire"),
    # US, Biden (White House transcripts)
    ("us", "us-wh-20210120-preserving-and-fortifying-deferred-action-for"),
    ("us", "us-wh-20210202-remarks-by-president-biden-at-signing-of"),
    ("us", "us-wh-20210430-a-proclamation-on-the-suspension-of-entry-as"),
    ("us", "us-wh-20210909-background-press-call-on-the-u-s-mexico-high"),
    ("us", "us-wh-20211118-remarks-by-president-biden-and-president-l-pez"),
    ("us", "us-wh-20220419-report-on-the-u-s-strategy-for-addressing-the"),
    ("us", "us-wh-20240503-fact-sheet-biden-harris-administration-expands"),
    ("us", "us-wh-20240604-background-press-call-by-senior-administration"),
    # US, Trump II (transcripts + one PDF)
    ("us", "us-wh-20250122-fact-sheet-president-donald-j-trump-declares-a"),
    ("us", "us-wh-20250129-expanding-migrant-operations-center-at-naval"),
    ("us", "us-wh-20250415-fact-sheet-president-donald-j-trump-prevents"),
    ("us", "us-wh-20250902-icymi-trump-seizes-victory-in-border-wall-fight"),
    ("us", "us-wh-20260223-president-trump-honors-angel-families-remembers"),
    ("us", "us-wh-20260326-america-first-in-action-u-s-records-net-negative"),
    ("us", "us-fr-20250130-executive-order-14165-securing-our-borders"),
    # MX, López Obrador
    ("mx", "mx-presidencia-20190906-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20191111-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20200129-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20210116-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20211221-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20240416-cumbre-extraordinaria-de-jefas-y-jefes"),
    ("mx", "mx-presidencia-20190911-conferencia-matutina"),
    ("mx", "mx-diputados-20220218-ley-sobre-refugiados-proteccion-complementaria"),
    # MX, Sheinbaum
    ("mx", "mx-presidencia-20241223-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20241227-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20250121-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20250204-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20250718-conferencia-de-prensa"),
    ("mx", "mx-presidencia-20260814-conferencia-de-prensa"),
    # MX, undated
    ("mx", "mx-presidencia-nd-ceremonia-de-reconocimiento-por-parte"),
]

_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def read_text(path: Path, fmt: str, max_chars: int) -> str:
    """Plain text of a .txt (front matter dropped), .html (tags stripped) or .pdf (pdfplumber,
    first pages only)."""
    if fmt == "pdf":
        import pdfplumber

        parts: list[str] = []
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[:6]:
                parts.append(page.extract_text() or "")
                if sum(map(len, parts)) > max_chars:
                    break
        text = "\n".join(parts)
    else:
        raw = path.read_bytes().replace(b"\x00", b"").decode("utf-8", errors="replace")
        text = _FRONT.sub("", raw) if fmt == "txt" else html.unescape(_TAG.sub(" ", raw))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip()[:max_chars]


@lru_cache(maxsize=2)
def _nlp(lang: str):
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.max_length = 2_000_000
    return nlp


def sentences_of(doc_id: str, text: str, lang: str) -> list[dict]:
    """Rows of the sentences table for one document."""
    rows = []
    doc = _nlp(lang)(text)
    for i, sent in enumerate(doc.sents):
        toks = [t for t in sent if not (t.is_punct or t.is_space)]
        lemmas = " ".join(t.lemma_.lower() for t in toks)
        if not toks:
            continue
        rows.append(
            {
                "doc_id": doc_id,
                "sent_id": i,
                "start_char": sent.start_char,
                "end_char": sent.end_char,
                "text": sent.text,
                "lemmas": lemmas,
                "n_tokens": len(toks),
            }
        )
    return rows


def build_tables(
    corpus_dir: Path, docs: list[tuple[str, str]] | None = None, max_chars: int = 15_000
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, sentences) for ``docs`` (default ``TOPIC_DOCS``) from ``corpus_dir``."""
    docs = docs or TOPIC_DOCS
    manifests = {c: pd.read_csv(corpus_dir / c / "manifest.csv", dtype=str) for c in ("us", "mx")}
    doc_rows, sent_rows = [], []
    for folder, doc_id in docs:
        m = manifests[folder].set_index("doc_id").loc[doc_id]
        fmt = m["format"]
        text = read_text(corpus_dir / folder / m["file"], fmt, max_chars)
        signed = m.get("date_signed") if "date_signed" in m.index else None
        date = m["date"] if isinstance(m["date"], str) else None
        when = signed if isinstance(signed, str) else date
        lang = m["language"]
        doc_rows.append(
            {
                "doc_id": doc_id,
                "country": m["country"],
                "language": lang,
                "administration": administration_for(m["country"], when),
                "date": date,
                "issuer": m["issuer"],
                "doc_type": m["doc_type"],
                "status": "ok",
                "text": text,
            }
        )
        sent_rows.extend(sentences_of(doc_id, text, lang))
    documents = pd.DataFrame(doc_rows)
    sentences = pd.DataFrame(sent_rows)
    return documents, sentences


@lru_cache(maxsize=2)
def cached_tables(corpus_dir: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``build_tables`` once per test session (callers must not modify the frames)."""
    return build_tables(Path(corpus_dir))


def small_config(**changes):
    """A TopicsConfig small enough for tests (few passes, two refits, 200 replicates)."""
    from framelens.core.config import TopicsConfig

    base = dict(k=8, passes=4, iterations=40, n_seeds=2, n_boot=200, k_grid=[6, 8])
    base.update(changes)
    return TopicsConfig(**base)


@lru_cache(maxsize=2)
def cached_results(corpus_dir: str, seed: int = 11):
    """``fit_topics`` on the shared test documents once per session."""
    from framelens.models import fit_topics

    documents, sentences = cached_tables(corpus_dir)
    return fit_topics(sentences, documents, small_config(), seed=seed)
