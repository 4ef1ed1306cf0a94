"""Training speed of bp_core against a hand-written numpy loop and Nielsen's per-example loop.

    python benchmarks/bench_train.py            # the full run (about half a minute)
    python benchmarks/bench_train.py --quick    # a smoke run (a few seconds)
    python benchmarks/bench_train.py --markdown benchmarks/RESULTS_train.md
    python benchmarks/bench_train.py --threads 1   # one BLAS thread (needs threadpoolctl)

Run it on an otherwise idle machine: with other processes busy, multi-threaded
BLAS calls wait for each other and the timings can grow tenfold.  The load average
is printed at the start and the end.  The exit status is 0 when every target is met.

Every implementation runs the same mini-batch SGD: sigmoid hidden and output units,
quadratic cost C = mean over the batch of ½‖a − y‖², gradient averaged over the
batch, W −= η·grad_w and b −= η·grad_b.  All start from the same weights and visit
the examples in the same order (the permutations ``bp_core.train.train`` draws from
``default_rng(seed)``), so they must end with the same weights; the script checks it.

Implementations:

* ``bp_core sgd_step``: the inner loop of ``train()`` (shuffle, then ``net.sgd_step``
  on each mini-batch), without the per-epoch evaluation.  The ratios use this row.
* ``bp_core train()``: ``bp_core.train.train`` itself.  It also evaluates the loss
  and accuracy on the whole training set after every epoch and keeps a copy of the
  weights in case of divergence; that evaluation is timed on its own and shown.
* ``hand-written``: a tight vectorised loop, the practical limit of plain numpy.
* ``hand-written+``: the same loop also doing the extra work bp_core does at every
  step: the overflow-free sigmoid, and the per-example costs and their mean (which
  ``sgd_step`` returns in its BackpropResult).  Not used in the ratios; it shows how
  much of the gap to ``hand-written`` is that work and how much is bp_core's structure.
* ``per-example``: Nielsen's network.py (chapter 1), one column vector at a time,
  summing nabla_w over the mini-batch; with the usual fixes (np.exp(-z), zs[-1], range).

Each timing is one full training run; runs are repeated round-robin and the
median seconds per epoch is reported.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bp_core import Network, datasets  # noqa: E402
from bp_core.datasets import Dataset  # noqa: E402
from bp_core.train import evaluate, train  # noqa: E402

SEED = 0
ETA = 3.0
TARGET_VS_HANDWRITTEN = {"digits": 1.5, "random-784": 1.3}  # bp_core / hand-written at most
TARGET_VS_PER_EXAMPLE = 6.0  # per-example / bp_core at least


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


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def run_handwritten(weights, biases, data, orders, batch_size, eta):
    W = [w.copy() for w in weights]
    b = [v.copy() for v in biases]
    n = len(data)
    for order in orders:
        X, Y = data.X[order], data.Y[order]
        for k in range(0, n, batch_size):
            a = [X[k:k + batch_size]]
            for w, v in zip(W, b, strict=True):
                a.append(sigmoid(a[-1] @ w.T + v))
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


def run_handwritten_same_work(weights, biases, data, orders, batch_size, eta):
    """The hand-written loop doing all the work sgd_step does: the overflow-free sigmoid,
    and the per-example costs and their mean at every step.  Shows what bp_core's
    structure (methods, checks, errstate, result object) costs on top of that work."""
    W = [w.copy() for w in weights]
    b = [v.copy() for v in biases]
    n = len(data)
    for order in orders:
        X, Y = data.X[order], data.Y[order]
        for k in range(0, n, batch_size):
            a = [X[k:k + batch_size]]
            for w, v in zip(W, b, strict=True):
                a.append(stable_sigmoid(a[-1] @ w.T + v))
            y = Y[k:k + batch_size]
            m = len(y)
            costs = 0.5 * np.sum((a[-1] - y) ** 2, axis=1)
            loss = float(costs.sum() / m)  # noqa: F841 (computed, as sgd_step does)
            delta = (a[-1] - y) * (a[-1] * (1.0 - a[-1]))
            for l in range(len(W) - 1, -1, -1):
                grad_w = delta.T @ a[l] / m
                grad_b = delta.sum(axis=0) / m
                if l > 0:
                    delta = (delta @ W[l]) * (a[l] * (1.0 - a[l]))
                W[l] -= eta * grad_w
                b[l] -= eta * grad_b
    return W, b


def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


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
    "hand-written": run_handwritten,
    "hand-written+": run_handwritten_same_work,
    "per-example": run_per_example,
}


# --- workloads ------------------------------------------------------------------
def workloads(quick: bool):
    digits = datasets.digits()
    n_random = 1000 if quick else 5000
    rng = np.random.default_rng(12345)
    random_data = Dataset("random", rng.uniform(0.0, 1.0, size=(n_random, 784)),
                          np.eye(10)[rng.integers(0, 10, n_random)], "multiclass")
    return [
        # name, data, sizes, batch size, epochs
        ("digits", digits, [64, 30, 10], 10, 2 if quick else 5),
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

    # Round-robin repeats, so a slow spell of the machine hits every implementation.
    times = {impl: [] for impl in IMPLEMENTATIONS}
    eval_times = []
    eval_net = Network.from_params(weights, biases)
    for _ in range(repeats):
        for impl in IMPLEMENTATIONS:
            start = time.perf_counter()
            call(impl)
            times[impl].append((time.perf_counter() - start) / epochs)
        start = time.perf_counter()
        evaluate(eval_net, data)  # what train() adds after each epoch
        eval_times.append(time.perf_counter() - start)
    return {"times": times, "eval": eval_times, "diffs": diffs}


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
    if hasattr(os, "getloadavg"):
        lines.append("load average at start (1, 5, 15 min): "
                     + ", ".join(f"{x:.2f}" for x in os.getloadavg())
                     + "  (other work on the machine makes the timings noisy)")
    return lines


def report(results, repeats, quick) -> bool:
    print(f"Median seconds per epoch over {repeats} runs; η = {ETA}, sigmoid/quadratic, "
          f"seed {SEED}{' (QUICK smoke run: too few repeats to trust)' if quick else ''}.")
    print("Ratios use 'bp_core sgd_step' (train()'s inner loop, no per-epoch evaluation).")
    print()
    header = (f"| {'workload':<38} | {'implementation':<16} | {'s/epoch':>9} | {'min':>9} | "
              f"{'vs bp_core':>10} | {'max abs Δw vs bp_core':>21} |")
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    all_ok = True
    summaries = []
    for (name, data, sizes, batch, epochs), res in results:
        label = f"{name} {'-'.join(map(str, sizes))} b={batch} n={len(data)} e={epochs}"
        med = {impl: statistics.median(t) for impl, t in res["times"].items()}
        base = med["bp_core sgd_step"]
        for impl, t in res["times"].items():
            print(f"| {label:<38} | {impl:<16} | {med[impl]:9.5f} | {min(t):9.5f} | "
                  f"{med[impl] / base:9.2f}x | {res['diffs'][impl]:21.1e} |")
        ev = statistics.median(res["eval"])
        print(f"| {label:<38} | {'  of which eval':<16} | {ev:9.5f} | {min(res['eval']):9.5f} | "
              f"{ev / base:9.2f}x | {'':>21} |")
        ratio_hw = base / med["hand-written"]
        ratio_pe = med["per-example"] / base
        ok_hw = ratio_hw <= TARGET_VS_HANDWRITTEN[name]
        ok_pe = ratio_pe >= TARGET_VS_PER_EXAMPLE
        ok_w = max(res["diffs"].values()) < 1e-10
        all_ok &= ok_hw and ok_pe and ok_w
        summaries.append(
            f"{name:<11} bp_core/hand-written = {ratio_hw:5.2f}  (target ≤ "
            f"{TARGET_VS_HANDWRITTEN[name]}: {'met' if ok_hw else 'NOT met'});  "
            f"per-example/bp_core = {ratio_pe:5.1f}  (target ≥ {TARGET_VS_PER_EXAMPLE:g}: "
            f"{'met' if ok_pe else 'NOT met'});  same final weights (< 1e-10): "
            f"{'yes' if ok_w else 'NO'}")
    print()
    for line in summaries:
        print(line)
    print("'of which eval' is the evaluation train() runs after each epoch (loss + "
          "accuracy on the training set); 'bp_core train()' includes it.")
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement")
    parser.add_argument("--threads", type=int, default=None,
                        help="limit the BLAS threads (needs threadpoolctl); default: as is")
    parser.add_argument("--markdown", metavar="PATH",
                        help="also write the output, command, machine and date to PATH")
    args = parser.parse_args()
    repeats = args.repeats or (2 if args.quick else 7)

    if args.threads is not None:
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
        if hasattr(os, "getloadavg"):
            print("load average at end (1, 5, 15 min): "
                  + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    if args.markdown:
        command = "python benchmarks/bench_train.py " + " ".join(sys.argv[1:])
        Path(args.markdown).write_text(
            "# bp_core training speed\n\n"
            f"Command (from the repository root): `{command.strip()}`\n\n"
            f"Date: {datetime.date.today().isoformat()}\n\n"
            "Output, exactly as printed (machine details at the top):\n\n"
            "```text\n" + buffer.getvalue() + "```\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
