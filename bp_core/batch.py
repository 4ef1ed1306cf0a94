"""The one check of a batch (X, Y) before the engine uses it.

Every entry point that takes examples passes through ``check_batch`` (targets) or
``as_batch`` (inputs alone): ``Network.batch``, and through it backprop, loss,
sgd_step, the Stepper, gradcheck and train (which checks the whole data set once,
then steps through slices of it unchecked).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray


def as_batch(X: object, n_features: int, name: str = "X") -> Array:
    """X as a float64 array of shape (n, n_features), n ≥ 1; else ValueError.

    A 1-D X is taken as n examples of one feature when n_features is 1.  An X that is
    already float64 is returned as it is, not copied.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1 and n_features == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (n, {n_features}), got {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} holds no examples")
    return X


def check_batch(X: object, Y: object, n_in: int, n_out: int,
                check_targets: Callable[[Array], None] | None = None) -> tuple[Array, Array]:
    """X as (n, n_in) and Y as (n, n_out), both float64; ValueError otherwise.

    ``check_targets(Y)``, when given (a loss's ``check_targets``), refuses targets the
    loss is not defined for: log_likelihood takes only probability rows.
    """
    X = as_batch(X, n_in)
    Y = as_batch(Y, n_out, "Y")
    if X.shape[0] != Y.shape[0]:  # numpy would broadcast one row of Y silently
        raise ValueError(f"X has {X.shape[0]} examples but Y has {Y.shape[0]}")
    if check_targets is not None:
        check_targets(Y)
    return X, Y
