"""The setup widgets in the sidebar, and their two-way link with the URL.

On a visitor's first run the widgets are seeded from the URL (parsed and checked
by config.parse_query); afterwards the URL follows the widgets, so the address
bar is always a link to the current setup.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from bp_core import losses

from . import config as cfg
from . import limits
from .i18n import LANGUAGES, t
from .presets import PRESETS

HIDDEN_SLIDER_DEFAULT = 4


def seed_widgets(config: cfg.Config) -> None:
    """Put a Config into the widgets' session_state (before they are drawn)."""
    ss = st.session_state
    ss["data"], ss["act"], ss["out"], ss["loss"] = config.data, config.act, config.out, config.loss
    ss["init"], ss["lr"], ss["batch"] = config.init, config.lr, config.batch
    ss["seed"] = config.seed
    ss["l2"], ss["epochs"] = config.l2, config.epochs
    ss["n_hidden"] = len(config.hidden)
    for i, n in enumerate(config.hidden):
        ss[f"hidden_{i}"] = n


def init_from_url() -> None:
    """First run of a session: read the URL once and warn about what was refused."""
    if "url_read" in st.session_state:
        return
    st.session_state["url_read"] = True
    query = st.query_params.to_dict()
    base, problems = cfg.DEFAULT, []
    preset = query.get("preset")
    if preset is not None:
        if preset in PRESETS:
            base = PRESETS[preset].config
            choose_preset(preset)
            # The link may not change what the scenario owns (a preset's own network
            # must never meet another data set or architecture).
            query, problems = PRESETS[preset].refuse_owned(query)
        else:
            problems.append(("preset", "one_of", {"choices": ", ".join(PRESETS)}))
    config, more_problems = cfg.parse_query(query, base)
    problems += more_problems
    mode = query.get("mode", "play")
    if mode not in cfg.MODES:
        problems.append(("mode", "one_of", {"choices": ", ".join(cfg.MODES)}))
        mode = "play"
    st.session_state["mode"] = mode
    lang = query.get("lang", "en")
    if lang not in LANGUAGES:
        problems.append(("lang", "one_of", {"choices": ", ".join(LANGUAGES)}))
        lang = "en"
    st.session_state["lang"] = lang
    st.session_state["locks"], lock_problems = cfg.parse_names(query.get("lock", ""), "lock")
    st.session_state["hidden_controls"], hide_problems = cfg.parse_names(
        query.get("hide", ""), "hide"
    )
    problems += lock_problems + hide_problems
    seed_widgets(config)
    st.session_state["url_problems"] = problems


def choose_preset(name: str) -> None:
    """Remember a scenario; its network is installed once the config is applied."""
    st.session_state["preset"] = name
    st.session_state["preset_pending"] = name
    st.session_state["update_biases"] = PRESETS[name].update_biases


def leave_preset_if_changed(config: cfg.Config) -> None:
    """If a control the scenario owns was changed, leave the scenario, with a note: its
    picture and text would no longer be true of this setup."""
    name = st.session_state.get("preset")
    if name not in PRESETS:
        return
    changed = PRESETS[name].conflicts(config)
    if changed:
        st.session_state["preset"] = None
        st.session_state["preset_choice"] = ""
        st.session_state.pop("preset_pending", None)
        st.session_state["update_biases"] = True
        st.info(t("preset_left", title=t(f"preset_{name}_title"), names=", ".join(changed)))


def _on_preset() -> None:
    name = st.session_state.get("preset_choice")
    if name != "" and name not in PRESETS:  # forged (or None): refuse_forged restores
        return  # the choice and warns; the scenario in force must not be left by it
    if name in PRESETS:
        choose_preset(name)
        seed_widgets(PRESETS[name].config)
    else:
        st.session_state["preset"] = None


def _keep_output_valid() -> None:
    # Before the output box is drawn: an output the data set does not offer (softmax
    # after leaving the digits) falls back to the default, and the loss follows.
    ss = st.session_state
    if ss.get("data") in cfg.DATASETS and ss.get("out") not in cfg.output_activations(
            ss["data"]):
        ss["out"] = cfg.DEFAULT.out
    _keep_loss_valid()


def _keep_loss_valid() -> None:
    # A callback runs before the widgets are drawn, so the loss can still be changed here.
    # It also runs before refuse_forged: an output the data set does not offer (None, a
    # forged name, softmax for xor) is left to refuse_forged, which restores it and warns.
    ss = st.session_state
    if ss.get("out") not in cfg.output_activations(ss.get("data")):
        return
    valid = losses.valid_losses(st.session_state["out"])
    if st.session_state.get("loss") not in valid:
        st.session_state["loss"] = valid[0]


