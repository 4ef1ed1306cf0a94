"""The playground's setup: the Config a link carries, its choices and its checks.

The facts about the setup live here: the choices of each setting, the data sets'
shapes, the Config dataclass and its consistency rules (fix), and how a number in a
link may be written.  The table that turns them into URL parameters and widgets is
playground.params; the bounds themselves come from bp_core.limits.  Nothing here
imports Streamlit, so the parsing is tested on its own.

A value that fails its check falls back to the default and produces a warning
that names the parameter.  The warning never repeats the value itself: it came
from a stranger and might be markup.  What a warning may show is ours: a bound,
a list of choices, the slider stop that was used, a count.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from bp_core import activations, datasets, losses
from bp_core.init import INITS

from . import limits

DATASETS = list(datasets.GENERATORS)
HIDDEN_ACTIVATIONS = activations.HIDDEN_ACTIVATIONS
OUTPUT_ACTIVATIONS = activations.OUTPUT_ACTIVATIONS
LOSSES = list(losses.LOSSES)
INITS = list(INITS)

# Learning rates on a log scale: 1, 2, 3, 5 per decade (0.5 for Mazur, 3.0 for Nielsen).
LEARNING_RATES = [float(f"{m}e{e}") for e in range(-4, 2) for m in (1, 2, 3, 5)] + [100.0]
L2_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0]
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
    """The whole setup of a network and its training; what a shared link carries.

    hidden: the hidden layers' sizes, (8, 8) for a 2-8-8-1 network on xor; () for
    none.  The other fields are names from bp_core's registries (act, out, loss,
    init) and numbers within the app's limits.  One row of playground.params per field.

    The defaults are a first visit's setup, so they must succeed: one Train click
    reaches at least 95 % training accuracy on xor (tests/test_defaults.py checks seeds
    0-19; by hand, seeds 0-299 all reach 96 % or more, and of seeds 0-999 four stay
    under 95 %, the worst 89 %).  Two hidden layers, so a pass shows the backward
    recursion; 8 neurons each,
    because 2-4-2-1 often stalls in a poor minimum (72 % at seed 0, 6 of 20 seeds under
    95 %); 100 epochs of 19 mini-batches, about 0.1 s, far inside the Train budget.
    """

    data: str = "xor"
    hidden: tuple[int, ...] = (8, 8)
    act: str = "tanh"
    out: str = "sigmoid"
    loss: str = "cross_entropy"
    init: str = "xavier"
    lr: float = 0.3
    batch: int = 8
    seed: int = 0
    l2: float = 0.0
    epochs: int = 100

    @property
    def sizes(self) -> list[int]:
        return [input_size(self.data), *self.hidden, output_size(self.data)]

    def architecture(self) -> tuple:
        """What, when changed, means a new network built from the seed."""
        return (self.data, self.hidden, self.act, self.out, self.loss, self.init, self.seed)


DEFAULT = Config()
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


def parse_hidden(text: str) -> tuple[int, ...]:
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


def parse_float(text: str, lo: float, hi: float) -> float:
    if not DECIMAL.fullmatch(text):
        raise ValueError
    value = float(text)  # "1e999" is inf: refused below
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError
    return value


def parse_int(text: str, lo: int, hi: int) -> int:
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


MODES = ["play", "workshop", "bughunt", "exercises", "instructor"]
