"""framelens collect is resumable: kill it mid-run (SIGKILL, in a subprocess), run it again.

The second run continues the first (same run id in collect_log.csv), fetches none of the
documents the first one finished, leaves no temporary or half-written file, and writes a
complete manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from werkzeug.wrappers import Response

from _collect_site import PDF, fast_config, fresh_site, running_server
from framelens.corpus.collect import collect_corpus

N_DOCS = 8
SLOW = 4  # the document being downloaded when the first run is killed

CHILD = """
import sys
from framelens.corpus.collect import CollectConfig, collect_corpus
cfg = CollectConfig(user_agent="framelens-test/1.0 (contact: tests@example.org)", delay=0.2,
                    backoff=0.05, retries=0, read_timeout=10, checkpoint_seconds=0)
collect_corpus([sys.argv[1]], sys.argv[2], config=cfg)
"""

collect_server = pytest.fixture(scope="module", name="collect_server")(running_server)


@pytest.fixture()
def site(collect_server, monkeypatch):
    return fresh_site(collect_server, monkeypatch)


def _doc(i: int) -> bytes:
    return PDF + f"% document {i}\n".encode() + b"x" * 1000 * i


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_and_resume_fetches_nothing_twice(site, tmp_path):
    started, slow_first = threading.Event(), [True]

    def slow(_request):
        if slow_first[0]:
            slow_first[0] = False
            started.set()

            def drip():
                yield b"%PDF-1.4\n"
                for _ in range(40):
                    time.sleep(0.25)
                    yield b"0" * 100

            return Response(drip(), content_type="application/pdf")
        return Response(_doc(SLOW), content_type="application/pdf")

    for i in range(N_DOCS):
        if i == SLOW:
            site.handler(f"/docs/{i}.pdf", slow)
        else:
            site.serve(f"/docs/{i}.pdf", _doc(i), "application/pdf")
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{site.url(f'/docs/{i}.pdf')}\tUS\n" for i in range(N_DOCS)))
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(urls), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert started.wait(30), child.communicate(timeout=5)
        time.sleep(0.3)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)

    journal = out / ".collect" / "journal.jsonl"
    done_first = [json.loads(line)["log"]["url"] for line in journal.read_text().splitlines()]
    assert len(done_first) == SLOW  # documents 0..3 finished, 4 was downloading
    run_first = json.loads((out / ".collect" / "run.json").read_text())["run"]
    host_dir = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    (host_dir / ".7.pdf.abcd1234.tmp").write_bytes(b"%PDF-half")  # what a kill mid-write leaves

    result = collect_corpus([str(urls)], out, config=fast_config())
    assert result.resumed and result.run == run_first
    assert result.exit_code == 0 and result.counts == {"fetched": N_DOCS}
    for i in range(N_DOCS):
        assert site.count(f"/docs/{i}.pdf") == (2 if i == SLOW else 1), i
    assert not [p for p in out.rglob("*.tmp")]
    with open(out / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == N_DOCS
    for row in rows:
        data = (out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"] and len(data) == int(row["bytes"])
    with open(out / "collect_log.csv", newline="", encoding="utf-8") as fh:
        log = list(csv.DictReader(fh))
    assert sorted(r["url"] for r in log) == sorted(
        site.url(f"/docs/{i}.pdf") for i in range(N_DOCS)
    )
    assert {r["run"] for r in log} == {run_first}
    assert not journal.exists()
    assert json.loads((out / ".collect" / "run.json").read_text())["finished"] is True
