"""Load test of the hosted demo: N headless-Chromium visitors stepping through a pass at once.

    python -m benchmarks.load_test                          # 6 users x 30 clicks x 3 waves
    python -m benchmarks.load_test --users 2 --clicks 5 --waves 2      # a smoke run
    python -m benchmarks.load_test --markdown benchmarks/RESULTS_load.md
    python -m benchmarks.load_test --url http://127.0.0.1:8080 --pid 1234 --pid 1235

Run it from the repository root (it imports tests.serving from the checkout).

Without ``--url`` the script starts one ``streamlit run app.py`` on a free loopback port
(hosted mode: ``BP_PLAYGROUND_HOSTED=1``) and stops it at the end.  With ``--url`` it
uses a running server (or the nginx cluster of deploy/run_cluster.py); give the server
processes' ids with ``--pid`` to have their memory sampled (their RSS is summed).

Each wave opens ``--users`` browser contexts at once (one shared Chromium, one context
and so one Streamlit session per visitor), loads the app, clicks Next ``--clicks`` times
and closes the contexts.  The waves run one after the other, so the server's memory
after each wave shows whether the sessions that left are freed.

Latency of a click is measured inside the page, from ``button.click()``:

* ``shown``: until the caption "… phase {done} of {total}" shows the new phase;
* ``redraw``: until the page has settled: the new caption is shown, no status widget,
  no stale element, every Plotly chart drawn, and no DOM change for ``--quiet`` ms.
  The latency is the time of the last DOM change (the quiet window is not counted).
* ``server``: the server's share, from the click's websocket frame to the server's last
  answer frame, both stamped by Chromium's network stack (CDP), not by the busy page.

Errors: a click that times out, a phase that is not the expected next one, an
exception box (``stException``) or the app's "something went wrong" message on the
page, a JavaScript error in the page, a page that does not load.

The server's memory is the VmRSS line of /proc/<pid>/status, sampled every 0.2 s: the
peak, the value after each wave (once its sessions are closed and ``--settle`` seconds
have passed) and the final value.  Streamlit keeps a disconnected session for
``server.disconnectedSessionTTL`` seconds (120 by default) in case its browser
reconnects, so memory is only given back after that; the levelling-off check asks that
the growth over the last wave be small next to the first wave's.

The latencies include the browsers' own work (Plotly drawing the heatmaps), which on a
real visitor's machine is not shared with the server: on a small machine running the N
browsers and the server together, they are an upper bound.  The CPU-seconds of the
server, of the browsers and of everything else on the machine are reported per wave to
show which one was the bottleneck; ``--pin-server CPU`` gives the server a core of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]

BUILD = ROOT / "build"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
DEFAULT_QUERY = "data=digits&hidden=16-8&batch=8"
PHASE = re.compile(r"phase (\d+) of (\d+)")

# Targets for a 2-core machine (checked and printed, not enforced unless --check-targets).
TARGET_P95_S = 3.0
TARGET_RSS_MB = 600.0


def _friendly_error_text() -> str:
    """The app's own "something went wrong" message (its hosted error boundary)."""
    try:
        texts = json.loads((ROOT / "playground" / "locales" / "en.json").read_text("utf-8"))
        return texts.get("unexpected_error", "")[:40]
    except (OSError, ValueError):
        return ""


# --- in the page -----------------------------------------------------------------------
# Shared helpers, defined once per page by PAGE_HELPERS (a function declaration string).
PAGE_HELPERS = r"""
() => {
  window.__bp = {
    PHASE: /phase (\d+) of (\d+)/,
    caption() {
      for (const el of document.querySelectorAll('[data-testid="stCaptionContainer"]')) {
        const s = el.textContent;  // not innerText: that forces a layout on every poll
        if (this.PHASE.test(s)) return s.trim();
      }
      return null;
    },
    busy() {  // a script run in progress (not the "file changed" prompt), or stale elements
      return document.querySelector('[data-testid="stStatusWidgetRunningIcon"]') !== null
          || document.querySelector('[data-stale="true"]') !== null;
    },
    chartsDrawn() {
      for (const box of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        if (!box.querySelector('.js-plotly-plot .main-svg')) return false;
      }
      return true;
    },
    problems(friendly) {
      const out = [];
      const n = document.querySelectorAll('[data-testid="stException"]').length;
      if (n) out.push(`${n} exception box(es)`);
      if (friendly && document.body.textContent.includes(friendly)) {
        out.push('the app error message');
      }
      return out;
    },
    ready(key) {
      return this.caption() !== null && document.querySelector(`.st-key-${key} button`) !== null
          && !this.busy() && this.chartsDrawn();
    },
  };
  return true;
}
"""

