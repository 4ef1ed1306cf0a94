"""The English words of the figures made legible in issue 11, merged into `FIGURE_TEXT`.

Kept in their own small table so that bp_view/text.py, which other work edits too,
only gains one line at its end; the keys are `FIGURE_TEXT`'s like any other
(catalogue keys ``fig_<key>``, Chinese in playground/locales/zh.json).
"""

from __future__ import annotations

LEGIBLE_TEXT: dict[str, str] = {
    # training charts: a run that diverged
    "diverged": "diverged",
    "diverged_note": "(× diverged: values above {cap}, {factor}× the starting loss, drawn "
                     "at that line)",
    # the decision boundary: which points are drawn
    "train_label": "train, label {label}",
    "test_label": "test, label {label}",
    # the fitted curve: its y axis follows the data
    "fit_clipped": "(the curve leaves the plot: it reaches {lo} to {hi})",
}
