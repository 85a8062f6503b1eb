"""Regression tests for problems found by reviewers trying goalprog as users."""

import copy

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.errors import BackendError, ExpressionError, ProblemFileError, SchemaError
from goalprog.spec.loader import load_yaml_text

BASE = {"variables": {"x": {"upper": 10}}, "goals": {"g": {"expr": "x", "at_least": 4}}}


def test_threads_can_change_between_solves_in_one_process(backend):
    p = goalprog.from_dict(BASE)
    assert p.solve(backend=backend).status is goalprog.Status.OPTIMAL
    assert p.solve(backend=backend, threads=1).status is goalprog.Status.OPTIMAL
    assert p.solve(backend=backend, threads=2).status is goalprog.Status.OPTIMAL


def test_unknown_solver_option_is_refused_on_every_backend(backend):
    with pytest.raises(BackendError, match="bogus_opt"):
        goalprog.from_dict(BASE).solve(backend=backend, solver_options={"bogus_opt": 3})


def test_solver_option_from_the_file_reaches_highs(backend):
    """presolve: off is a YAML 1.1 boolean; HiGHS wants the word 'off' and gets it."""
    doc = load_yaml_text("variables: {x: {upper: 10}}\ngoals: {g: {expr: x, at_least: 4}}\n"
                         "solve: {options: {presolve: off}}\n")
    p = goalprog.problem._build(doc)
    assert p.spec.solve.options == {"presolve": "off"}
    assert p.solve(backend=backend).status is goalprog.Status.OPTIMAL


def test_bad_bound_is_reported_once(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: {lower: 5, upper: 2}\ngoals:\n  g: {expr: x, at_least: 1}\n")
    with pytest.raises(ProblemFileError) as e:
        goalprog.load(f)
    assert len(e.value.issues) == 1
    assert "lower bound 5 is above upper bound 2" in e.value.issues[0].message


def test_validate_runs_the_checks_solve_runs(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: {}\ngoals:\n  a: {expr: x, at_least: 1, priority: 1}\n  b: {expr: x, at_most: 0}\n")
    res = CliRunner().invoke(main, ["validate", str(f)])
    assert res.exit_code == 3
    assert "has no priority" in res.output


def test_validate_reports_the_file_method(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: {}\ngoals:\n  a: {expr: x, at_least: 1, priority: 1}\n"
                 "  b: {expr: x, at_most: 0, priority: 2}\nsolve: {method: weighted}\n")
    res = CliRunner().invoke(main, ["validate", str(f)])
    assert res.exit_code == 0
    assert "method weighted" in res.output and "(default)" not in res.output


def test_inline_parameter_over_a_tuple_set():
    spec = {"sets": {"arcs": [["a", "b"], ["b", "c"]]},
            "params": {"cost": {"index": "arcs", "values": {"a": {"b": 3}, "b": {"c": 4}}}},
            "variables": {"f": {"index": "arcs", "upper": 1}},
            "goals": {"g": {"expr": "sum(cost[i, j] * f[i, j] for (i, j) in arcs)", "at_least": 100}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.goals.iloc[0]["value"] == pytest.approx(7)  # 3 + 4 with both flows at their bound 1
    bad = copy.deepcopy(spec)
    bad["params"]["cost"]["values"] = {"a": {"c": 3}}
    with pytest.raises(ProblemFileError, match=r"\('a', 'c'\) is not a member of the set 'arcs'"):
        goalprog.from_dict(bad)


def test_indexed_parameter_with_only_a_default():
    spec = {"sets": {"s": [1, 2, 3]}, "params": {"cap": {"index": "s", "default": 5}},
            "variables": {"x": {"index": "s", "upper": "cap"}},
            "goals": {"g": {"expr": "sum(x[i] for i in s)", "at_least": 100}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.goals.iloc[0]["value"] == pytest.approx(15)


def test_scalar_parameter_from_an_expression():
    spec = {"sets": {"s": [1, 2, 3]}, "params": {"n": {"value": "sum(1 for t in s)"}, "twice": {"value": "2 * n"}},
            "variables": {"x": {}}, "goals": {"g": {"expr": "x", "equal": "twice"}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.value("x") == pytest.approx(6)


def test_empty_range_is_caught_at_load():
    spec = {"variables": {"x": {}}, "constraints": {"r": "10 <= x <= 5"}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    with pytest.raises(ExpressionError, match="the range is empty"):
        goalprog.from_dict(spec)


def test_thousands_separator_gets_a_hint(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: {upper: 1,000}\ngoals:\n  g: {expr: x, at_least: 1}\n")
    with pytest.raises(ProblemFileError) as e:
        goalprog.load(f)
    assert "thousands separator" in e.value.issues[0].hint


def test_unquoted_brackets_in_a_flow_mapping_get_a_quoting_hint(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: {}\ngoals:\n  g: {expr: x[1], at_least: 1}\n")
    with pytest.raises(ProblemFileError) as e:
        goalprog.load(f)
    assert "quoted" in e.value.issues[0].hint


def test_from_dict_accepts_loaded_yaml_data_with_booleans():
    doc = load_yaml_text("variables: {x: {}}\ngoals: {g: {expr: x, at_least: 1}}\nsolve: {verbose: false}\n")
    p = goalprog.from_dict(doc.data)
    assert p.spec.solve.verbose is False


def test_at_least_goal_reports_its_surplus_unpenalised(backend):
    """Textbook GP tables show both deviations: x = 10 against at_least 4 is 6 over, and costs nothing."""
    spec = {"variables": {"x": {"lower": 10, "upper": 10}}, "goals": {"g": {"expr": "x", "at_least": 4}}}
    r = goalprog.from_dict(spec).solve(backend=backend)
    g = r.goals.iloc[0]
    assert (g["under"], g["over"], g["contribution"], bool(g["met"])) == (0, 6, 0, True)


def test_alias_bomb_is_refused_quickly(tmp_path):
    import time

    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n")
    t0 = time.perf_counter()
    with pytest.raises(ProblemFileError, match="anchors and aliases"):
        goalprog.load(f)
    assert time.perf_counter() - t0 < 5  # measured, not expanded (9**8 = 43 million values)


def test_merge_keys_and_anchors_are_plain_data(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  x: &v {lower: 0, upper: 10}\n  y: {<<: *v, upper: 4}\n"
                 "goals:\n  g: {expr: x + y, at_least: 100}\n")
    r = goalprog.load(f).solve(backend="highs")
    assert r.value("x") == 10 and r.value("y") == 4
