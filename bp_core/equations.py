r"""The equations of each phase, in LaTeX: symbolic, and filled in with live numbers.

Notation, the same as network.py (layers counted from 0, L weight layers):

    a[0] = X,  z[l] = a[l] @ W[l].T + b[l],  a[l+1] = f(z[l]),
    delta[l] = ∂C_i/∂z[l],  grad_w[l] = ∂C/∂W[l],  grad_b[l] = ∂C/∂b[l]

written in LaTeX as z^{[l]}_j, a^{[l]}_k, W^{[l]}_{jk}, b^{[l]}_j, \delta^{[l]}_j.

* `general` gives the symbolic equations of a phase (forward, Nielsen's BP1–BP4,
  the update), specialised to the chosen activation and loss.
* `for_neuron` fills them in for one neuron j and one example i from a
  `PhaseRecord`, every term written out as in Mazur's "A Step by Step
  Backpropagation Example"; `numbers` returns the numbers it used, by name.
* `fmt` is the one number format used everywhere.
* `TEXT` holds the English template of every caption, by key.  `general` and
  `for_neuron` take an optional translator ``tr(key, values) -> str``; without
  one the captions are the English templates filled with values, so notebooks
  work unchanged.  The app passes a translator that looks the key up (prefixed
  ``eq_``) in its language catalogue.  LaTeX and notation are never translated.

Every filled-in equation ends in ``= value`` where value is ``fmt`` of the record's
own array entry, so what the learner reads is what the engine computed.  Long
sums are cut to their first `SHOW_FIRST` terms, ``\cdots`` and the last term.

Pure functions of their arguments: nothing here mutates a record.  The strings
use only macros KaTeX knows (Streamlit's ``st.latex`` renders with KaTeX).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import activations as acts
from . import losses
from .stepper import PhaseRecord

KINDS = ("forward", "loss", "backward", "update")
SHOW_FIRST = 4          # terms shown before the ellipsis of a long sum
MAX_SUM_TERMS = 8       # a sum over more neurons than this is elided
MAX_BATCH_TERMS = 5     # a mean over more examples than this is elided
DIGITS = 9              # significant digits, as in Mazur's post (0.298371109)

# The English template of every caption, by key: the one source of this text.  A
# translator given to `general` or `for_neuron` gets these keys and the values that
# fill the {placeholders}; notation inside a template (a[l], δ, η, ...) stays as is.
TEXT: dict[str, str] = {
    # how each derivative is read, in the caption of its filled-in equation
    "slope_sigmoid": "σ'(z) = a(1 − a), from the activation a",
    "slope_tanh": "tanh'(z) = 1 − a², from the activation a",
    "slope_relu": "1 where z > 0, else 0",
    "slope_leaky_relu": "1 where z > 0, else {slope}",
    "slope_linear": "always 1",
    # the losses, as words
    "loss_quadratic": "quadratic",
    "loss_cross_entropy": "cross entropy",
    "loss_log_likelihood": "log likelihood",
    # notes appended to a caption
    "elided_terms": "The sum has {n} terms; the first {first} and the last are shown.",
    "elided_examples": "The sum has {n} examples; the first {first} and the last are shown.",
    "example_note": "Example i = {i} of {n}.",
    "l2_adds_w": "L2 (λ = {l2}) adds λW.",
    "l2_adds_sum": "L2 (λ = {l2}) adds (λ/2)·Σ W².",
    # symbolic equations (general)
    "softmax": "Softmax: the outputs are positive and add up to 1.",
    "activation": "Activation of neuron {j} in layer {layer}: {act} of its weighted input.",
    "derivative": "The derivative of {act}, written with a = f(z) where that is cheaper; "
                  "here z = z[{l}].",
    "bp3": "BP3: the bias gradient is the error, averaged over the n examples of the batch.",
    "bp4": "BP4: the weight gradient is the error of neuron j times the activation of input "
           "neuron k, averaged over the batch.",
    "weighted_input": "Weighted input of neuron j in layer {next}: each activation of layer "
                      "{l} times its weight, plus the bias; all at once, "
                      "z[{l}] = a[{l}] W[{l}]ᵀ + b[{l}].",
    "cost_example": "Cost of example i, {loss}; a_j is the output a[{L}] and y_j the target.",
    "cost_batch": "The cost of the batch is the mean of the per-example costs.",
    "update": "Gradient descent: step each weight against its gradient, scaled by the "
              "learning rate η.",
    "update_every": "Gradient descent for every layer l: step each weight against its "
                    "gradient, scaled by the learning rate η.",
    "update_biases": "The same step for the biases.",
    "bp1_cross_entropy": "BP1 for cross-entropy with a sigmoid output: σ'(z) = a(1 − a) "
                         "cancels, so δ = a − y, and learning does not slow down when the "
                         "output saturates.",
    "bp1_log_likelihood": "BP1 for log-likelihood with a softmax output: the softmax "
                          "derivative cancels against the derivative of −ln a, so δ = a − y.",
    "bp1_softmax": "BP1 with a softmax output: every output depends on every z, so the "
                   "error goes through the softmax Jacobian diag(a) − a aᵀ.",
    "bp1": "BP1: the output error is how the cost changes with the output, times how the "
           "output changes with z.",
    "bp2": "BP2: the errors of layer {next} flow back through the weights that neuron j "
           "feeds, times the slope of its activation.",
    # filled-in equations (for_neuron)
    "slope": "Slope of {act} at neuron {j} of layer {layer}: {why}.",
    "weighted_input_filled": "Weighted input of neuron {j} in layer {layer}: activation "
                             "times weight, summed over the {n} inputs, plus the bias.",
    "softmax_filled": "Softmax divides by the sum over all the layer's neurons.",
    "cost_example_filled": "Cost of example {i} ({loss}), summed over the {n} outputs.",
    "cost_batch_one": "The cost of the batch: the mean over its {n} example.",
    "cost_batch_many": "The cost of the batch: the mean over its {n} examples.",
    "l2_adds_squares": "L2 adds (λ/2) times the sum of the squared weights.",
    "bp1_cancels": "BP1 for {loss} with a {act} output: the derivative of the {act} "
                   "cancels, so δ = a − y.",
    "bp1_softmax_quadratic": "BP1 with a softmax output and the quadratic cost: the error "
                             "goes through the softmax Jacobian diag(a) − a aᵀ, so every "
                             "output's error counts.",
    "jacobian_sum": "The sum of the softmax Jacobian, over all outputs.",
    "bp1_quadratic": "BP1: the output error is ∂C/∂a = a − y times the slope of the "
                     "activation, f'(z).",
    "bp1_other": "BP1: the output error.",
    "bp2_filled": "BP2: the errors of layer {next} flow back through the weights leaving "
                  "neuron {j}, then are scaled by the slope of its activation.",
    "bp3_one": "BP3: the bias gradient is the neuron's error (a batch of one example).",
    "bp3_many": "BP3: the bias gradient is the neuron's error averaged over the {n} examples.",
    "bp4_one": "BP4: the weight gradient is the error of neuron j times the activation "
               "feeding it through this weight (a batch of one example).",
    "bp4_many": "BP4: the weight gradient is error times incoming activation, averaged over "
                "the {n} examples.",
    "l2_recovered": "L2 adds λW, λ = {l2} (W recovered from the record).",
    "l2_in_record": "The record's gradient includes the L2 term λW.",
    "update_weight": "Gradient descent on weight ({j}, {k}) of layer {l}: a step of size "
                     "η = {eta} against its gradient.",
    "biases_held": "The biases are held fixed in this run (as in Mazur's post), so b keeps "
                   "its value.",
    "update_bias": "The same step for the bias.",
}

# A translator: tr(key, values) returns the text of TEXT[key] in some language,
# filled with values (a dict of str to str or int).
Translator = Callable[[str, dict], str]

# Characters after which the next sentence follows without a space (Chinese prose).
_NO_SPACE_AFTER = tuple("。！？；：）」』")


def _text(tr: Translator | None, key: str, **values: object) -> str:
    """The caption text of key: translated by tr, else the English template."""
    if tr is None:
        return TEXT[key].format(**values)
    return tr(key, values)


def _sentences(*parts: str) -> str:
    """Sentences joined into one caption: a space between them, none after 。 etc."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not out.endswith(_NO_SPACE_AFTER):
            out += " "
        out += part
    return out


