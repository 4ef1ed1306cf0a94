"""bp_core.train: mini-batch SGD that learns, repeats itself, reports and stops safely."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from bp_core import Network, datasets, train


@pytest.fixture(scope="module")
def xor_split():
    return datasets.split(datasets.xor(200, seed=0), test_fraction=0.25, seed=0)


def xor_net(seed=0):
    return Network([2, 4, 1], "tanh", "sigmoid", "cross_entropy", seed=seed)


def test_xor_is_learned(xor_split):
    data, test = xor_split
    net = xor_net()
    result = train(net, data, epochs=150, batch_size=10, learning_rate=0.5, seed=0, test=test)
    h = result.history
    assert not result.diverged and not result.stopped_early and result.message == ""
    assert result.epochs_run == h.epochs == 150
    assert h.train_loss[-1] < 0.5 * h.train_loss[0]
    assert np.mean(h.train_loss[-10:]) < np.mean(h.train_loss[:10])
    assert h.train_accuracy[-1] > 0.9 and h.test_accuracy[-1] > 0.9
    # The history agrees with an evaluation done here.
    out = net.forward(data.X)
    assert h.train_accuracy[-1] == np.mean((out[:, 0] >= 0.5) == (data.Y[:, 0] >= 0.5))
    assert h.train_loss[-1] == pytest.approx(net.loss(data.X, data.Y), rel=1e-12)


def test_history_lists_have_one_entry_per_epoch(xor_split):
    data, test = xor_split
    result = train(xor_net(), data, epochs=7, batch_size=16, learning_rate=0.5, test=test)
    h = result.history
    for values in (h.train_loss, h.train_accuracy, h.test_loss, h.test_accuracy):
        assert len(values) == 7
        assert all(isinstance(v, float) for v in values)
    no_test = train(xor_net(), data, epochs=3, batch_size=16, learning_rate=0.5).history
    assert len(no_test.train_loss) == 3 and no_test.test_loss == no_test.test_accuracy == []


def test_regression_has_no_accuracy():
    data = datasets.sine(60, seed=1)
    net = Network([1, 8, 1], "tanh", "linear", "quadratic", seed=0)
    h = train(net, data, epochs=5, batch_size=8, learning_rate=0.05).history
    assert h.train_accuracy == [None] * 5
    assert all(np.isfinite(h.train_loss))


def test_same_seed_same_history(xor_split):
    data, test = xor_split
    runs = []
    for _ in range(2):
        net = xor_net(seed=3)
        h = train(net, data, epochs=20, batch_size=8, learning_rate=0.5, seed=5,
                  test=test).history
        runs.append((h, net))
    (h1, n1), (h2, n2) = runs
    assert h1 == h2
    for a, b in zip(n1.weights + n1.biases, n2.weights + n2.biases, strict=True):
        assert a.tobytes() == b.tobytes()
    h3 = train(xor_net(seed=3), data, epochs=20, batch_size=8, learning_rate=0.5,
               seed=6, test=test).history
    assert h3.train_loss != h1.train_loss  # the shuffle order depends on the seed


def test_callback_is_called_once_per_epoch_with_the_history(xor_split):
    data, _ = xor_split
    calls = []

    def callback(epoch, history):
        calls.append((epoch, history.epochs, history.train_loss[-1]))
        seen.append(history)

    seen = []
    result = train(xor_net(), data, epochs=6, batch_size=32, learning_rate=0.5,
                   callback=callback)
    assert [c[0] for c in calls] == [1, 2, 3, 4, 5, 6]
    assert [c[1] for c in calls] == [1, 2, 3, 4, 5, 6]  # history is up to date when called
    assert [c[2] for c in calls] == result.history.train_loss
    assert all(h is result.history for h in seen)


def test_one_epoch_is_nielsens_minibatch_sgd():
    """With batch_size = n, one epoch is one sgd_step on the whole (shuffled) set."""
    data = datasets.gaussian(20, seed=2)
    net = Network([2, 3, 1], "sigmoid", "sigmoid", "quadratic", seed=1)
    expected = net.copy()
    train(net, data, epochs=1, batch_size=20, learning_rate=0.3, seed=4)
    order = np.random.default_rng(4).permutation(20)
    expected.sgd_step(data.X[order], data.Y[order], 0.3)
    for a, b in zip(net.weights, expected.weights, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_divergence_is_reported_and_the_last_finite_weights_kept():
    data = datasets.sine(64, seed=0)
    net = Network([1, 8, 1], "relu", "linear", "quadratic", init="he", seed=0)
    start_of_epoch = {1: [w.copy() for w in net.weights + net.biases]}

    def remember(epoch, history):
        start_of_epoch[epoch + 1] = [w.copy() for w in net.weights + net.biases]

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (or any other) may escape
        result = train(net, data, epochs=50, batch_size=8, learning_rate=1e6,
                       callback=remember)
    assert result.diverged and not result.stopped_early
    assert 1 <= result.epochs_run < 50  # some epochs were fine, then one diverged
    diverging_epoch = result.epochs_run + 1
    assert f"diverged in epoch {diverging_epoch}" in result.message
    assert "smaller learning rate" in result.message
    assert net.params_finite()
    for kept, saved in zip(net.weights + net.biases, start_of_epoch[diverging_epoch], strict=True):
        assert kept.tobytes() == saved.tobytes()
    assert all(np.isfinite(result.history.train_loss))
    assert np.isfinite(net.loss(data.X, data.Y))


def test_divergence_in_the_first_epoch_restores_the_initial_network():
    data = datasets.sine(32, seed=0)
    net = Network([1, 4, 1], "linear", "linear", "quadratic", seed=0)
    start = [w.copy() for w in net.weights + net.biases]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(net, data, epochs=5, batch_size=1, learning_rate=1e150)
    assert result.diverged and result.epochs_run == 0
    assert "diverged in epoch 1" in result.message
    for kept, saved in zip(net.weights + net.biases, start, strict=True):
        assert kept.tobytes() == saved.tobytes()


@pytest.mark.parametrize("kwargs", [dict(epochs=-1), dict(batch_size=0),
                                    dict(learning_rate=0.0), dict(learning_rate=-1.0),
                                    dict(learning_rate=float("nan")), dict(l2=-0.1)])
def test_bad_arguments_are_refused(xor_split, kwargs):
    args = dict(epochs=1, batch_size=8, learning_rate=0.1, l2=0.0) | kwargs
    with pytest.raises(ValueError):
        train(xor_net(), xor_split[0], **args)
