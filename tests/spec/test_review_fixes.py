"""Regression tests for problems found by reviewers trying goalprog as users."""

import copy

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import BackendError, ExpressionError, ProblemFileError, SchemaError
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
    p = goalprog.problem.build(doc)
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


# ---- adversarial review (issue 5 kinds): each case below crashed, hung or answered wrongly before ----

def test_forward_reference_in_a_computed_parameter_is_an_error():
    spec = {"params": {"a": {"value": "b + 1"}, "b": {"value": "2 * 3"}},
            "variables": {"x": {"upper": 100}}, "constraints": {"cap": "x <= a"},
            "goals": {"g": {"expr": "x", "at_least": "a"}, "h": {"expr": "x", "at_most": 50}}}
    with pytest.raises(ExpressionError, match="'b' has no value yet"):
        goalprog.from_dict(spec)


def test_long_and_deep_expressions():
    e = " + ".join(f"{i}*x" for i in range(1, 3001))  # 3000 terms
    r = goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": e, "at_least": 4501500}}}).solve(backend="highs")
    assert r.value("x") == pytest.approx(1)  # sum of 1..3000 = 4,501,500
    r = goalprog.from_dict({"variables": {"x": {"upper": 3}},
                            "goals": {"g": {"expr": "-" * 2001 + "x", "at_most": -2}}}).solve(backend="highs")
    assert r.value("x") == pytest.approx(3)  # an odd run of minus signs negates: -x <= -2 with x up to 3
    with pytest.raises(ExpressionError, match="nested more than"):
        goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": "(" * 300 + "x" + ")" * 300, "at_least": 1}}})


@pytest.mark.parametrize("text", ["description: &a [*a]\n", "variables:\n  x: &a {<<: *a}\n"])
def test_recursive_alias_is_refused(tmp_path, text):
    f = tmp_path / "p.yaml"
    f.write_text(text + "goals: {g: {expr: x, at_least: 1}}\n")
    with pytest.raises(ProblemFileError, match="contains it|infinite"):
        goalprog.load(f)


def test_deeply_nested_yaml_is_a_clean_error(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("description: " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ProblemFileError, match="nested too deeply"):
        goalprog.load(f)


@pytest.mark.parametrize("snippet", ["params: {budget: yes}", "params: {c: {index: S, values: {a: yes}}}",
                                     "solve: {mip_gap: on}", "solve: {threads: yes}"])
def test_yaml_booleans_are_not_numbers(tmp_path, snippet):
    f = tmp_path / "p.yaml"
    f.write_text("sets: {S: [a]}\nvariables: {x: {}}\ngoals: {g: {expr: x, at_least: 1}}\n" + snippet + "\n")
    with pytest.raises(ProblemFileError, match="boolean"):
        goalprog.load(f)


def test_join_conditions_keep_their_meaning():
    """`q == t / 2` only matches where t / 2 is a member; a guard `t > 1` protects `prev[t]`."""
    spec = {"sets": {"T": [1, 2, 3, 4]}, "params": {"prev": {"index": "T", "values": {2: 1, 3: 2, 4: 3}}},
            "variables": {"x": {"index": "T", "upper": 5}},
            "expressions": {"half": {"for": "t in T", "expr": "sum(x[q] for q in T if q == t / 2)"},
                            "back": {"for": "t in T", "expr": "sum(x[q] for q in T if t > 1 and q == prev[t])"}},
            "constraints": {"fix": {"for": "t in T", "expr": "x[t] == t"}},
            "goals": {"g": {"expr": "x[1]", "at_least": 0}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    half = r.value("half")
    assert list(half) == pytest.approx([0, 1, 0, 2])   # t = 2 -> x[1], t = 4 -> x[2]; odd t match nothing
    assert list(r.value("back")) == pytest.approx([0, 1, 2, 3])


def test_variable_over_an_empty_set():
    spec = {"sets": {"E": []}, "variables": {"x": {"upper": 3}, "y": {"index": "E"}},
            "goals": {"g": {"expr": "x + sum(y[e] for e in E)", "at_least": 2}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.value("x") == pytest.approx(2) or r.value("x") >= 2


@pytest.mark.parametrize("backend", ["pulp", "pyomo", "highs"])
def test_integer_variables_in_no_row_are_whole_numbers(backend):
    spec = {"variables": {"k": {"type": "integer", "lower": 0.5, "upper": 3.7}, "b": {"type": "binary", "lower": 0.3},
                          "x": {}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.value("k") in (1, 2, 3) and r.value("b") == 1


def test_integer_bounds_without_a_whole_number_are_rejected():
    with pytest.raises(ExpressionError, match="no whole number between"):
        goalprog.from_dict({"variables": {"k": {"type": "integer", "lower": 0.5, "upper": 0.7}},
                            "goals": {"g": {"expr": "k", "at_least": 1}}})


def test_pyomo_level_with_nothing_to_optimise():
    spec = {"sets": {"products": ["pants", "shirts"], "launched": []},
            "variables": {"make": {"index": "products", "upper": 10}},
            "goals": {"new_lines": {"maximize": "sum(make[p] for p in products if p in launched)", "priority": 1},
                      "volume": {"expr": "sum(make[p] for p in products)", "at_least": 15, "priority": 2}}}
    r = goalprog.from_dict(spec).solve(backend="pyomo")
    assert r.status is goalprog.Status.OPTIMAL
    assert r.value("make").sum() >= 15 - 1e-6


def test_set_named_like_a_result_column():
    spec = {"sets": {"value": ["a", "b"]}, "variables": {"x": {"index": "value", "upper": 2}},
            "goals": {"g": {"expr": "sum(x[v] for v in value)", "at_least": 4}}}
    df = goalprog.from_dict(spec).solve(backend="highs").variables
    assert list(df["value"]) == pytest.approx([2, 2])
    assert list(df["index:value"]) == ["a", "b"]


def test_huge_range_and_priority_and_numbers_are_refused():
    with pytest.raises(ProblemFileError, match="limited to"):
        goalprog.from_dict({"sets": {"S": {"range": [1, 10**12]}}, "variables": {"x": {}},
                            "goals": {"g": {"expr": "x", "at_least": 1}}})
    with pytest.raises(ProblemFileError, match="priority"):
        goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1, "priority": 10**20}}})
    with pytest.raises(ProblemFileError, match="infinite"):
        goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1e20}}})


