"""Trade-off rates (goalprog.solve.tradeoff): the right-hand derivative of the next level's optimum in
the slack of a level's lock, the same on every backend and algorithm.

Every expected rate is a finite difference of a model written here by hand in highspy (the next
level solved with the lock at ``h* + eps`` for two ``eps``), or derived by hand; the degenerate
cases are ones where the lock row's dual depends on the solver's basis (measured before this
module: 0 on highs/simplex, 1 on pulp and with interior point).
"""

from __future__ import annotations

import highspy
import numpy as np
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli.app import main
from goalprog.core.errors import ArgumentError
from goalprog.core.formatting import fmt
from goalprog.core.status import Status
from goalprog.solve import tradeoff

from tests.helpers import BACKENDS, PROBLEMS

ALGORITHMS = ["simplex", "ipm", "pdlp"]
INF = highspy.kHighsInf


# ---------------------------------------------------------------------------------------------
# hand-written highspy models


def _lp(n, rows, lower=None, upper=None):
    """A highspy instance with ``n`` columns (bounds default [0, inf)) and ``rows``: a list of
    (column indices, coefficients, lower, upper)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    lo = np.zeros(n) if lower is None else np.asarray(lower, dtype=float)
    hi = np.full(n, INF) if upper is None else np.asarray(upper, dtype=float)
    h.addVars(n, lo, hi)
    for idx, val, rlo, rhi in rows:
        h.addRow(rlo, rhi, len(idx), np.asarray(idx, dtype=np.int32), np.asarray(val, dtype=float))
    return h


def _optimum(h, cost, maximize=False):
    n = h.getNumCol()
    c = np.zeros(n)
    for j, v in cost.items():
        c[j] = v
    h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def _two_level_fd(n, rows, level1, level2, eps=(1.0, 2.0), max1=False, max2=False, upper=None):
    """Level 1 (``level1``: column -> cost) solved; level 2 solved with level 1 held at its
    optimum given up by each ``eps``; returns (h1*, slope between the two eps, slope from eps[0]
    to eps[1] checked linear from the exact lock too)."""
    h = _lp(n, rows, upper=upper)
    h1 = _optimum(h, level1, max1)
    idx = list(level1)
    val = [level1[j] for j in idx]
    values = []
    for e in (0.0,) + tuple(eps):
        g = _lp(n, rows + [(idx, val, h1 - e, INF) if max1 else (idx, val, -INF, h1 + e)], upper=upper)
        values.append(_optimum(g, level2, max2))
    sign = -1.0 if max2 else 1.0
    s01 = sign * (values[0] - values[1]) / eps[0]
    s12 = sign * (values[1] - values[2]) / (eps[1] - eps[0])
    return h1, s01, s12


def _write(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


# the clothing factory as goals: pants, shirts, dresses, n1, p1 (profit), n2, p2 (waste)
CLOTHING_ROWS = [([0, 1, 2], [5, 1, 10], -INF, 50000),
                 ([0, 1, 2, 3, 4], [10, 3, 15, 1, -1], 150000, 150000),
                 ([0, 1, 2, 5, 6], [1.5, 1, 3, 1, -1], 20000, 20000)]

DUPLICATE = """name: duplicate
variables:
  x: {lower: 0}
  y: {lower: 0}
constraints:
  cap: x + y <= 10
goals:
  cap_goal: {expr: x + y, at_most: 10, priority: 1}     # the hard row cap, again
  value: {expr: 3*x + y, at_least: 40, priority: 2}
"""
# x, y, n1, p1, n2, p2
DUPLICATE_ROWS = [([0, 1], [1, 1], -INF, 10), ([0, 1, 2, 3], [1, 1, 1, -1], 10, 10),
                  ([0, 1, 4, 5], [3, 1, 1, -1], 40, 40)]

TIED = """name: tied
variables:
  x: {lower: 0}
  y: {lower: 0}
constraints:
  cap: x + y <= 10
%s
goals:
  gx: {expr: x, at_least: 4, priority: 1}
  gy: {expr: y, at_least: 6, priority: 1}
  gz: {expr: x, at_least: 10, priority: 2}
