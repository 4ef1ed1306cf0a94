"""A Network as JSON text and back, exactly, and never by unpickling or evaluating.

    text = to_json(net)          # or net.to_json()
    net2 = from_json(text)       # or Network.from_json(text); bit-for-bit the same weights

The text is one object: {"format": "bp_core.network", "version": 1, "sizes",
"activation", "output_activation", "loss", "weights", "biases"}, with weights[l] a
list of sizes[l+1] rows of sizes[l] numbers and biases[l] a list of sizes[l+1].
Python writes each float as the shortest text that reads back to the same float64,
so the round trip is exact.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from . import limits

if TYPE_CHECKING:
    from .network import Network

JSON_FORMAT = "bp_core.network"
JSON_VERSION = 1
_JSON_KEYS = {"format", "version", "sizes", "activation", "output_activation", "loss",
              "weights", "biases"}


def to_json(net: Network) -> str:
    """A JSON text that ``from_json`` turns back into ``net``, bit for bit.

    Raises ValueError for a network with NaN or infinite parameters (JSON has no
    such numbers).
    """
    if not net.params_finite():
        raise ValueError("cannot save a network with NaN or infinite parameters")
    return json.dumps({
        "format": JSON_FORMAT, "version": JSON_VERSION, "sizes": net.sizes,
        "activation": net.activation, "output_activation": net.output_activation,
        "loss": net.loss_name,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
    }, allow_nan=False)


def from_json(text: str | bytes, cls: type[Network] | None = None) -> Network:
    """Parse a network saved by ``to_json``.  Never unpickles or evaluates.

    Raises ValueError for text over limits.MAX_JSON_BYTES, malformed JSON, NaN or
    Infinity, a key given twice in any object, unknown or missing keys, bad sizes, or
    shapes that do not match the sizes.
    """
    from .network import Network  # network.py imports this module for its methods

    cls = cls or Network
    if isinstance(text, str):
        n_bytes = len(text.encode("utf-8", errors="replace"))
    elif isinstance(text, (bytes, bytearray)):
        n_bytes = len(text)
    else:
        raise ValueError(f"expected JSON text, got {type(text).__name__}")
    if n_bytes > limits.MAX_JSON_BYTES:
        raise ValueError(f"network JSON is {n_bytes:,} bytes; the limit is "
                         f"{limits.MAX_JSON_BYTES:,}")

    def refuse_constant(name: str):
        raise ValueError(f"network JSON may not contain {name}")

    try:
        data = json.loads(text, parse_constant=refuse_constant,
                          object_pairs_hook=_refuse_duplicate_keys)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise ValueError(f"not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ValueError("network JSON must be an object")
    missing, unknown = _JSON_KEYS - data.keys(), data.keys() - _JSON_KEYS
    if missing:
        raise ValueError(f"network JSON is missing keys: {', '.join(sorted(missing))}")
    if unknown:
        raise ValueError(f"network JSON has unknown keys: {', '.join(sorted(unknown))}")
    # type() and not ==: in Python True == 1 == 1.0, and neither is version 1.
    if data["format"] != JSON_FORMAT or type(data["version"]) is not int \
            or data["version"] != JSON_VERSION:
        raise ValueError(f"expected format {JSON_FORMAT!r} version {JSON_VERSION}")
    sizes = limits.check_sizes(data["sizes"])
    for key in ("activation", "output_activation", "loss"):
        if not isinstance(data[key], str):
            raise ValueError(f"{key} must be a name")
    weights, biases = data["weights"], data["biases"]
    L = len(sizes) - 1
    if not (isinstance(weights, list) and isinstance(biases, list)
            and len(weights) == L and len(biases) == L):
        raise ValueError(f"sizes {sizes} need {L} weight matrices and {L} bias vectors")
    for l in range(L):
        _check_matrix(weights[l], sizes[l + 1], sizes[l], f"weights[{l}]")
        _check_vector(biases[l], sizes[l + 1], f"biases[{l}]")
    return cls.from_params(weights, biases, data["activation"],
                               data["output_activation"], data["loss"])


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """json's object_pairs_hook: a dict, unless a key repeats (json keeps the last)."""
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"network JSON has a duplicate key {key!r}")
        seen.add(key)
    return dict(pairs)


def _check_vector(values: object, n: int, name: str) -> None:
    if not isinstance(values, list) or len(values) != n:
        raise ValueError(f"{name} must be a list of {n} numbers")
    for v in values:
        # bool is an int in Python but never a weight; NaN/inf were refused by the parser,
        # but a float like 1e999 parses to inf, so check finiteness too.
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
            raise ValueError(f"{name} must hold finite numbers only, found {v!r}")


def _finite(v: int | float) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:  # a JSON integer such as 10**400 does not fit a float64
        return False


def _check_matrix(rows: object, n_out: int, n_in: int, name: str) -> None:
    if not isinstance(rows, list) or len(rows) != n_out:
        raise ValueError(f"{name} must have shape ({n_out}, {n_in})")
    for i, row in enumerate(rows):
        _check_vector(row, n_in, f"{name}[{i}]")

