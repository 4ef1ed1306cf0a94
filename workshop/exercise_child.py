"""Run one exercise comparison in a child process: `python -m workshop.exercise_child`.

Why a child: the learner's code may loop forever or allocate without end, and a
thread cannot be stopped in Python.  A process can: `exercise_runner.compare_bounded`
starts this module, and kills it when the work's budget runs out or the visitor
leaves.  The request comes in on stdin and the result goes out on stdout, both as
JSON (arrays as nested lists: float64 survives ``repr`` exactly), so nothing is
ever unpickled.

stdin:  {"name", "path", "net": Network.to_json(), "X", "Y", "learning_rate"}
stdout: compare()'s result, with every diff array as a nested list.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from bp_core import Network
from workshop.exercise_runner import MARKER, compare


def _plain(value):
    """compare()'s result as JSON-ready data: arrays become lists, tuples lists."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def main() -> None:
    request = json.loads(sys.stdin.read())
    net = Network.from_json(request["net"])
    result = compare(request["name"], request["path"], net, np.array(request["X"]),
                     np.array(request["Y"]), request["learning_rate"])
    # The learner's code may have printed: the result goes after a marker line.
    sys.stdout.write("\n" + MARKER + "\n" + json.dumps(_plain(result)))


if __name__ == "__main__":
    main()
