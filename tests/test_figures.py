"""bp_view.figures: every figure draws exactly the numbers bp_core computed.

The figures are checked through their data, never through pixels: the arrays in
the traces equal the source arrays bit for bit, and the conventions of STYLE.md
item 8 hold (rows = examples, zmid = 0 for signed quantities, fixed ranges for
bounded activations, hovertemplates ending in <extra></extra>).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bp_core import Network, PhaseRecord, Stepper, datasets, gradcheck, train
from bp_core.gradcheck import TOLERANCE
from bp_view import figures

ROOT = Path(__file__).resolve().parents[1]


# --- helpers ---------------------------------------------------------------------------
def z_of(trace) -> np.ndarray:
    """A trace's z as float64; None (a hidden cell) reads back as NaN."""
    return np.array(trace.z, dtype=np.float64)


def assert_same(drawn, source) -> None:
    np.testing.assert_array_equal(np.array(drawn, dtype=np.float64),
                                  np.asarray(source, dtype=np.float64))


def check_conventions(fig: go.Figure) -> None:
    """What must hold in every figure this module returns."""
    assert isinstance(fig, go.Figure)
    layout = json.loads(fig.to_json())["layout"]  # serialisable, so a page can send it
    # page-agnostic (bp_view.style): no template or meta object, no font family; the
    # app adds its own (tests/test_charts.py)
    assert "template" not in layout and "meta" not in layout
    assert "family" not in layout.get("font", {})
    for trace in fig.data:
        if trace.hovertemplate is not None:
            templates = ([trace.hovertemplate] if isinstance(trace.hovertemplate, str)
                         else list(trace.hovertemplate))
            assert all(t.endswith("<extra></extra>") for t in templates), templates
        if isinstance(trace, go.Heatmap) and trace.z is not None:
            z = np.array(trace.z, dtype=object)
            assert z.ndim == 2
            assert all(v is None or np.isfinite(v) for v in z.ravel())
            assert z.shape[0] <= figures.MAX_ROWS
            if trace.colorscale and trace.zmid is not None:
                assert trace.zmid == 0 or trace.zmid == 0.5
            if trace.zmin is not None and trace.zmid == 0:
                assert trace.zmin == -trace.zmax  # a symmetric range keeps white at 0


def is_signed(trace) -> bool:
    return trace.zmid == 0 and trace.colorscale == go.Heatmap(colorscale=figures.SIGNED_SCALE
                                                               ).colorscale


def is_bounded(trace, lo, hi) -> bool:
    return (trace.zmin, trace.zmax) == (lo, hi) and trace.zmid is None


