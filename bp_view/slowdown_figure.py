"""The learning-slowdown chart: Nielsen's neuron, each cost divided by its own start.

Why divided by its start: the quadratic cost of the saturated neuron starts at
½·0.98² ≈ 0.48 and cross-entropy at −ln(1 − 0.98) ≈ 4.0.  On one raw axis the quadratic
line sits far below and looks better, though it hardly moves.  What the scenario asks is
how fast each cost *starts* to fall, so each line is C(epoch) / C(0): both start at 1,
and a line that stays flat is a neuron that is not learning.  (Nielsen makes the same
point about his two learning rates: the question is whether learning starts slowly.)
One panel per start, side by side, with the same y axis from 0 to 1.

Pure presentation: the numbers come in (playground.scenarios.slowdown_runs), and the
words come in already in the learner's language, as for training_charts.curves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .layout import finish
from .style import CURVE_COLOURS, HOVER_FORMAT, MARGIN

BOTTOM_LEGEND = dict(orientation="h", x=0.5, xanchor="center", y=-0.22, yanchor="top")


def slowdown_figure(costs: Mapping[tuple[float, float], Mapping[str, Sequence[float]]],
                    names: Mapping[str, str], panel_titles: Sequence[str], title: str,
                    x_title: str, y_title: str, epoch: int | None = None) -> go.Figure:
    """costs: start (w, b) -> loss name -> cost per epoch (index 0 the start);
    names: loss name -> its label; panel_titles: one per start, in the order of costs;
    epoch: draw a vertical line there (the epoch the learner is looking at)."""
    starts = list(costs)
    fig = make_subplots(rows=1, cols=len(starts), shared_yaxes=True,
                        subplot_titles=list(panel_titles))
    for col, start in enumerate(starts, 1):
        for i, (loss, values) in enumerate(costs[start].items()):
            values = np.asarray(values, dtype=float)
            relative = values / values[0]
            fig.add_trace(go.Scatter(
                y=relative, mode="lines", name=names[loss], legendgroup=loss,
                showlegend=col == 1, line=dict(color=CURVE_COLOURS[i % len(CURVE_COLOURS)]),
                customdata=values,
                hovertemplate=(f"%{{x}}<br>{names[loss]}: C/C₀ = %{{y:{HOVER_FORMAT}}}, "
                               f"C = %{{customdata:{HOVER_FORMAT}}}<extra></extra>")),
                row=1, col=col)
        fig.update_xaxes(title_text=x_title, row=1, col=col)
        if epoch is not None:
            fig.add_vline(x=epoch, line=dict(color="#888", dash="dot"), row=1, col=col)
    fig.update_yaxes(range=[0, 1.05], title_text=y_title, row=1, col=1)
    # The legend goes under the panels: above them are the panels' own titles.
    # and room at the top for the figure's title above theirs.
    return finish(fig, title, 360, legend=BOTTOM_LEGEND, margin=dict(MARGIN, t=70, b=80))
