"""The playground's setup: every URL parameter, its default, its choices and its check.

One place for each fact: the sidebar, the URL parser and the tests all read the
names and bounds from here, and the bounds themselves come from bp_core.limits.
Nothing here imports Streamlit, so the parsing is tested on its own.

A value that fails its check falls back to the default and produces a warning
that names the parameter.  The warning never repeats the value itself: it came
from a stranger and might be markup.  What a warning may show is ours: a bound,
a list of choices, the slider stop that was used, a count.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace

from bp_core import activations, datasets, losses
from bp_core.init import INITS

from . import limits

DATASETS = list(datasets.GENERATORS)
HIDDEN_ACTIVATIONS = activations.HIDDEN_ACTIVATIONS
OUTPUT_ACTIVATIONS = activations.OUTPUT_ACTIVATIONS
LOSSES = list(losses.LOSSES)

# Learning rates on a log scale: 1, 2, 3, 5 per decade (0.5 for Mazur, 3.0 for Nielsen).
LEARNING_RATES = [float(f"{m}e{e}") for e in range(-4, 2) for m in (1, 2, 3, 5)] + [100.0]
L2_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0]
BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64]
N_SAMPLES = 200  # points in each generated 2-D or sine data set
TEST_FRACTION = 0.25


# The shapes and tasks of bp_core.datasets' sets, known without generating them (the
# digits would load scikit-learn).  tests/test_url_hostile.py checks them against the sets.
def input_size(data: str) -> int:
    return {"digits": 64, "sine": 1}.get(data, 2)


def output_size(data: str) -> int:
    return {"digits": 10, "mazur": 2}.get(data, 1)


def task(data: str) -> str:
    """The data set's task, as bp_core.datasets.Dataset.task names it.

    "binary": one 0/1 output; "multiclass": one-hot rows; "regression": any numbers.
    Mazur's targets (0.01, 0.99) are two numbers to fit, not a one-hot class.
    """
    return {"digits": "multiclass", "sine": "regression", "mazur": "regression"}.get(data, "binary")


def output_activations(data: str) -> list[str]:
    """The output activations offered for a data set.

    Softmax makes the outputs a probability distribution over classes, so it fits only
    one-hot targets over at least two outputs: with one output it is the constant 1, and
    log-likelihood's delta a − y is only the gradient when each target row sums to 1.
    """
    one_hot = task(data) == "multiclass" and output_size(data) >= 2
    return [name for name in OUTPUT_ACTIVATIONS if name != "softmax" or one_hot]


def paired_loss(out: str) -> str:
    """The loss a link gets when it names none: the matched one for sigmoid and softmax
    (cross-entropy, log-likelihood), quadratic for the others (the last valid loss)."""
    return losses.valid_losses(out)[-1]


@dataclass(frozen=True)
class Config:
    """The whole setup of a network and its training; what a shared link carries."""

    data: str = "xor"
    hidden: tuple[int, ...] = (4, 2)
    act: str = "tanh"
    out: str = "sigmoid"
    loss: str = "cross_entropy"
    init: str = "xavier"
    lr: float = 0.3
    batch: int = 8
    seed: int = 0
    l2: float = 0.0
    epochs: int = 50
    # extra keys a link may carry that are not network setup
    extras: dict = field(default_factory=dict, compare=False)

    @property
    def sizes(self) -> list[int]:
        return [input_size(self.data), *self.hidden, output_size(self.data)]

    def architecture(self) -> tuple:
        """What, when changed, means a new network built from the seed."""
        return (self.data, self.hidden, self.act, self.out, self.loss, self.init, self.seed)

    def to_query(self) -> dict[str, str]:
        """The URL parameters for this setup (always the full set, so links are exact)."""
        return {
            "data": self.data,
            "hidden": "-".join(map(str, self.hidden)) or "0",
            "act": self.act,
            "out": self.out,
            "loss": self.loss,
            "init": self.init,
            "lr": f"{self.lr:g}",
            "batch": str(self.batch),
            "seed": str(self.seed),
            "l2": f"{self.l2:g}",
            "epochs": str(self.epochs),
        }


DEFAULT = Config()
PARAMS = list(DEFAULT.to_query())  # data, hidden, act, out, loss, init, lr, ...
MAX_PARAM_CHARS = 64  # longer URL values are refused before parsing


# A problem is (parameter, why, values); warning_text() turns it into the learner's
# language.  Most problems mean "the value was refused and the default is used": their
# warning is one sentence for all ("bad_url_param" for a link, "bad_setting" for the
# widgets) with the catalogue entry "why_<why>", filled with values, as its reason.
Problem = tuple[str, str, dict]

# These whys keep part of what the link asked for instead, so "the default is used"
# would be wrong: each has a sentence of its own, filled with the name and the values.
OWN_MESSAGES = {"snapped": "bad_url_snapped", "unknown_names": "bad_url_names",
                "empty": "empty_widget_value"}


def warning_text(problem: Problem, t, fallback: str = "bad_url_param") -> str:
    """The text of a problem's warning; t is the translator (playground.i18n.t).

    Taking t as an argument keeps this module free of Streamlit and of the session.
    """
    name, why, values = problem
    if why in OWN_MESSAGES:
        return t(OWN_MESSAGES[why], name=name, **values)
    return t(fallback, name=name, why=t(f"why_{why}", **values))


def check_hidden(hidden: tuple[int, ...], data: str) -> tuple[str, dict] | None:
    """Why these hidden sizes are over the app's limits, as (why, values), or None."""
    if len(hidden) > limits.APP_MAX_HIDDEN_LAYERS:
        return "hidden_layers", {"n": limits.APP_MAX_HIDDEN_LAYERS}
    if any(not 1 <= n <= limits.APP_MAX_HIDDEN_NEURONS for n in hidden):
        return "hidden_neurons", {"n": limits.APP_MAX_HIDDEN_NEURONS}
    sizes = [input_size(data), *hidden, output_size(data)]
    if limits.n_params(sizes) > limits.APP_MAX_PARAMS:
        return "params", {"n": f"{limits.APP_MAX_PARAMS:,}"}
    return None


