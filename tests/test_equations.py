"""bp_view.equations: the filled-in equations show the engine's numbers.

The independent reference is Matt Mazur's "A Step by Step Backpropagation
Example" (2015), whose numbers were worked by hand: every published number must
appear in the equation of its phase, within the precision it was published to
(plus half a unit of our own 9th significant digit).  Beyond that, every phase of
random small networks, for every activation/loss pair, must render, end in the
record's own value, keep LaTeX braces balanced and use only macros KaTeX knows.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bp_core import Network, PassSettings, PhaseRecord, Stepper, datasets, losses, outline
from bp_core.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from bp_core.stepper import phases
from bp_view import equations
from bp_view.equations import Equation, fmt, for_neuron, general, numbers
from bp_view.latex import MAX_LINE_WIDTH, bracket, chain, pieces, width
from bp_view.registry import delta_is_a_minus_y

# --- helpers ------------------------------------------------------------------
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?")


def parse(text: str) -> float:
    """A number as fmt writes it: '0.75', '(-0.5)', '1.5 \\times 10^{-7}'."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)(?: \\times 10\^\{(-?\d+)\})?", text)
    assert m, f"not a number as fmt writes it: {text!r}"
    return float(f"{m.group(1)}e{m.group(2) or 0}")  # exact, even for subnormals


def final(eq: Equation) -> float:
    """The value an equation ends with, on its last line ("&= 0.5" or "= 0.5")."""
    last = eq.latex.removesuffix(r"\end{aligned}")
    return parse(re.split(r" &?= ", last)[-1])


def nine(x: float) -> float:
    return float(f"{x:.9g}")


def shows(eqs: list[Equation], published: str) -> bool:
    """True if a number in the equations equals the published one to its precision."""
    p = float(published)
    decimals = len(published.split(".")[1]) if "." in published else 0
    for eq in eqs:
        for token in NUMBER.findall(eq.latex):
            v = parse(token)
            if v == 0:
                continue
            ours = 0.5 * 10.0 ** (math.floor(math.log10(abs(v))) - 8)  # our 9th digit
            if abs(v - p) <= 0.5 * 10.0 ** -decimals + ours:
                return True
    return False


