"""result.value() by name, by the label the tables print, by (name, index); goals and expressions by
name; a miss is a GoalProgError (and still a KeyError) with did-you-mean (issue 14).

The clothing factory, weighted (1, 1.5): make pants = 60,000/7, shirts = 50,000/7, dresses = 0;
profit = 10 * 60,000/7 + 3 * 50,000/7 = 750,000/7 (Lee's textbook answer, as in
tests/library/test_clothing_factory.py)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

import goalprog
from goalprog.core.errors import ArgumentError, GoalProgError
from tests.helpers import PROBLEMS


@pytest.fixture(scope="module")
def indexed():
    return goalprog.load(PROBLEMS / "clothing_factory_indexed.yaml").solve()


def test_labels_as_the_tables_print_them(indexed):
    assert indexed.value("make[pants]") == pytest.approx(F(60_000, 7))
    assert indexed.value("make[shirts]") == pytest.approx(F(50_000, 7))
    assert indexed.value("make[dresses]") == pytest.approx(0)
    assert indexed.value('make["pants"]') == pytest.approx(F(60_000, 7))  # quoted, as sweep columns write it
    labels = indexed.variables["label"].tolist()
    assert all(indexed.value(lab) == v for lab, v in zip(labels, indexed.variables["value"]))


def test_name_index_pairs(indexed):
    assert indexed.value(("make", "pants")) == pytest.approx(F(60_000, 7))
    assert indexed.value(("make", ("shirts",))) == pytest.approx(F(50_000, 7))


def test_whole_items_goals_and_expressions(indexed):
    make = indexed.value("make")
    assert make["pants"] == pytest.approx(F(60_000, 7)) and make.index.name == "products"
    assert indexed.value("profit") == pytest.approx(F(750_000, 7))   # the expression (and the goal's value)
    assert indexed.value("waste") == pytest.approx(F(3, 2) * F(60_000, 7) + F(50_000, 7))


def test_an_indexed_goal_and_a_tuple_of_members(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("""\
name: pairs
sets:
  cells: [["a,b", 1], [c, 2]]
variables:
  x: {index: cells, lower: 0, upper: 10}
goals:
  g:
    for: (s, k) in cells
    expr: x[s, k] + k
    equal: 5
    weight: 1
""")
    r = goalprog.load(f).solve()
    # each goal x + k = 5 is met only by x = 5 - k: x["a,b",1] = 4, x[c,2] = 3; goal value 5
    assert r.value('x["a,b",1]') == pytest.approx(4)
    assert r.value(("x", ("a,b", 1))) == pytest.approx(4)
    assert r.value(("x", ("c", 2))) == pytest.approx(3)
    assert r.value("g[c,2]") == pytest.approx(5)
    assert r.value(("g", ("a,b", 1))) == pytest.approx(5)
    assert r.value("g").tolist() == pytest.approx([5, 5])


def test_a_miss_is_an_argument_error_and_a_key_error_with_did_you_mean(indexed):
    from goalprog.solve.results import UnknownResultKey

    with pytest.raises(UnknownResultKey) as exc:
        indexed.value("make[pnats]")
    assert isinstance(exc.value, ArgumentError) and isinstance(exc.value, GoalProgError)
    assert isinstance(exc.value, KeyError)
    assert "has no instance make[pnats]" in exc.value.issues[0].message
    assert exc.value.issues[0].hint.startswith("did you mean 'make[pants]'")
    with pytest.raises(KeyError) as exc:
        indexed.value("mkae")
    assert "did you mean 'make'" in exc.value.issues[0].hint
    with pytest.raises(GoalProgError):
        indexed.value(("profit", "pants"))


def test_plain_objectives_by_name():
    r = goalprog.load(PROBLEMS / "clothing_factory_objectives.yaml").solve()
    # best_profit maximises the expression profit, least_waste minimises waste: the same numbers
    assert r.value("best_profit") == r.value("profit")
    assert r.value("least_waste") == r.value("waste")


def test_a_missing_or_odd_index_member_is_a_clear_error_not_a_type_error():
    """value(('make', pd.NA)) raised pandas' bare TypeError (adversarial review); None and NaN too."""
    import math

    import pandas as pd

    from goalprog.solve.results import UnknownResultKey

    r = goalprog.load(PROBLEMS / "clothing_factory_indexed.yaml").solve(backend="highs")
    for bad in (pd.NA, None, math.nan, object()):
        with pytest.raises(UnknownResultKey, match="an index member is a name or a number"):
            r.value(("make", bad))
