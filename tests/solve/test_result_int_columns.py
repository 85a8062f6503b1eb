"""Whole-number members, priorities and levels stay whole numbers in the Result's tables when the
tables mix items over different index sets or goals without a priority on one side (issue 14):
pandas nullable Int64 columns, 1 and <NA>, never 1.0 and NaN."""

from __future__ import annotations

import pandas as pd
import pytest

import goalprog

PROBLEM = """\
name: mixed
sets:
  periods: [1, 2]
  shops: [north, south]
variables:
  mid: {index: periods, lower: 0, upper: 10}
  stock: {index: shops, lower: 0, upper: 10}
expressions:
  per_period:
    for: t in periods
    expr: 2 * mid[t]
  per_shop:
    for: s in shops
    expr: 3 * stock[s]
goals:
  enough:
    for: t in periods
    expr: mid[t]
    at_least: 4
    priority: 1
  little:
    for: s in shops
    expr: stock[s]
    at_most: 1
    priority: 2
  total:
    expr: sum(mid[t] for t in periods)
    equal: 9
    priority: 3
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    f = tmp_path_factory.mktemp("mixed") / "mixed.yaml"
    f.write_text(PROBLEM)
    return goalprog.load(f).solve(method="preemptive")


def test_variables_and_expressions_keep_integer_members(result):
    v = result.variables
    assert str(v["periods"].dtype) == "Int64"
    assert v.loc[v["variable"] == "mid", "periods"].tolist() == [1, 2]
    assert v.loc[v["variable"] == "stock", "periods"].isna().all()
    e = result.expressions
    assert str(e["periods"].dtype) == "Int64"
    assert e.loc[e["expression"] == "per_period", "periods"].tolist() == [1, 2]


def test_goal_priorities_and_members_are_integers(result):
    g = result.goals
    for col in ("periods", "under_priority", "over_priority"):
        assert str(g[col].dtype) == "Int64", col
    enough = g[g["goal"] == "enough"]
    assert enough["under_priority"].tolist() == [1, 1] and enough["over_priority"].isna().all()
    little = g[g["goal"] == "little"]
    assert little["over_priority"].tolist() == [2, 2] and little["under_priority"].isna().all()
    assert g.loc[g["goal"] == "total", "under_priority"].tolist() == [3]


def test_levels_and_stages_have_integer_levels(result):
    assert str(result.levels["level"].dtype) == "Int64"
    assert result.levels["level"].tolist() == [1, 2, 3]
    stages = result.stages_table
    assert str(stages["priority"].dtype) == "Int64" and stages["priority"].tolist() == [1, 2, 3]


def test_integer_columns_print_without_a_decimal_point(result):
    text = result.variables.to_csv(index=False)
    assert "mid,1," in text and "mid,1.0," not in text
    assert pd.isna(result.variables.loc[result.variables["variable"] == "stock", "periods"]).all()
