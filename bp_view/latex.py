r"""The LaTeX the equations are written in: numbers, symbols, long sums, captions.

Notation, as bp_view.notation numbers the layers (input 0, layers 1 … L; Nielsen ch. 2):

    a^0 = x,  z^l = W^l a^{l-1} + b^l,  a^l = f(z^l),  δ^l = ∂C_i/∂z^l

written in LaTeX as z^{[l]}_j, a^{[l-1]}_k, W^{[l]}_{jk}, b^{[l]}_j, \delta^{[l]}_j.
`fmt` is the one number format used everywhere.  Long sums are cut to their first
`SHOW_FIRST` terms, ``\cdots`` and the last term.  An equation wider than
`MAX_LINE_WIDTH` is written on several lines aligned at their "=" (`chain`), so its
final value is always on screen.  Only macros and environments KaTeX knows are used
(Streamlit's ``st.latex`` and Jupyter both render with KaTeX or MathJax).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bp_core import activations as acts

from .text import EQUATION_TEXT, Translator, words

KINDS = ("forward", "loss", "backward", "update")
SHOW_FIRST = 4          # terms shown before the ellipsis of a long sum
MAX_SUM_TERMS = 8       # a sum over more neurons than this is elided
MAX_BATCH_TERMS = 5     # a mean over more examples than this is elided
DIGITS = 9              # significant digits, as in Mazur's post (0.298371109)
# The widest line an equation may have, in `width` units (about one glyph each).  At
# st.latex's size a glyph of a number is about 10 px, so 56 units stay inside the
# 640 px of the equations' box at 1024 px with the sidebar open (1440 px gives 946).
MAX_LINE_WIDTH = 56

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



# --- equations on several lines -------------------------------------------------
_NO_WIDTH = re.compile(r"\\(?:left|right|bigl|bigr|begin\{aligned\}|end\{aligned\})|\\[,;!]|"
                       r"\\\\|&|[{}^_]")


def width(latex: str) -> int:
    r"""About how many glyphs wide a line of LaTeX is drawn: every character of the
    source, a command (``\cdot``, ``\delta``) as one, ``\qquad`` as two; braces,
    ``^``, ``_``, sizing and alignment as none.  Sub- and superscripts count in full
    and a fraction as its numerator plus its denominator, so it errs on the wide side."""
    text = _NO_WIDTH.sub("", latex.replace(r"\qquad", "  "))
    return len(re.sub(r"\\[A-Za-z]+", "x", text))


def pieces(terms: list[str], n: int, limit: int, op: str = "+") -> list[str]:
    r"""The terms of a sum as pieces a line may break between: ["t0", "+ t1", "+ \cdots",
    "+ t_last"].  Joined with spaces they are `join_terms`'s text."""
    shown = terms if n <= limit else [*terms[:-1], r"\cdots", terms[-1]]
    return [shown[0], *(f"{op} {t}" for t in shown[1:])]


def bracket(parts: list[str], before: str = "", after: str = "",
            pair: tuple[str, str] = (r"\bigl(", r"\bigr)")) -> list[str]:
    """pieces inside a pair of brackets that may span lines (\\left … \\right may not),
    ``before`` written ahead of the opening bracket and ``after`` behind the closing one."""
    out = list(parts)
    out[0] = f"{before}{pair[0]}{out[0]}"
    out[-1] = f"{out[-1]}{pair[1]}"
    return [*out, after.strip()] if after.strip() else out  # after: a piece of its own


def chain(lhs: str, steps: list[str | list[str]], budget: int = MAX_LINE_WIDTH,
          rel: str = "=") -> str:
    """``lhs rel step_0 = step_1 = … = value``, on one line when it fits in ``budget``.

    Otherwise an ``aligned`` block: each step starts its own line at "&=" (two short
    steps share one), and a step too wide for a line is broken between its pieces onto
    indented lines.  Every line after the first starts where the first one's "=" is, so
    its width counts the width of lhs too (an lhs wider than a third of the budget is
    put on the left edge with the rest, instead).  The last step, the value, is never broken,
    so it always shows.  A step is a string, or a list of pieces (`pieces`, `bracket`)
    joined by spaces.  rel: the first relation ("=", or "\\leftarrow" for an update).
    """
    texts = [s if isinstance(s, str) else " ".join(s) for s in steps]
    one = f"{lhs} {rel} " + " = ".join(texts)
    if width(one) <= budget:
        return one
    indent = width(f"{lhs} ")  # the first row, up to its "&"
    step_row, more_row = "&= ", "&\\qquad "
    if indent > budget // 3:  # a wide lhs: rows start at the left edge, not under its "="
        indent, step_row, more_row = 0, "&\\qquad = ", "&\\qquad\\qquad "
        current = f"&{lhs} {rel} "
    else:
        current = f"{lhs} &{rel} "
    lines: list[str] = []
    starts = (f"{rel} ", "= ", more_row)

    def used(extra: str) -> int:  # the width of the row so far plus extra
        return width(current + extra) + (indent if lines else 0)

    for step, text in zip(steps, texts):
        if not current.endswith(starts) and used(f" = {text}") <= budget:
            current += f" = {text}"
            continue
        if not current.endswith(starts):
            lines.append(current)
            current = step_row
        for part in [step] if isinstance(step, str) else step:
            if not current.endswith(starts) and used(f" {part}") > budget:
                lines.append(current)
                current = more_row
            current += part if current.endswith(" ") else f" {part}"
    lines.append(current)
    return "\\begin{aligned}" + " \\\\ ".join(lines) + r"\end{aligned}"
