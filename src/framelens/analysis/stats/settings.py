"""The statistics settings of stage 5, declared once.

``StatsSettings`` holds what every interval and test needs (replicates, permutations, the
small-group threshold, the interval level, the resampling cluster, the minimum number of frame
hits for a document's framing index and the seed). The public
functions take it as ``settings=`` and/or as keyword options, so a notebook can write
``compare(fs, "framing_index", n_boot=500, seed=1)``; a run builds it from its
``CompareConfig`` with ``StatsSettings.from_config``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from framelens.core.errors import ConfigError, Errors


@dataclass(frozen=True)
class StatsSettings:
    """Statistics parameters of the comparison functions.

    Attributes
    ----------
    n_boot : int, default 2000
        Bootstrap replicates.
    n_perm : int, default 2000
        Monte Carlo permutations of a permutation test.
    min_n : int, default 5
        Groups with fewer resampling units (documents, or clusters with ``cluster``) are
        flagged ``small_n`` (never dropped).
    ci : float, default 0.95
        Interval level.
    cluster : str, optional
        Column of resampling clusters (``"issuer"``: documents of one issuer move together);
        default: documents are resampled.
    seed : int, optional
        Seed of every generator (``framelens.core.seeding.rng``); required to compute.
    min_index_hits : int, default 3
        Fewest frame hits (H + S) for a document's framing index to enter a document-weighted
        group mean (``index_hits``); 1 keeps every document with a hit.
    """

    n_boot: int = 2000
    n_perm: int = 2000
    min_n: int = 5
    ci: float = 0.95
    cluster: str | None = None
    seed: int | None = None
    min_index_hits: int = 3

    @classmethod
    def from_config(cls, config: Any, seed: int) -> StatsSettings:
        """Settings from a ``framelens.core.config.CompareConfig`` (None: defaults) and a seed."""
        if config is None:
            return cls(seed=seed)
        return cls(
            n_boot=config.n_boot,
            n_perm=config.n_perm,
            min_n=config.min_n,
            ci=config.ci,
            cluster=config.cluster,
            seed=seed,
            min_index_hits=getattr(config, "min_index_hits", cls.min_index_hits),
        )


#: Default settings (defaults of single parameters, e.g. ``regress(ci=DEFAULTS.ci)``).
DEFAULTS = StatsSettings()
OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(StatsSettings))


def resolve(
    what: str,
    settings: StatsSettings | None,
    options: dict[str, Any],
    allowed: Iterable[str] = OPTION_NAMES,
) -> StatsSettings:
    """``settings`` (default ``DEFAULTS``) with keyword ``options`` applied; the seed required.

    Raises ``ConfigError`` [E027] for an option ``what`` does not take and [E028] when no seed
    was given.
    """
    allowed = tuple(allowed)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ConfigError(Errors.E027.format(what=what, names=unknown, known=list(allowed)))
    out = replace(settings or DEFAULTS, **options)
    if out.seed is None:
        raise ConfigError(Errors.E028.format(what=what))
    return out
