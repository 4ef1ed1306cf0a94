"""Predict, then reveal: questions asked before a backward phase is shown.

Pure functions over a PhaseRecord: the question, its choices and the right
answer all come from the numbers the phase computed, so no answer is canned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bp_core import PhaseRecord
from bp_view.notation import layer


@dataclass(frozen=True)
class Question:
    key: str  # catalogue key of the question text
    values: dict  # placeholders of the question text
    choices: list[str]  # what the learner picks from (neuron numbers or signs)
    answer: str  # the right choice
    explanation_key: str  # catalogue key of the reveal text
    explanation_values: dict


def sign(x: float) -> str:
    return "+" if x > 0 else "−" if x < 0 else "0"


def question_for(record: PhaseRecord, batch_index: int, learning_rate: float) -> Question:
    """The question asked before this backward record is revealed."""
    delta = record.arrays["delta"]
    l = layer(record.layer)  # the layer the question names; the engine's lists are 0-based
    if "y" in record.arrays and delta.shape[1] > 1:
        # At the output: which neuron's error is largest for example 0?
        magnitude = np.abs(delta[0])
        j = int(magnitude.argmax())
        return Question(
            "predict_largest_delta",
            {"l": l},
            [str(n) for n in range(delta.shape[1])],
            str(j),
            "predict_largest_delta_why",
            {"j": j, "value": f"{delta[0, j]:.6g}", "l": l},
        )
    # Otherwise: the sign of one weight's update, cell chosen from the batch number.
    grad_w = record.arrays["grad_w"]
    n_out, n_in = grad_w.shape
    rng = np.random.default_rng([batch_index, record.layer])
    j, k = int(rng.integers(n_out)), int(rng.integers(n_in))
    update = -learning_rate * grad_w[j, k]
    return Question(
        "predict_update_sign",
        {"l": l, "prev": l - 1, "j": j, "k": k},
        ["+", "−", "0"],
        sign(update),
        "predict_update_sign_why",
        {
            "l": l,
            "j": j,
            "k": k,
            "grad": f"{grad_w[j, k]:.6g}",
            "update": f"{update:.6g}",
        },
    )
