"""The app's limits: what one visitor of the shared, hosted demo may ask for.

Tighter than the engine's own (bp_core.limits), so that one visitor cannot hold the
process; tests/test_layers.py checks that each is within the engine's bound.  The
URL parser, the sidebar, the work budget and the tests all import these names, so a
limit changes in exactly one place.  ``is_int`` and ``n_params`` are the engine's,
here too so that the app counts and checks exactly as the engine does.
"""

from __future__ import annotations

from bp_core.limits import MAX_JSON_BYTES, is_int, n_params

__all__ = ["APP_GRADCHECK_ENTRIES", "APP_MAX_BATCH", "APP_MAX_EPOCHS", "APP_MAX_HIDDEN_LAYERS",
           "APP_MAX_HIDDEN_NEURONS", "APP_MAX_L2", "APP_MAX_LR", "APP_MAX_PARAMS",
           "APP_MAX_SAMPLES", "APP_MAX_SEED", "APP_MIN_LR", "APP_UPLOAD_BYTES",
           "APP_WORK_SECONDS", "is_int", "n_params"]

APP_MAX_HIDDEN_LAYERS = 6
APP_MAX_HIDDEN_NEURONS = 64
APP_MAX_PARAMS = 20_000
APP_MAX_BATCH = 64
APP_MAX_EPOCHS = 300
# Wall-time budget of each piece of work one click or page load can start
# (bp_core.budget checks it inside the work's loops; playground.work cancels the work
# when the visitor leaves or a new rerun replaces it).
APP_WORK_SECONDS = {
    "train": 20.0,      # one Train click
    "gradcheck": 10.0,  # one gradient check
    "bughunt": 10.0,    # the buggy engine's gradient check and its two training runs
    "sweep": 10.0,      # the diverge scenario's three learning rates
    "exercise": 10.0,   # a learner's exercise file, run in a child process (local only)
}
APP_GRADCHECK_ENTRIES = 64  # at most this many cells of each W and b are perturbed
APP_MIN_LR, APP_MAX_LR = 1e-4, 100.0
APP_MAX_L2 = 1.0
APP_MAX_SEED = 2**31 - 1
APP_MAX_SAMPLES = 1000    # points in a generated data set (config.N_SAMPLES ≤ this)
APP_UPLOAD_BYTES = MAX_JSON_BYTES
