"""The pieces issue 10 split out of the engine: phases, batch, serialise, and records
that describe themselves.

References are written here and share no code with bp_core: explicit sums over
examples for BP3/BP4, the textbook W − η·grad_w for the update, and the per-example
quadratic cost ½‖a − y‖².
"""

from __future__ import annotations

import numpy as np
import pytest

from bp_core import Network, Stepper, batch, phases, serialise
from bp_core.datasets import Dataset
from bp_core.stepper import LayerUpdate, PhaseRecord
from bp_core.train import evaluate, train


def small_net(hidden="tanh", out="softmax", loss="log_likelihood", seed=4) -> Network:
    return Network([3, 4, 5, 2], hidden, out, loss, seed=seed)


def batch_for(net: Network, n: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, net.sizes[0]))
    Y = np.eye(net.sizes[-1])[rng.integers(0, net.sizes[-1], n)]
    return X, Y


# --- phases: each function against a reference written here ----------------------------
def test_gradients_are_the_mean_of_per_example_outer_products():
    rng = np.random.default_rng(1)
    delta, a_prev, W = rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=(3, 4))
    grad_w, grad_b = phases.gradients(delta, a_prev, W, l2=0.25)
    ref_w = sum(np.outer(delta[i], a_prev[i]) for i in range(5)) / 5 + 0.25 * W
    ref_b = sum(delta[i] for i in range(5)) / 5
    np.testing.assert_allclose(grad_w, ref_w, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(grad_b, ref_b, rtol=1e-13, atol=1e-15)
    assert grad_w.shape == (3, 4) and grad_b.shape == (3,)


def test_update_in_place_and_not_give_the_textbook_floats():
    rng = np.random.default_rng(2)
    W, b, gw, gb = (rng.normal(size=s) for s in [(3, 4), (3,), (3, 4), (3,)])
    textbook_w, textbook_b = W - 0.3 * gw, b - 0.3 * gb
    W_new, b_new, step_w, step_b = phases.update_layer(W, b, gw, gb, 0.3)
    assert W_new.tobytes() == textbook_w.tobytes() and b_new.tobytes() == textbook_b.tobytes()
    assert step_w.tobytes() == (-0.3 * gw).tobytes()
    W_in, b_in = W.copy(), b.copy()
    out_w, out_b, _, _ = phases.update_layer(W_in, b_in, gw, gb, 0.3, in_place=True)
    assert out_w is W_in and out_b is b_in
    assert W_in.tobytes() == textbook_w.tobytes() and b_in.tobytes() == textbook_b.tobytes()
    # Biases left alone: b_after equals b, and there is no step.
    _, b_kept, _, no_step = phases.update_layer(W, b, gw, gb, 0.3, update_biases=False)
    assert no_step is None and b_kept.tobytes() == b.tobytes() and b_kept is not b


def test_forward_layer_and_hidden_delta_follow_the_equations():
    rng = np.random.default_rng(3)
    net = small_net()
    a_prev = rng.normal(size=(4, 3))
    z, a = phases.forward_layer(net.weights[0], net.biases[0], net.f(0), a_prev)
    ref_z = np.array([[sum(a_prev[i, k] * net.weights[0][j, k] for k in range(3))
                       + net.biases[0][j] for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(z, ref_z, rtol=1e-13)
    np.testing.assert_allclose(a, np.tanh(ref_z), rtol=1e-13)
    delta_next, fprime = rng.normal(size=(4, 5)), rng.normal(size=(4, 4))
    ref = np.array([[sum(delta_next[i, m] * net.weights[1][m, j] for m in range(5)) * fprime[i, j]
                     for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(phases.hidden_delta(net.weights[1], delta_next, fprime), ref,
                               rtol=1e-12)


# --- BackpropResult: costs and loss are read when asked, from before the update ---------
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_sgd_step_result_reports_the_loss_before_its_update(l2):
    net = Network([3, 4, 2], "sigmoid", "sigmoid", "quadratic", seed=5)
    X, Y = batch_for(net)
    before = net.copy()
    a = before.forward(X)
    ref_costs = 0.5 * ((a - Y) ** 2).sum(axis=1)
    ref_loss = ref_costs.mean() + 0.5 * l2 * sum((w ** 2).sum() for w in before.weights)
    r = net.sgd_step(X, Y, 0.5, l2)  # the weights change here; the result must not
    assert not np.array_equal(net.weights[0], before.weights[0])
    np.testing.assert_allclose(r.costs, ref_costs, rtol=1e-13)
    assert r.loss == pytest.approx(ref_loss, rel=1e-13)
    assert r.loss == before.loss(X, Y, l2)


# --- one batch check ----------------------------------------------------------------------
def test_check_batch_is_the_one_used_everywhere():
    net = small_net()
    X, Y = batch_for(net)
    X2, Y2 = batch.check_batch(X, Y, 3, 2)
    assert X2 is X and Y2 is Y  # float64 input is not copied
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\)"):
        batch.check_batch(X[:, :2], Y, 3, 2)
    with pytest.raises(ValueError, match="X has 6 examples but Y has 5"):
        batch.check_batch(X, Y[:5], 3, 2)
    with pytest.raises(ValueError, match="Y holds no examples"):
        batch.check_batch(X, Y[:0], 3, 2)
    bad = Y.copy()
    bad[0] = [0.7, 0.7]  # not a distribution: log_likelihood refuses it, whoever asks
    for call in (lambda: net.batch(X, bad), lambda: net.backprop(X, bad),
                 lambda: net.sgd_step(X, bad, 0.1), lambda: Stepper(net, X, bad, 0.1),
                 lambda: train(net, Dataset("d", X, bad, "multiclass"), 1, 2, 0.1)):
        with pytest.raises(ValueError, match="row 0 sums to 1.4"):
            call()


def test_train_checks_its_data_before_the_first_epoch():
    net = Network([2, 3, 1], seed=0)
    before = [w.copy() for w in net.weights]
    data = Dataset("d", np.zeros((4, 2)), np.zeros((4, 2)), "regression")  # Y too wide
    with pytest.raises(ValueError, match=r"Y must have shape \(n, 1\)"):
        train(net, data, 3, 2, 0.1)
    assert all(np.array_equal(w, v) for w, v in zip(net.weights, before, strict=True))
    with pytest.raises(ValueError, match="^l2 must be"):
        evaluate(net, Dataset("d", np.zeros((4, 2)), np.zeros((4, 1)), "regression"), l2=-1)


# --- serialise ----------------------------------------------------------------------------
def test_serialise_module_and_network_methods_agree():
    net = small_net()
    text = serialise.to_json(net)
    assert text == net.to_json()
    back = serialise.from_json(text)
    assert isinstance(back, Network) and back.to_json() == text

    class Subclass(Network):
        pass
    assert type(Subclass.from_json(text)) is Subclass


# --- records that describe themselves -------------------------------------------------------
def test_each_record_names_its_settings():
    net = small_net()
    X, Y = batch_for(net)
    stepper = Stepper(net, X, Y, 0.5, l2=0.1, update_biases=False)
    records = stepper.run()
    expected_activation = {"F0": "tanh", "F1": "tanh", "F2": "softmax", "Loss": "softmax",
                           "B2": "softmax", "B1": "tanh", "B0": "tanh", "Update": None}
    for rec in records:
        assert rec.activation == expected_activation[rec.label], rec.label
        assert (rec.hidden_activation, rec.output_activation, rec.loss_name) == \
            ("tanh", "softmax", "log_likelihood")
        assert (rec.learning_rate, rec.l2, rec.update_biases) == (0.5, 0.1, False)
        assert rec.sizes == (3, 4, 5, 2) and rec.num_layers == 3
        assert rec.delta_is_a_minus_y is True
        assert rec.prev_activation == (None if rec.layer in (None, 0) else "tanh")
        assert rec.updates == () or rec.kind == "update"


def test_update_record_lists_each_layer():
    net = small_net("relu", "sigmoid", "quadratic")
    X, Y = np.random.default_rng(0).normal(size=(4, 3)), np.full((4, 2), 0.5)
    stepper = Stepper(net, X, Y, 0.25, update_biases=False)
    update = stepper.run()[-1]
    assert update.kind == "update" and update.delta_is_a_minus_y is False
    assert [u.layer for u in update.updates] == [0, 1, 2]
    for u in update.updates:
        assert isinstance(u, LayerUpdate)
        l = u.layer
        for field, key in [("W_before", "W_before"), ("b_before", "b_before"),
                           ("grad_w", "grad_w"), ("grad_b", "grad_b"), ("step_w", "update_w"),
                           ("step_b", "update_b"), ("W_after", "W_after"),
                           ("b_after", "b_after")]:
            assert getattr(u, field) is update.arrays[f"{key}{l}"]  # the same arrays
            assert not getattr(u, field).flags.writeable
        assert u.W_after.tobytes() == (u.W_before - 0.25 * u.grad_w).tobytes()
        assert u.W_after.tobytes() == net.weights[l].tobytes()
        assert u.b_after.tobytes() == u.b_before.tobytes() and not u.step_b.any()


def test_a_record_keeps_the_learning_rate_it_ran_with():
    net = small_net()
    X, Y = batch_for(net)
    stepper = Stepper(net, X, Y, 0.5)
    first = stepper.step()
    stepper.learning_rate = 0.05
    rest = stepper.run()
    assert first.learning_rate == 0.5 and rest[-1].learning_rate == 0.05
    assert float(rest[-1].arrays["learning_rate"]) == 0.05


def test_a_record_built_by_hand_still_works():
    rec = PhaseRecord("backward", 1, 0, {"delta": np.zeros((1, 2))})
    assert rec.label == "B1" and rec.activation is None and rec.learning_rate is None
    assert rec.updates == () and rec.delta_is_a_minus_y is None


# --- settings that validate, however they are set -----------------------------------------
@pytest.mark.parametrize("name,bad", [("learning_rate", 0), ("learning_rate", float("nan")),
                                      ("learning_rate", "0.5"), ("update_biases", 1),
                                      ("update_biases", None), ("l2", -0.1), ("l2", True)])
def test_attribute_style_settings_are_validated(name, bad):
    net = small_net()
    X, Y = batch_for(net)
    stepper = Stepper(net, X, Y, 0.5, l2=0.1)
    old = getattr(stepper, name)
    with pytest.raises(ValueError, match=f"^{name} must be"):
        setattr(stepper, name, bad)
    assert getattr(stepper, name) == old


def test_l2_changes_only_before_the_first_phase_and_the_batch_is_read_only():
    net = small_net()
    X, Y = batch_for(net)
    stepper = Stepper(net, X, Y, 0.5)
    stepper.l2 = 0.2
    loss = [stepper.step() for _ in range(net.num_layers + 1)][-1]
    assert float(loss.arrays["loss"]) == pytest.approx(net.loss(X, Y, l2=0.2), rel=1e-13)
    with pytest.raises(ValueError, match="l2 can only change before the first phase"):
        stepper.l2 = 0.0
    assert stepper.l2 == 0.2
    while stepper.position:
        stepper.back()
    stepper.l2 = 0.0  # back at the start: allowed again
    with pytest.raises(AttributeError):
        stepper.X = X
    assert not stepper.X.flags.writeable and not stepper.Y.flags.writeable


def test_a_big_data_set_is_evaluated_in_slices_with_the_same_result():
    net = Network([2, 400, 1], "tanh", "sigmoid", "cross_entropy", seed=2)
    rows = 8192 // 400
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(5 * rows + 3, 2)), rng.integers(0, 2, (5 * rows + 3, 1)) * 1.0
    # Reference written here: tanh hidden, σ through tanh, cross-entropy per example.
    h = np.tanh(X @ net.weights[0].T + net.biases[0])
    a = 0.5 * (1.0 + np.tanh(0.5 * (h @ net.weights[1].T + net.biases[1])))
    ref = -(Y * np.log(a) + (1 - Y) * np.log(1 - a)).sum(axis=1).mean()
    loss, out = net.evaluate_checked(X, Y)
    assert loss == pytest.approx(ref, rel=1e-12)
    np.testing.assert_allclose(out, a, rtol=1e-12)
    assert out.shape == (5 * rows + 3, 1) and loss == net.loss(X, Y)
