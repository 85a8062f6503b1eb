"""A stage is a value: the chain's frozen stage records, stage_model, and the export built from them.

References are independent of the chain's code: each rebuilt stage is re-solved from scratch by a
hand-written highspy model (arrays passed to ``Highs.passModel``, or the exported LP file read
back by ``Highs.readModel``), and must reach the value the chain reported for that level; the
chain's final plan must be feasible for every rebuilt stage, and the last stage's objective at
that plan must be the chain's last level value.
"""

import dataclasses
from pathlib import Path

import highspy
import numpy as np
import pytest

import goalprog
from goalprog.core.status import Status
from goalprog.output.export import build_stage, export_model
from goalprog.solve.stages import ChainStage, stage_model
from goalprog.solve.strategies.common import LockTolerance

from tests.helpers import PROBLEMS, ROOT  # noqa: F401


def _solve_arrays(model, objective, extra):
    """Re-solve a stage from its arrays with highspy alone; returns the optimum (objective sense)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    n = model.n_cols
    lp = highspy.HighsLp()
    lp.num_col_ = n
    cost = np.zeros(n)
    np.add.at(cost, objective.vector.indices, objective.vector.coefs)
    lp.col_cost_ = cost
    lp.offset_ = objective.vector.constant
    lp.sense_ = highspy.ObjSense.kMaximize if objective.sense == "max" else highspy.ObjSense.kMinimize
    lp.col_lower_ = np.where(np.isinf(model.col_lower), -inf, model.col_lower)
    lp.col_upper_ = np.where(np.isinf(model.col_upper), inf, model.col_upper)
    rows_lo, rows_hi, starts, idx, val = [], [], [0], [], []
    for i in range(model.n_rows):
        a, b = model.indptr[i], model.indptr[i + 1]
        idx += model.indices[a:b].tolist()
        val += model.data[a:b].tolist()
        starts.append(len(idx))
        rows_lo.append(model.row_lower[i])
        rows_hi.append(model.row_upper[i])
    for row in extra:
        c = row.vector.constant
        idx += row.vector.indices.tolist()
        val += row.vector.coefs.tolist()
        starts.append(len(idx))
        rows_lo.append(row.lower - c)
        rows_hi.append(row.upper - c)
    lp.num_row_ = len(rows_lo)
    lp.row_lower_ = np.where(np.isinf(rows_lo), -inf, rows_lo)
    lp.row_upper_ = np.where(np.isinf(rows_hi), inf, rows_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(val, dtype=np.float64)
    if model.is_mip:
        lp.integrality_ = [highspy.HighsVarType.kInteger if b else highspy.HighsVarType.kContinuous
                           for b in model.col_integer]
    assert h.passModel(lp) != highspy.HighsStatus.kError
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def _feasible(sm, x, tol=1e-6):
    m = sm.model
    scale = np.maximum(1.0, np.abs(x))
    assert np.all(x >= m.col_lower - tol * scale) and np.all(x <= m.col_upper + tol * scale)
    act = m.row_activity(x)
    s = np.maximum(1.0, np.abs(act))
    assert np.all(act >= m.row_lower - tol * s) and np.all(act <= m.row_upper + tol * s)
    for row in sm.extra_rows:
        v = row.vector.value(x)
        assert row.lower - tol * max(1.0, abs(v)) <= v <= row.upper + tol * max(1.0, abs(v)), row.name


CASES = [("clothing_factory_objectives.yaml", "face"), ("clothing_factory_objectives.yaml", "fix"),
         ("production_planning.yaml", "face"), ("production_planning.yaml", "fix"),
         ("production_planning.yaml", "row"), ("staff_scheduling.yaml", "auto"),
         ("clothing_factory_preemptive.yaml", "auto")]


@pytest.mark.parametrize("name, style", CASES, ids=[f"{n[:-5]}-{s}" for n, s in CASES])
def test_every_rebuilt_stage_resolves_to_the_chain_value(name, style):
    p = goalprog.load(PROBLEMS / name)
    r = p.solve(backend="highs", lock_style=style)
    assert r.status is Status.OPTIMAL
    recs = r.stage_records
    assert len(recs) == len(r.stages) and all(isinstance(s, ChainStage) for s in recs)
    if style in ("face", "fix"):
        assert any(s.restriction is not None for s in recs)
    for k, stage in enumerate(r.stages):
        sm = stage_model(r, k)
        assert sm.index == k and sm.level == stage.priority and sm.objective.sense == stage.sense
        # the locks of the earlier levels, in order, and nothing else
        assert [row.name for row in sm.extra_rows] == [row.name for s in recs[:k] for row in s.locks]
        tol = 1e-6 * max(1.0, abs(stage.objective))
        assert _solve_arrays(sm.model, sm.objective, sm.extra_rows) == pytest.approx(stage.objective, abs=tol)
        _feasible(sm, r.x)
    last = stage_model(r, len(r.stages) - 1)
    assert last.objective.vector.value(r.x) == pytest.approx(r.stages[-1].objective, rel=1e-9, abs=1e-9)


def test_records_are_frozen_and_read_only():
    r = goalprog.load(PROBLEMS / "production_planning.yaml").solve(backend="highs", lock_style="fix")
    rec = next(s for s in r.stage_records if s.restriction is not None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.value = 0.0
    for arr in (rec.restriction.columns, rec.restriction.col_lower, rec.restriction.col_upper,
                rec.restriction.rows, rec.restriction.row_lower, rec.restriction.row_upper):
        assert not arr.flags.writeable
    # fixed columns: each new bound pair is one value
    assert rec.restriction.fixed and np.array_equal(rec.restriction.col_lower, rec.restriction.col_upper)
    sm = stage_model(r, 2)
    assert not sm.model.col_lower.flags.writeable and isinstance(sm.extra_rows, tuple)
    with pytest.raises(IndexError):
        stage_model(r, len(r.stage_records))


def test_restriction_applied_is_what_the_records_say():
    """``maximize: x1`` then ``maximize: x2`` with ``x1 + x2 <= 1``: level 1's optimum x1 = 1 has
    reduced cost 1 at its upper bound, so the fix lock fixes x1 at 1 and stage 2 may only have
    x2 = 0 (hand-derived)."""
    d = {"variables": {"x1": {"upper": 1}, "x2": {"upper": 1}}, "constraints": {"cap": "x1 + x2 <= 1"},
         "goals": {"a": {"maximize": "x1", "priority": 1}, "b": {"maximize": "x2", "priority": 2}}}
    r = goalprog.from_dict(d).solve(backend="highs", lock_style="fix")
    res = r.stage_records[0].restriction
    assert res is not None
    j = r.model.variable_names.index("x1") if "x1" in r.model.variable_names else 0
    assert list(res.columns) == [j] and res.col_lower[0] == res.col_upper[0] == 1.0
    sm = stage_model(r, 1)
    assert sm.model.col_lower[j] == sm.model.col_upper[j] == 1.0
    assert _solve_arrays(sm.model, sm.objective, sm.extra_rows) == 0.0
    # held by its lock row loosened by t instead of the fixing: x2 = slack + t (a rate of 1)
    for t in (0.0, 0.25):
        held = stage_model(r, 1, hold_by_row={0: t})
        assert held.model.col_upper[j] == 1.0 and held.model.col_lower[j] == 0.0
        assert _solve_arrays(held.model, held.objective, held.extra_rows) == \
            pytest.approx(1.0 - r.stages[0].lock + t, abs=1e-9)


@pytest.mark.parametrize("name, style, level", [("production_planning.yaml", "face", 3),
                                                ("production_planning.yaml", "fix", 4),
                                                ("clothing_factory_objectives.yaml", "fix", 2),
                                                ("clothing_factory_preemptive.yaml", "auto", 2)])
def test_the_exported_stage_resolves_to_the_chain_value(tmp_path, name, style, level):
    """The exported LP of stage k, read back and re-solved by highspy, gives the chain's level k
    value, with or without a solved result handed to the export (then nothing is solved)."""
    p = goalprog.load(PROBLEMS / name)
    r = p.solve(backend="highs", lock_style=style)
    k = p.model.priorities().index(level)
    lock = LockTolerance(style=style)
    for i, given in enumerate((None, r)):
        out = tmp_path / f"stage{i}.lp"
        info = export_model(p, out, level=level, lock=lock, result=given)
        assert info.stage == k + 1 and info.n_locks == sum(len(s.locks) for s in r.stage_records[:k])
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        assert h.readModel(str(out)) != highspy.HighsStatus.kError
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        value = h.getInfo().objective_function_value
        assert value == pytest.approx(r.stages[k].objective, abs=1e-6 * max(1.0, abs(r.stages[k].objective)))
        assert [lv for lv, _ in info.earlier] == list(p.model.priorities()[:k])


def test_export_from_a_result_solves_nothing(monkeypatch):
    p = goalprog.load(PROBLEMS / "production_planning.yaml")
    r = p.solve(backend="highs", lock_style="fix")
    import goalprog.solve.strategies as strategies

    def boom(name):
        raise AssertionError("the export solved a chain although the result had the records")

    monkeypatch.setattr(strategies, "get_strategy", boom)
    model, objective, extra, info = build_stage(p, level=3, lock=LockTolerance(style="fix"), result=r)
    sm = stage_model(r, 2)
    assert objective == sm.objective and tuple(extra) == sm.extra_rows
    assert np.array_equal(model.col_upper, sm.model.col_upper)


def test_a_chain_stopped_before_a_stage_records_its_objective_only():
    from goalprog.solve.backends.highs_backend import HighsBackend
    from goalprog.solve.backends.base import SolveOptions
    from goalprog.solve.strategies.common import Settings
    from goalprog.solve.strategies.preemptive import run

    p = goalprog.load(PROBLEMS / "production_planning.yaml")
    r = run(p.model, HighsBackend(), SolveOptions(), settings=Settings(stop_at=2))
    assert len(r.stages) == 2 and len(r.stage_records) == 3
    assert not r.stage_records[2].solved and r.stage_records[2].value is None
    assert all(s.locks for s in r.stage_records[:2])
    full = p.solve(backend="highs")
    assert [s.objective for s in r.stages] == pytest.approx([s.objective for s in full.stages[:2]], rel=1e-12)
