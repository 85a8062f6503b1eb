"""Bad input ends in a located error (exit 3, or 2 for a command-line value), never in an
internal error (exit 1): long chains, deep nesting, numbers a solver cannot take; and echoed
input is cut short."""

from __future__ import annotations

import subprocess
import sys

import pytest

import goalprog
from goalprog.core.errors import ArgumentError, ExpressionError, Issue, SchemaError, SourceLocation, clip
from goalprog.core.limits import MAX_EVAL_DEPTH, MAX_NESTING


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def _write(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _longest_line(text: str) -> int:
    return max(len(line) for line in text.splitlines())


FIVE = "sets:\n  I: {range: [1, 5]}\nvariables:\n  x: {index: I}\n"


@pytest.mark.parametrize("name, text, where", [
    ("product chain", "variables:\n  x: {}\ngoals:\n  g: {expr: 'x" + "*1" * 500 + "', at_least: 1}\n", "goals.g.expr"),
    ("and chain", FIVE + "constraints:\n  c: {for: 'i in I', where: '" + " and ".join(["i != 0"] * 10_000)
     + "', expr: 'x[i] <= 1'}\ngoals:\n  g: {expr: 'x[1]', at_least: 1}\n", "constraints.c.where"),
    ("comparison chain", FIVE + "constraints:\n  c: {for: 'i in I', where: '" + " < ".join(["i"] * 10_000)
     + "', expr: 'x[i] <= 1'}\ngoals:\n  g: {expr: 'x[1]', at_least: 1}\n", "constraints.c.where"),
    ("named expression chain", "variables:\n  x: {}\nexpressions:\n"
     + "".join(f"  e{k}: 'e{k + 1} + 1'\n" for k in range(300)) + "  e300: 'x'\n"
     + "goals:\n  g: {expr: 'e0', at_least: 1}\n", "expressions.e"),
])
def test_long_chains_are_located_errors_not_recursion(tmp_path, name, text, where):
    path = _write(tmp_path, text)
    proc = _cli("validate", path)
    assert proc.returncode == 3, proc.stderr
    assert "nested or chained too deeply" in proc.stderr
    assert f"more than {MAX_EVAL_DEPTH} " in proc.stderr
    assert where in proc.stderr
    assert "internal error" not in proc.stderr and "RecursionError" not in proc.stderr
    assert _longest_line(proc.stderr) < 400


def test_long_and_chain_in_a_for_header_is_evaluated_conjunct_by_conjunct(tmp_path):
    # `if` conjuncts are applied one by one (no recursion): 10,000 of them work
    path = _write(tmp_path, FIVE + "constraints:\n  c: {for: 'i in I if " + " and ".join(["i != 2"] * 10_000)
                  + "', expr: 'x[i] <= 1'}\ngoals:\n  g: {expr: 'x[1]', at_least: 1}\n")
    model = goalprog.load(path).model
    assert model.n_hard == 4  # i = 1, 3, 4, 5


def test_chains_below_the_limit_still_evaluate():
    n = MAX_EVAL_DEPTH - 10
    data = {"variables": {"x": {}}, "goals": {"g": {"expr": "x" + "*1.01" * n, "at_least": 1}}}
    assert goalprog.from_dict(data).model.goals.data[0] == pytest.approx(1.01 ** n)
    exprs = {f"e{k}": f"e{k + 1} + 1" for k in range(40)}
    exprs["e40"] = "x"
    data = {"variables": {"x": {}}, "expressions": exprs, "goals": {"g": {"expr": "e0", "at_least": 1}}}
    assert goalprog.from_dict(data).model.goals.const[0] == 40  # e0 = x + 40


def _nested(depth):
    d = inner = {}
    for _ in range(depth):
        inner["a"] = {}
        inner = inner["a"]
    return d


@pytest.mark.parametrize("field", ["description", "params"])
def test_deeply_nested_dict_is_an_argument_error(field):
    base = {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    if field == "params":
        data = {**base, "sets": {"I": ["a"]}, "params": {"p": {"index": "I", "values": _nested(5_000)}}}
    else:
        data = {**base, "description": _nested(5_000)}
    with pytest.raises(ArgumentError, match=f"nested more than {MAX_NESTING} levels"):
        goalprog.from_dict(data)


def test_dict_containing_itself_is_an_argument_error_and_shared_lists_are_fine():
    data = {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    data["description"] = data
    with pytest.raises(ArgumentError, match="contains itself"):
        goalprog.from_dict(data)
    shared = ["a", "b", "c"]
    ok = {"sets": {"I": shared, "J": shared}, "variables": {"x": {"index": ["I", "J"]}},
          "goals": {"g": {"expr": "sum(x[i, j] for i in I for j in J)", "at_least": 1}}}
    assert goalprog.from_dict(ok).model.n_cols == 3 * 3 + 1


SWEEP = "params:\n  w: 1\nvariables:\n  x: {upper: 10}\ngoals:\n  g: {expr: x, at_least: 5, weight: w}\n"


@pytest.mark.parametrize("vary, words", [
    ("w=1:2:1e-999999999999", ["far more than", "limited to 1,000,000 runs"]),
    ("w=1:2:1e-9", [f"{10 ** 9 + 1:,} values", "limited to 1,000,000 runs"]),
    ("w=1:2:1e-1000", ["about 1.000E+1000 values"]),
    ("w=1e999999999999:1:-1", ["numbers up to 1e300"]),
])
def test_sweep_ranges_that_overflow_are_usage_errors(tmp_path, vary, words):
    path = _write(tmp_path, SWEEP)
    proc = _cli("sweep", path, "--vary", vary, timeout=60)
    assert proc.returncode == 2, proc.stderr
    for w in words:
        assert w in proc.stderr
    assert "internal error" not in proc.stderr


@pytest.mark.parametrize("snippet, words", [
    ("scale: 1e-320", ["a scale must be a positive number at least 1e-300"]),
    ("weight: 1e-320", ["0 or at least 1e-300"]),
    ("normalize: percent", ["weight / scale = 1 / 1e-312", "1e+20"]),
    ("weight: 1e10, penalty: [{up_to: 5, rate: 1}, {rate: 1e15}]", ["x the penalty rate 1e+15", "= 1e+25"]),
    ("penalty: [{up_to: 5, rate: 1}, {rate: .inf}]", ["penalty[1].rate: inf is not a finite number"]),
    ("penalty: [{up_to: 5, rate: 1}, {rate: .nan}]", ["penalty[1].rate: nan is not a finite number"]),
])
def test_numbers_a_solver_cannot_take_are_located_errors(tmp_path, snippet, words):
    path = _write(tmp_path, f"variables:\n  x: {{upper: 100}}\ngoals:\n  g: {{expr: x, at_least: 1e-310, {snippet}}}\n")
    proc = _cli("solve", "-q", path)
    assert proc.returncode == 3, proc.stderr
    for w in words:
        assert w in proc.stderr
    assert f"{path}:4:" in proc.stderr


@pytest.mark.parametrize("solve", ["time_limit: .inf", "mip_gap: .nan", "lock: {abs_tol: .inf}",
                                   "lock: {rel_tol: .nan}"])
def test_solver_settings_must_be_finite(solve):
    data = {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    key, _, value = solve.partition(": ")
    value = float(value.strip("{}").split(": ")[-1].replace(".", ""))
    data["solve"] = {key: value} if key != "lock" else {"lock": {solve.split("{")[1].split(":")[0]: value}}
    with pytest.raises(SchemaError, match="is not a finite number"):
        goalprog.from_dict(data)


def test_a_rate_inf_with_a_scale_is_refused_at_load_not_by_the_solver():
    data = {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1, "scale": 10,
                                                     "penalty": [{"up_to": 1, "rate": 1}, {"rate": float("inf")}]}}}
    with pytest.raises(SchemaError, match="rate: inf is not a finite number"):
        goalprog.from_dict(data)
    data["goals"]["g"]["penalty"] = [{"up_to": 1, "rate": 1}, {"up_to": float("inf"), "rate": 2}]
    assert goalprog.from_dict(data).solve().status.value == "optimal"


def test_a_number_of_5000_digits_is_a_located_error_and_not_echoed(tmp_path):
    path = _write(tmp_path, "variables:\n  x: {}\ngoals:\n  g: {expr: x, at_least: " + "9" * 5000 + "}\n")
    proc = _cli("validate", path)
    assert proc.returncode == 3, proc.stderr
    assert "5000 digits" in proc.stderr
    assert f"{path}:4:" in proc.stderr
    assert len(proc.stderr) < 600


@pytest.mark.parametrize("expr", ["x + " + "y" * 200_000, "x + 'a" + "b" * 200_000 + "' * 2", "x " + "z" * 200_000,
                                  "x + `" + "q" * 200_000 + "`", "x" + "@" * 200_000])
def test_echoed_expression_parts_are_cut_short(tmp_path, expr):
    path = _write(tmp_path, f"variables:\n  x: {{}}\ngoals:\n  g: {{expr: \"{expr}\", at_least: 1}}\n")
    proc = _cli("validate", path)
    assert proc.returncode == 3, proc.stderr
    assert _longest_line(proc.stderr) < 400
    assert len(proc.stderr) < 1500


def test_echoed_keys_members_and_values_are_cut_short():
    long = "k" * 100_000
    cases = [
        {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1, long: 1}}},
        {"sets": {"I": ["a"]}, "params": {"p": {"index": "I", "values": {long: 1}}}, "variables": {"x": {}},
         "goals": {"g": {"expr": "x", "at_least": 1}}},
        {"sets": {"I": ["a"]}, "variables": {"x": {"index": "I"}},
         "goals": {"g": {"expr": f"x['{long}']", "at_least": 1}}},
        {"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": [long]}}},
    ]
    for data in cases:
        with pytest.raises(goalprog.GoalProgError) as info:
            goalprog.from_dict(data)
        text = str(info.value)
        assert _longest_line(text) < 900, text[:300]
        assert len(text) < 3000


