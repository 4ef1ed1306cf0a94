r"""Exercise 4: one whole step of gradient descent.

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

This exercise: all of it, and the update.  In detail:

For a network with the sigmoid in every layer and the quadratic cost
C = mean over the batch of ½‖a^L − y‖² (as in Nielsen's network.py):

    forward    a^0 = X;  z^l = a^{l-1} (W^l)ᵀ + b^l;  a^l = σ(z^l)        l = 1 .. L
    BP1        δ^L = (a^L − Y) ⊙ σ'(z^L)
    BP2        δ^l = (δ^{l+1} W^{l+1}) ⊙ σ'(z^l)                           l = L-1 .. 1
    BP3, BP4   ∂C/∂b^l = mean over rows of δ^l;  ∂C/∂W^l = (δ^l)ᵀ a^{l-1} / n
    update     W^l ← W^l − η · ∂C/∂W^l;   b^l ← b^l − η · ∂C/∂b^l

with σ'(z) = σ(z)(1 − σ(z)) = a(1 − a).  Every gradient is computed from the
weights *before* the update.

Shapes: W^l = weights[l-1] (n_l, n_{l-1}); b^l = biases[l-1] (n_l,); X (batch, n_0);
Y (batch, n_L).

Check it with:   python -m pytest exercises/test_ex4_sgd_step.py
Use numpy only.  You may copy your code from exercises 1 to 3.
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), elementwise.  Given: you don't have to write this one."""
    return 1.0 / (1.0 + np.exp(-z))


def sgd_step(weights, biases, X, Y, learning_rate):
    """One step of gradient descent on the whole batch (X, Y).

    weights: list of L arrays, weights[i] = W^{i+1} (n_{i+1}, n_i); biases: list of L
             arrays, biases[i] = b^{i+1} (n_{i+1},)
    X: (batch, n_0); Y: (batch, n_L); learning_rate: η > 0
    Returns (new_weights, new_biases), two new lists of new arrays with the same
    shapes.  Does not change its arguments: write W - η * grad_w, not W -= ...
    """
    raise NotImplementedError(
        "exercise 4: forward (keep zs and activations), BP1, BP2, the gradients, then "
        "return new lists: W - learning_rate * grad_w, and the same for the biases")