def _loss_words(name: str, tr: Translator | None) -> str:
    """A loss's name as words ("cross entropy"); a loss registered later as its name."""
    key = f"loss_{name}"
    return _text(tr, key) if key in TEXT else name.replace("_", " ")


def _slope_why(act_name: str, tr: Translator | None) -> str:
    """How the derivative of an activation is read, or f'(z) for one registered later."""
    key = f"slope_{act_name}"
    if key not in TEXT:
        return "f'(z)"
    return _text(tr, key, slope=f"{acts.LEAKY_SLOPE:g}")


# Loss/output pairs whose BP1 simplifies to δ = a − y (losses._matched_delta).
_CANCELS = {("cross_entropy", "sigmoid"), ("log_likelihood", "softmax")}


@dataclass(frozen=True)
class Equation:
    """One ``st.latex`` string and a short plain-language caption (English unless a
    translator was given).

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


def _fac(x: float) -> str:
    return fmt(x, factor=True)


def _base(x: float) -> str:
    """x as the base of a power: (−0.3)^2 and (1.5 × 10^{−7})^2 need parentheses."""
    text = fmt(x)
    return f"({text})" if x < 0 or r"\times" in text else text


def _plus(x: float) -> str:
    """'+ 0.35' or '- 0.35', to append a signed term."""
    return f"- {fmt(-x)}" if x < 0 else f"+ {fmt(x)}"


# --- symbols ------------------------------------------------------------------
def _sub(*idx: int | str) -> str:
    # W_{12,3}, not W_{123}, once an index has two digits.
    sep = "," if any(isinstance(i, int) and i >= 10 for i in idx) else ""
    return "{" + sep.join(str(i) for i in idx) + "}"


def _sym(name: str, layer: int | str, *idx: int | str) -> str:
    """e.g. z^{[1]}_{0}, W^{[0]}_{jk}."""
    return f"{name}^{{[{layer}]}}_{_sub(*idx)}"


def _delta(layer: int | str, *idx: int | str) -> str:
    return _sym(r"\delta", layer, *idx)


def _dW(layer: int | str, *idx: int | str) -> str:
    return rf"\frac{{\partial C}}{{\partial {_sym('W', layer, *idx)}}}"


def _db(layer: int | str, *idx: int | str) -> str:
    return rf"\frac{{\partial C}}{{\partial {_sym('b', layer, *idx)}}}"


def _f_symbol(act: acts.Activation) -> str:
    r"""The function's name in LaTeX, taken from its registered derivative: "\sigma'(z) = …"."""
    m = re.match(r"\s*(.+?)'\(z\)", act.latex_derivative)
    return m.group(1) if m else "f"


def _shown(n: int, limit: int) -> list[int]:
    """Indices of the terms written out: all of them, or the first few and the last."""
    return list(range(n)) if n <= limit else [*range(SHOW_FIRST), n - 1]


