"""Weight initialisation schemes, registered by name.

Each returns ``(weights, biases)`` with weights[l]: (sizes[l+1], sizes[l]) and
biases[l]: (sizes[l+1],), drawn from ``np.random.default_rng(seed)`` layer by
layer, W before b, so the same seed always gives the same network.

* ``normal``: W, b ~ N(0, 1), as in Nielsen's network.py.
* ``scaled``: W ~ N(0, 1/n_in), b ~ N(0, 1), as in network2.py; keeps z small so
  sigmoid units do not start saturated.
* ``xavier``: W ~ N(0, 2/(n_in + n_out)), b = 0 (Glorot and Bengio, 2010).
* ``he``:     W ~ N(0, 2/n_in), b = 0 (He et al., 2015), for ReLU units.
"""

from __future__ import annotations

import numpy as np


def _std(scheme: str, n_in: int, n_out: int) -> float:
    return {"normal": 1.0,
            "scaled": 1.0 / np.sqrt(n_in),
            "xavier": np.sqrt(2.0 / (n_in + n_out)),
            "he": np.sqrt(2.0 / n_in)}[scheme]


INITS = ["normal", "scaled", "xavier", "he"]
_ZERO_BIAS = {"xavier", "he"}


def initialise(sizes: list[int], scheme: str,
               seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    if scheme not in INITS:
        raise ValueError(f"unknown init {scheme!r}; choose one of {', '.join(INITS)}")
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weights.append(rng.normal(0.0, _std(scheme, n_in, n_out), size=(n_out, n_in)))
        if scheme in _ZERO_BIAS:
            biases.append(np.zeros(n_out))
        else:
            biases.append(rng.normal(0.0, 1.0, size=n_out))
    return weights, biases
