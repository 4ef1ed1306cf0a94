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

# --- numbers and words ----------------------------------------------------------------
HOVER_FORMAT = ".9~g"       # 9 significant digits on hover (bp_view.latex.DIGITS), no
                            # trailing zeros; the data itself is never rounded
TEXT_TEMPLATE = "%{text}"   # a cell prints the label bp_view.layout.cell_text made for it

# --- numbers printed in heatmap cells (bp_view.layout.cell_text) --------------------
# A cell prints its number only when the number fits its cell at a readable size;
# otherwise the value is on hover only.  The builder cannot measure the browser, so it
# is told the width the figure will be drawn at (width_px) and estimates a label's
# width as Plotly itself does when it sizes heatmap text: every character 0.65 em
# (plotly.js heatmap/plot.js, LINE_SPACING / 2), which is wider than a digit in the
# common sans-serif fonts (Source Sans 0.50, Arial 0.56, DejaVu Sans 0.64 em).
TEXT_FONT_SIZES = (11, 10)  # tried largest first; 10 px is the smallest printed
MIN_TEXT_PX = TEXT_FONT_SIZES[-1]
TEXT_CHAR_EM = 0.65         # a character's width, in em, as Plotly estimates it
TEXT_LINE_EM = 1.3          # a line's height, in em (Plotly's LINE_SPACING)
TEXT_PAD_PX = 4             # free space kept in each cell beside its label
TEXT_DIGITS = (4, 3, 2)     # significant digits tried, most first
PANEL_WIDTH_PX = 300        # the width a heatmap is built for when none is given: a
                            # quarter of the app's 1440 px page, or a notebook's narrow cell
FULL_WIDTH_PX = 946         # a matrix opened full width (the app's main column at 1440 px)
NARROW_COLUMN_PX = 628      # the app's main column at 1024 px, the narrowest page that
                            # puts panels side by side (below 640 px Streamlit stacks them)
COLUMN_GAP_PX = 16          # Streamlit's gap between st.columns (1 rem)
ROW_PX = 24                 # a heatmap row's height while the panel has room for it
PANEL_HEIGHT = (140, 400)   # a panel's height bounds; full width allows `FULL_HEIGHT_MAX`
FULL_HEIGHT_MAX = 1000
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
# The training charts' legend: one horizontal row at the foot of the figure, under the
# x axis's title, where it cannot meet the title however narrow the chart (at
# 1024 px the accuracy chart's title ran into a legend at the top).  `BOTTOM_MARGIN`
# is the room it needs below the plot.
BOTTOM_LEGEND = dict(orientation="h", x=0, xanchor="left", y=0, yref="container",
                     yanchor="bottom", font=dict(size=10))
BOTTOM_MARGIN = 84

# --- diverged values (bp_view.training_charts) --------------------------------------
# A loss beyond DIVERGE_FACTOR × the starting loss (or not finite) is drawn at that
# cap and marked, its true value on hover, so one run of 1e301 cannot flatten the rest.
DIVERGE_FACTOR = 10.0
DIVERGED_COLOUR = "#d62728"

# --- the decision boundary (bp_view.network_output) ---------------------------------
# The field is a lighter version of SIGNED_SCALE (its points must stand out on it:
# a fully saturated field swallowed points of its own colour); points keep the dark
# class colours with a dark outline.
BOUNDARY_SCALE = [[0.0, "#92c5de"], [0.5, "#f7f7f7"], [1.0, "#f4a582"]]
POINT_OUTLINE = dict(color="#1a1a1a", width=1.2)
POINT_SYMBOLS = {"train": "circle", "test": "diamond"}
BOUNDARY_WIDTH_PX = 520     # the width the boundary plot is built for when none is given
LEGEND_PX = 120             # room at the right for its legend
