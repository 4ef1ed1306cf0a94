"""Where the app runs.  The hosted demo sets BP_PLAYGROUND_HOSTED=1 (the Dockerfile
does, and the README says how on Streamlit Community Cloud); then nothing a
learner wrote is ever executed."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def is_hosted() -> bool:
    return os.environ.get("BP_PLAYGROUND_HOSTED", "") not in ("", "0")


def exercises_dir() -> Path:
    """The learner's exercise files: $BP_EXERCISES_DIR if set (the tests point it at the
    reference solutions); else the checkout's exercises/; else, in an installed copy,
    which ships no exercises (the learner edits them, so they do not belong in
    site-packages), exercises/ in the folder the app was started from."""
    if os.environ.get("BP_EXERCISES_DIR"):
        return Path(os.environ["BP_EXERCISES_DIR"])
    checkout = ROOT / "exercises"
    return checkout if checkout.is_dir() else Path.cwd() / "exercises"
