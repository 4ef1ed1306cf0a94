"""Two visitors on one server do not see each other's setup or progress.

Two browser contexts (so two Streamlit sessions) open the same URL.  Visitor A steps
three phases, finishes the pass (which updates A's weights) and changes the seed; B,
who did nothing, must still be at phase 0 with the page, URL and network it started
with, and B's first step must compute what A's first step computed with the original
network.  Screenshots: build/screenshots/isolation_A.png and isolation_B.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

QUERY = "data=xor&hidden=4&batch=4&seed=1"  # 6 phases: F0 F1 Loss B1 B0 Update
STATUS = re.compile(r"phase \d+ of \d+")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"

# Every chart's traces, typed arrays made plain, as one JSON string per chart.
PLOTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p =>
    JSON.stringify(p.data || [], (k, v) => ArrayBuffer.isView(v) ? Array.from(v) : v))"""


def wait_idle(page: Page) -> None:
    expect(page.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(
        0, timeout=20_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=20_000)


def status(page: Page):
    return page.get_by_text(STATUS)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(status(page)).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def click(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button:visible").click()
    wait_idle(page)


def settled_plots(page: Page, timeout_ms: int = 10_000) -> list[str]:
    """The charts' data once two reads 300 ms apart agree (Plotly draws after the rerun)."""
    previous = None
    for _ in range(timeout_ms // 300):
        current = page.evaluate(PLOTS_JS)
        if current and current == previous:
            return current
        previous = current
        page.wait_for_timeout(300)
    raise AssertionError("the charts did not settle")


def test_two_sessions_do_not_share_setup_or_progress(browser: Browser, app_url: str):
    url = f"{app_url}/?{QUERY}"
    context_a = browser.new_context(viewport={"width": 1280, "height": 1000})
    context_b = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        a, b = context_a.new_page(), context_b.new_page()
        open_app(a, url)
        open_app(b, url)
        expect(status(a)).to_contain_text("phase 0 of 6")
        expect(status(b)).to_contain_text("phase 0 of 6")
        b_start = settled_plots(b)
        assert settled_plots(a) == b_start  # same URL, same seed: the same start

        # A steps three phases: F0, F1, Loss.
        click(a, "step_next")
        expect(status(a)).to_contain_text("phase 1 of 6")
        a_first_step = settled_plots(a)
        click(a, "step_next")
        click(a, "step_next")
        expect(status(a)).to_contain_text("phase 3 of 6")
        screenshot(a, "isolation_A_phase3")

        # B is untouched by A's steps.
        expect(status(b)).to_contain_text("phase 0 of 6")
        assert settled_plots(b) == b_start

        # A finishes the pass (A's weights change), then changes the seed (a new network).
        click(a, "step_pass")
        expect(status(a)).to_contain_text("phase 6 of 6")
        a.locator('.st-key-seed button[data-testid="stNumberInputStepUp"]').click()
        wait_idle(a)
        expect(a).to_have_url(re.compile(r"seed=2"))
        expect(a.locator(".st-key-seed input")).to_have_value("2")
        screenshot(a, "isolation_A")

        # B: still seed 1, phase 0, the same page as before.
        expect(status(b)).to_contain_text("phase 0 of 6")
        expect(b.locator(".st-key-seed input")).to_have_value("1")
        assert "seed=1" in b.url
        assert settled_plots(b) == b_start

        # B's own first step uses the original network (not A's updated or re-seeded one):
        # it computes exactly what A's first step computed.
        click(b, "step_next")
        expect(status(b)).to_contain_text("phase 1 of 6")
        assert settled_plots(b) == a_first_step
        screenshot(b, "isolation_B")
        for page in (a, b):
            expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    finally:
        context_a.close()
        context_b.close()
