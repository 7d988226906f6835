"""Intrusion sheets for coders and their answer keys, written atomically.

The items are computed by ``framelens.models.intrusion`` (``make_word_intrusion``,
``make_topic_intrusion``); this module only writes them. Sheets hold no topic labels or
answers; the keys go to a separate ``answer_key/`` folder so coders never see them.
"""

from __future__ import annotations

import os
from pathlib import Path

from framelens.core.io import atomic_write_bytes, table_to_csv_bytes
from framelens.models.intrusion import make_topic_intrusion, make_word_intrusion


def write_intrusion_sheets(
    results, out_dir: str | os.PathLike, seed: int = 0, *, n_top: int = 5, n_docs: int = 20
) -> dict[str, Path]:
    """Write word- and topic-intrusion sheets for coders and their keys (atomically).

    Parameters
    ----------
    results : TopicResults or object with ``topics``, ``doc_topics`` and ``excerpts``
        The fitted topics (``framelens.models.TopicResults`` or the same tables read back).
    out_dir : path
        Folder of the sheets.
    seed : int, default 0
        Seed of the intruder draws and shuffles (same seed, same sheets).
    n_top : int, default 5
        Top terms shown with each word intruder.
    n_docs : int, default 20
        Documents per language in the topic-intrusion sheet.

    Returns
    -------
    dict of str to Path
        ``word_intrusion_sheet`` and ``topic_intrusion_sheet`` (``<out_dir>/*.csv``),
        ``word_intrusion_key`` and ``topic_intrusion_key`` (``<out_dir>/answer_key/*.csv``).
    """
    out = Path(out_dir)
    word = make_word_intrusion(results.topics, n_top=n_top, seed=seed)
    topic = make_topic_intrusion(
        results.doc_topics, results.topics, results.excerpts, n_docs=n_docs, seed=seed
    )
    files = {
        "word_intrusion_sheet": (out / "word_intrusion_sheet.csv", word.sheet),
        "topic_intrusion_sheet": (out / "topic_intrusion_sheet.csv", topic.sheet),
        "word_intrusion_key": (out / "answer_key" / "word_intrusion_key.csv", word.key),
        "topic_intrusion_key": (out / "answer_key" / "topic_intrusion_key.csv", topic.key),
    }
    return {name: atomic_write_bytes(p, table_to_csv_bytes(df)) for name, (p, df) in files.items()}
