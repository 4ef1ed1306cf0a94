"""The network as a diagram: neurons in columns a^0 … a^L, weights as lines between them.

Column l is layer l (bp_view.notation); the lines between columns l − 1 and l are W^l,
the engine's weights[l − 1].
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from .layout import as_float, finish, symmetric_range, tx
from .notation import array_expression, expression, layer, sup
from .style import COLORBAR_MARGIN, HOVER_FORMAT, MARGIN, MAX_DRAWN_NEURONS, SIGNED_SCALE
from .text import Translator

_DIAGRAM_LABEL_PX = 46  # the height each of the diagram's rows of labels needs


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
# itself and by a page that highlights the parts with CSS (playground.charts), so the
# two always agree.
LINE_OPACITY = (0.9, 0.15)
NEURON_OPACITY = (1.0, 0.3)
COLUMN_LABEL = ("#222", "#aaa")
LAYER_LABEL = ("#b2182b", "#666")  # "W[l], b[l]": red only when a phase names layer l
LOSS_OUTLINE = 2.5  # the output neurons' outline at the loss phase


def look(pair: tuple, bright: bool):
    """The bright or the faded half of one of the pairs above."""
    return pair[0] if bright else pair[1]


def bright_parts(highlight, L: int) -> tuple[set[int], set[int]]:
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
    as the stepper's last phase (see `bright_parts`); the rest is faded.  Layers over
    `MAX_DRAWN_NEURONS` neurons are cut, with an ellipsis, and only weights between
    drawn neurons are drawn.  tr: an optional translator of the figure's words.

    Each trace's meta names its part (`diagram_parts`): "w{l}" the lines of weight
    layer l, "h{l}" their hover points, "n{l}" neuron column l, "ellipsis".  Plotly
    draws the traces in that order, so a page can fade and light up parts with CSS,
    without a new figure (the app does: playground.charts.diagram_highlight_css).
    (Not one list in layout.meta: Plotly compares an object there by identity, so a
    page that sends Plotly a fresh copy of the figure made it draw the whole diagram
    a second time.)
    """
    sizes = [int(n) for n in sizes]
    W = [as_float(w) for w in weights]
    B = [as_float(b).reshape(-1) for b in biases]
    L = len(sizes) - 1
    if len(W) != L or len(B) != L:
        raise ValueError(f"sizes {sizes} need {L} weight matrices and {L} bias vectors")
    for l in range(L):
        if W[l].shape != (sizes[l + 1], sizes[l]) or B[l].shape != (sizes[l + 1],):
            raise ValueError(f"layer {l}: weights {W[l].shape} / biases {B[l].shape} do not "
                             f"match sizes {sizes}")

    kind = highlight[0] if highlight else None
    bright_w, bright_n = bright_parts(highlight, L)

    drawn = [_drawn(n) for n in sizes]
    top = max(len(d[0]) + (d[2] is not None) for d in drawn)

    def ypos(layer: int, slot: float) -> float:
        used = len(drawn[layer][0]) + (drawn[layer][2] is not None)
        return -(slot - (used - 1) / 2)  # each column centred, slot 0 at the top

    # One colour range for weights and biases among what is drawn.
    seen_w = [W[l][np.ix_(drawn[l + 1][0], drawn[l][0])] for l in range(L)]
    seen_b = [B[l][drawn[l + 1][0]] for l in range(L)]
    m = symmetric_range(*seen_w, *seen_b)[1]

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
                opacity=look(LINE_OPACITY, not faded)))
        if mid_x:
            # mode "none": Plotly still finds the nearest point to hover, but draws no
            # SVG element for it (a 64-16-8-10 network has 464 of them).
            parts.append(f"h{l}")
            fig.add_trace(go.Scatter(
                x=mid_x, y=mid_y, mode="none", showlegend=False,
                customdata=np.array(mid_data, dtype=np.float64),
                hovertemplate=(
                    f"{sup('W', layer(l))}[%{{customdata[1]}}, %{{customdata[2]}}] = "
                    f"%{{customdata[3]:{HOVER_FORMAT}}}<br>"
                    + tx(tr, "weight_row_column", j="%{customdata[1]}", k="%{customdata[2]}")
                    + "<br>" + tx(tr, "engine_cell", expr=expression(
                        "W", layer(l), "%{customdata[1]}", "%{customdata[2]}"))
                    + "<extra></extra>")))

    # Neurons, one trace per column: inputs (no bias) grey, the rest filled with their bias.
    in_y = [ypos(0, s) for s in drawn[0][1]]
    parts.append("n0")
    fig.add_trace(go.Scatter(
        x=[0] * len(in_y), y=in_y, mode="markers", showlegend=False,
        marker=dict(size=16, color="#e0e0e0", line=dict(color="#444", width=1)),
        opacity=look(NEURON_OPACITY, 0 in bright_n),
        customdata=drawn[0][0],
        hovertemplate=tx(tr, "input_neuron_hover", j="%{customdata}") + "<extra></extra>"))
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
            showlegend=False, opacity=look(NEURON_OPACITY, l + 1 in bright_n),
            marker=dict(size=16, color=[b if f else None for b, f in zip(bias, finite)],
                        coloraxis="coloraxis",
                        line=dict(color="#444",
                                  width=LOSS_OUTLINE if (kind == "loss" and l + 1 == L)
                                  else 1)),
            customdata=data,
            hovertemplate=(tx(tr, "neuron_hover", l="%{customdata[0]}", j="%{customdata[1]}")
                           + "<br>"
                           f"{sup('b', l + 1)}[%{{customdata[1]}}] = "
                           f"%{{customdata[3]:{HOVER_FORMAT}}}<br>"
                           + tx(tr, "engine_cell",
                                expr=f"{array_expression('b', l + 1)}[%{{customdata[1]}}]")
                           + "<extra></extra>")))
    ex, ey, etext = [], [], []
    for l, (index, _, slot) in enumerate(drawn):
        if slot is not None:
            ex.append(l)
            ey.append(ypos(l, slot))
            head = MAX_DRAWN_NEURONS // 2
            etext.append(tx(tr, "not_drawn", first=head, last=index[head] - 1, l=l))
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
    plot_px = height - MARGIN["t"] - COLORBAR_MARGIN["b"]
    y_max = edge / (1 - 2 * _DIAGRAM_LABEL_PX / plot_px)
    for l, n in enumerate(sizes):
        name = "input" if l == 0 else "output" if l == L else "hidden"
        fig.add_annotation(x=l, y=edge, yanchor="bottom", showarrow=False,
                           text=sup("a", l) + "<br>" + tx(tr, f"column_{name}", n=n),
                           font=dict(size=11, color=look(COLUMN_LABEL, l in bright_n)))
    for l in range(L):
        bright = kind is not None and l in bright_w
        fig.add_annotation(x=l + 0.5, y=-edge, yanchor="top", showarrow=False,
                           text=f"{sup('W', layer(l))}<br>{sup('b', layer(l))}",
                           font=dict(size=11, color=look(LAYER_LABEL, bright)))
    title = tx(tr, "diagram_title")
    fig.update_layout(coloraxis=dict(colorscale=SIGNED_SCALE, cmin=-m, cmax=m, cmid=0,
                                     colorbar=dict(title=dict(text="w, b", side="top"),
                                                   thickness=12, len=0.8)))
    fig.update_xaxes(visible=False, range=[-0.4, L + 0.4])
    fig.update_yaxes(visible=False, range=[-y_max, y_max])
    finish(fig, title, height, [tx(tr, "nonfinite") if hidden else ""], colorbar=True,
           left=10, hovermode="closest")  # no axes, so no room for their labels
    for trace, part in zip(fig.data, parts, strict=True):
        trace.meta = part
    return fig


def diagram_parts(fig: go.Figure) -> list[str]:
    """The part of each trace of a `network_diagram`, in order ("w0", "h0", "n0", …)."""
    return [trace.meta for trace in fig.data]

