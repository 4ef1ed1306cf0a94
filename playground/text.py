"""Showing text that came from a visitor: always as text, never as markup."""

from __future__ import annotations

import re

MAX_CHARS = 200
# Characters that Streamlit's markdown (or the HTML inside it) would interpret.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def as_text(value: object, max_chars: int = MAX_CHARS) -> str:
    """A short, markdown-escaped rendering of untrusted text for st.error/st.warning."""
    text = str(value)
    if len(text) > max_chars:
        text = text[:max_chars] + "…"
    text = text.replace("\n", " ").replace("\r", " ")
    return _MARKUP.sub(r"\\\1", text)
