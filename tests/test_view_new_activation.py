"""A new activation needs one registry entry and nothing in bp_view.

softplus, f(z) = ln(1 + e^z), f'(z) = σ(z), is registered for the length of a test
only.  Its figures take their colour ranges from the entry (unbounded values drawn
signed, f' on its registered [0, 1]), and its equations, symbolic and filled in,
use its registered LaTeX and end in the record's own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from bp_core import Stepper, activations
from bp_core.network import Network
from bp_view import equations, figures

SOFTPLUS = activations.Activation(
    "softplus", lambda z: np.logaddexp(0.0, z), lambda z, a: expit(z),
    r"\ln(1 + e^{z})", r"\mathrm{softplus}'(z) = \sigma(z)",
    prime_range=(0.0, 1.0), symbol=r"\mathrm{softplus}")


@pytest.fixture
def softplus(monkeypatch):
    monkeypatch.setitem(activations.ACTIVATIONS, "softplus", SOFTPLUS)
    return SOFTPLUS


def test_a_registered_activation_is_drawn_and_written_from_its_entry(softplus):
    rng = np.random.default_rng(0)
    net = Network([2, 3, 1], activation="softplus", output_activation="sigmoid", seed=0)
    records = {r.label: r for r in Stepper(net, rng.normal(size=(4, 2)),
                                           rng.uniform(size=(4, 1)), 0.5).run()}
    assert figures.activation_range("softplus") is None  # (0, inf): not bounded
    assert figures.derivative_range("softplus") == (0.0, 1.0)

    a_panel = figures.phase_figures(records["F0"])[-1][1].data[0]
    assert a_panel.zmid == 0  # unbounded: the signed scale
    fprime = figures.phase_figures(records["B0"])[1][1].data[0]
    assert (fprime.zmin, fprime.zmax) == (0.0, 1.0)  # the registered range of f'
    np.testing.assert_array_equal(np.array(fprime.z, dtype=float), records["B0"].arrays["fprime"])

    symbolic = " ".join(e.latex for e in equations.general(records["F0"]))
    assert r"\mathrm{softplus}" in symbolic and r"\ln(1 + e^{z})" in symbolic
    for label in ("F0", "B0"):
        eqs = equations.for_neuron(records[label], 1, example=2)
        nums = equations.numbers(records[label], 1, example=2)
        for eq in eqs:
            # a long one is drawn on aligned rows: its value still ends the last one
            last = eq.latex.removesuffix(r"\end{aligned}")
            assert last.endswith(f"= {equations.fmt(nums[eq.result])}")
    assert r"\mathrm{softplus}'(z^{[1]}_{1})" in equations.for_neuron(records["B0"], 1)[1].latex
