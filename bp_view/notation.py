"""The one layer numbering every view uses, and where each number lives in the engine.

The page numbers layers as Nielsen's chapter 2 and Andrew Ng's course do.  The input is
layer 0 (a^0 = x), and layers 1 … L compute.  z^l, a^l, δ^l, W^l and b^l of layer l
share its index, and W^l, (sizes[l], sizes[l-1]), maps a^{l-1} to z^l:

    z^l = W^l a^{l-1} + b^l,   a^l = f(z^l)
    δ^L = ∇_a C ⊙ f'(z^L)                       (BP1)
    δ^l = ((W^{l+1})^T δ^{l+1}) ⊙ f'(z^l)        (BP2)
    ∂C/∂b^l = δ^l,   ∂C/∂W^l = δ^l (a^{l-1})^T    (BP3, BP4)

bp_core keeps 0-based Python lists, as Nielsen's network.py does.  Its weight-layer
index ``i`` (``PhaseRecord.layer``, ``weights[i]``, ``zs[i]``, ``deltas[i]``,
``grad_w[i]``) belongs to layer ``l = i + 1``; only ``activations`` has one entry
per layer including the input, so ``activations[l]`` is a^l.  This module is the
only place that translation is written: every heading, caption, equation, label and
hover of bp_view and the playground asks `layer` (engine index → layer) or
`engine_index` (layer → engine index).

`expression` names the Python a learner types in a notebook to find a number, after
``r = net.backprop(X, Y)`` (a `BackpropResult`) or with ``rec``, a Stepper's
`PhaseRecord`: ``expression("delta", 2, 3, 1)`` is ``"r.deltas[1][3, 1]"``.
Neurons and examples keep the engine's 0-based numbers everywhere (neuron j = 0 is
the first neuron of its layer, example i = 0 the first row of the batch), so only
the layer is ever translated.
"""

from __future__ import annotations

from .text import FIGURE_TEXT, Translator, words


def layer(index: int) -> int:
    """The layer l (1 … L) that the engine's weight-layer index (0 … L−1) computes."""
    return index + 1


def engine_index(l: int) -> int:
    """The index into weights, biases, zs, deltas, grad_w, grad_b of layer l (1 … L)."""
    return l - 1


# Where each quantity of layer l lives, as a learner types it: the expression of the
# array, with {i} the engine index l − 1 and {l} the layer itself.  ``r`` is
# ``net.backprop(X, Y)``, ``rec`` a Stepper record of the phase on screen.
ENGINE: dict[str, str] = {
    "a": "r.activations[{l}]",         # a^l, (n, sizes[l]); a^0 = X
    "z": "r.zs[{i}]",                  # z^l, (n, sizes[l])
    "delta": "r.deltas[{i}]",          # δ^l, (n, sizes[l])
    "grad_w": "r.grad_w[{i}]",         # ∂C/∂W^l, (sizes[l], sizes[l-1])
    "grad_b": "r.grad_b[{i}]",         # ∂C/∂b^l, (sizes[l],)
    "W": "net.weights[{i}]",           # W^l, (sizes[l], sizes[l-1])
    "b": "net.biases[{i}]",            # b^l, (sizes[l],)
    "fprime": 'rec.arrays["fprime"]',  # f'(z^l), (n, sizes[l]): kept by the record only
    "y": "Y",                          # the targets, (n, sizes[L])
    "costs": "r.costs",                # C_i, (n,)
    "W_before": "rec.updates[{i}].W_before",
    "b_before": "rec.updates[{i}].b_before",
    "step_w": "rec.updates[{i}].step_w",   # −η ∂C/∂W^l
    "step_b": "rec.updates[{i}].step_b",
    "W_after": "rec.updates[{i}].W_after",
    "b_after": "rec.updates[{i}].b_after",
}


def array_expression(name: str, l: int | None = None) -> str:
    """The Python expression of quantity ``name`` of layer l: ``array_expression("z", 1)``
    is ``"r.zs[0]"``.  ``l`` is the layer (1 … L; 0 … L for "a"), not the engine index."""
    template = ENGINE[name]
    if l is None:
        return template
    return template.format(l=l, i=engine_index(l))


def expression(name: str, l: int | None, *cell: int | str) -> str:
    """The expression of one entry: ``expression("W", 2, 0, 1)`` is ``"net.weights[1][0, 1]"``.

    cell: its row and column (or the one index of a vector); a str is written as it
    is, so a Plotly placeholder such as ``"%{y}"`` can stand for a row.
    """
    return f"{array_expression(name, l)}[{', '.join(str(c) for c in cell)}]"


def phase_label(kind: str, index: int | None) -> str:
    """The timeline's short name of a phase: F1 … FL, Loss, BL … B1, Update.

    index: the engine's weight-layer index of a forward or backward phase
    (``PhaseRecord.layer``); its label names the layer, as every heading does."""
    if kind in ("forward", "backward") and index is not None:
        return f"{kind[0].upper()}{layer(index)}"
    return kind.capitalize()


def phase_values(kind: str, index: int | None, num_layers: int | None = None) -> dict:
    """The numbers a phase's heading and text are filled with.

    l: the layer the phase computes (the output layer L for the loss and the update),
    prev: l − 1, the layer feeding it, next: l + 1, i: the engine index l − 1 (for a
    sentence that says where the numbers live), label: `phase_label`."""
    if index is None:
        l = num_layers if num_layers is not None else "L"
        return {"l": l, "prev": "L-1" if l == "L" else l - 1, "next": "", "i": "",
                "label": phase_label(kind, None)}
    l = layer(index)
    return {"l": l, "prev": l - 1, "next": l + 1, "i": index, "label": phase_label(kind, index)}


def sup(name: str, l: int | str) -> str:
    """A quantity of layer l in a figure's title or hover (Plotly's HTML): z<sup>2</sup>."""
    return f"{name}<sup>{l}</sup>"


def cell_template(array: str) -> str:
    """A heatmap cell's expression, with Plotly's row and column: r.zs[0][%{y}, %{x}]."""
    return f"{array}[%{{y}}, %{{x}}]"


def weight_cells(name_w: str, name_b: str, l: int, n_rows: int, n_cols: int) -> list[list[str]]:
    """The expression of every cell of a [W | b] panel of layer l, (n_rows, n_cols + 1):
    ``net.weights[0][j, k]`` in the weight columns, ``net.biases[0][j]`` in column b."""
    w, b = array_expression(name_w, l), array_expression(name_b, l)
    return [[f"{w}[{j}, {k}]" for k in range(n_cols)] + [f"{b}[{j}]"] for j in range(n_rows)]


def engine_hover(hover: str, engine: str | list[list[str]], n_rows: int,
                 tr: Translator | None = None) -> tuple[str, list[list[str]] | None]:
    """A heatmap's hovertemplate with one more line, where the cell's number lives in
    bp_core, and the customdata that line needs (None when it needs none).

    engine: the array's expression (``"r.deltas[0]"``: the cell adds ``[row, column]``),
    or one expression per cell (`weight_cells`), of which the first n_rows rows are drawn.
    """
    if isinstance(engine, str):
        where, custom = cell_template(engine), None
    else:
        where, custom = "%{customdata}", engine[:n_rows]
    line = "<br>" + words(tr, FIGURE_TEXT, "engine_cell", expr=where)
    return hover.replace("<extra></extra>", line + "<extra></extra>"), custom
