"""Checks for exercise 3 (ex3_backward.py): BP2, and the gradients BP3 and BP4.

Run:  python -m pytest exercises/test_ex3_backward.py
Your backward() gets bp_core's forward pass and BP1 delta, and its deltas and
gradients are compared with bp_core's, layer by layer from the output down.
"""

import numpy as np
import pytest
from _checks import (
    CASES,
    check_array,
    check_list,
    check_published,
    fail,
    matmul_trouble,
    mazur_case,
)


def run(solution, case):
    ref = case.reference()
    L = len(case.weights)

    def hint(exc):
        if not matmul_trouble(exc) or L < 2:
            return ""
        d, W = ref.deltas[L - 1], case.weights[L - 1]
        return (f"at the top, delta[L-1] is (batch, n_L) = {d.shape} and W[L-1] is "
                f"(n_L, n_(L-1)) = {W.shape}, so BP2's delta[L-1] @ W[L-1] needs no "
                "transpose (did you write W.T?); grad_w[l] = delta[l].T @ a[l] / n")

    copies = ([w.copy() for w in case.weights], [z.copy() for z in ref.zs],
              [a.copy() for a in ref.activations], ref.deltas[-1].copy())
    result = solution("ex3_backward").call("backward", *copies, case.f_prime, hint=hint)
    if not (isinstance(result, tuple) and len(result) == 3):
        fail("backward() should return three lists, (deltas, grad_w, grad_b): got "
             f"{type(result).__name__}")
    for given, original in zip(copies[0] + copies[1] + copies[2],
                               case.weights + ref.zs + ref.activations, strict=True):
        if not np.array_equal(given, original):
            fail("backward() changed one of its arguments (weights, zs or activations): "
                 "build new arrays instead")
    return result, ref


def check_backward(result, ref, case):
    L, n = len(case.weights), case.batch
    deltas, grad_w, grad_b = (check_list(name, value, L, f"one entry per layer, L = {L}")
                              for name, value in zip(("deltas", "grad_w", "grad_b"), result,
                                                     strict=True))
    check_array(f"deltas[{L - 1}]", deltas[L - 1], ref.deltas[L - 1], "(batch, n_L)",
                wrong=[(-ref.deltas[L - 1], "deltas[L-1] is delta_out itself, as given")])
    for l in range(L - 2, -1, -1):
        W_next, z = case.weights[l + 1], ref.zs[l]
        back = ref.deltas[l + 1] @ W_next
        wrong = [(back, "BP2 multiplies by f'(z[l]) elementwise: "
                        "delta[l] = (delta[l+1] @ W[l+1]) * f'(z[l])"),
                 (back * case.f(z), "multiply by f'(z[l]), the derivative, not f(z[l])")]
        if W_next.shape[0] == W_next.shape[1]:
            wrong.append((ref.deltas[l + 1] @ W_next.T * case.f_prime(z),
                          "BP2 uses delta[l+1] @ W[l+1], without a transpose"))
        if ref.zs[l + 1].shape == z.shape:
            wrong.append((back * case.f_prime(ref.zs[l + 1]),
                          "BP2 uses f'(z[l]), the z of layer l itself, not z[l+1]"))
        check_array(f"deltas[{l}]", deltas[l], ref.deltas[l], "(batch, n_(l+1))",
                    shape_hints={(n, W_next.shape[0]): "delta[l] has one column per neuron "
                                 "of layer l+1: delta[l] = (delta[l+1] @ W[l+1]) * f'(z[l])"},
                    wrong=wrong)
    for l in range(L - 1, -1, -1):
        d, a = ref.deltas[l], ref.activations[l]
        n_out, n_in = case.weights[l].shape
        check_array(f"grad_w[{l}]", grad_w[l], ref.grad_w[l], "W[l]'s shape (n_out, n_in)",
                    shape_hints={(n_in, n_out): "transposed: grad_w[l] = delta[l].T @ a[l] / n, "
                                 "with the shape of W[l]"},
                    wrong=[(d.T @ a, f"grad_w[{l}] is n = {n} times too big: divide by the "
                            "batch size (C is the mean of C_i over the batch)"),
                           (d.T @ a / n / n, "divide by n once, not twice")]
                    + ([(d.T @ ref.activations[l + 1] / n,
                         "grad_w[l] uses a[l], the input of layer l, not a[l+1]")]
                       if ref.activations[l + 1].shape == a.shape else []))
        check_array(f"grad_b[{l}]", grad_b[l], ref.grad_b[l], "b[l]'s shape (n_out,)",
                    shape_hints={(n, n_out): "grad_b[l] is the mean over the rows of delta[l]: "
                                 "delta[l].mean(axis=0)",
                                 (1, n_out): "use delta[l].mean(axis=0), without keepdims, "
                                 "to get the shape of b[l]",
                                 (n,): "take the mean over the rows (axis=0), not over the "
                                 "columns"},
                    wrong=[(d.sum(axis=0), f"grad_b[{l}] is n = {n} times too big: take the "
                            "mean over the batch, not the sum")])


@pytest.mark.parametrize("case_name", list(CASES))
def test_backward(solution, case_name):
    case = CASES[case_name]()
    result, ref = run(solution, case)
    check_backward(result, ref, case)


def test_backward_gives_mazurs_numbers(solution):
    """Mazur's post: ∂E/∂w5 = 0.082167041 and ∂E/∂w1 = 0.000438568."""
    (deltas, grad_w, grad_b), _ = run(solution, mazur_case())
    check_published("grad_w[1][0, 0] (∂E/∂w5)", np.asarray(grad_w[1])[0, 0], "0.082167041")
    check_published("grad_w[0][0, 0] (∂E/∂w1)", np.asarray(grad_w[0])[0, 0], "0.000438568")
