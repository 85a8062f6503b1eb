"""Normalisation arithmetic on the IR that needs no solver: the unwanted deviations of every goal at
a point, and the warning for goals weighed together whose targets differ by orders of magnitude.

Zero-one normalisation's payoff table, which solves, is :mod:`goalprog.solve.normalize`.
"""

from __future__ import annotations

import numpy as np

from .ir import LinearModel

MAGNITUDE_WARN = 1e3


def unwanted(model: LinearModel, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unwanted (penalised) under- and over-deviations of every goal instance at ``x``."""
    g = model.goals
    value = g.values(x, model.row_activity(x))
    under = np.where(g.under_col >= 0, np.maximum(0.0, g.lower - value), 0.0)
    over = np.where(g.over_col >= 0, np.maximum(0.0, value - g.upper), 0.0)
    under[np.isnan(under)] = 0.0
    over[np.isnan(over)] = 0.0
    return under, over


def magnitude_warnings(model: LinearModel, levels) -> list[str]:
    """Warn when the targets of the goals weighed together in one level differ by orders of
    magnitude and none of them is normalised (their deviations are then not comparable)."""
    g = model.goals
    out = []
    normalised = (g.under_scale != 1.0) | (g.over_scale != 1.0) | g.zero_one
    for level in levels:
        code = 0 if level is None else level
        at = ((g.under_col >= 0) & (g.under_priority == code)) | ((g.over_col >= 0) & (g.over_priority == code))
        if level == "all":
            at = (g.under_col >= 0) | (g.over_col >= 0)
        if at.sum() < 2 or normalised[at].any():
            continue
        t = np.where(np.isinf(g.lower), g.upper, g.lower)[at]
        t = np.abs(t[np.isfinite(t) & (t != 0)])
        if len(t) >= 2 and t.max() > MAGNITUDE_WARN * t.min():  # no division: 1e300 / 1e-300 overflows
            where = "the goals" if level == "all" else f"the goals of priority level {level}"
            out.append(f"{where} have targets from {t.min():.3g} to {t.max():.3g}: their deviations are in units "
                       "that do not compare, so the weights mix apples and oranges; consider normalize: percent "
                       "(or zero_one) in the solve: section")
    return out
