"""One way to put a Plotly figure on the page.

Every chart goes through `show`, so all of them get the same config (no mode bar)
and Streamlit's chart theme off.  That theme adds a template to each figure, and
a template makes Plotly draw every new chart twice (see `_DRAW_ONCE` in
bp_core.figures); the figures carry their own fonts and colours instead.  The page
also needs `page_style`, for the same reason.
"""

from __future__ import annotations

import streamlit as st

PLOT_CONFIG = {"displayModeBar": False}

# Every chart's box a whole number of pixels wide.  Plotly first sizes a chart from
# its box's CSS width, which the browser rounds to 3 decimals (262.672px), and then
# Streamlit hands it the exact width (262.671875): a different width, so Plotly drew
# the whole chart again.  (CSS round() needs Chromium 125, Firefox 118, Safari 15.4;
# where it is missing the rule is ignored and charts are just drawn twice.)
PAGE_CSS = (
    "[data-testid=stElementContainer]:has(.stPlotlyChart) "
    "{width: round(down, 100%, 1px) !important}"
)


def page_style() -> None:
    """Once per page: the CSS above."""
    st.html(f"<style>{PAGE_CSS}</style>")


def show(fig, where=None, **kwargs):
    """st.plotly_chart(fig) in `where` (a column, a placeholder; default the page)."""
    return (where or st).plotly_chart(fig, config=PLOT_CONFIG, theme=None, **kwargs)
