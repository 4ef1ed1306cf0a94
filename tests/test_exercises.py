"""The learner exercises (exercises/) and the runner behind the app's Exercises page.

The exercise checks are run exactly as a learner runs them, ``python -m pytest
exercises``, in a subprocess: as shipped they must fail with guiding messages;
pointed at the reference solutions (tests/exercise_solutions, through
BP_EXERCISES_DIR) they must pass; pointed at deliberately wrong copies they must
fail with the hint that names the mistake.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bp_core import Network, datasets
from workshop import exercise_runner
from workshop.exercise_runner import EXERCISES, compare

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "tests" / "exercise_solutions"
STUBS = ROOT / "exercises"
# bp_core's notation (bp_core/network.py), which every stub's docstring must state.
# The page's numbering (bp_view.notation): input layer 0, layers 1 .. L; and the code's.
NOTATION = ["a^0 = X", "z^l = a^{l-1} (W^l)ᵀ + b^l", "a^l = f(z^l)", "δ^l = ∂C_i/∂z^l",
            "∂C/∂W^l = (δ^l)ᵀ a^{l-1} / n", "∂C/∂b^l = mean over rows of δ^l", "(batch, n_l)",
            "(n_l, n_{l-1})", "Layer l is weights[l-1]", "but activations[l]"]


def run_checks(*args: str, solutions: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BP_EXERCISES_DIR"}
    if solutions is not None:
        env["BP_EXERCISES_DIR"] = str(solutions)
    return subprocess.run([sys.executable, "-m", "pytest", *(args or ("exercises",)), "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_every_exercise_has_a_stub_a_check_and_a_solution():
    for name in EXERCISES:
        assert (STUBS / f"{name}.py").is_file()
        assert (STUBS / f"test_{name}.py").is_file()
        assert (SOLUTIONS / f"{name}.py").is_file()
    assert not list(SOLUTIONS.glob("test_*.py")), "pytest tests would collect them"


def test_stubs_use_numpy_only_and_raise_not_implemented():
    for name in EXERCISES:
        text = (STUBS / f"{name}.py").read_text()
        imports = [line.strip() for line in text.splitlines()
                   if line.startswith(("import ", "from "))]
        assert all(line.startswith("import numpy as np") for line in imports), imports
        assert "raise NotImplementedError(" in text
        docstring = " ".join(text.split('"""')[1].split())  # whitespace-normalised
        for equation in NOTATION:
            assert equation in docstring, (name, equation)


def test_shipped_stubs_fail_with_guiding_messages():
    run = run_checks()
    out = run.stdout + run.stderr
    assert run.returncode != 0, out
    for name, exercise in EXERCISES.items():
        assert (f"not implemented yet: open exercises/{name}.py and replace the "
                f"`raise NotImplementedError(...)` in {exercise.function}() with your code"
                in out), out
    assert " passed" not in out.splitlines()[-1], out  # nothing passes by accident


