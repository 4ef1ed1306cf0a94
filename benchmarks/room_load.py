"""Room load: N learners stepping through the playground, spoken in Streamlit's own protocol.

    python -m benchmarks.room_load --learners 10 --seconds 30
    python -m benchmarks.room_load --learners 60 --seconds 60 --json build/room60.json
    python -m benchmarks.room_load --url http://127.0.0.1:8501 --pid 1234

Why no browsers: six headless Chromiums on the same two cores as the server use about ten
times the server's CPU (benchmarks/RESULTS_load.md), so a browser load test measures the
browsers.  A learner here is one websocket that says exactly what a browser's page says
and ignores what a browser would draw, so a room of 60 costs the machine little beside
the server under test.

What a learner does, the way Streamlit's frontend (1.67, ``frontend/app``) does it:

1. ``GET /?<query>`` (the page) and ``GET /_stcore/health`` and ``/_stcore/host-config``
   (the frontend's first pings).  The server answers with the ``_streamlit_xsrf`` cookie.
2. Opens ``ws://host/_stcore/stream`` with the subprotocols ``["streamlit", <xsrf cookie
   value>]``: the browser cannot set headers on a websocket, so Streamlit repurposes
   ``Sec-WebSocket-Protocol`` to carry the token (``WebsocketConnection.getSessionTokens``).
   The cookie and an ``Origin`` header go with it, as a browser sends them.
3. Sends ``BackMsg.rerun_script`` (a ``ClientState``) with the page's query string, empty
   widget states, ``page_script_hash`` "" and its context (timezone, locale, URL): the page
   load.  The server answers with ``ForwardMsg``s: ``new_session`` (one per run, carrying
   the run's id and fragment ids), ``delta``s (elements and blocks, each at a
   ``delta_path``), ``page_info_changed`` (the app rewrote the URL's query string) and, at
   the end, ``script_finished``.
4. A click on a button, found by its ``key=`` (Streamlit makes a keyed widget's id end in
   ``-<key>``): a new ``rerun_script`` whose ``widget_states`` hold the button's
   ``trigger_value`` plus the current value of every other widget on the page (the
   browser's ``WidgetStateManager`` sends them all), the ``fragment_id`` of the fragment
   the button was drawn in (so only that fragment reruns), the page's script hash, the
   current query string and the hashes of the messages this client has cached.
5. Large elements arrive once and are then referred to by hash (``ref_hash``), as long as
   the client lists them in ``cached_message_hashes``; this client keeps that cache with
   the browser's expiry rule (``ForwardMessageCache``: an entry not seen for
   ``max_cached_message_age`` runs is dropped), so the server sends what it would send to
   a browser.

A click's latency is from sending its ``rerun_script`` until the ``script_finished`` of
that rerun: the server's share of a click, without the browser's drawing.

Errors: an ``exception`` element, the app's own "something went wrong" message (the
hosted error boundary in playground/app_main.py), a closed or dropped socket, a receive
that times out, a click that never finishes, a script that finishes with a compile
error.

The server's CPU seconds come from ``/proc/<pid>/stat`` (utime + stime) and its memory
from ``VmRSS`` in ``/proc/<pid>/status``, sampled once a second.  Loopback only: the tool
refuses any other host, so it cannot be pointed at somebody else's server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import ipaddress
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
# The issue's workload: digits 64-16-8-10 at batch 8 (parameter names: README "Classroom
# links" and playground/sidebar.py).
DEFAULT_QUERY = "data=digits&hidden=16-8&batch=8"
NEXT_KEY = "step_next"  # playground/step_view.py, buttons_ui
XSRF_COOKIE = "_streamlit_xsrf"
FINISHED = ForwardMsg.ScriptFinishedStatus
# Every wait on the server is bounded: a page load or a click that takes longer than this
# is an error, not a hang.
RECEIVE_TIMEOUT_S = 60.0
HTTP_TIMEOUT_S = 15.0


class LoadError(Exception):
    """A learner saw something a browser would show as broken."""


def friendly_error_text() -> str:
    """The start of the app's "something went wrong" message, from its own catalogue."""
    texts = json.loads((ROOT / "playground" / "locales" / "en.json").read_text("utf-8"))
    return texts["unexpected_error"][:40]


