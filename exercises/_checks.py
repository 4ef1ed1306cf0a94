"""Helpers for the exercise checks: you don't need to read or change this file.

The checks run your function and bp_core (the project's engine) on the same small
networks and compare the results array by array.  When something differs they
try to say why, in the notation of the exercises: a[l], z[l], W[l], delta[l].

Which file is checked: exercises/<name>.py, or $BP_EXERCISES_DIR/<name>.py when
that environment variable is set (the project's own tests point it at the
reference solutions).  The file is imported afresh for every check, so an edit
is seen at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

# bp_core and workshop import because the project is installed (pip install -e .), or
# because pytest puts the project's root on sys.path (pythonpath in pyproject.toml).
from bp_core import Network, activations, datasets

# The same loader and tolerances as the app's Exercises page.
from workshop import tracebacks
from workshop.exercise_runner import ATOL, RTOL, import_fresh

HERE = Path(__file__).resolve().parent

ENV_VAR = "BP_EXERCISES_DIR"


def fail(message: str):
    """Stop the check with ``message`` only: no traceback of the checking code."""
    pytest.fail(message, pytrace=False)


def show(path: Path) -> str:
    """The path as the learner would type it: relative to the working directory if inside."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def exercise_path(name: str) -> Path:
    folder = os.environ.get(ENV_VAR)
    return (Path(folder) if folder else HERE) / f"{name}.py"


def where(exc: BaseException, path: Path) -> str:
    """'line 17: z = a @ W' for the last line of the learner's file in the traceback."""
    line = tracebacks.where(exc, path)
    return f"\n  in {show(path)}, {line}" if line else ""


@dataclass
class Learner:
    """The learner's module and where it came from."""
    name: str
    path: Path
    module: object

    def call(self, function: str, *args, hint=None):
        """Call the learner's function; turn every way it can fail into a guiding message.

        ``hint(exc)`` may return extra advice for an exception (a shape reminder, say).
        """
        fn = getattr(self.module, function, None)
        if not callable(fn):
            fail(f"{show(self.path)} has no function {function}(): keep the name and the "
                 f"arguments of the stub")
        try:
            return fn(*args)
        except NotImplementedError as exc:
            message = (f"not implemented yet: open {show(self.path)} and replace the "
                       f"`raise NotImplementedError(...)` in {function}() with your code"
                       + (f"\n  hint: {exc}" if str(exc) else ""))
        except Exception as exc:  # whatever the learner's code raised: explain it
            extra = hint(exc) if hint else ""
            message = (f"{function}() raised {type(exc).__name__}: {exc}"
                       f"{where(exc, self.path)}" + (f"\n  hint: {extra}" if extra else ""))
        fail(message)  # outside the except block, so no "during handling" chain is printed


def load(name: str) -> Learner:
    path = exercise_path(name)
    if not path.is_file():
        fail(f"{show(path)} not found (exercise {name}); "
             + (f"{ENV_VAR} is set to {os.environ[ENV_VAR]!r}" if os.environ.get(ENV_VAR)
                else "it should be next to this check"))
    try:
        return Learner(name, path, import_fresh(path, prefix="exercise"))
    except SyntaxError as exc:
        message = f"{show(path)} does not run: SyntaxError on line {exc.lineno}: {exc.msg}"
    except Exception as exc:
        message = (f"importing {show(path)} failed with {type(exc).__name__}: {exc}"
                   f"{where(exc, path)}")
    fail(message)


# --- the networks every check uses ---------------------------------------------------

@dataclass(frozen=True)
class Case:
    """A network and a batch: weights[l] (n_{l+1}, n_l), biases[l] (n_{l+1},),
    X (batch, n_0), Y (batch, n_L); ``activation`` is f for every layer."""
    name: str
    weights: list
    biases: list
    X: np.ndarray
    Y: np.ndarray
    activation: str = "sigmoid"

    @property
    def f(self):
        return activations.get(self.activation).value

    @property
    def f_prime(self):
        act = activations.get(self.activation)
        return lambda z: act.derivative(z, act.value(z))

    @property
    def batch(self) -> int:
        return self.X.shape[0]

    def network(self, output_activation: str | None = None) -> Network:
        """bp_core's network with these parameters and quadratic cost (a fresh copy)."""
        return Network.from_params(self.weights, self.biases, self.activation,
                                   output_activation or self.activation, "quadratic")

    def reference(self):
        """bp_core's BackpropResult: zs, activations, deltas, grad_w, grad_b."""
        return self.network().backprop(self.X, self.Y)


