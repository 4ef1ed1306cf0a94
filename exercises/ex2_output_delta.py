r"""Exercise 2: the output error delta (BP1), quadratic cost, sigmoid output.

The notation, the same in every exercise, in bp_core and in the app.  L weight
layers, n_l neurons in layer l (n_0 inputs, n_L outputs), n examples in the batch,
one example per row:

    a[0]      = X                          (batch, n_0)
    z[l]      = a[l] @ W[l].T + b[l]       (batch, n_{l+1})  W[l]: (n_{l+1}, n_l), b[l]: (n_{l+1},)
    a[l+1]    = f(z[l])                    (batch, n_{l+1})
    delta[l]  = ∂C_i/∂z[l]                 (batch, n_{l+1})  row i belongs to example i
    grad_w[l] = delta[l].T @ a[l] / n      (n_{l+1}, n_l)    like W[l]
    grad_b[l] = mean over rows of delta[l] (n_{l+1},)        like b[l]

This exercise: delta at the output layer, l = L-1.  In detail:

For one example i, with output a = a[L] = σ(z[L-1]) and target y, the
quadratic cost is

    C_i = ½ Σ_j (a_j − y_j)²          so   ∂C_i/∂a = a − y

The output error is delta[L-1] = ∂C_i/∂z[L-1].  By the chain rule (BP1):

    delta[L-1] = ∂C_i/∂a ⊙ σ'(z[L-1]) = (a − y) ⊙ σ'(z)

and for the sigmoid σ'(z) = σ(z)(1 − σ(z)) = a(1 − a).  ⊙ is the elementwise
product (numpy's *).  delta is per example: no mean over the batch here.

Shapes: z, a, y and the result are all (batch, n_L).

Check it with:   python -m pytest exercises/test_ex2_output_delta.py
Use numpy only.
"""

import numpy as np  # noqa: F401


def output_delta(z, a, y):
    """BP1 for the quadratic cost and a sigmoid output layer.

    z: (batch, n_L), the output layer's weighted input z[L-1]
    a: (batch, n_L), its activation a[L] = σ(z)
    y: (batch, n_L), the targets
    Returns delta[L-1], (batch, n_L): row i is ∂C_i/∂z for example i.
    """
    raise NotImplementedError(
        "exercise 2: BP1 is (a − y) times σ'(z), elementwise; write σ'(z) with a, not z")
