"""bp_core.budget: every long loop stops when its budget runs out or it is cancelled,
keeps what it finished, and says what it skipped."""

from __future__ import annotations

import numpy as np
import pytest

from bp_core import Budget, Network, OutOfBudget, datasets, gradcheck, train
from workshop.bughunt import train_buggy


class CancelAfter:
    """A cancel check that says "stop" on its (n+1)-th call: deterministic on any machine."""

    def __init__(self, n: int):
        self.n, self.calls = n, 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.calls > self.n


def counted(n: int) -> Budget:
    """A budget with no time limit that is cancelled after n checks (polled every check)."""
    return Budget(None, CancelAfter(n), poll_seconds=0.0)


# --- the Budget itself ---------------------------------------------------------------
def test_a_spent_time_budget_raises_and_stays_spent():
    budget = Budget(0.0)
    with pytest.raises(OutOfBudget) as err:
        budget.check()
    assert err.value.reason == "time" and budget.exhausted == "time"
    with pytest.raises(OutOfBudget):  # later work sharing the budget stops at once
        budget.check()


def test_cancelling_raises_with_its_reason():
    budget = counted(2)
    budget.check()
    budget.check()
    with pytest.raises(OutOfBudget) as err:
        budget.check()
    assert err.value.reason == "cancelled" and budget.exhausted == "cancelled"


def test_the_cancel_check_is_polled_at_most_once_per_interval():
    cancel = CancelAfter(10**9)
    budget = Budget(None, cancel, poll_seconds=3600.0)
    for _ in range(10_000):
        budget.check()
    assert cancel.calls == 1  # a check costs a clock read, not a call into Streamlit


def test_a_generous_budget_does_not_stop_anything():
    budget = Budget(3600.0, CancelAfter(10**9))
    for _ in range(100):
        budget.check()
    assert budget.exhausted == ""


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), "5", True])
def test_a_bad_time_limit_is_refused(seconds):
    with pytest.raises(ValueError):
        Budget(seconds)


# --- train ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def xor_data():
    return datasets.xor(64, seed=0)


def xor_net():
    return Network([2, 4, 1], "tanh", "sigmoid", "cross_entropy", seed=0)


def params(net):
    return [a.copy() for a in net.weights + net.biases]


def test_a_spent_budget_stops_training_before_the_first_step(xor_data):
    net = xor_net()
    start = params(net)
    result = train(net, xor_data, epochs=50, batch_size=16, learning_rate=0.5,
                   budget=Budget(0.0))
    assert result.stopped_early and result.stop_reason == "time" and not result.diverged
    assert result.epochs_run == 0 and "epoch 1 was cut off" in result.message
    for kept, saved in zip(params(net), start, strict=True):
        assert kept.tobytes() == saved.tobytes()


def test_an_epoch_cut_off_mid_way_is_undone(xor_data):
    # 64 examples in batches of 16: 4 checks per epoch.  Cancelled at the 6th check,
    # in the middle of epoch 2, the network must hold exactly the weights after
    # epoch 1, which a separate one-epoch run from the same start computes.
    reference = xor_net()
    train(reference, xor_data, epochs=1, batch_size=16, learning_rate=0.5, seed=3)
    net = xor_net()
    result = train(net, xor_data, epochs=10, batch_size=16, learning_rate=0.5, seed=3,
                   budget=counted(5))
    assert result.stopped_early and result.stop_reason == "cancelled"
    assert result.epochs_run == 1 and len(result.history.train_loss) == 1
    assert "epoch 2 was cut off" in result.message
    for kept, want in zip(params(net), params(reference), strict=True):
        assert kept.tobytes() == want.tobytes()


def test_a_budget_that_lasts_changes_nothing(xor_data):
    a, b = xor_net(), xor_net()
    train(a, xor_data, epochs=3, batch_size=16, learning_rate=0.5, seed=1)
    result = train(b, xor_data, epochs=3, batch_size=16, learning_rate=0.5, seed=1,
                   budget=Budget(3600.0, CancelAfter(10**9)))
    assert not result.stopped_early and result.epochs_run == 3
    for x, y in zip(params(a), params(b), strict=True):
        assert x.tobytes() == y.tobytes()


@pytest.mark.parametrize("kwargs", [dict(l2=float("nan")), dict(epochs=2.5),
                                    dict(learning_rate="0.5"), dict(learning_rate=True),
                                    dict(batch_size=True), dict(l2=float("inf"))])
def test_train_refuses_loose_arguments(xor_data, kwargs):
    args = dict(epochs=1, batch_size=8, learning_rate=0.1, l2=0.0) | kwargs
    with pytest.raises(ValueError):
        train(xor_net(), xor_data, **args)


