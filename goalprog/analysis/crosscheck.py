"""Cross-checks of goalprog's strategies against an independent implementation.

:func:`native_lexicographic` solves a preemptive goal program with HiGHS's own lexicographic
multi-objective mode instead of goalprog's level-by-level chain
(:mod:`goalprog.solve.strategies.preemptive`), so the two can be compared level by level.  The test
suite does so for every shipped preemptive example (``tests/analysis/test_crosscheck.py``).
The same check with Gurobi's and CPLEX's native hierarchies, and one entry point for all three
solvers (``native_levels(model, solver)``), is :mod:`goalprog.analysis.crosscheck_native`.
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ArgumentError, BackendError, SolverError
from ..model.ir import LinearModel
from ..solve.achievement import achievement
from ..solve.strategies.common import SLACK_ABS

__all__ = ["native_lexicographic"]

DEFAULT_ABS_TOL = SLACK_ABS
"""HiGHS ``abs_tolerance`` of every level: goalprog's absolute lock slack of the slack option (1e-5).
goalprog's default chain is exact (no slack); compare it with this function's values allowing
for the slack, or pass ``abs_tol=0``."""

DEFAULT_REL_TOL = 1.0
"""HiGHS ``rel_tolerance`` of every level (see :func:`native_lexicographic` for why 1.0)."""


def native_lexicographic(model: LinearModel, abs_tol: float = DEFAULT_ABS_TOL,
                         rel_tol: float = DEFAULT_REL_TOL) -> list[float]:
    """Solve ``model`` with HiGHS's native lexicographic mode; the value of each priority level.

    **What is built.**  One ``highspy.Highs`` holds the model exactly as the ``highs`` backend
    loads it: ``n_cols`` columns with bounds ``col_lower``/``col_upper`` (``+-inf`` mapped to
    ``+-kHighsInf``) and integrality from ``col_integer``; ``n_rows`` rows passed row-wise from the
    CSR arrays ``indptr`` (``n_rows + 1``), ``indices``/``data`` (``nnz``) with bounds
    ``row_lower``/``row_upper``.  No lock rows are added by goalprog.  Then, for each level of
    :meth:`LinearModel.priorities` (most important first, ``k = 0 .. L-1``), one
    ``HighsLinearObjective`` is added with

    * ``coefficients``: the level's achievement function ``h_l`` from
      :func:`goalprog.solve.achievement.achievement` as a dense ``float64[n_cols]`` vector (``offset`` its
      constant), negated for a level of ``maximize`` objectives (``Objective.sense == "max"``) so
      that every level is *minimised*;
    * ``weight = 1.0``: in lexicographic mode HiGHS uses only the weight's sign (positive:
      minimise, negative: maximise); it does not scale the coefficients or the tolerances;
    * ``priority = L - k``: HiGHS optimises the *largest* priority value first, and priorities
      must be distinct;
    * ``abs_tolerance = abs_tol``, ``rel_tolerance = rel_tol`` (both must be ``>= 0``).

    ``blend_multi_objectives`` is set to false, ``mip_rel_gap`` and ``mip_abs_gap`` to 0, and
    HiGHS is run once.  Output is off.

    **What HiGHS does** (``Highs::multiobjectiveSolve`` in ``highs/lp_data/HighsInterface.cpp``
    of HiGHS 1.x; the HiGHS guide, "Further features / Multi-objective optimization"): it
    minimises the objectives in decreasing priority; after each one (except the last) it reads
    ``f* = info.objective_function_value`` (offset included) and adds the row::

        c . x  <=  min(f* + abs_tolerance,  f* + rel_tolerance * |f*|)  - offset

    written in the source as ``f*(1 + rel)`` for ``f* >= 0`` and ``f*(1 - rel)`` for ``f* < 0``.
    A negative tolerance drops that term; with both negative no row is added at all (the level
    is then not locked), which is why both must be non-negative here.  For a MIP the previous
    level's solution is handed to the next solve as a start.  If a level does not end
    ``kOptimal`` HiGHS stops there; this function then raises :class:`~goalprog.core.errors.SolverError`.
    Before ``run()`` returns, the lock rows are deleted and ``objective_function_value`` is reset
    to 0, so level values are recomputed here from the solution (that of the last level).  The
    behaviour described was read in the HiGHS source and checked against highspy 1.16.

    **Why these tolerances.**  goalprog locks a level with slack ``max(abs_tol, rel_tol*|h*|)``
    (defaults 1e-5 and 1e-9), and with no slack at all (``h <= 0``) when the level is fully
    achieved.  HiGHS takes the *smaller* of its two terms, so it cannot reproduce a ``max``;
    the defaults here, ``abs_tolerance = 1e-5`` (goalprog's absolute slack) and
    ``rel_tolerance = 1.0``, give a HiGHS slack of ``min(1e-5, |f*|)``:

    * ``1e-5``, the same as goalprog, whenever ``1e-5 <= |f*| <= 1e4``;
    * ``0`` when ``f* == 0``, the same exact lock goalprog uses for a fully achieved level
      (``rel_tolerance = 0`` would make *every* lock exact: ``min(f* + a, f*) = f*`` - a lock
      that round-off in ``f*`` can make infeasible, see ``tests/solve/test_lock_and_status.py``);
    * smaller than goalprog's for ``|f*| > 1e4`` (goalprog's relative term ``1e-9*|f*|`` wins
      there) and for ``0 < |f*| < 1e-5`` (goalprog uses ``1e-5`` unless every deviation is
      exactly 0).

    So each HiGHS lock is at most as loose as goalprog's lock at the same ``f*`` (apart from
    round-off in ``f*`` itself), and the two chains differ only through the lock slacks.  Level 1
    is the same problem in both, so its value agrees to solver accuracy (for a MIP both run
    at a MIP gap of 0, relative and absolute: HiGHS's default 1e-4 could stop a level short of
    its optimum and call it optimal, see docs/methods.md, "Proven optimal").  A later level ``l``
    can differ from goalprog's
    stage value by about ``sum_k lambda_k * s_k`` (to first order) over the earlier levels ``k``, where ``s_k``
    is goalprog's lock slack and ``lambda_k`` the marginal rate at which giving up level ``k``
    improves level ``l`` (a dual value of the lock row, for an LP), plus the slack of level ``l``
    itself, since HiGHS's value is read off the *final* solution, which may use up to ``s_l`` of
    it.  Compare with a tolerance of that size (``tests/analysis/test_crosscheck.py``).

    Returns one float per level of ``model.priorities()``, in that order: ``h_l`` evaluated at
    HiGHS's final solution ``x`` with the level's objective vector (constant included), in the
    level's own sense and units - the sum of weighted unwanted deviations (minus weighted
    maximised expressions) for a minimised level, the weighted sum of the maximised
    expressions for a level of ``maximize`` objectives.  Compare it with goalprog's
    ``stage_value`` (``result.levels``: the optimum of that level's own solve), allowing for the
    slacks as above.  It is read off the deviation *columns*, which a final solution need not
    keep tight (an ``at_most`` goal's row only says ``p >= a.x - target``), so it can also exceed
    goalprog's ``achievement`` column, recomputed from the plan, by up to the level's slack.
    A model with no priority levels gives ``[]``.

    Raises :class:`~goalprog.core.errors.BackendError` when highspy is missing or rejects the model,
    :class:`~goalprog.core.errors.SolverError` when HiGHS does not finish every level optimal (with the
    model status in the message), :class:`~goalprog.core.errors.ArgumentError` (a ``ValueError``) for
    a negative or non-finite tolerance or a model with zero-one normalised goals.

    **Scope.**  This mirrors goalprog's default preemptive chain: each level's weighted
    achievement function and one lock row per level.  Other chain settings of goalprog (a
    Chebyshev or extended achievement for a level, one lock per goal, zero-one normalisation
    from a payoff table, which is refused here) change what is minimised or locked, so values
    are then not comparable with this function's.

    Reference: HiGHS documentation, "Multi-objective optimization" (``HighsLinearObjective``,
    ``addLinearObjective``, option ``blend_multi_objectives``), https://ergo-code.github.io/HiGHS/,
    and its source, ``Highs::multiobjectiveSolve`` (github.com/ERGO-Code/HiGHS).
    """
    for name, tol in (("abs_tol", abs_tol), ("rel_tol", rel_tol)):
        if not np.isfinite(tol) or tol < 0:
            raise ArgumentError(f"{name} must be a finite number >= 0 (HiGHS ignores a negative one), not {tol!r}")
    try:
        import highspy
    except ImportError as exc:  # pragma: no cover - highspy is a dependency
        raise BackendError(f"highspy is not installed ({exc})") from exc
    from ..solve.backends.base import check_model_numbers, check_objective_numbers, new_highs
    from ..solve.backends.highs_backend import highs_lp

    zero_one = getattr(model.goals, "zero_one", None)
    if zero_one is not None and np.any(zero_one):
        raise ArgumentError("some goals are zero-one normalised: their scales come from a payoff table at solve "
                            "time, so this model's achievement functions are not the ones goalprog minimises",
                            hint="cross-check a model without zero-one normalisation, or one with its scales filled in")
    levels = model.priorities()
    if not levels:
        return []
    objectives = [achievement(model, level) for level in levels]
    check_model_numbers(model)  # the guard every backend passes (a subnormal cost crashes HiGHS)
    for objective in objectives:
        check_objective_numbers(model, objective)

    h = new_highs(False)
    n = model.n_cols
    lp = highs_lp(model.col_lower, model.col_upper, model.col_integer, model.indptr, model.indices, model.data,
                  model.row_lower, model.row_upper)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise BackendError("HiGHS rejected the model")
    h.setOptionValue("blend_multi_objectives", False)
    for gap in ("mip_rel_gap", "mip_abs_gap"):  # proven levels, as goalprog's own chain (docs/methods.md)
        h.setOptionValue(gap, 0.0)

    for k, objective in enumerate(objectives):
        sign = -1.0 if objective.sense == "max" else 1.0
        coefs = np.zeros(n)
        np.add.at(coefs, objective.vector.indices, sign * objective.vector.coefs)
        obj = highspy.HighsLinearObjective()
        obj.weight = 1.0
        obj.offset = sign * objective.vector.constant
        obj.coefficients = coefs
        obj.abs_tolerance = float(abs_tol)
        obj.rel_tolerance = float(rel_tol)
        obj.priority = len(levels) - k
        if h.addLinearObjective(obj) == highspy.HighsStatus.kError:
            raise BackendError(f"HiGHS rejected the objective of priority level {levels[k]}")

    run_status = h.run()
    status = h.getModelStatus()
    if run_status == highspy.HighsStatus.kError or status != highspy.HighsModelStatus.kOptimal:
        raise SolverError(f"HiGHS's lexicographic solve of {model.name!r} ended {h.modelStatusToString(status)} "
                          f"(run returned {run_status}); every level must be optimal to compare level values")
    x = np.asarray(h.getSolution().col_value, dtype=np.float64)
    return [objective.vector.value(x) for objective in objectives]
