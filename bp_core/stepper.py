"""Step through one training pass, a phase at a time, with undo.

The phases of one pass over a batch, for L weight layers, in order:

    forward 0 … L−1   z[l] = a[l] @ W[l].T + b[l], then a[l+1] = f(z[l])
    loss              C_i for every example and their mean
    backward L−1 … 0  delta[l] (BP1 at the output, BP2 below), then grad_w[l], grad_b[l]
    update            W[l] −= η·grad_w[l] and b[l] −= η·grad_b[l] for every layer

Each ``step()`` returns a `PhaseRecord`: an immutable snapshot of what that phase
computed and of the inputs it used, and of the settings it ran with (activation,
loss, η, λ), so pictures and equations can be drawn from the record alone.
``back()`` undoes the last phase; undoing the update puts the exact float64
weights back.  The history holds at most one record per phase of the pass (2L + 2),
and the batch is capped at ``MAX_STEP_BATCH`` rows, so the memory used is bounded.

Every phase is a function of bp_core.phases, the same ones ``Network.backprop`` and
``sgd_step`` run, so a full pass ends bit-for-bit where ``sgd_step`` does.

A pass works on the weights its forward phases recorded: BP2, the λ·W term, the
update and its undo all take W[l] and b[l] from the record of forward l, not from
the network, so the network must not be changed in place during a pass (start a
new Stepper after changing it).

A phase that would produce NaN or ±inf (a diverging learning rate, say) is not
recorded: ``step()`` raises `Diverged` and leaves the stepper and the network as
they were, so the last finite weights are kept.  Only what a phase computes is
checked: its inputs come from an earlier, checked phase, or are the weights and the
batch, whose NaN or ±inf would show in a forward phase's z.

The settings (``learning_rate``, ``l2``, ``update_biases``) are validating
properties: ``stepper.learning_rate = 0`` raises ValueError and keeps the old value.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from . import limits, losses
from . import phases as phase  # phase.forward_layer, …: the functions of one pass
from .network import Network

Array = np.ndarray

MAX_STEP_BATCH = 1024


class Diverged(ArithmeticError):
    """A phase produced a non-finite value; nothing was changed."""


@dataclass(frozen=True)
class LayerUpdate:
    """What the update phase did to weight layer l; every array read-only.

    W_before, grad_w, step_w, W_after: (sizes[l+1], sizes[l]); b_before, grad_b, step_b,
    b_after: (sizes[l+1],).  step_w = −η·grad_w and W_after = W_before + step_w, the
    same floats as W_before − η·grad_w; step_b is 0 when the biases are not updated.
    """
    layer: int
    W_before: Array = field(repr=False)
    b_before: Array = field(repr=False)
    grad_w: Array = field(repr=False)
    grad_b: Array = field(repr=False)
    step_w: Array = field(repr=False)
    step_b: Array = field(repr=False)
    W_after: Array = field(repr=False)
    b_after: Array = field(repr=False)


@dataclass(frozen=True)
class PassSettings:
    """The network's functions and the stepper's settings, shared by the records of a
    pass (a new one whenever a setting changes, so each record keeps its own)."""
    sizes: tuple[int, ...]     # (sizes[0], …, sizes[L])
    hidden_activation: str
    output_activation: str
    loss_name: str
    learning_rate: float       # η
    l2: float                  # λ
    update_biases: bool


def _setting(name: str, doc: str) -> property:
    """A read-only property of PhaseRecord taken from its settings (None without them)."""
    return property(lambda rec: None if rec.settings is None else getattr(rec.settings, name),
                    doc=doc)


@dataclass(frozen=True)
class PhaseRecord:
    """What one phase computed, and everything a view needs to draw it.

    kind: "forward", "loss", "backward" or "update"; layer: the weight layer l,
    or None for loss and update; index: position of the phase in the pass.

    arrays, by kind (n = batch, n_in = sizes[l], n_out = sizes[l+1]):
      forward:  a_prev (n, n_in), W (n_out, n_in), b (n_out,), z (n, n_out), a (n, n_out)
      loss:     a (n, n_out), y (n, n_out), z (n, n_out), costs (n,), loss ()
      backward: z, fprime (n, n_out) [f'(z), absent for a softmax output],
                delta (n, n_out), a_prev (n, n_in), W (n_out, n_in) [the weights the
                gradient's λ·W used: forward l's W, one array], grad_w (n_out, n_in),
                grad_b (n_out,);
                at the output also a, y; below it delta_next (n, sizes[l+2]) and
                W_next (sizes[l+2], n_out)
      update:   for every layer l, W_before{l}, b_before{l}, grad_w{l}, grad_b{l},
                update_w{l} = −η·grad_w{l}, update_b{l}, W_after{l}, b_after{l};
                learning_rate ()
    All arrays are read-only; none is a view of the network's live weights.  An array
    that two records hold (a[l+1] in forward l and backward l) is one array, shared.

    What the phase ran with, as properties (from ``settings``, None when a record is
    built without it): ``activation`` (f of this layer; the output activation for the
    loss phase; None for the update), ``prev_activation`` (what made a_prev: None for
    layer 0), ``hidden_activation``, ``output_activation``, ``loss_name``,
    ``learning_rate`` (η), ``l2`` (λ), ``update_biases``, ``sizes``, ``num_layers`` and
    ``delta_is_a_minus_y``.  ``updates``: for the update phase one `LayerUpdate` per
    layer, l = 0 … L−1 (the same arrays as the ``*{l}`` keys); () for the others.
    """
    kind: str
    layer: int | None
    index: int
    arrays: dict[str, Array] = field(repr=False)
    settings: PassSettings | None = field(default=None, repr=False)

    @functools.cached_property
    def updates(self) -> tuple[LayerUpdate, ...]:
        """The update phase's arrays as one LayerUpdate per layer (the same arrays); ()
        for the other phases.  Built when first read."""
        if self.kind != "update":
            return ()
        num_layers = 0
        while f"W_before{num_layers}" in self.arrays:
            num_layers += 1
        return tuple(LayerUpdate(l, *(self.arrays[key] for key in _update_keys(l)))
                     for l in range(num_layers))

    @property
    def label(self) -> str:
        return phase_label(self.kind, self.layer)

    hidden_activation = _setting("hidden_activation", "The hidden layers' activation.")
    output_activation = _setting("output_activation", "The output layer's activation.")
    loss_name = _setting("loss_name", "The loss.")
    learning_rate = _setting("learning_rate", "η, as the stepper had it when the phase ran.")
    l2 = _setting("l2", "λ, the L2 strength of the loss and the gradients.")
    update_biases = _setting("update_biases", "Whether the update changes the biases.")
    sizes = _setting("sizes", "The layer sizes, (sizes[0], …, sizes[L]).")

    @property
    def num_layers(self) -> int | None:
        """L, the number of weight layers."""
        return None if self.settings is None else len(self.settings.sizes) - 1

    @property
    def activation(self) -> str | None:
        """The activation of this phase's layer; the output one for the loss phase."""
        if self.settings is None or self.kind == "update":
            return None
        if self.layer is None or self.layer == len(self.settings.sizes) - 2:
            return self.settings.output_activation
        return self.settings.hidden_activation

    @property
    def prev_activation(self) -> str | None:
        """The activation that produced a_prev = a[l]: None for layer 0 (a[0] is X)."""
        if self.layer is None or self.layer == 0:
            return None
        return self.hidden_activation

    @property
    def delta_is_a_minus_y(self) -> bool | None:
        """True when BP1 for this network is exactly delta[L-1] = a − y (see losses)."""
        if self.settings is None:
            return None
        return losses.cancels_to_a_minus_y(self.loss_name, self.output_activation)


def phase_label(kind: str, layer: int | None) -> str:
    """Short timeline label: F0, Loss, B2, Update (layers as in bp_core's lists)."""
    return {"forward": f"F{layer}", "backward": f"B{layer}"}.get(kind, kind.capitalize())


def phases(num_layers: int) -> list[tuple[str, int | None]]:
    """The (kind, layer) of every phase of one pass, in order."""
    return list(_phases(num_layers))


def outline(settings: PassSettings) -> list[PhaseRecord]:
    """The records of a pass before it runs: kind, layer, index and ``settings``, with
    no arrays.  Enough for what depends only on the network and the settings (the
    symbolic equations); pure."""
    return [PhaseRecord(kind, layer, i, {}, settings)
            for i, (kind, layer) in enumerate(_phases(len(settings.sizes) - 1))]


@functools.lru_cache(maxsize=64)
def _phases(L: int) -> tuple[tuple[str, int | None], ...]:
    return tuple([("forward", l) for l in range(L)] + [("loss", None)]
                 + [("backward", l) for l in range(L - 1, -1, -1)] + [("update", None)])


@functools.lru_cache(maxsize=64)
def _update_keys(l: int) -> tuple[str, ...]:
    """The update record's keys for layer l, in LayerUpdate's order after ``layer``."""
    return tuple(f"{key}{l}" for key in ("W_before", "b_before", "grad_w", "grad_b",
                                         "update_w", "update_b", "W_after", "b_after"))


def _snapshot(arr: Array) -> Array:
    """A read-only copy of live state (the network's weights), never a view of it."""
    out = arr.copy()
    out.setflags(write=False)
    return out


def _finite(*arrays: Array) -> bool:
    """True if every entry of every array is finite.

    One dot product per array, the sum of its squares: a NaN or ±inf anywhere makes it
    NaN or +inf, and squares cannot cancel, so a finite total proves all are finite.
    (BLAS's dot costs about two thirds of numpy's generic sum on a mini-batch.)  Only a
    total that overflows on finite entries (|x| above about 1e154) takes the exact
    elementwise test.
    """
    total = 0.0
    for arr in arrays:
        flat = arr.ravel()  # a view: every array checked here is C-contiguous
        total += float(flat.dot(flat))
    return math.isfinite(total) or all(bool(np.isfinite(arr).all()) for arr in arrays)


def _freeze(*arrays: Array) -> None:
    """Make a phase's new arrays read-only (the ones it shares are so already)."""
    for arr in arrays:
        arr.setflags(write=False)


class Stepper:
    """Step-through of one pass of ``net`` over the batch (X, Y).

    X: (n, sizes[0]); Y: (n, sizes[-1]).  ``step()`` mutates the network only in the
    update phase; ``back()`` undoes.  ``update_biases=False`` follows Mazur's post,
    which leaves the biases alone.

    Raises ValueError for a batch the network refuses (see ``Network.batch``) or of
    more than MAX_STEP_BATCH rows, a learning_rate that is not a positive finite
    number, an l2 that is not a finite number ≥ 0, or an update_biases that is not a
    bool.  The settings are properties that validate the same way when set
    (``stepper.learning_rate = 0.1``, or ``set_learning_rate(0.1)``).  ``l2`` can only
    change before the first phase, since the loss and the gradients use it; X and Y
    are read-only (a new batch is a new Stepper).
    """

    def __init__(self, net: Network, X, Y, learning_rate: float, l2: float = 0.0,
                 update_biases: bool = True):
        X, Y = net.batch(X, Y)
        if X.shape[0] > MAX_STEP_BATCH:
            raise ValueError(f"a stepped batch holds at most {MAX_STEP_BATCH} examples")
        self.history: list[PhaseRecord] = []
        self._settings: PassSettings | None = None
        self.learning_rate = learning_rate
        self.update_biases = update_biases
        self.l2 = l2
        # The stepper's own read-only copies: the caller's arrays may change later.
        self.net, self._X, self._Y = net, _snapshot(X), _snapshot(Y)
        self.phases = phases(net.num_layers)
        # Working state of the pass, filled phase by phase (arrays the records share).
        self._W: dict[int, Array] = {}  # the weights each forward phase used, read-only
        self._b: dict[int, Array] = {}
        self._z: dict[int, Array] = {}
        self._a: dict[int, Array] = {0: self._X}
        self._delta: dict[int, Array] = {}
        self._grad: dict[int, tuple[Array, Array]] = {}

    # --- settings -----------------------------------------------------------
    @property
    def X(self) -> Array:
        """The batch's inputs, (n, sizes[0]), read-only."""
        return self._X

    @property
    def Y(self) -> Array:
        """The batch's targets, (n, sizes[-1]), read-only."""
        return self._Y

    @property
    def learning_rate(self) -> float:
        """η of the update phase; setting it raises ValueError unless a positive finite
        number (the old value is kept)."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self._learning_rate = limits.check_real(value, "learning_rate", lo=0, lo_open=True)
        self._settings = None

    @property
    def update_biases(self) -> bool:
        """Whether the update phase changes the biases; set it to a bool (else ValueError)."""
        return self._update_biases

    @update_biases.setter
    def update_biases(self, flag: bool) -> None:
        self._update_biases = limits.check_bool(flag, "update_biases")
        self._settings = None

    @property
    def l2(self) -> float:
        """λ of the loss and the gradients; set it to a finite number ≥ 0 before the first
        phase (else ValueError: the phases done so far used the old λ)."""
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        value = limits.check_real(value, "l2", lo=0)
        if self.history:
            raise ValueError("l2 can only change before the first phase: the phases done "
                             "so far used the old value; go back to the start or start "
                             "a new pass")
        self._l2 = value
        self._settings = None

    def set_learning_rate(self, value: float) -> None:
        """Set η for the update phase; ValueError unless a positive finite number."""
        self.learning_rate = value

    def set_update_biases(self, flag: bool) -> None:
        """Whether the update phase changes the biases; ValueError unless a bool."""
        self.update_biases = flag

    @property
    def settings(self) -> PassSettings:
        """The settings the next phase runs with (one object until a setting changes)."""
        if self._settings is None:
            net = self.net
            self._settings = PassSettings(
                tuple(net.sizes), net.activation, net.output_activation, net.loss_name,
                self._learning_rate, self._l2, self._update_biases)
        return self._settings

    def outline(self) -> list[PhaseRecord]:
        """Every phase of this pass as a record without arrays (see `outline`)."""
        return outline(self.settings)

    # --- progress -----------------------------------------------------------
    @property
    def position(self) -> int:
        """Number of phases done so far (0 … len(phases))."""
        return len(self.history)

    @property
    def done(self) -> bool:
        return len(self.history) == len(self.phases)

    @property
    def next_phase(self) -> tuple[str, int | None] | None:
        return None if self.done else self.phases[self.position]

    @property
    def last(self) -> PhaseRecord | None:
        return self.history[-1] if self.history else None

    @property
    def nbytes(self) -> int:
        """Memory held by the undo history, in bytes (an array two records share once)."""
        unique = {id(arr): arr for rec in self.history for arr in rec.arrays.values()}
        return sum(arr.nbytes for arr in unique.values())

    # --- stepping -----------------------------------------------------------
    def step(self) -> PhaseRecord:
        """Compute the next phase and return its record.  Raises Diverged or StopIteration."""
        if self.done:
            raise StopIteration("the pass is complete; start a new Stepper for the next batch")
        with np.errstate(all="ignore"):  # non-finite results are caught in _step
            return self._step()

    def run(self) -> list[PhaseRecord]:
        """Step to the end of the pass; returns the new records.  Raises Diverged."""
        with np.errstate(all="ignore"):  # once for the pass, not once per phase
            return [self._step() for _ in range(len(self.phases) - self.position)]

    def _step(self) -> PhaseRecord:
        kind, layer = self.phases[len(self.history)]
        arrays, finite, commit = self._PHASES[kind](self, layer)
        if not finite:
            raise Diverged(f"the {kind} phase produced NaN or infinity; the network keeps "
                           "its last finite weights. Try a smaller learning rate.")
        commit()
        record = PhaseRecord(kind, layer, len(self.history), arrays, self.settings)
        self.history.append(record)
        return record

    def back(self) -> PhaseRecord | None:
        """Undo the last phase; returns the record now current (None at the start)."""
        if not self.history:
            return None
        record = self.history.pop()
        l = record.layer
        if record.kind == "forward":
            del self._W[l], self._b[l], self._z[l], self._a[l + 1]
        elif record.kind == "backward":
            del self._delta[l], self._grad[l]
        elif record.kind == "update":
            for u in record.updates:  # writable copies: the network owns its arrays
                self.net.weights[u.layer] = u.W_before.copy()
                self.net.biases[u.layer] = u.b_before.copy()
        return self.last

    # --- the phases: each returns (arrays to record, whether what it computed is
    # finite, a function that commits it), and runs the functions of bp_core.phases --
    def _forward(self, l: int):
        net, a_prev = self.net, self._a[l]
        # The pass keeps these read-only copies and uses them from here on (BP2, λ·W, the
        # update and its undo): one copy of each layer's weights per pass.
        W, b = _snapshot(net.weights[l]), _snapshot(net.biases[l])
        z, a = phase.forward_layer(W, b, net.f(l), a_prev)
        _freeze(z, a)

        def commit():
            self._W[l], self._b[l], self._z[l], self._a[l + 1] = W, b, z, a
        # a = f(z) is finite wherever z is (a fact of every registered activation).
        return dict(a_prev=a_prev, W=W, b=b, z=z, a=a), _finite(z), commit

    def _loss(self, _):
        net, L = self.net, self.net.num_layers
        z, a = self._z[L - 1], self._a[L]
        costs = phase.costs(net.loss_function, z, a, self._Y)
        l2_term = phase.l2_term(list(self._W.values()), self._l2) if self._l2 else 0.0
        loss = phase.mean_cost(costs, l2_term)
        loss_array = np.array(loss)
        _freeze(costs, loss_array)
        # A non-finite cost makes the mean non-finite, so one scalar test covers both.
        return (dict(a=a, y=self._Y, z=z, costs=costs, loss=loss_array),
                math.isfinite(loss), _nothing)

    def _backward(self, l: int):
        net, L = self.net, self.net.num_layers
        f, z, a, a_prev = net.f(l), self._z[l], self._a[l + 1], self._a[l]
        arrays: dict[str, object] = dict(z=z)
        fprime = phase.slope(f, z, a) if f.hidden_ok else None
        if l == L - 1:
            delta = phase.output_delta(net.loss_function, f, z, a, self._Y)
            arrays.update(a=a, y=self._Y)
        else:
            W_next = self._W[l + 1]
            delta = phase.hidden_delta(W_next, self._delta[l + 1], fprime)
            arrays.update(delta_next=self._delta[l + 1], W_next=W_next)
        if fprime is not None:
            arrays["fprime"] = fprime
        grad_w, grad_b = phase.gradients(delta, a_prev, self._W[l], self._l2)
        _freeze(delta, grad_w, grad_b, *([] if fprime is None else [fprime]))
        arrays.update(delta=delta, a_prev=a_prev, W=self._W[l], grad_w=grad_w, grad_b=grad_b)

        def commit():
            self._delta[l], self._grad[l] = delta, (grad_w, grad_b)
        # A NaN or inf in delta reaches grad_b (a column sum), so these two cover it.
        return arrays, _finite(grad_w, grad_b), commit

    def _update(self, _):
        net, eta, update_biases = self.net, self._learning_rate, self._update_biases
        arrays: dict[str, object] = {}
        new_w, new_b = [], []
        for l in range(net.num_layers):
            grad_w, grad_b = self._grad[l]
            W, b = self._W[l], self._b[l]
            # The function sgd_step runs, not in place: W and b stay, for undo.
            w_after, b_after, step_w, step_b = phase.update_layer(W, b, grad_w, grad_b, eta,
                                                                  update_biases)
            if step_b is None:  # the biases stay: their update is 0
                step_b = np.zeros_like(grad_b)
            # The network takes w_after itself, so the record gets a copy.
            new = (step_w, step_b, w_after.copy(), b_after.copy())
            _freeze(*new)
            arrays.update(zip(_update_keys(l), (W, b, grad_w, grad_b, *new)))
            new_w.append(w_after)
            new_b.append(b_after)
        arrays["learning_rate"] = np.array(eta)
        _freeze(arrays["learning_rate"])

        def commit():
            net.weights[:], net.biases[:] = new_w, new_b
        return arrays, _finite(*new_w, *new_b), commit

    _PHASES = {"forward": _forward, "loss": _loss, "backward": _backward, "update": _update}


def _nothing() -> None:
    """The commit of the loss phase, which changes no state."""
