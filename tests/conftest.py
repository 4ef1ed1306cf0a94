"""Shared fixtures: the app under AppTest, and a real server + headless Chromium.

The browser tests use pytest-playwright's ``page`` fixture, pointed at the system
Chromium (/usr/bin/chromium, from apt): Playwright's own browser download is
never used.  Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
SCREENSHOTS = BUILD / "screenshots"
# Chromium and Playwright leave temporary folders behind when a launch fails: keep them
# inside the repo's ignored build/ folder.
(BUILD / "tmp").mkdir(parents=True, exist_ok=True)
os.environ["TMPDIR"] = str(BUILD / "tmp")
# AppTest runs the app in this process: let its exceptions reach the tests instead of
# the hosted error boundary's friendly message.
os.environ["BP_PLAYGROUND_DEBUG"] = "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def start_server(port: int, extra_args: list[str] | None = None,
                 env: dict | None = None, hosted: bool = False) -> subprocess.Popen:
    """Start `streamlit run app.py` on loopback; the caller stops it.

    hosted=True runs it as the Dockerfile does: BP_PLAYGROUND_HOSTED=1 (the hosted
    configuration and error boundary), no file watcher, and without the tests'
    BP_PLAYGROUND_DEBUG, so errors meet the boundary a visitor meets."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           *(extra_args or [])]
    full_env = {**os.environ, **(env or {})}
    if hosted:
        full_env.update(BP_PLAYGROUND_HOSTED="1", STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
        full_env.pop("BP_PLAYGROUND_DEBUG", None)
    BUILD.mkdir(exist_ok=True)
    log = open(BUILD / f"server-{port}.log", "w")  # noqa: SIM115 - lives with the server
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=full_env)


# CI shares two cores between the server, Chromium and pytest: give every expectation
# time to come true instead of Playwright's default 5 s.
try:
    from playwright.sync_api import expect
    expect.set_options(timeout=20_000)
except ImportError:  # the AppTest-only tests do not need Playwright
    pass


@pytest.fixture(scope="session")
def app_url():
    """A real Streamlit server for the browser tests, on a free loopback port."""
    BUILD.mkdir(exist_ok=True)
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def hosted_server():
    """One app server as hosted (see start_server), for the tests of one module: its
    url and pid (the tests read its CPU time from /proc)."""
    port = free_port()
    server = start_server(port, hosted=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/run or apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Tall enough that a screenshot shows a whole phase: Streamlit scrolls inside its
    # own container, so full_page screenshots stop at the viewport.
    return {**browser_context_args, "viewport": {"width": 1440, "height": 1800}}


@pytest.fixture
def screenshot(page, request):
    """Call screenshot(name) to save a full-page PNG under build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return take
