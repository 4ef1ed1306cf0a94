"""The facts the registries declare about each activation and loss, checked independently.

* value_range and prime_range: f(z) and f'(z), sampled over z from −1000 to 1000, lie
  in the declared closed intervals, and a bounded interval is tight (its ends are
  reached or approached), so it is not merely true but the right colour range.
* prime_latex and symbol name the same function.
* cancels_with: for every pair the engine accepts, a centred finite difference of the
  per-example cost C_i with respect to z gives δ^L; it equals a − y exactly where the
  registry says the pair cancels, and differs from a − y where it says not (apart from
  quadratic with a linear output, where f'(z) = 1 leaves nothing to cancel).
"""

from __future__ import annotations

import numpy as np
import pytest

from bp_core import ACTIVATIONS, LOSSES, activations, losses

H = 1e-6      # finite-difference step
RTOL = 1e-6   # finite difference vs a − y; the difference's rounding error is ~ε|C|/h
ATOL = 1e-8

# z from −1000 to 1000: saturated, moderate and tiny values, with 0 and the kink.
Z = np.concatenate([np.linspace(-1000, 1000, 2001), np.linspace(-40, 40, 8001),
                    np.linspace(-1e-3, 1e-3, 201), [0.0, -0.0, 5e-324, -5e-324]])
ELEMENTWISE = [name for name, act in ACTIVATIONS.items() if act.hidden_ok]


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_values_lie_in_the_declared_range(name):
    act = ACTIVATIONS[name]
    lo, hi = act.value_range
    # softmax works over a row: give it rows of 5 values drawn at random from the samples.
    shuffled = np.random.default_rng(0).permutation(Z)
    z = shuffled[: len(Z) // 5 * 5].reshape(-1, 5) if name == "softmax" else Z[None, :]
    with np.errstate(under="ignore"):
        a = act.value(z)
    assert np.isfinite(a).all()
    assert (a >= lo).all() and (a <= hi).all(), (name, a.min(), a.max())
    if act.bounded:  # tight: within 1e-9 of both ends somewhere in the samples
        assert a.min() - lo < 1e-9 and hi - a.max() < 1e-9, (name, a.min(), a.max())
    assert act.bounded == (name in {"sigmoid", "tanh", "softmax"})  # as the figures drew them


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_lies_in_the_declared_range_and_is_the_slope(name):
    act = ACTIVATIONS[name]
    lo, hi = act.prime_range
    z = Z[None, :]
    with np.errstate(under="ignore"):
        fprime = act.derivative(z, act.value(z))
    assert (fprime >= lo).all() and (fprime <= hi).all(), (name, fprime.min(), fprime.max())
    assert hi - fprime.max() < 1e-12  # the top is reached: sigmoid'(0) = 1/4, the others 1
    # The declared derivative is the slope of the value, away from the kink at 0.
    zs = np.linspace(-6, 6, 121)
    zs = zs[np.abs(zs) > 1e-3][None, :]
    numeric = (act.value(zs + H) - act.value(zs - H)) / (2 * H)
    np.testing.assert_allclose(act.derivative(zs, act.value(zs)), numeric, rtol=1e-7, atol=1e-9)


def test_softmax_has_no_elementwise_derivative():
    assert ACTIVATIONS["softmax"].prime_range is None
    assert not ACTIVATIONS["softmax"].hidden_ok


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_latex_names_the_function_once(name):
    act = ACTIVATIONS[name]
    assert act.prime_latex == act.latex_derivative
    if act.hidden_ok:  # f'(z) is written with the function's own symbol
        assert act.prime_latex.startswith(f"{act.symbol}'(z)"), act.prime_latex
    for text in (act.latex, act.prime_latex, act.symbol):
        assert text.isascii() and text.count("{") == text.count("}")


PAIRS = [(out, loss) for loss in LOSSES for out in losses.valid_outputs(loss)]


def _targets(loss_name: str, rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    if loss_name == "log_likelihood":  # probability rows, not only one-hot ones
        y = rng.random((n, k)) + 0.1
        return y / y.sum(axis=1, keepdims=True)
    if loss_name == "cross_entropy":
        return rng.random((n, k))
    return rng.normal(size=(n, k))


def _numeric_delta(loss: losses.Loss, f: activations.Activation, z: np.ndarray,
                   y: np.ndarray) -> np.ndarray:
    """∂C_i/∂z[i, j] by centred differences of the per-example cost."""
    out = np.empty_like(z)
    for j in range(z.shape[1]):
        zp, zm = z.copy(), z.copy()
        zp[:, j] += H
        zm[:, j] -= H
        out[:, j] = (loss.value(zp, f.value(zp), y) - loss.value(zm, f.value(zm), y)) / (2 * H)
    return out


@pytest.mark.parametrize("out,loss_name", PAIRS)
def test_cancellation_claim_agrees_with_a_finite_difference_delta(out, loss_name):
    loss, f = LOSSES[loss_name], ACTIVATIONS[out]
    rng = np.random.default_rng(7)
    z = rng.normal(scale=2.0, size=(6, 3))
    z[np.abs(z) < 1e-2] += 0.1  # keep clear of relu's kink
    y = _targets(loss_name, rng, 6, 3)
    a = f.value(z)
    numeric = _numeric_delta(loss, f, z, y)
    # The engine's δ is the true ∂C_i/∂z for every pair ...
    np.testing.assert_allclose(loss.delta(z, a, y, f), numeric, rtol=RTOL, atol=ATOL)
    # ... and it is a − y exactly when the registry says the pair cancels.
    says = losses.cancels_to_a_minus_y(loss_name, out)
    assert says == loss.cancels_with(out)
    scale = np.abs(numeric).max()
    is_a_minus_y = np.allclose(numeric, a - y, rtol=RTOL, atol=ATOL * max(1.0, scale))
    # quadratic with a linear output is a − y too, though nothing cancels: f'(z) = 1.
    assert is_a_minus_y == (says or (out, loss_name) == ("linear", "quadratic")), (out, loss_name)


def test_the_cancelling_pairs_are_the_books():
    cancelling = {(out, name) for out, name in PAIRS if losses.cancels_to_a_minus_y(name, out)}
    assert cancelling == {("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")}
    with pytest.raises(ValueError, match="unknown loss"):
        losses.cancels_to_a_minus_y("hinge", "sigmoid")
    with pytest.raises(ValueError, match="unknown activation"):
        losses.cancels_to_a_minus_y("quadratic", "swish")


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_formulas_are_per_example(name):
    loss = LOSSES[name]
    assert loss.latex.startswith("C = ") and loss.text.startswith("C_i = ")
    assert loss.latex.isascii()
    assert all(out in ACTIVATIONS for out in loss.cancels)


# --- adding an activation is one entry --------------------------------------------------
def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)  # ln(1 + e^z), no overflow


def _softplus_derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))  # σ(z), written here


