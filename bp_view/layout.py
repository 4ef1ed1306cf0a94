"""The pieces every figure is built from: copies, gaps, ranges, titles, axes and the layout.

Shared by the figure modules of bp_view; nothing here draws a whole figure.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import (
    BOUNDED_SCALE,
    COLORBAR_MARGIN,
    FONT,
    FULL_HEIGHT_MAX,
    HOVER_FORMAT,
    HOVERLABEL,
    MARGIN,
    MAX_ROWS,
    PANEL_HEIGHT,
    PLAIN_SCALE,
    ROW_PX,
    SIGNED_SCALE,
    TEXT_CHAR_EM,
    TEXT_DIGITS,
    TEXT_FONT_SIZES,
    TEXT_LINE_EM,
    TEXT_PAD_PX,
    TEXT_TEMPLATE,
)
from .text import FIGURE_TEXT, Translator, words

KINDS = ("signed", "activation", "plain")  # the kinds of quantity a heatmap can draw


def tx(tr: Translator | None, key: str, **values: object) -> str:
    """The words of FIGURE_TEXT[key]: translated by tr, else the English template."""
    return words(tr, FIGURE_TEXT, key, **values)


def as_float(values: object) -> np.ndarray:
    """A float64 copy, so nothing drawn is a view of the caller's array."""
    return np.array(values, dtype=np.float64)


def finite_or_none(arr: np.ndarray) -> tuple[object, bool]:
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


def cap_rows(arr: np.ndarray, what: str = "examples",
             tr: Translator | None = None) -> tuple[np.ndarray, str]:
    """The first MAX_ROWS rows and a note saying so ("" when nothing was cut).

    what: "examples" or "neurons", what the rows are.
    """
    n = arr.shape[0]
    if n > MAX_ROWS:
        return arr[:MAX_ROWS], tx(tr, f"first_{what}", shown=MAX_ROWS, n=n)
    return arr, ""


def symmetric_range(*arrays: np.ndarray) -> tuple[float, float]:
    """(−m, m) with m the largest finite |value|; (−1, 1) if there is none."""
    m = 0.0
    for arr in arrays:
        finite = np.abs(arr[np.isfinite(arr)])
        if finite.size:
            m = max(m, float(finite.max()))
    return (-m, m) if m > 0 else (-1.0, 1.0)


def tick_labels(n: int) -> list[str]:
    return [str(i) for i in range(n)]


def panel_height(rows: int, low: int = PANEL_HEIGHT[0], high: int = PANEL_HEIGHT[1], *,
                 full_width: bool = False) -> int:
    """A panel's height in px: the margins plus `ROW_PX` per row, within [low, high].

    Few rows give a short panel; many rows share the highest one (a full-width panel
    may grow to `FULL_HEIGHT_MAX`, so its rows can keep their numbers).
    """
    high = FULL_HEIGHT_MAX if full_width else high
    return int(min(high, max(low, plot_margin_height() + ROW_PX * rows)))


def plot_margin_height() -> int:
    """The px a matrix panel spends above and below its cells (title, x axis)."""
    return MARGIN["t"] + COLORBAR_MARGIN["b"]


def plot_width(width_px: float, colorbar: bool = True, left: int = MARGIN["l"]) -> float:
    """The px across a figure's cells when the figure is width_px wide."""
    right = COLORBAR_MARGIN["r"] if colorbar else MARGIN["r"]
    return max(0.0, float(width_px) - left - right)


def label_width(label: str, font_px: float) -> float:
    """A label's width in px as Plotly estimates it: `TEXT_CHAR_EM` em a character."""
    return len(label) * TEXT_CHAR_EM * font_px


def cell_labels(arr: np.ndarray, digits: int) -> list[list[str]]:
    """arr's numbers to `digits` significant digits, "" where a value is not finite."""
    return [[f"{v:.{digits}g}" if np.isfinite(v) else "" for v in row] for row in arr]


