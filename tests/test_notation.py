"""One layer numbering on the page: the input is layer 0, then layers 1 … L (Nielsen ch. 2).

Over every phase of a 3-layer network, every layer number in what the step page shows
for that phase (its heading and the sentence under it, the equations, general and
filled in, and their captions, the panels' captions and titles) must name the layer
the phase is about, or its neighbour for the quantity that belongs there: z^l, b^l and
f'(z^l) of layer l; W^l or, in BP2, W^{l+1} with δ^{l+1}; the activations a^{l-1}
coming in.  The expected numbers come from the phase's own position in the pass, not
from bp_view.notation.  The engine's Python expressions in the hover text are checked
against the arrays they name.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from bp_core import Network, Stepper
from bp_view import equations, figures, notation
from playground.step_view import phase_heading

SIZES = [2, 3, 3, 1]           # layers 0 (input), 1, 2 (hidden) and 3 (output)
L = len(SIZES) - 1

# The phases of one pass and the layer each is about, written out by hand:
# forward 1, 2, 3, the loss (at the output, layer 3), backward 3, 2, 1, the update.
EXPECTED = [("forward", 1), ("forward", 2), ("forward", 3), ("loss", 3),
            ("backward", 3), ("backward", 2), ("backward", 1), ("update", 3)]

# A symbol with its layer, in LaTeX (z^{[2]}_{0}) or in plain text (z^2, δ^2, W^(l+1)).
LATEX_SYMBOL = re.compile(r"(\\delta|[zabW])\^\{\[(\d+)\]\}")
TEXT_SYMBOL = re.compile(r"(δ|[zabW])\^(\d+)")
LAYER_WORD = re.compile(r"\blayer (\d+)")
# A layer named in a figure's title or caption: z<sup>2</sup>, or the same in text.
HTML_SYMBOL = re.compile(r"(δ|[zabW])<sup>(\d+)</sup>")


@pytest.fixture(scope="module")
def run():
    rng = np.random.default_rng(0)
    net = Network(SIZES, activation="tanh", output_activation="sigmoid", seed=1)
    X, Y = rng.normal(size=(4, 2)), rng.uniform(size=(4, 1))
    before = net.copy()  # the weights the pass used: the update changes net's
    records = Stepper(net, X, Y, 0.5).run()
    return before, records


def allowed(kind: str, l: int, name: str) -> set[int]:
    """The layers a quantity may carry in the phase of layer l."""
    if name in ("z", "b"):
        return {l}
    if name == "a":
        return {l, l - 1} if kind != "loss" else {l}
    if name in ("δ", "\\delta", "W"):
        return {l, l + 1} if kind == "backward" and l < L else {l}
    raise AssertionError(name)


def texts(record, net) -> tuple[list[str], list[str], list[str]]:
    """(plain texts, LaTeX strings, figure texts) the step page shows for a record."""
    title, what = phase_heading(record, net.num_layers)
    plain, latex = [title, what], []
    kw = dict(layer=L - 1) if record.kind == "update" else {}
    for eq in [*equations.general(record),
               *equations.for_neuron(record, 0, k=0, **kw)]:
        plain.append(eq.caption)
        latex.append(eq.latex)
    shown = []
    for caption, fig in figures.phase_figures(record, layer=kw.get("layer")):
        plain.append(caption)
        shown.append(fig.layout.title.text or "")
    return plain, latex, shown


def test_the_expected_phases_are_the_pass(run):
    _, records = run
    assert [r.kind for r in records] == [kind for kind, _ in EXPECTED]


@pytest.mark.parametrize("position", range(len(EXPECTED)))
def test_every_layer_number_of_a_phase_names_its_layer(run, position):
    net, records = run
    record = records[position]
    kind, l = EXPECTED[position]
    plain, latex, shown = texts(record, net)
    title = plain[0]
    if kind in ("forward", "backward"):
        assert LAYER_WORD.findall(title) == [str(l)], title
        assert f"{kind[0].upper()}{l}" in title  # the timeline's label: F2, B3
    found = []
    for text in latex:
        found += [(text, name, int(x)) for name, x in LATEX_SYMBOL.findall(text)]
    for text in plain:
        found += [(text, name, int(x)) for name, x in TEXT_SYMBOL.findall(text)]
        found += [(text, "layer", int(x)) for x in LAYER_WORD.findall(text)]
    for text in shown:
        found += [(text, name, int(x)) for name, x in HTML_SYMBOL.findall(text)]
    assert found
    for text, name, x in found:
        if name == "layer":  # a sentence may name the layers next to l
            ok = {l - 1, l, l + 1} if kind != "update" else set(range(L + 1))
        elif kind == "update":
            ok = {l} if name in ("W", "b") else set(range(L + 1))
        else:
            ok = allowed(kind, l, name)
        assert x in ok, f"{kind} of layer {l}: {name}^{x} in {text!r}"


def test_bp2_pairs_the_next_layers_weights_with_its_errors(run):
    net, records = run
    hidden = records[5]  # backward of layer 2
    latex = equations.for_neuron(hidden, 0)[0].latex
    assert r"W^{[3]}_{k0}\, \delta^{[3]}_{k}" in latex and r"\delta^{[2]}_{0}" in latex
    assert r"z^{[2]}_{0}" in latex


def test_bp4_uses_the_activations_of_the_layer_below(run):
    _, records = run
    grad_w = equations.for_neuron(records[6], 1, k=1)[-1].latex  # backward of layer 1
    assert r"\partial W^{[1]}_{11}" in grad_w and r"a^{[0]}_{i1}" in grad_w


def test_the_translation_is_plus_one():
    assert [notation.layer(i) for i in range(L)] == [1, 2, 3]
    assert [notation.engine_index(l) for l in (1, 2, 3)] == [0, 1, 2]
    assert notation.phase_label("backward", 0) == "B1"


# --- the engine's Python expressions, as a learner types them -------------------
def test_expressions_name_the_arrays_that_hold_the_numbers(run):
    net, records = run
    X, Y = records[0].arrays["a_prev"], records[3].arrays["y"]
    r = net.backprop(X, Y)
    scope = {"r": r, "net": net, "Y": Y}
    for position, (kind, l) in enumerate(EXPECTED):
        rec = records[position]
        scope["rec"] = rec
        A = rec.arrays
        if kind == "forward":
            for name, layer, arr in [("z", l, A["z"]), ("a", l, A["a"]), ("W", l, A["W"]),
                                     ("b", l, A["b"]), ("a", l - 1, A["a_prev"])]:
                cell = tuple(n - 1 for n in arr.shape)  # the last cell
                text = notation.expression(name, layer, *cell)
                assert eval(text, scope) == arr[cell], text  # our own text, our own arrays
        if kind == "backward":
            for name, arr in [("delta", A["delta"]), ("grad_w", A["grad_w"]),
                              ("grad_b", A["grad_b"]), ("fprime", A["fprime"])]:
                cell = tuple(n - 1 for n in arr.shape)
                text = notation.expression(name, l, *cell)
                assert eval(text, scope) == pytest.approx(arr[cell], rel=1e-12), text
    assert notation.expression("delta", 1, 3, 1) == "r.deltas[0][3, 1]"
    assert notation.expression("a", 0, "%{y}", "%{x}") == "r.activations[0][%{y}, %{x}]"


def test_every_heatmap_cell_hover_names_where_its_number_is(run):
    """Each cell's hover ends with a Python expression; evaluated in a notebook's names
    (r = net.backprop(X, Y) with the pass's weights, net, Y, rec), it gives the cell."""
    net, records = run
    X, Y = records[0].arrays["a_prev"], records[3].arrays["y"]
    scope = {"r": net.backprop(X, Y), "net": net, "Y": Y}
    checked = 0
    for rec in records:
        scope["rec"] = rec
        for _, fig in figures.phase_figures(rec):
            for trace in fig.data:
                if trace.type != "heatmap":
                    continue
                template = trace.hovertemplate
                assert "in the engine: " in template, template
                z = np.asarray(trace.z, dtype=np.float64)
                for row, col in [(0, 0), (z.shape[0] - 1, z.shape[1] - 1)]:
                    if trace.customdata is not None:
                        text = np.asarray(trace.customdata, dtype=object)[row][col]
                    else:
                        where = template.split("in the engine: ")[1].split("<extra>")[0]
                        text = where.replace("%{y}", str(row)).replace("%{x}", str(col))
                    assert eval(text, scope) == pytest.approx(z[row, col], rel=1e-12), text
                    checked += 1
    assert checked > 40
