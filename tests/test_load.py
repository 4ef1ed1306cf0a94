"""The load test (benchmarks/load_test.py) in a short form: it runs and measures.

Two visitors x five clicks x two waves against a server the script starts itself.
No timing thresholds here: the speed targets are checked by the full benchmark
(benchmarks/RESULTS_load.md), not by the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"

pytestmark = pytest.mark.browser


def test_short_load_run_has_no_errors_and_measures_latency_and_memory(tmp_path):
    out = tmp_path / "load.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_test", "--users", "2",
         "--clicks", "5", "--waves", "2", "--settle", "1", "--json", str(out),
         "--screenshots", str(SCREENSHOTS)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    result = json.loads(out.read_text())
    overall = result["overall"]
    assert overall["errors"] == 0, [w["error_messages"] for w in result["waves"]]
    assert overall["clicks"] == 2 * 5 * 2
    assert len(result["waves"]) == 2
    for wave in result["waves"]:
        assert wave["clicks"] == 10 and wave["errors"] == 0
        assert wave["redraw_p50_s"] > 0 and wave["redraw_p95_s"] >= wave["redraw_p50_s"]
        assert wave["shown_p50_s"] > 0 and wave["load_p50_s"] > 0
        assert wave["server_p50_s"] is not None and wave["kb_per_click"] > 0
        assert wave["rss_after_mb"] > 0
    assert overall["rss_idle_mb"] > 0
    assert overall["rss_peak_mb"] >= max(w["rss_after_mb"] for w in result["waves"])
    # The table the script prints.
    assert "redraw p95 s" in run.stdout and "RSS after MB" in run.stdout