def require_loopback(url: str) -> None:
    """Refuse any URL whose host is not this machine."""
    host = urllib.parse.urlsplit(url).hostname
    if not host:
        raise ValueError(f"no host in {url!r}")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise ValueError(f"cannot resolve {host!r}: {error}") from error
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        raise ValueError(f"{url!r} is not on loopback: this tool only loads this machine")


# --- what a browser's page holds --------------------------------------------------------
def widget_state(kind: str, proto) -> WidgetState | None:
    """The value a browser sends for a widget it has drawn and nobody has touched.

    The frontend's widgets commit their initial value when they mount: ``value`` when the
    server set one, else ``default``.  Buttons send nothing until clicked (a trigger is
    cleared once sent).  Widget kinds the playground does not draw return None: the
    server then keeps the value it already has.
    """
    # The frontend's rule, from each widget's component: ``value ?? default``.
    state = WidgetState(id=proto.id)
    if kind in ("selectbox", "radio"):
        if proto.raw_value:
            state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.default < len(proto.options):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "number_input":
        if proto.HasField("value"):
            number = proto.value
        elif proto.HasField("default"):
            number = proto.default
        else:
            return None
        if proto.data_type == type(proto).DataType.INT:
            state.int_value = int(number)  # NumberInput.tsx: setIntValue for INT
        else:
            state.double_value = number
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "slider":
        state.double_array_value.data.extend(proto.value if proto.set_value else proto.default)
    elif kind in ("text_input", "text_area"):
        state.string_value = proto.value if proto.set_value else proto.default
    else:
        return None
    return state


@dataclass
class Node:
    """One element or block of the page at a delta path, as the browser's tree holds it."""
    run_id: str
    fragment_id: str
    kind: str
    widget_id: str = ""
    disabled: bool = False
    state: WidgetState | None = None


@dataclass
class Run:
    """What one rerun sent: its timing and what looked wrong."""
    seconds: float = 0.0
    messages: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


