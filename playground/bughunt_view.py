"""The bug hunt (?mode=bughunt): the tutorial's four defects, run for real.

The learner switches one hidden defect on, runs the really buggy engine
(workshop.bughunt, compiled from the tutorial text) on the current network, sees
the real symptom (a Python error, a failing gradient check, or training that goes
the wrong way), guesses the line, and only then is the fix revealed.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from bp_core import gradcheck
from bp_view import figures
from workshop import bughunt
from workshop.tutorial_code import DEFECT_IDS, DEFECTS, TUTORIAL_SOURCE

from . import limits, work
from .charts import show
from .check_view import explain
from .i18n import t
from .room_view import record_if_in_room
from .session import visitor
from .translate import fig_tr

BY_ID = {d["id"]: d for d in DEFECTS}
# Lines the learner may point at: the four buggy ones and some innocent ones, sorted by
# their place in the code so the order gives nothing away.
INNOCENT = [
    "activation = np.dot(w, activation)+b",
    "nabla_w[-1] = np.dot(delta, activations[-2].transpose())",
    "return (output_activations-y)",
]
CANDIDATES = sorted(
    {d["buggy"] for d in DEFECTS} | {line for line in INNOCENT if line in TUTORIAL_SOURCE},
    key=TUTORIAL_SOURCE.index,
)


def _engine_network():
    """The current network if Nielsen's code computes it (sigmoid, quadratic), else a
    sigmoid/quadratic copy of its weights, which is what the tutorial's code knows."""
    net = visitor.net
    return net if bughunt.is_supported(net) else bughunt.sigmoid_network(net.weights, net.biases)


def run_symptoms(defect: str) -> dict:
    """Run the buggy engine with one defect on the current network and batch.

    All of it runs under one work budget (playground.work): the gradient check
    perturbs at most limits.APP_GRADCHECK_ENTRIES cells of each W and b, and the
    two training runs stop when the budget is spent; ``out["stopped"]`` says so.
    """
    net, stepper = _engine_network().copy(), visitor.stepper
    X, Y = stepper.X[: bughunt.MAX_EXAMPLES], stepper.Y[: bughunt.MAX_EXAMPLES]
    budget = work.budget("bughunt")
    engine = bughunt.BuggyNetwork(net.weights, net.biases, {defect})
    out: dict = {"defect": defect, "error": None, "check": None}
    try:
        engine.backprop_batch(X, Y)
    except Exception as exc:  # the symptom is whatever the tutorial's code really raised
        out["error"] = bughunt.describe_exception(exc, engine.filename)
    else:
        out["check"] = gradcheck(net, X, Y, analytic=engine.analytic, budget=budget,
                                 max_entries=limits.APP_GRADCHECK_ENTRIES)
    out["loss_before"] = net.loss(X, Y)
    out["correct"] = bughunt.train_buggy(net.weights, net.biases, (), X, Y, budget=budget)
    try:
        out["buggy"] = bughunt.train_buggy(net.weights, net.biases, {defect}, X, Y,
                                           budget=budget)
    except Exception:  # already shown above as the error
        out["buggy"] = []
    out["stopped"] = budget.exhausted
    return out


def _training_figure(result: dict):
    start = [result["loss_before"]]
    series = {t("bughunt_fixed_engine"): start + result["correct"]}
    if result["buggy"]:
        series[t("bughunt_buggy_engine")] = start + result["buggy"]
    return figures.curves(
        series, t("bughunt_training_title"), t("chart_epoch"), t("bughunt_true_loss")
    )


def symptoms_ui(result: dict) -> None:
    if result["stopped"]:
        st.warning(t("bughunt_stopped", seconds=limits.APP_WORK_SECONDS["bughunt"],
                     epochs=bughunt.DEFAULT_EPOCHS))
    if result["error"]:
        st.error(t("bughunt_crashed", type=result["error"]["type"]))
        st.code(result["error"]["traceback"], language="text")
    else:
        check = result["check"]
        explain(check, visitor.net, "bughunt")
        verdict = t("pass") if check.passed else t("fail")
        st.markdown(
            t(
                "bughunt_gradcheck",
                verdict=verdict,
                errors=", ".join(f"{e:.2e}" for e in check.errors),
            )
        )
        cols = st.columns(2)
        show(figures.gradcheck_figure(check, tr=fig_tr), key="bug_check_bars", where=cols[0])
        # NaN (a non-finite or unchecked layer) sorts as the worst: it is what to look at.
        worst = max(range(len(check.layers)),
                    key=lambda l: np.inf if np.isnan(check.errors[l]) else check.errors[l])
        show(
            figures.gradcheck_heatmaps(check, worst, tr=fig_tr),
            key="bug_check_cells",
            where=cols[1],
        )
    show(_training_figure(result), key="bug_training")


def _on_reveal() -> None:
    defect = visitor.bug_defect
    guess = visitor.bug_guess
    right = guess == BY_ID[defect]["buggy"]
    visitor.bug_revealed[defect] = {"guess": guess, "right": right}
    record_if_in_room("bughunt", defect, guess, right)


def bughunt_view() -> None:
    st.header(t("bughunt_header"))
    st.markdown(t("bughunt_intro"))
    st.code(TUTORIAL_SOURCE, language="python", line_numbers=True)
    net = visitor.net
    if not bughunt.is_supported(net):
        st.info(t("bughunt_sigmoid_copy"))
    defect = st.radio(
        t("bughunt_choose"),
        DEFECT_IDS,
        key="bug_defect",
        horizontal=True,
        format_func=lambda d, lang=visitor.lang: t(
            "bughunt_bug_n", lang, n=DEFECT_IDS.index(d) + 1
        ),
    )
    if st.button(t("bughunt_run"), key="bug_run", type="primary"):
        with st.spinner(t("bughunt_running")):
            visitor.bug_symptoms[defect] = run_symptoms(defect)
    result = visitor.bug_symptoms.get(defect)
    if result is None:
        st.caption(t("bughunt_press_run"))
        return
    symptoms_ui(result)
    st.selectbox(t("bughunt_guess"), CANDIDATES, key="bug_guess", index=None)
    st.button(
        t("bughunt_reveal"),
        key="bug_reveal",
        on_click=_on_reveal,
        disabled=visitor.bug_guess is None,
    )
    revealed = visitor.bug_revealed.get(defect)
    if revealed:
        d = BY_ID[defect]
        (st.success if revealed["right"] else st.warning)(
            t("bughunt_right") if revealed["right"] else t("bughunt_wrong")
        )
        st.code(f"- {d['buggy']}\n+ {d['fixed']}", language="diff")
        st.markdown(t(f"bughunt_explain_{defect}"))
    found = sum(1 for r in visitor.bug_revealed.values() if r["right"])
    st.caption(t("bughunt_score", found=found, total=len(DEFECT_IDS)))