"""
# x, y, nx, px, ny, py, nz, pz
TIED_ROWS = [([0, 1], [1, 1], -INF, 10), ([0, 2, 3], [1, 1, -1], 4, 4), ([1, 4, 5], [1, 1, -1], 6, 6),
             ([0, 6, 7], [1, 1, -1], 10, 10)]
DIAG_ROW = ([0, 1], [1, -1], -INF, -2)


def _rates(path, **kw):
    r = goalprog.load(path).solve(**kw)
    assert r.status is Status.OPTIMAL, r.message
    return r, [s.lock_dual for s in r.stages]


# ---------------------------------------------------------------------------------------------
# finite differences of hand-written models


def test_clothing_factory_rate_is_the_finite_difference():
    # giving up a dollar of profit saves 0.7 yards of waste (docs/methods.md derives it by hand)
    h1, s01, s12 = _two_level_fd(7, CLOTHING_ROWS, {3: 1.0}, {6: 1.0}, eps=(1000.0, 2000.0))
    assert h1 == 0.0 and s01 == pytest.approx(0.7, rel=1e-9) and s12 == pytest.approx(0.7, rel=1e-9)
    r, rates = _rates(PROBLEMS / "clothing_factory_preemptive.yaml", backend="highs")
    assert rates == [pytest.approx(s01, rel=1e-9), None]


def test_clothing_factory_objectives_rate_is_the_finite_difference():
    rows = CLOTHING_ROWS[:1]
    h1, s01, s12 = _two_level_fd(3, rows, {0: 10.0, 1: 3.0, 2: 15.0}, {0: 1.5, 1: 1.0, 2: 3.0},
                                 eps=(1000.0, 2000.0), max1=True)
    assert h1 == 150000.0 and s01 == pytest.approx(0.7, rel=1e-9) == s12
    for style in ("row", "face", "fix"):  # the rate is the lock's, whatever else held the level
        r, rates = _rates(PROBLEMS / "clothing_factory_objectives.yaml", backend="highs", lock_style=style)
        assert rates == [pytest.approx(s01, rel=1e-9), None], style


def test_duplicate_of_a_binding_hard_row_has_rate_zero(tmp_path):
    # giving up cap_goal cannot buy value anything: the hard row cap still holds x + y <= 10
    h1, s01, s12 = _two_level_fd(6, DUPLICATE_ROWS, {3: 1.0}, {4: 1.0})
    assert h1 == 0.0 and s01 == 0.0 and s12 == 0.0
    r, rates = _rates(_write(tmp_path, "duplicate", DUPLICATE), backend="highs")
    assert rates == [0.0, None]


@pytest.mark.parametrize("diag,expected", [(False, 1.0), (True, 0.0)], ids=["tied", "tied_blocked"])
def test_two_goals_tied_at_a_vertex(tmp_path, diag, expected):
    # gx, gy and cap meet at (4, 6); gz wants x up: giving up gy frees a unit of x per unit, unless
    # the row x - y <= -2 passes through the same vertex (then x <= 4 whatever level 1 gives up)
    rows = TIED_ROWS + ([DIAG_ROW] if diag else [])
    h1, s01, s12 = _two_level_fd(8, rows, {2: 1.0, 4: 1.0}, {6: 1.0})
    assert h1 == 0.0 and s01 == expected and s12 == expected
    text = TIED % ("  diag: x - y <= -2" if diag else "")
    r, rates = _rates(_write(tmp_path, "tied", text), backend="highs")
    assert rates == [s01, None]


def _chain_fd(result, level, eps):
    """The finite difference of the next level's optimum at ``level``'s lock, from a highspy model
    built here from the compiled model's arrays and the chain's level objectives and lock rows
    (each earlier level held by its lock row only), with ``level``'s lock loosened by each eps."""
    m = result.model
    values = []
    for e in (0.0,) + tuple(eps):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        for tol in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            h.setOptionValue(tol, 1e-10)  # so that a step of 1e-6 measures the LP, not the tolerance
        h.addVars(m.n_cols, np.where(np.isinf(m.col_lower), -INF, m.col_lower),
                  np.where(np.isinf(m.col_upper), INF, m.col_upper))
        for i in range(m.n_rows):
            a, b = m.indptr[i], m.indptr[i + 1]
            h.addRow(-INF if np.isinf(m.row_lower[i]) else m.row_lower[i],
                     INF if np.isinf(m.row_upper[i]) else m.row_upper[i], int(b - a),
                     np.asarray(m.indices[a:b], dtype=np.int32), np.asarray(m.data[a:b], dtype=float))
        for j, rec in enumerate(result.stage_records[:level + 1]):
            for row in rec.locks:
                c = row.vector.constant
                lo, hi = row.lower - c, row.upper - c
                if j == level:
                    lo, hi = lo - e, hi + e
                h.addRow(-INF if np.isinf(lo) else lo, INF if np.isinf(hi) else hi, len(row.vector.indices),
                         np.asarray(row.vector.indices, dtype=np.int32), np.asarray(row.vector.coefs, dtype=float))
        obj = result.stage_records[level + 1].objective
        cost = dict(zip(obj.vector.indices.tolist(), obj.vector.coefs.tolist()))
        values.append(_optimum(h, cost, obj.sense == "max") + obj.vector.constant)
    sign = 1.0 if result.stage_records[level + 1].objective.sense == "min" else -1.0
    return [sign * (values[0] - values[i + 1]) / eps[i] for i in range(len(eps))]