# What a number in a link may look like: ASCII digits only.  Python's int() and float()
# are more forgiving than a link should be: they accept "1_0", signs, "inf", "nan" and the
# digits of every script ("٣", "３"), and str.isdigit() is true for those digits too.
# re.ASCII makes [0-9] and the rest mean ASCII only, whatever the pattern grows into.
WHOLE = re.compile(r"[0-9]{1,12}", re.ASCII)  # 12 digits: no huge int is ever built
DECIMAL = re.compile(
    r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]{1,3})?"  # 3, 3., 0.3, 3e-1
    r"|\.[0-9]+([eE][+-]?[0-9]{1,3})?",  # .3, .3e1
    re.ASCII,
)
HIDDEN_TEXT = re.compile(r"[0-9]+(-[0-9]+)*", re.ASCII)  # 16-8
HIDDEN_DIGITS = 4  # a size with more digits is over any limit, whatever its value


def _parse_hidden(text: str) -> tuple[int, ...]:
    """Hidden sizes from text such as "16-8"; ValueError unless it is sizes joined by '-'.

    Too many layers, or sizes of 0 or over the limit, are not refused here but by
    check_hidden in fix(), the one place that knows the limits and says which was hit.
    A size longer than HIDDEN_DIGITS digits is never turned into an int: it stands in
    as one neuron over the limit, so check_hidden refuses it as too many neurons.
    """
    if text in ("", "0", "none"):
        return ()
    if not HIDDEN_TEXT.fullmatch(text):
        raise ValueError
    over = limits.APP_MAX_HIDDEN_NEURONS + 1
    return tuple(int(p) if len(p) <= HIDDEN_DIGITS else over for p in text.split("-"))


def _parse_float(text: str, lo: float, hi: float) -> float:
    if not DECIMAL.fullmatch(text):
        raise ValueError
    value = float(text)  # "1e999" is inf: refused below
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError
    return value


def _parse_int(text: str, lo: int, hi: int) -> int:
    if not WHOLE.fullmatch(text):  # no signs, no "1e9", no "1_0", no "٣"
        raise ValueError
    value = int(text)
    if not lo <= value <= hi:
        raise ValueError
    return value


def nearest(choices: list[float], value: float) -> float:
    """The choice closest to value on a log scale (for the log-scale sliders).

    0 is off the log scale: a value of 0 (no L2) gives the first choice, any other
    value a positive one.
    """
    if value <= 0:
        return choices[0]
    positive = [c for c in choices if c > 0]
    return min(positive, key=lambda c: abs(math.log(c) - math.log(value)))


# The log-scale sliders and their stops: a link's value between stops is moved to one.
SLIDER_STOPS = {"lr": LEARNING_RATES, "l2": L2_CHOICES}
SNAP_TOLERANCE = 1e-9  # relative: "0.30000000001" is the stop 0.3, with no warning


