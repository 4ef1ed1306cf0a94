"""The workshop mode: pure-Python pieces behind the app's workshop pages.

* `workshop.tutorial_code`: the tutorial's copy of Nielsen's ``backprop`` as text,
  with its four defects listed in ``DEFECTS``.
* `workshop.bughunt`: a real, executable engine built from that text, with any of
  the defects switched on, and the symptoms each one produces.
* `workshop.exercise_runner`: runs a learner's exercise file (exercises/) on the
  current network and compares it with bp_core.
* `workshop.tracebacks`: the one traceback filter: the exception's line and the
  learner's own frames, for the bug hunt, the exercise runner and exercises/_checks.py.

No module here imports Streamlit.
"""
