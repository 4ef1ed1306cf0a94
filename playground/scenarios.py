"""Numbers behind the scenario boxes' pictures, computed with bp_core.

Pure functions of networks and data: no Streamlit and no session, so each is tested
on its own.  (A scenario is what the learner sees of a preset: see playground.presets.)
"""

from __future__ import annotations

import numpy as np

from bp_core import Budget, Network, activations, train

from .presets import SLOWDOWN


def slowdown_run(w: float, b: float, loss: str, learning_rate: float,
                 epochs: int = SLOWDOWN["epochs"]) -> dict[str, np.ndarray]:
    """Nielsen's neuron (ch. 3) trained by bp_core from (w, b) on x = 1, y = 0.

    Returns arrays of epochs + 1 values, index 0 the start: "w", "b", the output "a",
    the cost "cost" and "delta" = ∂C/∂z = ∂C/∂b (BP1; ∂C/∂w = x·δ = δ here, as x = 1).
    """
    X, Y = np.array([[SLOWDOWN["x"]]]), np.array([[SLOWDOWN["y"]]])
    net = Network.from_params([[[w]]], [[b]], activation="sigmoid",
                              output_activation="sigmoid", loss=loss)
    rows = []
    for epoch in range(epochs + 1):
        result = net.backprop(X, Y)
        rows.append((net.weights[0][0, 0], net.biases[0][0], result.activations[-1][0, 0],
                     result.loss, result.deltas[-1][0, 0]))
        if epoch < epochs:
            net.sgd_step(X, Y, learning_rate)
    columns = np.array(rows).T
    return dict(zip(("w", "b", "a", "cost", "delta"), columns))


def slowdown_runs() -> dict[tuple[tuple[float, float], str], dict[str, np.ndarray]]:
    """Every run of the scenario: (start, loss) -> slowdown_run, with the book's η."""
    return {(start, loss): slowdown_run(*start, loss, rate)
            for start in SLOWDOWN["starts"]
            for loss, rate in SLOWDOWN["learning_rates"].items()}


def units_can_die(activation: str) -> bool:
    """True if the activation's slope is 0 for every negative z (relu), so a unit whose
    z ≤ 0 on every example gets no gradient at all.  leaky_relu, tanh and sigmoid have a
    slope that is never 0: their units keep learning, however slowly."""
    act = activations.get(activation)
    z = np.array([[-0.5, -3.0, -40.0]])
    return bool(np.all(act.derivative(z, act.value(z)) == 0))


def dead_units(net: Network, X: np.ndarray) -> list[np.ndarray]:
    """For each hidden layer, a boolean per neuron: True if z ≤ 0 on every example.

    out[i], (sizes[i+1],), is layer i + 1 (bp_view.notation): out[0] the first hidden one.

    Such a ReLU unit outputs 0 and has f'(z) = 0 everywhere, so its delta, and with
    it every gradient into it, is 0: it can no longer learn.
    """
    a = X
    out = []
    with np.errstate(all="ignore"):
        for l in range(net.num_layers - 1):
            z, a = net.forward_layer(l, a)
            out.append(np.all(z <= 0, axis=0))
    return out


def mazur_numbers(records: list) -> dict[str, float]:
    """The quantities Mazur's post computes, read from a stepped pass's records.

    Names follow the post: net_/out_ for z and a; E_total; dE/dw5 etc.  Only the
    phases done so far contribute.
    """
    out: dict[str, float] = {}
    for rec in records:
        arr = rec.arrays
        if rec.kind == "forward" and rec.layer == 0:
            out.update(
                net_h1=arr["z"][0, 0],
                out_h1=arr["a"][0, 0],
                net_h2=arr["z"][0, 1],
                out_h2=arr["a"][0, 1],
            )
        elif rec.kind == "forward" and rec.layer == 1:
            out.update(
                net_o1=arr["z"][0, 0],
                out_o1=arr["a"][0, 0],
                net_o2=arr["z"][0, 1],
                out_o2=arr["a"][0, 1],
            )
        elif rec.kind == "loss":
            out.update(
                E_o1=0.5 * (arr["a"][0, 0] - arr["y"][0, 0]) ** 2,
                E_o2=0.5 * (arr["a"][0, 1] - arr["y"][0, 1]) ** 2,
                E_total=float(arr["loss"]),
            )
        elif rec.kind == "backward" and rec.layer == 1:
            g = arr["grad_w"]
            out.update(
                delta_o1=arr["delta"][0, 0],
                delta_o2=arr["delta"][0, 1],
                dE_dw5=g[0, 0],
                dE_dw6=g[0, 1],
                dE_dw7=g[1, 0],
                dE_dw8=g[1, 1],
            )
        elif rec.kind == "backward" and rec.layer == 0:
            g = arr["grad_w"]
            out.update(dE_dw1=g[0, 0], dE_dw2=g[0, 1], dE_dw3=g[1, 0], dE_dw4=g[1, 1])
        elif rec.kind == "update":
            w0, w1 = arr["W_after0"], arr["W_after1"]
            out.update(
                w1=w0[0, 0],
                w2=w0[0, 1],
                w3=w0[1, 0],
                w4=w0[1, 1],
                w5=w1[0, 0],
                w6=w1[0, 1],
                w7=w1[1, 0],
                w8=w1[1, 1],
                b1=arr["b_after0"][0],
                b2=arr["b_after1"][0],
            )
    return {name: float(value) for name, value in out.items()}


def learning_rate_sweep(net: Network, data, batch_size: int, seed: int,
                        rates=(0.05, 0.5, 5.0), epochs: int = 20,
                        budget: Budget | None = None) -> dict[float, list]:
    """Training loss per epoch for a few learning rates, each from a copy of ``net``.

    A run that diverged ends with inf.  All runs share ``budget``: once it is spent the
    remaining runs are cut short (``budget.exhausted`` says why) and their lists are
    shorter than ``epochs``.
    """
    out = {}
    for rate in rates:
        result = train(net.copy(), data, epochs, batch_size, rate, seed=seed, budget=budget)
        out[rate] = result.history.train_loss + ([float("inf")] if result.diverged else [])
    return out

