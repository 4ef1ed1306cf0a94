"""Checks for exercise 1 (ex1_forward.py): the forward pass.

Run:  python -m pytest exercises/test_ex1_forward.py
Your forward() is compared with bp_core's on small random networks and on
Mazur's worked example (Matt Mazur, "A Step by Step Backpropagation Example").
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


def shapes_hint(case):
    """Advice for an exception raised inside the learner's loop."""
    def hint(exc):
        if isinstance(exc, IndexError):
            return ("activations starts as [X] (a[0] = X) and gains one a[l+1] per layer; "
                    "zs starts empty")
        if not matmul_trouble(exc):
            return ""
        W = case.weights[0]
        return (f"a[l] is (batch, n_l) and W[l] is (n_(l+1), n_l), so z[l] = a[l] @ W[l].T "
                f"+ b[l] is (batch, n_(l+1)): here X is {case.X.shape}, W[0] is {W.shape} and "
                f"z[0] must be {(case.batch, W.shape[0])}. Did you use W instead of W.T, "
                f"or W @ a instead of a @ W.T?")
    return hint


def run_forward(solution, case):
    learner = solution("ex1_forward")
    X = case.X.copy()
    result = learner.call("forward", [w.copy() for w in case.weights],
                          [b.copy() for b in case.biases], case.f, X, hint=shapes_hint(case))
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("forward() should return two lists, (zs, activations): "
             f"got {type(result).__name__}")
    if not np.array_equal(X, case.X):
        fail("forward() changed X, its argument: build new arrays instead")
    return result


def check_forward(zs, acts, case):
    ref = case.reference()
    L = len(case.weights)
    zs = check_list("zs", zs, L, f"one z[l] per weight layer, L = {L}")
    acts = check_list("activations", acts, L + 1,
                      f"a[0] = X, then one a[l+1] per layer: L + 1 = {L + 1}"
                      + (" (did you forget to start with activations = [X]?)"
                         if isinstance(acts, (list, tuple)) and len(acts) == L else ""))
    check_array("activations[0]", acts[0], case.X, "X's shape (batch, n_in)")
    for l in range(L):
        W, b, a = case.weights[l], case.biases[l], ref.activations[l]
        n_out, n_in = W.shape
        wrong = [(a @ W.T, "you forgot the bias: z[l] = a[l] @ W[l].T + b[l]"),
                 (case.f(a @ W.T + b),
                  "zs[l] is z, before the activation: keep z in zs and put f(z) in activations")]
        if W.shape[0] == W.shape[1]:
            wrong.insert(0, (a @ W + b, "did you use W instead of W.T?"))
        if l > 0:
            wrong.append((case.X @ W.T + b if W.shape[1] == case.X.shape[1] else None,
                          "z[l] must be computed from a[l], the activation of the layer "
                          "before, not from X"))
            wrong.append((ref.zs[l - 1] @ W.T + b if W.shape[1] == ref.zs[l - 1].shape[1]
                          else None,
                          "z[l] is computed from a[l] = f(z[l-1]), not from z[l-1]"))
        check_array(f"zs[{l}]", zs[l], ref.zs[l], "(batch, n_out)",
                    shape_hints={(case.batch, n_in): "did you use W instead of W.T?",
                                 (n_out, case.batch): "did you compute W @ a.T? "
                                 "Rows must be examples: z[l] = a[l] @ W[l].T + b[l]",
                                 (n_out,): "did you add the bias but lose the batch?"},
                    wrong=[(c, why) for c, why in wrong if c is not None])
        check_array(f"activations[{l + 1}]", acts[l + 1], ref.activations[l + 1],
                    "(batch, n_out)",
                    wrong=[(ref.zs[l], f"activations[{l + 1}] should be f(zs[{l}]), "
                            "you stored z itself")])


@pytest.mark.parametrize("case_name", list(CASES))
def test_forward(solution, case_name):
    case = CASES[case_name]()
    zs, acts = run_forward(solution, case)
    check_forward(zs, acts, case)


def test_forward_gives_mazurs_numbers(solution):
    """The post's numbers: net_h1 = 0.3775, out_h1 = 0.593269992, out_o1 = 0.75136507."""
    case = mazur_case()
    zs, acts = run_forward(solution, case)
    check_published("zs[0][0, 0] (net_h1)", zs[0][0, 0], "0.3775")
    check_published("activations[1][0, 0] (out_h1)", acts[1][0, 0], "0.593269992")
    check_published("activations[2][0, 0] (out_o1)", acts[2][0, 0], "0.75136507")
    check_published("activations[2][0, 1] (out_o2)", acts[2][0, 1], "0.772928465")
