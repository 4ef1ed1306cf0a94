"""Training speed of bp_core against a hand-written numpy loop, all ratios in one run.

    python -m benchmarks.bench_train            # the full run, from the repository root
    python -m benchmarks.bench_train --quick    # a smoke run (a few seconds)
    python -m benchmarks.bench_train --markdown benchmarks/RESULTS_train.md
    python -m benchmarks.bench_train --threads 0   # BLAS threads as they are (default: 1)

The machine is shared, so every measurement is one epoch, the implementations run
round-robin for many rounds, the clock is this process's CPU time (wall time is
shown too), and each ratio is the median over rounds of the ratio within a round.
``uptime`` is printed at the start and the end, and the BLAS library and its kernel
are named through threadpoolctl.  The exit status is 0 when every target is met.

Every implementation runs the same mini-batch SGD: sigmoid hidden and output units,
quadratic cost C = mean over the batch of ½‖a − y‖², gradient averaged over the
batch, W −= η·grad_w and b −= η·grad_b.  All start from the same weights and visit
the examples in the same order (the permutations ``bp_core.train.train`` draws from
``default_rng(seed)``), so they must end with the same weights; the script checks it
(bit for bit among the bp_core rows, to 1e-10 against the others).

Implementations:

* ``hand-written``: a tight vectorised loop, the practical limit of plain numpy, and
  the reference of the targets.  ``hand-written, expit``: the same with scipy's expit
  for its sigmoid (shown, not used in the targets).
* ``bp_core sgd_step``: shuffle, then ``net.sgd_step`` on each mini-batch (train()'s
  inner loop, without the per-epoch evaluation).
* ``bp_core train()``: ``bp_core.train.train`` itself, which also evaluates the loss
  and accuracy on the training set after every epoch.
* ``bp_core Stepper``: a ``Stepper(net, X, Y, η).run()`` for every mini-batch: every
  phase recorded, as the playground does one click at a time.
* ``per-example``: Nielsen's network.py (chapter 1), one column vector at a time.

Targets (issue 10), each a ratio of medians from the same run:

* sgd_step / hand-written ≤ 1.3 on digits 64-30-10 (batch 10), ≤ 1.5 on 2-8-8-1
  (batch 10), ≤ 1.15 on 784-100-10 (batch 32);
* train() / sgd_step ≤ 1.2 and Stepper / sgd_step ≤ 2.0 on every workload;
* per-example / sgd_step ≥ 6 (bp_core stays far ahead of the per-example loop).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
from scipy.special import expit

from bp_core import Network, Stepper, datasets
from bp_core.datasets import Dataset
from bp_core.train import train

SEED = 0
ETA = 3.0
# (numerator, denominator, at most) per workload; per-example is "at least".
TARGET_SGD_VS_HAND = {"digits": 1.3, "circle": 1.5, "random-784": 1.15}
TARGET_TRAIN_VS_SGD = 1.2
TARGET_STEPPER_VS_SGD = 2.0
TARGET_PER_EXAMPLE_VS_SGD = 6.0


# --- the implementations --------------------------------------------------------
# Each takes the initial weights and biases, the data, the epoch permutations, the
# batch size and η, and returns the final (weights, biases) as lists of arrays
# shaped like bp_core's: W[l] (sizes[l+1], sizes[l]), b[l] (sizes[l+1],).

def run_bp_core_sgd_step(weights, biases, data, orders, batch_size, eta):
    net = Network.from_params(weights, biases)
    n = len(data)
    for order in orders:
        X, Y = data.X[order], data.Y[order]
        with np.errstate(all="ignore"):  # as train() does
            for k in range(0, n, batch_size):
                net.sgd_step(X[k:k + batch_size], Y[k:k + batch_size], eta)
    return net.weights, net.biases


def run_bp_core_train(weights, biases, data, orders, batch_size, eta):
    net = Network.from_params(weights, biases)
    result = train(net, data, len(orders), batch_size, eta, seed=SEED)
    assert not result.diverged and result.epochs_run == len(orders)
    return net.weights, net.biases


def run_bp_core_stepper(weights, biases, data, orders, batch_size, eta):
    net = Network.from_params(weights, biases)
    n = len(data)
    for order in orders:
        X, Y = data.X[order], data.Y[order]
        for k in range(0, n, batch_size):
            Stepper(net, X[k:k + batch_size], Y[k:k + batch_size], eta).run()
    return net.weights, net.biases


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def run_handwritten(weights, biases, data, orders, batch_size, eta, act=sigmoid):
    W = [w.copy() for w in weights]
    b = [v.copy() for v in biases]
    n = len(data)
    for order in orders:
        X, Y = data.X[order], data.Y[order]
        for k in range(0, n, batch_size):
            a = [X[k:k + batch_size]]
            for w, v in zip(W, b, strict=True):
                a.append(act(a[-1] @ w.T + v))
            y = Y[k:k + batch_size]
            m = len(y)
            delta = (a[-1] - y) * a[-1] * (1.0 - a[-1])
            for l in range(len(W) - 1, -1, -1):
                grad_w = delta.T @ a[l] / m
                grad_b = delta.sum(axis=0) / m
                if l > 0:
                    delta = (delta @ W[l]) * a[l] * (1.0 - a[l])
                W[l] -= eta * grad_w
                b[l] -= eta * grad_b
    return W, b


def run_handwritten_expit(weights, biases, data, orders, batch_size, eta):
    return run_handwritten(weights, biases, data, orders, batch_size, eta, act=expit)


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class NielsenNetwork:
    """network.py from Nielsen's book, chapter 1 (Python 3, per-example backprop)."""

    def __init__(self, weights, biases):
        self.num_layers = len(weights) + 1
        self.weights = [w.copy() for w in weights]
        self.biases = [v.reshape(-1, 1).copy() for v in biases]

    def SGD_epoch(self, training_data, mini_batch_size, eta):
        n = len(training_data)
        mini_batches = [training_data[k:k + mini_batch_size]
                        for k in range(0, n, mini_batch_size)]
        for mini_batch in mini_batches:
            self.update_mini_batch(mini_batch, eta)

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b, strict=True)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w, strict=True)]
        self.weights = [w - (eta / len(mini_batch)) * nw
                        for w, nw in zip(self.weights, nabla_w, strict=True)]
        self.biases = [b - (eta / len(mini_batch)) * nb
                       for b, nb in zip(self.biases, nabla_b, strict=True)]

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(self.biases, self.weights, strict=True):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        for l in range(2, self.num_layers):
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-l + 1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w

    def cost_derivative(self, output_activations, y):
        return output_activations - y


