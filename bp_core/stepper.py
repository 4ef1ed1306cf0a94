"""Step through one training pass, a phase at a time, with undo.

The phases of one pass over a batch, for L weight layers, in order:

    forward 0 … L−1   z[l] = a[l] @ W[l].T + b[l], then a[l+1] = f(z[l])
    loss              C_i for every example and their mean
    backward L−1 … 0  delta[l] (BP1 at the output, BP2 below), then grad_w[l], grad_b[l]
    update            W[l] −= η·grad_w[l] and b[l] −= η·grad_b[l] for every layer

Each ``step()`` returns a `PhaseRecord`: an immutable snapshot of what that phase
computed and of the inputs it used, so pictures and equations can be drawn from
the record alone.  ``back()`` undoes the last phase; undoing the update puts the
exact float64 weights back.  The history holds at most one record per phase of
the pass (2L + 2), and the batch is capped at ``MAX_STEP_BATCH`` rows, so the
memory used is bounded.

Running every phase performs exactly the operations of ``Network.sgd_step`` in
the same order, so the network ends bit-for-bit equal to ``sgd_step``'s.

A phase that would produce NaN or ±inf (a diverging learning rate, say) is not
recorded: ``step()`` raises `Diverged` and leaves the stepper and the network as
they were, so the last finite weights are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import limits
from .network import Network

Array = np.ndarray

MAX_STEP_BATCH = 1024


class Diverged(ArithmeticError):
    """A phase produced a non-finite value; nothing was changed."""


@dataclass(frozen=True)
class PhaseRecord:
    """What one phase computed.

    kind: "forward", "loss", "backward" or "update"; layer: the weight layer l,
    or None for loss and update; index: position of the phase in the pass.

    arrays, by kind (n = batch, n_in = sizes[l], n_out = sizes[l+1]):
      forward:  a_prev (n, n_in), W (n_out, n_in), b (n_out,), z (n, n_out), a (n, n_out)
      loss:     a (n, n_out), y (n, n_out), z (n, n_out), costs (n,), loss ()
      backward: z, fprime (n, n_out) [f'(z), absent for a softmax output],
                delta (n, n_out), a_prev (n, n_in), grad_w (n_out, n_in), grad_b (n_out,);
                at the output also a, y; below it delta_next (n, sizes[l+2]) and
                W_next (sizes[l+2], n_out)
      update:   for every layer l, W_before{l}, b_before{l}, grad_w{l}, grad_b{l},
                update_w{l} = −η·grad_w{l}, update_b{l}, W_after{l}, b_after{l};
                learning_rate ()
    All arrays are read-only copies.
    """
    kind: str
    layer: int | None
    index: int
    arrays: dict[str, Array] = field(repr=False)

    @property
    def label(self) -> str:
        return phase_label(self.kind, self.layer)


def phase_label(kind: str, layer: int | None) -> str:
    """Short timeline label: F0, Loss, B2, Update (layers as in bp_core's lists)."""
    return {"forward": f"F{layer}", "backward": f"B{layer}"}.get(kind, kind.capitalize())


def phases(num_layers: int) -> list[tuple[str, int | None]]:
    """The (kind, layer) of every phase of one pass, in order."""
    L = num_layers
    return ([("forward", l) for l in range(L)] + [("loss", None)]
            + [("backward", l) for l in range(L - 1, -1, -1)] + [("update", None)])


def _frozen(arrays: dict[str, object]) -> dict[str, Array]:
    out = {}
    for key, value in arrays.items():
        arr = np.array(value, dtype=np.float64)  # a copy, never a view of live state
        arr.setflags(write=False)
        out[key] = arr
    return out


class Stepper:
    """Step-through of one pass of ``net`` over the batch (X, Y).

    X: (n, sizes[0]); Y: (n, sizes[-1]).  ``step()`` mutates the network only in the
    update phase; ``back()`` undoes.  ``update_biases=False`` follows Mazur's post,
    which leaves the biases alone.

    Raises ValueError for a batch the network refuses (see ``Network.batch``) or of
    more than MAX_STEP_BATCH rows, a learning_rate that is not a positive finite
    number, an l2 that is not a finite number ≥ 0, or an update_biases that is not a
    bool.  Change the learning rate or the bias flag between passes with
    ``set_learning_rate`` and ``set_update_biases``, which validate the same way.
    """

    def __init__(self, net: Network, X, Y, learning_rate: float, l2: float = 0.0,
                 update_biases: bool = True):
        X, Y = net.batch(X, Y)
        if X.shape[0] > MAX_STEP_BATCH:
            raise ValueError(f"a stepped batch holds at most {MAX_STEP_BATCH} examples")
        self.set_learning_rate(learning_rate)
        self.set_update_biases(update_biases)
        self.l2 = limits.check_real(l2, "l2", lo=0)
        self.net, self.X, self.Y = net, X.copy(), Y.copy()
        self.phases = phases(net.num_layers)
        self.history: list[PhaseRecord] = []
        # Working state of the pass, filled phase by phase.
        self._z: dict[int, Array] = {}
        self._a: dict[int, Array] = {0: self.X}
        self._delta: dict[int, Array] = {}
        self._grad: dict[int, tuple[Array, Array]] = {}

    # --- settings -----------------------------------------------------------
    def set_learning_rate(self, value: float) -> None:
        """Set η for the update phase; ValueError unless a positive finite number."""
        self.learning_rate = limits.check_real(value, "learning_rate", lo=0, lo_open=True)

    def set_update_biases(self, flag: bool) -> None:
        """Whether the update phase changes the biases; ValueError unless a bool."""
        self.update_biases = limits.check_bool(flag, "update_biases")

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
        """Memory held by the undo history, in bytes."""
        return sum(arr.nbytes for rec in self.history for arr in rec.arrays.values())

    # --- stepping -----------------------------------------------------------
    def step(self) -> PhaseRecord:
        """Compute the next phase and return its record.  Raises Diverged or StopIteration."""
        if self.done:
            raise StopIteration("the pass is complete; start a new Stepper for the next batch")
        kind, layer = self.phases[self.position]
        with np.errstate(all="ignore"):  # non-finite results are caught just below
            arrays, commit = getattr(self, f"_{kind}")(layer)
        if not all(np.isfinite(v).all() for v in arrays.values()):
            raise Diverged(f"the {kind} phase produced NaN or infinity; the network keeps "
                           "its last finite weights. Try a smaller learning rate.")
        commit()
        record = PhaseRecord(kind, layer, self.position, _frozen(arrays))
        self.history.append(record)
        return record

    def run(self) -> list[PhaseRecord]:
        """Step to the end of the pass; returns the new records."""
        return [self.step() for _ in range(len(self.phases) - self.position)]

    def back(self) -> PhaseRecord | None:
        """Undo the last phase; returns the record now current (None at the start)."""
        if not self.history:
            return None
        record = self.history.pop()
        l = record.layer
        if record.kind == "forward":
            del self._z[l], self._a[l + 1]
        elif record.kind == "backward":
            del self._delta[l], self._grad[l]
        elif record.kind == "update":
            for k in range(self.net.num_layers):
                self.net.weights[k] = np.array(record.arrays[f"W_before{k}"])
                self.net.biases[k] = np.array(record.arrays[f"b_before{k}"])
        return self.last

    # --- the phases: each returns (arrays to record, function that commits) --
    def _forward(self, l: int):
        a_prev = self._a[l]
        z, a = self.net.forward_layer(l, a_prev)

        def commit():
            self._z[l], self._a[l + 1] = z, a
        return dict(a_prev=a_prev, W=self.net.weights[l], b=self.net.biases[l], z=z, a=a), commit

    def _loss(self, _):
        L = self.net.num_layers
        z, a = self._z[L - 1], self._a[L]
        costs = self.net.costs(z, a, self.Y)
        loss = float(np.mean(costs)) + self.net.l2_term(self.l2)
        return dict(a=a, y=self.Y, z=z, costs=costs, loss=loss), lambda: None

    def _backward(self, l: int):
        net, L = self.net, self.net.num_layers
        z, a = self._z[l], self._a[l + 1]
        arrays: dict[str, object] = dict(z=z)
        if l == L - 1:
            delta = net.output_delta(z, a, self.Y)
            arrays.update(a=a, y=self.Y)
        else:
            delta = net.hidden_delta(l, self._delta[l + 1], z, a)
            arrays.update(delta_next=self._delta[l + 1], W_next=net.weights[l + 1])
        if net.f(l).hidden_ok:
            arrays["fprime"] = net.f(l).derivative(z, a)
        grad_w, grad_b = net.gradients(l, delta, self._a[l], self.l2)
        arrays.update(delta=delta, a_prev=self._a[l], grad_w=grad_w, grad_b=grad_b)

        def commit():
            self._delta[l], self._grad[l] = delta, (grad_w, grad_b)
        return arrays, commit

    def _update(self, _):
        net, eta = self.net, self.learning_rate
        arrays: dict[str, object] = dict(learning_rate=eta)
        new_w, new_b = [], []
        for l in range(net.num_layers):
            grad_w, grad_b = self._grad[l]
            # The same expression as Network.sgd_step, so the result is bit-identical.
            w = net.weights[l] - eta * grad_w
            b = net.biases[l] - eta * grad_b if self.update_biases else net.biases[l].copy()
            arrays.update({f"W_before{l}": net.weights[l], f"b_before{l}": net.biases[l],
                           f"grad_w{l}": grad_w, f"grad_b{l}": grad_b,
                           f"update_w{l}": -eta * grad_w,
                           f"update_b{l}": -eta * grad_b if self.update_biases else 0 * grad_b,
                           f"W_after{l}": w, f"b_after{l}": b})
            new_w.append(w)
            new_b.append(b)

        def commit():
            net.weights[:], net.biases[:] = new_w, new_b
        return arrays, commit
