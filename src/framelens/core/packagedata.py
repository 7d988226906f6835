"""Versioned package data (lexicons, actor tables, topic seeds): one loader for all of them.

Package data lives under ``framelens/lexicons/<kind>/<MAJOR.MINOR.PATCH>/``. Versions are
semantic (``docs/lexicon.md``): a folder per version, never edited once released, so that old
scores stay reproducible. ``latest`` means the highest version present.

>>> "3.0.0" in available_versions("framing")
True
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from framelens.core.errors import ConfigError, Errors

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def data_root() -> Path:
    """The folder of framelens' package data (``framelens/lexicons``)."""
    return Path(str(resources.files("framelens") / "lexicons"))


def data_path(*parts: str) -> Path:
    """A path under the package data folder, e.g. ``data_path("lemma_overrides.csv")``."""
    return data_root().joinpath(*parts)


def kind_dir(kind: str) -> Path:
    """The folder of one kind of versioned data: ``framing``, ``actors``, ``topic_seeds`` ..."""
    return data_root() / kind


def version_key(version: str) -> tuple[int, int, int]:
    """Sort key of a semantic version string (``"3.0.10"`` -> ``(3, 0, 10)``)."""
    m = _SEMVER.match(version)
    if not m:
        raise ValueError(f"not a semantic version: {version!r}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def available_versions(kind: str, required: str | None = None) -> list[str]:
    """Versions of ``kind`` shipped with the package, oldest first.

    ``required`` names a file each version folder must contain to count (e.g. ``seeds.csv``).
    """
    root = kind_dir(kind)
    if not root.is_dir():
        return []
    found = [
        p.name
        for p in root.iterdir()
        if p.is_dir() and _SEMVER.match(p.name) and (required is None or (p / required).exists())
    ]
    return sorted(found, key=version_key)


def resolve_version(kind: str, version: str = "latest", required: str | None = None) -> str:
    """The concrete version meant by ``version`` (``latest`` = highest available).

    Raises ``ConfigError`` [E009] naming the available versions when it is not shipped.
    """
    versions = available_versions(kind, required)
    if version == "latest" and versions:
        return versions[-1]
    if version not in versions:
        raise ConfigError(
            Errors.E009.format(kind=kind, version=version, available=", ".join(versions) or "none")
        )
    return version


def version_dir(kind: str, version: str = "latest", required: str | None = None) -> Path:
    """The folder of one version of ``kind`` (after ``resolve_version``)."""
    return kind_dir(kind) / resolve_version(kind, version, required)