SOFTPLUS = activations.Activation(
    "softplus", _softplus, _softplus_derivative, r"\ln(1 + e^{z})",
    r"\mathrm{softplus}'(z) = \frac{1}{1+e^{-z}}", value_range=(0.0, np.inf),
    prime_range=(0.0, 1.0), symbol=r"\mathrm{softplus}")


@pytest.fixture
def softplus():
    activations.register(SOFTPLUS)
    try:
        yield SOFTPLUS
    finally:
        activations.unregister("softplus")


def test_a_registered_activation_gets_the_whole_engine(softplus):
    from bp_core import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, Network, Stepper, gradcheck

    assert "softplus" in HIDDEN_ACTIVATIONS and "softplus" in OUTPUT_ACTIVATIONS
    assert "softplus" in losses.valid_outputs("quadratic")
    net = Network([2, 4, 3, 1], "softplus", "softplus", "quadratic", init="xavier", seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 2)), rng.random((5, 1))
    assert gradcheck(net, X, Y, l2=0.1).passed
    reference = net.copy()
    r = reference.sgd_step(X, Y, 0.3, l2=0.1)
    records = Stepper(net, X, Y, 0.3, l2=0.1).run()
    assert all(a.tobytes() == b.tobytes()
               for a, b in zip(net.weights, reference.weights, strict=True))
    assert records[0].activation == "softplus" and records[2].activation == "softplus"
    np.testing.assert_allclose(r.activations[-1], np.log1p(np.exp(r.zs[-1])), rtol=1e-12)
    # Its facts hold like the built-in ones'.
    a = softplus.value(Z[None, :])
    assert (a >= 0).all() and np.isfinite(a).all() and not softplus.bounded


def test_register_refuses_a_taken_name_and_unregister_an_unknown_one():
    with pytest.raises(ValueError, match="already registered"):
        activations.register(ACTIVATIONS["tanh"])
    with pytest.raises(ValueError, match="unknown activation"):
        activations.unregister("softplus")
    assert "softplus" not in ACTIVATIONS
