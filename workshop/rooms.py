"""Rooms: a workshop's live answers, kept in a real database.

An instructor creates a room and gets a short code (for the learners) and a secret
token (for the instructor's link).  Learners join with the code and an optional
nickname; their answers are recorded; the instructor reads totals and nicknames, and
pushes a scenario that every learner's page then moves to.

One code path, SQLAlchemy Core, for every database:
  - the embedded default is SQLite (the standard library's ``sqlite3`` driver) in WAL
    mode, one file: ``sqlite_url(path)``;
  - any SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``) for a deployment
    with several processes or machines.

Safety, all enforced here, whoever calls:
  - a room expires (``RoomLimits.lifetime_s``, 24 h); an expired room is the same as
    an unknown one, and is deleted when the next room is created;
  - codes are ``CODE_LENGTH`` characters from an alphabet without look-alikes, drawn
    by ``secrets`` (31**7, about 2.8e10 codes); failed joins are rate-limited per
    process (``failed_joins_per_minute``), so codes cannot be guessed by trying;
  - the instructor's token (``secrets.token_urlsafe``) is stored only as its SHA-256
    and compared with ``hmac.compare_digest``;
  - at most ``max_learners`` per room, ``answers_per_minute`` per learner, and
    ``max_rooms`` live rooms;
  - every field is cleaned (no control characters, NFKC) and length-capped before it
    is stored; nothing here is ever evaluated, and callers show it only as text;
  - a learner's id is a random secret known only to their server-side session; the
    only reads are the instructor's (token needed): totals and nicknames.  Every query
    names its room, so nothing of one room is seen from another;
  - nothing is written (not even the SQLite file created) until a room is created:
    ``Rooms`` connects lazily, and every other call on a missing SQLite file answers
    "no such room" without creating it.

Times are seconds since the epoch (``time.time()``), passed in as ``now`` so that the
tests can move the clock.  No module here imports Streamlit.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 7
CODE_RE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
SCENARIO_RE = re.compile(r"[a-z0-9_]{1,40}")
MAX_TOKEN_CHARS = 64
MAX_NICKNAME = 24
MAX_QUESTION_ID = 80
MAX_ANSWER = 40
MAX_QUESTIONS_LISTED = 20


@dataclass(frozen=True)
class RoomLimits:
    lifetime_s: float = 24 * 3600
    max_learners: int = 200
    answers_per_minute: int = 30
    failed_joins_per_minute: int = 20
    max_rooms: int = 1000


class RoomError(Exception):
    """A refused call.  ``reason`` is one of: no_room (unknown or expired: the same
    answer for both), bad_token, full, rate, too_many_tries, bad_input, busy."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Totals:
    """What the instructor sees of one question: no learner ids, no other field.

    counts: {answer: how many learners gave it (each learner's latest answer)}
    correct: {answer: True/False/None as recorded}
    nicknames: {answer: sorted nicknames of those who gave it ("" for none)}
    questions: the room's question ids, most recently answered first
    """

    question_id: str | None
    counts: dict[str, int] = field(default_factory=dict)
    correct: dict[str, bool | None] = field(default_factory=dict)
    nicknames: dict[str, list[str]] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    learners: int = 0


# --- cleaning the fields ---------------------------------------------------------------


