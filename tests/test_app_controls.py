"""Classroom links: a locked control says why, and a hidden one leaves no instruction.

?lock=NAME greys a control out; its help then leads with "locked by the link", in
both languages, and the sidebar says which are locked.  ?hide=NAME removes it; then no
text on the page may tell the learner to use it ("press Train" with no Train button).
Locked controls cannot be used either, so the same texts go for them too.
"""

from __future__ import annotations

import pytest

from playground import params
from playground.i18n import t
from playground.presets import PRESETS
from tests.apphelpers import click, open_tab, start, texts

N_LAYERS = 2


# Every instruction that names a control, and where it shows: control -> [(link, tab,
# key)].  A control with no entry is named by no instruction (the list must cover
# params.CONTROLS, so a new control or a new instruction has to be thought about here).
INSTRUCTIONS: dict[str, list[tuple[dict, str, str]]] = {
    "train": [({}, "train", "train_intro"), ({}, "train", "train_nothing_yet")] + [
        ({"preset": name}, "step", key) for name, preset in PRESETS.items()
        for key, needs in preset.tries if "train" in needs],
    "seed": [({"preset": "xor"}, "step", "preset_xor_try_seed")],
    "lr": [({"preset": "dead_relu"}, "step", "preset_dead_relu_try_lr")],
    "act": [({"preset": "dead_relu"}, "step", "preset_dead_relu_try_act")],
    "gradcheck": [({}, "check", "gradcheck_nothing_yet")],
    # preset_left_back and try_smaller_lr need a click first: tested on their own below.
    **{name: [] for name in ("data", "hidden", "out", "loss", "init", "batch", "l2",
                             "epochs", "upload", "mode", "preset")},
}
CASES = [(name, *case) for name, cases in INSTRUCTIONS.items() for case in cases]


def test_every_control_is_considered():
    assert set(INSTRUCTIONS) == set(params.CONTROLS)
    every_try = {key for preset in PRESETS.values() for key, _ in preset.tries}
    listed = {key for _, _, _, key in CASES}
    assert every_try <= listed  # each scenario instruction is checked below


def marker(key: str) -> str:
    """The text of an instruction up to its first placeholder (the part always shown)."""
    return t(key).split("{")[0]


def page_text(query: dict, tab: str) -> str:
    at = start(query)
    if tab != "step":
        open_tab(at, tab)
    return texts(at)


@pytest.mark.parametrize("name,query,tab,key", CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_an_instruction_shows_only_while_its_control_can_be_used(name, query, tab, key):
    assert marker(key) in page_text(query, tab)  # shown while the control is there
    for how in ("hide", "lock"):
        assert marker(key) not in page_text({**query, how: name}, tab), (how, name)


@pytest.mark.parametrize("how", ["hide", "lock"])
def test_without_train_the_train_tab_says_so_instead(how):
    page = page_text({how: "train"}, "train")
    assert t("train_intro_unavailable") in page and t("train_nothing_yet_unavailable") in page


@pytest.mark.parametrize("how", ["hide", "lock"])
def test_leaving_a_scenario_offers_the_way_back_only_if_the_box_can_be_used(how):
    at = start({"preset": "xor"})
    at.selectbox(key="data").set_value("circle").run()  # xor owns its data: it leaves
    assert t("preset_left_back") in texts(at)
    at = start({"preset": "xor", how: "preset"})
    at.selectbox(key="data").set_value("circle").run()
    assert t("preset_left", title=t("preset_xor_title"), names="data") in texts(at)
    assert t("preset_left_back") not in texts(at)


@pytest.mark.parametrize("how", ["hide", "lock"])
def test_after_a_divergence_no_advice_names_a_learning_rate_it_cannot_change(how):
    query = {"preset": "diverge", "lr": "100", "epochs": "30"}
    for extra, advised in (({}, True), ({how: "lr"}, False)):
        at = start({**query, **extra})
        open_tab(at, "train")
        click(at, "train")
        errors = " ".join(e.value for e in at.error)
        assert "diverged" in errors
        assert (t("try_smaller_lr") in errors) == advised


# --- locks say why -------------------------------------------------------------------
LOCKABLE = [p for p in params.PAGE + params.SETUP if p.lockable]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_locked_control_says_it_was_locked_by_the_link(lang):
    names = ",".join([p.name for p in LOCKABLE] + ["train", "gradcheck", "upload"])
    at = start({"lang": lang, "hidden": "3-3", "lock": names})
    locked = t("locked_by_link", lang=lang)
    widgets = {w.key: w for kind in ("selectbox", "number_input", "radio")
               for w in getattr(at.sidebar, kind)}
    keys = ["mode", "preset_choice", "n_hidden", "hidden_0", "hidden_1",
            *(p.widget_key for p in params.SETUP if p.kind != "hidden")]
    for key in keys:
        assert widgets[key].disabled and widgets[key].help.startswith(locked), key
    assert not widgets["lang"].disabled  # never locked
    listed = ", ".join(params.CONTROLS)  # every control is locked, named in the table's order
    assert t("locked_caption", lang=lang, names=listed) in texts(at)
    open_tab(at, "train", lang)
    assert at.button(key="train").disabled and at.button(key="train").help == locked
    open_tab(at, "check", lang)
    assert at.button(key="gradcheck").disabled
    assert at.button(key="gradcheck").help == locked


def test_an_unlocked_control_keeps_its_own_help():
    at = start({"lock": "seed"})
    assert at.selectbox(key="lr").help == t("lr_help")
    assert at.number_input(key="seed").help == t("locked_by_link")
