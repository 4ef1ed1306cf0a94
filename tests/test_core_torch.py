"""Backprop against PyTorch's autograd, in float64 (issue 15).

The reference shares no code with bp_core: the forward pass, the per-example cost
and the L2 term are written here in torch from the definitions in bp_core.network
and bp_core.losses, with torch's own loss functions, and torch.autograd
differentiates them.  Compared, for every hidden activation × every (output
activation, loss) pair the engine accepts, over random shapes:

* the per-example costs C_i, ``BackpropResult.loss`` and ``Network.loss``:
  C = mean_i C_i + (λ/2)·Σ_l ‖W[l]‖²  (the mean over the batch; L2 on weights only,
  not divided by n);
* ``deltas[l]`` = ∂C_i/∂z[l] for each example alone = n · ∂C/∂z[l];
* every ``grad_w[l]`` and ``grad_b[l]`` = ∂C/∂W[l], ∂C/∂b[l].

Each entry to RTOL = 1e-12 relative to its float64 error scale (see error_scales:
relative to the entry itself is meaningless where it is a cancellation, as at a
saturated tanh).  Also: the engine refuses log_likelihood targets whose rows are not
probability distributions, and softmax over one output, and torch confirms why (for
a softmax output ∂C_i/∂z = a·Σy − y, which is the engine's a − y only when Σy = 1).

Skipped when PyTorch is not installed (.ci/run installs the pinned CPU wheel).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bp_core import HIDDEN_ACTIVATIONS, INITS, LOSSES, Network, Stepper, activations
from bp_core import losses as bp_losses

torch = pytest.importorskip("torch")
F = torch.nn.functional

RTOL = 1e-12  # float64 with a different order of operations: a few ulps, stated once

# Every (output activation, loss) pair the engine accepts, from the engine itself.
PAIRS = [(out, loss) for loss in LOSSES for out in bp_losses.valid_outputs(loss)]
# log_likelihood is tested with one-hot targets and with soft targets (distributions).
CASES = [(out, loss, kind) for out, loss in PAIRS
         for kind in (["one_hot", "soft"] if loss == "log_likelihood" else ["any"])]

SETTINGS = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


# --- the reference, in torch -------------------------------------------------------
TORCH_F = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,  # relu'(0) = 0 in torch's autograd
    "leaky_relu": lambda z: F.leaky_relu(z, negative_slope=0.01),  # f'(0) = 0.01
    "linear": lambda z: z,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def torch_costs(loss: str, z, a, y):
    """The per-example cost C_i, shape (n,), with torch's own loss functions."""
    if loss == "quadratic":      # C = ½‖a − y‖²
        return 0.5 * F.mse_loss(a, y, reduction="none").sum(dim=1)
    if loss == "cross_entropy":  # C = −Σ_j [y ln σ(z) + (1 − y) ln(1 − σ(z))]
        return F.binary_cross_entropy_with_logits(z, y, reduction="none").sum(dim=1)
    if loss == "log_likelihood":  # C = −Σ_j y ln softmax(z)_j; takes probability targets
        return F.cross_entropy(z, y, reduction="none")
    raise AssertionError(f"no torch reference for loss {loss!r}")


def torch_reference(weights, biases, hidden, out, loss, X, Y, l2) -> dict:
    """Costs, loss, deltas, grad_w, grad_b from torch.autograd, and the forward pass.

    Returns numpy float64 arrays under the names compare() uses, plus "activations" and
    "fprime" (f'(z) of every elementwise layer, from autograd too) for error_scales().
    """
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    b = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in biases]
    a = torch.tensor(X, dtype=torch.float64)
    y = torch.tensor(Y, dtype=torch.float64)
    zs, activations, fprime = [], [a], []
    for l in range(len(W)):
        z = a @ W[l].T + b[l]
        z.retain_grad()
        zs.append(z)
        f = TORCH_F[out if l == len(W) - 1 else hidden]
        a = f(z)
        activations.append(a)
        fprime.append(None)
        if f is not TORCH_F["softmax"]:  # elementwise: f'(z) is the gradient of Σ f(z)
            zc = z.detach().requires_grad_()
            f(zc).sum().backward()
            fprime[l] = zc.grad.numpy()
    costs = torch_costs(loss, zs[-1], a, y)
    total = costs.mean() + 0.5 * l2 * sum((w * w).sum() for w in W)
    total.backward()
    n = X.shape[0]
    return {"costs": costs.detach().numpy(), "loss": np.float64(total.item()),
            "deltas": [n * z.grad.numpy() for z in zs],  # ∂C_i/∂z of each example alone
            "grad_w": [w.grad.numpy() for w in W], "grad_b": [v.grad.numpy() for v in b],
            "activations": [a.detach().numpy() for a in activations], "fprime": fprime}


