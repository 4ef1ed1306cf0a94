"""The language catalogues (playground/locales/*.json) and t().

Fast checks, no Streamlit run: both catalogues have the same keys and the same
{placeholders}; every Chinese string is really translated; t() formats every key in
both languages and falls back to English; every key the code asks for exists.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import numpy as np
import pytest

from bp_core import PhaseRecord
from bp_core.stepper import phases
from playground import config as cfg
from playground import i18n, predict
from playground.i18n import t
from playground.presets import PRESETS

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "playground" / "locales"
SOURCES = [ROOT / "app.py", *sorted((ROOT / "playground").glob("*.py"))]

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


EN = load("en")
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
# Every t(f"...") in the code, its f-string with each {expression} written as {},
# and the values the expression can take.
DYNAMIC_KEYS: dict[str, list[str]] = {
    "phase_{}_title": PHASE_KINDS,
    "phase_{}_what": PHASE_KINDS,
    "preset_{}_title": list(PRESETS),
    "preset_{}_text": list(PRESETS),
    "data_{}": list(cfg.DATASETS),
    "mode_{}": list(cfg.MODES),
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
    assert {"title", "tab_step", "share_header", "train_summary"} <= set(used)
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
        title = t(f"phase_{kind}_title", lang=lang, l=2, label="B2")
        what = t(f"phase_{kind}_what", lang=lang, l=2, next=3)
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
