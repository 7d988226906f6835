"""One seeding scheme for every random draw of a run (after spaCy's ``[system] seed``).

All randomness derives from ``RunConfig.seed`` and a tuple of *keys* that name the draw
(``("bootstrap", "frame_index", "US", "Biden")``). Keys are hashed with CRC-32 of their
``str`` (stable across processes, unlike Python's salted ``hash``), and the run seed plus the
key hashes are the entropy of a ``numpy.random.SeedSequence``. Two views of the same scheme:

- ``rng(seed, *keys)``: a ``numpy.random.Generator`` for numpy draws (bootstrap, permutation,
  sampling). ``rng(seed)`` with no keys equals ``numpy.random.default_rng(seed)``.
- ``derive_seed(seed, *keys)``: an integer in [0, 2**31) for libraries that take an int
  (gensim, scikit-learn): the run seed as entropy and the key hashes as the spawn key.

Draws named by different keys are independent; the same keys always give the same stream.
"""

from __future__ import annotations

import zlib

import numpy as np

from framelens.core.errors import ConfigError, Errors


def key_hash(key: object) -> int:
    """CRC-32 of ``str(key)`` (UTF-8): a stable 32-bit integer for a draw's name."""
    return zlib.crc32(str(key).encode("utf-8"))


def rng(seed: int | np.random.Generator, *keys: object) -> np.random.Generator:
    """A generator for one named draw: ``default_rng([seed, crc32(k1), crc32(k2), ...])``.

    A ``Generator`` passed as ``seed`` is returned as is (the caller owns the stream).

    >>> float(rng(1, "a").random()) == float(rng(1, "a").random())
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng([int(seed)] + [key_hash(k) for k in keys])


def derive_seed(seed: int, *keys: object) -> int:
    """A child seed in [0, 2**31) derived from ``seed`` and ``keys`` (stable across runs).

    >>> derive_seed(1, "en", 0) == derive_seed(1, "en", 0)
    True
    """
    spawn = [key_hash(k) for k in keys]
    ss = np.random.SeedSequence(entropy=int(seed), spawn_key=spawn)
    return int(ss.generate_state(1, dtype=np.uint32)[0] >> 1)


def resolve_random_state(random_state: int | np.random.Generator | None) -> int:
    """An integer seed from ``random_state`` (scikit-learn's convention).

    An int is used as is; a Generator draws one; None takes fresh OS entropy (not
    reproducible, as in scikit-learn). A negative int raises ``ConfigError`` [E003].
    """
    if random_state is None:
        return int(np.random.default_rng().integers(0, 2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**31 - 1))
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ConfigError(
                Errors.E003.format(key="random_state", value=random_state, reason="must be >= 0")
            )
        return int(random_state)
    raise ConfigError(
        Errors.E003.format(
            key="random_state", value=random_state, reason="use an int, a Generator or None"
        )
    )
