"""Reference solution of exercises/ex4_sgd_step.py."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sgd_step(weights, biases, X, Y, learning_rate):
    L = len(weights)
    n = X.shape[0]
    zs, activations = [], [X]
    for W, b in zip(weights, biases, strict=True):
        zs.append(activations[-1] @ W.T + b)
        activations.append(sigmoid(zs[-1]))
    deltas = [None] * L
    a_out = activations[-1]
    deltas[L - 1] = (a_out - Y) * a_out * (1.0 - a_out)                           # BP1
    for l in range(L - 2, -1, -1):
        a = activations[l + 1]
        deltas[l] = (deltas[l + 1] @ weights[l + 1]) * a * (1.0 - a)              # BP2
    new_weights = [weights[l] - learning_rate * (deltas[l].T @ activations[l] / n)
                   for l in range(L)]                                              # BP4
    new_biases = [biases[l] - learning_rate * deltas[l].mean(axis=0) for l in range(L)]  # BP3
    return new_weights, new_biases
