"""`goalprog export` (LP/MPS files) and the names it writes.

Exported models must read back into HiGHS (and CBC, when a ``cbc`` binary is around) with the
optimum goalprog's own solve reaches.  (The JSON Schema of ``goalprog schema`` is tested in
tests/cli/test_schema_command.py.)
"""

import functools
import os
import re
import shutil
import subprocess
import warnings

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.output.export import ExportStageError, export_model, safe_name, unique_names
from tests.helpers import ROOT

PROBLEMS = ROOT / "problems"
PROBLEM_FILES = sorted(PROBLEMS.glob("*.yaml"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- names ------------------------------------------------------------------------------------

def test_names_are_safe_and_distinct():
    assert safe_name("make[pants,3]") == "make(pants,3)"
    assert safe_name("total cost") == "total_cost"
    assert safe_name("größe") == "grosse"
    assert safe_name("1abc") == "_1abc"
    assert safe_name("st") == "st_" and safe_name("Free") == "Free_"
    assert len(safe_name("x" * 500)) <= 60
    assert unique_names(["a b", "a_b"]) == ["a_b_2", "a_b"]     # the name already safe keeps its text
    assert unique_names(["m", "m", "m"]) == ["m", "m_2", "m_3"]
    names = unique_names(["x" * 80, "x" * 81, "a b", "a_b", "a_b_2", "a[1]", "a(1)"])
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.(),]*", n) and len(n) <= 60 for n in names)


# -- export -----------------------------------------------------------------------------------

def _highs_optimum(path):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    assert h.readModel(str(path)) != highspy.HighsStatus.kError
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value, h.getLp()


@functools.lru_cache(maxsize=1)
def _cbc_path():
    """A cbc binary: on PATH, else the one PuLP bundles (None when there is none)."""
    found = shutil.which("cbc")
    if found:
        return found
    try:
        with warnings.catch_warnings():  # PuLP 3 deprecates PULP_CBC_CMD; its bundled binary is still there
            warnings.simplefilter("ignore")
            from pulp.apis import PULP_CBC_CMD

            path = PULP_CBC_CMD(msg=False).path
    except Exception:  # pragma: no cover - PuLP without its bundled CBC
        return None
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def _cbc_optimum(path, tmp_path):
    cbc = _cbc_path()
    if cbc is None:
        pytest.skip("no cbc binary (neither on PATH nor bundled with PuLP)")
    sol = tmp_path / "cbc.sol"
    proc = subprocess.run([cbc, str(path), "solve", "solu", str(sol)], capture_output=True, text=True, timeout=120)
    assert sol.exists(), proc.stdout + proc.stderr
    first = sol.read_text().splitlines()[0]
    m = re.match(r"Optimal - objective value\s+(\S+)", first)
    assert m, first
    return float(m.group(1))


@pytest.mark.parametrize("fmt", ["lp", "mps"])
def test_weighted_clothing_factory_round_trips(tmp_path, fmt):
    problem = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml")
    solved = problem.solve(method="weighted", backend="highs")
    assert solved.objective == pytest.approx(30_000)
    path = tmp_path / f"factory.{fmt}"
    info = export_model(problem, path, fmt)
    assert info.method == "weighted" and info.n_locks == 0 and path.stat().st_size > 0
    value, lp = _highs_optimum(path)
    assert value == pytest.approx(solved.objective, rel=1e-9)
    assert set(lp.col_names_) == {"pants", "shirts", "dresses", "profit.under", "waste.over"}
    assert set(lp.row_names_) == {"budget", "profit", "waste"}


@pytest.mark.parametrize("fmt", ["lp", "mps"])
def test_preemptive_stage_two_has_the_lock_of_level_one(tmp_path, fmt):
    problem = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml")
    levels = problem.solve(backend="highs").levels
    level2 = float(levels.loc[levels["level"] == 2, "achievement"].iloc[0])
    assert level2 == pytest.approx(30_000)
    path = tmp_path / f"stage2.{fmt}"
    info = export_model(problem, path, level=2)   # preemptive implied by the level
    assert (info.method, info.level, info.stage, info.stages, info.n_locks) == ("preemptive", 2, 2, 2, 1)
    assert info.earlier == ((1, pytest.approx(0.0, abs=1e-9)),)
    value, lp = _highs_optimum(path)
    assert value == pytest.approx(level2, rel=1e-9)
    assert "lock_level_1" in set(lp.row_names_)
    # without the lock, level 2 alone would do better: the lock is what makes it stage 2
    export_model(problem, tmp_path / f"alone.{fmt}", method="weighted")
    stage1 = export_model(problem, tmp_path / f"stage1.{fmt}", level=1)
    assert stage1.n_locks == 0 and _highs_optimum(tmp_path / f"stage1.{fmt}")[0] == pytest.approx(0, abs=1e-7)


MIXED = """\
name: mixed achievement functions
variables:
  x: {upper: 10}
  y: {upper: 10}
constraints:
  cap: x + y <= 12
goals:
  gx: {expr: x, at_least: 9, priority: 1, normalize: percent}
  gy: {expr: y, at_least: 9, priority: 1, normalize: percent}
  gz: {expr: x + 2*y, at_least: 30, priority: 2, penalty: [{up_to: 2, rate: 1}, {rate: 3}]}
  gw: {expr: x - y, equal: 0, priority: 2, normalize: zero_one}
solve:
  levels: {1: {achievement: chebyshev}, 2: {achievement: extended, lambda: 0.4}}
"""


def _every_stage():
    cases = [(p.name, p) for p in PROBLEM_FILES]
    return cases + [("mixed", None)]


@pytest.mark.parametrize("name, path", _every_stage(), ids=[c[0] for c in _every_stage()])
def test_every_exported_stage_has_goalprogs_optimum(tmp_path, name, path):
    """Each stage written (LP: the sense as solved) reads back with the optimum of that stage of
    goalprog's own solve: weighted, preemptive with plain objectives, MIPs, Chebyshev and extended
    levels, normalisation and piecewise penalties."""
    if path is None:
        path = tmp_path / "mixed.yaml"
        path.write_text(MIXED, encoding="utf-8")
    problem = goalprog.load(path)
    result = problem.solve(backend="highs")
    assert result.status.value == "optimal"
    for stage in result.stages:
        level = stage.priority if result.method == "preemptive" else None
        out = tmp_path / f"stage{stage.index}.lp"
        info = export_model(problem, out, level=level)
        assert info.stage == stage.index + 1 and info.sense == stage.sense
        tol = 1e-4 * max(1.0, abs(stage.objective)) if problem.model.is_mip else 1e-7 * max(1.0, abs(stage.objective))
        assert _highs_optimum(out)[0] == pytest.approx(stage.objective, abs=tol)


COLLIDE = """\
name: name collisions
variables:
  "a b": {upper: 10}
  a_b: {upper: 10}
  "a[1]": {upper: 1}
  a(1): {upper: 1}
  st: {upper: 1}
constraints:
  cap: "`a b` + a_b <= 12"
  a_b: "`a[1]` + `a(1)` + st <= 3"
goals:
  "a b": {expr: "`a b`", at_least: 8, weight: 2}
  a_b: {expr: a_b, at_least: 8}
"""


@pytest.mark.parametrize("fmt", ["lp", "mps"])
def test_names_that_clean_alike_stay_distinct(tmp_path, fmt):
    src = tmp_path / "collide.yaml"
    src.write_text(COLLIDE, encoding="utf-8")
    problem = goalprog.load(src)
    assert problem.solve(backend="highs").objective == pytest.approx(4)
    path = tmp_path / f"collide.{fmt}"
    info = export_model(problem, path)
    cols, rows = info.col_names, info.row_names
    assert len(set(cols)) == len(cols) == 7 and len(set(rows)) == len(rows) == 4
    assert cols[:5] == ("a_b_2", "a_b", "a(1)_2", "a(1)", "st_")
    assert set(cols[5:]) == {"a_b.under", "a_b.under_2"}
    value, lp = _highs_optimum(path)
    assert value == pytest.approx(4)
    assert sorted(lp.col_names_) == sorted(cols)     # HiGHS kept every name (it renames all on a bad one)
    assert sorted(lp.row_names_) == sorted(rows)


def test_objective_sense_and_constant_are_portable(tmp_path):
    src = tmp_path / "objectives.yaml"
    src.write_text("variables: {pants: {}, shirts: {}}\n"
                   "constraints: {budget: 5*pants + shirts <= 50000}\n"
                   "goals:\n"
                   "  best: {maximize: 10*pants + 3*shirts - 20000, priority: 1}\n"
                   "  least: {minimize: shirts + 7, priority: 2}\n", encoding="utf-8")
    problem = goalprog.load(src)
    lp1 = export_model(problem, tmp_path / "s1.lp", level=1)
    assert lp1.sense == "max" and not lp1.negated
    assert _highs_optimum(tmp_path / "s1.lp")[0] == pytest.approx(130_000)
    mps1 = export_model(problem, tmp_path / "s1.mps", level=1)
    assert mps1.negated and mps1.sense == "min" and "negative" in mps1.describe()
    assert _highs_optimum(tmp_path / "s1.mps")[0] == pytest.approx(-130_000)
    s2 = export_model(problem, tmp_path / "s2.lp", level=2)
    assert "objective_constant" in s2.col_names
    assert _highs_optimum(tmp_path / "s2.lp")[0] == pytest.approx(50_007, rel=1e-6)


@pytest.mark.parametrize("fmt", ["mps", "lp"])
@pytest.mark.parametrize("name, level, expected", [
    ("clothing_factory_weighted.yaml", None, 30_000),
    ("clothing_factory_preemptive.yaml", 2, 30_000),
    ("staff_scheduling.yaml", 3, 17),     # a MIP: CBC must see the integer columns
])
def test_cbc_reads_the_export(tmp_path, fmt, name, level, expected):
    if _cbc_path() is None:
        pytest.skip("no cbc binary (neither on PATH nor bundled with PuLP)")
    path = tmp_path / f"model.{fmt}"
    export_model(PROBLEMS / name, path, level=level)
    assert _cbc_optimum(path, tmp_path) == pytest.approx(expected, rel=1e-6)
    assert _highs_optimum(path)[0] == pytest.approx(expected, rel=1e-6)


def test_cbc_reads_an_objective_constant(tmp_path):
    if _cbc_path() is None:
        pytest.skip("no cbc binary (neither on PATH nor bundled with PuLP)")
    src = tmp_path / "c.yaml"
    src.write_text("variables: {x: {upper: 4}}\ngoals: {g: {minimize: x + 7}}\n"
                   "constraints: {c: x >= 1}\n", encoding="utf-8")
    for fmt in ("lp", "mps"):
        export_model(src, tmp_path / f"c.{fmt}")
        assert _cbc_optimum(tmp_path / f"c.{fmt}", tmp_path) == pytest.approx(8)


def test_export_command(tmp_path):
    out = tmp_path / "stage2.mps"
    res = run("export", PROBLEMS / "clothing_factory_preemptive.yaml", "--level", 2, "-o", out)
    assert res.exit_code == 0, res.output
    assert "stage 2 of 2" in res.output and out.exists()
    assert _highs_optimum(out)[0] == pytest.approx(30_000)
    # an existing file is replaced only with --force
    res = run("export", PROBLEMS / "clothing_factory_preemptive.yaml", "--level", 2, "-o", out)
    assert res.exit_code == 2 and "already exists" in res.output
    assert run("export", PROBLEMS / "clothing_factory_preemptive.yaml", "--level", 2, "-o", out,
               "--force").exit_code == 0
    # --format for a file name without the extension
    res = run("export", PROBLEMS / "clothing_factory_weighted.yaml", "-o", tmp_path / "model.txt", "--format", "lp")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "model.txt").read_text().lstrip().startswith("\\")


