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
