"""Figures that stay legible (issue 11), checked on the figures themselves, no Streamlit.

* A heatmap cell prints its number only when every label fits its cell at ≥ 10 px, at
  the width the figure is built for; otherwise the value is on hover only.
* Panel heights grow with the rows and stay within bounds.
* Diverged losses are drawn at a cap and marked, never allowed to set the axis.
* The decision boundary's points carry an outline; train/test selection works.
* Every training chart's legend sits at its foot, clear of its title.

The width model is written out here independently of bp_view: Plotly's own estimate
of a heatmap label, 0.65 em a character (plotly.js heatmap/plot.js), which the
browser test (tests/test_browser_figures.py) checks against real bounding boxes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bp_core import Network, Stepper, datasets
from bp_core.train import History
from bp_view import figures

CHAR_EM = 0.65          # Plotly's estimate of a character's width
MIN_FONT = 10           # the smallest font a cell may print at
LEFT, RIGHT = 50, 72    # a heatmap's margins: the y axis's labels, the colour bar
WIDTHS = (390, 700, 946, 1400)


def cells_fit(text, n_cols: int, font: float, width_px: float) -> bool:
    """columns × (widest label + 4 px padding + the 1 px gap) within the plot area."""
    widest = max(len(t) for row in text for t in row)
    return n_cols * (widest * CHAR_EM * font + 4 + 1) <= width_px - LEFT - RIGHT


def matrix(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """Values of every size a panel shows: 1e-3 … 10, both signs."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(rows, cols)) * 10.0 ** rng.integers(-3, 2, size=(rows, cols))


@pytest.mark.parametrize("width", WIDTHS)
def test_cells_print_numbers_only_when_they_fit_at_a_readable_size(width):
    printed = []
    for cols in range(1, 65):
        fig = figures.heatmap(matrix(3, cols, seed=cols), "z", width_px=width)
        (trace,) = fig.data
        if trace.texttemplate:
            font = trace.textfont.size
            assert font >= MIN_FONT
            assert cells_fit(trace.text, cols, font, width), (cols, width)
            # the labels are the values, to the digits shown
            value = float(np.asarray(trace.z)[0, 0])
            assert math.isclose(float(trace.text[0][0]), value, rel_tol=5e-2)
            printed.append(cols)
        else:
            # nothing printed: not even 2 significant digits fit at 10 px
            two_digits = [[f"{v:.2g}" for v in row] for row in np.asarray(trace.z)]
            assert not cells_fit(two_digits, cols, MIN_FONT, width), (cols, width)
    # wider panels print more columns; one column always fits
    assert printed and printed[0] == 1
    assert printed == list(range(1, printed[-1] + 1))


def test_the_same_matrix_prints_at_the_wide_width_and_not_at_the_narrow_one():
    values = matrix(4, 8)
    narrow = figures.heatmap(values, "z", width_px=224).data[0]
    wide = figures.heatmap(values, "z", width_px=946).data[0]
    full = figures.heatmap(values, "z", full_width=True).data[0]  # 946 px by default
    assert narrow.texttemplate is None and narrow.text is None
    assert wide.texttemplate == "%{text}" and wide.textfont.size >= MIN_FONT
    assert list(full.text[0]) == list(wide.text[0])


def test_panel_width_splits_the_narrowest_page_column_between_the_panels():
    from bp_view.heatmaps import panel_width
    assert panel_width(1) == 628 and panel_width(1, 946) == 946
    assert panel_width(2) == (628 - 16) // 2 and panel_width(4, 946) == (946 - 48) // 4


def test_non_finite_cells_print_nothing():
    values = np.array([[1.0, np.nan], [np.inf, -2.5]])
    trace = figures.heatmap(values, "z", width_px=700).data[0]
    assert [list(r) for r in trace.text] == [["1", ""], ["", "-2.5"]]


def test_panel_heights_grow_with_rows_and_are_bounded():
    heights = [figures.heatmap(np.zeros((rows, 3)), "z").layout.height for rows in range(1, 65)]
    assert heights == sorted(heights)
    assert heights[0] < 200          # one row: a short panel
    assert heights[-1] <= 400 and heights[0] >= 120
    assert heights[9] > heights[0]   # ten rows are taller than one
    full = [figures.heatmap(np.zeros((rows, 3)), "z", full_width=True).layout.height
            for rows in (1, 32, 64)]
    assert full[0] == heights[0] and full[2] > heights[-1] and full[2] <= 1000


