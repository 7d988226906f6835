"""Open a framelens report in headless Chromium and list console messages and network requests.

Usage: python scripts/check_report_browser.py outputs/report/index.html

Exit 0 when the page logged no console error and made no request other than to itself and to
inline ``data:`` URLs; 1 otherwise; 2 when no Chromium is installed (Debian: apt-get install
chromium). Uses only Chromium's own logging (``--enable-logging``, ``--log-net-log``), no driver.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def find_chromium() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def check_report(html: str | os.PathLike, chromium: str | None = None, timeout: float = 60) -> dict:
    """Load ``html`` headless; return {"console": [...], "errors": [...], "requests": [...], "dom_chars": n}.

    ``requests`` lists every URL the page asked for except itself and ``data:`` URLs.
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("no Chromium found (apt-get install chromium)")
    page = Path(html).resolve()
    with tempfile.TemporaryDirectory(prefix="framelens-chromium-") as tmp:
        netlog = Path(tmp) / "net.json"
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--enable-logging=stderr",
            "--v=0",
            f"--log-net-log={netlog}",
            "--net-log-capture-mode=Default",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.as_uri(),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        console = [
            line for line in proc.stderr.splitlines() if "CONSOLE" in line or ":CONSOLE(" in line
        ]
        # Chromium logs every console message at one level; the report runs no script, so any
        # console message at all is a problem.
        errors = console
        requests: list[str] = []
        if netlog.exists():
            events = _netlog_events(netlog.read_text(encoding="utf-8", errors="replace"))
            for ev in events:
                params = ev.get("params") or {}
                url = params.get("url")
                # Requests a document started carry its origin as initiator; the browser's own
                # service traffic (updates, time sync) is logged with "not an origin".
                if "initiator" not in params or params["initiator"] == "not an origin":
                    continue
                if url and not url.startswith("data:") and url != page.as_uri():
                    requests.append(url)
    return {
        "console": console,
        "errors": errors,
        "requests": sorted(set(requests)),
        "dom_chars": len(proc.stdout),
        "returncode": proc.returncode,
    }


def _netlog_events(text: str) -> list[dict]:
    """Events of a Chromium net log, also when the browser was stopped before closing it."""
    text = text.strip()
    for candidate in (text, text.rstrip(",") + "]}", text.rstrip(",") + "}"):
        try:
            return json.loads(candidate).get("events", [])
        except ValueError:
            continue
    return []


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    try:
        res = check_report(argv[1])
    except FileNotFoundError as exc:
        print(exc)
        return 2
    print(f"DOM characters rendered: {res['dom_chars']}")
    print(f"console messages: {len(res['console'])}, errors: {len(res['errors'])}")
    for line in res["errors"]:
        print("  ", line)
    print(f"external requests: {len(res['requests'])}")
    for url in res["requests"]:
        print("  ", url)
    return 0 if not res["errors"] and not res["requests"] and res["dom_chars"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
