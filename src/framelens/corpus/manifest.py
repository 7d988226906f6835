"""Manifests and the list of files to read (the corpus plan).

A manifest is a CSV with at least a ``file`` column (a path relative to the manifest); any of
doc_id, country, language, date, date_signed, issuer, doc_type, title, source_url, format,
sha256 may follow (``../shared/corpus/*/manifest.csv``). ``plan_corpus`` turns a folder, a file
or a list of paths, plus manifests, into one ``Item`` per document (docs/corpus.md, "Manifests"):

- manifests: the explicit one, or every ``manifest.csv`` under the folder (deepest first: when
  two manifests list the same file, the one nearer the file wins);
- a manifest row whose file resolves outside the corpus folder (``../../etc/passwd``, or a
  symlink leading out) is refused and never read; a row whose file is missing is a
  "file not found" row;
- files in the folder that no manifest lists are read too, with inferred metadata. Walking
  the folder skips hidden files and folders, manifests and other CSV/JSON sidecars, and
  README/LICENSE/CHANGELOG files; documents of unsupported types (.docx, .doc, .odt, .rtf,
  spreadsheets, slides, images, .md, .xml, .epub) get an "unsupported file type" row;
- ``doc_id``: the manifest's, else the path relative to the corpus root without its suffix
  (``us/us-fr-2017...``); when two files would share an id, each keeps its suffix
  (``report.pdf``/``report.html``); a repeated manifest id gets ``~2``, ``~3``.
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from framelens.core.errors import ConfigError, Errors

MANIFEST_NAME = "manifest.csv"
SUPPORTED: dict[str, str] = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
}
UNSUPPORTED_DOCUMENTS = {
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
    ".epub",
    ".md",
    ".markdown",
    ".xml",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".gif",
    ".bmp",
    ".webp",
    ".msg",
    ".eml",
    ".wpd",
    ".pages",
}
NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "copying", "notice", "authors"}
FORMATS = ("pdf", "html", "txt")


@dataclass
class Item:
    """One document to report on: where it is, how to read it, and what the manifest says."""

    doc_id: str
    path: str  # relative to the corpus root (posix), or the manifest's text when outside
    abs_path: Path | None
    format: str  # pdf|html|txt|other
    manifest_row: dict[str, str] | None = None
    manifest_columns: frozenset[str] = frozenset()
    manifest: str | None = None
    error: str | None = None  # set when the file must not or cannot be read
    notes: list[str] = field(default_factory=list)


@dataclass
class CorpusPlan:
    """The items of a corpus, its root folder and the manifests used."""

    root: Path
    items: list[Item]
    manifests: list[str]
    ignored: dict[str, int] = field(default_factory=dict)  # suffix -> files not documents


def find_manifests(folder: str | os.PathLike) -> list[Path]:
    """Every ``manifest.csv`` under ``folder`` (recursive, hidden folders skipped), deepest first.

    >>> find_manifests("/nonexistent")
    []
    """
    root = Path(folder)
    if not root.is_dir():
        return []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if MANIFEST_NAME in filenames:
            found.append(Path(dirpath) / MANIFEST_NAME)
    return sorted(found, key=lambda p: (-len(p.relative_to(root).parts), str(p)))


def read_manifest(path: str | os.PathLike) -> list[dict[str, str]]:
    """Read a manifest CSV into a list of rows (every value a stripped string).

    Raises ``ConfigError`` (E005/E006) when the file cannot be read or has no ``file`` column.
    Header names are stripped and lower-cased; a UTF-8 BOM is accepted.
    """
    p = Path(path)
    try:
        with open(p, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [(f or "").strip().lower() for f in (reader.fieldnames or [])]
            rows = []
            for raw in reader:
                row = {}
                for key, value in zip(fields, raw.values(), strict=False):
                    if key and key not in row:
                        row[key] = (value or "").strip() if isinstance(value, str) else ""
                rows.append(row)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(Errors.E005.format(path=p, reason=exc)) from exc
    if "file" not in fields:
        raise ConfigError(Errors.E006.format(path=p))
    return rows


def manifest_columns(path: str | os.PathLike) -> frozenset[str]:
    """The (lower-cased) column names of a manifest."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return frozenset(h.strip().lower() for h in header if h.strip())


