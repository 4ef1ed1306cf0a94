"""Run a learner's exercise file on the current network and compare it with bp_core.

For the app's "Exercises" page.  ``compare(name, module_path, net, X, Y)`` imports
the learner's file (one of exercises/ex*.py, or an edited copy), calls its
function on copies of the network's current arrays, and returns plain data:
for every quantity and layer the array |learner − bp_core|, plus the exception
text if the learner's code raised.

This executes the learner's own Python code in this process.  Only do it where
the learner is the one running the app, on their own machine; the app decides
(a hosted demo must never call ``compare``).  ``compare`` itself sets no limit;
``compare_bounded`` runs it in a child process under a `bp_core.Budget`, and the
app uses that, so a learner's endless loop ends with the budget.

Notation as in bp_core/network.py: a[0] = X, z[l] = a[l] @ W[l].T + b[l],
a[l+1] = f(z[l]), delta[l] = ∂C_i/∂z[l], grad_w[l], grad_b[l].
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bp_core import Budget
from bp_core import activations as acts
from bp_core.batch import check_batch
from bp_core.network import Network

from . import tracebacks

Array = np.ndarray

# The line the child (workshop/exercise_child.py) prints before its JSON result: the
# learner's code may print too, and everything before the last marker is theirs.
MARKER = "---exercise-result---"

# A learner's sums may run in another order than bp_core's: equal within these.
RTOL = 1e-7
ATOL = 1e-10

_counter = itertools.count()

# English text of the notes and problems; the app shows them in the learner's language
# from its catalogues (keys "exrun_<key>"), using the (key, values) pairs in the result.
TEXT = {
    "note_ex1_one_f": "exercise 1 uses one f in every layer: compared with bp_core using "
                      "{act} in the output layer too",
    "note_ex2_sigmoid": "exercise 2 is BP1 for a sigmoid output and the quadratic cost: "
                        "compared on this network with those",
    "note_ex4_sigmoid": "exercise 4 is for sigmoid layers and the quadratic cost: compared "
                        "with bp_core on a sigmoid copy of this network's weights",
    "problem_list": "{quantity}: expected a list of {want} arrays, got {got}",
    "problem_shape": "{quantity}[{l}]: {shape}, bp_core's is {want}",
    "problem_not_numbers": "{quantity}[{l}]: not an array of numbers, bp_core's is {want}",
}


def _say(out: list, keyed: list, key: str, **values) -> None:
    """Record a note or problem both as English text and as (key, values)."""
    out.append(TEXT[key].format(**values))
    keyed.append((key, values))


@dataclass(frozen=True)
class Exercise:
    name: str
    function: str
    title: str


EXERCISES = {e.name: e for e in [
    Exercise("ex1_forward", "forward", "The forward pass"),
    Exercise("ex2_output_delta", "output_delta", "The output error (BP1)"),
    Exercise("ex3_backward", "backward", "The backward pass (BP2) and the gradients"),
    Exercise("ex4_sgd_step", "sgd_step", "One step of gradient descent"),
]}


class _FreshLoader(importlib.machinery.SourceFileLoader):
    """Compile from the source text every time, never from a cached .pyc: an edit
    saved within the same second as the last import must still be seen."""

    def get_code(self, fullname):
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


def import_fresh(path: str | Path, prefix: str = "learner"):
    """Import the file at ``path`` as a new module with a unique name.

    The module is in sys.modules only while its top level runs (for code that
    looks itself up there) and is never reused: every call reads the file again.
    """
    path = Path(path)
    module_name = f"_{prefix}_{path.stem}_{next(_counter)}"
    loader = _FreshLoader(module_name, str(path))
    spec = importlib.util.spec_from_file_location(module_name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        loader.exec_module(module)
    finally:
        sys.modules.pop(module_name, None)
    return module


def exception_text(exc: BaseException, path: str | Path) -> str:
    """'ValueError: …' plus the last line of the learner's file in the traceback."""
    text = tracebacks.exception_text(exc)
    line = tracebacks.where(exc, path)
    return f"{text}\n  {line}" if line else text


def _copies(arrays) -> list[Array]:
    return [np.array(a, dtype=np.float64) for a in arrays]


