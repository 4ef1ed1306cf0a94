"""The setup widgets in the sidebar, and their two-way link with the URL.

Every widget is drawn from its row of the parameter table (playground.params): the
row's kind says which widget, its choices or bounds, its label and its help.  On a
visitor's first run the widgets are seeded from the URL (params.parse_link);
afterwards the URL follows the widgets, so the address bar is always a link to the
current setup.
"""

from __future__ import annotations

import streamlit as st

from bp_core import losses
from bp_view.notation import layer

from . import config as cfg
from . import controls, limits, params, session
from .i18n import t
from .params import Param
from .presets import PRESETS
from .session import visitor


def seed_widgets(config: cfg.Config) -> None:
    """Put a Config into the widgets' session_state (before they are drawn)."""
    widgets = session.widgets()
    for key, value in params.widget_values(config).items():
        widgets[key] = value


def init_from_url() -> None:
    """First run of a session: read the URL once and warn about what was refused."""
    if visitor.url_read:
        return
    visitor.url_read = True
    link, problems = params.parse_link(st.query_params.to_dict())
    widgets = session.widgets()
    for param in params.PAGE:  # the language, the mode and the scenario box
        widgets[param.widget_key] = link.page[param.name]
    if link.page["preset"]:
        choose_preset(link.page["preset"])
    visitor.locks, visitor.hidden_controls = link.lock, link.hide
    seed_widgets(link.config)
    visitor.url_problems = problems


def choose_preset(name: str) -> None:
    """Remember a scenario; its network is installed once the config is applied."""
    visitor.preset = name
    visitor.preset_pending = name
    visitor.update_biases = PRESETS[name].update_biases


def leave_preset_if_changed(config: cfg.Config) -> None:
    """If a control the scenario owns was changed, leave the scenario, with a note: its
    picture and text would no longer be true of this setup."""
    name = visitor.preset
    if name not in PRESETS:
        return
    changed = PRESETS[name].conflicts(config)
    if changed:
        visitor.preset = None
        visitor.preset_choice = ""
        del visitor.preset_pending
        visitor.update_biases = True
        back = " " + t("preset_left_back") if controls.usable("preset") else ""
        st.info(t("preset_left", title=t(f"preset_{name}_title"), names=", ".join(changed))
                + back)


def _on_preset() -> None:
    name = visitor.preset_choice
    if name != "" and name not in PRESETS:  # forged (or None): refuse_forged restores
        return  # the choice and warns; the scenario in force must not be left by it
    if name in PRESETS:
        choose_preset(name)
        seed_widgets(PRESETS[name].config)
    else:
        visitor.preset = None


def _keep_output_valid() -> None:
    # Before the output box is drawn: an output the data set does not offer (softmax
    # after leaving the digits) falls back to the default, and the loss follows.
    ss = session.widgets()
    if ss.get("data") in cfg.DATASETS and ss.get("out") not in cfg.output_activations(
            ss["data"]):
        ss["out"] = cfg.DEFAULT.out
    _keep_loss_valid()


def _keep_loss_valid() -> None:
    # A callback runs before the widgets are drawn, so the loss can still be changed here.
    # It also runs before refuse_forged: an output the data set does not offer (None, a
    # forged name, softmax for xor) is left to refuse_forged, which restores it and warns.
    ss = session.widgets()
    if ss.get("out") not in cfg.output_activations(ss.get("data")):
        return
    valid = losses.valid_losses(ss["out"])
    if ss.get("loss") not in valid:
        ss["loss"] = valid[0]


# What a change of a widget sets off, before the next run draws anything.
ON_CHANGE = {"preset": _on_preset, "out": _keep_loss_valid}


def _previous_value(key: str) -> object:
    """What a widget showed before this rerun: from the setup in force, or its default."""
    config: cfg.Config = visitor.config or cfg.DEFAULT
    # The language and the mode go back to their defaults; the scenario box to the
    # scenario in force.
    return params.widget_shown_value(key, config, {"preset": visitor.preset or ""})


def refuse_forged() -> None:
    """Re-check what the browser sent, before any widget is drawn: a refused value gets
    a warning naming the parameter, and the widget gets back its previous value, so
    nothing is lost.  (The warning never repeats the value: a stranger chose it.)"""
    ss = session.widgets()
    for key, (allowed, why, values) in params.widget_rules().items():
        if key in ss and not allowed(ss[key]):
            # None is an emptied box, or a value forged out of range (Streamlit turns
            # that into the default, which is None): a plain note, not the warning.
            if ss[key] is None and why == "whole":
                why = "empty"
            _refuse(key, why, values)
    # Two rules depend on the values checked above: the output must be offered for the
    # data set (softmax only for one-hot classes), and the loss must pair with the
    # output (a select box silently shows its first option for a value it lacks).  A
    # value the browser did not change (softmax after leaving the digits) is not
    # forged: _keep_output_valid replaces it.
    config: cfg.Config = visitor.config or cfg.DEFAULT
    data, out = ss.get("data"), ss.get("out")
    if "out" in ss and out != config.out and out not in cfg.output_activations(data):
        _refuse("out", "out_for_data",
                {"data": data, "choices": ", ".join(cfg.output_activations(data))})
    out, loss = ss.get("out"), ss.get("loss")
    if ("loss" in ss and out in cfg.OUTPUT_ACTIVATIONS and loss != config.loss
            and loss not in losses.valid_losses(out)):
        _refuse("loss", "loss_pair", {"loss": loss, "out": out})


