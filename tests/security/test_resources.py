"""Bounded resources: a problem file cannot make goalprog hang or run out of memory.

The model's size is estimated before it is built and counted while it is built; past the limit
(``--max-nonzeros``, ``max_nonzeros=``; default 50,000,000 nonzeros, a tenth of it as members or
instances of one set, variable or item) loading stops with a located SizeLimitError, exit code 3.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

import goalprog
from goalprog.core.errors import ArgumentError, ExpressionError, SizeLimitError
from goalprog.core.limits import DEFAULT_MAX_NONZEROS


def _cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def _write(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_forty_million_instance_variable_exits_3_with_the_estimate_in_seconds(tmp_path):
    path = _write(tmp_path, "sets:\n  I: {range: [1, 40000]}\n  J: {range: [1, 1000]}\n"
                            "variables:\n  x: {index: [I, J]}\n"
                            "goals:\n  g: {expr: 'sum(x[i, j] for i in I for j in J)', at_least: 1}\n")
    start = time.monotonic()
    proc = _cli("validate", path, timeout=120)
    elapsed = time.monotonic() - start
    assert proc.returncode == 3, proc.stderr
    assert elapsed < 60
    instances = 40_000 * 1_000
    assert f"{instances:,} instances" in proc.stderr
    assert "I (40,000) x J (1,000)" in proc.stderr
    assert f"{DEFAULT_MAX_NONZEROS // 10:,}" in proc.stderr
    assert "--max-nonzeros" in proc.stderr
    assert f"{path}:5:" in proc.stderr  # located at the variable's index
    assert "internal error" not in proc.stderr


def test_forty_million_instance_constraint_exits_3_for_every_command(tmp_path):
    path = _write(tmp_path, "sets:\n  I: {range: [1, 40000]}\n  J: {range: [1, 1000]}\n"
                            "variables:\n  x: {index: I}\n"
                            "constraints:\n  c: {for: 'i in I, j in J', expr: 'x[i] <= 1'}\n"
                            "goals:\n  g: {expr: 'sum(x[i] for i in I)', at_least: 1}\n")
    for args in (("validate", path), ("solve", path), ("export", path, "-o", tmp_path / "m.lp"),
                 ("sweep", path, "--vary", "solve.mip_gap=0,0.1")):
        proc = _cli(*args, timeout=120)
        assert proc.returncode == 3, (args, proc.stderr)
        assert f"the constraint 'c' has {40_000 * 1_000:,} instances" in proc.stderr, args
    assert not (tmp_path / "m.lp").exists()


def test_huge_range_is_refused_without_being_built(tmp_path):
    path = _write(tmp_path, "sets:\n  I: {range: [1, 40000000]}\nvariables:\n  x: {}\n"
                            "goals:\n  g: {expr: x, at_least: 1}\n")
    start = time.monotonic()
    proc = _cli("validate", path, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert time.monotonic() - start < 30
    assert f"{40_000_000:,} members" in proc.stderr
    assert f"{path}:2:" in proc.stderr
    # the limit follows --max-nonzeros: a tenth of it as members
    small = _write(tmp_path, "sets:\n  I: {range: [1, 200]}\nvariables:\n  x: {}\n"
                             "goals:\n  g: {expr: x, at_least: 1}\n", "small.yaml")
    assert _cli("validate", small).returncode == 0
    proc = _cli("validate", "--max-nonzeros", 1000, small)
    assert proc.returncode == 3
    assert "200 members" in proc.stderr and "limited to 100 members" in proc.stderr
    assert _cli("validate", "--max-nonzeros", 2000, small).returncode == 0


def _grid(n_i, n_j, goal_expr="sum(x[i, j] for i in I for j in J)"):
    return {"sets": {"I": {"range": [1, n_i]}, "J": {"range": [1, n_j]}},
            "variables": {"x": {"index": ["I", "J"], "upper": 1}},
            "goals": {"g": {"expr": goal_expr, "at_least": 1}}}


def test_max_nonzeros_keyword_raises_and_lowers_the_limit(tmp_path):
    data = _grid(20, 30)  # 600 columns, one goal row of 600 terms
    assert goalprog.from_dict(data).model.n_cols == 600 + 1
    with pytest.raises(SizeLimitError, match=f"has {20 * 30:,} instances"):
        goalprog.from_dict(data, max_nonzeros=5_000)  # a tenth: 500 instances
    assert goalprog.from_dict(data, max_nonzeros=6_010).model.n_cols == 601
    path = _write(tmp_path, "sets:\n  I: {range: [1, 20]}\n  J: {range: [1, 30]}\n"
                            "variables:\n  x: {index: [I, J]}\ngoals:\n  g: {expr: 'sum(x[i, j] for i in I for j in J)', "
                            "at_least: 1}\n")
    with pytest.raises(SizeLimitError) as info:
        goalprog.load(path, max_nonzeros=5_000)
    assert info.value.issues[0].location.line == 5
    for bad in (0, -1, 1.5, "10", True):
        with pytest.raises(ArgumentError, match="max_nonzeros"):
            goalprog.from_dict(data, max_nonzeros=bad)
    assert isinstance(SizeLimitError([]), goalprog.ProblemFileError)


def test_sum_over_a_product_is_stopped_before_its_bindings_are_made():
    # 5,000 x 2,000 = 10,000,000 bindings of the sum, above the 5,000,000 of the default
    data = {"sets": {"I": {"range": [1, 5000]}, "J": {"range": [1, 2000]}},
            "variables": {"x": {"index": "I"}},
            "goals": {"g": {"expr": "sum(x[i] for i in I for j in J)", "at_least": 1}}}
    start = time.monotonic()
    with pytest.raises(SizeLimitError) as info:
        goalprog.from_dict(data)
    assert time.monotonic() - start < 30
    text = str(info.value)
    assert f"{5000 * 2000:,} bindings" in text
    assert "for j in J" in text
    assert "goals.g.expr" in text


def test_joined_sum_is_held_to_the_limit_while_it_is_built():
    # `a == i` joins (the estimate does not count joins); each of the 10 x 20 outer bindings (i, k)
    # matches the 20 tuples (i, b) of J: 10 * 20 * 20 = 4,000 pairs, above 200 (max_nonzeros 2,000)
    pairs = [[a, b] for a in range(1, 11) for b in range(1, 21)]
    data = {"sets": {"I": {"range": [1, 10]}, "K": {"range": [1, 20]}, "J": pairs},
            "variables": {"x": {"index": "J"}},
            "goals": {"g": {"expr": "sum(x[a, b] for i in I for k in K for (a, b) in J if a == i)", "at_least": 1}}}
    model = goalprog.from_dict(data).model
    assert sorted(set(model.goals.data.tolist())) == [1.0, 20.0]  # 200 columns of coefficient 20, and n
    with pytest.raises(SizeLimitError, match=f"has {10 * 20 * 20:,} bindings"):
        goalprog.from_dict(data, max_nonzeros=2_000)


def test_estimate_refuses_a_model_with_too_many_nonzeros_before_building_it():
    # 20 constraints over 50 instances with 2 terms each: 20 * 50 * 2 = 2,000 nonzeros
    data = {"sets": {"I": {"range": [1, 50]}}, "variables": {"x": {"index": "I"}, "y": {"index": "I"}},
            "constraints": {f"c{k}": {"for": "i in I", "expr": "x[i] + y[i] <= 1"} for k in range(20)},
            "goals": {"g": {"expr": "sum(x[i] for i in I)", "at_least": 1}}}
    model = goalprog.from_dict(data).model
    assert model.n_hard == 20 * 50
    with pytest.raises(SizeLimitError) as info:
        goalprog.from_dict(data, max_nonzeros=1_500)
    text = str(info.value)
    expected = 20 * 50 * 2 + 50 + 1  # the constraints, the goal's 50 terms and its deviation n
    assert f"about {expected:,} nonzeros" in text
    assert "the constraint 'c0' with about 100 (50 instances x 2 terms)" in text
    assert "constraints.c0" in text


def test_running_count_stops_filtered_items_the_estimate_cannot_count():
    # where: filters are not evaluated by the estimate; the nonzeros are counted as rows are built
    data = {"sets": {"I": {"range": [1, 50]}}, "variables": {"x": {"index": "I"}, "y": {"index": "I"}},
            "constraints": {f"c{k}": {"for": "i in I", "where": "i > 0", "expr": "x[i] + y[i] <= 1"}
                            for k in range(20)},
            "goals": {"g": {"expr": "x[1]", "at_least": 1}}}
    assert goalprog.from_dict(data).model.n_hard == 20 * 50
    with pytest.raises(SizeLimitError) as info:
        goalprog.from_dict(data, max_nonzeros=1_500)
    text = str(info.value)
    # c0..c14 hold 15 * 100 = 1,500 nonzeros; c15 brings them to 1,600
    assert f"{16 * 100:,} nonzeros" in text
    assert "'c15'" in text
    assert "constraints.c15" in text


def test_five_million_term_expression_is_refused_quickly():
    terms = 5_000_000
    data = {"variables": {"x": {}}, "goals": {"g": {"expr": " + ".join(["x"] * terms), "at_least": 1}}}
    start = time.monotonic()
    with pytest.raises(ExpressionError) as info:
        goalprog.from_dict(data)
    assert time.monotonic() - start < 30
    text = str(info.value)
    assert f"{terms:,} terms" in text
    assert len(text) < 700  # the expression is not echoed whole
    # a long but acceptable sum still works
    ok = {"variables": {"x": {}}, "goals": {"g": {"expr": " + ".join(["x"] * 2000), "at_least": 1}}}
    model = goalprog.from_dict(ok).model
    assert model.goals.data.tolist() == [2000.0, 1.0]  # the terms folded into one coefficient, and n


def test_max_nonzeros_applies_to_sweep_and_export(tmp_path):
    # 20 x 30 = 600 instances of x: fine by default, refused with --max-nonzeros 5000 (500 instances)
    path = _write(tmp_path, "params:\n  w: 1\nsets:\n  I: {range: [1, 20]}\n  J: {range: [1, 30]}\n"
                            "variables:\n  x: {index: [I, J], upper: 1}\n"
                            "goals:\n  g: {expr: 'sum(x[i, j] for i in I for j in J)', at_least: 1, weight: w}\n")
    assert _cli("sweep", path, "--vary", "w=1,2", "--workers", 1, "--quiet").returncode == 0
    proc = _cli("sweep", path, "--vary", "w=1,2", "--max-nonzeros", 5000)
    assert proc.returncode == 3, proc.stderr
    assert f"{20 * 30:,} instances" in proc.stderr
    out = tmp_path / "m.lp"
    proc = _cli("export", path, "-o", out, "--max-nonzeros", 5000)
    assert proc.returncode == 3 and not out.exists()
    assert _cli("export", path, "-o", out, "--max-nonzeros", 6100).returncode == 0
    assert out.exists()


# -- data files: the header is checked before pandas parses the file; lines and cells are bounded --

_SET_FROM = ("sets: {{S: {{file: {file}, column: c0}}}}\nvariables: {{x: {{index: S}}}}\n"
             "goals: {{g: {{expr: 'sum(x[s] for s in S)', at_least: 1}}}}\n")


def test_sixty_thousand_repeated_column_names_are_refused_fast(tmp_path):
    # pandas renames repeated names one by one (quadratic: this file took 36 s before the check)
    (tmp_path / "dup.csv").write_text("c0," + ",".join("a" for _ in range(60_000)) + "\n1\n")
    path = _write(tmp_path, _SET_FROM.format(file="dup.csv"))
    proc = _cli("validate", path, timeout=10)
    assert proc.returncode == 3, proc.stderr
    assert f"{tmp_path / 'dup.csv'}:1:1:" in proc.stderr
    assert "60,001 columns" in proc.stderr and "10,000" in proc.stderr
    assert "internal error" not in proc.stderr


def test_repeated_column_names_under_the_column_limit_are_refused_with_both_positions(tmp_path):
    (tmp_path / "dup.csv").write_text("c0," + ",".join("a" for _ in range(9_000)) + "\n1\n")
    path = _write(tmp_path, _SET_FROM.format(file="dup.csv"))
    proc = _cli("validate", path, timeout=10)
    assert proc.returncode == 3, proc.stderr
    assert "'a'" in proc.stderr and "columns 2 and 3" in proc.stderr


def test_a_header_wider_than_ten_thousand_columns_is_refused(tmp_path):
    (tmp_path / "wide.csv").write_text(",".join(f"c{i}" for i in range(10_001)) + "\n" + "1," * 10_000 + "1\n")
    with pytest.raises(goalprog.DataError) as info:
        goalprog.load(_write(tmp_path, _SET_FROM.format(file="wide.csv")))
    text = str(info.value)
    assert "wide.csv:1:1:" in text and "10,001 columns" in text


def test_ten_thousand_columns_are_read(tmp_path):
    (tmp_path / "wide.csv").write_text(",".join(f"c{i}" for i in range(10_000)) + "\n" + "1," * 9_999 + "1\n")
    problem = goalprog.load(_write(tmp_path, _SET_FROM.format(file="wide.csv")))
    assert int((problem.model.col_role == 0).sum()) == 1


def test_more_data_lines_than_the_instance_limit_are_refused_before_parsing(tmp_path):
    (tmp_path / "rows.csv").write_text("c0\n" + "".join(f"{i}\n" for i in range(1_001)))
    with pytest.raises(goalprog.DataError) as info:
        goalprog.load(_write(tmp_path, _SET_FROM.format(file="rows.csv")), max_nonzeros=10_000)
    text = str(info.value)
    assert "1,001 lines of data" in text and "1,000" in text and "rows.csv:1:1:" in text
    problem = goalprog.load(_write(tmp_path, _SET_FROM.format(file="rows.csv")), max_nonzeros=10_010)
    assert int((problem.model.col_role == 0).sum()) == 1_001


def test_cells_are_limited_to_twice_the_instance_limit(tmp_path):
    # 600 lines x 4 columns = 2,400 cells > 2 x 1,000
    (tmp_path / "t.csv").write_text("c0,a,b,c\n" + "".join(f"{i},1,2,3\n" for i in range(600)))
    with pytest.raises(goalprog.DataError) as info:
        goalprog.load(_write(tmp_path, _SET_FROM.format(file="t.csv")), max_nonzeros=10_000)
    assert "2,400 cells (600 lines x 4 columns)" in str(info.value)


def test_a_256_mib_header_line_is_refused_in_seconds(tmp_path):
    with open(tmp_path / "one.csv", "wb") as f:
        f.write(b"c0," + b"x" * (256 * 1024 * 1024 - 10) + b"\n")
    path = _write(tmp_path, _SET_FROM.format(file="one.csv"))
    start = time.monotonic()
    proc = _cli("validate", path, timeout=30)
    assert proc.returncode == 3, proc.stderr
    assert "header line" in proc.stderr and "1,048,576" in proc.stderr
    assert time.monotonic() - start < 30


# -- reporting: the text tables show at most MAX_TABLE_ROWS rows each; JSON and CSV list them all --

_MANY_EXPRESSIONS = ("sets:\n  A: {{range: [1, {n}]}}\nvariables:\n  x: {{}}\n"
                     "expressions:\n  e: {{for: 'a in A, b in A', expr: x}}\ngoals:\n  g: {{expr: x, at_least: 1}}\n")


def test_text_tables_show_a_thousand_rows_and_say_how_many_more(tmp_path):
    path = _write(tmp_path, _MANY_EXPRESSIONS.format(n=300))  # 90,000 instances of e
    start = time.monotonic()
    proc = _cli("solve", path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 60
    rows = [line for line in proc.stdout.splitlines() if line.startswith("│ e[")]
    assert len(rows) == 1_000
    assert rows[0].split()[1] == "e[1,1]" and rows[-1].split()[1] == "e[4,100]"  # the first thousand, in order
    assert "89,000 more expression instances not shown (the first 1,000 of 90,000)" in proc.stdout


def test_json_and_csv_list_every_expression_instance(tmp_path):
    path = _write(tmp_path, _MANY_EXPRESSIONS.format(n=40))  # 1,600 instances
    proc = _cli("solve", "-f", "json", path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    import json

    exprs = json.loads(proc.stdout)["expressions"]
    assert len(exprs) == 1_600
    assert exprs[41] == {"expression": "e", "index": [2, 2], "label": "e[2,2]", "value": 1.0}
    proc = _cli("solve", "-f", "csv", path, timeout=60)
    section = proc.stdout.split("# expressions\n")[1].split("\n\n")[0].splitlines()
    assert len(section) == 1_601


def test_many_items_within_the_per_item_limit_are_refused_together():
    """Each instance costs memory whatever its terms: three expressions of 4M instances each were
    3.3 GB in `validate`.  With max_nonzeros=1,000 (instances: 100 per item and in all), two
    expressions of 60 instances each pass one by one and are refused together: 60 + 60 + 1 (the
    goal) = 121 > 100; one alone (61) is fine."""
    base = {"sets": {"I": {"range": [1, 60]}}, "variables": {"x": {}},
            "goals": {"g": {"expr": "x", "at_least": 1}}}
    one = {**base, "expressions": {"e1": {"for": "i in I", "expr": "x"}}}
    assert goalprog.from_dict(one, max_nonzeros=1_000).model.n_cols >= 1
    two = {**base, "expressions": {"e1": {"for": "i in I", "expr": "x"}, "e2": {"for": "i in I", "expr": "x"}}}
    with pytest.raises(SizeLimitError) as info:
        goalprog.from_dict(two, max_nonzeros=1_000)
    text = str(info.value)
    assert "would have 121 instances together, more than the limit of 100" in text
    assert "the expression 'e1' with 60" in text


def test_three_four_million_instance_expressions_are_refused_at_once(tmp_path):
    path = _write(tmp_path, "sets:\n  A: {range: [1, 2000]}\nvariables:\n  x: {}\nexpressions:\n"
                  + "".join(f"  e{k}: {{for: \"a in A, b in A\", expr: x}}\n" for k in (1, 2, 3))
                  + "goals:\n  g: {expr: x, at_least: 1}\n")
    proc = _cli("validate", path, timeout=60)
    assert proc.returncode == 3, proc.stderr
    assert f"{3 * 2000 * 2000 + 1:,} instances together" in proc.stderr
