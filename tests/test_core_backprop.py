"""Backprop against references that share no code with bp_core.

* A float64 forward pass and cost written here (`ref_forward`, `ref_cost`), and a
  centred finite difference of that cost (h = 1e-6) for every weight and bias.
* A per-example backward pass in the style of Nielsen's network.py (`ref_backprop`),
  one example at a time, with the full output Jacobian and no a − y shortcut, for
  the deltas.

Notation as in bp_core.network: a[0] = X, z[l] = a[l] @ W[l].T + b[l], a[l+1] = f(z[l]),
delta[l] = ∂C_i/∂z[l], grad_w[l], grad_b[l].
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bp_core import INITS, Network, gradcheck
from bp_core.gradcheck import TOLERANCE

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
# Every (output activation, loss) pair the engine accepts.
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
         ("leaky_relu", "quadratic"), ("linear", "quadratic"), ("softmax", "quadratic"),
         ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")]
KINKED = {"relu", "leaky_relu"}
H = 1e-6        # finite-difference step
RTOL = 1e-5     # tolerance of analytic vs numeric gradients, stated once
ATOL = 1e-8     # ... scaled by max(1, |C|): the difference's rounding error is ~ε|C|/h

SETTINGS = settings(max_examples=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


# --- the independent reference ---------------------------------------------------
def ref_f(name: str, z: np.ndarray) -> np.ndarray:
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) written through tanh: no shared code
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    if name == "linear":
        return z.copy()
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(name)


def ref_forward(weights, biases, hidden, out, X):
    """Lists zs and activations, exactly as the book's equations read."""
    a, zs, activations = X, [], [X]
    L = len(weights)
    for l in range(L):
        z = a @ weights[l].T + biases[l]
        a = ref_f(out if l == L - 1 else hidden, z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def ref_costs(loss, z, a, Y):
    """Per-example costs C_i from the definitions.

    The two log costs are rewritten in z, so that ln(1 − a) does not lose digits
    when a is near 1 (which would swamp a finite difference):
    −y ln σ(z) − (1−y) ln(1 − σ(z)) = ln(1 + e^(−z)) + (1−y)·z, and
    ln softmax(z)_j = z_j − ln Σ_k e^(z_k).
    """
    if loss == "quadratic":
        return 0.5 * np.sum((a - Y) ** 2, axis=1)
    if loss == "cross_entropy":
        return np.sum(np.log1p(np.exp(-z)) + (1 - Y) * z, axis=1)
    if loss == "log_likelihood":
        m = z.max(axis=1, keepdims=True)
        log_a = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
        return -np.sum(Y * log_a, axis=1)
    raise AssertionError(loss)


def ref_cost(weights, biases, hidden, out, loss, X, Y, l2):
    zs, activations = ref_forward(weights, biases, hidden, out, X)
    return (np.mean(ref_costs(loss, zs[-1], activations[-1], Y))
            + 0.5 * l2 * sum(np.sum(w * w) for w in weights))


def numeric_gradients(weights, biases, hidden, out, loss, X, Y, l2, h=H):
    """Centred differences (C(θ+h) − C(θ−h)) / 2h of ref_cost, for every W and b entry."""
    weights = [w.astype(np.float64, copy=True) for w in weights]
    biases = [b.astype(np.float64, copy=True) for b in biases]
    grads = []
    for params in (weights, biases):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                saved = p[idx]
                p[idx] = saved + h
                c_plus = ref_cost(weights, biases, hidden, out, loss, X, Y, l2)
                p[idx] = saved - h
                c_minus = ref_cost(weights, biases, hidden, out, loss, X, Y, l2)
                p[idx] = saved
                g[idx] = (c_plus - c_minus) / (2 * h)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads[0], grads[1]


def ref_fprime(name, z, a):
    return {"sigmoid": a * (1 - a), "tanh": 1 - a * a, "relu": (z > 0) * 1.0,
            "leaky_relu": np.where(z > 0, 1.0, 0.01), "linear": np.ones_like(z)}[name]


def ref_backprop(weights, biases, hidden, out, loss, X, Y, l2):
    """Nielsen-style: one example at a time, summed, then divided by the batch size."""
    n, L = X.shape[0], len(weights)
    nabla_w = [np.zeros_like(w) for w in weights]
    nabla_b = [np.zeros_like(b) for b in biases]
    deltas = [np.zeros((n, w.shape[0])) for w in weights]
    for i in range(n):
        x, y = X[i:i + 1], Y[i]
        zs, acts = ref_forward(weights, biases, hidden, out, x)
        z, a = zs[-1][0], acts[-1][0]
        # ∂C_i/∂a from the cost's definition, then through the output Jacobian ∂a/∂z.
        # For a sigmoid output, a and 1 − a are taken as σ(z) and σ(−z) = 1/(1 + e^z),
        # so that 1 − a keeps its digits when a is near 1.
        if out == "sigmoid":
            a, one_minus_a = 1 / (1 + np.exp(-z)), 1 / (1 + np.exp(z))
        else:
            one_minus_a = 1 - a
        if loss == "quadratic":
            dC_da = a - y
        elif loss == "cross_entropy":
            dC_da = -y / a + (1 - y) / one_minus_a
        else:
            dC_da = -y / a
        if out == "softmax":
            jacobian = np.diag(a) - np.outer(a, a)
        elif out == "sigmoid":
            jacobian = np.diag(a * one_minus_a)
        else:
            jacobian = np.diag(ref_fprime(out, z, a))
        delta = jacobian.T @ dC_da
        deltas[L - 1][i] = delta
        for l in range(L - 1, -1, -1):
            if l < L - 1:
                delta = (weights[l + 1].T @ delta) * ref_fprime(hidden, zs[l][0], acts[l + 1][0])
                deltas[l][i] = delta
            nabla_w[l] += np.outer(delta, acts[l][0])
            nabla_b[l] += delta
    grad_w = [nw / n + l2 * w for nw, w in zip(nabla_w, weights, strict=True)]
    grad_b = [nb / n for nb in nabla_b]
    return deltas, grad_w, grad_b


# --- strategies ----------------------------------------------------------------------
@st.composite
def problems(draw, hidden, out, loss):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    if out == "softmax":  # over one output softmax is the constant 1: the engine refuses it
        sizes[-1] = draw(st.integers(2, 6))
    n = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    l2 = draw(st.sampled_from([0.0, 0.1]))
    init = draw(st.sampled_from(INITS))
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(n, sizes[0]))
    if loss == "log_likelihood":
        # Targets must be distributions for δ = a − y: one-hot rows.
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    else:
        Y = rng.uniform(0.0, 1.0, size=(n, sizes[-1]))
    net = Network(sizes, hidden, out, loss, init=init, seed=seed % 2**31)
    return net, X, Y, l2


