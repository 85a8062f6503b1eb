"""Model's errors point at the Python call and argument, in the problem file's words.

Each mistake is made once through the builder and once as the same document through
``goalprog.from_dict`` (the file's path): the messages and hints must be the same, and the
builder's location must be this file, the line of the call and the argument's name.
"""

import os
import sys

import pandas as pd
import pytest

import goalprog
from goalprog.core.errors import ArgumentError

FILE = os.path.relpath(__file__)


def here() -> int:
    return sys._getframe(1).f_lineno


def factory():
    m = goalprog.Model("f")
    m.variable("pants").variable("shirts")
    m.expression("profit", "10*pants + 3*shirts")
    return m


def errors(m, hints=True):
    with pytest.raises(goalprog.GoalProgError) as built:
        m.solve()
    with pytest.raises(goalprog.GoalProgError) as filed:
        goalprog.from_dict(m.to_dict())
    assert type(built.value) is type(filed.value)
    assert [(i.message, hints and i.hint) for i in built.value.issues] == \
        [(i.message, hints and i.hint) for i in filed.value.issues]
    return built.value


def test_a_goal_target_of_the_wrong_type():
    m = factory()
    m.goal("profit", "profit", at_least=True); line = here()  # noqa: E702
    err = errors(m)
    assert isinstance(err, goalprog.SchemaError)
    assert str(err) == f"model.goal('profit', ...) at {FILE}:{line}: at_least: expected a number, got the boolean True"
    assert FILE.endswith("test_builder_errors.py")


def test_an_unknown_name_in_an_expression_has_its_caret():
    m = factory()
    m.constraint("budget", "5*pants + shirt <= 50000"); line = here()  # noqa: E702
    m.goal("profit", "profit", at_least=150000)
    err = errors(m)
    assert isinstance(err, goalprog.ExpressionError)
    text = str(err).splitlines()
    assert text[0] == f"model.constraint('budget', ...) at {FILE}:{line}: expr: unknown name 'shirt'"
    assert text[1:3] == ["    5*pants + shirt <= 50000", "              ^^^^^"]
    assert "did you mean 'shirts'?" in text[3]


def test_every_issue_at_once_each_at_its_own_call():
    m = factory()
    m.variable("dresses", type="float"); l1 = here()  # noqa: E702
    m.goal("waste", "pants", at_most=20000, under={"weight": 2}); l2 = here()  # noqa: E702
    m.goal("profit", "profit", at_least=150000, for_=5); l3 = here()  # noqa: E702
    m.settings(method="fastest"); l4 = here()  # noqa: E702
    err = errors(m)
    heads = [i.format().splitlines()[0] for i in err.issues]
    assert heads == [
        f"model.variable('dresses', ...) at {FILE}:{l1}: type: 'float' is not allowed here; expected 'continuous', "
        "'integer' or 'binary'",
        f"model.goal('waste', ...) at {FILE}:{l2}: an at_most goal penalises only over-achievement; remove 'under' "
        "or use equal/between",
        f"model.goal('profit', ...) at {FILE}:{l3}: for_: expected text, got 5",
        f"model.settings(...) at {FILE}:{l4}: method: 'fastest' is not allowed here; expected 'weighted', "
        "'preemptive', 'chebyshev', 'extended', 'meta' or 'fewest_unmet'",
    ]


def test_a_deviation_setting_names_its_key():
    m = factory()
    m.goal("mix", "pants - shirts", equal=0, under={"priority": 0}); line = here()  # noqa: E702
    err = errors(m)
    assert str(err).startswith(f"model.goal('mix', ...) at {FILE}:{line}: under['priority']: a priority is a whole "
                               "number from 1 (most important)")


def test_no_goals_is_said_at_the_model():
    line = here() + 1
    m = goalprog.Model("empty")
    m.variable("x")
    err = errors(m, hints=False)  # the builder's hint names model.goal(...) where the file's has none
    assert str(err).startswith(f"Model(...) at {FILE}:{line}: goals: there are no goals")
    assert "model.goal(" in err.issues[0].hint


def test_a_name_given_twice_is_refused_at_once():
    m = factory()
    m.goal("profit", "profit", at_least=1); first = here()  # noqa: E702
    line = here() + 2
    with pytest.raises(ArgumentError) as err:
        m.objective("profit", maximize="profit")
    assert str(err.value).startswith(f"model.objective('profit', ...) at {FILE}:{line}: name: duplicate key "
                                     f"'profit' in goals (first defined at {FILE}:{first})")


def test_a_series_needs_its_index_and_a_dataframe_its_column():
    m = factory()
    with pytest.raises(ArgumentError, match=r"index: a pandas Series gives values by label"):
        m.param("p", pd.Series({"a": 1}))
    with pytest.raises(ArgumentError, match=r"(?s)column: the DataFrame has no column 'cost'.*its columns are: profit"):
        m.param("p", pd.DataFrame({"profit": [1]}), index="s", column="cost")


def test_a_wrongly_labelled_series_names_the_labels():
    m = factory()
    m.set("products", ["pants", "shirts", "dresses"])
    line = here() + 1
    m.param("unit_waste", pd.Series({"pants": 1.5, "shirt": 1, "dresses": 3, "hats": 2}), index="products")
    m.goal("profit", "profit", at_least=1)
    with pytest.raises(goalprog.DataError) as err:
        m.solve()
    assert str(err.value).splitlines()[0] == (
        f"model.param('unit_waste', ...) at {FILE}:{line}: data: the Series for the parameter 'unit_waste' (indexed "
        "over products) does not match its members by label: 2 label(s) that are not members: shirt, hats; no "
        "value for 1 member(s): shirts")


def test_a_misspelt_or_missing_keyword_is_located_with_a_hint():
    # at the caller's line, in the builder's words, not a bare TypeError
    m = factory()
    with pytest.raises(ArgumentError) as err:
        line = here(); m.goal("profit", "profit", at_leest=150000)  # noqa: E702
    assert str(err.value).startswith(f"model.goal('profit', ...) at {FILE}:{line}: at_leest: goal() has no "
                                     "keyword 'at_leest'")
    assert "did you mean 'at_least'" in err.value.issues[0].hint
    with pytest.raises(ArgumentError) as err:
        line = here(); m.meta_goal("unmet", priority=1)  # noqa: E702
    assert str(err.value).startswith(f"model.meta_goal(...) at {FILE}:{line}: at_most: meta_goal() needs 'at_most'")
    assert err.value.issues[0].hint == "call it as model.meta_goal(of, at_most=..., ...)"
    with pytest.raises(ArgumentError, match="has no keyword 'lowr'") as err:
        m.variable("dresses", lowr=0)
    assert "did you mean 'lower'?" in err.value.issues[0].hint
    # the model is unchanged by a refused call, and a right call still works
    assert "dresses" not in m.to_dict()["variables"] and "profit" not in m.to_dict()["goals"]
    m.variable("dresses", lower=0).meta_goal("unmet", at_most=0)
    assert m.to_dict()["meta_goals"] == [{"of": "unmet", "at_most": 0}]