# --- gradcheck -----------------------------------------------------------------------
def centred(net, X, Y, param, index, h=1e-6):
    """The test's own centred difference of net.loss for one entry (an independent
    reference for bp_core.gradcheck's numbers)."""
    flat = param.reshape(-1)
    saved = flat[index]
    flat[index] = saved + h
    plus = net.loss(X, Y)
    flat[index] = saved - h
    minus = net.loss(X, Y)
    flat[index] = saved
    return (plus - minus) / (2 * h)


@pytest.fixture(scope="module")
def wide():
    """A net whose first W has 12 × 8 = 96 cells, more than the sample of 10."""
    net = Network([8, 12, 3], "tanh", "sigmoid", "quadratic", seed=4)
    rng = np.random.default_rng(0)
    return net, rng.normal(size=(5, 8)), rng.uniform(size=(5, 3))


def test_a_sampled_check_perturbs_at_most_max_entries_cells_of_each_array(wide):
    net, X, Y = wide
    result = gradcheck(net, X, Y, max_entries=10, seed=7)
    assert result.sampled and not result.complete and result.passed
    for layer, (W, b) in zip(result.layers, zip(net.weights, net.biases), strict=True):
        assert layer.checked_w.sum() == min(W.size, 10)
        assert layer.checked_b.sum() == min(b.size, 10)
        assert np.isnan(layer.numeric_w[~layer.checked_w]).all()
        assert np.isnan(layer.rel_w[~layer.checked_w]).all()
        for index in np.flatnonzero(layer.checked_w):
            want = centred(net, X, Y, net.weights[layer.layer], index)
            assert layer.numeric_w.reshape(-1)[index] == pytest.approx(want, rel=1e-9, abs=1e-12)
    again = gradcheck(net, X, Y, max_entries=10, seed=7)
    assert all((a.checked_w == b.checked_w).all() for a, b in zip(result.layers, again.layers))


def test_a_small_network_is_checked_in_full(wide):
    net, X, Y = wide
    result = gradcheck(net, X, Y, max_entries=1000)
    assert result.complete and not result.sampled and result.passed


def test_a_cancelled_check_keeps_the_cells_it_did_and_restores_the_network(wide):
    net, X, Y = wide
    before = params(net)
    result = gradcheck(net, X, Y, budget=counted(7))
    assert result.stopped == "cancelled" and not result.complete
    assert sum(layer.n_checked for layer in result.layers) == 7
    assert result.layers[0].passed and result.layers[1].n_checked == 0
    assert not result.layers[1].passed  # an unchecked layer is never a pass
    for kept, saved in zip(params(net), before, strict=True):
        assert kept.tobytes() == saved.tobytes()


def test_a_wrong_gradient_still_fails_in_a_sample(wide):
    net, X, Y = wide
    true = net.backprop(X, Y)

    class Wrong:
        grad_w = [2 * g for g in true.grad_w]
        grad_b = [2 * g for g in true.grad_b]

    result = gradcheck(net, X, Y, analytic=lambda *_: Wrong, max_entries=5)
    assert not any(layer.passed for layer in result.layers)


def test_overflowing_weights_give_a_non_finite_result_without_a_warning():
    # The weights a diverged run can leave (|W| ~ 1e178): the loss overflows float64.
    net = Network.from_params([[[1e178, 1e178]], [[1e178]]], [[0.0], [0.0]],
                              "linear", "linear", "quadratic")
    X, Y = np.array([[1.0, 1.0]]), np.array([[0.0]])
    result = gradcheck(net, X, Y)  # pytest turns any RuntimeWarning into an error here
    assert not result.finite and not result.passed
    assert all(np.isnan(e) for e in result.errors)


@pytest.mark.parametrize("h", [0.0, -1e-6, float("nan"), "1e-6"])
def test_gradcheck_refuses_a_bad_step(wide, h):
    net, X, Y = wide
    with pytest.raises(ValueError):
        gradcheck(net, X, Y, h=h)


# --- the bug hunt's engine -------------------------------------------------------------
def test_the_buggy_engine_stops_when_its_budget_does():
    W, b = datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES
    data = datasets.mazur()
    budget = counted(4)
    losses = train_buggy(W, b, (), data.X, data.Y, epochs=100, budget=budget)
    assert len(losses) == 4 and budget.exhausted == "cancelled"
    # The full run's first four epochs are the same numbers.
    assert losses == train_buggy(W, b, (), data.X, data.Y, epochs=4)
