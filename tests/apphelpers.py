"""Helpers for the AppTest tests: start the app, read Plotly charts back as numbers."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def start(query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, name: str, lang: str = "en") -> AppTest:
    """Open a tab of the page ("step", "train", "check", "save"), as a click on it does.

    The tabs track which one is open (st.tabs key "tab"), and only that one is run.
    """
    from playground.i18n import t

    at.session_state["tab"] = t(f"tab_{name}", lang=lang)
    at.run()
    assert not at.exception, at.exception
    return at


def decode(value):
    """Plotly 7 packs numpy arrays as {"dtype", "bdata", "shape"}; unpack them."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr
    return np.array(value, dtype=object) if isinstance(value, list) else value


def charts(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page, as its JSON dict."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def heatmaps(at: AppTest) -> dict[str, np.ndarray]:
    """Title text -> z array of every heatmap on the page."""
    out = {}
    for fig in charts(at):
        title = fig.get("layout", {}).get("title", {})
        title = title.get("text", "") if isinstance(title, dict) else str(title)
        for trace in fig.get("data", []):
            if trace.get("type") == "heatmap":
                out[title or str(len(out))] = decode(trace["z"])
    return out


def texts(at: AppTest) -> str:
    """All markdown, captions, LaTeX, warnings and errors on the page, joined."""
    parts = []
    for kind in ("markdown", "caption", "latex", "warning", "error", "info", "success",
                 "subheader", "title"):
        parts += [str(el.value) for el in getattr(at, kind)]
    return "\n".join(parts)


def forge(at: AppTest, key: str, field: str, value) -> AppTest:
    """Send a widget value the way a hostile browser could: any value in any field of
    the widget's state message (``field`` is e.g. "int_value", "double_value",
    "string_value"), with no check by the widget in the page.  Then rerun."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    node = None
    for kind in ("selectbox", "number_input", "radio", "slider", "select_slider"):
        try:
            node = getattr(at, kind)(key=key)
            break
        except KeyError:
            continue
    assert node is not None, f"no widget with key {key!r}"

    def widget_state(self) -> WidgetState:
        state = WidgetState(id=self.id)
        setattr(state, field, value)
        return state

    # AppTest reads each widget's state message from this property at run(); a subclass
    # that returns the forged message is the test's stand-in for a forged websocket frame.
    node.__class__ = type("Forged", (type(node),), {"_widget_state": property(widget_state)})
    at.run()
    return at
