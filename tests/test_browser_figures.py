"""Heatmap cell texts never overlap in a real browser (issue 11's layout check, one figure).

Each heatmap is built for a width (``width_px``) and drawn at exactly that width in a
plain HTML page with plotly.js from the plotly package (no app, no network), in
headless Chromium at 1024 and 1440 px.  The labels Plotly draws (``g.heatmap-label
text``) are compared pairwise by their bounding boxes: no two may overlap, and none
may be smaller than 10 px.  The widths are the app's panel widths: its main column
(about 946 px at 1440, 628 px at 1024) whole, or two, three or four panels to a row.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly
import plotly.io as pio
import pytest

from bp_core import Network, Stepper, datasets
from bp_view import figures

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
COLUMNS = {1440: 946, 1024: 628}  # the app's main column at each viewport width


def sample_matrices() -> dict[str, np.ndarray]:
    """Panels of the three presets: Mazur's W with b, xor's z and a, the digits' W."""
    rng = np.random.default_rng(0)
    mazur = datasets.load("mazur")
    record = Stepper(Network([2, 2, 2], activation="sigmoid", seed=0), mazur.X, mazur.Y,
                     0.5).step()
    return {
        "mazur_W": np.column_stack([record.arrays["W"], record.arrays["b"]]),
        "mazur_z": record.arrays["z"],
        "xor_z": rng.normal(size=(8, 4)) * 3,
        "xor_grad_w": np.column_stack([rng.normal(size=(4, 2)) * 1e-3, rng.normal(size=4)]),
        "hidden_a": np.tanh(rng.normal(size=(16, 8))),
        "digits_W": rng.normal(size=(10, 21)) * 0.05,
    }


def page_html(figs: list) -> str:
    divs = "\n".join(pio.to_html(fig, include_plotlyjs=False, full_html=False,
                                 div_id=f"fig{i}") for i, fig in enumerate(figs))
    return (f"<html><head><meta charset='utf-8'><script>{PLOTLY_JS.read_text()}</script>"
            f"</head><body style='margin:0'>{divs}</body></html>")


LABEL_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot =>
    [...plot.querySelectorAll('g.heatmap-label text')].map(t => {
        const r = t.getBoundingClientRect();
        return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, text: t.textContent,
                size: parseFloat(getComputedStyle(t).fontSize)};
    }))"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.parametrize("viewport", sorted(COLUMNS))
def test_heatmap_cell_texts_never_overlap(page, viewport):
    column = COLUMNS[viewport]
    figs, names = [], []
    for per_row in (1, 2, 3, 4):
        width = (column - 16 * (per_row - 1)) // per_row  # Streamlit's 1 rem column gap
        for name, values in sample_matrices().items():
            fig = figures.heatmap(values, name, width_px=width)
            figs.append(fig.update_layout(width=width))  # drawn at the width it was built for
            names.append(f"{name} at {width} px")
    path = ROOT / "build" / "tmp" / f"heatmaps-{viewport}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_html(figs), encoding="utf-8")
    page.set_viewport_size({"width": viewport, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length == {len(figs)}")
    boxes = page.evaluate(LABEL_BOXES)
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"heatmaps-{viewport}.png"), full_page=True)
    printed = 0
    for name, fig, labels in zip(names, figs, boxes, strict=True):
        expected = fig.data[0].text is not None
        assert bool(labels) == expected, name
        printed += expected
        assert not overlapping(labels), f"{name}: {overlapping(labels)[:3]}"
        assert all(label["size"] >= 10 for label in labels), name
    # the check is not empty: Mazur's panels and the wide ones print their numbers
    assert printed >= len(figs) // 3, json.dumps(names)
