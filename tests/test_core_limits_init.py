"""Size limits, weight initialisation and the (activation, loss) pairs the engine accepts."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from bp_core import INITS, Network, activations, init, limits, losses

# --- limits ----------------------------------------------------------------------------
BAD_SIZES = {
    "zero neurons": [2, 0, 1],
    "negative neurons": [2, -1, 1],
    "negative input": [-2, 3, 1],
    "fractional size": [2, 2.5, 1],
    "float that is whole": [2, 3.0, 1],
    "string size": [2, "3", 1],
    "bool size": [2, True, 1],
    "None size": [2, None, 1],
    "one layer": [3],
    "no layers": [],
    "not a list": 3,
    "a string": "231",
    "huge": [100000, 100000, 10],
    "one layer too wide": [2, limits.MAX_NEURONS + 1, 1],
    "too many layers": [2] * (limits.MAX_LAYERS + 1),
    "too many parameters": [1024, 1024, 10],
}


@pytest.mark.parametrize("name", list(BAD_SIZES))
def test_check_sizes_refuses(name):
    with pytest.raises(ValueError):
        limits.check_sizes(BAD_SIZES[name])


@pytest.mark.parametrize("name", list(BAD_SIZES))
def test_network_refuses(name):
    with pytest.raises(ValueError):
        Network(BAD_SIZES[name])


@pytest.mark.parametrize("sizes,why", [([2, 0, 1], "at least 1 neuron"),
                                       ([2, 2.5, 1], "integer"), ([2, True, 1], "integer"),
                                       ([2, "3", 1], "integer"), ([3], "at least 2 layers"),
                                       ([100000, 100000, 10], "limit")])
def test_the_message_says_why(sizes, why):
    with pytest.raises(ValueError, match=why):
        Network(sizes)


def test_a_huge_network_is_refused_without_allocating():
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(ValueError):
            Network([100000, 100000, 10])
        with pytest.raises(ValueError):
            Network.from_params([np.zeros((2, 2))] * 11, [np.zeros(2)] * 11)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # a 100000 × 100000 float64 matrix would be 80 GB


def test_the_limits_themselves_are_allowed():
    assert limits.check_sizes([limits.MAX_NEURONS, 100, 2]) == [limits.MAX_NEURONS, 100, 2]
    assert limits.check_sizes([1] * limits.MAX_LAYERS) == [1] * limits.MAX_LAYERS
    assert limits.check_sizes(np.array([2, 3, 1])) == [2, 3, 1]
    assert all(type(n) is int for n in limits.check_sizes(np.array([2, 3, 1])))
    assert limits.check_sizes((2, 1)) == [2, 1]


def test_n_params_counts_weights_and_biases():
    assert limits.n_params([2, 3, 1]) == 2 * 3 + 3 + 3 * 1 + 1
    net = Network([4, 5, 3], seed=0)
    assert limits.n_params(net.sizes) == sum(w.size + b.size
                                             for w, b in zip(net.weights, net.biases, strict=True))


@pytest.mark.parametrize("seed", [1.5, "0", None, True, -1])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(ValueError):
        Network([2, 2, 1], seed=seed)


# --- init -------------------------------------------------------------------------------
@pytest.mark.parametrize("scheme", INITS)
def test_same_seed_same_network_different_seed_different(scheme):
    a = Network([3, 5, 4, 2], init=scheme, seed=7)
    b = Network([3, 5, 4, 2], init=scheme, seed=7)
    c = Network([3, 5, 4, 2], init=scheme, seed=8)
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert x.tobytes() == y.tobytes()
    for x, z in zip(a.weights, c.weights, strict=True):
        assert not np.array_equal(x, z)


EXPECTED_STD = {  # from the docstring of bp_core.init: N(0, variance)
    "normal": lambda n_in, n_out: 1.0,
    "scaled": lambda n_in, n_out: (1.0 / n_in) ** 0.5,
    "xavier": lambda n_in, n_out: (2.0 / (n_in + n_out)) ** 0.5,
    "he": lambda n_in, n_out: (2.0 / n_in) ** 0.5,
}


@pytest.mark.parametrize("scheme", INITS)
def test_weight_spread_matches_the_docstring(scheme):
    assert set(EXPECTED_STD) == set(INITS)
    n_in, n_out = 300, 500  # not square, so the four schemes all differ
    net = Network([n_in, n_out, 2], init=scheme, seed=0)
    W = net.weights[0]
    want = EXPECTED_STD[scheme](n_in, n_out)
    assert W.std() == pytest.approx(want, rel=0.05)
    assert abs(W.mean()) < 0.05 * want
    # Also directly from init.initialise, for a 500 × 500 layer (over the engine's limit).
    weights, biases = init.initialise([500, 500], scheme, seed=1)
    assert weights[0].shape == (500, 500) and biases[0].shape == (500,)
    assert weights[0].std() == pytest.approx(EXPECTED_STD[scheme](500, 500), rel=0.05)


@pytest.mark.parametrize("scheme", ["xavier", "he"])
def test_xavier_and_he_biases_are_zero(scheme):
    net = Network([4, 6, 3], init=scheme, seed=3)
    for b in net.biases:
        assert b.dtype == np.float64
        np.testing.assert_array_equal(b, 0.0)


@pytest.mark.parametrize("scheme", ["normal", "scaled"])
def test_normal_and_scaled_biases_are_standard_normal(scheme):
    net = Network([2, 1000, 1], init=scheme, seed=3)
    assert net.biases[0].std() == pytest.approx(1.0, rel=0.1)


def test_draw_order_is_the_documented_one():
    """default_rng(seed), layer by layer, W before b: Nielsen's network2 can be reproduced."""
    net = Network([3, 4, 2], init="scaled", seed=11)
    rng = np.random.default_rng(11)
    W0 = rng.normal(0.0, 1 / np.sqrt(3), size=(4, 3))
    b0 = rng.normal(0.0, 1.0, size=4)
    W1 = rng.normal(0.0, 1 / np.sqrt(4), size=(2, 4))
    b1 = rng.normal(0.0, 1.0, size=2)
    for got, want in zip(net.weights + net.biases, [W0, W1, b0, b1], strict=True):
        np.testing.assert_array_equal(got, want)


