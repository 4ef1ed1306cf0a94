"""The playground through Streamlit's AppTest: every control and URL parameter."""

from __future__ import annotations

import numpy as np
import pytest

from bp_core import Network, Stepper
from playground import config as cfg
from tests.apphelpers import charts, click, heatmaps, open_tab, start, texts


def test_default_page_loads_with_network_and_stepper():
    at = start()
    net, stepper = at.session_state["net"], at.session_state["stepper"]
    assert isinstance(net, Network) and isinstance(stepper, Stepper)
    assert net.sizes == cfg.DEFAULT.sizes
    assert stepper.position == 0
    assert not at.warning


def test_next_steps_through_a_whole_pass_in_order():
    at = start({"data": "xor", "hidden": "3", "batch": "4"})
    stepper = at.session_state["stepper"]
    labels = []
    for _ in range(len(stepper.phases)):
        click(at, "step_next")
        labels.append(at.session_state["stepper"].last.label)
    assert labels == ["F0", "F1", "Loss", "B1", "B0", "Update"]
    assert at.session_state["stepper"].done


def test_stepped_pass_equals_sgd_step_in_the_app():
    at = start({"data": "circle", "hidden": "5-3", "batch": "8", "lr": "0.5", "seed": "3"})
    before = at.session_state["net"].copy()
    stepper = at.session_state["stepper"]
    X, Y = stepper.X.copy(), stepper.Y.copy()
    click(at, "step_pass")
    before.sgd_step(X, Y, 0.5)
    after = at.session_state["net"]
    for w0, w1 in zip(before.weights, after.weights):
        np.testing.assert_array_equal(w0, w1)


def test_back_restores_previous_phase_and_weights():
    at = start({"hidden": "3", "batch": "2"})
    click(at, "step_pass")
    net = at.session_state["net"]
    stepper = at.session_state["stepper"]
    before = np.array(stepper.last.arrays["W_before0"])
    assert not np.array_equal(net.weights[0], before)  # the update changed W[0]
    click(at, "step_back")
    assert at.session_state["stepper"].last.label == "B0"
    np.testing.assert_array_equal(at.session_state["net"].weights[0], before)
    assert net is at.session_state["net"]


def test_heatmaps_follow_the_phase():
    at = start({"hidden": "3", "batch": "4"})
    click(at, "step_next")
    forward = heatmaps(at)
    rec = at.session_state["stepper"].last
    assert any(np.allclose(np.asarray(z, float), rec.arrays["z"]) for z in forward.values()
               if np.shape(z) == rec.arrays["z"].shape)
    click(at, "step_next")
    click(at, "step_next")
    click(at, "step_next")  # B1
    rec = at.session_state["stepper"].last
    assert rec.kind == "backward"
    maps = heatmaps(at)
    assert any(np.shape(z) == rec.arrays["delta"].shape
               and np.allclose(np.asarray(z, float), rec.arrays["delta"]) for z in maps.values())


def test_next_after_update_starts_the_next_batch():
    at = start({"hidden": "2", "batch": "4"})
    click(at, "step_pass")
    first_X = at.session_state["stepper"].X.copy()
    click(at, "step_next")
    stepper = at.session_state["stepper"]
    assert at.session_state["batch_index"] == 1
    assert stepper.position == 1 and not np.array_equal(stepper.X, first_X)


def test_new_batch_discards_the_pass_without_touching_the_net():
    at = start({"hidden": "2", "batch": "4"})
    weights = [w.copy() for w in at.session_state["net"].weights]
    click(at, "step_next")
    click(at, "step_reset")
    assert at.session_state["stepper"].position == 0
    assert at.session_state["batch_index"] == 1
    for w0, w1 in zip(weights, at.session_state["net"].weights):
        np.testing.assert_array_equal(w0, w1)


def test_changing_lr_keeps_the_network_and_architecture_rebuilds_it():
    at = start({"hidden": "3"})
    net = at.session_state["net"]
    at.selectbox(key="lr").set_value(0.05).run()
    assert at.session_state["net"] is net
    assert at.session_state["stepper"].learning_rate == 0.05
    at.number_input(key="hidden_0").set_value(5).run()
    assert at.session_state["net"] is not net
    assert at.session_state["net"].sizes == [2, 5, 1]


def test_same_seed_same_network_different_seed_different():
    a = start({"seed": "7"}).session_state["net"]
    b = start({"seed": "7"}).session_state["net"]
    c = start({"seed": "8"}).session_state["net"]
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("param,value,check", [
    ("data", "spiral", lambda c: c.data == "spiral"),
    ("hidden", "16-8", lambda c: c.hidden == (16, 8)),
    ("act", "relu", lambda c: c.act == "relu"),
    ("out", "linear", lambda c: c.out == "linear"),
    ("loss", "quadratic", lambda c: c.loss == "quadratic"),
    ("init", "he", lambda c: c.init == "he"),
    ("lr", "0.03", lambda c: c.lr == 0.03),
    ("batch", "16", lambda c: c.batch == 16),
    ("seed", "42", lambda c: c.seed == 42),
    ("l2", "0.001", lambda c: c.l2 == 0.001),
    ("epochs", "7", lambda c: c.epochs == 7),
])
def test_every_url_parameter_is_restored(param, value, check):
    at = start({param: value})
    assert check(at.session_state["config"])
    assert at.query_params[param] == [value] or at.query_params[param] == value
    assert not at.warning


