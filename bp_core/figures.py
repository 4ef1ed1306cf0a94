"""Plotly figures of bp_core's numbers: pure functions from arrays to ``go.Figure``.

Notation as in network.py (layers counted from 0, L weight layers):

    a[0] = X,  z[l] = a[l] @ W[l].T + b[l],  a[l+1] = f(z[l]),
    delta[l] = dC_i/dz[l],  grad_w[l] = dC/dW[l],  grad_b[l] = dC/db[l]

The conventions every figure keeps, so a colour means the same thing in every panel:

* Rows are examples and columns are neurons.  A weight matrix is drawn as stored,
  W[l]: (n_out, n_in), row j = output neuron, column k = input neuron, and its bias
  b[l] is an extra last column labelled "b", so a bias is never hidden.
* Signed quantities (z, delta, grad_w, grad_b, updates, weights, inputs, and the
  outputs of unbounded activations: relu, leaky_relu, linear) use `SIGNED_SCALE`,
  a diverging scale with white at zero (zmid = 0): red is positive, blue negative.
* Bounded activations use `BOUNDED_SCALE` with a fixed range from
  `activation_range` (sigmoid and softmax [0, 1], tanh [-1, 1]), so a colour
  always means the same value from step to step.
* Ticks are the integer indices of bp_core's arrays, from 0.  Hover shows the
  indices and the value to 9 significant digits (as bp_core.equations does); the
  figure data itself is the float64 array, unrounded.
* At most `MAX_ROWS` examples are drawn per heatmap (the title says so when cut).
  NaN and ±inf are never drawn: they become gaps and the title says
  `NONFINITE_NOTE`.

Every word a figure shows (captions, titles, axis titles, legend and hover names)
has a key in `TEXT`, whose value is its English template.  Every public function
takes an optional translator ``tr(key, values) -> str``; without one the English
template is filled in, so notebooks work unchanged.  The app passes a translator
that looks the key up (prefixed ``fig_``) in its language catalogue.  Notation
(a[l], z[l], delta[l], grad_w[l], ...) is never translated.

Every function is pure: it copies what it draws and never mutates its inputs.  The
functions that need a network only call ``net.forward``.  Only numpy and plotly are
used (no Streamlit), so the figures work in a notebook as they do in the app.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from .gradcheck import TOLERANCE

if TYPE_CHECKING:  # only for annotations: keeps this module's imports numpy + plotly
    from .datasets import Dataset
    from .gradcheck import GradcheckResult
    from .network import BackpropResult, Network
    from .stepper import PhaseRecord
    from .train import History

__all__ = ["BOUNDED_SCALE", "FPRIME_RANGE", "IMAGE_SCALE", "MAX_DRAWN_NEURONS", "MAX_IMAGES",
           "MAX_ROWS", "NONFINITE_NOTE", "PLAIN_SCALE", "SIGNED_SCALE", "TEXT", "Translator",
           "accuracy_curves", "activation_range", "curves", "decision_boundary",
           "diagram_highlight_css", "diagram_parts", "digit_images", "digit_predictions",
           "fitted_curve", "gradcheck_figure", "gradcheck_heatmaps", "gradient_norms",
           "heatmap", "loss_curves", "network_diagram", "phase_figures", "weight_images"]

# --- conventions, defined once ------------------------------------------------
SIGNED_SCALE = "RdBu_r"     # blue < 0 < red, white at 0 (zmid = 0)
BOUNDED_SCALE = "Viridis"   # bounded activations, with the fixed range of activation_range
PLAIN_SCALE = "Viridis"     # non-negative, unbounded quantities, auto range
IMAGE_SCALE = "Greys"       # digit pixels: 0 white, 1 black (ink)
PASS_COLOUR, FAIL_COLOUR = "#2ca02c", "#d62728"
CLASS_COLOURS = ("#2166ac", "#b2182b")  # label 0 blue, label 1 red: the ends of SIGNED_SCALE
LINE_COLOURS = ("#1f77b4", "#ff7f0e")   # train, test
CURVE_COLOURS = LINE_COLOURS + ("#2ca02c", "#d62728", "#9467bd", "#8c564b")  # `curves`

MAX_ROWS = 64               # examples drawn per heatmap
MAX_IMAGES = 32             # images per digit grid
MAX_DRAWN_NEURONS = 16      # neurons per layer in the network diagram
TEXT_MAX_CELLS = 40         # matrices this small also print their values in the cells
HOVER_FORMAT = ".9~g"       # 9 significant digits on hover (bp_core.equations.DIGITS), no
                            # trailing zeros; the data itself is never rounded
FONT_FAMILY = '"Source Sans", sans-serif'  # the app's own font and text colour, so figures
TEXT_COLOUR = "#2f2d2b"                   # match the page around them
TEXT_TEMPLATE = "%{z:.4~g}"  # the numbers printed in the cells of small matrices
NONFINITE_NOTE = "(non-finite values hidden)"  # TEXT["nonfinite"], in English
MISSING_BG = "#bdbdbd"      # what a hidden (non-finite) cell shows: the plot background

_BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}
# f'(z) is never negative; sigmoid' peaks at 1/4, the others at 1.
FPRIME_RANGE = {"sigmoid": (0.0, 0.25), "tanh": (0.0, 1.0), "relu": (0.0, 1.0),
                "leaky_relu": (0.0, 1.0), "linear": (0.0, 1.0)}
_KINDS = ("signed", "activation", "plain")
_LOSS_FORMULA = {"quadratic": "C_i = ½‖a − y‖²",
                 "cross_entropy": "C_i = −Σ_j [y ln a + (1 − y) ln(1 − a)]",
                 "log_likelihood": "C_i = −Σ_j y ln a"}
_MATCHED = {("cross_entropy", "sigmoid"), ("log_likelihood", "softmax")}  # delta = a − y

# The English template of every word the figures show, by key: the one source of this
# text.  A translator gets these keys and the values that fill the {placeholders}.
TEXT: dict[str, str] = {
    # notes under a title
    "nonfinite": NONFINITE_NOTE,
    "first_examples": "(first {shown} of {n} examples)",
    "first_neurons": "(first {shown} of {n} neurons)",
    "first_images": "(first {shown} of {n} images)",
    "zero_drawn_at_floor": "(0 drawn at the floor)",
    "zero_shown_at_floor": "(0 shown at the floor)",
    # rows, columns and values of the heatmaps
    "example": "example",
    "neuron": "neuron",
    "value": "value",
    "output_neuron_j": "output neuron j",
    "input_neuron_k": "input neuron k",
    "with_bias_title": "{w}, {b} (column b)",
    "with_bias_value": "{w} (column b: {b})",
    # the forward phase
    "input_title": "a[0] = X (input)",
    "cap_input": "a[0] = X, the input: one row per example, one column per input neuron.",
    "cap_prev": "a[{l}], the activations coming into layer {l}: one row per example.",
    "cap_weights": "W[{l}]: row j is a neuron of a[{next}], column k a neuron of a[{l}]; "
                   "the last column b is the bias b[{l}].",
    "cap_z": "z[{l}] = a[{l}] @ W[{l}].T + b[{l}]: the weighted input of each neuron, "
             "for each example.",
    "cap_a": "a[{next}] = {act}(z[{l}]): what layer {l} passes on.",
    "cap_a_range": "a[{next}] = {act}(z[{l}]): what layer {l} passes on, on the fixed "
                   "range {range}.",
    # the loss phase
    "output_sub": "a[L] (output)",
    "target_sub": "y (target)",
    "output_target_title": "output a[L] and target y",
    "costs_title": "C_i per example; loss C = {loss}",
    "mean_plus_l2": "(mean C_i = {mean}, plus the L2 term)",
    "cap_output": "The output a[L] beside the target y, one row per example, on one colour "
                  "scale.",
    "cap_costs": "The cost of each example, {formula}; the loss C is their mean.",
    "cap_costs_l2": "The cost of each example, {formula}; the loss C is their mean plus the "
                    "L2 term.",
    # the backward phase
    "delta_next_title": "delta[{next}] (from above)",
    "cap_delta_next": "delta[{next}], the error already found one layer up.",
    "cap_fprime": "f'(z[{l}]) = {act}'(z[{l}]): how much each neuron lets an error through "
                  "(0 = none).",
    "cap_bp2": "BP2: delta[{l}] = dC_i/dz[{l}], the error of layer {l}, sent back through "
               "W[{next}] and scaled by f'(z[{l}]).",
    "cap_bp1": "BP1: delta[{l}] = dC_i/dz[{l}] at the output; {why}.",
    "why_matched": "f'(z) cancels for {loss} with a {act} output",
    "why_jacobian": "J is the softmax Jacobian, diag(a) − a a.T",
    "why_quadratic": "the quadratic cost's dC_i/da times f'(z)",
    "why_loss": "from the loss",
    "cap_gradients": "BP4 and BP3: grad_w[{l}] = delta[{l}].T @ a[{l}] / n{l2}, and "
                     "grad_b[{l}] = the mean of delta[{l}] over the batch as the last "
                     "column b.",
    # the update phase
    "before_title": "{w}, {b} before",
    "after_title": "{w}, {b} after",
    "largest_change": "(largest |change| {largest}, on W's colours)",
    "cap_before": "Layer {l}: W[{l}] and b[{l}] before the update.",
    "cap_change": "Layer {l}: the change −η·grad_w[{l}] and −η·grad_b[{l}] (column b), "
                  "η = {eta}.",
    "cap_after": "Layer {l}: W[{l}] and b[{l}] after the update; the three panels share "
                 "one colour range.",
    # the network diagram
    "diagram_title": "weights (lines) and biases (fill)",
    "column_input": "input<br>({n})",
    "column_hidden": "hidden<br>({n})",
    "column_output": "output<br>({n})",
    "weight_row_column": "row j = {j}, column k = {k}",
    "input_neuron_hover": "a[0] neuron {j} (input)",
    "neuron_hover": "a[{l}] neuron {j}",
    "not_drawn": "neurons {first}–{last} of a[{l}] not drawn",
    # training curves
    "epoch": "epoch",
    "train_loss": "train loss",
    "test_loss": "test loss",
    "loss_axis": "loss C",
    "loss_title": "loss per epoch",
    "loss_title_log": "loss per epoch (log scale)",
    "train_accuracy": "train accuracy",
    "test_accuracy": "test accuracy",
    "accuracy": "accuracy",
    "accuracy_title": "accuracy per epoch",
    # what the network computes
    "label": "label {label}",
    "boundary_title": "network output {name}",
    "fit_data": "data (x, y)",
    "fit_network": "network a[L](x)",
    "fit_title": "the data and the network's fit",
    # images
    "image_hover": "image {i}, pixel row {row}, column {col}",
    "pixel": "pixel",
    "prediction": "pred {pred} / true {true}",
    "predictions_title": "predictions: {right} of {count} right",
    "neuron_n": "neuron {j}",
    "weight_pixel": "W[0][j, pixel]",
    "weight_images_title": "W[0] rows as 8×8 images",
    # gradient checks and gradient sizes
    "layer_n": "layer {l}",
    "pass": "pass",
    "fail": "FAIL",
    "unchecked": "not checked",
    "unchecked_cells": "(grey cells were not checked)",
    "max_rel_error": "max relative error",
    "tolerance": "tolerance {tol}",
    "gradcheck_title": "gradient check (pass below {tol})",
    "log_rel_error": "log10(rel error)",
    "tolerance_tick": "{cut} tolerance",
    "cell_hover": "output neuron j = {j}, input neuron k = {k}",
    "rel_error": "rel error",
    "analytic": "analytic",
    "numeric": "numeric",
    "gradcheck_layer_title": "layer {l}: relative error, red fails",
    "mean_abs_delta": "mean |delta[l]|",
    "size": "size",
    "norms_title": "gradient size per layer",
}

# A translator: tr(key, values) returns the text of TEXT[key] in some language,
# filled with values (a dict of str to str or int).
Translator = Callable[[str, dict], str]

_MARGIN = dict(l=50, r=10, t=40, b=36)
# Figures with a colour bar keep a fixed right margin wide enough for it.  Left to
# itself, Plotly lets the bar push the margin out, measures, and then draws the
# whole figure a second time: in the browser that second draw was about a quarter
# of Plotly's time on every click of Next.  The bottom margin likewise holds the
# x axis's tick labels and title, which would otherwise push it.
_COLORBAR_MARGIN = dict(r=72, b=50, autoexpand=False)
_FONT = dict(size=11, family=FONT_FAMILY, color=TEXT_COLOUR)
_DIAGRAM_LABEL_PX = 46  # the height each of the diagram's rows of labels needs
_HOVERLABEL = dict(bgcolor="white", bordercolor="#d5d8de",
                   font=dict(family=FONT_FAMILY, size=12, color=TEXT_COLOUR))
# In the app, Streamlit draws every new chart twice: first at the width Plotly finds,
# then again once it has measured the chart's box and handed Plotly a fresh copy of
# the figure.  Plotly redoes the whole drawing for that second call unless it can tell
# that nothing changed.  Three things in a figure's JSON defeat it: an object where
# Plotly compares by identity, such as a template or a layout.meta (the copy is a new
# object; Streamlit's own chart theme adds a template, so the app turns that theme
# off), a layout sized without autosize (the first draw is autosized, the second is
# not), and data arrays without a datarevision (the copies are new arrays).  So no
# figure carries a template or a layout.meta, and every one says autosize and has a
# datarevision; in the app a new figure is always a new chart, so one constant
# datarevision is enough.  (The fourth thing, a box width that is not a whole number
# of pixels, is the page's: see playground/charts.py.)  Measured in Chromium: Plotly's
# time per Next click went from about 145 ms to 90 ms.  The font and the white hover
# labels stand in for what Streamlit's theme gave.
_DRAW_ONCE = dict(autosize=True, datarevision=0)
_TOP_LEGEND = dict(orientation="h", y=1.0, x=1, xanchor="right", yanchor="bottom")


def activation_range(name: str | None) -> tuple[float, float] | None:
    """(0, 1) for sigmoid and softmax, (-1, 1) for tanh, None for unbounded ones."""
    return _BOUNDED.get(name) if name else None


# --- helpers ------------------------------------------------------------------
def _tx(tr: Translator | None, key: str, **values: object) -> str:
    """The words of key: translated by tr, else the English template."""
    if tr is None:
        return TEXT[key].format(**values)
    return tr(key, values)


def _as_float(values: object) -> np.ndarray:
    """A float64 copy, so nothing drawn is a view of the caller's array."""
    return np.array(values, dtype=np.float64)


