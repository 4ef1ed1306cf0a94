"""A Stepper pass against sgd_step, for this checkout's bp_core and an earlier commit's,
side by side in one run.

    python -m benchmarks.bench_stepper_versions            # against HEAD~1
    python -m benchmarks.bench_stepper_versions --rev abc123 --rounds 21

The earlier bp_core is taken with `git archive REV bp_core` into a temporary folder and
loaded from there as ``bp_core_before`` (its imports are relative), so both run in this
process.
Each round times one epoch of sgd_step (this checkout's), then one of Stepper(...).run()
per mini-batch with each version, interleaved; the clock is the process's CPU time, with
one BLAS thread, and each figure is the median over rounds of the ratio within a round.
All four runs must end on the same weights, bit for bit.  Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import numpy as np

from benchmarks.bench_train import machine_info, uptime

ROOT = Path(__file__).resolve().parents[1]
WORKLOADS = [("digits-like 64-30-10 b=10", [64, 30, 10], 10, 1797),
             ("circle-like 2-8-8-1 b=10", [2, 8, 8, 1], 10, 2000),
             ("random 784-100-10 b=32", [784, 100, 10], 32, 1000)]


def earlier_bp_core(rev: str, folder: Path):
    """bp_core as of ``rev``, imported as the package bp_core_before."""
    archive = subprocess.run(["git", "archive", rev, "bp_core"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    package = folder / "bp_core"
    # Loaded from its folder by name, without touching sys.path: its relative imports
    # (from .network import …) resolve inside bp_core_before.
    spec = importlib.util.spec_from_file_location(
        "bp_core_before", package / "__init__.py", submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["bp_core_before"] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="HEAD~1", help="the earlier commit (default HEAD~1)")
    parser.add_argument("--rounds", type=int, default=15)
    opts = parser.parse_args()
    from threadpoolctl import threadpool_limits

    import bp_core
    with tempfile.TemporaryDirectory() as tmp:
        before = earlier_bp_core(opts.rev, Path(tmp))
        threadpool_limits(1)  # after scipy (and its own OpenBLAS) is loaded by both
        print(f"Stepper pass / sgd_step, {opts.rev} against this checkout, "
              f"{opts.rounds} interleaved rounds, η = 3.0, sigmoid/quadratic, seed 0")
        print("\n".join(machine_info()))
        rng = np.random.default_rng(0)
        for name, sizes, batch, n in WORKLOADS:
            X, Y = rng.uniform(size=(n, sizes[0])), rng.uniform(size=(n, sizes[-1]))

            def sgd(pkg, sizes=sizes, batch=batch, X=X, Y=Y):
                net = pkg.Network(sizes, seed=0)
                with np.errstate(all="ignore"):
                    for k in range(0, len(X), batch):
                        net.sgd_step(X[k:k + batch], Y[k:k + batch], 3.0)
                return net

            def stepper(pkg, sizes=sizes, batch=batch, X=X, Y=Y):
                net = pkg.Network(sizes, seed=0)
                for k in range(0, len(X), batch):
                    pkg.Stepper(net, X[k:k + batch], Y[k:k + batch], 3.0).run()
                return net

            ends = [f(pkg).weights for f in (sgd, stepper) for pkg in (bp_core, before)]
            same = all(np.array_equal(a, b) for w in ends[1:] for a, b in zip(ends[0], w))
            ratios_before, ratios_after = [], []
            for _ in range(opts.rounds):
                t = time.process_time()
                sgd(bp_core)
                base = time.process_time() - t
                t = time.process_time()
                stepper(before)
                ratios_before.append((time.process_time() - t) / base)
                t = time.process_time()
                stepper(bp_core)
                ratios_after.append((time.process_time() - t) / base)
            print(f"{name:27s} before {np.median(ratios_before):.2f}x   "
                  f"after {np.median(ratios_after):.2f}x   (sgd_step {base * 1e3:.1f} ms an "
                  f"epoch; same weights bit for bit: {'yes' if same else 'NO'})")
    print(f"uptime at end: {uptime()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
