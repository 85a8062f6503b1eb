"""Meta-goal programming (Rodríguez Uría, Caballero, Ruiz & Romero, "Meta-goal programming",
*European Journal of Operational Research* 136 (2002) 422-429): the file's ``meta_goals:`` solved
as a goal programme over measures of the goals' unwanted deviations (``total``, ``worst``,
``unmet``), lexicographic by the meta-goals' priorities and weighted within a level.

:func:`goalprog.solve.metagoals.meta_model` writes the meta-goals as the goals of a derived model;
the exact preemptive chain (:mod:`.preemptive`) solves it on any backend; the result is then
reported on the original goals, with the meta-goals' achieved values in ``Result.meta``.
"""

from __future__ import annotations

from dataclasses import replace

from ..backends.base import Backend, SolveOptions
from ...core.errors import ProblemFileError
from ...model.ir import LinearModel
from ..results import Result
from .common import LockTolerance, Settings


def solve_meta(model: LinearModel, backend: Backend, options: SolveOptions, lock, accept_feasible, settings,
               metas, method: str) -> Result:
    """Solve ``model`` by the meta-goals ``metas`` (:class:`~goalprog.model.meta.MetaGoal`) and
    return a :class:`~goalprog.solve.results.Result` of method ``method`` on ``model`` with
    ``meta`` set (:class:`~goalprog.solve.metagoals.MetaReport`).  Raises
    :class:`~goalprog.core.errors.ProblemFileError` for an ``unmet`` meta-goal whose goals'
    deviations have no bound."""
    from ..metagoals import meta_model, report
    from ..normalize import zero_one_scales
    from . import preemptive

    settings = settings or Settings()
    warnings = []
    model, w = zero_one_scales(model, backend, options)
    warnings.extend(w)
    levels = [p for p in model.priorities() if p is not None]
    if len(levels) > 1 and all(q.level is None for q in metas):  # a meta-goal's level: uses them
        warnings.append(f"the {method} method ignores priorities ({len(levels)} levels given); its meta-goals "
                        "measure every goal's unwanted deviation together")
    if model.objectives:
        names = ", ".join(dict.fromkeys(o.origin.name for o in model.objectives))
        warnings.append(f"meta-goal programming measures goals' deviations only; the plain objectives "
                        f"({names}) are left out")
    if settings.pareto != "off":
        warnings.append("pareto applies to the goals of a weighted or preemptive solve; the meta-goal method "
                        "ignores it")
    derived, used = meta_model(model, metas)
    inner = preemptive.run(derived, backend, options, lock, accept_feasible,
                           replace(settings, pareto="off", levels={}, rates="off"))
    # the inner chain's checks of its goals (the meta-goals) say nothing useful; the model's own do
    from ..checks import model_warnings
    from ...model.lint import decided_goals, level_warnings

    drop = set(decided_goals(derived)) | set(level_warnings(derived, list(derived.priorities())))
    warnings = list(dict.fromkeys(warnings + model_warnings(model, ["all"])
                                  + [w for w in inner.warnings if w not in drop]))
    n = model.n_cols
    x = None if inner.x is None else inner.x[:n]
    result = Result(model, method, backend.name, inner.status, inner.stages, x, inner.message,
                    tuple(warnings), lock_abs_tol=inner.lock_abs_tol,
                    lock_rel_tol=inner.lock_rel_tol, conflict=inner.conflict)
    return replace(result, meta=report(model, result.x, metas, used))


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` by its ``meta_goals`` (``model.meta_goals``); raises
    :class:`~goalprog.core.errors.ProblemFileError` when it has none."""
    if not model.meta_goals:
        raise ProblemFileError("method meta solves the problem file's meta_goals: section, and this file has none",
                               hint="add meta_goals: [{of: unmet, at_most: 0, priority: 1}, ...], or use "
                                    "method fewest_unmet")
    return solve_meta(model, backend, options, lock, accept_feasible, settings, model.meta_goals, "meta")
