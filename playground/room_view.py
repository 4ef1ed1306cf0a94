"""A learner in a workshop room (``?room=CODE``): the join box, the pushes followed,
and the one hook that records an answer.

Everything of a room is stored by workshop.rooms; this module only wires it to the
page.  Without ``?room=`` (and off the instructor's page) nothing here touches the
database: ``record_if_in_room`` is a no-op, and no connection is ever opened.

The database: $BP_ROOM_DB_URL (any SQLAlchemy URL, e.g. postgresql+psycopg://...), or
``room_db_url`` in secrets.toml; otherwise an SQLite file at $BP_ROOM_DB, or
``room_db`` in secrets.toml, or rooms.sqlite3 in the user's data folder.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from workshop.rooms import RoomError, Rooms, clean_code, rooms_for, sqlite_url

from . import sidebar
from .i18n import t
from .presets import PRESETS
from .session import visitor

log = logging.getLogger("backprop_playground")
POLL_SECONDS = 2.0  # how often a learner's page asks for the room's push
JOIN_TRIES_PER_MINUTE = 5  # one session's join attempts (the process has its own limit)


def _secret(name: str) -> str | None:
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        value = st.secrets.get(name)
    except Exception:  # a broken secrets.toml: the environment and the default still work
        log.warning("secrets.toml could not be read")
        return None
    return str(value) if value else None


def default_db_path() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "backprop-playground" / "rooms.sqlite3"


def database_url() -> str:
    url = os.environ.get("BP_ROOM_DB_URL") or _secret("room_db_url")
    if url:
        return url
    return sqlite_url(os.environ.get("BP_ROOM_DB") or _secret("room_db") or default_db_path())


def store() -> Rooms:
    """The process's rooms for the configured database (workshop.rooms.rooms_for: one
    connection pool, opened on first use, shared by the sessions)."""
    return rooms_for(database_url())


def call(fn, *args):
    """fn(*args) on the store; None when refused (visitor.room_error says why)."""
    try:
        result = fn(*args)
    except RoomError as refused:
        visitor.room_error = refused.reason
        return None
    except SQLAlchemyError:  # the database is down: the page goes on without the room
        log.exception("room database")
        visitor.room_error = "unavailable"
        return None
    visitor.room_error = None
    return result


def error_text() -> str:
    """Why the last room call was refused, in the session's language."""
    texts = {"no_room": t("room_error_no_room"), "full": t("room_error_full"),
             "rate": t("room_error_rate"), "too_many_tries": t("room_error_too_many_tries"),
             "bad_input": t("room_error_bad_input"), "bad_token": t("room_error_bad_token"),
             "busy": t("room_error_busy"), "unavailable": t("room_error_unavailable")}
    return texts.get(visitor.room_error, texts["bad_input"])


# --- the hook -------------------------------------------------------------------------


def record_if_in_room(kind: str, question_id: str, answer: object, correct: bool | None) -> None:
    """Send an answer to the learner's room; nothing at all without a room.

    kind: "predict", "bughunt" or "exercise"; question_id: what was asked (the same
    text for every learner who was asked it); answer: what the learner chose (kept as
    text, capped); correct: whether it was right, or None.
    """
    if not visitor.room_learner:
        return
    question = f"{kind}:{visitor.preset or '-'}:{question_id}"
    call(store().record_answer, visitor.room_code, visitor.room_learner, question,
         str(answer), None if correct is None else bool(correct))


# --- the page ---------------------------------------------------------------------------


def room_frame() -> None:
    """On every page but the instructor's: follow the room's pushes, and draw the room
    box at the top of the sidebar when the link named a room."""
    if visitor.room_link is None:  # the link is read once
        given = st.query_params.get("room")
        visitor.room_link = (clean_code(given) or "") if given else ""
        if given and not visitor.room_link:
            visitor.room_error = "no_room"  # said without repeating the text
    apply_pending_push()
    if visitor.mode == "instructor" or not (visitor.room_link or visitor.room_error):
        return
    with st.sidebar, st.container(border=True, key="room_box"):
        if visitor.room_code:
            st.markdown(t("room_in", code=visitor.room_code))
            _follow_pushes()
        elif visitor.room_link:
            st.markdown(t("room_join_heading", code=visitor.room_link))
            st.text_input(t("room_nickname_label"), key="room_nickname", max_chars=24,
                          help=t("room_nickname_help"))
            st.button(t("room_join"), key="room_join", on_click=_join, type="primary")
        if visitor.room_error:
            st.warning(error_text())
        notice = visitor.room_notice
        if notice:
            del visitor.room_notice
            st.info(notice)


def _join() -> None:
    now = time.time()
    tries = [s for s in visitor.room_tries if s > now - 60]
    if len(tries) >= JOIN_TRIES_PER_MINUTE:
        visitor.room_error = "too_many_tries"
        return
    visitor.room_tries = [*tries, now]
    learner = call(store().join, visitor.room_link, visitor.room_nickname or "")
    if learner is not None:
        visitor.room_code, visitor.room_learner = visitor.room_link, learner
        visitor.room_push_seen = 0  # a late joiner follows the room's last push too


@st.fragment(run_every=POLL_SECONDS)
def _follow_pushes() -> None:
    """Poll the room's push; a new one moves this page to its scenario (next run)."""
    push = call(store().current_push, visitor.room_code)
    if push is None:
        return
    seq, name = push
    if seq <= visitor.room_push_seen:
        return
    visitor.room_push_seen = seq
    if name in PRESETS and name != visitor.preset:
        visitor.room_push_pending = name
        st.rerun(scope="app")


def apply_pending_push() -> None:
    """Install a pushed scenario, before the sidebar's widgets are drawn, as the
    scenario box would (sidebar._on_preset)."""
    name = visitor.room_push_pending
    del visitor.room_push_pending
    if name not in PRESETS:
        return
    sidebar.choose_preset(name)
    visitor.preset_choice = name
    sidebar.seed_widgets(PRESETS[name].config)
    visitor.room_notice = t("room_moved", title=t(f"preset_{name}_title"))
