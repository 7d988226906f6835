"""Schemas of the tables derived for the report (stage 6 reads them, stage 5 writes them).

Columns
-------
propositions (one row per proposition x group or contrast it is judged on):
    proposition (P1-P4), label (group, contrast or period), claim (the proposition's
    statement), measure, n (documents; of group a for a difference; 0 when unknown), n_b
    (documents of group b for a difference, else missing), estimate (group mean, difference, or
    observed/expected for P2), ci_low, ci_high, margin (the equivalence margin the verdict used;
    missing when none), verdict (supported | contradicted | equivalent (within +-margin, TOST) |
    inconclusive | no interval | not comparable (different instruments) | not judged (no null
    model)), reason (the finding in words, with p-values for differences), caution, small_n,
    in_window (in office during the seed study's 2019-2025 window), asymmetry (P2: the O/E
    interval lies above the reverse direction's), rests_on (the table the row is judged from).
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
            "margin": Float(),
            "verdict": Str(
                checks=pa.Check.isin(
                    [
                        "supported",
                        "contradicted",
                        "equivalent",
                        "inconclusive",
                        "no interval",
                        "not comparable",
                        "not judged",
                    ]
                )
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
