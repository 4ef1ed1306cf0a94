"""The page: sidebar, then the open mode's view.  `app.py` and the console entry point
both run `main()`; the maths is in bp_core and the widgets are in this package."""

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
from .save_view import save_view
from .step_view import step_view
from .train_view import train_view
from .workshop_view import install_pending_preset

log = logging.getLogger("backprop_playground")
TABS = ("step", "train", "check", "save")


def page() -> None:
    sidebar.init_from_url()
    sidebar.refuse_forged()
    config = sidebar.setup_ui()
    for problem in st.session_state.pop("url_problems", []):
        st.warning(cfg.warning_text(problem, t))
    state.apply_config(config)
    install_pending_preset(config)
    sidebar.write_url(config)

    charts.page_style()
    st.title(t("title"))
    st.caption(t("subtitle"))
    mode = st.session_state.get("mode", "play")
    if mode == "bughunt":
        bughunt_view()
        return
    if mode == "exercises":
        exercises_view()
        return
    if mode == "workshop":
        st.info(t("workshop_mode_note"))
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


def keep_open_tab(labels: list[str]) -> None:
    """After a language switch, the open tab's label is in the old language: translate it,
    so the learner stays on the tab they were on."""
    open_label = st.session_state.get("tab")
    for name, label in zip(TABS, labels, strict=True):
        if open_label in {t(f"tab_{name}", lang=lang) for lang in LANGUAGES}:
            st.session_state["tab"] = label


def main() -> None:
    st.set_page_config(page_title="Backprop Playground", page_icon="🧮", layout="wide")
    if os.environ.get("BP_PLAYGROUND_DEBUG") == "1":
        page()  # development and tests: let the exception through
        return
    try:
        page()
    except Exception:  # the hosted error boundary: log the details, show no paths
        log.exception("unexpected error")
        st.error(t("unexpected_error"))
