"""What a classroom link's ``?lock=`` and ``?hide=`` mean for the page.

A locked control is drawn greyed out and says why in its help ("locked by the link");
a hidden control is not drawn at all.  Either way the learner cannot use it, so no
instruction on the page may ask them to: every text that tells a learner to press,
change or pick a control is shown only when that control is ``usable`` (the scenario
boxes' instructions are listed with the controls they need in playground.presets).

The names are those of params.CONTROLS; the session holds the link's lists.
"""

from __future__ import annotations

from collections.abc import Iterable

from .i18n import t
from .session import visitor


def locked(name: str) -> bool:
    return name in visitor.locks


def hidden(name: str) -> bool:
    return name in visitor.hidden_controls


def usable(*names: str) -> bool:
    """True if the learner can use every control named: none is locked or hidden."""
    return not any(locked(name) or hidden(name) for name in names)


def help_text(name: str, help_key: str | None = None, **values) -> str | None:
    """A control's help: its own text, led by "locked by the link" when it is locked."""
    own = t(help_key, **values) if help_key else None
    if not locked(name):
        return own
    return t("locked_by_link") + (f"\n\n{own}" if own else "")


def usable_texts(instructions: Iterable[tuple[str, tuple[str, ...]]]) -> list[str]:
    """The texts of the (key, controls it needs) instructions whose controls are usable."""
    return [t(key) for key, needs in instructions if usable(*needs)]
