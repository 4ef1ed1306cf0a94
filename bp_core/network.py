r"""The network and its backpropagation, vectorised over a mini-batch.

Notation, used unchanged in the app, its equations and the README.  Layers are
counted from 0 and L = len(sizes) − 1 is the number of weight layers:

    a[0]   = X                              (batch, sizes[0])
    z[l]   = a[l] @ W[l].T + b[l]           (batch, sizes[l+1])
    a[l+1] = f(z[l])                        (batch, sizes[l+1])
    C      = mean over the batch of the per-example cost C_i

Backpropagation (Nielsen's BP1–BP4, one row per example):

    BP1  delta[L-1] = ∂C_i/∂a ⊙ f'(z[L-1])             (the loss supplies it)
    BP2  delta[l]   = (delta[l+1] @ W[l+1]) ⊙ f'(z[l])
    BP3  grad_b[l]  = mean_i delta[l]
    BP4  grad_w[l]  = delta[l].T @ a[l] / batch

``deltas[l][i]`` is ∂C_i/∂z[l][i], the error of example i alone, as in the book
and in Mazur's worked example; ``grad_w`` and ``grad_b`` are the gradient of the
batch mean C, so ``W -= η · grad_w`` is Nielsen's ``w − (η/m) Σ nabla_w``.

With L2 of strength λ the cost gains (λ/2)·Σ‖W‖² (weights only, as in
network2.py, where λ there corresponds to λ/n here) and grad_w gains λ·W.

Nielsen's code indexes layers from the end (``zs[-1]``, ``-l``); here layers
count forwards, and the output layer is ``L - 1`` for the weight lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import activations as acts
from . import init as inits
from . import limits, losses, phases, serialise
from .batch import as_batch, check_batch
from .serialise import JSON_FORMAT, JSON_VERSION  # noqa: F401  (their old home)

Array = np.ndarray
__all__ = ["BackpropResult", "Network", "as_batch"]

EVAL_VALUES = 8192  # numbers per temporary when evaluating a big data set (64 KiB)


@dataclass(frozen=True)
class BackpropResult:
    """Everything one forward and backward pass computed.

    zs[l]: (n, sizes[l+1]); activations[l]: (n, sizes[l]), activations[0] is X;
    deltas[l]: like zs[l]; grad_w[l]: like weights[l]; grad_b[l]: like biases[l];
    costs: (n,), the per-example cost C_i (without the L2 term); loss: the batch
    mean of costs plus the L2 term.

    costs and loss are computed when first read, from the output z and a kept here:
    sgd_step and train() never read them, and a pass should not pay for them.
    """
    zs: list[Array]
    activations: list[Array]
    deltas: list[Array]
    grad_w: list[Array]
    grad_b: list[Array]
    targets: Array = field(repr=False)   # Y, (n, sizes[-1])
    loss_function: losses.Loss = field(repr=False)
    l2_term: float = 0.0  # (λ/2)Σ‖W‖² of the weights the pass used, taken before any update

    @cached_property
    def costs(self) -> Array:
        with np.errstate(under="ignore"):
            return phases.costs(self.loss_function, self.zs[-1], self.activations[-1],
                                self.targets)

    @cached_property
    def loss(self) -> float:
        return phases.mean_cost(self.costs, self.l2_term)


class Network:
    """A fully connected feed-forward network.

    sizes: neurons per layer, input first; weights[l]: float64 (sizes[l+1], sizes[l]);
    biases[l]: float64 (sizes[l+1],).  ``activation`` is used by the hidden layers,
    ``output_activation`` by the last one.

    ``Network(sizes, ...)`` raises ValueError, before allocating anything, for:

    * sizes that are not a list, tuple or 1-D array of integers (a dict, a set, a
      generator, a string), a size that is not a whole number ≥ 1 (bool included), or
      sizes over the limits of bp_core.limits (layers, neurons, parameters);
    * an unknown activation, output activation, loss or init; an activation that can
      only be an output one (softmax); a loss that does not pair with the output
      activation (see losses.check_pair);
    * an output layer too small for its activation: softmax needs at least 2 outputs;
    * a seed that is not a whole number ≥ 0.
    """

    def __init__(self, sizes, activation: str = "sigmoid", output_activation: str = "sigmoid",
                 loss: str = "quadratic", init: str = "scaled", seed: int = 0):
        sizes = limits.check_sizes(sizes)  # before anything is allocated
        self._set_functions(activation, output_activation, loss)
        self._check_outputs(sizes[-1])
        seed = limits.check_int(seed, "seed", lo=0)
        self.init = init
        self.weights, self.biases = inits.initialise(sizes, init, seed)
        self.sizes = sizes

    def _set_functions(self, activation: str, output_activation: str, loss: str) -> None:
        hidden = acts.get(activation)
        if not hidden.hidden_ok:
            raise ValueError(f"{activation!r} can only be an output activation")
        losses.check_pair(output_activation, loss)
        self.activation = activation
        self.output_activation = output_activation
        self.loss_name = loss
        self._f_hidden = hidden
        self._f_out = acts.get(output_activation)
        self._loss = losses.get(loss)

    def _check_outputs(self, n_out: int) -> None:
        """Refuse an output layer smaller than its activation needs (softmax: 2)."""
        f = self._f_out
        if n_out < f.min_outputs:
            raise ValueError(f"{f.name} needs at least {f.min_outputs} outputs: "
                             f"{f.min_outputs_why}; got an output layer of {n_out}")

    @classmethod
    def from_params(cls, weights, biases, activation: str = "sigmoid",
                    output_activation: str = "sigmoid", loss: str = "quadratic") -> Network:
        """Build a network from given weights and biases (copied, as float64).

        weights[l]: (sizes[l+1], sizes[l]); biases[l]: (sizes[l+1],).  Raises ValueError
        for mismatched or non-2-D shapes, sizes over the limits, an output layer too
        small for its activation, NaN or ±inf, and any array whose dtype is not integer
        or float: bool, complex (whose imaginary part would be dropped), text ("1.5"
        would be parsed) and object arrays are refused, not converted.
        """
        if len(weights) != len(biases):
            raise ValueError(f"{len(weights)} weight matrices but {len(biases)} bias vectors")
        if len(weights) == 0:
            raise ValueError("a network needs at least one weight matrix")
        weights = [_real_array(w, f"weights[{l}]") for l, w in enumerate(weights)]
        biases = [_real_array(b, f"biases[{l}]") for l, b in enumerate(biases)]
        shapes = [w.shape for w in weights]
        if any(len(s) != 2 for s in shapes):
            raise ValueError(f"every weight matrix must be 2-D, got shapes {shapes}")
        sizes = limits.check_sizes([shapes[0][1]] + [s[0] for s in shapes])
        net = cls.__new__(cls)
        net._set_functions(activation, output_activation, loss)
        net._check_outputs(sizes[-1])
        for l, (w, b) in enumerate(zip(weights, biases)):
            if w.shape != (sizes[l + 1], sizes[l]):
                raise ValueError(f"weights[{l}] has shape {w.shape}, expected "
                                 f"{(sizes[l + 1], sizes[l])}")
            if b.shape != (sizes[l + 1],):
                raise ValueError(f"biases[{l}] has shape {b.shape}, expected "
                                 f"{(sizes[l + 1],)}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise ValueError(f"layer {l} holds NaN or infinite parameters")
        net.init = "given"
        net.sizes = sizes
        net.weights = [np.array(w, dtype=np.float64) for w in weights]
        net.biases = [np.array(b, dtype=np.float64) for b in biases]
        return net

    def copy(self) -> Network:
        return Network.from_params(self.weights, self.biases, self.activation,
                                   self.output_activation, self.loss_name)

    @property
    def num_layers(self) -> int:
        """L, the number of weight layers."""
        return len(self.weights)

    def f(self, l: int) -> acts.Activation:
        """The activation of weight layer l (the output one for l = L − 1)."""
        return self._f_out if l == len(self.weights) - 1 else self._f_hidden

    @property
    def functions(self) -> list[acts.Activation]:
        """The activation of every weight layer, l = 0 … L−1."""
        return [self._f_hidden] * (len(self.weights) - 1) + [self._f_out]

    @property
    def loss_function(self) -> losses.Loss:
        """The registry entry of the loss (``loss_name`` is its name)."""
        return self._loss

    # --- forward ------------------------------------------------------------
    def forward_layer(self, l: int, a_prev: Array) -> tuple[Array, Array]:
        """z[l] = a[l] @ W[l].T + b[l] and a[l+1] = f(z[l]); each (n, sizes[l+1])."""
        return phases.forward_layer(self.weights[l], self.biases[l], self.f(l), a_prev)

    def forward(self, X) -> Array:
        """The output a[L] for inputs X: (n, sizes[0]) -> (n, sizes[-1]).  Pure."""
        X = as_batch(X, self.sizes[0])
        with np.errstate(under="ignore"):
            return phases.output(self.weights, self.biases, self.functions, X)[1]

    def costs(self, z_out: Array, a_out: Array, Y: Array) -> Array:
        """The per-example cost C_i, shape (n,)."""
        with np.errstate(under="ignore"):
            return phases.costs(self._loss, z_out, a_out, Y)

    def l2_term(self, l2: float) -> float:
        """(λ/2)Σ_l ‖W[l]‖², the L2 part of the loss."""
        return phases.l2_term(self.weights, l2)

    def batch(self, X, Y) -> tuple[Array, Array]:
        """X as (n, sizes[0]) and Y as (n, sizes[-1]), float64; ValueError otherwise.

        Also refuses targets the loss is not defined for (log_likelihood: rows that
        are not probability distributions).  See bp_core.batch.check_batch.
        """
        return check_batch(X, Y, self.sizes[0], self.sizes[-1], self._loss.check_targets)

    def loss(self, X, Y, l2: float = 0.0) -> float:
        """Mean over the n examples of the per-example cost, plus (λ/2)Σ‖W‖².  Pure."""
        l2 = limits.check_real(l2, "l2", lo=0)
        X, Y = self.batch(X, Y)
        return self.evaluate_checked(X, Y, l2)[0]

    def evaluate_checked(self, X: Array, Y: Array, l2: float = 0.0) -> tuple[float, Array]:
        """(loss, output a[L] (n, sizes[-1])) from one forward pass, for a batch and l2
        already checked.  train() checks its data once and evaluates through here.

        A big data set goes through in slices of EVAL_VALUES // (widest layer) rows, so
        no temporary holds more than EVAL_VALUES numbers: a 5000 × 100 hidden layer would
        be a fresh 4 MB array each epoch, and its page faults cost more than its maths.
        Every example's cost is computed as in one piece; only their sum sees all of them.
        """
        fs, n = self.functions, X.shape[0]
        rows = max(1, EVAL_VALUES // max(self.sizes[1:]))
        with np.errstate(under="ignore"):
            if n <= rows:
                z, a = phases.output(self.weights, self.biases, fs, X)
                costs = phases.costs(self._loss, z, a, Y)
            else:
                costs, a = np.empty(n), np.empty((n, self.sizes[-1]))
                for k in range(0, n, rows):
                    z_k, a[k:k + rows] = phases.output(self.weights, self.biases, fs,
                                                       X[k:k + rows])
                    costs[k:k + rows] = phases.costs(self._loss, z_k, a[k:k + rows],
                                                     Y[k:k + rows])
        return phases.mean_cost(costs, self.l2_term(l2)), a

    # --- backward -----------------------------------------------------------
    def output_delta(self, z_out: Array, a_out: Array, Y: Array) -> Array:
        """BP1: delta[L-1] = ∂C_i/∂z[L-1], shape (n, sizes[-1])."""
        return phases.output_delta(self._loss, self._f_out, z_out, a_out, Y)

    def hidden_delta(self, l: int, delta_next: Array, z: Array, a: Array) -> Array:
        """BP2: delta[l] = (delta[l+1] @ W[l+1]) ⊙ f'(z[l]); (n, sizes[l+1])."""
        return phases.hidden_delta(self.weights[l + 1], delta_next,
                                   phases.slope(self._f_hidden, z, a))

    def gradients(self, l: int, delta: Array, a_prev: Array,
                  l2: float = 0.0) -> tuple[Array, Array]:
        """BP3 and BP4 for layer l: grad_w[l] (sizes[l+1], sizes[l]), grad_b[l] (sizes[l+1],)."""
        return phases.gradients(delta, a_prev, self.weights[l], l2)

    def backprop(self, X, Y, l2: float = 0.0) -> BackpropResult:
        """One forward and backward pass over the batch (X, Y).  Does not mutate.

        Raises ValueError for a bad batch (see ``batch``) or an l2 that is not a
        finite number ≥ 0.
        """
        l2 = limits.check_real(l2, "l2", lo=0)
        X, Y = self.batch(X, Y)
        return self.backprop_checked(X, Y, l2)

    def backprop_checked(self, X: Array, Y: Array, l2: float = 0.0) -> BackpropResult:
        """``backprop`` for a batch and l2 already checked (``batch``, limits.check_real)."""
        fs = self.functions
        with np.errstate(under="ignore"):
            zs, activations = phases.forward_pass(self.weights, self.biases, fs, X)
            deltas, grad_w, grad_b = phases.backward_pass(self.weights, fs, self._loss, zs,
                                                          activations, Y, l2)
        return BackpropResult(zs, activations, deltas, grad_w, grad_b, Y, self._loss,
                              self.l2_term(l2))

    def sgd_step(self, X, Y, learning_rate: float, l2: float = 0.0,
                 update_biases: bool = True) -> BackpropResult:
        """One gradient-descent update, in place: W −= η·grad_w, b −= η·grad_b.

        Returns the BackpropResult the update used (computed before the update).
        ``update_biases=False`` leaves the biases alone, as Mazur's post does.
        Raises ValueError, before changing anything, for a learning_rate that is not
        a positive finite number, a bad l2 or batch (see ``backprop``), or an
        update_biases that is not a bool.
        """
        learning_rate = limits.check_real(learning_rate, "learning_rate", lo=0, lo_open=True)
        update_biases = limits.check_bool(update_biases, "update_biases")
        l2 = limits.check_real(l2, "l2", lo=0)
        X, Y = self.batch(X, Y)
        return self.sgd_step_checked(X, Y, learning_rate, l2, update_biases)

    def sgd_step_checked(self, X: Array, Y: Array, learning_rate: float, l2: float = 0.0,
                         update_biases: bool = True) -> BackpropResult:
        """``sgd_step`` for arguments already checked: train() checks once, then steps."""
        r = self.backprop_checked(X, Y, l2)
        phases.sgd_update(self.weights, self.biases, r.grad_w, r.grad_b, learning_rate,
                          update_biases)
        return r

    # --- (de)serialisation --------------------------------------------------
    def params_finite(self) -> bool:
        return all(np.isfinite(w).all() and np.isfinite(b).all()
                   for w, b in zip(self.weights, self.biases))

    def to_json(self) -> str:
        """A JSON text that ``from_json`` turns back into this network, bit for bit
        (see bp_core.serialise)."""
        return serialise.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Parse a network saved by ``to_json``; never unpickles or evaluates.  Raises
        ValueError for anything else (see bp_core.serialise.from_json)."""
        return serialise.from_json(text, cls)

    def __repr__(self) -> str:
        return (f"Network({self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r}, loss={self.loss_name!r})")


def _real_array(values: object, name: str) -> Array:
    """values as a numpy array of integers or floats (not yet copied); else ValueError.

    np.array(..., dtype=float64) would silently drop an imaginary part, parse the
    text "1.5" and turn True into 1.0, so the dtype numpy infers is checked first.
    """
    try:
        arr = np.asarray(values)
    except ValueError:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold integers or floats, got an array of dtype "
                         f"{arr.dtype} (bool, complex, text and objects are refused)")
    return arr
