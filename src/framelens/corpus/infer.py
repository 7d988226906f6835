"""Metadata inference: what the content says (cached with the text), then precedence rules.

``infer_from_content`` runs in the worker, on one file's ``Extracted``, and depends on the
content only (it is cached under the file's sha256). ``resolve_metadata`` runs in the parent
and combines it with the manifest row and the file's path:

=============  =====================================================================
column         precedence (first that gives a value)
=============  =====================================================================
date           manifest (a manifest that has a ``date`` column is authoritative, an
               empty cell meaning "no date") > document (metadata date; printed
               date by ``dates.publication_date``) > URL / file name > PDF metadata
date_signed    manifest (same rule) > signing formula in the text, kept when on or
               at most 180 days before the publication date
language       detected by lingua; when detection is uncertain, the declared
               language (manifest, ``<html lang>``), else "other"
language_decl  manifest ``language`` > ``<html lang>`` / front matter
country        manifest > domain of the document's URL > domain of the manifest's
               ``source_url`` > issuer's country > language (es -> MX, en -> US)
issuer         manifest > document (own URL, metadata, first agency named in the
               header) > manifest ``source_url`` > file name token > PDF Author
doc_type       manifest > document (title, first lines, own URL, section tags, shape
               of a transcript) > manifest ``source_url`` > file name
title          manifest > document (metadata title, designation line, PDF title,
               first heading)
=============  =====================================================================
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from framelens.core.domain import COUNTRIES, LANGUAGES, administration_for
from framelens.corpus.base import Extracted
from framelens.corpus.dates import (
    parse_date,
    plausible_signing,
    publication_date,
    signing_date,
    url_date,
)
from framelens.corpus.language import detect_language, normalise_language_tag
from framelens.corpus.metadata import (
    agency_country,
    country_from_url,
    designation_title,
    doc_type_from_tags,
    doc_type_from_text,
    doc_type_from_url,
    first_heading,
    good_title,
    issuer_from_text,
    issuer_from_url,
    looks_like_transcript,
)

#: File-name / URL-slug tokens that name an issuer (lowest precedence).
NAME_TOKENS = {
    "cbp": "CBP",
    "ice": "ICE",
    "dhs": "DHS",
    "uscis": "USCIS",
    "orr": "ORR",
    "hhs": "HHS",
    "doj": "DOJ",
    "sre": "SRE",
    "segob": "SEGOB",
    "inm": "INM",
    "comar": "COMAR",
    "sndif": "SNDIF",
    "dif": "SNDIF",
    "sipinna": "Sipinna",
    "dof": "DOF",
    "cndh": "CNDH",
    "diputados": "Cámara de Diputados",
    "senado": "Senado",
    "presidencia": "Presidencia",
    "whitehouse": "White House",
    "federalregister": "Federal Register",
    "sspc": "SSPC",
}
_SLUG_TYPES = [
    (r"executive[-_ ]orders?\b", "executive_order"),
    (r"proclamation", "proclamation"),
    (r"memorandum", "memorandum"),
    (r"fact[-_ ]sheet", "fact_sheet"),
    (
        r"remarks|press[-_ ]briefing|press[-_ ]gaggle|press[-_ ]call|press[-_ ]conference|speech|discurso",
        "speech",
    ),
    (r"statement|readout", "statement"),
    (r"press[-_ ]release|news[-_ ]release|comunicado|boletin", "press_release"),
    (
        r"version[-_ ]estenografica|conferencia[-_ ](?:de[-_ ]prensa|matutina)|mananera",
        "version_estenografica",
    ),
    (r"(?:^|[-_ /])ley[-_ ]", "ley"),
    (r"(?:^|[-_ /])decreto", "decreto"),
    (r"(?:^|[-_ /])acuerdo", "acuerdo"),
    (r"(?:^|[-_ /])reglamento", "reglamento"),
]
#: How manifests write a country (upper-cased, dots removed) -> its code in ``COUNTRIES``.
_COUNTRY_NAMES = {
    **{code: code for code in COUNTRIES},
    "USA": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "EEUU": "US",
    "ESTADOS UNIDOS": "US",
    "MEX": "MX",
    "MEXICO": "MX",
    "MÉXICO": "MX",
}
#: Last resort for a document's country: the country of its language.
_LANGUAGE_COUNTRY = {"es": "MX", "en": "US"}
_SLUG_TYPES_RE = [(re.compile(p, re.I), t) for p, t in _SLUG_TYPES]


def doc_type_from_slug(name: str | None) -> str | None:
    """Document type from words in a file name or URL slug ("...-executive-order-13765-...")."""
    if not name:
        return None
    for pattern, dtype in _SLUG_TYPES_RE:
        if pattern.search(name):
            return dtype
    return None


def issuer_from_name(name: str | None) -> str | None:
    """Issuer from a token of a file name ("us-cbp-2020..." -> "CBP"), or None."""
    if not name:
        return None
    for token in re.split(r"[^a-z]+", name.lower()):
        if token in NAME_TOKENS:
            return NAME_TOKENS[token]
    return None


def choose_title(ex: Extracted) -> str | None:
    """Metadata title > designation line > PDF title > first heading (module docstring)."""
    return (
        good_title(ex.title)
        or designation_title(ex.head)
        or good_title(ex.meta.get("pdf_title"))
        or first_heading(ex.text)
    )


def infer_from_content(ex: Extracted) -> dict[str, Any]:
    """Metadata that depend on the content only (cached with the extraction record)."""
    ok = ex.status == "ok"
    title = choose_title(ex) if ok else None
    url = ex.meta.get("url")
    language, confidence = detect_language(ex.text) if ok else (None, 0.0)
    published, rule = ex.dates.get("meta"), "metadata" if ex.dates.get("meta") else None
    if not published and ok:
        found = publication_date(ex.head, title)
        if found:
            published, rule = found
    signed = signing_date(ex.text) if ok else None
    issuer = issuer_from_url(url)
    evidence = "url" if issuer else None
    if not issuer:
        for key in ("issuer", "issuer_line", "author", "publisher", "site", "running_header"):
            issuer = issuer_from_text(ex.meta.get(key))
            if issuer:
                evidence = f"meta:{key}"
                break
    if not issuer and ok:
        issuer = issuer_from_text(ex.head[:1500])
        evidence = "header" if issuer else None
    doc_type = None
    if ok:
        doc_type = (
            doc_type_from_text(title, ex.head)
            or doc_type_from_url(url)
            or doc_type_from_tags(ex.meta.get("tags"))
        )
        if not doc_type and looks_like_transcript(ex.text):
            doc_type = "version_estenografica" if language == "es" else "speech"
    return {
        "title": title,
        "url": url,
        "language_detected": language,
        "language_confidence": confidence,
        "language_declared": normalise_language_tag(ex.meta.get("lang")),
        "date_document": published,
        "date_rule": rule,
        "date_signed_document": signed,
        "date_pdf_metadata": ex.dates.get("pdf_metadata"),
        "issuer_document": issuer,
        "issuer_evidence": evidence,
        "issuer_pdf_author": issuer_from_text(ex.meta.get("pdf_author")),
        "country_document": country_from_url(url),
        "doc_type_document": doc_type,
    }


def _val(row: dict[str, Any] | None, col: str) -> str | None:
    if not row:
        return None
    v = row.get(col)
    if v is None:
        return None
    v = str(v).strip()
    return v or None


def _dates(
    rec: dict[str, Any],
    manifest_row: dict[str, Any] | None,
    manifest_columns: set[str] | frozenset[str],
    name: str,
    m_url: str | None,
) -> tuple[str | None, str, str | None]:
    """``(date, date_source, date_signed)`` by the precedence of the module docstring."""
    if "date" in manifest_columns and manifest_row is not None:
        date = parse_date(_val(manifest_row, "date"))
        date_source = "manifest" if date else "missing"
    else:
        date, date_source = rec.get("date_document"), "document"
        if not date:
            date = url_date(rec.get("url")) or url_date(m_url) or url_date(name)
            date_source = "url"
        if not date:
            date, date_source = rec.get("date_pdf_metadata"), "pdf_metadata"
        if not date:
            date_source = "missing"
    if "date_signed" in manifest_columns and manifest_row is not None:
        date_signed = parse_date(_val(manifest_row, "date_signed"))
    else:
        date_signed = rec.get("date_signed_document")
        if not plausible_signing(date_signed, date):
            date_signed = None
    return date, date_source, date_signed


def _language(
    rec: dict[str, Any], manifest_row: dict[str, Any] | None, status: str
) -> tuple[str | None, str | None]:
    """``(language, language_declared)``: detected, else a declared en|es, else "other"."""
    declared = normalise_language_tag(_val(manifest_row, "language")) or rec.get(
        "language_declared"
    )
    detected = rec.get("language_detected")
    if detected:
        language = detected
    elif declared in LANGUAGES:
        language = declared
    else:
        language = "other" if status == "ok" else None
    return language, declared


def _country(
    rec: dict[str, Any],
    manifest_row: dict[str, Any] | None,
    m_url: str | None,
    issuer: str | None,
    language: str | None,
) -> str | None:
    """Manifest > document URL > manifest ``source_url`` > issuer > language."""
    country = _COUNTRY_NAMES.get((_val(manifest_row, "country") or "").upper().replace(".", ""))
    if country is None:
        country = (
            rec.get("country_document")
            or country_from_url(m_url)
            or agency_country(issuer)
            or _LANGUAGE_COUNTRY.get(language or "")
        )
    return country


def resolve_metadata(
    record: dict[str, Any] | None,
    manifest_row: dict[str, Any] | None,
    manifest_columns: set[str] | frozenset[str],
    rel_path: str,
    status: str,
) -> dict[str, Any]:
    """Final metadata columns for one document by the precedence table of the module docstring.

    Parameters
    ----------
    record : dict or None
        The cached content record (``infer_from_content`` fields); None when the file was not
        read.
    manifest_row : dict or None
        The file's manifest row; None without one.
    manifest_columns : set of str
        The columns that manifest has (a column it has is authoritative, even when empty).
    rel_path : str
        The path relative to the corpus root.
    status : str
        The document's status (ok|empty|error).

    Returns
    -------
    dict
        country, language, language_declared, date, date_signed, date_source, issuer,
        doc_type, title, administration.
    """
    rec = record or {}
    name = PurePosixPath(rel_path).name
    m_url = _val(manifest_row, "source_url")
    doc_url = rec.get("url")
    date, date_source, date_signed = _dates(rec, manifest_row, manifest_columns, name, m_url)
    language, declared = _language(rec, manifest_row, status)
    issuer = (
        _val(manifest_row, "issuer")
        or rec.get("issuer_document")
        or issuer_from_url(m_url)
        or issuer_from_name(name)
        or rec.get("issuer_pdf_author")
    )
    country = _country(rec, manifest_row, m_url, issuer, language)
    doc_type = (
        _val(manifest_row, "doc_type")
        or rec.get("doc_type_document")
        or doc_type_from_url(m_url)
        or doc_type_from_slug(doc_url)
        or doc_type_from_slug(m_url)
        or doc_type_from_slug(name)
    )
    title = _val(manifest_row, "title") or rec.get("title")
    return {
        "country": country,
        "language": language,
        "language_declared": declared,
        "date": date,
        "date_signed": date_signed,
        "date_source": date_source,
        "issuer": issuer,
        "doc_type": doc_type,
        "title": title,
        "administration": administration_for(country, date_signed or date),
    }
