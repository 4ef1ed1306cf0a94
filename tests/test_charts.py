"""playground.charts: what the page adds to bp_view's figures, and the diagram's CSS.

bp_view's figures know nothing of the page; `charts.for_page` gives them the app's
font and what makes Plotly draw a chart once in Streamlit (autosize, a datarevision,
no template), and `diagram_highlight_css` must light up exactly what the diagram's
own highlight would.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from bp_core import Network, Stepper
from bp_view import figures
from playground.charts import FONT_FAMILY, TEXT_COLOUR, diagram_highlight_css, for_page


def test_for_page_gives_the_app_font_and_draws_once():
    """No template or meta object, autosize and a datarevision; the sizes bp_view chose
    are kept, and showing a figure twice changes nothing more."""
    net = Network([3, 4, 2], seed=1)
    rng = np.random.default_rng(0)
    records = Stepper(net, rng.normal(size=(5, 3)), rng.uniform(size=(5, 2)), 0.5).run()
    figs = [fig for record in records for _, fig in figures.phase_figures(record, "sigmoid")]
    figs.append(figures.network_diagram(net.sizes, net.weights, net.biases))
    for fig in figs:
        before = json.loads(fig.to_json())["layout"]
        layout = json.loads(for_page(fig).to_json())["layout"]
        assert "template" not in layout and "meta" not in layout
        assert layout["autosize"] is True and layout["datarevision"] == 0
        assert layout["font"] == {**before["font"], "family": FONT_FAMILY, "color": TEXT_COLOUR}
        assert layout["hoverlabel"]["font"]["family"] == FONT_FAMILY
        assert layout["hoverlabel"]["font"]["size"] == before["hoverlabel"]["font"]["size"]
        assert json.loads(for_page(fig).to_json())["layout"] == layout  # idempotent


def css_rules(css: str) -> dict[str, str]:
    """{selector: declaration} of a flat style sheet."""
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    return {sel.strip(): decl.strip() for sel, decl in rules}


def test_diagram_highlight_css_matches_the_figures_own_highlight():
    """The CSS fades exactly what network_diagram(highlight) fades, trace by trace."""
    net = Network([3, 4, 5, 2], seed=0)
    plain = figures.network_diagram(net.sizes, net.weights, net.biases)
    parts = figures.diagram_parts(plain)
    for highlight in [("forward", 0), ("forward", 2), ("loss", None), ("backward", 1),
                      ("update", None), None]:
        rules = css_rules(diagram_highlight_css(parts, highlight, ".st-key-diagram"))
        own = figures.network_diagram(net.sizes, net.weights, net.biases, highlight)
        own_opacity = {}
        for part, trace in zip(figures.diagram_parts(own), own.data, strict=True):
            own_opacity.setdefault(part, set()).add(trace.opacity)
        for i, part in enumerate(parts):
            selector = f".st-key-diagram g.scatterlayer > g.trace:nth-child({i + 1})"
            if part[0] in "wn":
                (opacity,) = own_opacity[part]  # one opacity per part in the figure
                assert rules[selector] == f"opacity: {opacity} !important"
            else:
                assert selector not in rules
        # the labels: the same colours as the figure's own annotations
        for index, annotation in enumerate(own.layout.annotations):
            selector = f'.st-key-diagram g.annotation[data-index="{index}"] text'
            assert rules[selector] == f"fill: {annotation.font.color} !important"
    loss = diagram_highlight_css(parts, ("loss", None), "#d")
    assert f"nth-child({parts.index('n3') + 1}) path.point" in loss
    with pytest.raises(ValueError):
        diagram_highlight_css(parts, None, "x}</style><script>")


