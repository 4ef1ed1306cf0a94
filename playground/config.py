"""The playground's setup: every URL parameter, its default, its choices and its check.

One place for each fact: the sidebar, the URL parser and the tests all read the
names and bounds from here, and the bounds themselves come from bp_core.limits.
Nothing here imports Streamlit, so the parsing is tested on its own.

A value that fails its check falls back to the default and produces a warning
that names the parameter.  The warning never repeats the value itself: it came
from a stranger and might be markup.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

from bp_core import activations, datasets, limits, losses
from bp_core.init import INITS

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


def input_size(data: str) -> int:
    return {"digits": 64, "sine": 1}.get(data, 2)


def output_size(data: str) -> int:
    return {"digits": 10, "mazur": 2}.get(data, 1)


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


# A problem is (parameter, why, values): the message is the catalogue entry "why_<why>"
# filled with values, so the UI shows it in the learner's language.
Problem = tuple[str, str, dict]


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


def _parse_hidden(text: str) -> tuple[int, ...]:
    if text in ("", "0", "none"):
        return ()
    parts = text.split("-")
    if len(parts) > limits.APP_MAX_HIDDEN_LAYERS or not all(
        p.isdigit() and len(p) <= 4 for p in parts
    ):
        raise ValueError
    return tuple(int(p) for p in parts)


def _parse_float(text: str, lo: float, hi: float) -> float:
    value = float(text)  # ValueError for non-numbers
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError
    return value


def _parse_int(text: str, lo: int, hi: int) -> int:
    if not (text.isdigit() and len(text) <= 12):  # digits only: no signs, no "1e9", no "٣"
        raise ValueError
    value = int(text)
    if not lo <= value <= hi:
        raise ValueError
    return value


def nearest(choices: list[float], value: float) -> float:
    """The choice closest to value on a log scale (for the log-scale sliders)."""
    if value <= 0:
        return choices[0]
    positive = [c for c in choices if c > 0]
    return min(positive, key=lambda c: abs(math.log(c) - math.log(value)))


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
            values["hidden"] = _parse_hidden(hidden_text)
        except ValueError:
            problems.append(("hidden", "hidden_format", {}))

    config = replace(base, **values)
    if "loss" not in values and config.loss not in losses.valid_losses(config.out):
        # The link chose an output but no loss: pick one that pairs, without a warning.
        config = replace(config, loss=losses.valid_losses(config.out)[-1])
    # Snap continuous values to the sliders' log-scale stops, so the widget can show them.
    config = replace(
        config,
        lr=nearest(LEARNING_RATES, config.lr),
        l2=0.0 if config.l2 == 0 else nearest(L2_CHOICES, config.l2),
    )
    return fix(config, problems)


def fix(config: Config, problems: list[Problem] | None = None) -> tuple[Config, list[Problem]]:
    """Make a Config consistent: hidden sizes within limits, a loss that pairs with the output."""
    problems = [] if problems is None else problems
    why = check_hidden(config.hidden, config.data)
    if why:
        problems.append(("hidden", *why))
        config = replace(config, hidden=DEFAULT.hidden)
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
    """Parse a comma-separated list of control names, such as lock=hidden,lr."""
    if isinstance(text, list):
        text = ",".join(text)
    if len(text) > 512:
        return [], [(param, "too_long", {})]
    names = [name.strip() for name in text.split(",") if name.strip()]
    good = [name for name in names if name in CONTROLS]
    problems = (
        [] if len(good) == len(names) else [(param, "one_of", {"choices": ", ".join(CONTROLS)})]
    )
    return good, problems


MODES = ["play", "workshop", "bughunt", "exercises"]
