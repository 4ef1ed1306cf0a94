"""The Train tab: mini-batch SGD for a set number of epochs, with live progress.

One click is capped at limits.APP_MAX_EPOCHS epochs and runs under the work
budget (playground.work): at most limits.APP_WORK_SECONDS["train"] seconds, and
cancelled when the visitor leaves or clicks again, so a visitor of the shared demo
cannot hold the process.  It trains a copy: the session's network is replaced
only when the run ends, so a cancelled run changes nothing, and the network from
before the run is kept for the Restore button.
"""

from __future__ import annotations

import math

import streamlit as st

from bp_core import datasets, train
from bp_view import figures

from . import controls, limits, state, work
from .charts import show
from .figcache import cached, network_key
from .i18n import current_language, t
from .session import visitor
from .translate import fig_tr

MAX_REDRAWS = 40  # the live charts are redrawn at most this often per click


def run_training() -> None:
    config, before = visitor.config, visitor.net
    net = before.copy()
    train_set, test_set = state.load_data(config.data, config.seed)
    epochs = min(config.epochs, limits.APP_MAX_EPOCHS)
    progress = st.progress(0.0, text=t("training_progress", epoch=0, epochs=epochs))
    chart = st.empty()
    every = max(1, math.ceil(epochs / MAX_REDRAWS))

    def callback(epoch, history):
        progress.progress(epoch / epochs, text=t("training_progress", epoch=epoch, epochs=epochs))
        if epoch % every == 0 or epoch == epochs:
            show(
                figures.loss_curves(history, tr=fig_tr),
                key=f"live_loss_{epoch}",
                where=chart,
            )

    result = train(
        net,
        train_set,
        epochs=epochs,
        batch_size=config.batch,
        learning_rate=config.lr,
        l2=config.l2,
        seed=config.seed,
        test=test_set,
        callback=callback,
        budget=work.budget("train"),
    )
    progress.empty()
    chart.empty()
    state.replace_network(net, history=result.history)
    visitor.net_before_train = before
    if result.diverged:
        advice = " " + t("try_smaller_lr") if controls.usable("lr") else ""
        state.say("error", t("diverged_train", epoch=result.epochs_run + 1) + advice)
    elif result.stopped_early:
        state.say(
            "warning",
            t("train_time_budget", epochs=result.epochs_run, skipped=epochs - result.epochs_run,
              seconds=limits.APP_WORK_SECONDS["train"]),
        )
    else:
        state.say("success", t("train_done", epochs=result.epochs_run))


def _restore() -> None:
    """Put back the network from before the last Train click."""
    before = visitor.net_before_train
    del visitor.net_before_train
    state.replace_network(before, history=None)
    state.say("info", t("train_restored"))


def train_view() -> None:
    config = visitor.config
    # No instruction about the Train button when the link locks or hides it.
    trainable = controls.usable("train")
    if trainable:
        st.markdown(t("train_intro", epochs=config.epochs, batch=config.batch, lr=config.lr))
    else:
        st.markdown(t("train_intro_unavailable"))
    if not controls.hidden("train"):
        cols = st.columns([1, 3])
        with cols[0]:
            clicked = st.button(
                t("train_button"), key="train", type="primary",
                disabled=controls.locked("train"), help=controls.help_text("train"),
            )
        if clicked:
            run_training()
        # After the run, so the page that says a run diverged offers to undo it.
        if visitor.net_before_train is not None:
            with cols[1]:
                st.button(t("train_restore"), key="train_restore", on_click=_restore,
                          help=t("train_restore_help"))
    state.show_messages()
    history = visitor.history
    net = visitor.net
    train_set, test_set = state.load_data(config.data, config.seed)
    cols = st.columns(2)
    if history is not None and history.epochs:
        with cols[0]:
            show(figures.loss_curves(history, tr=fig_tr), key="loss_curves")
        accuracy = figures.accuracy_curves(history, tr=fig_tr)
        if accuracy is not None:
            with cols[1]:
                show(accuracy, key="accuracy_curves")
        last = history.epochs - 1
        st.caption(
            t(
                "train_summary",
                epochs=history.epochs,
                loss=history.train_loss[last],
                test_loss=history.test_loss[last] if history.test_loss else float("nan"),
            )
        )
    else:
        st.caption(t("train_nothing_yet") if trainable else t("train_nothing_yet_unavailable"))
    st.markdown(f"**{t('what_the_net_does')}**")
    key = (network_key(net), config.data, config.seed, current_language())
    if config.data in datasets.TWO_D:
        fig = cached("boundary", key, lambda: figures.decision_boundary(
            net, train_set, test=test_set, points="both", tr=fig_tr))
        show(fig, key="boundary")
        st.caption(t("boundary_caption"))
    elif config.data == "sine":
        fig = cached("fit", key, lambda: figures.fitted_curve(net, test_set, tr=fig_tr))
        show(fig, key="fit")
    elif config.data == "digits":
        fig = cached("digits", key, lambda: figures.digit_predictions(net, test_set, tr=fig_tr))
        show(fig, key="digit_predictions")
    else:
        st.write(
            t(
                "mazur_output",
                out=net.forward(train_set.X).round(9).tolist(),
                y=train_set.Y.tolist(),
            )
        )