# The widgets whose values a browser sends, with the rule each value must meet.
# Streamlit replaces a value outside a widget's bounds by the widget's default before
# our code sees it, so the number inputs are drawn with no default (value=None): a
# forged value (seed −5, 50 hidden layers) then arrives as None.  So does a box the
# learner emptied, and the two cannot be told apart: None gets a plain "needs a number"
# note, not the "your browser sent" warning.  A select box passes an unknown option
# through until it is drawn, so its value is checked against the options.
def _widget_rules() -> dict[str, tuple[Callable[[object], bool], str, dict]]:
    """key -> (is the value allowed?, why, values): "why_<why>" says what it must be."""
    def one_of(choices) -> tuple[Callable[[object], bool], str, dict]:
        choices = list(choices)
        # The same type too: True == 1.0 and 3 == 3.0, but a bool or an int sent for
        # the learning rate's select box is a forged message, not the option 1.0.
        return ((lambda v: any(type(v) is type(c) and v == c for c in choices)), "one_of",
                {"choices": ", ".join(map(str, choices))})

    def whole(lo: int, hi: int) -> tuple[Callable[[object], bool], str, dict]:
        return ((lambda v: limits.is_int(v) and lo <= v <= hi), "whole",
                {"lo": str(lo), "hi": str(hi)})

    rules = {
        "lang": one_of(LANGUAGES),
        "mode": one_of(cfg.MODES),
        "preset_choice": one_of(["", *PRESETS]),
        "data": one_of(cfg.DATASETS),
        "act": one_of(cfg.HIDDEN_ACTIVATIONS),
        "out": one_of(cfg.OUTPUT_ACTIVATIONS),
        "loss": one_of(cfg.LOSSES),
        "init": one_of(cfg.INITS),
        "lr": one_of(cfg.LEARNING_RATES),
        "l2": one_of(cfg.L2_CHOICES),
        "n_hidden": whole(0, limits.APP_MAX_HIDDEN_LAYERS),
        "batch": whole(1, limits.APP_MAX_BATCH),
        "seed": whole(0, limits.APP_MAX_SEED),
        "epochs": whole(1, limits.APP_MAX_EPOCHS),
    }
    for i in range(limits.APP_MAX_HIDDEN_LAYERS):
        rules[f"hidden_{i}"] = whole(1, limits.APP_MAX_HIDDEN_NEURONS)
    return rules


def _previous_value(key: str) -> object:
    """What a widget showed before this rerun: from the setup in force, or its default."""
    ss = st.session_state
    config: cfg.Config = ss.get("config", cfg.DEFAULT)
    if key == "n_hidden":
        return len(config.hidden)
    if key.startswith("hidden_"):
        i = int(key.removeprefix("hidden_"))
        return config.hidden[i] if i < len(config.hidden) else HIDDEN_SLIDER_DEFAULT
    return {"lang": "en", "mode": "play", "preset_choice": ss.get("preset") or ""}.get(
        key, getattr(config, key, None))


def refuse_forged() -> None:
    """Re-check what the browser sent, before any widget is drawn: a refused value gets
    a warning naming the parameter, and the widget gets back its previous value, so
    nothing is lost.  (The warning never repeats the value: a stranger chose it.)"""
    ss = st.session_state
    for key, (allowed, why, values) in _widget_rules().items():
        if key in ss and not allowed(ss[key]):
            if ss[key] is None and why == "whole":  # emptied, or forged out of range
                why = "empty"
            _refuse(key, why, values)
    # Two rules depend on the values checked above: the output must be offered for the
    # data set (softmax only for one-hot classes), and the loss must pair with the
    # output (a select box silently shows its first option for a value it lacks).  A
    # value the browser did not change (softmax after leaving the digits) is not
    # forged: _keep_output_valid replaces it.
    config: cfg.Config = ss.get("config", cfg.DEFAULT)
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
    ss = st.session_state
    # Forget the browser's message first: after a value of the wrong kind (a number for
    # a select box), Streamlit would fail to store the restored value in its place.
    del ss[key]
    ss[key] = _previous_value(key)
    ss.setdefault("widget_problems", []).append((key, why, values))


def config_from_widgets() -> cfg.Config:
    """The Config the setup widgets' values describe (before cfg.fix checks it)."""
    ss = st.session_state
    return cfg.Config(
        data=ss["data"],
        hidden=tuple(int(ss.get(f"hidden_{i}", HIDDEN_SLIDER_DEFAULT))
                     for i in range(ss["n_hidden"])),
        act=ss["act"],
        out=ss["out"],
        loss=ss["loss"],
        init=ss["init"],
        lr=float(ss["lr"]),
        batch=int(ss["batch"]),
        seed=int(ss["seed"]),
        l2=float(ss["l2"]),
        epochs=int(ss["epochs"]),
    )


