"""The scenario box of a preset in force, and workshop mode's predict-then-reveal questions.

Both are drawn on the step tab: the scenario box whenever a preset is in force (in
play and workshop modes), the questions only in workshop mode.  (The words preset,
scenario and workshop are explained in playground.presets.)
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from bp_core import datasets
from bp_view import figures
from bp_view.notation import layer
from bp_view.slowdown_figure import slowdown_figure

from . import controls, limits, scenarios, state, work
from .charts import show
from .i18n import t
from .predict import question_for
from .presets import PRESETS, SLOWDOWN
from .room_view import record_if_in_room
from .session import visitor
from .translate import fig_tr

MAZUR_ROWS = [
    "net_h1",
    "out_h1",
    "net_o1",
    "out_o1",
    "out_o2",
    "E_total",
    "delta_o1",
    "dE_dw5",
    "dE_dw1",
    "w5",
    "w6",
    "w7",
    "w8",
    "w1",
    "w2",
    "w3",
    "w4",
    "b1",
    "b2",
]


def install_pending_preset(config) -> None:
    """Put a freshly chosen scenario's starting network in place (once)."""
    name = visitor.preset_pending
    del visitor.preset_pending
    if name is None:
        return
    preset = PRESETS[name]
    if preset.network is not None:
        state.set_network(preset.network(), config)
    else:
        state.new_stepper(config)  # picks up the scenario's update_biases setting


def _on_update_biases() -> None:
    if visitor.stepper.position == 0:
        state.new_stepper()
    else:
        visitor.stepper.update_biases = visitor.update_biases


def scenario_ui() -> None:
    name = visitor.preset
    if name not in PRESETS:
        return
    preset = PRESETS[name]
    with st.container(border=True):
        st.markdown("#### " + t("scenario_heading", title=t(f"preset_{name}_title")))
        st.markdown(t(f"preset_{name}_text"))
        tries = controls.usable_texts(preset.tries)  # none that needs a locked or hidden control
        if tries:
            st.markdown(" ".join(tries))
        getattr(_Pictures, preset.picture)()


