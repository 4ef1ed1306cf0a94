"""A hostile-input suite against bp_core directly.

Each test feeds the engine's public API a value an attacker of the hosted demo (or a
confused learner) could send: bools standing in for numbers, numbers written as text,
complex weights, dicts as layer sizes, duplicate JSON keys, targets that are no
probability distribution.  The engine must refuse each with a ValueError that says
what was wrong, and must go on computing the right thing for honest input.
"""

from __future__ import annotations

import numpy as np
import pytest

from bp_core import Network, datasets, limits

# --- limits.check_real / check_int / check_bool ---------------------------------------
NOT_REAL = {"bool True": True, "bool False": False, "numpy bool": np.True_, "text": "0.5",
            "bytes": b"0.5", "complex": 0.5 + 0j, "None": None, "NaN": float("nan"),
            "inf": float("inf"), "-inf": -float("inf"), "numpy NaN": np.float64("nan"),
            "list": [0.5], "0-d array": np.array(0.5), "int beyond float64": 10**400}


@pytest.mark.parametrize("name", list(NOT_REAL))
def test_check_real_refuses_what_is_not_a_finite_real(name):
    with pytest.raises(ValueError, match="^rate must be a finite number, got "):
        limits.check_real(NOT_REAL[name], "rate")


@pytest.mark.parametrize("value,expected", [(0.5, 0.5), (3, 3.0), (np.float32(0.25), 0.25),
                                            (np.int64(-7), -7.0), (np.float64(1e-300), 1e-300)])
def test_check_real_accepts_python_and_numpy_numbers_as_float(value, expected):
    got = limits.check_real(value, "rate")
    assert type(got) is float and got == expected


def test_check_real_bounds():
    assert limits.check_real(0.0, "l2", lo=0) == 0.0
    assert limits.check_real(1.0, "l2", lo=0, hi=1) == 1.0
    with pytest.raises(ValueError, match="^learning_rate must be a positive finite number, "
                                         "got 0.0$"):
        limits.check_real(0.0, "learning_rate", lo=0, lo_open=True)
    with pytest.raises(ValueError, match="^l2 must be a finite number ≥ 0, got -1e-12$"):
        limits.check_real(-1e-12, "l2", lo=0)
    with pytest.raises(ValueError, match=r"^x must be a finite number in \(0, 1\], got 1.5$"):
        limits.check_real(1.5, "x", lo=0, hi=1, lo_open=True)


def test_check_real_message_quotes_text():
    with pytest.raises(ValueError) as err:
        limits.check_real("0.5", "learning_rate", lo=0, lo_open=True)
    assert str(err.value) == "learning_rate must be a positive finite number, got '0.5'"


def test_a_huge_hostile_value_gives_a_short_message():
    for value in (10**5000, "9" * 100_000):
        with pytest.raises(ValueError) as err:
            limits.check_real(value, "x")
        assert len(str(err.value)) < 100


@pytest.mark.parametrize("value", [2.5, 2.0, True, False, "2", None, 2 + 0j, np.float64(3),
                                   float("nan")])
def test_check_int_refuses_what_is_not_an_integer(value):
    with pytest.raises(ValueError, match="^epochs must be a whole number ≥ 0, got "):
        limits.check_int(value, "epochs", lo=0)


def test_check_int_message_and_bounds():
    with pytest.raises(ValueError) as err:
        limits.check_int(2.5, "epochs", lo=0)
    assert str(err.value) == "epochs must be a whole number ≥ 0, got 2.5"
    with pytest.raises(ValueError, match="^n must be a whole number from 2 to 9, got 10$"):
        limits.check_int(10, "n", 2, 9)
    for value in (np.int8(9), np.uint64(2), 9):
        got = limits.check_int(value, "n", 2, 9)
        assert type(got) is int and got == int(value)


@pytest.mark.parametrize("value", [1, 0, "True", None, 1.0])
def test_check_bool_refuses_what_is_not_a_bool(value):
    with pytest.raises(ValueError, match="^flag must be True or False, got "):
        limits.check_bool(value, "flag")


def test_check_bool_accepts_python_and_numpy_bools():
    assert limits.check_bool(np.False_, "flag") is False
    assert limits.check_bool(True, "flag") is True


# --- limits.check_sizes ---------------------------------------------------------------
NOT_A_LIST = {"dict": {2: "a", 3: "b"}, "set": {2, 3, 1}, "frozenset": frozenset({2, 3}),
              "generator": (n for n in [2, 3, 1]), "string": "231", "bytes": b"\x02\x03",
              "range": range(2, 4), "2-D array": np.array([[2, 3, 1]]), "int": 3,
              "None": None}


