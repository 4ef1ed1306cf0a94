"""The instructor's chart of a room's answers: how many learners gave each answer.

Pure: counts in, a go.Figure out (no Streamlit, no database), so it is tested and
drawn in a notebook as in the app.  Answers and nicknames come from learners: they are
HTML-escaped here, because Plotly reads a subset of HTML (<b>, <a href>) in every text
it draws.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from .layout import finish, tx
from .style import CLASS_COLOURS, HOVER_FORMAT
from .text import Translator

RIGHT_COLOUR, WRONG_COLOUR, UNMARKED_COLOUR = "#1a9850", CLASS_COLOURS[1], "#7f7f7f"
MAX_BARS = 12  # answers shown; the rarest beyond are summed into "other"
MAX_NAMES_ON_HOVER = 20


def percent(n: int, total: int) -> int:
    """n of total, as a whole per cent rounded half up, as a room reads it (5 of 8 is
    63 %; Python's round() would give 62); 0 when there is no answer."""
    return int(100 * n / total + 0.5) if total else 0


def answers_figure(counts: dict[str, int], correct: dict[str, bool | None] | None = None,
                   nicknames: dict[str, list[str]] | None = None, question: str = "",
                   tr: Translator | None = None) -> go.Figure:
    """One bar per answer, tallest first: its share of the answers in the bar's text
    ("62 %"), the count and (up to 20) nicknames on hover; green if that answer was
    right, red if wrong, grey if not marked.  The title says the leading answer:
    "62 % said 2".

    counts: {answer: learners}; correct: {answer: bool or None}; nicknames:
    {answer: [nickname]} ("" for a learner who gave none).
    """
    correct = correct or {}
    nicknames = nicknames or {}
    order = sorted(counts, key=lambda a: (-counts[a], a))
    total = sum(counts.values())
    shown, rest = order[:MAX_BARS], order[MAX_BARS:]
    labels = [html.escape(a) for a in shown]
    values = [counts[a] for a in shown]
    colours = [RIGHT_COLOUR if correct.get(a) is True else WRONG_COLOUR
               if correct.get(a) is False else UNMARKED_COLOUR for a in shown]
    hovers = [_names(nicknames.get(a, []), tr) for a in shown]
    if rest:
        labels.append(tx(tr, "room_other"))
        values.append(sum(counts[a] for a in rest))
        colours.append(UNMARKED_COLOUR)
        hovers.append("")
    fig = go.Figure(go.Bar(
        x=labels, y=values, marker_color=colours,
        text=[f"{percent(v, total)} %" for v in values], textposition="outside",
        customdata=hovers, cliponaxis=False,
        hovertemplate=(f"%{{x}}: %{{y:{HOVER_FORMAT}}}<br>%{{customdata}}<extra></extra>")))
    if total:
        title = tx(tr, "room_said", percent=percent(values[0], total), answer=labels[0])
    else:
        title = tx(tr, "room_no_answers")
    notes = [tx(tr, "room_question", question=html.escape(question))] if question else []
    notes.append(tx(tr, "room_n_answers", n=total))
    fig.update_xaxes(type="category", title=dict(text=tx(tr, "room_answer")))
    fig.update_yaxes(title=dict(text=tx(tr, "room_learners")), rangemode="tozero",
                     range=[0, max(values or [1]) * 1.25], dtick=max(1, max(values or [1]) // 5))
    return finish(fig, title, 300, notes, showlegend=False)


def _names(names: list[str], tr: Translator | None) -> str:
    shown = [html.escape(n) if n else "—" for n in names[:MAX_NAMES_ON_HOVER]]
    more = len(names) - len(shown)
    text = ", ".join(shown)
    if more > 0:
        text += " " + tx(tr, "room_more_names", n=more)
    return text
