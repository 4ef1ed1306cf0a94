"""What a network computes over its input space: a 2-D decision boundary, a 1-D fitted curve.

These two call ``net.forward`` on a grid of inputs and nothing else of the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .layout import as_float, finish, finite_or_none, tx
from .registry import value_range
from .style import CLASS_COLOURS, HOVER_FORMAT, LINE_COLOURS, MISSING_BG, SIGNED_SCALE, TOP_LEGEND
from .text import Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.datasets import Dataset
    from bp_core.network import Network


def forward_quietly(net: Network, X: np.ndarray) -> np.ndarray:
    """net.forward(X) as a float64 copy, (n, n_out); overflow gives gaps, not warnings."""
    with np.errstate(all="ignore"):  # non-finite outputs are hidden, not warned about
        return as_float(net.forward(X))


def _padded_range(values: np.ndarray, fraction: float = 0.1) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = fraction * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


def decision_boundary(net: Network, data: Dataset, resolution: int = 60, *,
                      tr: Translator | None = None) -> go.Figure:
    """The network's output over the plane of a 2-D binary set, with the data on top.

    The heatmap is the output a[L][:, 0] (a[L][:, 1], P(class 1), for a network with
    two outputs) on a resolution × resolution grid covering the data with a 10%
    margin.  It uses `SIGNED_SCALE` from class-0 blue to class-1 red, over the
    fixed range of a sigmoid or softmax output ([0, 1], so white is the 0.5
    boundary); an unbounded output is centred at 0.5.  Points are coloured by label.
    """
    X = as_float(data.X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D inputs, got X of shape {X.shape}")
    resolution = int(resolution)
    if not 2 <= resolution <= 400:
        raise ValueError("resolution must be from 2 to 400")
    xs = np.linspace(*_padded_range(X[:, 0]), resolution)
    ys = np.linspace(*_padded_range(X[:, 1]), resolution)
    gx, gy = np.meshgrid(xs, ys)  # grid[i, j] is the point (xs[j], ys[i])
    out = forward_quietly(net, np.column_stack([gx.ravel(), gy.ravel()]))
    column = 1 if out.shape[1] >= 2 else 0
    z, hidden = finite_or_none(out[:, column].reshape(resolution, resolution))
    rng = value_range(getattr(net, "output_activation", None))
    colour = dict(zmin=rng[0], zmax=rng[1]) if rng else dict(zmid=0.5)
    name = f"a[L][:, {column}]"
    fig = go.Figure(go.Heatmap(
        x=xs, y=ys, z=z, colorscale=SIGNED_SCALE, **colour,
        colorbar=dict(title=dict(text=name, side="top"), thickness=12, len=0.9),
        hovertemplate=f"x0 = %{{x:.3g}}, x1 = %{{y:.3g}}<br>{name} = %{{z:{HOVER_FORMAT}}}"
                      "<extra></extra>"))
    labels = data.labels if data.task in ("binary", "multiclass") else None
    if labels is None:
        labels = (as_float(data.Y)[:, 0] >= 0.5).astype(int)
    for label in (0, 1):
        pick = labels == label
        label_name = tx(tr, "label", label=label)
        fig.add_trace(go.Scatter(
            x=X[pick, 0], y=X[pick, 1], mode="markers", name=label_name,
            marker=dict(size=6, color=CLASS_COLOURS[label], line=dict(color="white", width=1)),
            hovertemplate=f"x0 = %{{x:{HOVER_FORMAT}}}, x1 = %{{y:{HOVER_FORMAT}}}<br>"
                          f"{label_name}<extra></extra>"))
    fig.update_xaxes(title_text="x0", range=[xs[0], xs[-1]], showgrid=False, zeroline=False,
                     constrain="domain")
    fig.update_yaxes(title_text="x1", range=[ys[0], ys[-1]], showgrid=False, zeroline=False,
                     scaleanchor="x", scaleratio=1, constrain="domain")
    return finish(fig, tx(tr, "boundary_title", name=name), 360,
                  [tx(tr, "nonfinite") if hidden else ""],
                  plot_bgcolor=MISSING_BG,
                  legend=TOP_LEGEND)


def fitted_curve(net: Network, data: Dataset, *, tr: Translator | None = None) -> go.Figure:
    """A 1-D regression set (``sine``): the data points and the network's curve a[L](x)."""
    X = as_float(data.X)
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(f"fitted_curve needs 1-D inputs, got X of shape {X.shape}")
    xs = np.linspace(*_padded_range(X[:, 0], 0.05), 200)
    curve, hidden = finite_or_none(forward_quietly(net, xs[:, None])[:, 0])
    Y = as_float(data.Y)
    fig = go.Figure([
        go.Scatter(x=X[:, 0], y=Y[:, 0], mode="markers", name=tx(tr, "fit_data"),
                   marker=dict(size=5, color="#888"),
                   hovertemplate=f"x = %{{x:{HOVER_FORMAT}}}<br>y = %{{y:{HOVER_FORMAT}}}"
                                 "<extra></extra>"),
        go.Scatter(x=xs, y=curve, mode="lines", name=tx(tr, "fit_network"),
                   line=dict(color=LINE_COLOURS[0], width=3),
                   hovertemplate=f"x = %{{x:.3g}}<br>a[L] = %{{y:{HOVER_FORMAT}}}"
                                 "<extra></extra>"),
    ])
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="y")
    return finish(fig, tx(tr, "fit_title"), 300,
                  [tx(tr, "nonfinite") if hidden else ""], legend=TOP_LEGEND)