def _finite_or_none(arr: np.ndarray) -> tuple[object, bool]:
    """(data for a trace, whether anything was hidden).

    Finite arrays go to Plotly as float64 ndarrays (sent as exact binary); an array
    with NaN or ±inf becomes nested lists with None in those cells, a gap.
    """
    finite = np.isfinite(arr)
    if finite.all():
        return arr, False
    obj = arr.astype(object)
    obj[~finite] = None
    return obj.tolist(), True


def _cap_rows(arr: np.ndarray, what: str = "examples",
              tr: Translator | None = None) -> tuple[np.ndarray, str]:
    """The first MAX_ROWS rows and a note saying so ("" when nothing was cut).

    what: "examples" or "neurons", what the rows are.
    """
    n = arr.shape[0]
    if n > MAX_ROWS:
        return arr[:MAX_ROWS], _tx(tr, f"first_{what}", shown=MAX_ROWS, n=n)
    return arr, ""


def _symmetric(*arrays: np.ndarray) -> tuple[float, float]:
    """(−m, m) with m the largest finite |value|; (−1, 1) if there is none."""
    m = 0.0
    for arr in arrays:
        finite = np.abs(arr[np.isfinite(arr)])
        if finite.size:
            m = max(m, float(finite.max()))
    return (-m, m) if m > 0 else (-1.0, 1.0)


def _labels(n: int) -> list[str]:
    return [str(i) for i in range(n)]


def _height(rows: int, low: int = 200, high: int = 320) -> int:
    return int(min(high, max(low, 90 + 18 * rows)))


