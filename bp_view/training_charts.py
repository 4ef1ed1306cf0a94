"""Charts of a training run, epoch by epoch: loss, accuracy, and small comparison curves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .layout import as_float, finish, finite_or_none, tx
from .style import CURVE_COLOURS, HOVER_FORMAT, LINE_COLOURS, TOP_LEGEND
from .text import FIGURE_TEXT, Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.train import History


def _epoch_trace(values, name: str, colour: str, fmt: str,
                 epoch: str = FIGURE_TEXT["epoch"]) -> tuple[go.Scatter, bool]:
    y, hidden = finite_or_none(as_float(values))
    trace = go.Scatter(x=list(range(1, len(values) + 1)), y=y,
                       mode="lines+markers" if len(values) <= 30 else "lines", name=name,
                       line=dict(color=colour), marker=dict(size=5),
                       hovertemplate=f"{epoch} %{{x}}<br>{name} = %{{y:{fmt}}}<extra></extra>")
    return trace, hidden


def loss_curves(history: History, *, tr: Translator | None = None) -> go.Figure:
    """Training (and test) loss after each epoch; a log y axis when it spans over 50×."""
    fig, hidden, every = go.Figure(), False, []
    epoch = tx(tr, "epoch")
    for values, name, colour in [(history.train_loss, tx(tr, "train_loss"), LINE_COLOURS[0]),
                                 (history.test_loss, tx(tr, "test_loss"), LINE_COLOURS[1])]:
        if len(values):
            trace, h = _epoch_trace(values, name, colour, HOVER_FORMAT, epoch)
            fig.add_trace(trace)
            hidden |= h
            every.extend(v for v in values if np.isfinite(v))
    positive = [v for v in every if v > 0]
    log = bool(positive) and len(positive) == len(every) and max(positive) / min(positive) > 50
    fig.update_yaxes(type="log" if log else "linear", title_text=tx(tr, "loss_axis"))
    fig.update_xaxes(title_text=epoch)
    title = tx(tr, "loss_title_log" if log else "loss_title")
    return finish(fig, title, 280, [tx(tr, "nonfinite") if hidden else ""],
                  legend=TOP_LEGEND)


def curves(series: dict[str, object], title: str, x_title: str, y_title: str, *,
           log_y: bool = False) -> go.Figure:
    """Named series of values, one point per index 0, 1, …, as lines with markers.

    series: name -> 1-D values (non-finite ones leave a gap).  The words are already
    in the learner's language; the app uses this for its small comparison charts.
    """
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        y, _ = finite_or_none(as_float(values).reshape(-1))
        fig.add_trace(go.Scatter(y=y, mode="lines+markers", name=name, marker=dict(size=5),
                                 line=dict(color=CURVE_COLOURS[i % len(CURVE_COLOURS)]),
                                 hovertemplate=f"%{{x}}<br>{name} = %{{y:{HOVER_FORMAT}}}"
                                               "<extra></extra>"))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return finish(fig, title, 300, legend=TOP_LEGEND)


def accuracy_curves(history: History, *, tr: Translator | None = None) -> go.Figure | None:
    """Training (and test) accuracy per epoch, or None when there is none (regression)."""
    series = [(v, key, colour) for v, key, colour in
              [(history.train_accuracy, "train_accuracy", LINE_COLOURS[0]),
               (history.test_accuracy, "test_accuracy", LINE_COLOURS[1])]
              if len(v) and any(a is not None for a in v)]
    if not series:
        return None
    fig = go.Figure()
    epoch = tx(tr, "epoch")
    for values, key, colour in series:
        values = [np.nan if a is None else a for a in values]
        fig.add_trace(_epoch_trace(values, tx(tr, key), colour, ".2%", epoch)[0])
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=tx(tr, "accuracy"))
    fig.update_xaxes(title_text=epoch)
    return finish(fig, tx(tr, "accuracy_title"), 280,
                  legend=TOP_LEGEND)
