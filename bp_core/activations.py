"""Activation functions: each a value and its derivative, registered by name.

Notation (as in the rest of bp_core): ``a = f(z)``, elementwise, with z and a of
shape (batch, n).  ``derivative(z, a)`` returns f'(z), the same shape; it takes
the already-computed ``a`` too because f'(z) is cheapest written in terms of a
for sigmoid and tanh (σ' = a(1 − a), tanh' = 1 − a²).

`softmax` is not elementwise (each a_j depends on every z_k), so it may only be
an output activation, where the loss supplies the output delta directly.  It needs
at least two outputs (``min_outputs``): over one output it is the constant 1, and
nothing could be learnt.

Each entry also holds every fact the views need about its function, so adding an
activation is one entry here: its LaTeX (``latex``, ``prime_latex``, ``symbol``)
and the closed intervals that hold its values and its derivative's
(``value_range``, ``prime_range``), which the figures use as fixed colour ranges.

Numerical safety: nothing here overflows for |z| = 1000.  Values too small for
float64 are allowed to round to 0 (IEEE underflow), which is the correct
rounding, so callers wrap the engine in ``np.errstate(under="ignore")``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

Array = np.ndarray

LEAKY_SLOPE = 0.01
UNBOUNDED = (-math.inf, math.inf)


@dataclass(frozen=True)
class Activation:
    """One activation and every fact about it.

    value(z) -> a and derivative(z, a) -> f'(z), both (batch, n) -> (batch, n).
    value_range: a closed interval [lo, hi] that holds every value f(z) can take in
    float64 (ends may be ±inf); prime_range: the same for f'(z), or None where f has
    no elementwise derivative (softmax).  ``bounded`` says whether value_range is
    finite, which is when the figures give a[l] a fixed colour range.  value(z) must be
    finite wherever z is (the Stepper checks z, not a).
    """
    name: str
    value: Callable[[Array], Array]
    derivative: Callable[[Array, Array], Array]
    latex: str            # f(z), for the equations on screen
    latex_derivative: str  # f'(z), in terms of z or a; read it as ``prime_latex``
    hidden_ok: bool = True
    min_outputs: int = 1       # the smallest output layer it makes sense for
    min_outputs_why: str = ""  # why, for the ValueError
    value_range: tuple[float, float] = UNBOUNDED
    prime_range: tuple[float, float] | None = None
    symbol: str = "f"     # the function's name in LaTeX: \sigma, \tanh, f

    @property
    def prime_latex(self) -> str:
        """f'(z) in LaTeX, e.g. ``\\sigma'(z) = a(1-a)`` (the same text as latex_derivative)."""
        return self.latex_derivative

    @property
    def bounded(self) -> bool:
        """True when both ends of value_range are finite (sigmoid, tanh, softmax)."""
        return math.isfinite(self.value_range[0]) and math.isfinite(self.value_range[1])


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^(−z)), without overflow: scipy's expit, one ufunc pass.

    expit uses e^z / (1 + e^z) for z < 0, so exp never sees a large positive argument
    and σ(−1000) rounds to exactly 0, σ(40) to exactly 1.
    """
    return special.expit(z)


def _sigmoid_derivative(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


def _tanh_derivative(z: Array, a: Array) -> Array:
    return 1.0 - a * a


def relu(z: Array) -> Array:
    return np.maximum(z, 0.0)


def _relu_derivative(z: Array, a: Array) -> Array:
    # f'(0) is taken as 0, the usual convention at the kink.
    return (z > 0).astype(np.float64)


def leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def _leaky_relu_derivative(z: Array, a: Array) -> Array:
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def linear(z: Array) -> Array:
    return z


def _linear_derivative(z: Array, a: Array) -> Array:
    return np.ones_like(z)


def softmax(z: Array) -> Array:
    """softmax over the last axis (scipy's: the row maximum is subtracted, so exp never
    overflows)."""
    return special.softmax(z, axis=-1)


def log_softmax(z: Array) -> Array:
    """ln softmax(z) over the last axis, exact even where softmax(z) rounds to 0."""
    return special.log_softmax(z, axis=-1)


def _softmax_derivative(z: Array, a: Array) -> Array:
    raise ValueError("softmax has a full Jacobian, not an elementwise derivative; "
                     "its output delta comes from the loss")


# The ranges are those the figures have always drawn with.  f'(z) is never negative;
# sigmoid' peaks at 1/4 (at z = 0), the others at 1.  leaky_relu' only takes the values
# 0.01 and 1, and linear' only 1, but [0, 1] holds them and keeps one scale for all.
ACTIVATIONS: dict[str, Activation] = {
    act.name: act for act in [
        Activation("sigmoid", sigmoid, _sigmoid_derivative,
                   r"\sigma(z) = \frac{1}{1+e^{-z}}", r"\sigma'(z) = a(1-a)",
                   value_range=(0.0, 1.0), prime_range=(0.0, 0.25), symbol=r"\sigma"),
        Activation("tanh", np.tanh, _tanh_derivative,
                   r"\tanh(z)", r"\tanh'(z) = 1-a^2",
                   value_range=(-1.0, 1.0), prime_range=(0.0, 1.0), symbol=r"\tanh"),
        Activation("relu", relu, _relu_derivative,
                   r"\max(0, z)", r"\mathrm{relu}'(z) = [z>0]",
                   value_range=(0.0, math.inf), prime_range=(0.0, 1.0),
                   symbol=r"\mathrm{relu}"),
        Activation("leaky_relu", leaky_relu, _leaky_relu_derivative,
                   r"\max(0.01z, z)", r"f'(z) = 1 \text{ if } z>0 \text{ else } 0.01",
                   prime_range=(0.0, 1.0)),
        Activation("linear", linear, _linear_derivative, r"z", r"f'(z) = 1",
                   prime_range=(0.0, 1.0)),
        Activation("softmax", softmax, _softmax_derivative,
                   r"\frac{e^{z_j}}{\sum_k e^{z_k}}", r"\text{(Jacobian)}", hidden_ok=False,
                   min_outputs=2, min_outputs_why="over one output it is always 1",
                   value_range=(0.0, 1.0)),
    ]
}

# Derived from the registry; register() and unregister() keep them in step, in place, so
# a module that imported these lists sees the change.
HIDDEN_ACTIVATIONS = [name for name, act in ACTIVATIONS.items() if act.hidden_ok]
OUTPUT_ACTIVATIONS = list(ACTIVATIONS)


def register(act: Activation) -> Activation:
    """Add an activation to the registry (and to the choices derived from it).

    Adding an activation is this one entry: its value, derivative, LaTeX and ranges.
    ValueError if the name is taken.
    """
    if act.name in ACTIVATIONS:
        raise ValueError(f"an activation named {act.name!r} is already registered")
    ACTIVATIONS[act.name] = act
    _derive()
    return act


def unregister(name: str) -> None:
    """Remove an activation that ``register`` added; ValueError for an unknown name."""
    get(name)
    del ACTIVATIONS[name]
    _derive()


def _derive() -> None:
    HIDDEN_ACTIVATIONS[:] = [name for name, act in ACTIVATIONS.items() if act.hidden_ok]
    OUTPUT_ACTIVATIONS[:] = list(ACTIVATIONS)


def get(name: str) -> Activation:
    """Look an activation up by name; ValueError lists the known names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of "
                         f"{', '.join(ACTIVATIONS)}") from None
