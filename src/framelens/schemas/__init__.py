"""The table contracts of framelens, in one place: column lists and pandera schemas.

Each stage's tables are defined in one submodule of this package (``corpus``, ``analysis``,
``models``, ``outputs``) and re-exported here, so ``framelens.schemas.DOCUMENTS`` is the
documents schema wherever it is used. ``validate(df, name)`` checks a table by name.
"""

from __future__ import annotations

import importlib
import pkgutil

import pandas as pd

from framelens.schemas._base import SCHEMAS, columns_of, validate

# Load every submodule so that each registers its schemas.
for _m in pkgutil.iter_modules(__path__):
    if not _m.name.startswith("_"):
        _mod = importlib.import_module(f"{__name__}.{_m.name}")
        globals().update({k: v for k, v in vars(_mod).items() if k.isupper()})

__all__ = ["SCHEMAS", "columns_of", "validate", "pd"]