def balanced(latex: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", latex):
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    lefts = len(re.findall(r"\\left(?![A-Za-z])", latex))  # not \leftarrow
    return depth == 0 and lefts == len(re.findall(r"\\right(?![A-Za-z])", latex))


# Macros KaTeX supports that these equations may use (from activations/losses too).
KATEX_MACROS = {
    "sum", "delta", "frac", "tfrac", "dfrac", "partial", "sigma", "tanh", "mathrm", "max",
    "min", "left", "right", "cdot", "cdots", "ldots", "dots", "ln", "log", "exp", "leftarrow",
    "eta", "lambda", "times", "qquad", "quad", "text", "odot", "top", "le", "ge", "lt", "gt",
    "big", "Big", "bigl", "bigr", "infty", "sqrt", "alpha", "beta", "epsilon", "nabla",
    "operatorname", "mathbf", "boldsymbol", "in", "mid", "|", ",", ";", "!", " ",
    "begin", "end", "\\",  # \begin{aligned} … \\ … \end{aligned}: an equation on several lines
}


def macros(latex: str) -> set[str]:
    return set(re.findall(r"\\([A-Za-z]+|[^A-Za-z])", latex)) - {"{", "}", "_"}


def check_strings(eqs: list[Equation]) -> None:
    for eq in eqs:
        assert isinstance(eq, Equation) and eq.latex and eq.caption
        assert balanced(eq.latex), eq.latex
        assert eq.latex.isascii(), eq.latex  # no Unicode in KaTeX math: strict mode warns
        unknown = macros(eq.latex) - KATEX_MACROS
        assert not unknown, (unknown, eq.latex)


# --- fmt ----------------------------------------------------------------------
@pytest.mark.parametrize("x, text", [
    (0.7513650695523157, "0.75136507"), (0.2983711087600027, "0.298371109"),
    (2.0, "2"), (-0.0, "0"), (0.0, "0"), (-0.5, "-0.5"), (1.5e-7, r"1.5 \times 10^{-7}"),
    (-2.5e12, r"-2.5 \times 10^{12}"), (0.000438567734474, "0.000438567734"),
])
def test_fmt_examples(x, text):
    assert fmt(x) == text


def test_fmt_parenthesises_negative_factors_only():
    assert fmt(-0.5, factor=True) == "(-0.5)"
    assert fmt(0.5, factor=True) == "0.5"
    assert fmt(-1e-9, factor=True) == r"(-1 \times 10^{-9})"


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_fmt_reads_back_as_nine_significant_digits(x):
    assert parse(fmt(x)) == pytest.approx(nine(x), rel=1e-15, abs=0)
    assert parse(fmt(x, factor=True)) == pytest.approx(nine(x), rel=1e-15, abs=0)


# --- Mazur's worked example -----------------------------------------------------
@pytest.fixture(scope="module")
def mazur():
    net, data = datasets.mazur_network(), datasets.mazur()
    stepper = Stepper(net, data.X, data.Y, datasets.MAZUR_LEARNING_RATE, update_biases=False)
    return {rec.label: rec for rec in stepper.run()}


def test_mazur_forward(mazur):
    h1 = for_neuron(mazur["F0"], 0)
    assert shows(h1[:1], "0.3775")            # net_h1
    assert shows(h1[1:], "0.593269992")       # out_h1
    o1 = for_neuron(mazur["F1"], 0)
    assert shows(o1[:1], "1.105905967")       # net_o1
    assert shows(o1[1:], "0.75136507")        # out_o1
    assert shows(for_neuron(mazur["F1"], 1)[1:], "0.772928465")  # out_o2
    nums = numbers(mazur["F1"], 0)
    assert nums["z[1][0,0]"] == pytest.approx(1.105905967, abs=1e-9)
    assert nums["a[1][0,1]"] == pytest.approx(0.596884378, abs=1e-9)  # out_h2


def test_mazur_loss(mazur):
    eqs = for_neuron(mazur["Loss"], 0, num_layers=2)
    assert shows(eqs[:1], "0.298371109") and shows(eqs[1:], "0.298371109")  # E_total
    assert "a^{[2]}_{j}" in eqs[0].latex
    assert for_neuron(mazur["Loss"], 0, layer=1) == eqs  # the output weight layer names L too
    assert for_neuron(mazur["Loss"], 0) == eqs  # the record knows L itself
    bare = PhaseRecord("loss", None, mazur["Loss"].index, mazur["Loss"].arrays)
    assert "a^{[L]}_{j}" in for_neuron(bare, 0)[0].latex  # a record built by hand does not
    assert numbers(mazur["Loss"], 0)["loss"] == pytest.approx(0.298371109, abs=1e-9)


def test_mazur_output_delta_and_w5(mazur):
    eqs = for_neuron(mazur["B1"], 0, k=0)
    delta, slope, _, grad_w = eqs
    # ∂E/∂net_o1 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 = 0.74136507 · 0.186815602 = 0.138498562
    assert r"0.74136507 \cdot 0.186815602 = 0.138498562" in delta.latex
    assert shows([slope], "0.186815602")
    assert shows([grad_w], "0.082167041")     # ∂E/∂w5
    nums = numbers(mazur["B1"], 0, k=0)
    assert nums["dC/da[2][0,0]"] == pytest.approx(0.74136507, abs=1e-9)
    assert nums["grad_w[1][0,0]"] == pytest.approx(0.082167041, abs=1e-9)


def test_mazur_hidden_delta_and_w1(mazur):
    delta, slope, _, grad_w = for_neuron(mazur["B0"], 0, k=0)
    assert shows([delta], "0.036350306")      # ∂E_total/∂out_h1
    assert shows([slope], "0.241300709")      # ∂out_h1/∂net_h1
    assert shows([grad_w], "0.000438568")     # ∂E/∂w1
    # the sum of BP2 over the two output neurons, its terms across two aligned lines
    assert re.search(r"0.4 \\cdot 0.138498562 (\\\\ &\\qquad )?\+ 0.5 \\cdot \(-0.0380982365\)",
                     delta.latex)
    nums = numbers(mazur["B0"], 0, k=0)
    assert nums["(delta[1] @ W[1])[0,0]"] == pytest.approx(0.036350306, abs=1e-9)


@pytest.mark.parametrize("layer, j, k, published", [
    (1, 0, 0, "0.35891648"), (1, 0, 1, "0.408666186"), (1, 1, 0, "0.511301270"),
    (1, 1, 1, "0.561370121"), (0, 0, 0, "0.149780716"), (0, 0, 1, "0.19956143"),
    (0, 1, 0, "0.24975114"), (0, 1, 1, "0.29950229"),
])
def test_mazur_updated_weights(mazur, layer, j, k, published):
    w, b = for_neuron(mazur["Update"], j, k=k, layer=layer)
    assert shows([w], published)
    assert abs(final(w) - float(published)) <= 1e-8
    assert final(b) == [[0.35], [0.60]][layer][0]  # Mazur leaves the biases alone
    if layer == 1 and j == 0 and k == 0:
        assert r"0.4 - 0.5 \cdot 0.0821670406" in w.latex


def test_update_defaults_to_last_layer(mazur):
    assert for_neuron(mazur["Update"], 0)[0].result == "W_after[1][0,0]"


# --- every phase, every activation/loss pair -------------------------------------
PAIRS = [(hidden, out, loss) for hidden in HIDDEN_ACTIVATIONS for out in ACTIVATIONS
         for loss in losses.valid_losses(out)]


def expected_results(rec, i, j, k, L):
    """(result key, record value) of each equation, straight from the record's arrays."""
    A, l = rec.arrays, rec.layer
    if rec.kind == "forward":
        return [(f"z[{l}][{i},{j}]", A["z"][i, j]), (f"a[{l + 1}][{i},{j}]", A["a"][i, j])]
    if rec.kind == "loss":
        return [(f"costs[{i}]", A["costs"][i]), ("loss", A["loss"])]
    if rec.kind == "backward":
        return [(f"delta[{l}][{i},{j}]", A["delta"][i, j]), (f"grad_b[{l}][{j}]", A["grad_b"][j]),
                (f"grad_w[{l}][{j},{k}]", A["grad_w"][j, k])]
    return [(f"W_after[{L - 1}][{j},{k}]", A[f"W_after{L - 1}"][j, k]),
            (f"b_after[{L - 1}][{j}]", A[f"b_after{L - 1}"][j])]


def random_run(hidden, out, loss, seed, l2=0.0, update_biases=True):
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(1, 5, size=rng.integers(2, 5))]
    if out == "softmax" or loss != "quadratic":
        sizes[-1] = max(sizes[-1], 2)
    n = int(rng.integers(1, 8))
    net = Network(sizes, activation=hidden, output_activation=out, loss=loss, seed=seed)
    X = rng.normal(size=(n, sizes[0]))
    if loss == "log_likelihood":
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]
    else:
        Y = rng.uniform(0, 1, size=(n, sizes[-1]))
    stepper = Stepper(net, X, Y, 0.3, l2=l2, update_biases=update_biases)
    return net, stepper.run()


