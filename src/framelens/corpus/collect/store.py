"""What ``framelens collect`` keeps under DIR: the files, manifest.csv and collect_log.csv.

``Store`` holds the manifest rows (one per URL that gave a document, keyed by source_url) and
the log rows, stores document bytes, and writes both tables atomically through their schemas
(``collect_manifest``, ``collect_log``). Rules:

- a file is written once, atomically (``core.io.atomic_write_bytes``), under the name
  ``naming.file_name_for`` gives (made unique with a hash of the URL if another URL has it);
- bytes whose sha256 the store already has are not written again: the URL's row points to
  the existing file (outcome ``duplicate``), or, for the same URL, nothing changes but the
  provenance (``unchanged``);
- new bytes at a URL collected before replace its file (``updated``) unless another URL's row
  shares that file, in which case the new bytes get a name of their own; a file no row refers
  to any more is removed, so ``framelens run`` never reads a stale version;
- ``conditional_headers(url)`` gives ``If-None-Match`` / ``If-Modified-Since`` from the row.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path, PurePosixPath

import pandas as pd

from framelens.core.errors import ConfigError, Errors
from framelens.core.io import atomic_write_bytes, table_to_csv_bytes
from framelens.corpus.collect.client import Fetched, utc_now
from framelens.corpus.collect.naming import file_name_for, with_hash
from framelens.corpus.collect.sources import Target
from framelens.schemas import columns_of, validate

MANIFEST_FILE = "manifest.csv"
LOG_FILE = "collect_log.csv"
META_COLUMNS = ("country", "language", "date", "date_signed", "issuer", "doc_type", "title")
OPTIONAL_COLUMNS = ("date", "date_signed")  # written only when some row has a value
INT_COLUMNS = {"bytes", "http_status"}


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a table collect wrote; ``ConfigError`` for a file it did not write."""
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(Errors.E003.format(
                key="--out", value=str(path.parent),
                reason=f"{path.name} there was not written by framelens collect (no "
                f"{', '.join(missing)} column); collect into a new folder"))  # fmt: skip
        return [{k: (v or "") for k, v in row.items() if k} for row in reader]


