"""The equations of a phase filled in with a record's numbers: `for_neuron` and `numbers`.

For one neuron j and one example i of a `PhaseRecord`, every term is written out as in
Mazur's "A Step by Step Backpropagation Example".  Every equation ends in ``= value``
where value is ``fmt`` of the record's own array entry, and the arithmetic shown is
checked against it (`_check`), so what the learner reads is what the engine computed.

Layers are written as bp_view.notation numbers them: the record of engine index i
(``record.layer``) shows layer l = i + 1, z^{[l]}, W^{[l]}, δ^{[l]} and the activations
a^{[l-1]} coming in.  The names of `numbers` stay the engine's own (``"z[0][0,1]"`` is
``zs[0][0, 1]``, which is z^{[1]}), so each can be found in a notebook.

Pure functions of their arguments: nothing here mutates a record.
"""

from __future__ import annotations

import math
import operator
from typing import TYPE_CHECKING

import numpy as np

from bp_core import activations as acts
from bp_core import losses

from .latex import (
    KINDS,
    MAX_BATCH_TERMS,
    MAX_SUM_TERMS,
    Equation,
    bracket,
    chain,
    dC_db,
    dC_dW,
    delta_symbol,
    elided_note,
    eq_text,
    fmt,
    fmt_base,
    fmt_factor,
    loss_words,
    mean_prefix,
    pieces,
    sentences,
    shown_terms,
    signed_term,
    slope_why,
    symbol,
)
from .notation import layer as layer_of
from .records import layer_updates, learning_rate
from .registry import delta_is_a_minus_y
from .text import Translator

if TYPE_CHECKING:  # only for annotations
    from bp_core.stepper import PhaseRecord


class _Out:
    """Collects the equations and the numbers they show."""

    def __init__(self, tr: Translator | None = None) -> None:
        self.eqs: list[Equation] = []
        self.nums: dict[str, float] = {}
        self.tr = tr

    def text(self, key: str, **values: object) -> str:
        """A caption text in the translator's language (English without one)."""
        return eq_text(self.tr, key, **values)

    def elided(self, n: int, limit: int, what: str) -> str:
        return elided_note(n, limit, what, self.tr)

    def example_note(self, i: int, n: int) -> str:
        return self.text("example_note", i=i, n=n) if n > 1 else ""

    def num(self, key: str, value: object) -> float:
        self.nums[key] = float(value)
        return self.nums[key]

    def eq(self, latex: str, caption: str, result: str) -> None:
        self.eqs.append(Equation(latex, caption, result))

    def chain(self, lhs: str, steps: list, caption: str, result: str, rel: str = "=") -> None:
        """lhs = step = … = value, on as many aligned lines as its width needs."""
        self.eq(chain(lhs, steps, rel=rel), caption, result)


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
           out: _Out) -> list:
    """The activation applied to the numbers, as the steps of a `chain`:
    σ(0.3775) = 1/(1 + e^{-0.3775}).  [] for the identity (nothing to show)."""
    z = out.num(f"z[{l}][{i},{j}]", z_row[j])
    if act.name == "sigmoid":
        return [rf"\sigma({fmt(z)})", rf"\frac{{1}}{{1 + e^{{{fmt(-z)}}}}}"]
    if act.name == "tanh":
        return [rf"\tanh({fmt(z)})"]
    if act.name == "relu":
        return [rf"\max(0, {fmt(z)})"]
    if act.name == "leaky_relu":
        return [rf"\max({fmt(acts.LEAKY_SLOPE)} \cdot {fmt_factor(z)}, {fmt(z)})"]
    if act.name == "linear":
        return []
    if act.name == "softmax":
        # e^z / (Σ e^z_k) written with "/", so that a long denominator can break lines.
        n_out = len(z_row)
        ks = shown_terms(n_out, MAX_SUM_TERMS)
        terms = [f"e^{{{fmt(out.num(f'z[{l}][{i},{k}]', z_row[k]))}}}" for k in ks]
        return [bracket(pieces(terms, n_out, MAX_SUM_TERMS), before=rf"e^{{{fmt(z)}}} / ")]
    return [rf"{act.symbol}({fmt(z)})"]


