r"""The phases of one pass, written once.

``Network.backprop``, ``Network.sgd_step``, ``train`` and the ``Stepper`` all run
these functions, so "the Stepper ends bit for bit where sgd_step does" holds by
construction.  Notation as in bp_core.network (n = batch, layers counted from 0):

    forward_layer   z[l] = a[l] @ W[l].T + b[l],  a[l+1] = f(z[l])      (n, sizes[l+1])
    costs           C_i, the per-example cost                           (n,)
    output_delta    BP1  delta[L-1] = ∂C_i/∂z[L-1]                      (n, sizes[L])
    hidden_delta    BP2  delta[l] = (delta[l+1] @ W[l+1]) ⊙ f'(z[l])    (n, sizes[l+1])
    gradients       BP3  grad_b[l] = mean_i delta[l]                    (sizes[l+1],)
                    BP4  grad_w[l] = delta[l].T @ a[l] / n (+ λ·W[l])   (sizes[l+1], sizes[l])
    update_layer    W[l] − η·grad_w[l],  b[l] − η·grad_b[l]                (like W[l], b[l])

Every function is pure unless it says ``in_place``; none of them checks its inputs
(the callers check a batch once, see bp_core.batch), and none of them silences
floating-point warnings (the callers choose: the engine ignores underflow, the
Stepper and train detect non-finite values themselves).

Why some lines are written as they are: ``z = a @ W.T`` then ``z += b`` and
``g = delta.T @ a`` then ``g /= n`` give the same floats as ``a @ W.T + b`` and
``delta.T @ a / n``, without a second temporary the size of the result.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation
from .losses import Loss

Array = np.ndarray


# --- forward ---------------------------------------------------------------------
def forward_layer(W: Array, b: Array, f: Activation, a_prev: Array) -> tuple[Array, Array]:
    """z = a_prev @ W.T + b and a = f(z).  W: (n_out, n_in), b: (n_out,),
    a_prev: (n, n_in) -> z, a: (n, n_out).  Pure: z and a are new arrays."""
    z = a_prev @ W.T
    z += b
    return z, f.value(z)


def forward_pass(weights: list[Array], biases: list[Array], fs: list[Activation],
                 X: Array) -> tuple[list[Array], list[Array]]:
    """All the forward phases: zs[l] (n, sizes[l+1]) and activations[l] (n, sizes[l]),
    activations[0] being X itself (not a copy)."""
    zs, activations = [], [X]
    for W, b, f in zip(weights, biases, fs):
        z, a = forward_layer(W, b, f, activations[-1])
        zs.append(z)
        activations.append(a)
    return zs, activations


def output(weights: list[Array], biases: list[Array], fs: list[Activation],
           X: Array) -> tuple[Array, Array]:
    """z[L-1] and a[L] for X (n, sizes[0]), keeping no other layer (for evaluation)."""
    z, a = None, X
    for W, b, f in zip(weights, biases, fs):
        z, a = forward_layer(W, b, f, a)
    return z, a


# --- loss ------------------------------------------------------------------------
def costs(loss: Loss, z_out: Array, a_out: Array, Y: Array) -> Array:
    """C_i for every example: z_out, a_out, Y (n, sizes[L]) -> (n,)."""
    return loss.value(z_out, a_out, Y)


def mean_cost(costs: Array, l2_term: float = 0.0) -> float:
    """C = mean_i C_i + (λ/2)Σ‖W‖².  The mean is spelled out: the same float as
    np.mean, without its generic dispatch, which costs more than the sum on a mini-batch."""
    return float(costs.sum() / costs.shape[0]) + l2_term


def l2_term(weights: list[Array], l2: float) -> float:
    """(λ/2)·Σ_l ‖W[l]‖², the weights only (biases are not decayed); 0.0 when λ = 0."""
    return 0.5 * l2 * sum(float(np.sum(W * W)) for W in weights) if l2 else 0.0


# --- backward --------------------------------------------------------------------
def output_delta(loss: Loss, f: Activation, z: Array, a: Array, Y: Array) -> Array:
    """BP1: delta[L-1] = ∂C_i/∂z[L-1], (n, sizes[L]); the loss knows its form (a − y for
    the matched pairs, the softmax Jacobian, or ∇_a C ⊙ f'(z))."""
    return loss.delta(z, a, Y, f)


def slope(f: Activation, z: Array, a: Array) -> Array:
    """f'(z[l]), (n, sizes[l+1]), from z and a = f(z) (sigmoid' = a(1 − a))."""
    return f.derivative(z, a)


def hidden_delta(W_next: Array, delta_next: Array, fprime: Array) -> Array:
    """BP2: delta[l] = (delta[l+1] @ W[l+1]) ⊙ f'(z[l]).  W_next: (sizes[l+2], sizes[l+1]),
    delta_next: (n, sizes[l+2]), fprime: (n, sizes[l+1]) -> (n, sizes[l+1])."""
    delta = delta_next @ W_next
    delta *= fprime
    return delta


def gradients(delta: Array, a_prev: Array, W: Array, l2: float = 0.0) -> tuple[Array, Array]:
    """BP4 and BP3 for one layer: grad_w = delta.T @ a_prev / n + λ·W  (n_out, n_in) and
    grad_b = mean_i delta  (n_out,).  delta: (n, n_out), a_prev: (n, n_in), W: (n_out, n_in)."""
    n = delta.shape[0]
    grad_w = delta.T @ a_prev
    grad_w /= n
    if l2:
        grad_w += l2 * W
    grad_b = delta.sum(axis=0)
    grad_b /= n
    return grad_w, grad_b


def backward_pass(weights: list[Array], fs: list[Activation], loss: Loss, zs: list[Array],
                  activations: list[Array], Y: Array,
                  l2: float = 0.0) -> tuple[list[Array], list[Array], list[Array]]:
    """All the backward phases, from the output down: deltas, grad_w, grad_b, each a list
    indexed by layer l = 0 … L−1 (shapes as in the functions above)."""
    L = len(weights)
    deltas: list[Array] = [None] * L  # type: ignore[list-item]
    grad_w: list[Array] = [None] * L  # type: ignore[list-item]
    grad_b: list[Array] = [None] * L  # type: ignore[list-item]
    delta = output_delta(loss, fs[-1], zs[-1], activations[-1], Y)
    for l in range(L - 1, -1, -1):
        if l < L - 1:
            delta = hidden_delta(weights[l + 1], delta, slope(fs[l], zs[l], activations[l + 1]))
        deltas[l] = delta
        grad_w[l], grad_b[l] = gradients(delta, activations[l], weights[l], l2)
    return deltas, grad_w, grad_b


# --- update ----------------------------------------------------------------------
def update_layer(W: Array, b: Array, grad_w: Array, grad_b: Array, learning_rate: float,
                 update_biases: bool = True,
                 in_place: bool = False) -> tuple[Array, Array, Array, Array | None]:
    """W − η·grad_w and b − η·grad_b, written W + step with step = −η·grad (the same
    floats: x − η·g and x + (−η)·g round alike, since negating is exact).

    Returns (W_after, b_after, step_w, step_b); with update_biases=False b is left as
    it is (b_after is b, or a copy when not in place) and step_b is None.
    in_place=True writes into W and b and returns them (sgd_step); otherwise W and b
    are left alone and new arrays are returned (the Stepper, which keeps the old ones
    for undo).  W, step_w: (n_out, n_in); b, step_b: (n_out,).
    """
    step_w = -learning_rate * grad_w
    step_b = -learning_rate * grad_b if update_biases else None
    if in_place:
        W += step_w
        if update_biases:
            b += step_b
        return W, b, step_w, step_b
    return W + step_w, (b + step_b if update_biases else b.copy()), step_w, step_b


def sgd_update(weights: list[Array], biases: list[Array], grad_w: list[Array],
               grad_b: list[Array], learning_rate: float, update_biases: bool = True) -> None:
    """The update phase of every layer, in place on the arrays of weights and biases."""
    for l in range(len(weights)):
        update_layer(weights[l], biases[l], grad_w[l], grad_b[l], learning_rate,
                     update_biases, in_place=True)
