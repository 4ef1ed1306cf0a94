"""The playground in a real headless Chromium (Playwright, system browser)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'


def wait_idle(page: Page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=20_000)


def status(page: Page):
    return page.get_by_text(re.compile(r"phase \d+ of \d+"))


def click(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button").click()
    wait_idle(page)


def heatmap_data(page: Page) -> list:
    """The z values of every heatmap on the page, read from Plotly in the browser."""
    # z arrives packed ({dtype, bdata, shape}) or as nested lists; either way its JSON
    # text changes exactly when the numbers do.
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .flatMap(p => (p.data || []).filter(t => t.type === 'heatmap')
        .map(t => JSON.stringify(t.z)))""")


def eventually(condition, timeout: float = 10.0) -> bool:
    """Poll a condition: Plotly redraws a moment after Streamlit's rerun ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def settled(page: Page) -> list:
    """The heatmaps once two reads 0.3 s apart agree (Plotly has finished redrawing)."""
    last = heatmap_data(page)
    for _ in range(50):
        time.sleep(0.3)
        now = heatmap_data(page)
        if now == last:
            return now
        last = now
    return last


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(status(page)).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_shared_url_restores_the_setup(page: Page, app_url: str, screenshot):
    open_app(page, f"{app_url}/?data=circle&hidden=5-3&act=relu&lr=0.03&batch=4&seed=9")
    expect(status(page)).to_contain_text("phase 0 of 8")  # 3 forward, loss, 3 backward, update
    expect(page.locator(".st-key-act input")).to_have_value("relu")
    expect(page.locator(".st-key-data input")).to_have_value(re.compile("circle"))
    assert "hidden=5-3" in page.url and "seed=9" in page.url
    screenshot("shared_url")


def test_step_a_whole_pass_heatmaps_change_and_back_restores(page: Page, app_url: str,
                                                             screenshot):
    open_app(page, f"{app_url}/?data=xor&hidden=4&batch=4&seed=1")
    seen, previous = [], heatmap_data(page)
    for k in range(1, 7):  # F0 F1 Loss B1 B0 Update
        click(page, "step_next")
        expect(status(page)).to_contain_text(f"phase {k} of 6")
        expect(page.locator(CHART).first).to_be_visible()
        # Every phase draws something different from the one before it.
        assert eventually(lambda before=previous: heatmap_data(page) != before), f"phase {k} is new"
        previous = settled(page)
        seen.append(previous)
        if k == 4:
            screenshot("backward_phase")
    screenshot("pass_done")
    click(page, "step_back")
    expect(status(page)).to_contain_text("phase 5 of 6")
    assert eventually(lambda: heatmap_data(page) == seen[4]), "Back did not restore B0's panels"


def test_train_draws_a_loss_curve(page: Page, app_url: str, screenshot):
    open_app(page, f"{app_url}/?data=moons&hidden=6&epochs=15&lr=0.3")
    page.get_by_role("tab", name="Train").click()
    click(page, "train")
    expect(page.get_by_text("Trained for 15 epochs")).to_be_visible(timeout=30_000)
    curves = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .filter(p => ((p.layout.title || {}).text || '').toLowerCase().includes('loss'))
        .map(p => (p.calcdata || []).map(points => points.length))""")
    assert curves and max(max(c) for c in curves) == 15
    screenshot("trained")
