"""The step page's layout in a real Chromium, for a whole pass, at three screen sizes.

One server, one browser page, reused: for each setup (Mazur's worked example, xor with
two hidden layers, digits) and each size (1440×900, 1024×768 and a 390×844 phone) the
page is loaded and stepped through a whole pass with Next, and every phase is measured
in the browser once Plotly has drawn it:

* where the four buttons of the control bar are (after scrolling to the top);
* whether any button's label is cut off (an element of the button whose text is wider
  than its box: ``scrollWidth > clientWidth``);
* where the phase's panels are (the first one must be on the first screen at 1024×768
  and up; on a phone, the panels come before the diagram);
* whether a KaTeX formula is wider than its container or scrolls sideways;
* whether two number labels inside one heatmap overlap (Plotly's ``.heatmap-label text``).

The measurements are taken once (a module fixture) and checked by the tests below, one
check each, so that a check that fails today for a known reason can be marked as such.
Every phase's screenshot is saved under build/screenshots/layout-*.png.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SETUPS = {"mazur": "preset=mazur", "xor-4-2": "data=xor&hidden=4-2",
          "digits": "data=digits"}
SIZES = {"1440x900": (1440, 900), "1024x768": (1024, 768), "390x844": (390, 844)}
BUTTONS = ("step_back", "step_next", "step_pass", "step_reset")
# The status in the bar, in English and in Chinese (locales' pass_status).
STATUS = re.compile(r"phase (\d+) of (\d+)|阶段 (\d+)/(\d+)")

# Everything one phase is checked for, measured in the page at the top of the scroll.
MEASURE = """keys => {
    for (const el of [document.scrollingElement, ...document.querySelectorAll(
            '[data-testid=stMain], [data-testid=stAppViewContainer]')]) {
        if (el) el.scrollTop = 0;
    }
    const box = el => { const r = el.getBoundingClientRect();
                        return {x: r.x, y: r.y, w: r.width, h: r.height}; };
    // Streamlit draws a button with help= twice, one of them empty (0×0): take the drawn one.
    const drawn = key => Array.from(document.querySelectorAll(`.st-key-${key} button`))
        .find(b => b.getBoundingClientRect().width > 0);
    const buttons = {}, cut = [];
    for (const key of keys) {
        const b = drawn(key);
        if (!b) continue;
        buttons[key] = box(b);
        for (const el of [b, ...b.querySelectorAll('*')]) {
            if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
                cut.push(`${key}: "${b.innerText.trim()}" ${el.scrollWidth}>${el.clientWidth}`);
            }
        }
    }
    const panels = Array.from(document.querySelectorAll('.st-key-step_panels .js-plotly-plot'))
        .map(box).filter(b => b.w > 0);  // (not a chart Streamlit is about to replace)
    const diagram = document.querySelector('.st-key-diagram .js-plotly-plot');
    const wide = [];
    for (const k of document.querySelectorAll('.katex-display, .katex')) {
        const holder = k.closest('[data-testid=stMarkdownContainer]');
        if (!holder) continue;
        const right = k.getBoundingClientRect().right, limit = holder.getBoundingClientRect().right;
        let scrolls = false;
        for (let el = k; el && el !== holder.parentElement; el = el.parentElement) {
            const o = getComputedStyle(el).overflowX;
            if (o !== 'visible' && el.scrollWidth > el.clientWidth + 1) scrolls = true;
        }
        if (right > limit + 1 || scrolls) {
            wide.push(`${k.textContent.slice(0, 40)}…: right ${Math.round(right)}`
                      + ` > ${Math.round(limit)}` + (scrolls ? ' (scrolls)' : ''));
        }
    }
    const overlaps = [];
    document.querySelectorAll('[data-testid=stMain] .js-plotly-plot').forEach((plot, p) => {
        const labels = Array.from(plot.querySelectorAll('.heatmap-label text'))
            .filter(t => t.textContent.trim())
            .map(t => [t.textContent, t.getBoundingClientRect()])
            .filter(([, r]) => r.width > 0);
        for (let i = 0; i < labels.length; i++) {
            for (let j = i + 1; j < labels.length; j++) {
                const [s, a] = labels[i], [u, b] = labels[j];
                if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
                    a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
                    overlaps.push(`chart ${p}: "${s}" and "${u}"`);
                    i = labels.length;  // one example per chart is enough
                    break;
                }
            }
        }
    });
    return {buttons, cut, panels, diagram: diagram ? box(diagram) : null, wide, overlaps,
            height: window.innerHeight,
            charts: document.querySelectorAll('[data-testid=stMain] .js-plotly-plot .main-svg')
                .length};
}"""


def wait_idle(page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)


def position(page) -> tuple[int, int]:
    text = page.locator(".st-key-step_bar").inner_text()
    match = STATUS.search(text)
    assert match, text
    done, total = (int(g) for g in match.groups() if g is not None)
    return done, total


def settled(page) -> dict:
    """The measurements once two reads 0.25 s apart agree (Plotly has drawn)."""
    last = page.evaluate(MEASURE, list(BUTTONS))
    for _ in range(40):
        time.sleep(0.25)
        now = page.evaluate(MEASURE, list(BUTTONS))
        if now == last:
            return now
        last = now
    return last


def step_a_pass(page, url: str, name: str) -> list[dict]:
    """Load the page, then Next to the end of the pass; one measurement per phase."""
    page.goto(url)
    expect(page.locator(".st-key-step_bar")).to_contain_text(STATUS, timeout=60_000)
    wait_idle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    phases = []
    done, total = position(page)
    while True:
        for key in BUTTONS:  # drawn, not the skeleton Streamlit shows while it loads
            expect(page.locator(f".st-key-{key} button:visible")).to_be_visible()
        expect(page.locator(".st-key-diagram .main-svg").first).to_be_attached()
        measured = settled(page)
        measured["phase"] = done
        phases.append(measured)
        page.screenshot(path=str(SCREENSHOTS / f"layout-{name}-{done}.png"))
        if done == total:
            return phases
        page.locator(".st-key-step_next button:visible").click()
        page.mouse.move(0, 0)  # no help tooltip over the screenshot
        expect(page.locator(".st-key-step_bar")).to_contain_text(
            re.compile(rf"phase {done + 1} of|阶段 {done + 1}/"))
        wait_idle(page)
        done, total = position(page)


@pytest.fixture(scope="module")
def passes(browser: Browser, app_url: str) -> dict:
    """{(setup, size): [measurement of each phase]}, every setup at every size, and xor
    at 1024×768 in Chinese."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    runs = [(setup, size, "") for setup in SETUPS for size in SIZES]
    runs.append(("xor-4-2", "1024x768", "zh"))
    out = {}
    try:
        for setup, size, lang in runs:
            width, height = SIZES[size]
            page.set_viewport_size({"width": width, "height": height})
            query = SETUPS[setup] + (f"&lang={lang}" if lang else "")
            name = f"{setup}-{size}" + (f"-{lang}" if lang else "")
            out[(setup, size + (f"-{lang}" if lang else ""))] = step_a_pass(
                page, f"{app_url}/?{query}", name)
    finally:
        context.close()
    return out


