"""Checks for exercise 4 (ex4_sgd_step.py): one whole step of gradient descent.

Run:  python -m pytest exercises/test_ex4_sgd_step.py
Your step is compared with bp_core's Network.sgd_step (sigmoid everywhere,
quadratic cost), and with the weights Mazur's post prints after its first step.
"""

import numpy as np
import pytest
from _checks import (
    SIGMOID_CASES,
    check_array,
    check_list,
    check_published,
    check_unchanged,
    fail,
    mazur_case,
)

RATE = 0.5


def run(solution, case):
    weights = [w.copy() for w in case.weights]
    biases = [b.copy() for b in case.biases]
    X, Y = case.X.copy(), case.Y.copy()
    result = solution("ex4_sgd_step").call("sgd_step", weights, biases, X, Y, RATE)
    check_unchanged("weights", case.weights, weights)
    check_unchanged("biases", case.biases, biases)
    if not (np.array_equal(X, case.X) and np.array_equal(Y, case.Y)):
        fail("sgd_step() changed X or Y: build new arrays instead")
    if not (isinstance(result, tuple) and len(result) == 2):
        fail("sgd_step() should return two lists, (new_weights, new_biases): got "
             f"{type(result).__name__}")
    L = len(case.weights)
    return (check_list("new_weights", result[0], L, f"one matrix per layer, L = {L}"),
            check_list("new_biases", result[1], L, f"one vector per layer, L = {L}"))


@pytest.mark.parametrize("case_name", list(SIGMOID_CASES))
def test_sgd_step(solution, case_name):
    case = SIGMOID_CASES[case_name]()
    new_weights, new_biases = run(solution, case)
    net = case.network()
    grads = net.backprop(case.X, case.Y)
    net.sgd_step(case.X, case.Y, RATE)
    n = case.batch
    for l in range(len(case.weights)):
        W, gW = case.weights[l], grads.grad_w[l]
        b, gb = case.biases[l], grads.grad_b[l]
        check_array(f"new_weights[{l}]", new_weights[l], net.weights[l], "W[l]'s shape",
                    wrong=[(W + RATE * gW, "you added the gradient: descent subtracts it, "
                            "W − η·grad_w"),
                           (W - gW, "multiply the gradient by the learning rate η"),
                           (W - RATE * n * gW, f"grad_w is n = {n} times too big: divide by "
                            "the batch size (the cost is the mean over the batch)"),
                           (W, "the weights did not change")])
        check_array(f"new_biases[{l}]", new_biases[l], net.biases[l], "b[l]'s shape (n_out,)",
                    shape_hints={(1, W.shape[0]): "grad_b[l] is delta[l].mean(axis=0), "
                                 "without keepdims"},
                    wrong=[(b + RATE * gb, "you added the gradient: descent subtracts it, "
                            "b − η·grad_b"),
                           (b - RATE * n * gb, f"grad_b is n = {n} times too big: take the mean "
                            "over the batch, not the sum"),
                           (b, "update the biases too: b − η·grad_b")])


def test_sgd_step_gives_mazurs_weights(solution):
    """The weights Mazur's post prints after one step with η = 0.5."""
    new_weights, _ = run(solution, mazur_case())
    published = {"w5": (1, 0, 0, "0.35891648"), "w6": (1, 0, 1, "0.408666186"),
                 "w1": (0, 0, 0, "0.149780716"), "w4": (0, 1, 1, "0.29950229")}
    for name, (l, i, j, value) in published.items():
        check_published(f"new_weights[{l}][{i}, {j}] ({name})",
                        np.asarray(new_weights[l])[i, j], value)
