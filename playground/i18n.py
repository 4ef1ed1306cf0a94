"""User-facing strings, one JSON catalogue per language (locales/en.json, locales/zh.json).

``t(key, **values)`` looks the key up in the current language and fills ``{name}``
placeholders.  The language is per session (`session.visitor.lang`); this module
keeps no per-user state, only the read-only catalogues.

The English words of the figures and equations are written once, in bp_view.text:
the English catalogue is en.json plus those, under their ``fig_`` and ``eq_`` keys
(en.json holds none of them), and the other languages' files translate the same keys.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from bp_view.text import english_catalogue

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The read-only string table of a language (loaded once per process)."""
    table = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    if lang == "en":  # the source language: bp_view's templates are English already
        table = {**table, **english_catalogue()}
    return table


def current_language() -> str:
    try:
        from .session import visitor  # here, so that a notebook can use t() without Streamlit

        lang = visitor.lang
    except Exception:  # outside a Streamlit run (unit tests, notebooks)
        lang = DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The string for key in the session's language (English if a key is missing)."""
    lang = lang or current_language()
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key, key)
    return text.format(**values) if values else text