# Click a button and wait for the redraw; resolves to the timings (ms) or a timeout.
CLICK_AND_WAIT = r"""
async ({key, timeoutMs, quietMs}) => {
  const bp = window.__bp;
  const before = bp.caption();
  const button = document.querySelector(`.st-key-${key} button`);
  if (!button) return {error: `no button .st-key-${key}`, before};
  let shown = null, last = null;
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    const now = performance.now();
    last = now;
    if (shown === null) {
      const cap = bp.caption();
      if (cap !== null && cap !== before) shown = now - t0;
    }
  });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                   characterData: true});
  button.click();
  try {
    for (;;) {
      await new Promise(r => setTimeout(r, 15));
      const now = performance.now();
      const cap = bp.caption();
      if (shown === null && cap !== null && cap !== before) shown = now - t0;
      if (shown !== null && last !== null && now - last >= quietMs && !bp.busy()
          && bp.chartsDrawn()) {
        return {before, after: cap, shownMs: shown, redrawMs: Math.max(last - t0, shown)};
      }
      if (now - t0 > timeoutMs) return {timeout: true, before, after: cap, shownMs: shown};
    }
  } finally {
    observer.disconnect();
  }
}
"""


def expected_after(before: str) -> tuple[int, int] | None:
    """(mini-batch, phase) that Next must show after the caption ``before``."""
    m = PHASE.search(before or "")
    numbers = re.findall(r"\d+", before or "")
    if not m or not numbers:
        return None
    batch, done, total = int(numbers[0]), int(m.group(1)), int(m.group(2))
    return (batch, done + 1) if done < total else (batch + 1, 1)


def observed(caption: str | None) -> tuple[int, int] | None:
    m = PHASE.search(caption or "")
    numbers = re.findall(r"\d+", caption or "")
    return (int(numbers[0]), int(m.group(1))) if m and numbers else None


# --- the server's memory -----------------------------------------------------------------
def rss_mb(pids: list[int]) -> float | None:
    """Summed VmRSS of the processes, in MB; None if none can be read."""
    total, seen = 0, False
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])  # kB
                    seen = True
        except OSError:
            pass
    return total / 1024 if seen else None


