"""The per-visitor work budget: every piece of work a visitor starts runs under one.

A click (Train, Gradient check, Run the buggy engine, a scenario's comparison)
builds its `bp_core.Budget` here: the wall time of ``limits.APP_WORK_SECONDS[name]``
and a cancel check that Streamlit answers.  The engine checks the budget inside
its loops, so the limit holds wherever the work runs.

Why a cancel check: a long numpy loop never calls Streamlit, and Streamlit stops a
script only at its own calls.  So when a visitor closes the tab (Streamlit then
requests a stop) or clicks again (a new rerun replaces this one), the work would
go on computing for nobody.  Streamlit's run context offers the check it uses
itself while waiting (``get_run_yield_check``): it raises StopException or
RerunException when this run should end.  The budget polls it every 50 ms.
"""

from __future__ import annotations

from bp_core import Budget

from . import limits
from .session import visitor


def _streamlit_stop_check():
    """Streamlit's own "should this run end?" check for this thread, or None."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_run_yield_check
    except ImportError:  # an older or newer Streamlit without it: fall back below
        return None
    return get_run_yield_check()


def budget(name: str) -> Budget:
    """A Budget for the work ``name`` (a key of limits.APP_WORK_SECONDS), started now."""
    stop_check = _streamlit_stop_check()
    if stop_check is None:
        def cancelled() -> bool:
            # Reading session state is an interrupt point too: Streamlit raises its
            # StopException or RerunException there when this run should end.
            _ = visitor.config
            return False
    else:
        def cancelled() -> bool:
            stop_check()  # raises when the visitor left or a new rerun replaced this one
            return False
    return Budget(limits.APP_WORK_SECONDS[name], cancelled)