@pytest.mark.parametrize("hidden, out, loss", PAIRS)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_phase_ends_in_the_record_value(hidden, out, loss, seed):
    net, records = random_run(hidden, out, loss, seed)
    L = net.num_layers
    for rec in records:
        act = net.f(L - 1 if rec.layer is None else rec.layer).name
        n = rec.arrays["a"].shape[0] if rec.kind == "loss" else (
            rec.arrays["z"].shape[0] if rec.kind != "update" else 1)
        n_out = net.sizes[L if rec.layer is None else rec.layer + 1]
        n_in = net.sizes[L - 1 if rec.layer is None else rec.layer]
        for i in range(min(n, 3)):
            for j in range(n_out):
                k = (i + j) % n_in
                eqs = for_neuron(rec, j, example=i, activation_name=act, loss_name=loss, k=k,
                                 num_layers=L)
                check_strings(eqs)
                nums = numbers(rec, j, example=i, activation_name=act, loss_name=loss, k=k,
                               num_layers=L)
                by_result = {eq.result: eq for eq in eqs}
                for key, value in expected_results(rec, i, j, k, L):
                    assert final(by_result[key]) == pytest.approx(nine(value), rel=1e-15), key
                    assert nums[key] == value
                for eq in eqs:  # every equation's final value is one of its numbers
                    assert final(eq) == pytest.approx(nine(nums[eq.result]), rel=1e-15)