# How f'(z) is written out with the numbers, by activation: the number it is computed
# from ("a", the activation, or "z") and the LaTeX after f'(z), with {v} that number
# ({v_factor} in parentheses if negative, {v_base} ready to be squared), {a} the symbol
# of a and {f} the function's.  An activation not listed shows f'(z) = value only.
_PRIME_FILLED = {
    "sigmoid": ("a", r" = {a}(1 - {a}) = {v}\,(1 - {v_factor})"),
    "tanh": ("a", r" = 1 - \left({a}\right)^2 = 1 - {v_base}^2"),
    "relu": ("z", r" = [{v} > 0]"),
    "leaky_relu": ("z", r" = {f}'({v})"),
}


def _derivative(act: acts.Activation, z: float, a: float, fprime: float, l: int, i: int,
                j: int, out: _Out) -> Equation:
    """f'(z^l_j) with the numbers: σ'(z) = a(1 − a) = 0.59(1 − 0.59) = 0.24.

    l: the engine index of the record (its layer is l + 1); the keys are the engine's."""
    _check(float(act.derivative(np.array(z), np.array(a))), fprime, abs(fprime),
           f"f'(z[{l}]) at ({i}, {j})")
    layer = layer_of(l)
    sym, a_sym, z_sym = act.symbol, symbol("a", layer, j), symbol("z", layer, j)
    fp_key = f"fprime[{l}][{i},{j}]"
    fprime = out.num(fp_key, fprime)
    body = []
    if act.name in _PRIME_FILLED:
        source, template = _PRIME_FILLED[act.name]
        name, value = (f"a[{l + 1}][{i},{j}]", a) if source == "a" else (f"z[{l}][{i},{j}]", z)
        value = out.num(name, value)
        body = template.format(a=a_sym, f=sym, v=fmt(value), v_factor=fmt_factor(value),
                               v_base=fmt_base(value)).split(" = ")[1:]
    why = slope_why(act.name, out.tr)
    return Equation(chain(rf"{sym}'({z_sym})", [*body, fmt(fprime)]),
                    out.text("slope", act=act.name, j=j, layer=layer, why=why), fp_key)


