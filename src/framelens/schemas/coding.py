"""Schemas of the coding workflow (``framelens gold sample | agree | merge``). Guide: ``docs/coding.md``.

Columns
-------
coding_sample (one row per sampled sentence; the design copy kept by whoever runs the study):
    unit_id ("u" + 10 hex digits of SHA-1 of doc_id|start_char|end_char), doc_id, sent_id,
    start_char, end_char (the run's sentence offsets), language, country, administration,
    doc_type, issuer, title, text, stratum (the stratum variables' values joined by "|", e.g.
    "en|Biden|framed"), N_stratum (sentences in the stratum), n_stratum (drawn),
    inclusion_prob (n_stratum / N_stratum), lexicon_humanitarian_hits, lexicon_security_hits
    (the run's counted hits), lexicon_version, humanitarian, security (empty: to be coded), note.
coding_sheet (the blinded sheet handed to coders, rows in a seeded random order):
    unit_id, doc_id, sent_id, language, country, administration, doc_type, issuer, title, text,
    humanitarian, security, note. No lexicon hits and no design columns: the stratum and the
    inclusion probability would tell a coder whether the lexicon fired.
coding_strata (one row per stratum):
    stratum, N_stratum, n_stratum, inclusion_prob, share_framed (of the stratum's sentences, the
    share where the lexicon fired), weight (the allocation weight used).
coding_agreement (one row per language x label, and "all"):
    language, label, n_units, n_disagreements, percent_agreement, alpha (Krippendorff's alpha,
    nominal; NaN when every code is the same), positives_a, positives_b.
coding_adjudication (one row per unit where the coders disagree on any label):
    unit_id, doc_id, sent_id, language, issuer, title, text, disagree_on ("humanitarian",
    "security" or "humanitarian;security"), coder_a_humanitarian, coder_b_humanitarian,
    coder_a_security, coder_b_security, coder_a_note, coder_b_note, humanitarian, security
    (adjudicated: empty where the coders disagree, the agreed code elsewhere), note.
coding_design_sample (the format of ``../shared/validation/design_sample.csv``):
    see ``DESIGN_SAMPLE_COLUMNS`` and ``docs/coding.md``.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Float, Int, Str, register

_ge0 = pa.Check.ge(0)
_prob = [pa.Check.gt(0.0), pa.Check.le(1.0)]
_binary = pa.Check.isin([0, 1])
_unit_id_format = pa.Check.str_matches(r"^u[0-9a-f]{10}$")


def _label(nullable: bool = True) -> pa.Column:
    """A 0/1 code; nullable integer (``Int64``) while it is still to be filled in."""
    return pa.Column("Int64", nullable=nullable, coerce=True, checks=_binary)


def _metadata() -> dict[str, pa.Column]:
    return {
        "language": Str(),
        "country": Str(nullable=True),
        "administration": Str(),
        "doc_type": Str(nullable=True),
        "issuer": Str(nullable=True),
        "title": Str(nullable=True),
    }


def _design() -> dict[str, pa.Column]:
    return {
        "stratum": Str(),
        "N_stratum": Int(checks=pa.Check.ge(1)),
        "n_stratum": Int(checks=pa.Check.ge(1)),
        "inclusion_prob": Float(nullable=False, checks=_prob),
    }


CODING_SAMPLE = register(
    "coding_sample",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True, checks=_unit_id_format),
            "doc_id": Str(),
            "sent_id": Int(checks=_ge0),
            "start_char": Int(checks=_ge0),
            "end_char": Int(checks=_ge0),
            **_metadata(),
            "text": Str(),
            **_design(),
            "lexicon_humanitarian_hits": Int(checks=_ge0),
            "lexicon_security_hits": Int(checks=_ge0),
            "lexicon_version": Str(),
            "humanitarian": _label(),
            "security": _label(),
            "note": Str(nullable=True),
        },
        strict=True,
        ordered=True,
        unique=["doc_id", "sent_id"],
    ),
)

CODING_SHEET = register(
    "coding_sheet",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True, checks=_unit_id_format),
            "doc_id": Str(),
            "sent_id": Int(checks=_ge0),
            **_metadata(),
            "text": Str(),
            "humanitarian": _label(),
            "security": _label(),
            "note": Str(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

CODING_STRATA = register(
    "coding_strata",
    pa.DataFrameSchema(
        {
            **_design(),
            "share_framed": Float(nullable=False, checks=[_ge0, pa.Check.le(1.0)]),
            "weight": Float(nullable=False, checks=_ge0),
        },
        strict=True,
        ordered=True,
        unique=["stratum"],
    ),
)

CODING_AGREEMENT = register(
    "coding_agreement",
    pa.DataFrameSchema(
        {
            "language": Str(),
            "label": Str(checks=pa.Check.isin(["humanitarian", "security"])),
            "n_units": Int(checks=_ge0),
            "n_disagreements": Int(checks=_ge0),
            "percent_agreement": Float(checks=[_ge0, pa.Check.le(100.0)]),
            "alpha": Float(checks=pa.Check.le(1.0)),
            "positives_a": Int(checks=_ge0),
            "positives_b": Int(checks=_ge0),
        },
        strict=True,
        ordered=True,
    ),
)

CODING_ADJUDICATION = register(
    "coding_adjudication",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True, checks=_unit_id_format),
            "doc_id": Str(nullable=True),
            "sent_id": pa.Column("Int64", nullable=True, coerce=True),
            "language": Str(nullable=True),
            "issuer": Str(nullable=True),
            "title": Str(nullable=True),
            "text": Str(nullable=True),
            "disagree_on": Str(),
            **{
                f"coder_{c}_{f}": Int(checks=_binary)
                for f in ("humanitarian", "security")
                for c in ("a", "b")
            },
            "coder_a_note": Str(nullable=True),
            "coder_b_note": Str(nullable=True),
            "humanitarian": _label(),
            "security": _label(),
            "note": Str(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

CODING_DESIGN_SAMPLE = register(
    "coding_design_sample",
    pa.DataFrameSchema(
        {
            "unit_id": Str(unique=True),
            "doc_id": Str(),
            "language": Str(),
            "country": Str(nullable=True),
            "administration": Str(),
            "doc_type": Str(nullable=True),
            "issuer": Str(nullable=True),
            "sent_id": Int(checks=_ge0),
            "start_char": Int(checks=_ge0),
            "end_char": Int(checks=_ge0),
            "text": Str(),
            "humanitarian": Int(checks=_binary),
            "security": Int(checks=_binary),
            **_design(),
            "lexicon_humanitarian_hits": Int(checks=_ge0),
            "lexicon_security_hits": Int(checks=_ge0),
            "agreement": Int(checks=_binary),
            "coder_a_humanitarian": Int(checks=_binary),
            "coder_a_security": Int(checks=_binary),
            "coder_b_humanitarian": Int(checks=_binary),
            "coder_b_security": Int(checks=_binary),
            "note": Str(nullable=True),
        },
        strict=True,
        ordered=True,
    ),
)

#: The columns of ``../shared/validation/design_sample.csv``, in order (``gold merge`` writes them).
DESIGN_SAMPLE_COLUMNS: tuple[str, ...] = tuple(CODING_DESIGN_SAMPLE.columns)