def _colour_args(kind: str, zrange: tuple[float, float] | None) -> dict:
    """Colour settings of a heatmap trace (or a coloraxis) for a kind of quantity."""
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {', '.join(_KINDS)}, got {kind!r}")
    if kind == "activation" and zrange is None:
        kind = "signed"  # an unbounded activation: drawn like any signed quantity
    if kind == "signed":
        args = dict(colorscale=SIGNED_SCALE, zmid=0)
        if zrange is not None:  # a shared range: keep it symmetric so white stays at 0
            m = max(abs(float(zrange[0])), abs(float(zrange[1])))
            args.update(zmin=-m, zmax=m)
        return args
    if kind == "activation":
        return dict(colorscale=BOUNDED_SCALE, zmin=float(zrange[0]), zmax=float(zrange[1]))
    args = dict(colorscale=PLAIN_SCALE)
    if zrange is not None:
        args.update(zmin=float(zrange[0]), zmax=float(zrange[1]))
    return args


def _hover(row_name: str, col_name: str, value_name: str) -> str:
    return (f"{row_name} %{{y}}, {col_name} %{{x}}<br>{value_name} = "
            f"%{{z:{HOVER_FORMAT}}}<extra></extra>")


def _title(title: str, notes=()) -> str:
    """The title, with notes (rows cut, values hidden) on a smaller second line.

    Titles stay short because the app draws panels three to a row and Plotly does
    not wrap them; the longer explanation belongs in the caption.
    """
    notes = [n for n in notes if n]
    if not notes:
        return title
    if not title:
        return " ".join(notes)
    return f"{title}<br><span style='font-size:11px;color:#555'>{' '.join(notes)}</span>"


def _layout(title: str, height: int, notes=(), *, colorbar: bool = False,
            left: int = _MARGIN["l"], **extra) -> dict:
    """The layout every figure shares: compact, white, small fonts, the title at the left.

    colorbar: the figure has a colour bar at the right (see `_COLORBAR_MARGIN`).
    left: the left margin, for the y axis's labels.
    """
    notes = [n for n in notes if n]
    two_lines = bool(title and notes)
    margin = dict(_MARGIN, l=left, t=58 if two_lines else _MARGIN["t"])
    if colorbar:
        margin.update(_COLORBAR_MARGIN)
    return {"plot_bgcolor": "white", "paper_bgcolor": "white",
            "font": _FONT, "hoverlabel": _HOVERLABEL, "height": height + (16 if two_lines else 0),
            "margin": margin,
            "title": dict(text=_title(title, notes), x=0.01, xanchor="left",
                          font=dict(size=13, weight="bold")),
            **_DRAW_ONCE, **extra}


def _untemplated(fig: go.Figure) -> go.Figure:
    """The figure with no template at all (see `_DRAW_ONCE`); Plotly's own defaults
    are plain white, as the "none" template is."""
    fig.layout.template = None
    return fig


def _finish(fig: go.Figure, title: str, height: int, notes=(), *, colorbar: bool = False,
            **extra) -> go.Figure:
    # One update_layout call: each Plotly update validates, and many are slow.
    return _untemplated(fig.update_layout(_layout(title, height, notes, colorbar=colorbar,
                                                  **extra)))


def _matrix_axis(name: str, rows: bool = False, n: int = 0) -> dict:
    """A category axis of integer labels; rows run down, row 0 at the top, as printed.

    Up to 16 labels are all shown; beyond that about 10, so a narrow panel stays legible.
    """
    axis = dict(type="category", title=dict(text=name, standoff=4), showgrid=False, ticks="",
                tickfont=dict(size=10), zeroline=False, tickangle=0)
    if n > 16:
        axis["nticks"] = 10
    return dict(axis, autorange="reversed") if rows else axis


def _matrix_axes(fig: go.Figure, row_name: str, col_name: str) -> None:
    """Every axis of a figure (subplots too) as a matrix axis."""
    fig.update_xaxes(_matrix_axis(col_name))
    fig.update_yaxes(_matrix_axis(row_name, rows=True))


def _matrix_figure(arr: np.ndarray, title: str, kind: str, zrange, row_name: str,
                   col_name: str, value_name: str, col_labels: list[str] | None = None,
                   row_what: str = "examples", note: str = "",
                   tr: Translator | None = None) -> go.Figure:
    """The one heatmap builder: arr is 2-D float64, already a copy."""
    arr, cut = _cap_rows(arr, row_what, tr)
    z, hidden = _finite_or_none(arr)
    n_rows, n_cols = arr.shape
    trace = dict(type="heatmap", z=z, x=col_labels or _labels(n_cols), y=_labels(n_rows),
                 hovertemplate=_hover(row_name, col_name, value_name),
                 colorbar=dict(thickness=12, len=0.9, tickfont=dict(size=10)),
                 xgap=1 if n_cols <= 16 else 0, ygap=1 if n_rows <= 16 else 0,
                 **_colour_args(kind, zrange))
    if arr.size <= TEXT_MAX_CELLS:  # small matrices (Mazur's 2-2-2) print their numbers
        trace.update(texttemplate=TEXT_TEMPLATE, textfont=dict(size=11))
    layout = _layout(title, _height(n_rows),
                     [note, cut, _tx(tr, "nonfinite") if hidden else ""], colorbar=True,
                     plot_bgcolor=MISSING_BG, xaxis=_matrix_axis(col_name, n=n_cols),
                     yaxis=_matrix_axis(row_name, rows=True, n=n_rows))
    return _untemplated(go.Figure(dict(data=[trace], layout=layout)))


def _with_bias(W: object, b: object) -> np.ndarray:
    """[W | b]: (n_out, n_in + 1), the bias as the last column."""
    W, b = _as_float(W), _as_float(b).reshape(-1)
    return np.column_stack([W, b])


def _params_figure(W: object, b: object, title: str, value_name: str,
                   zrange=None, note: str = "", tr: Translator | None = None) -> go.Figure:
    """W[l] (n_out, n_in) with b[l] as an extra last column labelled "b"."""
    Wb = _with_bias(W, b)
    return _matrix_figure(Wb, title, "signed", zrange, _tx(tr, "output_neuron_j"),
                          _tx(tr, "input_neuron_k"), value_name,
                          col_labels=_labels(Wb.shape[1] - 1) + ["b"], row_what="neurons",
                          note=note, tr=tr)


def _pair(tr: Translator | None, key: str, w: str, b: str) -> str:
    """A title or value name of a matrix with its bias column: "W[0], b[0] (column b)"."""
    return _tx(tr, key, w=w, b=b)


# --- heatmaps -------------------------------------------------------------------
def heatmap(values, title: str, kind: str = "signed", zrange=None, row_name: str | None = None,
            col_name: str | None = None, value_name: str | None = None, *,
            tr: Translator | None = None) -> go.Figure:
    """A heatmap of a 1-D (drawn as one row) or 2-D array: rows examples, columns neurons.

    row_name, col_name and value_name name the rows, columns and values on the axes
    and in the hover text; by default "example", "neuron" and "value" (translated
    by tr when it is given).

    kind: "signed" (diverging `SIGNED_SCALE`, zmid = 0; a given zrange is made
    symmetric about 0), "activation" (`BOUNDED_SCALE` over zrange, e.g.
    ``activation_range(name)``; with zrange None it is drawn as signed, since the
    activation is unbounded), or "plain" (`PLAIN_SCALE`, auto range unless zrange).
    """
    arr = _as_float(values)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[None, :]
    elif arr.ndim != 2:
        raise ValueError(f"heatmap needs a 1-D or 2-D array, got shape {arr.shape}")
    row_name = _tx(tr, "example") if row_name is None else row_name
    col_name = _tx(tr, "neuron") if col_name is None else col_name
    value_name = _tx(tr, "value") if value_name is None else value_name
    return _matrix_figure(arr, title, kind, zrange, row_name, col_name, value_name, tr=tr)


def _activation_panel(values, title: str, name: str | None, value_name: str,
                      tr: Translator | None = None) -> go.Figure:
    rng = activation_range(name)
    return heatmap(values, title, "activation" if rng else "signed", rng,
                   value_name=value_name, tr=tr)


# --- the phases of the stepper ------------------------------------------------------
def phase_figures(record: PhaseRecord, activation_name: str, loss_name: str | None = None,
                  prev_activation_name: str | None = None, *, layer: int | None = None,
                  tr: Translator | None = None) -> list[tuple[str, go.Figure]]:
    """(caption, figure) pairs for the panels of one stepper phase, in reading order.

    activation_name: the activation of the record's layer (forward, backward), or the
    output activation (loss).  loss_name names the loss in the loss and output-delta
    titles.  prev_activation_name: the activation that produced a[l] (the hidden
    one), used only by a forward record with l > 0 to fix a[l]'s colour range; when
    not given a[l] is drawn as signed, which never clips.  a[0] = X is always signed.
    layer: for an update record, only that weight layer's three panels (before,
    −η·grad, after); by default every layer's, in order.  tr: an optional
    translator of the captions and the figures' words.
    """
    kind, l, A = record.kind, record.layer, record.arrays
    if kind == "forward":
        return _forward_figures(l, A, activation_name, prev_activation_name, tr)
    if kind == "loss":
        return _loss_figures(A, activation_name, loss_name, tr)
    if kind == "backward":
        return _backward_figures(l, A, activation_name, loss_name, tr)
    if kind == "update":
        return _update_figures(A, tr, layer)
    raise ValueError(f"unknown phase kind {kind!r}")


