"""Load figure for a live room: 60 simulated learners answering in one room.

Each learner is a thread that calls workshop.rooms as the app's hook does (one
``record_answer`` per answer), at a human rate: one answer every 2 to 8 s (uniform),
to the question of the moment, which changes every 10 s.  Meanwhile the instructor's
live panel refreshes every 2 s: the totals query, the bar chart built by
bp_view.room_figures, and its JSON (what Streamlit sends).  Then a burst: all 60
learners answer the same question at the same instant (a "3, 2, 1, answer!").

Threads in one process, sharing one Rooms (one connection pool), is how one Streamlit
server runs its sessions.  Prints write latency p50/p95/max, the instructor's refresh
time, and `uptime`, for SQLite (a fresh file) and PostgreSQL when it is installed.

    python -m benchmarks.room_answers [--learners 60] [--seconds 30]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from bp_view.room_figures import answers_figure
from workshop import rooms as rm


def quantiles(ms: list[float]) -> str:
    if not ms:
        return "no samples"
    a = np.array(ms)
    return (f"p50 {np.percentile(a, 50):6.1f} ms  p95 {np.percentile(a, 95):6.1f} ms  "
            f"max {a.max():6.1f} ms  (n={len(a)})")


def run(url: str, learners: int, seconds: float) -> None:
    store = rm.Rooms(url)
    code, token = store.create_room()
    ids = [store.join(code, f"learner{i}") for i in range(learners)]
    writes: list[float] = []
    refresh: list[float] = []
    refused: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    stop = start + seconds

    def learner(learner_id: str, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, 2))
        while time.monotonic() < stop:
            question = f"predict:-:q{int((time.monotonic() - start) // 10)}"
            t0 = time.perf_counter()
            try:
                store.record_answer(code, learner_id, question, str(rng.randrange(4)),
                                    rng.random() < 0.6)
            except rm.RoomError as e:
                refused.append(e.reason)
            with lock:
                writes.append(1000 * (time.perf_counter() - t0))
            time.sleep(rng.uniform(2, 8))

    def instructor() -> None:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            totals = store.totals(code, token)
            fig = answers_figure(totals.counts, totals.correct, totals.nicknames,
                                 totals.question_id or "")
            fig.to_json()
            refresh.append(1000 * (time.perf_counter() - t0))
            time.sleep(2)

    threads = [threading.Thread(target=learner, args=(lid, i)) for i, lid in enumerate(ids)]
    threads.append(threading.Thread(target=instructor))
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    # The burst: every learner answers one question at the same instant.
    burst: list[float] = []
    barrier = threading.Barrier(learners)

    def at_once(learner_id: str) -> None:
        barrier.wait()
        t0 = time.perf_counter()
        store.record_answer(code, learner_id, "predict:-:burst", "2", True)
        with lock:
            burst.append(1000 * (time.perf_counter() - t0))

    threads = [threading.Thread(target=at_once, args=(lid,)) for lid in ids]
    t_burst = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    burst_wall = 1000 * (time.perf_counter() - t_burst)
    t0 = time.perf_counter()
    totals = store.totals(code, token, "predict:-:burst")
    after = 1000 * (time.perf_counter() - t0)
    assert totals.counts == {"2": learners}, totals.counts

    backend = store.url.get_backend_name()
    print(f"\n{backend}: {learners} learners, {seconds:g} s at 2-8 s between answers")
    print(f"  answer write        {quantiles(writes)}")
    print(f"  instructor refresh  {quantiles(refresh)}  (totals + chart + JSON)")
    print(f"  burst of {learners} at once {quantiles(burst)}  all done in {burst_wall:.0f} ms")
    print(f"  totals after burst  {after:.1f} ms; refused: {len(refused)} {set(refused) or ''}")
    store.dispose()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    print("uptime before:", uptime())
    with tempfile.TemporaryDirectory() as tmp:
        run(rm.sqlite_url(Path(tmp) / "rooms.sqlite3"), args.learners, args.seconds)
    from tests.test_rooms import ensure_postgres  # starts apt's cluster if it is down

    pg = ensure_postgres()
    if pg is None:
        print("\npostgresql: not installed, skipped")
    else:
        engine = sa.create_engine(pg)
        rm.metadata.drop_all(engine)
        engine.dispose()
        run(pg, args.learners, args.seconds)
    print("\nuptime after:", uptime())


if __name__ == "__main__":
    main()
