"""The "fixed model" polish of a preemptive MIP chain: exact level values for the chain's integer assignment.

A MIP level whose achievement need not be whole is locked at its optimum plus the slack of the
MIP feasibility tolerance (``h_l <= h_l* + 1e-5 * max_j |c_j|``; docs/methods.md "locks"), and
the continuous columns of later levels spend that slack: the plan carries lock noise (a level at
4.00001 next to its own lock ``<= 4``).  After the chain, as CPLEX and Gurobi do before they
report a MIP's duals (the *fixed model*: every integer column fixed at its value in the
incumbent; Gurobi's ``model.fixed()``, CPLEX's ``CPXchgprobtype(..., CPXPROB_FIXEDMILP)``), the
chain is run again as an LP with every integer column fixed at its rounded value in the final
plan, with the exact locks of the LP path (optimal face plus guard row).

That LP chain is feasible (the final plan is a point of it) and lexicographically no worse than
the MIP plan: its level 1 is at least the proven MIP optimum (it optimises over a subset of the
MIP's plans) and at most the final plan's level 1 (a point of its feasible set), and so on down
the levels; its values are exact for that integer assignment.  When it ends optimal its plan and
level values replace the MIP chain's, and each level's lock rows are re-bounded at the polished
value (so :mod:`goalprog.solve.alternatives` ranges over the polished plans); the MIP levels'
bounds (their proofs) are kept.  When it does not, the MIP plan stays and each level's message
says why.  Cost: one LP chain on the model with the integers fixed (see docs/methods.md).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...core.status import Status
from ...model.ir import LinearModel, frozen_array

__all__ = ["fixed_model", "needs_polish", "polish"]


def needs_polish(model: LinearModel, lock, settings, status: Status, x) -> bool:
    """True when a finished MIP chain is polished: exact locks, the chain ended optimal with every
    level solved, and the model has a continuous column (with only integer columns every value
    is exact already)."""
    if not model.is_mip or not lock.exact or status is not Status.OPTIMAL or x is None:
        return False
    if settings.stop_at is not None:
        return False
    return bool((~np.asarray(model.col_integer, dtype=bool)).any())


def fixed_model(model: LinearModel, x) -> LinearModel:
    """``model`` with every integer column fixed at its rounded value in ``x`` (shape (n,), at
    least ``model.n_cols`` entries) and no integer column left: an LP."""
    ints = np.asarray(model.col_integer, dtype=bool)
    lo = np.array(model.col_lower, dtype=np.float64)
    hi = np.array(model.col_upper, dtype=np.float64)
    v = np.round(np.asarray(x, dtype=np.float64)[:model.n_cols][ints])
    lo[ints] = v
    hi[ints] = v
    goals = model.goals
    if goals.zero_one is not None and goals.zero_one.any():  # scales already filled in: keep them
        goals = replace(goals, zero_one=frozen_array(np.zeros(len(goals.zero_one), dtype=bool), bool))
    return replace(model, col_lower=frozen_array(lo, np.float64), col_upper=frozen_array(hi, np.float64),
                   col_integer=frozen_array(np.zeros(model.n_cols, dtype=bool), bool), goals=goals)


def polish(run, scaled: LinearModel, x, stages, records, locks, lock_spans, backend, options, lock, settings):
    """Run the LP chain of ``scaled`` (the chain's model before any min-max column) with its integers
    fixed at ``x``; returns ``(x, stages, records, locks)``, polished when the LP chain ended optimal,
    else the inputs with a note on each stage.  ``run``: the preemptive chain function."""
    inner_settings = replace(settings, pareto="off", rates="off", progress=None, stop_at=None, resume=None,
                             accept_feasible=False)
    why = None
    try:
        inner = run(fixed_model(scaled, x), backend, options, lock, False, inner_settings)
    except Exception as exc:  # noqa: BLE001 -- a failed polish must not lose the MIP plan
        inner, why = None, f"{type(exc).__name__}: {exc}"
    if inner is not None and (inner.status is not Status.OPTIMAL or inner.x is None
                              or len(inner.stages) != len(stages) or len(inner.x) != len(x)):
        why = f"it ended {inner.status.value}" + (f" ({inner.message})" if inner.message else "")
    if why is not None:
        note = ("not polished: the LP chain with the integers fixed at this plan (which would remove the MIP "
                f"lock tolerance from the values) {why}; the values carry the MIP lock slack")
        return x, [replace(s, message=(s.message + "; " if s.message else "") + note) for s in stages], records, locks
    new_stages = []
    for s, p in zip(stages, inner.stages):
        # ``improved`` stays the MIP chain's: with the integers fixed a later level cannot move them
        changes = dict(objective=p.objective)
        if s.lock is not None and p.lock is not None:
            changes.update(lock=p.lock, lock_slack=p.lock_slack)
        new_stages.append(replace(s, **changes))
    new_records, new_locks = [], []
    for r, p in zip(records, inner.stage_records):
        rows = r.locks
        if len(p.locks) == len(r.locks) and all(a.name == b.name for a, b in zip(p.locks, r.locks)):
            rows = tuple(replace(a, lower=b.lower, upper=b.upper) for a, b in zip(r.locks, p.locks))
        new_records.append(replace(r, value=p.value, locks=rows, guard=p.guard if rows is not r.locks else r.guard))
        new_locks.extend(rows)
    if len(new_locks) != len(locks):  # cannot happen: each record keeps its count of rows
        new_locks = list(locks)
    return np.asarray(inner.x, dtype=np.float64), new_stages, new_records, new_locks
