"""The bug hunt engine: the tutorial's code, run for real, with each defect's symptom.

With no defect the engine must agree with bp_core to 1e-12.  Each defect alone
must give the symptom Python and numpy really produce; those are asserted exactly,
so if a future Python or numpy changes a message, the app's text is checked again.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bp_core import Network, datasets, gradcheck
from workshop import bughunt
from workshop.bughunt import BuggyNetwork, WrongShape, backprop_batch, train_buggy
from workshop.tutorial_code import (
    DEFECT_IDS,
    DEFECTS,
    FIXED_SOURCE,
    TUTORIAL_SOURCE,
    check_defects,
    render_source,
)

MAZUR = datasets.mazur()


def mazur_engine(defects=()) -> BuggyNetwork:
    return BuggyNetwork(datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES, defects)


def raised_by(defects, weights=datasets.MAZUR_WEIGHTS, biases=datasets.MAZUR_BIASES,
              X=MAZUR.X, Y=MAZUR.Y) -> BaseException:
    with pytest.raises(Exception) as info:
        BuggyNetwork(weights, biases, defects).backprop_batch(X, Y)
    return info.value


def random_problem(sizes, seed, n):
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed + 1)
    return net, rng.uniform(-1, 1, (n, sizes[0])), rng.uniform(0, 1, (n, sizes[-1]))


# --- the tutorial text -----------------------------------------------------------

def test_tutorial_source_holds_the_four_buggy_snippets_literally():
    for snippet in ["np.exp(z)", "zs[:-1]", "self.weight[", "xrange"]:
        assert snippet in TUTORIAL_SOURCE
    for snippet in ["np.exp(z)", "zs[:-1]", "self.weight[", "xrange"]:
        assert snippet not in FIXED_SOURCE
    assert "np.exp(-z)" in FIXED_SOURCE and "sigmoid_prime(zs[-1])" in FIXED_SOURCE


def test_defects_are_listed_with_stable_ids_keys_and_lines():
    assert DEFECT_IDS == ["exp_sign", "zs_slice", "weight_attr", "xrange"]
    fixed_lines = FIXED_SOURCE.splitlines()
    tutorial_lines = TUTORIAL_SOURCE.splitlines()
    assert len(fixed_lines) == len(tutorial_lines)
    for d in DEFECTS:
        assert d["key"] == f"bughunt.defect.{d['id']}"
        assert d["title"] and d["explanation"]
        assert fixed_lines[d["line"] - 1].strip() == d["fixed"]
        assert tutorial_lines[d["line"] - 1].strip() == d["buggy"]
        # Switching one defect on changes exactly its own line.
        one = render_source([d["id"]]).splitlines()
        changed = [i + 1 for i, (a, b) in enumerate(zip(fixed_lines, one, strict=True)) if a != b]
        assert changed == [d["line"]]


def test_unknown_defects_are_refused():
    with pytest.raises(ValueError, match="unknown defect"):
        check_defects({"xrange", "typo"})
    with pytest.raises(ValueError, match="not one string"):
        check_defects("xrange")


def test_the_engine_is_compiled_from_the_text_it_shows():
    engine = mazur_engine(DEFECT_IDS)
    assert engine.source == TUTORIAL_SOURCE
    assert engine.net.backprop.__code__.co_filename == engine.filename
    assert type(engine.net).__name__ == "Network"


def test_the_engine_leaves_the_global_random_state_and_its_inputs_alone():
    state = np.random.get_state()[1].copy()
    weights = [np.array(w, dtype=float) for w in datasets.MAZUR_WEIGHTS]
    engine = BuggyNetwork(weights, datasets.MAZUR_BIASES, ())
    engine.backprop_batch(MAZUR.X, MAZUR.Y)
    train_buggy(weights, datasets.MAZUR_BIASES, (), MAZUR.X, MAZUR.Y, epochs=3)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    np.testing.assert_array_equal(weights[0], datasets.MAZUR_WEIGHTS[0])


# --- no defect: the same numbers as bp_core --------------------------------------

def assert_same_gradients(net: Network, X, Y, defects=()):
    expected = net.backprop(X, Y)
    got = backprop_batch(net, X, Y, defects)
    for l in range(net.num_layers):
        assert got.grad_w[l].shape == net.weights[l].shape
        assert got.grad_b[l].shape == net.biases[l].shape
        np.testing.assert_allclose(got.grad_w[l], expected.grad_w[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(got.grad_b[l], expected.grad_b[l], rtol=0, atol=1e-12)


def test_fixed_engine_matches_bp_core_on_mazur():
    assert_same_gradients(datasets.mazur_network(), MAZUR.X, MAZUR.Y)
    # ... and so Mazur's published ∂E/∂w5.
    grads = mazur_engine().backprop_batch(MAZUR.X, MAZUR.Y)
    assert abs(grads.grad_w[1][0, 0] - 0.082167041) < 5e-10


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
       seed=st.integers(0, 10_000), n=st.integers(1, 6))
def test_fixed_engine_matches_bp_core_on_random_sigmoid_nets(sizes, seed, n):
    net, X, Y = random_problem(sizes, seed, n)
    assert_same_gradients(net, X, Y)


def test_fixed_engine_passes_gradcheck_and_trains_like_bp_core():
    net = datasets.mazur_network()
    assert gradcheck(net, MAZUR.X, MAZUR.Y, analytic=mazur_engine().analytic).passed
    losses = train_buggy(net.weights, net.biases, (), MAZUR.X, MAZUR.Y, epochs=5, lr=0.5)
    for loss in losses:
        net.sgd_step(MAZUR.X, MAZUR.Y, 0.5)
        assert loss == pytest.approx(net.loss(MAZUR.X, MAZUR.Y), abs=1e-12)


# --- each defect alone: its real symptom -------------------------------------------

def test_xrange_raises_pythons_own_name_error():
    exc = raised_by({"xrange"})
    assert type(exc) is NameError
    assert str(exc) == "name 'xrange' is not defined"
    # Even with no hidden layer, where the loop would run zero times.
    exc = raised_by({"xrange"}, [[[0.1, 0.2]]], [[0.3]], [[1.0, 2.0]], [[0.5]])
    assert type(exc) is NameError


def test_weight_attr_raises_the_real_attribute_error():
    exc = raised_by({"weight_attr"})
    assert type(exc) is AttributeError
    assert str(exc) == "'Network' object has no attribute 'weight'"


def test_weight_attr_hides_in_a_network_without_hidden_layers():
    net, X, Y = random_problem([3, 2], seed=4, n=5)
    assert_same_gradients(net, X, Y, {"weight_attr"})


@pytest.mark.parametrize("sizes", [[2, 2, 2], [2, 3, 1], [3, 2], [2, 3, 4, 1]])
def test_zs_slice_makes_sigmoid_negate_a_list(sizes):
    """zs[:-1] is a list of arrays; the correct sigmoid computes −z, and a list has no −."""
    net, X, Y = random_problem(sizes, seed=1, n=3)
    exc = raised_by({"zs_slice"}, net.weights, net.biases, X, Y)
    assert type(exc) is TypeError
    assert str(exc) == "bad operand type for unary -: 'list'"
    info = bughunt.describe_exception(exc, BuggyNetwork(net.weights, net.biases,
                                                        {"zs_slice"}).filename)
    assert info["origin"] == "tutorial"
    assert info["source_line"] == "return 1.0/(1.0+np.exp(-z))"
    assert "sigmoid_prime(zs[:-1])" in info["traceback"]


def test_zs_slice_with_the_exp_bug_too_broadcasts_silently_into_wrong_shapes():
    """With np.exp(z), numpy accepts the list: it becomes a (1, 2, 1) array on the 2-2-2
    net, and the gradients come back 3-D without any error from numpy itself."""
    engine = mazur_engine({"zs_slice", "exp_sign"})
    nabla_b, nabla_w = engine.backprop(MAZUR.X.reshape(-1, 1), MAZUR.Y.reshape(-1, 1))
    assert [b.shape for b in nabla_b] == [(2, 2, 1), (1, 2, 1)]
    assert [w.shape for w in nabla_w] == [(2, 2, 2), (1, 2, 2)]
    with pytest.raises(WrongShape, match=r"nabla_b\[0\] with shape \(2, 2, 1\)"):
        engine.backprop_batch(MAZUR.X, MAZUR.Y)
    # On a 2-3-1 net numpy itself refuses, in the BP2 line.
    net, X, Y = random_problem([2, 3, 1], seed=1, n=3)
    exc = raised_by({"zs_slice", "exp_sign"}, net.weights, net.biases, X, Y)
    assert type(exc) is ValueError
    assert str(exc) == "shapes (3,1) and (1,3,1) not aligned: 1 (dim 1) != 3 (dim 1)"


def test_exp_sign_fails_the_gradient_check():
    net = datasets.mazur_network()
    check = gradcheck(net, MAZUR.X, MAZUR.Y, analytic=mazur_engine({"exp_sign"}).analytic)
    assert not check.passed
    assert max(check.errors) > 1e-3
    assert min(check.errors) > 1e-3  # every layer is wrong, not just one


@pytest.mark.parametrize("seed", range(5))
def test_exp_sign_training_raises_the_true_loss_on_a_classification_set(seed):
    """On 0/1 labels the mirrored sigmoid pushes the true outputs the wrong way."""
    data = datasets.gaussian(n=40, seed=0)
    net = Network([2, 4, 1], seed=seed)
    before = net.loss(data.X, data.Y)
    correct = train_buggy(net.weights, net.biases, (), data.X, data.Y, epochs=200, lr=0.5)
    buggy = train_buggy(net.weights, net.biases, {"exp_sign"}, data.X, data.Y,
                        epochs=200, lr=0.5)
    assert len(correct) == len(buggy) == 200
    assert correct[-1] < before - 0.03
    assert buggy[-1] > before + 0.05


def test_exp_sign_on_mazur_still_lowers_the_loss_only_gradcheck_catches_it():
    """Targets 0.01 and 0.99: the two sign errors happen to cancel at the output, so the
    loss still falls.  A reason to check gradients rather than trust a falling curve."""
    losses = train_buggy(datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES, {"exp_sign"},
                         MAZUR.X, MAZUR.Y, epochs=100, lr=0.5)
    assert losses[-1] < 0.01 < 0.298 < datasets.mazur_network().loss(MAZUR.X, MAZUR.Y)


# --- describe_exception(): plain data for the app ----------------------------------

def test_an_exception_in_the_tutorial_is_described_as_plain_data():
    engine = BuggyNetwork(datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES, {"xrange"})
    with pytest.raises(NameError) as caught:
        engine.backprop_batch(MAZUR.X, MAZUR.Y)
    s = bughunt.describe_exception(caught.value, engine.filename)
    json.dumps(s)
    assert s["type"] == "NameError" and s["origin"] == "tutorial"
    assert s["last_line"] == "NameError: name 'xrange' is not defined"
    assert s["source_line"] == "for l in xrange(2, self.num_layers):"
    assert s["line"] == next(d["line"] for d in DEFECTS if d["id"] == "xrange")
    # Only the tutorial's frames are shown, then the exception's own line.
    assert s["traceback"].count("File ") == 1 and "bughunt.py" not in s["traceback"]
    assert s["traceback"].endswith(s["last_line"])


def test_an_exception_outside_the_tutorial_is_the_harness():
    engine = BuggyNetwork(datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES, ())
    try:
        engine.backprop_batch(MAZUR.X, np.zeros((1, 5)))
    except ValueError as exc:
        s = bughunt.describe_exception(exc, engine.filename)
    assert (s["origin"], s["line"], s["source_line"]) == ("harness", 0, "")
    assert s["traceback"] == s["last_line"]


def test_is_supported():
    assert bughunt.is_supported(datasets.mazur_network())
    assert not bughunt.is_supported(Network([2, 3, 1], activation="tanh"))


def test_batch_check_is_bp_cores_one_check():
    """X and Y of different lengths: the engine and train_buggy say what bp_core says."""
    X, Y = np.zeros((3, 2)), np.zeros((2, 2))
    with pytest.raises(ValueError) as core:
        datasets.mazur_network().batch(X, Y)
    with pytest.raises(ValueError) as engine:
        mazur_engine().backprop_batch(X, Y)
    with pytest.raises(ValueError) as trained:
        train_buggy(datasets.MAZUR_WEIGHTS, datasets.MAZUR_BIASES, (), X, Y, epochs=1)
    assert str(engine.value) == str(trained.value) == str(core.value) == \
        "X has 3 examples but Y has 2"