@pytest.mark.parametrize("args, code, text", [
    (["--level", 3], 2, "there is no priority level 3; the levels are 1, 2"),
    ([], 2, "choose one with a level: 1, 2"),
    (["--method", "weighted", "--level", 1], 2, "has one stage"),
])
def test_export_usage_errors(tmp_path, args, code, text):
    res = run("export", PROBLEMS / "clothing_factory_preemptive.yaml", *args, "-o", tmp_path / "x.lp")
    assert res.exit_code == code, res.output
    assert text in res.output
    assert "Traceback" not in res.output and not (tmp_path / "x.lp").exists()


def test_export_bad_file_and_bad_name(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("variables: {x: {}}\ngoals:\n  g: {expr: x, at_least: 1, weigth: 2}\n", encoding="utf-8")
    res = run("export", bad, "-o", tmp_path / "x.lp")
    assert res.exit_code == 3
    assert f"{bad}:3:" in res.output and "did you mean 'weight'" in res.output and "Traceback" not in res.output
    res = run("export", PROBLEMS / "clothing_factory_weighted.yaml", "-o", tmp_path / "x.txt")
    assert res.exit_code == 2 and "--format" in res.output


def test_export_stops_at_an_infeasible_earlier_level(tmp_path):
    src = tmp_path / "infeasible.yaml"
    src.write_text("variables: {x: {upper: 1}}\nconstraints: {c: x >= 2}\n"
                   "goals:\n  a: {expr: x, at_least: 1, priority: 1}\n  b: {expr: x, at_most: 0, priority: 2}\n",
                   encoding="utf-8")
    with pytest.raises(ExportStageError) as err:
        export_model(src, tmp_path / "x.lp", level=2)
    assert err.value.status.value == "infeasible"
    res = run("export", src, "--level", 2, "-o", tmp_path / "x.lp")
    assert res.exit_code == 4, res.output
    assert "infeasible" in res.output and not (tmp_path / "x.lp").exists()
    # stage 1 needs no earlier solve: it is written (and is infeasible for whoever reads it)
    assert run("export", src, "--level", 1, "-o", tmp_path / "s1.lp").exit_code == 0


def test_export_writes_through_a_link(tmp_path):
    """A link (like /dev/stdout) is written through, never replaced by a file."""
    real = tmp_path / "real.lp"
    link = tmp_path / "link.lp"
    link.symlink_to(real)
    export_model(PROBLEMS / "clothing_factory_weighted.yaml", link)
    assert link.is_symlink() and real.is_file()
    assert _highs_optimum(real)[0] == pytest.approx(30_000)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".goalprog-export-")]