def _expected_and_call(name: str, net: Network, X: Array, Y: Array, learning_rate: float):
    """bp_core's answer ({quantity: list of arrays}), the learner's call, and notes."""
    notes: list[str] = []
    keyed: list[tuple[str, dict]] = []
    hidden = acts.get(net.activation)
    if name == "ex1_forward":
        if net.output_activation != net.activation:
            _say(notes, keyed, "note_ex1_one_f", act=net.activation)
        ref = Network.from_params(net.weights, net.biases, net.activation, net.activation,
                                  "quadratic").backprop(X, Y)
        expected = {"zs": ref.zs, "activations": ref.activations}
        args = (_copies(net.weights), _copies(net.biases), hidden.value, X.copy())
        return expected, args, lambda out: {"zs": out[0], "activations": out[1]}, (notes, keyed)
    if name == "ex2_output_delta":
        if (net.output_activation, net.loss_name) != ("sigmoid", "quadratic"):
            _say(notes, keyed, "note_ex2_sigmoid")
        ref = Network.from_params(net.weights, net.biases, net.activation, "sigmoid",
                                  "quadratic").backprop(X, Y)
        args = (ref.zs[-1].copy(), ref.activations[-1].copy(), Y.copy())
        return {"delta": [ref.deltas[-1]]}, args, lambda out: {"delta": [out]}, (notes, keyed)
    if name == "ex3_backward":
        ref = net.backprop(X, Y)

        def f_prime(z):
            return hidden.derivative(z, hidden.value(z))

        args = (_copies(net.weights), _copies(ref.zs), _copies(ref.activations),
                ref.deltas[-1].copy(), f_prime)
        expected = {"deltas": ref.deltas, "grad_w": ref.grad_w, "grad_b": ref.grad_b}
        return (expected, args,
                lambda out: {"deltas": out[0], "grad_w": out[1], "grad_b": out[2]}, (notes, keyed))
    if name == "ex4_sgd_step":
        if (net.activation, net.output_activation, net.loss_name) != (
                "sigmoid", "sigmoid", "quadratic"):
            _say(notes, keyed, "note_ex4_sigmoid")
        ref_net = Network.from_params(net.weights, net.biases, "sigmoid", "sigmoid", "quadratic")
        ref_net.sgd_step(X, Y, learning_rate)
        args = (_copies(net.weights), _copies(net.biases), X.copy(), Y.copy(), learning_rate)
        expected = {"weights": ref_net.weights, "biases": ref_net.biases}
        return expected, args, lambda out: {"weights": out[0], "biases": out[1]}, (notes, keyed)
    raise ValueError(f"unknown exercise {name!r}; choose one of {', '.join(EXERCISES)}")