@pytest.fixture(scope="module")
def small():
    """A 3-4-2 sigmoid net, one full stepped pass over 5 examples."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    net = Network([3, 4, 2], activation="sigmoid", output_activation="sigmoid", seed=1)
    stepper = Stepper(net, X, Y, 0.5)
    records = stepper.run()
    return net, stepper, {r.label: r for r in records}


def panels(record, act="sigmoid", loss="quadratic", **kw):
    out = figures.phase_figures(record, act, loss, **kw)
    for caption, fig in out:
        assert isinstance(caption, str) and caption
        check_conventions(fig)
    return [fig for _, fig in out]


# --- heatmap -----------------------------------------------------------------------------
def test_activation_range():
    assert figures.activation_range("sigmoid") == (0, 1)
    assert figures.activation_range("softmax") == (0, 1)
    assert figures.activation_range("tanh") == (-1, 1)
    for name in ("relu", "leaky_relu", "linear", None):
        assert figures.activation_range(name) is None


def test_heatmap_signed_draws_the_array_rows_as_examples():
    values = np.random.default_rng(1).normal(size=(7, 3))
    fig = figures.heatmap(values, "z[0] = a[0] @ W[0].T + b[0]", value_name="z[0]")
    check_conventions(fig)
    (trace,) = fig.data
    assert_same(trace.z, values)
    assert z_of(trace).shape == (7, 3)  # rows = examples, columns = neurons
    assert list(trace.y) == [str(i) for i in range(7)]
    assert list(trace.x) == ["0", "1", "2"]
    assert is_signed(trace)
    assert "example %{y}, neuron %{x}" in trace.hovertemplate
    assert "z[0] = %{z" in trace.hovertemplate
    assert fig.layout.yaxis.autorange == "reversed"  # example 0 at the top
    assert fig.layout.title.text.startswith("z[0] = a[0] @ W[0].T + b[0]")
    assert 200 <= fig.layout.height <= 340


def test_heatmap_1d_is_one_row():
    fig = figures.heatmap([0.5, -2.0, 3.0], "b[0]")
    assert z_of(fig.data[0]).shape == (1, 3)
    assert_same(fig.data[0].z, [[0.5, -2.0, 3.0]])


def test_heatmap_kinds():
    values = np.linspace(0, 1, 6).reshape(2, 3)
    act = figures.heatmap(values, "a[1]", "activation", (0, 1)).data[0]
    assert is_bounded(act, 0, 1)
    tanh = figures.heatmap(values, "a[1]", "activation", figures.activation_range("tanh")).data[0]
    assert is_bounded(tanh, -1, 1)
    unbounded = figures.heatmap(values, "a[1]", "activation", None).data[0]
    assert is_signed(unbounded)  # relu and friends: drawn as signed
    plain = figures.heatmap(values, "costs", "plain").data[0]
    assert plain.zmid is None and plain.zmin is None
    shared = figures.heatmap(values, "x", "signed", (-0.5, 2.0)).data[0]
    assert (shared.zmin, shared.zmax, shared.zmid) == (-2.0, 2.0, 0)
    with pytest.raises(ValueError):
        figures.heatmap(values, "x", "rainbow")
    with pytest.raises(ValueError):
        figures.heatmap(np.zeros((2, 2, 2)), "x")


def test_heatmap_hides_non_finite_values():
    values = np.array([[1.0, np.nan, 2.0], [np.inf, -1.0, -np.inf]])
    fig = figures.heatmap(values, "z[0]")
    check_conventions(fig)
    assert fig.data[0].z == ([1.0, None, 2.0], [None, -1.0, None])
    assert figures.NONFINITE_NOTE in fig.layout.title.text
    assert figures.NONFINITE_NOTE not in figures.heatmap(values[:, [0]][:1], "z").layout.title.text


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 80), st.integers(1, 70)),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_heatmap_property_any_shape_any_values(values):
    before = values.copy()
    fig = figures.heatmap(values, "z[0]")
    check_conventions(fig)
    np.testing.assert_array_equal(values, before)
    shown = values[:figures.MAX_ROWS]
    drawn = np.array(fig.data[0].z, dtype=object)
    assert drawn.shape == shown.shape
    finite = np.isfinite(shown)
    assert all(v is None for v in drawn[~finite])
    np.testing.assert_array_equal(drawn[finite].astype(np.float64), shown[finite])
    title = fig.layout.title.text
    assert (figures.NONFINITE_NOTE in title) == (not finite.all())
    assert ("first 64 of" in title) == (len(values) > figures.MAX_ROWS)


def test_heatmap_caps_rows_and_says_so():
    values = np.arange(100 * 3, dtype=np.float64).reshape(100, 3)
    fig = figures.heatmap(values, "a[0] = X")
    assert_same(fig.data[0].z, values[:figures.MAX_ROWS])
    assert f"first {figures.MAX_ROWS} of 100" in fig.layout.title.text


def test_heatmap_does_not_mutate_or_alias_its_input():
    values = np.random.default_rng(2).normal(size=(4, 4))
    values[1, 1] = np.nan
    before = values.copy()
    fig = figures.heatmap(values, "z")
    np.testing.assert_array_equal(values, before)
    values[0, 0] = 123.0  # the figure holds its own copy
    assert fig.data[0].z[0][0] == before[0, 0]


def test_values_are_not_rounded():
    values = np.array([[0.1 + 0.2, 1 / 3, np.pi * 1e-17]])
    fig = figures.heatmap(values, "z")
    sent = json.loads(fig.to_json())["data"][0]["z"]
    assert sent["dtype"] == "f8"  # sent as float64 binary: bit-exact
    assert_same(fig.data[0].z, values)


# --- the phases --------------------------------------------------------------------------
def test_forward_panels_draw_the_record(small):
    net, _, rec = small
    for l in range(net.num_layers):
        A = rec[f"F{l}"].arrays
        a_prev, wb, z, a = panels(rec[f"F{l}"], prev_activation_name="sigmoid")
        assert_same(a_prev.data[0].z, A["a_prev"])
        assert_same(z.data[0].z, A["z"])
        assert_same(a.data[0].z, A["a"])
        assert z_of(z.data[0]).shape == (5, net.sizes[l + 1])
        assert is_signed(z.data[0])
        assert is_bounded(a.data[0], 0, 1)  # sigmoid
        # W[l] as stored, (n_out, n_in), with b[l] as the last column "b"
        assert_same(wb.data[0].z, np.column_stack([A["W"], A["b"]]))
        assert list(wb.data[0].x)[-1] == "b"
        assert is_signed(wb.data[0])
        # engine index l is layer l + 1 on the page (bp_view.notation)
        n = l + 1
        assert z.layout.title.text == (f"z<sup>{n}</sup> = W<sup>{n}</sup> a<sup>{l}</sup> "
                                       f"+ b<sup>{n}</sup>")
        assert a.layout.title.text == f"a<sup>{n}</sup> = sigmoid(z<sup>{n}</sup>)"
    # a[0] = X is an input, not an activation: always signed
    assert is_signed(panels(rec["F0"])[0].data[0])
    # a[1] of a sigmoid hidden layer: bounded, as the record says (or the caller); a
    # record built by hand from its arrays alone names no activation: signed
    assert is_bounded(panels(rec["F1"], prev_activation_name="sigmoid")[0].data[0], 0, 1)
    assert is_bounded(panels(rec["F1"])[0].data[0], 0, 1)
    bare = PhaseRecord(rec["F1"].kind, rec["F1"].layer, rec["F1"].index, rec["F1"].arrays)
    assert is_signed(panels(bare)[0].data[0])


def test_forward_panels_of_unbounded_and_tanh_activations():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(4, 2)), rng.normal(size=(4, 1))
    for act, expect in [("relu", None), ("tanh", (-1, 1)), ("leaky_relu", None)]:
        net = Network([2, 3, 1], activation=act, output_activation="linear", seed=0)
        record = Stepper(net, X, Y, 0.1).step()
        a = panels(record, act)[3].data[0]
        if expect is None:
            assert is_signed(a)
        else:
            assert is_bounded(a, *expect)


def test_loss_panels(small):
    net, _, rec = small
    A = rec["Loss"].arrays
    out_fig, costs = panels(rec["Loss"])
    a, y = out_fig.data
    assert_same(a.z, A["a"])
    assert_same(y.z, A["y"])
    # a and y share one fixed range, the sigmoid's
    assert a.coloraxis == y.coloraxis == "coloraxis"
    assert (out_fig.layout.coloraxis.cmin, out_fig.layout.coloraxis.cmax) == (0, 1)
    assert_same(costs.data[0].x, A["costs"])
    assert costs.data[0].orientation == "h"  # one bar per example, example 0 on top
    assert costs.layout.yaxis.autorange == "reversed"
    assert f"{float(A['loss']):.9g}" in costs.layout.title.text


def test_loss_panels_of_an_unbounded_output_are_signed_and_shared():
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(3, 2)), 5 * rng.normal(size=(3, 2))
    net = Network([2, 2], activation="relu", output_activation="linear", seed=0)
    stepper = Stepper(net, X, Y, 0.1)
    stepper.step()
    out_fig, _ = panels(stepper.step(), "linear")
    axis = out_fig.layout.coloraxis
    assert axis.cmid == 0 and axis.cmin == -axis.cmax
    assert axis.cmax == np.abs(np.r_[Y.ravel(), stepper.last.arrays["a"].ravel()]).max()


def test_loss_title_mentions_the_l2_term():
    rng = np.random.default_rng(5)
    net = Network([2, 2, 1], seed=0)
    stepper = Stepper(net, rng.normal(size=(3, 2)), rng.uniform(size=(3, 1)), 0.5, l2=0.1)
    stepper.step(), stepper.step()
    _, costs = panels(stepper.step())
    assert "L2" in costs.layout.title.text


def test_backward_panels(small):
    net, _, rec = small
    L = net.num_layers
    for l in range(L):
        A = rec[f"B{l}"].arrays
        figs = panels(rec[f"B{l}"])
        n_in, n_out = net.sizes[l], net.sizes[l + 1]
        grad = figs[-1].data[0]
        assert z_of(grad).shape == (n_out, n_in + 1)
        assert_same(z_of(grad)[:, :n_in], A["grad_w"])
        assert_same(z_of(grad)[:, -1], A["grad_b"])  # the bias is never hidden
        assert list(grad.x) == [str(k) for k in range(n_in)] + ["b"]
        assert is_signed(grad)
        delta = figs[-2].data[0]
        assert_same(delta.z, A["delta"])
        assert is_signed(delta)
        fprime = figs[-3].data[0]
        assert_same(fprime.z, A["fprime"])
        assert is_bounded(fprime, 0, 0.25)  # sigmoid' peaks at 1/4
        if l < L - 1:
            assert len(figs) == 4
            assert_same(figs[0].data[0].z, A["delta_next"])
            assert "BP2" in figures.phase_figures(rec[f"B{l}"], "sigmoid")[2][0]
        else:
            assert len(figs) == 3
            assert figs[-2].layout.title.text == (f"δ<sup>{l + 1}</sup> = (a<sup>{l + 1}</sup> − y)"
                                                  f" ⊙ f'(z<sup>{l + 1}</sup>)")


def test_backward_output_with_softmax_and_log_likelihood():
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(4, 3)), np.eye(3)[[0, 1, 2, 1]]
    net = Network([3, 3], activation="relu", output_activation="softmax",
                  loss="log_likelihood", seed=0)
    stepper = Stepper(net, X, Y, 0.1)
    stepper.step(), stepper.step()
    figs = panels(stepper.step(), "softmax", "log_likelihood")
    assert len(figs) == 2  # no f'(z) for softmax: its delta comes from the loss
    assert figs[0].layout.title.text == "δ<sup>1</sup> = a<sup>1</sup> − y"


def test_update_panels_share_a_range_per_layer(small):
    net, _, rec = small
    A = rec["Update"].arrays
    figs = panels(rec["Update"])
    assert len(figs) == 3 * net.num_layers
    for l in range(net.num_layers):
        before, step, after = (f.data[0] for f in figs[3 * l:3 * l + 3])
        assert_same(before.z, np.column_stack([A[f"W_before{l}"], A[f"b_before{l}"]]))
        assert_same(step.z, np.column_stack([A[f"update_w{l}"], A[f"update_b{l}"]]))
        assert_same(after.z, np.column_stack([A[f"W_after{l}"], A[f"b_after{l}"]]))
        ranges = {(t.zmin, t.zmax) for t in (before, step, after)}
        assert len(ranges) == 1
        (lo, hi), = ranges
        assert lo == -hi and hi == max(np.abs(z_of(t)).max() for t in (before, step, after))
        assert all(t.zmid == 0 for t in (before, step, after))
        # one layer's panels alone are the same figures
        alone = figures.phase_figures(rec["Update"], "sigmoid", "quadratic", layer=l)
        every = figures.phase_figures(rec["Update"], "sigmoid", "quadratic")
        assert [c for c, _ in alone] == [c for c, _ in every[3 * l:3 * l + 3]]
        assert [f.to_json() for _, f in alone] == [f.to_json() for f in figs[3 * l:3 * l + 3]]
    with pytest.raises(ValueError):
        figures.phase_figures(rec["Update"], "sigmoid", "quadratic", layer=net.num_layers)


def test_phase_panels_cap_the_batch():
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(100, 2)), rng.uniform(size=(100, 1))
    stepper = Stepper(Network([2, 3, 1], seed=0), X, Y, 0.5)
    for record in stepper.run():
        for fig in panels(record):
            for trace in fig.data:
                if isinstance(trace, (go.Heatmap, go.Bar)):
                    data = trace.z if isinstance(trace, go.Heatmap) else trace.x
                    assert len(data) <= figures.MAX_ROWS
    a_prev = panels(stepper.history[0])[0]
    assert_same(a_prev.data[0].z, X[:64])
    assert "first 64 of 100 examples" in a_prev.layout.title.text


def test_phase_figures_do_not_touch_the_record(small):
    _, _, rec = small
    for record in rec.values():
        before = {k: v.copy() for k, v in record.arrays.items()}
        figures.phase_figures(record, "sigmoid", "quadratic")
        for k, v in record.arrays.items():
            np.testing.assert_array_equal(v, before[k])


# --- the network diagram -----------------------------------------------------------------
def test_network_diagram_small(small):
    net, _, _ = small
    weights = [w.copy() for w in net.weights]
    fig = figures.network_diagram(net.sizes, net.weights, net.biases, ("forward", 1))
    check_conventions(fig)
    for w, w0 in zip(net.weights, weights, strict=True):
        np.testing.assert_array_equal(w, w0)
    assert len(fig.data) <= 2 * 2 * 4 + 4  # lines grouped by (layer, sign, size), not per weight
    # every bias is shown, as a neuron's colour and in its hover data
    neurons = [t for t in fig.data if t.marker.coloraxis == "coloraxis"]
    assert_same(np.concatenate([t.marker.color for t in neurons]), np.concatenate(net.biases))
    assert_same(np.concatenate([np.array(t.customdata)[:, 3] for t in neurons]),
                np.concatenate(net.biases))
    # every weight has a hover point with its exact value, drawn as nothing (mode
    # "none": Plotly hovers it but makes no SVG element for it)
    for highlight in (("forward", 1), None, ("update", None)):
        every = figures.network_diagram(net.sizes, net.weights, net.biases, highlight)
        mids = [t for t in every.data if t.mode == "none"]
        assert len(mids) == len(net.weights)
        cells = {(int(l), int(j), int(k)): w for t in mids for l, j, k, w in t.customdata}
        assert len(cells) == sum(W.size for W in net.weights)
        for l, W in enumerate(net.weights):
            for (j, k), w in np.ndenumerate(W):
                assert cells[(l, j, k)] == w
    # layer 1 is highlighted, layer 0 faded
    lines = [t for t in fig.data if t.mode == "lines"]
    assert {t.opacity for t in lines} == {0.15, 0.9}
    assert fig.layout.coloraxis.cmid == 0
    assert fig.layout.coloraxis.cmin == -fig.layout.coloraxis.cmax


def test_network_diagram_names_its_parts_in_trace_order():
    net = Network([64, 20, 10], seed=0)
    for highlight in (None, ("forward", 1), ("loss", None)):
        fig = figures.network_diagram(net.sizes, net.weights, net.biases, highlight)
        parts = figures.diagram_parts(fig)
        assert len(parts) == len(fig.data)
        for part, trace in zip(parts, fig.data, strict=True):
            xs = {x for x in trace.x if x is not None}
            if part[0] == "w":  # lines between columns l and l + 1
                assert trace.mode == "lines" and xs == {int(part[1:]), int(part[1:]) + 1}
            elif part[0] == "h":  # hover points halfway, not drawn
                assert trace.mode == "none" and xs == {int(part[1:]) + 0.5}
            elif part[0] == "n":  # a column of neurons
                assert trace.mode == "markers" and xs == {int(part[1:])}
            else:
                assert part == "ellipsis" and trace.mode == "text"
        assert [p for p in parts if p[0] == "n"] == ["n0", "n1", "n2"]


def test_network_diagram_caps_big_layers():
    net = Network([64, 20, 10], seed=0)
    fig = figures.network_diagram(net.sizes, net.weights, net.biases)
    check_conventions(fig)
    inputs = next(t for t in fig.data if t.hovertemplate and "(input)" in t.hovertemplate)
    assert len(inputs.x) == figures.MAX_DRAWN_NEURONS - 1
    assert list(inputs.customdata) == list(range(8)) + list(range(57, 64))
    assert any(t.mode == "text" for t in fig.data)  # the ellipsis
    mids = [t for t in fig.data if t.mode == "none"]
    assert sum(len(t.x) for t in mids) == 15 * 15 + 15 * 10
    assert len(fig.data) <= 2 * (2 * 4 + 1) + 4  # per layer: lines by (sign, size), hover
    with pytest.raises(ValueError):
        figures.network_diagram([2, 3], net.weights, net.biases)


# --- training curves ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def trained_xor():
    data = datasets.xor(80, seed=0)
    test = datasets.xor(40, seed=1)
    net = Network([2, 6, 1], activation="tanh", output_activation="sigmoid",
                  loss="cross_entropy", seed=0)
    result = train(net, data, 8, 10, 0.5, test=test)
    return net, data, result.history


def test_loss_and_accuracy_curves(trained_xor):
    _, _, history = trained_xor
    fig = figures.loss_curves(history)
    check_conventions(fig)
    assert_same(fig.data[0].y, history.train_loss)
    assert_same(fig.data[1].y, history.test_loss)
    assert list(fig.data[0].x) == list(range(1, history.epochs + 1))
    acc = figures.accuracy_curves(history)
    check_conventions(acc)
    assert_same(acc.data[0].y, history.train_accuracy)
    assert tuple(acc.layout.yaxis.range) == (0, 1.02)


def test_loss_curves_log_scale_when_the_range_is_large():
    from bp_core.train import History
    assert figures.loss_curves(History(train_loss=[1.0, 1e-3])).layout.yaxis.type == "log"
    assert figures.loss_curves(History(train_loss=[1.0, 0.5])).layout.yaxis.type == "linear"
    assert figures.loss_curves(History()).data == ()


def test_accuracy_curves_none_for_regression():
    data = datasets.sine(30, seed=0)
    net = Network([1, 4, 1], activation="tanh", output_activation="linear", seed=0)
    history = train(net, data, 2, 10, 0.1).history
    assert figures.accuracy_curves(history) is None
    check_conventions(figures.loss_curves(history))


# --- what the network computes --------------------------------------------------------------
def test_decision_boundary(trained_xor):
    net, data, _ = trained_xor
    X_before, W_before = data.X.copy(), [w.copy() for w in net.weights]
    fig = figures.decision_boundary(net, data, resolution=20)
    check_conventions(fig)
    grid = fig.data[0]
    assert (grid.zmin, grid.zmax) == (0, 1)  # sigmoid output: fixed range
    gx, gy = np.meshgrid(grid.x, grid.y)
    expected = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(20, 20)
    assert_same(grid.z, expected)
    assert grid.x[0] < data.X[:, 0].min() and grid.x[-1] > data.X[:, 0].max()
    assert grid.y[0] < data.X[:, 1].min() and grid.y[-1] > data.X[:, 1].max()
    points = fig.data[1:]
    assert sum(len(t.x) for t in points) == len(data)
    for label, trace in enumerate(points):
        assert_same(np.c_[trace.x, trace.y], data.X[data.labels == label])
    np.testing.assert_array_equal(data.X, X_before)
    for w, w0 in zip(net.weights, W_before, strict=True):
        np.testing.assert_array_equal(w, w0)
    with pytest.raises(ValueError):
        figures.decision_boundary(net, datasets.sine(10), 10)


def test_fitted_curve():
    data = datasets.sine(40, 0.1, seed=0)
    net = Network([1, 5, 1], activation="tanh", output_activation="linear", seed=0)
    fig = figures.fitted_curve(net, data)
    check_conventions(fig)
    assert_same(fig.data[0].x, data.X[:, 0])
    assert_same(fig.data[0].y, data.Y[:, 0])
    curve = fig.data[1]
    assert_same(curve.y, net.forward(np.asarray(curve.x)[:, None])[:, 0])


# --- images --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digits():
    data = datasets.digits(60, seed=0)
    net = Network([64, 12, 10], activation="sigmoid", output_activation="softmax",
                  loss="log_likelihood", seed=0)
    train(net, data, 3, 10, 0.5)
    return net, data


def test_digit_images(digits):
    _, data = digits
    fig = figures.digit_images(data.X[:40])
    check_conventions(fig)
    assert len(fig.data) == figures.MAX_IMAGES
    for i, trace in enumerate(fig.data):
        assert_same(trace.z, data.X[i].reshape(8, 8))
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (0, 1)
    assert "first 32 of 40" in fig.layout.title.text
    titled = figures.digit_images(data.X[:3], titles=["a", "b", "c"], cols=2)
    assert [a.text for a in titled.layout.annotations] == ["a", "b", "c"]
    with pytest.raises(ValueError):
        figures.digit_images(np.zeros((2, 10)))


def test_digit_predictions_mark_the_wrong_ones(digits):
    net, data = digits
    fig = figures.digit_predictions(net, data, count=16)
    check_conventions(fig)
    pred = net.forward(data.X[:16]).argmax(axis=1)
    true = data.labels[:16]
    for i, (p, t) in enumerate(zip(pred, true, strict=True)):
        text = fig.layout.annotations[i].text
        assert text.endswith(f"pred {p} / true {t}")
        assert text.startswith("✗") == (p != t)
    assert len(fig.layout.shapes) == int(np.sum(pred != true))
    assert f"{int(np.sum(pred == true))} of 16 right" in fig.layout.title.text


def test_weight_images(digits):
    net, _ = digits
    fig = figures.weight_images(net.weights[0], count=5)
    check_conventions(fig)
    assert len(fig.data) == 5
    for j, trace in enumerate(fig.data):
        assert_same(trace.z, net.weights[0][j].reshape(8, 8))
    axis = fig.layout.coloraxis
    assert axis.cmid == 0 and axis.cmin == -axis.cmax
    assert axis.cmax == np.abs(net.weights[0][:5]).max()


# --- gradient checks and sizes ----------------------------------------------------------
@pytest.fixture(scope="module")
def checked():
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(3, 3)), rng.uniform(size=(3, 2))
    net = Network([3, 4, 2], seed=0)
    good = gradcheck(net, X, Y)

    def broken(net, X, Y):  # layer 0's gradient off by a factor
        r = net.backprop(X, Y)
        r.grad_w[0] *= 1.5
        return r
    return net, good, gradcheck(net, X, Y, analytic=broken)


def test_gradcheck_figure(checked):
    _, good, bad = checked
    for result in (good, bad):
        fig = figures.gradcheck_figure(result)
        check_conventions(fig)
        bar = fig.data[0]
        assert_same(bar.customdata, result.errors)
        colours = [figures.PASS_COLOUR if layer.passed else figures.FAIL_COLOUR
                   for layer in result.layers]
        assert list(bar.marker.color) == colours
        assert fig.layout.yaxis.type == "log"
        (line,) = fig.layout.shapes
        assert line.y0 == line.y1 == TOLERANCE and line.line.dash == "dash"
    assert figures.FAIL_COLOUR in figures.gradcheck_figure(bad).data[0].marker.color


def test_gradcheck_heatmaps(checked):
    net, good, bad = checked
    for layer in range(net.num_layers):
        fig = figures.gradcheck_heatmaps(good, layer)
        check_conventions(fig)
        trace = fig.data[0]
        check = good.layers[layer]
        rel = np.column_stack([check.rel_w, check.rel_b])
        assert z_of(trace).shape == (net.sizes[layer + 1], net.sizes[layer] + 1)
        assert_same(np.array(trace.customdata)[..., 0], rel)
        assert "log10" in trace.colorbar.title.text
    bad_fig = figures.gradcheck_heatmaps(bad, 0)
    # the broken weights fail (red half of the scale), the untouched biases pass
    z = z_of(bad_fig.data[0])
    assert np.all(z[:, :-1] >= np.log10(TOLERANCE))
    assert np.all(z[:, -1] < np.log10(TOLERANCE))


def test_gradient_norms(small):
    net, stepper, _ = small
    r = net.backprop(stepper.X, stepper.Y)
    fig = figures.gradient_norms(r)
    check_conventions(fig)
    assert fig.layout.yaxis.type == "log"
    assert_same(fig.data[0].customdata, [np.mean(np.abs(d)) for d in r.deltas])
    assert_same(fig.data[1].customdata, [np.linalg.norm(g) for g in r.grad_w])
    assert len(fig.data[0].x) == net.num_layers


# --- translating the words ------------------------------------------------------------------
def test_words_come_from_text_and_an_english_translator_changes_nothing(small):
    """Every key a figure asks a translator for is in TEXT, and a translator that
    returns the English templates gives exactly the figures built without one."""
    net, stepper, recs = small
    asked = []

    def english(key, values):
        asked.append(key)
        return figures.TEXT[key].format(**values)

    def same(build):
        plain, translated = build(None), build(english)
        assert translated.to_plotly_json() == plain.to_plotly_json()

    for rec in recs.values():
        plain = figures.phase_figures(rec, "sigmoid", "quadratic", prev_activation_name="sigmoid")
        translated = figures.phase_figures(rec, "sigmoid", "quadratic",
                                           prev_activation_name="sigmoid", tr=english)
        assert [c for c, _ in translated] == [c for c, _ in plain]
        assert [f.to_plotly_json() for _, f in translated] == [f.to_plotly_json()
                                                               for _, f in plain]
    data = datasets.Dataset("batch", stepper.X, stepper.Y, "regression")
    result = train(Network([3, 4, 2], seed=1), data, 3, 2, 0.5, test=data)
    check = gradcheck(net, stepper.X, stepper.Y)
    same(lambda tr: figures.heatmap(np.full((70, 2), np.nan), "z", tr=tr))
    same(lambda tr: figures.network_diagram(net.sizes, net.weights, net.biases, ("loss", None),
                                            tr=tr))
    same(lambda tr: figures.loss_curves(result.history, tr=tr))
    same(lambda tr: figures.gradcheck_figure(check, tr=tr))
    same(lambda tr: figures.gradcheck_heatmaps(check, 0, tr=tr))
    same(lambda tr: figures.gradient_norms(net.backprop(stepper.X, stepper.Y), tr=tr))
    assert asked and set(asked) <= set(figures.TEXT)


def test_step_figures_keep_a_fixed_right_margin(small):
    """The figures redrawn on every click leave room for their colour bar themselves.

    With Plotly's automatic margins the bar pushes the margin out after the first
    draw and the browser draws the figure twice; a fixed margin wide enough for
    the bar (and no autoexpand) draws it once.
    """
    net, _, records = small
    figs = [fig for record in records.values()
            for _, fig in figures.phase_figures(record, "sigmoid", "quadratic")]
    figs.append(figures.network_diagram(net.sizes, net.weights, net.biases, ("forward", 0)))
    with_bar = [fig for fig in figs
                if fig.layout.coloraxis.colorscale or any(t.type == "heatmap" for t in fig.data)]
    assert len(with_bar) >= len(figs) - 1  # all but the loss phase's per-example costs
    for fig in with_bar:
        assert fig.layout.margin.autoexpand is False
        assert fig.layout.margin.r >= 60


def test_curves_draw_each_series_with_gaps_where_nan_and_inf_marked_diverged():
    fig = figures.curves({"η = 0.1": [1.0, 0.5, 0.25], "η = 10": [1.0, float("inf"), np.nan]},
                         "sweep", "epoch", "loss", log_y=True)
    check_conventions(fig)
    # inf is a run that diverged: drawn at 10 × the starting loss 1.0 and marked there
    assert [t.name for t in fig.data] == ["η = 0.1", "η = 10", "diverged"]
    assert list(fig.data[0].y) == [1.0, 0.5, 0.25]
    assert list(fig.data[1].y) == [1.0, 10.0, None]
    assert list(fig.data[2].x) == [1] and list(fig.data[2].customdata) == ["inf"]
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.title.text == "epoch"
    assert fig.data[0].line.color != fig.data[1].line.color
    assert figures.curves({"a": [1, 2]}, "t", "x", "y").layout.yaxis.type == "linear"
