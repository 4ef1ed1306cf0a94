"""The step-through: Next / Back / Finish pass / New batch, the timeline, and the
panels of the current phase (heatmaps, equations with live numbers, the diagram).

It runs as an ``st.fragment``: a click reruns only this part of the page, not
the sidebar.  The other tabs are not on the page while this one is open (app.py
runs only the open tab), so an update of the weights leaves nothing stale there.
Clicks are handled in ``on_click`` callbacks, which run before the fragment is
drawn, so the page always shows the new state.
"""

from __future__ import annotations

import streamlit as st

from bp_core import Diverged
from bp_view import equations, figures
from bp_view.heatmaps import panel_width
from bp_view.notation import layer as layer_of
from bp_view.notation import phase_label, phase_values

from . import state
from .charts import DIAGRAM_MAX_PX, diagram_highlight_css, show
from .figcache import cached, network_key
from .i18n import current_language, t
from .session import visitor
from .translate import eq_tr, fig_tr
from .workshop_view import predict_gate, scenario_ui


# --- the buttons' callbacks -------------------------------------------------------
def _guarded(action) -> None:
    try:
        action()
    except Diverged:
        state.say("error", t("diverged_step"))


def on_next() -> None:
    stepper = visitor.stepper
    if stepper.done:  # the pass is over: Next goes on with the next mini-batch
        visitor.batch_index += 1
        stepper = state.new_stepper()
    _guarded(stepper.step)


def on_back() -> None:
    visitor.stepper.back()


def on_finish() -> None:
    stepper = visitor.stepper
    if stepper.done:
        visitor.batch_index += 1
        stepper = state.new_stepper()
    _guarded(stepper.run)


def on_new_batch() -> None:
    # Before the update the network is untouched, so dropping the pass loses nothing.
    visitor.batch_index += 1
    state.new_stepper()


# --- drawing -------------------------------------------------------------------
def timeline_markdown(stepper) -> str:
    """The phases of the pass, the current one highlighted: F1 F2 · Loss · B2 B1 · Update."""
    parts, previous_kind = [], None
    for index, (kind, layer) in enumerate(stepper.phases):
        label = phase_label(kind, layer)
        if kind in ("loss", "update"):
            label = t(f"phase_label_{kind}")
        if index == stepper.position - 1:
            text = f":orange-background[**{label}**]"
        elif index < stepper.position:
            text = f":green[{label}]"
        else:
            text = f":gray[{label}]"
        if previous_kind is not None and kind != previous_kind:
            parts.append("·")
        parts.append(text)
        previous_kind = kind
    return " ".join(parts)


def activation_of(record, net) -> str:
    if record.kind in ("forward", "backward"):
        return net.f(record.layer).name
    return net.output_activation


def bar_ui(stepper) -> None:
    """The control bar: Back, Next, Finish pass, New batch, then the timeline and status.

    It comes first in the step view, above everything whose height changes in a pass
    (the scenario's table, messages, the phase's heading and panels), so the buttons
    stay in the same place for the whole pass.  Its own height is fixed too: the
    buttons are as wide as their labels (never cut off), and the timeline and status
    keep their length from phase to phase.  CSS (charts.STEP_CSS) keeps it in view
    while the learner scrolls down to the equations.  → and ← press Next and Back.
    """
    with st.container(key="step_bar"):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.button(t("back"), key="step_back", on_click=on_back,
                      disabled=stepper.position == 0, help=t("back_help"), shortcut="Left")
            st.button(t("next"), key="step_next", on_click=on_next, type="primary",
                      help=t("next_help"), shortcut="Right")
            st.button(t("finish_pass"), key="step_pass", on_click=on_finish,
                      help=t("finish_pass_help"))
            st.button(t("new_batch"), key="step_reset", on_click=on_new_batch,
                      help=t("new_batch_help"))
        status = t("pass_status", batch=visitor.batch_index, n=stepper.X.shape[0],
                   done=stepper.position, total=len(stepper.phases))
        with st.container(horizontal=True, gap="medium", vertical_alignment="center"):
            st.markdown(timeline_markdown(stepper), width="content")
            st.caption(status, width="content")


