"""The Gradient check tab: backprop's gradients against centred finite differences."""

from __future__ import annotations

import numpy as np
import streamlit as st

from bp_core import gradcheck
from bp_core.gradcheck import TOLERANCE
from bp_view import figures
from bp_view.notation import layer as layer_of

from . import controls, limits, work
from .charts import show
from .i18n import t
from .session import visitor
from .translate import fig_tr


def gradcheck_view() -> None:
    st.markdown(t("gradcheck_intro", tol=TOLERANCE))
    if not controls.hidden("gradcheck"):
        if st.button(t("gradcheck_button"), key="gradcheck",
                     disabled=controls.locked("gradcheck"), help=controls.help_text("gradcheck")):
            stepper, net, config = visitor.stepper, visitor.net, visitor.config
            with st.spinner(t("gradcheck_running")):
                visitor.gradcheck_result = run_gradcheck(
                    net.copy(), stepper.X, stepper.Y, config.l2
                )
    result = visitor.gradcheck_result
    if result is None:
        st.caption(t("gradcheck_nothing_yet") if controls.usable("gradcheck")
                   else t("gradcheck_nothing_yet_unavailable"))
        return
    explain(result, visitor.net)
    show(figures.gradcheck_figure(result, tr=fig_tr), key="gradcheck_bars")
    rows = [
        {
            t("layer_label"): layer_of(layer.layer),
            t("gradcheck_max_error"): f"{layer.max_error:.3e}",
            t("gradcheck_verdict"): t("pass") if layer.passed else t("fail"),
        }
        for layer in result.layers
    ]
    st.dataframe(rows, hide_index=True)
    layer = st.selectbox(t("layer_label"), list(range(len(result.layers))), key="gradcheck_layer",
                         format_func=lambda i: str(layer_of(i)))  # index i is layer i + 1
    show(
        figures.gradcheck_heatmaps(result, layer, tr=fig_tr),
        key="gradcheck_cells",
    )


def run_gradcheck(net, X, Y, l2: float):
    """The check the app runs: at most limits.APP_GRADCHECK_ENTRIES random cells of each
    W and b, under the visitor's work budget.  ``net`` is a copy: the check perturbs
    it, and a cancelled check must not leave the session's network perturbed."""
    return gradcheck(net, X, Y, l2=l2, max_entries=limits.APP_GRADCHECK_ENTRIES,
                     budget=work.budget("gradcheck"))


def explain(result, net, work_name: str = "gradcheck") -> None:
    """Say what the check left out and why a result is not a number (shared with the
    bug hunt, whose check runs under the work budget ``work_name``)."""
    checked = sum(layer.n_checked for layer in result.layers)
    total = sum(layer.n_params for layer in result.layers)
    if result.stopped:
        st.warning(t("gradcheck_stopped", checked=checked, total=total,
                     seconds=limits.APP_WORK_SECONDS[work_name]))
    elif result.sampled:
        st.caption(t("gradcheck_sampled", checked=checked, total=total,
                     n=limits.APP_GRADCHECK_ENTRIES))
    if not result.finite:
        largest = max(float(np.abs(w).max()) for w in net.weights)
        # What to do next, naming only the controls this link leaves usable.
        fixes = controls.usable_texts([("gradcheck_fix_restore", ("train",)),
                                       ("gradcheck_fix_seed", ("seed",))])
        st.warning(" ".join([t("gradcheck_nonfinite", largest=f"{largest:.3g}"), *fixes]))
