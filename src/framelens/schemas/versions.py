"""Schemas of near-duplicate document versions: ``versions`` and ``version_groups``.

``versions`` has one row per document (the columns the documents table gains);
``version_groups`` one row per member of a group of two or more versions (written as
tables/version_groups.csv). Method: ``framelens.corpus.versions`` and docs/versions_and_ocr.md.
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Bool, Float, Int, Str, register

_UNIT = pa.Check.in_range(0.0, 1.0)

#: One row per document, sorted by doc_id: its version group (the doc_id of the group's first
#: member by doc_id; a document alone is its own group), the group's size, the highest exact
#: Jaccard similarity to another member (empty for a document alone), and whether it is the
#: one document of its group that comparisons keep.
VERSIONS = register(
    "versions",
    pa.DataFrameSchema(
        {
            "doc_id": Str(unique=True),
            "version_group": Str(),
            "group_size": Int(checks=pa.Check.ge(1)),
            "similarity_to_group": Float(nullable=True, checks=_UNIT),
            "is_representative": Bool(),
        },
        strict=True,
        ordered=True,
    ),
)

#: One row per member of a group of two or more versions, sorted by group, then date, then
#: doc_id: what a reader needs to check the grouping (titles, dates, similarities).
VERSION_GROUPS = register(
    "version_groups",
    pa.DataFrameSchema(
        {
            "version_group": Str(),
            "group_size": Int(checks=pa.Check.ge(2)),
            "doc_id": Str(unique=True),
            "country": Str(nullable=True),
            "language": Str(nullable=True),
            "date": Str(nullable=True),
            "issuer": Str(nullable=True),
            "doc_type": Str(nullable=True),
            "title": Str(nullable=True),
            "n_chars": Int(checks=pa.Check.ge(0)),
            "similarity_to_group": Float(nullable=False, checks=_UNIT),
            "jaccard_to_representative": Float(nullable=False, checks=_UNIT),
            "is_representative": Bool(),
            "representative": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
