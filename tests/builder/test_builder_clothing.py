"""goalprog.Model: the clothing factory built in Python gives the published answers.

Hand derivation (tests/library/test_clothing_factory.py, docs/methods.md): weighted (1, 1):
only shirts reach 150,000 profit within the budget, s = 50,000, waste 50,000, objective 30,000;
weighted (1, 1.5): the vertex cost = 50,000, waste = 20,000, d = 0: p = 60,000/7, s = 50,000/7,
profit 750,000/7; preemptive, profit first: profit 150,000 (s = 50,000), then waste 50,000.
"""

from fractions import Fraction as F

import pytest

import goalprog
from tests.builder.clothing import clothing


def approx(v):
    return pytest.approx(float(v), rel=1e-6, abs=1e-4)


def test_weighted_equal_weights(backend):
    r = clothing((1, 1)).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "weighted"
    assert (r.value("pants"), r.value("shirts"), r.value("dresses")) == (approx(0), approx(50_000), approx(0))
    assert r.value("waste") == approx(50_000)
    assert r.objective == approx(30_000)


def test_weighted_one_and_a_half(backend):
    r = clothing((1, 1.5)).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.value("pants") == approx(F(60_000, 7))
    assert r.value("shirts") == approx(F(50_000, 7))
    assert r.value("dresses") == approx(0)
    assert r.value("profit") == approx(F(750_000, 7))
    assert r.value("waste") == approx(20_000)
    assert r.objective == approx(F(300_000, 7))


def test_preemptive_profit_first(backend):
    r = clothing(priorities=(1, 2)).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "preemptive"
    assert r.value("profit") == approx(150_000)
    assert r.value("waste") == approx(50_000)
    levels = r.levels.set_index("level")
    assert levels.loc[1, "achievement"] == approx(0)
    assert levels.loc[2, "achievement"] == approx(30_000)


def test_fluent_calls_return_the_model():
    m = goalprog.Model("x")
    assert m.variable("x", upper=4) is m
    assert m.goal("g", "x", at_least=3) is m
    assert m.solve().value("x") >= 3 - 1e-9


def test_same_document_as_the_shipped_file(problems_dir):
    """The builder's document is the shipped file's document (same keys, same values)."""
    from goalprog.spec.loader import load_yaml_file

    doc = load_yaml_file(problems_dir / "clothing_factory_preemptive.yaml").data
    m = goalprog.Model("clothing_factory_preemptive", doc["description"])
    for v in ("pants", "shirts", "dresses"):
        m.variable(v, lower=0)
    m.expression("profit", "10*pants + 3*shirts + 15*dresses")
    m.expression("cost", "5*pants + shirts + 10*dresses")
    m.expression("waste", "1.5*pants + shirts + 3*dresses")
    m.constraint("budget", "cost <= 50000")
    m.goal("profit", "profit", at_least=150000, priority=1)
    m.goal("waste", "waste", at_most=20000, priority=2)
    m.settings(method="preemptive")
    assert m.to_dict() == doc


def test_meta_goals_from_the_builder_fewest_unmet_then_total():
    """Meta-goals built in Python: fewest unmet goals, then least total deviation (issue 16's
    clothing reference: 1 unmet goal, total 30,000 at 50,000 shirts, hand-derived)."""
    m = goalprog.Model("clothing")
    m.variable("pants").variable("shirts").variable("dresses")
    m.constraint("budget", "5*pants + shirts + 10*dresses <= 50000")
    m.goal("profit", "10*pants + 3*shirts + 15*dresses", at_least=150000)
    m.goal("waste", "1.5*pants + shirts + 3*dresses", at_most=20000)
    m.meta_goal("unmet", at_most=0, priority=1).meta_goal("total", at_most=0, priority=2)
    r = m.solve(backend="highs")
    unmet, total = r.meta.goals
    assert (unmet["of"], unmet["achieved"]) == ("unmet", pytest.approx(1, abs=1e-9))
    assert (total["of"], total["achieved"]) == ("total", pytest.approx(30000, rel=1e-9))
    assert r.value("shirts") == pytest.approx(50000, rel=1e-9)
