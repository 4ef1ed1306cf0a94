"""Workshop mode through AppTest: presets, predict-then-reveal, languages, locks."""

from __future__ import annotations

import numpy as np
import pytest

from playground.i18n import t
from playground.presets import PRESETS
from tests.apphelpers import click, open_tab, start, texts


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_sets_up_its_scenario(name):
    at = start({"preset": name})
    preset = PRESETS[name]
    config = at.session_state["config"]
    assert config == preset.config
    assert at.session_state["net"].sizes == preset.config.sizes
    page = texts(at)
    assert "Scenario" in page
    assert at.query_params["preset"] in (name, [name])
    click(at, "step_pass")  # a whole pass works in every scenario


def test_mazur_scenario_shows_the_posts_numbers():
    at = start({"preset": "mazur"})
    net = at.session_state["net"]
    np.testing.assert_array_equal(net.weights[0], [[0.15, 0.20], [0.25, 0.30]])
    np.testing.assert_array_equal(net.biases[1], [0.60, 0.60])
    assert at.session_state["stepper"].update_biases is False
    for _ in range(3):
        click(at, "step_next")  # F0 F1 Loss
    assert "0.298371109" in " ".join(el.value for el in at.latex)
    click(at, "step_pass")
    table = at.table[0].value
    values = dict(zip(table.iloc[:, 0], table.iloc[:, 1]))
    assert values["E_total"] == "0.298371109"
    assert values["w5"] == "0.35891648"
    assert values["w1"] == "0.149780716"
    assert values["b1"] == "0.35"  # the post leaves the biases alone
    # The update's equation, filled in for W[1][0,0] (the post's w5), shows it too.
    assert "0.35891648" in " ".join(el.value for el in at.latex)


def test_mazur_bias_switch_updates_the_biases():
    at = start({"preset": "mazur"})
    at.toggle(key="update_biases").set_value(True).run()
    click(at, "step_pass")
    assert at.session_state["net"].biases[0][0] != 0.35
    np.testing.assert_allclose(at.session_state["net"].weights[1][0, 0], 0.35891648, atol=5e-9)


def test_preset_chosen_in_the_sidebar():
    at = start()
    at.selectbox(key="preset_choice").set_value("vanishing").run()
    assert at.session_state["config"] == PRESETS["vanishing"].config
    assert at.query_params["preset"] in ("vanishing", ["vanishing"])


def test_slowdown_shows_both_costs():
    at = start({"preset": "slowdown"})
    names = [trace.get("name") for fig in
             [__import__("json").loads(el.proto.spec) for el in at.get("plotly_chart")]
             for trace in fig.get("data", [])]
    assert "quadratic cost" in names and "cross-entropy" in names


def test_predict_then_reveal_keeps_score():
    at = start({"mode": "workshop", "data": "digits", "hidden": "8", "out": "softmax",
                "loss": "log_likelihood", "batch": "4"})
    for _ in range(3):
        click(at, "step_next")  # F0 F1 Loss
    click(at, "step_next")      # B1: the panels wait for a prediction
    record = at.session_state["stepper"].last
    assert record.kind == "backward"
    assert "Predict first" in texts(at)
    right = str(int(np.abs(record.arrays["delta"][0]).argmax()))
    at.radio(key="predict_answer").set_value(right).run()
    click(at, "predict_reveal")
    assert at.session_state["score"] == {"right": 1, "asked": 1}
    assert "Right!" in texts(at)
    click(at, "step_next")      # B0: a sign question
    assert "what sign" in texts(at)
    at.radio(key="predict_answer").set_value("0").run()
    click(at, "predict_reveal")
    assert at.session_state["score"]["asked"] == 2


def test_chinese_interface():
    at = start({"lang": "zh"})
    assert at.session_state["lang"] == "zh"
    assert "反向传播" in texts(at)
    click(at, "step_next")
    click(at, "step_next")
    at.selectbox(key="lang").set_value("en").run()
    assert "Backprop Playground" in texts(at)


