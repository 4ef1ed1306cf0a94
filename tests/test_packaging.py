"""The project as a package: the wheel, the console entry point and the dependency lists.

The wheel is built from a copy of the checkout, offline (`pip wheel --no-deps
--no-build-isolation --no-index`), and installed with `pip install --target` into a
folder of its own, so that the installed copy, not the checkout, is what runs. The
installed app runs under AppTest and as `backprop-playground` from a folder outside the
checkout, and the browser test checks that the packaged `.streamlit/config.toml` is the
one Streamlit reads there.
"""

from __future__ import annotations

import ast
import email.parser
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
# The test tools: never in requirements.txt, never in the Docker image.
TEST_TOOLS = {"pytest", "hypothesis", "playwright", "pytest-playwright", "ruff", "websockets",
              "threadpoolctl", "torch", "setuptools"}
# Not copied into the build: output, environments and history.
NOT_SOURCE = ("build", "dist", ".git", ".venv", "venv", ".ci-venv", "node_modules",
              "__pycache__", "*.pyc", "*.egg-info", ".pytest_cache", ".hypothesis",
              ".ruff_cache")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a requirements file (comments and blanks dropped)."""
    return [line.strip() for line in path.read_text().splitlines()
            if line.strip() and not line.strip().startswith("#")]


def requirement_name(line: str) -> str:
    return normalise(re.match(r"[A-Za-z0-9_.\-]+", line).group(0))


def shipped_packages() -> list[str]:
    """The top-level packages pyproject.toml ships that exist in this checkout."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return [name for name in include if "." not in name and (ROOT / name).is_dir()]


