"""Plotly figures of bp_core's numbers: pure functions from arrays and records to ``go.Figure``.

This module gathers the builders of the smaller modules beside it, so that one import
gives them all (``from bp_view import figures``):

    heatmaps.py           heatmap: any 1-D or 2-D array
    phases.py             phase_figures: the panels of one phase of a stepped pass
    diagram.py            network_diagram, diagram_parts
    training_charts.py    loss_curves, accuracy_curves, curves
    network_output.py     decision_boundary, fitted_curve
    images.py             digit_images, digit_predictions, weight_images
    gradcheck_figures.py  gradcheck_figure, gradcheck_heatmaps, gradient_norms

The conventions every figure keeps (colour scales, rows = examples, hover, caps on
what is drawn) are in style.py; the words in text.py; what the builders read from
bp_core's registries and records in registry.py and records.py.  Every builder takes an
optional translator ``tr(key, values) -> str`` of the keys of `TEXT`; without one
the English template is filled in, so notebooks work unchanged.  Every builder is
pure: it copies what it draws and never mutates its inputs.  Only numpy and plotly
are used (no Streamlit), so the figures work in a notebook as they do in the app.
"""

from __future__ import annotations

from .diagram import diagram_parts, network_diagram
from .gradcheck_figures import gradcheck_figure, gradcheck_heatmaps, gradient_norms
from .heatmaps import heatmap
from .images import digit_images, digit_predictions, weight_images
from .network_output import decision_boundary, fitted_curve
from .phases import phase_figures
from .registry import derivative_range, value_range
from .style import (
                    BOUNDED_SCALE,
                    FAIL_COLOUR,
                    IMAGE_SCALE,
                    MAX_DRAWN_NEURONS,
                    MAX_IMAGES,
                    MAX_ROWS,
                    PASS_COLOUR,
                    PLAIN_SCALE,
                    SIGNED_SCALE,
)
from .text import FIGURE_TEXT as TEXT
from .text import Translator
from .training_charts import accuracy_curves, curves, loss_curves

NONFINITE_NOTE = TEXT["nonfinite"]  # the note under a title when values were hidden
activation_range = value_range      # the fixed colour range of a bounded activation

__all__ = ["BOUNDED_SCALE", "FAIL_COLOUR", "IMAGE_SCALE", "MAX_DRAWN_NEURONS", "MAX_IMAGES",
           "MAX_ROWS", "NONFINITE_NOTE", "PASS_COLOUR", "PLAIN_SCALE", "SIGNED_SCALE", "TEXT",
           "Translator", "accuracy_curves", "activation_range", "curves", "decision_boundary",
           "derivative_range", "diagram_parts", "digit_images", "digit_predictions",
           "fitted_curve", "gradcheck_figure", "gradcheck_heatmaps", "gradient_norms",
           "heatmap", "loss_curves", "network_diagram", "phase_figures", "weight_images"]
