"""The command line on the shipped examples: tables, JSON with the same numbers, exit codes."""

import json
import subprocess
import sys
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

from goalprog.cli import main

EXAMPLES = {
    # file: (expected variable values, expected expression values) worked out by hand
    "clothing_factory_weighted.yaml": ({"pants": 0, "shirts": 50_000, "dresses": 0},
                                       {"profit": 150_000, "waste": 50_000, "cost": 50_000}),
    "clothing_factory_weighted_1_1.5.yaml": ({"pants": F(60_000, 7), "shirts": F(50_000, 7), "dresses": 0},
                                             {"profit": F(750_000, 7), "waste": 20_000, "cost": 50_000}),
    "clothing_factory_preemptive.yaml": ({"pants": 0, "shirts": 50_000, "dresses": 0},
                                         {"profit": 150_000, "waste": 50_000, "cost": 50_000}),
    "clothing_factory_objectives.yaml": ({"pants": 0, "shirts": 50_000, "dresses": 0},
                                         {"profit": 150_000, "waste": 50_000, "cost": 50_000}),
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_table_output(problems_dir, name, backend):
    res = run("solve", problems_dir / name, "--backend", backend)
    assert res.exit_code == 0, res.output
    out = res.output
    assert "status: optimal" in out
    assert "Variables" in out and "shirts" in out
    if "objectives" not in name:
        assert "Goals" in out and "profit" in out and "waste" in out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_json_output_carries_the_numbers(problems_dir, name, backend):
    res = run("solve", problems_dir / name, "--backend", backend, "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["status"] == "optimal"
    variables, expressions = EXAMPLES[name]
    got = {v["variable"]: v["value"] for v in d["variables"]}
    for k, v in variables.items():
        assert got[k] == pytest.approx(float(v), rel=1e-6, abs=1e-4)
    got = {e["expression"]: e["value"] for e in d["expressions"]}
    for k, v in expressions.items():
        assert got[k] == pytest.approx(float(v), rel=1e-6, abs=1e-4)


def test_weighted_table_shows_the_achievement(problems_dir):
    res = run("solve", problems_dir / "clothing_factory_weighted.yaml")
    assert "achievement (weighted sum of unwanted deviations): 30,000" in res.output
    # the waste row: target <= 20,000, value 50,000, over 30,000, not met
    line = next(l for l in res.output.splitlines() if l.startswith("│ waste"))
    assert "50,000" in line and "30,000" in line and "no" in line


def test_csv_output_directory(problems_dir, tmp_path):
    import pandas as pd

    out = tmp_path / "res"
    res = run("solve", problems_dir / "clothing_factory_weighted_1_1.5.yaml", "--format", "csv", "-o", out)
    assert res.exit_code == 0, res.output
    goals = pd.read_csv(out / "goals.csv").set_index("goal")
    assert goals.loc["profit", "under"] == pytest.approx(300_000 / 7)
    variables = pd.read_csv(out / "variables.csv").set_index("variable")
    assert variables.loc["pants", "value"] == pytest.approx(60_000 / 7)
    # a second run refuses to overwrite without --force
    again = run("solve", problems_dir / "clothing_factory_weighted_1_1.5.yaml", "--format", "csv", "-o", out)
    assert again.exit_code == 2  # a usage error, found before solving
    assert "--force" in again.output


def test_output_never_overwrites_the_problem_file(tmp_path, problems_dir):
    f = tmp_path / "p.yaml"
    text = (problems_dir / "clothing_factory_weighted.yaml").read_text()
    f.write_text(text)
    res = run("solve", f, "--format", "json", "-o", f, "--force")
    assert res.exit_code == 2
    assert f.read_text() == text


INFEASIBLE = """\
variables:
  x1: {}
  x2: {}
  x3: {}
constraints:
  total: x1 + x2 + x3 == 7
  mixA: 2*x1 - 5*x2 + x3 >= 10
  mixB: x1 + 3*x2 + x3 >= 12
goals:
  g: {expr: x1, at_most: 0}
"""


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_infeasible_exits_4_and_prints_no_values(tmp_path, fmt):
    f = tmp_path / "inf.yaml"
    f.write_text(INFEASIBLE)
    res = run("solve", f, "--format", fmt)
    assert res.exit_code == 4
    assert "infeasible" in res.output
    if fmt == "json":
        d = json.loads(res.output)
        assert d["variables"] == [] and d["goals"] == []
    else:
        assert "Variables" not in res.output
        assert "No solution to report" in res.output


def test_bad_file_exits_3_with_location(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("variables:\n  x: {}\ngoals:\n  g: {expr: x + , at_least: 1}\n")
    res = run("solve", f)
    assert res.exit_code == 3
    assert f"{f}:4:" in res.output
    assert "Traceback" not in res.output


def test_missing_file_is_a_clean_error(tmp_path):
    res = run("solve", tmp_path / "nope.yaml")
    assert res.exit_code == 3
    assert "no such file" in res.output
    assert "Traceback" not in res.output


def test_unknown_solver_exits_7(problems_dir):
    res = run("solve", problems_dir / "clothing_factory_weighted.yaml", "--solver", "nosuchsolver")
    assert res.exit_code == 7
    assert "nosuchsolver" in res.output


def test_console_script_runs_in_a_real_process(problems_dir):
    """The installed entry point, as a user runs it (python -m goalprog is the same command)."""
    proc = subprocess.run([sys.executable, "-m", "goalprog", "solve", str(problems_dir / "clothing_factory_preemptive.yaml"),
                           "--format", "json"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)  # nothing but JSON on stdout: no solver banner
    levels = {lv["level"]: lv["achievement"] for lv in d["levels"]}
    assert levels[1] == pytest.approx(0, abs=1e-4)
    assert levels[2] == pytest.approx(30_000)


def test_output_into_a_new_folder_is_created(problems_dir, tmp_path):
    out = tmp_path / "new" / "deeper" / "result.json"
    res = run("solve", problems_dir / "clothing_factory_weighted.yaml", "--format", "json", "-o", out)
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text())["status"] == "optimal"


def test_verbose_json_on_stdout_stays_json(problems_dir):
    """The solver log goes to stderr when JSON is written to stdout."""
    proc = subprocess.run([sys.executable, "-m", "goalprog", "solve", str(problems_dir / "clothing_factory_weighted.yaml"),
                           "--format", "json", "--verbose"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["status"] == "optimal"
    assert "HiGHS" in proc.stderr


def test_time_limit_before_any_solution_is_a_limit_status(tmp_path):
    """A limit with no feasible solution found is status limit_no_solution, exit 6 (not a solver failure)."""
    import goalprog
    from goalprog.core.status import SolutionStatus, Status, Termination, combine

    assert combine(Termination.TIME_LIMIT, SolutionStatus.NONE) is Status.LIMIT_NO_SOLUTION
    from goalprog.cli import status_exit

    assert status_exit(Status.LIMIT_NO_SOLUTION) == 6


def test_piping_into_head_is_not_an_internal_error(problems_dir):
    import shlex

    cmd = f"{shlex.quote(sys.executable)} -m goalprog solve {shlex.quote(str(problems_dir / 'production_planning.yaml'))} | head -1"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert "internal error" not in proc.stderr
    assert proc.returncode == 0


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_closed_pipe_keeps_the_exit_code_of_the_result(tmp_path, fmt):
    """`goalprog solve infeasible.yaml | head -1` must still end 4 (infeasible), not 0: the reader closed
    the pipe (here `true`, which reads nothing, so every write meets a closed pipe)."""
    import shlex

    inf = tmp_path / "inf.yaml"
    inf.write_text(INFEASIBLE)
    cmd = f"{shlex.quote(sys.executable)} -m goalprog solve {shlex.quote(str(inf))} --format {fmt} | true"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120)
    assert "internal error" not in proc.stderr
    assert proc.returncode == 4, proc.stderr


def test_quiet_prints_nothing_and_keeps_the_exit_code(problems_dir, tmp_path):
    res = run("solve", problems_dir / "clothing_factory_preemptive.yaml", "--quiet")
    assert res.exit_code == 0 and res.output == ""
    inf = tmp_path / "inf.yaml"
    inf.write_text(INFEASIBLE)
    assert run("solve", inf, "--quiet").exit_code == 4


def test_progress_callback_sees_every_level(problems_dir):
    import goalprog

    seen = []
    goalprog.load(problems_dir / "production_planning.yaml").solve(progress=lambda k, n, s: seen.append((k, n, s.name)))
    assert seen == [(0, 4, "level 1"), (1, 4, "level 2"), (2, 4, "level 3"), (3, 4, "level 4")]