def source_files(package: str) -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / package).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built offline from a copy of the checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(tmp / "dist"), str(source)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    [built] = (tmp / "dist").glob("backprop_playground-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed (without its dependencies) into a folder of its own."""
    target = tmp_path_factory.mktemp("installed")
    run = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                          "-q", "--target", str(target), str(wheel)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    return target


def installed_env(target: Path) -> dict[str, str]:
    """Run from outside the checkout, with the installed copy first on sys.path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return {**env, "PYTHONPATH": str(target), "BP_PLAYGROUND_DEBUG": "1"}


def wheel_metadata(wheel: Path) -> tuple[list[str], email.message.Message, str]:
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(z.read(f"{info}/METADATA").decode())
        entry_points = z.read(f"{info}/entry_points.txt").decode()
    return names, metadata, entry_points


# --- the wheel ----------------------------------------------------------------------------
def test_wheel_holds_every_file_of_the_shipped_packages_and_nothing_else(wheel):
    names, _, _ = wheel_metadata(wheel)
    packages = shipped_packages()
    assert {"bp_core", "playground", "workshop"} <= set(packages)
    for package in packages:
        missing = sorted(set(source_files(package)) - set(names))
        assert not missing, f"{package}: not in the wheel: {missing}"
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == set(packages), "tests/, exercises/, benchmarks/ stay out of the wheel"
    # The string catalogues and the hosted settings are package data, not only code.
    assert {"playground/locales/en.json", "playground/locales/zh.json"} <= set(names)
    with zipfile.ZipFile(wheel) as z:
        for name in ("playground/locales/en.json", "playground/locales/zh.json"):
            assert json.loads(z.read(name))
        packaged = z.read("playground/.streamlit/config.toml")
    # The file itself, not a link: the wheel's copy equals the one at the root.
    assert packaged == (ROOT / ".streamlit" / "config.toml").read_bytes()
    assert tomllib.loads(packaged.decode())["runner"]["postScriptGC"] is False


def test_wheel_declares_the_entry_point_and_both_dependency_lists(wheel):
    _, metadata, entry_points = wheel_metadata(wheel)
    assert re.search(r"^\[console_scripts\]\s*\nbackprop-playground = playground\.cli:main$",
                     entry_points, re.M), entry_points
    declared = metadata.get_all("Requires-Dist")
    runtime = [d for d in declared if "extra ==" not in d]
    test_extra = [d.split(";")[0].strip() for d in declared if 'extra == "test"' in d]
    assert runtime == requirement_lines(ROOT / "requirements.txt")
    assert test_extra == requirement_lines(ROOT / "requirements-dev.txt")
    assert metadata["Requires-Python"] == ">=3.11"


# --- the installed package ----------------------------------------------------------------
def test_installed_package_runs_the_app_outside_the_checkout(installed, tmp_path):
    script = """
import json, sys
import playground, playground.cli
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(str(playground.cli.SCRIPT), default_timeout=60).run()
print(json.dumps({"package": playground.__file__, "script": str(playground.cli.SCRIPT),
                  "exception": [e.value for e in at.exception],
                  "title": [t.value for t in at.title]}))
"""
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=installed_env(installed),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(result["package"]).is_relative_to(installed)  # not the checkout's copy
    assert Path(result["script"]).is_relative_to(installed)
    assert result["exception"] == []
    english = json.loads((ROOT / "playground" / "locales" / "en.json").read_text("utf-8"))
    assert result["title"] == [english["title"]]  # the catalogue came with the package


def test_installed_exercises_page_finds_the_exercises_in_the_folder_it_starts_in(installed,
                                                                               tmp_path):
    """The wheel ships no exercises (the learner edits them): the installed page looks
    in exercises/ of the folder it was started from, says where when they are not
    there, and runs them once they are."""
    script = """
import json
import playground.cli
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(str(playground.cli.SCRIPT), default_timeout=60)
at.query_params["mode"] = "exercises"
at.run()
out = {"warning": [w.value for w in at.warning], "exception": [e.value for e in at.exception],
       "run": [b.key for b in at.button if b.key == "exercise_run"]}
if out["run"]:
    at.button(key="exercise_run").click().run()
    out["info"] = [i.value for i in at.info]
print(json.dumps(out))
"""
    env = {k: v for k, v in installed_env(installed).items() if k != "BP_EXERCISES_DIR"}

    def page() -> dict:
        run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stderr[-3000:]
        result = json.loads(run.stdout.strip().splitlines()[-1])
        assert result["exception"] == [], result
        return result

    missing = page()
    assert not missing["run"], missing
    assert any(str(tmp_path / "exercises" / "ex1_forward.py") in w and "BP_EXERCISES_DIR" in w
               for w in missing["warning"]), missing
    (tmp_path / "exercises").mkdir()
    shutil.copy(ROOT / "exercises" / "ex1_forward.py", tmp_path / "exercises")
    found = page()
    assert found["run"] and any("Not implemented yet" in i for i in found["info"]), found


def start_installed(installed: Path, cwd: Path, port: int) -> subprocess.Popen:
    """`backprop-playground` from the installed copy, with Streamlit options after it."""
    entry = installed / "bin" / "backprop-playground"
    assert entry.is_file(), "pip did not write the console script"
    return subprocess.Popen(
        [sys.executable, str(entry), "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=installed_env(installed), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)


def test_console_script_passes_streamlit_options_through(installed, tmp_path):
    port = free_port()
    server = start_installed(installed, tmp_path, port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", timeout=60)  # the port it was given
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=20)
    assert f":{port}" in out, out


@pytest.mark.browser
def test_installed_app_reads_the_packaged_hosted_settings(installed, tmp_path, page):
    """From a folder with no .streamlit/ of its own, the packaged config still applies.

    theme.base = "light" in it is visible: a browser that prefers dark shows Streamlit's
    dark theme unless a config file says otherwise.
    """
    port = free_port()
    server = start_installed(installed, tmp_path, port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, timeout=60)
        page.emulate_media(color_scheme="dark")
        page.goto(url)
        page.locator("h1").first.wait_for(timeout=60_000)
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor")
        assert background == "rgb(255, 255, 255)"
    finally:
        server.terminate()
        server.communicate(timeout=20)


# --- the source tree ----------------------------------------------------------------------
def project_sources() -> list[Path]:
    skip = {"build", ".venv", "venv", ".ci-venv", ".git", "node_modules", "__pycache__"}
    return sorted(p for p in ROOT.rglob("*.py")
                  if not skip & set(p.relative_to(ROOT).parts))


def edits_sys_path(tree: ast.AST) -> list[int]:
    """Lines that change sys.path (insert, append, assignment, ...) or call addsitedir."""
    lines = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            if node.func.attr == "addsitedir":
                lines.append(node.lineno)
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            target = next((t.value if isinstance(t, ast.Subscript) else t for t in targets), None)
        if target is not None and ast.unparse(target) == "sys.path":
            lines.append(node.lineno)
    return lines


def test_edits_sys_path_finds_the_ways_of_editing_it():
    for code in ("sys.path.insert(0, 'x')", "sys.path.append(ROOT)", "sys.path = []",
                 "sys.path[0:0] = ['x']", "sys.path += ['x']", "site.addsitedir('x')"):
        assert edits_sys_path(ast.parse(code)) == [1], code
    assert edits_sys_path(ast.parse("print(sys.path)\nx = sys.path[0]")) == []


def test_no_source_file_edits_sys_path():
    found = {}
    for path in project_sources():
        lines = edits_sys_path(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[path.relative_to(ROOT).as_posix()] = lines
    assert found == {}, found


def test_requirements_hold_only_what_the_app_runs_on_with_lower_bounds():
    lines = requirement_lines(ROOT / "requirements.txt")
    names = {requirement_name(line) for line in lines}
    assert not names & TEST_TOOLS, "test tools belong in requirements-dev.txt"
    assert names == {"numpy", "scipy", "streamlit", "plotly", "scikit-learn",
                     "sqlalchemy", "psycopg", "psycopg-binary"}  # the last three: rooms
    for line in lines:
        assert re.fullmatch(r"[a-z\-]+>=[0-9.]+", line), f"a lower bound only: {line}"
    dev = {requirement_name(line) for line in requirement_lines(ROOT / "requirements-dev.txt")}
    assert dev == TEST_TOOLS
    assert "torch==2.13.0" in requirement_lines(ROOT / "requirements-dev.txt")


def third_party_imports(paths: list[Path], local: set[str]) -> set[str]:
    imported = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    return imported - local - set(sys.stdlib_module_names) - {"__future__"}


def test_every_import_of_the_shipped_code_is_a_declared_dependency():
    packages = shipped_packages()
    sources = [ROOT / "app.py"] + [p for pkg in packages for p in (ROOT / pkg).rglob("*.py")]
    required = {requirement_name(line) for line in requirement_lines(ROOT / "requirements.txt")}
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(third_party_imports(sources, set(packages))):
        dists = {normalise(d) for d in providers.get(module, [module])}
        if not dists & required:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not in requirements.txt: {missing}"


def test_every_import_of_the_tests_and_tools_is_declared():
    """tests/, benchmarks/, exercises/ and deploy/ import only what the two lists install."""
    folders = ("tests", "benchmarks", "exercises", "deploy")
    sources = [p for folder in folders for p in (ROOT / folder).rglob("*.py")
               if "__pycache__" not in p.parts]
    declared = {requirement_name(line) for name in ("requirements.txt", "requirements-dev.txt")
                for line in requirement_lines(ROOT / name)}
    local = {*shipped_packages(), *folders, "app", "apphelpers", "serving", "_checks", "conftest"}
    local |= {p.stem for p in (ROOT / "exercises").glob("*.py")}  # the learner's modules
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(third_party_imports(sources, local)):
        dists = {normalise(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but in neither requirements file: {missing}"