def test_language_switch_on_another_tab():
    at = start({"hidden": "3"})
    open_tab(at, "train")
    at.selectbox(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.session_state["tab"] == t("tab_train", lang="zh")  # still on Train
    click(at, "train")
    assert at.session_state["history"].epochs > 0


def test_language_switch_keeps_the_network():
    at = start()
    net = at.session_state["net"]
    at.selectbox(key="lang").set_value("zh").run()
    assert at.session_state["net"] is net
    assert at.query_params["lang"] in ("zh", ["zh"])


def test_locks_disable_controls_and_hide_removes_them():
    at = start({"lock": "hidden,lr", "hide": "seed,train"})
    assert at.number_input(key="n_hidden").disabled
    assert at.selectbox(key="lr").disabled
    assert not at.selectbox(key="act").disabled
    assert not [w for w in at.number_input if w.key == "seed"]
    open_tab(at, "train")
    # The Train tab is open, without its button, and says so instead of "press Train"
    # (the old intro described the button; tests/test_app_controls.py checks every text).
    assert t("train_intro_unavailable") in texts(at)
    assert not [b for b in at.button if b.key == "train"]
    open_tab(at, "step")
    click(at, "step_next")  # learners can still step
    assert at.query_params["lock"] in ("hidden,lr", ["hidden,lr"])


# --- the bug hunt ---------------------------------------------------------------
SIGMOID_NET = {"mode": "bughunt", "hidden": "3", "act": "sigmoid", "out": "sigmoid",
               "loss": "quadratic", "batch": "8"}


def run_bug(defect, query=SIGMOID_NET):
    at = start(query)
    assert "def backprop(self, x, y):" in at.code[0].value
    at.radio(key="bug_defect").set_value(defect).run()
    click(at, "bug_run")
    return at


@pytest.mark.parametrize("defect,error", [("xrange", "NameError"),
                                          ("weight_attr", "AttributeError"),
                                          ("zs_slice", "TypeError")])
def test_bug_hunt_crashing_defects_show_the_real_python_error(defect, error):
    at = run_bug(defect)
    assert error in at.error[0].value
    traceback = at.code[1].value
    assert traceback.strip().splitlines()[-1].startswith(error)
    result = at.session_state["bug_symptoms"][defect]
    assert result["error"]["type"] == error and result["check"] is None


def test_bug_hunt_exp_sign_fails_the_gradient_check_and_training():
    at = run_bug("exp_sign")
    result = at.session_state["bug_symptoms"]["exp_sign"]
    assert result["error"] is None and not result["check"].passed
    assert "FAIL" in texts(at)
    # The fixed engine lowers the true loss; the buggy one does worse.
    assert result["correct"][-1] < result["loss_before"]
    assert result["buggy"][-1] > result["correct"][-1]


def test_bug_hunt_guess_then_reveal():
    at = run_bug("xrange")
    assert not [c for c in at.code if c.language == "diff"]  # the fix is not shown yet
    at.selectbox(key="bug_guess").set_value("for l in xrange(2, self.num_layers):").run()
    click(at, "bug_reveal")
    assert at.session_state["bug_revealed"]["xrange"]["right"]
    diff = [c.value for c in at.code if c.language == "diff"][0]
    assert "+ for l in range(2, self.num_layers):" in diff
    assert "Bugs found: 1 of 4" in texts(at)


def test_bug_hunt_runs_on_a_sigmoid_copy_of_other_networks():
    at = run_bug("exp_sign", {"mode": "bughunt", "hidden": "4", "act": "relu"})
    assert "sigmoid/quadratic copy" in texts(at)
    assert not at.session_state["bug_symptoms"]["exp_sign"]["check"].passed


# --- exercises ------------------------------------------------------------------
def test_exercises_page_runs_the_learner_stub_locally():
    at = start({"mode": "exercises"})
    click(at, "exercise_run")
    assert "Not implemented yet" in texts(at)


def test_exercises_page_compares_a_solution(monkeypatch):
    from pathlib import Path
    monkeypatch.setenv("BP_EXERCISES_DIR",
                       str(Path(__file__).parent / "exercise_solutions"))
    at = start({"mode": "exercises", "hidden": "3", "act": "sigmoid", "out": "sigmoid",
                "loss": "quadratic"})
    for name in ["ex1_forward", "ex2_output_delta", "ex3_backward", "ex4_sgd_step"]:
        at.selectbox(key="exercise").set_value(name).run()
        click(at, "exercise_run")
        assert any("matches bp_core" in s.value for s in at.success), name


def test_exercises_page_never_runs_code_when_hosted(monkeypatch, tmp_path):
    marker = tmp_path / "ran"
    (tmp_path / "ex1_forward.py").write_text(
        f"open({str(marker)!r}, 'w').write('x')\ndef forward(*a):\n    return [], []\n")
    monkeypatch.setenv("BP_EXERCISES_DIR", str(tmp_path))
    monkeypatch.setenv("BP_PLAYGROUND_HOSTED", "1")
    at = start({"mode": "exercises"})
    assert "hosted demo" in texts(at)
    assert not [b for b in at.button if b.key == "exercise_run"]
    assert not marker.exists()


def test_exercises_page_stops_an_endless_loop_at_the_budget(monkeypatch, tmp_path):
    import time

    from playground import limits
    (tmp_path / "ex1_forward.py").write_text("def forward(*a):\n    while True:\n        pass\n")
    monkeypatch.setenv("BP_EXERCISES_DIR", str(tmp_path))
    monkeypatch.setitem(limits.APP_WORK_SECONDS, "exercise", 1.0)
    at = start({"mode": "exercises"})
    started = time.perf_counter()
    click(at, "exercise_run")
    assert time.perf_counter() - started < 6  # a 1 s budget, and a child to start
    assert any("was stopped after" in e.value for e in at.error), texts(at)
