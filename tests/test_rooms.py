"""The rooms' storage (workshop.rooms) against real databases: SQLite always, and
PostgreSQL when its binaries are installed (apt's postgresql; .ci/run installs it).

Every test runs on both: the ``rooms`` fixture is parametrised by backend.  The
PostgreSQL case is skipped only when no PostgreSQL is installed; if it is installed
but cannot be started or reached, the test fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from workshop import rooms as rm
from workshop.rooms import ALPHABET, CODE_LENGTH, RoomError, RoomLimits, Rooms, sqlite_url

PG_USER = "bp_test"


def _psql(sql: str) -> str:
    cmd = ["psql", "-v", "ON_ERROR_STOP=1", "-tAc", sql]
    if os.geteuid() == 0:  # root: run as the cluster's owner
        cmd = ["su", "postgres", "-c", " ".join(_quote(c) for c in cmd)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          timeout=60).stdout.strip()


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\"'\"'") + "'"


def ensure_postgres() -> str | None:
    """A URL of a test database on a running PostgreSQL, or None if PostgreSQL is not
    installed.  Starts apt's cluster and creates the test user and database if needed
    (idempotent).  $BP_TEST_PG_URL, if set, is used as it is."""
    if os.environ.get("BP_TEST_PG_URL"):
        return os.environ["BP_TEST_PG_URL"]
    if shutil.which("pg_ctlcluster") is None or shutil.which("pg_lsclusters") is None:
        return None
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True,
                              check=True).stdout.split("\n")
    clusters = [line.split() for line in clusters if line.strip()]
    if not clusters:
        return None
    version, name, port, status = clusters[0][:4]
    if status != "online":
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, timeout=120)
    _psql(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='{PG_USER}') "
          f"THEN CREATE ROLE {PG_USER} LOGIN PASSWORD '{PG_USER}'; END IF; END $$;")
    if _psql(f"SELECT 1 FROM pg_database WHERE datname='{PG_USER}'") != "1":
        _psql(f"CREATE DATABASE {PG_USER} OWNER {PG_USER}")
    return f"postgresql+psycopg://{PG_USER}:{PG_USER}@127.0.0.1:{port}/{PG_USER}"


@pytest.fixture(scope="session")
def pg_url():
    url = ensure_postgres()
    if url is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    return url


def fresh_url(backend: str, tmp_path: Path, request) -> str:
    if backend == "sqlite":
        return sqlite_url(tmp_path / "rooms.sqlite3")
    url = request.getfixturevalue("pg_url")
    engine = sa.create_engine(url)
    rm.metadata.drop_all(engine)  # every test starts from empty tables
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    return fresh_url(request.param, tmp_path, request)


@pytest.fixture
def rooms(url):
    r = Rooms(url)
    yield r
    r.dispose()


NOW = 1_800_000_000.0


def test_create_join_answer_totals(rooms):
    code, token = rooms.create_room(NOW)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    ann = rooms.join(code, "Ann", NOW)
    bob = rooms.join(code.lower(), " Bob ", NOW)  # typed in lower case, with spaces
    rooms.record_answer(code, ann, "q1", "2", True, NOW)
    rooms.record_answer(code, bob, "q1", "1", False, NOW + 1)
    rooms.record_answer(code, bob, "q1", "2", True, NOW + 2)  # Bob changes his mind
    rooms.record_answer(code, bob, "q2", "+", None, NOW + 3)
    totals = rooms.totals(code, token, "q1", NOW + 4)
    assert totals.counts == {"2": 2}  # each learner's latest answer, once
    assert totals.nicknames == {"2": ["Ann", "Bob"]}
    assert totals.correct == {"2": True}
    assert totals.learners == 2 == rooms.learner_count(code, token, NOW + 4)
    assert totals.questions == ["q2", "q1"]  # most recent first
    assert rooms.totals(code, token, None, NOW + 4).question_id == "q2"
    # Nothing in what the instructor gets names a learner's id.
    assert ann not in repr(totals) and bob not in repr(totals)


def test_push(rooms):
    code, token = rooms.create_room(NOW)
    assert rooms.current_push(code, NOW) == (0, None)
    assert rooms.push_scenario(code, token, "mazur", NOW) == 1
    assert rooms.push_scenario(code, token, "xor_boundary", NOW) == 2
    assert rooms.current_push(code, NOW) == (2, "xor_boundary")
    for bad in ("../etc", "<script>", "a" * 41, "", None, "Mazur'; DROP TABLE bp_rooms;--"):
        with pytest.raises(RoomError) as e:
            rooms.push_scenario(code, token, bad, NOW)
        assert e.value.reason == "bad_input"
    assert rooms.current_push(code, NOW) == (2, "xor_boundary")


def test_no_room_writes_nothing(tmp_path):
    """Without a room, nothing is written: not even the SQLite file is created."""
    path = tmp_path / "sub" / "rooms.sqlite3"
    r = Rooms(sqlite_url(path))
    assert not r.room_exists("ABCDEFG")
    for call in (lambda: r.join("ABCDEFG", "x"), lambda: r.current_push("ABCDEFG"),
                 lambda: r.record_answer("ABCDEFG", "id", "q", "a", True),
                 lambda: r.totals("ABCDEFG", "t"), lambda: r.push_scenario("ABCDEFG", "t", "x"),
                 lambda: r.check_instructor("ABCDEFG", "t")):
        with pytest.raises(RoomError) as e:
            call()
        assert e.value.reason == "no_room"
    assert not path.exists() and not path.parent.exists()
    r.create_room()
    assert path.exists()  # the first room creates it
    journal = sa.create_engine(sqlite_url(path)).connect().exec_driver_sql(
        "PRAGMA journal_mode").scalar()
    assert journal == "wal"


def test_codes_are_random_and_unambiguous(rooms):
    codes = {rooms.create_room(NOW)[0] for _ in range(200)}
    assert len(codes) == 200
    letters = "".join(codes)
    assert not set(letters) & set("01OIL")
    assert len(set(letters)) > 20  # drawn from the whole alphabet, not a few letters


@pytest.mark.parametrize("bad", [
    "", "ABC", "ABCDEFGH", "A" * 10_000, "ABC\x00DEF", "ABC\nDEF", "<script>alert(1)</script>",
    "' OR '1'='1", "ABCDEF'", "ÅBCDEFG", "abc%27--", None, 1234567, ["ABCDEFG"]])
def test_hostile_room_codes(rooms, bad):
    code, token = rooms.create_room(NOW)
    with pytest.raises(RoomError) as e:
        rooms.join(bad, "x", NOW)
    assert e.value.reason == "no_room"
    with pytest.raises(RoomError):
        rooms.totals(bad, token, None, NOW)
    assert rooms.current_push(code, NOW) == (0, None)  # the table is intact


def test_failed_joins_are_rate_limited(url):
    r = Rooms(url, RoomLimits(failed_joins_per_minute=5))
    code, _ = r.create_room(NOW)
    wrong = next(c for c in ("A" * CODE_LENGTH, "B" * CODE_LENGTH) if c != code)
    for _ in range(5):
        with pytest.raises(RoomError) as e:
            r.join(wrong, "", NOW)
        assert e.value.reason == "no_room"
    with pytest.raises(RoomError) as e:  # even the right code, while the limit holds
        r.join(code, "", NOW + 1)
    assert e.value.reason == "too_many_tries"
    assert r.join(code, "", NOW + 61)  # a minute later
    r.dispose()


@pytest.mark.parametrize("nickname, stored", [
    ("x" * 500, "x" * rm.MAX_NICKNAME),
    ("Ann\x00\x07\x1b[31m", "Ann[31m"),
    ("  two   spaces\n\ttab ", "two spaces tab"),
    ("<script>alert(1)</script>", "<script>alert(1)</script"),  # stored as text, capped
    ("Robert'); DROP TABLE bp_learners;--", "Robert'); DROP TABLE bp_"),
    ("\u202eevil\u200b", "evil"),  # bidi override and zero-width: format characters
    ("ＡＮＮ", "ANN"),  # NFKC
    ("", ""),
])
def test_hostile_nicknames(rooms, nickname, stored):
    code, token = rooms.create_room(NOW)
    learner = rooms.join(code, nickname, NOW)
    rooms.record_answer(code, learner, "q", "a", True, NOW)
    assert rooms.totals(code, token, "q", NOW).nicknames == {"a": [stored]}


def test_hostile_nickname_types(rooms):
    code, _ = rooms.create_room(NOW)
    for bad in (123, ["x"], b"bytes"):
        with pytest.raises(RoomError) as e:
            rooms.join(code, bad, NOW)
        assert e.value.reason == "bad_input"


def test_hostile_answers(rooms):
    code, token = rooms.create_room(NOW)
    learner = rooms.join(code, "a", NOW)
    rooms.record_answer(code, learner, "q" * 1000, "y" * 1000, False, NOW)
    totals = rooms.totals(code, token, None, NOW)
    assert totals.question_id == "q" * rm.MAX_QUESTION_ID
    assert totals.counts == {"y" * rm.MAX_ANSWER: 1}
    rooms.record_answer(code, learner, "q2", "'; DELETE FROM bp_answers;--", True, NOW)
    rooms.record_answer(code, learner, "q3", "<img src=x onerror=alert(1)>", True, NOW)
    assert rooms.totals(code, token, "q2", NOW).counts == {"'; DELETE FROM bp_answers;--": 1}
    assert len(rooms.totals(code, token, None, NOW).questions) == 3
    for question, answer, correct in [("q", "", True), ("q", "\x00\x01", True), ("", "a", True),
                                      ("q", None, True), ("q", 3, True), ("q", "a", "yes"),
                                      ("q", "a", 1)]:
        with pytest.raises(RoomError) as e:
            rooms.record_answer(code, learner, question, answer, correct, NOW)
        assert e.value.reason == "bad_input"
    for forged in ("", "x" * 33, None, 5, "not-a-learner"):
        with pytest.raises(RoomError) as e:
            rooms.record_answer(code, forged, "q", "a", True, NOW)
        assert e.value.reason == "no_room"


def test_wrong_token(rooms):
    code, token = rooms.create_room(NOW)
    other_code, other_token = rooms.create_room(NOW)
    for bad in ("", "x", token[:-1], token + "x", token.upper() if token != token.upper()
                else token.lower(), other_token, "x" * 10_000, None, 5):
        for call, args in ((rooms.totals, (code, bad, None, NOW)),
                           (rooms.push_scenario, (code, bad, "mazur", NOW)),
                           (rooms.check_instructor, (code, bad, NOW))):
            with pytest.raises(RoomError) as e:
                call(*args)
            assert e.value.reason == "bad_token"
    assert rooms.check_instructor(code.lower(), token, NOW) == code
    assert rooms.current_push(code, NOW) == (0, None)


def test_expired_rooms(url):
    r = Rooms(url, RoomLimits(lifetime_s=3600))
    code, token = r.create_room(NOW)
    learner = r.join(code, "a", NOW)
    r.record_answer(code, learner, "q", "a", True, NOW)
    later = NOW + 3600
    for call in (lambda: r.join(code, "b", later), lambda: r.current_push(code, later),
                 lambda: r.record_answer(code, learner, "q", "b", True, later),
                 lambda: r.totals(code, token, None, later),
                 lambda: r.push_scenario(code, token, "mazur", later)):
        with pytest.raises(RoomError) as e:
            call()
        assert e.value.reason == "no_room"  # as if it never was
    r.create_room(later)  # deletes the expired room and everything in it
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for table in (rm.answers_table, rm.learners_table):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
        assert conn.execute(sa.select(rm.rooms_table.c.code)).scalars().all() != [code]
    engine.dispose()
    r.dispose()


def test_room_capacity(rooms):
    code, token = rooms.create_room(NOW)
    for i in range(RoomLimits().max_learners):
        rooms.join(code, f"n{i}", NOW)
    with pytest.raises(RoomError) as e:
        rooms.join(code, "one too many", NOW)
    assert e.value.reason == "full"
    assert rooms.learner_count(code, token, NOW) == 200


def test_capacity_holds_under_concurrent_joins(url):
    r = Rooms(url, RoomLimits(max_learners=10))
    code, token = r.create_room(NOW)
    results: list[str] = []

    def join():
        try:
            r.join(code, "t", NOW)
            results.append("ok")
        except RoomError as e:
            results.append(e.reason)

    threads = [threading.Thread(target=join) for _ in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count("ok") == 10 and results.count("full") == 20
    assert r.learner_count(code, token, NOW) == 10
    r.dispose()


def test_answer_rate_limit(rooms):
    code, token = rooms.create_room(NOW)
    learner = rooms.join(code, "a", NOW)
    n = RoomLimits().answers_per_minute
    for i in range(n):
        rooms.record_answer(code, learner, f"q{i}", "a", True, NOW + i * 0.1)
    with pytest.raises(RoomError) as e:
        rooms.record_answer(code, learner, "late", "a", True, NOW + 10)
    assert e.value.reason == "rate"
    assert "late" not in rooms.totals(code, token, None, NOW + 10).questions
    rooms.record_answer(code, learner, "late", "a", True, NOW + 61)
    assert "late" in rooms.totals(code, token, None, NOW + 61).questions


def test_too_many_rooms(url):
    r = Rooms(url, RoomLimits(max_rooms=3))
    for _ in range(3):
        r.create_room(NOW)
    with pytest.raises(RoomError) as e:
        r.create_room(NOW)
    assert e.value.reason == "busy"
    r.dispose()


def test_two_rooms_isolated(rooms):
    a, token_a = rooms.create_room(NOW)
    b, token_b = rooms.create_room(NOW)
    ann = rooms.join(a, "Ann", NOW)
    bob = rooms.join(b, "Bob", NOW)
    rooms.record_answer(a, ann, "q", "1", True, NOW)
    rooms.record_answer(b, bob, "q", "2", False, NOW)
    with pytest.raises(RoomError):  # Ann is no learner of room b
        rooms.record_answer(b, ann, "q", "9", True, NOW)
    rooms.push_scenario(a, token_a, "mazur", NOW)
    assert rooms.totals(a, token_a, "q", NOW).nicknames == {"1": ["Ann"]}
    assert rooms.totals(b, token_b, "q", NOW).nicknames == {"2": ["Bob"]}
    assert rooms.current_push(b, NOW) == (0, None)
    with pytest.raises(RoomError):
        rooms.totals(b, token_a, "q", NOW)


def test_restart_keeps_everything(url):
    first = Rooms(url)
    code, token = first.create_room(NOW)
    learner = first.join(code, "Ann", NOW)
    first.record_answer(code, learner, "q", "2", True, NOW)
    first.push_scenario(code, token, "mazur", NOW)
    first.dispose()  # the process ends
    second = Rooms(url)
    assert second.totals(code, token, "q", NOW).nicknames == {"2": ["Ann"]}
    assert second.current_push(code, NOW) == (1, "mazur")
    second.record_answer(code, learner, "q2", "1", False, NOW)  # the session's id still holds
    second.dispose()


def test_clean_code():
    assert rm.clean_code(" abc defg ".replace(" ", "")) == "ABCDEFG"
    assert rm.clean_code("ab cd efg") == "ABCDEFG"
    assert rm.clean_code("ABCDEF0") is None  # 0 is not in the alphabet
    assert rm.clean_code("x" * 100) is None
