"""Starting and waiting for a Streamlit server on loopback.

No side effects on import, so the benchmarks (which run the app as hosted) can use it
as well as the tests' conftest.py.
"""

from __future__ import annotations

import socket
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 30.0) -> None:
    """Poll /_stcore/health until it answers ok."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app at {url} did not become healthy in {timeout} s")
