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
                    "solve: {backend: pulp, solver: cbc, options: {timeLimit: 20, cuts: true}}\n")
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


# --- 3. a solver program is never found in the current folder or the problem's folder ---------------
#
# Pyomo's executable search starts in the current folder; PuLP's command-line solvers look their
# program up with shutil.which and run it by name, so an empty, '.' or relative PATH entry means
# the current folder too.  A mailed folder holding a program called like a solver must never run.

PROGRAMS = ("cbc", "glpsol", "scip", "scipampl", "fscip", "highs", "cplex", "cplexamp", "gurobi.sh", "gurobi_cl",
            "gurobi", "gurobi_ampl", "ipopt", "baron", "conopt", "knitroampl", "copt_cmd", "optimizer", "mps_mipcl",
            "java", "choco-parsers-with-dependencies.jar", "gams", "pathampl")
"""Every program name a Pyomo or PuLP interface of a listed solver runs (and two a typed name runs)."""

FILE_SOLVER_CASES = ([("pyomo", s) for s in ("cbc", "glpk", "scip", "gurobi", "cplex", "ipopt", "baron", "conopt",
                                             "knitroampl")]
                     + [("pulp", s) for s in ("cbc", "glpk", "scip", "fscip", "highs_cmd", "cplex", "gurobi", "copt",
                                              "xpress", "choco", "mipcl")])


