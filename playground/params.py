"""The one table of the app's parameters: every URL parameter and sidebar control, one row.

From the rows come, with nothing written twice:
  - the URL parser, ``parse_link`` / ``parse_query``: each value is checked by its row's
    kind, and a refused one gives a Problem that names the parameter;
  - the URL writer, ``to_query`` / ``link_query``;
  - the sidebar's widgets (playground.sidebar draws each row by its kind);
  - the refusal of forged widget values, ``widget_rules``: the server re-checks what a
    browser sent against the same choices and bounds;
  - the names an instructor may lock or hide (``CONTROLS``).

Adding a URL parameter is one row here (and a field of config.Config if it is part of
the network's setup).  Nothing here imports Streamlit, so every row is tested on its own.

The kinds:
  "choice"  one of a list (select box, or a radio if ``widget`` says so)
  "stops"   a number from a list of log-scale stops: a link may give any number within
            ``bounds``, which is moved to the nearest stop (params.snap)
  "whole"   a whole number within ``bounds`` (a number box)
  "hidden"  the hidden layers' sizes, "16-8" in a link; a number box for how many
            layers and one for each layer's size
  "names"   a comma-separated list of control names (lock=, hide=); no widget
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bp_core import losses

from . import config as cfg
from . import limits
from .config import Config, Problem
from .i18n import LANGUAGES, t
from .presets import PRESETS

HIDDEN_SLIDER_DEFAULT = 4  # the size a newly added hidden layer starts at


@dataclass(frozen=True)
class Param:
    """One URL parameter and the control that shows it.

    name:     the URL parameter; for a setup row also the config.Config field
    kind:     "choice", "stops", "whole", "hidden" or "names" (see the module doc)
    choices:  every value the parameter may take (choice, stops); the widget may offer
              fewer (``offered``), and the cross-field rules in config.fix say which
    bounds:   (lo, hi) of a whole number, or the range a link's number may have (stops)
    default:  the value when the link gives none; for setup rows it is config.DEFAULT's
    label:    the locale key of the widget's label ("<name>_label" if not given)
    help:     the locale key of the widget's help, or None
    option:   how an option is shown: fn(value, lang) -> text, or None for the value
    offered:  the options drawn, from the other widgets' values: fn(session) -> list
    key:      the widget's key (its session-state key), if not the name
    widget:   "selectbox" or "radio" for a choice
    setup:    part of the network's setup (a Config field) or of the page (lang, mode...)
    lockable: whether ?lock= and ?hide= may name it
    """

    name: str
    kind: str
    choices: Sequence = ()
    bounds: tuple[float, float] = (0, 0)
    default: object = None
    label: str | None = None
    help: str | None = None
    option: Callable[[object, str], str] | None = None
    offered: Callable[[Mapping], Sequence] | None = None
    key: str | None = None
    widget: str = "selectbox"
    setup: bool = True
    lockable: bool = True

    @property
    def widget_key(self) -> str:
        return self.key or self.name

    @property
    def label_key(self) -> str:
        return self.label or f"{self.name}_label"


def _number(value: object, lang: str) -> str:
    return f"{value:g}"


def _preset_title(value: object, lang: str) -> str:
    return t(f"preset_{value}_title", lang) if value else t("preset_none", lang)


def _default(name: str) -> object:
    return getattr(cfg.DEFAULT, name)


# The network's setup, in the sidebar's order.  Each row's name is a Config field.
SETUP: list[Param] = [
    Param("data", "choice", cfg.DATASETS, default=_default("data"), help="data_help",
          option=lambda v, lang: t(f"data_{v}", lang)),
    Param("hidden", "hidden", bounds=(1, limits.APP_MAX_HIDDEN_NEURONS),
          default=_default("hidden"), label="n_hidden_label", help="n_hidden_help"),
    Param("act", "choice", cfg.HIDDEN_ACTIVATIONS, default=_default("act")),
    # The output and the loss offer only what fits the data set and the output; a link
    # may name any of them, and config.fix refuses a pair that does not fit, by name.
    Param("out", "choice", cfg.OUTPUT_ACTIVATIONS, default=_default("out"),
          offered=lambda ss: cfg.output_activations(ss["data"])),
    Param("loss", "choice", cfg.LOSSES, default=_default("loss"), help="loss_help",
          offered=lambda ss: losses.valid_losses(ss["out"])),
    Param("init", "choice", cfg.INITS, default=_default("init"), help="init_help"),
    # A drop-down of log-scale stops, as TensorFlow Playground has: unlike a select
    # slider, a select box lets a forged value through to be refused by name.
    Param("lr", "stops", cfg.LEARNING_RATES, (limits.APP_MIN_LR, limits.APP_MAX_LR),
          default=_default("lr"), help="lr_help", option=_number),
    Param("batch", "whole", bounds=(1, limits.APP_MAX_BATCH), default=_default("batch")),
    Param("l2", "stops", cfg.L2_CHOICES, (0.0, limits.APP_MAX_L2), default=_default("l2"),
          help="l2_help", option=_number),
    Param("seed", "whole", bounds=(0, limits.APP_MAX_SEED), default=_default("seed")),
    Param("epochs", "whole", bounds=(1, limits.APP_MAX_EPOCHS), default=_default("epochs")),
]

# The page's own parameters, drawn above the setup.  A link writes them only when they
# differ from their defaults, so a plain link stays short.
PAGE: list[Param] = [
    Param("lang", "choice", list(LANGUAGES), default="en", option=lambda v, lang: LANGUAGES[v],
          setup=False, lockable=False),
    Param("mode", "choice", cfg.MODES, default="play", option=lambda v, lang: t(f"mode_{v}", lang),
          widget="radio", setup=False),
    # "" is "no scenario"; the widget's key differs from the URL name because the
    # scenario in force (session "preset") and the box's choice can differ for a run.
    Param("preset", "choice", ["", *PRESETS], default="", option=_preset_title,
          key="preset_choice", setup=False),
]

# ?lock=hidden,lr and ?hide=train: names of controls; the links keep them as they are.
NAMES: list[Param] = [
    Param("lock", "names", default=(), setup=False, lockable=False),
    Param("hide", "names", default=(), setup=False, lockable=False),
]

TABLE: list[Param] = PAGE + SETUP + NAMES
# A workshop room's code and its instructor's token: links keep them as they are, and
# playground.room_view / instructor_view check them (workshop.rooms), never this table.
ROOM_PARAMS = ("room", "token")
PARAMS = [p.name for p in SETUP]  # data, hidden, act, ...: what a Config carries
# Controls an instructor can lock (greyed out) or hide: the setup, the buttons of the
# train, check and save tabs, and the page controls that may be locked.
CONTROLS = PARAMS + ["train", "gradcheck", "upload"] + [
    p.name for p in PAGE if p.lockable]


# --- one value: parse, write -------------------------------------------------------


def parse_value(param: Param, text: str) -> tuple[object, tuple[str, dict] | None]:
    """A link's text for one parameter as (value, None), or (None, (why, values)).

    The text is already stripped and within config.MAX_PARAM_CHARS.
    """
    lo, hi = param.bounds
    try:
        if param.kind == "choice":
            # "" is the scenario box's "none", never a value a link names.
            named = [c for c in param.choices if c != ""]
            if text in named:
                return text, None
            return None, ("one_of", {"choices": ", ".join(named)})
        if param.kind == "stops":
            return cfg.parse_float(text, lo, hi), None
        if param.kind == "whole":
            return cfg.parse_int(text, lo, hi), None
        if param.kind == "hidden":
            return cfg.parse_hidden(text), None  # config.fix checks the limits
    except (ValueError, OverflowError):
        pass
    if param.kind == "hidden":
        return None, ("hidden_format", {})
    why = "number" if param.kind == "stops" else "whole"
    return None, (why, {"lo": f"{lo:g}", "hi": f"{hi:g}"})


def write_value(param: Param, value: object) -> str:
    """One value as a link writes it; parse_value reads it back unchanged."""
    if param.kind == "hidden":
        return "-".join(map(str, value)) or "0"
    if param.kind == "stops":
        return f"{value:g}"
    return str(value)


def to_query(config: Config) -> dict[str, str]:
    """The URL parameters of a setup (always the full set, so links are exact)."""
    return {p.name: write_value(p, getattr(config, p.name)) for p in SETUP}


def raw_value(query: Mapping, name: str, problems: list[Problem]) -> str | None:
    """A parameter's text in a link (the last one if repeated), stripped; None if absent
    or too long (then with a Problem: a long text is never parsed)."""
    value = query.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    if value is None:
        return None
    value = str(value)
    if len(value) > cfg.MAX_PARAM_CHARS:
        problems.append((name, "too_long", {}))
        return None
    return value.strip()


SNAP_TOLERANCE = 1e-9  # relative: "0.30000000001" is the stop 0.3, with no warning


def snap(config: Config, from_link: set[str], problems: list[Problem]) -> Config:
    """Move lr and l2 to their sliders' nearest stops, so the widgets can show them.

    A value the link gave that moves gets a warning naming the stop used (ours, never
    the link's text); values from the base (a preset) are ours and move silently.
    """
    for name, stops in ((p.name, p.choices) for p in SETUP if p.kind == "stops"):
        value = getattr(config, name)
        stop = cfg.nearest(stops, value)
        if name in from_link and not math.isclose(stop, value, rel_tol=SNAP_TOLERANCE):
            stops_text = ", ".join(f"{s:g}" for s in stops)
            problems.append((name, "snapped", {"value": f"{stop:g}", "stops": stops_text}))
        config = replace(config, **{name: stop})
    return config


def parse_query(query: Mapping, base: Config = cfg.DEFAULT) -> tuple[Config, list[Problem]]:
    """Turn URL parameters into a valid Config and a list of Problems.

    Parameters that are absent keep their value from ``base`` (the defaults, or a
    scenario's setup).  Unknown parameters are ignored (the page's own are read by
    parse_link).  Never raises.
    """
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for param in SETUP:
        text = raw_value(query, param.name, problems)
        if text is None:
            continue
        value, why = parse_value(param, text)
        if why is None:
            values[param.name] = value
        else:
            problems.append((param.name, *why))
    config = replace(base, **values)
    if "loss" not in values and config.loss not in losses.valid_losses(config.out):
        # The link chose an output but no loss: pick one that pairs, without a warning.
        config = replace(config, loss=cfg.paired_loss(config.out))
    config = snap(config, set(values), problems)
    return cfg.fix(config, problems)


def parse_names(text: str | list[str], param: str) -> tuple[list[str], list[Problem]]:
    """Parse a comma-separated list of control names, such as lock=hidden,lr.

    Unknown names are dropped.  If some names were known, those apply, and the warning
    ("unknown_names") says so with a count of the others, never their text; if none
    were, nothing applies, which is the default ("one_of").
    """
    if isinstance(text, list):
        text = ",".join(text)
    if len(text) > 512:
        return [], [(param, "too_long", {})]
    names = [name.strip() for name in text.split(",") if name.strip()]
    good = [name for name in names if name in CONTROLS]
    unknown = {name for name in names if name not in CONTROLS}
    choices = ", ".join(CONTROLS)
    if not unknown:
        return good, []
    if not good:
        return good, [(param, "one_of", {"choices": choices})]
    return good, [(param, "unknown_names", {"n": len(unknown), "choices": choices})]


@dataclass(frozen=True)
class Link:
    """What a link asks for: the setup, the page's values, and the locks and hides.

    page: {"lang": ..., "mode": ..., "preset": ...}, each valid ("" is no scenario).
    """

    config: Config
    page: dict
    lock: list[str]
    hide: list[str]


def parse_link(query: Mapping) -> tuple[Link, list[Problem]]:
    """A whole link: the page's parameters, then the setup, based on the scenario's
    setup if the link names one.  Never raises; every refusal is a named Problem."""
    problems: list[Problem] = []
    page = {}
    for param in PAGE:
        text = raw_value(query, param.name, problems)
        value, why = (None, None) if text is None else parse_value(param, text)
        if why is not None:
            problems.append((param.name, *why))
        page[param.name] = param.default if value is None else value
    base = cfg.DEFAULT
    if page["preset"]:
        preset = PRESETS[page["preset"]]
        base = preset.config
        # The link may not change what the scenario owns (a preset's own network must
        # never meet another data set or architecture).
        query, owned = preset.refuse_owned(query)
        problems += owned
    config, more = parse_query(query, base)
    problems += more
    names = {}
    for param in NAMES:
        names[param.name], found = parse_names(query.get(param.name, ""), param.name)
        problems += found
    return Link(config, page, names["lock"], names["hide"]), problems


def link_query(config: Config, page: Mapping, kept: Mapping) -> dict[str, str]:
    """The URL of a setup and the page's values: the setup, the page's values that are
    not their defaults, and ``kept`` (the link's lock= and hide=, as they were).

    With a scenario in force (page["preset"]) the settings it owns are left out: the
    scenario sets them, and a link that named them would be refused with a warning
    for each (parse_link).  Every other setting is written, so links stay exact."""
    preset = PRESETS.get(page.get("preset") or "")
    owned = set(preset.owns) if preset else set()
    wanted = {name: value for name, value in to_query(config).items() if name not in owned}
    for name in [p.name for p in NAMES] + list(ROOM_PARAMS):
        if name in kept:
            wanted[name] = kept[name]
    for param in PAGE:
        value = page.get(param.name)
        if value and value != param.default:
            wanted[param.name] = value
    return wanted


# --- widgets: their values, and the rules a browser's value must meet ---------------


def widget_values(config: Config) -> dict[str, object]:
    """The setup widgets' session values that show a Config: key -> value."""
    values: dict[str, object] = {}
    for param in SETUP:
        value = getattr(config, param.name)
        if param.kind == "hidden":
            values["n_hidden"] = len(value)
            values.update({f"hidden_{i}": n for i, n in enumerate(value)})
        else:
            values[param.widget_key] = value
    return values


def config_from_widgets(ss: Mapping) -> Config:
    """The Config the setup widgets' values describe (before config.fix checks it)."""
    values: dict[str, object] = {}
    for param in SETUP:
        if param.kind == "hidden":
            values["hidden"] = tuple(int(ss.get(f"hidden_{i}", HIDDEN_SLIDER_DEFAULT))
                                     for i in range(ss["n_hidden"]))
        elif param.kind == "stops":
            values[param.name] = float(ss[param.widget_key])
        elif param.kind == "whole":
            values[param.name] = int(ss[param.widget_key])
        else:
            values[param.name] = ss[param.widget_key]
    return Config(**values)


def widget_shown_value(key: str, config: Config, page: Mapping) -> object:
    """What a widget showed for the setup in force and the page's values: the value a
    refused widget gets back.  page: as Link.page, with "preset" the scenario in force."""
    if key == "n_hidden":
        return len(config.hidden)
    if key.startswith("hidden_"):
        i = int(key.removeprefix("hidden_"))
        return config.hidden[i] if i < len(config.hidden) else HIDDEN_SLIDER_DEFAULT
    param = next(p for p in TABLE if p.widget_key == key)
    if param.setup:
        return getattr(config, param.name)
    return page.get(param.name) or param.default


Rule = tuple[Callable[[object], bool], str, dict]


def _one_of(choices: Sequence) -> Rule:
    choices = list(choices)
    # The same type too: True == 1.0 and 3 == 3.0, but a bool or an int sent for the
    # learning rate's select box is a forged message, not the option 1.0.
    return ((lambda v: any(type(v) is type(c) and v == c for c in choices)), "one_of",
            {"choices": ", ".join(map(str, choices))})


def _whole(lo: int, hi: int) -> Rule:
    return ((lambda v: limits.is_int(v) and lo <= v <= hi), "whole",
            {"lo": str(lo), "hi": str(hi)})


# Streamlit replaces a value outside a widget's bounds by the widget's default before
# our code sees it, so the number boxes are drawn with no default (value=None): a forged
# value (seed −5, 50 hidden layers) then arrives as None.  A select box passes an
# unknown option through until it is drawn.  So every value is checked here.
def widget_rules() -> dict[str, Rule]:
    """Widget key -> (is the value allowed?, why, values): "why_<why>" says what it must
    be.  Every widget the sidebar draws has a rule (a test checks it)."""
    rules: dict[str, Rule] = {}
    for param in PAGE + SETUP:
        if param.kind in ("choice", "stops"):
            rules[param.widget_key] = _one_of(param.choices)
        elif param.kind == "whole":
            rules[param.widget_key] = _whole(*param.bounds)
        elif param.kind == "hidden":
            rules["n_hidden"] = _whole(0, limits.APP_MAX_HIDDEN_LAYERS)
            for i in range(limits.APP_MAX_HIDDEN_LAYERS):
                rules[f"hidden_{i}"] = _whole(*param.bounds)
    return rules
