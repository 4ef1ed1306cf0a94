"""One way to put a Plotly figure on the page, and everything the page knows about Plotly.

bp_view's figures are page-agnostic: no template, every colour their own, no font
family.  Every chart of the app goes through `show`, which gives it the app's font
(`for_page`), one config (no mode bar) and Streamlit's chart theme off.  This module
also holds the page's CSS for charts: `page_style` once per page, and
`diagram_highlight_css`, which lights up parts of bp_view's network diagram.

Why these details: in the app, Streamlit draws every new chart twice, first at the
width Plotly finds, then again once it has measured the chart's box and handed Plotly
a fresh copy of the figure.  Plotly redoes the whole drawing for that second call
unless it can tell that nothing changed.  Four things defeat it:

* an object where Plotly compares by identity, such as a template or a layout.meta
  (the copy is a new object).  bp_view's figures carry neither; Streamlit's own
  chart theme would add a template, so `show` turns it off;
* a layout sized without autosize (the first draw is autosized, the second is not):
  `for_page` sets autosize;
* data arrays without a datarevision (the copies are new arrays): `for_page` sets
  one.  In the app a new figure is always a new chart, so a constant is enough;
* a box width that is not a whole number of pixels: `PAGE_CSS`.

Measured in Chromium: Plotly's time per Next click went from about 145 ms to 90 ms.
"""

from __future__ import annotations

import re

import streamlit as st

from bp_view.diagram import (
    COLUMN_LABEL,
    LAYER_LABEL,
    LINE_OPACITY,
    LOSS_OUTLINE,
    NEURON_OPACITY,
    bright_parts,
    look,
)

PLOT_CONFIG = {"displayModeBar": False}
# The app's own font and text colour (Streamlit's), so figures match the page around
# them; the white hover labels of bp_view stand in for what Streamlit's theme gave.
FONT_FAMILY = '"Source Sans", sans-serif'
TEXT_COLOUR = "#2f2d2b"
_PAGE_LAYOUT = {"font": {"family": FONT_FAMILY, "color": TEXT_COLOUR},
                "hoverlabel": {"font": {"family": FONT_FAMILY, "color": TEXT_COLOUR}},
                "autosize": True, "datarevision": 0}

# Every chart's box a whole number of pixels wide.  Plotly first sizes a chart from
# its box's CSS width, which the browser rounds to 3 decimals (262.672px), and then
# Streamlit hands it the exact width (262.671875): a different width, so Plotly drew
# the whole chart again.  (CSS round() needs Chromium 125, Firefox 118, Safari 15.4;
# where it is missing the rule is ignored and charts are just drawn twice.)
PAGE_CSS = (
    "[data-testid=stElementContainer]:has(.stPlotlyChart) "
    "{width: round(down, 100%, 1px) !important}"
)

# The step view (playground.step_view):
# * less empty space above the title than Streamlit's 6rem, so that at 1024×768 the
#   phase's panels start on the first screen;
# * on a wide screen the control bar stays in view while the page scrolls (under
#   Streamlit's header, 3.75rem tall), so Next is always where it was;
# * on a phone (below 640 px, where Streamlit stacks columns) the panels come right
#   after the bar, before the heading and the diagram, and last first: the panels
#   are in reading order, inputs then results, so what the phase computed comes first.
STEP_CSS = """
[data-testid=stMainBlockContainer] {padding-top: 3.5rem}
@media (min-width: 641px) {
  .st-key-step_bar {position: sticky; top: 3.75rem; z-index: 5; background: white;
                    padding: 0.25rem 0}
}
@media (max-width: 640px) {
  [data-testid=stLayoutWrapper]:has(> .st-key-step_bar) {order: -2}
  [data-testid=stLayoutWrapper]:has(> .st-key-step_panels) {order: -1}
  .st-key-step_panels [data-testid=stHorizontalBlock] {flex-direction: column-reverse}
}
"""
# The diagram's largest height on the step page: a tall one (digits' 64 inputs) would
# push the phase's panels under the fold beside a short heading.
DIAGRAM_MAX_PX = 320


def page_style() -> None:
    """Once per page: the CSS above."""
    st.html(f"<style>{PAGE_CSS}\n{STEP_CSS}</style>")


def for_page(fig):
    """The figure, changed in place, with the app's font and drawn once (see above).

    Idempotent, so a cached figure can be shown again and again.
    """
    return fig.update_layout(_PAGE_LAYOUT)


def show(fig, where=None, **kwargs):
    """st.plotly_chart(fig) in `where` (a column, a placeholder; default the page)."""
    return (where or st).plotly_chart(for_page(fig), config=PLOT_CONFIG, theme=None, **kwargs)


def diagram_highlight_css(parts: list[str], highlight, scope: str) -> str:
    """CSS that draws `highlight` on a bp_view `network_diagram(..., highlight=None)`.

    Why CSS: the weights change only at the update, so on the other clicks of a pass
    the diagram's figure stays the same and the browser does not draw it again; a
    new highlight in the figure made it draw the whole diagram on every click (about
    a third of the browser's time per click).  These rules fade and light up the
    diagram's parts exactly as the figure itself would with that highlight: they use
    bp_view.diagram's own opacities and colours.

    parts: the figure's `diagram_parts`.  Plotly draws trace i as the
    (i+1)-th ``g.trace`` of its ``g.scatterlayer``, which is how a rule finds it.
    scope: a CSS selector of the element that holds the diagram (letters, digits,
    "-", "_", "." and "#" only).
    """
    if not re.fullmatch(r"[\w.#-]+", scope):
        raise ValueError(f"scope must be a simple CSS selector, got {scope!r}")
    L = sum(part.startswith("n") for part in parts) - 1
    kind = highlight[0] if highlight else None
    bright_w, bright_n = bright_parts(highlight, L)
    rules = []
    for i, part in enumerate(parts):
        layer = int(part[1:]) if part[0] in "whn" and part[1:].isdigit() else None
        if part[0] == "w":
            opacity = look(LINE_OPACITY, layer in bright_w)
        elif part[0] == "n":
            opacity = look(NEURON_OPACITY, layer in bright_n)
        else:
            continue
        rules.append(f"{scope} g.scatterlayer > g.trace:nth-child({i + 1}) "
                     f"{{opacity: {opacity} !important}}")
    # The annotations: the column labels a[0] … a[L], then W[0], b[0] … W[L-1], b[L-1].
    for l in range(L + 1):
        colour = look(COLUMN_LABEL, l in bright_n)
        rules.append(f'{scope} g.annotation[data-index="{l}"] text {{fill: {colour} !important}}')
    for l in range(L):
        colour = look(LAYER_LABEL, kind is not None and l in bright_w)
        rules.append(f'{scope} g.annotation[data-index="{L + 1 + l}"] text '
                     f"{{fill: {colour} !important}}")
    if kind == "loss":  # the output neurons, where the loss is computed
        index = parts.index(f"n{L}") + 1
        rules.append(f"{scope} g.scatterlayer > g.trace:nth-child({index}) path.point "
                     f"{{stroke-width: {LOSS_OUTLINE}px !important}}")
    return "\n".join(rules)
