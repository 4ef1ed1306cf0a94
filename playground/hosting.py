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
    """The learner's exercise files: exercises/, or $BP_EXERCISES_DIR (the tests point
    it at the reference solutions)."""
    return Path(os.environ.get("BP_EXERCISES_DIR") or ROOT / "exercises")