def run_per_example(weights, biases, data, orders, batch_size, eta, columns=None):
    # Nielsen's data is a list of (x, y) column-vector pairs; building it is data
    # loading, so it is done once outside the timed region (see `prepare`).
    net = NielsenNetwork(weights, biases)
    for order in orders:
        net.SGD_epoch([columns[i] for i in order], batch_size, eta)  # random.shuffle's job
    return net.weights, [b.reshape(-1) for b in net.biases]


IMPLEMENTATIONS = {
    "bp_core sgd_step": run_bp_core_sgd_step,
    "bp_core train()": run_bp_core_train,
    "bp_core Stepper": run_bp_core_stepper,
    "hand-written": run_handwritten,
    "hand-written, expit": run_handwritten_expit,
    "per-example": run_per_example,
}
BP_CORE = [name for name in IMPLEMENTATIONS if name.startswith("bp_core")]


# --- workloads ------------------------------------------------------------------
def workloads(quick: bool):
    digits = datasets.digits()
    n_random = 1000 if quick else 5000
    rng = np.random.default_rng(12345)
    random_data = Dataset("random", rng.uniform(0.0, 1.0, size=(n_random, 784)),
                          np.eye(10)[rng.integers(0, 10, n_random)], "multiclass")
    circle = datasets.circle(1000 if quick else 2000, noise=0.1, seed=SEED)
    return [
        # name, data, sizes, batch size, epochs
        ("digits", digits, [64, 30, 10], 10, 2 if quick else 5),
        ("circle", circle, [2, 8, 8, 1], 10, 2 if quick else 5),
        ("random-784", random_data, [784, 100, 10], 32, 1 if quick else 2),
    ]