def test_nested_merge_keys(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("variables:\n  b: &base {lower: 0, upper: 9}\n  x: &mid {<<: *base, type: integer}\n  y: {<<: *mid}\n"
                 "  z: {<<: [*mid, *base]}\ngoals: {g: {expr: x + y + z, at_least: 100}}\n")
    p = goalprog.load(f)
    r = p.solve(backend="highs")
    assert r.value("y") == 9 and p.model.col_integer[2]


def test_members_1_and_text_1_are_refused():
    # issue 14: both would be labelled x[1] in every table (before, they were two members)
    spec = {"sets": {"S": [1, "1", 2]}, "params": {"c": {"index": "S", "values": {1: 10, "1": 20, 2: 30}}},
            "variables": {"x": {"index": "S", "upper": "c"}}, "goals": {"g": {"expr": "sum(x[s] for s in S)", "at_least": 100}}}
    with pytest.raises(goalprog.core.errors.DataError, match="the members 1 and '1' are written the same way"):
        goalprog.from_dict(spec)


def test_output_write_errors_are_usage_errors(tmp_path, problems_dir):
    f = tmp_path / "afile"
    f.write_text("x")
    res = CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_weighted.yaml"), "-o", str(f / "out.txt")])
    assert res.exit_code == 2 and "is a file, not a folder" in res.output


def test_csv_force_leaves_no_stale_tables(tmp_path, problems_dir):
    out = tmp_path / "res"
    CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_preemptive.yaml"), "-f", "csv", "-o", str(out)])
    assert (out / "levels.csv").exists()
    CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_weighted.yaml"), "-f", "csv", "-o", str(out),
                              "--force"])
    assert not (out / "levels.csv").exists()


def test_unused_settings_are_warned():
    p = goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1, "priority": 1}},
                            "solve": {"levels": {7: {"achievement": "chebyshev"}}}})
    assert any("level 7" in w for w in p.solve(backend="highs").warnings)
    assert any("lambda" in w for w in p.solve(backend="highs", method="weighted", lam=0.5).warnings)


def test_format_must_be_the_number_1():
    for bad in (True, "1"):
        with pytest.raises(SchemaError):
            goalprog.from_dict({"format": bad, "variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 1}}})
