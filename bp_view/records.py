"""Reading a `PhaseRecord`: what it says about itself, and what a caller may override.

A record from bp_core's Stepper describes itself (its activation, the loss, η, λ,
the layer sizes, one `LayerUpdate` per layer), so a view needs nothing else.  A
record built by hand from ``kind, layer, index, arrays`` alone still works: its
update is read from the ``W_before{l}``, … keys documented on `PhaseRecord`.
"""

from __future__ import annotations

from bp_core.stepper import LayerUpdate, PhaseRecord


def layer_updates(record: PhaseRecord) -> tuple[LayerUpdate, ...]:
    """What an update record did to each weight layer, l = 0 … L−1."""
    if record.updates:
        return record.updates
    A, found = record.arrays, []
    while f"W_before{len(found)}" in A:
        l = len(found)
        found.append(LayerUpdate(l, *(A[f"{name}{l}"] for name in (
            "W_before", "b_before", "grad_w", "grad_b", "update_w", "update_b", "W_after",
            "b_after"))))
    return tuple(found)


def learning_rate(record: PhaseRecord) -> float:
    """η of an update record."""
    if record.learning_rate is not None:
        return float(record.learning_rate)
    return float(record.arrays["learning_rate"])

