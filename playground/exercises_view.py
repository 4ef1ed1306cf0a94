"""The Exercises page (?mode=exercises): run the learner's exercises/ files on the
current network and show where they differ from bp_core.

It runs the learner's Python only when the app runs locally: with
BP_PLAYGROUND_HOSTED set (the hosted configuration) it explains and stops.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from bp_core import OutOfBudget
from bp_view import figures
from workshop.exercise_runner import EXERCISES, compare_bounded

from . import limits
from .charts import show
from .hosting import exercises_dir, is_hosted
from .i18n import t
from .room_view import record_if_in_room
from .session import visitor
from .translate import fig_tr
from .work import budget


def exercises_view() -> None:
    st.header(t("exercises_header"))
    st.markdown(t("exercises_intro"))
    if is_hosted():
        st.warning(t("exercises_hosted"))
        return
    name = st.selectbox(
        t("exercises_choose"),
        list(EXERCISES),
        key="exercise",
        format_func=lambda n, lang=visitor.lang: t(f"exercise_{n}", lang),
    )
    path = exercises_dir() / f"{name}.py"
    st.caption(t("exercises_file", path=str(path)))
    if not path.is_file():  # an installed copy started elsewhere: say where to put them
        st.warning(t("exercises_missing", path=str(path), folder=str(path.parent)))
        return
    if not st.button(t("exercises_run"), key="exercise_run", type="primary"):
        return
    net, stepper, config = visitor.net, visitor.stepper, visitor.config
    try:
        # In a child process under the exercise budget: an endless loop in the
        # learner's file ends with it, and so does leaving the page.
        with st.spinner(t("exercises_running",
                          seconds=f"{limits.APP_WORK_SECONDS['exercise']:g}")):
            result = compare_bounded(name, path, net, stepper.X, stepper.Y, config.lr,
                                     budget("exercise"))
    except OutOfBudget as stop:
        st.error(t("exercises_stopped", seconds=f"{stop.seconds:.0f}"))
        return
    except RuntimeError as died:
        st.error(t("exercises_raised"))
        st.code(str(died), language="text")
        return
    if result["not_implemented"]:
        st.info(t("exercises_not_implemented"))
        st.code(result["error"], language="text")
        return
    if result["error"]:
        st.error(t("exercises_raised"))
        st.code(result["error"], language="text")
        return
    for key, values in result["note_keys"]:
        st.caption(t(f"exrun_{key}", **values))
    for key, values in result["problem_keys"]:
        st.warning(t(f"exrun_{key}", **values))
    record_if_in_room("exercise", name, "passed" if result["passed"] else "differs",
                      result["passed"])
    if result["passed"]:
        st.success(t("exercises_passed", diff=result["max_diff"] or 0.0))
    else:
        st.error(t("exercises_differs", diff=result["max_diff"]))
    for quantity, diffs in result["diffs"].items():
        cols = st.columns(max(1, len(diffs)))
        for l, (col, diff) in enumerate(zip(cols, diffs)):
            if diff is None:
                continue
            diff = np.atleast_2d(diff)
            show(
                figures.heatmap(
                    diff, t("exercises_diff_title", quantity=quantity, l=l), kind="plain", tr=fig_tr
                ),
                key=f"exercise_diff_{quantity}_{l}",
                where=col,
            )