class Learner:
    """One browser tab: a websocket session on the app, driven like a person drives it."""

    def __init__(self, base_url: str, query: str, friendly: str):
        require_loopback(base_url)
        self.base_url = base_url.rstrip("/")
        self.query = query
        self.friendly = friendly
        self.ws = None
        self.cookie = ""
        self.xsrf = ""
        self.page_script_hash = ""
        self.max_cache_age = 2
        self.nodes: dict[tuple[int, ...], Node] = {}
        self.cache: dict[str, list] = {}  # hash -> [encoded ForwardMsg, run count, fragment]
        self.run_count = 0
        self.last_sent: BackMsg | None = None  # the last rerun_script, for comparisons

    # -- connecting ------------------------------------------------------------------------
    def _get(self, path: str) -> None:
        request = urllib.request.Request(self.base_url + path)
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            response.read()
            for header in response.headers.get_all("set-cookie") or []:
                name, _, rest = header.partition("=")
                if name.strip() == XSRF_COOKIE:
                    self.xsrf = rest.split(";", 1)[0]
                    self.cookie = f"{XSRF_COOKIE}={self.xsrf}"

    async def open(self) -> Run:
        """Load the page: the HTTP pings, the websocket, the first run.  Returns its Run."""
        start = time.perf_counter()
        await asyncio.to_thread(self._get, "/?" + self.query)
        await asyncio.to_thread(self._get, "/_stcore/health")
        await asyncio.to_thread(self._get, "/_stcore/host-config")
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await connect(
            ws_url, subprotocols=["streamlit", self.xsrf or "PLACEHOLDER_AUTH_TOKEN"],
            origin=self.base_url, additional_headers={"Cookie": self.cookie} if self.cookie
            else None, max_size=None, open_timeout=HTTP_TIMEOUT_S,
            # Browsers send no websocket pings; a ping unanswered while the server is
            # busy would close the socket here where a browser's would stay open.
            ping_interval=None)
        run = await self.rerun([], fragment_id="")
        run.seconds = time.perf_counter() - start
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # -- the page ----------------------------------------------------------------------------
    def button_id(self, key: str) -> tuple[str, str]:
        """The widget id and fragment of the enabled button with ``key=key``."""
        for node in self.nodes.values():
            if node.kind == "button" and node.widget_id.endswith(f"-{key}"):
                if node.disabled:
                    raise LoadError(f"button {key!r} is disabled")
                return node.widget_id, node.fragment_id
        raise LoadError(f"no button with key {key!r} on the page")

    def widget_states(self) -> list[WidgetState]:
        return [node.state for node in self.nodes.values() if node.state is not None]

    async def click(self, key: str, full_rerun: bool = False) -> Run:
        """Click a button and wait until its rerun has finished.

        full_rerun: leave out the button's fragment id, as a client that knows nothing
        of fragments would, so that the whole page reruns (for comparison only: the
        browser always sends it).
        """
        widget_id, fragment_id = self.button_id(key)
        if full_rerun:
            fragment_id = ""
        trigger = WidgetState(id=widget_id, trigger_value=True)
        others = [s for s in self.widget_states() if s.id != widget_id]
        return await self.rerun([*others, trigger], fragment_id)

    async def rerun(self, states: list[WidgetState], fragment_id: str) -> Run:
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query
        client.widget_states.widgets.extend(states)
        client.page_script_hash = self.page_script_hash
        client.fragment_id = fragment_id
        client.cached_message_hashes.extend(self.cache)
        context = client.context_info
        context.timezone, context.timezone_offset, context.locale = "UTC", 0, "en-US"
        context.url = f"{self.base_url}/?{self.query}"
        context.is_embedded, context.color_scheme = False, "light"
        run = Run()
        self.last_sent = message
        start = time.perf_counter()
        try:
            await self.ws.send(message.SerializeToString())
        except ConnectionClosed as error:
            raise LoadError(f"socket closed: {error}") from error
        await self._receive_until_finished(run, deadline=start + RECEIVE_TIMEOUT_S)
        run.seconds = time.perf_counter() - start
        return run

    async def _receive_until_finished(self, run: Run, deadline: float) -> None:
        """Read ForwardMsgs until the rerun's last script_finished (bounded in time).

        A script that calls st.rerun() finishes "early for rerun" and starts again: the
        click is done only when a run finishes for good.
        """
        run_id, fragment_ids = "", ()
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise LoadError(f"no script_finished within {RECEIVE_TIMEOUT_S:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            except TimeoutError as error:
                raise LoadError(f"no script_finished within {RECEIVE_TIMEOUT_S:.0f} s") \
                    from error
            except ConnectionClosed as error:
                raise LoadError(f"socket closed: {error}") from error
            run.messages += 1
            run.bytes += len(data)
            msg = self._resolve(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                run_id = msg.metadata.run.script_run_id
                fragment_ids = tuple(msg.metadata.run.fragment_ids)
                if not fragment_ids:  # a full run: the page's hash and cache age are here
                    self.page_script_hash = msg.new_session.page_script_hash
                    self.max_cache_age = msg.new_session.config.max_cached_message_age
            elif kind == "delta":
                self._apply_delta(msg, run_id, run)
            elif kind == "navigation":
                # st.navigation names the page that ran; the next click must say it too.
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                # The app rewrote the address bar; the browser sends the new query string.
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    run.problems.append("script finished with a compile error")
                self._clear_stale(run_id, fragment_ids)
                return

    def _resolve(self, data: bytes) -> ForwardMsg:
        """Decode a ForwardMsg, caching large elements and resolving references to them."""
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                raise LoadError(f"the server referred to an uncached message {msg.ref_hash}")
            entry[1] = self.run_count
            cached = ForwardMsg()
            cached.ParseFromString(entry[0])
            cached.metadata.CopyFrom(msg.metadata)
            return cached
        if msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
            self.cache[msg.hash] = [data, self.run_count, msg.delta.fragment_id]
        return msg

    def _apply_delta(self, msg: ForwardMsg, run_id: str, run: Run) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        kind = delta.WhichOneof("type")
        if kind == "new_element":
            element = delta.new_element
            element_kind = element.WhichOneof("type")
            proto = getattr(element, element_kind)
            node = Node(run_id, delta.fragment_id, element_kind)
            if element_kind == "exception":
                run.problems.append(f"exception element: {proto.type}: {proto.message[:200]}")
            elif element_kind == "alert" and self.friendly and self.friendly in proto.body:
                run.problems.append("the app's error message")
            widget_id = getattr(proto, "id", "")
            if widget_id:
                node.widget_id = widget_id
                node.disabled = bool(getattr(proto, "disabled", False))
                old = self.nodes.get(path)
                keep = (old is not None and old.widget_id == widget_id
                        and not getattr(proto, "set_value", True))
                node.state = old.state if keep else widget_state(element_kind, proto)
            self.nodes[path] = node
        elif kind == "add_block":
            # A stateful block (st.tabs with a key) sends a value only once the learner
            # picks a tab (TabContainer.tsx), which a learner here never does.
            self.nodes[path] = Node(run_id, delta.fragment_id, "block")

    def _clear_stale(self, run_id: str, fragment_ids: tuple[str, ...]) -> None:
        """Drop what the finished run did not send, and age the message cache.

        The browser's rules (App.tsx handleScriptFinished, ForwardMessageCache): after a
        full run every node from an older run goes; after a fragment run only the nodes
        of that fragment do; cache entries age only in the runs that could resend them.
        """
        self.nodes = {
            path: node for path, node in self.nodes.items()
            if node.run_id == run_id
            or (fragment_ids and node.fragment_id not in fragment_ids)
        }
        self.run_count += 1
        for key, (_, seen, fragment) in list(self.cache.items()):
            if fragment_ids and (not fragment or fragment not in fragment_ids):
                continue
            if self.run_count - seen > self.max_cache_age:
                del self.cache[key]


# --- the server -----------------------------------------------------------------------
def start_server(port: int) -> subprocess.Popen:
    """``streamlit run app.py`` as hosted: loopback, headless, no file watcher (as in the
    Dockerfile), BP_PLAYGROUND_HOSTED=1 so the hosted configuration and error boundary are
    on."""
    BUILD.mkdir(exist_ok=True)
    env = {**os.environ, "BP_PLAYGROUND_HOSTED": "1",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    env.pop("BP_PLAYGROUND_DEBUG", None)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    log = open(BUILD / f"room-server-{port}.log", "w")  # noqa: SIM115 - lives with the server
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat (fields 14 and 15)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2:].split()  # the name in (...) may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LoadError(f"no VmRSS for pid {pid}")


# --- the room -------------------------------------------------------------------------
@dataclass
class Report:
    learners: int
    seconds: float
    query: str
    clicks: int = 0
    finished: int = 0
    errors: int = 0
    error_messages: list[str] = field(default_factory=list)
    click_s: list[float] = field(default_factory=list)
    load_s: list[float] = field(default_factory=list)
    click_kb: list[float] = field(default_factory=list)
    cpu_load_s: float | None = None
    cpu_click_s: float | None = None
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (t, MB) each second
    wall_s: float = 0.0
    client_cpu_s: float = 0.0  # this generator's own CPU time, to show it is not the limit
    full_rerun: bool = False

    def percentile(self, q: float) -> float | None:
        """Nearest-rank percentile of the click latencies (q in 0..100)."""
        if not self.click_s:
            return None
        ordered = sorted(self.click_s)
        return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]

    def summary(self) -> dict:
        cpu = self.cpu_click_s
        return {
            "learners": self.learners, "seconds": self.seconds, "query": self.query,
            "clicks": self.clicks, "finished": self.finished, "errors": self.errors,
            "p50_s": self.percentile(50), "p95_s": self.percentile(95),
            "p99_s": self.percentile(99), "max_s": max(self.click_s, default=None),
            "clicks_per_s": self.finished / self.seconds if self.seconds else None,
            "load_p50_s": statistics.median(self.load_s) if self.load_s else None,
            "kb_per_click": statistics.median(self.click_kb) if self.click_kb else None,
            "cpu_s_per_click": cpu / self.finished if cpu is not None and self.finished
            else None,
            # How much of a core the server got while the learners clicked: near 1.0, the
            # one process (one GIL) is the limit; well below it with slow clicks, the
            # machine's other work is.
            "server_cores_used": cpu / self.seconds if cpu is not None else None,
            "cpu_s_per_load": self.cpu_load_s / len(self.load_s)
            if self.cpu_load_s is not None and self.load_s else None,
            "rss_start_mb": self.rss_mb[0][1] if self.rss_mb else None,
            "rss_peak_mb": max((mb for _, mb in self.rss_mb), default=None),
            "rss_end_mb": self.rss_mb[-1][1] if self.rss_mb else None,
            "rss_every_10s_mb": [round(mb) for t, mb in self.rss_mb][::10],
            "client_cpu_s": self.client_cpu_s, "wall_s": self.wall_s,
            "full_rerun": self.full_rerun,
        }


async def sample_rss(pid: int, report: Report, stop: asyncio.Event) -> None:
    start = time.perf_counter()
    while not stop.is_set():
        report.rss_mb.append((round(time.perf_counter() - start, 1), rss_mb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except TimeoutError:
            pass


async def learner_clicks(learner: Learner, rng: random.Random, deadline: float,
                         report: Report, key: str, think: tuple[float, float]) -> None:
    """Think, click, wait for the answer; until the deadline.  At most one click per
    shortest think time, so the loop is bounded in count as well as in time."""
    for _ in range(int((deadline - time.perf_counter()) / think[0]) + 1):
        pause = rng.uniform(*think)
        if time.perf_counter() + pause >= deadline:
            return
        await asyncio.sleep(pause)
        report.clicks += 1
        run = await learner.click(key, full_rerun=report.full_rerun)
        report.finished += 1
        report.click_s.append(run.seconds)
        report.click_kb.append(run.bytes / 1024)
        if run.problems:
            report.errors += 1
            report.error_messages.extend(run.problems)


async def run_room(url: str, pid: int | None, learners: int, seconds: float,
                   query: str = DEFAULT_QUERY, seed: int = 0, key: str = NEXT_KEY,
                   think: tuple[float, float] = (1.0, 3.0),
                   full_rerun: bool = False) -> Report:
    """Open ``learners`` sessions at once, then let each click ``key`` every ``think``
    seconds (uniform, seeded per learner) for ``seconds``.  CPU is measured separately
    for the page loads and for the clicking window."""
    require_loopback(url)
    report = Report(learners, seconds, query)
    friendly = friendly_error_text()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, report, stop)) if pid else None
    room = [Learner(url, query, friendly) for _ in range(learners)]
    report.full_rerun = full_rerun
    started, client_cpu = time.perf_counter(), time.process_time()
    try:
        cpu0 = cpu_seconds(pid) if pid else None
        loads = await asyncio.gather(*(one.open() for one in room), return_exceptions=True)
        cpu1 = cpu_seconds(pid) if pid else None
        active = []
        for one, load in zip(room, loads):
            if isinstance(load, BaseException):
                report.errors += 1
                report.error_messages.append(f"page load: {type(load).__name__}: {load}")
                continue
            report.load_s.append(load.seconds)
            if load.problems:
                report.errors += 1
                report.error_messages.extend(f"page load: {p}" for p in load.problems)
            active.append(one)
        deadline = time.perf_counter() + seconds
        results = await asyncio.gather(
            *(learner_clicks(one, random.Random(seed * 100_003 + i), deadline, report, key,
                             think) for i, one in enumerate(active)),
            return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                report.errors += 1
                report.error_messages.append(f"click: {type(result).__name__}: {result}")
        if pid:
            report.cpu_load_s = cpu1 - cpu0
            report.cpu_click_s = cpu_seconds(pid) - cpu1
    finally:
        report.wall_s = time.perf_counter() - started
        report.client_cpu_s = time.process_time() - client_cpu
        stop.set()
        if sampler:
            await sampler
        await asyncio.gather(*(one.close() for one in room), return_exceptions=True)
    return report


# --- the command line ---------------------------------------------------------------
def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def print_report(summary: dict, errors: list[str]) -> None:
    def f(value, digits=2):
        return "-" if value is None else f"{value:.{digits}f}"
    print(f"{summary['learners']} learners, {summary['seconds']:.0f} s, ?{summary['query']}")
    print(f"  clicks {summary['clicks']}, finished {summary['finished']}, errors "
          f"{summary['errors']}, {f(summary['clicks_per_s'])} clicks/s")
    print(f"  click-to-finished p50 {f(summary['p50_s'])} s, p95 {f(summary['p95_s'])} s, "
          f"p99 {f(summary['p99_s'])} s, max {f(summary['max_s'])} s")
    print(f"  page load p50 {f(summary['load_p50_s'])} s; {f(summary['kb_per_click'], 1)} "
          f"kB per click (median)")
    print(f"  server CPU {f(summary['cpu_s_per_click'], 3)} s per click, "
          f"{f(summary['cpu_s_per_load'], 3)} s per page load; "
          f"{f(summary['server_cores_used'])} cores used while clicking")
    print(f"  server RSS start {f(summary['rss_start_mb'], 0)} MB, peak "
          f"{f(summary['rss_peak_mb'], 0)} MB, end {f(summary['rss_end_mb'], 0)} MB; "
          f"every 10 s: {summary['rss_every_10s_mb']}")
    print(f"  this generator used {f(summary['client_cpu_s'], 1)} CPU s in "
          f"{f(summary['wall_s'], 1)} s" + (" (clicks sent as full reruns)"
                                           if summary["full_rerun"] else ""))
    for message in errors[:10]:
        print(f"  error: {message}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the page's query string")
    parser.add_argument("--key", default=NEXT_KEY, help="the key of the button to click")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full-rerun", action="store_true",
                        help="send clicks without their fragment id (rerun the whole page)")
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--pid", type=int, help="the server's process id, with --url")
    parser.add_argument("--json", type=Path, help="write the summary and RSS series here")
    opts = parser.parse_args(argv)
    if opts.learners < 1 or opts.seconds <= 0:
        parser.error("--learners must be at least 1 and --seconds positive")

    server = None
    url, pid = opts.url, opts.pid
    if url is None:
        port = free_port()
        server = start_server(port)
        url, pid = f"http://127.0.0.1:{port}", server.pid
    try:
        require_loopback(url)
    except ValueError as error:
        parser.error(str(error))
    try:
        wait_healthy(url)
        load_before = load_average()
        when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        report = asyncio.run(run_room(url, pid, opts.learners, opts.seconds, opts.query,
                                      opts.seed, opts.key, full_rerun=opts.full_rerun))
        load_after = load_average()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
    summary = report.summary()
    summary.update(date=when, nproc=os.cpu_count(), load_before=load_before,
                   load_after=load_after)
    print(f"{when}, nproc {os.cpu_count()}, load average {load_before} -> {load_after}")
    print_report(summary, report.error_messages)
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps({**summary, "rss_mb": report.rss_mb,
                                         "errors_seen": report.error_messages,
                                         "click_s": report.click_s}, indent=1))
    return 1 if report.errors or report.finished != report.clicks else 0


if __name__ == "__main__":
    sys.exit(main())