# --- comparing -----------------------------------------------------------------------
# Each entry is compared relative to its error scale: the same sums and products as
# backprop with every term made non-negative (the usual a-priori bound of float
# rounding, Higham ch. 3).  Relative to the entry itself is not meaningful where the
# entry is a cancellation: grad_b of a batch whose deltas nearly cancel, or
# f'(z) = 1 − a² of a saturated tanh, where a's last bit alone moves f' by ~ε/f'.
# There bp_core and torch, both in float64, differ from the exact value (and each
# other) by far more than 1e-12 of the result, but by ~1e-16 of the scale.
# A wrong formula differs by the size of the scale itself.
SATURATING = {"sigmoid", "tanh"}


def error_scales(ref: dict, weights, biases, hidden, out, loss, Y, l2) -> dict:
    L, n = len(weights), Y.shape[0]
    absW = [np.abs(w) for w in weights]
    acts, fprime = ref["activations"], ref["fprime"]
    names = [hidden] * (L - 1) + [out]
    # Forward: how large the terms behind each z and a are.  z's rounding error moves
    # an elementwise a by f'(z) times it, and softmax's a_j by a_j·(|z_j| + max|z|).
    abar, zbar = [np.abs(acts[0])], []
    for l in range(L):
        zbar.append(abar[l] @ absW[l].T + np.abs(biases[l]))
        if fprime[l] is None:  # softmax
            abar.append(acts[l + 1] * (1.0 + 2.0 * zbar[l].max(axis=1, keepdims=True)))
        else:
            abar.append(np.abs(acts[l + 1]) + np.abs(fprime[l]) * zbar[l])

    def fbar(l: int) -> np.ndarray:
        # f'(z) is exact for relu, leaky_relu and linear (so a dead relu's terms are exactly
        # 0 in both); for sigmoid and tanh it is computed from a, with an error ~ε(1 + |z|).
        return 1.0 + zbar[l] if names[l] in SATURATING else np.abs(fprime[l])

    g = abar[-1] + np.abs(Y)  # the scale of a − y
    # The costs, then the loss.
    costs = np.abs(ref["costs"]) + np.sum(g * (1.0 + zbar[-1].max(axis=1, keepdims=True)),
                                          axis=1)
    loss_scale = costs.mean() + 0.5 * l2 * sum(float(np.sum(w * w)) for w in weights)
    # Backward: the output delta, then BP2 with |W| and the scale of f'(z).
    deltas = [None] * L
    if (out, loss) in {("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")}:
        deltas[L - 1] = g  # a − y
    elif out == "softmax":  # a ⊙ (g − Σ g a)
        deltas[L - 1] = abar[-1] * (g + np.sum(g * abar[-1], axis=1, keepdims=True))
    else:  # (a − y) ⊙ f'(z)
        deltas[L - 1] = g * fbar(L - 1)
    for l in range(L - 2, -1, -1):
        deltas[l] = (deltas[l + 1] @ absW[l + 1]) * fbar(l)
    return {"costs": costs, "loss": loss_scale, "deltas": deltas,
            "grad_w": [d.T @ a / n + l2 * w for d, a, w in zip(deltas, abar, absW)],
            "grad_b": [d.sum(axis=0) / n for d in deltas]}


