"""The modes as pages in a real headless Chromium: a page's own address, a ?mode= link,
and the mode radio moving between pages with the setup kept."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_pages_own_address_opens_it_and_sets_the_mode(page: Page, app_url: str):
    page.goto(f"{app_url}/bughunt?data=circle&hidden=3")
    expect(page.locator(".st-key-bug_run button")).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-step_next")).to_have_count(0)
    expect(page.locator(".st-key-mode label:has(input:checked)")).to_contain_text("Bug hunt")
    expect(page).to_have_url(re.compile(r"mode=bughunt"))
    expect(page).to_have_url(re.compile(r"data=circle"))


def test_a_mode_link_opens_its_page(page: Page, app_url: str):
    page.goto(f"{app_url}/?mode=exercises")
    expect(page.locator(".st-key-exercise_run button")).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-mode label:has(input:checked)")).to_contain_text("Exercises")


def test_the_radio_moves_between_pages_and_keeps_the_setup(page: Page, app_url: str):
    page.goto(f"{app_url}/bughunt?data=moons&hidden=5&seed=3")
    expect(page.locator(".st-key-bug_run button")).to_be_visible(timeout=30_000)
    page.locator(".st-key-mode").get_by_text("Play", exact=True).click()
    expect(page.locator(".st-key-step_next button:visible")).to_be_visible()
    expect(page.locator(".st-key-bug_run")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"data=moons"))
    expect(page).not_to_have_url(re.compile(r"mode="))
    page.locator(".st-key-mode").get_by_text("Bug hunt", exact=True).click()
    expect(page.locator(".st-key-bug_run button")).to_be_visible()
    expect(page).to_have_url(re.compile(r"mode=bughunt"))
    expect(page).to_have_url(re.compile(r"seed=3"))
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
