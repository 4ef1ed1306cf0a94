"""The parameter table (playground/params.py): every row round-trips through a link, and
every row's widget is drawn, labelled, locked and hidden as its row says.

The values tried are written here (the choices of bp_core's registries, the limits'
numbers), and the page is the real app under AppTest.
"""

from __future__ import annotations

import pytest

from bp_core import activations, losses
from playground import config as cfg
from playground import limits, params
from playground.i18n import t
from tests.apphelpers import start

N_LAYERS = limits.APP_MAX_HIDDEN_LAYERS


def texts_for(param: params.Param) -> list[str]:
    """Link texts for one setup row, each as to_query writes it."""
    lo, hi = param.bounds
    if param.kind == "whole":
        return [str(lo), str(hi), str((lo + hi) // 2)]
    if param.kind == "stops":
        return [f"{v:g}" for v in param.choices]
    if param.kind == "hidden":
        return ["0", "1", "16-8", "-".join(["3"] * N_LAYERS)]
    if param.name == "out":  # the outputs the default data set (xor) offers
        return [o for o in activations.OUTPUT_ACTIVATIONS if o != "softmax"]
    if param.name == "loss":  # the losses that pair with the default output
        return list(losses.valid_losses(cfg.DEFAULT.out))
    return list(param.choices)


ROUND_TRIPS = [(p.name, text) for p in params.SETUP for text in texts_for(p)]


@pytest.mark.parametrize("name,text", ROUND_TRIPS, ids=[f"{n}={v}" for n, v in ROUND_TRIPS])
def test_every_setup_row_round_trips_url_config_url(name, text):
    config, problems = params.parse_query({name: text})
    assert problems == []
    query = params.to_query(config)
    assert query[name] == text
    assert params.parse_query(query) == (config, [])  # the written link reads back the same


def test_softmax_and_its_loss_round_trip_with_the_digits():
    link = {"data": "digits", "hidden": "8", "out": "softmax", "loss": "log_likelihood"}
    config, problems = params.parse_query(link)
    assert problems == [] and {k: params.to_query(config)[k] for k in link} == link


def test_every_row_refuses_a_bad_value_by_name():
    bad = {"choice": "bogus", "stops": "abc", "whole": "-1", "hidden": "x"}
    for param in params.SETUP:
        _, problems = params.parse_query({param.name: bad[param.kind]})
        assert [name for name, _, _ in problems] == [param.name]
    for param in params.PAGE:
        link, problems = params.parse_link({param.name: "bogus"})
        assert [name for name, _, _ in problems] == [param.name]
        assert link.page[param.name] == param.default


def test_the_table_names_every_config_field_once():
    fields = list(cfg.Config.__dataclass_fields__)
    assert sorted(params.PARAMS) == sorted(fields)
    assert len({p.name for p in params.TABLE}) == len(params.TABLE)
    assert len({p.widget_key for p in params.TABLE}) == len(params.TABLE)


def test_the_setup_defaults_are_configs_defaults():
    for param in params.SETUP:
        assert param.default == getattr(cfg.DEFAULT, param.name)
    assert params.to_query(cfg.DEFAULT) == {p.name: params.write_value(p, p.default)
                                             for p in params.SETUP}


def test_a_link_writes_the_page_values_only_when_not_their_defaults():
    page = {"lang": "en", "mode": "play", "preset": ""}
    assert params.link_query(cfg.DEFAULT, page, {}) == params.to_query(cfg.DEFAULT)
    # slowdown owns no setting, so the default setup is a valid setup within it.
    page = {"lang": "zh", "mode": "bughunt", "preset": "slowdown"}
    query = params.link_query(cfg.DEFAULT, page, {"lock": "lr", "hide": "train", "x": "1"})
    assert {k: query[k] for k in ("lang", "mode", "preset", "lock", "hide")} == {
        "lang": "zh", "mode": "bughunt", "preset": "slowdown", "lock": "lr", "hide": "train"}
    assert "x" not in query  # only the table's parameters are written
    link, problems = params.parse_link(query)
    assert problems == [] and link.page == page and (link.lock, link.hide) == (["lr"],
                                                                                ["train"])


# --- the widgets on the page --------------------------------------------------------

SIX_LAYERS = {"hidden": "-".join(["3"] * N_LAYERS)}


def drawn_widgets(at) -> dict[str, object]:
    return {w.key: w for kind in ("selectbox", "number_input", "radio")
            for w in getattr(at.sidebar, kind)}


def widget_keys(param: params.Param) -> list[str]:
    if param.kind == "hidden":
        return ["n_hidden", *(f"hidden_{i}" for i in range(N_LAYERS))]
    return [] if param.kind == "names" else [param.widget_key]


def test_every_widget_key_in_the_table_is_drawn_with_its_label():
    at = start(SIX_LAYERS)
    drawn = drawn_widgets(at)
    table_keys = {k for p in params.TABLE for k in widget_keys(p)}
    assert set(drawn) == table_keys
    assert set(params.widget_rules()) == table_keys  # and each is re-checked by the server
    for param in params.PAGE + params.SETUP:
        assert drawn[widget_keys(param)[0]].label == t(param.label_key), param.name
        if param.help:
            assert drawn[widget_keys(param)[0]].help == t(param.help), param.name


def test_the_widgets_show_the_links_values():
    link = {"data": "circle", "hidden": "3-5", "act": "relu", "out": "linear",
            "loss": "quadratic", "init": "he", "lr": "0.05", "l2": "0.001", "batch": "16",
            "seed": "42", "epochs": "7"}
    at = start(link)
    config = at.session_state["config"]
    assert params.to_query(config) == link
    drawn = drawn_widgets(at)
    for key, value in params.widget_values(config).items():
        assert drawn[key].value == value, key
    assert dict(at.query_params) == link
    at.selectbox(key="act").set_value("sigmoid").run()  # and the link follows the widget
    assert dict(at.query_params) == {**link, "act": "sigmoid"}


def test_every_lockable_row_is_locked_and_hidden_by_its_name():
    lockable = [p for p in params.PAGE + params.SETUP if p.lockable]
    assert sorted(p.name for p in lockable) == sorted(
        n for n in params.CONTROLS if n not in ("train", "gradcheck", "upload"))
    names = ",".join(p.name for p in lockable)
    at = start({**SIX_LAYERS, "lock": names})
    drawn = drawn_widgets(at)
    for param in lockable:
        assert all(drawn[k].disabled for k in widget_keys(param)), param.name
    assert not drawn["lang"].disabled  # the language is never locked
    at = start({**SIX_LAYERS, "hide": names})
    assert set(drawn_widgets(at)) == {"lang"}
    assert not at.warning


@pytest.mark.parametrize("param,good,bad,why", [
    (params.Param("momentum", "stops", [0.0, 0.5, 0.9], (0.0, 1.0)), "0.5", "1.5", "number"),
    (params.Param("steps", "whole", bounds=(1, 9)), "9", "10", "whole"),
    (params.Param("colour", "choice", ["red", "blue"]), "blue", "green", "one_of"),
    (params.Param("layers", "hidden", bounds=(1, 8)), "3-2", "3,2", "hidden_format"),
])
def test_a_new_row_parses_and_writes_by_its_kind_alone(param, good, bad, why):
    # What a row added to the table gets without another line of code: its link text
    # read and written back, and a bad one refused with the reason its kind gives.
    value, problem = params.parse_value(param, good)
    assert problem is None and params.write_value(param, value) == good
    value, problem = params.parse_value(param, bad)
    assert value is None and problem[0] == why
