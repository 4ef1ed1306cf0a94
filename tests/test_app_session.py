"""Session state behind one typed module (playground/session.py): no other module of
the app names a session-state key, and every key the app stores is declared there."""

from __future__ import annotations

import re
from pathlib import Path

from playground import session
from tests.apphelpers import click, open_tab, start

PLAYGROUND = Path(__file__).resolve().parents[1] / "playground"
# Still reading st.session_state directly, in files of the presentation layer's rework
# (issue 10): the language for t() and the per-session figure cache.
BARE = re.compile(r"session_state\s*(\[|\.get\(|\.setdefault\(|\.pop\()")


def test_no_module_but_session_names_a_session_key():
    offenders = {path.name for path in PLAYGROUND.glob("*.py")
                 if path.name != "session.py"
                 and BARE.search(path.read_text(encoding="utf-8"))}
    assert not offenders, f"bare session-state keys in {sorted(offenders)}"


def declared() -> set[str]:
    return {name for name, value in vars(session.Visitor).items()
            if isinstance(value, session.Key)}


WIDGET_KINDS = ("button", "selectbox", "radio", "number_input", "toggle", "file_uploader")


def drawn(at) -> set[str]:
    """The keys of the widgets on the page now (Streamlit stores their values)."""
    return {w.key for kind in WIDGET_KINDS for w in getattr(at, kind) if w.key}


def test_every_key_the_app_stores_is_declared_or_a_widgets():
    at = start({"preset": "mazur", "mode": "workshop"})
    widgets = drawn(at)
    click(at, "step_next")
    open_tab(at, "train")
    widgets |= drawn(at)
    click(at, "train")
    at.radio(key="mode").set_value("bughunt").run()
    widgets |= drawn(at)
    click(at, "bug_run")
    widgets |= drawn(at) | {"tab"}  # st.tabs' key, which AppTest lists under no kind
    stored = {k for k in at.session_state.keys() if not k.startswith("$$")}  # ids: Streamlit's
    # figure_cache: the presentation layer's per-session cache (playground/figcache.py).
    unknown = stored - declared() - widgets - {"figure_cache"}
    assert not unknown, f"session keys not declared in playground/session.py: {unknown}"
    assert {"net", "stepper", "config", "mode", "preset", "history", "bug_symptoms"} <= stored
