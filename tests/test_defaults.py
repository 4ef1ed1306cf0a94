"""The default setup succeeds: one Train click learns the default data set.

A first visitor presses Train on the defaults (playground.config.DEFAULT).  If that
ends at 72 % with a straight boundary, the app's first lesson is a failure, so the
defaults are held to at least 95 % training accuracy, in the app for the default seed
and in the engine for every seed a visitor is likely to type.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bp_core import Network, train
from playground import config as cfg
from playground import limits, state
from tests.apphelpers import click, open_tab, start

TARGET = 0.95


def train_once(config: cfg.Config):
    """What one Train click does, without the page: the app's data, the app's network."""
    train_set, _ = state.load_data(config.data, config.seed)
    net = Network(config.sizes, activation=config.act, output_activation=config.out,
                  loss=config.loss, init=config.init, seed=config.seed)
    return train(net, train_set, epochs=config.epochs, batch_size=config.batch,
                 learning_rate=config.lr, l2=config.l2, seed=config.seed)


def test_one_train_click_on_the_defaults_reaches_95_percent():
    at = start()
    open_tab(at, "train")
    click(at, "train")
    history = at.session_state["history"]
    assert history.epochs == cfg.DEFAULT.epochs  # the whole click ran, within its budget
    assert history.train_accuracy[-1] >= TARGET, history.train_accuracy[-1]
    assert not at.warning and not at.error


@pytest.mark.parametrize("seed", range(20))
def test_the_defaults_learn_for_every_seed(seed):
    result = train_once(replace(cfg.DEFAULT, seed=seed))
    assert not result.diverged and not result.stopped_early
    assert result.history.train_accuracy[-1] >= TARGET, (seed, result.history.train_accuracy[-1])


def test_the_defaults_fit_the_hosted_train_budget():
    import time

    assert cfg.DEFAULT.epochs <= limits.APP_MAX_EPOCHS
    began = time.process_time()
    train_once(cfg.DEFAULT)
    # CPU time, so a busy machine does not fail it; a tenth of the budget leaves room
    # for a shared server's slower core.
    assert time.process_time() - began < limits.APP_WORK_SECONDS["train"] / 10