def test_issue_format_clips_message_hint_key_and_caret_window():
    source = "x + " * 50_000 + "y"
    issue = Issue("m" * 50_000, SourceLocation("f.yaml", "k" * 5_000, 1, 1), "h" * 50_000, source,
                  (4, len(source)))
    text = issue.format()
    assert len(text) < 3000
    lines = text.splitlines()
    assert lines[1].startswith("    x + x")  # the window starts at the caret's start
    assert lines[2].index("^") == 4 + 4  # indent + offset of the span's start
    assert clip("abc", 2) == "ab... (3 characters)"
    assert clip("abc") == "abc"


# --- numbers a solver cannot take: a subnormal lambda crashed HiGHS (exit 139) on every backend ---

SEGFAULT = """variables:
  a: {}
  b: {}
  y: {type: integer}
goals:
  g: {expr: a + b, at_least: 5, priority: 1}
  ha: {expr: a, at_most: 3, priority: 2, penalty: [{up_to: 1, rate: 1}, {rate: 2}]}
  hb: {expr: 2*b, at_most: 3, priority: 2, penalty: [{up_to: 1, rate: 1}, {rate: 2}]}
  k: {expr: y, between: [1, 2], priority: 2}
solve:
"""


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
@pytest.mark.parametrize("solve, where", [
    ("  levels: {2: {achievement: extended, lambda: 1e-320}}\n", ":11:47: solve.levels[2].lambda"),
    ("  levels: {2: {achievement: extended, lambda: 4e-308}}\n", ":11:47: solve.levels[2].lambda"),
    ("  method: extended\n  lambda: 1e-320\n", ":12:11: solve.lambda"),
])
def test_a_subnormal_lambda_is_a_located_error_not_a_segfault(tmp_path, backend, solve, where):
    path = _write(tmp_path, SEGFAULT + solve)
    proc = _cli("solve", "-q", "-b", backend, "--lock-style", "row", path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert f"{path}{where}: lambda is 0 or at least 1e-300" in proc.stderr


def test_a_subnormal_lambda_on_the_command_line_or_the_api_is_a_usage_error(tmp_path):
    path = _write(tmp_path, SEGFAULT + "  levels: {2: {achievement: extended, lambda: 0.5}}\n")
    proc = _cli("solve", "-q", "--method", "extended", "--lambda", "1e-320", path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "must be 0 or at least 1e-300, got 1e-320" in proc.stderr
    proc = _cli("export", path, "-o", tmp_path / "m.lp", "--method", "extended", "--lambda", "1e-320")
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    problem = goalprog.load(path)
    for name in ("lam", "lock_abs_tol", "lock_rel_tol"):
        with pytest.raises(ArgumentError, match=f"{name} must be 0 or at least 1e-300"):
            problem.solve(**{name: 1e-320})


def test_the_smallest_allowed_lambda_solves_the_chebyshev_level():
    # level 1 holds a + b >= 5; level 2 is (almost) min-max of pen(a - 3) and pen(2b - 3) with
    # pen(d) = d up to 1: equal penalties need da = db with da + db / 2 = 0.5, so da = db = 1/3,
    # a = 10/3, b = 3/2 + 1/6 = 5/3, and the level's achievement is 1/3 (+ 1e-300 * 2/3)
    data = {"variables": {"a": {}, "b": {}, "y": {"type": "integer"}},
            "goals": {"g": {"expr": "a + b", "at_least": 5, "priority": 1},
                      "ha": {"expr": "a", "at_most": 3, "priority": 2,
                             "penalty": [{"up_to": 1, "rate": 1}, {"rate": 2}]},
                      "hb": {"expr": "2*b", "at_most": 3, "priority": 2,
                             "penalty": [{"up_to": 1, "rate": 1}, {"rate": 2}]},
                      "k": {"expr": "y", "between": [1, 2], "priority": 2}},
            "solve": {"levels": {2: {"achievement": "extended", "lambda": 1e-300}}}}
    for backend in ("highs", "pulp", "pyomo"):
        r = goalprog.from_dict(data).solve(backend=backend, lock_style="row")
        assert r.status.value == "optimal"
        a, b = r.value("a"), r.value("b")
        assert a == pytest.approx(10 / 3, abs=1e-6) and b == pytest.approx(5 / 3, abs=1e-6), backend


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
@pytest.mark.parametrize("text, words", [
    # each number alone passes the file's checks; what reaches the solver does not
    ("variables:\n  a: {}\ngoals:\n  g: {expr: a, at_least: 5, weight: 1e-300, scale: 1e10}\n",
     "the objective's cost of the under-deviation of goal 'g' is 1e-310"),
    ("variables:\n  a: {}\ngoals:\n  g: {expr: a, at_least: 1e-320}\n", "the lower side of goal 'g' is 9.99989e-321"),
    ("variables:\n  a: {}\n  b: {}\ngoals:\n  g: {expr: 1e-320*a + b, at_least: 5}\n",
     "in goal 'g', the coefficient of variable 'a' is 9.99989e-321"),
    ("variables:\n  a: {lower: 1e-320}\ngoals:\n  g: {expr: a, at_least: 5}\n",
     "the lower bound of variable 'a' is 9.99989e-321"),
    ("variables:\n  a: {}\nconstraints:\n  c1: a <= 1e-320\ngoals:\n  g: {expr: a, at_least: 5}\n",
     "the upper side of constraint 'c1' is 9.99989e-321"),
    ("variables:\n  a: {}\ngoals:\n  g: {expr: 1e16*a, at_least: 5}\n",
     "in goal 'g', the coefficient of variable 'a' is 1e+16: solvers take numbers below 1e+15"),
])
def test_numbers_no_solver_can_take_are_refused_before_the_solver(tmp_path, backend, text, words):
    path = _write(tmp_path, text)
    proc = _cli("solve", "-q", "-b", backend, path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert words in proc.stderr
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr


def test_tiny_legitimate_numbers_still_solve():
    # 1e-8 * a <= 3e-8 holds a <= 3, so the goal a >= 5 falls 2 short (its cost 1e-12 per unit is
    # all the objective there is); the goal b >= 7e-12 is met.  (HiGHS drops constraint
    # coefficients below 1e-9 in size, its small_matrix_value, so 1e-12 * a would not bind.)
    data = {"variables": {"a": {"upper": 10}, "b": {"lower": 1e-12}},
            "constraints": {"c": "1e-8*a <= 3e-8"},
            "goals": {"g": {"expr": "a", "at_least": 5, "weight": 1e-12},
                      "h": {"expr": "b", "at_least": 7e-12}}}
    for backend in ("highs", "pulp", "pyomo"):
        r = goalprog.from_dict(data).solve(backend=backend)
        assert r.status.value == "optimal"
        assert r.value("a") == pytest.approx(3, abs=1e-6)


def test_the_guard_checks_objectives_and_added_rows():
    from goalprog.model.ir import ExtraRow, Objective, SparseVector
    from goalprog.solve.backends.base import check_objective_numbers, check_row_numbers
    from goalprog.core.errors import ProblemFileError

    model = goalprog.from_dict({"variables": {"a": {}}, "goals": {"g": {"expr": "a", "at_least": 5}}}).model
    check_objective_numbers(model, Objective("min", SparseVector.make([0], [1e-300])))
    check_row_numbers(model, ExtraRow("lock", SparseVector.make([0], [1.0]), float("-inf"), 1e-300))
    for bad in (1e-320, -4e-308, 1e20, float("nan"), float("inf")):
        with pytest.raises(ProblemFileError, match="the objective's cost of variable 'a'"):
            check_objective_numbers(model, Objective("min", SparseVector.make([0], [bad])))
    for row in (ExtraRow("lock", SparseVector.make([0], [1e-320]), float("-inf"), 1.0),
                ExtraRow("lock", SparseVector.make([0], [1e15]), float("-inf"), 1.0)):
        with pytest.raises(ProblemFileError, match="in the added row 'lock', the coefficient of variable 'a'"):
            check_row_numbers(model, row)
    for upper in (1e-320, 1e20, float("nan")):
        with pytest.raises(ProblemFileError, match="the upper side of the added row 'lock'"):
            check_row_numbers(model, ExtraRow("lock", SparseVector.make([0], [1.0]), float("-inf"), upper))


@pytest.mark.parametrize("penalty, words", [
    ("[{up_to: 1e400, rate: 1}, {rate: 2}]", "penalty[0].up_to is infinite: only the last piece may be endless"),
    ("[{up_to: .inf, rate: 1}, {up_to: 5, rate: 2}]", "penalty[0].up_to is infinite"),
    ("[{up_to: 1e25, rate: 1}, {rate: 2}]", "up_to is a number from 1e-300 to below 1e+20"),
    ("[{up_to: 1e-320, rate: 1}, {rate: 2}]", "up_to is a number from 1e-300 to below 1e+20"),
    ("[{up_to: 2, rate: 1}, {up_to: 1, rate: 2}]", "the 'up_to' breakpoints must increase"),
    ("[{up_to: 1, rate: 1e-320}, {rate: 2}]", "a penalty rate is 0 or at least 1e-300"),
])
def test_penalty_pieces_a_solver_cannot_take_are_located_errors(tmp_path, penalty, words):
    path = _write(tmp_path, f"variables:\n  x: {{}}\ngoals:\n  g: {{expr: x, at_least: 1, penalty: {penalty}}}\n")
    proc = _cli("solve", "-q", path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert words in proc.stderr
    assert f"{path}:4:" in proc.stderr
    assert "RuntimeWarning" not in proc.stderr and "rejected" not in proc.stderr


@pytest.mark.parametrize("tol", ["abs_tol", "rel_tol"])
def test_a_subnormal_lock_tolerance_is_a_located_error(tmp_path, tol):
    path = _write(tmp_path, SEGFAULT + f"  lock: {{{tol}: 1e-320}}\n")
    proc = _cli("solve", "-q", path)
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert f"solve.lock.{tol}: a lock tolerance is 0 or at least 1e-300" in proc.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method and SIGSEGV")
def test_a_sweep_run_whose_worker_segfaults_says_which_signal(tmp_path, monkeypatch):
    import ctypes
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patch reaches workers by fork")
    from goalprog.analysis.sweep import sweep
    from goalprog.problem import Problem

    real = Problem.solve

    def crashing(self, *args, **kwargs):
        if abs(self.model.goals.under_weight[0] - 3.0) < 1e-9:
            import faulthandler

            faulthandler.disable()  # no Python traceback in the test log
            ctypes.string_at(0)  # a segmentation fault in native code, as HiGHS had
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Problem, "solve", crashing)
    path = _write(tmp_path, "variables:\n  x: {}\ngoals:\n  g: {expr: x, at_least: 1}\n")
    df = sweep(path, {"goals.g.weight": [1, 2, 3, 4]}, workers=2, backend="highs", progress=False)
    status = dict(zip(df["vary:goals.g.weight"], df["status"]))
    assert status == {1: "optimal", 2: "optimal", 3: "error", 4: "optimal"}
    msg = df.set_index("vary:goals.g.weight")["message"][3]
    assert "the worker process died (signal 11, SIGSEGV)" in msg
