"""A preemptive chain solved up to a stage: the records a stage's model is rebuilt from
(:func:`~goalprog.solve.stages.stage_model`), taken from a result that has them or from a chain
solved just for them.  Used by export (LP/MPS of one stage) and by ``Problem.to_pulp`` /
``to_pyomo`` (the stage as a library model)."""

from __future__ import annotations

from typing import Callable

__all__ = ["solved_through"]


def solved_through(k: int, level, result, run: Callable, error_type: type, hint: str, suffix: str = ""):
    """``result`` when its stage records hold every level before stage ``k`` (0-based; priority
    ``level``) with its locks, else ``run()`` (the preemptive strategy stopped before stage ``k``)
    when that one does.  Raises ``error_type(message, status, hint=hint)`` naming the level that
    failed, the stage that is then not defined, and ``suffix`` (e.g. "and nothing was written")."""
    from .strategies.common import describe_failure

    def complete(res) -> bool:
        records = tuple(getattr(res, "stage_records", ()) or ()) if res is not None else ()
        return len(records) > k and all(r.locks for r in records[:k])

    if complete(result):
        return result
    result = run()
    if complete(result):
        return result
    failed = result.stages[-1] if result.stages else None
    status = failed.status if failed is not None else result.status
    where = f"priority {failed.name}" if failed is not None else "an earlier level"
    raise error_type(describe_failure(status, where, failed.termination if failed else None)
                     + f", so stage {k + 1} (priority level {level}) is not defined{suffix}", status, hint=hint)
