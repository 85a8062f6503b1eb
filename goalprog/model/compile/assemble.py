"""The frozen :class:`~goalprog.model.ir.LinearModel` of what the builders wrote into the context."""

from __future__ import annotations

import numpy as np

from ..expr.values import EMPTY_F, EMPTY_I
from ..ir import GoalTable, LinearModel, Origins, frozen_array
from .context import CompileContext


def assemble(ctx: CompileContext) -> LinearModel:
    """The frozen model of everything the builders wrote into ``ctx``."""
    if ctx.col_blocks:
        lower = np.concatenate([b[0] for b in ctx.col_blocks])
        upper = np.concatenate([b[1] for b in ctx.col_blocks])
        integer = np.concatenate([np.full(len(b[0]), b[2]) for b in ctx.col_blocks])
        role = np.concatenate([np.full(len(b[0]), b[3], dtype=np.int8) for b in ctx.col_blocks])
    else:
        lower = upper = EMPTY_F
        integer = np.zeros(0, dtype=bool)
        role = np.zeros(0, dtype=np.int8)
    ptrs, cols, vals, rlo, rhi = [np.zeros(1, dtype=np.int64)], [], [], [], []
    offset = 0
    for indptr, c, v, lo, hi in ctx.row_blocks:
        ptrs.append(indptr[1:] + offset)
        offset += int(indptr[-1])
        cols.append(c)
        vals.append(v)
        rlo.append(lo)
        rhi.append(hi)
    indptr = frozen_array(np.concatenate(ptrs), np.int64)
    indices = frozen_array(np.concatenate(cols) if cols else EMPTY_I, np.int64)
    data = frozen_array(np.concatenate(vals) if vals else EMPTY_F, np.float64)
    return LinearModel(
        name=ctx.spec.name or "goal_program",
        description=ctx.spec.description,
        col_lower=frozen_array(lower, np.float64),
        col_upper=frozen_array(upper, np.float64),
        col_integer=frozen_array(integer, bool),
        col_role=frozen_array(role, np.int8),
        col_origin=ctx.col_origin,
        indptr=indptr,
        indices=indices,
        data=data,
        row_lower=frozen_array(np.concatenate(rlo) if rlo else EMPTY_F, np.float64),
        row_upper=frozen_array(np.concatenate(rhi) if rhi else EMPTY_F, np.float64),
        row_origin=ctx.row_origin,
        n_hard=ctx.n_hard,
        goals=_goal_table(ctx.goal_blocks, indptr, indices, data),
        objectives=tuple(ctx.objectives),
        expressions=ctx.expressions,
        variable_names=tuple(ctx.vars),
        variable_index_sets={n: v.index for n, v in ctx.vars.items()},
        index_names=dict(ctx.index_names),
        penalties=tuple(ctx.penalties),
        units=_units(ctx),
        warnings=tuple(ctx.warnings),
        meta_goals=tuple(getattr(ctx, "meta_goals", ())),
    )


def _units(ctx: CompileContext) -> dict:
    out = {}
    for kind, section in (("goal", ctx.spec.goals), ("variable", ctx.spec.variables),
                          ("expression", ctx.spec.expressions)):
        for name, item in section.items():
            units = getattr(item, "units", None)
            if units:
                out[(kind, name)] = units
    for name, units in ctx.goal_units.items():  # not declared: the units of the goal's expression
        out[("goal_expr", name)] = units
    return out


def _goal_table(blocks: list[dict], indptr, indices, data) -> GoalTable:
    origins = Origins()
    for b in blocks:
        origins.add(*b["origin"])
    fields = ("row", "kind", "lower", "upper", "const", "under_col", "over_col", "under_priority",
              "over_priority", "under_weight", "over_weight", "under_scale", "over_scale", "zero_one")
    dtypes = (np.int64, np.int8, np.float64, np.float64, np.float64, np.int64, np.int64, np.int64, np.int64,
              np.float64, np.float64, np.float64, np.float64, bool)
    arrays = {f: frozen_array(np.concatenate([b[f] for b in blocks]) if blocks else np.zeros(0, dtype=d), d)
              for f, d in zip(fields, dtypes)}
    return GoalTable(origins, indptr=indptr, indices=indices, data=data, **arrays)
