"""Saturated inputs: no floating-point exception escapes, and the numbers stay finite.

Every check runs under ``np.errstate(all="raise")``, so any overflow, invalid
operation or division by zero that the engine does not handle itself fails the test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from bp_core import Network, Stepper, activations, gradcheck

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
         ("leaky_relu", "quadratic"), ("linear", "quadratic"), ("softmax", "quadratic"),
         ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")]
X_EXTREME = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [1000.0, 1000.0],
                      [-1000.0, -1000.0], [0.0, 1000.0]])


# One-hot rows, most of them far from the saturated outputs: confident errors.
Y_EXTREME = np.eye(3)[[0, 1, 2, 0, 1]]


@pytest.mark.parametrize("hidden,pair", list(itertools.product(HIDDEN, PAIRS)))
def test_extreme_inputs_raise_nothing_and_stay_finite(hidden, pair):
    out, loss = pair
    net = Network([2, 4, 3, 3], hidden, out, loss, init="normal", seed=0)
    Y = Y_EXTREME
    with np.errstate(all="raise"):
        a = net.forward(X_EXTREME)
        c = net.loss(X_EXTREME, Y, l2=0.1)
        r = net.backprop(X_EXTREME, Y, l2=0.1)
        stepper = Stepper(net.copy(), X_EXTREME, Y, 0.01)
        records = stepper.run()
    assert a.shape == (5, 3) and np.isfinite(a).all()
    assert math.isfinite(c) and c >= 0
    assert np.isfinite(r.costs).all() and math.isfinite(r.loss)
    for arrays in (r.zs, r.activations, r.deltas, r.grad_w, r.grad_b):
        assert all(np.isfinite(x).all() for x in arrays)
    assert all(np.isfinite(v).all() for rec in records for v in rec.arrays.values())
    if out in ("sigmoid", "softmax"):
        assert ((a >= 0) & (a <= 1)).all()
    if out == "softmax":
        np.testing.assert_allclose(a.sum(axis=1), 1.0, rtol=1e-12)


def test_sigmoid_saturates_exactly():
    z = np.array([[-1000.0, -40.0, 0.0, 40.0, 1000.0]])
    with np.errstate(all="raise", under="ignore"):  # e^-1000 rounds to 0, correctly
        a = activations.sigmoid(z)
    assert a[0, 0] == 0.0 and a[0, -1] == 1.0 and a[0, 2] == 0.5
    assert 0 < a[0, 1] < 1e-17 and a[0, 3] == 1.0
    # Through a network: one linear layer feeding a sigmoid.
    net = Network.from_params([[[1.0]]], [[0.0]], "sigmoid", "sigmoid", "quadratic")
    with np.errstate(all="raise"):
        out = net.forward(np.array([[1000.0], [-1000.0]]))
    assert out[0, 0] == 1.0 and out[1, 0] == 0.0


def test_other_activations_at_plus_minus_1000():
    z = np.array([[-1000.0, 1000.0]])
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(activations.ACTIVATIONS["tanh"].value(z), [[-1.0, 1.0]])
        np.testing.assert_array_equal(activations.relu(z), [[0.0, 1000.0]])
        np.testing.assert_array_equal(activations.leaky_relu(z), [[-10.0, 1000.0]])
    with np.errstate(all="raise", under="ignore"):
        np.testing.assert_array_equal(activations.softmax(z), [[0.0, 1.0]])
        np.testing.assert_array_equal(activations.log_softmax(z), [[-2000.0, 0.0]])


def test_confident_wrong_softmax_has_a_large_finite_log_likelihood():
    # Identity layer: z = x.  z = (1000, −1000) but the target is class 1:
    # C = −ln softmax(z)_1 = 2000 + ln(1 + e^−2000) = 2000 to float64 precision.
    net = Network.from_params([np.eye(2)], [np.zeros(2)], "sigmoid", "softmax",
                              "log_likelihood")
    X, Y = np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]])
    with np.errstate(all="raise"):
        r = net.backprop(X, Y)
    assert r.loss == 2000.0
    np.testing.assert_array_equal(r.deltas[0], [[1.0, -1.0]])  # a − y, with a = (1, 0)


def test_confident_wrong_sigmoid_has_a_large_finite_cross_entropy():
    # C = −ln(1 − σ(1000)) = ln(1 + e^1000) = 1000 to float64 precision, for y = 0.
    net = Network.from_params([[[1.0]]], [[0.0]], "sigmoid", "sigmoid", "cross_entropy")
    with np.errstate(all="raise"):
        r = net.backprop(np.array([[1000.0], [-1000.0]]), np.array([[0.0], [1.0]]))
    np.testing.assert_array_equal(r.costs, [1000.0, 1000.0])
    np.testing.assert_array_equal(r.deltas[0], [[1.0], [-1.0]])


def test_gradcheck_raises_nothing_on_a_saturated_network():
    net = Network([2, 3, 1], "sigmoid", "sigmoid", "cross_entropy", init="normal", seed=0)
    with np.errstate(all="raise"):
        result = gradcheck(net, X_EXTREME, np.ones((5, 1)))
    assert all(math.isfinite(e) for e in result.errors)
