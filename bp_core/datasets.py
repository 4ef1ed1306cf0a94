"""Data sets: TensorFlow-Playground-style 2-D sets, a 1-D regression, real digits
and Mazur's single worked example.

Every generator takes ``n`` (number of points), ``noise`` and ``seed`` and returns a
`Dataset` with X: (n, n_features) and Y: (n, n_outputs), both float64.  Only the
`GENERATED` sets can honour any n and noise; ``digits`` (real data, n a subset size,
no noise) and ``mazur`` (one fixed example) refuse what they cannot honour rather
than ignore it.  The 2-D
sets are scaled to lie roughly in [−1, 1]² (TensorFlow Playground draws them on
[−6, 6]²; dividing by its radius of 5 keeps sigmoid units out of saturation).
Their labels are 0 or 1 in a single output column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import limits

Array = np.ndarray

RADIUS = 5.0  # TensorFlow Playground's data radius, before scaling


@dataclass(frozen=True)
class Dataset:
    """name; X (n, n_in); Y (n, n_out); task: "binary", "multiclass" or "regression"."""
    name: str
    X: Array
    Y: Array
    task: str

    def __len__(self) -> int:
        return self.X.shape[0]

    @property
    def labels(self) -> Array | None:
        """Integer class of every example, (n,), or None for regression."""
        if self.task == "binary":
            return (self.Y[:, 0] >= 0.5).astype(int)
        if self.task == "multiclass":
            return self.Y.argmax(axis=1)
        return None

    def subset(self, index) -> Dataset:
        return Dataset(self.name, self.X[index], self.Y[index], self.task)


def accuracy(output: Array, data: Dataset) -> float | None:
    """Fraction classified right: output ≥ 0.5 for binary, argmax for multiclass."""
    if data.task == "binary":
        return float(np.mean((output[:, 0] >= 0.5) == (data.Y[:, 0] >= 0.5)))
    if data.task == "multiclass":
        return float(np.mean(output.argmax(axis=1) == data.Y.argmax(axis=1)))
    return None


def _check(n: int, noise: float, max_n: int = limits.MAX_SAMPLES) -> None:
    limits.check_int(n, "n", 2, max_n)
    limits.check_real(noise, "noise", lo=0, hi=1)


def _check_no_noise(noise: float | None, why: str) -> None:
    """Real or fixed data cannot be made noisy: refuse any noise but None or 0."""
    if noise is not None and limits.check_real(noise, "noise") != 0:
        raise ValueError(f"{why}; noise must be None or 0, got {noise!r}")


def _binary(name: str, points: Array, labels: Array) -> Dataset:
    return Dataset(name, points / RADIUS, labels.astype(np.float64)[:, None], "binary")


def xor(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Label 1 where x·y ≥ 0 (quadrants I and III)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    pts = rng.uniform(-RADIUS, RADIUS, size=(n, 2))
    pts += np.sign(pts) * 0.3  # keep points off the axes, as TensorFlow Playground does
    labels = pts[:, 0] * pts[:, 1] >= 0
    pts += rng.uniform(-RADIUS, RADIUS, size=(n, 2)) * noise
    return _binary("xor", pts, labels)


def circle(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Label 1 inside radius 2.5, 0 on a ring from 3.5 to 5."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    inside = np.arange(n) < n // 2
    r = np.where(inside, rng.uniform(0, 0.5 * RADIUS, n), rng.uniform(0.7 * RADIUS, RADIUS, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    pts = np.c_[r * np.sin(angle), r * np.cos(angle)]
    pts += rng.uniform(-RADIUS, RADIUS, size=(n, 2)) * noise
    return _binary("circle", pts, inside)


def gaussian(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Two Gaussian blobs at (2, 2) (label 1) and (−2, −2) (label 0)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    positive = np.arange(n) < n // 2
    std = np.sqrt(0.5 + 3.5 * noise)  # variance from 0.5 to 4, as in the Playground
    centres = np.where(positive[:, None], 2.0, -2.0)
    return _binary("gaussian", centres + rng.normal(0, std, size=(n, 2)), positive)


def spiral(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Two interleaved spirals, half a turn apart."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    half = n // 2
    i = np.r_[np.arange(half), np.arange(n - half)]
    m = np.r_[np.full(half, half), np.full(n - half, n - half)]
    shift = np.r_[np.zeros(half), np.full(n - half, np.pi)]
    r = i / m * RADIUS
    t = 1.75 * i / m * 2 * np.pi + shift
    pts = np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, size=(n, 2)) * noise
    return _binary("spiral", pts, shift == 0)


def moons(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Two interleaving half circles."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    upper = np.arange(n) < n // 2
    t = rng.uniform(0, np.pi, n)
    pts = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)],
                   np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    pts = (pts - [0.5, 0.25]) / 1.5  # centre the pair on the origin, within [-1, 1]
    pts += rng.normal(0, noise, size=(n, 2))
    return Dataset("moons", pts, upper.astype(np.float64)[:, None], "binary")


def sine(n: int = 200, noise: float = 0.0, seed: int = 0) -> Dataset:
    """1-D regression: x uniform in [−1, 1], y = sin(πx) + noise·N(0, 1)."""
    _check(n, noise)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, n))
    y = np.sin(np.pi * x) + noise * rng.normal(0, 1, n)
    return Dataset("sine", x[:, None], y[:, None], "regression")


def digits(n: int | None = None, noise: float | None = None, seed: int = 0) -> Dataset:
    """scikit-learn's bundled 8×8 handwritten digits (1,797 images; no download).

    X: (n, 64), pixel intensity / 16 in [0, 1], row by row; Y: (n, 10) one-hot.
    With ``n`` (2 to 1797) a random subset of that size, drawn by ``seed``, is taken;
    None means all of them.  ``noise`` is accepted for a uniform signature and must
    be None or 0: these are real images.
    """
    from sklearn.datasets import load_digits  # imported here: only this set needs it

    _check_no_noise(noise, "the digits are real images")
    raw = load_digits()
    X = raw.data.astype(np.float64) / 16.0
    Y = np.eye(10)[raw.target]
    if n is not None:
        limits.check_int(n, "n (a subset of the digits)", 2, len(X))
        index = np.sort(np.random.default_rng(seed).choice(len(X), n, replace=False))
        X, Y = X[index], Y[index]
    return Dataset("digits", X, Y, "multiclass")


# Matt Mazur, "A Step by Step Backpropagation Example" (2015): a 2-2-2 sigmoid net.
MAZUR_WEIGHTS = [[[0.15, 0.20], [0.25, 0.30]],   # w1 w2 / w3 w4
                 [[0.40, 0.45], [0.50, 0.55]]]   # w5 w6 / w7 w8
MAZUR_BIASES = [[0.35, 0.35], [0.60, 0.60]]      # b1, b2
MAZUR_LEARNING_RATE = 0.5


def mazur(n: int | None = None, noise: float | None = None, seed: int = 0) -> Dataset:
    """The post's single example: inputs (0.05, 0.10), targets (0.01, 0.99).

    X: (1, 2); Y: (1, 2).  There is exactly one example and it has no noise, so n
    must be None or 1 and noise None or 0; ``seed`` is ignored.
    """
    if n is not None and limits.check_int(n, "n") != 1:
        raise ValueError(f"mazur is the post's single example; n must be None or 1, got {n!r}")
    _check_no_noise(noise, "mazur is the post's exact example")
    return Dataset("mazur", np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]), "regression")


def mazur_network():
    """The post's network: 2-2-2, sigmoid everywhere, quadratic cost."""
    from .network import Network
    return Network.from_params(MAZUR_WEIGHTS, MAZUR_BIASES, activation="sigmoid",
                               output_activation="sigmoid", loss="quadratic")


