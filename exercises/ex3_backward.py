r"""Exercise 3: the backward pass (BP2) and the gradients (BP3, BP4).

The notation, the same in every exercise, in bp_core and in the app.  L weight
layers, n_l neurons in layer l (n_0 inputs, n_L outputs), n examples in the batch,
one example per row:

    a[0]      = X                          (batch, n_0)
    z[l]      = a[l] @ W[l].T + b[l]       (batch, n_{l+1})  W[l]: (n_{l+1}, n_l), b[l]: (n_{l+1},)
    a[l+1]    = f(z[l])                    (batch, n_{l+1})
    delta[l]  = ∂C_i/∂z[l]                 (batch, n_{l+1})  row i belongs to example i
    grad_w[l] = delta[l].T @ a[l] / n      (n_{l+1}, n_l)    like W[l]
    grad_b[l] = mean over rows of delta[l] (n_{l+1},)        like b[l]

This exercise: the last three lines, for every layer.  In detail:

C is the mean of C_i over the batch of n examples.

    BP2  delta[l]  = (delta[l+1] @ W[l+1]) ⊙ f'(z[l])     for l = L-2 down to 0
    BP3  grad_b[l] = mean over rows of delta[l]            = ∂C/∂b[l]
    BP4  grad_w[l] = delta[l].T @ a[l] / n                 = ∂C/∂W[l]

delta[L-1] (BP1) is given to you as ``delta_out``.

Shapes:
    W[l] = weights[l]:      (n_{l+1}, n_l)
    z[l] = zs[l]:           (batch, n_{l+1})
    a[l] = activations[l]:  (batch, n_l)           activations[0] is X
    delta[l]:               (batch, n_{l+1})        like z[l]
    grad_w[l]:              (n_{l+1}, n_l)          like W[l]
    grad_b[l]:              (n_{l+1},)              like b[l]

Check it with:   python -m pytest exercises/test_ex3_backward.py
Use numpy only.
"""

import numpy as np  # noqa: F401


def backward(weights, zs, activations, delta_out, f_prime):
    """Backpropagate delta_out and return every delta and every gradient.

    weights:     list of L arrays, weights[l] of shape (n_{l+1}, n_l)
    zs:          list of L arrays from the forward pass, zs[l] of shape (batch, n_{l+1})
    activations: list of L + 1 arrays, activations[l] of shape (batch, n_l)
    delta_out:   delta[L-1], (batch, n_L), from BP1
    f_prime:     f' of the hidden layers' activation, elementwise: f_prime(z) like z

    Returns (deltas, grad_w, grad_b), three lists of L arrays, indexed by layer l
    (deltas[L-1] is delta_out).  Does not change its arguments.
    """
    raise NotImplementedError(
        "exercise 3: make lists of L entries with delta_out last, walk l from L-2 down to 0 "
        "with BP2, then BP3 and BP4 for every layer")
