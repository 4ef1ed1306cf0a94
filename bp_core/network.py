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

import json
import math
from dataclasses import dataclass

import numpy as np

from . import activations as acts
from . import init as inits
from . import limits, losses

Array = np.ndarray

JSON_FORMAT = "bp_core.network"
JSON_VERSION = 1
_JSON_KEYS = {"format", "version", "sizes", "activation", "output_activation", "loss",
              "weights", "biases"}


@dataclass(frozen=True)
class BackpropResult:
    """Everything one forward and backward pass computed.

    zs[l]: (n, sizes[l+1]); activations[l]: (n, sizes[l]), activations[0] is X;
    deltas[l]: like zs[l]; grad_w[l]: like weights[l]; grad_b[l]: like biases[l];
    costs: (n,), the per-example cost C_i (without the L2 term); loss: the batch
    mean of costs plus the L2 term.
    """
    zs: list[Array]
    activations: list[Array]
    deltas: list[Array]
    grad_w: list[Array]
    grad_b: list[Array]
    costs: Array
    loss: float


def as_batch(X: object, n_features: int, name: str = "X") -> Array:
    """Return X as a float64 array of shape (n, n_features), or raise ValueError."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and n_features == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (n, {n_features}), got {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} holds no examples")
    return X


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

    # --- forward ------------------------------------------------------------
    def forward_layer(self, l: int, a_prev: Array) -> tuple[Array, Array]:
        """z[l] = a[l] @ W[l].T + b[l] and a[l+1] = f(z[l]); each (n, sizes[l+1])."""
        z = a_prev @ self.weights[l].T + self.biases[l]
        return z, self.f(l).value(z)

    def forward(self, X) -> Array:
        """The output a[L] for inputs X: (n, sizes[0]) -> (n, sizes[-1]).  Pure."""
        a = as_batch(X, self.sizes[0])
        with np.errstate(under="ignore"):
            for l in range(self.num_layers):
                _, a = self.forward_layer(l, a)
        return a

    def costs(self, z_out: Array, a_out: Array, Y: Array) -> Array:
        """The per-example cost C_i, shape (n,)."""
        with np.errstate(under="ignore"):
            return self._loss.value(z_out, a_out, Y)

    def l2_term(self, l2: float) -> float:
        return 0.5 * l2 * sum(float(np.sum(w * w)) for w in self.weights) if l2 else 0.0

    def batch(self, X, Y) -> tuple[Array, Array]:
        """X as (n, sizes[0]) and Y as (n, sizes[-1]), float64; ValueError otherwise.

        Also refuses targets the loss is not defined for (log_likelihood: rows that
        are not probability distributions).  Every entry point that takes targets
        passes through here: backprop, loss, sgd_step and the Stepper.
        """
        X = as_batch(X, self.sizes[0])
        Y = as_batch(Y, self.sizes[-1], "Y")
        if X.shape[0] != Y.shape[0]:  # numpy would broadcast one row of Y silently
            raise ValueError(f"X has {X.shape[0]} examples but Y has {Y.shape[0]}")
        if self._loss.check_targets is not None:
            self._loss.check_targets(Y)
        return X, Y

    def loss(self, X, Y, l2: float = 0.0) -> float:
        """Mean over the n examples of the per-example cost, plus (λ/2)Σ‖W‖².  Pure."""
        l2 = limits.check_real(l2, "l2", lo=0)
        a, Y = self.batch(X, Y)
        z = None
        with np.errstate(under="ignore"):
            for l in range(self.num_layers):
                z, a = self.forward_layer(l, a)
            return float(np.mean(self._loss.value(z, a, Y))) + self.l2_term(l2)

    # --- backward -----------------------------------------------------------
    def output_delta(self, z_out: Array, a_out: Array, Y: Array) -> Array:
        """BP1: delta[L-1] = ∂C_i/∂z[L-1], shape (n, sizes[-1])."""
        return self._loss.delta(z_out, a_out, Y, self._f_out)

    def hidden_delta(self, l: int, delta_next: Array, z: Array, a: Array) -> Array:
        """BP2: delta[l] = (delta[l+1] @ W[l+1]) ⊙ f'(z[l]); (n, sizes[l+1])."""
        return (delta_next @ self.weights[l + 1]) * self._f_hidden.derivative(z, a)

    def gradients(self, l: int, delta: Array, a_prev: Array,
                  l2: float = 0.0) -> tuple[Array, Array]:
        """BP3 and BP4 for layer l: grad_w[l] (sizes[l+1], sizes[l]), grad_b[l] (sizes[l+1],)."""
        n = delta.shape[0]
        grad_w = delta.T @ a_prev / n
        if l2:
            grad_w = grad_w + l2 * self.weights[l]
        return grad_w, delta.sum(axis=0) / n

    def backprop(self, X, Y, l2: float = 0.0) -> BackpropResult:
        """One forward and backward pass over the batch (X, Y).  Does not mutate.

        Raises ValueError for a bad batch (see ``batch``) or an l2 that is not a
        finite number ≥ 0.
        """
        l2 = limits.check_real(l2, "l2", lo=0)
        X, Y = self.batch(X, Y)
        L = self.num_layers
        with np.errstate(under="ignore"):
            activations, zs = [X], []
            for l in range(L):
                z, a = self.forward_layer(l, activations[-1])
                zs.append(z)
                activations.append(a)
            costs = self._loss.value(zs[-1], activations[-1], Y)
            deltas: list[Array] = [None] * L  # type: ignore[list-item]
            grad_w: list[Array] = [None] * L  # type: ignore[list-item]
            grad_b: list[Array] = [None] * L  # type: ignore[list-item]
            deltas[L - 1] = self.output_delta(zs[-1], activations[-1], Y)
            for l in range(L - 1, -1, -1):
                if l < L - 1:
                    deltas[l] = self.hidden_delta(l, deltas[l + 1], zs[l], activations[l + 1])
                grad_w[l], grad_b[l] = self.gradients(l, deltas[l], activations[l], l2)
        # The batch mean, spelled out: the same float as np.mean(costs), without the
        # generic dispatch that costs more than the sum itself on a mini-batch.
        loss = float(costs.sum() / len(costs)) + self.l2_term(l2)
        return BackpropResult(zs, activations, deltas, grad_w, grad_b, costs, loss)

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
        r = self.backprop(X, Y, l2)
        for l in range(self.num_layers):
            self.weights[l] -= learning_rate * r.grad_w[l]
            if update_biases:
                self.biases[l] -= learning_rate * r.grad_b[l]
        return r

    # --- (de)serialisation --------------------------------------------------
    def params_finite(self) -> bool:
        return all(np.isfinite(w).all() and np.isfinite(b).all()
                   for w, b in zip(self.weights, self.biases))

    def to_json(self) -> str:
        """A JSON text that ``from_json`` turns back into this network, bit for bit.

        Python writes each float as the shortest text that reads back to the same
        float64, so the round trip is exact.
        """
        if not self.params_finite():
            raise ValueError("cannot save a network with NaN or infinite parameters")
        return json.dumps({
            "format": JSON_FORMAT, "version": JSON_VERSION, "sizes": self.sizes,
            "activation": self.activation, "output_activation": self.output_activation,
            "loss": self.loss_name,
            "weights": [w.tolist() for w in self.weights],
            "biases": [b.tolist() for b in self.biases],
        }, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Parse a network saved by ``to_json``.  Never unpickles or evaluates.

        Raises ValueError for text over limits.MAX_JSON_BYTES, malformed JSON, NaN
        or Infinity, a key given twice in any object, unknown or missing keys, bad
        sizes, or shapes that do not match the sizes.
        """
        if isinstance(text, str):
            n_bytes = len(text.encode("utf-8", errors="replace"))
        elif isinstance(text, (bytes, bytearray)):
            n_bytes = len(text)
        else:
            raise ValueError(f"expected JSON text, got {type(text).__name__}")
        if n_bytes > limits.MAX_JSON_BYTES:
            raise ValueError(f"network JSON is {n_bytes:,} bytes; the limit is "
                             f"{limits.MAX_JSON_BYTES:,}")

        def refuse_constant(name: str):
            raise ValueError(f"network JSON may not contain {name}")

        try:
            data = json.loads(text, parse_constant=refuse_constant,
                              object_pairs_hook=_refuse_duplicate_keys)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise ValueError(f"not valid JSON: {err}") from None
        if not isinstance(data, dict):
            raise ValueError("network JSON must be an object")
        missing, unknown = _JSON_KEYS - data.keys(), data.keys() - _JSON_KEYS
        if missing:
            raise ValueError(f"network JSON is missing keys: {', '.join(sorted(missing))}")
        if unknown:
            raise ValueError(f"network JSON has unknown keys: {', '.join(sorted(unknown))}")
        # type() and not ==: in Python True == 1 == 1.0, and neither is version 1.
        if data["format"] != JSON_FORMAT or type(data["version"]) is not int \
                or data["version"] != JSON_VERSION:
            raise ValueError(f"expected format {JSON_FORMAT!r} version {JSON_VERSION}")
        sizes = limits.check_sizes(data["sizes"])
        for key in ("activation", "output_activation", "loss"):
            if not isinstance(data[key], str):
                raise ValueError(f"{key} must be a name")
        weights, biases = data["weights"], data["biases"]
        L = len(sizes) - 1
        if not (isinstance(weights, list) and isinstance(biases, list)
                and len(weights) == L and len(biases) == L):
            raise ValueError(f"sizes {sizes} need {L} weight matrices and {L} bias vectors")
        for l in range(L):
            _check_matrix(weights[l], sizes[l + 1], sizes[l], f"weights[{l}]")
            _check_vector(biases[l], sizes[l + 1], f"biases[{l}]")
        return cls.from_params(weights, biases, data["activation"],
                               data["output_activation"], data["loss"])

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


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    """json's object_pairs_hook: a dict, unless a key repeats (json keeps the last)."""
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"network JSON has a duplicate key {key!r}")
        seen.add(key)
    return dict(pairs)


def _check_vector(values: object, n: int, name: str) -> None:
    if not isinstance(values, list) or len(values) != n:
        raise ValueError(f"{name} must be a list of {n} numbers")
    for v in values:
        # bool is an int in Python but never a weight; NaN/inf were refused by the parser,
        # but a float like 1e999 parses to inf, so check finiteness too.
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not _finite(v):
            raise ValueError(f"{name} must hold finite numbers only, found {v!r}")


def _finite(v: int | float) -> bool:
    try:
        return math.isfinite(v)
    except OverflowError:  # a JSON integer such as 10**400 does not fit a float64
        return False


def _check_matrix(rows: object, n_out: int, n_in: int, name: str) -> None:
    if not isinstance(rows, list) or len(rows) != n_out:
        raise ValueError(f"{name} must have shape ({n_out}, {n_in})")
    for i, row in enumerate(rows):
        _check_vector(row, n_in, f"{name}[{i}]")
