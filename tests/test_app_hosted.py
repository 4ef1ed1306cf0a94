"""The hosted demo: hostile URLs, oversized networks, divergence, uploads, isolation."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground import config as cfg
from playground import limits, params
from playground.save_view import parse_upload
from playground.text import as_text
from tests.apphelpers import click, heatmaps, open_tab, start, texts

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "-1", "0",
                     "1e309", "nan", "inf", "-inf", "1e-400", "99999999999999999999", "٣",
                     "16-8-<b>", "--", "1--2", "0x10", " 3 ", "[1,2]", "{}", "None", "3.5",
                     "**bold**", "[link](http://example.com)", "$x$", "100000-100000"]),
    st.integers(-10**12, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=st.dictionaries(st.sampled_from(params.PARAMS + ["lang", "preset", "mode", "lock",
                                                            "hide"]),
                              HOSTILE, min_size=1, max_size=4))
def test_fuzzed_url_never_crashes_and_stays_within_limits(query):
    at = start(query)  # start() asserts that no exception reached the page
    config = at.session_state["config"]
    assert cfg.check_hidden(config.hidden, config.data) is None
    assert limits.APP_MIN_LR <= config.lr <= limits.APP_MAX_LR
    assert 1 <= config.batch <= limits.APP_MAX_BATCH
    assert 0 <= config.l2 <= limits.APP_MAX_L2
    warned = " ".join(w.value for w in at.warning)
    for value in query.values():
        if "<" in value or "](" in value:
            assert value not in texts(at), "user text must not be echoed as markup"
    _, problems = params.parse_link(query)  # the page parameters too
    for name, _why, _values in problems:
        assert f"'{name}'" in warned, f"no warning names the parameter {name}"


@pytest.mark.parametrize("query,param", [
    ({"data": "digits", "hidden": "64-64-64-64-64-64"}, "hidden"),
    ({"hidden": "100000-100000"}, "hidden"),
    ({"hidden": "65"}, "hidden"),
    ({"hidden": "8-8-8-8-8-8-8"}, "hidden"),
    ({"batch": "100000"}, "batch"),
    ({"epochs": "100000"}, "epochs"),
    ({"lr": "1e9"}, "lr"),
    ({"seed": "-3"}, "seed"),
    ({"data": "<script>alert(1)</script>"}, "data"),
    ({"act": "softmax"}, "act"),
    ({"lang": "xx"}, "lang"),
    ({"preset": "nope"}, "preset"),
])
def test_bad_values_fall_back_with_a_warning_that_names_the_parameter(query, param):
    at = start(query)
    assert any(f"'{param}'" in w.value for w in at.warning)
    config = at.session_state["config"]
    assert getattr(config, param, None) != query[param]
    assert cfg.check_hidden(config.hidden, config.data) is None
    net = at.session_state["net"]
    assert limits.n_params(net.sizes) <= limits.APP_MAX_PARAMS


def test_oversized_network_is_refused_before_allocation():
    # The parser refuses long sizes by their digits, before any int is built or any array:
    # well-formed, so the warning is the limit on neurons, not the format.
    config, problems = params.parse_query({"hidden": "9" * 60})
    assert problems[0][:2] == ("hidden", "hidden_neurons") and config.hidden == cfg.DEFAULT.hidden
    assert cfg.check_hidden((64,) * 6, "digits") is not None


def test_stepping_into_divergence_shows_an_error_and_keeps_finite_weights():
    at = start({"data": "sine", "hidden": "16", "act": "relu", "out": "linear",
                "loss": "quadratic", "init": "normal", "lr": "100", "batch": "16"})
    for _ in range(200):  # the loss grows ~1e4× per pass at η = 100 until it overflows
        click(at, "step_pass")
        if at.error:
            break
    assert at.error and "NaN" in at.error[0].value
    net = at.session_state["net"]
    assert net.params_finite()
    for z in heatmaps(at).values():
        values = np.asarray(z, dtype=object).ravel()
        assert all(v is None or np.isfinite(float(v)) for v in values)


def test_training_divergence_shows_an_error_and_keeps_finite_weights():
    at = start({"preset": "diverge", "lr": "100", "epochs": "30"})
    open_tab(at, "train")
    click(at, "train")
    assert any("diverged" in e.value for e in at.error)
    assert at.session_state["net"].params_finite()


def test_train_click_is_capped():
    assert limits.APP_MAX_EPOCHS <= 300 and max(limits.APP_WORK_SECONDS.values()) <= 30
    at = start({"epochs": str(limits.APP_MAX_EPOCHS + 1)})
    assert at.session_state["config"].epochs == cfg.DEFAULT.epochs


# --- uploads -------------------------------------------------------------------
def good_json(sizes=(2, 4, 2, 1)):
    from bp_core import Network
    return Network(list(sizes), activation="tanh", output_activation="sigmoid",
                   loss="cross_entropy").to_json().encode()


def test_a_saved_network_uploads_back():
    net, new = parse_upload(good_json(), cfg.DEFAULT)
    assert net.sizes == [2, 4, 2, 1] and new.hidden == (4, 2) and new.act == "tanh"


@pytest.mark.parametrize("data", [
    b"\x80\x03cos\nsystem\nq\x00.",                       # a pickle
    b"not json", b"[]", b"{}", b"null", b'{"format": NaN}',
    b"{" * 100_000,                                       # deep nesting
    b" " * (limits.APP_UPLOAD_BYTES + 1),                 # over the size limit
    b'"' + b"a" * 2_000_000 + b'"',
    json.dumps({"evil": "<script>alert(1)</script>"}).encode(),
])
def test_hostile_uploads_are_refused_with_value_error(data):
    with pytest.raises(ValueError):
        parse_upload(data, cfg.DEFAULT)


def test_uploads_of_the_wrong_shape_or_too_large_are_refused():
    with pytest.raises(ValueError, match="do not fit"):
        parse_upload(good_json((3, 4, 1)), cfg.DEFAULT)
    with pytest.raises(ValueError, match="limits"):
        parse_upload(good_json((2, 200, 1)), cfg.DEFAULT)


def test_user_text_is_escaped_before_it_is_shown():
    shown = as_text("<img src=x onerror=alert(1)> [click](http://evil)")
    # Every markup character is backslash-escaped, so markdown shows it literally.
    assert "\\<img" in shown and "\\]\\(" in shown
    assert shown.count("<") == shown.count("\\<")
    assert len(as_text("x" * 10_000)) < 300


# --- isolation -----------------------------------------------------------------
def test_two_sessions_do_not_see_each_others_changes():
    a, b = start({"seed": "1"}), start({"seed": "1"})
    b_weights = [w.copy() for w in b.session_state["net"].weights]
    click(a, "step_pass")
    a.number_input(key="seed").set_value(2).run()
    b.run()
    assert a.session_state["config"].seed == 2 and b.session_state["config"].seed == 1
    assert b.session_state["stepper"].position == 0
    for w0, w1 in zip(b_weights, b.session_state["net"].weights):
        np.testing.assert_array_equal(w0, w1)
    assert a.session_state["net"] is not b.session_state["net"]


def test_no_user_state_in_module_globals_or_cache_resource():
    sources = [ROOT / "app.py", *sorted((ROOT / "playground").glob("*.py"))]
    for path in sources:
        text = path.read_text()
        assert "cache_resource" not in text, path
        tree = ast.parse(text)
        for node in tree.body:  # module level: no mutable containers filled at run time
            if isinstance(node, ast.Global) or any(isinstance(n, ast.Global)
                                                   for n in ast.walk(node)):
                raise AssertionError(f"{path.name} uses `global`")


def test_hosted_streamlit_config():
    import tomllib
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert conf["client"]["showErrorDetails"] in ("none", False)
    assert conf["client"]["toolbarMode"] == "viewer"
    assert conf["server"]["enableXsrfProtection"] is True
    assert conf["server"]["maxUploadSize"] <= 1
    # a full gc.collect() after every run was half the server's CPU per click
    assert conf["runner"]["postScriptGC"] is False
    from streamlit import config as st_config  # the option exists in this Streamlit

    assert "runner.postScriptGC" in st_config._config_options_template


def test_error_boundary_shows_a_friendly_message_without_paths(monkeypatch):
    from streamlit.testing.v1 import AppTest

    import playground.app_main

    def boom():
        raise RuntimeError("/srv/secret/path/app.py exploded")

    monkeypatch.delenv("BP_PLAYGROUND_DEBUG")  # as hosted: the boundary is on
    monkeypatch.setattr(playground.app_main, "step_view", boom)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Something went wrong" in e.value for e in at.error)
    assert "/srv/secret" not in texts(at)
