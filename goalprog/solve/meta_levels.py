"""The per-level rows of a meta-goal result (methods ``meta`` and ``fewest_unmet``).

A meta-goal method is a preemptive chain over the meta-goals (Rodríguez Uría, Caballero, Ruiz &
Romero, "Meta-goal programming", *European Journal of Operational Research* 136 (2002) 422-429):
its priority levels are the meta-goals' priorities, and a level's achievement is the weighted sum
of its meta-goals' unwanted deviations, ``sum_q weight_q * max(0, achieved_q - at_most_q)``, with
``achieved_q`` recomputed from the final plan (:attr:`Result.meta <goalprog.solve.results.Result.meta>`).
:meth:`Result.level_values <goalprog.solve.results.Result.level_values>` gives these rows, so the
levels DataFrame, the JSON ``levels`` and the Python list agree with the meta-goal table.
"""

from __future__ import annotations

import math

from ..core.status import Status

__all__ = ["level_row", "meta_level_values"]


def meta_level_values(result) -> list[dict]:
    """One dict per meta priority level (ascending), with the keys of
    :meth:`~goalprog.solve.results.Result.level_values`: ``achievement`` as above (``None``
    without a plan), ``stage_value`` and the solve's bound, gap, status and lock from the chain's
    stage of that level, ``goals`` the level's meta-goal names.  ``lock_binding`` is ``None``
    (the lock rows are the derived model's, not the result's)."""
    rows = result.meta.goals
    by_priority = {s.priority: s for s in result.stages if s.name.startswith("level")}
    out = []
    for level in sorted({r["priority"] for r in rows}):
        mine = [r for r in rows if r["priority"] == level]
        value = None
        if result.x is not None and all(r["achieved"] is not None for r in mine):
            value = math.fsum(r["weight"] * max(0.0, r["achieved"] - r["at_most"]) for r in mine)
        stage = by_priority.get(level)
        out.append(level_row(level, "min", value, stage, None, ", ".join(r["name"] for r in mine)))
    return out


def level_row(level, sense: str, achievement, stage, binding, goals: str) -> dict:
    """One row of :meth:`~goalprog.solve.results.Result.level_values`: the level, its sense and
    achievement, ``stage``'s (a :class:`~goalprog.solve.results.StageResult` or ``None``) value,
    bound, gap, status, lock and trade-off note, ``binding`` (whether the lock is binding, or
    ``None``) and ``goals`` (the level's goal names, comma-separated)."""
    return {
        "level": level,
        "sense": sense,
        "achievement": achievement,
        "stage_value": stage.objective if stage else None,
        "bound": stage.bound if stage else None,
        "gap": stage.gap if stage else None,
        "status": stage.status.value if stage else Status.NOT_SOLVED.value,
        "lock": stage.lock if stage else None,
        "lock_sense": stage.lock_sense if stage else None,
        "lock_binding": binding,
        "lock_style": stage.lock_style if stage else None,
        "shadow_price": stage.lock_dual if stage else None,
        "trade_off_note": stage.trade_off_note if stage else None,
        "improved": stage.improved if stage else None,
        "goals": goals,
    }
