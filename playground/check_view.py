"""The Gradient check tab: backprop's gradients against centred finite differences."""

from __future__ import annotations

import streamlit as st

from bp_core import figures, gradcheck
from bp_core.gradcheck import TOLERANCE

from .charts import show
from .i18n import t
from .translate import fig_tr


def gradcheck_view() -> None:
    st.markdown(t("gradcheck_intro", tol=TOLERANCE))
    locked = "gradcheck" in st.session_state.get("locks", ())
    if "gradcheck" not in st.session_state.get("hidden_controls", ()):
        if st.button(t("gradcheck_button"), key="gradcheck", disabled=locked):
            stepper, net, config = (st.session_state[k] for k in ("stepper", "net", "config"))
            with st.spinner(t("gradcheck_running")):
                st.session_state["gradcheck_result"] = gradcheck(
                    net, stepper.X, stepper.Y, l2=config.l2
                )
    result = st.session_state.get("gradcheck_result")
    if result is None:
        st.caption(t("gradcheck_nothing_yet"))
        return
    show(figures.gradcheck_figure(result, tr=fig_tr), key="gradcheck_bars")
    rows = [
        {
            t("layer_label"): layer.layer,
            t("gradcheck_max_error"): f"{layer.max_error:.3e}",
            t("gradcheck_verdict"): t("pass") if layer.passed else t("fail"),
        }
        for layer in result.layers
    ]
    st.dataframe(rows, hide_index=True)
    layer = st.selectbox(t("layer_label"), list(range(len(result.layers))), key="gradcheck_layer")
    show(
        figures.gradcheck_heatmaps(result, layer, tr=fig_tr),
        key="gradcheck_cells",
    )