def _refuse(key: str, why: str, values: dict) -> None:
    """Give a widget back its previous value and queue the warning about it."""
    ss = session.widgets()
    # Forget the browser's message first: after a value of the wrong kind (a number for
    # a select box), Streamlit would fail to store the restored value in its place.
    del ss[key]
    ss[key] = _previous_value(key)
    visitor.widget_problems.append((key, why, values))


KEEP = "session"  # the sidebar's widgets keep their values across pages


def draw(param: Param, lang: str, disabled: bool) -> None:
    """Draw one row's widget(s), by its kind.  The widget's value is already in the
    session (seeded from the link, or the browser's), so no widget gets a default.

    Number boxes get value=None, so that a forged value out of bounds arrives as None
    for refuse_forged rather than being replaced by a default without a word.  Every
    widget keeps its value for the session (persist_state="session"): the sidebar is
    drawn on every page, and Streamlit would otherwise reset it on a page switch.
    """
    ss = session.widgets()
    key, label = param.widget_key, t(param.label_key)
    # A locked widget says why it is greyed out: its help leads with "locked by the link".
    help_text = (controls.help_text(param.name, param.help) if disabled
                 else t(param.help) if param.help else None)
    if param.kind == "hidden":
        st.number_input(label, 0, limits.APP_MAX_HIDDEN_LAYERS, key="n_hidden",
                        value=None, disabled=disabled, help=help_text, persist_state=KEEP)
        for i in range(ss["n_hidden"]):
            ss.setdefault(f"hidden_{i}", params.HIDDEN_SLIDER_DEFAULT)
            st.number_input(t("hidden_size_label", layer=layer(i)), *param.bounds,
                            key=f"hidden_{i}", value=None, disabled=disabled,
                            help=help_text if disabled else None, persist_state=KEEP)
        return
    if param.kind == "whole":
        st.number_input(label, *param.bounds, key=key, value=None, disabled=disabled,
                        help=help_text, persist_state=KEEP)
        return
    ss.setdefault(key, _previous_value(key))
    options = list(param.offered(ss) if param.offered else param.choices)
    # format_func runs again outside this session (AppTest does), so the language is
    # bound into each lambda rather than read from session_state later.
    show = param.option
    format_func = (lambda v, lang=lang: show(v, lang)) if show else str
    widget = st.radio if param.widget == "radio" else st.selectbox
    extra = {"horizontal": True} if param.widget == "radio" else {}
    widget(label, options, key=key, format_func=format_func, disabled=disabled,
           help=help_text, on_change=ON_CHANGE.get(param.name), persist_state=KEEP, **extra)


def setup_ui() -> cfg.Config:
    """Draw the setup widgets and return the Config they describe (always valid)."""
    ss = session.widgets()
    leave_preset_if_changed(params.config_from_widgets(ss))  # before the scenario box
    locked, hidden = set(visitor.locks), set(visitor.hidden_controls)
    _keep_output_valid()  # also when the link asked for an output the data lacks
    with st.sidebar:
        lang = visitor.lang
        for param in params.PAGE + params.SETUP:
            if param is params.SETUP[0]:
                st.header(t("setup_header"))
                if locked:  # said once here too: a help text shows only on hover
                    names = ", ".join(n for n in params.CONTROLS if n in locked)
                    st.caption(t("locked_caption", names=names))
            if param.lockable and param.name in hidden:
                continue
            draw(param, lang, disabled=param.lockable and param.name in locked)
            if param.name == "lang":
                lang = visitor.lang  # the rest of the sidebar is in the language chosen

    config = params.config_from_widgets(ss)
    # The widgets already bound every value; this re-check is the server-side guard
    # (session_state can be written by callbacks and uploads, not only by widgets).
    config, problems = cfg.fix(config)
    for problem in problems:
        st.warning(cfg.warning_text(problem, t, "bad_setting"))
    forged = visitor.widget_problems
    del visitor.widget_problems  # warned about once
    for problem in forged:
        st.warning(cfg.warning_text(problem, t, "bad_widget_value"))
    return config


def write_url(config: cfg.Config) -> None:
    """Make the address bar a link to this setup (keeping the link's locks and hides)."""
    widgets = session.widgets()
    page = {param.name: widgets.get(param.widget_key) for param in params.PAGE}
    page["preset"] = visitor.preset  # the scenario in force, whatever the box shows
    wanted = params.link_query(config, page, st.query_params.to_dict())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
