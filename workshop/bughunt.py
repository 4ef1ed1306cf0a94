r"""The bug hunt: the tutorial's buggy ``backprop``, run for real.

`BuggyNetwork` is an executable copy of Nielsen's network.py (per-example column
vectors, ``backprop(x, y)`` returning ``(nabla_b, nabla_w)``).  Its class is not
written here: it is compiled from ``workshop.tutorial_code.render_source(defects)``,
the very text the learner reads, with the buggy line of every chosen defect in
place.  So every symptom is the real one: ``xrange`` raises Python's own
NameError, ``self.weight`` its own AttributeError, ``zs[:-1]`` whatever numpy
really does with a list, and ``np.exp(z)`` gives quietly wrong gradients.

Conventions at the boundary are bp_core's (see bp_core/network.py):

    weights[l]: (n_out, n_in)    biases[l]: (n_out,)    X: (n, n_in)    Y: (n, n_out)
    grad_w[l], grad_b[l]: the gradient of the batch mean of C_i = ½‖a − y‖²

Inside, Nielsen's shapes: x (n_in, 1), biases[l] (n_out, 1).  ``backprop_batch``
sums ``nabla_w``/``nabla_b`` over the examples as ``update_mini_batch`` does and
divides by n, so ``W −= η·grad_w`` is Nielsen's ``w − (η/m) Σ nabla_w``.

Nielsen's network.py knows one activation (sigmoid) and one cost (quadratic), so
this engine does too.  Run it on a sigmoid/quadratic network's parameters, or on
a fresh sigmoid network (`is_supported` tells which).
"""

from __future__ import annotations

import functools
import linecache
from dataclasses import dataclass

import numpy as np

from bp_core.batch import check_batch
from bp_core.budget import Budget, OutOfBudget
from bp_core.network import Network

from . import tracebacks
from .tutorial_code import DEFECT_IDS, check_defects, render_source

Array = np.ndarray

MAX_EXAMPLES = 64  # the bug hunt runs at most this many rows: the engine loops in Python
DEFAULT_EPOCHS = 100
DEFAULT_LEARNING_RATE = 0.5  # Mazur's


class WrongShape(ValueError):
    """Raised by this harness (not by the tutorial's code) when backprop returns a
    gradient whose shape does not match its parameter.  Nielsen's update_mini_batch
    would not notice: ``w - (eta/m)*nw`` broadcasts, and the weights change shape."""


@dataclass(frozen=True)
class BatchGradients:
    """What gradcheck's ``analytic=`` needs: grad_w[l] (n_out, n_in), grad_b[l] (n_out,),
    the gradient of the batch mean of the quadratic cost, as computed by the buggy code."""
    grad_w: list[Array]
    grad_b: list[Array]


def _filename(defects: frozenset[str]) -> str:
    return f"<tutorial network.py [{'+'.join(sorted(defects)) or 'fixed'}]>"


@functools.lru_cache(maxsize=2 ** len(DEFECT_IDS))
def _compiled(defects: frozenset[str]):
    """The code object of the tutorial text with these defects (16 versions at most)."""
    return compile(render_source(defects), _filename(defects), "exec")


def _register_lines(filename: str, source: str) -> None:
    """Let tracebacks show the tutorial's lines: put the text in linecache under its
    pseudo file name (mtime None, so linecache.checkcache leaves the entry alone)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)


class BuggyNetwork:
    """Nielsen's Network, compiled from the tutorial text with ``defects`` switched on.

    weights[l]: (n_out, n_in) and biases[l]: (n_out,), as in bp_core; copied, so the
    caller's arrays are never touched.  ``self.net`` is the real Nielsen object;
    ``source`` the exact text it was compiled from.
    """

    def __init__(self, weights, biases, defects=()):
        self.defects = check_defects(defects)
        self.source = render_source(self.defects)
        self.filename = _filename(self.defects)
        weights = [np.array(w, dtype=np.float64) for w in weights]
        biases = [np.array(b, dtype=np.float64).reshape(-1, 1) for b in biases]
        if any(w.ndim != 2 for w in weights):
            raise ValueError(f"every weight matrix must be 2-D, got shapes "
                             f"{[w.shape for w in weights]}")
        if not weights or len(weights) != len(biases):
            raise ValueError(f"need as many bias vectors as weight matrices (at least one), "
                             f"got {len(weights)} and {len(biases)}")
        sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
        for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
            if w.shape != (sizes[l + 1], sizes[l]) or b.shape != (sizes[l + 1], 1):
                raise ValueError(f"layer {l}: weights {w.shape} and biases {b.shape[:1]} "
                                 f"do not fit sizes {sizes}")
        # Executing generated text is safe here because the text is ours: FIXED_SOURCE
        # is a constant of workshop.tutorial_code, and a defect only swaps one of its
        # lines for another constant.  No user input ever reaches compile() or exec().
        _register_lines(self.filename, self.source)
        namespace: dict = {"__name__": "tutorial_network"}
        exec(_compiled(self.defects), namespace)
        cls = namespace["Network"]
        # Network.__init__(sizes) would draw random weights from np.random's global
        # state; set the four attributes it sets ourselves instead.
        net = cls.__new__(cls)
        net.num_layers = len(sizes)
        net.sizes = sizes
        net.biases = biases
        net.weights = weights
        self.net = net

    @property
    def sizes(self) -> list[int]:
        return list(self.net.sizes)

    @property
    def weights(self) -> list[Array]:
        return [w.copy() for w in self.net.weights]

    @property
    def biases(self) -> list[Array]:
        """biases[l]: (n_out,), bp_core's shape."""
        return [b.reshape(-1).copy() for b in self.net.biases]

    def backprop(self, x, y):
        """Nielsen's ``backprop`` for one example: x (n_in, 1), y (n_out, 1)."""
        with np.errstate(over="ignore", under="ignore"):  # e^z overflowing is σ saturating
            return self.net.backprop(x, y)

    def backprop_batch(self, X, Y) -> BatchGradients:
        """Mean over the rows of X (n, n_in), Y (n, n_out) of the per-example gradients.

        Exceptions from the tutorial code propagate unchanged; `WrongShape` is raised
        if a gradient comes back with a shape other than its parameter's.
        """
        X, Y = check_batch(X, Y, self.sizes[0], self.sizes[-1])
        # Accumulated as update_mini_batch does: nb + dnb, numpy broadcasting and all.
        sum_b = [np.zeros(b.shape) for b in self.net.biases]
        sum_w = [np.zeros(w.shape) for w in self.net.weights]
        for x, y in zip(X, Y, strict=True):
            nabla_b, nabla_w = self.backprop(x.reshape(-1, 1), y.reshape(-1, 1))
            sum_b = [nb + dnb for nb, dnb in zip(sum_b, nabla_b, strict=True)]
            sum_w = [nw + dnw for nw, dnw in zip(sum_w, nabla_w, strict=True)]
        n = X.shape[0]
        for name, sums, params in (("nabla_b", sum_b, self.net.biases),
                                   ("nabla_w", sum_w, self.net.weights)):
            for l, (s, p) in enumerate(zip(sums, params, strict=True)):
                if np.shape(s) != p.shape:
                    raise WrongShape(f"backprop returned {name}[{l}] with shape {np.shape(s)}, "
                                     f"but the parameter has shape {p.shape}")
        return BatchGradients([s / n for s in sum_w], [s.reshape(-1) / n for s in sum_b])

    def analytic(self, net, X, Y) -> BatchGradients:
        """For ``bp_core.gradcheck(net, X, Y, analytic=buggy.analytic)``: this engine's
        gradient at ``net``'s current parameters, with this engine's defects."""
        return backprop_batch(net, X, Y, self.defects)


