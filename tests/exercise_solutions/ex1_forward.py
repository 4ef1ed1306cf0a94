"""Reference solution of exercises/ex1_forward.py (see its docstring for the notation)."""

import numpy as np


def forward(weights, biases, f, X):
    X = np.asarray(X, dtype=np.float64)
    zs, activations = [], [X]
    for W, b in zip(weights, biases, strict=True):
        z = activations[-1] @ W.T + b  # z[l] = a[l] @ W[l].T + b[l]: (batch, n_{l+1})
        zs.append(z)
        activations.append(f(z))       # a[l+1] = f(z[l])
    return zs, activations
