"""Names that Gurobi's or CPLEX's LP reader takes as section keywords are written with a trailing ``_``.

Gurobi failed to read an exported file whose variable was called ``pwlobj`` (its ``PWLObj``
section), ``gencons`` (``General Constraints``) or ``scenario``; CPLEX one with ``pwl``; and two
integer variables ``lazy`` and ``constraints`` (``user`` and ``cuts``) side by side in the
``Generals`` list read as the section ``Lazy Constraints`` (``User Cuts``).  Found by reading
probe files back with gurobipy 13 and cplex 22.2; the section names are those of both LP format
references (Gurobi: PWLObj, General Constraints / GenCons, Lazy Constraints, Scenario, Semis,
SOS; CPLEX: Lazy Constraints, User Cuts, Semi-Continuous, SOS, PWL).

The values are the clothing factory's (weighted 1/1: 30,000; preemptive: levels 0 and 30,000)
and, for the keyword model, by hand: level 1 asks subject + to + lazy >= 25, which fits in the
budget of 30 (0); level 2 asks the other four >= 100 with the 5 left: under-achieved by 95.
"""

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from goalprog.output.export import safe_name
from goalprog.solve.native_names import LP_KEYWORDS, clean_name
from tests.helpers import PROBLEMS
from tests.output.test_export_molp import read_cplex, read_gurobi

NEW = ("pwlobj", "pwl", "gencons", "lazy", "constraints", "user", "cuts", "general", "scenario", "scenarios",
       "semicontinuous", "indicator")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("word", NEW)
def test_section_words_get_a_trailing_underscore(word):
    assert word in LP_KEYWORDS
    for name in (word, word.upper(), word.capitalize()):
        assert safe_name(name) == name + "_"
        assert clean_name(name) == name + "_"


def renamed(tmp_path, problem, old, new):
    path = tmp_path / f"{problem}.yaml"
    path.write_text((PROBLEMS / f"{problem}.yaml").read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def solve_gurobi(path):
    """``(objective value, {variable: value})`` of a single-objective LP file, by gurobipy."""
    gp = pytest.importorskip("gurobipy", reason="gurobipy is not installed")
    env = gp.Env(empty=True)
    env.setParam("OutputFlag", 0)
    env.start()
    try:
        m = gp.read(str(path), env)
        m.optimize()
        assert m.Status == gp.GRB.OPTIMAL
        return m.ObjVal, {v.VarName: v.X for v in m.getVars()}
    finally:
        env.dispose()


def solve_cplex(path):
    cplex = pytest.importorskip("cplex", reason="cplex is not installed")
    c = cplex.Cplex()
    for stream in (c.set_results_stream, c.set_log_stream, c.set_warning_stream, c.set_error_stream):
        stream(None)
    c.read(str(path))
    c.solve()
    assert c.solution.get_status() == c.solution.status.optimal
    return c.solution.get_objective_value(), dict(zip(c.variables.get_names(), c.solution.get_values()))


@pytest.mark.parametrize("reader", [solve_gurobi, solve_cplex])
def test_clothing_factory_with_dresses_called_pwlobj_reads_back(tmp_path, reader):
    path = renamed(tmp_path, "clothing_factory_weighted", "dresses", "pwlobj")
    out = tmp_path / "w.lp"
    res = run("export", path, "-f", "lp", "-o", out)
    assert res.exit_code == 0, res.output
    assert " pwlobj_" in out.read_text()
    objective, values = reader(out)
    assert objective == pytest.approx(30_000)
    assert values["shirts"] == pytest.approx(50_000) and values["pwlobj_"] == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("reader", [read_gurobi, read_cplex])
def test_preemptive_clothing_factory_with_pwlobj_as_mo_lp_reads_back(tmp_path, reader):
    path = renamed(tmp_path, "clothing_factory_preemptive", "dresses", "pwlobj")
    out = tmp_path / "p.lp"
    res = run("export", path, "-f", "mo-lp", "-o", out)
    assert res.exit_code == 0, res.output
    objectives, values = reader(out)
    assert [o[-1] for o in objectives] == [pytest.approx(0, abs=1e-6), pytest.approx(30_000)]
    assert 10 * values["pants"] + 3 * values["shirts"] + 15 * values["pwlobj_"] == pytest.approx(150_000)


KEYWORDS = """\
name: kw
variables:
  subject: {lower: 0, upper: 10, type: integer}
  to: {lower: 0, upper: 10, type: integer}
  lazy: {lower: 0, upper: 10, type: integer}
  constraints: {lower: 0, upper: 10, type: integer}
  user: {lower: 0, upper: 10, type: integer}
  cuts: {lower: 0, upper: 10, type: integer}
  gencons: {lower: 0, upper: 10, type: integer}
  scenario: {lower: 0, upper: 10}
constraints:
  c1: subject + to + lazy + constraints + user + cuts + gencons + scenario <= 30
goals:
  g1: {expr: subject + to + lazy, at_least: 25, priority: 1}
  g2: {expr: constraints + user + cuts + gencons + scenario, at_least: 100, priority: 2}
solve:
  method: preemptive
"""


@pytest.mark.parametrize("reader", [read_gurobi, read_cplex])
def test_adjacent_section_words_in_generals_read_back(tmp_path, reader):
    path = tmp_path / "kw.yaml"
    path.write_text(KEYWORDS, encoding="utf-8")
    out = tmp_path / "kw.lp"
    res = run("export", path, "-f", "mo-lp", "-o", out)
    assert res.exit_code == 0, res.output
    assert "lazy_ constraints_" in out.read_text() and "user_ cuts_" in out.read_text()
    objectives, values = reader(out)
    assert [o[-1] for o in objectives] == [pytest.approx(0, abs=1e-6), pytest.approx(95)]
    assert len(values) == 10  # 8 variables and the two goals' under-achievements, nothing read as a section
