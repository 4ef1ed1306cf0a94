"""The slowdown scenario in Chromium: Nielsen's neuron on two panels of C / C₀, and the
epoch slider that steps it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_playground import CHART, open_app, wait_idle

pytestmark = pytest.mark.browser


def test_the_slowdown_chart_and_its_epoch_slider(page: Page, app_url: str, screenshot):
    open_app(page, f"{app_url}/?preset=slowdown")
    chart = page.locator(f".st-key-scenario_slowdown {CHART}, {CHART}").first
    expect(chart).to_be_visible()
    traces = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .map(p => (p.data || []).length)""")
    screenshot("slowdown")
    assert 4 in traces  # two starts × two costs
    table = page.get_by_role("table").first
    at_start = table.inner_text()
    slider = page.locator(".st-key-slowdown_epoch input")  # a hidden range input
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    expect(slider).to_have_value("5")
    wait_idle(page)
    expect(table).to_contain_text("(2, 2)")
    expect(table).not_to_have_text(at_start)  # the table now gives epoch 5's numbers
