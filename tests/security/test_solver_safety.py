"""A problem file is untrusted: it never runs a program and never makes a solver write a file.

The file may name a solver only from each backend's list and give only solver options that
neither read nor write files (exit 3 otherwise, located at the key).  What the person running
goalprog types is trusted: ``--option``/``solver_options=`` pass anything, ``--solver-path``/
``solver_path=`` run an executable.  ``--solver``/``solver=`` take names, never paths (exit 2).

The expected numbers are the clothing factory's published answer with weights 1 and 1: shirts
50,000 (3 x 50,000 = 150,000 profit within the $50,000 budget), waste 50,000, so the weighted sum
of unwanted deviations is 30,000.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.spec.solvers import HIGHS_OPTIONS, file_solver_known, option_problems
from goalprog.cli import main
from goalprog.core.errors import ArgumentError, SchemaError, SolverError

ROOT = Path(__file__).resolve().parents[2]
CLOTHING = ROOT / "problems" / "clothing_factory_weighted.yaml"
TRUE = shutil.which("true")

BASE = """\
name: clothing_factory_weighted
variables:
  pants:   {lower: 0}
  shirts:  {lower: 0}
  dresses: {lower: 0}
expressions:
  profit: 10*pants + 3*shirts + 15*dresses
  cost:   5*pants + shirts + 10*dresses
  waste:  1.5*pants + shirts + 3*dresses
constraints:
  budget: cost <= 50000
goals:
  profit: {expr: profit, at_least: 150000, weight: 1}
  waste:  {expr: waste,  at_most: 20000,  weight: 1}
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def cli(*args, cwd=None, timeout=120):
    """The real command in a child process: stdout and stderr apart, as a user sees them."""
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def write_problem(tmp_path, solve_lines: str, name="problem.yaml") -> Path:
    path = tmp_path / name
    path.write_text(BASE + "solve:\n  method: weighted\n" + solve_lines, encoding="utf-8")
    return path


