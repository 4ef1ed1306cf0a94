"""Every English word the figures and equations show, by key: the one source of this text.

A builder never writes words itself: it asks ``words(tr, table, key, **values)``.  Without
a translator ``tr`` the English template is filled in, so a notebook needs nothing else;
the app passes ``tr(key, values)``, which looks the key up, with its prefix (``fig_`` for
`FIGURE_TEXT`, ``eq_`` for `EQUATION_TEXT`), in its language catalogue.  The English
catalogue of the app is built from these tables (`english_catalogue`), so the English
text is written only here; other languages translate the prefixed keys.

Notation (a^l, z^l, δ^l, W^l, η, LaTeX) is never translated.  Every layer number a
template is given is a layer as bp_view.notation numbers them (input 0, then 1 … L),
never an index into bp_core's lists.
"""

from __future__ import annotations

from collections.abc import Callable

# A translator: tr(key, values) returns the text of a table's key in some language,
# filled with values (a dict of str to str or int).
Translator = Callable[[str, dict], str]

# --- the figures (bp_view.figures) -------------------------------------------------
FIGURE_TEXT: dict[str, str] = {
    # notes under a title
    "nonfinite": "(non-finite values hidden)",
    "first_examples": "(first {shown} of {n} examples)",
    "first_neurons": "(first {shown} of {n} neurons)",
    "first_images": "(first {shown} of {n} images)",
    "zero_drawn_at_floor": "(0 drawn at the floor)",
    "zero_shown_at_floor": "(0 shown at the floor)",
    # rows, columns and values of the heatmaps
    "example": "example",
    "neuron": "neuron",
    "value": "value",
    "output_neuron_j": "output neuron j",
    "input_neuron_k": "input neuron k",
    "with_bias_title": "{w}, {b} (column b)",
    "with_bias_value": "{w} (column b: {b})",
    # where a cell's number lives in bp_core, after r = net.backprop(X, Y) (bp_view.notation)
    "engine_cell": "in the engine: {expr}",
    # the forward phase
    "input_title": "a<sup>0</sup> = X (input)",
    "cap_input": "a^0 = X, the input (layer 0): one row per example, one column per input neuron.",
    "cap_prev": "a^{prev}, the activations of layer {prev} coming into layer {l}: one row per "
                "example.",
    "cap_weights": "W^{l}: row j is a neuron of layer {l}, column k a neuron of layer {prev}; the "
                   "last column b is the bias b^{l}.",
    "cap_z": "z^{l} = W^{l} a^{prev} + b^{l}: the weighted input of each neuron of layer {l}, for "
             "each example.",
    "cap_a": "a^{l} = {act}(z^{l}): what layer {l} passes on.",
    "cap_a_range": "a^{l} = {act}(z^{l}): what layer {l} passes on, on the fixed range {range}.",
    # the loss phase
    "output_sub": "a<sup>L</sup> (output)",
    "target_sub": "y (target)",
    "output_target_title": "output a<sup>L</sup> and target y",
    "costs_title": "C_i per example; loss C = {loss}",
    "mean_plus_l2": "(mean C_i = {mean}, plus the L2 term)",
    "cap_output": "The output a^L beside the target y, one row per example, on one colour scale.",
    "cap_costs": "The cost of each example, {formula}; the loss C is their mean.",
    "cap_costs_l2": "The cost of each example, {formula}; the loss C is their mean plus the "
                    "L2 term.",
    # the backward phase
    "delta_next_title": "δ<sup>{next}</sup> (from layer {next})",
    "cap_delta_next": "δ^{next}, the error of layer {next}, found one step earlier.",
    "cap_fprime": "f'(z^{l}) = {act}'(z^{l}): how much each neuron of layer {l} lets an error "
                  "through (0 = none).",
    "cap_bp2": "BP2: δ^{l} = ∂C_i/∂z^{l}, the error of layer {l}: δ^{next} sent back through "
               "W^{next} and scaled by f'(z^{l}).",
    "cap_bp1": "BP1: δ^{l} = ∂C_i/∂z^{l} at the output, layer {l}; {why}.",
    "why_matched": "f'(z) cancels for {loss} with a {act} output",
    "why_jacobian": "J is the softmax Jacobian, diag(a) − a a.T",
    "why_quadratic": "the quadratic cost's dC_i/da times f'(z)",
    "why_loss": "from the loss",
    "cap_gradients": "BP4 and BP3: ∂C/∂W^{l} = δ^{l} (a^{prev})ᵀ averaged over the batch{l2}, and "
                     "∂C/∂b^{l} = the mean of δ^{l} over the batch, as the last column b.",
    # the update phase
    "before_title": "{w}, {b} before",
    "after_title": "{w}, {b} after",
    "largest_change": "(largest |change| {largest}, on W's colours)",
    "cap_before": "Layer {l}: W^{l} and b^{l} before the update.",
    "cap_change": "Layer {l}: the change −η·∂C/∂W^{l} and −η·∂C/∂b^{l} (column b), η = {eta}.",
    "cap_after": "Layer {l}: W^{l} and b^{l} after the update; the three panels share one colour "
                 "range.",
    # the network diagram
    "diagram_title": "weights (lines) and biases (fill)",
    "column_input": "input<br>({n})",
    "column_hidden": "hidden<br>({n})",
    "column_output": "output<br>({n})",
    "weight_row_column": "row j = {j}, column k = {k}",
    "input_neuron_hover": "neuron {j} of layer 0 (input)",
    "neuron_hover": "neuron {j} of layer {l}",
    "not_drawn": "neurons {first}–{last} of layer {l} not drawn",
    # training curves
    "epoch": "epoch",
    "train_loss": "train loss",
    "test_loss": "test loss",
    "loss_axis": "loss C",
    "loss_title": "loss per epoch",
    "loss_title_log": "loss per epoch (log scale)",
    "train_accuracy": "train accuracy",
    "test_accuracy": "test accuracy",
    "accuracy": "accuracy",
    "accuracy_title": "accuracy per epoch",
    # what the network computes
    "label": "label {label}",
    "boundary_title": "network output {name}",
    "fit_data": "data (x, y)",
    "fit_network": "network a[L](x)",
    "fit_title": "the data and the network's fit",
    # images
    "image_hover": "image {i}, pixel row {row}, column {col}",
    "pixel": "pixel",
    "prediction": "pred {pred} / true {true}",
    "predictions_title": "predictions: {right} of {count} right",
    "neuron_n": "neuron {j}",
    "weight_pixel": "W<sup>1</sup>[j, pixel]",
    "weight_images_title": "W<sup>1</sup> rows as 8×8 images",
    # gradient checks and gradient sizes
    "layer_n": "layer {l}",
    "pass": "pass",
    "fail": "FAIL",
    "unchecked": "not checked",
    "unchecked_cells": "(grey cells were not checked)",
    "max_rel_error": "max relative error",
    "tolerance": "tolerance {tol}",
    "gradcheck_title": "gradient check (pass below {tol})",
    "log_rel_error": "log10(rel error)",
    "tolerance_tick": "{cut} tolerance",
    "cell_hover": "output neuron j = {j}, input neuron k = {k}",
    "rel_error": "rel error",
    "analytic": "analytic",
    "numeric": "numeric",
    "gradcheck_layer_title": "layer {l}: relative error, red fails",
    "mean_abs_delta": "mean |δ^l|",
    "size": "size",
    "norms_title": "gradient size per layer",
}