def _forward_figures(l: int, A, act: str, prev_act: str | None, tr: Translator | None = None):
    if l == 0:
        first = (_tx(tr, "cap_input"),
                 heatmap(A["a_prev"], _tx(tr, "input_title"), "signed", value_name="a[0]",
                         tr=tr))
    else:
        first = (_tx(tr, "cap_prev", l=l),
                 _activation_panel(A["a_prev"], f"a[{l}]", prev_act, f"a[{l}]", tr))
    rng = activation_range(act)
    return [
        first,
        (_tx(tr, "cap_weights", l=l, next=l + 1),
         _params_figure(A["W"], A["b"], _pair(tr, "with_bias_title", f"W[{l}]", f"b[{l}]"),
                        _pair(tr, "with_bias_value", f"W[{l}]", f"b[{l}]"), tr=tr)),
        (_tx(tr, "cap_z", l=l),
         heatmap(A["z"], f"z[{l}] = a[{l}] @ W[{l}].T + b[{l}]", "signed",
                 value_name=f"z[{l}]", tr=tr)),
        (_tx(tr, "cap_a_range", next=l + 1, act=act, l=l, range=str(list(rng))) if rng
         else _tx(tr, "cap_a", next=l + 1, act=act, l=l),
         _activation_panel(A["a"], f"a[{l + 1}] = {act}(z[{l}])", act, f"a[{l + 1}]", tr)),
    ]


def _loss_figures(A, act: str, loss_name: str | None, tr: Translator | None = None):
    a, y = _as_float(A["a"]), _as_float(A["y"])
    costs, loss = _as_float(A["costs"]), float(A["loss"])
    rng = activation_range(act)
    # a and y share one colour range so they can be compared cell by cell.
    finite_y = y[np.isfinite(y)]
    if rng is not None and np.all((finite_y >= rng[0]) & (finite_y <= rng[1])):
        colour = dict(colorscale=BOUNDED_SCALE, cmin=rng[0], cmax=rng[1])
    else:
        lo, hi = _symmetric(a, y)
        colour = dict(colorscale=SIGNED_SCALE, cmin=lo, cmax=hi, cmid=0)
    a_shown, cut = _cap_rows(a, tr=tr)
    example, neuron = _tx(tr, "example"), _tx(tr, "neuron")
    y_shown = y[:MAX_ROWS]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=(_tx(tr, "output_sub"), _tx(tr, "target_sub")))
    hidden = False
    for col, (arr, name) in enumerate([(a_shown, "a[L]"), (y_shown, "y")], start=1):
        z, h = _finite_or_none(arr)
        hidden |= h
        trace = go.Heatmap(z=z, x=_labels(arr.shape[1]), y=_labels(arr.shape[0]),
                           coloraxis="coloraxis", xgap=1, ygap=1 if len(arr) <= 16 else 0,
                           hovertemplate=_hover(example, neuron, name))
        if arr.size <= TEXT_MAX_CELLS // 2:
            trace.update(texttemplate=TEXT_TEMPLATE, textfont=dict(size=11))
        fig.add_trace(trace, row=1, col=col)
    _matrix_axes(fig, "", neuron)
    # y's axis follows a[L]'s (shared); its own "reversed" would differ from what Plotly
    # works out for a shared axis, and make Plotly draw the figure twice in the app.
    fig.update_yaxes(title_text=example, col=1)
    fig.update_yaxes(autorange=None, col=2)
    fig.update_annotations(font=dict(size=11))
    fig.update_layout(coloraxis=dict(colorbar=dict(thickness=12, len=0.9), **colour))
    out_fig = _finish(fig, _tx(tr, "output_target_title"), _height(len(a_shown)),
                      [cut, _tx(tr, "nonfinite") if hidden else ""], colorbar=True,
                      plot_bgcolor=MISSING_BG)
    out_fig.update_layout(margin=dict(out_fig.layout.margin.to_plotly_json(),
                                      t=out_fig.layout.margin.t + 16))

    mean = float(np.mean(costs)) if costs.size else float("nan")
    l2_note = ""
    if np.isfinite(mean) and np.isfinite(loss) and loss != mean:
        l2_note = _tx(tr, "mean_plus_l2", mean=f"{mean:.9g}")
    shown, cut = _cap_rows(costs, tr=tr)
    x, hidden = _finite_or_none(shown)
    bars = go.Figure(go.Bar(x=x, y=_labels(len(shown)), orientation="h",
                            marker_color=LINE_COLOURS[0],
                            hovertemplate=f"{example} %{{y}}<br>C_i = %{{x:{HOVER_FORMAT}}}"
                                          "<extra></extra>"))
    bars.update_yaxes(type="category", autorange="reversed", title_text=example,
                      tickfont=dict(size=10))
    bars.update_xaxes(title_text="C_i", rangemode="tozero")
    _finish(bars, _tx(tr, "costs_title", loss=f"{loss:.9g}"), _height(len(shown)),
            [l2_note, cut, _tx(tr, "nonfinite") if hidden else ""])
    formula = _LOSS_FORMULA.get(loss_name, "C_i")
    return [(_tx(tr, "cap_output"), out_fig),
            (_tx(tr, "cap_costs_l2" if l2_note else "cap_costs", formula=formula), bars)]


def _backward_figures(l: int, A, act: str, loss_name: str | None,
                      tr: Translator | None = None):
    out = []
    hidden_layer = "delta_next" in A
    if hidden_layer:
        out.append((_tx(tr, "cap_delta_next", next=l + 1),
                    heatmap(A["delta_next"], _tx(tr, "delta_next_title", next=l + 1), "signed",
                            value_name=f"delta[{l + 1}]", tr=tr)))
    if "fprime" in A:
        out.append((_tx(tr, "cap_fprime", l=l, act=act),
                    heatmap(A["fprime"], f"f'(z[{l}]) = {act}'(z[{l}])", "activation",
                            FPRIME_RANGE.get(act), value_name=f"f'(z[{l}])", tr=tr)))
    if hidden_layer:
        title = f"delta[{l}] = (delta[{l + 1}] @ W[{l + 1}]) ⊙ f'(z[{l}])"
        caption = _tx(tr, "cap_bp2", l=l, next=l + 1)
    else:
        a, z = f"a[{l + 1}]", f"z[{l}]"
        if (loss_name, act) in _MATCHED:
            title = f"delta[{l}] = {a} − y"
            why = _tx(tr, "why_matched", loss=loss_name, act=act)
        elif loss_name == "quadratic" and act == "softmax":
            title = f"delta[{l}] = J.T @ ({a} − y)"
            why = _tx(tr, "why_jacobian")
        elif loss_name == "quadratic":
            title = f"delta[{l}] = ({a} − y) ⊙ f'({z})"
            why = _tx(tr, "why_quadratic")
        else:
            title = f"delta[{l}] = dC_i/d{z}"
            why = _tx(tr, "why_loss")
        caption = _tx(tr, "cap_bp1", l=l, why=why)
    out.append((caption, heatmap(A["delta"], title, "signed", value_name=f"delta[{l}]", tr=tr)))

    grad_w, delta, a_prev = _as_float(A["grad_w"]), _as_float(A["delta"]), _as_float(A["a_prev"])
    with np.errstate(all="ignore"):
        plain = delta.T @ a_prev / delta.shape[0]
        l2 = bool(np.any(np.abs(grad_w - plain) > 1e-9 * (1 + np.abs(plain))))
    out.append((_tx(tr, "cap_gradients", l=l, l2=f" + λ·W[{l}]" if l2 else ""),
                _params_figure(grad_w, A["grad_b"],
                               _pair(tr, "with_bias_title", f"grad_w[{l}]", f"grad_b[{l}]"),
                               _pair(tr, "with_bias_value", f"grad_w[{l}]", f"grad_b[{l}]"),
                               tr=tr)))
    return out


