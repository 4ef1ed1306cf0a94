"""Heatmaps of arrays: rows examples, columns neurons; a weight matrix with its bias column.

`heatmap` is the public builder; `matrix_figure` the one all heatmaps of matrices
share, and `params_figure` draws W[l] (n_out, n_in) with b[l] as its last column "b".

Every builder takes the width it will be drawn at, ``width_px`` (default
`PANEL_WIDTH_PX`): a cell prints its number only when the number fits at ≥ 10 px
(`bp_view.layout.cell_text`), else the value is on hover only.  ``full_width=True``
is the same matrix opened across the page: width `FULL_WIDTH_PX` unless given, and
a panel allowed to grow taller, so more rows and columns keep their numbers.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .layout import (
    as_float,
    base_layout,
    cap_rows,
    cell_text,
    colour_args,
    finite_or_none,
    hover_text,
    matrix_axis,
    panel_height,
    plot_margin_height,
    plot_width,
    tick_labels,
    tx,
    untemplated,
)
from .notation import engine_hover
from .registry import value_range
from .style import COLUMN_GAP_PX, FULL_WIDTH_PX, MISSING_BG, NARROW_COLUMN_PX, PANEL_WIDTH_PX
from .text import Translator


def panel_width(per_row: int, column_px: float = NARROW_COLUMN_PX) -> int:
    """The px each of per_row panels side by side gets in a column column_px wide.

    For a page: pass the result as width_px.  The default column is the app's at
    1024 px, the narrowest that puts panels side by side, so a panel's numbers are
    never wider than its cells on any page at least that wide (on wider pages the
    panels are wider still; on a phone Streamlit stacks them at full width).
    """
    per_row = max(1, int(per_row))
    return int((column_px - COLUMN_GAP_PX * (per_row - 1)) // per_row)


def drawn_width(width_px: float | None, full_width: bool = False) -> float:
    """The width a panel is built for: the one given, else the default of its kind."""
    if width_px is not None:
        return float(width_px)
    return float(FULL_WIDTH_PX if full_width else PANEL_WIDTH_PX)


def cell_hover(row_name: str, col_name: str, value_name: str) -> str:
    """The hover template of a matrix cell: its row, its column and its value."""
    return hover_text(row_name, col_name, value_name)


def matrix_figure(arr: np.ndarray, title: str, kind: str, zrange, row_name: str,
                  col_name: str, value_name: str, col_labels: list[str] | None = None,
                  row_what: str = "examples", note: str = "",
                  tr: Translator | None = None, *, width_px: float | None = None,
                  full_width: bool = False, engine=None) -> go.Figure:
    """The one heatmap builder: arr is 2-D float64, already a copy.

    width_px: the width in px the figure will be drawn at (see the module's doc);
    it decides whether the cells print their numbers, and with how many digits.
    engine: where the numbers live in bp_core, named in the hover (bp_view.notation).
    """
    arr, cut = cap_rows(arr, row_what, tr)
    z, hidden = finite_or_none(arr)
    n_rows, n_cols = arr.shape
    xgap = 1 if n_cols <= 16 else 0
    hover, custom = cell_hover(row_name, col_name, value_name), None
    if engine is not None:
        hover, custom = engine_hover(hover, engine, n_rows, tr)
    trace = dict(type="heatmap", z=z, x=col_labels or tick_labels(n_cols), y=tick_labels(n_rows),
                 hovertemplate=hover, **({} if custom is None else {"customdata": custom}),
                 colorbar=dict(thickness=12, len=0.9, tickfont=dict(size=10)),
                 xgap=xgap, ygap=1 if n_rows <= 16 else 0,
                 **colour_args(kind, zrange))
    height = panel_height(n_rows, full_width=full_width)
    trace.update(cell_text(arr, plot_width(drawn_width(width_px, full_width)),
                           height - plot_margin_height(), xgap))
    layout = base_layout(title, height,
                         [note, cut, tx(tr, "nonfinite") if hidden else ""], colorbar=True,
                         plot_bgcolor=MISSING_BG, xaxis=matrix_axis(col_name, n=n_cols),
                         yaxis=matrix_axis(row_name, rows=True, n=n_rows))
    return untemplated(go.Figure(dict(data=[trace], layout=layout)))


def with_bias(W: object, b: object) -> np.ndarray:
    """[W | b]: (n_out, n_in + 1), the bias as the last column."""
    W, b = as_float(W), as_float(b).reshape(-1)
    return np.column_stack([W, b])


def params_figure(W: object, b: object, title: str, value_name: str,
                  zrange=None, note: str = "", tr: Translator | None = None, *,
                  width_px: float | None = None, full_width: bool = False,
                  engine=None) -> go.Figure:
    """W[l] (n_out, n_in) with b[l] as an extra last column labelled "b"."""
    Wb = with_bias(W, b)
    return matrix_figure(Wb, title, "signed", zrange, tx(tr, "output_neuron_j"),
                         tx(tr, "input_neuron_k"), value_name,
                         col_labels=tick_labels(Wb.shape[1] - 1) + ["b"], row_what="neurons",
                         note=note, tr=tr, width_px=width_px, full_width=full_width,
                         engine=engine)


def bias_pair(tr: Translator | None, key: str, w: str, b: str) -> str:
    """A title or value name of a matrix with its bias column: "W[0], b[0] (column b)"."""
    return tx(tr, key, w=w, b=b)


def heatmap(values, title: str, kind: str = "signed", zrange=None, row_name: str | None = None,
            col_name: str | None = None, value_name: str | None = None, *,
            tr: Translator | None = None, width_px: float | None = None,
            full_width: bool = False, engine: str | None = None) -> go.Figure:
    """A heatmap of a 1-D (drawn as one row) or 2-D array: rows examples, columns neurons.

    row_name, col_name and value_name name the rows, columns and values on the axes
    and in the hover text; by default "example", "neuron" and "value" (translated
    by tr when it is given).

    kind: "signed" (diverging `SIGNED_SCALE`, zmid = 0; a given zrange is made
    symmetric about 0), "activation" (`BOUNDED_SCALE` over zrange, e.g.
    ``registry.value_range(name)``; with zrange None it is drawn as signed, since the
    activation is unbounded), or "plain" (`PLAIN_SCALE`, auto range unless zrange).

    width_px: the width the figure will be drawn at (default `PANEL_WIDTH_PX`, or
    `FULL_WIDTH_PX` with full_width); the cells print their numbers only where they
    fit at ≥ 10 px.  full_width: the matrix opened across the page, allowed to grow
    taller.
    """
    arr = as_float(values)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr[None, :]
    elif arr.ndim != 2:
        raise ValueError(f"heatmap needs a 1-D or 2-D array, got shape {arr.shape}")
    row_name = tx(tr, "example") if row_name is None else row_name
    col_name = tx(tr, "neuron") if col_name is None else col_name
    value_name = tx(tr, "value") if value_name is None else value_name
    return matrix_figure(arr, title, kind, zrange, row_name, col_name, value_name, tr=tr,
                         width_px=width_px, full_width=full_width, engine=engine)


def activation_panel(values, title: str, name: str | None, value_name: str,
                     tr: Translator | None = None, engine: str | None = None,
                     **size) -> go.Figure:
    """size: width_px and full_width, as `heatmap` takes them."""
    rng = value_range(name)
    return heatmap(values, title, "activation" if rng else "signed", rng,
                   value_name=value_name, tr=tr, engine=engine, **size)
