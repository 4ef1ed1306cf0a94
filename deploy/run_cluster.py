"""Run K Streamlit processes of the playground behind one nginx with sticky sessions.

    python deploy/run_cluster.py --apps 3 --port 8080                  # on this machine
    python deploy/run_cluster.py --apps 3 --port 80 --listen 0.0.0.0 --sticky cookie

The apps listen on free loopback ports, in hosted mode (BP_PLAYGROUND_HOSTED=1), with
no file watcher and one shared cookie secret; nginx (deploy/nginx.conf.template) runs
in the foreground with its own prefix folder (config, pid file, logs, temp files), not
as the system service.  Ctrl-C or SIGTERM stops nginx and the apps.

The tests use the Cluster class:

    with Cluster(apps=2, workdir=tmp_path) as cluster:
        urllib.request.urlopen(cluster.url + "/_stcore/health")

nginx comes from the Debian package: apt-get install -y nginx.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
STICKY = {
    "ip_hash": ("ip_hash;", ""),
    "cookie": ("hash $bp_route consistent;",
               'add_header Set-Cookie "bp_route=$bp_route; Path=/; HttpOnly; SameSite=Lax";'),
}


def find_nginx() -> str | None:
    """nginx on PATH, or in /usr/sbin (not on a non-root user's PATH on Debian)."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)),
        None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def render_config(prefix: Path, listen: str, app_ports: list[int],
                  sticky: str = "ip_hash") -> str:
    """The nginx.conf text for these ports, from deploy/nginx.conf.template."""
    balance, set_cookie = STICKY[sticky]
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;"
                        for p in app_ports)
    text = TEMPLATE.read_text()
    for name, value in {"PREFIX": str(prefix), "LISTEN": listen, "SERVERS": servers,
                        "STICKY": balance, "SET_COOKIE": set_cookie}.items():
        text = text.replace(f"@{name}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ValueError("a placeholder of nginx.conf.template was left unfilled")
    return text


class Cluster:
    """K `streamlit run app.py` processes on loopback + nginx in front of them."""

    def __init__(self, apps: int = 2, port: int | None = None, listen_host: str = "127.0.0.1",
                 workdir: Path | str | None = None, sticky: str = "ip_hash",
                 hosted: bool = True, app_args: list[str] | None = None,
                 nginx: str | None = None, python: str = sys.executable,
                 timeout: float = 60.0):
        if sticky not in STICKY:
            raise ValueError(f"sticky must be one of {sorted(STICKY)}")
        self.n_apps, self.sticky, self.hosted = apps, sticky, hosted
        self.port = port or free_port()
        self.listen_host = listen_host
        self.workdir = Path(workdir or ROOT / "build" / "cluster").resolve()
        self.app_args = app_args or []
        self.nginx_bin = nginx or find_nginx()
        self.python, self.timeout = python, timeout
        self.apps: list[subprocess.Popen] = []
        self.app_ports: list[int] = []
        self.nginx: subprocess.Popen | None = None
        self._logs: list = []

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.listen_host in ("0.0.0.0", "::", "[::]") else self.listen_host
        return f"http://{host}:{self.port}"

    @property
    def app_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.app_ports]

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.apps] + ([self.nginx.pid] if self.nginx else [])

    @property
    def access_log(self) -> Path:
        return self.workdir / "logs" / "access.log"

    @property
    def conf_path(self) -> Path:
        return self.workdir / "nginx.conf"

    def nginx_command(self, *extra: str) -> list[str]:
        return [self.nginx_bin, "-p", str(self.workdir), "-c", str(self.conf_path),
                "-e", str(self.workdir / "logs" / "error.log"), *extra]

    # --- start / stop -------------------------------------------------------------------
    def start(self) -> Cluster:
        if not self.nginx_bin:
            raise FileNotFoundError("nginx is not installed: apt-get install -y nginx")
        for sub in ("logs", "tmp"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        try:
            self._start_apps()
            self.conf_path.write_text(render_config(
                self.workdir, f"{self.listen_host}:{self.port}", self.app_ports, self.sticky))
            check = subprocess.run(self.nginx_command("-t", "-q"), capture_output=True,
                                   text=True)
            if check.returncode != 0:
                raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
            log = open(self.workdir / "logs" / "nginx.out", "w")
            self._logs.append(log)
            self.nginx = subprocess.Popen(self.nginx_command("-g", "daemon off;"),
                                          stdout=log, stderr=subprocess.STDOUT)
            self._wait(lambda: healthy(self.url), f"nginx at {self.url}", self.nginx)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_apps(self) -> None:
        env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
               # One secret for all processes: the XSRF cookie of one is valid for the others.
               "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        if self.hosted:
            env["BP_PLAYGROUND_HOSTED"] = "1"
        for _ in range(self.n_apps):
            port = free_port()
            log = open(self.workdir / "logs" / f"app-{port}.log", "w")
            self._logs.append(log)
            cmd = [self.python, "-m", "streamlit", "run", str(ROOT / "app.py"),
                   "--server.headless", "true", "--server.address", "127.0.0.1",
                   "--server.port", str(port), "--browser.gatherUsageStats", "false",
                   *self.app_args]
            self.apps.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log,
                                              stderr=subprocess.STDOUT))
            self.app_ports.append(port)
        for proc, url in zip(self.apps, self.app_urls, strict=True):
            self._wait(lambda u=url: healthy(u), f"the app at {url}", proc)

    def _wait(self, ok, what: str, proc: subprocess.Popen) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if ok():
                return
            if proc.poll() is not None:
                raise RuntimeError(f"{what} exited with code {proc.returncode}; "
                                   f"see the logs in {self.workdir / 'logs'}")
            time.sleep(0.2)
        raise TimeoutError(f"{what} was not healthy after {self.timeout} s")

    def stop(self) -> None:
        """Stop nginx (its workers end with it), then the apps; wait for every one."""
        procs = ([self.nginx] if self.nginx else []) + self.apps
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # nginx: fast shutdown; streamlit: exit
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--apps", type=int, default=2, help="Streamlit processes (default 2)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    ap.add_argument("--listen", default="127.0.0.1",
                    help="nginx's address (default 127.0.0.1; 0.0.0.0 to serve a room)")
    ap.add_argument("--sticky", choices=sorted(STICKY), default="ip_hash",
                    help="ip_hash (default) or cookie (for visitors sharing one address)")
    ap.add_argument("--dir", type=Path, default=ROOT / "build" / "cluster",
                    help="nginx's prefix: config, pid, logs, temp (default build/cluster)")
    ap.add_argument("--not-hosted", action="store_true",
                    help="run the apps without BP_PLAYGROUND_HOSTED=1")
    args = ap.parse_args(argv)

    cluster = Cluster(apps=args.apps, port=args.port, listen_host=args.listen,
                      workdir=args.dir, sticky=args.sticky, hosted=not args.not_hosted)

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        cluster.start()
        print(f"Backprop Playground on {cluster.url} ({args.sticky}) -> "
              + ", ".join(cluster.app_urls), flush=True)
        print(f"pids: nginx {cluster.nginx.pid}, apps "
              + " ".join(str(p.pid) for p in cluster.apps)
              + f"; logs in {cluster.workdir / 'logs'}. Ctrl-C stops them.", flush=True)
        while all(p.poll() is None for p in [cluster.nginx, *cluster.apps]):
            time.sleep(1)
        print("a process of the cluster exited; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
