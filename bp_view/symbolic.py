"""The symbolic equations of each phase, with the layer numbers filled in: `general`.

Layers are numbered as in bp_view.notation (input 0, layers 1 … L): the record of
engine index i shows layer l = i + 1, with z^{[l]}, W^{[l]}, b^{[l]}, δ^{[l]} and the
activations a^{[l-1]} coming in.

Forward: z and a.  Loss: C_i and C.  Backward: Nielsen's BP1 (at the output) or BP2,
the derivative, then BP3 and BP4.  Update: gradient descent on W and b.  Each is
specialised to the chosen activation and loss, whose LaTeX comes from bp_core's
registries.
"""

from __future__ import annotations

from bp_core import activations as acts
from bp_core import losses
from bp_core.stepper import PhaseRecord

from .latex import (
    KINDS,
    Equation,
    dC_db,
    dC_dW,
    delta_symbol,
    eq_text,
    loss_words,
    sentences,
    symbol,
)
from .notation import layer as layer_of
from .text import Translator


def _activation_eqs(act: acts.Activation, l: int | str,
                    tr: Translator | None = None) -> list[Equation]:
    """a^l = f(z^l) for layer l."""
    if act.name == "softmax":
        latex = (rf"{symbol('a', l, 'j')} = \frac{{e^{{{symbol('z', l, 'j')}}}}}"
                 rf"{{\sum_k e^{{{symbol('z', l, 'k')}}}}}")
        return [Equation(latex, eq_text(tr, "softmax"))]
    sym = act.symbol
    latex = rf"{symbol('a', l, 'j')} = {sym}({symbol('z', l, 'j')})"
    if "=" in act.latex:
        latex += rf", \qquad {act.latex}"
    elif act.latex.replace(" ", "") != f"{sym}(z)":
        latex += rf", \qquad {sym}(z) = {act.latex}"
    return [Equation(latex, eq_text(tr, "activation", j="j", layer=l, act=act.name))]


def _derivative_eq(act: acts.Activation, l: int | str, tr: Translator | None = None) -> Equation:
    return Equation(act.latex_derivative, eq_text(tr, "derivative", act=act.name, l=l))


def _bp3_bp4(l: int, l2: float, tr: Translator | None = None) -> list[Equation]:
    """BP3 and BP4 of layer l: the weights W^l meet the activations a^{l-1}."""
    bp3 = Equation(rf"{dC_db(l, 'j')} = \frac{{1}}{{n}}\sum_i {delta_symbol(l, 'i', 'j')}",
                   eq_text(tr, "bp3"))
    latex = (rf"{dC_dW(l, 'j', 'k')} = \frac{{1}}{{n}}\sum_i {delta_symbol(l, 'i', 'j')}\, "
             rf"{symbol('a', l - 1, 'i', 'k')}")
    caption = eq_text(tr, "bp4", l=l, prev=l - 1)
    if l2:
        latex += rf" + \lambda\, {symbol('W', l, 'j', 'k')}"
        caption = sentences(caption, eq_text(tr, "l2_adds_w", l2=f"{l2:g}"))
    return [bp3, Equation(latex, caption)]