def planned(L, hidden, out, loss, l2=0.0) -> list[PhaseRecord]:
    """The records of a pass of L weight layers before it runs (no arrays)."""
    return outline(PassSettings((2,) * (L + 1), hidden, out, loss, 0.5, l2, True))


@pytest.mark.parametrize("hidden, out, loss", PAIRS)
def test_general_equations(hidden, out, loss):
    for L in (1, 3):
        for i, (kind, layer) in enumerate(phases(L)):
            for l2 in (0.0, 0.01):
                record = planned(L, hidden, out, loss, l2)[i]
                assert (record.kind, record.layer) == (kind, layer)
                eqs = general(record)
                assert eqs
                check_strings(eqs)
                if l2 and kind in ("backward", "loss"):
                    assert any(r"\lambda" in eq.latex for eq in eqs)
            if kind == "backward" and layer == L - 1:
                text = " ".join(eq.caption for eq in eqs)
                assert ("cancels" in text) == delta_is_a_minus_y(loss, out)
            if kind == "update":
                assert r"\leftarrow" in eqs[0].latex and r"\eta" in eqs[0].latex


def test_general_refuses_bad_arguments():
    settings = planned(2, "sigmoid", "sigmoid", "quadratic")[0].settings
    with pytest.raises(ValueError):
        general(PhaseRecord("sideways", 0, 0, {}, settings))
    with pytest.raises(ValueError):
        general(PhaseRecord("forward", 2, 0, {}, settings))
    with pytest.raises(ValueError):
        general(planned(2, "tanh", "tanh", "cross_entropy")[3])  # backward 1: not a pair
    with pytest.raises(ValueError, match="layer must be"):
        general(planned(2, "sigmoid", "sigmoid", "quadratic")[-1], layer=2)
    with pytest.raises(ValueError, match="settings"):
        general(PhaseRecord("forward", 0, 0, {}))


def test_general_reads_the_record_it_is_given():
    """A Stepper's record and the outline's give the same equations, with the record's
    own activation, loss and λ (λ shows in BP4 and the mean cost only when λ > 0)."""
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid",
                  loss="cross_entropy", seed=2)
    X, Y = [[0.3, -0.2]], [[1.0]]
    for l2 in (0.0, 0.05):
        stepper = Stepper(net.copy(), X, Y, 0.5, l2=l2)
        ran, planned_ = stepper.run(), Stepper(net.copy(), X, Y, 0.5, l2=l2).outline()
        for rec, plan in zip(ran, planned_, strict=True):
            assert general(rec) == general(plan)
        by = {rec.label: general(rec) for rec in ran}
        assert r"\tanh" in " ".join(e.latex for e in by["F0"])
        assert "cancels" in " ".join(e.caption for e in by["B1"])  # sigmoid + cross-entropy
        assert (r"\lambda" in by["B0"][-1].latex) == bool(l2)
        assert (r"\lambda" in by["Loss"][-1].latex) == bool(l2)


# --- long sums, the batch mean, L2 and fixed biases -------------------------------
@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(3)
    net = Network([12, 3, 10], activation="tanh", output_activation="softmax",
                  loss="log_likelihood", seed=3)
    X, Y = rng.normal(size=(7, 12)), np.eye(10)[rng.integers(0, 10, 7)]
    return net, {rec.label: rec for rec in Stepper(net, X, Y, 0.1).run()}