def backprop_batch(net_like, X, Y, defects=None) -> BatchGradients:
    """Batch-mean gradients of the buggy engine at ``net_like``'s weights and biases.

    ``net_like`` is a BuggyNetwork (its own defects are used unless ``defects`` is
    given) or anything with bp_core-shaped ``weights`` and ``biases``, such as a
    bp_core Network (then ``defects`` defaults to none).
    """
    if defects is None:
        defects = net_like.defects if isinstance(net_like, BuggyNetwork) else ()
    return BuggyNetwork(net_like.weights, net_like.biases, defects).backprop_batch(X, Y)


def is_supported(net: Network) -> bool:
    """True if Nielsen's engine computes the same thing as ``net``: sigmoid, quadratic."""
    return (net.activation == "sigmoid" and net.output_activation == "sigmoid"
            and net.loss_name == "quadratic")


def sigmoid_network(weights, biases) -> Network:
    """The bp_core network Nielsen's code describes: sigmoid everywhere, quadratic cost."""
    return Network.from_params(weights, biases, activation="sigmoid",
                               output_activation="sigmoid", loss="quadratic")


def train_buggy(weights, biases, defects, X, Y, epochs: int = DEFAULT_EPOCHS,
                lr: float = DEFAULT_LEARNING_RATE, budget: Budget | None = None) -> list[float]:
    """Full-batch gradient descent with the buggy gradients; the true loss after each epoch.

    Each epoch is one step ``W −= lr·grad_w``, ``b −= lr·grad_b`` over all of (X, Y)
    (Nielsen's SGD with one mini-batch), and the loss is bp_core's correct mean
    quadratic cost, so a buggy gradient shows as a loss that does not fall.  Returns
    ``epochs`` floats (fewer if the loss stops being finite, or if ``budget``, checked
    before every epoch, runs out: then ``budget.exhausted`` says why).  Does not mutate
    its arguments; exceptions from the tutorial code propagate.
    """
    judge = sigmoid_network(weights, biases)  # copies; also validates the parameters
    X, Y = judge.batch(X, Y)
    engine = BuggyNetwork(judge.weights, judge.biases, defects)
    losses: list[float] = []
    for _ in range(epochs):
        if budget is not None:
            try:
                budget.check()
            except OutOfBudget:
                break
        grads = engine.backprop_batch(X, Y)
        for l in range(judge.num_layers):
            # In place, so the engine (which holds these very arrays) sees the update.
            engine.net.weights[l] -= lr * grads.grad_w[l]
            engine.net.biases[l] -= lr * grads.grad_b[l].reshape(-1, 1)
            judge.weights[l][...] = engine.net.weights[l]
            judge.biases[l][...] = engine.net.biases[l].reshape(-1)
        loss = judge.loss(X, Y)
        if not np.isfinite(loss):
            break
        losses.append(loss)
    return losses


def describe_exception(exc: BaseException, filename: str | None = None) -> dict:
    """Plain data about an exception: its type and message, the last line Python
    prints for it, and where in the tutorial text it was raised (line 0 if not there)."""
    last = tracebacks.last_frame_in(exc, filename)
    return {
        "type": type(exc).__name__,
        "message": str(exc),
        "last_line": tracebacks.exception_line(exc),
        "origin": "tutorial" if tracebacks.raised_in(exc, filename) else "harness",
        "line": last.lineno if last else 0,
        "source_line": (last.line or "") if last else "",
        "traceback": tracebacks.learner_traceback(exc, filename),
    }