def general(record: PhaseRecord, *, layer: int | None = None,
            tr: Translator | None = None) -> list[Equation]:
    """The symbolic equations of ``record``'s phase, with the layer numbers filled in.

    The record says everything: its kind and weight layer i (engine index 0 … L−1,
    written as layer l = i + 1, see bp_view.notation), L, the activation of its layer,
    the loss and λ.  A record of a pass not yet run will do (``Stepper.outline()``);
    one built without settings raises ValueError.  layer: for an update record, the
    weight layer to write the step for (default: every layer, W^{[l]}); ignored by the
    other kinds.  tr: an optional translator of the captions, ``tr(key, values)`` for
    a key of `TEXT`; without it the captions are in English.
    """
    if record.settings is None:
        raise ValueError("general needs a record that carries its settings (a Stepper's "
                         "record, or one of Stepper.outline())")
    kind, L = record.kind, record.num_layers
    if kind == "update":
        if layer is not None and not (isinstance(layer, int) and 0 <= layer < L):
            raise ValueError(f"layer must be 0 … {L - 1} for an update, got {layer!r}")
        activation_name = record.output_activation
    else:
        layer, activation_name = record.layer, record.activation
    loss_name, l2 = record.loss_name, record.l2
    act = acts.get(activation_name)
    loss = losses.get(loss_name)
    if kind not in KINDS:
        raise ValueError(f"unknown phase kind {kind!r}; choose one of {', '.join(KINDS)}")
    if kind in ("forward", "backward") and not (isinstance(layer, int) and 0 <= layer < L):
        raise ValueError(f"layer must be 0 … {L - 1} for a {kind} phase, got {layer!r}")

    if kind == "forward":
        l = layer_of(layer)
        z_eq = Equation(
            rf"{symbol('z', l, 'j')} = \sum_k {symbol('W', l, 'j', 'k')}\, "
            rf"{symbol('a', l - 1, 'k')} + {symbol('b', l, 'j')}",
            eq_text(tr, "weighted_input", l=l, prev=l - 1))
        return [z_eq, *_activation_eqs(act, l, tr)]

    if kind == "loss":
        mean = r"C = \frac{1}{n}\sum_i C_i"
        caption = eq_text(tr, "cost_batch")
        if l2:
            mean += r" + \frac{\lambda}{2}\sum_l \sum_{j,k} \left(W^{[l]}_{jk}\right)^2"
            caption = sentences(caption, eq_text(tr, "l2_adds_sum", l2=f"{l2:g}"))
        return [Equation(loss.latex.replace("C =", "C_i =", 1),
                         eq_text(tr, "cost_example", loss=loss_words(loss_name, tr), L=L)),
                Equation(mean, caption)]

    if kind == "update":
        l = "l" if layer is None else layer_of(layer)
        return [Equation(rf"{symbol('W', l, 'j', 'k')} \leftarrow {symbol('W', l, 'j', 'k')} "
                         rf"- \eta\, {dC_dW(l, 'j', 'k')}",
                         eq_text(tr, "update_every" if layer is None else "update")),
                Equation(rf"{symbol('b', l, 'j')} \leftarrow {symbol('b', l, 'j')} "
                         rf"- \eta\, {dC_db(l, 'j')}", eq_text(tr, "update_biases"))]

    l = layer_of(layer)
    eqs: list[Equation] = []
    if l == L:
        losses.check_pair(activation_name, loss_name)
        d, a, y, z = delta_symbol(L, "j"), symbol("a", L, "j"), "y_j", symbol("z", L, "j")
        dCda = rf"\frac{{\partial C_i}}{{\partial {a}}}"
        if (loss_name, activation_name) == ("cross_entropy", "sigmoid"):
            eqs.append(Equation(
                rf"{d} = {dCda}\, \sigma'({z}) = \frac{{{a} - {y}}}{{{a}(1 - {a})}}\, "
                rf"{a}(1 - {a}) = {a} - {y}",
                eq_text(tr, "bp1_cross_entropy")))
        elif (loss_name, activation_name) == ("log_likelihood", "softmax"):
            eqs.append(Equation(
                rf"{d} = \frac{{\partial C_i}}{{\partial {z}}} = {a} - {y}",
                eq_text(tr, "bp1_log_likelihood")))
        elif activation_name == "softmax":
            eqs.append(Equation(
                rf"{d} = \sum_k \frac{{\partial C_i}}{{\partial {symbol('a', L, 'k')}}}"
                rf"\frac{{\partial {symbol('a', L, 'k')}}}{{\partial {z}}} = "
                rf"{a}\left(({a} - {y}) - \sum_k {symbol('a', L, 'k')}"
                rf"({symbol('a', L, 'k')} - y_k)\right)",
                eq_text(tr, "bp1_softmax")))
        else:
            sym = act.symbol
            eqs.append(Equation(rf"{d} = {dCda}\, {sym}'({z}) = ({a} - {y})\, {sym}'({z})",
                                eq_text(tr, "bp1", L=L)))
            eqs.append(_derivative_eq(act, l, tr))
    else:
        sym = act.symbol
        eqs.append(Equation(
            rf"{delta_symbol(l, 'j')} = \left(\sum_k {symbol('W', l + 1, 'k', 'j')}\, "
            rf"{delta_symbol(l + 1, 'k')}\right) {sym}'({symbol('z', l, 'j')})",
            eq_text(tr, "bp2", l=l, next=l + 1)))
        eqs.append(_derivative_eq(act, l, tr))
    return eqs + _bp3_bp4(l, l2, tr)

