"""Save & share: the full link, in a code box (Streamlit's copy button), that opens
the same page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playground import params
from playground.i18n import t
from playground.save_view import share_link
from tests.apphelpers import open_tab, start, texts

ADDRESS = "https://playground.example.org"  # what a browser sends as st.context.url


def shared_link(query: dict[str, str]):
    at = start(query)
    at.context = {"url": ADDRESS}
    open_tab(at, "save")
    boxes = [code.value for code in at.code]
    assert len(boxes) == 1, boxes
    return boxes[0], at


def test_the_shared_link_is_the_pages_address_with_the_whole_setup():
    link, at = shared_link({"data": "circle", "hidden": "3-5", "lr": "0.05", "lock": "lr",
                            "lang": "zh"})
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == ADDRESS and parts.path == "/"
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    assert query["data"] == "circle" and query["hidden"] == "3-5" and query["lr"] == "0.05"
    assert query["lock"] == "lr" and query["lang"] == "zh"  # the link's page values and locks
    # The link reads back as the setup in force.
    link_read, problems = params.parse_link(query)
    assert not problems and link_read.config == at.session_state["config"]
    assert t("share_caption", lang="zh") in texts(at)


def test_without_an_address_the_query_alone_is_shown_and_said_so():
    at = start({"seed": "7"})
    open_tab(at, "save")  # AppTest sends no address unless told to
    (box,) = [code.value for code in at.code]
    assert box.startswith("?") and "seed=7" in box
    assert t("share_no_address") in texts(at)


def test_a_pages_own_path_is_kept():
    assert share_link("https://h.example/workshop", {"a": "1"}) == "https://h.example/workshop?a=1"
    assert share_link("https://h.example", {"a": "1"}) == "https://h.example/?a=1"


def test_a_shared_scenario_link_leaves_out_what_the_scenario_owns_and_reopens_quietly():
    """The link of a page with a scenario in force names the scenario, not the settings
    it owns (each would be refused with a warning); reopened, it gives the same setup
    and no warning.  A setting the learner may change in the scenario is still written."""
    from playground.presets import PRESETS

    for name, preset in PRESETS.items():
        if not preset.owns:
            continue
        free = next(p.name for p in params.SETUP if p.name not in preset.owns
                    and p.kind == "stops")
        stop = next(s for s in {p.name: p for p in params.SETUP}[free].choices
                    if s != getattr(preset.config, free))
        link, at = shared_link({"preset": name, free: f"{stop:g}"})
        query = {k: v[-1] for k, v in parse_qs(urlsplit(link).query).items()}
        assert query["preset"] == name and query[free] == f"{stop:g}", (name, query)
        assert not set(preset.owns) & set(query), (name, query)
        link_read, problems = params.parse_link(query)
        assert not problems, (name, problems)
        assert link_read.config == at.session_state["config"], name
        reopened = start(query)
        assert not reopened.warning, (name, [w.value for w in reopened.warning])
        assert reopened.session_state["config"] == at.session_state["config"], name
