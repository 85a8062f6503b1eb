"""Issue 14, "other instances of the kind": input accepted that does nothing, or a silent choice
between two inputs, is named.

* a goal's weight/priority/penalty replaced for every penalised deviation by ``under:``/``over:``;
* a scalar parameter's ``default`` (nothing to fill);
* a bound outside [0, 1] on a binary variable;
* lock settings and ``accept_feasible`` with a method other than preemptive;
* a solve argument that contradicts a ``solve:`` value an override set (``--set solve.method=...``
  beside ``--method``).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError
from tests.helpers import PROBLEMS

BASE = {"variables": {"x": {"upper": 10}, "y": {"upper": 10}},
        "goals": {"g": {"expr": "x", "at_least": 5}}}


def warnings_of(spec: dict, **kw) -> list[str]:
    return list(goalprog.from_dict(spec).solve(backend="highs", **kw).warnings)


@pytest.mark.parametrize("field,goal_value,side_value", [("weight", 3, 2), ("priority", 1, 2),
                                                         ("penalty", [{"rate": 1}], [{"rate": 2}])])
def test_a_goal_setting_every_penalised_side_replaces(field, goal_value, side_value):
    goal = {"expr": "x", "at_least": 5, field: goal_value, "under": {field: side_value}}
    ws = warnings_of({**BASE, "goals": {"g": goal}})
    assert f"goals.g.{field} does nothing: under.{field} replaces it for every deviation the goal penalises" in \
        "\n".join(ws), ws


def test_a_goal_setting_used_by_one_side_is_not_warned():
    # equal penalises both sides: the goal's weight still weighs the over-deviation
    goal = {"expr": "x", "equal": 5, "weight": 3, "under": {"weight": 2}}
    assert not any("does nothing" in w for w in warnings_of({**BASE, "goals": {"g": goal}}))
    both = {**goal, "over": {"weight": 4}}
    ws = warnings_of({**BASE, "goals": {"g": both}})
    assert any("goals.g.weight does nothing: under.weight and over.weight replace it" in w for w in ws), ws


def test_a_scalar_parameters_default_does_nothing():
    spec = {**BASE, "params": {"p": {"value": 3, "default": 4}}, "goals": {"g": {"expr": "x", "at_least": "p"}}}
    ws = warnings_of(spec)
    assert any(w.startswith("params.p.default does nothing: a default fills the members an indexed parameter's "
                            "values leave out") for w in ws), ws


def test_a_binary_bound_outside_zero_one_does_nothing():
    spec = {**BASE, "variables": {**BASE["variables"], "b": {"type": "binary", "upper": 5, "lower": -1}}}
    ws = "\n".join(warnings_of(spec))
    assert "variables.b.upper: a binary variable is 0 or 1, so an upper bound above 1 does nothing" in ws
    assert "variables.b.lower: a binary variable is 0 or 1, so a lower bound below 0 does nothing" in ws
    plain = {**BASE, "variables": {**BASE["variables"], "b": {"type": "binary", "upper": 1}}}
    assert not any("binary" in w for w in warnings_of(plain))


@pytest.mark.parametrize("solve,kw", [({"lock": {"abs_tol": 0.1}}, {}), ({}, {"lock_style": "row"}),
                                      ({"accept_feasible": True}, {})])
def test_preemptive_settings_with_the_weighted_method_are_named(solve, kw):
    ws = warnings_of({**BASE, "solve": {"method": "weighted", **solve}}, **kw)
    assert any("the weighted method ignores" in w and ("solve.lock" in w or "solve.accept_feasible" in w)
               for w in ws), ws


def test_an_argument_contradicting_an_overridden_solve_value_is_refused():
    f = PROBLEMS / "clothing_factory_weighted.yaml"
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(f, overrides={"solve.method": "preemptive"}).solve(method="weighted")
    assert ("solve.method='preemptive' (in overrides=) and the method argument 'weighted'" in str(exc.value))
    # the same value twice, or an argument over the file's own value, is fine
    goalprog.load(f, overrides={"solve.method": "weighted"}).solve(method="weighted")
    goalprog.load(f).solve(method="weighted")
    r = CliRunner().invoke(main, ["solve", str(f), "--set", "solve.backend=pulp", "--backend", "highs"])
    assert r.exit_code == 2
    assert "solve.backend='pulp' (from --set) and the backend argument 'highs'" in r.output
