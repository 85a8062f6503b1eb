"""Problem.to_pulp / Problem.to_pyomo: the compiled model in the user's hands (issue 17).

Expected values are hand-derived for the clothing factory (docs: weighted (1, 1) gives 50,000
shirts and 30,000; weighted (1, 1.5) gives p = 60,000/7, s = 50,000/7, so profit falls short by
150,000 - 750,000/7 = 300,000/7 and the waste target holds; preemptive: level 1 reaches 0,
level 2 then 30,000), or from an independent hand-written PuLP model.
"""

from __future__ import annotations

import math
from pathlib import Path

import pulp
import pytest

import goalprog
from goalprog.core.errors import ArgumentError
from goalprog.solve.native_names import clean_name, unique_names

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


def cbc():
    return pulp.PULP_CBC_CMD(msg=False)


def constraint_names(prob) -> set:
    """The names of a PuLP problem's constraints (PuLP 2.x: a dict; 3.x: also callable)."""
    c = prob.constraints
    return {x.name for x in c()} if callable(c) else set(c)


def pyomo_highs():
    import pyomo.environ as pyo

    solver = pyo.SolverFactory("appsi_highs")
    if not solver.available(exception_flag=False):  # pragma: no cover - highspy is a dependency
        pytest.skip("Pyomo's appsi_highs is not available")
    return solver


def test_weighted_to_pulp_solved_by_cbc():
    p = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    prob = p.to_pulp()
    assert isinstance(prob, pulp.LpProblem)
    assert {v.name for v in prob.variables()} == {"pants", "shirts", "dresses", "profit_under", "waste_over"}
    assert prob.solve(cbc()) == pulp.LpStatusOptimal
    assert pulp.value(prob.objective) == pytest.approx(30000, abs=1e-6)
    values = prob.goalprog_names.values(prob)
    assert values["shirts"] == pytest.approx(50000, abs=1e-6)
    assert values["waste.over"] == pytest.approx(30000, abs=1e-6)
    assert prob.goalprog_names.label("profit_under") == "profit.under"
    assert constraint_names(prob) == {"budget", "profit", "waste"}


def test_weighted_to_pyomo_solved_by_highs():
    import pyomo.environ as pyo

    p = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    m = p.to_pyomo()
    assert isinstance(m, pyo.ConcreteModel)
    pyomo_highs().solve(m)
    assert pyo.value(m.achievement) == pytest.approx(30000, abs=1e-6)
    assert m.x["shirts"].value == pytest.approx(50000, abs=1e-6)
    assert set(m.c) == {"budget", "profit", "waste"}
    assert m.goalprog_names.values(m)["shirts"] == pytest.approx(50000, abs=1e-6)


def test_preemptive_levels_match_goalprog():
    import pyomo.environ as pyo

    p = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml")
    result = p.solve()
    assert [s.objective for s in result.stages] == pytest.approx([0, 30000], abs=1e-6)
    # level None on a preemptive problem: the first level (no locks)
    first = p.to_pulp()
    assert not any(name.startswith("lock") for name in constraint_names(first))
    first.solve(cbc())
    assert pulp.value(first.objective) == pytest.approx(0, abs=1e-6)
    for kw in ({}, {"result": result}):
        second = p.to_pulp(level=2, **kw)
        assert "lock_level_1" in constraint_names(second)
        assert second.solve(cbc()) == pulp.LpStatusOptimal
        assert pulp.value(second.objective) == pytest.approx(30000, abs=1e-6)
        assert second.goalprog_names.values(second)["profit.under"] == pytest.approx(0, abs=1e-6)
        m = p.to_pyomo(level=2, **kw)
        pyomo_highs().solve(m)
        assert pyo.value(m.achievement) == pytest.approx(30000, abs=1e-6)
        assert "lock_level_1" in set(m.c)


def test_indexed_model_names_and_answer():
    p = goalprog.load(PROBLEMS / "clothing_factory_indexed.yaml")
    prob = p.to_pulp()
    names = prob.goalprog_names
    assert names.columns["make[shirts]"] == "make_shirts_"
    assert names.columns["make[pants]"] == "make_pants_"
    assert prob.solve(pulp.HiGHS(msg=False)) == pulp.LpStatusOptimal
    assert pulp.value(prob.objective) == pytest.approx(300000 / 7, rel=1e-9)
    got = names.values(prob)
    assert got["make[pants]"] == pytest.approx(60000 / 7, rel=1e-9)
    assert got["make[shirts]"] == pytest.approx(50000 / 7, rel=1e-9)
    # the same as goalprog's own answer
    res = p.solve()
    assert res.objective == pytest.approx(pulp.value(prob.objective), rel=1e-9)


def test_written_lp_file_reads_back(tmp_path):
    import highspy

    p = goalprog.load(PROBLEMS / "clothing_factory_indexed.yaml")
    prob = p.to_pulp()
    path = tmp_path / "model.lp"
    prob.writeLP(str(path))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(300000 / 7, rel=1e-9)
    lp = h.getLp()
    assert "make_shirts_" in list(lp.col_names_)


