"""A hostile-input suite against bp_core directly.

Each test feeds the engine's public API a value an attacker of the hosted demo (or a
confused learner) could send: bools standing in for numbers, numbers written as text,
complex weights, dicts as layer sizes, duplicate JSON keys, targets that are no
probability distribution.  The engine must refuse each with a ValueError that says
what was wrong, and must go on computing the right thing for honest input.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bp_core import Network, Stepper, activations, datasets, limits, train

# --- limits.check_real / check_int / check_bool ---------------------------------------
NOT_REAL = {"bool True": True, "bool False": False, "numpy bool": np.True_, "text": "0.5",
            "bytes": b"0.5", "complex": 0.5 + 0j, "None": None, "NaN": float("nan"),
            "inf": float("inf"), "-inf": -float("inf"), "numpy NaN": np.float64("nan"),
            "list": [0.5], "0-d array": np.array(0.5), "int beyond float64": 10**400}


@pytest.mark.parametrize("name", list(NOT_REAL))
def test_check_real_refuses_what_is_not_a_finite_real(name):
    with pytest.raises(ValueError, match="^rate must be a finite number, got "):
        limits.check_real(NOT_REAL[name], "rate")


@pytest.mark.parametrize("value,expected", [(0.5, 0.5), (3, 3.0), (np.float32(0.25), 0.25),
                                            (np.int64(-7), -7.0), (np.float64(1e-300), 1e-300)])
def test_check_real_accepts_python_and_numpy_numbers_as_float(value, expected):
    got = limits.check_real(value, "rate")
    assert type(got) is float and got == expected


def test_check_real_bounds():
    assert limits.check_real(0.0, "l2", lo=0) == 0.0
    assert limits.check_real(1.0, "l2", lo=0, hi=1) == 1.0
    with pytest.raises(ValueError, match="^learning_rate must be a positive finite number, "
                                         "got 0.0$"):
        limits.check_real(0.0, "learning_rate", lo=0, lo_open=True)
    with pytest.raises(ValueError, match="^l2 must be a finite number ≥ 0, got -1e-12$"):
        limits.check_real(-1e-12, "l2", lo=0)
    with pytest.raises(ValueError, match=r"^x must be a finite number in \(0, 1\], got 1.5$"):
        limits.check_real(1.5, "x", lo=0, hi=1, lo_open=True)


def test_check_real_message_quotes_text():
    with pytest.raises(ValueError) as err:
        limits.check_real("0.5", "learning_rate", lo=0, lo_open=True)
    assert str(err.value) == "learning_rate must be a positive finite number, got '0.5'"


def test_a_huge_hostile_value_gives_a_short_message():
    for value in (10**5000, "9" * 100_000):
        with pytest.raises(ValueError) as err:
            limits.check_real(value, "x")
        assert len(str(err.value)) < 100


@pytest.mark.parametrize("value", [2.5, 2.0, True, False, "2", None, 2 + 0j, np.float64(3),
                                   float("nan")])
def test_check_int_refuses_what_is_not_an_integer(value):
    with pytest.raises(ValueError, match="^epochs must be a whole number ≥ 0, got "):
        limits.check_int(value, "epochs", lo=0)


def test_check_int_message_and_bounds():
    with pytest.raises(ValueError) as err:
        limits.check_int(2.5, "epochs", lo=0)
    assert str(err.value) == "epochs must be a whole number ≥ 0, got 2.5"
    with pytest.raises(ValueError, match="^n must be a whole number from 2 to 9, got 10$"):
        limits.check_int(10, "n", 2, 9)
    for value in (np.int8(9), np.uint64(2), 9):
        got = limits.check_int(value, "n", 2, 9)
        assert type(got) is int and got == int(value)


@pytest.mark.parametrize("value", [1, 0, "True", None, 1.0])
def test_check_bool_refuses_what_is_not_a_bool(value):
    with pytest.raises(ValueError, match="^flag must be True or False, got "):
        limits.check_bool(value, "flag")


def test_check_bool_accepts_python_and_numpy_bools():
    assert limits.check_bool(np.False_, "flag") is False
    assert limits.check_bool(True, "flag") is True


# --- limits.check_sizes ---------------------------------------------------------------
NOT_A_LIST = {"dict": {2: "a", 3: "b"}, "set": {2, 3, 1}, "frozenset": frozenset({2, 3}),
              "generator": (n for n in [2, 3, 1]), "string": "231", "bytes": b"\x02\x03",
              "range": range(2, 4), "2-D array": np.array([[2, 3, 1]]), "int": 3,
              "None": None}


@pytest.mark.parametrize("name", list(NOT_A_LIST))
def test_check_sizes_refuses_what_is_not_a_list(name):
    with pytest.raises(ValueError, match="^sizes must be a list of layer sizes"):
        limits.check_sizes(NOT_A_LIST[name])


@pytest.mark.parametrize("sizes", [[2, 3, 1], (2, 3, 1), np.array([2, 3, 1]),
                                   np.array([2, 3, 1], dtype=np.uint16)])
def test_check_sizes_accepts_lists_tuples_and_integer_vectors(sizes):
    got = limits.check_sizes(sizes)
    assert got == [2, 3, 1] and all(type(n) is int for n in got)


def test_check_sizes_refuses_a_vector_of_floats():
    with pytest.raises(ValueError, match="layer 0 size must be an integer"):
        limits.check_sizes(np.array([2.0, 3.0, 1.0]))


@pytest.mark.parametrize("sizes", [{2: "a", 3: "b"}, {2, 3, 1}, (n for n in (2, 3, 1))])
def test_network_refuses_sizes_that_are_not_a_list(sizes):
    with pytest.raises(ValueError, match="^sizes must be a list of layer sizes"):
        Network(sizes)


# --- Network: seed ----------------------------------------------------------------------
@pytest.mark.parametrize("seed", [True, 1.0, "1", None, -1, 2 + 0j])
def test_network_refuses_a_seed_that_is_not_a_whole_number(seed):
    with pytest.raises(ValueError, match="^seed must be a whole number ≥ 0, got "):
        Network([2, 3, 1], seed=seed)


def test_a_numpy_integer_seed_draws_the_documented_weights():
    # init.py: "normal" draws W then b, layer by layer, from default_rng(seed), N(0, 1).
    rng = np.random.default_rng(7)
    expected = [rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(1, 3)),
                rng.normal(size=1)]
    net = Network([2, 3, 1], init="normal", seed=np.int64(7))
    got = [net.weights[0], net.biases[0], net.weights[1], net.biases[1]]
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


# --- Network.from_params: only integer or float arrays ----------------------------------
W0, B0, W1, B1 = [[1.0, 2.0]], [0.5], [[3.0], [4.0]], [0.0, -1.0]
NOT_REAL_ARRAYS = {"complex": np.array([[1.0 + 2j, 2.0]]), "text": [["1.5", "2"]],
                   "bool": np.array([[True, False]]), "object": np.array([[1.0, None]]),
                   "int beyond float64": [[10**400, 1]], "ragged": [[1.0, 2.0], [3.0]]}


@pytest.mark.parametrize("name", list(NOT_REAL_ARRAYS))
def test_from_params_refuses_weights_that_are_not_real_numbers(name):
    with pytest.raises(ValueError, match=r"^weights\[0\] must "):
        Network.from_params([NOT_REAL_ARRAYS[name], W1], [B0, B1])


def test_from_params_names_the_layer_of_a_bad_bias():
    with pytest.raises(ValueError, match=r"^biases\[1\] must hold integers or floats, got an "
                                         r"array of dtype complex128"):
        Network.from_params([W0, W1], [B0, np.array([0.0, 1j])])
    with pytest.raises(ValueError, match=r"^biases\[0\] must hold integers or floats"):
        Network.from_params([W0, W1], [["0.5"], B1])


def test_from_params_accepts_integer_and_float_arrays_as_float64():
    net = Network.from_params([np.array([[1, 2]], dtype=np.int8), np.float32(W1)],
                              [np.array([0.5], dtype=np.float16), B1], "sigmoid", "linear")
    assert [w.dtype for w in net.weights + net.biases] == [np.float64] * 4
    np.testing.assert_array_equal(net.weights[0], [[1.0, 2.0]])
    np.testing.assert_array_equal(net.weights[1], [[3.0], [4.0]])
    np.testing.assert_array_equal(net.biases[0], [0.5])
    # a1 = σ(1·1 + 2·0 + 0.5) = σ(1.5); the linear output is (3, 4)·a1 + (0, −1).
    a1 = 1.0 / (1.0 + np.exp(-1.5))
    np.testing.assert_allclose(net.forward([[1.0, 0.0]]), [[3 * a1, 4 * a1 - 1]], rtol=1e-15)


# --- learning_rate, l2 and update_biases: Network and Stepper ---------------------------
BAD_LEARNING_RATES = ["0.5", True, 0.0, -0.5, float("nan"), float("inf"), None, 0.5j]
BAD_L2 = ["0.1", True, -0.1, float("nan"), float("inf"), None]
BAD_FLAGS = [1, 0, "yes", None, "False"]


@pytest.fixture
def mazur():
    return datasets.mazur_network(), datasets.mazur()


@pytest.mark.parametrize("lr", BAD_LEARNING_RATES)
def test_sgd_step_refuses_a_bad_learning_rate_and_changes_nothing(mazur, lr):
    net, data = mazur
    with pytest.raises(ValueError, match="^learning_rate must be a positive finite number"):
        net.sgd_step(data.X, data.Y, lr)
    np.testing.assert_array_equal(net.weights[0], datasets.MAZUR_WEIGHTS[0])
    np.testing.assert_array_equal(net.biases[1], datasets.MAZUR_BIASES[1])


@pytest.mark.parametrize("l2", BAD_L2)
def test_sgd_step_backprop_and_loss_refuse_a_bad_l2(mazur, l2):
    net, data = mazur
    for call in (lambda: net.sgd_step(data.X, data.Y, 0.5, l2),
                 lambda: net.backprop(data.X, data.Y, l2=l2),
                 lambda: net.loss(data.X, data.Y, l2=l2)):
        with pytest.raises(ValueError, match="^l2 must be a finite number ≥ 0"):
            call()
    np.testing.assert_array_equal(net.weights[1], datasets.MAZUR_WEIGHTS[1])


@pytest.mark.parametrize("flag", BAD_FLAGS)
def test_sgd_step_refuses_an_update_biases_that_is_not_a_bool(mazur, flag):
    net, data = mazur
    with pytest.raises(ValueError, match="^update_biases must be True or False"):
        net.sgd_step(data.X, data.Y, 0.5, update_biases=flag)
    np.testing.assert_array_equal(net.weights[1], datasets.MAZUR_WEIGHTS[1])


# Mazur's published weights after one step with η = 0.5, biases not updated
# (w5 and w1; tests/test_core_mazur.py checks all eight).
W5_AFTER, W1_AFTER = 0.35891648, 0.149780716


def test_numpy_numbers_are_accepted_as_learning_rate_and_l2(mazur):
    net, data = mazur
    net.sgd_step(data.X, data.Y, np.float32(0.5), l2=np.int64(0), update_biases=np.False_)
    assert abs(net.weights[1][0, 0] - W5_AFTER) <= 5e-9
    assert abs(net.weights[0][0, 0] - W1_AFTER) <= 5e-10


@pytest.mark.parametrize("lr", BAD_LEARNING_RATES)
def test_stepper_refuses_a_bad_learning_rate(mazur, lr):
    net, data = mazur
    with pytest.raises(ValueError, match="^learning_rate must be a positive finite number"):
        Stepper(net, data.X, data.Y, lr)


@pytest.mark.parametrize("l2", BAD_L2)
def test_stepper_refuses_a_bad_l2(mazur, l2):
    net, data = mazur
    with pytest.raises(ValueError, match="^l2 must be a finite number ≥ 0"):
        Stepper(net, data.X, data.Y, 0.5, l2=l2)


@pytest.mark.parametrize("flag", BAD_FLAGS)
def test_stepper_refuses_an_update_biases_that_is_not_a_bool(mazur, flag):
    net, data = mazur
    with pytest.raises(ValueError, match="^update_biases must be True or False"):
        Stepper(net, data.X, data.Y, 0.5, update_biases=flag)


def test_stepper_setters_validate_then_set(mazur):
    net, data = mazur
    stepper = Stepper(net, data.X, data.Y, 0.1)
    for lr in BAD_LEARNING_RATES:
        with pytest.raises(ValueError, match="^learning_rate must be a positive finite"):
            stepper.set_learning_rate(lr)
    for flag in BAD_FLAGS:
        with pytest.raises(ValueError, match="^update_biases must be True or False"):
            stepper.set_update_biases(flag)
    assert stepper.learning_rate == 0.1 and stepper.update_biases is True  # kept when refused
    stepper.set_learning_rate(0.5)
    stepper.set_update_biases(False)
    assert stepper.learning_rate == 0.5 and stepper.update_biases is False
    stepper.run()
    # The update used the new settings: the post's weights, and its biases left alone.
    assert abs(net.weights[1][0, 0] - W5_AFTER) <= 5e-9
    assert abs(net.weights[0][0, 0] - W1_AFTER) <= 5e-10
    np.testing.assert_array_equal(net.biases[0], datasets.MAZUR_BIASES[0])
    np.testing.assert_array_equal(net.biases[1], datasets.MAZUR_BIASES[1])


# --- datasets: n and noise are honoured or refused ---------------------------------------
@pytest.mark.parametrize("name,kwargs", [("digits", dict(n=200, noise=0.1)),
                                         ("digits", dict(noise=0.05)),
                                         ("digits", dict(n=1)), ("digits", dict(n=1798)),
                                         ("digits", dict(n=200.0)),
                                         ("mazur", dict(n=50, noise=0.3)),
                                         ("mazur", dict(n=200)), ("mazur", dict(noise=0.05)),
                                         ("mazur", dict(n=True)), ("mazur", dict(n=1.0))])
def test_load_refuses_what_a_fixed_set_cannot_honour(name, kwargs):
    with pytest.raises(ValueError, match=r"\b(n|noise)\b.* must be "):
        datasets.load(name, **kwargs)


@pytest.mark.parametrize("kwargs", [dict(n=2), dict(n=0), dict(noise=0.3), dict(noise=True)])
def test_mazur_called_directly_refuses_n_and_noise(kwargs):
    with pytest.raises(ValueError):
        datasets.mazur(**kwargs)


@pytest.mark.parametrize("kwargs", [{}, dict(n=1), dict(noise=0), dict(n=1, noise=0.0),
                                    dict(n=None, noise=None)])
def test_mazur_accepts_its_own_n_and_noise(kwargs):
    for data in (datasets.mazur(**kwargs), datasets.load("mazur", **kwargs)):
        np.testing.assert_array_equal(data.X, [[0.05, 0.10]])  # the post's one example
        np.testing.assert_array_equal(data.Y, [[0.01, 0.99]])


def test_load_digits_honours_n_as_a_subset_of_the_real_images():
    from sklearn.datasets import load_digits

    raw = load_digits()
    data = datasets.load("digits", n=200, noise=0, seed=4)
    assert data.X.shape == (200, 64) and data.Y.shape == (200, 10)
    # Every row is one of scikit-learn's images (/16) with its own one-hot label.
    rows = {row.tobytes(): label for row, label in zip(raw.data / 16.0, raw.target)}
    for x, y in zip(data.X, data.Y):
        label = rows[x.tobytes()]
        np.testing.assert_array_equal(y, np.eye(10)[label])
    assert len(datasets.load("digits")) == 1797


def test_generated_lists_the_sets_that_take_n_and_noise():
    assert datasets.GENERATED == ["xor", "circle", "gaussian", "spiral", "moons", "sine"]
    for name in datasets.GENERATED:
        assert len(datasets.load(name)) == 200  # None means the generator's default
        assert len(datasets.load(name, n=37, noise=0.3)) == 37


def test_load_passes_noise_to_the_generator():
    # sine: y = sin(πx) exactly without noise, and off it with noise.
    quiet, noisy = datasets.load("sine", n=50), datasets.load("sine", n=50, noise=0.5)
    np.testing.assert_allclose(quiet.Y[:, 0], np.sin(np.pi * quiet.X[:, 0]), atol=1e-15)
    assert np.abs(noisy.Y[:, 0] - np.sin(np.pi * noisy.X[:, 0])).max() > 0.1


# --- JSON: a key given twice ------------------------------------------------------------
def test_from_json_refuses_a_duplicate_top_level_key():
    text = Network([2, 2, 1], seed=0).to_json()
    assert Network.from_json(text).sizes == [2, 2, 1]  # the text without the duplicate loads
    # The second "weights" would silently win: refuse, whichever comes first.
    doubled = text.replace('"weights": ', '"weights": [[[0, 0], [0, 0]], [[0, 0]]], '
                                          '"weights": ', 1)
    assert doubled != text
    with pytest.raises(ValueError) as err:
        Network.from_json(doubled)
    assert str(err.value) == "network JSON has a duplicate key 'weights'"


def test_from_json_refuses_a_duplicate_key_in_a_nested_object():
    text = Network([2, 2, 1], seed=0).to_json()
    nested = text.replace('"sizes": [2, 2, 1]', '"sizes": {"a": 1, "a": 2}', 1)
    assert nested != text
    with pytest.raises(ValueError, match="^network JSON has a duplicate key 'a'$"):
        Network.from_json(nested)


# --- softmax over one output; log_likelihood targets that are no distribution ----------
def test_the_registry_says_softmax_needs_two_outputs():
    assert activations.ACTIVATIONS["softmax"].min_outputs == 2
    assert all(act.min_outputs == 1 for name, act in activations.ACTIVATIONS.items()
               if name != "softmax")


@pytest.mark.parametrize("loss", ["quadratic", "log_likelihood"])
def test_a_softmax_over_one_output_is_refused_everywhere(loss):
    why = "^softmax needs at least 2 outputs: over one output it is always 1"
    with pytest.raises(ValueError, match=why):  # the attack's network, exactly
        Network([2, 3, 1], activation="tanh", output_activation="softmax", loss=loss, seed=0)
    with pytest.raises(ValueError, match=why):
        Network.from_params([[[1.0, 2.0]]], [[0.0]], "sigmoid", "softmax", loss)
    text = Network([2, 3, 1], "tanh", "sigmoid", "quadratic", seed=0).to_json()
    text = text.replace('"output_activation": "sigmoid"', '"output_activation": "softmax"')
    text = text.replace('"loss": "quadratic"', f'"loss": "{loss}"')
    with pytest.raises(ValueError, match=why):
        Network.from_json(text)
    Network([2, 3, 1], "tanh", "sigmoid", loss="quadratic")  # one output is fine otherwise


def softmax_net():
    return Network([2, 3, 2], activation="tanh", output_activation="softmax",
                   loss="log_likelihood", seed=0)


X2 = np.array([[0.0, 1.0], [1.0, 0.0]])
NOT_DISTRIBUTIONS = {
    "rows summing to 0 and 2": (np.array([[0.0, 0.0], [1.0, 1.0]]), "row 0 sums to 0$"),
    "a row summing to 0.5": (np.array([[1.0, 0.0], [0.5, 0.0]]), "row 1 sums to 0.5$"),
    "a negative entry": (np.array([[0.0, 1.0], [1.5, -0.5]]), "row 1 has a negative entry$"),
    "just over the tolerance": (np.array([[0.3, 0.7 + 2e-9], [0.0, 1.0]]), "row 0 sums to"),
    "NaN": (np.array([[0.0, 1.0], [np.nan, 0.0]]), "row 1 sums to nan$"),
}
DISTRIBUTION_WORDS = ("^log_likelihood needs each target row to be a probability distribution "
                      r"\(entries ≥ 0 summing to 1\), such as a one-hot label; ")


@pytest.mark.parametrize("name", list(NOT_DISTRIBUTIONS))
def test_log_likelihood_refuses_targets_that_are_not_distributions(name):
    Y, where = NOT_DISTRIBUTIONS[name]
    net = softmax_net()
    before = [w.copy() for w in net.weights]
    calls = {"backprop": lambda: net.backprop(X2, Y), "loss": lambda: net.loss(X2, Y),
             "sgd_step": lambda: net.sgd_step(X2, Y, 0.5),
             "Stepper": lambda: Stepper(net, X2, Y, 0.5),
             "train": lambda: train(net, datasets.Dataset("bad", X2, Y, "multiclass"),
                                    epochs=1, batch_size=2, learning_rate=0.5)}
    for call in calls.values():
        with pytest.raises(ValueError, match=DISTRIBUTION_WORDS + where):
            call()
    for w, w0 in zip(net.weights, before):
        np.testing.assert_array_equal(w, w0)


def test_log_likelihood_accepts_distributions_within_the_tolerance():
    net = softmax_net()
    Y = np.array([[0.3, 0.7 + 5e-10], [0.0, 1.0]])
    assert np.isfinite(net.loss(X2, Y))
    Stepper(net, X2, Y, 0.5).run()


def test_quadratic_over_softmax_takes_any_targets():
    net = Network([2, 3, 2], "tanh", "softmax", "quadratic", seed=0)
    assert net.loss(X2, [[0.0, 0.0], [1.0, 1.0]]) > 0


# The reference: C computed here from its definition, with an own forward pass, and its
# gradient by centred differences (PyTorch is not installed in the project's venv).
H = 1e-6


def reference_cost(weights, biases, X, Y) -> float:
    """Mean over the batch of −Σ_j y_j ln softmax(z)_j, tanh hidden layers."""
    a = X
    for l, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W.T + b
        a = np.tanh(z) if l < len(weights) - 1 else None
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(np.mean(-(Y * log_p).sum(axis=1)))


def centred_differences(weights, biases, X, Y):
    params = [w.copy() for w in weights] + [b.copy() for b in biases]
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + H
            up = reference_cost(params[:len(weights)], params[len(weights):], X, Y)
            p[index] = saved - H
            down = reference_cost(params[:len(weights)], params[len(weights):], X, Y)
            p[index] = saved
            g[index] = (up - down) / (2 * H)
        grads.append(g)
    return grads[:len(weights)], grads[len(weights):]


def targets(kind: str, rng, n: int, k: int):
    if kind == "one-hot":
        return np.eye(k)[rng.integers(0, k, n)]
    return rng.dirichlet(np.ones(k), size=n)  # soft labels: rows ≥ 0 summing to 1


@pytest.mark.parametrize("kind", ["one-hot", "soft"])
@pytest.mark.parametrize("seed", range(3))
def test_log_likelihood_gradient_matches_centred_differences(kind, seed):
    rng = np.random.default_rng(seed)
    net = Network([3, 4, 3], "tanh", "softmax", "log_likelihood", init="normal", seed=seed)
    X, Y = rng.normal(size=(5, 3)), targets(kind, rng, 5, 3)
    r = net.backprop(X, Y)
    assert r.loss == pytest.approx(reference_cost(net.weights, net.biases, X, Y), rel=1e-13)
    num_w, num_b = centred_differences(net.weights, net.biases, X, Y)
    for l in range(net.num_layers):
        # The differences carry a rounding error of about ε·C/h ≈ 1e-10: hence the atol.
        np.testing.assert_allclose(r.grad_w[l], num_w[l], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(r.grad_b[l], num_b[l], rtol=1e-6, atol=1e-9)


def test_without_the_refusal_the_gradient_would_be_wrong(monkeypatch):
    # Why the rule exists, and proof that the comparison above can fail: with the target
    # check switched off, δ = a − y disagrees with the true gradient for rows not summing
    # to 1 (∂C/∂z_k = a_k·Σ_j y_j − y_k).
    net = softmax_net()
    monkeypatch.setattr(net, "_loss", dataclasses.replace(net._loss, check_targets=None))
    Y = np.array([[0.0, 0.0], [1.0, 1.0]])
    r = net.backprop(X2, Y)
    _, num_b = centred_differences(net.weights, net.biases, X2, Y)
    assert not np.allclose(r.grad_b[-1], num_b[-1], rtol=1e-6, atol=1e-9)
