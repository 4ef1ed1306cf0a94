"""A gradient check's verdict per layer and per weight, and the size of the gradients per layer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from bp_core.gradcheck import TOLERANCE

from .heatmaps import with_bias
from .layout import as_float, finish, finite_or_none, matrix_axes, panel_height, tick_labels, tx
from .notation import layer as layer_of
from .style import (
    BOTTOM_LEGEND,
    BOTTOM_MARGIN,
    FAIL_COLOUR,
    HOVER_FORMAT,
    LINE_COLOURS,
    MARGIN,
    MISSING_BG,
    PASS_COLOUR,
)
from .text import Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.gradcheck import GradcheckResult
    from bp_core.network import BackpropResult


def _log_display(values: list[float]) -> tuple[list, bool]:
    """Bar heights for a log axis: exact where positive; 0 drawn at a floor below the
    smallest positive value (the hover still says 0); non-finite hidden."""
    arr = as_float(values)
    positive = arr[np.isfinite(arr) & (arr > 0)]
    floor = float(positive.min()) / 100 if positive.size else 1e-18
    shown, zero = [], False
    for v in arr:
        if not np.isfinite(v):
            shown.append(None)
        elif v <= 0:
            shown.append(floor)
            zero = True
        else:
            shown.append(float(v))
    return shown, zero


def gradcheck_figure(result: GradcheckResult, *, tr: Translator | None = None) -> go.Figure:
    """Each layer's largest relative error (log y), green below `TOLERANCE`, red above."""
    errors = [layer.max_error for layer in result.layers]
    verdicts = ["unchecked" if layer.n_checked == 0 else "pass" if layer.passed else "fail"
                for layer in result.layers]
    shown, zero = _log_display(errors)
    exact, hidden = finite_or_none(as_float(errors))
    max_error = tx(tr, "max_rel_error")
    fig = go.Figure(go.Bar(
        x=[tx(tr, "layer_n", l=layer_of(check.layer)) for check in result.layers], y=shown,
        customdata=exact,
        marker_color=[{"pass": PASS_COLOUR, "fail": FAIL_COLOUR}.get(v, MISSING_BG)
                      for v in verdicts],
        text=[tx(tr, v) for v in verdicts], textposition="outside",
        hovertemplate=f"%{{x}}<br>{max_error} = %{{customdata:.3g}}<extra></extra>"))
    # The line is a shape in data units; its label is an annotation, which on a log axis
    # takes log10 of the position.
    fig.add_hline(y=TOLERANCE, line=dict(dash="dash", color="#444", width=1.5))
    fig.add_annotation(x=1, xref="paper", xanchor="right", y=math.log10(TOLERANCE),
                       yanchor="bottom", showarrow=False, font=dict(size=10, color="#444"),
                       text=tx(tr, "tolerance", tol=f"{TOLERANCE:g}"))
    fig.update_yaxes(type="log", title_text=max_error, exponentformat="power")
    notes = [tx(tr, "zero_drawn_at_floor") if zero else "",
             tx(tr, "nonfinite") if not result.finite else ""]
    return finish(fig, tx(tr, "gradcheck_title", tol=f"{TOLERANCE:g}"), 280, notes,
                  showlegend=False)


