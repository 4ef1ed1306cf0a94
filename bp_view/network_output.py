"""What a network computes over its input space: a 2-D decision boundary, a 1-D fitted curve.

These two call ``net.forward`` on a grid of inputs and nothing else of the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .layout import as_float, finish, finite_or_none, tx
from .registry import value_range
from .style import (
    BOTTOM_LEGEND,
    BOTTOM_MARGIN,
    BOUNDARY_SCALE,
    BOUNDARY_WIDTH_PX,
    CLASS_COLOURS,
    HOVER_FORMAT,
    LEGEND_PX,
    LINE_COLOURS,
    MARGIN,
    MISSING_BG,
    POINT_OUTLINE,
    POINT_SYMBOLS,
)
from .text import Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.datasets import Dataset
    from bp_core.network import Network


def forward_quietly(net: Network, X: np.ndarray) -> np.ndarray:
    """net.forward(X) as a float64 copy, (n, n_out); overflow gives gaps, not warnings."""
    with np.errstate(all="ignore"):  # non-finite outputs are hidden, not warned about
        return as_float(net.forward(X))


FIT_REACH = 2.0  # the fitted curve's y axis: the targets' range, widened for the curve
                 # by at most this many times that range on each side


def _padded_range(values: np.ndarray, fraction: float = 0.1) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = fraction * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


POINTS = ("train", "test", "both")  # which points decision_boundary draws


def _boundary_points(data: Dataset, test: Dataset | None,
                     points: str) -> list[tuple[str | None, Dataset]]:
    """The (split, set) pairs to draw: split None when no test set was given."""
    if points not in POINTS:
        raise ValueError(f"points must be one of {', '.join(POINTS)}, got {points!r}")
    if test is None:
        if points == "test":
            raise ValueError("points='test' needs the test set: pass test=")
        return [(None, data)]
    return [(split, d) for split, d in (("train", data), ("test", test))
            if points in (split, "both")]


def _labels(data: Dataset) -> np.ndarray:
    labels = data.labels if data.task in ("binary", "multiclass") else None
    return (as_float(data.Y)[:, 0] >= 0.5).astype(int) if labels is None else labels


def decision_boundary(net: Network, data: Dataset, resolution: int = 60, *,
                      test: Dataset | None = None, points: str = "both",
                      width_px: float | None = None,
                      tr: Translator | None = None) -> go.Figure:
    """The network's output over the plane of a 2-D binary set, with the data on top.

    data: the set whose points are drawn; with ``test`` given, data is the training
    set (``bp_core.datasets.split`` gives the pair) and ``points`` picks "train",
    "test" or "both" (train as circles, test as diamonds).  The heatmap is the
    output a[L][:, 0] (a[L][:, 1], P(class 1), for a network with two outputs) on a
    resolution × resolution grid covering every point given with a 10% margin.  It
    uses `BOUNDARY_SCALE`, a light version of `SIGNED_SCALE`, from class-0 blue to
    class-1 red, over the fixed range of a sigmoid or softmax output ([0, 1], so
    white is the 0.5 boundary); an unbounded output is centred at 0.5.  Points are
    coloured by label with a dark outline, so they show on any part of the field.
    width_px: the column it is drawn in (default `BOUNDARY_WIDTH_PX`); the plot is
    square, its legend beside it at the right and its colour bar below.
    """
    shown = _boundary_points(data, test, points)
    X = as_float(data.X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D inputs, got X of shape {X.shape}")
    resolution = int(resolution)
    if not 2 <= resolution <= 400:
        raise ValueError("resolution must be from 2 to 400")
    every = np.vstack([as_float(d.X) for _, d in shown])
    xs = np.linspace(*_padded_range(every[:, 0]), resolution)
    ys = np.linspace(*_padded_range(every[:, 1]), resolution)
    gx, gy = np.meshgrid(xs, ys)  # grid[i, j] is the point (xs[j], ys[i])
    out = forward_quietly(net, np.column_stack([gx.ravel(), gy.ravel()]))
    column = 1 if out.shape[1] >= 2 else 0
    z, hidden = finite_or_none(out[:, column].reshape(resolution, resolution))
    rng = value_range(getattr(net, "output_activation", None))
    colour = dict(zmin=rng[0], zmax=rng[1]) if rng else dict(zmid=0.5)
    name = f"a[L][:, {column}]"
    fig = go.Figure(go.Heatmap(
        x=xs, y=ys, z=z, colorscale=BOUNDARY_SCALE, **colour,
        colorbar=dict(title=dict(text=name, side="right"), thickness=10, len=0.7,
                      orientation="h", x=0, xanchor="left", y=-0.2, yanchor="top"),
        hovertemplate=f"x0 = %{{x:.3g}}, x1 = %{{y:.3g}}<br>{name} = %{{z:{HOVER_FORMAT}}}"
                      "<extra></extra>"))
    for split, d in shown:
        Xs, labels = as_float(d.X), _labels(d)
        for label in (0, 1):
            pick = labels == label
            label_name = tx(tr, f"{split}_label" if split else "label", label=label)
            fig.add_trace(go.Scatter(
                x=Xs[pick, 0], y=Xs[pick, 1], mode="markers", name=label_name,
                marker=dict(size=7 if split != "test" else 9, color=CLASS_COLOURS[label],
                            symbol=POINT_SYMBOLS[split or "train"], line=POINT_OUTLINE),
                hovertemplate=f"x0 = %{{x:{HOVER_FORMAT}}}, x1 = %{{y:{HOVER_FORMAT}}}<br>"
                              f"{label_name}<extra></extra>"))
    fig.update_xaxes(title_text="x0", range=[xs[0], xs[-1]], showgrid=False, zeroline=False,
                     constrain="domain")
    fig.update_yaxes(title_text="x1", range=[ys[0], ys[-1]], showgrid=False, zeroline=False,
                     scaleanchor="x", scaleratio=1, constrain="domain")
    width = float(BOUNDARY_WIDTH_PX if width_px is None else width_px)
    side = max(160.0, width - MARGIN["l"] - LEGEND_PX)  # the square plot area
    bottom = 96  # the x axis's ticks and title, then the horizontal colour bar
    return finish(fig, tx(tr, "boundary_title", name=name), int(side + MARGIN["t"] + bottom),
                  [tx(tr, "nonfinite") if hidden else ""],
                  plot_bgcolor=MISSING_BG,
                  margin=dict(MARGIN, r=LEGEND_PX, b=bottom, autoexpand=False),
                  legend=dict(x=1.02, xanchor="left", y=1, yanchor="top",
                              font=dict(size=10)))


def fitted_curve(net: Network, data: Dataset, *, tr: Translator | None = None) -> go.Figure:
    """A 1-D regression set (``sine``): the data points and the network's curve a[L](x).

    The y axis covers the targets y (with a 10% margin) and the curve as far as
    `FIT_REACH` × the targets' range beyond them: a network that diverged (a[L] of
    1e151) leaves the plot, and the title says how far it went, instead of
    flattening the data to a line.
    """
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
    lo, hi = _padded_range(Y[np.isfinite(Y)] if np.isfinite(Y).any() else np.zeros(1))
    drawn = as_float([v for v in np.ravel(curve) if v is not None])
    reach = FIT_REACH * (hi - lo)
    near = drawn[(drawn >= lo - reach) & (drawn <= hi + reach)]
    if near.size:  # the curve widens the axis where it stays within FIT_REACH ranges of y
        lo, hi = min(lo, float(near.min())), max(hi, float(near.max()))
    outside = bool(drawn.size) and (drawn.min() < lo or drawn.max() > hi)
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="y", range=[lo, hi])
    notes = [tx(tr, "fit_clipped", lo=f"{drawn.min():.3g}", hi=f"{drawn.max():.3g}")
             if outside else "", tx(tr, "nonfinite") if hidden else ""]
    return finish(fig, tx(tr, "fit_title"), 320, notes, legend=BOTTOM_LEGEND,
                  margin=dict(MARGIN, b=BOTTOM_MARGIN))