def compare(name: str, module_path: str | Path, net: Network, X, Y,
            learning_rate: float = 0.5) -> dict:
    """Run the learner's exercise ``name`` from ``module_path`` and compare with bp_core.

    X: (n, sizes[0]); Y: (n, sizes[-1]); ``learning_rate`` is used by ex4 only.
    ``net`` is never changed; the learner's function gets copies.  Returns::

        {"name", "function",
         "error": None or the exception text (with the learner's line),
         "not_implemented": True if the stub's NotImplementedError is still there,
         "diffs": {quantity: [|learner − bp_core| per layer, or None]},
         "problems": [structure or shape mismatches, as text],
         "max_diff": largest entry of all diffs, or None,
         "passed": no error, no problem, every entry within RTOL/ATOL,
         "notes": [how the comparison was set up, when the network differs
                   from what the exercise assumes]}
    """
    exercise = EXERCISES.get(name)
    if exercise is None:
        raise ValueError(f"unknown exercise {name!r}; choose one of {', '.join(EXERCISES)}")
    X, Y = check_batch(X, Y, net.sizes[0], net.sizes[-1])
    result: dict = {"name": name, "function": exercise.function, "error": None,
                    "not_implemented": False, "diffs": {}, "problems": [], "max_diff": None,
                    "passed": False, "notes": [], "note_keys": [], "problem_keys": []}
    with np.errstate(under="ignore"):
        expected, args, unpack, (notes, note_keys) = _expected_and_call(name, net, X, Y,
                                                                        learning_rate)
    result["notes"], result["note_keys"] = notes, note_keys
    result["problem_keys"] = []
    try:
        module = import_fresh(module_path)
        function = getattr(module, exercise.function, None)
        if not callable(function):
            result["error"] = f"{Path(module_path).name} has no function {exercise.function}()"
            return result
        output = function(*args)
        got = unpack(output)
    except NotImplementedError as exc:
        result["not_implemented"] = True
        result["error"] = exception_text(exc, module_path)
        return result
    except Exception as exc:  # the learner's code: report whatever it raised
        result["error"] = exception_text(exc, module_path)
        return result

    close = True
    for quantity, want in expected.items():
        mine = got[quantity]
        if not isinstance(mine, (list, tuple)) or len(mine) != len(want):
            count = len(mine) if isinstance(mine, (list, tuple)) else type(mine).__name__
            _say(result["problems"], result["problem_keys"], "problem_list",
                 quantity=quantity, want=len(want), got=count)
            result["diffs"][quantity] = [None] * len(want)
            continue
        diffs = []
        for l, (m, w) in enumerate(zip(mine, want, strict=True)):
            try:
                m = np.asarray(m, dtype=np.float64)
            except (TypeError, ValueError):
                m = None
            if m is None or m.shape != w.shape:
                if m is None:
                    _say(result["problems"], result["problem_keys"], "problem_not_numbers",
                         quantity=quantity, l=l, want=w.shape)
                else:
                    _say(result["problems"], result["problem_keys"], "problem_shape",
                         quantity=quantity, l=l, shape=f"shape {m.shape}", want=w.shape)
                diffs.append(None)
                continue
            diffs.append(np.abs(m - w))
            close = close and bool(np.allclose(m, w, rtol=RTOL, atol=ATOL))
        result["diffs"][quantity] = diffs
    computed = [d for ds in result["diffs"].values() for d in ds if d is not None and d.size]
    if computed:
        largest = [float(np.max(d)) for d in computed]
        result["max_diff"] = float("nan") if any(np.isnan(largest)) else max(largest)
    result["passed"] = close and not result["problems"]
    return result


_ROOT = Path(__file__).resolve().parents[1]  # the project: the child imports bp_core from here


def compare_bounded(name: str, module_path: str | Path, net: Network, X, Y,
                    learning_rate: float, budget: Budget) -> dict:
    """``compare`` in a child process, killed when ``budget`` runs out or is cancelled.

    Returns compare()'s result (diffs as arrays again), or raises OutOfBudget after
    the child is killed.  Raises RuntimeError if the child died without a result
    (for example the learner's code called os._exit).
    """
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {name!r}; choose one of {', '.join(EXERCISES)}")
    request = json.dumps({"name": name, "path": str(module_path), "net": net.to_json(),
                          "X": np.asarray(X, dtype=np.float64).tolist(),
                          "Y": np.asarray(Y, dtype=np.float64).tolist(),
                          "learning_rate": float(learning_rate)})
    child = subprocess.Popen([sys.executable, "-m", "workshop.exercise_child"], cwd=_ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        out, err = _wait(child, request, budget)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    if MARKER not in out:
        raise RuntimeError(f"the exercise stopped without a result (exit code "
                           f"{child.returncode}): {err.strip()[-500:]}")
    result = json.loads(out.rsplit(MARKER, 1)[1])
    result["diffs"] = {q: [None if d is None else np.array(d, dtype=np.float64) for d in ds]
                       for q, ds in result["diffs"].items()}
    result["note_keys"] = [tuple(k) for k in result["note_keys"]]
    result["problem_keys"] = [tuple(k) for k in result["problem_keys"]]
    return result


def _wait(child: subprocess.Popen, request: str, budget: Budget) -> tuple[str, str]:
    """Send the request and wait for the child's output, checking the budget meanwhile."""
    pending = request
    while True:
        try:
            return child.communicate(pending, timeout=budget.poll_seconds)
        except subprocess.TimeoutExpired:
            pending = None  # communicate() keeps its own state: the input is already sent
            budget.check()  # raises OutOfBudget; the caller's finally kills the child
