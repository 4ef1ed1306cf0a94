r"""The equations of each phase, in LaTeX: symbolic, and filled in with live numbers.

This module gathers the builders of the modules beside it (``from bp_view import
equations``):

    symbolic.py  `general`: the symbolic equations of a phase (forward, Nielsen's
                 BP1–BP4, the update), specialised to the chosen activation and loss
    filled.py    `for_neuron`: the same filled in for one neuron j and one example i
                 of a `PhaseRecord`, every term written out as in Mazur's "A Step by
                 Step Backpropagation Example"; `numbers`: the numbers it used, by name
    latex.py     `fmt`, the one number format, `Equation`, and the symbols

`TEXT` holds the English template of every caption, by key.  `general` and
`for_neuron` take an optional translator ``tr(key, values) -> str``; without one the
captions are the English templates filled with values, so notebooks work unchanged.
LaTeX and notation are never translated.  Only numpy is used (no Streamlit, no Plotly).
"""

from __future__ import annotations

from .filled import for_neuron, numbers
from .latex import DIGITS, KINDS, MAX_BATCH_TERMS, MAX_SUM_TERMS, SHOW_FIRST, Equation, fmt
from .symbolic import general
from .text import EQUATION_TEXT as TEXT
from .text import Translator

__all__ = ["DIGITS", "KINDS", "MAX_BATCH_TERMS", "MAX_SUM_TERMS", "SHOW_FIRST", "TEXT",
           "Equation", "Translator", "fmt", "for_neuron", "general", "numbers"]