def setup_ui() -> cfg.Config:
    """Draw the setup widgets and return the Config they describe (always valid)."""
    ss = st.session_state
    leave_preset_if_changed(config_from_widgets())  # before the scenario box is drawn
    locked = set(ss.get("locks", ()))
    hidden = set(ss.get("hidden_controls", ()))

    def shown(name: str) -> bool:
        return name not in hidden

    with st.sidebar:
        st.selectbox(t("lang_label"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")
        # format_func runs again outside this session (AppTest does), so the language is
        # bound into each lambda rather than read from session_state later.
        lang = ss["lang"]
        if "mode" not in hidden:
            st.radio(
                t("mode_label"),
                cfg.MODES,
                key="mode",
                horizontal=True,
                format_func=lambda m, lang=lang: t(f"mode_{m}", lang),
                disabled="mode" in locked,
            )
        if "preset" not in hidden:
            ss.setdefault("preset_choice", ss.get("preset") or "")
            st.selectbox(
                t("preset_label"),
                ["", *PRESETS],
                key="preset_choice",
                on_change=_on_preset,
                disabled="preset" in locked,
                format_func=lambda p, lang=lang: (
                    t(f"preset_{p}_title", lang) if p else t("preset_none", lang)
                ),
            )
        st.header(t("setup_header"))
        if shown("data"):
            st.selectbox(
                t("data_label"),
                cfg.DATASETS,
                key="data",
                disabled="data" in locked,
                format_func=lambda name, lang=lang: t(f"data_{name}", lang),
                help=t("data_help"),
            )
        if shown("hidden"):
            st.number_input(
                t("n_hidden_label"),
                0,
                limits.APP_MAX_HIDDEN_LAYERS,
                key="n_hidden",
                value=None,
                disabled="hidden" in locked,
                help=t("n_hidden_help"),
            )
            for i in range(ss["n_hidden"]):
                ss.setdefault(f"hidden_{i}", HIDDEN_SLIDER_DEFAULT)
                st.number_input(
                    t("hidden_size_label", layer=i + 1),
                    1,
                    limits.APP_MAX_HIDDEN_NEURONS,
                    key=f"hidden_{i}",
                    value=None,
                    disabled="hidden" in locked,
                )
        if shown("act"):
            st.selectbox(
                t("act_label"), cfg.HIDDEN_ACTIVATIONS, key="act", disabled="act" in locked,
            )
        _keep_output_valid()  # also when the link asked for an output the data lacks
        if shown("out"):
            st.selectbox(
                t("out_label"),
                cfg.output_activations(ss["data"]),
                key="out",
                on_change=_keep_loss_valid,
                disabled="out" in locked,
            )
        if shown("loss"):
            st.selectbox(
                t("loss_label"),
                losses.valid_losses(ss["out"]),
                key="loss",
                disabled="loss" in locked,
                help=t("loss_help"),
            )
        if shown("init"):
            st.selectbox(
                t("init_label"),
                cfg.INITS,
                key="init",
                disabled="init" in locked,
                help=t("init_help"),
            )
        if shown("lr"):
            # A drop-down of log-scale stops, as TensorFlow Playground has: unlike a
            # select slider, a select box lets a forged value through to refuse_forged.
            st.selectbox(
                t("lr_label"),
                cfg.LEARNING_RATES,
                key="lr",
                format_func="{:g}".format,
                disabled="lr" in locked,
                help=t("lr_help"),
            )
        if shown("batch"):
            st.number_input(
                t("batch_label"), 1, limits.APP_MAX_BATCH, key="batch", value=None,
                disabled="batch" in locked,
            )
        if shown("l2"):
            st.selectbox(
                t("l2_label"), cfg.L2_CHOICES, key="l2", format_func="{:g}".format,
                disabled="l2" in locked, help=t("l2_help"),
            )
        if shown("seed"):
            st.number_input(
                t("seed_label"), 0, limits.APP_MAX_SEED, key="seed", value=None,
                disabled="seed" in locked,
            )
        if shown("epochs"):
            st.number_input(
                t("epochs_label"),
                1,
                limits.APP_MAX_EPOCHS,
                key="epochs",
                value=None,
                disabled="epochs" in locked,
            )

    config = config_from_widgets()
    # The widgets already bound every value; this re-check is the server-side guard
    # (session_state can be written by callbacks and uploads, not only by widgets).
    config, problems = cfg.fix(config)
    for problem in problems:
        st.warning(cfg.warning_text(problem, t, "bad_setting"))
    for problem in ss.pop("widget_problems", []):
        st.warning(cfg.warning_text(problem, t, "bad_widget_value"))
    return config


def write_url(config: cfg.Config) -> None:
    """Make the address bar a link to this setup (keeping the other parameters)."""
    wanted = config.to_query()
    for name in ("lock", "hide"):
        if name in st.query_params:
            wanted[name] = st.query_params[name]
    if st.session_state.get("preset"):
        wanted["preset"] = st.session_state["preset"]
    if st.session_state.get("mode", "play") != "play":
        wanted["mode"] = st.session_state["mode"]
    if st.session_state.get("lang", "en") != "en":
        wanted["lang"] = st.session_state["lang"]
    else:
        wanted.pop("lang", None)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
