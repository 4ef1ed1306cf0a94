"""The instructor's chart (bp_view.room_figures), as a notebook would build it."""

from __future__ import annotations

from bp_view.room_figures import MAX_BARS, RIGHT_COLOUR, WRONG_COLOUR, answers_figure


def test_shares_and_title_by_hand():
    # 5 of 8 said "2": 62.5 % is shown as 63 % (half up, not round()'s half to even);
    # 3 of 8 is 37.5 % → 38 %.
    fig = answers_figure({"1": 3, "2": 5}, {"2": True, "1": False},
                         {"2": ["Ann", "Bob"]}, "q")
    bars = fig.data[0]
    assert list(bars.x) == ["2", "1"] and list(bars.y) == [5, 3]  # tallest first
    assert list(bars.text) == ["63 %", "38 %"]
    assert fig.layout.title.text.startswith("63 % said 2")
    assert "8 answers" in fig.layout.title.text
    assert list(bars.marker.color) == [RIGHT_COLOUR, WRONG_COLOUR]
    assert bars.customdata[0] == "Ann, Bob"


def test_learners_text_is_escaped_for_plotly():
    evil = "<a href='javascript:alert(1)'>x</a>"
    fig = answers_figure({evil: 1}, nicknames={evil: ["<b>Ann</b>"]}, question="<i>q</i>")
    text = fig.to_json()
    assert "<a href" not in text and "<b>Ann" not in text and "<i>q" not in text
    assert "&lt;a href=" in fig.data[0].x[0]
    assert fig.data[0].customdata[0] == "&lt;b&gt;Ann&lt;/b&gt;"


def test_many_answers_and_no_answers():
    counts = {f"a{i:02d}": 1 for i in range(MAX_BARS + 3)}
    fig = answers_figure(counts)
    assert len(fig.data[0].x) == MAX_BARS + 1 and fig.data[0].x[-1] == "other"
    assert sum(fig.data[0].y) == MAX_BARS + 3
    empty = answers_figure({})
    assert empty.layout.title.text.startswith("No answers yet")