@pytest.mark.parametrize("name", ["budget_allocation", "production_planning", "portfolio_selection",
                                  "clothing_factory_preemptive", "clothing_factory_objectives"])
def test_shipped_lp_chains_match_finite_differences(name):
    r = goalprog.load(PROBLEMS / f"{name}.yaml").solve(backend="highs")
    assert r.status is Status.OPTIMAL and not r.model.is_mip
    assert len(r.stages) >= 2
    for level, stage in enumerate(r.stages[:-1]):
        scale = max(1.0, abs(r.stage_records[level].value), abs(r.stage_records[level + 1].value))
        fd = _chain_fd(r, level, (1e-6 * scale, 2e-6 * scale))
        assert fd[0] == pytest.approx(fd[1], rel=1e-4, abs=1e-4)  # linear there: the derivative
        assert stage.lock_dual == pytest.approx(fd[0], rel=1e-4, abs=1e-4), (name, level)
        assert stage.trade_off_note is None


# ---------------------------------------------------------------------------------------------
# one printed value on every backend and algorithm


CASES = {
    "duplicate": (DUPLICATE, "0"),
    "tied": (TIED % "", "1"),
    "tied_blocked": (TIED % "  diag: x - y <= -2", "0"),
    "clothing": (None, "0.7"),
}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_printed_rate_on_every_backend_and_algorithm(tmp_path, case, backend, algorithm):
    text, expected = CASES[case]
    path = PROBLEMS / "clothing_factory_preemptive.yaml" if text is None else _write(tmp_path, case, text)
    r, rates = _rates(path, backend=backend, algorithm=algorithm)
    assert fmt(rates[0]) == expected and rates[-1] is None
    levels = r.level_values()
    assert fmt(levels[0]["shadow_price"]) == expected


