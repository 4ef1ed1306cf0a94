"""A live room in a real Chromium: one instructor and two learners, three browser
contexts (three sessions) on one server with its own SQLite file.

The learners join and answer; the instructor's chart shows both answers within 5 s
(its fragment refreshes every 2 s); a pushed scenario reaches both learners; then the
server is stopped and started again on the same database, and the instructor's secret
link shows the same answers.
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from playground.i18n import t
from tests.conftest import start_server
from tests.serving import free_port, wait_healthy

pytestmark = pytest.mark.browser

DIGITS = "mode=workshop&data=digits&hidden=8&out=softmax&loss=log_likelihood&batch=4"
VIEWPORT = {"width": 1280, "height": 1400}


def wait_idle(page: Page) -> None:
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)


def click(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button:visible").click()
    wait_idle(page)


def learner_joins_and_answers(page: Page, url: str, code: str, nickname: str, answer: str):
    page.goto(f"{url}/?{DIGITS}&room={code}")
    page.locator(".st-key-room_nickname input").fill(nickname)
    page.locator(".st-key-room_nickname input").press("Enter")
    wait_idle(page)
    click(page, "room_join")
    expect(page.locator(".st-key-room_box")).to_contain_text(f"In room {code}")
    for _ in range(4):  # F1 F2 Loss B2: the question before the first backward phase
        click(page, "step_next")
    question = page.locator(".st-key-predict_answer")
    expect(question).to_be_visible()
    question.get_by_text(answer, exact=True).click()
    wait_idle(page)
    click(page, "predict_reveal")


@pytest.fixture
def server(tmp_path):
    """A server of our own (it is restarted in the test), on its own database."""
    port = free_port()
    env = {"BP_ROOM_DB": str(tmp_path / "rooms.sqlite3"), "BP_ROOM_DB_URL": ""}
    state = {"proc": start_server(port, env=env), "url": f"http://127.0.0.1:{port}"}
    wait_healthy(state["url"])

    def restart():
        state["proc"].terminate()
        state["proc"].wait(timeout=20)
        state["proc"] = start_server(port, env=env)
        wait_healthy(state["url"])

    state["restart"] = restart
    yield state
    state["proc"].terminate()
    state["proc"].wait(timeout=20)


def test_a_room_of_two_learners(browser, server):
    url = server["url"]
    contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(3)]
    teacher, ann, bob = (c.new_page() for c in contexts)
    try:
        teacher.goto(f"{url}/?mode=instructor")
        click(teacher, "room_create")
        expect(teacher).to_have_url(re.compile(r"token="))
        query = parse_qs(urlparse(teacher.url).query)
        code, token = query["room"][0], query["token"][0]
        expect(teacher.get_by_text(f"Room code: {code}")).to_be_visible()

        learner_joins_and_answers(ann, url, code, "Ann", "0")
        learner_joins_and_answers(bob, url, code, "Bob", "1")
        answered = time.monotonic()
        title = teacher.locator('[data-testid="stPlotlyChart"] .gtitle')
        expect(title).to_contain_text("2 answers", timeout=5_000)
        print(f"instructor's chart showed both answers {time.monotonic() - answered:.1f} s "
              "after the second reveal")
        expect(teacher.locator('[data-testid="stMetricValue"]')).to_have_text("2")
        expect(teacher.get_by_text(re.compile(r"· 50 % · Ann"))).to_be_visible()
        expect(teacher.get_by_text(re.compile(r"· 50 % · Bob"))).to_be_visible()
        # A learner sees nothing of the other's answer.
        expect(ann.get_by_text("Bob")).to_have_count(0)

        teacher.locator(".st-key-room_push_choice").click()
        teacher.get_by_role("option", name=t("preset_mazur_title", "en")).click()
        wait_idle(teacher)
        click(teacher, "room_push")
        expect(teacher.get_by_text(re.compile("Pushed"))).to_be_visible()
        for learner in (ann, bob):
            expect(learner).to_have_url(re.compile(r"preset=mazur"), timeout=20_000)
            expect(learner.get_by_text("moved the room")).to_be_visible()

        server["restart"]()  # the process ends; the database stays
        teacher.goto(f"{url}/?mode=instructor&room={code}&token={token}")
        expect(title).to_contain_text("2 answers", timeout=30_000)
        expect(teacher.get_by_text(re.compile(r"· 50 % · Ann"))).to_be_visible()
        expect(teacher.locator('[data-testid="stException"]')).to_have_count(0)
        for learner in (ann, bob):
            expect(learner.locator('[data-testid="stException"]')).to_have_count(0)
    finally:
        for c in contexts:
            c.close()
