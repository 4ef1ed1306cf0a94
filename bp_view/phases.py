"""The panels of each phase of a stepped pass: a `PhaseRecord` drawn as (caption, figure) pairs.

Layers as bp_view.notation numbers them (input 0, layers 1 … L): the record of engine
index i shows layer l = i + 1, with z^l = W^l a^{l-1} + b^l, a^l = f(z^l), δ^l =
dC_i/dz^l; the hover of each cell names its array in bp_core (``r.deltas[i]``).

Pure: a record's arrays are copied, never changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .heatmaps import (
    activation_panel,
    bias_pair,
    drawn_width,
    heatmap,
    params_figure,
    with_bias,
)
from .layout import (
    as_float,
    cap_rows,
    cell_text,
    finish,
    finite_or_none,
    hover_text,
    matrix_axes,
    panel_height,
    plot_margin_height,
    plot_width,
    symmetric_range,
    tick_labels,
    tx,
)
from .notation import array_expression as where
from .notation import engine_hover, sup, weight_cells
from .notation import layer as layer_of
from .records import layer_updates, learning_rate
from .registry import delta_is_a_minus_y, derivative_range, loss_formula, value_range
from .style import (
    BOUNDED_SCALE,
    HOVER_FORMAT,
    LINE_COLOURS,
    MAX_ROWS,
    MISSING_BG,
    SIGNED_SCALE,
)
from .text import Translator

if TYPE_CHECKING:  # only for annotations: bp_view draws records, it never runs the engine
    from bp_core.stepper import PhaseRecord


def phase_figures(record: PhaseRecord, activation_name: str | None = None,
                  loss_name: str | None = None, prev_activation_name: str | None = None, *,
                  layer: int | None = None, tr: Translator | None = None,
                  width_px: float | None = None,
                  full_width: bool = False) -> list[tuple[str, go.Figure]]:
    """(caption, figure) pairs for the panels of one stepper phase, in reading order.

    Everything is read from the record itself; the names, when given, take its place
    (a record built by hand from arrays alone has none).  activation_name: the
    activation of the record's layer (forward, backward), or the output activation
    (loss); default ``record.activation``.  loss_name names the loss in the loss and
    output-delta titles; default ``record.loss_name``.  prev_activation_name: the
    activation that produced a[l] (the hidden one), used only by a forward record with
    l > 0 to fix a[l]'s colour range; default ``record.prev_activation``; without one
    a[l] is drawn as signed, which never clips.  a[0] = X is always signed.
    layer: for an update record, only that weight layer's three panels (before,
    −η·grad, after); by default every layer's, in order.  tr: an optional
    translator of the captions and the figures' words.  width_px: the width in px each
    panel will be drawn at (the page's column width; default
    `bp_view.style.PANEL_WIDTH_PX`), which decides where cells print their numbers;
    full_width: every panel opened across the page (`bp_view.heatmaps`).
    """
    kind, l, A = record.kind, record.layer, record.arrays
    act = activation_name or record.activation
    loss_name = loss_name or record.loss_name
    size = dict(width_px=width_px, full_width=full_width)
    if kind == "forward":
        return _forward_figures(l, A, act, prev_activation_name or record.prev_activation, tr,
                                size)
    if kind == "loss":
        return _loss_figures(A, act, loss_name, tr, size)
    if kind == "backward":
        return _backward_figures(l, A, act, loss_name, record.l2, tr, size)
    if kind == "update":
        return _update_figures(record, tr, layer, size)
    raise ValueError(f"unknown phase kind {kind!r}")


def _forward_figures(i: int, A, act: str, prev_act: str | None, tr: Translator | None = None,
                     size: dict | None = None):
    size = size or {}
    l = layer_of(i)  # the layer this phase computes; its inputs are layer l − 1's
    a_prev, W, b, z, a = (sup(name, n) for name, n in
                          (("a", l - 1), ("W", l), ("b", l), ("z", l), ("a", l)))
    if l == 1:
        first = (tx(tr, "cap_input"),
                 heatmap(A["a_prev"], tx(tr, "input_title"), "signed", value_name=a_prev,
                         tr=tr, engine=where("a", 0), **size))
    else:
        first = (tx(tr, "cap_prev", l=l, prev=l - 1),
                 activation_panel(A["a_prev"], a_prev, prev_act, a_prev, tr, where("a", l - 1),
                                  **size))
    rng = value_range(act)
    n_out, n_in = A["W"].shape
    return [
        first,
        (tx(tr, "cap_weights", l=l, prev=l - 1),
         params_figure(A["W"], A["b"], bias_pair(tr, "with_bias_title", W, b),
                       bias_pair(tr, "with_bias_value", W, b), tr=tr,
                       engine=weight_cells("W", "b", l, n_out, n_in), **size)),
        (tx(tr, "cap_z", l=l, prev=l - 1),
         heatmap(A["z"], f"{z} = {W} {a_prev} + {b}", "signed", value_name=z, tr=tr,
                 engine=where("z", l), **size)),
        (tx(tr, "cap_a_range", act=act, l=l, range=str(list(rng))) if rng
         else tx(tr, "cap_a", act=act, l=l),
         activation_panel(A["a"], f"{a} = {act}({z})", act, a, tr, where("a", l), **size)),
    ]


def _loss_figures(A, act: str, loss_name: str | None, tr: Translator | None = None,
                  size: dict | None = None):
    size = size or {}
    a, y = as_float(A["a"]), as_float(A["y"])
    costs, loss = as_float(A["costs"]), float(A["loss"])
    rng = value_range(act)
    # a and y share one colour range so they can be compared cell by cell.
    finite_y = y[np.isfinite(y)]
    if rng is not None and np.all((finite_y >= rng[0]) & (finite_y <= rng[1])):
        colour = dict(colorscale=BOUNDED_SCALE, cmin=rng[0], cmax=rng[1])
    else:
        lo, hi = symmetric_range(a, y)
        colour = dict(colorscale=SIGNED_SCALE, cmin=lo, cmax=hi, cmid=0)
    a_shown, cut = cap_rows(a, tr=tr)
    example, neuron = tx(tr, "example"), tx(tr, "neuron")
    y_shown = y[:MAX_ROWS]
    spacing = 0.06
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=spacing,
                        subplot_titles=(tx(tr, "output_sub"), tx(tr, "target_sub")))
    height = panel_height(len(a_shown), full_width=size.get("full_width", False))
    # Each of the two heatmaps has half the plot area, less the gap between them; the
    # subplot titles take 16 px more at the top.
    half = plot_width(drawn_width(**size)) * (1 - spacing) / 2
    cells_height = height - plot_margin_height() - 16
    hidden = False
    for col, (arr, name, engine) in enumerate([(a_shown, sup("a", "L"), "r.activations[-1]"),
                                                (y_shown, "y", where("y"))], start=1):
        z, h = finite_or_none(arr)
        hidden |= h
        hover, _ = engine_hover(hover_text(example, neuron, name), engine, len(arr), tr)
        trace = go.Heatmap(z=z, x=tick_labels(arr.shape[1]), y=tick_labels(arr.shape[0]),
                           coloraxis="coloraxis", xgap=1, ygap=1 if len(arr) <= 16 else 0,
                           hovertemplate=hover)
        trace.update(cell_text(arr, half, cells_height, xgap=1))
        fig.add_trace(trace, row=1, col=col)
    matrix_axes(fig, "", neuron)
    # y's axis follows a[L]'s (shared); its own "reversed" would differ from what Plotly
    # works out for a shared axis, and make Plotly draw the figure twice in the app.
    fig.update_yaxes(title_text=example, col=1)
    fig.update_yaxes(autorange=None, col=2)
    fig.update_annotations(font=dict(size=11))
    fig.update_layout(coloraxis=dict(colorbar=dict(thickness=12, len=0.9), **colour))
    out_fig = finish(fig, tx(tr, "output_target_title"), height,
                     [cut, tx(tr, "nonfinite") if hidden else ""], colorbar=True,
                     plot_bgcolor=MISSING_BG)
    out_fig.update_layout(margin=dict(out_fig.layout.margin.to_plotly_json(),
                                      t=out_fig.layout.margin.t + 16))

    mean = float(np.mean(costs)) if costs.size else float("nan")
    l2_note = ""
    if np.isfinite(mean) and np.isfinite(loss) and loss != mean:
        l2_note = tx(tr, "mean_plus_l2", mean=f"{mean:.9g}")
    shown, cut = cap_rows(costs, tr=tr)
    x, hidden = finite_or_none(shown)
    bars = go.Figure(go.Bar(x=x, y=tick_labels(len(shown)), orientation="h",
                            marker_color=LINE_COLOURS[0],
                            hovertemplate=f"{example} %{{y}}<br>C_i = %{{x:{HOVER_FORMAT}}}"
                                          "<extra></extra>"))
    bars.update_yaxes(type="category", autorange="reversed", title_text=example,
                      tickfont=dict(size=10))
    bars.update_xaxes(title_text="C_i", rangemode="tozero")
    finish(bars, tx(tr, "costs_title", loss=f"{loss:.9g}"), panel_height(len(shown)),
           [l2_note, cut, tx(tr, "nonfinite") if hidden else ""])
    formula = loss_formula(loss_name)
    return [(tx(tr, "cap_output"), out_fig),
            (tx(tr, "cap_costs_l2" if l2_note else "cap_costs", formula=formula), bars)]


def _backward_figures(i: int, A, act: str, loss_name: str | None, l2: float,
                      tr: Translator | None = None, size: dict | None = None):
    size = size or {}
    out = []
    l = layer_of(i)  # δ^l of this layer, from δ^(l+1) above it (BP2) or the loss (BP1)
    d, z, W_next, d_next = sup("δ", l), sup("z", l), sup("W", l + 1), sup("δ", l + 1)
    hidden_layer = "delta_next" in A
    if hidden_layer:
        out.append((tx(tr, "cap_delta_next", next=l + 1),
                    heatmap(A["delta_next"], tx(tr, "delta_next_title", next=l + 1), "signed",
                            value_name=d_next, tr=tr, engine=where("delta", l + 1),
                            **size)))
    if "fprime" in A:
        out.append((tx(tr, "cap_fprime", l=l, act=act),
                    heatmap(A["fprime"], f"f'({z}) = {act}'({z})", "activation",
                            derivative_range(act), value_name=f"f'({z})", tr=tr,
                            engine=where("fprime", l), **size)))
    if hidden_layer:
        title = f"{d} = ({W_next}ᵀ {d_next}) ⊙ f'({z})"
        caption = tx(tr, "cap_bp2", l=l, next=l + 1)
    else:
        a = sup("a", l)
        if delta_is_a_minus_y(loss_name, act):
            title = f"{d} = {a} − y"
            why = tx(tr, "why_matched", loss=loss_name, act=act)
        elif loss_name == "quadratic" and act == "softmax":
            title = f"{d} = Jᵀ ({a} − y)"
            why = tx(tr, "why_jacobian")
        elif loss_name == "quadratic":
            title = f"{d} = ({a} − y) ⊙ f'({z})"
            why = tx(tr, "why_quadratic")
        else:
            title = f"{d} = ∂C_i/∂{z}"
            why = tx(tr, "why_loss")
        caption = tx(tr, "cap_bp1", l=l, why=why)
    out.append((caption, heatmap(A["delta"], title, "signed", value_name=d, tr=tr,
                                 engine=where("delta", l), **size)))

    gw, gb = f"∂C/∂{sup('W', l)}", f"∂C/∂{sup('b', l)}"
    n_out, n_in = A["grad_w"].shape
    out.append((tx(tr, "cap_gradients", l=l, prev=l - 1, l2=f" + λ·W^{l}" if l2 else ""),
                params_figure(A["grad_w"], A["grad_b"],
                              bias_pair(tr, "with_bias_title", gw, gb),
                              bias_pair(tr, "with_bias_value", gw, gb), tr=tr,
                              engine=weight_cells("grad_w", "grad_b", l, n_out, n_in),
                              **size)))
    return out


def _update_figures(record: PhaseRecord, tr: Translator | None = None,
                    layer: int | None = None, size: dict | None = None):
    size = size or {}
    out = []
    eta = learning_rate(record)
    updates = layer_updates(record)
    layers = len(updates)
    if layer is not None and not 0 <= layer < layers:
        raise ValueError(f"layer must be in 0..{layers - 1}, got {layer}")
    for u in updates if layer is None else [updates[layer]]:
        l = layer_of(u.layer)
        before = with_bias(u.W_before, u.b_before)
        step = with_bias(u.step_w, u.step_b)
        after = with_bias(u.W_after, u.b_after)
        # One colour range for the three panels of a layer, so they can be compared.
        zrange = symmetric_range(before, step, after)
        w, b = sup("W", l), sup("b", l)
        dw, db = f"−η·∂C/∂{w}", f"−η·∂C/∂{b}"
        n_out, n_in = u.W_before.shape
        panels = [
            (tx(tr, "cap_before", l=l), bias_pair(tr, "before_title", w, b),
             u.W_before, u.b_before, bias_pair(tr, "with_bias_value", w, b), "before"),
            (tx(tr, "cap_change", l=l, eta=f"{eta:g}"), f"{dw}, {db}",
             u.step_w, u.step_b, bias_pair(tr, "with_bias_value", dw, db), "step"),
            (tx(tr, "cap_after", l=l), bias_pair(tr, "after_title", w, b),
             u.W_after, u.b_after, bias_pair(tr, "with_bias_value", w, b), "after"),
        ]
        largest = symmetric_range(step)[1] if np.isfinite(step).any() and np.any(step) else 0.0
        notes = ["", tx(tr, "largest_change", largest=f"{largest:.3g}"), ""]
        for (caption, title, W, b_, value_name, what), note in zip(panels, notes, strict=True):
            cells = weight_cells(f"{what}_w" if what == "step" else f"W_{what}",
                                 f"{what}_b" if what == "step" else f"b_{what}", l, n_out, n_in)
            out.append((caption, params_figure(W, b_, title, value_name, zrange, note, tr,
                                               engine=cells, **size)))
    return out
