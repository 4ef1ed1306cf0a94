"""Per-visitor state, behind one small typed module: the only place that names a
session-state key.

Everything a visitor has lives in ``st.session_state`` (never in module globals), so
each browser tab is its own session.  The rest of the app reads and writes it as
attributes of ``visitor``::

    from .session import visitor
    visitor.stepper.step()
    visitor.batch_index += 1

Each attribute is one key of st.session_state with the same name; the names are a
contract that the tests (AppTest's ``at.session_state["net"]``) rely on.  An attribute
with a default reads as that default while the key is absent; one with a factory
(a list, a dict) stores a fresh one on first use.  ``del visitor.x`` forgets a key.

Widget keys: a widget's value is kept by Streamlit under the widget's key.  The keys
that the code reads or writes are the constants below; the setup widgets' keys come
from the parameter table (playground.params) and are reached through ``widgets()``.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, Generic, TypeVar

import streamlit as st

T = TypeVar("T")


class Key(Generic[T]):
    """One session-state key, as a typed attribute of Visitor.

    default: the value read while the key is absent (None unless given);
    factory: makes the value stored on first read (for lists, dicts and sets, which
    callers then change in place).
    """

    def __init__(self, default: Any = None, *, factory: Callable[[], T] | None = None) -> None:
        self.default = default
        self.factory = factory

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    def __get__(self, obj: object, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]  # the class attribute itself
        if self.factory is not None:
            return st.session_state.setdefault(self.key, self.factory())
        return st.session_state.get(self.key, self.default)

    def __set__(self, obj: object, value: T) -> None:
        st.session_state[self.key] = value

    def __delete__(self, obj: object) -> None:
        st.session_state.pop(self.key, None)


class Visitor:
    """The session's state, one typed attribute per key.

    Types are written as comments rather than imported, so that this module imports
    nothing from the rest of the app (every module may import it).
    """

    # The network and the pass in progress (see playground.state)
    net = Key()                         # bp_core.Network: the network shown, or None
    stepper = Key()                     # bp_core.Stepper of the pass in progress, or None
    config = Key()                      # playground.config.Config the net was built from
    arch = Key()                        # Config.architecture() of the net: rebuild when new
    batch_index = Key(0)                # int: which mini-batch of the training set is used
    pass_id = Key(0)                    # int: passes started in this session
    update_biases = Key(True)           # bool: False for Mazur's post, which keeps b fixed
    history = Key()                     # bp_core.train.History of the last Train, or None
    net_before_train = Key()            # Network from before the last Train (Restore), or None
    gradcheck_result = Key()            # bp_core.GradcheckResult of the last check, or None
    messages = Key(factory=list)        # [(level, text)]: shown once by state.show_messages

    # From the link, read once per session (playground.params.parse_link)
    url_read = Key(False)               # bool: the link was read
    navigated = Key(False)              # bool: a page ran (a page's address sets the mode
                                        # only on the first run: app_main.navigation)
    url_problems = Key(factory=list)    # [config.Problem] from the link, warned about once
    widget_problems = Key(factory=list)  # [config.Problem] about forged widget values
    locks = Key(())                     # [control name] greyed out (?lock=)
    hidden_controls = Key(())           # [control name] not drawn (?hide=)

    # The scenario (?preset=): see playground.presets
    preset = Key()                      # str: the scenario in force, or None
    preset_pending = Key()              # str: a scenario whose network is still to install

    # Workshop mode and the bug hunt
    sweep = Key()                       # {"key", "losses"}: the learning-rate sweep shown
    score = Key(factory=lambda: {"right": 0, "asked": 0})  # predictions answered
    last_answer = Key(factory=dict)     # {(pass_id, phase): {"right", "text"}}
    revealed = Key(factory=set)         # {(pass_id, phase)}: predictions answered
    bug_symptoms = Key(factory=dict)    # {defect: the bug hunt's result}
    bug_revealed = Key(factory=dict)    # {defect: {"guess", "right"}}
    figure_cache = Key(factory=dict)    # {figure name: (key, go.Figure)}: playground.figcache

    # A workshop room (playground.room_view, playground.instructor_view, workshop.rooms)
    room_link = Key()                   # str: the room code the link named (?room=), or None
    room_code = Key()                   # str: the room this learner joined, or None
    room_learner = Key()                # str: the learner's secret id in it, or None
    room_push_seen = Key(0)             # int: the room's last push this page has followed
    room_push_pending = Key()           # str: a pushed scenario to install on this run
    room_error = Key()                  # str: why the last room call was refused, or None
    room_notice = Key()                 # str: a note said once, on the next run
    room_tries = Key(factory=list)      # [time]: this session's recent join attempts
    room_instructor = Key()             # (code, token): the room this instructor runs

    # Widgets whose values the code reads or sets (Streamlit owns these keys)
    lang = Key("en")                    # the language box
    mode = Key("play")                  # the mode radio
    preset_choice = Key("")             # the scenario box ("" is none)
    tab = Key()                         # the open tab's label (st.tabs key)
    upload = Key()                      # the network file uploader's file, or None
    bug_defect = Key()                  # the bug hunt's defect box
    bug_guess = Key()                   # the bug hunt's line guess, or None
    predict_answer = Key()              # the workshop's prediction radio, or None
    room_nickname = Key("")             # the learner's nickname box
    room_question = Key("")             # the instructor's question box ("" is the latest)
    room_push_choice = Key()            # the instructor's scenario box


visitor = Visitor()


def widgets() -> MutableMapping[str, Any]:
    """The widgets' values by widget key, for the setup widgets whose keys come from
    the parameter table (playground.params): Streamlit keeps them in the session."""
    return st.session_state
