"""Translators for bp_view's captions and figure words, in the session's language.

bp_view.text keeps the English template of every text (`FIGURE_TEXT`, `EQUATION_TEXT`)
and the builders take an optional ``tr(key, values)``; the catalogues translate the
same texts under the keys ``fig_<key>`` and ``eq_<key>`` (the English catalogue is
built from bp_view.text itself, see i18n.py).  Pass ``tr=eq_tr`` to
``equations.general`` / ``equations.for_neuron`` and ``tr=fig_tr`` to the figure
builders.
"""

from __future__ import annotations

from .i18n import t


def eq_tr(key: str, values: dict) -> str:
    """The text of bp_view.text.EQUATION_TEXT[key] in the session's language, filled in."""
    return t(f"eq_{key}", **values)


def fig_tr(key: str, values: dict) -> str:
    """The text of bp_view.text.FIGURE_TEXT[key] in the session's language, filled in."""
    return t(f"fig_{key}", **values)