def test_unknown_init_is_refused():
    with pytest.raises(ValueError, match="unknown init 'zeros'.*normal, scaled, xavier, he"):
        Network([2, 2, 1], init="zeros")


# --- which pairs are valid ----------------------------------------------------------------
@pytest.mark.parametrize("out,loss,why", [
    ("softmax", "cross_entropy", "output_activation='sigmoid'"),
    ("tanh", "cross_entropy", "output_activation='sigmoid'"),
    ("linear", "cross_entropy", "in \\(0, 1\\)"),
    ("relu", "cross_entropy", "only for a sigmoid output"),
    ("sigmoid", "log_likelihood", "output_activation='softmax'"),
    ("tanh", "log_likelihood", "probability distribution"),
])
def test_invalid_pairs_say_why(out, loss, why):
    with pytest.raises(ValueError, match=why) as err:
        Network([2, 3, 2], "tanh", out, loss)
    assert f"{loss!r} does not pair with output activation {out!r}" in str(err.value)
    with pytest.raises(ValueError, match=why):
        losses.check_pair(out, loss)


def test_softmax_cannot_be_hidden():
    with pytest.raises(ValueError, match="'softmax' can only be an output activation"):
        Network([2, 3, 2], "softmax", "softmax", "log_likelihood")
    assert "softmax" not in activations.HIDDEN_ACTIVATIONS
    assert "softmax" in activations.OUTPUT_ACTIVATIONS


@pytest.mark.parametrize("kwargs,why", [
    (dict(activation="swish"), "unknown activation 'swish'; choose one of sigmoid, tanh"),
    (dict(output_activation="gelu"), "unknown activation 'gelu'"),
    (dict(loss="hinge"), "unknown loss 'hinge'; choose one of quadratic, cross_entropy"),
    (dict(activation=None), "unknown activation None"),
    (dict(loss=["quadratic"]), "unknown loss"),
])
def test_unknown_names_are_refused(kwargs, why):
    with pytest.raises(ValueError, match=why.replace("(", "\\(")):
        Network([2, 3, 1], **kwargs)


def test_the_registries_agree_with_the_valid_pairs():
    valid = {(out, loss) for out in activations.OUTPUT_ACTIVATIONS
             for loss in losses.valid_losses(out)}
    assert valid == {("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
                     ("leaky_relu", "quadratic"), ("linear", "quadratic"),
                     ("softmax", "quadratic"), ("sigmoid", "cross_entropy"),
                     ("softmax", "log_likelihood")}
    for loss in losses.LOSSES:
        for out in losses.valid_outputs(loss):
            assert (out, loss) in valid
    assert activations.HIDDEN_ACTIVATIONS == ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