def test_reference_solutions_pass_every_check():
    run = run_checks(solutions=SOLUTIONS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "failed" not in run.stdout.splitlines()[-1]


MISTAKES = [  # (exercise, what the solution says, the mistake, the hint that must appear)
    ("ex1_forward", "activations[-1] @ W.T + b", "activations[-1] @ W + b",
     "Did you use W instead of W.T"),
    ("ex1_forward", "activations.append(f(z))", "activations.append(z)",
     "activations[1] should be f(zs[0]), you stored z itself"),
    ("ex2_output_delta", "(a - y) * a * (1.0 - a)", "(a - y)",
     "BP1 multiplies it by σ'(z) = a(1 − a)"),
    ("ex2_output_delta", "(a - y) * a * (1.0 - a)", "(a - y) * z * (1.0 - z)",
     "not z(1 − z)"),
    ("ex3_backward", "(deltas[l + 1] @ weights[l + 1])", "(deltas[l + 1] @ weights[l + 1].T)",
     "needs no transpose (did you write W.T?)"),
    ("ex3_backward", "deltas[l].T @ activations[l] / n", "deltas[l].T @ activations[l]",
     "is n = 5 times too big: divide by the batch size"),
    ("ex3_backward", "deltas[l].T @ activations[l] / n", "activations[l].T @ deltas[l] / n",
     "grad_w[1] has shape (4, 3) but should be W[l]'s shape (n_out, n_in) = (3, 4)"),
    ("ex4_sgd_step", "weights[l] - learning_rate", "weights[l] + learning_rate",
     "you added the gradient: descent subtracts it"),
]


@pytest.mark.parametrize("name, right, wrong, hint", MISTAKES,
                         ids=[f"{m[0]}:{m[2]}" for m in MISTAKES])
def test_a_wrong_solution_fails_with_the_hint_for_its_mistake(tmp_path, name, right, wrong,
                                                              hint):
    for path in SOLUTIONS.glob("*.py"):
        shutil.copy(path, tmp_path)
    target = tmp_path / f"{name}.py"
    text = target.read_text()
    assert text.count(right) == 1
    target.write_text(text.replace(right, wrong))
    run = run_checks(f"exercises/test_{name}.py", solutions=tmp_path)
    assert run.returncode != 0, run.stdout
    assert hint in run.stdout, run.stdout


def test_the_w_instead_of_w_transposed_mistake_on_a_square_layer(tmp_path):
    """On Mazur's 2-2-2 net, a @ W runs without error: the check must still name it."""
    shutil.copy(SOLUTIONS / "ex1_forward.py", tmp_path)
    target = tmp_path / "ex1_forward.py"
    target.write_text(target.read_text().replace("@ W.T + b", "@ W + b"))
    run = run_checks("exercises/test_ex1_forward.py::test_forward[mazur]", solutions=tmp_path)
    assert run.returncode != 0
    assert "zs[0] has the right shape but the wrong values: did you use W instead of W.T?" \
        in run.stdout, run.stdout


# --- the runner behind the app's Exercises page --------------------------------------

@pytest.fixture(params=["mazur", "tanh"])
def problem(request):
    if request.param == "mazur":
        return datasets.mazur_network(), datasets.mazur().X, datasets.mazur().Y
    net = Network([2, 4, 3], activation="tanh", output_activation="sigmoid", seed=3)
    rng = np.random.default_rng(0)
    return net, rng.uniform(-1, 1, (6, 2)), rng.uniform(0, 1, (6, 3))


@pytest.mark.parametrize("name", list(EXERCISES))
def test_compare_passes_the_reference_solutions(name, problem):
    net, X, Y = problem
    before = [w.copy() for w in net.weights]
    result = compare(name, SOLUTIONS / f"{name}.py", net, X, Y)
    assert result["error"] is None and result["problems"] == [], result
    assert result["passed"] and result["max_diff"] <= 1e-12
    for quantity, diffs in result["diffs"].items():
        assert all(isinstance(d, np.ndarray) for d in diffs), quantity
    for w, b in zip(net.weights, before, strict=True):
        np.testing.assert_array_equal(w, b)  # the app's network is never touched


def test_compare_diffs_are_per_layer_and_shaped_like_bp_core(problem):
    net, X, Y = problem
    result = compare("ex3_backward", SOLUTIONS / "ex3_backward.py", net, X, Y)
    r = net.backprop(X, Y)
    assert [d.shape for d in result["diffs"]["grad_w"]] == [g.shape for g in r.grad_w]
    assert [d.shape for d in result["diffs"]["deltas"]] == [d.shape for d in r.deltas]


@pytest.mark.parametrize("name", list(EXERCISES))
def test_compare_reports_a_stub_as_not_implemented(name):
    net, data = datasets.mazur_network(), datasets.mazur()
    result = compare(name, STUBS / f"{name}.py", net, data.X, data.Y)
    assert result["not_implemented"] and not result["passed"]
    assert result["error"].startswith("NotImplementedError: exercise ")


def test_compare_reports_the_learners_exception_and_line(tmp_path):
    path = tmp_path / "ex1_forward.py"
    path.write_text("def forward(weights, biases, f, X):\n"
                    "    z = X @ weights[0] + biases[0]\n"
                    "    return [z], [X, f(z)]\n")
    net = Network([2, 4, 3], seed=0)
    result = compare("ex1_forward", path, net, np.zeros((5, 2)), np.zeros((5, 3)))
    assert result["error"].startswith("ValueError: matmul")
    assert "line 2: z = X @ weights[0] + biases[0]" in result["error"]
    assert not result["passed"] and not result["not_implemented"]


def test_compare_reports_wrong_shapes_and_wrong_numbers(tmp_path):
    path = tmp_path / "ex1_forward.py"
    path.write_text("def forward(weights, biases, f, X):\n"
                    "    z0 = X @ weights[0].T\n"                     # no bias
                    "    z1 = (f(z0) @ weights[1].T + biases[1]).T\n"  # transposed
                    "    return [z0, z1], [X, f(z0), f(z1)]\n")
    net = Network([2, 4, 3], seed=0)
    X = np.random.default_rng(0).uniform(-1, 1, (5, 2))
    result = compare("ex1_forward", path, net, X, np.zeros((5, 3)))
    assert result["error"] is None and not result["passed"]
    assert "zs[1]: shape (3, 5), bp_core's is (5, 3)" in result["problems"]
    assert result["diffs"]["zs"][1] is None
    np.testing.assert_allclose(result["diffs"]["zs"][0],
                               np.broadcast_to(np.abs(net.biases[0]), (5, 4)), atol=1e-15)
    assert result["max_diff"] > 0


def test_compare_imports_the_file_afresh_every_call(tmp_path):
    path = tmp_path / "ex2_output_delta.py"
    net, data = datasets.mazur_network(), datasets.mazur()
    path.write_text("def output_delta(z, a, y):\n    return a - y\n")
    assert not compare("ex2_output_delta", path, net, data.X, data.Y)["passed"]
    path.write_text("def output_delta(z, a, y):\n    return (a - y) * a * (1 - a)\n")
    assert compare("ex2_output_delta", path, net, data.X, data.Y)["passed"]
    assert not [m for m in sys.modules if m.startswith("_learner_")]


def test_compare_notes_when_the_network_is_not_what_the_exercise_assumes():
    net = Network([2, 3, 1], activation="tanh", output_activation="linear", seed=0)
    X, Y = np.zeros((2, 2)), np.zeros((2, 1))
    for name in ["ex1_forward", "ex2_output_delta", "ex4_sgd_step"]:
        result = compare(name, SOLUTIONS / f"{name}.py", net, X, Y)
        assert result["notes"] and result["passed"], result


def test_compare_refuses_unknown_exercises():
    net, data = datasets.mazur_network(), datasets.mazur()
    with pytest.raises(ValueError, match="unknown exercise"):
        compare("ex9_magic", SOLUTIONS / "ex1_forward.py", net, data.X, data.Y)
    assert exercise_runner.RTOL < 1e-6


# compare_bounded: the app's way in. The learner's file runs in a child process.

def _bounded(name, path, net, X, Y, seconds=10.0):
    from bp_core import Budget
    return exercise_runner.compare_bounded(name, path, net, X, Y, 0.5, Budget(seconds))


@pytest.mark.parametrize("name", list(EXERCISES))
def test_compare_bounded_gives_the_same_result_as_compare(name, problem):
    net, X, Y = problem
    here = compare(name, SOLUTIONS / f"{name}.py", net, X, Y)
    there = _bounded(name, SOLUTIONS / f"{name}.py", net, X, Y)
    assert there["passed"] and there["error"] is None
    assert (there["notes"], there["max_diff"]) == (here["notes"], here["max_diff"])
    for quantity, diffs in here["diffs"].items():
        for d_here, d_there in zip(diffs, there["diffs"][quantity], strict=True):
            assert d_there.dtype == np.float64
            assert d_here.tobytes() == d_there.tobytes()  # JSON carries float64 exactly


def test_compare_bounded_stops_an_endless_loop_and_kills_the_child(tmp_path):
    import time

    from bp_core import OutOfBudget
    path = tmp_path / "ex2_output_delta.py"
    path.write_text("import os, pathlib\n"
                    f"pathlib.Path({str(tmp_path / 'pid')!r}).write_text(str(os.getpid()))\n"
                    "def output_delta(z, a, y):\n    while True:\n        pass\n")
    net, data = datasets.mazur_network(), datasets.mazur()
    start = time.perf_counter()
    with pytest.raises(OutOfBudget) as stop:
        _bounded("ex2_output_delta", path, net, data.X, data.Y, seconds=1.5)
    assert stop.value.reason == "time"
    assert time.perf_counter() - start < 5  # 1.5 s budget, polled every 50 ms
    pid = int((tmp_path / "pid").read_text())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def test_compare_bounded_reports_prints_and_exceptions_like_compare(tmp_path):
    path = tmp_path / "ex2_output_delta.py"
    path.write_text("print('debugging', 42)\n"
                    "def output_delta(z, a, y):\n    return a[0, 5]\n")
    net, data = datasets.mazur_network(), datasets.mazur()
    result = _bounded("ex2_output_delta", path, net, data.X, data.Y)
    assert result["error"].startswith("IndexError") and "line 3: return a[0, 5]" in result["error"]


def test_compare_bounded_says_when_the_child_dies_without_a_result(tmp_path):
    path = tmp_path / "ex2_output_delta.py"
    path.write_text("import os\nos._exit(3)\n")
    net, data = datasets.mazur_network(), datasets.mazur()
    with pytest.raises(RuntimeError, match="exit code 3"):
        _bounded("ex2_output_delta", path, net, data.X, data.Y)


def test_compare_checks_the_batch_as_bp_core_does():
    net, data = datasets.mazur_network(), datasets.mazur()
    with pytest.raises(ValueError, match="^X has 1 examples but Y has 2$"):
        compare("ex1_forward", SOLUTIONS / "ex1_forward.py", net, data.X[:1], np.zeros((2, 2)))