def test_long_sums_are_elided(big):
    _, recs = big
    z, _ = for_neuron(recs["F0"], 1, activation_name="tanh")
    # the first 4 products, \cdots, the last one
    assert len(re.findall(r"\\cdot(?!s)", z.latex)) == 5 and r"\cdots" in z.latex
    assert "12 terms" in z.caption
    _, softmax = for_neuron(recs["F1"], 0, activation_name="softmax")
    assert r"\cdots" in softmax.latex and "10 terms" in softmax.caption
    cost, mean = for_neuron(recs["Loss"], 0, loss_name="log_likelihood", num_layers=2)
    assert r"\cdots" in cost.latex and r"\cdots" in mean.latex and r"\tfrac{1}{7}" in mean.latex
    delta, _, grad_b, grad_w = for_neuron(recs["B0"], 2, example=6, activation_name="tanh", k=11)
    assert r"\cdots" in delta.latex  # 10 errors flow back into neuron 2
    assert r"\tfrac{1}{7}" in grad_w.latex and r"\cdots" in grad_w.latex
    assert "7 examples" in grad_w.caption and r"\cdots" in grad_b.latex
    assert "a^{[0]}_{i11}" not in grad_w.latex and "a^{[0]}_{i,11}" in grad_w.latex


def test_small_sums_are_not_elided(mazur):
    for label in ("F0", "F1", "Loss", "B1", "B0", "Update"):
        assert not any(r"\cdots" in eq.latex for eq in for_neuron(mazur[label], 0))


def test_matched_pair_writes_a_minus_y(big):
    _, recs = big
    delta = for_neuron(recs["B1"], 4, example=2, activation_name="softmax",
                       loss_name="log_likelihood")[0]
    A = recs["B1"].arrays
    # layer 2 is the output layer of 12-3-10: δ^[2] = a^[2] − y
    assert delta.latex.startswith(r"\delta^{[2]}_{4} = a^{[2]}_{4} - y_{4} = ")
    assert final(delta) == pytest.approx(nine(A["a"][2, 4] - A["y"][2, 4]), rel=1e-15)
    assert "cancels" in delta.caption


def test_softmax_quadratic_shows_the_jacobian_sum():
    net = Network([2, 3], output_activation="softmax", loss="quadratic", seed=1)
    rec = Stepper(net, [[0.5, -1.0]], [[0.0, 1.0, 0.0]], 0.5).run()[2]
    delta, jacobian, _, _ = for_neuron(rec, 1, activation_name="softmax")
    a, y = rec.arrays["a"][0], rec.arrays["y"][0]
    s = float(np.sum(a * (a - y)))
    assert jacobian.result == "sum_k a(a-y)[0]" and final(jacobian) == pytest.approx(nine(s))
    assert fmt(s, factor=True) in delta.latex


@pytest.mark.parametrize("tell", [True, False])
def test_l2_term_is_shown(tell):
    l2 = 0.1
    net = Network([2, 3, 1], activation="tanh", seed=4)
    W1 = net.weights[1].copy()
    X, Y = [[0.3, -0.2], [0.1, 0.9]], [[1.0], [0.0]]
    recs = {rec.label: rec for rec in Stepper(net, X, Y, 0.5, l2=l2).run()}
    kw = {"l2": l2} if tell else {}
    grad_w = for_neuron(recs["B1"], 0, k=2, **kw)[-1]
    assert r"\lambda" in grad_w.latex
    assert final(grad_w) == pytest.approx(nine(recs["B1"].arrays["grad_w"][0, 2]), rel=1e-15)
    nums = numbers(recs["B1"], 0, k=2, **kw)
    assert nums["l2_term[1][0,2]"] == pytest.approx(l2 * W1[0, 2], rel=1e-9)
    if tell:
        assert nums["W[1][0,2]"] == pytest.approx(W1[0, 2], rel=1e-9)
        assert fmt(W1[0, 2], factor=True) in grad_w.latex
    _, mean = for_neuron(recs["Loss"], 0, **kw)
    assert r"\lambda" in mean.latex
    assert final(mean) == pytest.approx(nine(recs["Loss"].arrays["loss"]), rel=1e-15)


def test_updated_biases_show_the_step():
    net = datasets.mazur_network()
    data = datasets.mazur()
    rec = Stepper(net, data.X, data.Y, 0.5).run()[-1]
    _, b = for_neuron(rec, 0, layer=1)
    assert r"\eta" in b.latex and final(b) == pytest.approx(nine(rec.arrays["b_after1"][0]))