GENERATORS = {"xor": xor, "circle": circle, "gaussian": gaussian, "spiral": spiral,
              "moons": moons, "sine": sine, "digits": digits, "mazur": mazur}
TWO_D = ["xor", "circle", "gaussian", "spiral", "moons"]
GENERATED = TWO_D + ["sine"]  # the sets that take any n and noise


def load(name: str, n: int | None = None, noise: float | None = None,
         seed: int = 0) -> Dataset:
    """A data set by name; n or noise None means that generator's default.

    Pass n and noise only for the `GENERATED` sets (default 200 points, no noise).
    ``digits`` takes n as a subset size (default: all 1,797 images) and no noise;
    ``mazur`` is one fixed example.  Both raise ValueError for an n or noise they
    cannot honour, rather than ignore it.
    """
    if name not in GENERATORS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(GENERATORS)}")
    given = {key: value for key, value in (("n", n), ("noise", noise)) if value is not None}
    return GENERATORS[name](**given, seed=seed)


def split(data: Dataset, test_fraction: float = 0.2, seed: int = 0) -> tuple[Dataset, Dataset]:
    """Shuffle by seed and split into (train, test); each keeps at least one example."""
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1")
    n = len(data)
    if n < 2:
        raise ValueError("need at least 2 examples to split")
    order = np.random.default_rng(seed).permutation(n)
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    return data.subset(np.sort(order[n_test:])), data.subset(np.sort(order[:n_test]))