def _update_figures(A, tr: Translator | None = None, layer: int | None = None):
    out = []
    eta = float(A["learning_rate"])
    layers = 0
    while f"W_before{layers}" in A:
        layers += 1
    if layer is not None and not 0 <= layer < layers:
        raise ValueError(f"layer must be in 0..{layers - 1}, got {layer}")
    for l in range(layers) if layer is None else [layer]:
        before = _with_bias(A[f"W_before{l}"], A[f"b_before{l}"])
        step = _with_bias(A[f"update_w{l}"], A[f"update_b{l}"])
        after = _with_bias(A[f"W_after{l}"], A[f"b_after{l}"])
        # One colour range for the three panels of a layer, so they can be compared.
        zrange = _symmetric(before, step, after)
        w, b = f"W[{l}]", f"b[{l}]"
        dw, db = f"−η·grad_w[{l}]", f"−η·grad_b[{l}]"
        panels = [
            (_tx(tr, "cap_before", l=l), _pair(tr, "before_title", w, b),
             A[f"W_before{l}"], A[f"b_before{l}"], _pair(tr, "with_bias_value", w, b)),
            (_tx(tr, "cap_change", l=l, eta=f"{eta:g}"), f"{dw}, {db}",
             A[f"update_w{l}"], A[f"update_b{l}"], _pair(tr, "with_bias_value", dw, db)),
            (_tx(tr, "cap_after", l=l), _pair(tr, "after_title", w, b),
             A[f"W_after{l}"], A[f"b_after{l}"], _pair(tr, "with_bias_value", w, b)),
        ]
        largest = _symmetric(step)[1] if np.isfinite(step).any() and np.any(step) else 0.0
        notes = ["", _tx(tr, "largest_change", largest=f"{largest:.3g}"), ""]
        for (caption, title, W, b_, value_name), note in zip(panels, notes, strict=True):
            out.append((caption, _params_figure(W, b_, title, value_name, zrange, note, tr)))
    return out


# --- the network diagram -------------------------------------------------------------
def _drawn(n: int) -> tuple[list[int], list[float], float | None]:
    """(indices drawn, their slot positions, slot of the ellipsis or None).

    Up to MAX_DRAWN_NEURONS neurons are drawn; a bigger layer shows its first half
    and its last neurons with an ellipsis between, so both ends of the index range
    stay visible.
    """
    if n <= MAX_DRAWN_NEURONS:
        return list(range(n)), [float(i) for i in range(n)], None
    head = MAX_DRAWN_NEURONS // 2
    tail = MAX_DRAWN_NEURONS - head - 1
    index = list(range(head)) + list(range(n - tail, n))
    slots = [float(i) for i in range(head)] + [float(head + 1 + i) for i in range(tail)]
    return index, slots, float(head)


# How the diagram shows what a phase is about, (bright, faded): used by the figure
# itself and by the CSS of diagram_highlight_css, so the two always agree.
_LINE_OPACITY = (0.9, 0.15)
_NEURON_OPACITY = (1.0, 0.3)
_COLUMN_LABEL = ("#222", "#aaa")
_LAYER_LABEL = ("#b2182b", "#666")  # "W[l], b[l]": red only when a phase names layer l
_LOSS_OUTLINE = 2.5  # the output neurons' outline at the loss phase


def _look(pair: tuple, bright: bool):
    return pair[0] if bright else pair[1]


def _bright(highlight, L: int) -> tuple[set[int], set[int]]:
    """(weight layers, neuron columns) a phase is about; the rest of the diagram is faded.

    highlight = (kind, layer) as the stepper's last phase: ("forward" | "backward", l)
    is weight layer l and its two neuron columns, ("loss", None) the output neurons,
    ("update", None) or None everything.
    """
    kind, hl = highlight if highlight else (None, None)
    if kind in ("forward", "backward") and hl is not None:
        return {hl}, {hl, hl + 1}
    if kind == "loss":
        return set(), {L}
    return set(range(L)), set(range(L + 1))


