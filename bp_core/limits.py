"""Every bound the project enforces, defined once.

The engine, the app, the URL parser and the tests all import these names, so a
limit changes in exactly one place.  The engine limits keep a single `Network`
from exhausting memory; the tighter `APP_*` limits keep one visitor of the
shared, hosted demo from holding the process.
"""

from __future__ import annotations

import numbers

# --- the engine: what a Network may be --------------------------------------
MIN_LAYERS = 2            # input and output layer at least
MAX_LAYERS = 10           # counting the input layer
MAX_NEURONS = 1024        # per layer (784 inputs of MNIST fit)
MAX_PARAMS = 250_000      # weights + biases over all layers
MAX_JSON_BYTES = 1_000_000  # Network.from_json refuses longer text

# --- the app: what one visitor may ask for ----------------------------------
APP_MAX_HIDDEN_LAYERS = 6
APP_MAX_HIDDEN_NEURONS = 64
APP_MAX_PARAMS = 20_000
APP_MAX_BATCH = 64
APP_MAX_EPOCHS = 300
# Wall-time budget of each piece of work one click or page load can start
# (bp_core.budget checks it inside the work's loops; playground.work cancels the work
# when the visitor leaves or a new rerun replaces it).
APP_WORK_SECONDS = {
    "train": 20.0,      # one Train click
    "gradcheck": 10.0,  # one gradient check
    "bughunt": 10.0,    # the buggy engine's gradient check and its two training runs
    "sweep": 10.0,      # the diverge scenario's three learning rates
}
APP_GRADCHECK_ENTRIES = 64  # at most this many cells of each W and b are perturbed
APP_MIN_LR, APP_MAX_LR = 1e-4, 100.0
APP_MAX_L2 = 1.0
APP_MAX_SEED = 2**31 - 1
APP_MAX_SAMPLES = 1000    # points in a generated data set
APP_UPLOAD_BYTES = MAX_JSON_BYTES


def is_int(value: object) -> bool:
    """True for a real integer (bool is refused: True is not a layer size)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def n_params(sizes: list[int]) -> int:
    """Number of weights and biases of a network with these layer sizes."""
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_sizes(sizes: object, *, max_neurons: int = MAX_NEURONS,
                max_params: int = MAX_PARAMS, max_layers: int = MAX_LAYERS) -> list[int]:
    """Validate layer sizes *before* anything is allocated.

    Returns the sizes as a list of Python ints; raises ValueError saying why not.
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise ValueError(f"sizes must be a list of layer sizes, got {type(sizes).__name__}")
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