def test_phase_figures_pass_the_width_to_every_panel():
    net = Network([2, 8, 8, 1], activation="tanh", seed=0)
    X = np.random.default_rng(0).normal(size=(4, 2))
    forward = Stepper(net, X, np.ones((4, 1)), 0.5).step()
    narrow = figures.phase_figures(forward, width_px=300)
    wide = figures.phase_figures(forward, width_px=1400)
    printed = [fig.data[0].texttemplate is not None for _, fig in wide]
    assert all(printed)  # 2 to 9 columns fit across 1400 px
    # W[0] with its bias: 3 columns fit in 300 px; a[1] with 8 columns does not
    assert narrow[1][1].data[0].texttemplate is not None
    assert narrow[3][1].data[0].texttemplate is None


def test_mazur_prints_its_numbers_three_panels_to_a_row():
    # 300 px: a third of the app's 946 px column.  (At four to a row, 224 px, the
    # colour bar and the y axis leave 102 px for W's three columns: hover only.)
    data = datasets.load("mazur")
    net = Network([2, 2, 2], activation="sigmoid", seed=0)
    stepper = Stepper(net, data.X, data.Y, 0.5)
    for record in stepper.run():
        for _, fig in figures.phase_figures(record, width_px=300):
            for trace in fig.data:
                if trace.type == "heatmap":
                    assert trace.texttemplate == "%{text}", record.label
                    assert trace.textfont.size >= MIN_FONT


# --- diverged values ------------------------------------------------------------------------
def test_a_diverged_loss_is_capped_and_marked_with_its_true_value():
    history = History(train_loss=[0.7, 0.69, 3.0, 4.9e301],
                      test_loss=[0.72, 0.7, 5.0, float("inf")])
    fig = figures.loss_curves(history)
    train, test, marks, test_marks = fig.data
    cap = 10 * 0.72  # 10 × the largest starting loss
    assert list(train.y) == [0.7, 0.69, 3.0, cap]
    assert list(test.y) == [0.72, 0.7, 5.0, cap]
    assert marks.name == "diverged" and list(marks.y) == [cap]
    assert list(marks.x) == [4] and list(marks.customdata) == ["4.9e+301"]
    assert list(test_marks.customdata) == ["inf"]
    assert marks.showlegend and not test_marks.showlegend  # one legend entry
    assert "diverged" in marks.hovertemplate and marks.marker.symbol == "x"
    top = fig.layout.yaxis.range[1]
    top = 10 ** top if fig.layout.yaxis.type == "log" else top
    assert cap < top < 2 * cap  # the axis stops just above the cap, not at 1e301
    assert "diverged" in fig.layout.title.text


def test_the_learning_rate_sweep_keeps_the_runs_that_did_not_diverge_apart():
    # what scenarios.learning_rate_sweep returns when η = 5 blows up
    sweep = {0.05: [0.70, 0.69, 0.68], 0.5: [0.70, 0.55, 0.40],
             5.0: [0.70, 1e300, 1e301, float("inf")]}
    fig = figures.curves({f"η = {r:g}": v for r, v in sweep.items()},
                         "sweep", "epoch", "loss", log_y=True)
    low, high = fig.layout.yaxis.range  # log10 units
    assert high <= math.log10(7.0) + 0.2 and low > math.log10(0.4) - 0.5
    marks = fig.data[-1]
    assert list(marks.x) == [1, 2, 3]
    assert list(marks.customdata) == ["1e+300", "1e+301", "inf"]
    # η = 0.05 and η = 0.5 end a factor 1.7 apart: 10% of the axis's height at least
    # (scaled to 1e301 they were 0.1% apart)
    gap = math.log10(0.68) - math.log10(0.40)
    assert gap / (high - low) > 0.10


def test_nothing_is_capped_while_no_run_diverges():
    fig = figures.curves({"a": [1.0, 2.0, 5.0]}, "t", "x", "y")
    assert len(fig.data) == 1 and fig.layout.yaxis.range is None
    assert list(fig.data[0].y) == [1.0, 2.0, 5.0]
    assert len(figures.curves({"a": [1.0, 1e9]}, "t", "x", "y", cap_factor=None).data) == 1