# --- the equations' captions (bp_view.equations) -----------------------------------
# Notation inside a template (a[l], δ, η, ...) stays as it is in every language.
EQUATION_TEXT: dict[str, str] = {
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
                  "here z = z^{l}.",
    "bp3": "BP3: the bias gradient is the error, averaged over the n examples of the batch.",
    "bp4": "BP4: the weight gradient is the error of neuron j of layer {l} times the "
           "activation of neuron k of layer {prev}, averaged over the batch.",
    "weighted_input": "Weighted input of neuron j in layer {l}: each activation of layer "
                      "{prev} times its weight, plus the bias; all at once, "
                      "z^{l} = W^{l} a^{prev} + b^{l}.",
    "cost_example": "Cost of example i, {loss}; a_j is the output a^{L} of layer {L} and y_j "
                    "the target.",
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
    "bp1": "BP1: the output error δ^{L} is how the cost changes with the output a^{L}, "
           "times how the output changes with z^{L}.",
    "bp2": "BP2: the errors δ^{next} of layer {next} flow back through the weights W^{next} "
           "that neuron j of layer {l} feeds, times the slope of its activation.",
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
    "bp2_filled": "BP2: the errors δ^{next} of layer {next} flow back through the weights "
                  "W^{next} leaving neuron {j} of layer {l}, then are scaled by the slope of "
                  "its activation.",
    "bp3_one": "BP3: the bias gradient is the neuron's error (a batch of one example).",
    "bp3_many": "BP3: the bias gradient is the neuron's error averaged over the {n} examples.",
    "bp4_one": "BP4: the weight gradient is the error of neuron j times the activation "
               "feeding it through this weight (a batch of one example).",
    "bp4_many": "BP4: the weight gradient is error times incoming activation, averaged over "
                "the {n} examples.",
    "l2_in_record": "The record's gradient includes the L2 term λW.",
    "update_weight": "Gradient descent on weight ({j}, {k}) of layer {l}: a step of size "
                     "η = {eta} against its gradient.",
    "biases_held": "The biases are held fixed in this run (as in Mazur's post), so b keeps "
                   "its value.",
    "update_bias": "The same step for the bias.",
}

# The catalogue prefix of each table's keys.
PREFIXES: dict[str, dict[str, str]] = {"fig_": FIGURE_TEXT, "eq_": EQUATION_TEXT}


def words(tr: Translator | None, table: dict[str, str], key: str, **values: object) -> str:
    """The text of table[key]: translated by tr, else the English template filled in."""
    if tr is None:
        return table[key].format(**values)
    return tr(key, values)


def english_catalogue() -> dict[str, str]:
    """Every template under its catalogue key ("fig_layer_n", "eq_bp2", ...)."""
    return {prefix + key: text for prefix, table in PREFIXES.items()
            for key, text in table.items()}


# --- issue 11: the legible figures' words (bp_view/figure_text.py) --------------------
from .figure_text import LEGIBLE_TEXT  # noqa: E402  (after the tables it joins)

FIGURE_TEXT.update(LEGIBLE_TEXT)


# --- issue 13: the room's answers chart (bp_view/room_figures.py) ----------------------
FIGURE_TEXT.update({
    "room_said": "{percent} % said {answer}",
    "room_no_answers": "No answers yet",
    "room_question": "question: {question}",
    "room_n_answers": "{n} answers",
    "room_answer": "answer",
    "room_learners": "learners",
    "room_other": "other",
    "room_more_names": "and {n} more",
})