def rel_error(got, want, scale) -> float:
    """max |got − want| / scale over the entries; a zero scale needs exact equality."""
    got, want, scale = (np.asarray(v, dtype=np.float64) for v in (got, want, scale))
    assert got.shape == want.shape == scale.shape, (got.shape, want.shape, scale.shape)
    diff = np.abs(got - want)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(diff == 0.0, 0.0, diff / scale)
    return float(np.max(ratio, initial=0.0))  # NaN anywhere propagates and fails


def compare(net: Network, X, Y, l2: float) -> dict[str, float]:
    """Every quantity bp_core computes against torch: name -> relative error."""
    r = net.backprop(X, Y, l2)
    ref = torch_reference(net.weights, net.biases, net.activation, net.output_activation,
                          net.loss_name, X, Y, l2)
    scale = error_scales(ref, net.weights, net.biases, net.activation,
                         net.output_activation, net.loss_name, Y, l2)
    errors = {"costs": rel_error(r.costs, ref["costs"], scale["costs"]),
              "backprop.loss": rel_error(r.loss, ref["loss"], scale["loss"]),
              "Network.loss": rel_error(net.loss(X, Y, l2), ref["loss"], scale["loss"])}
    for key in ("deltas", "grad_w", "grad_b"):
        for l in range(net.num_layers):
            errors[f"{key}[{l}]"] = rel_error(getattr(r, key)[l], ref[key][l], scale[key][l])
    return errors


def targets(rng: np.random.Generator, kind: str, n: int, k: int) -> np.ndarray:
    if kind == "one_hot":
        return np.eye(k)[rng.integers(k, size=n)]
    if kind == "soft":  # rows that sum to 1, some with entries close to 0
        return rng.dirichlet(np.full(k, rng.choice([0.2, 1.0, 5.0])), size=n)
    return rng.uniform(0.0, 1.0, size=(n, k))


@st.composite
def problems(draw, out: str):
    """(sizes, init, seed, n, x_scale, zero_row, l2): 2–5 layers of 1–6 neurons, batch 1–8."""
    n_layers = draw(st.integers(2, 5))  # counting the input layer, as bp_core.limits does
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_layers, max_size=n_layers))
    sizes[-1] = max(sizes[-1], activations.get(out).min_outputs)  # softmax: at least 2
    return (sizes, draw(st.sampled_from(INITS)), draw(st.integers(0, 2**32 - 1)),
            draw(st.integers(1, 8)), draw(st.sampled_from([0.5, 1.0, 3.0])),
            # An all-zero input row with the zero biases of xavier/he puts z exactly at
            # relu's kink, where bp_core and torch both take relu'(0) = 0, leaky 0.01.
            draw(st.booleans()),
            draw(st.sampled_from([0.0, 1e-3, 0.1, 1.0])))


# --- gradients and costs against torch -----------------------------------------------------
def test_every_pair_and_activation_has_a_torch_reference():
    assert set(HIDDEN_ACTIVATIONS) <= TORCH_F.keys()
    assert {out for out, _ in PAIRS} <= TORCH_F.keys()
    assert ("softmax", "log_likelihood") in PAIRS and ("sigmoid", "cross_entropy") in PAIRS
    for out, loss in PAIRS:
        z = torch.zeros((1, 2), dtype=torch.float64)
        torch_costs(loss, z, TORCH_F[out](z), torch.full((1, 2), 0.5, dtype=torch.float64))


def test_the_kink_convention_is_the_same_in_bp_core_and_torch():
    """At z = 0 exactly both take relu'(0) = 0 and leaky_relu'(0) = 0.01."""
    for name in ("relu", "leaky_relu"):
        z = torch.zeros((1, 3), dtype=torch.float64, requires_grad=True)
        TORCH_F[name](z).sum().backward()
        f = activations.get(name)
        zero = np.zeros((1, 3))
        np.testing.assert_array_equal(f.derivative(zero, f.value(zero)), z.grad.numpy())


