"""What-if runs record themselves (issue 14): every --set / params= / overrides= item is kept on the
Problem and the Result as (key, value as given, source), and a mistake in the Python API's
params=/overrides= speaks of the API, not of --set."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError, DataError, SchemaError
from tests.helpers import PROBLEMS

INDEXED = PROBLEMS / "clothing_factory_indexed.yaml"
WEIGHTED = PROBLEMS / "clothing_factory_weighted.yaml"


def test_problem_and_result_record_params_and_overrides():
    p = goalprog.load(INDEXED, params={"budget": 60_000}, overrides={"goals.waste.weight": 2, "unit_profit.pants": 12})
    want = (("budget", 60_000, "params="), ("goals.waste.weight", 2, "overrides="),
            ("unit_profit.pants", 12, "overrides="))
    assert p.overrides == want
    r = p.solve()
    assert r.overrides == want
    assert r.to_dict()["overrides"] == [{"key": k, "value": v, "source": s} for k, v, s in want]
    # the records are the values the run used: budget 60,000 is binding (cost = 60,000)
    assert r.value("cost") == pytest.approx(F(60_000))


def test_a_run_of_the_file_as_it_is_records_nothing():
    p = goalprog.load(INDEXED)
    assert p.overrides == () and p.solve().overrides == ()
    assert p.solve().to_dict()["overrides"] == []


def test_records_are_frozen_tuples():
    rec = goalprog.load(INDEXED, params={"budget": 1}).overrides[0]
    assert isinstance(rec, tuple) and (rec.key, rec.value, rec.source) == ("budget", 1, "params=")
    with pytest.raises(AttributeError):
        rec.key = "x"


def test_api_errors_say_params_or_overrides_not_set():
    with pytest.raises(ArgumentError) as exc:  # an unknown parameter in params=
        goalprog.load(INDEXED, params={"budgt": 1})
    assert exc.value.issues[0].location.key_path == "budgt (in params=)"
    assert "--set" not in str(exc.value)
    with pytest.raises(ArgumentError) as exc:  # a value of the wrong shape in params=
        goalprog.load(INDEXED, params={"budget": [1, 2]})
    assert exc.value.issues[0].location.key_path == "budget (in params=)"
    with pytest.raises(ArgumentError) as exc:  # an unknown key path in overrides=
        goalprog.load(WEIGHTED, overrides={"goals.wast.weight": 2})
    assert "goals.wast.weight (in overrides=): unknown key 'wast'" in str(exc.value)
    with pytest.raises(SchemaError) as exc:  # found later, by the schema, in an overridden value
        goalprog.load(WEIGHTED, overrides={"goals.waste.wieght": 2})
    assert str(exc.value).startswith(f"{WEIGHTED}: goals.waste.wieght (in overrides=): unknown key 'wieght'")
    with pytest.raises(DataError) as exc:  # found when the data are bound
        goalprog.load(INDEXED, params={"unit_profit": {"pnats": 12}})
    assert exc.value.issues[0].location.key_path == "params.unit_profit.values.pnats (in params=)"
    assert "--set" not in str(exc.value)


def test_the_command_line_still_says_from_set():
    res = CliRunner().invoke(main, ["solve", str(WEIGHTED), "--set", "goals.waste.wieght=2"])
    assert res.exit_code == 3, res.output
    assert "goals.waste.wieght (from --set): unknown key 'wieght'" in res.output
    assert "overrides=" not in res.output
