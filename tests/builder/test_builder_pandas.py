"""Model.param with pandas data: values matched to set members by label, never by position.

The indexed clothing factory (problems/clothing_factory_indexed.yaml: products' profit, cost
and waste per unit 10/5/1.5, 3/1/1, 15/10/3) is built from a DataFrame whose rows are in another
order than the set; the answers are the hand-derived ones (tests/library/test_clothing_factory.py).
"""

from fractions import Fraction as F

import pandas as pd
import pytest

import goalprog
from goalprog.spec.loader import load_yaml_file

TABLE = pd.DataFrame({"profit": [15, 10, 3], "cost": [10, 5, 1], "waste": [3, 1.5, 1]},
                     index=pd.Index(["dresses", "pants", "shirts"], name="product"))


def indexed(weights=(1, 1), table=TABLE):
    m = goalprog.Model("clothing_factory_indexed")
    m.set("products", ["pants", "shirts", "dresses"])
    m.param("unit_profit", table["profit"], index="products")         # a Series
    m.param("unit_cost", table, index="products", column="cost")      # a DataFrame's column
    m.param("unit_waste", table[["waste"]].rename(columns={"waste": "unit_waste"}), index="products")  # by its name
    m.param("budget", 50000)
    m.variable("make", index="products")
    for q in ("profit", "cost", "waste"):
        m.expression(q, f"sum(unit_{q}[p] * make[p] for p in products)")
    m.constraint("budget", "cost <= budget")
    m.goal("profit", "profit", at_least=150000, weight=weights[0])
    m.goal("waste", "waste", at_most=20000, weight=weights[1])
    return m


def test_notebook_script_dataframe_solve_to_yaml_load(tmp_path):
    """The issue's acceptance: built from a DataFrame, 50,000 shirts at weights 1, 1; to_yaml,
    then load gives the same answer."""
    m = indexed()
    r = m.solve()
    assert r.value(("make", "shirts")) == pytest.approx(50_000)
    assert r.value(("make", "pants")) == pytest.approx(0, abs=1e-6)
    assert r.objective == pytest.approx(30_000)
    path = m.to_yaml(tmp_path / "indexed.yaml")
    doc = load_yaml_file(path).data
    assert doc == m.to_dict()
    assert doc["params"]["unit_waste"] == {"index": "products", "values": {"dresses": 3.0, "pants": 1.5, "shirts": 1.0}}
    again = goalprog.load(path).solve()
    assert again.value(("make", "shirts")) == pytest.approx(50_000) and again.objective == pytest.approx(30_000)


def test_labels_not_positions_give_the_shipped_files_answer(problems_dir):
    r = indexed((1, 1.5)).solve()
    shipped = goalprog.load(problems_dir / "clothing_factory_indexed.yaml").solve()
    assert r.value(("make", "pants")) == pytest.approx(float(F(60_000, 7)))
    assert r.value(("make", "shirts")) == pytest.approx(float(F(50_000, 7)))
    assert r.objective == pytest.approx(shipped.objective)


def test_two_index_sets_multiindex_series_and_a_dataframe_grid():
    grid = pd.DataFrame({2: [4.0, 3.0], 1: [2.0, 1.0]}, index=["b", "a"])  # rows: s, columns: t
    series = pd.Series([10, 20, 30, 40], index=pd.MultiIndex.from_tuples([("b", 2), ("a", 1), ("b", 1), ("a", 2)]))
    m = goalprog.Model("grid")
    m.set("s", ["a", "b"]).set("t", [1, 2])
    m.param("c", grid, index=["s", "t"])
    m.param("d", series, index=["s", "t"])
    m.param("e", {("a", 1): 5, ("b", 2): 6}, index=["s", "t"], default=0)
    m.param("f", [7, 8], index="s")
    params = m.to_dict()["params"]
    assert params["c"]["values"] == {"b": {2: 4.0, 1: 2.0}, "a": {2: 3.0, 1: 1.0}}
    assert params["d"]["values"] == {"b": {2: 10, 1: 30}, "a": {1: 20, 2: 40}}
    assert params["e"] == {"index": ["s", "t"], "default": 0, "values": {"a": {1: 5}, "b": {2: 6}}}
    # c[a,1] = 1, d[a,1] = 20, e[a,1] = 5, f[a] = 7: x[a,1] fixed by the goal at 1 + 20 + 5 + 7 = 33
    m.variable("x", index=["s", "t"])
    m.goal("hit", "x['a', 1]", equal="c['a', 1] + d['a', 1] + e['a', 1] + f['a']", weight=2)
    m.goal("small", "sum(x[i, j] for i in s for j in t)", at_most=0)
    r = m.solve()
    assert r.value(("x", ("a", 1))) == pytest.approx(33)


def test_a_series_short_of_members_uses_the_default():
    m = goalprog.Model("d").set("s", ["a", "b", "c"])
    m.param("w", pd.Series({"c": 3}), index="s", default=1)
    assert m.to_dict()["params"]["w"] == {"index": "s", "default": 1, "values": {"c": 3}}
