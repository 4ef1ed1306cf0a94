"""The conventions every figure keeps, defined once, so a colour means the same in every panel.

* Rows are examples and columns are neurons.  A weight matrix is drawn as stored,
  W[l]: (n_out, n_in), row j = output neuron, column k = input neuron, and its bias
  b[l] is an extra last column labelled "b", so a bias is never hidden.
* Signed quantities (z, delta, grad_w, grad_b, updates, weights, inputs, and the
  outputs of unbounded activations) use `SIGNED_SCALE`, a diverging scale with
  white at zero (zmid = 0): red is positive, blue negative.
* Bounded activations use `BOUNDED_SCALE` over the fixed range their registry entry
  gives (`bp_view.registry.value_range`: sigmoid and softmax [0, 1], tanh [-1, 1]),
  so a colour always means the same value from step to step.
* Ticks are the integer indices of bp_core's arrays, from 0.  Hover shows the indices
  and the value to 9 significant digits (as the equations do); the figure data
  itself is the float64 array, unrounded.
* At most `MAX_ROWS` examples are drawn per heatmap (the title says so when cut).
  NaN and ±inf are never drawn: they become gaps and the title says so.

A figure carries no Plotly template: every colour and size it uses is set here, so it
looks the same in a notebook, in an exported HTML file and in the app, whatever
``plotly.io.templates.default`` is.  The font family is left to where the figure is
shown (the app sets its own in playground.charts).
"""

from __future__ import annotations

# --- colours ------------------------------------------------------------------------
SIGNED_SCALE = "RdBu_r"     # blue < 0 < red, white at 0 (zmid = 0)
BOUNDED_SCALE = "Viridis"   # bounded activations, over their fixed value range
PLAIN_SCALE = "Viridis"     # non-negative, unbounded quantities, auto range
IMAGE_SCALE = "Greys"       # digit pixels: 0 white, 1 black (ink)
PASS_COLOUR, FAIL_COLOUR = "#2ca02c", "#d62728"
CLASS_COLOURS = ("#2166ac", "#b2182b")  # label 0 blue, label 1 red: the ends of SIGNED_SCALE
LINE_COLOURS = ("#1f77b4", "#ff7f0e")   # train, test
CURVE_COLOURS = LINE_COLOURS + ("#2ca02c", "#d62728", "#9467bd", "#8c564b")  # `curves`
MISSING_BG = "#bdbdbd"      # what a hidden (non-finite) cell shows: the plot background

# --- how much is drawn --------------------------------------------------------------
MAX_ROWS = 64               # examples drawn per heatmap
MAX_IMAGES = 32             # images per digit grid
MAX_DRAWN_NEURONS = 16      # neurons per layer in the network diagram
TEXT_MAX_CELLS = 40         # matrices this small also print their values in the cells

# --- numbers and words ----------------------------------------------------------------
HOVER_FORMAT = ".9~g"       # 9 significant digits on hover (bp_view.latex.DIGITS), no
                            # trailing zeros; the data itself is never rounded
TEXT_TEMPLATE = "%{z:.4~g}"  # the numbers printed in the cells of small matrices
FONT = dict(size=11)
HOVERLABEL = dict(bgcolor="white", bordercolor="#d5d8de", font=dict(size=12))

# --- margins ------------------------------------------------------------------------
MARGIN = dict(l=50, r=10, t=40, b=36)
# Figures with a colour bar keep a fixed right margin wide enough for it.  Left to
# itself, Plotly lets the bar push the margin out, measures, and then draws the
# whole figure a second time: in the browser that second draw was about a quarter
# of Plotly's time on every click of Next.  The bottom margin likewise holds the
# x axis's tick labels and title, which would otherwise push it.
COLORBAR_MARGIN = dict(r=72, b=50, autoexpand=False)
TOP_LEGEND = dict(orientation="h", y=1.0, x=1, xanchor="right", yanchor="bottom")
