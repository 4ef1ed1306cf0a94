"""Rooms in the app, under AppTest: the instructor creates a room, a learner joins with
?room=CODE, their answer is recorded and shown in the instructor's chart, a pushed
scenario reaches the learner, and without a room nothing is written.

Each test has its own SQLite file ($BP_ROOM_DB); the answers are read back through
workshop.rooms (the instructor's totals), never from the app's own session.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.apphelpers import charts, click, start, texts
from workshop.rooms import Rooms, sqlite_url

DIGITS = {"mode": "workshop", "data": "digits", "hidden": "8", "out": "softmax",
          "loss": "log_likelihood", "batch": "4"}


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "rooms.sqlite3"
    monkeypatch.delenv("BP_ROOM_DB_URL", raising=False)
    monkeypatch.setenv("BP_ROOM_DB", str(path))
    return path


@pytest.fixture
def room(db):
    rooms = Rooms(sqlite_url(db))
    code, token = rooms.create_room()
    yield rooms, code, token
    rooms.dispose()


def answer_first_question(at, right: bool = True) -> str:
    """Step to the first backward phase of the digits setup and answer its question."""
    for _ in range(4):  # F0 F1 Loss B1
        click(at, "step_next")
    record = at.session_state["stepper"].last
    best = int(np.abs(record.arrays["delta"][0]).argmax())  # the largest |δ| at the output
    choice = str(best if right else (best + 1) % record.arrays["delta"].shape[1])
    at.radio(key="predict_answer").set_value(choice).run()
    click(at, "predict_reveal")
    return choice


def join(code: str, nickname: str = "", query: dict | None = None):
    at = start({**(query or DIGITS), "room": code})
    if nickname:
        at.text_input(key="room_nickname").set_value(nickname).run()
    click(at, "room_join")
    return at


def test_without_a_room_nothing_is_written(db):
    at = start(DIGITS)
    answer_first_question(at)
    start({"mode": "instructor"})  # the page itself, before "Create a room"
    assert not db.exists() and not db.parent.joinpath("rooms.sqlite3-wal").exists()


def test_instructor_creates_a_room(db):
    at = start({"mode": "instructor"})
    click(at, "room_create")
    code, token = at.session_state["room_instructor"]
    assert db.exists()
    assert code in texts(at)
    codes = [c.value for c in at.code]
    assert any(f"room={code}" in c and "token" not in c for c in codes)  # the learners' link
    assert any(f"token={token}" in c for c in codes)  # the secret link
    assert at.query_params["room"] in (code, [code])  # the address bar is the secret link
    assert at.query_params["token"] in (token, [token])
    assert at.metric[0].value == "0"
    # The secret link brings the room back in a new session (a new tab, a restart).
    again = start({"mode": "instructor", "room": code, "token": token})
    assert again.session_state["room_instructor"] == (code, token)


def test_a_wrong_instructor_link_opens_nothing(room):
    _, code, token = room
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "<script>"):
        at = start({"mode": "instructor", "room": code, "token": forged})
        assert "room_instructor" not in at.session_state
        assert "not valid for the room" in texts(at)
        assert not at.metric and not charts(at)


def test_learner_joins_and_the_answer_is_recorded(room):
    rooms, code, token = room
    at = join(code.lower(), "Ann")
    assert at.session_state["room_code"] == code
    assert f"In room **{code}**" in texts(at)
    choice = answer_first_question(at, right=True)
    totals = rooms.totals(code, token)
    assert totals.learners == 1
    assert totals.counts == {choice: 1} and totals.correct == {choice: True}
    assert totals.nicknames == {choice: ["Ann"]}
    assert totals.question_id.startswith("predict:-:predict_largest_delta")


def test_the_instructor_sees_the_answers(room):
    rooms, code, token = room
    ann, bob = join(code, "Ann"), join(code, "Bob")
    right = answer_first_question(ann, right=True)
    wrong = answer_first_question(bob, right=False)
    at = start({"mode": "instructor", "room": code, "token": token})
    assert at.metric[0].value == "2"
    (fig,) = charts(at)
    bars = fig["data"][0]
    assert sorted(bars["x"]) == sorted([right, wrong]) and list(bars["y"]) == [1, 1]
    assert fig["layout"]["title"]["text"].startswith("50 % said")
    shown = "\n".join(el.value for el in at.text)
    assert f"{right} · 50 % · Ann" in shown and f"{wrong} · 50 % · Bob" in shown


def test_a_learner_never_sees_another_learners_answers(room):
    rooms, code, token = room
    ann, bob = join(code, "Annabel"), join(code, "Bobby")
    answer_first_question(ann)
    bob.run()
    page = texts(bob) + "".join(el.value for el in bob.text)
    assert "Annabel" not in page and not any("room_chart" in str(c) for c in charts(bob))


def test_a_pushed_scenario_reaches_the_learner(room):
    rooms, code, token = room
    learner = join(code, "Ann", {"mode": "workshop"})
    assert "preset" not in learner.session_state or learner.session_state["preset"] is None
    teacher = start({"mode": "instructor", "room": code, "token": token})
    teacher.selectbox(key="room_push_choice").set_value("mazur").run()
    click(teacher, "room_push")
    assert "Pushed" in texts(teacher)
    assert rooms.current_push(code) == (1, "mazur")
    learner.run()  # what the poll fragment does every 2 s
    assert not learner.exception
    assert learner.session_state["preset"] == "mazur"
    assert learner.session_state["config"].data == "mazur"
    assert "moved the room" in texts(learner)


@pytest.mark.parametrize("code", ["<script>alert(1)</script>", "x" * 5000, "' OR 1=1 --",
                                  "ABC\x00DEFG", "ABCDEFG"])
def test_hostile_room_links(db, code):
    at = start({"mode": "workshop", "room": code})
    assert not at.exception
    page = texts(at)
    if "room_join" in [b.key for b in at.button]:  # a well-formed code: the join box asks first
        click(at, "room_join")
        page = texts(at)
    assert "There is no open room" in page
    assert "<script>" not in page and "OR 1=1" not in page  # never repeated
    assert not db.exists()


def test_hostile_nickname_is_capped_and_kept_as_text(room):
    rooms, code, token = room
    nickname = "<img src=x onerror=alert(1)>\x00" + "z" * 100
    at = start({**DIGITS, "room": code})
    at.text_input(key="room_nickname").set_value(nickname).run()  # a forged value, beyond max_chars
    click(at, "room_join")
    choice = answer_first_question(at)
    assert rooms.totals(code, token).nicknames == {choice: ["<img src=x onerror=alert(1)>"[:24]]}
    teacher = start({"mode": "instructor", "room": code, "token": token})
    (fig,) = charts(teacher)
    assert "<img" not in str(fig) and "&lt;img" in str(fig)  # escaped for Plotly


def test_the_join_box_is_rate_limited(db):
    at = start({"mode": "workshop", "room": "ABCDEFG"})
    for _ in range(5):
        click(at, "room_join")
        assert "There is no open room" in texts(at)
    click(at, "room_join")
    assert "Too many attempts" in texts(at)
