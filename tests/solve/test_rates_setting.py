"""The trade-off rates setting in layers: default < the file's solve.rates < the rates= argument."""

import pytest

import goalprog
from goalprog.core.errors import SchemaError

# the clothing factory as objectives: maximise profit (level 1), then minimise waste (level 2);
# level 1's trade-off rate is 0.7 yards of waste saved per dollar of profit given up (by hand: below
# 150,000 profit the plan mixes shirts and pants, waste falls 0.7 per dollar; docs/methods.md)
DOC = {
    "name": "cf",
    "variables": {"pants": {}, "shirts": {}, "dresses": {}},
    "constraints": {"budget": "5*pants + shirts + 10*dresses <= 50000"},
    "goals": {"profit": {"maximize": "10*pants + 3*shirts + 15*dresses", "priority": 1},
              "waste": {"minimize": "1.5*pants + shirts + 3*dresses", "priority": 2}},
}


def _doc(solve=None):
    d = dict(DOC)
    if solve is not None:
        d["solve"] = solve
    return d


def test_default_computes_the_rate_of_a_small_lp_chain():
    r = goalprog.from_dict(_doc()).solve(backend="highs")
    assert r.stages[0].lock_dual == pytest.approx(0.7, rel=1e-9)


def test_the_file_turns_rates_off_and_the_argument_wins_over_the_file():
    off = goalprog.from_dict(_doc({"rates": "off"})).solve(backend="highs")
    assert off.stages[0].lock_dual is None and off.stages[0].trade_off_note
    on = goalprog.from_dict(_doc({"rates": "off"})).solve(backend="highs", rates="on")
    assert on.stages[0].lock_dual == pytest.approx(0.7, rel=1e-9)


def test_a_bad_rates_value_in_the_file_is_a_located_error():
    with pytest.raises(SchemaError, match="rates"):
        goalprog.from_dict(_doc({"rates": "sometimes"}))


def test_rates_in_the_file_for_a_weighted_solve_is_said_not_silent():
    r = goalprog.from_dict(_doc({"rates": "on", "method": "weighted"})).solve(backend="highs")
    assert any("rates is used by the preemptive method only" in w for w in r.warnings)