def clean_text(value: object, cap: int) -> str:
    """Text made safe to store: NFKC, control and format characters removed, runs of
    white space made one space, stripped, then cut to ``cap`` characters.  Anything
    that is not a str is refused (bad_input)."""
    if not isinstance(value, str):
        raise RoomError("bad_input")
    value = unicodedata.normalize("NFKC", value[: cap * 4])  # bound the work first
    value = "".join(" " if ch.isspace() else ch for ch in value
                    if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    return " ".join(value.split())[:cap]


def clean_code(value: object) -> str | None:
    """A room code as typed (spaces, lower case allowed), or None if it cannot be one."""
    if not isinstance(value, str) or len(value) > 32:
        return None
    code = "".join(value.split()).upper()
    return code if CODE_RE.fullmatch(code) else None


def _required(value: object, cap: int) -> str:
    text = clean_text(value, cap)
    if not text:
        raise RoomError("bad_input")
    return text


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


# --- the tables -------------------------------------------------------------------------

metadata = sa.MetaData()
rooms_table = sa.Table(
    "bp_rooms", metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("token_sha256", sa.String(64), nullable=False),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
    sa.Column("push_seq", sa.Integer, nullable=False, default=0),
    sa.Column("push_scenario", sa.String(40)),
)
learners_table = sa.Table(
    "bp_learners", metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("learner_id", sa.String(32), primary_key=True),
    sa.Column("nickname", sa.String(MAX_NICKNAME), nullable=False),
    sa.Column("joined", sa.Float, nullable=False),
    sa.Column("window_start", sa.Float, nullable=False),  # the answer rate's minute
    sa.Column("window_count", sa.Integer, nullable=False),
)
answers_table = sa.Table(
    "bp_answers", metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("learner_id", sa.String(32), primary_key=True),
    sa.Column("question_id", sa.String(MAX_QUESTION_ID), primary_key=True),
    sa.Column("answer", sa.String(MAX_ANSWER), nullable=False),
    sa.Column("correct", sa.Boolean),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("bp_answers_question", "code", "question_id"),
)


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


class Rooms:
    """The rooms of one database.  Safe to share between threads (one per process)."""

    def __init__(self, url: str, limits: RoomLimits = RoomLimits()):
        self.url = make_url(url)
        self.limits = limits
        self._engine: sa.Engine | None = None
        self._lock = threading.Lock()
        self._failed_joins: collections.deque[float] = collections.deque()

    # --- the connection ---------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _exists(self) -> bool:
        """Whether there can be a room at all, without creating anything."""
        if self._engine is not None or not self.is_sqlite:
            return True
        return bool(self.url.database) and Path(self.url.database).exists()

    def _connect(self) -> sa.Engine:
        with self._lock:
            if self._engine is None:
                self._engine = self._make_engine()
                metadata.create_all(self._engine)
            return self._engine

    def _make_engine(self) -> sa.Engine:
        if not self.is_sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True)
        Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(self.url, connect_args={"timeout": 30})

        # SQLAlchemy's documented recipe for pysqlite: let SQLAlchemy emit BEGIN, so
        # that writes take the lock when they start (BEGIN IMMEDIATE) and a read-then-
        # write (the capacity and rate checks) cannot be overtaken by another writer.
        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute("PRAGMA synchronous=NORMAL")  # WAL: durable on commit
            dbapi_connection.execute("PRAGMA busy_timeout=30000")

        @sa.event.listens_for(engine, "begin")
        def _on_begin(conn):
            write = conn.get_execution_options().get("bp_write", True)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def _write(self):
        return self._connect().begin()

    def _read(self):
        conn = self._connect().connect().execution_options(bp_write=False)
        return _ReadTx(conn)

    def dispose(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    # --- the calls ----------------------------------------------------------------------

    def create_room(self, now: float | None = None) -> tuple[str, str]:
        """A new room: (code, instructor token).  Deletes the expired rooms first."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        with self._write() as conn:
            self._purge(conn, now)
            live = conn.execute(sa.select(sa.func.count()).select_from(rooms_table)).scalar()
            if live >= self.limits.max_rooms:
                raise RoomError("busy")
            for _ in range(10):  # a collision is one in 1e7 at the cap: retry
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
                taken = conn.execute(sa.select(rooms_table.c.code)
                                     .where(rooms_table.c.code == code)).first()
                if taken is None:
                    break
            else:
                raise RoomError("busy")
            conn.execute(rooms_table.insert().values(
                code=code, token_sha256=_token_hash(token), created=now,
                expires=now + self.limits.lifetime_s, push_seq=0, push_scenario=None))
        return code, token

    def _purge(self, conn, now: float) -> None:
        expired = sa.select(rooms_table.c.code).where(rooms_table.c.expires <= now)
        for table in (answers_table, learners_table):
            conn.execute(table.delete().where(table.c.code.in_(expired)))
        conn.execute(rooms_table.delete().where(rooms_table.c.expires <= now))

    def _room(self, conn, code: object, now: float, lock: bool = False):
        """The live room's row, or RoomError("no_room").

        lock: hold the room's row until the transaction ends (SELECT ... FOR UPDATE),
        so that the capacity and rate checks of concurrent writers on PostgreSQL run
        one after another (SQLite's BEGIN IMMEDIATE already serialises every writer).
        """
        code = clean_code(code)
        if code is None:
            raise RoomError("no_room")
        query = sa.select(rooms_table).where(rooms_table.c.code == code,
                                             rooms_table.c.expires > now)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise RoomError("no_room")
        return row

    def _check_token(self, room, token: object) -> None:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            raise RoomError("bad_token")
        if not hmac.compare_digest(_token_hash(token), room.token_sha256):
            raise RoomError("bad_token")

    def _note_failed_join(self, now: float) -> None:
        with self._lock:
            self._failed_joins.append(now)

    def _too_many_failed_joins(self, now: float) -> bool:
        with self._lock:
            while self._failed_joins and self._failed_joins[0] <= now - 60:
                self._failed_joins.popleft()
            return len(self._failed_joins) >= self.limits.failed_joins_per_minute

    def room_exists(self, code: object, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        if not self._exists():
            return False
        with self._read() as conn:
            try:
                self._room(conn, code, now)
            except RoomError:
                return False
            return True

    def join(self, code: object, nickname: object = "", now: float | None = None) -> str:
        """A new learner in the room: their secret id.  The nickname may be ""."""
        now = time.time() if now is None else now
        if self._too_many_failed_joins(now):
            raise RoomError("too_many_tries")
        nickname = clean_text(nickname if nickname is not None else "", MAX_NICKNAME)
        if clean_code(code) is None or not self._exists():
            self._note_failed_join(now)
            raise RoomError("no_room")
        learner_id = secrets.token_urlsafe(16)
        with self._write() as conn:
            try:
                room = self._room(conn, code, now, lock=True)
            except RoomError:
                self._note_failed_join(now)
                raise
            n = conn.execute(sa.select(sa.func.count()).select_from(learners_table)
                             .where(learners_table.c.code == room.code)).scalar()
            if n >= self.limits.max_learners:
                raise RoomError("full")
            conn.execute(learners_table.insert().values(
                code=room.code, learner_id=learner_id, nickname=nickname, joined=now,
                window_start=now, window_count=0))
        return learner_id

    def record_answer(self, code: object, learner_id: object, question_id: object,
                      answer: object, correct: bool | None, now: float | None = None) -> None:
        """Keep a learner's answer to a question (their latest one counts)."""
        now = time.time() if now is None else now
        question_id = _required(question_id, MAX_QUESTION_ID)
        answer = _required(answer, MAX_ANSWER)
        if correct is not None and not isinstance(correct, bool):
            raise RoomError("bad_input")
        if not isinstance(learner_id, str) or len(learner_id) > 32 or not self._exists():
            raise RoomError("no_room")
        with self._write() as conn:
            room = self._room(conn, code, now, lock=True)
            me = (learners_table.c.code == room.code) & (learners_table.c.learner_id == learner_id)
            learner = conn.execute(sa.select(learners_table).where(me)).first()
            if learner is None:  # a learner of another room is no learner of this one
                raise RoomError("no_room")
            if now - learner.window_start >= 60:
                conn.execute(learners_table.update().where(me).values(window_start=now,
                                                                      window_count=1))
            elif learner.window_count >= self.limits.answers_per_minute:
                raise RoomError("rate")
            else:
                conn.execute(learners_table.update().where(me)
                             .values(window_count=learners_table.c.window_count + 1))
            mine = ((answers_table.c.code == room.code)
                    & (answers_table.c.learner_id == learner_id)
                    & (answers_table.c.question_id == question_id))
            updated = conn.execute(answers_table.update().where(mine).values(
                answer=answer, correct=correct, at=now)).rowcount
            if not updated:
                conn.execute(answers_table.insert().values(
                    code=room.code, learner_id=learner_id, question_id=question_id,
                    answer=answer, correct=correct, at=now))

    def push_scenario(self, code: object, token: object, scenario: object,
                      now: float | None = None) -> int:
        """Ask every learner's page to move to a scenario: the push's number."""
        now = time.time() if now is None else now
        if not isinstance(scenario, str) or not SCENARIO_RE.fullmatch(scenario):
            raise RoomError("bad_input")
        if not self._exists():
            raise RoomError("no_room")
        with self._write() as conn:
            room = self._room(conn, code, now, lock=True)
            self._check_token(room, token)
            seq = room.push_seq + 1
            conn.execute(rooms_table.update().where(rooms_table.c.code == room.code)
                         .values(push_seq=seq, push_scenario=scenario))
        return seq

    def current_push(self, code: object, now: float | None = None) -> tuple[int, str | None]:
        """(push number, scenario) of the room's last push; (0, None) before any, or
        RoomError("no_room")."""
        now = time.time() if now is None else now
        if not self._exists():
            raise RoomError("no_room")
        with self._read() as conn:
            room = self._room(conn, code, now)
            return room.push_seq, room.push_scenario

    def check_instructor(self, code: object, token: object, now: float | None = None) -> str:
        """The room's code if ``token`` is its instructor's, else RoomError."""
        now = time.time() if now is None else now
        if not self._exists():
            raise RoomError("no_room")
        with self._read() as conn:
            room = self._room(conn, code, now)
            self._check_token(room, token)
            return room.code

    def learner_count(self, code: object, token: object, now: float | None = None) -> int:
        return self.totals(code, token, None, now).learners

    def totals(self, code: object, token: object, question_id: object = None,
               now: float | None = None) -> Totals:
        """The instructor's view: counts and nicknames per answer to one question
        (the most recently answered one if ``question_id`` is None)."""
        now = time.time() if now is None else now
        if not self._exists():
            raise RoomError("no_room")
        with self._read() as conn:
            room = self._room(conn, code, now)
            self._check_token(room, token)
            a, lt = answers_table, learners_table
            learners = conn.execute(sa.select(sa.func.count()).select_from(lt)
                                    .where(lt.c.code == room.code)).scalar()
            latest = sa.func.max(a.c.at)
            questions = [r[0] for r in conn.execute(
                sa.select(a.c.question_id, latest).where(a.c.code == room.code)
                .group_by(a.c.question_id).order_by(latest.desc(), a.c.question_id)
                .limit(MAX_QUESTIONS_LISTED))]
            if question_id is None:
                question_id = questions[0] if questions else None
            elif not isinstance(question_id, str) or len(question_id) > MAX_QUESTION_ID:
                raise RoomError("bad_input")
            totals = Totals(question_id, questions=questions, learners=learners)
            if question_id is None:
                return totals
            rows = conn.execute(
                sa.select(a.c.answer, a.c.correct, lt.c.nickname)
                .join(lt, (lt.c.code == a.c.code) & (lt.c.learner_id == a.c.learner_id))
                .where(a.c.code == room.code, a.c.question_id == question_id))
            for answer, correct, nickname in rows:
                totals.counts[answer] = totals.counts.get(answer, 0) + 1
                totals.correct[answer] = correct
                totals.nicknames.setdefault(answer, []).append(nickname)
            for names in totals.nicknames.values():
                names.sort()
            return totals


@functools.lru_cache(maxsize=8)
def rooms_for(url: str) -> Rooms:
    """The process's one Rooms for a database URL: one connection pool and one
    failed-join limiter shared by every session of the server (no visitor's state is
    in it; everything of a visitor is in the database or their session)."""
    return Rooms(url)


class _ReadTx:
    """A read in one (deferred, shared) transaction: ``with rooms._read() as conn``."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.tx = self.conn.begin()
        return self.conn

    def __exit__(self, *exc):
        try:
            self.tx.rollback()  # nothing was written
        finally:
            self.conn.close()