def test_user_constraint_then_solve():
    """Cap shirts at 20,000 in the PuLP model; compare with an independent hand-written model."""
    p = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    prob = p.to_pulp()
    shirts = prob.goalprog_variables[prob.goalprog_names.columns["shirts"]]
    prob += shirts <= 20000, "my_cap"
    assert prob.solve(cbc()) == pulp.LpStatusOptimal

    ref = pulp.LpProblem("ref", pulp.LpMinimize)
    pa, s, d, n, o = (pulp.LpVariable(v, 0) for v in ("pa", "s", "d", "n", "o"))
    ref += n + o
    ref += 5 * pa + s + 10 * d <= 50000
    ref += 10 * pa + 3 * s + 15 * d + n >= 150000
    ref += 1.5 * pa + s + 3 * d - o <= 20000
    ref += s <= 20000
    ref.solve(cbc())
    assert pulp.value(prob.objective) == pytest.approx(pulp.value(ref.objective), rel=1e-9)
    assert pulp.value(prob.objective) > 30000 + 1  # the cap costs something


def test_user_constraint_pyomo():
    import pyomo.environ as pyo

    p = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    m = p.to_pyomo()
    m.my_cap = pyo.Constraint(expr=m.x["shirts"] <= 20000)
    pyomo_highs().solve(m)
    prob = p.to_pulp()
    prob += prob.goalprog_variables["shirts"] <= 20000
    prob.solve(cbc())
    assert pyo.value(m.achievement) == pytest.approx(pulp.value(prob.objective), rel=1e-9)


def test_clean_and_unique_names():
    assert clean_name("make[shirts]") == "make_shirts_"
    assert clean_name("ship[Zürich,3]") == "ship_Zurich_3_"
    assert clean_name("st") == "st_"
    assert clean_name("e") == "e_"
    assert clean_name("3x") == "_3x"
    assert clean_name("a" * 300) == "a" * 100
    # a valid label keeps its text; the cleaned one gets a suffix, whatever the order
    assert unique_names(["a b", "a_b"]) == ["a_b_2", "a_b"]
    assert unique_names(["a_b", "a b", "a-b"]) == ["a_b", "a_b_2", "a_b_3"]
    assert unique_names(["x"], reserved=("x",)) == ["x_2"]
    assert unique_names(["a b", "a_b"]) == unique_names(["a b", "a_b"])  # deterministic


def test_name_collisions_in_a_model():
    """A variable ``make_shirts_`` beside ``make[shirts]``, a variable ``profit_under`` beside the
    deviation of goal ``profit``, and a keyword-like name ``st``: all names distinct and valid."""
    p = goalprog.from_dict({
        "sets": {"products": ["shirts", "Zürich"]},
        "variables": {"make": {"index": "products", "lower": 0, "upper": 10},
                      "make_shirts_": {"lower": 0, "upper": 1},
                      "profit_under": {"lower": 0, "upper": 2},
                      "st": {"lower": 0, "upper": 3}},
        "constraints": {"band": "1 <= make_shirts_ + st <= 3"},
        "goals": {"profit": {"expr": "sum(make[p] for p in products) + make_shirts_ + profit_under + st",
                             "at_least": 100, "weight": 1}},
    })
    prob = p.to_pulp()
    names = prob.goalprog_names
    assert names.columns["make_shirts_"] == "make_shirts_"
    assert names.columns["make[shirts]"] == "make_shirts__2"
    assert names.columns["make[Zürich]"] == "make_Zurich_"
    assert names.columns["profit_under"] == "profit_under"
    assert names.columns["profit.under"] == "profit_under_2"
    assert names.columns["st"] == "st_"
    assert len(set(names.columns.values())) == len(names.columns)
    assert names.split["band"] == ("band_lo", "band_hi")
    assert {"band_lo", "band_hi"} <= constraint_names(prob)
    assert prob.solve(cbc()) == pulp.LpStatusOptimal
    # the most: 10 + 10 + 1 + 2 + 3 = 26 but make_shirts_ + st <= 3 caps those two: 10 + 10 + 2 + 3 = 25
    assert pulp.value(prob.objective) == pytest.approx(100 - 25, abs=1e-6)
    for name in names.columns.values():
        assert name.replace("_", "a").isalnum() and not name[0].isdigit()
    import pyomo.environ as pyo

    m = p.to_pyomo()
    pyomo_highs().solve(m)
    assert pyo.value(m.achievement) == pytest.approx(75, abs=1e-6)
    assert m.c["band"].lower == 1 and m.c["band"].upper == 3


def test_errors():
    p = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    with pytest.raises(ArgumentError, match="one stage"):
        p.to_pulp(level=1, method="weighted")
    with pytest.raises(ArgumentError, match="unknown method"):
        p.to_pulp(method="simplex")
    q = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml")
    with pytest.raises(ArgumentError, match="no priority level 3"):
        q.to_pyomo(level=3)
    with pytest.raises(ArgumentError, match="not a result of this problem"):
        q.to_pulp(level=2, result=goalprog.load(PROBLEMS / "clothing_factory_indexed.yaml").solve())


def test_weighted_model_of_a_preemptive_problem():
    """method='weighted' on the preemptive file: every goal in one achievement function (weights 1)."""
    q = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml")
    prob = q.to_pulp(method="weighted")
    prob.solve(cbc())
    assert pulp.value(prob.objective) == pytest.approx(30000, abs=1e-6)
    assert not math.isnan(pulp.value(prob.objective))