def test_the_fitted_curve_axis_follows_the_targets_when_the_network_diverged():
    data = datasets.load("sine", n=40)
    net = Network([1, 4, 1], output_activation="linear", seed=0)
    net.weights[1] *= 1e150  # a[L] of about -7e149, as the diverge scenario leaves it
    fig = figures.fitted_curve(net, data)
    lo, hi = fig.layout.yaxis.range
    span = data.Y.max() - data.Y.min()
    assert lo >= data.Y.min() - 3.5 * span and hi <= data.Y.max() + 3.5 * span
    assert lo < data.Y.min() and hi > data.Y.max()
    assert "leaves the plot" in fig.layout.title.text


# --- the decision boundary ------------------------------------------------------------------
def test_boundary_points_have_an_outline_and_the_field_is_light():
    data = datasets.load("xor", n=40)
    net = Network([2, 3, 1], activation="tanh", seed=0)
    fig = figures.decision_boundary(net, data, resolution=10)
    field, *points = fig.data
    assert all(t.marker.line.width > 0 for t in points)
    # the field's darkest colours are lighter than the points' fill
    ends = [field.colorscale[0][1], field.colorscale[-1][1]]
    def lightness(hex_colour):
        return sum(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)) / 3
    assert min(lightness(c) for c in ends) > 140
    assert max(lightness(t.marker.color) for t in points) < 110
    # the legend beside the plot, at the right
    assert fig.layout.legend.x >= 1 and fig.layout.legend.xanchor == "left"


@pytest.mark.parametrize("points,splits", [("train", {"train"}), ("test", {"test"}),
                                            ("both", {"train", "test"})])
def test_boundary_shows_the_train_points_the_test_points_or_both(points, splits):
    train, test = datasets.split(datasets.load("xor", n=50), test_fraction=0.2, seed=0)
    net = Network([2, 3, 1], activation="tanh", seed=0)
    fig = figures.decision_boundary(net, train, resolution=10, test=test, points=points)
    drawn = {t.name.split(",")[0]: 0 for t in fig.data[1:]}
    for t in fig.data[1:]:
        drawn[t.name.split(",")[0]] += len(t.x)
    assert set(drawn) == splits
    expected = {"train": len(train), "test": len(test)}
    assert drawn == {s: expected[s] for s in splits}
    symbols = {t.name.split(",")[0]: t.marker.symbol for t in fig.data[1:]}
    assert symbols.get("train", "circle") == "circle"
    assert symbols.get("test", "diamond") == "diamond"


def test_boundary_asks_for_the_test_set_when_it_shows_test_points():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError):
        figures.decision_boundary(net, datasets.load("xor", n=10), points="test")
    with pytest.raises(ValueError):
        figures.decision_boundary(net, datasets.load("xor", n=10), points="all")


def test_boundary_is_sized_to_its_column():
    net = Network([2, 3, 1], seed=0)
    data = datasets.load("xor", n=10)
    small = figures.decision_boundary(net, data, resolution=5, width_px=400).layout.height
    large = figures.decision_boundary(net, data, resolution=5, width_px=700).layout.height
    assert large - small == 300  # the plot is square: 300 px wider is 300 px taller


# --- legends --------------------------------------------------------------------------------
def test_every_training_chart_has_its_legend_at_the_foot():
    history = History(train_loss=[1.0, 0.5], test_loss=[1.1, 0.6],
                      train_accuracy=[0.5, 0.9], test_accuracy=[0.4, 0.8])
    net = Network([2, 3, 1], seed=0)
    x = np.random.default_rng(0).normal(size=(4, 2))
    charts = [figures.loss_curves(history), figures.accuracy_curves(history),
              figures.curves({"a": [1, 2]}, "t", "x", "y"),
              figures.gradient_norms(net.backprop(x, np.ones((4, 1)))),
              figures.fitted_curve(Network([1, 2, 1], output_activation="linear", seed=0),
                                   datasets.load("sine", n=10))]
    for fig in charts:
        legend = fig.layout.legend
        assert legend.orientation == "h" and legend.yref == "container" and legend.y == 0
        assert legend.yanchor == "bottom" and fig.layout.margin.b >= 80