def network_diagram(sizes, weights, biases, highlight=None, *,
                    tr: Translator | None = None) -> go.Figure:
    """Neurons as circles in columns (a[0] … a[L]), weights as lines between them.

    A line's colour is the sign and size of its weight on `SIGNED_SCALE` and its width
    grows with |w|; a neuron's fill is its bias b[l][j] on the same scale (inputs
    have no bias and are grey).  Hover a neuron for its bias, and the midpoint of a
    line for its weight W[l][j, k].  highlight = (kind, layer)
    as the stepper's last phase (see `_bright`); the rest is faded.  Layers over
    `MAX_DRAWN_NEURONS` neurons are cut, with an ellipsis, and only weights between
    drawn neurons are drawn.  tr: an optional translator of the figure's words.

    Each trace's meta names its part (`diagram_parts`): "w{l}" the lines of weight
    layer l, "h{l}" their hover points, "n{l}" neuron column l, "ellipsis".  Plotly
    draws the traces in that order, so `diagram_highlight_css` can fade and light up
    parts in the page without a new figure (see there why).  (Not one list in
    layout.meta: Plotly compares an object there by identity, so Streamlit's copy of
    the figure made it draw the whole diagram a second time.)
    """
    sizes = [int(n) for n in sizes]
    W = [_as_float(w) for w in weights]
    B = [_as_float(b).reshape(-1) for b in biases]
    L = len(sizes) - 1
    if len(W) != L or len(B) != L:
        raise ValueError(f"sizes {sizes} need {L} weight matrices and {L} bias vectors")
    for l in range(L):
        if W[l].shape != (sizes[l + 1], sizes[l]) or B[l].shape != (sizes[l + 1],):
            raise ValueError(f"layer {l}: weights {W[l].shape} / biases {B[l].shape} do not "
                             f"match sizes {sizes}")

    kind = highlight[0] if highlight else None
    bright_w, bright_n = _bright(highlight, L)

    drawn = [_drawn(n) for n in sizes]
    top = max(len(d[0]) + (d[2] is not None) for d in drawn)

    def ypos(layer: int, slot: float) -> float:
        used = len(drawn[layer][0]) + (drawn[layer][2] is not None)
        return -(slot - (used - 1) / 2)  # each column centred, slot 0 at the top

    # One colour range for weights and biases among what is drawn.
    seen_w = [W[l][np.ix_(drawn[l + 1][0], drawn[l][0])] for l in range(L)]
    seen_b = [B[l][drawn[l + 1][0]] for l in range(L)]
    m = _symmetric(*seen_w, *seen_b)[1]

    # Lines grouped by (layer, sign, |w| bin): a few traces, segments split by None.
    n_bins = 4
    fig = go.Figure()
    parts: list[str] = []  # the part of each trace, set as its meta at the end
    hidden = False
    for l in range(L):
        faded = l not in bright_w
        groups: dict[tuple[int, int], tuple[list, list]] = {}
        mid_x, mid_y, mid_data = [], [], []
        for jj, j in enumerate(drawn[l + 1][0]):
            for kk, k in enumerate(drawn[l][0]):
                w = W[l][j, k]
                if not np.isfinite(w):
                    hidden = True
                    continue
                sign = 1 if w >= 0 else -1
                b = min(int(abs(w) / m * n_bins), n_bins - 1)
                xs, ys = groups.setdefault((sign, b), ([], []))
                y0, y1 = ypos(l, drawn[l][1][kk]), ypos(l + 1, drawn[l + 1][1][jj])
                xs += [l, l + 1, None]
                ys += [y0, y1, None]
                mid_x.append(l + 0.5)
                mid_y.append((y0 + y1) / 2)
                mid_data.append((l, j, k, w))
        for (sign, b), (xs, ys) in sorted(groups.items()):
            level = (b + 1) / n_bins  # the bin's top, as a fraction of m
            # Drawn a little darker than the scale says, so small weights stay visible
            # on white; their width still tells the size.
            colour = sample_colorscale(SIGNED_SCALE,
                                       [0.5 + sign * (0.15 + 0.85 * level) / 2])[0]
            parts.append(f"w{l}")
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                line=dict(color=colour, width=0.5 + 3.5 * b / (n_bins - 1)),
                opacity=_look(_LINE_OPACITY, not faded)))
        if mid_x:
            # mode "none": Plotly still finds the nearest point to hover, but draws no
            # SVG element for it (a 64-16-8-10 network has 464 of them).
            parts.append(f"h{l}")
            fig.add_trace(go.Scatter(
                x=mid_x, y=mid_y, mode="none", showlegend=False,
                customdata=np.array(mid_data, dtype=np.float64),
                hovertemplate=("W[%{customdata[0]}][%{customdata[1]}, %{customdata[2]}] = "
                               f"%{{customdata[3]:{HOVER_FORMAT}}}<br>"
                               + _tx(tr, "weight_row_column", j="%{customdata[1]}",
                                     k="%{customdata[2]}")
                               + "<extra></extra>")))

    # Neurons, one trace per column: inputs (no bias) grey, the rest filled with their bias.
    in_y = [ypos(0, s) for s in drawn[0][1]]
    parts.append("n0")
    fig.add_trace(go.Scatter(
        x=[0] * len(in_y), y=in_y, mode="markers", showlegend=False,
        marker=dict(size=16, color="#e0e0e0", line=dict(color="#444", width=1)),
        opacity=_look(_NEURON_OPACITY, 0 in bright_n),
        customdata=drawn[0][0],
        hovertemplate=_tx(tr, "input_neuron_hover", j="%{customdata}") + "<extra></extra>"))
    for l in range(L):
        index, slots = drawn[l + 1][:2]
        bias = B[l][index]
        finite = np.isfinite(bias)
        hidden |= not finite.all()
        data = np.column_stack([np.full(len(index), l + 1), index, np.full(len(index), l),
                                np.where(finite, bias, np.nan)]).astype(np.float64)
        parts.append(f"n{l + 1}")
        fig.add_trace(go.Scatter(
            x=[l + 1] * len(index), y=[ypos(l + 1, slot) for slot in slots], mode="markers",
            showlegend=False, opacity=_look(_NEURON_OPACITY, l + 1 in bright_n),
            marker=dict(size=16, color=[b if f else None for b, f in zip(bias, finite)],
                        coloraxis="coloraxis",
                        line=dict(color="#444",
                                  width=_LOSS_OUTLINE if (kind == "loss" and l + 1 == L)
                                  else 1)),
            customdata=data,
            hovertemplate=(_tx(tr, "neuron_hover", l="%{customdata[0]}", j="%{customdata[1]}")
                           + "<br>"
                           f"b[%{{customdata[2]}}][%{{customdata[1]}}] = "
                           f"%{{customdata[3]:{HOVER_FORMAT}}}<extra></extra>")))
    ex, ey, etext = [], [], []
    for l, (index, _, slot) in enumerate(drawn):
        if slot is not None:
            ex.append(l)
            ey.append(ypos(l, slot))
            head = MAX_DRAWN_NEURONS // 2
            etext.append(_tx(tr, "not_drawn", first=head, last=index[head] - 1, l=l))
    if ex:
        parts.append("ellipsis")
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="text", text=["⋮"] * len(ex),
                                 textfont=dict(size=18), showlegend=False,
                                 hovertext=etext, hovertemplate="%{hovertext}<extra></extra>"))

    # Column labels above the columns (three short lines, so that neighbours do not run
    # into each other in a narrow column), weight-layer labels below, between columns.
    # The y range leaves them _DIAGRAM_LABEL_PX of room, whatever the figure's height.
    height = int(min(440, max(240, 90 + 24 * top)))
    edge = (top - 1) / 2 + 0.6  # just beyond the outermost neurons
    plot_px = height - _MARGIN["t"] - _COLORBAR_MARGIN["b"]
    y_max = edge / (1 - 2 * _DIAGRAM_LABEL_PX / plot_px)
    for l, n in enumerate(sizes):
        name = "input" if l == 0 else "output" if l == L else "hidden"
        fig.add_annotation(x=l, y=edge, yanchor="bottom", showarrow=False,
                           text=f"a[{l}]<br>" + _tx(tr, f"column_{name}", n=n),
                           font=dict(size=11, color=_look(_COLUMN_LABEL, l in bright_n)))
    for l in range(L):
        bright = kind is not None and l in bright_w
        fig.add_annotation(x=l + 0.5, y=-edge, yanchor="top", showarrow=False,
                           text=f"W[{l}]<br>b[{l}]",
                           font=dict(size=11, color=_look(_LAYER_LABEL, bright)))
    title = _tx(tr, "diagram_title")
    fig.update_layout(coloraxis=dict(colorscale=SIGNED_SCALE, cmin=-m, cmax=m, cmid=0,
                                     colorbar=dict(title=dict(text="w, b", side="top"),
                                                   thickness=12, len=0.8)))
    fig.update_xaxes(visible=False, range=[-0.4, L + 0.4])
    fig.update_yaxes(visible=False, range=[-y_max, y_max])
    _finish(fig, title, height, [_tx(tr, "nonfinite") if hidden else ""], colorbar=True,
            left=10, hovermode="closest")  # no axes, so no room for their labels
    for trace, part in zip(fig.data, parts, strict=True):
        trace.meta = part
    return fig


def diagram_parts(fig: go.Figure) -> list[str]:
    """The part of each trace of a `network_diagram`, in order ("w0", "h0", "n0", …)."""
    return [trace.meta for trace in fig.data]


def diagram_highlight_css(parts: list[str], highlight, scope: str) -> str:
    """CSS that draws `highlight` on a `network_diagram(..., highlight=None)` in the page.

    Why CSS: the weights change only at the update, so on the other clicks of a pass
    the diagram's figure stays the same and the browser does not draw it again; a
    new highlight in the figure made it draw the whole diagram on every click (about
    a third of the browser's time per click).  These rules fade and light up the
    diagram's parts, as the figure itself would with that highlight.

    parts: the figure's `diagram_parts`.  Plotly draws trace i as the
    (i+1)-th ``g.trace`` of its ``g.scatterlayer``, which is how a rule finds it.
    scope: a CSS selector of the element that holds the diagram (letters, digits,
    "-", "_", "." and "#" only).
    """
    if not re.fullmatch(r"[\w.#-]+", scope):
        raise ValueError(f"scope must be a simple CSS selector, got {scope!r}")
    L = sum(part.startswith("n") for part in parts) - 1
    kind = highlight[0] if highlight else None
    bright_w, bright_n = _bright(highlight, L)
    rules = []
    for i, part in enumerate(parts):
        layer = int(part[1:]) if part[0] in "whn" and part[1:].isdigit() else None
        if part[0] == "w":
            opacity = _look(_LINE_OPACITY, layer in bright_w)
        elif part[0] == "n":
            opacity = _look(_NEURON_OPACITY, layer in bright_n)
        else:
            continue
        rules.append(f"{scope} g.scatterlayer > g.trace:nth-child({i + 1}) "
                     f"{{opacity: {opacity} !important}}")
    # The annotations: the column labels a[0] … a[L], then W[0], b[0] … W[L-1], b[L-1].
    for l in range(L + 1):
        colour = _look(_COLUMN_LABEL, l in bright_n)
        rules.append(f'{scope} g.annotation[data-index="{l}"] text {{fill: {colour} !important}}')
    for l in range(L):
        colour = _look(_LAYER_LABEL, kind is not None and l in bright_w)
        rules.append(f'{scope} g.annotation[data-index="{L + 1 + l}"] text '
                     f"{{fill: {colour} !important}}")
    if kind == "loss":  # the output neurons, where the loss is computed
        index = parts.index(f"n{L}") + 1
        rules.append(f"{scope} g.scatterlayer > g.trace:nth-child({index}) path.point "
                     f"{{stroke-width: {_LOSS_OUTLINE}px !important}}")
    return "\n".join(rules)


# --- training curves ---------------------------------------------------------------
def _epoch_trace(values, name: str, colour: str, fmt: str,
                 epoch: str = TEXT["epoch"]) -> tuple[go.Scatter, bool]:
    y, hidden = _finite_or_none(_as_float(values))
    trace = go.Scatter(x=list(range(1, len(values) + 1)), y=y,
                       mode="lines+markers" if len(values) <= 30 else "lines", name=name,
                       line=dict(color=colour), marker=dict(size=5),
                       hovertemplate=f"{epoch} %{{x}}<br>{name} = %{{y:{fmt}}}<extra></extra>")
    return trace, hidden


