r"""Exercise 4: one whole step of gradient descent.

The notation, the same in every exercise, in bp_core and in the app.  L weight
layers, n_l neurons in layer l (n_0 inputs, n_L outputs), n examples in the batch,
one example per row:

    a[0]      = X                          (batch, n_0)
    z[l]      = a[l] @ W[l].T + b[l]       (batch, n_{l+1})  W[l]: (n_{l+1}, n_l), b[l]: (n_{l+1},)
    a[l+1]    = f(z[l])                    (batch, n_{l+1})
    delta[l]  = ∂C_i/∂z[l]                 (batch, n_{l+1})  row i belongs to example i
    grad_w[l] = delta[l].T @ a[l] / n      (n_{l+1}, n_l)    like W[l]
    grad_b[l] = mean over rows of delta[l] (n_{l+1},)        like b[l]

This exercise: all of it, and the update.  In detail:

For a network with the sigmoid in every layer and the quadratic cost
C = mean over the batch of ½‖a[L] − y‖² (as in Nielsen's network.py):

    forward    a[0] = X;  z[l] = a[l] @ W[l].T + b[l];  a[l+1] = σ(z[l])
    BP1        delta[L-1] = (a[L] − Y) ⊙ σ'(z[L-1])
    BP2        delta[l]   = (delta[l+1] @ W[l+1]) ⊙ σ'(z[l])
    BP3, BP4   grad_b[l]  = mean over rows of delta[l];  grad_w[l] = delta[l].T @ a[l] / n
    update     W[l] ← W[l] − η · grad_w[l];   b[l] ← b[l] − η · grad_b[l]

with σ'(z) = σ(z)(1 − σ(z)) = a(1 − a).  Every gradient is computed from the
weights *before* the update.

Shapes: W[l] (n_{l+1}, n_l); b[l] (n_{l+1},); X (batch, n_0); Y (batch, n_L).

Check it with:   python -m pytest exercises/test_ex4_sgd_step.py
Use numpy only.  You may copy your code from exercises 1 to 3.
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.  Given: you don't have to write this one."""
    return 1.0 / (1.0 + np.exp(-z))


def sgd_step(weights, biases, X, Y, learning_rate):
    """One step of gradient descent on the whole batch (X, Y).

    weights: list of L arrays (n_{l+1}, n_l); biases: list of L arrays (n_{l+1},)
    X: (batch, n_0); Y: (batch, n_L); learning_rate: η > 0
    Returns (new_weights, new_biases), two new lists of new arrays with the same
    shapes.  Does not change its arguments: write W - η * grad_w, not W -= ...
    """
    raise NotImplementedError(
        "exercise 4: forward (keep zs and activations), BP1, BP2, the gradients, then "
        "return new lists: W - learning_rate * grad_w, and the same for the biases")
