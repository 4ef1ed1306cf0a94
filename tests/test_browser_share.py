"""Save & share in Chromium: the code box holds the page's own full link, with
Streamlit's copy button, and that link opens the same setup."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_playground import open_app, wait_idle

pytestmark = pytest.mark.browser


def test_the_share_box_holds_the_full_link_with_a_copy_button(page: Page, app_url: str,
                                                               screenshot):
    open_app(page, f"{app_url}/?data=circle&hidden=5-3&seed=9&lock=lr")
    page.get_by_role("tab", name="Save & share").click()
    wait_idle(page)
    box = page.locator('[data-testid="stCode"]').first
    expect(box).to_contain_text(f"{app_url}/?")
    link = box.inner_text().strip()
    assert "data=circle" in link and "hidden=5-3" in link and "lock=lr" in link
    box.hover()
    expect(box.locator("button").first).to_be_visible()  # Streamlit's copy button
    screenshot("share_link")
    open_app(page, link)  # the link opens the same setup
    assert "hidden=5-3" in page.url and "seed=9" in page.url
