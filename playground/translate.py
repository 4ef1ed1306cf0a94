"""Translators for bp_core's captions and figure words, in the session's language.

bp_core.equations and bp_core.figures keep the English template of every text in
their ``TEXT`` dicts and take an optional ``tr(key, values)``; the catalogues hold
the same texts under the keys ``eq_<key>`` and ``fig_<key>`` (tests/test_i18n.py
checks that the English ones are identical).  Pass ``tr=eq_tr`` to
``equations.general`` / ``equations.for_neuron`` and ``tr=fig_tr`` to the figure
builders.
"""

from __future__ import annotations

from .i18n import t


def eq_tr(key: str, values: dict) -> str:
    """The text of bp_core.equations.TEXT[key] in the session's language, filled in."""
    return t(f"eq_{key}", **values)


def fig_tr(key: str, values: dict) -> str:
    """The text of bp_core.figures.TEXT[key] in the session's language, filled in."""
    return t(f"fig_{key}", **values)