def _format_of(path: str, declared: str | None = None) -> str:
    if declared and declared.lower() in FORMATS:
        return declared.lower()
    return SUPPORTED.get(PurePosixPath(path).suffix.lower(), "other")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic-link loop
        return False
    return True


def _walk(root: Path) -> tuple[list[Path], dict[str, int]]:
    files: list[Path] = []
    ignored: Counter[str] = Counter()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in sorted(filenames):
            if name.startswith((".", "~$")):
                continue
            p = Path(dirpath) / name
            suffix = p.suffix.lower()
            stem = p.stem.lower()
            if suffix in SUPPORTED or (
                suffix in UNSUPPORTED_DOCUMENTS and stem not in NOT_DOCUMENTS
            ):
                files.append(p)
            else:
                ignored[suffix or "(no suffix)"] += 1
    return files, dict(sorted(ignored.items()))


def _derived_id(rel: str) -> str:
    p = PurePosixPath(rel)
    return str(p.with_suffix("")) if p.suffix else str(p)


def _source_folders(
    source: str | os.PathLike | list | tuple | None, manifest: str | os.PathLike | None
) -> tuple[Path, Path | None, list[Path]]:
    """``(root, folder to walk or None, files given explicitly)`` of a ``source``."""
    if source is None:
        if manifest is None:
            raise ConfigError(Errors.E004.format(path=None))
        return Path(manifest).resolve().parent, None, []
    if isinstance(source, (list, tuple)):
        given = [Path(s) for s in source]
        explicit: list[Path] = []
        for p in given:  # folders in a list are walked
            explicit += _walk(p)[0] if p.is_dir() else [p]
        parents = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in given]
        return Path(os.path.commonpath(parents or [os.getcwd()])), None, explicit
    sp = Path(source)
    if sp.is_dir():
        return sp.resolve(), sp.resolve(), []
    if sp.exists():
        return sp.resolve().parent, None, [sp]
    raise ConfigError(Errors.E004.format(path=sp))


def _manifest_item(
    row: dict[str, str], n: int, mpath: Path, columns: frozenset[str], root: Path
) -> Item:
    """The item of manifest row ``n`` (1-based, header included) of ``mpath``."""
    file_text = row.get("file", "")
    if not file_text:
        rel = f"{_posix_rel(mpath, root)}#row{n}"
        error = Errors.W119.format(row=n, manifest=mpath.name)
        return Item(row.get("doc_id") or rel, rel, None, "other", row, columns, str(mpath), error)
    target = mpath.resolve().parent / file_text
    if not _inside(target, root):
        shown = display_name(PurePosixPath(file_text).as_posix())
        fmt = _format_of(shown, row.get("format"))
        error = Errors.W111.format(file=file_text)
        return Item(row.get("doc_id") or shown, shown, None, fmt, row, columns, str(mpath), error)
    rel = _posix_rel(target, root)
    doc_id = row.get("doc_id") or _derived_id(rel)
    item = Item(doc_id, rel, target, _format_of(rel, row.get("format")), row, columns, str(mpath))
    if not target.is_file():
        item.error = _not_a_file(target)
    return item


def _manifest_items(manifests: list[Path], root: Path, claimed: set[Path]) -> list[Item]:
    """Items of every manifest row, in manifest order; a file listed twice keeps its first row.

    Files inside the corpus are added to ``claimed`` (resolved paths).
    """
    items: list[Item] = []
    for mpath in manifests:
        rows = read_manifest(mpath)
        columns = manifest_columns(mpath)
        for n, row in enumerate(rows, start=2):
            item = _manifest_item(row, n, mpath, columns, root)
            if item.abs_path is not None:
                key = item.abs_path.resolve()
                if key in claimed:
                    continue
                claimed.add(key)
            items.append(item)
    return items


