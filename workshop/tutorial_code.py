r'''The tutorial's code: Nielsen's ``network.py`` and the four defects of its copy.

The Chinese tutorial the project started from explains ``backprop(x, y)`` from
Michael Nielsen's *Neural Networks and Deep Learning* (network.py, MIT licence).
Its copy of the code had four defects:

    exp_sign     sigmoid used np.exp(z), not np.exp(-z)
    zs_slice     the output delta used zs[:-1], not zs[-1]
    weight_attr  it wrote self.weight[...], not self.weights[...]
    xrange       it looped with Python 2's xrange

``FIXED_SOURCE`` is the code with none of them.  ``render_source(defects)`` swaps
in the buggy line of every defect named, line for line, so the line numbers of
every version are the same; ``TUTORIAL_SOURCE`` is the tutorial's text, all four
switched on.  `workshop.bughunt` compiles ``render_source(...)`` into a real engine.

Nielsen's notation, one example at a time, column vectors:

    x: (n_in, 1)   weights[l]: (n_out, n_in)   biases[l]: (n_out, 1)
    z = np.dot(w, activation) + b,  activation = sigmoid(z)
    zs[-1] is the output layer's z, weights[-l+1] counts layers from the end.

``DEFECTS`` entries are plain dicts, with a stable ``key`` for the app's message
catalogue (``f"{key}.title"``, ``f"{key}.explanation"``); the English here is the
default text.
'''

from __future__ import annotations

FIXED_SOURCE = '''\
import numpy as np


class Network(object):

    def __init__(self, sizes):
        """The list ``sizes`` contains the number of neurons in the
        respective layers of the network."""
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x)
                        for x, y in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        """Return the output of the network if ``a`` is input."""
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a)+b)
        return a

    def backprop(self, x, y):
        """Return a tuple ``(nabla_b, nabla_w)`` representing the
        gradient for the cost function C_x.  ``nabla_b`` and
        ``nabla_w`` are layer-by-layer lists of numpy arrays, similar
        to ``self.biases`` and ``self.weights``."""
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        # feedforward
        activation = x
        activations = [x] # list to store all the activations, layer by layer
        zs = [] # list to store all the z vectors, layer by layer
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation)+b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        # backward pass
        delta = self.cost_derivative(activations[-1], y) * \\
            sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        # l = 1 means the last layer of neurons, l = 2 the
        # second-last layer, and so on.
        for l in range(2, self.num_layers):
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-l+1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l-1].transpose())
        return (nabla_b, nabla_w)

    def cost_derivative(self, output_activations, y):
        """Return the vector of partial derivatives \\\\partial C_x /
        \\\\partial a for the output activations."""
        return (output_activations-y)


#### Miscellaneous functions
def sigmoid(z):
    """The sigmoid function."""
    return 1.0/(1.0+np.exp(-z))

def sigmoid_prime(z):
    """Derivative of the sigmoid function."""
    return sigmoid(z)*(1-sigmoid(z))
'''

DEFECTS: list[dict] = [
    {
        "id": "exp_sign",
        "key": "bughunt.defect.exp_sign",
        "title": "sigmoid lost its minus sign",
        "buggy": "return 1.0/(1.0+np.exp(z))",
        "fixed": "return 1.0/(1.0+np.exp(-z))",
        "explanation": (
            "σ(z) = 1/(1 + e^(−z)). With e^(+z) the function computes σ(−z) = 1 − σ(z): "
            "every activation is mirrored, while sigmoid_prime still gives σ'(z), which "
            "is symmetric. Nothing crashes; the gradients are simply wrong, so the "
            "gradient check fails and training does not lower the true cost."),
    },
    {
        "id": "zs_slice",
        "key": "bughunt.defect.zs_slice",
        "title": "zs[:-1] instead of zs[-1]",
        "buggy": "sigmoid_prime(zs[:-1])",
        "fixed": "sigmoid_prime(zs[-1])",
        "explanation": (
            "BP1 needs the output layer's z, zs[-1], one array. zs[:-1] is a slice: a "
            "Python list of every other layer's z. With the correct sigmoid, −z on a "
            "list fails with a TypeError; with np.exp(z) numpy turns the list into a "
            "3-D array and broadcasting silently produces gradients of the wrong shape."),
    },
    {
        "id": "weight_attr",
        "key": "bughunt.defect.weight_attr",
        "title": "self.weight instead of self.weights",
        "buggy": "delta = np.dot(self.weight[-l+1].transpose(), delta) * sp",
        "fixed": "delta = np.dot(self.weights[-l+1].transpose(), delta) * sp",
        "explanation": (
            "The network stores its matrices in self.weights. self.weight does not exist, "
            "so BP2, the first line that uses it, raises AttributeError. A network with "
            "no hidden layer never enters that loop, so there the typo hides."),
    },
    {
        "id": "xrange",
        "key": "bughunt.defect.xrange",
        "title": "Python 2's xrange",
        "buggy": "for l in xrange(2, self.num_layers):",
        "fixed": "for l in range(2, self.num_layers):",
        "explanation": (
            "Nielsen wrote network.py for Python 2, where xrange was the lazy range. "
            "Python 3 renamed it range, so the name xrange is undefined: NameError, "
            "even for a network whose loop would run zero times."),
    },
]

DEFECT_IDS = [d["id"] for d in DEFECTS]
_BY_ID = {d["id"]: d for d in DEFECTS}


def check_defects(defects) -> frozenset[str]:
    """The defect ids as a frozenset; ValueError names any unknown one."""
    if isinstance(defects, str):
        raise ValueError("defects must be a collection of defect ids, not one string")
    chosen = frozenset(defects)
    unknown = chosen - set(DEFECT_IDS)
    if unknown:
        raise ValueError(f"unknown defect(s) {', '.join(sorted(unknown))}; "
                         f"choose from {', '.join(DEFECT_IDS)}")
    return chosen


def render_source(defects=()) -> str:
    """FIXED_SOURCE with the buggy line of every defect in ``defects`` swapped in.

    Each fixed line occurs exactly once, and only its code changes (indentation
    and line count are kept), so a line number means the same line in every version.
    """
    chosen = check_defects(defects)
    lines = FIXED_SOURCE.splitlines(keepends=True)
    for defect_id in chosen:
        d = _BY_ID[defect_id]
        hits = [i for i, line in enumerate(lines) if line.strip() == d["fixed"]]
        assert len(hits) == 1, f"{defect_id}: fixed line found {len(hits)} times"
        line = lines[hits[0]]
        lines[hits[0]] = line.replace(d["fixed"], d["buggy"])
    return "".join(lines)


def _line_number(text: str) -> int:
    """1-based line of the source whose code is ``text``."""
    return next(i for i, line in enumerate(FIXED_SOURCE.splitlines(), 1)
                if line.strip() == text)


for _defect in DEFECTS:
    _defect["line"] = _line_number(_defect["fixed"])  # 1-based, the same in every version
del _defect

TUTORIAL_SOURCE = render_source(DEFECT_IDS)
"""The tutorial's code as it was printed: all four defects present."""