def test_degenerate_level_is_flagged_when_the_basis_priced_it(tmp_path, monkeypatch):
    # the interior-point chain (with crossover) prices tied_blocked's lock at 1 (measured), yet the
    # rate is 0: the note says so, and the CLI's footnote names the level
    path = _write(tmp_path, "tied", TIED % "  diag: x - y <= -2")
    r, rates = _rates(path, backend="highs", algorithm="ipm")
    assert rates[0] == 0.0
    assert r.stages[0].trade_off_note.startswith("degenerate: the next level's solve priced this level's lock at 1,")
    res = CliRunner().invoke(main, ["solve", str(path), "--algorithm", "ipm"], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "level 1: degenerate" in " ".join(res.output.split())


# ---------------------------------------------------------------------------------------------
# the setting, and what the table says when there is no rate


def test_rates_off_says_so_in_the_footnote(tmp_path):
    path = PROBLEMS / "clothing_factory_preemptive.yaml"
    r, rates = _rates(path, rates="off")
    assert rates == [None, None]
    assert r.stages[0].trade_off_note == "not computed (rates: off)"
    res = CliRunner().invoke(main, ["solve", str(path), "--rates", "off"], terminal_width=200)
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "trade-off rates: not computed (--rates off)" in out and "trade-off ┃" not in out
    res = CliRunner().invoke(main, ["solve", str(path), "--rates", "on"], terminal_width=200)
    assert res.exit_code == 0 and "0.7" in res.output


def test_auto_skips_large_chains_and_names_the_option(monkeypatch):
    monkeypatch.setattr(tradeoff, "RATE_COLUMNS", 4)  # the clothing factory has 5 columns
    path = PROBLEMS / "clothing_factory_preemptive.yaml"
    r, rates = _rates(path)
    assert rates == [None, None]
    assert "rates: on computes them" in r.stages[0].trade_off_note
    r, rates = _rates(path, rates="on")
    assert rates == [0.7, None]


def test_mip_chain_has_no_rate_and_says_why(tmp_path):
    r, rates = _rates(PROBLEMS / "staff_scheduling.yaml", backend="highs", rates="on")
    assert all(x is None for x in rates)
    assert "integer variables" in r.stages[0].trade_off_note
    res = CliRunner().invoke(main, ["solve", str(PROBLEMS / "staff_scheduling.yaml")], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "trade-off rates: not defined for a chain with integer variables" in " ".join(res.output.split())


def test_bad_rates_setting_is_a_clear_error():
    p = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml")
    with pytest.raises(ArgumentError, match="rates must be 'auto', 'on' or 'off'"):
        p.solve(rates="sometimes")
    res = CliRunner().invoke(main, ["solve", str(PROBLEMS / "clothing_factory_preemptive.yaml"), "--rates", "x"])
    assert res.exit_code == 2


def test_json_and_report_carry_the_rate_and_the_note(tmp_path):
    import json

    r, _ = _rates(PROBLEMS / "clothing_factory_preemptive.yaml", rates="off")
    d = json.loads(json.dumps(r.to_dict()))
    assert d["stages"][0]["lock_dual"] is None
    assert d["stages"][0]["trade_off_note"] == "not computed (rates: off)"
    assert d["levels"][0]["trade_off_note"] == "not computed (rates: off)"
    from goalprog.output.tables import levels_table

    assert "trade-off rates: not computed (rates: off)" in levels_table(r)
    r, _ = _rates(PROBLEMS / "clothing_factory_preemptive.yaml")
    assert "right-hand derivative" in levels_table(r)


def test_a_breakpoint_near_the_lock_is_stepped_under(tmp_path):
    # goal 1: y <= 0 (over unwanted); goal 2: x + 3y >= 300 with x <= 100, y <= 0.5: giving up
    # goal 1 gains 3 per unit up to 0.5, then nothing
    text = """name: kink
variables:
  x: {lower: 0, upper: 100}
  y: {lower: 0, upper: 0.5}
goals:
  no_y: {expr: y, at_most: 0, priority: 1}
  big: {expr: x + 3*y, at_least: 300, priority: 2}
"""
    # x, y, n1, p1, n2, p2 (hand FD with eps inside the first piece)
    rows = [([1, 2, 3], [1, 1, -1], 0, 0), ([0, 1, 4, 5], [1, 3, 1, -1], 300, 300)]
    h1, s01, s12 = _two_level_fd(6, rows, {3: 1.0}, {4: 1.0}, eps=(0.1, 0.2), upper=[100, 0.5] + [INF] * 4)
    assert h1 == 0.0 and s01 == pytest.approx(3.0) and s12 == pytest.approx(3.0)
    r, rates = _rates(_write(tmp_path, "kink", text), backend="highs")
    assert rates[0] == pytest.approx(s01, rel=1e-12)
    from goalprog.solve.backends.base import SolveOptions, get_backend

    # level 2's value at the lock is 300 - 100 = 200: the first step 1e-2 * 200 = 2 crosses the
    # breakpoint at 0.5, the second (0.02, and 0.04) does not; v(0) is re-solved at HiGHS's tighter
    # tolerances: 1 + 2 + 2 solves
    res = tradeoff.trade_off_rate(r.model, r.stage_records, 1, get_backend("highs"), SolveOptions(solver="highs"))
    assert res.step == pytest.approx(0.02) and res.solves == 5


def test_rates_on_a_one_stage_method_is_a_warning():
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(rates="on")
    assert any("rates is used by the preemptive method only" in w for w in r.warnings)
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve()
    assert not any("rates" in w for w in r.warnings)


def test_a_failing_re_solve_leaves_the_plan_and_says_why(monkeypatch):
    from goalprog.core.errors import BackendError

    def fail(*a, **k):
        raise BackendError("the solver went away")

    monkeypatch.setattr(tradeoff, "trade_off_rate", fail)
    r, rates = _rates(PROBLEMS / "clothing_factory_preemptive.yaml")
    assert rates == [None, None] and r.stages[1].objective == 30000.0
    assert r.stages[0].trade_off_note == "not computed: a re-solve failed (the solver went away)"