def _join(terms: list[str], n: int, limit: int, op: str = " + ") -> str:
    if n <= limit:
        return op.join(terms)
    return op.join(terms[:-1]) + op + r"\cdots" + op + terms[-1]


def _elided(n: int, limit: int, what: str, tr: Translator | None = None) -> str:
    """The note that a long sum of ``what`` ("terms" or "examples") was cut, or ""."""
    if n <= limit:
        return ""
    return _text(tr, f"elided_{what}", n=n, first=SHOW_FIRST)


def _mean_prefix(n: int) -> str:
    return rf"\tfrac{{1}}{{{n}}}"


# --- symbolic equations -------------------------------------------------------
def _activation_eqs(act: acts.Activation, l: int | str, lp1: int | str,
                    tr: Translator | None = None) -> list[Equation]:
    if act.name == "softmax":
        latex = (rf"{_sym('a', lp1, 'j')} = \frac{{e^{{{_sym('z', l, 'j')}}}}}"
                 rf"{{\sum_k e^{{{_sym('z', l, 'k')}}}}}")
        return [Equation(latex, _text(tr, "softmax"))]
    sym = _f_symbol(act)
    latex = rf"{_sym('a', lp1, 'j')} = {sym}({_sym('z', l, 'j')})"
    if "=" in act.latex:
        latex += rf", \qquad {act.latex}"
    elif act.latex.replace(" ", "") != f"{sym}(z)":
        latex += rf", \qquad {sym}(z) = {act.latex}"
    return [Equation(latex, _text(tr, "activation", j="j", layer=lp1, act=act.name))]


def _derivative_eq(act: acts.Activation, l: int | str, tr: Translator | None = None) -> Equation:
    return Equation(act.latex_derivative, _text(tr, "derivative", act=act.name, l=l))


def _bp3_bp4(l: int | str, l2: float, tr: Translator | None = None) -> list[Equation]:
    bp3 = Equation(rf"{_db(l, 'j')} = \frac{{1}}{{n}}\sum_i {_delta(l, 'i', 'j')}",
                   _text(tr, "bp3"))
    latex = (rf"{_dW(l, 'j', 'k')} = \frac{{1}}{{n}}\sum_i {_delta(l, 'i', 'j')}\, "
             rf"{_sym('a', l, 'i', 'k')}")
    caption = _text(tr, "bp4")
    if l2:
        latex += rf" + \lambda\, {_sym('W', l, 'j', 'k')}"
        caption = _sentences(caption, _text(tr, "l2_adds_w", l2=f"{l2:g}"))
    return [bp3, Equation(latex, caption)]


