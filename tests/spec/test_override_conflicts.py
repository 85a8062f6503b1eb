"""Issue 14: a silent choice between two what-if inputs is refused.

Two overrides of one value (``params={"budget": 1}`` beside ``overrides={"params.budget": 2}``, two
``--set`` of one key however spelt, ``--vary`` beside ``--set``) are an error naming the key and both
sources; a numpy array for an indexed parameter (no labels) is refused with a hint; the hint of a
malformed ``--set`` item fits the item.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError
from tests.helpers import PROBLEMS

INDEXED = PROBLEMS / "clothing_factory_indexed.yaml"
WEIGHTED = PROBLEMS / "clothing_factory_weighted.yaml"


def refused(**kw) -> str:
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(INDEXED, **kw)
    return str(exc.value)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_params_and_overrides_of_one_parameter_are_refused():
    msg = refused(params={"budget": 1}, overrides={"params.budget": 2})
    assert "params.budget=2 (in overrides=) and budget=1 (in params=) both set params.budget" in msg
    msg = refused(params={"budget": 1}, overrides={"params.budget.value": 2})
    assert "params.budget.value=2 (in overrides=) and budget=1 (in params=) both set params.budget" in msg


@pytest.mark.parametrize("overrides,needle", [
    ({"unit_profit.pants": 1, "unit_profit[pants]": 2},
     "unit_profit[pants]=2 (in overrides=) and unit_profit.pants=1 (in overrides=) both set "
     "params.unit_profit.values.pants"),
    ({"goals.waste": {"expr": "waste", "at_most": 1}, "goals.waste.weight": 2},
     "goals.waste.weight=2 (in overrides=) and goals.waste={\"expr\": \"waste\", \"at_most\": 1} (in overrides=) "
     "both set goals.waste, one all of it and the other a part of it"),
])
def test_two_spellings_of_one_value_are_refused(overrides, needle):
    assert needle in refused(overrides=overrides)


def test_a_whole_parameter_and_one_of_its_members_are_refused():
    msg = refused(params={"unit_profit": pd.Series({"pants": 10, "shirts": 3, "dresses": 15})},
                  overrides={"unit_profit.pants": 12})
    assert "unit_profit.pants=12 (in overrides=) and unit_profit=" in msg
    assert "both set params.unit_profit, one all of it and the other a part of it" in msg


def test_different_members_and_one_value_given_alike_are_accepted():
    goalprog.load(INDEXED, params={"unit_profit": {"pants": 10}}, overrides={"unit_profit[shirts]": 3})
    goalprog.load(INDEXED, params={"budget": 50000}, overrides={"budget": 50000})
    goalprog.load(INDEXED, params={"budget": 50000}, overrides={"params.budget": 50000})


def test_set_twice_on_the_command_line_names_both_items():
    r = run("solve", WEIGHTED, "--set", "goals.waste.weight=2", "--set", "goals.waste.weight=3")
    assert r.exit_code == 2
    assert ("'goals.waste.weight' is set twice on the command line: --set goals.waste.weight=2 and --set "
            "goals.waste.weight=3") in r.output


def test_set_of_one_parameter_in_two_spellings_is_refused():
    r = run("solve", INDEXED, "--set", "budget=1", "--set", "params.budget=2")
    assert r.exit_code == 2
    assert "params.budget=2 (from --set) and budget=1 (from --set) both set params.budget" in r.output


def test_vary_beside_set_of_one_parameter_is_refused(tmp_path):
    r = run("sweep", INDEXED, "--vary", "budget=40000,50000", "--set", "params.budget=5", "--output",
            tmp_path / "s.csv", "--quiet")
    assert r.exit_code == 2, r.output
    assert "budget (from --vary) and params.budget=5 (from --set) both set params.budget" in r.output
    assert not (tmp_path / "s.csv").exists() or (tmp_path / "s.csv").stat().st_size == 0


def test_a_numpy_array_for_an_indexed_parameter_is_refused():
    for kw in ({"params": {"unit_profit": np.array([10, 3, 15])}},
               {"overrides": {"unit_profit": np.array([10, 3, 15])}}):
        msg = refused(**kw)
        assert "a numpy array for the parameter 'unit_profit' (indexed over products) has no labels" in msg
        assert "pd.Series(values, index=members)" in msg
    # a scalar from numpy is a number as any other
    r = goalprog.load(INDEXED, params={"budget": np.float64(60000)}).solve(backend="highs")
    assert r.status.value == "optimal"


@pytest.mark.parametrize("item,hint", [
    ("budget:60000", "hint: write NAME=VALUE: --set budget=60000"),
    ("budget 60000", "hint: write NAME=VALUE: --set budget=60000"),
    ("goals..waste.weight=2", "hint: did you mean --set goals.waste.weight=2?"),
    ("goals.waste.weight.=7", "hint: did you mean --set goals.waste.weight=7?"),
])
def test_the_set_hint_fits_the_item(item, hint):
    r = run("solve", WEIGHTED, "--set", item)
    assert r.exit_code == 2
    assert hint in r.output, r.output
    assert "budget=60000 or --set goals.waste.weight=2" not in r.output  # not the fixed example


def test_the_hint_of_an_api_key_speaks_api():
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(WEIGHTED, overrides={"goals..waste.weight": 2})
    assert "did you mean overrides={'goals.waste.weight': ...}?" in str(exc.value)
    assert "--set" not in str(exc.value)