class _Pictures:
    """One static method per Preset.picture."""

    @staticmethod
    def mazur() -> None:
        st.toggle(
            t("mazur_update_biases"),
            key="update_biases",
            on_change=_on_update_biases,
            help=t("mazur_update_biases_help"),
        )
        numbers = scenarios.mazur_numbers(visitor.stepper.history)
        rows = [
            {t("mazur_quantity"): name, t("mazur_value"): f"{numbers[name]:.9g}"}
            for name in MAZUR_ROWS
            if name in numbers
        ]
        if rows:
            st.table(rows)  # a plain HTML table: its numbers are text a learner can copy
        else:
            st.caption(t("press_next"))

    @staticmethod
    def boundary() -> None:
        config = visitor.config
        train, test = state.load_data(config.data, config.seed)
        show(
            figures.decision_boundary(visitor.net, train, test=test, points="both", tr=fig_tr),
            key="scenario_boundary",
        )

    @staticmethod
    def gradient_sizes() -> None:
        stepper, net = visitor.stepper, visitor.net
        show(
            figures.gradient_norms(net.backprop(stepper.X, stepper.Y), tr=fig_tr),
            key="scenario_gradient_sizes",
        )

    @staticmethod
    def diverge() -> None:
        # Three training runs: computed on a click, never on page load, and under the
        # visitor's work budget, so a link cannot make the server train on arrival.
        config = visitor.config
        key = (config.architecture(), config.batch)
        if st.button(t("sweep_run"), key="scenario_run"):
            train_set, _ = state.load_data(config.data, config.seed)
            budget = work.budget("sweep")
            sweep = scenarios.learning_rate_sweep(
                state.build_network(config), train_set, config.batch, config.seed,
                budget=budget,
            )
            visitor.sweep = {"key": key, "losses": sweep,
                                         "stopped": budget.exhausted}
        done = visitor.sweep
        if done is None or done["key"] != key:
            st.caption(t("sweep_press_run"))
            return
        if done["stopped"]:
            st.warning(t("sweep_stopped", seconds=limits.APP_WORK_SECONDS["sweep"]))
        series = {
            f"η = {rate:g}"
            + (" " + t("diverged_marker") if not np.isfinite(losses).all() else ""): losses
            for rate, losses in done["losses"].items()
        }
        fig = figures.curves(
            series, t("sweep_title"), t("chart_epoch"), t("chart_loss"), log_y=True, tr=fig_tr
        )
        show(fig, key="scenario_sweep")

    @staticmethod
    def dead_units() -> None:
        config, net = visitor.config, visitor.net
        if not scenarios.units_can_die(config.act):  # "dead" would be untrue of leaky_relu
            st.write(t("dead_units_none", act=config.act))
            return
        train, _ = state.load_data(config.data, config.seed)
        dead = scenarios.dead_units(net, train.X)
        for l, mask in enumerate(dead):
            st.write(
                t(
                    "dead_units_line",
                    l=layer(l),  # dead[0] is the first hidden layer, layer 1
                    dead=int(mask.sum()),
                    n=mask.size,
                    which=", ".join(map(str, mask.nonzero()[0])) or "—",
                )
            )

    @staticmethod
    def slowdown() -> None:
        # Nielsen's neuron, stepped epoch by epoch: the slider picks the epoch, the chart
        # marks it and the table gives that epoch's numbers for the four runs.
        runs = scenarios.slowdown_runs()
        epochs = SLOWDOWN["epochs"]
        epoch = st.slider(t("slowdown_epoch"), 0, epochs, key="slowdown_epoch")
        names = {"quadratic": t("slowdown_quadratic"),
                 "cross_entropy": t("slowdown_cross_entropy")}
        costs = {}
        for (start, loss), run in runs.items():
            costs.setdefault(start, {})[loss] = run["cost"]
        panels = [t("slowdown_panel", w=f"{w:g}", b=f"{b:g}") for w, b in costs]
        show(slowdown_figure(costs, names, panels, t("slowdown_title"), t("chart_epoch"),
                             t("slowdown_relative"), epoch=epoch),
             key="scenario_slowdown")
        rate = SLOWDOWN["learning_rates"]
        st.table([{t("slowdown_start"): f"({start[0]:g}, {start[1]:g})",
                   t("slowdown_cost"): f"{names[loss]}, η = {rate[loss]:g}",
                   "w": f"{run['w'][epoch]:.6g}", "b": f"{run['b'][epoch]:.6g}",
                   "a": f"{run['a'][epoch]:.6g}", "C": f"{run['cost'][epoch]:.6g}",
                   "C/C₀": f"{run['cost'][epoch] / run['cost'][0]:.4f}",
                   "δ = ∂C/∂b = ∂C/∂w": f"{run['delta'][epoch]:.6g}"}
                  for (start, loss), run in runs.items()])
        st.caption(t("slowdown_caption"))

    @staticmethod
    def weight_images() -> None:
        show(
            figures.weight_images(visitor.net.weights[0], tr=fig_tr),
            key="scenario_weights",
        )
        st.caption(t("weight_images_caption"))


# --- predict, then reveal -------------------------------------------------------
def _reveal(tag, question) -> None:
    choice = visitor.predict_answer
    score = visitor.score
    right = choice == question.answer
    score["asked"] += 1
    score["right"] += int(right)
    text = t("predict_right") if right else t("predict_wrong", answer=question.answer)
    text += " " + t(question.explanation_key, **question.explanation_values)
    visitor.last_answer[tag] = {"right": right, "text": text}
    record_if_in_room("predict", f"{question.key} {question.values}", choice, right)
    visitor.revealed.add(tag)
    visitor.predict_answer = None


def predict_gate(record) -> bool:
    """In workshop mode, ask before a backward phase is shown.  True once revealed."""
    if visitor.mode != "workshop" or record.kind != "backward":
        return True
    revealed = visitor.revealed
    tag = (visitor.pass_id, record.index)
    if tag in revealed:
        answer = visitor.last_answer.get(tag)
        if answer is not None:
            (st.success if answer["right"] else st.warning)(answer["text"])
        return True
    config = visitor.config
    question = question_for(record, visitor.batch_index, config.lr)
    with st.container(border=True):
        st.markdown(f"**{t('predict_header')}** " + t(question.key, **question.values))
        choice = st.radio(
            t("predict_your_answer"),
            question.choices,
            key="predict_answer",
            horizontal=True,
            index=None,
        )
        st.button(
            t("predict_reveal"),
            key="predict_reveal",
            disabled=choice is None,
            on_click=_reveal,
            args=(tag, question),
        )
    score = visitor.score
    st.caption(t("predict_score", right=score["right"], asked=score["asked"]))
    return False


__all__ = ["datasets", "install_pending_preset", "predict_gate", "scenario_ui"]