def _forward(rec: PhaseRecord, j: int, i: int, act: acts.Activation, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    layer = layer_of(l)  # z^layer = W^layer a^(layer-1) + b^layer
    a_prev, W, b, z, a = (A[key] for key in ("a_prev", "W", "b", "z", "a"))
    n, n_in = a_prev.shape
    terms = [rf"{fmt_factor(out.num(f'W[{l}][{j},{k}]', W[j, k]))} \cdot "
             rf"{fmt_factor(out.num(f'a[{l}][{i},{k}]', a_prev[i, k]))}"
             for k in shown_terms(n_in, MAX_SUM_TERMS)]
    bj = out.num(f"b[{l}][{j}]", b[j])
    z_key = f"z[{l}][{i},{j}]"
    zj = out.num(z_key, z[i, j])
    products = a_prev[i] * W[j]
    _check(float(products.sum()) + bj, zj, float(np.abs(products).sum()) + abs(bj), z_key)
    note = out.example_note(i, n)
    out.chain(symbol('z', layer, j),
              [rf"\sum_k {symbol('W', layer, j, 'k')}\, {symbol('a', layer - 1, 'k')} "
               rf"+ {symbol('b', layer, j)}",
               bracket(pieces(terms, n_in, MAX_SUM_TERMS), after=f" {signed_term(bj)}"),
               fmt(zj)],
              sentences(out.text("weighted_input_filled", j=j, layer=layer, n=n_in), note,
                        out.elided(n_in, MAX_SUM_TERMS, "terms")),
              z_key)

    a_key = f"a[{l + 1}][{i},{j}]"
    aj = out.num(a_key, a[i, j])
    _check(float(act.value(z[i:i + 1])[0, j]), aj, abs(aj), f"a[{l + 1}] (from {act.name})")
    head = symbol("a", layer, j)
    if act.name == "softmax":
        symbolic = (rf"\frac{{e^{{{symbol('z', layer, j)}}}}}"
                    rf"{{\sum_k e^{{{symbol('z', layer, 'k')}}}}}")
    elif act.name == "linear":
        symbolic = symbol("z", layer, j)
    else:
        symbolic = rf"{act.symbol}({symbol('z', layer, j)})"
    steps = [symbolic, *_apply(act, z[i], j, l, i, out)]
    n_out = z.shape[1]
    caption = out.text("activation", j=j, layer=layer, act=act.name)
    if act.name == "softmax":
        caption = sentences(caption, out.text("softmax_filled"),
                            out.elided(n_out, MAX_SUM_TERMS, "terms"))
    out.chain(head, [*steps, fmt(aj)], sentences(caption, note), a_key)


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
    aj, yj = symbol("a", L, "j"), "y_j"
    pairs = [(out.num(f"a[{L}][{i},{j}]", a[i, j]), out.num(f"y[{i},{j}]", y[i, j]))
             for j in shown_terms(n_out, MAX_SUM_TERMS)]
    if loss.name == "quadratic":
        symbolic = rf"\tfrac12 \sum_j \left({aj} - {yj}\right)^2"
        terms = [rf"({fmt(av)} - {fmt_factor(yv)})^2" for av, yv in pairs]
        filled = [bracket(pieces(terms, n_out, MAX_SUM_TERMS), before=r"\tfrac12",
                          pair=(r"\bigl[", r"\bigr]"))]
    elif loss.name == "cross_entropy":
        symbolic = rf"-\sum_j \left[{yj} \ln {aj} + (1 - {yj}) \ln(1 - {aj})\right]"
        terms = [rf"\left[{fmt_factor(yv)} \ln {fmt_base(av)} + (1 - {fmt_factor(yv)}) "
                 rf"\ln(1 - {fmt(av)})\right]"
                 for av, yv in pairs]
        filled = [bracket(pieces(terms, n_out, MAX_SUM_TERMS), before="-")]
    elif loss.name == "log_likelihood":
        symbolic = rf"-\sum_j {yj} \ln {aj}"
        terms = [rf"{fmt_factor(yv)} \ln {fmt_base(av)}" for av, yv in pairs]
        filled = [bracket(pieces(terms, n_out, MAX_SUM_TERMS), before="-")]
    else:  # a loss registered later: its own formula, then the value
        symbolic, filled = loss.latex.split("=", 1)[-1].strip(), []
    out.chain(rf"C_{{{i}}}", [symbolic, *filled, fmt(ci)],
           sentences(out.text("cost_example_filled", i=i, loss=loss_words(loss.name, out.tr),
                              n=n_out),
                     out.elided(n_out, MAX_SUM_TERMS, "terms")), c_key)

    mean = float(np.mean(costs))
    if n == 1:
        filled = ["C_{0}"]
    else:
        terms = [fmt_factor(out.num(f"costs[{e}]", costs[e]))
                 for e in shown_terms(n, MAX_BATCH_TERMS)]
        filled = bracket(pieces(terms, n, MAX_BATCH_TERMS), before=mean_prefix(n))
    symbolic = r"\frac{1}{n}\sum_i C_i"
    steps: list = [symbolic, filled]
    caption = out.text("cost_batch_many" if n > 1 else "cost_batch_one", n=n)
    if l2 or mean != loss_value:
        l2_term = out.num("l2_term", loss_value - mean)
        steps[0] += r" + \frac{\lambda}{2}\sum_l \sum_{j,k} \left(W^{[l]}_{jk}\right)^2"
        steps[1] = [*filled, r"+ \frac{\lambda}{2}\sum W^2"]
        steps.append(rf"{fmt(out.num('mean(costs)', mean))} {signed_term(l2_term)}")
        caption = sentences(caption, out.text("l2_adds_squares"))
    else:
        _check(mean, loss_value, abs(loss_value), "loss")
    out.chain("C", [*steps, fmt(out.num('loss', loss_value))],
              sentences(caption, out.elided(n, MAX_BATCH_TERMS, "examples")), "loss")


def _output_delta(rec: PhaseRecord, j: int, i: int, act: acts.Activation, loss: losses.Loss,
                  out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    L = layer_of(l)  # the output layer: δ^L, a^L, z^L
    a, y, delta = A["a"], A["y"], A["delta"]
    d_key = f"delta[{l}][{i},{j}]"
    dv = out.num(d_key, delta[i, j])
    d_sym, a_sym, z_sym = delta_symbol(L, j), symbol("a", L, j), symbol("z", L, j)
    y_sym = f"y_{{{j}}}"
    av = out.num(f"a[{L}][{i},{j}]", a[i, j])
    yv = out.num(f"y[{i},{j}]", y[i, j])
    note = out.example_note(i, a.shape[0])
    if delta_is_a_minus_y(loss.name, act.name):
        _check(av - yv, dv, max(abs(av), abs(yv)), d_key)
        out.chain(d_sym, [f"{a_sym} - {y_sym}", f"{fmt(av)} - {fmt_factor(yv)}", fmt(dv)],
                  sentences(out.text("bp1_cancels", loss=loss_words(loss.name, out.tr),
                                  act=act.name), note), d_key)
    elif act.name == "softmax" and loss.name == "quadratic":
        n_out = a.shape[1]
        g = out.num(f"dC/da[{L}][{i},{j}]", av - yv)
        s_key = f"sum_k a(a-y)[{i}]"
        s = out.num(s_key, np.sum((a[i] - y[i]) * a[i]))
        _check(av * (g - s), dv, abs(av) * (abs(g) + abs(s)), d_key)
        a_k = symbol("a", L, "k")
        out.chain(d_sym,
                  [[rf"{a_sym}\bigl(({a_sym} - {y_sym})", rf"- \sum_k {a_k}({a_k} - y_k)\bigr)"],
                   [rf"{fmt(av)}\bigl(({fmt(av)} - {fmt_factor(yv)})", rf"- {fmt_factor(s)}\bigr)"],
                   rf"{fmt(av)} \cdot {fmt_factor(g - s)}", fmt(dv)],
                  sentences(out.text("bp1_softmax_quadratic"), note), d_key)
        terms = []
        for k in shown_terms(n_out, MAX_SUM_TERMS):
            ak, yk = out.num(f"a[{L}][{i},{k}]", a[i, k]), out.num(f"y[{i},{k}]", y[i, k])
            terms.append(rf"{fmt(ak)}\,({fmt(ak)} - {fmt_factor(yk)})")
        out.chain(rf"\sum_k {a_k}({a_k} - y_k)", [pieces(terms, n_out, MAX_SUM_TERMS), fmt(s)],
                  sentences(out.text("jacobian_sum"), out.elided(n_out, MAX_SUM_TERMS, "terms")),
               s_key)
    elif loss.name == "quadratic" and "fprime" in A:
        fp = float(A["fprime"][i, j])
        g = out.num(f"dC/da[{L}][{i},{j}]", av - yv)
        _check(g * fp, dv, abs(g * fp), d_key)
        sym = act.symbol
        out.chain(d_sym, [rf"({a_sym} - {y_sym})\, {sym}'({z_sym})",
                          rf"({fmt(av)} - {fmt_factor(yv)}) \cdot {fmt_factor(fp)}",
                          rf"{fmt_factor(g)} \cdot {fmt_factor(fp)}", fmt(dv)],
                  sentences(out.text("bp1_quadratic"), note), d_key)
        out.eqs.append(_derivative(act, float(A["z"][i, j]), av, fp, l, i, j, out))
    else:  # a pair registered later: state the value only
        out.chain(d_sym, [rf"\frac{{\partial C_i}}{{\partial {z_sym}}}", fmt(dv)],
                  sentences(out.text("bp1_other"), note), d_key)


def _hidden_delta(rec: PhaseRecord, j: int, i: int, act: acts.Activation, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    delta, delta_next, W_next, z = A["delta"], A["delta_next"], A["W_next"], A["z"]
    n_next = delta_next.shape[1]
    d_key = f"delta[{l}][{i},{j}]"
    dv = out.num(d_key, delta[i, j])
    layer = layer_of(l)  # δ^layer from δ^(layer+1) through W^(layer+1)
    terms = [rf"{fmt_factor(out.num(f'W[{l + 1}][{k},{j}]', W_next[k, j]))} \cdot "
             rf"{fmt_factor(out.num(f'delta[{l + 1}][{i},{k}]', delta_next[i, k]))}"
             for k in shown_terms(n_next, MAX_SUM_TERMS)]
    s_key = f"(delta[{l + 1}] @ W[{l + 1}])[{i},{j}]"
    s = out.num(s_key, (delta_next[i:i + 1] @ W_next)[0, j])
    fp = float(A["fprime"][i, j])
    _check(s * fp, dv, float(np.abs(delta_next[i] * W_next[:, j]).sum()) * abs(fp), d_key)
    sym = act.symbol
    out.chain(delta_symbol(layer, j),
              [rf"\left(\sum_k {symbol('W', layer + 1, 'k', j)}\, "
               rf"{delta_symbol(layer + 1, 'k')}\right) {sym}'({symbol('z', layer, j)})",
               bracket(pieces(terms, n_next, MAX_SUM_TERMS), after=rf" \cdot {fmt_factor(fp)}"),
               rf"{fmt_factor(s)} \cdot {fmt_factor(fp)}", fmt(dv)],
              sentences(out.text("bp2_filled", l=layer, next=layer + 1, j=j),
                     out.example_note(i, delta.shape[0]),
                     out.elided(n_next, MAX_SUM_TERMS, "terms")), d_key)
    zj = float(z[i, j])
    aj = float(act.value(z[i:i + 1, j:j + 1])[0, 0])  # a[l+1], as the forward pass computed it
    out.eqs.append(_derivative(act, zj, aj, fp, l, i, j, out))


def _gradients(rec: PhaseRecord, j: int, k: int, l2: float, out: _Out) -> None:
    l, A = rec.layer, rec.arrays
    delta, a_prev, grad_w, grad_b = A["delta"], A["a_prev"], A["grad_w"], A["grad_b"]
    n = delta.shape[0]
    shown = shown_terms(n, MAX_BATCH_TERMS)
    many = out.elided(n, MAX_BATCH_TERMS, "examples")
    layer = layer_of(l)  # ∂C/∂b^layer and ∂C/∂W^layer, from δ^layer and a^(layer-1)

    # BP3: grad_b[l] = mean_i delta[l]
    gb_key = f"grad_b[{l}][{j}]"
    gb = out.num(gb_key, grad_b[j])
    _check(float(delta[:, j].sum()) / n, gb, float(np.abs(delta[:, j]).sum()) / n, gb_key)
    if n == 1:
        out.num(f"delta[{l}][0,{j}]", delta[0, j])
        out.chain(dC_db(layer, j), [delta_symbol(layer, j), fmt(gb)],
                  out.text("bp3_one"), gb_key)
    else:
        terms = [fmt_factor(out.num(f"delta[{l}][{e},{j}]", delta[e, j])) for e in shown]
        out.chain(dC_db(layer, j),
                  [rf"\frac{{1}}{{n}}\sum_i {delta_symbol(layer, 'i', j)}",
                   bracket(pieces(terms, n, MAX_BATCH_TERMS), before=mean_prefix(n)), fmt(gb)],
                  sentences(out.text("bp3_many", n=n), many), gb_key)

    # BP4: grad_w[l] = delta[l].T @ a[l] / n  (+ λ W[l] with L2)
    gw_key = f"grad_w[{l}][{j},{k}]"
    gw = out.num(gw_key, grad_w[j, k])
    products = delta[:, j] * a_prev[:, k]
    mean = float(delta[:, j] @ a_prev[:, k]) / n
    scale = float(np.abs(products).sum()) / n
    pair = [rf"{fmt_factor(out.num(f'delta[{l}][{e},{j}]', delta[e, j]))} \cdot "
            rf"{fmt_factor(out.num(f'a[{l}][{e},{k}]', a_prev[e, k]))}" for e in shown]
    if n == 1:
        symbolic = rf"{delta_symbol(layer, j)}\, {symbol('a', layer - 1, k)}"
        filled = [pair[0]]
        caption = out.text("bp4_one")
    else:
        symbolic = (rf"\frac{{1}}{{n}}\sum_i {delta_symbol(layer, 'i', j)}\, "
                    rf"{symbol('a', layer - 1, 'i', k)}")
        filled = bracket(pieces(pair, n, MAX_BATCH_TERMS), before=mean_prefix(n))
        caption = sentences(out.text("bp4_many", n=n), many)
    steps: list = [symbolic, filled]
    if l2 and "W" in A:
        # λ·W[l] with the record's own W (the weights forward l used), checked like the mean.
        w = out.num(f"W[{l}][{j},{k}]", A["W"][j, k])
        l2_part = out.num(f"l2_term[{l}][{j},{k}]", l2 * w)
        _check(mean + l2_part, gw, scale + abs(l2_part), gw_key)
        steps[0] += rf" + \lambda\, {symbol('W', layer, j, k)}"
        steps[1] = [*filled, rf"+ {fmt(out.num('l2', l2))} \cdot {fmt_factor(w)}"]
        caption = sentences(caption, out.text("l2_adds_w", l2=f"{l2:g}"))
        steps.append(f"{fmt(out.num(f'mean(delta*a)[{l}][{j},{k}]', mean))} "
                     f"{signed_term(l2_part)}")
    elif l2 or abs(gw - mean) > 1e-12 * max(abs(gw), abs(mean)):
        # A record built by hand without its W, whose grad_w includes λW: the mean and
        # what the record adds to it, apart (W itself is not worked back out).
        steps[0] += rf" + \lambda\, {symbol('W', layer, j, k)}"
        caption = sentences(caption, out.text("l2_in_record"))
        steps.append(rf"{fmt(out.num(f'mean(delta*a)[{l}][{j},{k}]', mean))} "
                     rf"{signed_term(out.num(f'l2_term[{l}][{j},{k}]', gw - mean))}")
    else:
        _check(mean, gw, scale, gw_key)
    out.chain(dC_dW(layer, j, k), [*steps, fmt(gw)], caption, gw_key)


def _update(rec: PhaseRecord, j: int, k: int | None, layer: int | None, out: _Out) -> None:
    updates = layer_updates(rec)
    l = len(updates) - 1 if layer is None else _index(layer, len(updates), "layer")
    u = updates[l]
    n_out, n_in = u.W_before.shape
    j = _index(j, n_out, "j")
    k = _index(0 if k is None else k, n_in, "k")
    eta = out.num("learning_rate", learning_rate(rec))

    w = out.num(f"W[{l}][{j},{k}]", u.W_before[j, k])
    g = out.num(f"grad_w[{l}][{j},{k}]", u.grad_w[j, k])
    step = out.num(f"update_w[{l}][{j},{k}]", u.step_w[j, k])
    w_key = f"W_after[{l}][{j},{k}]"
    w_after = out.num(w_key, u.W_after[j, k])
    _check(w - eta * g, w_after, abs(w) + abs(step), w_key)
    layer = layer_of(l)
    W_sym = symbol("W", layer, j, k)
    out.chain(W_sym, [rf"{W_sym} - \eta\, {dC_dW(layer, j, k)}",
                      rf"{fmt(w)} - {fmt(eta)} \cdot {fmt_factor(g)}",
                      f"{fmt(w)} {signed_term(step)}", fmt(w_after)],
              out.text("update_weight", j=j, k=k, l=layer, eta=f"{eta:g}"), w_key,
              rel=r"\leftarrow")

    b = out.num(f"b[{l}][{j}]", u.b_before[j])
    gb = out.num(f"grad_b[{l}][{j}]", u.grad_b[j])
    b_key = f"b_after[{l}][{j}]"
    b_after = out.num(b_key, u.b_after[j])
    b_sym = symbol("b", layer, j)
    held = (not np.any(u.step_b)) and bool(np.any(u.grad_b))
    if held:
        out.chain(b_sym, [b_sym, fmt(b_after)], out.text("biases_held"), b_key,
                  rel=r"\leftarrow")
    else:
        ub = out.num(f"update_b[{l}][{j}]", u.step_b[j])
        _check(b - eta * gb, b_after, abs(b) + abs(ub), b_key)
        out.chain(b_sym, [rf"{b_sym} - \eta\, {dC_db(layer, j)}",
                          rf"{fmt(b)} - {fmt(eta)} \cdot {fmt_factor(gb)}",
                          f"{fmt(b)} {signed_term(ub)}", fmt(b_after)],
                  out.text("update_bias"), b_key, rel=r"\leftarrow")


def _build(record: PhaseRecord, j: int, example: int, activation_name: str | None,
           loss_name: str | None, k: int | None, l2: float | None, layer: int | None,
           num_layers: int | None, tr: Translator | None = None) -> _Out:
    # What the caller does not name, the record says about itself.  A record built by
    # hand from arrays alone says nothing: it is read as a sigmoid network with the
    # quadratic cost, and the arithmetic checks refuse it if it is not one.
    act = acts.get(activation_name or record.activation or "sigmoid")
    loss = losses.get(loss_name or record.loss_name or "quadratic")
    l2 = record.l2 if l2 is None else l2
    num_layers = num_layers or record.num_layers or None
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


def for_neuron(record: PhaseRecord, j: int, example: int = 0,
               activation_name: str | None = None, loss_name: str | None = None,
               k: int | None = None, *, l2: float | None = None, layer: int | None = None,
               num_layers: int | None = None, tr: Translator | None = None) -> list[Equation]:
    """The equations of ``record``'s phase, filled in for neuron j and example i.

    j: a neuron of the record's layer l (engine index l − 1; see bp_view.notation);
    example: the row i of the batch; k: the neuron of layer l − 1 whose weight W^l_{jk}
    the gradient and the update show (default 0).  layer: which weight layer an update
    shows, as an engine index 0 … L−1 (default the last); ignored by forward and
    backward records, which carry their own.  tr: an optional translator of the
    captions, ``tr(key, values)`` for a key of `TEXT`; without it they are in English.

    The rest the record says about itself, and need only be given for a record built
    by hand: activation_name, the activation of the record's layer (for the loss
    phase the output one; default ``record.activation``); loss_name, the network's
    loss (default ``record.loss_name``); both are checked against the record's
    numbers, and a mismatch raises ValueError.  l2: the run's λ, to show the λW term
    of grad_w (default ``record.l2``).  num_layers: L, used only to write a^{[L]} in
    the loss phase (default ``record.num_layers``; ``layer`` = L − 1 does the same).

    Forward: [z, a].  Loss: [C_i, C].  Backward: [delta, its helper (f' or the
    softmax sum), grad_b (BP3), grad_w (BP4)].  Update: [W, b].
    """
    return _build(record, j, example, activation_name, loss_name, k, l2, layer,
                  num_layers, tr).eqs


def numbers(record: PhaseRecord, j: int, example: int = 0, activation_name: str | None = None,
            loss_name: str | None = None, k: int | None = None, *, l2: float | None = None,
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
