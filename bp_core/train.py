"""Mini-batch stochastic gradient descent with a history, as in Nielsen's SGD.

Each epoch shuffles the training set with ``np.random.default_rng(seed)``, splits
it into mini-batches and calls ``Network.sgd_step`` on each.  After the epoch the
loss and accuracy on the training and test sets are appended to the history and
``callback(epoch, history)`` is called (the app draws its progress from it).

The arguments and the whole data set are checked once, before the first epoch
(``Network.batch``); the mini-batches, slices of checked arrays, then go to
``Network.sgd_step_checked`` unchecked.  The evaluation after each epoch is one
forward pass per data set, giving both the loss and the accuracy.

A `Budget` bounds the work: it is checked before every mini-batch, so one
slow epoch cannot overrun it.

If the loss stops being finite, training stops, the network gets back the weights
it had at the start of that epoch (the last ones known to give a finite loss),
and the result says ``diverged``: no bare numpy warning is raised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from . import limits
from .budget import Budget, OutOfBudget
from .datasets import Dataset, accuracy
from .network import Network


@dataclass
class History:
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float | None] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float | None] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)


@dataclass
class TrainResult:
    history: History
    diverged: bool = False
    stopped_early: bool = False  # the budget ran out
    stop_reason: str = ""        # "time" or "cancelled" (see bp_core.budget)
    message: str = ""

    @property
    def epochs_run(self) -> int:
        return self.history.epochs


def evaluate(net: Network, data: Dataset, l2: float = 0.0) -> tuple[float, float | None]:
    """(loss, accuracy) of the network on a data set; accuracy is None for regression.

    One forward pass gives both.  Raises ValueError for data the network refuses.
    """
    l2 = limits.check_real(l2, "l2", lo=0)
    X, Y = net.batch(data.X, data.Y)
    return _evaluate_checked(net, X, Y, data, l2)


def _evaluate_checked(net: Network, X, Y, data: Dataset, l2: float) -> tuple[float, float | None]:
    with np.errstate(all="ignore"):
        loss, output = net.evaluate_checked(X, Y, l2)
        return loss, accuracy(output, data)


def train(net: Network, data: Dataset, epochs: int, batch_size: int, learning_rate: float,
          l2: float = 0.0, seed: int = 0, test: Dataset | None = None,
          callback: Callable[[int, History], None] | None = None,
          budget: Budget | None = None) -> TrainResult:
    """Train ``net`` in place.  Stops after ``epochs``, on divergence, or when the
    ``budget`` runs out (checked before every mini-batch).

    An epoch that the budget cuts off is undone: the network gets back the weights
    it had at the start of that epoch, so the weights always match the history.
    """
    epochs = limits.check_int(epochs, "epochs", lo=0)
    batch_size = limits.check_int(batch_size, "batch_size", lo=1)
    learning_rate = limits.check_real(learning_rate, "learning_rate", lo=0, lo_open=True)
    l2 = limits.check_real(l2, "l2", lo=0)
    X_all, Y_all = net.batch(data.X, data.Y)  # once: every mini-batch is a slice of these
    X_test, Y_test = net.batch(test.X, test.Y) if test is not None else (None, None)
    rng = np.random.default_rng(seed)
    history = History()
    n = X_all.shape[0]
    step = net.sgd_step_checked
    for epoch in range(1, epochs + 1):
        saved = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        order = rng.permutation(n)
        X, Y = X_all[order], Y_all[order]
        try:
            with np.errstate(all="ignore"):  # divergence is detected below, not warned about
                for k in range(0, n, batch_size):
                    if budget is not None:
                        budget.check()
                    step(X[k:k + batch_size], Y[k:k + batch_size], learning_rate, l2)
        except OutOfBudget as out:
            net.weights, net.biases = saved
            return TrainResult(history, stopped_early=True, stop_reason=out.reason, message=(
                f"stopped after {epoch - 1} epochs ({out}); epoch {epoch} was cut off "
                f"and undone"))
        train_loss, train_acc = _evaluate_checked(net, X_all, Y_all, data, l2)
        if not (np.isfinite(train_loss) and net.params_finite()):
            net.weights, net.biases = saved
            return TrainResult(history, diverged=True, message=(
                f"diverged in epoch {epoch}: the loss became NaN or infinite. The weights "
                f"from before that epoch were kept. Try a smaller learning rate."))
        history.train_loss.append(train_loss)
        history.train_accuracy.append(train_acc)
        if test is not None:
            test_loss, test_acc = _evaluate_checked(net, X_test, Y_test, test, l2)
            history.test_loss.append(test_loss)
            history.test_accuracy.append(test_acc)
        if callback is not None:
            callback(epoch, history)
    return TrainResult(history)
