"""framelens.pipeline: the run, stage by stage (``run``), and the topic commands.

``run(config)`` is the one implementation behind ``framelens run``; ``topics`` holds the
``framelens topics ...`` commands as plain functions. Both read and write through
``framelens.outputs``; the CLI is a thin skin over them.
"""

from framelens.pipeline.coding import gold_agree, gold_merge, gold_sample
from framelens.pipeline.run import (
    RunResult,
    build_record,
    ensure_sentences,
    resolve_gold,
    run,
    run_extract,
)

__all__ = [
    "RunResult",
    "build_record",
    "ensure_sentences",
    "gold_agree",
    "gold_merge",
    "gold_sample",
    "resolve_gold",
    "run",
    "run_extract",
]