def general(kind: str, layer: int | None, num_layers: int, activation_name: str,
            loss_name: str, *, l2: float = 0.0, tr: Translator | None = None) -> list[Equation]:
    """The symbolic equations of a phase, with the layer numbers filled in.

    activation_name is the activation of weight layer ``layer`` (for the loss and
    update phases, the output activation); loss_name the network's loss.
    tr: an optional translator of the captions, ``tr(key, values)`` for a key of
    `TEXT`; without it the captions are in English.
    """
    act = acts.get(activation_name)
    loss = losses.get(loss_name)
    L = num_layers
    if kind not in KINDS:
        raise ValueError(f"unknown phase kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind in ("forward", "backward") and not (isinstance(layer, int) and 0 <= layer < L):
        raise ValueError(f"layer must be 0 … {L - 1} for a {kind} phase, got {layer!r}")

    if kind == "forward":
        l = layer
        z_eq = Equation(
            rf"{_sym('z', l, 'j')} = \sum_k {_sym('a', l, 'k')}\, {_sym('W', l, 'j', 'k')} "
            rf"+ {_sym('b', l, 'j')}",
            _text(tr, "weighted_input", l=l, next=l + 1))
        return [z_eq, *_activation_eqs(act, l, l + 1, tr)]

    if kind == "loss":
        mean = r"C = \frac{1}{n}\sum_i C_i"
        caption = _text(tr, "cost_batch")
        if l2:
            mean += r" + \frac{\lambda}{2}\sum_l \sum_{j,k} \left(W^{[l]}_{jk}\right)^2"
            caption = _sentences(caption, _text(tr, "l2_adds_sum", l2=f"{l2:g}"))
        return [Equation(loss.latex.replace("C =", "C_i =", 1),
                         _text(tr, "cost_example", loss=_loss_words(loss_name, tr), L=L)),
                Equation(mean, caption)]

    if kind == "update":
        l = "l" if layer is None else layer
        return [Equation(rf"{_sym('W', l, 'j', 'k')} \leftarrow {_sym('W', l, 'j', 'k')} "
                         rf"- \eta\, {_dW(l, 'j', 'k')}",
                         _text(tr, "update_every" if layer is None else "update")),
                Equation(rf"{_sym('b', l, 'j')} \leftarrow {_sym('b', l, 'j')} "
                         rf"- \eta\, {_db(l, 'j')}", _text(tr, "update_biases"))]

    l = layer
    eqs: list[Equation] = []
    if l == L - 1:
        losses.check_pair(activation_name, loss_name)
        d, a, y, z = _delta(l, "j"), _sym("a", L, "j"), "y_j", _sym("z", l, "j")
        dCda = rf"\frac{{\partial C_i}}{{\partial {a}}}"
        if (loss_name, activation_name) == ("cross_entropy", "sigmoid"):
            eqs.append(Equation(
                rf"{d} = {dCda}\, \sigma'({z}) = \frac{{{a} - {y}}}{{{a}(1 - {a})}}\, "
                rf"{a}(1 - {a}) = {a} - {y}",
                _text(tr, "bp1_cross_entropy")))
        elif (loss_name, activation_name) == ("log_likelihood", "softmax"):
            eqs.append(Equation(
                rf"{d} = \frac{{\partial C_i}}{{\partial {z}}} = {a} - {y}",
                _text(tr, "bp1_log_likelihood")))
        elif activation_name == "softmax":
            eqs.append(Equation(
                rf"{d} = \sum_k \frac{{\partial C_i}}{{\partial {_sym('a', L, 'k')}}}"
                rf"\frac{{\partial {_sym('a', L, 'k')}}}{{\partial {z}}} = "
                rf"{a}\left(({a} - {y}) - \sum_k {_sym('a', L, 'k')}"
                rf"({_sym('a', L, 'k')} - y_k)\right)",
                _text(tr, "bp1_softmax")))
        else:
            sym = _f_symbol(act)
            eqs.append(Equation(rf"{d} = {dCda}\, {sym}'({z}) = ({a} - {y})\, {sym}'({z})",
                                _text(tr, "bp1")))
            eqs.append(_derivative_eq(act, l, tr))
    else:
        sym = _f_symbol(act)
        eqs.append(Equation(
            rf"{_delta(l, 'j')} = \left(\sum_k {_sym('W', l + 1, 'k', 'j')}\, "
            rf"{_delta(l + 1, 'k')}\right) {sym}'({_sym('z', l, 'j')})",
            _text(tr, "bp2", next=l + 1)))
        eqs.append(_derivative_eq(act, l, tr))
    return eqs + _bp3_bp4(l, l2, tr)


# --- filled-in equations ------------------------------------------------------
class _Out:
    """Collects the equations and the numbers they show."""

    def __init__(self, tr: Translator | None = None) -> None:
        self.eqs: list[Equation] = []
        self.nums: dict[str, float] = {}
        self.tr = tr

    def text(self, key: str, **values: object) -> str:
        """A caption text in the translator's language (English without one)."""
        return _text(self.tr, key, **values)

    def elided(self, n: int, limit: int, what: str) -> str:
        return _elided(n, limit, what, self.tr)

    def example_note(self, i: int, n: int) -> str:
        return self.text("example_note", i=i, n=n) if n > 1 else ""

    def num(self, key: str, value: object) -> float:
        self.nums[key] = float(value)
        return self.nums[key]

    def eq(self, latex: str, caption: str, result: str) -> None:
        self.eqs.append(Equation(latex, caption, result))


def _index(value: object, n: int, name: str) -> int:
    try:
        i = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if not 0 <= i < n:
        raise ValueError(f"{name} must be from 0 to {n - 1}, got {i}")
    return i


def _check(shown: float, recorded: float, scale: float, what: str) -> None:
    """The displayed arithmetic must give the record's value, or the names are wrong."""
    if not math.isclose(shown, recorded, rel_tol=1e-9, abs_tol=1e-12 * max(scale, 1e-300)):
        raise ValueError(f"the record's {what} is {recorded!r} but the equation gives "
                         f"{shown!r}: do activation_name and loss_name match the network?")


def _apply(act: acts.Activation, z_row: np.ndarray, j: int, l: int, i: int,
           out: _Out) -> str:
    """The activation applied to the numbers: σ(0.3775) = 1/(1 + e^{-0.3775})."""
    z = out.num(f"z[{l}][{i},{j}]", z_row[j])
    if act.name == "sigmoid":
        return rf"\sigma({fmt(z)}) = \frac{{1}}{{1 + e^{{{fmt(-z)}}}}}"
    if act.name == "tanh":
        return rf"\tanh({fmt(z)})"
    if act.name == "relu":
        return rf"\max(0, {fmt(z)})"
    if act.name == "leaky_relu":
        return rf"\max({fmt(acts.LEAKY_SLOPE)} \cdot {_fac(z)}, {fmt(z)})"
    if act.name == "linear":
        return fmt(z)
    if act.name == "softmax":
        n_out = len(z_row)
        ks = _shown(n_out, MAX_SUM_TERMS)
        terms = [f"e^{{{fmt(out.num(f'z[{l}][{i},{k}]', z_row[k]))}}}" for k in ks]
        return rf"\frac{{e^{{{fmt(z)}}}}}{{{_join(terms, n_out, MAX_SUM_TERMS)}}}"
    return rf"{_f_symbol(act)}({fmt(z)})"


def _derivative(act: acts.Activation, z: float, a: float, fprime: float, l: int, i: int,
                j: int, out: _Out) -> Equation:
    """f'(z[l]_j) with the numbers: σ'(z) = a(1 − a) = 0.59(1 − 0.59) = 0.24."""
    _check(float(act.derivative(np.array(z), np.array(a))), fprime, abs(fprime),
           f"f'(z[{l}]) at ({i}, {j})")
    sym, a_sym, z_sym = _f_symbol(act), _sym("a", l + 1, j), _sym("z", l, j)
    fp_key = f"fprime[{l}][{i},{j}]"
    fprime = out.num(fp_key, fprime)
    if act.name == "sigmoid":
        a = out.num(f"a[{l + 1}][{i},{j}]", a)
        body = rf" = {a_sym}(1 - {a_sym}) = {fmt(a)}\,(1 - {_fac(a)})"
    elif act.name == "tanh":
        a = out.num(f"a[{l + 1}][{i},{j}]", a)
        body = rf" = 1 - \left({a_sym}\right)^2 = 1 - {_base(a)}^2"
    elif act.name == "relu":
        z = out.num(f"z[{l}][{i},{j}]", z)
        body = rf" = [{fmt(z)} > 0]"
    elif act.name == "leaky_relu":
        z = out.num(f"z[{l}][{i},{j}]", z)
        body = rf" = {sym}'({fmt(z)})"
    else:
        body = ""
    why = _slope_why(act.name, out.tr)
    return Equation(rf"{sym}'({z_sym}){body} = {fmt(fprime)}",
                    out.text("slope", act=act.name, j=j, layer=l + 1, why=why), fp_key)


def _forward(rec: PhaseRecord, j: int, i: int, act: acts.Activation, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    a_prev, W, b, z, a = (A[key] for key in ("a_prev", "W", "b", "z", "a"))
    n, n_in = a_prev.shape
    terms = [rf"{_fac(out.num(f'a[{l}][{i},{k}]', a_prev[i, k]))} \cdot "
             rf"{_fac(out.num(f'W[{l}][{j},{k}]', W[j, k]))}" for k in _shown(n_in, MAX_SUM_TERMS)]
    bj = out.num(f"b[{l}][{j}]", b[j])
    z_key = f"z[{l}][{i},{j}]"
    zj = out.num(z_key, z[i, j])
    products = a_prev[i] * W[j]
    _check(float(products.sum()) + bj, zj, float(np.abs(products).sum()) + abs(bj), z_key)
    note = out.example_note(i, n)
    out.eq(rf"{_sym('z', l, j)} = \sum_k {_sym('a', l, 'k')}\, {_sym('W', l, j, 'k')} "
           rf"+ {_sym('b', l, j)} = \left({_join(terms, n_in, MAX_SUM_TERMS)}\right) "
           rf"{_plus(bj)} = {fmt(zj)}",
           _sentences(out.text("weighted_input_filled", j=j, layer=l + 1, n=n_in), note,
                      out.elided(n_in, MAX_SUM_TERMS, "terms")),
           z_key)

    a_key = f"a[{l + 1}][{i},{j}]"
    aj = out.num(a_key, a[i, j])
    _check(float(act.value(z[i:i + 1])[0, j]), aj, abs(aj), f"a[{l + 1}] (from {act.name})")
    head = _sym("a", l + 1, j)
    if act.name == "softmax":
        symbolic = (rf"\frac{{e^{{{_sym('z', l, j)}}}}}{{\sum_k e^{{{_sym('z', l, 'k')}}}}}")
    elif act.name == "linear":
        symbolic = _sym("z", l, j)
    else:
        symbolic = rf"{_f_symbol(act)}({_sym('z', l, j)})"
    filled = _apply(act, z[i], j, l, i, out)
    chain = f"{symbolic} = {filled}" if filled != fmt(zj) else symbolic
    n_out = z.shape[1]
    caption = out.text("activation", j=j, layer=l + 1, act=act.name)
    if act.name == "softmax":
        caption = _sentences(caption, out.text("softmax_filled"),
                             out.elided(n_out, MAX_SUM_TERMS, "terms"))
    out.eq(rf"{head} = {chain} = {fmt(aj)}", _sentences(caption, note), a_key)


def _loss(rec: PhaseRecord, i: int, loss: losses.Loss, num_layers: int | None,
          l2: float, out: _Out) -> None:
    A = rec.arrays
    a, y, z, costs = A["a"], A["y"], A["z"], A["costs"]
    loss_value = float(A["loss"])
    n, n_out = a.shape
    L = "L" if num_layers is None else num_layers
    c_key = f"costs[{i}]"
    ci = out.num(c_key, costs[i])
    _check(float(loss.value(z[i:i + 1], a[i:i + 1], y[i:i + 1])[0]), ci, abs(ci),
           f"cost C_{i} (from {loss.name})")
    aj, yj = _sym("a", L, "j"), "y_j"
    pairs = [(out.num(f"a[{L}][{i},{j}]", a[i, j]), out.num(f"y[{i},{j}]", y[i, j]))
             for j in _shown(n_out, MAX_SUM_TERMS)]
    if loss.name == "quadratic":
        symbolic = rf"\tfrac12 \sum_j \left({aj} - {yj}\right)^2"
        terms = [rf"({fmt(av)} - {_fac(yv)})^2" for av, yv in pairs]
        filled = rf"\tfrac12\left[{_join(terms, n_out, MAX_SUM_TERMS)}\right]"
    elif loss.name == "cross_entropy":
        symbolic = rf"-\sum_j \left[{yj} \ln {aj} + (1 - {yj}) \ln(1 - {aj})\right]"
        terms = [rf"\left[{_fac(yv)} \ln {_base(av)} + (1 - {_fac(yv)}) \ln(1 - {fmt(av)})\right]"
                 for av, yv in pairs]
        filled = rf"-\left({_join(terms, n_out, MAX_SUM_TERMS)}\right)"
    elif loss.name == "log_likelihood":
        symbolic = rf"-\sum_j {yj} \ln {aj}"
        terms = [rf"{_fac(yv)} \ln {_base(av)}" for av, yv in pairs]
        filled = rf"-\left({_join(terms, n_out, MAX_SUM_TERMS)}\right)"
    else:  # a loss registered later: its own formula, then the value
        symbolic, filled = loss.latex.split("=", 1)[-1].strip(), ""
    chain = f"{symbolic} = {filled}" if filled else symbolic
    out.eq(rf"C_{{{i}}} = {chain} = {fmt(ci)}",
           _sentences(out.text("cost_example_filled", i=i, loss=_loss_words(loss.name, out.tr),
                               n=n_out),
                      out.elided(n_out, MAX_SUM_TERMS, "terms")), c_key)

    mean = float(np.mean(costs))
    if n == 1:
        filled = "C_{0}"
    else:
        terms = [_fac(out.num(f"costs[{e}]", costs[e])) for e in _shown(n, MAX_BATCH_TERMS)]
        filled = rf"{_mean_prefix(n)}\left({_join(terms, n, MAX_BATCH_TERMS)}\right)"
    latex = r"C = \frac{1}{n}\sum_i C_i"
    caption = out.text("cost_batch_many" if n > 1 else "cost_batch_one", n=n)
    if l2 or mean != loss_value:
        l2_term = out.num("l2_term", loss_value - mean)
        latex += r" + \frac{\lambda}{2}\sum_l \sum_{j,k} \left(W^{[l]}_{jk}\right)^2"
        filled += rf" + \frac{{\lambda}}{{2}}\sum W^2 = {fmt(out.num('mean(costs)', mean))} " \
                  rf"{_plus(l2_term)}"
        caption = _sentences(caption, out.text("l2_adds_squares"))
    else:
        _check(mean, loss_value, abs(loss_value), "loss")
    out.eq(rf"{latex} = {filled} = {fmt(out.num('loss', loss_value))}",
           _sentences(caption, out.elided(n, MAX_BATCH_TERMS, "examples")), "loss")


def _output_delta(rec: PhaseRecord, j: int, i: int, act: acts.Activation, loss: losses.Loss,
                  out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    L = l + 1
    a, y, delta = A["a"], A["y"], A["delta"]
    d_key = f"delta[{l}][{i},{j}]"
    dv = out.num(d_key, delta[i, j])
    d_sym, a_sym, y_sym, z_sym = _delta(l, j), _sym("a", L, j), f"y_{{{j}}}", _sym("z", l, j)
    av = out.num(f"a[{L}][{i},{j}]", a[i, j])
    yv = out.num(f"y[{i},{j}]", y[i, j])
    note = out.example_note(i, a.shape[0])
    if (loss.name, act.name) in _CANCELS:
        _check(av - yv, dv, max(abs(av), abs(yv)), d_key)
        out.eq(rf"{d_sym} = {a_sym} - {y_sym} = {fmt(av)} - {_fac(yv)} = {fmt(dv)}",
               _sentences(out.text("bp1_cancels", loss=_loss_words(loss.name, out.tr),
                                   act=act.name), note), d_key)
    elif act.name == "softmax" and loss.name == "quadratic":
        n_out = a.shape[1]
        g = out.num(f"dC/da[{L}][{i},{j}]", av - yv)
        s_key = f"sum_k a(a-y)[{i}]"
        s = out.num(s_key, np.sum((a[i] - y[i]) * a[i]))
        _check(av * (g - s), dv, abs(av) * (abs(g) + abs(s)), d_key)
        a_k = _sym("a", L, "k")
        out.eq(rf"{d_sym} = {a_sym}\left(({a_sym} - {y_sym}) - \sum_k {a_k}({a_k} - y_k)\right)"
               rf" = {fmt(av)}\left(({fmt(av)} - {_fac(yv)}) - {_fac(s)}\right)"
               rf" = {fmt(av)} \cdot {_fac(g - s)} = {fmt(dv)}",
               _sentences(out.text("bp1_softmax_quadratic"), note), d_key)
        terms = []
        for k in _shown(n_out, MAX_SUM_TERMS):
            ak, yk = out.num(f"a[{L}][{i},{k}]", a[i, k]), out.num(f"y[{i},{k}]", y[i, k])
            terms.append(rf"{fmt(ak)}\,({fmt(ak)} - {_fac(yk)})")
        out.eq(rf"\sum_k {a_k}({a_k} - y_k) = {_join(terms, n_out, MAX_SUM_TERMS)} = {fmt(s)}",
               _sentences(out.text("jacobian_sum"), out.elided(n_out, MAX_SUM_TERMS, "terms")),
               s_key)
    elif loss.name == "quadratic" and "fprime" in A:
        fp = float(A["fprime"][i, j])
        g = out.num(f"dC/da[{L}][{i},{j}]", av - yv)
        _check(g * fp, dv, abs(g * fp), d_key)
        sym = _f_symbol(act)
        out.eq(rf"{d_sym} = ({a_sym} - {y_sym})\, {sym}'({z_sym}) = "
               rf"({fmt(av)} - {_fac(yv)}) \cdot {_fac(fp)} = {_fac(g)} \cdot {_fac(fp)} = "
               rf"{fmt(dv)}",
               _sentences(out.text("bp1_quadratic"), note), d_key)
        out.eqs.append(_derivative(act, float(A["z"][i, j]), av, fp, l, i, j, out))
    else:  # a pair registered later: state the value only
        out.eq(rf"{d_sym} = \frac{{\partial C_i}}{{\partial {z_sym}}} = {fmt(dv)}",
               _sentences(out.text("bp1_other"), note), d_key)


def _hidden_delta(rec: PhaseRecord, j: int, i: int, act: acts.Activation, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    delta, delta_next, W_next, z = A["delta"], A["delta_next"], A["W_next"], A["z"]
    n_next = delta_next.shape[1]
    d_key = f"delta[{l}][{i},{j}]"
    dv = out.num(d_key, delta[i, j])
    terms = [rf"{_fac(out.num(f'W[{l + 1}][{k},{j}]', W_next[k, j]))} \cdot "
             rf"{_fac(out.num(f'delta[{l + 1}][{i},{k}]', delta_next[i, k]))}"
             for k in _shown(n_next, MAX_SUM_TERMS)]
    s_key = f"(delta[{l + 1}] @ W[{l + 1}])[{i},{j}]"
    s = out.num(s_key, (delta_next[i:i + 1] @ W_next)[0, j])
    fp = float(A["fprime"][i, j])
    _check(s * fp, dv, float(np.abs(delta_next[i] * W_next[:, j]).sum()) * abs(fp), d_key)
    sym = _f_symbol(act)
    out.eq(rf"{_delta(l, j)} = \left(\sum_k {_sym('W', l + 1, 'k', j)}\, {_delta(l + 1, 'k')}"
           rf"\right) {sym}'({_sym('z', l, j)}) = \left({_join(terms, n_next, MAX_SUM_TERMS)}"
           rf"\right) \cdot {_fac(fp)} = {_fac(s)} \cdot {_fac(fp)} = {fmt(dv)}",
           _sentences(out.text("bp2_filled", next=l + 2, j=j),
                      out.example_note(i, delta.shape[0]),
                      out.elided(n_next, MAX_SUM_TERMS, "terms")), d_key)
    zj = float(z[i, j])
    aj = float(act.value(z[i:i + 1, j:j + 1])[0, 0])  # a[l+1], as the forward pass computed it
    out.eqs.append(_derivative(act, zj, aj, fp, l, i, j, out))


def _gradients(rec: PhaseRecord, j: int, k: int, l2: float, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    delta, a_prev, grad_w, grad_b = A["delta"], A["a_prev"], A["grad_w"], A["grad_b"]
    n = delta.shape[0]
    shown = _shown(n, MAX_BATCH_TERMS)
    many = out.elided(n, MAX_BATCH_TERMS, "examples")

    # BP3: grad_b[l] = mean_i delta[l]
    gb_key = f"grad_b[{l}][{j}]"
    gb = out.num(gb_key, grad_b[j])
    _check(float(delta[:, j].sum()) / n, gb, float(np.abs(delta[:, j]).sum()) / n, gb_key)
    if n == 1:
        out.num(f"delta[{l}][0,{j}]", delta[0, j])
        out.eq(rf"{_db(l, j)} = {_delta(l, j)} = {fmt(gb)}",
               out.text("bp3_one"), gb_key)
    else:
        terms = [_fac(out.num(f"delta[{l}][{e},{j}]", delta[e, j])) for e in shown]
        out.eq(rf"{_db(l, j)} = \frac{{1}}{{n}}\sum_i {_delta(l, 'i', j)} = "
               rf"{_mean_prefix(n)}\left({_join(terms, n, MAX_BATCH_TERMS)}\right) = {fmt(gb)}",
               _sentences(out.text("bp3_many", n=n), many), gb_key)

    # BP4: grad_w[l] = delta[l].T @ a[l] / n  (+ λ W[l] with L2)
    gw_key = f"grad_w[{l}][{j},{k}]"
    gw = out.num(gw_key, grad_w[j, k])
    products = delta[:, j] * a_prev[:, k]
    mean = float(delta[:, j] @ a_prev[:, k]) / n
    scale = float(np.abs(products).sum()) / n
    pair = [rf"{_fac(out.num(f'delta[{l}][{e},{j}]', delta[e, j]))} \cdot "
            rf"{_fac(out.num(f'a[{l}][{e},{k}]', a_prev[e, k]))}" for e in shown]
    if n == 1:
        symbolic = rf"{_delta(l, j)}\, {_sym('a', l, k)}"
        filled = pair[0]
        caption = out.text("bp4_one")
    else:
        symbolic = rf"\frac{{1}}{{n}}\sum_i {_delta(l, 'i', j)}\, {_sym('a', l, 'i', k)}"
        filled = rf"{_mean_prefix(n)}\left({_join(pair, n, MAX_BATCH_TERMS)}\right)"
        caption = _sentences(out.text("bp4_many", n=n), many)
    l2_part = gw - mean
    if l2 or abs(l2_part) > 1e-12 * max(abs(gw), abs(mean)):
        # The record's grad_w includes λW: show the mean and the L2 term apart.
        symbolic += rf" + \lambda\, {_sym('W', l, j, k)}"
        if l2:
            w = out.num(f"W[{l}][{j},{k}]", l2_part / l2)
            filled += rf" + {fmt(out.num('l2', l2))} \cdot {_fac(w)}"
            caption = _sentences(caption, out.text("l2_recovered", l2=f"{l2:g}"))
        else:
            caption = _sentences(caption, out.text("l2_in_record"))
        filled += rf" = {fmt(out.num(f'mean(delta*a)[{l}][{j},{k}]', mean))} " \
                  rf"{_plus(out.num(f'l2_term[{l}][{j},{k}]', l2_part))}"
    else:
        _check(mean, gw, scale, gw_key)
    out.eq(rf"{_dW(l, j, k)} = {symbolic} = {filled} = {fmt(gw)}", caption, gw_key)


def _update(rec: PhaseRecord, j: int, k: int | None, layer: int | None, out: _Out) -> None:
    A = rec.arrays
    num_layers = sum(key.startswith("W_before") for key in A)
    l = num_layers - 1 if layer is None else _index(layer, num_layers, "layer")
    W_before = A[f"W_before{l}"]
    n_out, n_in = W_before.shape
    j = _index(j, n_out, "j")
    k = _index(0 if k is None else k, n_in, "k")
    eta = out.num("learning_rate", A["learning_rate"])

    w = out.num(f"W[{l}][{j},{k}]", W_before[j, k])
    g = out.num(f"grad_w[{l}][{j},{k}]", A[f"grad_w{l}"][j, k])
    u = out.num(f"update_w[{l}][{j},{k}]", A[f"update_w{l}"][j, k])
    w_key = f"W_after[{l}][{j},{k}]"
    w_after = out.num(w_key, A[f"W_after{l}"][j, k])
    _check(w - eta * g, w_after, abs(w) + abs(u), w_key)
    W_sym = _sym("W", l, j, k)
    out.eq(rf"{W_sym} \leftarrow {W_sym} - \eta\, {_dW(l, j, k)} = {fmt(w)} - {fmt(eta)} "
           rf"\cdot {_fac(g)} = {fmt(w)} {_plus(u)} = {fmt(w_after)}",
           out.text("update_weight", j=j, k=k, l=l, eta=f"{eta:g}"), w_key)

    b = out.num(f"b[{l}][{j}]", A[f"b_before{l}"][j])
    gb = out.num(f"grad_b[{l}][{j}]", A[f"grad_b{l}"][j])
    b_key = f"b_after[{l}][{j}]"
    b_after = out.num(b_key, A[f"b_after{l}"][j])
    b_sym = _sym("b", l, j)
    held = (not np.any(A[f"update_b{l}"])) and bool(np.any(A[f"grad_b{l}"]))
    if held:
        out.eq(rf"{b_sym} \leftarrow {b_sym} = {fmt(b_after)}",
               out.text("biases_held"), b_key)
    else:
        ub = out.num(f"update_b[{l}][{j}]", A[f"update_b{l}"][j])
        _check(b - eta * gb, b_after, abs(b) + abs(ub), b_key)
        out.eq(rf"{b_sym} \leftarrow {b_sym} - \eta\, {_db(l, j)} = {fmt(b)} - {fmt(eta)} "
               rf"\cdot {_fac(gb)} = {fmt(b)} {_plus(ub)} = {fmt(b_after)}",
               out.text("update_bias"), b_key)


def _build(record: PhaseRecord, j: int, example: int, activation_name: str, loss_name: str,
           k: int | None, l2: float, layer: int | None, num_layers: int | None,
           tr: Translator | None = None) -> _Out:
    act, loss = acts.get(activation_name), losses.get(loss_name)
    out = _Out(tr)
    kind, A = record.kind, record.arrays
    if kind == "update":
        _update(record, j, k, layer, out)
        return out
    if kind not in KINDS:
        raise ValueError(f"unknown phase kind {kind!r}")
    batch = A["a"].shape[0] if kind == "loss" else A["z"].shape[0]
    i = _index(example, batch, "example")
    if kind == "loss":
        if num_layers is None and layer is not None:
            num_layers = layer + 1  # the output weight layer L − 1 was given
        _loss(record, i, loss, num_layers, l2, out)
        return out
    j = _index(j, A["z"].shape[1], "j")
    if kind == "forward":
        _forward(record, j, i, act, out)
        return out
    if "y" in A:
        losses.check_pair(act.name, loss.name)
        _output_delta(record, j, i, act, loss, out)
    else:
        _hidden_delta(record, j, i, act, out)
    k = _index(0 if k is None else k, A["a_prev"].shape[1], "k")
    _gradients(record, j, k, l2, out)
    return out


def for_neuron(record: PhaseRecord, j: int, example: int = 0, activation_name: str = "sigmoid",
               loss_name: str = "quadratic", k: int | None = None, *, l2: float = 0.0,
               layer: int | None = None, num_layers: int | None = None,
               tr: Translator | None = None) -> list[Equation]:
    """The equations of ``record``'s phase, filled in for neuron j and example i.

    j: a neuron of layer l+1 (the output side of weight layer l); example: the
    row i of the batch; k: the input neuron of the weight W[l][j, k] shown by
    the gradient and the update (default 0).  activation_name is the activation
    of the record's layer (network.f(l).name; for the loss phase the output
    one), loss_name the network's loss; both are checked against the record's
    numbers, and a mismatch raises ValueError.  l2: the run's λ, to show the λW
    term of grad_w.  layer: which layer an update shows (default the last);
    ignored by forward and backward records, which carry their own.  num_layers:
    L, used only to write a^{[L]} in the loss phase (there ``layer`` = L − 1 does
    the same, and j is unused).  tr: an optional translator of the captions,
    ``tr(key, values)`` for a key of `TEXT`; without it they are in English.

    Forward: [z, a].  Loss: [C_i, C].  Backward: [delta, its helper (f' or the
    softmax sum), grad_b (BP3), grad_w (BP4)].  Update: [W, b].
    """
    return _build(record, j, example, activation_name, loss_name, k, l2, layer,
                  num_layers, tr).eqs


def numbers(record: PhaseRecord, j: int, example: int = 0, activation_name: str = "sigmoid",
            loss_name: str = "quadratic", k: int | None = None, *, l2: float = 0.0,
            layer: int | None = None, num_layers: int | None = None) -> dict[str, float]:
    """The numbers `for_neuron` writes, by name, at full float64 precision.

    Names index bp_core's lists as numpy does: ``"a[1][0,0]"`` is activations[1][0, 0],
    ``"W[1][0,1]"`` weights[1][0, 1], ``"delta[0][0,1]"``, ``"fprime[0][0,1]"`` (f'(z[0])),
    ``"grad_w[0][0,0]"``, ``"W_after[0][0,0]"``, ``"costs[0]"``, ``"loss"``,
    ``"learning_rate"``; intermediate values are named by their expression, e.g.
    ``"(delta[1] @ W[1])[0,0]"`` or ``"dC/da[2][0,0]"`` (a − y).
    """
    return _build(record, j, example, activation_name, loss_name, k, l2, layer,
                  num_layers).nums
