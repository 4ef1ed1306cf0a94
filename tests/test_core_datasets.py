"""bp_core.datasets: documented shapes, dtypes, tasks, labels, determinism and splits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bp_core import datasets
from bp_core.datasets import Dataset

TWO_D = ["xor", "circle", "gaussian", "spiral", "moons"]
GENERATED = TWO_D + ["sine"]
SHAPES = {name: (2, 1, "binary") for name in TWO_D} | {"sine": (1, 1, "regression")}


def test_the_registry_lists_every_set():
    assert datasets.TWO_D == TWO_D
    assert set(datasets.GENERATORS) == set(GENERATED) | {"digits", "mazur"}


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("n,noise", [(2, 0.0), (7, 0.0), (200, 0.0), (101, 0.5), (50, 1.0)])
def test_shapes_dtype_and_task(name, n, noise):
    n_in, n_out, task = SHAPES[name]
    data = datasets.GENERATORS[name](n=n, noise=noise, seed=3)
    assert isinstance(data, Dataset) and data.name == name and data.task == task
    assert data.X.shape == (n, n_in) and data.Y.shape == (n, n_out) and len(data) == n
    assert data.X.dtype == np.float64 and data.Y.dtype == np.float64
    assert np.isfinite(data.X).all() and np.isfinite(data.Y).all()
    if task == "binary":
        assert set(np.unique(data.Y)) <= {0.0, 1.0}
        np.testing.assert_array_equal(data.labels, data.Y[:, 0].astype(int))
    else:
        assert data.labels is None


@pytest.mark.parametrize("name", GENERATED)
def test_deterministic_by_seed(name):
    make = datasets.GENERATORS[name]
    a, b, c = make(n=80, noise=0.2, seed=1), make(n=80, noise=0.2, seed=1), make(
        n=80, noise=0.2, seed=2)
    assert a.X.tobytes() == b.X.tobytes() and a.Y.tobytes() == b.Y.tobytes()
    assert not np.array_equal(a.X, c.X)
    assert datasets.load(name, n=80, noise=0.2, seed=1).X.tobytes() == a.X.tobytes()


@pytest.mark.parametrize("name", ["circle", "gaussian", "spiral", "moons"])
@pytest.mark.parametrize("n", [2, 9, 200])
def test_labels_are_balanced(name, n):
    data = datasets.GENERATORS[name](n=n, noise=0.3, seed=0)
    assert data.Y.sum() == n // 2  # exactly half, rounding down for odd n


@pytest.mark.parametrize("seed", range(5))
def test_xor_labels_are_roughly_balanced(seed):
    data = datasets.xor(400, seed=seed)
    assert 0.4 < data.Y.mean() < 0.6  # random quadrants: binomial, std 0.025


def test_xor_labels_follow_the_quadrants():
    data = datasets.xor(300, noise=0.0, seed=4)
    x, y = data.X[:, 0], data.X[:, 1]
    np.testing.assert_array_equal(data.Y[:, 0], (x * y >= 0).astype(float))
    assert np.abs(data.X).min() >= 0.3 / 5  # kept off the axes


def test_circle_labels_follow_the_radius():
    data = datasets.circle(300, noise=0.0, seed=4)
    r = np.hypot(data.X[:, 0], data.X[:, 1])
    assert (r[data.Y[:, 0] == 1] <= 0.5).all()
    assert (r[data.Y[:, 0] == 0] >= 0.7).all() and (r <= 1.0).all()


def test_gaussian_blobs_sit_at_plus_and_minus_two():
    data = datasets.gaussian(2000, noise=0.0, seed=4)
    positive = data.Y[:, 0] == 1
    np.testing.assert_allclose(data.X[positive].mean(axis=0), [0.4, 0.4], atol=0.02)
    np.testing.assert_allclose(data.X[~positive].mean(axis=0), [-0.4, -0.4], atol=0.02)


def test_sine_is_sin_pi_x_without_noise():
    data = datasets.sine(100, noise=0.0, seed=4)
    x = data.X[:, 0]
    assert (-1 <= x).all() and (x <= 1).all() and (np.diff(x) >= 0).all()
    np.testing.assert_allclose(data.Y[:, 0], np.sin(np.pi * x), rtol=0, atol=1e-15)


@pytest.mark.parametrize("name", ["xor", "circle", "gaussian", "spiral"])
def test_two_d_sets_lie_roughly_in_the_unit_square(name):
    data = datasets.GENERATORS[name](n=500, noise=0.0, seed=0)
    assert np.abs(data.X).max() <= 1.1


def test_moons_lie_roughly_in_the_unit_square():
    data = datasets.moons(n=500, noise=0.0, seed=0)
    assert np.abs(data.X).max() <= 1.1


def test_digits():
    data = datasets.digits()
    assert data.X.shape == (1797, 64) and data.Y.shape == (1797, 10)
    assert data.X.dtype == np.float64 and data.Y.dtype == np.float64
    assert data.X.min() == 0.0 and data.X.max() == 1.0
    np.testing.assert_array_equal(data.Y.sum(axis=1), 1.0)
    assert set(np.unique(data.Y)) == {0.0, 1.0}
    assert data.task == "multiclass"
    np.testing.assert_array_equal(data.labels, data.Y.argmax(axis=1))
    assert set(data.labels) == set(range(10))
    subset = datasets.digits(n=100, seed=3)
    assert subset.X.shape == (100, 64)
    assert datasets.digits(n=100, seed=3).X.tobytes() == subset.X.tobytes()
    assert datasets.load("digits").X.shape == (1797, 64)
    with pytest.raises(ValueError):
        datasets.digits(noise=0.1)
    with pytest.raises(ValueError):
        datasets.digits(n=5000)


def test_mazur_set():
    data = datasets.mazur()
    np.testing.assert_array_equal(data.X, [[0.05, 0.10]])
    np.testing.assert_array_equal(data.Y, [[0.01, 0.99]])
    assert data.X.dtype == data.Y.dtype == np.float64


@pytest.mark.parametrize("kwargs", [dict(n=1), dict(n=0), dict(n=2.5), dict(n=True),
                                    dict(n=10**6), dict(noise=-0.1), dict(noise=1.5),
                                    dict(noise="0")])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        datasets.xor(**kwargs)


def test_unknown_set_is_refused():
    with pytest.raises(ValueError, match="unknown data set 'iris'"):
        datasets.load("iris")


def test_accuracy():
    binary = Dataset("b", np.zeros((4, 1)), np.array([[1.0], [0.0], [1.0], [0.0]]), "binary")
    assert datasets.accuracy(np.array([[0.9], [0.4], [0.2], [0.5]]), binary) == 0.5
    multi = Dataset("m", np.zeros((2, 1)), np.eye(3)[[0, 2]], "multiclass")
    assert datasets.accuracy(np.array([[0.5, 0.2, 0.3], [0.5, 0.1, 0.4]]), multi) == 0.5
    assert datasets.accuracy(np.zeros((2, 1)), Dataset("r", np.zeros((2, 1)),
                                                        np.zeros((2, 1)), "regression")) is None


# --- split ---------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None, database=None)
@given(n=st.integers(2, 300), fraction=st.floats(0.01, 0.99), seed=st.integers(0, 2**31 - 1))
def test_split_sizes_disjointness_and_determinism(n, fraction, seed):
    # Each row carries its own index, so rows can be traced through the split.
    data = Dataset("ids", np.arange(n, dtype=np.float64)[:, None],
                   np.arange(n, dtype=np.float64)[:, None] * 10, "regression")
    train, test = datasets.split(data, test_fraction=fraction, seed=seed)
    n_test = min(max(1, round(n * fraction)), n - 1)
    assert len(test) == n_test and len(train) == n - n_test
    train_ids, test_ids = train.X[:, 0], test.X[:, 0]
    assert set(train_ids).isdisjoint(test_ids)
    np.testing.assert_array_equal(np.sort(np.r_[train_ids, test_ids]), np.arange(n))
    np.testing.assert_array_equal(train.Y[:, 0], train_ids * 10)  # rows stay whole
    assert (np.diff(train_ids) > 0).all() and (np.diff(test_ids) > 0).all()
    assert train.task == test.task == "regression"
    again = datasets.split(data, test_fraction=fraction, seed=seed)
    assert again[0].X.tobytes() == train.X.tobytes()
    assert again[1].X.tobytes() == test.X.tobytes()


def test_split_depends_on_the_seed():
    data = datasets.circle(200, seed=0)
    a, b = datasets.split(data, seed=0)[1], datasets.split(data, seed=1)[1]
    assert not np.array_equal(a.X, b.X)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 2.0])
def test_split_refuses_bad_fractions(fraction):
    with pytest.raises(ValueError):
        datasets.split(datasets.xor(10), test_fraction=fraction)


def test_split_refuses_a_single_example():
    with pytest.raises(ValueError):
        datasets.split(datasets.mazur())
