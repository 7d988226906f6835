"""framelens collect end to end: real documents of the shared corpus, served by a local site
(copied at test time; skipped with a message when the shared corpus is absent), collected,
then read by ``framelens.corpus.extract`` from DIR with its manifest as written."""

from __future__ import annotations

import csv
import shutil

import pytest

from _collect_site import fast_config, fresh_site, running_server
from framelens.core.config import ExtractConfig
from framelens.corpus import extract
from framelens.corpus.collect import collect_corpus

DOCS = {  # shared corpus file -> how the local site serves it (path, Content-Type)
    "us/us-fr-20190319-executive-order-13863-taking-additional-steps-to.html": (
        "/fr/2019-05425.htm",
        "text/html; charset=utf-8",
    ),
    "us/us-fr-20200520-executive-order-13923-establishment-of-the-forced.html": (
        "/fr/download?id=2020-10993",
        "application/octet-stream",
    ),
    "us/us-fr-20250129-executive-order-14150-america-first-policy.pdf": (
        "/fr/pdf/2025-01952.pdf",
        "application/pdf",
    ),
    "mx/mx-dof-20240401-dof-extracto.pdf": ("/dof/nota_detalle.php?codigo=5722", "text/html"),
}

collect_server = pytest.fixture(scope="module", name="collect_server")(running_server)


@pytest.fixture()
def site(collect_server, monkeypatch):
    return fresh_site(collect_server, monkeypatch)


def _shared_rows(corpus):
    rows = {}
    for country in ("us", "mx"):
        with open(corpus / country / "manifest.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                rows[f"{country}/{row['file']}"] = row
    return rows


@pytest.mark.corpus
def test_collect_then_extract_reads_the_folder_as_written(site, tmp_path, shared_corpus):
    copies = tmp_path / "site"
    copies.mkdir()
    meta = _shared_rows(shared_corpus)
    site.robots("User-agent: *\nDisallow: /private/\n")
    lines = ["# documents of the shared corpus, served locally", "url,country,issuer,doc_type,date"]
    for rel, (path, ctype) in DOCS.items():
        copy = copies / rel.replace("/", "_")
        shutil.copyfile(shared_corpus / rel, copy)  # copied at test time, never kept
        route, _, query = path.partition("?")
        site.server.expect_request(route, query_string=query or None).respond_with_data(
            copy.read_bytes(), content_type=ctype
        )
        m = meta[rel]
        fields = [site.url(path), m["country"], f'"{m["issuer"]}"', m["doc_type"], m["date"]]
        lines.append(",".join(fields))
    urls = tmp_path / "sources.csv"
    urls.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "collected"

    result = collect_corpus([str(urls)], out, config=fast_config())
    assert result.exit_code == 0, result.failures
    assert result.counts == {"fetched": len(DOCS)}

    cfg = ExtractConfig(workers=1, cache=False)
    docs = extract(out, config=cfg, progress=False)
    assert len(docs) == len(DOCS)
    assert (docs["status"] == "ok").all(), docs[["doc_id", "status", "error"]]
    by_sha = {m["sha256"]: m for m in (meta[rel] for rel in DOCS)}
    for row in docs.itertuples():
        shared = by_sha[row.sha256]  # the bytes are the shared corpus's, unchanged
        assert row.country == shared["country"]
        assert row.issuer == shared["issuer"]
        assert row.doc_type == shared["doc_type"]
        assert row.date == shared["date"] and row.date_source == "manifest"
        assert row.format == shared["format"]
        assert row.n_chars > 500
    assert set(docs["format"]) == {"pdf", "html"}
