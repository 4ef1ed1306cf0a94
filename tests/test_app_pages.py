"""The modes are pages (st.navigation): every ?mode= link lands on its page, and the
mode radio moves between them.  AppTest for the links and the radio; a real Chromium
(test_browser_pages.py) for the pages' own addresses.
"""

from __future__ import annotations

import pytest

from playground import app_main, config
from tests.apphelpers import start

# What only each page draws: its own buttons (widget keys), written here from the views.
OWN_WIDGETS = {"play": "step_next", "workshop": "step_next", "bughunt": "bug_run",
               "exercises": "exercise_run", "instructor": "room_create"}
WORKSHOP_NOTE = "Workshop mode: before each backward phase"


def page_of(at) -> str:
    """Which page ran, from the widgets and the note on it."""
    keys = {b.key for b in at.button}
    found = [mode for mode, key in OWN_WIDGETS.items() if key in keys]
    if "step_next" in keys:
        return "workshop" if any(WORKSHOP_NOTE in i.value for i in at.info) else "play"
    assert len(found) == 1, found
    return found[0]


def test_every_mode_has_a_page():
    assert list(app_main.PAGES) == config.MODES


@pytest.mark.parametrize("mode", config.MODES)
def test_a_mode_link_lands_on_its_page(mode):
    at = start({"mode": mode})
    assert page_of(at) == mode
    assert at.radio(key="mode").value == mode
    assert at.query_params.get("mode", "play") == mode if mode != "play" else (
        "mode" not in at.query_params)


def test_no_mode_is_the_play_page_and_a_bad_one_warns():
    assert page_of(start()) == "play"
    at = start({"mode": "admin"})
    assert page_of(at) == "play" and any("'mode'" in w.value for w in at.warning)


@pytest.mark.parametrize("mode", ["bughunt", "exercises", "workshop", "play"])
def test_the_mode_radio_moves_to_the_page(mode):
    at = start({"mode": "exercises" if mode == "play" else "play"})
    at.radio(key="mode").set_value(mode).run()
    assert not at.exception, at.exception
    assert page_of(at) == mode
    assert (at.query_params.get("mode") or "play") == mode


def test_the_setup_is_kept_across_pages():
    at = start({"data": "circle", "hidden": "3", "seed": "4"})
    net = at.session_state["net"]
    at.radio(key="mode").set_value("bughunt").run()
    at.radio(key="mode").set_value("play").run()
    assert at.session_state["net"] is net
    assert at.query_params["data"] == "circle" and at.query_params["hidden"] == "3"
