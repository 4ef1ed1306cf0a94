"""The instructor's page (``?mode=instructor``): create a room, share its code, watch
the room's answers live, and push a scenario to every learner.

The secret instructor link (``?mode=instructor&room=CODE&token=...``) brings the same
room back, in another tab or after a restart: the token is checked by workshop.rooms
in constant time.  The live panel is a fragment that reruns alone every
``REFRESH_SECONDS``; it reads totals and nicknames only (never a learner's id).
"""

from __future__ import annotations

import streamlit as st

from bp_view.room_figures import answers_figure, percent

from .charts import show
from .i18n import t
from .presets import PRESETS
from .room_view import call, error_text, store
from .session import visitor
from .translate import fig_tr

REFRESH_SECONDS = 2.0


def instructor_view() -> None:
    st.header(t("room_instructor_header"))
    _read_link()
    room = visitor.room_instructor
    if room is None:
        st.markdown(t("room_instructor_intro"))
        st.button(t("room_create"), key="room_create", type="primary", on_click=_create)
        if visitor.room_error:
            st.warning(error_text())
        return
    code, token = room
    base = (st.context.url or "").split("?")[0]
    st.markdown(t("room_code_caption", code=code))
    st.caption(t("room_learner_link_label"))
    st.code(f"{base}?mode=workshop&room={code}", language=None)
    with st.expander(t("room_instructor_link_label")):
        st.caption(t("room_instructor_link_help"))
        st.code(f"{base}?mode=instructor&room={code}&token={token}", language=None)
    _live_panel(code, token)
    push_ui(code, token)


def _read_link() -> None:
    """The room of the instructor's link, if its token is right (checked every run
    until it is: a reload keeps the link in the address bar)."""
    if visitor.room_instructor is not None:
        return
    code, token = st.query_params.get("room"), st.query_params.get("token")
    if not code or not token:
        return
    code = call(store().check_instructor, code, token)
    if code is not None:
        visitor.room_instructor = (code, token)


def _create() -> None:
    room = call(store().create_room)
    if room is None:
        return
    visitor.room_instructor = room
    # The address bar becomes the secret link (params.link_query keeps room and token).
    st.query_params["room"], st.query_params["token"] = room


@st.fragment(run_every=REFRESH_SECONDS)
def _live_panel(code: str, token: str) -> None:
    chosen = visitor.room_question or None
    totals = call(store().totals, code, token, chosen)
    if totals is None:
        st.warning(error_text())
        return
    st.metric(t("room_joined"), totals.learners)
    options = ["", *totals.questions]
    if chosen and chosen not in options:
        options.append(chosen)
    st.selectbox(t("room_question_label"), options, key="room_question",
                 format_func=lambda q, lang=visitor.lang: t("room_latest", lang) if q == "" else q)
    show(answers_figure(totals.counts, totals.correct, totals.nicknames,
                        totals.question_id or "", tr=fig_tr), key="room_chart")
    total = sum(totals.counts.values())
    for answer in sorted(totals.counts, key=lambda a: (-totals.counts[a], a)):
        names = ", ".join(n or "—" for n in totals.nicknames.get(answer, []))
        # Learners' text, so shown only as text (st.text), never as Markdown.
        st.text(f"{answer} · {percent(totals.counts[answer], total)} % · {names}")


def push_ui(code: str, token: str) -> None:
    with st.container(border=True):
        st.selectbox(t("room_push_label"), list(PRESETS), key="room_push_choice",
                     format_func=lambda n, lang=visitor.lang: t(f"preset_{n}_title", lang))
        st.button(t("room_push"), key="room_push", on_click=_push)
        notice = visitor.room_notice
        if notice:
            del visitor.room_notice
            st.success(notice)


def _push() -> None:
    code, token = visitor.room_instructor
    name = visitor.room_push_choice
    if name not in PRESETS:  # a forged choice
        visitor.room_error = "bad_input"
        return
    seq = call(store().push_scenario, code, token, name)
    if seq is not None:
        visitor.room_notice = t("room_pushed", title=t(f"preset_{name}_title"), n=seq)
