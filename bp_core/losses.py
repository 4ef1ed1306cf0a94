"""Losses (costs): each a per-example value and an output delta, registered by name.

For one example, with output a = f(z) and target y (rows of shape (n_out,)):

* ``quadratic``:      C = ½‖a − y‖²                  (Nielsen; Mazur's worked example)
* ``cross_entropy``:  C = −Σ_j [y ln a + (1 − y) ln(1 − a)], for a sigmoid output
* ``log_likelihood``: C = −Σ_j y ln a,                     for a softmax output

``value(z, a, y)`` returns C for every example, shape (batch,).  It takes z as well
as a so that ln a is computed from z (log-sigmoid, log-softmax): then it stays
finite where a itself rounds to exactly 0 or 1.

``delta(z, a, y, f)`` returns the output error δ = ∂C/∂z (BP1), shape (batch, n_out),
for the output activation f.  For the two matched pairs the σ'(z) factor cancels
and δ = a − y, which is why those pairs learn fast when the output saturates
(Nielsen, chapter 3).

Each entry also holds the facts the views need: ``latex`` and ``text`` (the formula,
in LaTeX and in plain text) and ``cancels``, the output activations for which BP1
simplifies to δ = a − y (ask with ``cancels_to_a_minus_y``).

``check_targets(y)``, where present, refuses targets the loss is not defined for:
``log_likelihood`` takes only rows that are probability distributions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from . import activations as acts

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """One loss and every fact about it.

    value(z, a, y) -> C_i, (n, n_out) x3 -> (n,); delta(z, a, y, f) -> δ^L, (n, n_out).
    """
    name: str
    value: Callable[[Array, Array, Array], Array]
    delta: Callable[[Array, Array, Array, acts.Activation], Array]
    outputs: tuple[str, ...] | None  # output activations it pairs with; None = all
    why: str                         # why only those, for the ValueError
    latex: str                       # C = …, for one example
    # Raises ValueError for targets Y (n, n_out) the loss is not defined for; None = any.
    check_targets: Callable[[Array], None] | None = None
    text: str = ""                   # C_i = …, in plain text (figure captions, titles)
    # Output activations for which f'(z) cancels and δ^L = a − y exactly (Nielsen ch. 3).
    # (quadratic with a linear output gives a − y as well, but only because f' = 1: nothing
    # cancels there, and the views explain it as BP1's (a − y) ⊙ f'(z), so it is not listed.)
    cancels: tuple[str, ...] = ()

    def cancels_with(self, output_activation: str) -> bool:
        """True when BP1 for this loss and output activation is exactly δ^L = a − y."""
        return output_activation in self.cancels


def _quadratic_value(z: Array, a: Array, y: Array) -> Array:
    return 0.5 * np.sum((a - y) ** 2, axis=1)


def _quadratic_delta(z: Array, a: Array, y: Array, f: acts.Activation) -> Array:
    if f.name == "softmax":
        # δ = Jᵀ(a − y) with the softmax Jacobian J = diag(a) − a aᵀ.
        g = a - y
        return a * (g - np.sum(g * a, axis=1, keepdims=True))
    return (a - y) * f.derivative(z, a)  # BP1: δ = ∇_a C ⊙ f'(z)


def _log_sigmoid(z: Array) -> Array:
    """ln σ(z) = −ln(1 + e^(−z)), with no overflow for large |z| (scipy's log_expit)."""
    return special.log_expit(z)


def _cross_entropy_value(z: Array, a: Array, y: Array) -> Array:
    # ln a = ln σ(z) and ln(1 − a) = ln σ(−z): exact even where a rounds to 0 or 1.
    return -np.sum(y * _log_sigmoid(z) + (1.0 - y) * _log_sigmoid(-z), axis=1)


def _log_likelihood_value(z: Array, a: Array, y: Array) -> Array:
    return -np.sum(y * acts.log_softmax(z), axis=1)


def _matched_delta(z: Array, a: Array, y: Array, f: acts.Activation) -> Array:
    return a - y  # σ'(z) cancels against the derivative of the log


# Why log_likelihood refuses targets that are not probability distributions:
# for a softmax output, ∂C/∂z_k = a_k·Σ_j y_j − y_k, which is the textbook δ = a − y
# only when each target row sums to 1.  The engine could compute the general form,
# but then the equation δ = a − y that the app shows learners would be false for
# some inputs.  Refusing such targets keeps it true everywhere.  (A row that sums
# to 1 but has a negative entry gives a cost that is unbounded below, so it is
# refused too.)
DISTRIBUTION_TOLERANCE = 1e-9


def _check_distributions(y: Array) -> None:
    """ValueError unless every row of y (n, n_out) is ≥ 0 and sums to 1 within 1e-9."""
    sums = y.sum(axis=1)
    # This runs on every mini-batch, so the usual, valid case costs two reductions.
    # A NaN makes both comparisons False, so NaN targets are refused too.
    if np.abs(sums - 1.0).max() <= DISTRIBUTION_TOLERANCE and y.min() >= 0:
        return
    bad_sum = ~(np.abs(sums - 1.0) <= DISTRIBUTION_TOLERANCE)
    negative = ~(y >= 0).all(axis=1)
    i = int(np.argmax(bad_sum | negative))
    found = f"sums to {sums[i]:.10g}" if bad_sum[i] else "has a negative entry"
    raise ValueError("log_likelihood needs each target row to be a probability distribution "
                     "(entries ≥ 0 summing to 1), such as a one-hot label; "
                     f"row {i} {found}")


LOSSES: dict[str, Loss] = {
    loss.name: loss for loss in [
        Loss("quadratic", _quadratic_value, _quadratic_delta, None, "",
             r"C = \tfrac12 \sum_j (a_j - y_j)^2", text="C_i = ½‖a − y‖²"),
        Loss("cross_entropy", _cross_entropy_value, _matched_delta, ("sigmoid",),
             "cross_entropy needs each output in (0, 1) on its own, and its delta "
             "a − y holds only for a sigmoid output; use output_activation='sigmoid'",
             r"C = -\sum_j \left[y_j \ln a_j + (1-y_j)\ln(1-a_j)\right]",
             text="C_i = −Σ_j [y ln a + (1 − y) ln(1 − a)]", cancels=("sigmoid",)),
        Loss("log_likelihood", _log_likelihood_value, _matched_delta, ("softmax",),
             "log_likelihood needs outputs that form a probability distribution, and its "
             "delta a − y holds only for a softmax output; use output_activation='softmax'",
             r"C = -\sum_j y_j \ln a_j", _check_distributions,
             text="C_i = −Σ_j y ln a", cancels=("softmax",)),
    ]
}


def get(name: str) -> Loss:
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None


def cancels_to_a_minus_y(loss_name: str, output_activation: str) -> bool:
    """True when BP1 for this pair is exactly δ^L = a − y (cross_entropy with sigmoid,
    log_likelihood with softmax); ValueError for an unknown name."""
    acts.get(output_activation)
    return get(loss_name).cancels_with(output_activation)


def valid_outputs(loss_name: str) -> list[str]:
    """Output activations that make sense with this loss (for the UI's choices)."""
    loss = get(loss_name)
    return list(loss.outputs) if loss.outputs else list(acts.OUTPUT_ACTIVATIONS)


def valid_losses(output_activation: str) -> list[str]:
    """Losses that make sense with this output activation."""
    acts.get(output_activation)
    return [name for name, loss in LOSSES.items()
            if loss.outputs is None or output_activation in loss.outputs]


def check_pair(output_activation: str, loss_name: str) -> None:
    """Raise ValueError, saying why, if the pair makes no sense."""
    acts.get(output_activation)
    loss = get(loss_name)
    if loss.outputs is not None and output_activation not in loss.outputs:
        raise ValueError(f"loss {loss_name!r} does not pair with output activation "
                         f"{output_activation!r}: {loss.why}")
