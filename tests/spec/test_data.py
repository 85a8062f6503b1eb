"""Sets, parameters and CSV data: values bind correctly, bad data gets a located error (one test per kind)."""

import textwrap

import pytest

import goalprog
from goalprog.core.errors import DataError, ExpressionError


def write(tmp_path, yaml_text, files=None):
    for name, text in (files or {}).items():
        f = tmp_path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(textwrap.dedent(text))
    p = tmp_path / "model.yaml"
    p.write_text(textwrap.dedent(yaml_text))
    return p


MODEL = """\
sets:
  products: {file: data/products.csv, column: product}
  months: {range: [1, 3]}
params:
  demand: {index: [products, months], file: data/demand.csv, keys: [product, month]}
variables:
  make: {index: [products, months]}
goals:
  meet:
    for: p in products, m in months
    expr: make[p, m]
    equal: demand[p, m]
"""

PRODUCTS = "product\npants\nshirts\n"
DEMAND = """\
product,month,demand
pants,1,10
pants,2,20
pants,3,30
shirts,1,5
shirts,2,6
shirts,3,7
"""


def test_csv_parameters_bind_to_goal_targets(tmp_path):
    p = goalprog.load(write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": DEMAND}))
    r = p.solve(backend="highs")
    goals = r.goals
    assert list(goals.columns[:3]) == ["goal", "products", "months"]
    targets = {(a, b): t for a, b, t in goals[["products", "months", "target"]].itertuples(index=False)}
    assert targets == {("pants", 1): 10, ("pants", 2): 20, ("pants", 3): 30,
                       ("shirts", 1): 5, ("shirts", 2): 6, ("shirts", 3): 7}
    make = r.value("make")
    assert make.index.names == ["products", "months"]
    assert make[("shirts", 2)] == pytest.approx(6)
    pivot = r.variables.pivot(index="products", columns="months", values="value")
    assert pivot.loc["pants", 3] == pytest.approx(30)


def one_issue(exc):
    assert len(exc.issues) == 1, exc.format()
    return exc.issues[0]


def test_missing_value_is_located(tmp_path):
    bad = DEMAND.replace("pants,2,20", "pants,2,")
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert issue.location.file.endswith("demand.csv")
    assert (issue.location.line, issue.location.col) == (3, 3)  # header is line 1; 'demand' is column 3
    assert "empty" in issue.message


def test_non_numeric_value_is_located(tmp_path):
    bad = DEMAND.replace("shirts,3,7", "shirts,3,seven")
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert (issue.location.line, issue.location.col) == (7, 3)
    assert "'seven'" in issue.message


def test_unknown_index_value_is_located(tmp_path):
    bad = DEMAND.replace("shirts,1,5", "shrits,1,5")
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert (issue.location.line, issue.location.col) == (5, 1)
    assert "'shrits'" in issue.message and "products" in issue.message
    assert "shirts" in issue.hint


def test_month_outside_range_is_located(tmp_path):
    bad = DEMAND + "pants,4,40\n"
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert (issue.location.line, issue.location.col) == (8, 2)


def test_duplicate_row_is_located(tmp_path):
    bad = DEMAND + "pants,2,21\n"
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert issue.location.line == 8
    assert "duplicate" in issue.message and "line 3" in issue.message


def test_missing_row_without_default_is_located_at_the_use(tmp_path):
    bad = DEMAND.replace("shirts,2,6\n", "")
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})
    with pytest.raises(ExpressionError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "no value for ('shirts', 2)" in issue.message
    assert "default" in issue.hint


def test_default_fills_missing_rows(tmp_path):
    bad = DEMAND.replace("shirts,2,6\n", "")
    text = MODEL.replace("keys: [product, month]}", "keys: [product, month], default: 0}")
    r = goalprog.load(write(tmp_path, text, {"data/products.csv": PRODUCTS, "data/demand.csv": bad})).solve(backend="highs")
    assert r.value("make")[("shirts", 2)] == pytest.approx(0)


def test_missing_column_did_you_mean(tmp_path):
    text = MODEL.replace("keys: [product, month]", "keys: [product, mnth]")
    path = write(tmp_path, text, {"data/products.csv": PRODUCTS, "data/demand.csv": DEMAND})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "no column 'mnth'" in issue.message
    assert "month" in issue.hint
    assert issue.location.line == 5  # the params.demand line of the YAML


def test_missing_file_is_located(tmp_path):
    path = write(tmp_path, MODEL, {"data/products.csv": PRODUCTS})
    with pytest.raises(DataError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "not found" in issue.message
    assert issue.location.line == 5


def test_wrong_arity_is_located(tmp_path):
    text = MODEL.replace("expr: make[p, m]", "expr: make[p]")
    path = write(tmp_path, text, {"data/products.csv": PRODUCTS, "data/demand.csv": DEMAND})
    with pytest.raises(ExpressionError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "takes 2 index value(s), got 1" in issue.message
    assert (issue.location.line, issue.location.col) == (11, 11)  # line 11: "    expr: make[p]"


def test_index_outside_its_set_is_located(tmp_path):
    text = MODEL.replace("expr: make[p, m]", "expr: make[p, m + 1]")
    path = write(tmp_path, text, {"data/products.csv": PRODUCTS, "data/demand.csv": DEMAND})
    with pytest.raises(ExpressionError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "4 is not a member of the set 'months'" in issue.message


def test_loop_variable_shadowing_a_name_is_an_error(tmp_path):
    text = (MODEL.replace("for: p in products, m in months", "for: make in products, m in months")
            .replace("make[p, m]", "make[make, m]").replace("demand[p, m]", "demand[make, m]"))
    path = write(tmp_path, text, {"data/products.csv": PRODUCTS, "data/demand.csv": DEMAND})
    with pytest.raises(ExpressionError) as e:
        goalprog.load(path)
    issue = one_issue(e.value)
    assert "shadows the variable 'make'" in issue.message
    assert (issue.location.line, issue.location.col) == (10, 10)  # line 10: the for: header


def test_where_filter_and_tuple_set(tmp_path):
    """Arcs read as a tuple set; a where: filter; sum over tuples with a condition."""
    yaml_text = """\
    sets:
      nodes: [a, b, c]
      arcs: {file: arcs.csv, columns: [src, dst]}
    params:
      cap: {index: arcs, file: arcs.csv, keys: [src, dst]}
    variables:
      flow: {index: arcs}
    constraints:
      capacity:
        for: (i, j) in arcs
        expr: flow[i, j] <= cap[i, j]
    goals:
      out_of_a:
        for: n in nodes
        where: n == 'a'
        expr: sum(flow[i, j] for (i, j) in arcs if i == n)
        at_least: 100
    """
    arcs = "src,dst,cap\na,b,30\na,c,50\nb,c,10\n"
    r = goalprog.load(write(tmp_path, yaml_text, {"arcs.csv": arcs})).solve(backend="highs")
    g = r.goals
    assert len(g) == 1 and g.iloc[0]["nodes"] == "a"
    # a can ship at most 30 + 50 = 80 of the 100
    assert g.iloc[0]["under"] == pytest.approx(20)
    assert set(r.variables.columns) >= {"i", "j"} or set(r.variables.columns) >= {"arcs_1", "arcs_2"}


def test_integer_members_from_csv_support_arithmetic(tmp_path):
    yaml_text = """\
    sets:
      months: {file: m.csv, column: month}
    variables:
      stock: {index: months}
    constraints:
      grow:
        for: m in months
        where: m > 1
        expr: stock[m] >= stock[m - 1] + 1
    goals:
      low: {expr: "sum(stock[m] for m in months)", at_most: 0}
    """
    r = goalprog.load(write(tmp_path, yaml_text, {"m.csv": "month\n1\n2\n3\n"})).solve(backend="highs")
    # cheapest: stock = 0, 1, 2 -> total 3 over a target of 0
    assert r.goals.iloc[0]["over"] == pytest.approx(3)