@pytest.mark.parametrize("out,loss,target_kind", CASES)
@pytest.mark.parametrize("hidden", HIDDEN_ACTIVATIONS)
def test_backprop_agrees_with_torch_autograd(hidden, out, loss, target_kind):
    @SETTINGS
    @given(problems(out))
    def check(problem):
        sizes, init, seed, n, x_scale, zero_row, l2 = problem
        rng = np.random.default_rng(seed)
        net = Network(sizes, activation=hidden, output_activation=out, loss=loss,
                      init=init, seed=seed)
        X = x_scale * rng.normal(size=(n, sizes[0]))
        if zero_row:
            X[0] = 0.0
        Y = targets(rng, target_kind, n, sizes[-1])
        errors = compare(net, X, Y, l2)
        worst = max(errors, key=errors.get)
        assert errors[worst] <= RTOL, (worst, errors[worst], errors)

    check()


# --- what the engine refuses ---------------------------------------------------------------
DISTRIBUTION = r"log_likelihood needs each target row to be a probability distribution"
X2 = np.array([[0.5, -0.2], [-1.0, 0.3]])


def test_softmax_refuses_a_single_output():
    """The issue's reproduction: softmax over 1 output is the constant 1 and is refused."""
    with pytest.raises(ValueError, match="softmax needs at least 2 outputs"):
        Network([2, 3, 1], activation="tanh", output_activation="softmax",
                loss="log_likelihood", seed=0)
    with pytest.raises(ValueError, match="softmax needs at least 2 outputs"):
        Network.from_params([np.ones((3, 2)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)],
                            "tanh", "softmax", "log_likelihood")


def test_the_issue_reproduction_on_two_outputs_is_refused():
    """Y = [[0, 0], [1, 1]]: rows summing to 0 and 2, where a − y is not ∂C/∂z."""
    net = Network([2, 3, 2], activation="tanh", output_activation="softmax",
                  loss="log_likelihood", seed=0)
    Y = np.array([[0.0, 0.0], [1.0, 1.0]])
    before = [w.copy() for w in net.weights]
    for call in (lambda: net.backprop(X2, Y), lambda: net.loss(X2, Y),
                 lambda: net.sgd_step(X2, Y, 0.5), lambda: Stepper(net, X2, Y, 0.5).run()):
        with pytest.raises(ValueError, match=DISTRIBUTION + r".*row 0 sums to 0"):
            call()
    assert all(np.array_equal(w, v) for w, v in zip(net.weights, before))


@SETTINGS
@given(st.integers(2, 6), st.integers(1, 8), st.integers(0, 2**32 - 1),
       st.floats(0.0, 3.0).filter(lambda s: abs(s - 1.0) > 1e-6))
def test_log_likelihood_refuses_rows_that_do_not_sum_to_1(k, n, seed, factor):
    rng = np.random.default_rng(seed)
    net = Network([2, 3, k], activation="tanh", output_activation="softmax",
                  loss="log_likelihood", seed=0)
    Y = rng.dirichlet(np.ones(k), size=n)
    bad = int(rng.integers(n))
    Y[bad] *= factor
    X = rng.normal(size=(n, 2))
    with pytest.raises(ValueError, match=DISTRIBUTION + rf".*row {bad} sums to"):
        net.backprop(X, Y)
    with pytest.raises(ValueError, match=DISTRIBUTION):
        net.loss(X, Y)


def test_log_likelihood_refuses_a_negative_entry_summing_to_1():
    net = Network([2, 3, 2], activation="tanh", output_activation="softmax",
                  loss="log_likelihood", seed=0)
    with pytest.raises(ValueError, match=DISTRIBUTION + r".*row 1 has a negative entry"):
        net.backprop(X2, [[0.5, 0.5], [1.5, -0.5]])


def test_torch_confirms_why_such_targets_are_refused():
    """For a softmax output, torch's ∂C_i/∂z is a·Σy − y: a − y only when Σy = 1."""
    z = torch.tensor([[0.3, -1.2, 0.4], [2.0, 0.1, -0.5]], dtype=torch.float64,
                     requires_grad=True)
    Y = torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 0.5]], dtype=torch.float64)
    F.cross_entropy(z, Y, reduction="sum").backward()
    a = torch.softmax(z, dim=1).detach()
    np.testing.assert_allclose(z.grad.numpy(), (a * Y.sum(dim=1, keepdim=True) - Y).numpy(),
                               rtol=RTOL, atol=1e-15)
    assert not np.allclose(z.grad.numpy(), (a - Y).numpy())
