r"""The LaTeX the equations are written in: numbers, symbols, long sums, captions.

Notation, the same as bp_core/network.py (layers counted from 0, L weight layers):

    a[0] = X,  z[l] = a[l] @ W[l].T + b[l],  a[l+1] = f(z[l]),
    delta[l] = ∂C_i/∂z[l],  grad_w[l] = ∂C/∂W[l],  grad_b[l] = ∂C/∂b[l]

written in LaTeX as z^{[l]}_j, a^{[l]}_k, W^{[l]}_{jk}, b^{[l]}_j, \delta^{[l]}_j.
`fmt` is the one number format used everywhere.  Long sums are cut to their first
`SHOW_FIRST` terms, ``\cdots`` and the last term.  Only macros KaTeX knows are used
(Streamlit's ``st.latex`` and Jupyter both render with KaTeX or MathJax).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bp_core import activations as acts

from .text import EQUATION_TEXT, Translator, words

KINDS = ("forward", "loss", "backward", "update")
SHOW_FIRST = 4          # terms shown before the ellipsis of a long sum
MAX_SUM_TERMS = 8       # a sum over more neurons than this is elided
MAX_BATCH_TERMS = 5     # a mean over more examples than this is elided
DIGITS = 9              # significant digits, as in Mazur's post (0.298371109)

# Characters after which the next sentence follows without a space (Chinese prose).
NO_SPACE_AFTER = tuple("。！？；：）」』")


def eq_text(tr: Translator | None, key: str, **values: object) -> str:
    """The caption text of EQUATION_TEXT[key]: translated by tr, else the English template."""
    return words(tr, EQUATION_TEXT, key, **values)


def sentences(*parts: str) -> str:
    """Sentences joined into one caption: a space between them, none after 。 etc."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not out.endswith(NO_SPACE_AFTER):
            out += " "
        out += part
    return out


def loss_words(name: str, tr: Translator | None) -> str:
    """A loss's name as words ("cross entropy"); a loss registered later as its name."""
    key = f"loss_{name}"
    return eq_text(tr, key) if key in EQUATION_TEXT else name.replace("_", " ")


def slope_why(act_name: str, tr: Translator | None) -> str:
    """How the derivative of an activation is read, or f'(z) for one registered later."""
    key = f"slope_{act_name}"
    if key not in EQUATION_TEXT:
        return "f'(z)"
    return eq_text(tr, key, slope=f"{acts.LEAKY_SLOPE:g}")


@dataclass(frozen=True)
class Equation:
    """One LaTeX string (KaTeX's macros only) and a short plain-language caption
    (English unless a translator was given).

    result: for a filled-in equation, the `numbers` key of the value it ends
    with (e.g. ``"delta[1][0,0]"``); empty for symbolic ones.
    """
    latex: str
    caption: str = ""
    result: str = ""


# --- numbers ------------------------------------------------------------------
def fmt(x: float, digits: int = DIGITS, factor: bool = False) -> str:
    r"""x in LaTeX with up to ``digits`` significant digits, trailing zeros dropped.

    0.7513650695523157 -> "0.75136507", 2.0 -> "2", 1.5e-7 -> "1.5 \times 10^{-7}",
    -0.0 -> "0".  ``factor=True`` wraps a negative number in parentheses, for use
    after ``\cdot`` or ``-``.  The text reads back (see tests) as x rounded to
    ``digits`` significant digits.
    """
    x = float(x)
    if math.isnan(x):
        return r"\text{NaN}"
    if math.isinf(x):
        text = r"\infty" if x > 0 else r"-\infty"
    elif x == 0:
        return "0"
    else:
        text = f"{x:.{digits}g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"({text})" if factor and x < 0 else text


def fmt_factor(x: float) -> str:
    return fmt(x, factor=True)


def fmt_base(x: float) -> str:
    """x as the base of a power: (−0.3)^2 and (1.5 × 10^{−7})^2 need parentheses."""
    text = fmt(x)
    return f"({text})" if x < 0 or r"\times" in text else text


def signed_term(x: float) -> str:
    """'+ 0.35' or '- 0.35', to append a signed term."""
    return f"- {fmt(-x)}" if x < 0 else f"+ {fmt(x)}"


# --- symbols ------------------------------------------------------------------
def subscript(*idx: int | str) -> str:
    # W_{12,3}, not W_{123}, once an index has two digits.
    sep = "," if any(isinstance(i, int) and i >= 10 for i in idx) else ""
    return "{" + sep.join(str(i) for i in idx) + "}"


def symbol(name: str, layer: int | str, *idx: int | str) -> str:
    """e.g. z^{[1]}_{0}, W^{[0]}_{jk}."""
    return f"{name}^{{[{layer}]}}_{subscript(*idx)}"


def delta_symbol(layer: int | str, *idx: int | str) -> str:
    return symbol(r"\delta", layer, *idx)


def dC_dW(layer: int | str, *idx: int | str) -> str:
    return rf"\frac{{\partial C}}{{\partial {symbol('W', layer, *idx)}}}"


def dC_db(layer: int | str, *idx: int | str) -> str:
    return rf"\frac{{\partial C}}{{\partial {symbol('b', layer, *idx)}}}"


def shown_terms(n: int, limit: int) -> list[int]:
    """Indices of the terms written out: all of them, or the first few and the last."""
    return list(range(n)) if n <= limit else [*range(SHOW_FIRST), n - 1]


def join_terms(terms: list[str], n: int, limit: int, op: str = " + ") -> str:
    if n <= limit:
        return op.join(terms)
    return op.join(terms[:-1]) + op + r"\cdots" + op + terms[-1]


def elided_note(n: int, limit: int, what: str, tr: Translator | None = None) -> str:
    """The note that a long sum of ``what`` ("terms" or "examples") was cut, or ""."""
    if n <= limit:
        return ""
    return eq_text(tr, f"elided_{what}", n=n, first=SHOW_FIRST)


def mean_prefix(n: int) -> str:
    return rf"\tfrac{{1}}{{{n}}}"

