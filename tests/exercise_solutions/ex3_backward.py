"""Reference solution of exercises/ex3_backward.py."""


def backward(weights, zs, activations, delta_out, f_prime):
    L = len(weights)
    n = delta_out.shape[0]
    deltas = [None] * L
    deltas[L - 1] = delta_out
    for l in range(L - 2, -1, -1):
        deltas[l] = (deltas[l + 1] @ weights[l + 1]) * f_prime(zs[l])  # BP2
    grad_w = [deltas[l].T @ activations[l] / n for l in range(L)]      # BP4
    grad_b = [deltas[l].mean(axis=0) for l in range(L)]                # BP3
    return deltas, grad_w, grad_b
