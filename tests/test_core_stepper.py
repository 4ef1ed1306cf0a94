"""bp_core.stepper: one pass a phase at a time, equal to sgd_step, with exact undo."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bp_core import Diverged, Network, Stepper
from bp_core.stepper import phases

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
         ("leaky_relu", "quadratic"), ("linear", "quadratic"), ("softmax", "quadratic"),
         ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")]
SETTINGS = settings(max_examples=40, deadline=None, database=None)


@st.composite
def setups(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    n = draw(st.integers(1, 6))
    hidden = draw(st.sampled_from(HIDDEN))
    out, loss = draw(st.sampled_from(PAIRS))
    if out == "softmax":  # over one output softmax is the constant 1: the engine refuses it
        sizes[-1] = draw(st.integers(2, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    net = Network(sizes, hidden, out, loss, seed=seed)
    lr = draw(st.sampled_from([0.01, 0.5, 3.0]))
    l2 = draw(st.sampled_from([0.0, 0.1]))
    update_biases = draw(st.booleans())
    return net, X, Y, lr, l2, update_biases


def params(net):
    return [w.copy() for w in net.weights], [b.copy() for b in net.biases]


def assert_bitwise_equal(a_list, b_list):
    for a, b in zip(a_list, b_list, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype
        assert np.max(np.abs(a - b), initial=0.0) <= 1e-14
        assert a.tobytes() == b.tobytes()  # exact, to the last bit


@SETTINGS
@given(setups())
def test_all_phases_equal_sgd_step_bit_for_bit(setup):
    net, X, Y, lr, l2, update_biases = setup
    reference = net.copy()
    result = reference.sgd_step(X, Y, lr, l2, update_biases=update_biases)
    stepper = Stepper(net, X, Y, lr, l2, update_biases=update_biases)
    records = stepper.run()
    assert stepper.done
    assert_bitwise_equal(net.weights, reference.weights)
    assert_bitwise_equal(net.biases, reference.biases)
    # The recorded intermediate values are backprop's.
    L = net.num_layers
    by_label = {rec.label: rec for rec in records}
    for l in range(L):
        assert_bitwise_equal([by_label[f"F{l}"].arrays["z"]], [result.zs[l]])
        assert_bitwise_equal([by_label[f"B{l}"].arrays["delta"]], [result.deltas[l]])
        assert_bitwise_equal([by_label[f"B{l}"].arrays["grad_w"]], [result.grad_w[l]])
        assert_bitwise_equal([by_label[f"B{l}"].arrays["grad_b"]], [result.grad_b[l]])
    assert float(by_label["Loss"].arrays["loss"]) == result.loss


@SETTINGS
@given(setups())
def test_phase_order_and_record_shapes(setup):
    net, X, Y, lr, l2, update_biases = setup
    L, n, sizes = net.num_layers, X.shape[0], net.sizes
    stepper = Stepper(net, X, Y, lr, l2, update_biases=update_biases)
    expected = ([("forward", l) for l in range(L)] + [("loss", None)]
                + [("backward", l) for l in range(L - 1, -1, -1)] + [("update", None)])
    assert phases(L) == expected and stepper.phases == expected
    assert stepper.position == 0 and stepper.next_phase == expected[0]
    records = []
    for i, (kind, layer) in enumerate(expected):
        assert stepper.next_phase == (kind, layer)
        rec = stepper.step()
        records.append(rec)
        assert (rec.kind, rec.layer, rec.index) == (kind, layer, i)
        assert stepper.position == i + 1 and stepper.last is rec
        shapes = {key: arr.shape for key, arr in rec.arrays.items()}
        if kind == "forward":
            n_in, n_out = sizes[layer], sizes[layer + 1]
            assert shapes == {"a_prev": (n, n_in), "W": (n_out, n_in), "b": (n_out,),
                              "z": (n, n_out), "a": (n, n_out)}
        elif kind == "loss":
            assert shapes == {"a": (n, sizes[-1]), "y": (n, sizes[-1]), "z": (n, sizes[-1]),
                              "costs": (n,), "loss": ()}
        elif kind == "backward":
            n_in, n_out = sizes[layer], sizes[layer + 1]
            want = {"z": (n, n_out), "delta": (n, n_out), "a_prev": (n, n_in),
                    "W": (n_out, n_in), "grad_w": (n_out, n_in), "grad_b": (n_out,)}
            if not (layer == L - 1 and net.output_activation == "softmax"):
                want["fprime"] = (n, n_out)
            if layer == L - 1:
                want.update(a=(n, n_out), y=(n, n_out))
            else:
                want.update(delta_next=(n, sizes[layer + 2]), W_next=(sizes[layer + 2], n_out))
            assert shapes == want
        else:
            want = {"learning_rate": ()}
            for l in range(L):
                w, b = (sizes[l + 1], sizes[l]), (sizes[l + 1],)
                want.update({f"W_before{l}": w, f"b_before{l}": b, f"grad_w{l}": w,
                             f"grad_b{l}": b, f"update_w{l}": w, f"update_b{l}": b,
                             f"W_after{l}": w, f"b_after{l}": b})
            assert shapes == want
            assert float(rec.arrays["learning_rate"]) == lr
            for l in range(L):
                a = rec.arrays
                np.testing.assert_array_equal(a[f"update_w{l}"], -lr * a[f"grad_w{l}"])
                np.testing.assert_array_equal(a[f"W_after{l}"], net.weights[l])
                np.testing.assert_array_equal(a[f"b_after{l}"], net.biases[l])
        for arr in rec.arrays.values():
            assert arr.dtype == np.float64
    assert stepper.done and stepper.next_phase is None
    assert len(stepper.history) == 2 * L + 2


def test_the_network_changes_only_in_the_update_phase():
    net = Network([3, 4, 2], "tanh", "sigmoid", "cross_entropy", seed=1)
    X, Y = np.ones((2, 3)), np.array([[0.0, 1.0], [1.0, 0.0]])
    before = params(net)
    stepper = Stepper(net, X, Y, 0.5)
    while stepper.next_phase != ("update", None):
        stepper.step()
        assert_bitwise_equal(net.weights, before[0])
        assert_bitwise_equal(net.biases, before[1])
    stepper.step()
    assert not np.array_equal(net.weights[0], before[0][0])


def test_records_are_read_only_copies():
    net = Network([2, 3, 2], "tanh", "softmax", "log_likelihood", seed=3)
    X, Y = np.array([[0.5, -0.2]]), np.array([[1.0, 0.0]])
    stepper = Stepper(net, X, Y, 0.5)
    records = stepper.run()
    for rec in records:
        for key, arr in rec.arrays.items():
            assert not arr.flags.writeable, (rec.label, key)
            with pytest.raises(ValueError):
                arr[...] = 0.0
    with pytest.raises(AttributeError):  # the record itself is frozen
        records[0].kind = "update"
    # Snapshots, not views: the forward record still shows the weights it used.
    W_used = records[0].arrays["W"]
    assert not np.shares_memory(W_used, net.weights[0])
    np.testing.assert_array_equal(W_used, records[-1].arrays["W_before0"])
    assert not np.array_equal(W_used, net.weights[0])
    # Changing the caller's X afterwards changes nothing recorded.
    X[0, 0] = 99.0
    assert records[0].arrays["a_prev"][0, 0] == 0.5


@SETTINGS
@given(setups())
def test_back_undoes_exactly_and_redo_is_identical(setup):
    net, X, Y, lr, l2, update_biases = setup
    start = params(net)
    stepper = Stepper(net, X, Y, lr, l2, update_biases=update_biases)
    first = stepper.run()
    # Undo every phase, checking each redo gives the same arrays, then go back further.
    for k in range(len(first) - 1, -1, -1):
        current = stepper.back()
        assert stepper.position == k
        assert current is (stepper.history[-1] if k else None)
        if first[k].kind == "update":
            assert_bitwise_equal(net.weights, start[0])
            assert_bitwise_equal(net.biases, start[1])
            assert all(w.flags.writeable for w in net.weights + net.biases)
        redo = stepper.step()
        assert (redo.kind, redo.layer, redo.index) == (first[k].kind, first[k].layer, k)
        assert redo.arrays.keys() == first[k].arrays.keys()
        for key in redo.arrays:
            assert redo.arrays[key].tobytes() == first[k].arrays[key].tobytes(), key
        stepper.back()
    assert stepper.position == 0
    assert stepper.back() is None
    assert_bitwise_equal(net.weights, start[0])
    assert_bitwise_equal(net.biases, start[1])
    # And the pass can be run again from the start, to the same end.
    again = stepper.run()
    for a, b in zip(first, again, strict=True):
        for key in a.arrays:
            assert a.arrays[key].tobytes() == b.arrays[key].tobytes()


def test_back_at_the_start_returns_none():
    net = Network([2, 2, 1], seed=0)
    stepper = Stepper(net, np.zeros((1, 2)), np.zeros((1, 1)), 0.1)
    assert stepper.back() is None
    assert stepper.back() is None
    assert stepper.position == 0 and stepper.last is None


def test_step_after_done_raises_stop_iteration():
    net = Network([2, 2, 1], seed=0)
    stepper = Stepper(net, np.zeros((1, 2)), np.zeros((1, 1)), 0.1)
    stepper.run()
    after = params(net)
    with pytest.raises(StopIteration):
        stepper.step()
    assert stepper.run() == []
    assert_bitwise_equal(net.weights, after[0])  # nothing was applied twice


@SETTINGS
@given(setups())
def test_history_and_memory_are_bounded(setup):
    net, X, Y, lr, l2, update_biases = setup
    L, n, sizes = net.num_layers, X.shape[0], net.sizes
    stepper = Stepper(net, X, Y, lr, l2, update_biases=update_biases)
    assert stepper.nbytes == 0
    # Bound from the documented shapes: per phase, at most 8 arrays of (width × width)
    # parameters plus 8 arrays of (n × width) values, and 2L + 2 phases.
    width = max(sizes)
    per_phase = 8 * (L * (width * width + width) + n * width + 1) * 8
    for i in range(2 * L + 2):
        stepper.step()
        assert len(stepper.history) == i + 1 <= 2 * L + 2
        assert 0 < stepper.nbytes <= (i + 1) * per_phase
    for _ in range(3):  # back and forth does not grow it
        stepper.back()
        stepper.step()
    assert len(stepper.history) == 2 * L + 2
    assert 0 < stepper.nbytes <= (2 * L + 2) * per_phase


def test_stepper_refuses_bad_arguments():
    net = Network([2, 2, 1], seed=0)
    X, Y = np.zeros((3, 2)), np.zeros((3, 1))
    with pytest.raises(ValueError):
        Stepper(net, X, np.zeros((2, 1)), 0.1)
    for lr in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            Stepper(net, X, Y, lr)
    with pytest.raises(ValueError):
        Stepper(net, X, Y, 0.1, l2=-0.1)
    with pytest.raises(ValueError):
        Stepper(net, np.zeros((3, 5)), Y, 0.1)


def _assert_refused(stepper, net, before, position):
    history = list(stepper.history)
    with pytest.raises(Diverged, match="learning rate"):
        stepper.step()
    assert stepper.position == position and stepper.history == history
    assert_bitwise_equal(net.weights, before[0])
    assert_bitwise_equal(net.biases, before[1])
    assert all(np.isfinite(w).all() for w in net.weights + net.biases)
    with pytest.raises(Diverged):  # asking again gives the same answer
        stepper.step()
    assert stepper.position == position


@pytest.mark.parametrize("hidden", ["relu", "linear"])
def test_diverging_update_is_refused_and_nothing_changes(hidden):
    net = Network([2, 3, 1], hidden, "linear", "quadratic", seed=0)
    X, Y = np.array([[1e10, -1e10], [3.0, 4.0]]), np.array([[1.0], [2.0]])
    stepper = Stepper(net, X, Y, 1e300)
    before = params(net)
    while stepper.next_phase != ("update", None):
        stepper.step()  # forward, loss and backward are still finite
    _assert_refused(stepper, net, before, 2 * net.num_layers + 1)
    # Undo still works after a refusal.
    stepper.back()
    assert stepper.next_phase == ("backward", 0)


@pytest.mark.parametrize("hidden", ["relu", "linear"])
def test_the_pass_after_a_huge_step_is_refused(hidden):
    """η = 1e300 makes weights near 1e300: the next pass overflows and is refused."""
    net = Network([2, 3, 1], hidden, "linear", "quadratic", seed=0)
    X, Y = np.array([[0.5, 1.0], [1.0, 0.5]]), np.array([[10.0], [-10.0]])
    Stepper(net, X, Y, 1e300).run()
    assert net.params_finite() and max(np.abs(w).max() for w in net.weights) > 1e290
    before = params(net)
    stepper = Stepper(net, X, Y, 1e300)
    with pytest.raises(Diverged):
        while True:
            position = stepper.position
            stepper.step()
    assert stepper.position == position
    assert_bitwise_equal(net.weights, before[0])
    assert_bitwise_equal(net.biases, before[1])


def test_the_finiteness_check_sees_every_non_finite_entry_and_no_false_one():
    """stepper._finite: the sum of squares hides no NaN or ±inf (squares cannot cancel,
    as +inf and −inf could in a plain sum), and finite entries whose squares overflow
    (|x| > 1e154) take the exact test instead of being called non-finite."""
    from bp_core.stepper import _finite
    rng = np.random.default_rng(3)
    for bad in (np.nan, np.inf, -np.inf):
        arr = rng.normal(size=(4, 5))
        arr[2, 3] = bad
        assert not _finite(rng.normal(size=3), arr)
    pair = np.array([np.inf, -np.inf])
    assert not _finite(pair)
    with np.errstate(all="ignore"):  # as step() and run() call it
        assert _finite(np.array([[1e200, -1e200], [3.0, 1e-300]]), rng.normal(size=(2, 2)))
    assert _finite(np.zeros((3, 0)), np.array(0.5).reshape(1))
