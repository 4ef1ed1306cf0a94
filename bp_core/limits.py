"""Every bound the engine enforces, defined once.

The engine and the tests import these names, so a limit changes in exactly one
place.  They keep a single `Network` or data set from exhausting memory.  The app's
tighter limits, which keep one visitor of the shared, hosted demo from holding the
process, are the app's own (playground/limits.py), built on these.

The validators (`check_real`, `check_int`, `check_bool`, `check_sizes`) are shared
too, so every entry point refuses the same hostile values with the same words:
bool is not a number, "0.5" is not a number, NaN and ±inf are not finite.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

# --- the engine: what a Network may be --------------------------------------
MIN_LAYERS = 2            # input and output layer at least
MAX_LAYERS = 10           # counting the input layer
MAX_NEURONS = 1024        # per layer (784 inputs of MNIST fit)
MAX_PARAMS = 250_000      # weights + biases over all layers
MAX_JSON_BYTES = 1_000_000  # Network.from_json refuses longer text
MAX_SAMPLES = 10_000     # points in a generated data set (bp_core.datasets)


def is_int(value: object) -> bool:
    """True for a real integer (bool is refused: True is not a layer size)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_real(value, name: str, *, lo: float | None = None, hi: float | None = None,
               lo_open: bool = False) -> float:
    """value as a float if it is a real, finite number within [lo, hi] ((lo, hi] with
    lo_open); else ValueError naming `name`.

    Python and numpy ints and floats are accepted.  bool is refused (True is not a
    learning rate of 1.0), and so are strings ("0.5" is text, not a number), complex
    numbers, None, NaN and ±inf.
    """
    # The engine's hot paths pass Python floats: they skip the slower ABC check.
    if type(value) is not float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(_refusal(value, name, lo, hi, lo_open, "finite number"))
        try:
            number = float(value)
        except (OverflowError, ValueError):  # an int like 10**400 has no float64
            raise ValueError(_refusal(value, name, lo, hi, lo_open, "finite number")) from None
    else:
        number = value
    above_lo = lo is None or (number > lo if lo_open else number >= lo)
    if not (math.isfinite(number) and above_lo and (hi is None or number <= hi)):
        raise ValueError(_refusal(value, name, lo, hi, lo_open, "finite number"))
    return number


def check_int(value, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """value as an int if it is a real integer (numbers.Integral, not bool) in [lo, hi];
    else ValueError naming `name`.  2.0 is refused too: a count is never a float."""
    if not is_int(value) or (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValueError(_refusal(value, name, lo, hi, False, "whole number"))
    return int(value)


def check_bool(value, name: str) -> bool:
    """value as a bool if it is a Python or numpy bool; else ValueError naming `name`.

    1, "yes" and None are refused: a flag must be a flag, not something truthy.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {_shown(value)}")
    return bool(value)


def _refusal(value, name: str, lo, hi, lo_open: bool, kind: str) -> str:
    """"learning_rate must be a positive finite number, got '0.5'", and the like."""
    return f"{name} must be {_allowed(lo, hi, lo_open, kind)}, got {_shown(value)}"


def _shown(value: object, width: int = 40) -> str:
    """repr(value), cut to `width` characters: a hostile value must not make a huge message."""
    try:
        text = repr(value)
    except ValueError:  # Python refuses to print an int of more than 4300 digits
        text = f"<{type(value).__name__} too long to show>"
    return text if len(text) <= width else text[:width - 3] + "..."


def _allowed(lo, hi, lo_open: bool, kind: str) -> str:
    """What is allowed, in words: 'a whole number from 2 to 1797', 'a finite number ≥ 0'."""
    if lo is not None and hi is not None:
        return f"a {kind} in ({lo}, {hi}]" if lo_open else f"a {kind} from {lo} to {hi}"
    if lo is not None and lo_open:
        return f"a positive {kind}" if lo == 0 else f"a {kind} > {lo}"
    if lo is not None:
        return f"a {kind} ≥ {lo}"
    return f"a {kind} ≤ {hi}" if hi is not None else f"a {kind}"


def n_params(sizes: list[int]) -> int:
    """Number of weights and biases of a network with these layer sizes."""
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_sizes(sizes: object, *, max_neurons: int = MAX_NEURONS,
                max_params: int = MAX_PARAMS, max_layers: int = MAX_LAYERS) -> list[int]:
    """Validate layer sizes *before* anything is allocated.

    Returns the sizes as a list of Python ints; raises ValueError saying why not.
    """
    # Only ordered sequences: a dict's keys or a set's arbitrary order would build a
    # network nobody asked for, and a generator is used up by the first look at it.
    is_vector = isinstance(sizes, np.ndarray) and sizes.ndim == 1
    if not (isinstance(sizes, (list, tuple)) or is_vector):
        shape = f" of shape {sizes.shape}" if isinstance(sizes, np.ndarray) else ""
        raise ValueError(f"sizes must be a list of layer sizes (a list, tuple or 1-D array of "
                         f"integers), got {type(sizes).__name__}{shape}")
    sizes = list(sizes)
    if len(sizes) < MIN_LAYERS:
        raise ValueError(f"a network needs at least {MIN_LAYERS} layers (input and output), "
                         f"got {len(sizes)}")
    if len(sizes) > max_layers:
        raise ValueError(f"at most {max_layers} layers are allowed, got {len(sizes)}")
    for i, n in enumerate(sizes):
        if not is_int(n):
            raise ValueError(f"layer {i} size must be an integer, got {n!r}")
        if n < 1:
            raise ValueError(f"layer {i} must have at least 1 neuron, got {n}")
        if n > max_neurons:
            raise ValueError(f"layer {i} has {n} neurons; the limit is {max_neurons}")
    sizes = [int(n) for n in sizes]
    total = n_params(sizes)
    if total > max_params:
        raise ValueError(f"{total:,} parameters is over the limit of {max_params:,}")
    return sizes
