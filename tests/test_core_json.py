"""Network.to_json / from_json: an exact round trip, and hostile text refused with ValueError."""

from __future__ import annotations

import json
import re
import tokenize
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bp_core
from bp_core import Network, limits

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
PAIRS = [("sigmoid", "quadratic"), ("tanh", "quadratic"), ("relu", "quadratic"),
         ("leaky_relu", "quadratic"), ("linear", "quadratic"), ("softmax", "quadratic"),
         ("sigmoid", "cross_entropy"), ("softmax", "log_likelihood")]
FINITE = st.floats(allow_nan=False, allow_infinity=False, width=64)  # subnormals, ±0.0 too


@st.composite
def networks(draw):
    out, loss = draw(st.sampled_from(PAIRS))
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=5))
    if out == "softmax":  # softmax needs at least 2 outputs (a 1-output softmax is always 1)
        sizes[-1] = max(sizes[-1], 2)
    weights = [draw(hnp.arrays(np.float64, (n_out, n_in), elements=FINITE))
               for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [draw(hnp.arrays(np.float64, (n_out,), elements=FINITE)) for n_out in sizes[1:]]
    return Network.from_params(weights, biases, draw(st.sampled_from(HIDDEN)), out, loss)


def assert_same_network(a: Network, b: Network) -> None:
    assert (a.sizes, a.activation, a.output_activation, a.loss_name) == \
        (b.sizes, b.activation, b.output_activation, b.loss_name)
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert x.dtype == y.dtype == np.float64 and x.shape == y.shape
        assert x.tobytes() == y.tobytes()  # bit for bit, signed zeros included


@settings(max_examples=60, deadline=None, database=None)
@given(networks())
def test_round_trip_is_bit_for_bit(net):
    text = net.to_json()
    assert isinstance(text, str)
    back = Network.from_json(text)
    assert_same_network(net, back)
    assert back.to_json() == text
    assert_same_network(net, Network.from_json(text.encode("utf-8")))  # bytes are accepted


@settings(max_examples=30, deadline=None, database=None)
@given(sizes=st.lists(st.integers(1, 8), min_size=2, max_size=5),
       seed=st.integers(0, 2**31 - 1), init=st.sampled_from(bp_core.INITS),
       hidden=st.sampled_from(HIDDEN), pair=st.sampled_from(PAIRS))
def test_round_trip_of_initialised_networks(sizes, seed, init, hidden, pair):
    if pair[0] == "softmax":  # over one output softmax is the constant 1: the engine refuses it
        sizes = sizes[:-1] + [max(sizes[-1], 2)]
    net = Network(sizes, hidden, *pair, init=init, seed=seed)
    back = Network.from_json(net.to_json())
    assert_same_network(net, back)
    X = np.random.default_rng(seed).normal(size=(3, sizes[0]))
    assert net.forward(X).tobytes() == back.forward(X).tobytes()


def test_a_non_finite_network_is_not_saved():
    net = Network([2, 2, 1], seed=0)
    net.weights[0][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        net.to_json()


# --- hostile input -----------------------------------------------------------------
def good() -> dict:
    return json.loads(Network([2, 3, 1], "tanh", "sigmoid", "cross_entropy", seed=0).to_json())


def with_(key, value) -> str:
    d = good()
    d[key] = value
    return json.dumps(d)


def with_weight(value_text: str) -> str:
    """The good network's JSON with weights[0][0][0] replaced by raw text."""
    d = good()
    d["weights"][0][0][0] = "@@"
    return json.dumps(d).replace('"@@"', value_text)


HOSTILE = {
    "empty": "",
    "malformed": '{"format": "bp_core.network", ',
    "trailing comma": with_weight("1,"),
    "NaN": with_weight("NaN"),
    "Infinity": with_weight("Infinity"),
    "-Infinity": with_weight("-Infinity"),
    "1e999": with_weight("1e999"),
    "-1e999": with_weight("-1e999"),
    "NaN in sizes": with_("sizes", [2, 3, 1]).replace("[2, 3, 1]", "[2, NaN, 1]"),
    "1e999 bias": json.dumps(good()).replace('"biases": [[', '"biases": [[1e999, ', 1),
    "string weight": with_weight('"0.5"'),
    "bool weight": with_weight("true"),
    "null weight": with_weight("null"),
    "list weight": with_weight("[0.5]"),
    "object weight": with_weight('{"v": 0.5}'),
    "null bias": json.dumps(good()).replace('"biases": [[', '"biases": [[null, ', 1),
    "unknown key": with_("pickle", "cos\nsystem\n"),
    "wrong format": with_("format", "keras"),
    "wrong version": with_("version", 2),
    "sizes too big": with_("sizes", [100000, 100000, 10]),
    "too many params": with_("sizes", [1024, 1024, 10]),
    "zero neurons": with_("sizes", [2, 0, 1]),
    "negative neurons": with_("sizes", [2, -3, 1]),
    "fractional size": with_("sizes", [2, 2.5, 1]),
    "string size": with_("sizes", [2, "3", 1]),
    "bool size": with_("sizes", [2, True, 1]),
    "one layer": with_("sizes", [2]),
    "sizes not a list": with_("sizes", "231"),
    "sizes disagree with weights": with_("sizes", [2, 4, 1]),
    "too few matrices": with_("weights", good()["weights"][:1]),
    "weights not a list": with_("weights", {"0": 1}),
    "wrong matrix shape": with_("weights", [[[0.1, 0.2, 0.3]] * 3, [[0.1, 0.2, 0.3]]]),
    "ragged rows": with_("weights", [[[0.1, 0.2], [0.3], [0.4, 0.5]], [[0.1, 0.2, 0.3]]]),
    "bias too long": with_("biases", [[0.0] * 4, [0.0]]),
    "bias as matrix": with_("biases", [[[0.0]] * 3, [0.0]]),
    "unknown activation": with_("activation", "os.system"),
    "activation not a name": with_("activation", ["tanh"]),
    "softmax hidden": with_("activation", "softmax"),
    "bad pair": with_("loss", "log_likelihood"),
    "top-level list": json.dumps([good()]),
    "top-level number": "1",
    "top-level string": '"network"',
    "null": "null",
    "deeply nested arrays": '{"weights": ' + "[" * 200_000 + "]" * 200_000 + "}",
    "deeply nested objects": '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "invalid utf-8": b'{"format": "\xff\xfe"}',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_a_value_error(name):
    with pytest.raises(ValueError):
        Network.from_json(HOSTILE[name])


@pytest.mark.parametrize("key", sorted(good()))
def test_each_missing_key_is_named(key):
    d = good()
    del d[key]
    with pytest.raises(ValueError, match=f"missing keys: {key}"):
        Network.from_json(json.dumps(d))


def test_an_unknown_key_is_named():
    with pytest.raises(ValueError, match="unknown keys: extra"):
        Network.from_json(with_("extra", 1))


@pytest.mark.parametrize("value", [None, 123, 1.5, ["{}"], {"format": "x"}, object()])
def test_non_text_input_is_a_value_error(value):
    with pytest.raises(ValueError, match="expected JSON text"):
        Network.from_json(value)


def test_the_size_limit_is_checked_before_parsing(monkeypatch):
    # 2 MB of valid-looking JSON: a real network's text padded with whitespace.
    text = json.dumps(good())
    text = text[:-1] + " " * (2 * limits.MAX_JSON_BYTES - len(text)) + "}"
    assert json.loads(text) == good()

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the text was parsed before its size was checked")

    monkeypatch.setattr(json, "loads", must_not_parse)
    for payload in (text, text.encode("utf-8")):
        with pytest.raises(ValueError, match="limit"):
            Network.from_json(payload)


def test_the_size_limit_counts_bytes_not_characters():
    # 400,000 three-byte characters: under the limit in characters, over it in UTF-8.
    text = '{"format": "' + "€" * 400_000 + '"}'
    assert len(text) < limits.MAX_JSON_BYTES < len(text.encode("utf-8"))
    with pytest.raises(ValueError, match="limit"):
        Network.from_json(text)


def test_text_just_under_the_limit_is_parsed():
    text = json.dumps(good())
    padded = text[:-1] + " " * (limits.MAX_JSON_BYTES - len(text)) + "}"
    assert len(padded.encode("utf-8")) == limits.MAX_JSON_BYTES
    Network.from_json(padded)


def test_a_huge_integer_weight_is_a_value_error():
    with pytest.raises(ValueError):
        Network.from_json(with_weight("1" + "0" * 400))


@pytest.mark.parametrize("version", [True, 1.0])
def test_version_must_be_the_integer_1(version):
    with pytest.raises(ValueError):
        Network.from_json(with_("version", version))


# --- nothing is ever unpickled or evaluated -----------------------------------------------
def code_without_strings(path: Path) -> str:
    """The source with comments and string literals (docstrings) dropped."""
    with path.open("rb") as f:
        tokens = tokenize.tokenize(f.readline)
        return " ".join(tok.string for tok in tokens
                        if tok.type not in (tokenize.COMMENT, tokenize.STRING))


def test_bp_core_never_unpickles_or_evaluates():
    package = Path(bp_core.__file__).parent
    sources = sorted(package.glob("*.py"))
    assert {"network.py", "stepper.py", "datasets.py"} <= {p.name for p in sources}
    # Tokens are joined by spaces, so np.load(f) reads "np . load ( f )".
    forbidden = re.compile(r"pickle|marshal|shelve|\beval \(|\bexec \(|__import__|"
                           r"\. load \(|\bloadtxt\b|\bfromfile\b")
    for path in sources:
        code = code_without_strings(path)
        assert "json" in code or path.name != "network.py"
        found = forbidden.findall(code)
        assert not found, f"{path.name}: {found}"