EXPONENT_NAMES = """
variables:
  e1: {lower: 0, upper: 4}
  E2: {lower: 0, upper: 3}
constraints:
  cap: {expr: e1 + E2 <= 5}
goals:
  big: {expr: 2*e1 + E2, at_least: 20, weight: 1}
"""


def test_names_cplex_would_read_as_exponents_get_an_underscore():
    # CPLEX's LP reader takes `0 e1` as the number 0e1 (so `e1` would vanish from a row)
    from goalprog.solve.native_names import clean_name

    assert safe_name("e1") == "_e1" and safe_name("E.2") == "_E.2" and safe_name("eggs") == "eggs"
    assert safe_name("e_1") == "e_1"
    assert clean_name("e1") == "_e1" and clean_name("E9x") == "_E9x" and clean_name("eggs") == "eggs"


def test_cplex_reads_exponent_like_names(tmp_path):
    cplex = pytest.importorskip("cplex", reason="cplex is not installed (pip install cplex)")
    src = tmp_path / "exp.yaml"
    src.write_text(EXPONENT_NAMES, encoding="utf-8")
    path = tmp_path / "exp.lp"
    info = export_model(goalprog.load(src), path)
    assert "_e1" in info.col_names and "_E2" in info.col_names
    c = cplex.Cplex(str(path))
    c.set_results_stream(None), c.set_log_stream(None), c.set_warning_stream(None)
    c.solve()
    # by hand: e1 = 4, E2 = 1 (cap), 2*4 + 1 = 9, so 11 under the target of 20
    assert c.solution.get_objective_value() == pytest.approx(11, abs=1e-9)
    assert c.variables.get_num() == len(info.col_names)