def cell_text(arr: np.ndarray, width: float, height: float, xgap: int = 0) -> dict:
    """The trace settings that print arr's numbers in its cells, or {} when none fit.

    arr (rows, cols) is drawn in a plot area width × height px.  The first of
    `TEXT_DIGITS` (most digits first) and `TEXT_FONT_SIZES` (largest first) whose
    widest label fits every cell, cols × (label width + `TEXT_PAD_PX` + xgap) ≤ width,
    and whose line fits a row, is used; with none the cells print nothing and the
    values stay on hover.  The labels are made here (the trace's ``text``), so what
    was measured is what is drawn.
    """
    n_rows, n_cols = arr.shape
    if not arr.size or not np.isfinite(arr).any():
        return {}
    row_height = height / n_rows
    for digits in TEXT_DIGITS:
        labels = cell_labels(arr, digits)
        widest = max(len(t) for row in labels for t in row)
        for font in TEXT_FONT_SIZES:
            fits_across = n_cols * (widest * TEXT_CHAR_EM * font + TEXT_PAD_PX + xgap) <= width
            if fits_across and TEXT_LINE_EM * font <= row_height:
                return dict(text=labels, texttemplate=TEXT_TEMPLATE, textfont=dict(size=font))
    return {}


def colour_args(kind: str, zrange: tuple[float, float] | None) -> dict:
    """Colour settings of a heatmap trace (or a coloraxis) for a kind of quantity."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
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


def hover_text(row_name: str, col_name: str, value_name: str) -> str:
    return (f"{row_name} %{{y}}, {col_name} %{{x}}<br>{value_name} = "
            f"%{{z:{HOVER_FORMAT}}}<extra></extra>")


def title_with_notes(title: str, notes=()) -> str:
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


def base_layout(title: str, height: int, notes=(), *, colorbar: bool = False,
                left: int = MARGIN["l"], **extra) -> dict:
    """The layout every figure shares: compact, white, small fonts, the title at the left.

    colorbar: the figure has a colour bar at the right (see `COLORBAR_MARGIN`).
    left: the left margin, for the y axis's labels.
    """
    notes = [n for n in notes if n]
    two_lines = bool(title and notes)
    margin = dict(MARGIN, l=left, t=58 if two_lines else MARGIN["t"])
    if colorbar:
        margin.update(COLORBAR_MARGIN)
    return {"plot_bgcolor": "white", "paper_bgcolor": "white",
            "font": FONT, "hoverlabel": HOVERLABEL, "height": height + (16 if two_lines else 0),
            "margin": margin,
            "title": dict(text=title_with_notes(title, notes), x=0.01, xanchor="left",
                          font=dict(size=13, weight="bold")),
            **extra}


def untemplated(fig: go.Figure) -> go.Figure:
    """The figure with no template at all (see bp_view.style); Plotly's own defaults
    are plain white, as the "none" template is."""
    fig.layout.template = None
    return fig


def finish(fig: go.Figure, title: str, height: int, notes=(), *, colorbar: bool = False,
           **extra) -> go.Figure:
    # One update_layout call: each Plotly update validates, and many are slow.
    return untemplated(fig.update_layout(base_layout(title, height, notes, colorbar=colorbar,
                                                     **extra)))


def matrix_axis(name: str, rows: bool = False, n: int = 0) -> dict:
    """A category axis of integer labels; rows run down, row 0 at the top, as printed.

    Up to 16 labels are all shown; beyond that about 10, so a narrow panel stays legible.
    """
    axis = dict(type="category", title=dict(text=name, standoff=4), showgrid=False, ticks="",
                tickfont=dict(size=10), zeroline=False, tickangle=0)
    if n > 16:
        axis["nticks"] = 10
    return dict(axis, autorange="reversed") if rows else axis


def matrix_axes(fig: go.Figure, row_name: str, col_name: str) -> None:
    """Every axis of a figure (subplots too) as a matrix axis."""
    fig.update_xaxes(matrix_axis(col_name))
    fig.update_yaxes(matrix_axis(row_name, rows=True))

