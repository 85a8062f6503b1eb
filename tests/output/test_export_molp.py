"""`goalprog export --format mo-lp`: the preemptive goal program as one multi-objective LP file.

The file is read back by gurobipy (``gurobipy.read``) and cplex (``cplex.Cplex().read``), solved by
each solver's own lexicographic multi-objective mode, and the objectives' values are compared with
independent level values (hand, published, or a hand-written PuLP chain:
``tests/library/preemptive_levels.py``).  Issue 17's acceptance: the preemptive clothing factory is
read by Gurobi as 2 objectives reaching (0, 30,000).

gurobipy and cplex are optional: the read-back tests skip, with the reason, when a package is missing.
MIP files are solved at a MIP gap of 0: both solvers let an earlier MIP objective degrade by the gap
the pass ended with (Gurobi's default 1e-4 gives 1.0001 for a level of optimum 1, see
``test_portability_edge_cases``), and the file cannot carry solver parameters (docs/export.md).
"""

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError
from goalprog.output.export import export_model
from goalprog.output.export_molp import molp_name
from tests.helpers import PROBLEMS
from tests.library.preemptive_levels import PREEMPTIVE, REFERENCE, reference

# levels made only of maximize: objectives, which the file minimises negated (hand: the objectives file's
# level 1 is `maximize: profit`; no other shipped preemptive file has one)
MAX_LEVELS = {"clothing_factory_objectives": {0}}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def need(package):
    return pytest.importorskip(package, reason=f"{package} is not installed (pip install {package}; its "
                                               "size-limited licence reads and solves these files)")


def read_gurobi(path):
    """``(objectives, values)``: ``(name, priority, weight, abstol, reltol, value)`` per objective in file
    order, and ``{variable name: value}``."""
    gp = need("gurobipy")
    env = gp.Env(empty=True)
    env.setParam("OutputFlag", 0)
    env.start()
    try:
        m = gp.read(str(path), env)
        m.Params.MIPGap = 0.0
        m.Params.MIPGapAbs = 0.0
        m.optimize()
        assert m.Status == gp.GRB.OPTIMAL
        objectives = []
        for i in range(m.NumObj):
            m.Params.ObjNumber = i
            objectives.append((m.ObjNName, m.ObjNPriority, m.ObjNWeight, m.ObjNAbsTol, m.ObjNRelTol, m.ObjNVal))
        values = {v.VarName: v.X for v in m.getVars()}
        return objectives, values
    finally:
        env.dispose()


def read_cplex(path):
    """As :func:`read_gurobi`, with cplex."""
    cplex = need("cplex")
    c = cplex.Cplex()
    try:
        for stream in (c.set_results_stream, c.set_log_stream, c.set_warning_stream, c.set_error_stream):
            stream(None)
        c.read(str(path))
        c.parameters.mip.tolerances.mipgap.set(0.0)
        c.parameters.mip.tolerances.absmipgap.set(0.0)
        c.solve()
        assert c.solution.get_status() == c.solution.status.multiobj_optimal
        mo = c.multiobj
        objectives = [(mo.get_names(i), mo.get_priority(i), mo.get_weight(i), mo.get_abstol(i), mo.get_reltol(i),
                       c.solution.multiobj.get_objective_value(i)) for i in range(mo.get_num())]
        values = dict(zip(c.variables.get_names(), c.solution.get_values()))
        return objectives, values
    finally:
        c.end()


READERS = {"gurobi": read_gurobi, "cplex": read_cplex}


# -- the file itself -------------------------------------------------------------------------------