def trap(tmp_path) -> tuple[Path, Path]:
    """An executable that leaves a marker file if anything runs it."""
    marker = tmp_path / "RAN"
    script = tmp_path / "solver.sh"
    script.write_text(f"#!/bin/sh\ntouch '{marker}'\nexit 0\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script, marker


def line_of(path: Path, text: str) -> int:
    return next(i for i, l in enumerate(path.read_text().splitlines(), 1) if text in l)


# --- 1. a solver named in a file -------------------------------------------------------------------

@pytest.mark.parametrize("backend", [None, "pulp", "pyomo", "highs"])
@pytest.mark.parametrize("kind", ["relative", "absolute", "asl", "home", "dotted", "backslash"])
def test_file_cannot_name_an_executable(tmp_path, backend, kind):
    script, marker = trap(tmp_path)
    solver = {"relative": "./solver.sh", "absolute": str(script), "asl": "asl:solver.sh", "home": "~/solver.sh",
              "dotted": ".solver", "backslash": "..\\\\solver.sh"}[kind]
    lines = (f"  backend: {backend}\n" if backend else "") + f'  solver: "{solver}"\n'
    path = write_problem(tmp_path, lines)
    for command in ("validate", "solve"):
        res = run(command, path)
        assert res.exit_code == 3, res.output
        assert f"problem.yaml:{line_of(path, 'solver:')}:" in res.output
        assert "solve.solver" in res.output and "is not a solver name" in res.output
        assert "--solver-path" in res.output
    with pytest.raises(SchemaError):
        goalprog.load(path)
    assert not marker.exists()


def test_file_solver_refusal_names_the_allowed_names(tmp_path):
    path = write_problem(tmp_path, "  backend: highs\n  solver: cbc\n")
    res = run("validate", path)
    assert res.exit_code == 3
    assert "of the highs backend" in res.output and "may name one of: highs" in res.output
    path = write_problem(tmp_path, "  backend: pyomo\n  solver: nope\n")
    res = run("validate", path)
    assert res.exit_code == 3 and "glpk" in res.output and "ipopt" in res.output


def test_file_solver_pyomo_registered_but_unlisted_name_refused(tmp_path):
    # 'asl' runs whatever executable its option names; 'py' and 'gdpopt' run sub-solvers: not from a file
    for name in ("asl", "gams", "gdpopt", "mindtpy", "py"):
        path = write_problem(tmp_path, f"  backend: pyomo\n  solver: {name}\n")
        assert run("validate", path).exit_code == 3, name


@pytest.mark.parametrize("backend,solver", [("highs", "highs"), ("pulp", "highs"), ("pyomo", "highs"),
                                            ("pulp", "cbc"), ("pulp", "PULP_CBC_CMD"), (None, "highs")])
def test_file_known_solver_names_solve(tmp_path, backend, solver):
    lines = (f"  backend: {backend}\n" if backend else "") + f"  solver: {solver}\n"
    path = write_problem(tmp_path, lines)
    res = run("solve", path, "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["objective"] == pytest.approx(30_000)
    assert {v["variable"]: v["value"] for v in d["variables"]}["shirts"] == pytest.approx(50_000)


def test_file_solver_checks_are_pure():
    assert file_solver_known("cbc", "pulp") and file_solver_known("glpk", "pyomo")
    assert not file_solver_known("cbc", "highs")
    for bad in ("./cbc", "/usr/bin/cbc", "bin/cbc", "C:\\cbc.exe", "asl:cbc", "~cbc", ".cbc", ""):
        assert not file_solver_known(bad, None), bad


# --- 1b. names and paths on the command line and in the API -----------------------------------------

@pytest.mark.parametrize("backend", ["pulp", "pyomo", "highs"])
@pytest.mark.parametrize("solver", ["/bin/true", "./solver.sh", "asl:solver.sh"])
def test_cli_solver_takes_names_only(tmp_path, backend, solver):
    script, marker = trap(tmp_path)
    res = run("solve", CLOTHING, "-b", backend, "-s", solver)
    assert res.exit_code == 2, res.output
    assert "--solver-path" in res.output and "not a solver name" in res.output
    assert not marker.exists()


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_api_solver_takes_names_only(backend):
    p = goalprog.load(CLOTHING)
    with pytest.raises(ArgumentError, match="solver_path"):
        p.solve(backend=backend, solver="/bin/true")


def test_pyomo_bin_true_as_solver_is_a_usage_error_never_internal():
    res = cli("solve", CLOTHING, "-b", "pyomo", "-s", "/bin/true")
    assert res.returncode == 2, res.stderr
    assert "--solver-path" in res.stderr and "internal error" not in res.stderr
    assert res.stdout == ""


def test_pyomo_unknown_solver_name_prints_only_goalprogs_message():
    res = cli("solve", CLOTHING, "-b", "pyomo", "-s", "nope")
    assert res.returncode == 7, res.stderr
    assert res.stdout == ""
    assert "Pyomo has no solver 'nope'" in res.stderr
    assert "Traceback" not in res.stderr and "WARNING" not in res.stderr


@pytest.mark.skipif(TRUE is None, reason="no 'true' program")
@pytest.mark.parametrize("backend,solver", [("pyomo", None), ("pyomo", "cbc"), ("pyomo", "glpk"), ("pulp", None),
                                            ("pulp", "cbc")])
def test_solver_path_that_is_not_the_solver_is_a_solver_error(backend, solver):
    args = ["solve", CLOTHING, "-b", backend, "--solver-path", TRUE] + (["-s", solver] if solver else [])
    res = cli(*args)
    assert res.returncode == 7, res.stderr
    assert "did not behave like the solver" in res.stderr
    assert f"'{solver or 'highs'}'" in res.stderr
    assert "internal error" not in res.stderr and "Traceback" not in res.stderr
    assert res.stdout == ""


def test_solver_path_usage_errors(tmp_path):
    script, marker = trap(tmp_path)
    res = run("solve", CLOTHING, "-b", "highs", "--solver-path", script)
    assert res.exit_code == 2 and "pulp or pyomo backend" in res.output
    res = run("solve", CLOTHING, "-b", "pulp", "--solver-path", tmp_path / "missing")
    assert res.exit_code == 2
    plain = tmp_path / "plain.txt"
    plain.write_text("not a program")
    plain.chmod(0o644)
    res = run("solve", CLOTHING, "-b", "pulp", "--solver-path", plain)
    assert res.exit_code == 2 and "not an executable file" in res.output
    with pytest.raises(ArgumentError, match="solver_path"):
        goalprog.load(CLOTHING).solve(backend="pulp", solver_path=123)
    assert not marker.exists()


def test_solver_path_is_what_runs(tmp_path):
    """The trusted option really runs the executable (here a fake that is then reported)."""
    script, marker = trap(tmp_path)
    with pytest.raises(SolverError, match="did not behave like the solver 'cbc'"):
        goalprog.load(CLOTHING).solve(backend="pulp", solver="cbc", solver_path=script)
    assert marker.exists()


def _bundled_cbc():
    try:
        import pulp

        path = pulp.PULP_CBC_CMD().path
    except Exception:
        return None
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


@pytest.mark.skipif(_bundled_cbc() is None, reason="PuLP ships no CBC program here")
@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_solver_path_with_a_real_solver(backend):
    res = run("solve", CLOTHING, "-b", backend, "-s", "cbc", "--solver-path", _bundled_cbc(), "-f", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["objective"] == pytest.approx(30_000)
    assert {v["variable"]: v["value"] for v in d["variables"]}["shirts"] == pytest.approx(50_000)


# --- 2. solver options from a file ------------------------------------------------------------------

FILE_WRITING = {
    "highs": [("solution_file", "{out}"), ("write_solution_to_file", "true"), ("log_file", "{out}"),
              ("write_model_file", "{out}"), ("write_model_to_file", "true"), ("read_solution_file", "{out}"),
              ("read_basis_file", "{out}"), ("write_basis_file", "{out}"), ("write_presolved_model_file", "{out}"),
              ("write_iis_model_file", "{out}"), ("mip_improving_solution_file", "{out}")],
    "pulp": [("keepFiles", "true"), ("logPath", "{out}"), ("path", "{out}"), ("solution_file", "{out}"),
             ("log_file", "{out}"), ("tmpDir", "{out}")],
    "pyomo": [("solution_file", "{out}"), ("log_file", "{out}"), ("write_solution_to_file", "true")],
}


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_file_options_that_touch_files_are_refused(tmp_path, backend):
    out = tmp_path / "written.txt"
    for name, value in FILE_WRITING[backend]:
        value = value.format(out=out)
        lines = f"  backend: {backend}\n  options:\n    {name}: '{value}'\n    write_solution_to_file: true\n"
        if name == "write_solution_to_file":
            lines = f"  backend: {backend}\n  options:\n    solution_file: '{out}'\n    {name}: {value}\n"
        path = write_problem(tmp_path, lines)
        for command in ("validate", "solve"):
            res = run(command, path)
            assert res.exit_code == 3, (name, res.output)
            assert f"solve.options.{name}" in res.output
            assert f"the solver option {name!r} is not allowed in a problem file" in res.output
            assert f"--option {name}=VALUE" in res.output
            assert f"problem.yaml:{line_of(path, name + ':')}:" in res.output
        assert not out.exists(), name


def test_export_refuses_a_file_writing_option(tmp_path):
    out = tmp_path / "sol.txt"
    path = write_problem(tmp_path, f"  options: {{solution_file: '{out}', write_solution_to_file: true}}\n")
    res = run("export", path, "-o", tmp_path / "m.lp")
    assert res.exit_code == 3
    assert not out.exists() and not (tmp_path / "m.lp").exists()


def test_cbc_options_from_a_file_are_refused_on_pyomo_and_pulp(tmp_path):
    for backend, name in (("pyomo", "solu"), ("pyomo", "import"), ("pyomo", "keepfiles"), ("pulp", "options"),
                          ("pulp", "warmStart")):
        path = write_problem(tmp_path, f"  backend: {backend}\n  solver: cbc\n  options: {{{name}: 1}}\n")
        res = run("validate", path)
        assert res.exit_code == 3 and f"solve.options.{name}" in res.output, (backend, name)


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_safe_file_options_are_accepted(tmp_path, backend):
    path = write_problem(tmp_path, f"  backend: {backend}\n  options:\n    time_limit: 60\n    mip_rel_gap: 0.001\n"
                                   "    presolve: off\n    random_seed: 7\n"
                                   "    primal_feasibility_tolerance: 1.0e-7\n    solver: simplex\n")
    res = run("solve", path, "-f", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["objective"] == pytest.approx(30_000)
    assert {v["variable"]: v["value"] for v in d["variables"]}["shirts"] == pytest.approx(50_000)


def test_safe_cbc_options_on_pulp(tmp_path):
    path = write_problem(tmp_path, "  backend: pulp\n  solver: cbc\n  options: {timeLimit: 30, gapRel: 0.0001}\n")
    res = run("solve", path, "-f", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["objective"] == pytest.approx(30_000)


def test_file_option_text_values_are_one_word(tmp_path):
    path = write_problem(tmp_path, "  options: {presolve: 'off -solu /tmp/x'}\n")
    res = run("validate", path)
    assert res.exit_code == 3 and "one word" in res.output


def test_options_are_rechecked_for_the_solver_actually_used(tmp_path):
    # allowed for the file's solver (HiGHS), not for GLPK on PuLP, which --solver picks
    path = write_problem(tmp_path, "  options: {presolve: 'off'}\n")
    assert run("validate", path).exit_code == 0
    res = run("solve", path, "-b", "pulp", "-s", "glpk")
    assert res.exit_code == 3 and "solve.options.presolve" in res.output and "'glpk'" in res.output
    # PuLP's CBC argument name, not Pyomo's CBC option
    path = write_problem(tmp_path, "  solver: cbc\n  options: {timeLimit: 10}\n")
    assert run("validate", path).exit_code == 0
    res = run("solve", path, "-b", "pyomo")
    assert res.exit_code == 3 and "solve.options.timeLimit" in res.output


def test_set_on_the_command_line_changes_the_file_and_is_checked_like_it(tmp_path):
    out = tmp_path / "sol.txt"
    res = run("solve", CLOTHING, "--set", f"solve.options.solution_file={out}",
              "--set", "solve.options.write_solution_to_file=true")
    assert res.exit_code == 3 and "--option" in res.output
    assert not out.exists()


def test_cli_option_stays_free(tmp_path):
    """What the user types is passed on: the file-writing option does write (which is why a file may not)."""
    out = tmp_path / "typed.sol"
    res = run("solve", CLOTHING, "--option", f"solution_file={out}", "--option", "write_solution_to_file=true")
    assert res.exit_code == 0, res.output
    assert out.exists()


def test_api_solver_options_stay_free_but_typed(tmp_path):
    out = tmp_path / "api.sol"
    r = goalprog.load(CLOTHING).solve(solver_options={"solution_file": str(out), "write_solution_to_file": True})
    assert r.objective == pytest.approx(30_000) and out.exists()
    p = goalprog.load(CLOTHING)
    for bad in ({"presolve": ["off"]}, {"presolve": {"a": 1}}, {"presolve": None}, {"mip_rel_gap": math.nan},
                {1: "off"}, {"time_limit": object()}):
        with pytest.raises(ArgumentError, match="solver_options"):
            p.solve(solver_options=bad)


def test_highs_allow_list_holds_real_harmless_options():
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name in HIGHS_OPTIONS:
        status, _ = h.getOptionValue(name)
        assert status == highspy.HighsStatus.kOk, name
        assert not set(name.split("_")) & {"file", "write", "read", "log", "path", "dir"}, name
    assert option_problems({"solution_file": "x"}, "highs", "highs")
    assert option_problems({"mip_rel_gap": 0.1, "presolve": "off"}, "highs", "highs") == []


def test_pulp_highs_takes_pulps_own_arguments_from_a_file(tmp_path):
    """PuLP's HiGHS class takes timeLimit/gapRel/gapAbs/mip itself (docs/format.md lists them for
    pulp + highs): accepted from a file and on the command line, not checked as HiGHS options.
    x <= 10 against x >= 12: achievement 2 (hand-derived)."""
    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {lower: 0, upper: 10}\ngoals:\n  g: {expr: x, at_least: 12}\n"
                    "solve: {method: weighted, backend: pulp, solver: highs, "
                    "options: {timeLimit: 20, gapRel: 0.01, presolve: 'on'}}\n")
    result = goalprog.load(path).solve()
    assert result.objective == pytest.approx(2.0)
    result = goalprog.load(path).solve(solver_options={"gapAbs": 0.5})
    assert result.objective == pytest.approx(2.0)


def test_backend_without_the_files_solver_is_said_first(tmp_path):
    """-b highs on a file naming cbc with cbc options: the backend/solver clash is the error, not
    the options (which are cbc's)."""
    from goalprog.core.errors import BackendError

    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {lower: 0, upper: 10}\ngoals:\n  g: {expr: x, at_least: 12}\n"
                    "solve: {backend: pulp, solver: cbc, options: {timeLimit: 20, cuts: 'on'}}\n")
    with pytest.raises(BackendError, match="the highs backend solves with HiGHS only, not 'cbc'"):
        goalprog.load(path).solve(backend="highs")


def test_an_option_of_another_solver_is_named_as_such(tmp_path):
    from goalprog.core.errors import SchemaError

    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {lower: 0, upper: 10}\ngoals:\n  g: {expr: x, at_least: 12}\n"
                    "solve: {backend: pulp, solver: highs, options: {mip_rel_gap: 0.01}}\n")
    with pytest.raises(SchemaError) as err:
        goalprog.load(path).solve(solver="cbc")
    text = str(err.value)
    assert "'mip_rel_gap' is not an option of the solver 'cbc' on the pulp backend" in text
    assert "read nor write files" not in text