def cpu_seconds(pids: list[int]) -> float | None:
    """Summed user+system CPU time of the processes, in seconds."""
    total, seen = 0, False
    ticks = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
            seen = True
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks if seen else None


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine spent busy since boot (all cores, /proc/stat)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """Process ids of all descendants of ``root`` (here: Playwright's driver and Chromium)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class CpuMeter:
    """CPU seconds used by a set of processes, the live ones found again at every read.

    Processes that end between two reads lose their last share, so this is a lower bound.
    """

    def __init__(self, find_pids):
        self.find_pids = find_pids
        self.last: dict[int, float] = {}
        self.total = 0.0

    def read(self) -> float:
        for pid in self.find_pids():
            value = cpu_seconds([pid])
            if value is not None:
                self.total += value - self.last.get(pid, 0.0)
                self.last[pid] = value
        return self.total


class MemorySampler:
    def __init__(self, pids: list[int], every: float = 0.2):
        self.pids, self.every = pids, every
        self.samples: list[tuple[float, float]] = []
        self.wave_peak = 0.0
        self._task: asyncio.Task | None = None
        self.browser_cpu: CpuMeter | None = None

    def sample(self) -> float | None:
        value = rss_mb(self.pids)
        if value is not None:
            self.samples.append((time.monotonic(), value))
            self.wave_peak = max(self.wave_peak, value)
        return value

    async def _run(self) -> None:
        while True:
            self.sample()
            if self.browser_cpu is not None:
                self.browser_cpu.read()
            await asyncio.sleep(self.every)

    def start(self) -> None:
        if self.pids or self.browser_cpu:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    @property
    def peak(self) -> float | None:
        return max((v for _, v in self.samples), default=None)


# --- one visitor -------------------------------------------------------------------------
@dataclass
class UserResult:
    wave: int
    user: int
    load_s: float | None = None
    shown_ms: list[float] = field(default_factory=list)
    redraw_ms: list[float] = field(default_factory=list)
    server_s: list[float] = field(default_factory=list)
    kbytes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class WebSocketTrace:
    """The page's websocket frames, seen by Chromium's network stack (CDP ``Network``).

    Their timestamps come from the browser process, not from the page's busy main
    thread: the time from the click's frame to the server's last answer frame is the
    server's share of the latency (network + the script run + sending the deltas).
    """

    def __init__(self):
        self.sent: list[float] = []
        self.received: list[tuple[float, int]] = []

    async def attach(self, context, page) -> None:
        cdp = await context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameSent", lambda p: self.sent.append(p["timestamp"]))
        cdp.on("Network.webSocketFrameReceived", lambda p: self.received.append(
            (p["timestamp"], len(p["response"].get("payloadData", "")) * 3 // 4)))
        await cdp.send("Network.enable")

    def mark(self) -> tuple[int, int]:
        return len(self.sent), len(self.received)

    async def answer(self, mark: tuple[int, int]) -> tuple[float, float] | None:
        """(seconds, kB) from the first frame sent after ``mark`` to the last one received."""
        for _ in range(10):  # the CDP events may reach us a moment after the page settles
            if len(self.sent) > mark[0]:
                break
            await asyncio.sleep(0.02)
        else:
            return None
        start = self.sent[mark[0]]
        answers = [(t, n) for t, n in self.received[mark[1]:] if t >= start]
        if not answers:
            return None
        return max(t for t, _ in answers) - start, sum(n for _, n in answers) / 1024


async def visitor(browser, url: str, wave: int, user: int, opts, friendly: str,
                  all_loaded: asyncio.Barrier | None = None) -> UserResult:
    """One visitor: load the page, then click Next opts.clicks times.

    all_loaded: with ``--start together`` the wave's visitors wait for each other
    after loading, so that every click is measured with all of them stepping and
    none is slowed by another visitor's page load (``load`` reports those).  The
    default, ``as-loaded``, is the harder case: the first visitors to load click
    while the others' pages are still loading.
    """
    result = UserResult(wave, user)
    waited = False

    async def wait_for_the_others() -> None:
        nonlocal waited
        if all_loaded is not None and not waited:
            waited = True
            await all_loaded.wait()

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = None
    try:
        page = await context.new_page()
        page.on("pageerror", lambda exc: result.errors.append(f"page error: {exc}"))
        trace = WebSocketTrace()
        await trace.attach(context, page)
        t0 = time.perf_counter()
        try:
            await page.goto(url, timeout=opts.timeout * 1000)
            await page.evaluate(PAGE_HELPERS)
            await page.wait_for_function("key => window.__bp.ready(key)", arg="step_next",
                                         polling=100, timeout=opts.timeout * 1000)
        except Exception as exc:  # noqa: BLE001 - any failure to load is an error
            result.errors.append(f"load: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return result
        result.load_s = time.perf_counter() - t0
        result.errors += [f"after load: {p}" for p in await page.evaluate(
            "f => window.__bp.problems(f)", friendly)]
        if result.errors:
            return result
        await wait_for_the_others()
        for click in range(opts.clicks):
            mark = trace.mark()
            res = await page.evaluate(CLICK_AND_WAIT, {
                "key": "step_next", "timeoutMs": opts.timeout * 1000, "quietMs": opts.quiet})
            where = f"click {click + 1}"
            if res.get("error"):
                result.errors.append(f"{where}: {res['error']}")
                break
            if res.get("timeout"):
                result.errors.append(f"{where}: timeout after {opts.timeout} s "
                                     f"({res.get('before')!r} -> {res.get('after')!r})")
                break
            result.shown_ms.append(res["shownMs"])
            result.redraw_ms.append(res["redrawMs"])
            answer = await trace.answer(mark)
            if answer is not None:
                result.server_s.append(answer[0])
                result.kbytes.append(answer[1])
            want, got = expected_after(res["before"]), observed(res["after"])
            if want != got:
                result.errors.append(f"{where}: expected (batch, phase) {want}, got {got}")
            problems = await page.evaluate("f => window.__bp.problems(f)", friendly)
            if problems:
                result.errors += [f"{where}: {p}" for p in problems]
                break
            if opts.think:
                await asyncio.sleep(opts.think)
    finally:
        await wait_for_the_others()  # one that failed to load still lets the others go
        if result.errors and opts.screenshots and page is not None:
            try:  # the page as it was at the first error, to see what went wrong
                opts.screenshots.mkdir(parents=True, exist_ok=True)
                shot = opts.screenshots / f"load-error-w{wave}-u{user}.png"
                await page.screenshot(path=str(shot), full_page=True, timeout=10_000)
            except Exception:  # noqa: BLE001 - best effort
                pass
        await context.close()
    return result


# --- the run -----------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize(results: list[UserResult]) -> dict:
    shown = [v / 1000 for r in results for v in r.shown_ms]
    redraw = [v / 1000 for r in results for v in r.redraw_ms]
    loads = [r.load_s for r in results if r.load_s is not None]
    server = [v for r in results for v in r.server_s]
    kbytes = [v for r in results for v in r.kbytes]
    return {
        "clicks": len(redraw),
        "errors": sum(len(r.errors) for r in results),
        "redraw_p50_s": percentile(redraw, 50), "redraw_p95_s": percentile(redraw, 95),
        "redraw_max_s": max(redraw, default=None),
        "shown_p50_s": percentile(shown, 50), "shown_p95_s": percentile(shown, 95),
        "server_p50_s": percentile(server, 50), "server_p95_s": percentile(server, 95),
        "kb_per_click": statistics.mean(kbytes) if kbytes else None,
        "load_p50_s": percentile(loads, 50), "load_max_s": max(loads, default=None),
    }


async def run_load(url: str, pids: list[int], opts) -> dict:
    """Run the waves against ``url``; returns the results as a JSON-ready dict."""
    from playwright.async_api import async_playwright

    friendly = _friendly_error_text()
    target = f"{url.rstrip('/')}/?{opts.query}" if opts.query else url
    sampler = MemorySampler(pids)
    me, servers = os.getpid(), set(pids)
    browser_cpu = CpuMeter(lambda: [p for p in descendants(me) if p not in servers])
    sampler.browser_cpu = browser_cpu
    rss_idle = sampler.sample()
    cpu_start = cpu_seconds(pids)
    waves, all_results = [], []
    sampler.start()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for wave in range(1, opts.waves + 1):
                    sampler.wave_peak = 0.0
                    cpu0, t0 = cpu_seconds(pids), time.monotonic()
                    bcpu0 = browser_cpu.read()
                    busy0, me0 = machine_busy_seconds(), cpu_seconds([me])
                    all_loaded = (asyncio.Barrier(opts.users) if opts.start == "together"
                                  else None)
                    results = await asyncio.gather(*(
                        visitor(browser, target, wave, user, opts, friendly, all_loaded)
                        for user in range(1, opts.users + 1)))
                    elapsed = time.monotonic() - t0
                    cpu1 = cpu_seconds(pids)
                    bcpu1 = browser_cpu.read()
                    busy1, me1 = machine_busy_seconds(), cpu_seconds([me])
                    ours = (bcpu1 - bcpu0) + (me1 - me0) + (
                        0 if cpu0 is None or cpu1 is None else cpu1 - cpu0)
                    other = None if busy0 is None or busy1 is None else max(
                        0.0, busy1 - busy0 - ours)
                    await asyncio.sleep(opts.settle)
                    after = sampler.sample()
                    all_results += results
                    waves.append({
                        "wave": wave, "users": opts.users, "seconds": elapsed,
                        **summarize(results),
                        "rss_peak_mb": sampler.wave_peak or None, "rss_after_mb": after,
                        "server_cpu_s": None if cpu0 is None or cpu1 is None else cpu1 - cpu0,
                        "browser_cpu_s": bcpu1 - bcpu0,
                        "load_script_cpu_s": me1 - me0,
                        "other_cpu_s": other,
                        "error_messages": [f"user {r.user}: {e}" for r in results
                                           for e in r.errors],
                        # each visitor's own figures, click by click, to see where a tail is
                        "visitors": [{"user": r.user, "load_s": r.load_s,
                                      "redraw_s": [v / 1000 for v in r.redraw_ms],
                                      "server_s": r.server_s} for r in results],
                    })
                    print(f"wave {wave}: {waves[-1]['clicks']} clicks, "
                          f"{waves[-1]['errors']} errors, p95 "
                          f"{_fmt(waves[-1]['redraw_p95_s'])} s, RSS after {_fmt(after, 0)} MB",
                          file=sys.stderr, flush=True)
            finally:
                await browser.close()
    finally:
        await sampler.stop()
    cpu_end = cpu_seconds(pids)
    rss_final = sampler.sample()
    overall = summarize(all_results)
    afters = [w["rss_after_mb"] for w in waves if w["rss_after_mb"] is not None]
    return {
        "url": target,
        "settings": {k: getattr(opts, k) for k in
                     ("users", "clicks", "waves", "think", "start", "quiet", "settle",
                      "timeout", "query", "pin_server")},
        "overall": {
            **overall,
            "rss_idle_mb": rss_idle, "rss_peak_mb": sampler.peak, "rss_final_mb": rss_final,
            "rss_after_waves_mb": afters,
            "levelled_off": levelled_off(rss_idle, afters),
            "server_cpu_s": None if cpu_start is None or cpu_end is None
            else cpu_end - cpu_start,
            "browser_cpu_s": browser_cpu.total,
            "other_cpu_s": sum(w["other_cpu_s"] or 0 for w in waves),
            "seconds": sum(w["seconds"] for w in waves),
        },
        "waves": waves,
    }


def levelled_off(idle: float | None, afters: list[float]) -> bool | None:
    """True when the last wave grew memory by much less than the first one did.

    Allowed growth over the last wave: 25 MB, or a third of the first wave's growth.
    """
    if idle is None or len(afters) < 2:
        return None
    first = afters[0] - idle
    last = afters[-1] - afters[-2]
    return last <= max(25.0, first / 3)


# --- the server ---------------------------------------------------------------------------
def start_server(port: int, hosted: bool) -> subprocess.Popen:
    BUILD.mkdir(exist_ok=True)
    # No file watcher, as in the Dockerfile: a hosted app's files do not change, and an
    # edit during a run would put a "File change. Rerun" prompt on every page.
    env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    if hosted:
        env["BP_PLAYGROUND_HOSTED"] = "1"
    log = open(BUILD / f"load-server-{port}.log", "w")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)


# --- report --------------------------------------------------------------------------------
def _fmt(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line.split()[1] for line in
                          Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal:")))
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    try:
        import streamlit
        st_version = streamlit.__version__
    except ImportError:
        st_version = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "streamlit": st_version,
            "system": f"{platform.system()} {platform.release()}"}


def targets(result: dict) -> list[tuple[str, bool | None, str]]:
    o = result["overall"]
    p95, peak = o["redraw_p95_s"], o["rss_peak_mb"]
    return [
        (f"p95 click-to-redraw < {TARGET_P95_S:g} s", None if p95 is None else p95 < TARGET_P95_S,
         f"{_fmt(p95)} s"),
        ("no errors", o["errors"] == 0 and o["clicks"] > 0, str(o["errors"])),
        (f"server RSS peak < {TARGET_RSS_MB:g} MB",
         None if peak is None else peak < TARGET_RSS_MB, f"{_fmt(peak, 0)} MB"),
        ("RSS levels off across waves", o["levelled_off"],
         " → ".join(_fmt(v, 0) for v in [o["rss_idle_mb"], *o["rss_after_waves_mb"]]) + " MB"),
    ]


def table(result: dict) -> str:
    head = ("| wave | users | wall s | clicks | errors "
            "| redraw p50 s | redraw p95 s | redraw max s "
            "| shown p50 s | shown p95 s | server p50 s | server p95 s | kB/click "
            "| load p50 s | RSS peak MB | RSS after MB "
            "| server CPU s | browsers CPU s | other CPU s |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]

    def row(label, users, d, peak, after, cpu, bcpu, other):
        return (f"| {label} | {users} | {_fmt(d.get('seconds'), 0)} | {d['clicks']} | "
                f"{d['errors']} | "
                f"{_fmt(d['redraw_p50_s'])} | {_fmt(d['redraw_p95_s'])} | "
                f"{_fmt(d['redraw_max_s'])} | {_fmt(d['shown_p50_s'])} | "
                f"{_fmt(d['shown_p95_s'])} | {_fmt(d['server_p50_s'])} | "
                f"{_fmt(d['server_p95_s'])} | {_fmt(d['kb_per_click'], 0)} | "
                f"{_fmt(d['load_p50_s'])} | {_fmt(peak, 0)} | "
                f"{_fmt(after, 0)} | {_fmt(cpu, 1)} | {_fmt(bcpu, 1)} | {_fmt(other, 1)} |")
    for w in result["waves"]:
        rows.append(row(w["wave"], w["users"], w, w["rss_peak_mb"], w["rss_after_mb"],
                        w["server_cpu_s"], w["browser_cpu_s"], w["other_cpu_s"]))
    o = result["overall"]
    rows.append(row("all", result["settings"]["users"] * result["settings"]["waves"], o,
                    o["rss_peak_mb"], o["rss_final_mb"], o["server_cpu_s"], o["browser_cpu_s"],
                    o["other_cpu_s"]))
    return "\n".join(rows)


def report(result: dict) -> str:
    o = result["overall"]
    lines = [table(result), "",
             f"Server RSS: idle {_fmt(o['rss_idle_mb'], 0)} MB, peak {_fmt(o['rss_peak_mb'], 0)}"
             f" MB, final {_fmt(o['rss_final_mb'], 0)} MB.", "", "Targets:"]
    for name, ok, value in targets(result):
        mark = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        lines.append(f"- {mark} {name}: {value}")
    messages = [m for w in result["waves"] for m in w["error_messages"]]
    if messages:
        lines += ["", "Errors (first 20):", *[f"- {m}" for m in messages[:20]]]
    return "\n".join(lines)


def markdown(result: dict, command: str) -> str:
    m, s = result["machine"], result["settings"]
    return "\n".join([
        "# Load test of the hosted demo",
        "",
        f"Run on {result['date']} with `{command}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, {m['system']}, "
        f"Python {m['python']}, Streamlit {m['streamlit']}. The server, the headless "
        f"Chromium and the load script all ran on this machine.",
        "",
        f"Setup: {s['users']} visitor(s) per wave (one browser context and one Streamlit "
        f"session each), {s['waves']} waves one after the other, {s['clicks']} clicks on "
        f"Next per visitor with {s['think']:g} s between clicks, app URL `?{s['query']}`. "
        + ("The visitors of a wave open the page at once and start clicking when all "
           "their pages have loaded, so every click is measured with all of them "
           "stepping. " if s.get("start") == "together" else
           "Each visitor starts clicking as soon as its own page has loaded, while the "
           "others may still be loading. ")
        + f"Memory is sampled {s['settle']:g} s after each wave's sessions closed."
        + ("" if s.get("pin_server") is None else
           f" The server was pinned to CPU {s['pin_server']} and the browsers to the others."),
        "",
        "Columns: *redraw* is click-to-redraw, measured in the page from the click until "
        "the new phase is shown, every chart is drawn and the page has settled (the "
        "target). *shown* is until the caption shows the new phase. *server* is the "
        "server's share, from the click's websocket frame to the server's last answer "
        "frame, both stamped by Chromium's network stack; *kB/click* is what those frames "
        "carried. *load* is from opening the URL to the first complete page. *RSS* is the "
        "server process's resident memory. The CPU columns are CPU-seconds used during "
        "the wave by the server, by the headless Chromium processes, and by everything "
        "else on the machine (other jobs; not the load script).",
        "",
        report(result),
        "",
    ])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=6, help="visitors per wave (default 6)")
    ap.add_argument("--clicks", type=int, default=30, help="Next clicks per visitor (30)")
    ap.add_argument("--waves", type=int, default=3, help="waves of visitors (3)")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds between a redraw and the next click (0: as fast as possible)")
    ap.add_argument("--start", choices=("as-loaded", "together"), default="as-loaded",
                    help="as-loaded (default): each visitor clicks as soon as its own page "
                         "has loaded, while others may still load; together: a wave's "
                         "visitors start clicking when all their pages have loaded")
    ap.add_argument("--url", help="use this running server instead of starting one")
    ap.add_argument("--pid", type=int, action="append", default=[],
                    help="with --url: a server process id whose RSS to sample (repeatable)")
    ap.add_argument("--query", default=DEFAULT_QUERY,
                    help=f"the app's URL parameters (default {DEFAULT_QUERY!r})")
    ap.add_argument("--no-hosted", action="store_true",
                    help="start the server without BP_PLAYGROUND_HOSTED=1")
    ap.add_argument("--quiet", type=float, default=250,
                    help="ms without DOM changes that count as 'settled' (250)")
    ap.add_argument("--settle", type=float, default=3.0,
                    help="seconds to wait after a wave before reading the memory (3)")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds before a page load or a click counts as failed (30)")
    ap.add_argument("--screenshots", type=Path, default=BUILD / "screenshots",
                    help="where to save a screenshot of a page that had an error")
    ap.add_argument("--pin-server", type=int, metavar="CPU",
                    help="run the server on this CPU only and the browsers on the others, "
                         "so that the server's share of the latency is not slowed by them")
    ap.add_argument("--json", type=Path, help="write the results as JSON to this file")
    ap.add_argument("--markdown", type=Path, help="write a Markdown report to this file")
    ap.add_argument("--check-targets", action="store_true",
                    help="exit 1 when a target is missed (errors always exit 1)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    BUILD.mkdir(exist_ok=True)
    # Chromium leaves folders in the temp folder when a launch fails: keep them in build/.
    (BUILD / "tmp").mkdir(exist_ok=True)
    os.environ.setdefault("TMPDIR", str(BUILD / "tmp"))
    server = None
    if opts.url:
        url, pids = opts.url.rstrip("/"), opts.pid
    else:
        port = free_port()
        server = start_server(port, hosted=not opts.no_hosted)
        url, pids = f"http://127.0.0.1:{port}", [server.pid]
    try:
        if opts.pin_server is not None:
            cpus = os.sched_getaffinity(0)
            for pid in pids:
                os.sched_setaffinity(pid, {opts.pin_server})
            # This process's children (Playwright's driver, Chromium) inherit the rest.
            os.sched_setaffinity(0, (cpus - {opts.pin_server}) or cpus)
        wait_healthy(url, timeout=60.0)
        result = asyncio.run(run_load(url, pids, opts))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    result["date"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    result["machine"] = machine()
    result["targets"] = [{"target": n, "ok": ok, "value": v} for n, ok, v in targets(result)]
    print(report(result))
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(json.dumps(result, indent=2))
    if opts.markdown:
        command = "python -m benchmarks.load_test " + " ".join(
            a for a in (argv if argv is not None else sys.argv[1:]))
        opts.markdown.write_text(markdown(result, command.strip()))
    o = result["overall"]
    if o["errors"] or not o["clicks"]:
        return 1
    if opts.check_targets and any(ok is False for _, ok, _ in targets(result)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
