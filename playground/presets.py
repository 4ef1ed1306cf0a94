"""The presets (``?preset=NAME``): a setup, a starting network, and what to look for.

Three words name three things, and they are easy to mix up:
  - a *preset* is the data here (``Preset``) and the URL parameter ``?preset=NAME``:
    the setup it sets, its starting network, the settings it owns;
  - a *scenario* is what the learner sees of a preset while it is in force: the box
    of text and its picture above the steps (workshop_view.scenario_ui).  "The
    scenario in force" is the session's ``preset`` (playground.session);
  - *workshop* is a mode (``?mode=workshop``, one of the pages): the play page with a
    prediction asked before each backward phase.  A preset opens in any mode; its
    scenario box is shown on the play and workshop pages.

Each preset is plain data: the Config it sets, an optional function that builds
the starting network (Mazur's post fixes its weights), whether biases are
updated, the picture the scenario box draws, and the settings it owns.

A preset owns the settings its picture and its text depend on (Mazur's numbers
need his network; the digits' weight images need 64 inputs; "a deep sigmoid
network" must stay one).  A link that sets an owned parameter is refused with a
warning; changing an owned control leaves the scenario, with a note.  The other
settings are the learner's to explore within the scenario.  The texts live in the
language catalogues under ``preset_<name>_title`` and ``preset_<name>_text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bp_core import Network, datasets

from .config import Config


@dataclass(frozen=True)
class Preset:
    name: str
    config: Config
    network: Callable[[], Network] | None = None
    update_biases: bool = True
    picture: str = ""  # which scenario panel to draw: see workshop_view.scenario_ui
    owns: tuple[str, ...] = ()  # Config fields the scenario fixes (see the module doc)
    # What the scenario box asks the learner to do, after its text: (locale key, the
    # controls of params.CONTROLS it needs).  Each is shown only while its controls are
    # neither locked nor hidden (playground.controls), so ?hide=train leaves no "press Train".
    tries: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def conflicts(self, config: Config) -> list[str]:
        """The owned fields on which ``config`` differs from this scenario's setup."""
        return [name for name in self.owns
                if getattr(config, name) != getattr(self.config, name)]

    def refuse_owned(self, query: dict) -> tuple[dict, list]:
        """The link's parameters without the ones this scenario owns, and a Problem
        (as in playground.config) for each owned one the link tried to set."""
        problems = [(name, "preset_owns", {"preset": self.name})
                    for name in self.owns if name in query]
        return {k: v for k, v in query.items() if k not in self.owns}, problems


# A preset with its own starting network owns everything that shapes a network.
NETWORK_FIELDS = ("data", "hidden", "act", "out", "loss", "init", "seed")


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset(
            "mazur",
            Config(
                data="mazur",
                hidden=(2,),
                act="sigmoid",
                out="sigmoid",
                loss="quadratic",
                init="normal",
                lr=0.5,
                batch=1,
                seed=0,
                epochs=100,
            ),
            network=datasets.mazur_network,
            update_biases=False,
            picture="mazur",
            owns=NETWORK_FIELDS,
        ),
        Preset(
            "xor",
            Config(
                data="xor",
                hidden=(2,),
                act="sigmoid",
                out="sigmoid",
                loss="cross_entropy",
                init="normal",
                lr=2.0,
                batch=8,
                seed=1,
                epochs=150,
            ),
            picture="boundary",
            owns=("data", "hidden", "act", "out"),  # its text: "a 2-2-1 sigmoid network"
            tries=(("preset_xor_try_train", ("train",)), ("preset_xor_try_seed", ("seed",))),
        ),
        Preset(
            "vanishing",
            Config(
                data="circle",
                hidden=(8, 8, 8, 8, 8),
                act="sigmoid",
                out="sigmoid",
                loss="quadratic",
                init="normal",
                lr=0.5,
                batch=16,
                seed=0,
                epochs=30,
            ),
            picture="gradient_sizes",
            owns=("act", "hidden"),
        ),
        Preset(
            "diverge",
            Config(
                data="sine",
                hidden=(16,),
                act="relu",
                out="linear",
                loss="quadratic",
                init="he",
                lr=5.0,
                batch=16,
                seed=0,
                epochs=30,
            ),
            picture="diverge",
            owns=("data", "hidden", "act", "out"),
            tries=(("preset_diverge_try_train", ("train",)),),
        ),
        Preset(
            "dead_relu",
            Config(
                data="moons",
                hidden=(16, 16),
                act="relu",
                out="sigmoid",
                loss="cross_entropy",
                init="he",
                lr=20.0,
                batch=16,
                seed=0,
                epochs=20,
            ),
            picture="dead_units",
            # The data too: "many units die" is checked on the moons (tests/test_scenarios.py).
            owns=("data",),
            tries=(("preset_dead_relu_try_train", ("train",)),
                   ("preset_dead_relu_try_lr", ("train", "lr")),
                   ("preset_dead_relu_try_act", ("train", "act"))),
        ),
        Preset(
            "slowdown",
            Config(
                data="gaussian",
                hidden=(),
                act="sigmoid",
                out="sigmoid",
                loss="quadratic",
                init="normal",
                lr=0.2,
                batch=8,
                seed=0,
                epochs=50,
            ),
            picture="slowdown",
        ),
        Preset(
            "digits",
            Config(
                data="digits",
                hidden=(30,),
                act="sigmoid",
                out="sigmoid",
                loss="cross_entropy",
                init="scaled",
                lr=0.5,
                batch=10,
                seed=0,
                epochs=10,
            ),
            picture="weight_images",
            owns=("data", "hidden", "act"),
            tries=(("preset_digits_try_train", ("train",)),),
        ),
    ]
}

# Nielsen, "Neural Networks and Deep Learning", chapter 3, "The cross-entropy cost
# function": one sigmoid neuron, input x = 1, target y = 0, trained from (w, b) = (0.6, 0.9)
# (it learns at once) and from (2, 2) (badly wrong and saturated, so the quadratic cost
# learns slowly at first), with η = 0.15 for the quadratic cost and η = 0.005 for
# cross-entropy, as in the book, for 300 epochs, as his graphs run.
SLOWDOWN = {
    "x": 1.0,
    "y": 0.0,
    "starts": ((0.6, 0.9), (2.0, 2.0)),
    "learning_rates": {"quadratic": 0.15, "cross_entropy": 0.005},
    "epochs": 300,
}