def epoch_orders(n: int, epochs: int) -> list[np.ndarray]:
    """The permutations train(…, seed=SEED) draws, one per epoch."""
    rng = np.random.default_rng(SEED)
    return [rng.permutation(n) for _ in range(epochs)]


def max_abs_diff(a, b) -> float:
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b, strict=True))


def bench_workload(name, data, sizes, batch_size, epochs, repeats):
    init = Network(sizes, "sigmoid", "sigmoid", "quadratic", init="scaled", seed=SEED)
    weights, biases = init.weights, init.biases
    orders = epoch_orders(len(data), epochs)
    columns = [(x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(data.X, data.Y, strict=True)]

    def call(impl_name):
        fn = IMPLEMENTATIONS[impl_name]
        kwargs = {"columns": columns} if impl_name == "per-example" else {}
        return fn(weights, biases, data, orders, batch_size, ETA, **kwargs)

    # Sanity check (and warm-up): every implementation ends with the same weights.
    finals = {impl: call(impl) for impl in IMPLEMENTATIONS}
    ref_w, ref_b = finals["bp_core sgd_step"]
    diffs = {impl: max(max_abs_diff(ref_w, w), max_abs_diff(ref_b, b))
             for impl, (w, b) in finals.items()}

    # Timed: one epoch (the first order) per implementation, round-robin, many rounds,
    # the starting implementation rotating.  Each measurement is short, so a slow spell of
    # the shared machine hits the measurements of one round alike, and the ratio within
    # a round (paired) cancels most of it.  CPU time of this process is the main clock:
    # time spent waiting for a core does not count, wall time is shown beside it.
    names = list(IMPLEMENTATIONS)
    cpu = {impl: [] for impl in names}
    wall = {impl: [] for impl in names}
    first = orders[:1]
    for r in range(repeats):
        for impl in names[r % len(names):] + names[:r % len(names)]:
            fn = IMPLEMENTATIONS[impl]
            kwargs = {"columns": columns} if impl == "per-example" else {}
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            fn(weights, biases, data, first, batch_size, ETA, **kwargs)
            cpu[impl].append(time.process_time() - start_cpu)
            wall[impl].append(time.perf_counter() - start_wall)
    return {"cpu": cpu, "wall": wall, "diffs": diffs}


def paired_ratio(res, num: str, den: str) -> float:
    """The median over rounds of num's CPU time / den's CPU time in the same round."""
    return statistics.median(a / b for a, b in zip(res["cpu"][num], res["cpu"][den],
                                                   strict=True))


# --- report ---------------------------------------------------------------------
def machine_info() -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    lines = [f"CPU:      {model}; {os.cpu_count()} logical CPUs, {usable} usable by this process",
             f"Python:   {platform.python_version()} ({platform.machine()}, {platform.system()})",
             f"numpy:    {np.__version__}"]
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append(f"BLAS:     {blas.get('name')} {blas.get('version')} "
                     f"[{blas.get('openblas configuration', '').strip()}]")
    except Exception as err:  # the layout of show_config differs across numpy versions
        lines.append(f"BLAS:     (numpy.show_config gave no details: {err})")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            lines.append(f"runtime:  {pool.get('internal_api')} {pool.get('version')}, "
                         f"kernel {pool.get('architecture')}, {pool.get('num_threads')} threads")
    except ImportError:
        lines.append("runtime:  (threadpoolctl not installed)")
    env = {k: v for k, v in sorted(os.environ.items())
           if any(s in k for s in ("BLAS", "OMP_", "MKL", "OPENBLAS"))}
    lines.append(f"OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', '(not set)')}")
    others = {k: v for k, v in env.items() if k != "OPENBLAS_CORETYPE"}
    if others:
        lines.append("other BLAS/OMP env: " + ", ".join(f"{k}={v}" for k, v in others.items()))
    lines.append(f"uptime at start: {uptime()}")
    return lines


def uptime() -> str:
    """The `uptime` line (the load averages over 1, 5 and 15 minutes), or os.getloadavg."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        if hasattr(os, "getloadavg"):
            return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        return "(no load average on this system)"


def report(results, repeats, quick) -> bool:
    print(f"One epoch per measurement, {repeats} interleaved rounds; η = {ETA}, "
          f"sigmoid/quadratic, seed {SEED}"
          f"{' (QUICK smoke run: too few repeats to trust)' if quick else ''}.")
    print("cpu: median CPU seconds of this process per epoch; wall: median wall-clock "
          "seconds; ratio: median over rounds of the paired CPU-time ratio to sgd_step.")
    print()
    header = (f"| {'workload':<38} | {'implementation':<19} | {'cpu s':>9} | {'wall s':>9} | "
              f"{'vs sgd_step':>11} | {'max abs Δw vs sgd_step':>22} |")
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    all_ok = True
    summaries = []
    for (name, data, sizes, batch, epochs), res in results:
        label = f"{name} {'-'.join(map(str, sizes))} b={batch} n={len(data)}"
        for impl in res["cpu"]:
            print(f"| {label:<38} | {impl:<19} | {statistics.median(res['cpu'][impl]):9.5f} | "
                  f"{statistics.median(res['wall'][impl]):9.5f} | "
                  f"{paired_ratio(res, impl, 'bp_core sgd_step'):10.2f}x | "
                  f"{res['diffs'][impl]:22.1e} |")
        ratios = [
            ("sgd_step / hand-written", paired_ratio(res, "bp_core sgd_step", "hand-written"),
             TARGET_SGD_VS_HAND[name], "≤"),
            ("train() / sgd_step", paired_ratio(res, "bp_core train()", "bp_core sgd_step"),
             TARGET_TRAIN_VS_SGD, "≤"),
            ("Stepper / sgd_step", paired_ratio(res, "bp_core Stepper", "bp_core sgd_step"),
             TARGET_STEPPER_VS_SGD, "≤"),
            ("per-example / sgd_step", paired_ratio(res, "per-example", "bp_core sgd_step"),
             TARGET_PER_EXAMPLE_VS_SGD, "≥"),
        ]
        same_bp = all(res["diffs"][impl] == 0.0 for impl in BP_CORE)
        same_all = max(res["diffs"].values()) < 1e-10
        parts = []
        for what, ratio, target, sense in ratios:
            ok = ratio <= target if sense == "≤" else ratio >= target
            all_ok &= ok
            parts.append(f"{what:<24} = {ratio:5.2f}  (target {sense} {target:g}: "
                         f"{'met' if ok else 'NOT met'})")
        all_ok &= same_bp and same_all
        summaries.append(f"{label} ({epochs} epochs for the weight check):\n    "
                         + "\n    ".join(parts) + "\n    same final weights: "
                         f"bp_core rows bit for bit {'yes' if same_bp else 'NO'}, "
                         f"all within 1e-10 {'yes' if same_all else 'NO'}")
    print()
    for line in summaries:
        print(line)
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS threads (threadpoolctl); default 1, so that CPU time is "
                             "one core's and the ratios do not depend on a second, shared "
                             "core; 0 leaves BLAS as it is")
    parser.add_argument("--markdown", metavar="PATH",
                        help="also write the output, command, machine and date to PATH")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 21)

    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=args.threads, user_api="blas")  # kept for the whole run

    buffer = io.StringIO()

    class Tee(io.TextIOBase):
        def write(self, s):
            sys.__stdout__.write(s)
            sys.__stdout__.flush()
            return buffer.write(s)

    with redirect_stdout(Tee()):
        print("bp_core training-speed benchmark, "
              f"{datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
        for line in machine_info():
            print(line)
        print()
        results = []
        for wl in workloads(args.quick):
            results.append((wl, bench_workload(*wl, repeats=repeats)))
        ok = report(results, repeats, args.quick)
        print(f"uptime at end: {uptime()}")

    if args.markdown:
        command = "python -m benchmarks.bench_train " + " ".join(sys.argv[1:])
        Path(args.markdown).write_text(
            "# bp_core training speed\n\n"
            f"Command (from the repository root): `{command.strip()}`\n\n"
            f"Date: {datetime.date.today().isoformat()}\n\n"
            "Output, exactly as printed (machine details at the top):\n\n"
            "```text\n" + buffer.getvalue() + "```\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