@pytest.mark.parametrize("name", list(NOT_A_LIST))
def test_check_sizes_refuses_what_is_not_a_list(name):
    with pytest.raises(ValueError, match="^sizes must be a list of layer sizes"):
        limits.check_sizes(NOT_A_LIST[name])


@pytest.mark.parametrize("sizes", [[2, 3, 1], (2, 3, 1), np.array([2, 3, 1]),
                                   np.array([2, 3, 1], dtype=np.uint16)])
def test_check_sizes_accepts_lists_tuples_and_integer_vectors(sizes):
    got = limits.check_sizes(sizes)
    assert got == [2, 3, 1] and all(type(n) is int for n in got)


def test_check_sizes_refuses_a_vector_of_floats():
    with pytest.raises(ValueError, match="layer 0 size must be an integer"):
        limits.check_sizes(np.array([2.0, 3.0, 1.0]))


@pytest.mark.parametrize("sizes", [{2: "a", 3: "b"}, {2, 3, 1}, (n for n in (2, 3, 1))])
def test_network_refuses_sizes_that_are_not_a_list(sizes):
    with pytest.raises(ValueError, match="^sizes must be a list of layer sizes"):
        Network(sizes)


# --- datasets: n and noise are honoured or refused ---------------------------------------
@pytest.mark.parametrize("name,kwargs", [("digits", dict(n=200, noise=0.1)),
                                         ("digits", dict(noise=0.05)),
                                         ("digits", dict(n=1)), ("digits", dict(n=1798)),
                                         ("digits", dict(n=200.0)),
                                         ("mazur", dict(n=50, noise=0.3)),
                                         ("mazur", dict(n=200)), ("mazur", dict(noise=0.05)),
                                         ("mazur", dict(n=True)), ("mazur", dict(n=1.0))])
def test_load_refuses_what_a_fixed_set_cannot_honour(name, kwargs):
    with pytest.raises(ValueError, match=r"\b(n|noise)\b.* must be "):
        datasets.load(name, **kwargs)


@pytest.mark.parametrize("kwargs", [dict(n=2), dict(n=0), dict(noise=0.3), dict(noise=True)])
def test_mazur_called_directly_refuses_n_and_noise(kwargs):
    with pytest.raises(ValueError):
        datasets.mazur(**kwargs)


@pytest.mark.parametrize("kwargs", [{}, dict(n=1), dict(noise=0), dict(n=1, noise=0.0),
                                    dict(n=None, noise=None)])
def test_mazur_accepts_its_own_n_and_noise(kwargs):
    for data in (datasets.mazur(**kwargs), datasets.load("mazur", **kwargs)):
        np.testing.assert_array_equal(data.X, [[0.05, 0.10]])  # the post's one example
        np.testing.assert_array_equal(data.Y, [[0.01, 0.99]])


def test_load_digits_honours_n_as_a_subset_of_the_real_images():
    from sklearn.datasets import load_digits

    raw = load_digits()
    data = datasets.load("digits", n=200, noise=0, seed=4)
    assert data.X.shape == (200, 64) and data.Y.shape == (200, 10)
    # Every row is one of scikit-learn's images (/16) with its own one-hot label.
    rows = {row.tobytes(): label for row, label in zip(raw.data / 16.0, raw.target)}
    for x, y in zip(data.X, data.Y):
        label = rows[x.tobytes()]
        np.testing.assert_array_equal(y, np.eye(10)[label])
    assert len(datasets.load("digits")) == 1797


def test_generated_lists_the_sets_that_take_n_and_noise():
    assert datasets.GENERATED == ["xor", "circle", "gaussian", "spiral", "moons", "sine"]
    for name in datasets.GENERATED:
        assert len(datasets.load(name)) == 200  # None means the generator's default
        assert len(datasets.load(name, n=37, noise=0.3)) == 37


def test_load_passes_noise_to_the_generator():
    # sine: y = sin(πx) exactly without noise, and off it with noise.
    quiet, noisy = datasets.load("sine", n=50), datasets.load("sine", n=50, noise=0.5)
    np.testing.assert_allclose(quiet.Y[:, 0], np.sin(np.pi * quiet.X[:, 0]), atol=1e-15)
    assert np.abs(noisy.Y[:, 0] - np.sin(np.pi * noisy.X[:, 0])).max() > 0.1
