"""Charts of a training run, epoch by epoch: loss, accuracy, and small comparison curves.

A run that diverged (a loss beyond `DIVERGE_FACTOR` × the starting loss, or +inf) is
not allowed to set the axis: its points are drawn at that cap, marked "diverged",
with the true value on hover, so runs that did not diverge keep a readable axis.
Every chart's legend is a row at its foot (`BOTTOM_LEGEND`), clear of its title.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from .layout import as_float, finish, finite_or_none, tx
from .style import (
    BOTTOM_LEGEND,
    BOTTOM_MARGIN,
    CURVE_COLOURS,
    DIVERGE_FACTOR,
    DIVERGED_COLOUR,
    HOVER_FORMAT,
    LINE_COLOURS,
    MARGIN,
)
from .text import FIGURE_TEXT, Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.train import History

# The layout of every training chart: the legend at the foot, with room for it.
FOOT = dict(legend=BOTTOM_LEGEND, margin=dict(MARGIN, b=BOTTOM_MARGIN))


def diverge_cap(series: list[np.ndarray], factor: float | None = DIVERGE_FACTOR) -> float | None:
    """factor × the largest starting value of the series, when some value passes it.

    None when nothing diverged (every value finite or NaN, and ≤ the cap), when the
    series start at no positive value, or with factor None: then nothing is clipped.
    """
    if factor is None:
        return None
    firsts = [float(v[np.isfinite(v)][0]) for v in series if np.isfinite(v).any()]
    if not firsts or max(firsts) <= 0:
        return None
    cap = factor * max(firsts)
    with np.errstate(invalid="ignore"):
        beyond = any(np.any(v > cap) for v in series)  # +inf too; NaN compares False
    return cap if beyond else None


def diverged_points(values: np.ndarray, cap: float | None) -> np.ndarray:
    """The indices of values beyond the cap (+inf included), drawn at the cap."""
    if cap is None:
        return np.zeros(0, dtype=int)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(values > cap)


def _epoch_trace(values, name: str, colour: str, fmt: str,
                 epoch: str = FIGURE_TEXT["epoch"], cap: float | None = None,
                 start: int = 1) -> tuple[go.Scatter, bool]:
    """One line, x = start, start + 1, …; values beyond cap are drawn at cap."""
    values = as_float(values)
    shown = values.copy()
    shown[diverged_points(values, cap)] = cap
    y, hidden = finite_or_none(shown)
    trace = go.Scatter(x=list(range(start, start + len(values))), y=y,
                       mode="lines+markers" if len(values) <= 30 else "lines", name=name,
                       line=dict(color=colour), marker=dict(size=5),
                       hovertemplate=f"{epoch} %{{x}}<br>{name} = %{{y:{fmt}}}<extra></extra>")
    return trace, hidden


def _diverged_trace(values, name: str, cap: float, x_name: str, start: int, first: bool,
                    tr: Translator | None) -> go.Scatter | None:
    """The "diverged" markers of one series at the cap, their true values on hover."""
    values = as_float(values)
    where = diverged_points(values, cap)
    if not where.size:
        return None
    diverged = tx(tr, "diverged")
    return go.Scatter(
        x=(where + start).tolist(), y=[cap] * where.size, mode="markers", name=diverged,
        legendgroup="diverged", showlegend=first,
        marker=dict(symbol="x", size=10, color=DIVERGED_COLOUR, line=dict(width=1)),
        customdata=[f"{v:.3g}" for v in values[where]],
        hovertemplate=f"{x_name} %{{x}}<br>{name} = %{{customdata}} ({diverged})"
                      "<extra></extra>")


def _capped_axis(fig: go.Figure, cap: float, log: bool, lowest: float) -> None:
    """The y axis up to just above the cap, with the cap drawn as a dotted line."""
    if log:
        fig.update_yaxes(range=[math.log10(lowest) - 0.2, math.log10(cap) + 0.15])
    else:
        fig.update_yaxes(range=[min(0.0, lowest), cap * 1.06])
    fig.add_hline(y=cap, line=dict(dash="dot", color=DIVERGED_COLOUR, width=1))


def _plot(fig: go.Figure, series: list[tuple[np.ndarray, str]], x_name: str, start: int,
          cap: float | None, log: bool | None, tr: Translator | None) -> tuple[bool, str]:
    """Markers and axis for a capped chart; (log axis, the note on the cap)."""
    shown = [np.where(np.isfinite(v), np.minimum(v, cap if cap else np.inf), np.nan)
             for v, _ in series]
    every = np.concatenate(shown) if shown else np.zeros(0)
    every = every[np.isfinite(every)]
    if log is None:  # decide on what is drawn, so one diverged run cannot force a log axis
        positive = every[every > 0]
        log = bool(positive.size) and positive.size == every.size and \
            positive.max() / positive.min() > 50
    if cap is None:
        return log, ""
    first = True
    for values, name in series:
        trace = _diverged_trace(values, name, cap, x_name, start, first, tr)
        if trace is not None:
            fig.add_trace(trace)
            first = False
    positive = every[every > 0]
    lowest = float(positive.min()) if log and positive.size else float(every.min())
    _capped_axis(fig, cap, log, lowest)
    return log, tx(tr, "diverged_note", cap=f"{cap:.3g}", factor=f"{DIVERGE_FACTOR:g}")


def loss_curves(history: History, *, tr: Translator | None = None,
                cap_factor: float | None = DIVERGE_FACTOR) -> go.Figure:
    """Training (and test) loss after each epoch; a log y axis when it spans over 50×.

    cap_factor: a loss beyond cap_factor × the starting loss is drawn at that cap and
    marked diverged (None: never clipped).
    """
    fig, hidden, drawn = go.Figure(), False, []
    epoch = tx(tr, "epoch")
    lines = [(as_float(v), tx(tr, name), colour) for v, name, colour in
             [(history.train_loss, "train_loss", LINE_COLOURS[0]),
              (history.test_loss, "test_loss", LINE_COLOURS[1])] if len(v)]
    cap = diverge_cap([v for v, _, _ in lines], cap_factor)
    for values, name, colour in lines:
        trace, h = _epoch_trace(values, name, colour, HOVER_FORMAT, epoch, cap)
        fig.add_trace(trace)
        hidden |= h
        drawn.append((values, name))
    log, note = _plot(fig, drawn, epoch, 1, cap, None, tr)
    fig.update_yaxes(type="log" if log else "linear", title_text=tx(tr, "loss_axis"))
    fig.update_xaxes(title_text=epoch)
    title = tx(tr, "loss_title_log" if log else "loss_title")
    return finish(fig, title, 300, [note, tx(tr, "nonfinite") if hidden else ""], **FOOT)


def curves(series: dict[str, object], title: str, x_title: str, y_title: str, *,
           log_y: bool = False, cap_factor: float | None = DIVERGE_FACTOR,
           tr: Translator | None = None) -> go.Figure:
    """Named series of values, one point per index 0, 1, …, as lines with markers.

    series: name -> 1-D values (NaN leaves a gap).  The words are already in the
    learner's language; tr translates only the "diverged" marker and note.  A value
    beyond cap_factor × the largest first value (+inf included: a run that diverged)
    is drawn at that cap and marked, as in `loss_curves`; the learning-rate sweep
    thus keeps η = 0.05 and η = 0.5 apart when η = 5 blows up.
    """
    fig = go.Figure()
    arrays = [(as_float(v).reshape(-1), name) for name, v in series.items()]
    cap = diverge_cap([v for v, _ in arrays], cap_factor)
    for i, (values, name) in enumerate(arrays):
        trace, _ = _epoch_trace(values, name, CURVE_COLOURS[i % len(CURVE_COLOURS)],
                                HOVER_FORMAT, x_title, cap, start=0)
        fig.add_trace(trace.update(mode="lines+markers",
                                   hovertemplate=f"%{{x}}<br>{name} = %{{y:{HOVER_FORMAT}}}"
                                                 "<extra></extra>"))
    _, note = _plot(fig, arrays, x_title, 0, cap, log_y, tr)
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return finish(fig, title, 320, [note], **FOOT)


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
    return finish(fig, tx(tr, "accuracy_title"), 300, **FOOT)