def test_clothing_factory_file_text(tmp_path):
    out = tmp_path / "factory.lp"
    info = export_model(goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml"), out, "mo-lp")
    lines = out.read_text().splitlines()
    body = [line for line in lines if not line.startswith("\\")]
    # hand: level 1 = profit's under-deviation, level 2 = waste's over-deviation (weights 1); priority 1 of
    # goalprog is Gurobi's/CPLEX's largest Priority; the goal rows with their deviation columns
    assert body[:5] == ["Minimize multi-objectives",
                        " level_1: Priority=2 Weight=1 AbsTol=0 RelTol=0", "   1 profit.under",
                        " level_2: Priority=1 Weight=1 AbsTol=0 RelTol=0", "   1 waste.over"]
    text = "\n".join(body)
    assert " budget:\n   5 pants + 1 shirts + 10 dresses\n   <= 50000" in text
    assert " profit:\n   10 pants + 3 shirts + 15 dresses + 1 profit.under\n   >= 150000" in text
    assert " waste:\n   1.5 pants + 1 shirts + 3 dresses - 1 waste.over\n   <= 20000" in text
    assert body[-1] == "End"
    assert info.format == "mo-lp" and info.n_locks == 0 and info.stages == 2
    assert info.objectives == (("level_1", 1, 2), ("level_2", 2, 1))
    assert "2 objectives minimised lexicographically" in info.describe()


@pytest.mark.parametrize("solver", ["gurobi", "cplex"])
def test_clothing_factory_read_back(solver, tmp_path):
    """Acceptance (issue 17): read as 2 objectives reaching (0, 30,000): all shirts, s = 50,000."""
    out = tmp_path / "factory.lp"
    result = run("export", PROBLEMS / "clothing_factory_preemptive.yaml", "--format", "mo-lp", "-o", out)
    assert result.exit_code == 0, result.output
    objectives, values = READERS[solver](out)
    assert [o[:5] for o in objectives] == [("level_1", 2, 1.0, 0.0, 0.0), ("level_2", 1, 1.0, 0.0, 0.0)]
    assert [o[5] for o in objectives] == pytest.approx([0.0, 30_000.0], rel=1e-9, abs=1e-9)
    assert values["shirts"] == pytest.approx(50_000, rel=1e-9)
    assert values["pants"] == pytest.approx(0, abs=1e-9) and values["dresses"] == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("solver", ["gurobi", "cplex"])
@pytest.mark.parametrize("path", PREEMPTIVE, ids=lambda p: p.stem)
def test_every_preemptive_example_read_back(solver, path, tmp_path):
    problem = goalprog.load(path)
    out = tmp_path / "model.lp"
    export_model(problem, out, "mo-lp")
    objectives, values = READERS[solver](out)
    assert len(objectives) == len(problem.model.priorities())
    assert [o[1] for o in objectives] == list(range(len(objectives), 0, -1))
    assert len(values) == problem.model.n_cols  # every column read back, none dropped or added
    got = [-o[5] if k in MAX_LEVELS.get(path.stem, ()) else o[5] for k, o in enumerate(objectives)]
    expected, tol = reference(path.stem)
    assert got == pytest.approx(expected, **tol), (path.stem, solver, REFERENCE[path.stem][2])


# -- what the two readers need -------------------------------------------------------------------------

EDGE = {
    # x in [0, 10], e1 integer in [0, 5]; hard 2 <= x + e1 <= 8 (a ranged row), w free (w >= -4 only),
    # z in [-1, 3] in no row or objective.  Level 1: x + e1 >= 9 -> under = 1 at best (x + e1 <= 8).
    # Level 2: maximise e1 + 5 with x + e1 = 8: e1 = 5, x = 3, value 10 (the file: -e1 - 5, i.e. -10).
    "variables": {"x": {"lower": 0, "upper": 10}, "e1": {"type": "integer", "lower": 0, "upper": 5},
                  "z": {"lower": -1, "upper": 3}, "w": {"lower": None}},
    "constraints": {"band": "2 <= x + e1 <= 8", "wfree": "w >= -4"},
    "goals": {"g1": {"expr": "x + e1", "at_least": 9, "priority": 1},
              "obj2": {"maximize": "e1 + 5", "priority": 2}},
}


def test_portability_edge_cases_text(tmp_path):
    out = tmp_path / "edge.lp"
    export_model(goalprog.from_dict(EDGE), out, "mo-lp")
    text = out.read_text()
    assert "   - 1 _e1 - 5 objective_constant\n" in text      # CPLEX reads "1 e1" as 1e1; Gurobi no constants
    assert " band_lo:\n" in text and " band_hi:\n" in text    # neither reader takes lo <= a.x <= hi
    assert "   1 g1.under + 0 z\n" in text                     # CPLEX drops a column only Bounds names
    assert " objective_constant = 1\n" in text and " w free\n" in text and " -1 <= z <= 3\n" in text
    assert "Generals\n _e1\n" in text
    assert molp_name("e1") == "_e1" and molp_name("E.2") == "_E.2" and molp_name("eggs") == "eggs"


@pytest.mark.parametrize("solver", ["gurobi", "cplex"])
def test_portability_edge_cases(solver, tmp_path):
    out = tmp_path / "edge.lp"
    export_model(goalprog.from_dict(EDGE), out, "mo-lp")
    objectives, values = READERS[solver](out)
    assert [o[5] for o in objectives] == pytest.approx([1.0, -10.0], abs=1e-9)
    assert set(values) == {"x", "_e1", "z", "w", "g1.under", "objective_constant"}
    assert values["_e1"] == pytest.approx(5) and values["x"] == pytest.approx(3) and values["objective_constant"] == 1


CHEBYSHEV = {
    # level 1 Chebyshev (lambda 0): x + y = 10; goals x >= 8, y >= 8: the worst shortfall is least at
    # x = y = 5 (3); level 2 maximise x with that held: 5 (y >= 5).  Weighted, level 1 would allow x = 8.
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
    "constraints": {"split": "x + y == 10"},
    "goals": {"gx": {"expr": "x", "at_least": 8, "priority": 1}, "gy": {"expr": "y", "at_least": 8, "priority": 1},
              "most_x": {"maximize": "x", "priority": 2}},
    "solve": {"levels": {1: {"achievement": "chebyshev"}}},
}


@pytest.mark.parametrize("solver", ["gurobi", "cplex"])
def test_chebyshev_level_gets_its_minmax_column(solver, tmp_path):
    out = tmp_path / "cheb.lp"
    export_model(goalprog.from_dict(CHEBYSHEV), out, "mo-lp")
    objectives, values = READERS[solver](out)
    assert [o[5] for o in objectives] == pytest.approx([3.0, -5.0], abs=1e-9)
    assert values["x"] == pytest.approx(5, abs=1e-9)


# -- what mo-lp refuses, and what it does not carry -------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--level", "2"], "--level picks one stage"),
    (["--method", "weighted"], "the weighted method has one objective"),
    (["--lambda", "0.5"], "--lambda is the lambda of the extended method"),
    (["--lock-abs-tol", "1e-3"], "do not apply to --format mo-lp"),
])
def test_options_that_do_not_apply_are_usage_errors(args, message, tmp_path):
    out = tmp_path / "x.lp"
    result = run("export", PROBLEMS / "clothing_factory_preemptive.yaml", "--format", "mo-lp", "-o", out, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_weighted_file_is_refused_with_a_hint(tmp_path):
    out = tmp_path / "x.lp"
    result = run("export", PROBLEMS / "clothing_factory_weighted.yaml", "--format", "mo-lp", "-o", out)
    assert result.exit_code == 2, result.output
    assert "has no priority levels" in result.output and "--format lp" in result.output
    with pytest.raises(ArgumentError, match="has no priority levels"):
        export_model(goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml"), out, "mo-lp")


def test_lexicographic_method_name_is_accepted(tmp_path):
    info = export_model(goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml"), tmp_path / "x.lp", "mo-lp",
                        method="lexicographic")
    assert info.stages == 2


def test_slack_lock_and_goal_granularity_are_reported_not_written(tmp_path):
    spec = dict(CHEBYSHEV, solve={"lock": {"slack_abs": 0.001, "granularity": "goal"}})
    info = export_model(goalprog.from_dict(spec), tmp_path / "x.lp", "mo-lp")
    text = info.describe()
    assert "the slack lock (abs_tol 0.001" in text and "granularity goal" in text
    assert (tmp_path / "x.lp").read_text().count("AbsTol=0 RelTol=0") == 2


def test_meta_goal_file_is_refused(tmp_path):
    # meta-goals (fewest unmet, then the least total) are solved over a derived model with 0-1 indicators:
    # the mo-lp file would silently leave them out
    spec = {"variables": {"x": {"lower": 0}}, "goals": {"g": {"expr": "x", "at_least": 1}},
            "meta_goals": [{"name": "fewest unmet", "of": "unmet", "at_most": 0, "priority": 1}]}
    with pytest.raises(ArgumentError, match="meta method"):
        export_model(goalprog.from_dict(spec), tmp_path / "x.lp", "mo-lp")
