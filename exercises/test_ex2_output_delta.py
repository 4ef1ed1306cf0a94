"""Checks for exercise 2 (ex2_output_delta.py): BP1 for the quadratic cost, sigmoid output.

Run:  python -m pytest exercises/test_ex2_output_delta.py
"""

import numpy as np
import pytest
from _checks import SIGMOID_CASES, check_array, check_published, mazur_case


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def run(solution, case):
    ref = case.reference()
    z, a, y = ref.zs[-1], ref.activations[-1], case.Y

    def hint(exc):
        return ("use * (elementwise) for ⊙, not @ or np.dot"
                if "matmul" in str(exc) or "aligned" in str(exc) else "")

    got = solution("ex2_output_delta").call("output_delta", z.copy(), a.copy(), y.copy(),
                                            hint=hint)
    return got, ref, z, a, y


@pytest.mark.parametrize("case_name", list(SIGMOID_CASES))
def test_output_delta(solution, case_name):
    case = SIGMOID_CASES[case_name]()
    got, ref, z, a, y = run(solution, case)
    batch, n_out = z.shape
    right = ref.deltas[-1]
    check_array("delta", got, right, "(batch, n_out)",
                shape_hints={(batch,): "delta keeps one number per neuron: don't sum over "
                             "the neurons (axis 1)",
                             (n_out,): "delta is per example: don't average or sum over "
                             "the batch (that happens later, in grad_w and grad_b)",
                             (batch, batch): "use * (elementwise) for ⊙, not @"},
                wrong=[(a - y, "that is ∂C/∂a = a − y only; BP1 multiplies it by σ'(z) = "
                        "a(1 − a)"),
                       (-right, "the sign is flipped: ∂C/∂a = a − y, not y − a"),
                       ((a - y) * z * (1 - z), "σ'(z) is σ(z)(1 − σ(z)) = a(1 − a), not "
                        "z(1 − z)"),
                       ((a - y) * sigmoid(a) * (1 - sigmoid(a)),
                        "σ' is taken at z, not at a: σ'(z) = a(1 − a)"),
                       ((a - y) * a, "σ'(z) = a(1 − a): the factor (1 − a) is missing"),
                       (right / batch, "delta is per example: don't divide by the batch size "
                        "here (grad_w and grad_b take the mean later)")])


def test_output_delta_gives_mazurs_number(solution):
    """Mazur's post: δ_o1 = (out_o1 − target_o1) · out_o1 (1 − out_o1) = 0.138498562."""
    got, *_ = run(solution, mazur_case())
    check_published("delta[0, 0] (δ_o1)", np.asarray(got)[0, 0], "0.138498562")
