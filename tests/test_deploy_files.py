"""The Dockerfile and .dockerignore agree with the repository.

No Docker engine runs on the test machines, so the image is never built here; these
tests check what a build would rely on: the files it copies and runs exist and are not
ignored, requirements.txt covers the app's imports, the ports agree, the Streamlit
options are real ones, and the HEALTHCHECK command works against a running app.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from streamlit import config as st_config

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
APP_PACKAGES = ("playground", "bp_view", "bp_core", "workshop")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def one(name: str) -> str:
    found = [rest for word, rest in instructions() if word == name]
    assert len(found) == 1, f"expected one {name}, found {found}"
    return found[0]


def env() -> dict[str, str]:
    values = {}
    for word, rest in instructions():
        if word == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                values[key] = value
    return values


def cmd() -> list[str]:
    return json.loads(one("CMD"))  # exec form: no shell between Docker and streamlit


def option(args: list[str], name: str, default=None):
    for i, arg in enumerate(args):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}":
            return args[i + 1]
    return default


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern also covers a folder's files."""
    parts = path.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = fnmatch.translate(pattern.replace("**/", "\0")).replace("\0", "(?:.*/)?")
        if any(re.match(regex, c) for c in candidates):
            ignored = not negate
    return ignored


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [p.strip() for p in lines if p.strip() and not p.strip().startswith("#")]


def app_files() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "requirements.txt", ROOT / ".streamlit" / "config.toml"]
    for package in APP_PACKAGES:
        files += [p for p in (ROOT / package).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts]
    if (ROOT / "exercises").is_dir():  # the Exercises page reads them (not when hosted)
        files += [p for p in (ROOT / "exercises").glob("*.py")]
    return files


# --- the tests --------------------------------------------------------------------------
def test_base_image_matches_the_python_the_project_requires():
    base = one("FROM")
    assert base == "python:3.11-slim"
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required.strip() == ">=3.11"


def test_hosted_mode_is_set():
    assert env().get("BP_PLAYGROUND_HOSTED") == "1"


def test_requirements_are_copied_and_installed():
    assert (ROOT / "requirements.txt").is_file()
    copies = [rest for word, rest in instructions() if word == "COPY"]
    assert "requirements.txt ." in copies and ". ." in copies
    assert copies.index("requirements.txt .") < copies.index(". .")  # cached layer first
    runs = [rest for word, rest in instructions() if word == "RUN"]
    assert any(re.search(r"pip install (.* )?-r requirements\.txt", r) for r in runs)


def test_cmd_runs_the_app_on_the_exposed_port():
    args = cmd()
    assert args[:2] == ["streamlit", "run"]
    script = args[2]
    assert (ROOT / script).is_file(), script
    assert option(args, "server.address") == "0.0.0.0"
    port = int(option(args, "server.port", 8501))
    assert int(one("EXPOSE")) == port
    health = one("HEALTHCHECK")
    assert re.search(rf"https?://(127\.0\.0\.1|localhost):{port}/_stcore/health", health)


def test_streamlit_options_in_cmd_and_env_exist():
    known = set(st_config._config_options_template)  # every option Streamlit defines
    for arg in cmd()[3:]:
        assert arg.startswith("--")
        name = arg[2:].split("=", 1)[0]
        assert name in known, f"{name} is not a Streamlit option"
    as_env = {"STREAMLIT_" + re.sub(r"([a-z])([A-Z])", r"\1_\2", k).replace(".", "_").upper(): k
              for k in known}
    for name in env():
        if name.startswith("STREAMLIT_"):
            assert name in as_env, f"{name} sets no Streamlit option"


def test_dockerignore_keeps_the_app_and_drops_the_rest():
    patterns = dockerignore_patterns()
    kept = [p.relative_to(ROOT).as_posix() for p in app_files()]
    assert "app.py" in kept and "playground/locales/en.json" in kept
    ignored = [p for p in kept if dockerignored(p, patterns)]
    assert not ignored, f".dockerignore drops files the app needs: {ignored}"
    for path in (".git/config", "tests/conftest.py", "build/x.png", ".venv/bin/python",
                 "playground/__pycache__/x.pyc", ".streamlit/secrets.toml"):
        assert dockerignored(path, patterns), path


def test_requirements_cover_the_apps_imports():
    """Every third-party module the app imports is in requirements.txt."""
    required = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name = re.match(r"\s*([A-Za-z0-9_.\-]+)", line.split("#", 1)[0])
        if name:
            required.add(re.sub(r"[-_.]+", "-", name.group(1)).lower())
    local = {*APP_PACKAGES, "app", "exercises"}
    imported = set()
    sources = [ROOT / "app.py"] + [p for pkg in APP_PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - local - set(sys.stdlib_module_names) - {"__future__"}
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(third_party):
        dists = {re.sub(r"[-_.]+", "-", d).lower() for d in providers.get(module, [module])}
        if not dists & required:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not in requirements.txt: {missing}"


def test_healthcheck_command_works_against_a_running_app(app_url):
    health = one("HEALTHCHECK")
    args = json.loads(health.split("CMD", 1)[1])
    assert args[:2] == ["python", "-c"]
    port = app_url.rsplit(":", 1)[1]
    code = args[2].replace(":8501/", f":{port}/")
    assert code != args[2]
    ok = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)
    assert ok.returncode == 0, ok.stderr
    dead = subprocess.run([sys.executable, "-c", code.replace(f":{port}/", ":9/")],
                          capture_output=True, timeout=30)
    assert dead.returncode != 0  # and it fails when nothing answers


def test_deploy_notes_name_what_they_rely_on():
    text = (ROOT / "deploy" / "README.md").read_text()
    for needed in ("BP_PLAYGROUND_HOSTED", "app.py", "3.11", "ip_hash", "run_cluster.py"):
        assert needed in text
