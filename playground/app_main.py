"""The app: the frame every page shares (sidebar, title), then the mode's page.

`app.py` and the console entry point both run `main()`; the maths is in bp_core and
the widgets are in this package.  The modes are pages (st.navigation): see PAGES.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from . import charts, sidebar, state
from . import config as cfg
from .bughunt_view import bughunt_view
from .check_view import gradcheck_view
from .exercises_view import exercises_view
from .i18n import LANGUAGES, t
from .instructor_view import instructor_view
from .room_view import room_frame
from .save_view import save_view
from .session import visitor
from .step_view import step_view
from .train_view import train_view
from .workshop_view import install_pending_preset

log = logging.getLogger("backprop_playground")
TABS = ("step", "train", "check", "save")


def frame() -> None:
    """What every page shares: the link read once, the sidebar, the session brought in
    line with the setup, the address bar, and the page's title."""
    sidebar.init_from_url()
    sidebar.refuse_forged()
    page = navigation()  # before the sidebar: a page's own link may choose the mode
    room_frame()  # a workshop room (?room=): its box, and a pushed scenario installed
    config = sidebar.setup_ui()
    problems = visitor.url_problems
    del visitor.url_problems  # warned about once
    for problem in problems:
        st.warning(cfg.warning_text(problem, t))
    state.apply_config(config)
    install_pending_preset(config)
    sidebar.write_url(config)

    charts.page_style()
    st.title(t("title"))
    st.caption(t("subtitle"))
    page.run()


def play_page() -> None:
    """Step, train, check and save: the four tabs."""
    # Only the open tab runs and is sent to the browser; switching tabs reruns the
    # page.  Otherwise every full rerun rebuilt the hidden tabs' figures as well, and
    # every page load drew them.
    labels = [t(f"tab_{name}") for name in TABS]
    keep_open_tab(labels)
    tabs = st.tabs(labels, key="tab", on_change="rerun")
    for tab, view in zip(tabs, (step_view, train_view, gradcheck_view, save_view), strict=True):
        if tab.open:
            with tab:
                view()


def workshop_page() -> None:
    """The play page, with a prediction asked before each backward phase."""
    st.info(t("workshop_mode_note"))
    play_page()


# One page per mode (config.MODES): a new mode is one entry here and one in MODES.
PAGES = {"play": play_page, "workshop": workshop_page, "bughunt": bughunt_view,
         "exercises": exercises_view, "instructor": instructor_view}


def navigation() -> st.Page:
    """The page of the session's mode, through st.navigation.

    The mode radio (and a ``?mode=`` link) choose the page: the mode's page is the
    default one, served at the app's root, so the address stays the root and every
    ``?mode=`` link lands on its page.  Each page also has its own address
    (``/bughunt``): on the first run a link to it sets the mode; after that, a change
    of the radio moves the browser to the chosen page.  No menu is drawn (the radio
    is the menu, and it can be locked or hidden as every control can).
    """
    pages = {mode: st.Page(view, title=f"{t(f'mode_{mode}')} · Backprop Playground",
                           url_path=mode, default=mode == visitor.mode)
             for mode, view in PAGES.items()}
    page = st.navigation(list(pages.values()), position="hidden")
    wanted = pages[visitor.mode]
    if page is not wanted:
        if not visitor.navigated:  # the link named the page: it is the mode
            visitor.mode = next(mode for mode, p in pages.items() if p is page)
        else:  # the radio changed while the address named another page
            st.switch_page(wanted, query_params=st.query_params.to_dict())
    visitor.navigated = True
    return page


def keep_open_tab(labels: list[str]) -> None:
    """After a language switch, the open tab's label is in the old language: translate it,
    so the learner stays on the tab they were on."""
    open_label = visitor.tab
    for name, label in zip(TABS, labels, strict=True):
        if open_label in {t(f"tab_{name}", lang=lang) for lang in LANGUAGES}:
            visitor.tab = label


def main() -> None:
    st.set_page_config(page_title="Backprop Playground", page_icon="🧮", layout="wide")
    if os.environ.get("BP_PLAYGROUND_DEBUG") == "1":
        frame()  # development and tests: let the exception through
        return
    try:
        frame()
    except Exception:  # the hosted error boundary: log the details, show no paths
        log.exception("unexpected error")
        st.error(t("unexpected_error"))