def no_kinks(net, X, hidden, out):
    """True unless a ReLU-type unit sits within 1e-3 of its kink (own forward pass)."""
    zs, _ = ref_forward(net.weights, net.biases, hidden, out, X)
    L = len(zs)
    return all(np.abs(z).min() > 1e-3 for l, z in enumerate(zs)
               if (out if l == L - 1 else hidden) in KINKED)


# --- finite differences, every valid combination -----------------------------------------
@pytest.mark.parametrize("out,loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_finite_differences(hidden, out, loss):
    @SETTINGS
    @given(problems(hidden, out, loss))
    def check(problem):
        net, X, Y, l2 = problem
        assume(no_kinks(net, X, hidden, out))
        r = net.backprop(X, Y, l2)
        num_w, num_b = numeric_gradients(net.weights, net.biases, hidden, out, loss, X, Y, l2)
        cost = ref_cost(net.weights, net.biases, hidden, out, loss, X, Y, l2)
        atol = ATOL * max(1.0, abs(cost))
        np.testing.assert_allclose(r.loss, cost, rtol=1e-10, atol=1e-12)
        for l in range(net.num_layers):
            np.testing.assert_allclose(r.grad_w[l], num_w[l], rtol=RTOL, atol=atol,
                                       err_msg=f"grad_w[{l}]")
            np.testing.assert_allclose(r.grad_b[l], num_b[l], rtol=RTOL, atol=atol,
                                       err_msg=f"grad_b[{l}]")

    check()


@pytest.mark.parametrize("out,loss", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_per_example_loop(hidden, out, loss):
    """deltas[l][i] is the error of example i alone; grad_w, grad_b the batch mean."""
    @settings(SETTINGS, max_examples=10)
    @given(problems(hidden, out, loss))
    def check(problem):
        net, X, Y, l2 = problem
        assume(no_kinks(net, X, hidden, out))
        r = net.backprop(X, Y, l2)
        deltas, grad_w, grad_b = ref_backprop(net.weights, net.biases, hidden, out, loss,
                                              X, Y, l2)
        zs, activations = ref_forward(net.weights, net.biases, hidden, out, X)
        for l in range(net.num_layers):
            np.testing.assert_allclose(r.zs[l], zs[l], rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(r.activations[l + 1], activations[l + 1],
                                       rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(r.deltas[l], deltas[l], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(r.grad_w[l], grad_w[l], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(r.grad_b[l], grad_b[l], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(r.costs, ref_costs(loss, zs[-1], activations[-1], Y),
                                   rtol=1e-10, atol=1e-12)

    check()


# --- shapes --------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, database=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5), n=st.integers(1, 6),
       hidden=st.sampled_from(HIDDEN), pair=st.sampled_from(PAIRS),
       seed=st.integers(0, 2**31 - 1))
def test_shapes_and_dtypes(sizes, n, hidden, pair, seed):
    out, loss = pair
    if out == "softmax":  # over one output softmax is the constant 1: the engine refuses it
        sizes = sizes[:-1] + [max(sizes[-1], 2)]
    net = Network(sizes, hidden, out, loss, seed=seed)
    L = len(sizes) - 1
    assert net.num_layers == L and net.sizes == sizes
    for l in range(L):
        assert net.weights[l].shape == (sizes[l + 1], sizes[l])
        assert net.biases[l].shape == (sizes[l + 1],)
        assert net.weights[l].dtype == np.float64 and net.biases[l].dtype == np.float64
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    assert net.forward(X).shape == (n, sizes[-1])
    assert net.forward(X).dtype == np.float64
    r = net.backprop(X, Y)
    assert len(r.zs) == len(r.deltas) == len(r.grad_w) == len(r.grad_b) == L
    assert len(r.activations) == L + 1
    assert r.activations[0].shape == (n, sizes[0])
    for l in range(L):
        assert r.zs[l].shape == (n, sizes[l + 1])
        assert r.activations[l + 1].shape == (n, sizes[l + 1])
        assert r.deltas[l].shape == (n, sizes[l + 1])
        assert r.grad_w[l].shape == (sizes[l + 1], sizes[l])
        assert r.grad_b[l].shape == (sizes[l + 1],)
        for arr in (r.zs[l], r.activations[l + 1], r.deltas[l], r.grad_w[l], r.grad_b[l]):
            assert arr.dtype == np.float64
    assert r.costs.shape == (n,)
    assert isinstance(r.loss, float)


def test_one_feature_input_may_be_a_vector():
    net = Network([1, 3, 1], "tanh", "linear", seed=0)
    x = np.array([0.1, -0.2, 0.3])
    np.testing.assert_array_equal(net.forward(x), net.forward(x[:, None]))
    assert net.forward(x).shape == (3, 1)


def test_wrong_input_shape_is_a_value_error():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="shape"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="no examples"):
        net.forward(np.zeros((0, 2)))


def test_backprop_and_forward_do_not_mutate():
    net = Network([3, 4, 2], "tanh", "softmax", "log_likelihood", seed=1)
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    X, Y = np.ones((2, 3)), np.eye(2)
    net.forward(X)
    net.backprop(X, Y, l2=0.1)
    net.loss(X, Y, l2=0.1)
    for old, new in zip(before, net.weights + net.biases, strict=True):
        np.testing.assert_array_equal(old, new)


def test_sgd_step_is_w_minus_eta_grad():
    """W −= η·grad_w with the gradient computed before the update (Nielsen's update rule)."""
    net = Network([2, 3, 2], "sigmoid", "sigmoid", "cross_entropy", seed=4)
    X = np.array([[0.3, -0.1], [0.5, 0.9], [-0.7, 0.2]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    _, grad_w, grad_b = ref_backprop(net.weights, net.biases, "sigmoid", "sigmoid",
                                     "cross_entropy", X, Y, 0.1)
    expected_w = [w - 0.7 * g for w, g in zip(net.weights, grad_w, strict=True)]
    expected_b = [b - 0.7 * g for b, g in zip(net.biases, grad_b, strict=True)]
    net.sgd_step(X, Y, 0.7, l2=0.1)
    for l in range(2):
        np.testing.assert_allclose(net.weights[l], expected_w[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.biases[l], expected_b[l], rtol=1e-12, atol=1e-14)


# --- bp_core.gradcheck itself --------------------------------------------------------------
GRADCHECK_CASES = [([3, 4, 2], "tanh", "sigmoid", "cross_entropy"),
                   ([2, 5, 3, 2], "sigmoid", "softmax", "log_likelihood"),
                   ([4, 3, 3, 1], "linear", "linear", "quadratic"),
                   ([3, 6, 2], "leaky_relu", "softmax", "quadratic"),
                   ([2, 4, 4, 2], "relu", "tanh", "quadratic")]


def _batch(net, seed=0, n=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, net.sizes[0]))
    Y = np.eye(net.sizes[-1])[rng.integers(0, net.sizes[-1], n)]
    return X, Y


@pytest.mark.parametrize("sizes,hidden,out,loss", GRADCHECK_CASES)
def test_gradcheck_passes_a_correct_backprop(sizes, hidden, out, loss):
    net = Network(sizes, hidden, out, loss, seed=2)
    X, Y = _batch(net)
    assert no_kinks(net, X, hidden, out)
    saved = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    result = gradcheck(net, X, Y, l2=0.1)
    assert len(result) == net.num_layers
    assert result.passed, result.errors
    assert max(result.errors) < TOLERANCE
    # Its numeric gradients agree with the ones computed in this file.
    num_w, num_b = numeric_gradients(net.weights, net.biases, hidden, out, loss, X, Y, 0.1)
    for l, layer in enumerate(result.layers):
        assert layer.numeric_w.shape == net.weights[l].shape
        assert layer.numeric_b.shape == net.biases[l].shape
        np.testing.assert_allclose(layer.numeric_w, num_w[l], rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(layer.numeric_b, num_b[l], rtol=1e-5, atol=1e-8)
    # "The network is left exactly as it was."
    for old, new in zip(saved, net.weights + net.biases, strict=True):
        assert old.tobytes() == new.tobytes()


# Correct backprops that gradcheck used to fail (floor 1e-8, tolerance 1e-6): a tiny
# gradient cell turned the finite difference's rounding noise (~1e-10·|C|) into a
# "relative error" of 1e-6 to 1e-4.
@pytest.mark.parametrize("sizes,hidden,out,loss,init,data", [
    ([3, 4, 3, 2], "sigmoid", "softmax", "quadratic", "scaled", None),
    ([3, 4, 3, 2], "sigmoid", "sigmoid", "cross_entropy", "scaled", None),
    ([3, 4, 3, 2], "leaky_relu", "softmax", "log_likelihood", "scaled", None),
    ([2, 16, 16, 1], "tanh", "sigmoid", "cross_entropy", "normal", "xor"),
    ([64, 16, 10], "sigmoid", "softmax", "log_likelihood", "normal", "digits"),
])
def test_gradcheck_has_no_false_alarms(sizes, hidden, out, loss, init, data):
    from bp_core import datasets

    net = Network(sizes, hidden, out, loss, init=init, seed=1 if data is None else 3)
    if data is None:
        rng = np.random.default_rng(0)
        X = rng.normal(size=(5, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 5)]
    else:
        d = datasets.load(data, 200)
        X, Y = d.X[:32], d.Y[:32]
    assert no_kinks(net, X, hidden, out)
    result = gradcheck(net, X, Y, l2=0.1 if data is None else 0.01)
    assert result.passed, result.errors


@settings(SETTINGS, max_examples=40)
@given(st.sampled_from(HIDDEN).flatmap(
    lambda hidden: st.sampled_from(PAIRS).flatmap(
        lambda pair: st.tuples(st.just(hidden), st.just(pair), problems(hidden, *pair)))))
def test_gradcheck_passes_correct_backprop_on_random_networks(case):
    hidden, (out, _), (net, X, Y, l2) = case
    assume(no_kinks(net, X, hidden, out))
    result = gradcheck(net, X, Y, l2=l2)
    assert result.passed, result.errors


@pytest.mark.parametrize("broken_layer", [0, 1, 2])
def test_gradcheck_points_at_the_broken_layer(broken_layer):
    net = Network([3, 4, 3, 2], "tanh", "softmax", "log_likelihood", seed=5)
    X, Y = _batch(net, seed=1)

    def broken(net, X, Y):
        r = net.backprop(X, Y)
        grad_w = [g * 2 if l == broken_layer else g for l, g in enumerate(r.grad_w)]
        return type("Grads", (), {"grad_w": grad_w, "grad_b": r.grad_b})()

    result = gradcheck(net, X, Y, analytic=broken)
    assert not result.passed
    for l, error in enumerate(result.errors):
        if l == broken_layer:
            # |2g − g| / (|2g| + |g|) = 1/3 for every cell with g ≠ 0.
            assert error == pytest.approx(1 / 3, rel=1e-3)
            assert not result.layers[l].passed
        else:
            assert error < TOLERANCE
            assert result.layers[l].passed


def test_gradcheck_catches_a_wrong_bias_gradient():
    net = Network([2, 3, 1], "sigmoid", "sigmoid", "quadratic", seed=3)
    X, Y = _batch(net, seed=2)

    def no_bias_mean(net, X, Y):  # forgets to divide grad_b by the batch size
        r = net.backprop(X, Y)
        return type("Grads", (), {"grad_w": r.grad_w,
                                  "grad_b": [g * len(X) for g in r.grad_b]})()

    result = gradcheck(net, X, Y, analytic=no_bias_mean)
    assert all(not layer.passed for layer in result.layers)
    assert min(result.errors) > 0.1


def test_x_and_y_with_different_numbers_of_rows_are_refused():
    net = Network([2, 3, 1], seed=0)
    X, Y = np.zeros((4, 2)), np.zeros((1, 1))  # one row of Y would broadcast silently
    with pytest.raises(ValueError, match="4 examples but Y has 1"):
        net.backprop(X, Y)
    with pytest.raises(ValueError, match="4 examples but Y has 1"):
        net.loss(X, Y)
