"""Check backprop's gradients against centred finite differences, in float64.

For every weight and bias θ:

    numeric = (C(θ + h) − C(θ − h)) / 2h        error O(h²); h = 1e-6 by default
    rel     = |analytic − numeric| / max(|analytic| + |numeric|, floor)

The floor (1e-3) keeps a cell whose gradient is zero or tiny (a dead ReLU, say)
from dividing rounding noise by almost nothing: the centred difference carries an
absolute error of about ε·|C|/h ≈ 1e-10·|C|, so below the floor the comparison is
absolute.  A layer passes when its largest rel is below ``tolerance`` (1e-4, the
usual bound for float64 gradient checks).  A floor of 1e-8 with a tolerance of
1e-6 failed about one correct backprop in ten on small random networks.

Each perturbed entry costs two loss evaluations over the whole batch, so a big
network is slow to check in full.  ``max_entries`` checks a random sample of at
most that many entries of every W and b (the same sample for the same seed); the
other cells are NaN and marked unchecked.  A `Budget` is checked before every
entry: when it runs out the rest stay unchecked and the result says why.

The numbers are computed from ``net.loss`` alone, so they are independent of the
backprop under test; pass ``analytic=`` to check another implementation (the bug
hunt's buggy engine does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import limits
from .budget import Budget, OutOfBudget
from .network import Network

Array = np.ndarray

STEP = 1e-6
FLOOR = 1e-3
TOLERANCE = 1e-4


@dataclass(frozen=True)
class LayerCheck:
    """Layer l: analytic, numeric and relative error for W (n_out, n_in) and b (n_out,).

    numeric_* and rel_* are NaN in the cells that were not checked (see ``checked_*``).
    """
    layer: int
    analytic_w: Array
    numeric_w: Array
    rel_w: Array
    analytic_b: Array
    numeric_b: Array
    rel_b: Array
    checked_w: Array  # bool, like W: which cells were perturbed
    checked_b: Array  # bool, like b

    @property
    def n_checked(self) -> int:
        return int(self.checked_w.sum() + self.checked_b.sum())

    @property
    def n_params(self) -> int:
        return self.checked_w.size + self.checked_b.size

    @property
    def finite(self) -> bool:
        """False if a checked cell's gradient or its difference quotient overflowed."""
        return bool(np.isfinite(self.rel_w[self.checked_w]).all()
                    and np.isfinite(self.rel_b[self.checked_b]).all())

    @property
    def max_error(self) -> float:
        """The largest relative error over the checked cells; NaN if none was checked
        or one of them is not finite (NaN is never a pass)."""
        checked = np.concatenate([self.rel_w[self.checked_w], self.rel_b[self.checked_b]])
        if checked.size == 0 or not np.isfinite(checked).all():
            return float("nan")
        return float(checked.max())

    @property
    def passed(self) -> bool:
        return self.max_error < TOLERANCE  # False for NaN


@dataclass(frozen=True)
class GradcheckResult:
    """Per-layer results; iterating it (or ``.errors``) gives each layer's max rel error.

    ``stopped`` is "" when every planned cell was checked, else the budget's reason
    ("time" or "cancelled"); ``sampled`` is True when ``max_entries`` left cells out.
    """
    layers: list[LayerCheck]
    stopped: str = ""
    sampled: bool = False

    @property
    def complete(self) -> bool:
        """True if every weight and bias was checked."""
        return all(layer.n_checked == layer.n_params for layer in self.layers)

    @property
    def finite(self) -> bool:
        return all(layer.finite for layer in self.layers)

    @property
    def errors(self) -> list[float]:
        return [layer.max_error for layer in self.layers]

    @property
    def passed(self) -> bool:
        return all(layer.passed for layer in self.layers)

    def __iter__(self):
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, l: int) -> float:
        return self.errors[l]


def relative_error(analytic: Array, numeric: Array, floor: float = FLOOR) -> Array:
    return np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)


def centred_difference(net: Network, X: Array, Y: Array, flat: Array, i: int,
                       l2: float = 0.0, h: float = STEP) -> float:
    """(C(θ + h) − C(θ − h)) / 2h for entry i of ``flat``, a flat view of one of net's
    arrays; the entry is perturbed in place and restored exactly (the saved value)."""
    saved = flat[i]
    flat[i] = saved + h
    c_plus = net.loss(X, Y, l2)
    flat[i] = saved - h
    c_minus = net.loss(X, Y, l2)
    flat[i] = saved
    return (c_plus - c_minus) / (2 * h)


def sample_entries(size: int, max_entries: int | None, rng: np.random.Generator) -> Array:
    """Flat indices of the cells to check: all of them, or a sorted random sample."""
    if max_entries is None or size <= max_entries:
        return np.arange(size)
    return np.sort(rng.choice(size, max_entries, replace=False))


def gradcheck(net: Network, X, Y, l2: float = 0.0, h: float = STEP,
              analytic: Callable[[Network, Array, Array], object] | None = None, *,
              max_entries: int | None = None, budget: Budget | None = None,
              seed: int = 0) -> GradcheckResult:
    """Compare analytic gradients with centred finite differences, layer by layer.

    ``analytic(net, X, Y)`` must return an object with ``grad_w`` and ``grad_b``
    lists; by default it is ``net.backprop(X, Y, l2)``.  The network is left
    exactly as it was.  Costs 2 forward passes per checked entry: every entry, or
    at most ``max_entries`` of each W and b, chosen at random by ``seed``.
    """
    h = limits.check_real(h, "h", lo=0, lo_open=True)
    if max_entries is not None:
        max_entries = limits.check_int(max_entries, "max_entries", lo=1)
    X, Y = net.batch(X, Y)
    rng = np.random.default_rng(seed)
    stopped = ""
    layers = []
    with np.errstate(all="ignore"):  # an overflow shows as a non-finite cell, not a warning
        result = analytic(net, X, Y) if analytic else net.backprop(X, Y, l2)
        for l in range(net.num_layers):
            cells = []  # (analytic, numeric, rel, checked) for W, then for b
            for param, grad in ((net.weights[l], result.grad_w[l]),
                                (net.biases[l], result.grad_b[l])):
                numeric = np.full(param.shape, np.nan)
                checked = np.zeros(param.shape, dtype=bool)
                flat = param.reshape(-1)  # a view: perturbing it perturbs the network
                for i in sample_entries(param.size, max_entries, rng):
                    if stopped:
                        break  # the rest of the network stays unchecked
                    if budget is not None:
                        try:
                            budget.check()
                        except OutOfBudget as out:
                            stopped = out.reason
                            break
                    numeric.reshape(-1)[i] = centred_difference(net, X, Y, flat, i, l2, h)
                    checked.reshape(-1)[i] = True
                analytic_grad = np.asarray(grad, dtype=np.float64)
                rel = np.where(checked, relative_error(analytic_grad, numeric), np.nan)
                cells.append((analytic_grad, numeric, rel, checked))
            (a_w, n_w, rel_w, c_w), (a_b, n_b, rel_b, c_b) = cells
            layers.append(LayerCheck(l, a_w, n_w, rel_w, a_b, n_b, rel_b, c_w, c_b))
    sampled = max_entries is not None and any(
        p.size > max_entries for p in net.weights + net.biases)
    return GradcheckResult(layers, stopped=stopped, sampled=sampled)