def test_every_pass_was_measured(passes):
    for (setup, size), phases in passes.items():
        assert phases[-1]["phase"] == len(phases) - 1 >= 6, (setup, size)
        for m in phases:
            assert set(m["buttons"]) == set(BUTTONS), (setup, size, m["phase"])
            assert m["charts"] > 0, (setup, size, m["phase"])


def test_the_control_bar_does_not_move_during_a_pass(passes):
    for (setup, size), phases in passes.items():
        first = phases[0]["buttons"]
        for m in phases[1:]:
            for key in BUTTONS:
                now, then = m["buttons"][key], first[key]
                assert abs(now["x"] - then["x"]) <= 1 and abs(now["y"] - then["y"]) <= 1, (
                    f"{setup} at {size}: {key} moved from {then} to {now} at phase {m['phase']}")


def test_no_button_label_is_cut_off(passes):
    cut = {(setup, size, m["phase"]): m["cut"]
           for (setup, size), phases in passes.items() for m in phases if m["cut"]}
    assert not cut


def test_the_phase_panels_are_on_the_first_screen(passes):
    """At 1024×768 and up the phase's first panel is in view without scrolling; on a
    phone the panels come before the diagram (what the phase computed comes first)."""
    for (setup, size), phases in passes.items():
        for m in phases[1:]:  # before the first Next there is no phase
            assert m["panels"], (setup, size, m["phase"])
            first = min(m["panels"], key=lambda b: b["y"])
            where = (setup, size, m["phase"], first)
            if size.startswith("390"):
                assert first["y"] < m["diagram"]["y"], where
                # and the panel the phase computed (the last in reading order) is first
                assert m["panels"][-1]["y"] == first["y"], where
            else:
                assert first["y"] < m["height"] and first["y"] + first["h"] > 0, where


@pytest.mark.xfail(strict=True, reason="the filled-in equations now wrap within 56 glyphs "
                   "a line (bp_view.latex.chain) and end inside their box, but on Mazur at "
                   "1440×900 three KaTeX displays (z_j^[1], C_0) still report a sideways "
                   "scroll (scrollWidth > clientWidth + 1 on an ancestor); not yet traced")
def test_no_formula_is_wider_than_its_box(passes):
    wide = {(setup, size, m["phase"]): m["wide"]
            for (setup, size), phases in passes.items() for m in phases if m["wide"]}
    assert not wide


def test_no_two_heatmap_labels_overlap(passes):
    overlaps = {(setup, size, m["phase"]): m["overlaps"]
                for (setup, size), phases in passes.items() for m in phases if m["overlaps"]}
    assert not overlaps