def _unlisted_items(candidates: list[Path], root: Path, skip: set[Path]) -> list[Item]:
    """Items of the files no manifest lists (``skip``: resolved paths already claimed, and the
    manifests themselves)."""
    items: list[Item] = []
    for path in candidates:
        key = path.resolve() if path.exists() else path.absolute()
        if key in skip:
            continue
        skip.add(key)
        rel = _posix_rel(path, root)
        item = Item(_derived_id(rel), rel, path, _format_of(rel))
        if not path.is_file():
            item.error = _not_a_file(path)
        items.append(item)
    return items


def plan_corpus(
    source: str | os.PathLike | list | tuple | None,
    manifest: str | os.PathLike | None = None,
    *,
    use_manifest: bool = True,
) -> CorpusPlan:
    """List the documents of a corpus (see the module docstring).

    Parameters
    ----------
    source : path, list of paths, or None
        A folder (walked recursively), one file, a list of files, or None with an explicit
        ``manifest`` (the manifest's folder is then the corpus root).
    manifest : path, optional
        An explicit manifest; without it every ``manifest.csv`` under the folder is used
        when ``use_manifest`` is True.
    use_manifest : bool, default True
        Look for manifests in the folder.

    Returns
    -------
    CorpusPlan
        One ``Item`` per document (manifest rows first), the root, the manifests used and
        the files ignored by suffix.

    Raises
    ------
    ConfigError
        When the folder does not exist, or a manifest cannot be read.
    """
    root, folder, explicit = _source_folders(source, manifest)
    manifests: list[Path] = []
    if manifest is not None:
        manifests = [Path(manifest)]
    elif use_manifest and folder is not None:
        manifests = find_manifests(folder)

    claimed: set[Path] = set()
    items = _manifest_items(manifests, root, claimed)
    ignored: dict[str, int] = {}
    candidates: list[Path] = list(explicit)
    if folder is not None:
        walked, ignored = _walk(folder)
        candidates += walked
    skip = claimed | {m.resolve() for m in manifests}
    items += _unlisted_items(candidates, root, skip)
    _unique_ids(items)
    return CorpusPlan(
        root=root, items=items, manifests=[str(m) for m in manifests], ignored=ignored
    )


def _not_a_file(path: Path) -> str:
    """The reason for a listed path that is not a readable regular file."""
    if not os.path.lexists(path):
        return Errors.W101
    return Errors.W115.format(
        reason="not a regular file (a broken or looping link, a pipe, a device)"
    )


def _posix_rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (resolved, else as written), POSIX, one printable line."""
    for candidate in (path.resolve, path.absolute):
        try:
            return display_name(candidate().relative_to(root.resolve()).as_posix())
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic-link loop
            continue
    return display_name(path.absolute().as_posix())


_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_name(name: str) -> str:
    """``name`` as table text: one line of valid UTF-8, whatever the file system holds.

    Bytes of a name that are not UTF-8 (a Latin-1 name from an old archive, which Python
    carries as lone surrogates that no UTF-8 writer accepts) and control characters (a newline
    in a name) become ``\\xNN`` escapes, so doc_ids and paths are printable and unambiguous.

    >>> display_name("informe_ni\\udcf1ez.txt"), display_name("a\\nb.txt")
    ('informe_ni\\\\xf1ez.txt', 'a\\\\x0ab.txt')
    """
    if name.isprintable():
        return name
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _NAME_CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", name)


def _unique_ids(items: list[Item]) -> None:
    """Make doc_ids unique: derived ids that collide keep their suffix; repeats get ~2, ~3."""
    counts = Counter(it.doc_id for it in items)
    for it in items:
        if counts[it.doc_id] > 1 and not (it.manifest_row or {}).get("doc_id"):
            it.doc_id = it.path
    seen: Counter[str] = Counter()
    for it in items:
        seen[it.doc_id] += 1
        if seen[it.doc_id] > 1:
            it.doc_id = f"{it.doc_id}~{seen[it.doc_id]}"
