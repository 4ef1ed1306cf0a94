"""The nginx cluster of deploy/run_cluster.py: 2 app processes behind nginx, sticky sessions.

nginx must be installed (apt-get install -y nginx; .ci/run does it): these tests fail,
not skip, without it, so that a CI machine without nginx is noticed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import streamlit as st
from playwright.sync_api import Browser, Page, expect

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"

_spec = importlib.util.spec_from_file_location("run_cluster", ROOT / "deploy" / "run_cluster.py")
run_cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_cluster)

STATUS = re.compile(r"phase \d+ of \d+")
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ '
                      r'upstream=(?P<upstream>\S+) route=(?P<route>\S+)')


def need_nginx() -> str:
    nginx = run_cluster.find_nginx()
    if nginx is None:
        pytest.fail("nginx is not installed: apt-get install -y nginx (.ci/run must do it)")
    return nginx


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def log_entries(cluster, path_prefix: str = "") -> list[dict]:
    if not cluster.access_log.exists():
        return []
    entries = [m.groupdict() for m in map(LOG_LINE.search, cluster.access_log.read_text()
                                          .splitlines()) if m]
    return [e for e in entries if e["path"].startswith(path_prefix)]


def eventually(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out.append(int(entry.name))
    return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    need_nginx()
    cluster = run_cluster.Cluster(apps=2, workdir=tmp_path_factory.mktemp("cluster"))
    cluster.start()
    workers = children_of(cluster.nginx.pid)
    try:
        yield cluster
    finally:
        pids = cluster.pids + workers
        cluster.stop()
        # Every process of the cluster is gone: the apps, nginx's master and its workers.
        assert eventually(lambda: not any(alive(p) for p in pids), 10), \
            [p for p in pids if alive(p)]


# --- the config, without running anything ----------------------------------------------
@pytest.mark.parametrize("sticky", ["ip_hash", "cookie"])
def test_config_proxies_websockets_with_sticky_sessions(tmp_path, sticky):
    rendered = run_cluster.render_config(tmp_path, "127.0.0.1:8080", [8501, 8502], sticky)
    text = "\n".join(line.split("#", 1)[0] for line in rendered.splitlines())  # no comments
    assert "server 127.0.0.1:8501" in text and "server 127.0.0.1:8502" in text
    assert "listen 127.0.0.1:8080;" in text and "@" not in text.replace("$", "")
    assert ("ip_hash;" in text) == (sticky == "ip_hash")
    assert ("hash $bp_route consistent;" in text) == (sticky == "cookie")
    stream = text.split("location /_stcore/stream", 1)[1].split("location /", 1)[0]
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $connection_upgrade;"):
        assert line in stream
    timeout = re.search(r"proxy_read_timeout (\d+)s;", stream)
    assert timeout and int(timeout.group(1)) >= 3600
    # Its own pid file, logs and temp folders, not the system nginx's.
    for line in (f"pid {tmp_path}/nginx.pid;", f"error_log {tmp_path}/logs/error.log",
                 f"proxy_temp_path       {tmp_path}/tmp/proxy;"):
        assert line in text
    assert "/var/" not in text and "daemon" not in text


def test_nginx_accepts_the_config(tmp_path):
    cluster = run_cluster.Cluster(apps=2, workdir=tmp_path, nginx=need_nginx())
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    for sticky in ("ip_hash", "cookie"):
        cluster.conf_path.write_text(run_cluster.render_config(
            tmp_path, "127.0.0.1:8080", [8501, 8502], sticky))
        check = subprocess.run(cluster.nginx_command("-t"), capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


# --- the running cluster ----------------------------------------------------------------
def test_health_and_page_through_the_proxy(cluster):
    assert len(cluster.apps) == 2 and all(p.poll() is None for p in cluster.apps)
    for url in cluster.app_urls:  # each app answers by itself ...
        assert get(f"{url}/_stcore/health")[2].strip() == b"ok"
    status, headers, body = get(f"{cluster.url}/_stcore/health")  # ... and through nginx
    assert status == 200 and body.strip() == b"ok"
    assert headers["Server"] == "nginx"
    status, _, body = get(f"{cluster.url}/")
    assert status == 200 and b"<html" in body.lower()


def test_ip_hash_keeps_one_address_on_one_app(cluster):
    for _ in range(6):
        get(f"{cluster.url}/_stcore/health")
    upstreams = {e["upstream"] for e in log_entries(cluster, "/_stcore/health")}
    assert len(upstreams) == 1, upstreams  # every request came from 127.0.0.1
    assert upstreams <= {f"127.0.0.1:{p}" for p in cluster.app_ports}


def slow_get(url: str, chunk: int = 16_384, pause: float = 0.004) -> tuple[int, bytes]:
    """GET with a small receive buffer, read slowly: a browser on a busy or slow machine."""
    host, port, path = re.match(r"http://([^:/]+):(\d+)(/.*)", url).groups()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, chunk)
        sock.settimeout(30)
        sock.connect((host, int(port)))
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
        data = b""
        while part := sock.recv(chunk):
            data += part
            time.sleep(pause)
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_a_big_static_file_reaches_a_slow_client_whole(cluster):
    """Plotly's script (about 4.7 MB) through nginx to a slow reader arrives complete.

    nginx once buffered such a response into a temp file that its workers (user nobody)
    could not write, and the browser got a truncated script: "Failed to fetch
    dynamically imported module".
    """
    html = get(f"{cluster.url}/")[2].decode()
    scripts = re.findall(r'src="\./(static/js/[^"]+\.js)"', html)
    assert scripts, html[:500]
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    biggest = max(folder.glob("*.js"), key=lambda p: p.stat().st_size)
    status, body = slow_get(f"{cluster.url}/static/js/{biggest.name}")
    assert status == 200
    assert len(body) == biggest.stat().st_size  # HTTP/1.0, no compression: the file itself
    error_log = (cluster.workdir / "logs" / "error.log").read_text()
    assert "[crit]" not in error_log and "Permission denied" not in error_log, error_log


@pytest.mark.browser
def test_a_browser_session_steps_through_the_proxy(cluster, browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page: Page = context.new_page()
        page.goto(f"{cluster.url}/?data=xor&hidden=4&batch=4&seed=1")
        expect(page.get_by_text(STATUS)).to_contain_text("phase 0 of 6", timeout=30_000)
        for k in range(1, 4):  # every click is a message over the proxied websocket
            page.locator(".st-key-step_next button:visible").click()
            expect(page.get_by_text(STATUS)).to_contain_text(f"phase {k} of 6",
                                                             timeout=20_000)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        expect(page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first) \
            .to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "through_proxy.png"), full_page=True)
    finally:
        context.close()
    # nginx logs the websocket when it closes: 101 Switching Protocols, through an app.
    assert eventually(lambda: any(e["status"] == "101"
                                  for e in log_entries(cluster, "/_stcore/stream")))
    stream = [e for e in log_entries(cluster, "/_stcore/stream") if e["status"] == "101"]
    assert {e["upstream"] for e in stream} <= {f"127.0.0.1:{p}" for p in cluster.app_ports}


def test_cookie_stickiness_spreads_browsers_and_keeps_each_on_one_app(tmp_path):
    need_nginx()
    with run_cluster.Cluster(apps=2, workdir=tmp_path, sticky="cookie") as cluster:
        routes = []
        for _ in range(20):  # 20 new browsers (no cookie yet), all from 127.0.0.1
            _, headers, _ = get(f"{cluster.url}/_stcore/health")
            cookie = re.search(r"bp_route=([0-9a-f]{32})",
                               " ".join(headers.get_all("Set-Cookie") or []))
            assert cookie, headers
            routes.append(cookie.group(1))
        for route in routes[:5]:  # each comes back three times with its cookie
            for _ in range(3):
                get(f"{cluster.url}/_stcore/health", {"Cookie": f"bp_route={route}"})
        by_route: dict[str, set] = {}
        for e in log_entries(cluster, "/_stcore/health"):
            by_route.setdefault(e["route"], set()).add(e["upstream"])
        assert all(len(by_route[r]) == 1 for r in routes), by_route  # sticky
        used = set().union(*(by_route[r] for r in routes))
        assert used == {f"127.0.0.1:{p}" for p in cluster.app_ports}  # spread (p = 1-2^-19)
