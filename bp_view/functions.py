"""What a view needs to know about an activation or a loss, in one place.

The figures fix a colour range from an activation's value range and from the range
of its derivative; the BP1 panel and equation say δ = a − y for the loss/output
pairs where f'(z) cancels; the loss panel writes the loss's formula in its caption.
Every figure and equation asks here, never keeps its own copy.
"""

from __future__ import annotations

# The value range of the bounded activations; the others are unbounded.
_VALUE_RANGE = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}
# f'(z) is never negative; sigmoid' peaks at 1/4, the others at 1.
_DERIVATIVE_RANGE = {"sigmoid": (0.0, 0.25), "tanh": (0.0, 1.0), "relu": (0.0, 1.0),
                     "leaky_relu": (0.0, 1.0), "linear": (0.0, 1.0)}
# Loss/output pairs whose BP1 simplifies to δ = a − y (losses._matched_delta).
_DELTA_IS_A_MINUS_Y = {("cross_entropy", "sigmoid"), ("log_likelihood", "softmax")}
# The per-example cost in plain text, for captions and titles (the LaTeX is the registry's).
_LOSS_FORMULA = {"quadratic": "C_i = ½‖a − y‖²",
                 "cross_entropy": "C_i = −Σ_j [y ln a + (1 − y) ln(1 − a)]",
                 "log_likelihood": "C_i = −Σ_j y ln a"}


def value_range(activation: str | None) -> tuple[float, float] | None:
    """(0, 1) for sigmoid and softmax, (-1, 1) for tanh, None for unbounded ones."""
    return _VALUE_RANGE.get(activation) if activation else None


def derivative_range(activation: str | None) -> tuple[float, float] | None:
    """The range of f'(z) over all z, or None when it is not elementwise (softmax)."""
    return _DERIVATIVE_RANGE.get(activation) if activation else None


def delta_is_a_minus_y(loss: str | None, output_activation: str | None) -> bool:
    """True when the pair's BP1 is δ = a − y: f'(z) cancels against the loss."""
    return (loss, output_activation) in _DELTA_IS_A_MINUS_Y


def loss_formula(loss: str | None) -> str:
    """The per-example cost as plain text, "C_i = ½‖a − y‖²"; "C_i" for an unknown one."""
    return _LOSS_FORMULA.get(loss, "C_i")