def loss_curves(history: History, *, tr: Translator | None = None) -> go.Figure:
    """Training (and test) loss after each epoch; a log y axis when it spans over 50×."""
    fig, hidden, every = go.Figure(), False, []
    epoch = _tx(tr, "epoch")
    for values, name, colour in [(history.train_loss, _tx(tr, "train_loss"), LINE_COLOURS[0]),
                                 (history.test_loss, _tx(tr, "test_loss"), LINE_COLOURS[1])]:
        if len(values):
            trace, h = _epoch_trace(values, name, colour, HOVER_FORMAT, epoch)
            fig.add_trace(trace)
            hidden |= h
            every.extend(v for v in values if np.isfinite(v))
    positive = [v for v in every if v > 0]
    log = bool(positive) and len(positive) == len(every) and max(positive) / min(positive) > 50
    fig.update_yaxes(type="log" if log else "linear", title_text=_tx(tr, "loss_axis"))
    fig.update_xaxes(title_text=epoch)
    title = _tx(tr, "loss_title_log" if log else "loss_title")
    return _finish(fig, title, 280, [_tx(tr, "nonfinite") if hidden else ""],
                   legend=_TOP_LEGEND)


def curves(series: dict[str, object], title: str, x_title: str, y_title: str, *,
           log_y: bool = False) -> go.Figure:
    """Named series of values, one point per index 0, 1, …, as lines with markers.

    series: name -> 1-D values (non-finite ones leave a gap).  The words are already
    in the learner's language; the app uses this for its small comparison charts.
    """
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        y, _ = _finite_or_none(_as_float(values).reshape(-1))
        fig.add_trace(go.Scatter(y=y, mode="lines+markers", name=name, marker=dict(size=5),
                                 line=dict(color=CURVE_COLOURS[i % len(CURVE_COLOURS)]),
                                 hovertemplate=f"%{{x}}<br>{name} = %{{y:{HOVER_FORMAT}}}"
                                               "<extra></extra>"))
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return _finish(fig, title, 300, legend=_TOP_LEGEND)


def accuracy_curves(history: History, *, tr: Translator | None = None) -> go.Figure | None:
    """Training (and test) accuracy per epoch, or None when there is none (regression)."""
    series = [(v, key, colour) for v, key, colour in
              [(history.train_accuracy, "train_accuracy", LINE_COLOURS[0]),
               (history.test_accuracy, "test_accuracy", LINE_COLOURS[1])]
              if len(v) and any(a is not None for a in v)]
    if not series:
        return None
    fig = go.Figure()
    epoch = _tx(tr, "epoch")
    for values, key, colour in series:
        values = [np.nan if a is None else a for a in values]
        fig.add_trace(_epoch_trace(values, _tx(tr, key), colour, ".2%", epoch)[0])
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text=_tx(tr, "accuracy"))
    fig.update_xaxes(title_text=epoch)
    return _finish(fig, _tx(tr, "accuracy_title"), 280,
                   legend=_TOP_LEGEND)


