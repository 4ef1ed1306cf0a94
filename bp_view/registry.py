"""What a view needs to know about an activation or a loss, read from bp_core's registries.

The figures fix a colour range from an activation's value range and from the range
of its derivative; the BP1 panel and equation say δ = a − y for the loss/output
pairs where f'(z) cancels; the loss panel writes the loss's formula in its caption
(the equations read ``symbol``, ``latex`` and ``prime_latex`` off the entry itself).
Each fact is a field of the function's registry entry (bp_core/activations.py,
bp_core/losses.py), so a new activation or loss needs no edit here.  A name of None
(a view given no activation) has no facts.
"""

from __future__ import annotations

from bp_core import activations, losses


def value_range(activation: str | None) -> tuple[float, float] | None:
    """The fixed range of a bounded activation, (0, 1) for sigmoid; None if unbounded."""
    if activation is None:
        return None
    act = activations.get(activation)
    return act.value_range if act.bounded else None


def derivative_range(activation: str | None) -> tuple[float, float] | None:
    """The range of f'(z) over all z, or None when it is not elementwise (softmax)."""
    return None if activation is None else activations.get(activation).prime_range


def delta_is_a_minus_y(loss: str | None, output_activation: str | None) -> bool:
    """True when the pair's BP1 is δ = a − y: f'(z) cancels against the loss."""
    if loss is None or output_activation is None:
        return False
    return losses.cancels_to_a_minus_y(loss, output_activation)


def loss_formula(loss: str | None) -> str:
    """The per-example cost as plain text, "C_i = ½‖a − y‖²"; "C_i" when none is known."""
    return (losses.get(loss).text or "C_i") if loss is not None else "C_i"