def test_url_follows_widget_changes():
    at = start()
    at.selectbox(key="data").set_value("moons").run()
    at.number_input(key="n_hidden").set_value(3).run()
    assert at.query_params["data"] in ("moons", ["moons"])
    hidden = at.query_params["hidden"]
    assert (hidden[0] if isinstance(hidden, list) else hidden).count("-") == 2


def test_loss_choices_follow_the_output_activation():
    at = start({"data": "digits"})  # softmax is offered only for one-hot classes
    at.selectbox(key="out").set_value("softmax").run()
    assert at.selectbox(key="loss").options == ["quadratic", "log_likelihood"]
    assert at.session_state["net"].output_activation == "softmax"
    at.selectbox(key="loss").set_value("log_likelihood").run()
    assert at.session_state["net"].loss_name == "log_likelihood"


@pytest.mark.parametrize("key,value", [("init", "normal"), ("act", "leaky_relu"),
                                       ("data", "digits"), ("data", "sine"), ("data", "mazur")])
def test_selectboxes_rebuild_the_network(key, value):
    at = start()
    at.selectbox(key=key).set_value(value).run()
    assert not at.exception
    cfg_now = at.session_state["config"]
    assert getattr(cfg_now, key) == value
    assert at.session_state["net"].sizes == cfg_now.sizes
    click(at, "step_pass")


def test_batch_seed_l2_epochs_widgets():
    at = start()
    at.number_input(key="batch").set_value(3).run()
    assert at.session_state["stepper"].X.shape[0] == 3
    at.selectbox(key="l2").set_value(0.01).run()
    assert at.session_state["stepper"].l2 == 0.01
    at.number_input(key="seed").set_value(5).run()
    assert at.session_state["config"].seed == 5
    at.number_input(key="epochs").set_value(3).run()
    assert at.session_state["config"].epochs == 3


def test_train_draws_a_loss_curve_and_resets_the_pass():
    at = start({"epochs": "5", "hidden": "4"})
    click(at, "step_next")
    open_tab(at, "train")
    click(at, "train")
    history = at.session_state["history"]
    assert history.epochs == 5 and len(history.test_loss) == 5
    assert at.session_state["stepper"].position == 0
    scatter_titles = [f["layout"].get("title", {}).get("text", "") for f in charts(at)]
    assert any("loss" in (title or "").lower() for title in scatter_titles)


def test_gradcheck_marks_every_layer():
    at = start({"hidden": "3-2"})
    open_tab(at, "check")
    click(at, "gradcheck")
    result = at.session_state["gradcheck_result"]
    assert len(result.layers) == 3 and result.passed
    table = at.dataframe[0].value
    assert len(table) == 3


def test_equations_show_live_numbers():
    at = start({"data": "mazur", "hidden": "2", "act": "sigmoid", "out": "sigmoid",
                "loss": "quadratic", "batch": "1", "lr": "0.5"})
    click(at, "step_next")
    # the first phase computes layer 1 (input layer 0): heading and equations agree
    assert "z^{[1]}" in texts(at) and "Forward F1: layer 1" in texts(at)


def test_only_the_open_tab_runs():
    at = start({"hidden": "3"})
    keys = {b.key for b in at.button}
    assert "step_next" in keys and "train" not in keys and "gradcheck" not in keys
    open_tab(at, "train")
    keys = {b.key for b in at.button}
    assert "train" in keys and "step_next" not in keys
    open_tab(at, "check")
    assert "gradcheck" in {b.key for b in at.button}
    open_tab(at, "step")
    click(at, "step_next")
    assert at.session_state["stepper"].position == 1


def test_start_screen_shows_the_pass_at_a_glance():
    at = start({"hidden": "4-3", "act": "tanh"})
    formulas = [el.value.strip("$\n") for el in at.latex]
    assert len(formulas) == 5  # z, C_i, BP1, BP2, the update
    assert formulas[0].startswith("z^{[1]}") and "leftarrow" in formulas[-1]
    assert all("delta" in f for f in formulas[2:4])
    no_hidden = start({"hidden": "0", "data": "sine"})
    assert len(no_hidden.latex) == 4  # no BP2 without a hidden layer


def test_an_emptied_number_box_keeps_its_value_with_a_plain_note():
    # An emptied box arrives as None, like a forged out-of-range value: the note must not
    # accuse the browser, and the value must come back.
    at = start({"seed": "7"})
    at.number_input(key="seed").set_value(None).run()
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert notes == ["'seed' needs a whole number from 0 to 2147483647; "
                     "the previous value is kept."]
    assert at.number_input(key="seed").value == 7 and at.session_state["config"].seed == 7