def plant(folder: Path, marker: Path) -> None:
    """A fake of every solver program in ``folder``: it records that it ran in ``marker``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in PROGRAMS:
        fake = folder / name
        fake.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{marker}'\nexit 0\n", encoding="utf-8")
        fake.chmod(0o755)


def hostile_path() -> str:
    """PATH with the entries that mean the current folder ('', '.', relative) before the real ones."""
    return os.pathsep.join(["", ".", "bin", "./bin", os.environ.get("PATH", "")])


def run_in(folder: Path, *args, timeout=120):
    env = dict(os.environ, PATH=hostile_path())
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          cwd=folder, env=env, timeout=timeout)


@pytest.mark.skipif(os.name != "posix", reason="shell-script fakes")
@pytest.mark.parametrize("backend,solver", FILE_SOLVER_CASES)
def test_a_program_in_the_folder_never_runs(tmp_path, backend, solver):
    marker = tmp_path / "RAN"
    here, there = tmp_path / "mail", tmp_path / "elsewhere"
    plant(here, marker)
    plant(here / "bin", marker)
    plant(there, marker)
    plant(there / "bin", marker)
    path = write_problem(here, f"  backend: {backend}\n  solver: {solver}\n")
    # run from another folder with fakes: the current folder and the problem's folder both hold them
    # (the sweep test and the typed-name test run from the problem's folder itself)
    res = run_in(there, "solve", path)
    assert not marker.exists(), marker.read_text()
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr, res.stderr
    # not installed (7), or a real solver of that name in an absolute PATH folder solved it
    assert res.returncode in (0, 7), res.stderr


@pytest.mark.skipif(os.name != "posix", reason="shell-script fakes")
@pytest.mark.parametrize("backend,solver", [("pyomo", "cbc"), ("pyomo", "glpk"), ("pulp", "glpk")])
def test_a_sweep_never_runs_a_program_in_the_folder(tmp_path, backend, solver):
    marker = tmp_path / "RAN"
    plant(tmp_path, marker)
    plant(tmp_path / "bin", marker)
    path = write_problem(tmp_path, f"  backend: {backend}\n  solver: {solver}\n")
    res = run_in(tmp_path, "sweep", path, "--vary", "goals.waste.weight=1,2", "--workers", "1")
    assert not marker.exists(), marker.read_text()
    assert "Traceback" not in res.stderr, res.stderr


@pytest.mark.skipif(os.name != "posix", reason="shell-script fakes")
@pytest.mark.parametrize("backend,solver", [("pyomo", "gams"), ("pyomo", "path"), ("pyomo", "asl"),
                                            ("pulp", "COIN_CMD"), ("pulp", "GUROBI_CMD"), ("pulp", "HiGHS_CMD"),
                                            ("pulp", "COPT_CMD"), ("pulp", "CPLEX_CMD"), ("pulp", "GLPK_CMD"),
                                            ("pulp", "SCIP_CMD"), ("pulp", "CHOCO_CMD"), ("pulp", "MIPCL_CMD")])
def test_a_typed_solver_name_never_runs_a_program_in_the_folder(tmp_path, backend, solver):
    """Names typed on the command line are trusted to name a solver, not to pick up a program the
    current folder happens to hold."""
    marker = tmp_path / "RAN"
    plant(tmp_path, marker)
    plant(tmp_path / "bin", marker)
    path = write_problem(tmp_path, "")
    res = run_in(tmp_path, "solve", path, "-b", backend, "-s", solver)
    assert not marker.exists(), marker.read_text()
    assert res.returncode in (0, 7), res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.skipif(os.name != "posix", reason="shell-script fakes")
def test_pulp_default_solve_never_probes_programs_in_the_folder(tmp_path):
    """PuLP's GUROBI_CMD.available() runs gurobi_cl; goalprog never asks every solver if it is
    available (pulp.listSolvers(onlyAvailable=True) did, on every pulp solve)."""
    marker = tmp_path / "RAN"
    plant(tmp_path, marker)
    path = write_problem(tmp_path, "  backend: pulp\n")
    res = run_in(tmp_path, "solve", path, "-f", "json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["objective"] == pytest.approx(30_000)
    assert not marker.exists(), marker.read_text()


@pytest.mark.skipif(_bundled_cbc() is None, reason="PuLP ships no CBC program here")
@pytest.mark.parametrize("backend,solver", [("pyomo", "cbc"), ("pulp", "COIN_CMD")])
def test_a_real_program_on_an_absolute_path_entry_still_runs(tmp_path, backend, solver):
    """CBC by name, found in an absolute PATH folder, solves; the same folder given as a relative
    PATH entry is not searched (the solver is then not installed, exit 7)."""
    folder = tmp_path / "tools"
    folder.mkdir()
    (folder / "cbc").symlink_to(_bundled_cbc())
    path = write_problem(tmp_path, "")
    env = dict(os.environ, PATH=os.pathsep.join([str(folder), os.environ.get("PATH", "")]))
    res = subprocess.run([sys.executable, "-m", "goalprog", "solve", str(path), "-b", backend, "-s", solver,
                          "-f", "json"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["objective"] == pytest.approx(30_000)
    assert {v["variable"]: v["value"] for v in d["variables"]}["shirts"] == pytest.approx(50_000)
    if shutil.which("cbc", path=os.environ.get("PATH", "")) is None:  # no other cbc to find
        env["PATH"] = os.pathsep.join(["tools", os.environ.get("PATH", "")])
        res = subprocess.run([sys.executable, "-m", "goalprog", "solve", str(path), "-b", backend, "-s", solver],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
        assert res.returncode == 7 and "not installed" in res.stderr, res.stderr


def test_find_program_skips_relative_path_entries(tmp_path, monkeypatch):
    from goalprog.spec.solvers import find_program, program_dirs

    plant(tmp_path / "rel", tmp_path / "RAN")
    plant(tmp_path / "abs", tmp_path / "RAN")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", os.pathsep.join(["", ".", "rel", "./rel", str(tmp_path / "abs")]))
    assert program_dirs() == [str(tmp_path / "abs")]
    assert find_program("cbc") == str(tmp_path / "abs" / "cbc")
    for name in ("./cbc", "rel/cbc", "", ".", "..", str(tmp_path / "abs" / "cbc")):
        assert find_program(name) is None, name
    monkeypatch.setenv("PATH", os.pathsep.join(["", ".", "rel"]))
    assert program_dirs() == [] and find_program("cbc") is None
    assert not (tmp_path / "RAN").exists()


# --- 4. numbers a file gives a solver: thread counts bounded, values finite --------------------------

@pytest.mark.parametrize("backend,solver,line", [
    ("highs", None, "options: {threads: 100000}"),
    ("highs", None, "options: {simplex_max_concurrency: 100000}"),
    ("highs", None, "threads: 100000"),
    ("pulp", "highs", "options: {threads: 100000}"),
    ("pulp", "cbc", "options: {threads: 100000}"),
    ("pyomo", "highs", "options: {threads: 100000}"),
    ("pyomo", "cbc", "options: {threads: 100000}"),
    ("pyomo", "scip", "options: {parallel/maxnthreads: 100000}"),
    ("pyomo", "gurobi", "options: {Threads: 100000}"),
    ("highs", None, "options: {threads: 65}"),
    ("highs", None, "threads: 65"),
    ("highs", None, "options: {threads: 0}"),
    ("highs", None, "options: {threads: 2.5}"),
    ("highs", None, "options: {threads: true}"),
])
def test_file_thread_counts_are_capped(tmp_path, backend, solver, line):
    """solve: {options: {threads: 100000}} kept HiGHS starting threads for minutes: now a located
    refusal that comes at once (the subprocess timeout proves no solve started)."""
    lines = f"  backend: {backend}\n" + (f"  solver: {solver}\n" if solver else "") + f"  {line}\n"
    path = write_problem(tmp_path, lines)
    name = line.split("{")[1].split(":")[0] if line.startswith("options") else "threads"
    key = f"solve.options.{name}" if line.startswith("options") else "solve.threads"
    res = run("validate", path)
    assert res.exit_code == 3, res.output
    res = cli("solve", path, timeout=30)  # a hang would be a TimeoutExpired
    assert res.returncode == 3, res.stderr
    assert f"problem.yaml:{line_of(path, line)}:" in res.stderr
    assert key in res.stderr
    assert "64" in res.stderr and ("--threads N" in res.stderr or "--option" in res.stderr)
    assert res.stdout == ""


def test_file_thread_cap_refusal_is_quick(tmp_path):
    import time

    path = write_problem(tmp_path, "  options: {threads: 100000}\n")
    t0 = time.perf_counter()
    res = cli("solve", path, timeout=30)
    assert res.returncode == 3
    assert time.perf_counter() - t0 < 10  # python start + load; the solve took minutes


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_file_option_numbers_are_finite(tmp_path, value):
    path = write_problem(tmp_path, f"  options: {{time_limit: {value}}}\n")
    res = run("validate", path)
    assert res.exit_code == 3, res.output
    assert "solve.options.time_limit" in res.output and "finite number" in res.output


def test_thread_counts_within_the_cap_and_typed_ones_still_work(tmp_path):
    from goalprog.spec.solvers import MAX_FILE_THREADS

    path = write_problem(tmp_path, f"  threads: 2\n  options: {{threads: {MAX_FILE_THREADS}}}\n")
    res = run("solve", path, "-f", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["objective"] == pytest.approx(30_000)
    # the command line speaks for the user: more threads than a file may ask for
    res = run("solve", CLOTHING, "--threads", MAX_FILE_THREADS + 1, "--option", f"threads={MAX_FILE_THREADS + 1}",
              "-f", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["objective"] == pytest.approx(30_000)
