"""bp_core: backpropagation you can step through, in plain numpy.

    from bp_core import Network, Stepper, gradcheck
    net = Network([2, 3, 1], activation="tanh", output_activation="sigmoid",
                  loss="quadratic", init="scaled", seed=0)
    r = net.backprop(X, Y)        # zs, activations, deltas, grad_w, grad_b
    s = Stepper(net, X, Y, 0.5)   # one pass, a phase at a time
    record = s.step()             # a PhaseRecord: kind, layer, arrays, activation, η, λ …

See network.py for the notation (z, a, delta, grad_w, grad_b) and its shapes, and
phases.py for the functions of one pass, which backprop, sgd_step, train and the
Stepper all run.
"""

from . import activations, batch, datasets, limits, losses, phases, serialise
from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .budget import Budget, OutOfBudget
from .datasets import Dataset
from .gradcheck import GradcheckResult, gradcheck
from .init import INITS
from .losses import LOSSES
from .network import BackpropResult, Network
from .stepper import Diverged, LayerUpdate, PassSettings, PhaseRecord, Stepper, outline
from .train import History, TrainResult, train

__all__ = ["ACTIVATIONS", "HIDDEN_ACTIVATIONS", "INITS", "LOSSES", "OUTPUT_ACTIVATIONS",
           "BackpropResult", "Budget", "Dataset", "Diverged", "GradcheckResult", "History",
           "LayerUpdate", "Network", "OutOfBudget", "PassSettings", "PhaseRecord", "Stepper",
           "TrainResult", "activations", "batch", "datasets", "gradcheck", "limits", "losses",
           "outline", "phases", "serialise", "train"]
