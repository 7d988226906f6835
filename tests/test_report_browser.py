"""The demo report opens in headless Chromium with no console message and no external request.

Needs Chromium (Debian: apt-get install chromium); skips with that message when it is absent.
"""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_report_browser.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_report_browser", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_report_browser_no_console_errors_no_requests(demo_run, tmp_path):
    mod = _checker()
    if mod.find_chromium() is None:
        pytest.skip("Chromium not installed (apt-get install chromium): browser check skipped")
    res = mod.check_report(demo_run.out_dir / "report" / "index.html")
    assert res["dom_chars"] > 10_000
    assert res["errors"] == []
    assert res["requests"] == []
    # the checker itself sees what it must: a page with a script error and a remote image
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<html><body><img src="http://example.invalid/x.png">'
        "<script>undefinedFn();</script></body></html>"
    )
    res_bad = mod.check_report(bad)
    assert res_bad["errors"] and res_bad["requests"] == ["http://example.invalid/x.png"]
