"""Fixtures for the exercise checks.

``solution(name)`` imports the file being checked: exercises/<name>.py, or
$BP_EXERCISES_DIR/<name>.py when that environment variable is set.  The
project's own tests (tests/test_exercises.py) set it to run these very checks
against the reference solutions, or against deliberately wrong ones.
"""

import pytest
from _checks import load


@pytest.fixture
def solution():
    return load