# --- refusals -------------------------------------------------------------------
def test_wrong_names_are_caught(mazur):
    with pytest.raises(ValueError, match="activation_name"):
        for_neuron(mazur["F0"], 0, activation_name="tanh")
    with pytest.raises(ValueError, match="loss_name"):
        for_neuron(mazur["Loss"], 0, loss_name="cross_entropy")
    with pytest.raises(ValueError):
        for_neuron(mazur["B1"], 0, loss_name="log_likelihood")  # does not pair with sigmoid
    with pytest.raises(ValueError, match="activation"):
        for_neuron(mazur["B0"], 0, activation_name="relu")


@pytest.mark.parametrize("kwargs", [dict(j=2), dict(j=-1), dict(j=0, example=1),
                                    dict(j=0, k=2), dict(j=0.5)])
def test_bad_indices_are_refused(mazur, kwargs):
    with pytest.raises(ValueError):
        for_neuron(mazur["B0"], **kwargs)


def test_bad_update_layer_is_refused(mazur):
    with pytest.raises(ValueError):
        for_neuron(mazur["Update"], 0, layer=2)


# --- KaTeX itself, where node and the katex package are installed --------------------
def _katex_cmd() -> list[str] | None:
    node = shutil.which("node")
    if not node:
        return None
    probe = subprocess.run([node, "-e", "require('katex')"], capture_output=True)
    return [node] if probe.returncode == 0 else None


KATEX_SCRIPT = """
const katex = require('katex');
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const bad = [];
for (const s of items) {
  try { katex.renderToString(s, {throwOnError: true, strict: 'error', displayMode: true}); }
  catch (e) { bad.push([s, String(e)]); }
}
process.stdout.write(JSON.stringify(bad));
"""


