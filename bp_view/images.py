"""8×8 images: digits, the network's predictions on them, first-layer weights as pictures."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .layout import (
    as_float,
    base_layout,
    finite_or_none,
    symmetric_range,
    title_with_notes,
    tx,
    untemplated,
)
from .network_output import forward_quietly
from .style import FAIL_COLOUR, HOVER_FORMAT, IMAGE_SCALE, MAX_IMAGES, MISSING_BG, SIGNED_SCALE
from .text import Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.datasets import Dataset
    from bp_core.network import Network


def _image_grid(images: list[np.ndarray], titles: list[str], cols: int, colour: dict,
                value_name: str, title: str, note: str = "",
                tr: Translator | None = None) -> go.Figure:
    """8×8 images in a grid, one heatmap and one pair of axes each, one shared coloraxis.

    The grid is laid out here rather than by make_subplots, which takes ~0.4 s for 32
    panels; the axes are named as make_subplots names them (x, x2, …), row by row.
    """
    n = len(images)
    cols = max(1, min(int(cols), n)) if n else 1
    rows = max(1, math.ceil(n / cols))
    hgap = 0.02 if cols > 1 else 0.0
    vgap = min(0.3 / rows, 0.12) if rows > 1 else 0.0
    width, height = (1 - (cols - 1) * hgap) / cols, (1 - (rows - 1) * vgap) / rows
    data, layout, annotations, hidden = [], {}, [], False
    for i, image in enumerate(images):
        z, h = finite_or_none(image)
        hidden |= h
        suffix = str(i + 1) if i else ""
        x0 = (i % cols) * (width + hgap)
        y1 = 1 - (i // cols) * (height + vgap)
        data.append(dict(type="heatmap", z=z, coloraxis="coloraxis", xaxis=f"x{suffix}",
                         yaxis=f"y{suffix}",
                         hovertemplate=tx(tr, "image_hover", i=i, row="%{y}", col="%{x}")
                         + f"<br>{value_name} = %{{z:{HOVER_FORMAT}}}<extra></extra>"))
        # (clipped: rounding may put the last panel's edge a hair outside [0, 1])
        layout[f"xaxis{suffix}"] = dict(domain=[x0, min(1.0, x0 + width)], anchor=f"y{suffix}",
                                        visible=False, constrain="domain")
        layout[f"yaxis{suffix}"] = dict(domain=[max(0.0, y1 - height), y1], anchor=f"x{suffix}",
                                        visible=False, constrain="domain",
                                        autorange="reversed",
                                        scaleanchor=f"x{suffix}")  # square pixels
        if titles and i < len(titles):
            annotations.append(dict(text=titles[i], x=x0 + width / 2, y=y1, xref="paper",
                                    yref="paper", xanchor="center", yanchor="bottom",
                                    showarrow=False, font=dict(size=10)))
    notes = [n for n in (note, tx(tr, "nonfinite") if hidden else "") if n]
    top = 24 + (22 if title or notes else 0) + (16 if title and notes else 0)
    layout.update(base_layout(title, int(min(520, 84 * rows + top)), notes,
                              plot_bgcolor=MISSING_BG, margin=dict(l=10, r=10, t=top, b=10)),
                  annotations=annotations,
                  coloraxis=dict(colorbar=dict(thickness=10, len=0.8), **colour))
    return untemplated(go.Figure(dict(data=data, layout=layout)))


def _check_images(X) -> np.ndarray:
    X = as_float(X)
    if X.ndim == 1:
        X = X[None, :]
    if X.ndim != 2 or X.shape[1] != 64:
        raise ValueError(f"expected rows of 64 pixels (8×8 images), got shape {X.shape}")
    return X


def digit_images(X, titles=None, cols: int = 8, *, tr: Translator | None = None) -> go.Figure:
    """Rows of X (n, 64) as 8×8 grey images in a grid, at most `MAX_IMAGES`.

    Pixel row r, column c of image i is X[i, 8r + c] (as sklearn stores them);
    0 is white and 1 black, over the fixed range [0, 1] when X lies in it.
    """
    X = _check_images(X)
    n = min(len(X), MAX_IMAGES)
    note = tx(tr, "first_images", shown=MAX_IMAGES, n=len(X)) if len(X) > MAX_IMAGES else ""
    names = [str(t) for t in titles][:n] if titles is not None else [str(i) for i in range(n)]
    finite = X[np.isfinite(X)]
    inside = finite.size == 0 or (finite.min() >= 0 and finite.max() <= 1)
    colour = dict(colorscale=IMAGE_SCALE, cmin=0.0, cmax=1.0) if inside else \
        dict(colorscale=IMAGE_SCALE)
    return _image_grid([X[i].reshape(8, 8) for i in range(n)], names, cols, colour,
                       tx(tr, "pixel"), "", note, tr)


def digit_predictions(net: Network, data: Dataset, count: int = 16, *,
                      tr: Translator | None = None) -> go.Figure:
    """The first ``count`` digits titled "pred p / true t"; wrong ones red and framed."""
    X = _check_images(data.X)
    count = max(1, min(int(count), MAX_IMAGES, len(X)))
    pred = forward_quietly(net, X[:count]).argmax(axis=1)
    true = as_float(data.Y)[:count].argmax(axis=1)
    titles = [tx(tr, "prediction", pred=int(p), true=int(t))
              for p, t in zip(pred, true, strict=True)]
    fig = digit_images(X[:count], titles, cols=8, tr=tr)
    wrong = pred != true
    for i, ann in enumerate(fig.layout.annotations[:count]):
        if wrong[i]:
            ann.update(text=f"✗ {ann.text}", font=dict(color=FAIL_COLOUR, size=10))
            suffix = "" if i == 0 else str(i + 1)
            fig.add_shape(type="rect", xref=f"x{suffix} domain", yref=f"y{suffix} domain",
                          x0=0, x1=1, y0=0, y1=1, line=dict(color=FAIL_COLOUR, width=3))
    right = int(count - wrong.sum())
    return fig.update_layout(
        title=dict(text=title_with_notes(tx(tr, "predictions_title", right=right, count=count)),
                   x=0.01, xanchor="left", font=dict(size=13)),
        margin=dict(l=10, r=10, t=fig.layout.margin.t + 22, b=10),
        height=fig.layout.height + 22)


def weight_images(W, count: int = 16, *, tr: Translator | None = None) -> go.Figure:
    """First-layer weight rows W[0][j] (n_out, 64) as 8×8 images, on the signed scale.

    Red pixels push neuron j's z up, blue ones down; one symmetric range for all.
    """
    W = _check_images(W)
    count = max(1, min(int(count), MAX_IMAGES, len(W)))
    lo, hi = symmetric_range(W[:count])
    colour = dict(colorscale=SIGNED_SCALE, cmin=lo, cmax=hi, cmid=0)
    note = tx(tr, "first_neurons", shown=count, n=len(W)) if len(W) > count else ""
    return _image_grid([W[j].reshape(8, 8) for j in range(count)],
                       [tx(tr, "neuron_n", j=j) for j in range(count)], 8, colour,
                       tx(tr, "weight_pixel"), tx(tr, "weight_images_title"), note, tr)
