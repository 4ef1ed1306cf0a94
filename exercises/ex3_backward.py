r"""Exercise 3: the backward pass (BP2) and the gradients (BP3, BP4).

The notation, the same in every exercise and on the page (Nielsen, chapter 2): the
input is layer 0 and layers 1 .. L compute, n_l neurons in layer l (n_0 inputs, n_L
outputs), n examples in the batch, one example per row:

    a^0      = X                           (batch, n_0)
    z^l      = a^{l-1} (W^l)ᵀ + b^l        (batch, n_l)      W^l: (n_l, n_{l-1}), b^l: (n_l,)
    a^l      = f(z^l)                      (batch, n_l)
    δ^l      = ∂C_i/∂z^l                   (batch, n_l)      row i belongs to example i
    ∂C/∂W^l  = (δ^l)ᵀ a^{l-1} / n          (n_l, n_{l-1})    like W^l
    ∂C/∂b^l  = mean over rows of δ^l       (n_l,)            like b^l

The code's lists are 0-based, as in Nielsen's network.py and bp_core, and only the
activations have an entry for the input layer.  Layer l is weights[l-1], biases[l-1],
zs[l-1], deltas[l-1], grad_w[l-1], grad_b[l-1], but activations[l]: a loop
``for i in range(L)`` over the weight matrices computes layer i + 1,
zs[i] = activations[i] @ weights[i].T + biases[i].

This exercise: the last three lines, for every layer.  In detail:

C is the mean of C_i over the batch of n examples.

    BP2  δ^l      = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)    for l = L-1 down to 1
                  (one example per row: δ^{l+1} @ W^{l+1}, then ⊙ f'(z^l))
    BP3  ∂C/∂b^l  = mean over rows of δ^l
    BP4  ∂C/∂W^l  = (δ^l)ᵀ a^{l-1} / n

δ^L (BP1) is given to you as ``delta_out``.  In the code, for i = L-2 down to 0:
deltas[i] = (deltas[i+1] @ weights[i+1]) * f_prime(zs[i]), and
grad_w[i] = deltas[i].T @ activations[i] / n.

Shapes (layer l = i + 1):
    W^l = weights[i]:       (n_l, n_{l-1})
    z^l = zs[i]:            (batch, n_l)
    a^l = activations[l]:   (batch, n_l)           activations[0] is X
    δ^l = deltas[i]:        (batch, n_l)           like z^l
    ∂C/∂W^l = grad_w[i]:    (n_l, n_{l-1})         like W^l
    ∂C/∂b^l = grad_b[i]:    (n_l,)                 like b^l

Check it with:   python -m pytest exercises/test_ex3_backward.py
Use numpy only.
"""

import numpy as np  # noqa: F401


def backward(weights, zs, activations, delta_out, f_prime):
    """Backpropagate delta_out and return every delta and every gradient.

    weights:     list of L arrays, weights[i] = W^{i+1} of shape (n_{i+1}, n_i)
    zs:          list of L arrays from the forward pass, zs[i] = z^{i+1}, (batch, n_{i+1})
    activations: list of L + 1 arrays, activations[l] = a^l of shape (batch, n_l)
    delta_out:   δ^L, (batch, n_L), from BP1
    f_prime:     f' of the hidden layers' activation, elementwise: f_prime(z) like z

    Returns (deltas, grad_w, grad_b), three lists of L arrays, indexed as weights
    is: entry i belongs to layer i + 1 (deltas[L-1] is delta_out).  Does not change its arguments.
    """
    raise NotImplementedError(
        "exercise 3: make lists of L entries with delta_out last, walk the index i from L-2 "
        "down to 0 with BP2, then BP3 and BP4 for every layer")