def update_layer_ui(net) -> int:
    """The update changes every layer; the learner looks at one at a time."""
    return st.selectbox(
        t("layer_label"), list(range(net.num_layers)), index=net.num_layers - 1,
        key="update_layer", format_func=lambda i: str(layer_of(i)),  # index i is layer i + 1
    )


PANELS_PER_ROW = 4


def panels_ui(record, net, config, layer: int | None = None) -> None:
    act = activation_of(record, net)
    # The update has three panels per layer (before, −η·grad, after): build only the
    # chosen layer's.

    def build(per_row: int):
        # The builder is told how wide each panel will be, so that a cell prints its
        # number only where it fits (panel_width: the column at 1024 px, the narrowest
        # page that sets panels side by side).
        return figures.phase_figures(
            record,
            act,
            net.loss_name,
            prev_activation_name=net.activation,
            layer=layer,  # None except at the update
            width_px=panel_width(per_row),
            tr=fig_tr,
        )

    panels = build(PANELS_PER_ROW)
    per_row = min(PANELS_PER_ROW, len(panels))
    if per_row < PANELS_PER_ROW:  # fewer, wider panels: room for more of their numbers
        panels = build(per_row)
    with st.container(key="step_panels"):  # (charts.STEP_CSS orders them on a phone)
        for start in range(0, len(panels), per_row):
            cols = st.columns(per_row)
            for col, (caption, fig) in zip(cols, panels[start : start + per_row]):
                with col:
                    show(fig, width="stretch")
                    st.caption(caption)
    if record.kind == "forward" and record.layer == 0 and config.data == "digits":
        if st.toggle(t("digits_as_images"), key="digit_images"):
            show(figures.digit_images(record.arrays["a_prev"], tr=fig_tr))


def equations_ui(record, net, config, update_layer: int | None = None) -> None:
    act = activation_of(record, net)
    st.markdown(f"**{t('equations_header')}**")
    for eq in equations.general(record, tr=eq_tr):
        st.latex(eq.latex)
        if eq.caption:
            st.caption(eq.caption)
    n = visitor.stepper.X.shape[0]
    cols = st.columns(3)
    if record.kind == "update":
        layer = update_layer
    else:
        layer = record.layer if record.layer is not None else net.num_layers - 1
    n_out, n_in = net.sizes[layer + 1], net.sizes[layer]
    j = cols[1].number_input(t("neuron_label"), 0, n_out - 1, 0, key="eq_neuron")
    k = None
    if record.kind in ("backward", "update"):
        k = cols[2].number_input(t("input_neuron_label"), 0, n_in - 1, 0, key="eq_input")
    example = 0
    if record.kind != "update":
        example = cols[0].number_input(t("example_label"), 0, n - 1, 0, key="eq_example")
    st.markdown(f"**{t('equations_numbers_header', j=j, i=example)}**")
    for eq in equations.for_neuron(
        record,
        int(j),
        example=int(example),
        activation_name=act,
        loss_name=net.loss_name,
        k=None if k is None else int(k),
        l2=config.l2,
        layer=layer,
        tr=eq_tr,
    ):
        st.latex(eq.latex)
        if eq.caption:
            st.caption(eq.caption)


def start_ui(stepper, config) -> None:
    """Before the first phase: the batch the pass will use."""
    cols = st.columns(2)
    with cols[0]:
        show(figures.heatmap(stepper.X, "a[0] = X", kind="signed", width_px=panel_width(2),
                             tr=fig_tr))
        st.caption(t("batch_inputs"))
    with cols[1]:
        zrange = figures.activation_range(visitor.net.output_activation)
        show(
            figures.heatmap(
                stepper.Y, "y", kind="activation" if zrange else "signed", zrange=zrange,
                width_px=panel_width(2), tr=fig_tr,
            ),
        )
        st.caption(t("batch_targets"))


