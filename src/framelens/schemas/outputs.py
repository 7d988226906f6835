"""Schemas of the tables derived for the report (stage 6 reads them, stage 5 writes them).

Columns
-------
propositions (one row per proposition x group or contrast it is judged on):
    proposition (P1-P4), label (group, contrast or period), claim (the proposition's
    statement), measure, n (documents; of group a for a difference), n_b (documents of group b
    for a difference, else missing), estimate (group mean or difference), ci_low, ci_high,
    verdict (supported | contradicted | inconclusive | no interval), reason (the finding in
    words, with p-values for differences), caution, small_n, in_window (in office during the
    seed study's 2019-2025 window), asymmetry (P2: the share's interval lies above the reverse
    share's), rests_on (the table the row is judged from).
"""

from __future__ import annotations

import pandera.pandas as pa

from framelens.schemas._base import Bool, Float, Int, Str, register

PROPOSITIONS = register(
    "propositions",
    pa.DataFrameSchema(
        {
            "proposition": Str(checks=pa.Check.isin(["P1", "P2", "P3", "P4"])),
            "label": Str(),
            "claim": Str(),
            "measure": Str(),
            "n": Int(checks=pa.Check.ge(0)),
            "n_b": Float(),
            "estimate": Float(),
            "ci_low": Float(),
            "ci_high": Float(),
            "verdict": Str(
                checks=pa.Check.isin(["supported", "contradicted", "inconclusive", "no interval"])
            ),
            "reason": Str(),
            "caution": Str(),
            "small_n": Bool(),
            "in_window": Bool(),
            "asymmetry": Bool(),
            "rests_on": Str(),
        },
        strict=True,
        ordered=True,
    ),
)
