"""Workshop mode in a real headless Chromium: Mazur's worked example, number by number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def click(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button:visible").click()
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=20_000)


def table_values(page: Page) -> dict[str, float]:
    rows = page.locator('[data-testid="stTable"] tbody tr')
    out = {}
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td, th").all_inner_texts()
        out[cells[-2].strip()] = float(cells[-1])
    return out


def test_mazur_scenario_shows_the_posts_numbers(page: Page, app_url: str, screenshot):
    page.goto(f"{app_url}/?preset=mazur")
    status = page.get_by_text(re.compile(r"phase \d+ of \d+"))
    expect(status).to_contain_text("phase 0 of 6", timeout=30_000)
    expect(page.get_by_text("Mazur's step-by-step example").first).to_be_visible()

    click(page, "step_next")   # F0: the hidden layer
    table = page.locator('[data-testid="stTable"]')
    expect(table).to_contain_text("0.593269992")          # out_h1
    click(page, "step_next")   # F1: the output layer
    expect(table).to_contain_text("0.75136507")           # out_o1
    click(page, "step_next")   # the loss
    expect(status).to_contain_text("phase 3 of 6")
    expect(table).to_contain_text("0.298371109")          # E_total
    # The loss equation, typeset by KaTeX, carries the same number.
    expect(page.locator(".katex").filter(has_text="0.298371109").first).to_be_visible()
    click(page, "step_next")   # B1
    expect(table).to_contain_text("0.138498562")          # delta_o1
    # dE/dw5: the post prints 9 decimals (0.082167041), the page 9 significant digits
    # (0.0821670406); both start 0.08216704.
    expect(table).to_contain_text("0.08216704")
    screenshot("mazur_backward")
    click(page, "step_next")   # B0
    expect(table).to_contain_text("0.00043856")           # dE/dw1 (post: 0.000438568)
    click(page, "step_next")   # the update
    expect(status).to_contain_text("phase 6 of 6")
    # The status is in the control bar, drawn before the table: wait for the update's rows.
    expect(table).to_contain_text("0.3589164")           # w5 after the update
    # The post prints 8 or 9 decimals; the page 9 significant digits. Each of the page's
    # numbers must round to the post's.
    shown = table_values(page)
    post = {"w5": "0.35891648", "w6": "0.408666186", "w7": "0.511301270", "w8": "0.561370121",
            "w1": "0.149780716", "w2": "0.19956143", "w3": "0.24975114", "w4": "0.29950229",
            "E_total": "0.298371109", "out_o2": "0.772928465", "b1": "0.35", "b2": "0.60"}
    for name, printed in post.items():
        decimals = len(printed.split(".")[1])
        assert abs(shown[name] - float(printed)) <= 0.5 * 10 ** -decimals, (name, shown[name])
    expect(page.locator(".katex").filter(has_text="0.35891648").first).to_be_visible()
    screenshot("mazur_update")
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
