"""The language catalogues (playground/locales/*.json) and t().

Fast checks, no Streamlit run: both catalogues have the same keys and the same
{placeholders}; every Chinese string is really translated; t() formats every key in
both languages and falls back to English; every key the code asks for exists.

bp_view's captions and figure words: their English templates live only in
bp_view.text (EQUATION_TEXT and FIGURE_TEXT), en.json holds none of them, and the
English catalogue is en.json plus those under "eq_<key>" and "fig_<key>"; every other
language translates the same keys; with a translator, no English word of theirs is
left in what the builders return.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bp_core import Network, PhaseRecord, Stepper, datasets, train
from bp_core.stepper import phases
from bp_core.train import History
from bp_view import equations, figures, room_figures
from bp_view.notation import phase_values
from bp_view.text import english_catalogue
from playground import app_main, i18n, params, predict
from playground import config as cfg
from playground.i18n import t
from playground.presets import PRESETS
from playground.translate import eq_tr, fig_tr
from workshop import exercise_runner
from workshop.exercise_runner import EXERCISES
from workshop.tutorial_code import DEFECT_IDS

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "playground" / "locales"
SOURCES = sorted((ROOT / "playground").glob("*.py"))

# Keys whose English text is only notation or proper names, so the Chinese text may
# equal it and need not contain a Chinese character.  Keep this list short: labels
# such as "◀ Back" are translated too.
NOT_TRANSLATED: frozenset[str] = frozenset()

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LETTER = re.compile(r"[A-Za-z]")


def load(lang: str) -> dict[str, str]:
    """A catalogue read straight from disk, refusing duplicate keys."""

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"{lang}.json repeats keys: {duplicates}"
        return dict(pairs)

    text = (LOCALES / f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=no_duplicates)


EN_FILE = load("en")
# The English catalogue t() uses: en.json and bp_view's templates (playground/i18n.py).
EN = {**EN_FILE, **english_catalogue()}
ZH = load("zh")
CATALOGUES = {"en": EN, "zh": ZH}


def fields(text: str) -> set[tuple[str, str, str | None]]:
    """The {placeholders} of a string: (name, format spec, conversion)."""
    return {(name, spec or "", conversion)
            for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None}


def dummy_values(text: str) -> dict[str, object]:
    """A value for every placeholder: numbers where a format spec needs one."""
    values: dict[str, object] = {}
    for name, spec, _ in fields(text):
        if not spec:
            values[name] = "x"
        elif spec == "g":
            values[name] = 1.0
        else:  # .6g and the like
            values[name] = 1.5
    return values


def letters(text: str) -> bool:
    """Whether text has letters to translate once its placeholders are removed."""
    plain = "".join(literal for literal, *_ in string.Formatter().parse(text))
    return bool(LETTER.search(plain))


# ---------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_every_language_has_a_catalogue_of_strings(lang):
    catalogue = load(lang)
    assert isinstance(catalogue, dict) and catalogue
    wrong = {k: type(v).__name__ for k, v in catalogue.items()
             if not isinstance(k, str) or not isinstance(v, str)}
    assert not wrong, f"{lang}.json has values that are not strings: {wrong}"


def test_zh_has_exactly_the_english_keys():
    missing_in_zh = sorted(set(EN) - set(ZH))
    missing_in_en = sorted(set(ZH) - set(EN))
    if missing_in_zh:
        print("keys missing from zh.json:", *missing_in_zh, sep="\n  ")
    if missing_in_en:
        print("keys in zh.json but not in en.json:", *missing_in_en, sep="\n  ")
    assert not missing_in_zh and not missing_in_en, (
        f"missing from zh.json: {missing_in_zh}; not in en.json: {missing_in_en}")


@pytest.mark.parametrize("key", sorted(EN))
def test_placeholders_are_the_same_in_both_languages(key):
    if key not in ZH:
        pytest.fail(f"{key!r} is missing from zh.json")
    assert fields(ZH[key]) == fields(EN[key]), (
        f"{key}: en {sorted(fields(EN[key]), key=str)} vs zh {sorted(fields(ZH[key]), key=str)}")


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_placeholders_are_named(lang):
    # t() passes keyword arguments only: {} or {0} could never be filled.
    bad = {k: sorted(n for n, *_ in fields(v) if not n.isidentifier())
           for k, v in CATALOGUES[lang].items()}
    assert not {k: v for k, v in bad.items() if v}


def test_zh_values_are_translated():
    empty = sorted(k for k, v in ZH.items() if not v.strip())
    assert not empty, f"empty zh values: {empty}"
    same = sorted(k for k, v in ZH.items()
                  if k in EN and v == EN[k] and letters(EN[k]) and k not in NOT_TRANSLATED)
    assert not same, f"zh values still in English: {same}"


def test_zh_values_contain_chinese():
    latin_only = sorted(k for k, v in ZH.items() if not CJK.search(v) and k not in NOT_TRANSLATED)
    assert not latin_only, f"zh values without a Chinese character: {latin_only}"


def test_not_translated_allowlist_is_current():
    stale = sorted(NOT_TRANSLATED - set(EN))
    assert not stale, f"allowlisted keys no longer in en.json: {stale}"


def test_zh_uses_full_width_punctuation_next_to_chinese():
    # "，" not ",", "：" not ":", "（…）" not "(…)" in Chinese sentences; ASCII stays in notation.
    ascii_next_to_cjk = re.compile(r"[\u4e00-\u9fff][,;:!?()]|[,;:!?()][\u4e00-\u9fff]")
    bad = {k: ascii_next_to_cjk.findall(v) for k, v in ZH.items()}
    assert not {k: v for k, v in bad.items() if v}


# ---------------------------------------------------------------------------------- t()


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_t_formats_every_key(lang):
    for key, text in CATALOGUES[lang].items():
        out = t(key, lang=lang, **dummy_values(EN.get(key, text)))
        assert out and "{" not in out and "}" not in out, (key, out)


def test_t_formats_numbers_with_their_specs():
    assert t("train_summary", lang="zh", epochs=3, loss=1.5, test_loss=0.123456789) == (
        "3 轮后：训练集损失 1.5，测试集损失 0.123457。")
    assert "0.123457" in t("train_summary", lang="en", epochs=3, loss=1.5, test_loss=0.123456789)
    assert "1e-05" in t("gradcheck_intro", lang="zh", tol=1e-5)


def test_t_without_a_key_uses_english_then_the_key(monkeypatch):
    real = i18n.catalogue
    zh = dict(real("zh"))
    del zh["train_done"]
    zh["train_button"] = ""  # an empty translation also falls back
    monkeypatch.setattr(i18n, "catalogue", lambda lang: zh if lang == "zh" else real(lang))
    assert t("train_done", lang="zh", epochs=4) == EN["train_done"].format(epochs=4)
    assert t("train_button", lang="zh") == EN["train_button"]
    assert t("tab_check", lang="zh") == ZH["tab_check"]
    assert t("no_such_key", lang="zh") == "no_such_key"
    assert t("no_such_key", lang="en") == "no_such_key"


def test_t_outside_streamlit_is_english():
    assert i18n.current_language() == i18n.DEFAULT_LANGUAGE == "en"
    assert t("title") == EN["title"]
    assert t("hidden_size_label", layer=2) == EN["hidden_size_label"].format(layer=2)


def test_the_real_catalogues_are_the_files():
    assert i18n.catalogue("en") == EN
    assert i18n.catalogue("zh") == ZH


# ------------------------------------------------------------------- keys the code uses

LITERAL_CALL = re.compile(r"""\bt\(\s*(["'])([A-Za-z0-9_]+)\1""")
FSTRING_CALL = re.compile(r"""\bt\(\s*f(["'])(.*?)\1""")

PHASE_KINDS = ["forward", "loss", "backward", "update"]
# The reasons a setting is refused (playground/config.py's Problems): "why_<reason>".
WHY_REASONS = ["too_long", "one_of", "number", "whole", "hidden_format", "hidden_layers",
               "hidden_neurons", "params", "loss_pair", "out_for_data", "preset_owns"]
# Every t(f"...") in the code, its f-string with each {expression} written as {},
# and the values the expression can take.
DYNAMIC_KEYS: dict[str, list[str]] = {
    "phase_{}_title": PHASE_KINDS,
    "phase_{}_what": PHASE_KINDS,
    "phase_label_{}": ["loss", "update"],  # the timeline names the other phases F0, B1, ...
    "preset_{}_title": list(PRESETS),
    "preset_{}_text": list(PRESETS),
    "data_{}": list(cfg.DATASETS),
    "mode_{}": list(cfg.MODES),
    "why_{}": WHY_REASONS,
    "bughunt_explain_{}": list(DEFECT_IDS),
    "exercise_{}": list(EXERCISES),
    "eq_{}": list(equations.TEXT),   # playground/translate.py
    "fig_{}": list(figures.TEXT),
    "exrun_{}": list(exercise_runner.TEXT),  # exercises_view.py
    "tab_{}": list(app_main.TABS),
}


def source_texts() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in SOURCES}


def literal_keys() -> dict[str, set[str]]:
    """Every t("key") / t('key') in app.py and playground/*.py, with the files using it."""
    used: dict[str, set[str]] = {}
    for name, text in source_texts().items():
        for _, key in LITERAL_CALL.findall(text):
            used.setdefault(key, set()).add(name)
    return used


def dynamic_templates() -> set[str]:
    """Every t(f"...") key template in the code, each {expression} written as {}."""
    found = set()
    for text in source_texts().values():
        for _, body in FSTRING_CALL.findall(text):
            found.add(re.sub(r"\{[^{}]*\}", "{}", body))
    return found


def enumerated_keys() -> list[str]:
    return sorted({template.format(v) for template, values in DYNAMIC_KEYS.items()
                   for v in values})


def test_the_source_scan_finds_calls():
    used = literal_keys()
    assert {"title", "share_header", "train_summary"} <= set(used)
    assert "phase_{}_title" in dynamic_templates()


def test_every_literal_key_in_the_code_exists():
    missing = {k: sorted(files) for k, files in literal_keys().items() if k not in EN}
    assert not missing, f"t() keys missing from en.json: {missing}"


def test_every_dynamic_key_template_is_enumerated():
    unknown = sorted(dynamic_templates() - set(DYNAMIC_KEYS))
    assert not unknown, f"t(f'...') keys with no list of values in DYNAMIC_KEYS: {unknown}"


def test_phase_kinds_are_those_of_the_stepper():
    assert {kind for kind, _ in phases(3)} == set(PHASE_KINDS)


@pytest.mark.parametrize("key", enumerated_keys())
def test_every_dynamic_key_exists(key):
    assert key in EN, f"{key!r} is built by the code but missing from en.json"
    assert key in ZH, f"{key!r} is missing from zh.json"


def calls_with_literal_keys():
    """(file, key, keyword names or None when **values is passed) of every t("key", ...)."""
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "t" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                names = {kw.arg for kw in node.keywords}
                calls.append((path.name, node.args[0].value,
                              None if None in names else names - {"lang"}))
    return calls


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_literal_calls_pass_every_placeholder(lang):
    # A placeholder the call does not fill would raise KeyError in the app.
    problems = []
    for name, key, given in calls_with_literal_keys():
        if given is None or key not in CATALOGUES[lang]:
            continue
        needed = {n for n, *_ in fields(CATALOGUES[lang][key])}
        if needed - given:
            problems.append((name, key, sorted(needed - given)))
    assert not problems


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_phase_texts_format_with_what_the_step_view_passes(lang):
    for kind in PHASE_KINDS:
        values = phase_values(kind, None if kind in ("loss", "update") else 1, 3)
        title = t(f"phase_{kind}_title", lang=lang, **values)
        what = t(f"phase_{kind}_what", lang=lang, **values)
        assert "{" not in title + what


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_workshop_questions_format(lang):
    output = PhaseRecord("backward", 1, 0, {"delta": np.array([[0.1, -0.3], [0.2, 0.0]]),
                                            "y": np.array([[0.0, 1.0], [1.0, 0.0]])})
    hidden = PhaseRecord("backward", 0, 0, {"delta": np.array([[0.1, -0.3]]),
                                            "grad_w": np.array([[0.5, -0.25], [1.0, 2.0]])})
    for record in (output, hidden):
        q = predict.question_for(record, batch_index=0, learning_rate=0.5)
        for key in (q.key, q.explanation_key):
            assert key in EN and key in ZH
        text = t(q.key, lang=lang, **q.values)
        why = t(q.explanation_key, lang=lang, **q.explanation_values)
        answer = t("predict_wrong", lang=lang, answer=q.answer)
        assert "{" not in text + why + answer
        assert q.answer in answer


# ------------------------------------------------------- why a setting was refused


def refusals() -> list[tuple[str, str, dict]]:
    """Problems of every kind, from hostile links and configs over the limits."""
    queries = [{"data": "x" * (cfg.MAX_PARAM_CHARS + 1)}, {"data": "bogus"}, {"lr": "abc"},
               {"batch": "-1"}, {"hidden": "a-b"}]
    configs = [cfg.Config(hidden=(1,) * 50), cfg.Config(hidden=(10 ** 6,)),
               cfg.Config(data="digits", hidden=(64,) * 6),
               cfg.Config(data="digits", out="softmax", loss="cross_entropy"),
               cfg.Config(out="softmax", loss="log_likelihood")]
    problems = [p for q in queries for p in params.parse_query(q)[1]]
    problems += [p for c in configs for p in cfg.fix(c)[1]]
    problems += params.parse_names("x" * 600, "lock")[1] + params.parse_names("nope", "lock")[1]
    problems += PRESETS["mazur"].refuse_owned({"data": "xor"})[1]
    return problems


def test_every_refusal_reason_is_listed_and_each_is_produced():
    produced = {why for _, why, _ in refusals()}
    assert produced == set(WHY_REASONS)
    assert {k[len("why_"):] for k in EN if k.startswith("why_")} == set(WHY_REASONS)


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_refusal_messages_format_with_the_values_the_config_gives(lang):
    for name, why, values in refusals():
        text = t("bad_setting", lang=lang, name=name, why=t(f"why_{why}", lang=lang, **values))
        assert "{" not in text and name in text


# ------------------------------------------- bp_view's captions and figure words

BP_MODULES = {"eq_": equations, "fig_": figures}
# Names and notation that may stay in any language: activation names, δ's "delta"...
NOTATION = {"delta", "grad", "sigmoid", "softmax", "tanh", "relu", "leaky", "linear", "log",
            "diag", "exp", "prime"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def english_words(templates) -> set[str]:
    """The words (3+ letters, not notation) of templates, placeholders removed."""
    words = set()
    for text in templates:
        plain = "".join(literal for literal, *_ in string.Formatter().parse(text))
        words |= {w.lower() for w in WORD.findall(plain)
                  if len(w) >= 3 and "_" not in w and w.lower() not in NOTATION}
    return words


def words_in(text: str) -> set[str]:
    """The words a reader sees in a caption, title or hover text."""
    text = re.sub(r"<[^>]*>", " ", text)        # HTML of titles and hovers
    text = re.sub(r"%\{[^}]*\}", " ", text)      # Plotly's %{x:.3g}
    text = re.sub(r"⟦\w+⟧", " ", text)          # the marker translator's keys
    text = re.sub(r"\b(?:r|net|rec)\.[^<›]*", " ", text)  # Python: r.activations[0][1, 2]
    return {w.lower() for w in WORD.findall(text) if "_" not in w}


def marker(key: str, values: dict) -> str:
    """A translator that keeps no word of the template: ⟦key⟧ and the values."""
    return f"⟦{key}⟧" + "".join(f"‹{v}›" for v in values.values())


@pytest.mark.parametrize("prefix", sorted(BP_MODULES))
def test_bp_view_templates_are_written_once_and_are_the_english_catalogue(prefix):
    text = BP_MODULES[prefix].TEXT
    copied = sorted(k for k in EN_FILE if k.startswith(prefix))
    assert not copied, f"en.json copies {prefix}* keys; their English is bp_view.text's: {copied}"
    english = i18n.catalogue("en")
    different = sorted(k for k in text if english.get(prefix + k) != text[k])
    assert not different, f"the English catalogue lacks or changes these templates: {different}"


@pytest.mark.parametrize("prefix", sorted(BP_MODULES))
def test_bp_view_templates_are_translated_with_the_same_placeholders(prefix):
    for key, english in BP_MODULES[prefix].TEXT.items():
        assert prefix + key in ZH, f"{prefix}{key} is missing from zh.json"
        assert fields(ZH[prefix + key]) == fields(english), key
        assert CJK.search(ZH[prefix + key]), key


def test_translators_use_the_session_language(monkeypatch):
    assert eq_tr("bp2", {"l": 1, "next": 2}) == equations.TEXT["bp2"].format(l=1, next=2)
    assert fig_tr("layer_n", {"l": 1}) == figures.TEXT["layer_n"].format(l=1)
    assert fig_tr("diagram_title", {}) == figures.TEXT["diagram_title"]
    monkeypatch.setattr(i18n, "current_language", lambda: "zh")
    assert eq_tr("bp2", {"l": 1, "next": 2}) == ZH["eq_bp2"].format(l=1, next=2)
    assert fig_tr("layer_n", {"l": 1}) == ZH["fig_layer_n"].format(l=1)


def plotly_texts(fig) -> list[str]:
    """Every string of a figure a reader can see: titles, names, labels, hover texts,
    category labels."""
    found: list[str] = []

    def walk(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key in ("text", "name", "hovertemplate", "hovertext", "ticktext", "x", "y"):
                    items = value if isinstance(value, (list, tuple)) else [value]
                    found.extend(v for v in items if isinstance(v, str))
                walk(value)
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                walk(item)

    spec = fig.to_plotly_json()
    walk(spec.get("data", []))
    walk({k: v for k, v in spec.get("layout", {}).items() if k != "template"})
    return found


NETWORKS = [  # (sizes, hidden, output, loss, batch): every BP1 form, long sums, L2
    ([3, 4, 2], "sigmoid", "sigmoid", "quadratic", 5),
    ([2, 3, 1], "relu", "sigmoid", "cross_entropy", 1),
    ([12, 3, 10], "tanh", "softmax", "log_likelihood", 7),
    ([2, 3, 3], "leaky_relu", "softmax", "quadratic", 2),
    ([2, 2, 1], "linear", "linear", "quadratic", 3),
]


def stepped_records():
    """(net, record, activation, loss, l2) for every phase of a few small networks."""
    rng = np.random.default_rng(0)
    for sizes, hidden, out, loss, n in NETWORKS:
        X = rng.normal(size=(n, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
        for l2, biases in ((0.0, True), (0.01, False)):
            net = Network(sizes, activation=hidden, output_activation=out, loss=loss, seed=1)
            for rec in Stepper(net, X, Y, 0.5, l2=l2, update_biases=biases).run():
                layer = net.num_layers - 1 if rec.layer is None else rec.layer
                act = out if rec.kind in ("loss", "update") else net.f(layer).name
                yield net, rec, act, loss, l2


def equation_captions(tr) -> list[str]:
    captions = []
    for net, rec, act, loss, l2 in stepped_records():
        L = net.num_layers
        for layer in [rec.layer] + ([0] if rec.kind == "update" else []):
            captions += [e.caption for e in equations.general(rec, layer=layer, tr=tr)]
        n = rec.arrays["a" if rec.kind == "loss" else "W_before0" if rec.kind == "update"
                       else "z"].shape[0]
        for example in {0, n - 1} if rec.kind != "update" else {0}:
            for l2_shown in {l2, 0.0}:  # 0.0: the record's gradient includes the L2 term
                captions += [e.caption for e in equations.for_neuron(
                    rec, 0, example=example, activation_name=act, loss_name=loss, k=0,
                    l2=l2_shown, num_layers=L, tr=tr)]
    return captions


def figure_texts(tr) -> list[str]:
    texts = []
    for _net, rec, act, loss, _l2 in stepped_records():
        # and a backward record built by hand, which names no loss ("why_loss")
        bare = PhaseRecord(rec.kind, rec.layer, rec.index, rec.arrays)
        for record, loss_name in [(rec, loss)] + ([(bare, None)] if rec.kind == "backward"
                                                   else []):
            for caption, fig in figures.phase_figures(record, act, loss_name,
                                                      prev_activation_name=act, tr=tr):
                texts += [caption, *plotly_texts(fig)]
    rng = np.random.default_rng(1)
    wide = Network([3, 40, 2], seed=0)
    net = Network([2, 3, 1], activation="tanh", seed=0)
    xor = datasets.load("xor", n=60)
    xor_train, xor_test = datasets.split(xor)
    history = train(net, xor, 4, 8, 0.5, test=xor).history
    sine = datasets.load("sine", n=40)
    fit = Network([1, 4, 1], output_activation="linear", seed=0)
    blown = Network([1, 4, 1], output_activation="linear", seed=0)
    blown.weights[1] *= 1e150  # a[L] of about 1e150, as after the diverge scenario
    falling = History(train_loss=[1.0, 0.1, 0.001], test_loss=[1.0, 0.2, np.nan])  # log scale
    digits = datasets.load("digits").subset(np.arange(40))
    digit_net = Network([64, 20, 10], seed=0)
    check = SimpleNamespace(finite=False, layers=[
        SimpleNamespace(layer=0, max_error=0.0, passed=True, n_checked=1),
        SimpleNamespace(layer=1, max_error=np.nan, passed=False, n_checked=1)])
    from bp_core import Budget, gradcheck
    real_check = gradcheck(net, xor.X[:4], xor.Y[:4])
    # Cancelled before its first cell: every layer "not checked", every cell grey.
    unchecked = gradcheck(net, xor.X[:4], xor.Y[:4],
                          budget=Budget(None, lambda: True, poll_seconds=0.0))
    nan_net = Network([2, 2, 1], seed=0)
    nan_net.weights[0][0, 0] = np.nan
    figs = [
        figures.heatmap(np.full((100, 3), np.nan), "z", tr=tr),
        figures.network_diagram(wide.sizes, wide.weights, wide.biases, ("forward", 0), tr=tr),
        figures.network_diagram(nan_net.sizes, nan_net.weights, nan_net.biases, tr=tr),
        figures.loss_curves(history, tr=tr), figures.loss_curves(falling, tr=tr),
        figures.accuracy_curves(history, tr=tr),
        figures.decision_boundary(net, xor, tr=tr), figures.fitted_curve(fit, sine, tr=tr),
        figures.decision_boundary(net, xor_train, test=xor_test, tr=tr),  # train and test
        figures.loss_curves(History(train_loss=[1.0, 4.9e301]), tr=tr),  # diverged
        figures.fitted_curve(blown, sine, tr=tr),  # its curve leaves the plot
        figures.digit_images(digits.X, tr=tr), figures.digit_predictions(digit_net, digits, tr=tr),
        figures.weight_images(digit_net.weights[0], tr=tr),
        figures.gradcheck_figure(check, tr=tr), figures.gradcheck_figure(real_check, tr=tr),
        figures.gradcheck_heatmaps(real_check, 0, tr=tr),
        figures.gradcheck_figure(unchecked, tr=tr), figures.gradcheck_heatmaps(unchecked, 0, tr=tr),
        figures.gradient_norms(net.backprop(xor.X[:4], xor.Y[:4]), tr=tr),
        figures.gradient_norms(SimpleNamespace(deltas=[np.zeros((2, 2)), rng.normal(size=(2, 1))],
                                               grad_w=[np.zeros((2, 2)), np.full((1, 2), np.inf)]),
                               tr=tr),
        # the instructor's room chart: no answer yet; and 13 answers (one is "other"), 21 names
        room_figures.answers_figure({}, tr=tr),
        room_figures.answers_figure({str(i): i + 1 for i in range(13)}, {"0": True, "1": False},
                                    {"12": [f"n{i}" for i in range(21)]}, "q", tr=tr),
    ]
    for fig in figs:
        texts += plotly_texts(fig)
    return texts


def recording(tr):
    """tr, and the set of keys it was asked for."""
    asked: set[str] = set()

    def wrapped(key, values):
        asked.add(key)
        return tr(key, values)
    return wrapped, asked


@pytest.fixture(scope="module")
def marked():
    """What the builders return with the marker translator, and the keys they asked for."""
    eq, eq_keys = recording(marker)
    fig, fig_keys = recording(marker)
    return {"eq_": (equation_captions(eq), eq_keys), "fig_": (figure_texts(fig), fig_keys)}


# Keys no small network reaches: a loss or activation registered later.
UNREACHED = {"eq_": {"bp1_other"}, "fig_": set()}


@pytest.mark.parametrize("prefix", sorted(BP_MODULES))
def test_builders_ask_the_translator_for_every_key(marked, prefix):
    _, asked = marked[prefix]
    assert asked <= set(BP_MODULES[prefix].TEXT)
    never = set(BP_MODULES[prefix].TEXT) - asked - UNREACHED[prefix]
    assert not never, f"{prefix}* keys this test never saw used: {sorted(never)}"


@pytest.mark.parametrize("prefix", sorted(BP_MODULES))
def test_with_a_translator_no_english_word_is_left(marked, prefix):
    texts, _ = marked[prefix]
    english = english_words(BP_MODULES[prefix].TEXT.values())
    left = {}
    for text in texts:
        found = words_in(text) & english
        if found:
            left[text] = sorted(found)
    assert not left, f"English left in {len(left)} texts, e.g. {list(left.items())[:5]}"


def test_spot_checks_of_translated_equation_captions():
    net = Network([2, 3, 2], activation="tanh", output_activation="sigmoid",
                  loss="cross_entropy", seed=0)
    recs = {r.label: r for r in Stepper(net, [[0.1, -0.2], [0.3, 0.4]], [[0, 1], [1, 0]],
                                        0.5).run()}
    fwd = equations.for_neuron(recs["F0"], 1, activation_name="tanh", tr=marker)
    assert fwd[0].caption.startswith("⟦weighted_input_filled⟧‹1›‹1›‹2›")
    assert fwd[0].latex == equations.for_neuron(recs["F0"], 1, activation_name="tanh")[0].latex
    loss = equations.for_neuron(recs["Loss"], 0, loss_name="cross_entropy", num_layers=2,
                                tr=marker)
    assert "⟦loss_cross_entropy⟧" in loss[0].caption and "⟦cost_batch_many⟧" in loss[1].caption
    back = equations.for_neuron(recs["B1"], 0, activation_name="sigmoid",
                                loss_name="cross_entropy", tr=marker)
    assert back[0].caption.startswith("⟦bp1_cancels⟧") and "⟦example_note⟧" in back[0].caption
    update = equations.for_neuron(recs["Update"], 0, k=1, layer=0, tr=marker)
    # weight layer 0 of the engine is layer 1 on the page (bp_view.notation)
    assert update[0].caption == "⟦update_weight⟧‹0›‹1›‹1›‹0.5›"


@pytest.mark.parametrize("prefix", sorted(BP_MODULES))
def test_in_chinese_every_text_is_chinese(monkeypatch, prefix):
    monkeypatch.setattr(i18n, "current_language", lambda: "zh")
    if prefix == "eq_":
        texts = equation_captions(eq_tr)
    else:
        texts = figure_texts(fig_tr)
    english = english_words(BP_MODULES[prefix].TEXT.values())
    english -= english_words(v for k, v in ZH.items() if k.startswith(prefix))  # Mazur, ...
    assert all(CJK.search(text) for text in texts if english_words([text]) & english)
    left = {text: sorted(words_in(text) & english) for text in texts if words_in(text) & english}
    assert not left, f"English left in {len(left)} texts, e.g. {list(left.items())[:5]}"
