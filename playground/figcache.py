"""Reuse a figure while the numbers behind it are unchanged.

Building a Plotly figure costs tens of milliseconds, and most reruns (a Next click
that is not the update) leave the weights as they were.  The cache lives in the
visitor's own session_state and holds one figure per name, so it is bounded and
private.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from bp_core import Network

from .session import visitor


def network_key(net: Network) -> str:
    """A digest of everything a picture of the network depends on."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((net.sizes, net.activation, net.output_activation, net.loss_name)).encode())
    for w, b in zip(net.weights, net.biases):
        h.update(np.ascontiguousarray(w).tobytes())
        h.update(np.ascontiguousarray(b).tobytes())
    return h.hexdigest()


def cached(name: str, key: object, build: Callable[[], object]):
    """build() once per distinct key; the last figure of each name is kept."""
    store = visitor.figure_cache
    hit = store.get(name)
    if hit is not None and hit[0] == key:
        return hit[1]
    figure = build()
    store[name] = (key, figure)
    return figure
