"""The ``meta_goals:`` section: each entry as a :class:`~goalprog.model.meta.MetaGoal`, its
``level:`` checked against the priority levels the goals use, its name made unique."""

from __future__ import annotations

import numpy as np

from ..meta import MetaGoal, default_name
from .context import CompileContext


def build(ctx: CompileContext) -> None:
    """Set ``ctx.meta_goals``: the compiled meta-goals (``()`` without a ``meta_goals:`` section);
    a ``level:`` no goal uses, or a name given twice, is an issue at its key."""
    ctx.meta_goals = ()
    specs = ctx.spec.meta_goals
    if not specs:
        return
    used = set()
    for b in ctx.goal_blocks:
        for side in ("under", "over"):
            col, prio = np.asarray(b[f"{side}_col"]), np.asarray(b[f"{side}_priority"])
            used.update(int(p) for p in prio[(col >= 0) & (prio > 0)].tolist())
    out, names = [], {}
    for k, m in enumerate(specs):
        path = ("meta_goals", k)
        if m.level is not None and m.level not in used:
            have = ", ".join(str(p) for p in sorted(used)) if used else "none (no goal has a priority)"
            ctx.issues.add(f"level {m.level}: no goal has an unwanted deviation at priority level {m.level}",
                           ctx.doc.location(path + ("level",)),
                           hint=f"the goals' priority levels are: {have}; give one of them, or leave out "
                                "'level' to measure every goal")
            continue
        name = m.name or default_name(m.of, m.level)
        if name in names:
            ctx.issues.add(f"two meta-goals are called {name!r} (entries {names[name] + 1} and {k + 1})",
                           ctx.doc.location(path + ("name",) if m.name else path),
                           hint="give each meta-goal its own 'name:'")
            continue
        names[name] = k
        out.append(MetaGoal(name, m.of, float(m.at_most), int(m.priority), float(m.weight), m.level,
                            ctx.doc.location(path)))
    ctx.meta_goals = tuple(out)
