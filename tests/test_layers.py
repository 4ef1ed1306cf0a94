"""The three layers and the imports between them: bp_core → bp_view → playground.

    bp_core     the engine: numpy and scipy; imports none of the layers above it,
                nor plotly or Streamlit
    bp_view     pure presentation: numpy, plotly and bp_core; no Streamlit, nothing
                of the app, so it works in a notebook
    playground  the Streamlit app: may import everything below it

Checked twice: by importing a package in a fresh interpreter and looking at what it
loaded, and by reading every import statement of every source file (imports inside
functions too), so that an import on a rare path is caught as well.  No source
module of the three packages is over `MAX_LINES` lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600
PACKAGES = ("bp_core", "bp_view", "playground")
# What each package must not import (top-level module names).
FORBIDDEN = {
    "bp_core": {"bp_view", "playground", "workshop", "streamlit", "plotly"},
    "bp_view": {"playground", "workshop", "streamlit"},
}
# Beyond the standard library, all that bp_view may import.
BP_VIEW_ALLOWED = {"numpy", "plotly", "bp_core", "bp_view"}


def loaded_by(statement: str) -> set[str]:
    """Top-level names of the modules a fresh interpreter has after `statement`."""
    code = (f"import sys; {statement}; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    return set(out.stdout.split())


def imported_roots(source: str, package: str) -> set[str]:
    """Top-level module names that a file of `package` imports, anywhere in it.

    A relative import (``from . import x``, ``from .. import y``) is inside the package
    at level 1; at level 2 or more it would reach out of it, and counts as the parent.
    """
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                roots.add(node.module.split(".")[0])
            elif node.level == 1:
                roots.add(package)
            else:
                roots.add("<outside the package>")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant)):
            roots.add(str(node.args[0].value).split(".")[0])  # importlib.import_module("x")
    return roots


def sources(package: str) -> list[Path]:
    found = sorted((ROOT / package).rglob("*.py"))
    assert found, f"no sources found in {package}"
    return found


# --- what a fresh interpreter loads -------------------------------------------------------
def test_importing_the_engine_loads_neither_plotly_nor_streamlit():
    loaded = loaded_by("import bp_core")
    assert "bp_core" in loaded and "numpy" in loaded  # the probe works
    assert not loaded & {"plotly", "streamlit", "bp_view", "playground"}, loaded


def test_importing_the_presentation_loads_no_streamlit():
    loaded = loaded_by("import bp_view; from bp_view import equations, figures")
    assert "plotly" in loaded  # the probe works: bp_view did load its figures
    assert not loaded & {"streamlit", "playground", "workshop"}, loaded


def test_the_probe_sees_streamlit_when_it_is_loaded():
    """The two tests above would notice: importing the app does load Streamlit."""
    assert "streamlit" in loaded_by("import playground.charts")


# --- what every source file imports --------------------------------------------------------
@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_layer_imports_a_layer_above_it(package):
    bad = {}
    for path in sources(package):
        found = imported_roots(path.read_text(encoding="utf-8"), package)
        if found & (FORBIDDEN[package] | {"<outside the package>"}):
            bad[str(path.relative_to(ROOT))] = sorted(found & (FORBIDDEN[package]
                                                              | {"<outside the package>"}))
    assert not bad, f"{package} imports what it must not: {bad}"


def test_bp_view_uses_only_numpy_plotly_and_the_engine():
    stdlib = set(sys.stdlib_module_names)
    bad = {}
    for path in sources("bp_view"):
        extra = imported_roots(path.read_text(encoding="utf-8"), "bp_view") - stdlib \
            - BP_VIEW_ALLOWED
        if extra:
            bad[path.name] = sorted(extra)
    assert not bad, f"bp_view imports more than numpy, plotly and bp_core: {bad}"


@pytest.mark.parametrize("source, package, caught", [
    ("import streamlit as st", "bp_view", "streamlit"),
    ("def f():\n    from plotly import graph_objects\n", "bp_core", "plotly"),
    ("from playground.i18n import t", "bp_view", "playground"),
    ("import importlib\nimportlib.import_module('streamlit.runtime')", "bp_view", "streamlit"),
    ("from ..playground import charts", "bp_view", "<outside the package>"),
])
def test_the_import_reader_catches_a_broken_rule(source, package, caught):
    assert caught in imported_roots(source, package)
    assert caught in FORBIDDEN[package] | {"<outside the package>"}


# --- module size ---------------------------------------------------------------------------
@pytest.mark.parametrize("package", PACKAGES)
def test_no_source_module_is_over_the_line_limit(package):
    long = {str(path.relative_to(ROOT)): n for path in sources(package)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


# --- the app's limits sit inside the engine's -------------------------------------------------
def test_the_apps_limits_are_tighter_than_the_engines():
    from bp_core import limits as engine
    from playground import config
    from playground import limits as app

    assert app.APP_MAX_HIDDEN_LAYERS + 2 <= engine.MAX_LAYERS  # + the input and output layer
    assert app.APP_MAX_HIDDEN_NEURONS <= engine.MAX_NEURONS
    assert app.APP_MAX_PARAMS <= engine.MAX_PARAMS
    assert app.APP_UPLOAD_BYTES <= engine.MAX_JSON_BYTES
    assert config.N_SAMPLES <= app.APP_MAX_SAMPLES <= engine.MAX_SAMPLES
