"""A problem file's solver option *values* never make a solver read or write a file.

The option names are on per-solver allow-lists (test_solver_safety.py); their values from a file
are typed: a finite number or true/false, or for a few options one word from a known-safe set.
CBC's ``-preprocess save`` writes ``presolved.mps`` into the current folder and
``-preprocess stopaftersaving`` a ``.mps`` beside the model (CBC's own help text, checked below
against the installed ``cbc``); ``-presolve file`` writes the model.  A file asking for them is
refused (exit 3, located at the key) and nothing is written.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import pytest
from click.testing import CliRunner

from goalprog.cli import main
from goalprog.spec.solvers import option_problems, option_words

CBC = shutil.which("cbc")

# /tmp/a7/run1/save.yaml of the review (the option value varies)
SAVE = """\
name: save
variables:
  x: {{lower: 0, upper: 10, type: integer}}
  y: {{lower: 0, upper: 10, type: integer}}
  z: {{lower: 0, upper: 10, type: integer}}
constraints:
  c: 2*x + 3*y + 5*z >= 7
  d: x - y + z <= 3
goals:
  g: {{expr: x + y + z, at_most: 0, priority: 1}}
solve:
  method: preemptive
  backend: pyomo
  solver: cbc
  options: {{{option}: {value}}}
"""


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("option,value", [("preprocess", "save"), ("preprocess", "stopaftersaving"),
                                          ("preprocess", "SAVE"), ("preprocess", "stop"), ("presolve", "file")])
def test_cbc_values_that_write_files_are_refused_and_nothing_is_written(tmp_path, option, value):
    path = tmp_path / "save.yaml"
    path.write_text(SAVE.format(option=option, value=value), encoding="utf-8")
    for command in ("validate", "solve"):
        res = cli(command, path.name, cwd=tmp_path)
        assert res.returncode == 3, (command, res.stdout, res.stderr)
        # line 15, column 13: the key inside `options: {...}`
        assert f"save.yaml:15:13: solve.options.{option}:" in res.stderr
        assert repr(value) in res.stderr and f"--option {option}=VALUE" in res.stderr
        assert "read or write files" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["save.yaml"]


@pytest.mark.skipif(CBC is None, reason="needs the cbc program")
def test_the_refused_cbc_value_really_writes_a_file(tmp_path):
    """Why the file may not: typed on the command line (trusted), preprocess=save writes
    presolved.mps into the current folder."""
    path = tmp_path / "save.yaml"
    path.write_text(SAVE.format(option="preprocess", value="on"), encoding="utf-8")
    res = cli("solve", path.name, "--option", "preprocess=save", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "presolved.mps").exists()


def test_allowed_cbc_value_solves_and_writes_nothing(tmp_path):
    if CBC is None:
        pytest.skip("needs the cbc program")
    path = tmp_path / "ok.yaml"
    path.write_text(SAVE.format(option="preprocess", value="equal"), encoding="utf-8")
    res = cli("solve", path.name, "-f", "json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    # min x + y + z with 2x + 3y + 5z >= 7 over integers: z = 1, x = 1 (7), or y = 1, x = 2 ... -> 2
    assert json.loads(res.stdout)["stages"][0]["objective"] == pytest.approx(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.yaml"]


@pytest.mark.skipif(CBC is None, reason="needs the cbc program")
def test_every_allowed_cbc_word_is_a_cbc_value_that_writes_no_file():
    words = option_words("pyomo", "cbc")
    assert set(words) == {"presolve", "cuts", "preprocess", "heuristics"}
    query = "".join(f"{name}??\n" for name in words) + "quit\n"
    text = subprocess.run([CBC], input=query, capture_output=True, text=True, timeout=30).stdout
    for name, allowed in words.items():
        listed = re.search(r"<Possible options for " + name[:4] + r"\w* are: ([^;]*);", text, re.I)
        assert listed, name
        values = {re.sub(r"[()]", "", w).lower() for w in listed.group(1).split()}
        assert allowed <= values, (name, allowed - values)
        assert not allowed & {"save", "stopaftersaving", "file"}, name


def test_every_allowed_highs_word_is_a_highs_value():
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for name, allowed in option_words("highs", "highs").items():
        for word in allowed:
            assert h.setOptionValue(name, word) == highspy.HighsStatus.kOk, (name, word)


@pytest.mark.parametrize("backend,solver,option,value", [
    ("pyomo", "gurobi", "TimeLimit", "abc"),
    ("pyomo", "cplex", "timelimit", "x"),
    ("pyomo", "scip", "limits/time", "fast"),
    ("pyomo", "glpk", "tmlim", "wlp"),
    ("pyomo", "ipopt", "mu_strategy", "probing"),
    ("pulp", "cbc", "timeMode", "wall"),
    ("pulp", "cbc", "presolve", "off"),  # PuLP reads any text as true: 'off' would turn presolve on
    ("highs", "highs", "solver", "file"),
    ("highs", "highs", "mip_rel_gap", "1e-6x"),
    ("pyomo", "cbc", "preprocess", 1),
])
def test_free_text_never_reaches_a_solver(backend, solver, option, value):
    problems = option_problems({option: value}, backend, solver)
    assert [p[0] for p in problems] == [option]


@pytest.mark.parametrize("backend,solver,options", [
    ("highs", "highs", {"presolve": "off", "solver": "IPM", "mip_rel_gap": "1e-6", "run_crossover": True}),
    ("pyomo", "cbc", {"cuts": "forceOn", "preprocess": "sos", "presolve": "more", "heuristics": "off", "sec": 5}),
    ("pulp", "cbc", {"presolve": False, "cuts": True, "timeMode": "cpu", "maxNodes": 10}),
    ("pyomo", "ipopt", {"mu_strategy": "adaptive", "hessian_approximation": "limited-memory"}),
    (None, "cbc", {"preprocess": "on", "timeMode": "elapsed"}),
])
def test_typed_and_known_safe_values_are_accepted(backend, solver, options):
    assert option_problems(options, backend, solver) == []


def test_validate_without_a_backend_still_refuses_save(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(SAVE.format(option="preprocess", value="save").replace("  backend: pyomo\n", ""),
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 3 and "solve.options.preprocess" in res.output
