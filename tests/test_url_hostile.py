"""Hostile and odd links: what playground/config.py accepts, refuses and warns about.

Most tests call the parser directly (no Streamlit); the last ones open the app with
such a link and look for the warning on the page.  Expected values are worked out
here by hand or from the data sets themselves, not read back from config.py.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bp_core import activations, datasets, losses
from playground import config as cfg
from playground import params
from playground.i18n import t
from tests.apphelpers import start

ASCII_DIGITS = set("0123456789")


def refused(query: dict[str, str]) -> list[tuple[str, str]]:
    """(parameter, why) of every problem the link gives."""
    return [(name, why) for name, why, _ in params.parse_query(query)[1]]


# --- 1. numbers are ASCII digits only ---------------------------------------------


def test_python_itself_accepts_the_texts_a_link_must_not():
    # Why the parser cannot lean on int() and float(): these all pass them.
    assert int("1_0") == 10 and float("1_0") == 10.0
    assert int("٣") == 3 and float("١") == 1.0 and int("１２") == 12
    assert "١٢".isdigit() and "３".isdigit()


@pytest.mark.parametrize(
    "param,text,why",
    [
        ("lr", "1_0", "number"),
        ("lr", "0.0_1", "number"),
        ("lr", "١", "number"),  # Arabic-Indic one
        ("lr", "０.５", "number"),  # full-width 0.5
        ("lr", "inf", "number"),
        ("lr", "nan", "number"),
        ("lr", "+0.5", "number"),
        ("lr", "0x10", "number"),
        ("lr", "1e9999", "number"),  # more than 3 exponent digits
        ("lr", "1e999", "number"),  # well-formed, but float gives inf
        ("l2", "1_0e-3", "number"),
        ("l2", "٠.١", "number"),
        ("batch", "1_6", "whole"),
        ("batch", "١٦", "whole"),
        ("seed", "٣", "whole"),
        ("seed", "１２", "whole"),
        ("epochs", "1_0", "whole"),
        ("hidden", "١٢", "hidden_format"),
        ("hidden", "1_6", "hidden_format"),
        ("hidden", "１６-８", "hidden_format"),
    ],
)
def test_numbers_that_are_not_ascii_digits_are_refused(param, text, why):
    config, problems = params.parse_query({param: text})
    assert [(name, w) for name, w, _ in problems] == [(param, why)]
    assert getattr(config, param) == getattr(cfg.DEFAULT, param)


@pytest.mark.parametrize("text", ["0.5", "5e-1", "5E-1", ".5", "5.e-1", "0.50", "50e-2", " 0.5 "])
def test_ascii_spellings_of_a_number_are_accepted(text):
    config, problems = params.parse_query({"lr": text})
    assert problems == [] and config.lr == 0.5


def test_whole_numbers_may_have_leading_zeros_but_not_more_than_12_digits():
    assert params.parse_query({"seed": "007"})[0].seed == 7
    assert refused({"seed": "0" * 13}) == [("seed", "whole")]


@given(st.text(max_size=20))
def test_an_accepted_whole_number_was_written_in_ascii_digits(text):
    config, problems = params.parse_query({"seed": text})
    if not problems:
        assert set(text.strip()) <= ASCII_DIGITS and config.seed == int(text)


@given(st.text(alphabet=st.sampled_from("0123456789.eE+-_١３ x"), max_size=12))
def test_an_accepted_float_was_written_in_ascii(text):
    config, problems = params.parse_query({"lr": text})
    if not any(name == "lr" and why == "number" for name, why, _ in problems):
        assert set(text.strip()) <= ASCII_DIGITS | set(".eE+-")


# --- 2. a value between slider stops is moved to one, with a warning ---------------


@pytest.mark.parametrize(
    "text,stop",
    [
        ("0.7", "0.5"),  # ln(0.7/0.5) = 0.336 < ln(1/0.7) = 0.357
        ("7", "5"),  # the same, a decade up
        ("0.04", "0.05"),  # ln(0.04/0.03) = 0.288 > ln(0.05/0.04) = 0.223
        ("0.00015", "0.0002"),  # ln 1.5 = 0.405 > ln(4/3) = 0.288
    ],
)
def test_lr_between_stops_snaps_to_the_log_nearest_with_a_warning(text, stop):
    config, problems = params.parse_query({"lr": text})
    assert config.lr == float(stop)
    [(name, why, values)] = problems
    assert (name, why, values["value"]) == ("lr", "snapped", stop)
    assert values["stops"].startswith("0.0001, 0.0002, 0.0003, 0.0005, 0.001,")
    assert values["stops"].endswith("50, 100")


def test_l2_far_below_the_smallest_stop_is_not_silently_made_positive():
    config, problems = params.parse_query({"l2": "1e-300"})
    assert config.l2 == 1e-5
    assert problems == [
        ("l2", "snapped", {"value": "1e-05", "stops": "0, 1e-05, 0.0001, 0.001, 0.01, 0.1, 1"})
    ]


@pytest.mark.parametrize(
    "text,stop",
    [
        ("2e-5", "1e-05"),  # ln 2 < ln 5
        ("4e-5", "0.0001"),  # ln 4 > ln 2.5
        ("3e-4", "0.0001"),  # ln 3 = 1.099 < ln(10/3) = 1.204
        ("0.4", "1"),  # ln 4 > ln 2.5
        ("5e-324", "1e-05"),  # the smallest float above 0
    ],
)
def test_l2_between_stops_snaps_with_a_warning(text, stop):
    config, problems = params.parse_query({"l2": text})
    assert config.l2 == float(stop)
    assert [(n, w, v["value"]) for n, w, v in problems] == [("l2", "snapped", stop)]


@pytest.mark.parametrize("text", ["0.3", "3e-1", "0.30000000001", "100", "0.0001"])
def test_a_stop_is_kept_without_a_warning(text):
    config, problems = params.parse_query({"lr": text})
    assert problems == [] and config.lr == pytest.approx(float(text), rel=1e-9)


def test_every_stop_written_as_a_link_writes_it_gives_no_warning():
    for name, stops in (("lr", cfg.LEARNING_RATES), ("l2", cfg.L2_CHOICES)):
        for stop in stops:
            config, problems = params.parse_query({name: f"{stop:g}"})  # as Config.to_query
            assert problems == [] and getattr(config, name) == stop, (name, stop)


def test_no_l2_stays_zero_without_a_warning():
    assert params.parse_query({"l2": "0"}) == (cfg.DEFAULT, [])


def test_the_warning_shows_the_stop_not_the_links_text():
    _, problems = params.parse_query({"lr": "0.7000001", "l2": "2.5e-05"})
    for problem in problems:
        text = cfg.warning_text(problem, t)
        assert "0.7000001" not in text and "2.5e-05" not in text
    assert "0.5" in cfg.warning_text(problems[0], t)


def test_a_presets_values_are_snapped_silently():
    base = cfg.Config(lr=0.7, l2=2e-5)  # as a preset could be written
    config, problems = params.parse_query({}, base)
    assert (config.lr, config.l2, problems) == (0.5, 1e-5, [])


# --- 3. hidden: which limit was hit --------------------------------------------------


@pytest.mark.parametrize(
    "text,why",
    [
        ("8-8-8-8-8-8-8", "hidden_layers"),
        ("1-1-1-1-1-1-1-1-1-1", "hidden_layers"),
        ("8-0", "hidden_neurons"),
        ("65", "hidden_neurons"),
        ("9999", "hidden_neurons"),
        ("00065", "hidden_neurons"),  # five digits: refused by length
        ("1" + "0" * 50, "hidden_neurons"),
        ("8--8", "hidden_format"),
        ("-8", "hidden_format"),
        ("8-", "hidden_format"),
        ("8,8", "hidden_format"),
        ("16-8-<b>", "hidden_format"),
        ("8-" * 40 + "8", "too_long"),
    ],
)
def test_hidden_says_which_limit_was_hit(text, why):
    config, problems = params.parse_query({"hidden": text})
    assert [(name, w) for name, w, _ in problems] == [("hidden", why)]
    assert config.hidden == cfg.DEFAULT.hidden


def test_hidden_messages_name_the_limits():
    ((_, _, layers),) = params.parse_query({"hidden": "8-8-8-8-8-8-8"})[1]
    ((_, _, neurons),) = params.parse_query({"hidden": "65"})[1]
    assert t("why_hidden_layers", **layers) == "at most 6 hidden layers"
    assert t("why_hidden_neurons", **neurons) == "1 to 64 neurons per hidden layer"


@pytest.mark.parametrize(
    "text,hidden",
    [
        ("0", ()),
        ("", ()),
        ("none", ()),
        ("64", (64,)),
        ("0016-1", (16, 1)),
        ("1-1-1-1-1-1", (1,) * 6),
    ],
)
def test_hidden_within_the_limits_is_kept(text, hidden):
    assert params.parse_query({"hidden": text}) == (replace(cfg.DEFAULT, hidden=hidden), [])


# --- 4. lock and hide with unknown names ---------------------------------------------


def test_known_names_apply_and_the_unknown_are_counted():
    names, problems = params.parse_names("foo,hidden,bar,foo, lr", "lock")
    assert names == ["hidden", "lr"]
    assert problems == [("lock", "unknown_names", {"n": 2, "choices": ", ".join(params.CONTROLS)})]


def test_only_unknown_names_mean_the_default():
    assert params.parse_names("foo", "hide") == (
        [],
        [("hide", "one_of", {"choices": ", ".join(params.CONTROLS)})],
    )
    assert params.parse_names("hidden,lr", "hide") == (["hidden", "lr"], [])
    assert params.parse_names("", "hide") == ([], [])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_unknown_names_warning_does_not_echo_them(lang):
    [problem] = params.parse_names("<b>x</b>,[a](http://e),hidden", "lock")[1]
    text = cfg.warning_text(problem, lambda key, **v: t(key, lang=lang, **v))
    assert "<b>" not in text and "http://e" not in text
    assert "lock" in text and "2" in text and "gradcheck" in text  # the count, the names
    if lang == "en":
        assert "ignored" in text and "default" not in text


# --- 5. softmax only for one-hot classes ---------------------------------------------


def one_hot_rows(Y: np.ndarray) -> bool:
    """Targets that are classes: two or more columns, each row a single 1."""
    return Y.shape[1] >= 2 and bool(np.all((Y == 0) | (Y == 1)) and np.all(Y.sum(axis=1) == 1))


@pytest.mark.parametrize("name", cfg.DATASETS)
def test_the_tables_match_the_data_sets(name):
    data = datasets.load(name)
    assert (cfg.input_size(name), cfg.output_size(name)) == (data.X.shape[1], data.Y.shape[1])
    assert cfg.task(name) == data.task


@pytest.mark.parametrize("name", cfg.DATASETS)
def test_softmax_is_offered_exactly_where_the_targets_are_one_hot(name):
    offered = cfg.output_activations(name)
    assert ("softmax" in offered) == one_hot_rows(datasets.load(name).Y)
    assert set(offered) | {"softmax"} == set(activations.OUTPUT_ACTIVATIONS)


def test_softmax_only_for_the_digits():
    assert [name for name in cfg.DATASETS if "softmax" in cfg.output_activations(name)] == [
        "digits"
    ]
    assert "softmax" not in cfg.output_activations("mazur")  # 2 outputs, targets 0.01/0.99


def test_with_one_output_softmaxs_log_likelihood_delta_is_not_its_gradient():
    # Why: softmax of one number is 1, so C = −y ln 1 = 0 whatever z; yet δ = a − y ≠ 0.
    softmax, loss = activations.get("softmax"), losses.get("log_likelihood")
    z, y = np.array([[0.3]]), np.array([[0.0]])
    a = softmax.value(z)
    eps = 1e-6
    numeric = (
        loss.value(z + eps, softmax.value(z + eps), y)
        - loss.value(z - eps, softmax.value(z - eps), y)
    ) / (2 * eps)
    assert numeric[0] == pytest.approx(0.0, abs=1e-9)
    assert loss.delta(z, a, y, softmax)[0, 0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "data,out,loss",
    list(itertools.product(cfg.DATASETS, activations.OUTPUT_ACTIVATIONS, losses.LOSSES)),
)
def test_fix_gives_an_offered_output_and_a_loss_that_pairs(data, out, loss):
    config = cfg.Config(data=data, out=out, loss=loss)
    fixed, problems = cfg.fix(config)
    assert fixed.out in cfg.output_activations(data)
    assert fixed.loss in losses.valid_losses(fixed.out)
    offered = out != "softmax" or data == "digits"
    paired = loss in losses.valid_losses(out)
    assert (fixed == config) == (offered and paired)
    assert ("out" in {name for name, _, _ in problems}) == (not offered)
    if not offered:
        assert fixed.out == "sigmoid"


@pytest.mark.parametrize(
    "query",
    [
        {"data": "xor", "out": "softmax"},
        {"data": "xor", "out": "softmax", "loss": "log_likelihood"},
        {"data": "mazur", "out": "softmax"},
    ],
)
def test_a_link_with_softmax_for_other_data_warns_only_about_out(query):
    config, problems = params.parse_query(query)
    assert [(name, why) for name, why, _ in problems] == [("out", "out_for_data")]
    assert problems[0][2]["data"] == query["data"]
    assert "softmax" not in problems[0][2]["choices"]
    assert (config.out, config.loss) == ("sigmoid", "cross_entropy")


def test_softmax_for_the_digits_is_kept():
    config, problems = params.parse_query({"data": "digits", "out": "softmax"})
    assert problems == [] and (config.out, config.loss) == ("softmax", "log_likelihood")


# --- every new message, in both languages ------------------------------------------


def all_new_problems() -> list[cfg.Problem]:
    return (
        params.parse_query({"lr": "0.7", "l2": "1e-300", "data": "xor", "out": "softmax"})[1]
        + params.parse_names("foo,hidden", "hide")[1]
    )


def test_the_new_problems_are_produced():
    assert {why for _, why, _ in all_new_problems()} == {"snapped", "out_for_data", "unknown_names"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fallback", ["bad_url_param", "bad_setting"])
def test_every_new_problem_formats_and_names_its_parameter(lang, fallback):
    def translate(key, **values):
        assert key in cfg.OWN_MESSAGES.values() or key == fallback or key.startswith("why_")
        return t(key, lang=lang, **values)

    for problem in all_new_problems():
        text = cfg.warning_text(problem, translate, fallback)
        assert "{" not in text and "why_" not in text and "bad_" not in text
        assert problem[0] in text


def test_own_message_keys_are_in_both_catalogues():
    from playground.i18n import catalogue

    for key in cfg.OWN_MESSAGES.values():
        assert key in catalogue("en") and key in catalogue("zh"), key


# --- on the page ----------------------------------------------------------------------


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_page_seven_hidden_layers_warns_about_the_number_of_layers():
    at = start({"hidden": "8-8-8-8-8-8-8"})
    assert "'hidden'" in warnings(at) and "at most 6 hidden layers" in warnings(at)
    assert at.session_state["config"].hidden == cfg.DEFAULT.hidden


@pytest.mark.parametrize("query", [{"lr": "١"}, {"seed": "٣"}, {"hidden": "١٢"}, {"batch": "1_6"}])
def test_page_non_ascii_digits_are_refused_by_name(query):
    [(param, text)] = query.items()
    at = start(query)
    assert f"'{param}'" in warnings(at)
    assert getattr(at.session_state["config"], param) == getattr(cfg.DEFAULT, param)


def test_page_softmax_for_xor_warns_about_out_and_builds_a_sigmoid_net():
    at = start({"data": "xor", "out": "softmax"})
    assert "'out'" in warnings(at) and "offered for the data set xor" in warnings(at)
    assert "'loss'" not in warnings(at)
    net = at.session_state["net"]
    assert (net.output_activation, net.loss_name) == ("sigmoid", "cross_entropy")


def test_page_partial_lock_locks_the_known_names():
    at = start({"lock": "foo,hidden"})
    assert "'lock'" in warnings(at)
    assert at.session_state["locks"] == ["hidden"]
    assert at.number_input(key="n_hidden").disabled


def test_page_lr_between_stops_uses_the_stop():
    at = start({"lr": "0.7"})
    assert "'lr'" in warnings(at)
    assert at.session_state["config"].lr == 0.5 and at.selectbox(key="lr").value == 0.5


@pytest.mark.parametrize(
    "query,words",
    [
        ({"lr": "0.7"}, "nearest stop, 0.5, is used"),
        ({"lock": "foo,hidden"}, "1 unknown control(s)"),
    ],
)
def test_page_shows_the_own_sentences(query, words):
    assert words in warnings(start(query))
