"""A bound on one piece of work: a time limit checked inside its loops, and a way to cancel it.

Every loop that a caller may make long (training, the gradient check, the bug
hunt's per-example engine, a learning-rate sweep) takes an optional `Budget` and
calls ``budget.check()`` once per unit of work: a mini-batch, a perturbed
parameter, an epoch.  Over the limit, ``check`` raises `OutOfBudget`; the work
catches it, keeps what it finished and says what it skipped.  So a limit holds
wherever the work runs, not only around the button that starts it.

``cancelled`` is polled at most every ``poll_seconds``, so a check costs one
clock read.  It returns True to stop the work, or raises by itself (the app
passes Streamlit's stop check, which raises when the visitor leaves or a new
rerun replaces this one).
"""

from __future__ import annotations

import time
from collections.abc import Callable


class OutOfBudget(Exception):
    """The work's budget ran out (reason "time") or it was cancelled ("cancelled")."""

    def __init__(self, reason: str, seconds: float):
        self.reason, self.seconds = reason, seconds
        super().__init__(f"stopped after {seconds:.3g} s: " + (
            "the time budget ran out" if reason == "time" else "the work was cancelled"))


class Budget:
    """``seconds`` of wall time from now (None: no limit), and an optional ``cancelled``."""

    def __init__(self, seconds: float | None = None,
                 cancelled: Callable[[], bool] | None = None, poll_seconds: float = 0.05):
        if seconds is not None and not (isinstance(seconds, (int, float))
                                        and not isinstance(seconds, bool) and seconds >= 0):
            raise ValueError(f"seconds must be a number >= 0 or None, got {seconds!r}")
        self.seconds = seconds
        self.cancelled = cancelled
        self.poll_seconds = poll_seconds
        self.start = time.perf_counter()
        self._next_poll = self.start
        self.exhausted = ""  # the reason, once check() has raised: later work can tell

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def check(self) -> None:
        """Raise OutOfBudget if the time is up or the work was cancelled."""
        now = time.perf_counter()
        if self.seconds is not None and now - self.start > self.seconds:
            self.exhausted = "time"
        elif self.cancelled is not None and now >= self._next_poll:
            self._next_poll = now + self.poll_seconds
            if self.cancelled():
                self.exhausted = "cancelled"
        if self.exhausted:
            raise OutOfBudget(self.exhausted, now - self.start)

