r"""Exercise 1: the forward pass.

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

This exercise: the first three lines, for l = 1 .. L.  In the code's names
(rows are examples, columns are neurons):

    W^l      = weights[l-1]:  (n_l, n_{l-1})   one row per neuron of layer l
    b^l      = biases[l-1]:   (n_l,)           added to every row (numpy broadcasting)
    z^l      = zs[l-1]:       (batch, n_l)
    a^l      = activations[l]: (batch, n_l)    activations[0] is X

Write `forward` below.  Check it with:   python -m pytest exercises/test_ex1_forward.py
Use numpy only.
"""

import numpy as np  # noqa: F401  (you will need it, or at least the @ operator)


def forward(weights, biases, f, X):
    """Run X through the network and keep every z and every a.

    weights: list of L arrays, weights[i] = W^{i+1} of shape (n_{i+1}, n_i)
    biases:  list of L arrays, biases[i] = b^{i+1} of shape (n_{i+1},)
    f:       the activation function, elementwise: f(z) has the shape of z
    X:       (batch, n_0), one example per row

    Returns (zs, activations):
      zs:          list of L arrays,     zs[i] = z^{i+1}, shape (batch, n_{i+1})
      activations: list of L + 1 arrays, activations[0] = a^0 is X itself,
                   activations[i+1] = a^{i+1} = f(zs[i]), shape (batch, n_{i+1})
    Does not change its arguments.
    """
    raise NotImplementedError(
        "exercise 1: start with activations = [X] and zs = [], then loop over the layers "
        "with the two equations at the top of this file")
