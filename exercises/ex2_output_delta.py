r"""Exercise 2: the output error delta (BP1), quadratic cost, sigmoid output.

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

This exercise: δ at the output layer, l = L.  In detail:

For one example i, with output a = a^L = σ(z^L) and target y, the
quadratic cost is

    C_i = ½ Σ_j (a_j − y_j)²          so   ∂C_i/∂a = a − y

The output error is δ^L = ∂C_i/∂z^L (deltas[L-1] in the code).  By the chain rule (BP1):

    δ^L = ∇_a C_i ⊙ σ'(z^L) = (a − y) ⊙ σ'(z)

and for the sigmoid σ'(z) = σ(z)(1 − σ(z)) = a(1 − a).  ⊙ is the elementwise
product (numpy's *).  delta is per example: no mean over the batch here.

Shapes: z, a, y and the result are all (batch, n_L).

Check it with:   python -m pytest exercises/test_ex2_output_delta.py
Use numpy only.
"""

import numpy as np  # noqa: F401


def output_delta(z, a, y):
    """BP1 for the quadratic cost and a sigmoid output layer.

    z: (batch, n_L), the output layer's weighted input z^L (zs[L-1])
    a: (batch, n_L), its activation a[L] = σ(z)
    y: (batch, n_L), the targets
    Returns δ^L (deltas[L-1]), (batch, n_L): row i is ∂C_i/∂z for example i.
    """
    raise NotImplementedError(
        "exercise 2: BP1 is (a − y) times σ'(z), elementwise; write σ'(z) with a, not z")
