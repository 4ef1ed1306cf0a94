"""Per-visitor state: everything lives in the session (playground.session), never in
module globals.

How the network, the data and the pass in progress are (re)built for a setup.  The
keys themselves, and what each holds, are declared once in playground.session.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from bp_core import Network, Stepper, datasets
from bp_core.datasets import Dataset

from .config import N_SAMPLES, TEST_FRACTION, Config
from .session import visitor


@st.cache_data(show_spinner=False, max_entries=64)
def load_data(name: str, seed: int) -> tuple[Dataset, Dataset]:
    """(train, test) for a data set; cached because every rerun needs it.

    The arguments are validated names and numbers, so the cache holds at most a
    few small entries; it holds no visitor's state.  Mazur's post has one example,
    which is both its training and its test set.
    """
    if name in datasets.GENERATED:  # the others are fixed data: no n, no noise
        data = datasets.load(
            name, n=N_SAMPLES, noise=0.1 if name in datasets.TWO_D else 0.05, seed=seed
        )
    else:
        data = datasets.load(name, seed=seed)
    if len(data) < 2:
        return data, data
    return datasets.split(data, TEST_FRACTION, seed=seed)


def batch_rows(n: int, batch_size: int, index: int, seed: int) -> np.ndarray:
    """Row numbers of mini-batch ``index`` of a shuffled pass over n examples."""
    per_epoch = max(1, -(-n // batch_size))
    epoch, k = divmod(index, per_epoch)
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return order[k * batch_size : (k + 1) * batch_size]


def current_batch(config: Config) -> tuple[np.ndarray, np.ndarray]:
    train, _ = load_data(config.data, config.seed)
    rows = batch_rows(len(train), config.batch, visitor.batch_index, config.seed)
    return train.X[rows], train.Y[rows]


def build_network(config: Config) -> Network:
    return Network(
        config.sizes,
        activation=config.act,
        output_activation=config.out,
        loss=config.loss,
        init=config.init,
        seed=config.seed,
    )


def new_stepper(config: Config | None = None) -> Stepper:
    """A fresh Stepper over the current batch; stored as the session's stepper."""
    config = config or visitor.config
    X, Y = current_batch(config)
    stepper = Stepper(
        visitor.net,
        X,
        Y,
        config.lr,
        config.l2,
        update_biases=visitor.update_biases,
    )
    visitor.stepper = stepper
    visitor.pass_id = visitor.pass_id + 1
    return stepper


def apply_config(config: Config) -> None:
    """Bring the session in line with config.

    A new architecture (or seed) builds a new network from the seed; a new
    learning rate keeps the network and the pass in progress; a new batch size
    or L2 keeps the network and starts the pass again.
    """
    old: Config | None = visitor.config
    visitor.config = config
    if visitor.net is None or visitor.arch != config.architecture():
        set_network(build_network(config), config)
    elif old is None or (old.batch, old.l2) != (config.batch, config.l2):
        new_stepper(config)
    elif visitor.stepper is not None and old.lr != config.lr:
        visitor.stepper.set_learning_rate(config.lr)
    if visitor.stepper is None:
        new_stepper(config)


def set_network(net: Network, config: Config) -> None:
    """Install a network for a new setup: built from the seed, uploaded, or a preset's."""
    visitor.config = config
    visitor.arch = config.architecture()
    del visitor.net_before_train  # it belonged to the old setup
    replace_network(net)


def replace_network(net: Network, history=None) -> None:
    """Install new weights for the same setup (after Train, or Restore): the pass in
    progress and the last gradient check were about the old weights, so both restart."""
    visitor.net = net
    visitor.history = history
    visitor.gradcheck_result = None
    visitor.batch_index = 0
    new_stepper()


def say(level: str, text: str) -> None:
    """Queue a message (level: "error", "warning", "success", "info") for this run."""
    visitor.messages.append((level, text))


def show_messages() -> None:
    messages = visitor.messages
    del visitor.messages  # shown once
    for level, text in messages:
        getattr(st, level)(text)