def snap(config: Config, from_link: set[str], problems: list[Problem]) -> Config:
    """Move lr and l2 to their sliders' nearest stops, so the widgets can show them.

    A value the link gave that moves gets a warning naming the stop used (ours, never
    the link's text); values from the base (a preset) are ours and move silently.
    """
    for name, stops in SLIDER_STOPS.items():
        value = getattr(config, name)
        stop = nearest(stops, value)
        if name in from_link and not math.isclose(stop, value, rel_tol=SNAP_TOLERANCE):
            stops_text = ", ".join(f"{s:g}" for s in stops)
            problems.append((name, "snapped", {"value": f"{stop:g}", "stops": stops_text}))
        config = replace(config, **{name: stop})
    return config


def parse_query(
    query: dict[str, str | list[str]], base: Config = DEFAULT
) -> tuple[Config, list[Problem]]:
    """Turn URL parameters into a valid Config and a list of Problems.

    Parameters that are absent keep their value from ``base`` (the defaults, or a
    workshop preset).  Unknown parameters are ignored (other parts of the app read
    their own).  Never raises.
    """
    problems: list[Problem] = []
    values: dict[str, object] = {}

    def raw(name: str) -> str | None:
        value = query.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is None:
            return None
        value = str(value)
        if len(value) > MAX_PARAM_CHARS:
            problems.append((name, "too_long", {}))
            return None
        return value.strip()

    def choose(name: str, choices: list[str]) -> None:
        value = raw(name)
        if value is None:
            return
        if value in choices:
            values[name] = value
        else:
            problems.append((name, "one_of", {"choices": ", ".join(choices)}))

    def number(name: str, parse, why: str, *bounds) -> None:
        value = raw(name)
        if value is None:
            return
        try:
            values[name] = parse(value, *bounds)
        except (ValueError, OverflowError):
            problems.append((name, why, {"lo": f"{bounds[0]:g}", "hi": f"{bounds[1]:g}"}))

    choose("data", DATASETS)
    choose("act", HIDDEN_ACTIVATIONS)
    choose("out", OUTPUT_ACTIVATIONS)
    choose("loss", LOSSES)
    choose("init", INITS)
    number("lr", _parse_float, "number", limits.APP_MIN_LR, limits.APP_MAX_LR)
    number("l2", _parse_float, "number", 0.0, limits.APP_MAX_L2)
    number("batch", _parse_int, "whole", 1, limits.APP_MAX_BATCH)
    number("seed", _parse_int, "whole", 0, limits.APP_MAX_SEED)
    number("epochs", _parse_int, "whole", 1, limits.APP_MAX_EPOCHS)
    hidden_text = raw("hidden")
    if hidden_text is not None:
        try:
            values["hidden"] = _parse_hidden(hidden_text)  # fix() checks the limits
        except ValueError:
            problems.append(("hidden", "hidden_format", {}))

    config = replace(base, **values)
    if "loss" not in values and config.loss not in losses.valid_losses(config.out):
        # The link chose an output but no loss: pick one that pairs, without a warning.
        config = replace(config, loss=paired_loss(config.out))
    config = snap(config, set(values), problems)
    return fix(config, problems)


def fix(config: Config, problems: list[Problem] | None = None) -> tuple[Config, list[Problem]]:
    """Make a Config consistent: hidden sizes within limits, an output offered for the
    data set, a loss that pairs with the output."""
    problems = [] if problems is None else problems
    why = check_hidden(config.hidden, config.data)
    if why:
        problems.append(("hidden", *why))
        config = replace(config, hidden=DEFAULT.hidden)
    offered = output_activations(config.data)
    if config.out not in offered:
        choices = ", ".join(offered)
        problems.append(("out", "out_for_data", {"data": config.data, "choices": choices}))
        config = replace(config, out=DEFAULT.out)  # sigmoid: offered for every data set
        if config.loss not in losses.valid_losses(config.out):
            # The loss went with the refused output: the warning about 'out' explains it.
            config = replace(config, loss=paired_loss(config.out))
    if config.loss not in losses.valid_losses(config.out):
        problems.append(("loss", "loss_pair", {"loss": config.loss, "out": config.out}))
        config = replace(config, loss=losses.valid_losses(config.out)[0])
    return config, problems


def as_dict(config: Config) -> dict:
    d = asdict(config)
    d.pop("extras")
    return d


# Controls an instructor can lock (greyed out) or hide with ?lock=… or ?hide=….
CONTROLS = PARAMS + ["train", "gradcheck", "upload", "mode", "preset"]


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


MODES = ["play", "workshop", "bughunt", "exercises"]
