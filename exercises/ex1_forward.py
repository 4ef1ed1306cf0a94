r"""Exercise 1: the forward pass.

The notation, the same in every exercise, in bp_core and in the app.  L weight
layers, n_l neurons in layer l (n_0 inputs, n_L outputs), n examples in the batch,
one example per row:

    a[0]      = X                          (batch, n_0)
    z[l]      = a[l] @ W[l].T + b[l]       (batch, n_{l+1})  W[l]: (n_{l+1}, n_l), b[l]: (n_{l+1},)
    a[l+1]    = f(z[l])                    (batch, n_{l+1})
    delta[l]  = ∂C_i/∂z[l]                 (batch, n_{l+1})  row i belongs to example i
    grad_w[l] = delta[l].T @ a[l] / n      (n_{l+1}, n_l)    like W[l]
    grad_b[l] = mean over rows of delta[l] (n_{l+1},)        like b[l]

This exercise: the first three lines, for l = 0 .. L-1.  In the code's names
(rows are examples, columns are neurons):

    W[l]  = weights[l]:  (n_{l+1}, n_l)     one row per neuron of layer l+1
    b[l]  = biases[l]:   (n_{l+1},)         added to every row (numpy broadcasting)
    z[l]  = zs[l]:       (batch, n_{l+1})
    a[l]  = activations[l]: (batch, n_l)

Write `forward` below.  Check it with:   python -m pytest exercises/test_ex1_forward.py
Use numpy only.
"""

import numpy as np  # noqa: F401  (you will need it, or at least the @ operator)


def forward(weights, biases, f, X):
    """Run X through the network and keep every z and every a.

    weights: list of L arrays, weights[l] of shape (n_{l+1}, n_l)
    biases:  list of L arrays, biases[l] of shape (n_{l+1},)
    f:       the activation function, elementwise: f(z) has the shape of z
    X:       (batch, n_0), one example per row

    Returns (zs, activations):
      zs:          list of L arrays,     zs[l] = z[l], shape (batch, n_{l+1})
      activations: list of L + 1 arrays, activations[0] is X itself,
                   activations[l+1] = f(zs[l]), shape (batch, n_{l+1})
    Does not change its arguments.
    """
    raise NotImplementedError(
        "exercise 1: start with activations = [X] and zs = [], then loop over the layers "
        "with the two equations at the top of this file")