def overview_ui(stepper) -> None:
    """The pass's equations in general form, one line per kind of phase: the map of
    what Next will fill in with numbers.  (Drawing formulas here also loads the
    browser's formula renderer with the page, not on the first click.)"""
    records = {(r.kind, r.layer): r for r in stepper.outline()}
    L = stepper.net.num_layers
    # z and a, C_i, BP1, BP2 (only with a hidden layer), the step
    shown = [("forward", 0), ("loss", None), ("backward", L - 1)]
    if L > 1:
        shown.append(("backward", 0))
    shown.append(("update", None))
    st.markdown(t("pass_overview_header"))
    for key in shown:
        st.latex(equations.general(records[key], tr=eq_tr)[0].latex)


def phase_heading(record, num_layers: int) -> tuple[str, str]:
    """The heading of a phase and the sentence under it, in the page's layer numbering."""
    values = phase_values(record.kind, record.layer, num_layers)
    return t(f"phase_{record.kind}_title", **values), t(f"phase_{record.kind}_what", **values)


def howto_ui() -> None:
    """How the page numbers layers, neurons and examples, once (bp_view.notation)."""
    with st.expander(t("howto_expander"), expanded=False):
        st.markdown(t("howto_text"))


def capped(diagram):
    """The diagram no taller than DIAGRAM_MAX_PX, so that a tall one (digits' 64 inputs)
    does not push the panels under the fold.  Set in the figure, not as the chart's
    height, so that Plotly draws it once (see playground.charts)."""
    return diagram.update_layout(height=min(DIAGRAM_MAX_PX, diagram.layout.height))


def diagram_ui(net, record) -> None:
    with st.container(key="diagram"):
        # The figure changes only with the weights; the phase's highlight is CSS on it,
        # so the browser does not draw the diagram again on every click.
        diagram = cached(
            "diagram",
            (network_key(net), current_language()),
            lambda: capped(figures.network_diagram(net.sizes, net.weights, net.biases,
                                                   tr=fig_tr)),
        )
        highlight = (record.kind, record.layer) if record else None
        css = diagram_highlight_css(
            figures.diagram_parts(diagram), highlight, ".st-key-diagram"
        )
        st.html(f"<style>{css}</style>")
        show(diagram, width="stretch")


@st.fragment
def step_view() -> None:
    """The bar first; then the phase's heading beside the diagram; then its panels at
    full width, right under them; then the scenario and the equations.

    At 1024×768 and up the panels start inside the first screen.  On a phone the
    page's CSS (charts.STEP_CSS) puts the panels right after the bar, last first, so
    what the phase computed comes first.
    """
    net, stepper, config = visitor.net, visitor.stepper, visitor.config
    bar_ui(stepper)
    howto_ui()  # closed, under the bar: the bar keeps its place
    state.show_messages()
    record = stepper.last
    left, right = st.columns([2, 1])
    with right:
        diagram_ui(net, record)
    if record is None:
        with left:
            st.info(t("press_next"))
            st.caption(t("diagram_caption"))
        start_ui(stepper, config)
        scenario_ui()
        overview_ui(stepper)
        return
    with left:
        title, what = phase_heading(record, net.num_layers)
        st.subheader(title)
        st.markdown(what)
        # Here, beside the diagram, rather than above the panels: the panels start at the
        # same height in every phase.
        layer = update_layer_ui(net) if record.kind == "update" else None
        st.caption(t("diagram_caption"))
    if not predict_gate(record):  # workshop mode: the question first, nothing revealed
        scenario_ui()
        return
    panels_ui(record, net, config, layer)
    scenario_ui()
    with st.expander(t("equations_expander"), expanded=True):
        equations_ui(record, net, config, layer)