# --- what the network computes over its input space -------------------------------
def _forward(net: Network, X: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):  # non-finite outputs are hidden, not warned about
        return _as_float(net.forward(X))


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
    X = _as_float(data.X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D inputs, got X of shape {X.shape}")
    resolution = int(resolution)
    if not 2 <= resolution <= 400:
        raise ValueError("resolution must be from 2 to 400")
    xs = np.linspace(*_padded_range(X[:, 0]), resolution)
    ys = np.linspace(*_padded_range(X[:, 1]), resolution)
    gx, gy = np.meshgrid(xs, ys)  # grid[i, j] is the point (xs[j], ys[i])
    out = _forward(net, np.column_stack([gx.ravel(), gy.ravel()]))
    column = 1 if out.shape[1] >= 2 else 0
    z, hidden = _finite_or_none(out[:, column].reshape(resolution, resolution))
    rng = activation_range(getattr(net, "output_activation", None))
    colour = dict(zmin=rng[0], zmax=rng[1]) if rng else dict(zmid=0.5)
    name = f"a[L][:, {column}]"
    fig = go.Figure(go.Heatmap(
        x=xs, y=ys, z=z, colorscale=SIGNED_SCALE, **colour,
        colorbar=dict(title=dict(text=name, side="top"), thickness=12, len=0.9),
        hovertemplate=f"x0 = %{{x:.3g}}, x1 = %{{y:.3g}}<br>{name} = %{{z:{HOVER_FORMAT}}}"
                      "<extra></extra>"))
    labels = data.labels if data.task in ("binary", "multiclass") else None
    if labels is None:
        labels = (_as_float(data.Y)[:, 0] >= 0.5).astype(int)
    for label in (0, 1):
        pick = labels == label
        label_name = _tx(tr, "label", label=label)
        fig.add_trace(go.Scatter(
            x=X[pick, 0], y=X[pick, 1], mode="markers", name=label_name,
            marker=dict(size=6, color=CLASS_COLOURS[label], line=dict(color="white", width=1)),
            hovertemplate=f"x0 = %{{x:{HOVER_FORMAT}}}, x1 = %{{y:{HOVER_FORMAT}}}<br>"
                          f"{label_name}<extra></extra>"))
    fig.update_xaxes(title_text="x0", range=[xs[0], xs[-1]], showgrid=False, zeroline=False,
                     constrain="domain")
    fig.update_yaxes(title_text="x1", range=[ys[0], ys[-1]], showgrid=False, zeroline=False,
                     scaleanchor="x", scaleratio=1, constrain="domain")
    return _finish(fig, _tx(tr, "boundary_title", name=name), 360,
                   [_tx(tr, "nonfinite") if hidden else ""],
                   plot_bgcolor=MISSING_BG,
                   legend=_TOP_LEGEND)


def fitted_curve(net: Network, data: Dataset, *, tr: Translator | None = None) -> go.Figure:
    """A 1-D regression set (``sine``): the data points and the network's curve a[L](x)."""
    X = _as_float(data.X)
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(f"fitted_curve needs 1-D inputs, got X of shape {X.shape}")
    xs = np.linspace(*_padded_range(X[:, 0], 0.05), 200)
    curve, hidden = _finite_or_none(_forward(net, xs[:, None])[:, 0])
    Y = _as_float(data.Y)
    fig = go.Figure([
        go.Scatter(x=X[:, 0], y=Y[:, 0], mode="markers", name=_tx(tr, "fit_data"),
                   marker=dict(size=5, color="#888"),
                   hovertemplate=f"x = %{{x:{HOVER_FORMAT}}}<br>y = %{{y:{HOVER_FORMAT}}}"
                                 "<extra></extra>"),
        go.Scatter(x=xs, y=curve, mode="lines", name=_tx(tr, "fit_network"),
                   line=dict(color=LINE_COLOURS[0], width=3),
                   hovertemplate=f"x = %{{x:.3g}}<br>a[L] = %{{y:{HOVER_FORMAT}}}"
                                 "<extra></extra>"),
    ])
    fig.update_xaxes(title_text="x")
    fig.update_yaxes(title_text="y")
    return _finish(fig, _tx(tr, "fit_title"), 300,
                   [_tx(tr, "nonfinite") if hidden else ""], legend=_TOP_LEGEND)


# --- images ------------------------------------------------------------------------
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
        z, h = _finite_or_none(image)
        hidden |= h
        suffix = str(i + 1) if i else ""
        x0 = (i % cols) * (width + hgap)
        y1 = 1 - (i // cols) * (height + vgap)
        data.append(dict(type="heatmap", z=z, coloraxis="coloraxis", xaxis=f"x{suffix}",
                         yaxis=f"y{suffix}",
                         hovertemplate=_tx(tr, "image_hover", i=i, row="%{y}", col="%{x}")
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
    notes = [n for n in (note, _tx(tr, "nonfinite") if hidden else "") if n]
    top = 24 + (22 if title or notes else 0) + (16 if title and notes else 0)
    layout.update(_layout(title, int(min(520, 84 * rows + top)), notes,
                          plot_bgcolor=MISSING_BG, margin=dict(l=10, r=10, t=top, b=10)),
                  annotations=annotations,
                  coloraxis=dict(colorbar=dict(thickness=10, len=0.8), **colour))
    return _untemplated(go.Figure(dict(data=data, layout=layout)))


def _check_images(X) -> np.ndarray:
    X = _as_float(X)
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
    note = _tx(tr, "first_images", shown=MAX_IMAGES, n=len(X)) if len(X) > MAX_IMAGES else ""
    names = [str(t) for t in titles][:n] if titles is not None else [str(i) for i in range(n)]
    finite = X[np.isfinite(X)]
    inside = finite.size == 0 or (finite.min() >= 0 and finite.max() <= 1)
    colour = dict(colorscale=IMAGE_SCALE, cmin=0.0, cmax=1.0) if inside else \
        dict(colorscale=IMAGE_SCALE)
    return _image_grid([X[i].reshape(8, 8) for i in range(n)], names, cols, colour,
                       _tx(tr, "pixel"), "", note, tr)


def digit_predictions(net: Network, data: Dataset, count: int = 16, *,
                      tr: Translator | None = None) -> go.Figure:
    """The first ``count`` digits titled "pred p / true t"; wrong ones red and framed."""
    X = _check_images(data.X)
    count = max(1, min(int(count), MAX_IMAGES, len(X)))
    pred = _forward(net, X[:count]).argmax(axis=1)
    true = _as_float(data.Y)[:count].argmax(axis=1)
    titles = [_tx(tr, "prediction", pred=int(p), true=int(t))
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
        title=dict(text=_title(_tx(tr, "predictions_title", right=right, count=count)),
                   x=0.01, xanchor="left", font=dict(size=13)),
        margin=dict(l=10, r=10, t=fig.layout.margin.t + 22, b=10),
        height=fig.layout.height + 22)


def weight_images(W, count: int = 16, *, tr: Translator | None = None) -> go.Figure:
    """First-layer weight rows W[0][j] (n_out, 64) as 8×8 images, on the signed scale.

    Red pixels push neuron j's z up, blue ones down; one symmetric range for all.
    """
    W = _check_images(W)
    count = max(1, min(int(count), MAX_IMAGES, len(W)))
    lo, hi = _symmetric(W[:count])
    colour = dict(colorscale=SIGNED_SCALE, cmin=lo, cmax=hi, cmid=0)
    note = _tx(tr, "first_neurons", shown=count, n=len(W)) if len(W) > count else ""
    return _image_grid([W[j].reshape(8, 8) for j in range(count)],
                       [_tx(tr, "neuron_n", j=j) for j in range(count)], 8, colour,
                       _tx(tr, "weight_pixel"), _tx(tr, "weight_images_title"), note, tr)


# --- gradient checks and gradient sizes -----------------------------------------------
def _log_display(values: list[float]) -> tuple[list, bool]:
    """Bar heights for a log axis: exact where positive; 0 drawn at a floor below the
    smallest positive value (the hover still says 0); non-finite hidden."""
    arr = _as_float(values)
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
    exact, hidden = _finite_or_none(_as_float(errors))
    max_error = _tx(tr, "max_rel_error")
    fig = go.Figure(go.Bar(
        x=[_tx(tr, "layer_n", l=layer.layer) for layer in result.layers], y=shown,
        customdata=exact,
        marker_color=[{"pass": PASS_COLOUR, "fail": FAIL_COLOUR}.get(v, MISSING_BG)
                      for v in verdicts],
        text=[_tx(tr, v) for v in verdicts], textposition="outside",
        hovertemplate=f"%{{x}}<br>{max_error} = %{{customdata:.3g}}<extra></extra>"))
    # The line is a shape in data units; its label is an annotation, which on a log axis
    # takes log10 of the position.
    fig.add_hline(y=TOLERANCE, line=dict(dash="dash", color="#444", width=1.5))
    fig.add_annotation(x=1, xref="paper", xanchor="right", y=math.log10(TOLERANCE),
                       yanchor="bottom", showarrow=False, font=dict(size=10, color="#444"),
                       text=_tx(tr, "tolerance", tol=f"{TOLERANCE:g}"))
    fig.update_yaxes(type="log", title_text=max_error, exponentformat="power")
    notes = [_tx(tr, "zero_drawn_at_floor") if zero else "",
             _tx(tr, "nonfinite") if not result.finite else ""]
    return _finish(fig, _tx(tr, "gradcheck_title", tol=f"{TOLERANCE:g}"), 280, notes,
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
    checked = _with_bias(check.checked_w, check.checked_b)
    rel = _with_bias(check.rel_w, check.rel_b)
    analytic = _with_bias(check.analytic_w, check.analytic_b)
    numeric = _with_bias(check.numeric_w, check.numeric_b)
    with np.errstate(all="ignore"):
        # rel = 0 would be −inf: it is drawn at the bottom of the range instead (rel ≤ 1
        # always, since |a − n| ≤ |a| + |n|, so log10 rel ≤ 0).
        logs = np.log10(np.where(rel > 0, rel, np.finfo(np.float64).tiny))
    z, _ = _finite_or_none(logs)
    custom, _ = _finite_or_none(np.stack([rel, analytic, numeric], axis=-1))
    lo, hi, cut = -16.0, 0.0, math.log10(TOLERANCE)
    at = (cut - lo) / (hi - lo)
    scale = [[0.0, "#f7fcf5"], [at, "#41ab5d"], [at, "#fcae91"], [1.0, "#99000d"]]
    n_out, n_cols = rel.shape
    fig = go.Figure(go.Heatmap(
        z=z, x=_labels(n_cols - 1) + ["b"], y=_labels(n_out), customdata=custom,
        colorscale=scale, zmin=lo, zmax=hi, xgap=1 if n_cols <= 16 else 0,
        ygap=1 if n_out <= 16 else 0,
        colorbar=dict(title=dict(text=_tx(tr, "log_rel_error"), side="right"), thickness=12,
                      len=0.9, tickvals=[-16, -12, -8, cut, -4, 0],
                      ticktext=["−16", "−12", "−8", _tx(tr, "tolerance_tick", cut=f"{cut:g}"),
                                "−4", "0"]),
        hovertemplate=(_tx(tr, "cell_hover", j="%{y}", k="%{x}") + "<br>"
                       + _tx(tr, "rel_error") + " = %{customdata[0]:.3g}<br>"
                       + _tx(tr, "analytic") + f" = %{{customdata[1]:{HOVER_FORMAT}}}<br>"
                       + _tx(tr, "numeric") + f" = %{{customdata[2]:{HOVER_FORMAT}}}"
                       "<extra></extra>")))
    _matrix_axes(fig, _tx(tr, "output_neuron_j"), _tx(tr, "input_neuron_k"))
    # A cell is hidden (drawn as the grey background) when it was not checked, or when
    # a checked one is not finite: the notes say which of the two happened.
    return _finish(fig, _tx(tr, "gradcheck_layer_title", l=layer), _height(n_out),
                   [_tx(tr, "nonfinite") if not check.finite else "",
                    _tx(tr, "unchecked_cells") if not checked.all() else ""],
                   plot_bgcolor=MISSING_BG)


def gradient_norms(backprop_result: BackpropResult, *,
                   tr: Translator | None = None) -> go.Figure:
    """Per layer, mean |delta[l]| and ‖grad_w[l]‖ (Frobenius) as bars on a log axis.

    Layers shrinking towards layer 0 by orders of magnitude is the vanishing gradient.
    """
    r = backprop_result
    with np.errstate(all="ignore"):
        mean_delta = [float(np.mean(np.abs(_as_float(d)))) for d in r.deltas]
        norm_w = [float(np.linalg.norm(_as_float(g))) for g in r.grad_w]
    names = [_tx(tr, "layer_n", l=l) for l in range(len(r.grad_w))]
    fig, notes = go.Figure(), set()
    for values, name, colour in [(mean_delta, _tx(tr, "mean_abs_delta"), LINE_COLOURS[0]),
                                 (norm_w, "‖grad_w[l]‖", LINE_COLOURS[1])]:
        shown, zero = _log_display(values)
        exact, hidden = _finite_or_none(_as_float(values))
        if zero:
            notes.add(_tx(tr, "zero_shown_at_floor"))
        if hidden:
            notes.add(_tx(tr, "nonfinite"))
        fig.add_trace(go.Bar(x=names, y=shown, customdata=exact, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}<br>{name} = %{{customdata:{HOVER_FORMAT}}}"
                                           "<extra></extra>"))
    fig.update_yaxes(type="log", title_text=_tx(tr, "size"), exponentformat="power")
    return _finish(fig, _tx(tr, "norms_title"), 280, sorted(notes), barmode="group",
                   legend=_TOP_LEGEND)