def random_case(sizes, batch, activation="sigmoid", seed=0) -> Case:
    net = Network(sizes, activation=activation, output_activation=activation, seed=seed)
    rng = np.random.default_rng(seed + 100)
    X = rng.uniform(-1, 1, (batch, sizes[0]))
    Y = rng.uniform(0, 1, (batch, sizes[-1]))
    return Case(f"random {'-'.join(map(str, sizes))} {activation} net, batch {batch}",
                net.weights, net.biases, X, Y, activation)


def mazur_case() -> Case:
    data = datasets.mazur()
    return Case("Mazur's 2-2-2 example", [np.array(w) for w in datasets.MAZUR_WEIGHTS],
                [np.array(b) for b in datasets.MAZUR_BIASES], data.X, data.Y)


# Every size differs from every other in the first case, so a shape names its cause.
CASES = {
    "distinct-shapes": lambda: random_case([2, 4, 3], batch=5, seed=1),
    "deeper-tanh": lambda: random_case([3, 5, 4, 2], batch=6, activation="tanh", seed=2),
    "mazur": mazur_case,
}
SIGMOID_CASES = {  # for the exercises that fix the sigmoid
    "distinct-shapes": lambda: random_case([2, 4, 3], batch=5, seed=1),
    "deeper": lambda: random_case([3, 5, 4, 2], batch=6, seed=2),
    "mazur": mazur_case,
}


# --- comparing arrays --------------------------------------------------------------

def as_array(label: str, value) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{label} should be a numpy array of numbers, got {type(value).__name__}")
    return array


def check_list(label: str, value, length: int, what: str) -> list:
    if not isinstance(value, (list, tuple)):
        fail(f"{label} should be a list ({what}), got {type(value).__name__}")
    if len(value) != length:
        fail(f"{label} has {len(value)} entries but should have {length}: {what}")
    return list(value)


def check_array(label: str, got, want: np.ndarray, shape_text: str,
                shape_hints: dict | None = None, wrong: list | None = None) -> None:
    """Fail with a guiding message unless ``got`` equals ``want``.

    shape_text: how the right shape is named, e.g. "(batch, n_out)".
    shape_hints: {wrong shape: why it happens}.
    wrong: [(array a typical mistake gives, why)]: checked when the shape is right
    but the values are not.
    """
    got = as_array(label, got)
    if got.shape != want.shape:
        why = (shape_hints or {}).get(got.shape)
        if why is None and got.ndim == 2 and got.shape == want.shape[::-1]:
            why = "it looks transposed: rows are examples and columns are neurons"
        fail(f"{label} has shape {got.shape} but should be {shape_text} = {want.shape}"
             + (f": {why}" if why else ""))
    if np.allclose(got, want, rtol=RTOL, atol=ATOL):
        return
    for candidate, why in wrong or []:
        candidate = np.asarray(candidate)
        if candidate.shape == got.shape and np.allclose(got, candidate, rtol=RTOL, atol=ATOL):
            fail(f"{label} has the right shape but the wrong values: {why}")
    if not np.isfinite(got).all():
        fail(f"{label} contains NaN or infinity")
    diff = np.abs(got - want)
    index = np.unravel_index(np.argmax(diff), diff.shape)
    fail(f"{label} differs from bp_core's: at index {tuple(int(i) for i in index)} yours is "
         f"{float(got[index])!r}, it should be {float(want[index])!r} (largest difference "
         f"{float(diff.max()):.3g})")


def check_published(label: str, value, published: str) -> None:
    """Compare with a number printed in Mazur's post, to the digits it prints."""
    decimals = len(published.split(".")[1])
    if not abs(float(value) - float(published)) <= 0.5 * 10.0**-decimals + 1e-15:
        fail(f"{label} is {float(value)!r}, but Mazur's post has {published}")


def check_unchanged(label: str, before: list, after: list) -> None:
    for l, (b, a) in enumerate(zip(before, after, strict=True)):
        if not np.array_equal(b, a):
            fail(f"{label}[{l}] was changed by your function: compute new arrays "
                 f"(x - rate * g) instead of updating in place (x -= rate * g)")


def matmul_trouble(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, ValueError) and any(
        word in text for word in ("matmul", "not aligned", "broadcast", "shapes"))