def gradcheck_heatmaps(result: GradcheckResult, layer: int, *,
                       tr: Translator | None = None) -> go.Figure:
    """log10 of the relative error of every weight of layer ``layer``, b as the last column.

    Rows are output neurons j, columns input neurons k, as W[l] is stored.  Cells that
    pass (below `TOLERANCE`) are shades of green, cells that fail shades of red; the
    colour range is fixed at [−16, 0] (an error of exactly 0 is drawn at −16).
    Hover gives the exact relative error, analytic and numeric gradient.
    """
    check = result.layers[layer]
    checked = with_bias(check.checked_w, check.checked_b)
    rel = with_bias(check.rel_w, check.rel_b)
    analytic = with_bias(check.analytic_w, check.analytic_b)
    numeric = with_bias(check.numeric_w, check.numeric_b)
    with np.errstate(all="ignore"):
        # rel = 0 would be −inf: it is drawn at the bottom of the range instead (rel ≤ 1
        # always, since |a − n| ≤ |a| + |n|, so log10 rel ≤ 0).
        logs = np.log10(np.where(rel > 0, rel, np.finfo(np.float64).tiny))
    z, _ = finite_or_none(logs)
    custom, _ = finite_or_none(np.stack([rel, analytic, numeric], axis=-1))
    lo, hi, cut = -16.0, 0.0, math.log10(TOLERANCE)
    at = (cut - lo) / (hi - lo)
    scale = [[0.0, "#f7fcf5"], [at, "#41ab5d"], [at, "#fcae91"], [1.0, "#99000d"]]
    n_out, n_cols = rel.shape
    fig = go.Figure(go.Heatmap(
        z=z, x=tick_labels(n_cols - 1) + ["b"], y=tick_labels(n_out), customdata=custom,
        colorscale=scale, zmin=lo, zmax=hi, xgap=1 if n_cols <= 16 else 0,
        ygap=1 if n_out <= 16 else 0,
        colorbar=dict(title=dict(text=tx(tr, "log_rel_error"), side="right"), thickness=12,
                      len=0.9, tickvals=[-16, -12, -8, cut, -4, 0],
                      ticktext=["−16", "−12", "−8", tx(tr, "tolerance_tick", cut=f"{cut:g}"),
                                "−4", "0"]),
        hovertemplate=(tx(tr, "cell_hover", j="%{y}", k="%{x}") + "<br>"
                       + tx(tr, "rel_error") + " = %{customdata[0]:.3g}<br>"
                       + tx(tr, "analytic") + f" = %{{customdata[1]:{HOVER_FORMAT}}}<br>"
                       + tx(tr, "numeric") + f" = %{{customdata[2]:{HOVER_FORMAT}}}"
                       "<extra></extra>")))
    matrix_axes(fig, tx(tr, "output_neuron_j"), tx(tr, "input_neuron_k"))
    # A cell is hidden (drawn as the grey background) when it was not checked, or when
    # a checked one is not finite: the notes say which of the two happened.
    return finish(fig, tx(tr, "gradcheck_layer_title", l=layer_of(layer)), panel_height(n_out),
                  [tx(tr, "nonfinite") if not check.finite else "",
                   tx(tr, "unchecked_cells") if not checked.all() else ""],
                  plot_bgcolor=MISSING_BG)


def gradient_norms(backprop_result: BackpropResult, *,
                   tr: Translator | None = None) -> go.Figure:
    """Per layer, mean |delta[l]| and ‖grad_w[l]‖ (Frobenius) as bars on a log axis.

    Layers shrinking towards layer 0 by orders of magnitude is the vanishing gradient.
    """
    r = backprop_result
    with np.errstate(all="ignore"):
        mean_delta = [float(np.mean(np.abs(as_float(d)))) for d in r.deltas]
        norm_w = [float(np.linalg.norm(as_float(g))) for g in r.grad_w]
    names = [tx(tr, "layer_n", l=layer_of(i)) for i in range(len(r.grad_w))]
    fig, notes = go.Figure(), set()
    for values, name, colour in [(mean_delta, tx(tr, "mean_abs_delta"), LINE_COLOURS[0]),
                                 (norm_w, "‖grad_w[l]‖", LINE_COLOURS[1])]:
        shown, zero = _log_display(values)
        exact, hidden = finite_or_none(as_float(values))
        if zero:
            notes.add(tx(tr, "zero_shown_at_floor"))
        if hidden:
            notes.add(tx(tr, "nonfinite"))
        fig.add_trace(go.Bar(x=names, y=shown, customdata=exact, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}<br>{name} = %{{customdata:{HOVER_FORMAT}}}"
                                           "<extra></extra>"))
    fig.update_yaxes(type="log", title_text=tx(tr, "size"), exponentformat="power")
    return finish(fig, tx(tr, "norms_title"), 300, sorted(notes), barmode="group",
                  legend=BOTTOM_LEGEND, margin=dict(MARGIN, b=BOTTOM_MARGIN))
