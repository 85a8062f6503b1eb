"""Why are the hard constraints infeasible?  A small conflicting subset, named in the user's terms.

Goal rows can always be satisfied (their deviation variables absorb any gap), so an infeasible goal
program is infeasible in its hard constraints and variable bounds.  :func:`explain_infeasible`
loads only those into HiGHS and asks for an irreducible infeasible subset (IIS: removing any one
member makes the rest feasible; Chinneck, *Feasibility and Infeasibility in Optimization*, 2008).
Where HiGHS finds none (e.g. a MIP whose LP relaxation is feasible), an elastic relaxation is
solved instead: every hard row gets slack on both sides and the total violation is minimised;
the rows that must be violated, and by how much, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backends.base import new_highs
from ..model.ir import ROLE_DECISION, LinearModel


@dataclass(frozen=True)
class Conflict:
    """``constraints``: labels of conflicting hard constraints; ``bounds``: labels of variables
    whose bounds take part; ``violations``: minimum violation per constraint (elastic method
    only); ``method``: ``"iis"`` or ``"elastic"``."""

    constraints: tuple[str, ...]
    bounds: tuple[str, ...]
    violations: tuple[float, ...] = ()
    method: str = "iis"

    def describe(self) -> str:
        """One sentence naming the conflicting constraints (and bounds)."""
        if not self.constraints and not self.bounds:
            return "the hard constraints cannot all hold together (no small conflicting subset was found)"
        if self.method == "iis":
            names = list(self.constraints)
            if self.bounds:
                names.append("the bounds of " + ", ".join(self.bounds))
            what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            return (f"the hard constraints cannot all hold together: {what} conflict (an irreducible infeasible "
                    "subset: without any one of them the rest can hold)")
        items = [f"{c} (by {v:.6g})" for c, v in zip(self.constraints, self.violations)]
        return ("the hard constraints cannot all hold together: the least total violation breaks "
                + ", ".join(items))

    def hint(self) -> str | None:
        if not self.constraints:
            return None
        return (f"turn one of them into a goal (e.g. move '{self.constraints[0].split('[')[0]}' from "
                "constraints: to goals: with a target) so that it may be missed, or check the data")


def _hard_highs(model: LinearModel, extra_cols: int = 0):
    import highspy

    h = new_highs(False)
    dec = np.flatnonzero(model.col_role == ROLE_DECISION)
    inf = highspy.kHighsInf
    lo = np.where(np.isinf(model.col_lower[dec]), -inf, model.col_lower[dec])
    hi = np.where(np.isinf(model.col_upper[dec]), inf, model.col_upper[dec])
    h.addVars(len(dec), lo, hi)
    pos = -np.ones(model.n_cols, dtype=np.int64)
    pos[dec] = np.arange(len(dec))
    return h, dec, pos, inf


def explain_infeasible(model: LinearModel) -> Conflict | None:
    """A :class:`Conflict` for an infeasible model, or ``None`` if the hard part is feasible."""
    import highspy

    h, dec, pos, inf = _hard_highs(model)
    rows = []
    for i in range(model.n_hard):
        idx, val = model.row(i)
        cols = pos[idx]
        lo = -inf if np.isinf(model.row_lower[i]) else model.row_lower[i]
        hi = inf if np.isinf(model.row_upper[i]) else model.row_upper[i]
        h.addRow(lo, hi, len(cols), cols.astype(np.int32), val.astype(np.float64))
        rows.append(i)
    if model.col_integer[dec].any():
        h.changeColsIntegrality(len(dec), np.arange(len(dec), dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                                          for b in model.col_integer[dec]]))
    h.setOptionValue("iis_strategy", 6)  # from the LP, made irreducible
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return None
    try:
        ok, iis = h.getIis()
        valid = bool(iis.valid_) and (len(iis.row_index_) or len(iis.col_index_))
    except Exception:  # pragma: no cover - older highspy without IIS
        valid = False
    if valid:
        cons = tuple(model.row_origin[rows[i]].label for i in iis.row_index_)
        bounds = tuple(model.col_origin[dec[j]].label for j, st in zip(iis.col_index_, iis.col_bound_)
                       if int(st) not in (0, 1))  # 0 dropped, 1 null/free: not part of the conflict
        return Conflict(cons, bounds, (), "iis")
    return _elastic(model)


def _elastic(model: LinearModel) -> Conflict:
    """Minimum total violation of the hard rows (both sides elastic), variables' bounds kept."""
    import highspy

    h, dec, pos, inf = _hard_highs(model)
    m = model.n_hard
    n = len(dec)
    # slack columns: e_plus (row may rise above its upper bound), e_minus (fall below its lower)
    h.addVars(2 * m, np.zeros(2 * m), np.full(2 * m, inf))
    h.changeColsCost(2 * m, np.arange(n, n + 2 * m, dtype=np.int32), np.ones(2 * m))
    for i in range(m):
        idx, val = model.row(i)
        cols = np.concatenate([pos[idx], [n + 2 * i, n + 2 * i + 1]]).astype(np.int32)
        vals = np.concatenate([val, [-1.0, 1.0]])
        lo = -inf if np.isinf(model.row_lower[i]) else model.row_lower[i]
        hi = inf if np.isinf(model.row_upper[i]) else model.row_upper[i]
        h.addRow(lo, hi, len(cols), cols, vals)
    if model.col_integer[dec].any():
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                                          for b in model.col_integer[dec]]))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return Conflict((), (), (), "elastic")
    x = np.asarray(h.getSolution().col_value)
    slack = x[n:].reshape(m, 2).sum(axis=1)
    broken = [i for i in range(m) if slack[i] > 1e-7]
    return Conflict(tuple(model.row_origin[i].label for i in broken), (), tuple(float(slack[i]) for i in broken),
                    "elastic")