class Store:
    """The documents, manifest rows and log rows of one collect folder (see module docstring).

    Parameters
    ----------
    out_dir : path
        The collect folder (DIR); manifest.csv and collect_log.csv are read when present.
    """

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.columns = columns_of("collect_manifest")
        self.log_columns = columns_of("collect_log")
        self.rows: dict[str, dict[str, str]] = {}
        self.log: list[dict[str, str]] = []
        self._names: dict[str, str] = {}  # casefolded relative name -> owning URL
        for row in _read_csv(self.out_dir / MANIFEST_FILE, ("source_url", "retrieved_at")):
            if row.get("source_url") and row.get("file"):
                self.put_row({c: row.get(c, "") for c in self.columns})
        logged = _read_csv(self.out_dir / LOG_FILE, ("run", "outcome"))
        self.log = [{c: r.get(c, "") for c in self.log_columns} for r in logged]

    # ------------------------------------------------------------------ rows
    def put_row(self, row: dict[str, str]) -> None:
        """Add or replace the row of ``row['source_url']`` (and reserve its names)."""
        url = row["source_url"]
        self.rows[url] = row
        self._names.setdefault(row["file"].casefold(), url)
        self._names.setdefault(f"{row['doc_id']}.{row['format']}".casefold(), url)

    def add_log(self, row: dict[str, str]) -> None:
        """Append one log row (columns of ``collect_log``; missing ones empty)."""
        self.log.append(
            {c: str(row.get(c, "") if row.get(c) is not None else "") for c in self.log_columns}
        )

    def drop_run_log(self, run: str) -> None:
        """Forget the log rows of ``run`` (its journal is replayed in full)."""
        self.log = [r for r in self.log if r.get("run") != run]

    def file_present(self, url: str) -> bool:
        row = self.rows.get(url)
        return bool(row) and (self.out_dir / row["file"]).is_file()

    def conditional_headers(self, url: str) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for a URL whose file is still here."""
        if not self.file_present(url):
            return {}
        row = self.rows[url]
        headers = {}
        if row.get("etag"):
            headers["If-None-Match"] = row["etag"]
        if row.get("last_modified"):
            headers["If-Modified-Since"] = row["last_modified"]
        return headers

    # ------------------------------------------------------------------ documents
    def save(self, target: Target, got: Fetched, fmt: str) -> tuple[str, dict[str, str]]:
        """Store the body of ``got`` for ``target``; return ``(outcome, row)``.

        The outcome is ``fetched``, ``updated``, ``unchanged`` or ``duplicate`` (see the
        module docstring). The row is also put in the store.
        """
        url = target.url
        sha = hashlib.sha256(got.body).hexdigest()
        prev = self.rows.get(url)
        own_name = self._name_for(url, fmt)
        if prev and prev["sha256"] == sha and self.file_present(url):
            outcome, file = "unchanged", prev["file"]
        elif (existing := self._file_with(sha)) is not None:
            outcome, file = "duplicate", existing
        else:
            file = own_name
            if prev and prev["file"] == own_name and self._shared(prev["file"], url):
                file = with_hash(own_name, f"{url}#{sha}")
            atomic_write_bytes(self.out_dir / file, got.body)
            outcome = "updated" if prev else "fetched"
        row = self._row(target, got, fmt, file, sha, own_name)
        old_file = prev["file"] if prev else None
        self.put_row(row)
        if old_file and old_file != file:
            self._release(old_file)
        return outcome, row

    def not_modified(self, target: Target, got: Fetched) -> dict[str, str]:
        """Record a 304 for a URL collected before: new metadata and ``checked_at`` only."""
        row = dict(self.rows[target.url])
        row.update(self._meta(target, row))
        row["checked_at"] = got.retrieved_at or utc_now()
        row["etag"] = got.headers.get("etag", row["etag"])
        row["last_modified"] = got.headers.get("last-modified", row["last_modified"])
        self.put_row(row)
        return row

    def _row(
        self, target: Target, got: Fetched, fmt: str, file: str, sha: str, own_name: str
    ) -> dict[str, str]:
        prev = self.rows.get(target.url, {})
        row = {c: "" for c in self.columns}
        row.update(
            doc_id=prev.get("doc_id") or self._doc_id(target, own_name),
            file=file,
            source_url=target.url,
            format=fmt,
            sha256=sha,
            bytes=str(len(got.body)),
            final_url=got.final_url,
            retrieved_at=got.retrieved_at,
            http_status=str(got.status),
            content_type=got.content_type,
            etag=got.headers.get("etag", ""),
            last_modified=got.headers.get("last-modified", ""),
            checked_at=got.retrieved_at,
            source=target.source,
        )
        row.update(self._meta(target, row))
        return row

    def _meta(self, target: Target, row: dict[str, str]) -> dict[str, str]:
        return {c: target.meta.get(c, row.get(c, "")) for c in META_COLUMNS}

    def _doc_id(self, target: Target, own_name: str) -> str:
        wanted = target.meta.get("doc_id") or str(PurePosixPath(own_name).with_suffix(""))
        taken = {r["doc_id"] for u, r in self.rows.items() if u != target.url}
        doc_id, n = wanted, 1
        while doc_id in taken:
            n += 1
            doc_id = f"{wanted}~{n}"
        return doc_id

    def _name_for(self, url: str, fmt: str) -> str:
        name = file_name_for(url, fmt)
        owner = self._names.get(name.casefold())
        if owner not in (None, url):
            name = with_hash(name, url)
        self._names.setdefault(name.casefold(), url)
        return name

    def _file_with(self, sha: str) -> str | None:
        for row in self.rows.values():
            if row["sha256"] == sha and (self.out_dir / row["file"]).is_file():
                return row["file"]
        return None

    def _shared(self, file: str, url: str) -> bool:
        return any(r["file"] == file for u, r in self.rows.items() if u != url)

    def _release(self, file: str) -> None:
        if not any(r["file"] == file for r in self.rows.values()):
            (self.out_dir / file).unlink(missing_ok=True)

    # ------------------------------------------------------------------ tables
    def manifest_table(self) -> pd.DataFrame:
        """The manifest as a validated table (rows by file, then URL)."""
        rows = sorted(self.rows.values(), key=lambda r: (r["file"], r["source_url"]))
        df = pd.DataFrame(rows, columns=self.columns)
        for col in self.columns:
            if col in INT_COLUMNS:
                df[col] = pd.to_numeric(df[col]).astype("int64")
            else:
                df[col] = df[col].astype(str)
        return validate(df, "collect_manifest")

    def log_table(self) -> pd.DataFrame:
        """The log as a validated table (in the order things happened)."""
        df = pd.DataFrame(self.log, columns=self.log_columns)
        for col in self.log_columns:
            df[col] = df[col].astype(str)
        df["http_status"] = pd.to_numeric(df["http_status"].replace("", None)).astype("Int64")
        return validate(df, "collect_log")

    def write(self) -> None:
        """Write manifest.csv and collect_log.csv atomically."""
        manifest = self.manifest_table()
        empty = [c for c in OPTIONAL_COLUMNS if not (manifest[c] != "").any()]
        manifest = manifest.drop(columns=empty)
        atomic_write_bytes(self.out_dir / MANIFEST_FILE, table_to_csv_bytes(manifest))
        atomic_write_bytes(self.out_dir / LOG_FILE, table_to_csv_bytes(self.log_table()))
