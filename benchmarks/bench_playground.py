"""How fast does a Next click redraw?  Prints figures; asserts nothing.

    python -m benchmarks.bench_playground [--clicks 40]      # from the repository root

1. AppTest (server side only): the time of one rerun after a Next click, with
   64-16-8-10 (digits) and batch 8.  Target: median ≤ 150 ms.
2. Headless Chromium (the system one, through Playwright) against a real
   `streamlit run` on loopback: from the click until the phase counter shows the
   new phase and Streamlit's running indicator is gone.  Target: median ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

QUERY = {"data": "digits", "hidden": "16-8", "batch": "8", "seed": "0"}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def summary(name: str, ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20)
    return (f"{name:<34} n={len(ms):3d}  median {statistics.median(ms):7.1f} ms   "
            f"p95 {q[18]:7.1f} ms   min {min(ms):6.1f} ms")


def bench_apptest(clicks: int) -> list[float]:
    os.environ["BP_PLAYGROUND_DEBUG"] = "1"
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(QUERY)
    at.run()
    times = []
    for _ in range(clicks):
        button = at.button(key="step_next")
        start = time.perf_counter()
        button.click().run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return times


def bench_browser(clicks: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, start_server
    from tests.serving import free_port, wait_healthy
    (ROOT / "build").mkdir(exist_ok=True)
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}/?" + "&".join(f"{k}={v}" for k, v in QUERY.items())
    times = []
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1800})
            page.goto(url)
            status = page.get_by_text(re.compile(r"phase \d+ of \d+"))
            status.wait_for(timeout=30_000)
            running = page.locator('[data-testid="stStatusWidget"]')
            for _ in range(clicks):
                before = status.inner_text()
                start = time.perf_counter()
                page.locator(".st-key-step_next button:visible").click()
                page.wait_for_function(
                    """before => { const el = Array.from(document.querySelectorAll('p, span'))
                        .find(e => /phase \\d+ of \\d+/.test(e.textContent));
                        return el && !el.textContent.includes(before.match(/phase \\d+ of \\d+/)[0])
                            && !document.querySelector('[data-testid="stStatusWidget"]'); }""",
                    arg=before, timeout=30_000, polling="raf")
                times.append((time.perf_counter() - start) * 1000)
                running.wait_for(state="detached")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=40)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    print(f"Setup: {QUERY} (64-16-8-10, batch 8); {args.clicks} Next clicks each\n")
    print(summary("AppTest rerun after Next", bench_apptest(args.clicks)))
    print(summary("Chromium click-to-redraw", bench_browser(args.clicks)))


if __name__ == "__main__":
    main()