def test_katex_renders_every_string(mazur, big):
    cmd = _katex_cmd()
    if cmd is None:
        pytest.skip("node with the katex package is not installed (set NODE_PATH to use it)")
    strings = []
    for rec in mazur.values():
        strings += [eq.latex for eq in for_neuron(rec, 1, k=1, layer=0)]
    net, recs = big
    for label, rec in recs.items():
        act = "softmax" if label in ("F1", "B1", "Loss", "Update") else "tanh"
        strings += [eq.latex for eq in for_neuron(rec, 0, example=6, activation_name=act,
                                                  loss_name="log_likelihood")]
    for hidden, out, loss in PAIRS:
        net, records = random_run(hidden, out, loss, seed=5, l2=0.01)
        L = net.num_layers
        for rec in records:
            act = net.f(L - 1 if rec.layer is None else rec.layer).name
            strings += [eq.latex for eq in for_neuron(rec, 0, activation_name=act,
                                                      loss_name=loss, l2=0.01)]
        for rec in records:
            strings += [eq.latex for eq in general(rec)]
    strings.append(fmt(-1.5e-7, factor=True))
    result = subprocess.run([*cmd, "-e", KATEX_SCRIPT], input=json.dumps(strings),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


# --- translating the captions ---------------------------------------------------------
def test_captions_come_from_text_and_a_translator_replaces_them(big):
    """An English translator changes nothing; every key asked for is in TEXT; the LaTeX
    never depends on the translator."""
    asked = []

    def english(key, values):
        asked.append(key)
        return equations.TEXT[key].format(**values)

    def upper(key, values):
        return f"<{key}>"

    _, recs = big
    for hidden, out, loss in PAIRS:
        net, records = random_run(hidden, out, loss, seed=7, l2=0.01)
        L = net.num_layers
        for rec in records:
            act = net.f(L - 1 if rec.layer is None else rec.layer).name
            plain = for_neuron(rec, 0, activation_name=act, loss_name=loss, l2=0.01)
            assert for_neuron(rec, 0, activation_name=act, loss_name=loss, l2=0.01,
                              tr=english) == plain
            marked = for_neuron(rec, 0, activation_name=act, loss_name=loss, l2=0.01, tr=upper)
            assert [e.latex for e in marked] == [e.latex for e in plain]
            assert [e.result for e in marked] == [e.result for e in plain]
            assert all(e.caption.startswith("<") for e in marked)
        for rec in records:
            plain = general(rec)
            assert general(rec, tr=english) == plain
    assert asked and set(asked) <= set(equations.TEXT)


def test_translated_sentences_join_without_a_space_after_chinese_punctuation(big):
    _, recs = big
    zh = {"weighted_input_filled": "加权输入。", "example_note": "样本 {i}。",
          "elided_terms": "共 {n} 项。"}

    def tr(key, values):
        return zh.get(key, "…").format(**values)

    z = for_neuron(recs["F0"], 1, example=6, activation_name="tanh", tr=tr)[0]
    assert z.caption == "加权输入。样本 6。共 12 项。"
    english = for_neuron(recs["F0"], 1, example=6, activation_name="tanh")[0]
    assert english.caption.startswith("Weighted input of neuron 1 in layer 1") and \
        ". Example i = 6 of 7. The sum has 12 terms" in english.caption


# --- no equation wider than its box ----------------------------------------------------
def lines(eq: Equation) -> list[str]:
    """The lines an equation is drawn on: one, or the rows of its aligned block."""
    body = eq.latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
    return body.split(r" \\ ")


def drawn_width(eq: Equation) -> int:
    """The widest line in `width` units; a row after the first starts where the first
    row's "=" is, so it is indented by the width of what stands left of that "="."""
    rows = lines(eq)
    indent = width(rows[0].split("&", 1)[0]) if len(rows) > 1 else 0
    return max([width(rows[0]), *(indent + width(row) for row in rows[1:])])


def app_runs():
    """A pass of each network the playground's scenarios step: digits 64-16-8-10 (a
    mini-batch of 32, three output pairs, with and without L2), xor 2-4-2-1, Mazur."""
    digits = datasets.digits(n=64)
    xor = datasets.xor(n=16)
    for sizes, data, hidden, out, loss, l2 in [
        ([64, 16, 8, 10], digits, "sigmoid", "softmax", "log_likelihood", 0.01),
        ([64, 16, 8, 10], digits, "tanh", "sigmoid", "cross_entropy", 0.0),
        ([64, 16, 8, 10], digits, "relu", "softmax", "quadratic", 0.0),
        ([2, 4, 2, 1], xor, "tanh", "sigmoid", "quadratic", 0.0),
        ([2, 4, 2, 1], xor, "tanh", "sigmoid", "quadratic", 0.1),
    ]:
        net = Network(sizes, activation=hidden, output_activation=out, loss=loss, seed=0)
        Y = data.Y if data.Y.shape[1] == sizes[-1] else np.eye(10)[data.Y.argmax(1)]
        yield Stepper(net, data.X[:32], Y[:32], 0.5, l2=l2).run()
    net, data = datasets.mazur_network(), datasets.mazur()
    yield Stepper(net, data.X, data.Y, 0.5).run()
    yield Stepper(net, data.X, data.Y, 0.5, update_biases=False).run()


def app_equations():
    """(record, equation, the record's value it must end with) for neurons at both ends
    of each layer, the first and the last example, and every update layer."""
    for records in app_runs():
        L = records[0].num_layers
        for rec in records:
            n_out = rec.sizes[L if rec.layer is None else rec.layer + 1]
            n_in = rec.sizes[L - 1 if rec.layer is None else rec.layer]
            batch = rec.arrays["a" if rec.kind == "loss" else "W_before0" if
                               rec.kind == "update" else "z"].shape[0]
            examples = [0] if rec.kind == "update" else sorted({0, batch - 1})
            for layer in range(L) if rec.kind == "update" else [None]:
                if layer is not None:
                    n_out, n_in = rec.sizes[layer + 1], rec.sizes[layer]
                for j in sorted({0, n_out - 1}):
                    for i in examples:
                        k = n_in - 1
                        nums = numbers(rec, j, example=i, k=k, layer=layer)
                        for eq in for_neuron(rec, j, example=i, k=k, layer=layer):
                            yield rec, eq, nums[eq.result]


def test_no_filled_in_equation_is_wider_than_the_budget():
    checked = wrapped = 0
    for rec, eq, value in app_equations():
        assert drawn_width(eq) <= MAX_LINE_WIDTH, (rec.kind, rec.layer, eq.latex)
        # its value is the last thing drawn, on a line within the budget
        assert lines(eq)[-1].endswith(f"= {fmt(value)}"), eq.latex
        checked += 1
        wrapped += eq.latex.startswith(r"\begin{aligned}")
    assert checked > 400 and wrapped > 100  # the long ones were there, and were wrapped


def test_the_width_counts_glyphs():
    assert width(r"\delta^{[2]}_{0}") == 5 and width(r"0.5 \cdot (-0.25)") == 13
    assert width(r"\bigl(1 + 2\bigr)") == 7 and width(r"&\qquad + 1") == 6


def test_a_long_chain_is_broken_only_between_pieces():
    terms = [f"{k}.123456789 \\cdot 0.987654321" for k in range(5)]
    latex = chain("x", ["y", bracket(pieces(terms, 5, 8)), "0.5"], budget=40)
    rows = latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
    assert rows[0] == "x &= y"  # the symbolic step, then one term a row, then the value
    assert [row.removeprefix(r"&\qquad ").removeprefix("&= ") for row in rows[1:]] == [
        r"\bigl(0.123456789 \cdot 0.987654321", r"+ 1.123456789 \cdot 0.987654321",
        r"+ 2.123456789 \cdot 0.987654321", r"+ 3.123456789 \cdot 0.987654321",
        r"+ 4.123456789 \cdot 0.987654321\bigr) = 0.5"]
    assert chain("x", ["y", "0.5"]) == "x = y = 0.5"  # what fits stays on one line


MEASURE_SCRIPT = """(eqs) => eqs.map(s => {
  const box = document.createElement('div');
  box.style.display = 'inline-block';
  katex.render(s, box, {displayMode: true, throwOnError: true});
  document.body.appendChild(box);
  const px = box.querySelector('.katex-html').getBoundingClientRect().width;
  box.remove();
  return px;
})"""


@pytest.mark.browser
def test_katex_draws_every_filled_in_equation_within_the_box(page):
    """In Chromium, with KaTeX's own CSS at Streamlit's 16 px: at most 560 px, inside
    the 640 px the equations get at 1024 px with the sidebar open (946 px at 1440)."""
    import os
    from pathlib import Path
    dist = Path(os.environ.get("NODE_PATH", "build/katex/node_modules")) / "katex" / "dist"
    if not (dist / "katex.min.js").exists():
        pytest.skip("the katex package is not installed (set NODE_PATH to use it)")
    page.set_content("<!DOCTYPE html><html><head><style>"
                     + (dist / "katex.min.css").read_text() + "</style><script>"
                     + (dist / "katex.min.js").read_text()
                     + "</script></head><body style='font-size:16px'></body></html>")
    eqs = [eq.latex for _, eq, _ in app_equations()]
    widths = page.evaluate(MEASURE_SCRIPT, eqs)
    widest = max(zip(widths, eqs))
    assert widest[0] <= 560, widest


def test_bp4_reads_w_from_the_record_and_checks_it():
    """The λW term uses the record's own W (forward's, one array), never grad_w worked
    backwards: a record whose W does not give its grad_w is refused."""
    l2 = 0.1
    net = Network([2, 3, 1], activation="tanh", seed=4)
    X, Y = [[0.3, -0.2], [0.1, 0.9]], [[1.0], [0.0]]
    recs = {rec.label: rec for rec in Stepper(net, X, Y, 0.5, l2=l2).run()}
    b1 = recs["B1"]
    assert b1.arrays["W"] is recs["F1"].arrays["W"]
    assert numbers(b1, 0, k=2)["W[1][0,2]"] == b1.arrays["W"][0, 2]
    wrong = PhaseRecord(b1.kind, b1.layer, b1.index, {**b1.arrays, "W": b1.arrays["W"] + 1.0},
                        b1.settings)
    with pytest.raises(ValueError, match="grad_w"):
        for_neuron(wrong, 0, k=2)
