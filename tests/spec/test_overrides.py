"""Overrides (goalprog solve --set, goalprog.load(params=, overrides=)): answers that hand arithmetic
predicts, located errors, and the file left alone."""

import copy
import hashlib
import json
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError, DataError, ProblemFileError, SchemaError
from goalprog.spec.overrides import OverriddenDocument, apply_overrides, parse_set_items
from goalprog.spec.loader import load_yaml_file

REL = 1e-7


def close(a, b):
    return a == pytest.approx(float(b), rel=REL, abs=1e-6)


def plan(problem, **kw):
    r = problem.solve(backend="highs", **kw)
    assert r.status.value == "optimal", r.message
    return r


def make(r):
    """Variable values of a plain or indexed clothing factory, by product."""
    out = {}
    for row in r.to_dict()["variables"]:
        out[row["index"][0] if row["index"] else row["variable"]] = row["value"]
    return out


# -- parse_set_items ------------------------------------------------------------------------------

def test_values_are_read_with_goalprogs_yaml_rules():
    got = parse_set_items(("budget=1e5", "solve.method=weighted", "x=[1, 2]", "unit_profit={pants: 12}",
                           'name="010"', "goals.waste.weight = 1.5", "constraints.budget=cost <= 60000"))
    assert got == {"budget": 100000.0, "solve.method": "weighted", "x": [1, 2], "unit_profit": {"pants": 12},
                   "name": "010", "goals.waste.weight": 1.5, "constraints.budget": "cost <= 60000"}
    assert isinstance(got["budget"], float) and isinstance(got["x"][0], int)


@pytest.mark.parametrize("item, words", [
    ("budget", "expected NAME=VALUE"),
    ("=3", "name is empty"),
    ("budget=", "value is empty"),
    ("goals..waste=1", "empty part"),
    ("x=[1", "YAML syntax error"),
    ("x=010", "octal"),
])
def test_bad_set_items_are_argument_errors_with_a_hint(item, words):
    with pytest.raises(ArgumentError) as exc:
        parse_set_items((item,))
    text = str(exc.value)
    assert words in text and item in text
    assert all(i.hint for i in exc.value.issues)


def test_every_bad_item_is_reported_at_once_and_a_name_twice_is_an_error():
    with pytest.raises(ArgumentError) as exc:
        parse_set_items(("a=1", "a=2", "nothing", "b="))
    assert len(exc.value.issues) == 3
    assert "'a' is set twice" in str(exc.value)


# -- the answers ------------------------------------------------------------------------------------

def test_weight_override_gives_the_1_1_5_file(problems_dir):
    by_override = plan(goalprog.load(problems_dir / "clothing_factory_weighted.yaml",
                                     overrides={"goals.waste.weight": 1.5}))
    by_file = plan(goalprog.load(problems_dir / "clothing_factory_weighted_1_1.5.yaml"))
    for r in (by_override, by_file):
        x = make(r)
        assert close(x["pants"], F(60_000, 7)) and close(x["shirts"], F(50_000, 7)) and close(x["dresses"], 0)
        assert close(r.objective, F(300_000, 7))  # profit short by 150,000 - 750,000/7
    # and the file's own weight (1) still gives the shirts-only plan
    x = make(plan(goalprog.load(problems_dir / "clothing_factory_weighted.yaml")))
    assert close(x["pants"], 0) and close(x["shirts"], 50_000)


def test_set_items_reach_load_like_the_cli(problems_dir):
    r = plan(goalprog.load(problems_dir / "clothing_factory_weighted.yaml",
                           overrides=parse_set_items(("goals.waste.weight=2",))))
    assert close(make(r)["pants"], F(60_000, 7))


# budget B with waste held at 20,000: 1.5 p + s = 20,000 and 5 p + s = B give p = (B - 20,000) / 3.5,
# s = 20,000 - 1.5 p; B = 60,000: pants 80,000/7, shirts 20,000/7, profit 860,000/7
BUDGET_60K = {"pants": F(80_000, 7), "shirts": F(20_000, 7), "dresses": 0}


def test_budget_through_the_constraint(problems_dir):
    r = plan(goalprog.load(problems_dir / "clothing_factory_weighted_1_1.5.yaml",
                           overrides={"constraints.budget": "cost <= 60000"}))
    x = make(r)
    for k, v in BUDGET_60K.items():
        assert close(x[k], v)
    assert close(r.objective, 150_000 - F(860_000, 7))


@pytest.mark.parametrize("how", ["params", "bare", "path", "path_value"])
def test_budget_through_the_parameter(problems_dir, how):
    f = problems_dir / "clothing_factory_indexed.yaml"
    kw = {"params": {"params": {"budget": 60000}}, "bare": {"overrides": {"budget": 60000}},
          "path": {"overrides": {"params.budget": 60000}},
          "path_value": {"overrides": {"params.budget": {"value": 60000}}}}[how]
    x = make(plan(goalprog.load(f, **kw)))
    for k, v in BUDGET_60K.items():
        assert close(x[k], v)


@pytest.mark.parametrize("key", ["unit_profit.pants", "unit_profit[pants]", "params.unit_profit.pants"])
def test_one_member_of_a_csv_parameter(problems_dir, key):
    """unit_profit is read from a CSV file; one member changes, the others keep the file's values.
    The plan stays (waste binding): profit = 12 * 60,000/7 + 3 * 50,000/7 = 870,000/7."""
    r = plan(goalprog.load(problems_dir / "clothing_factory_indexed.yaml", overrides={key: 12}))
    x = make(r)
    assert close(x["pants"], F(60_000, 7)) and close(x["shirts"], F(50_000, 7))
    assert close(r.objective, 150_000 - F(870_000, 7))


def test_indexed_parameter_merge_list_and_one_number(problems_dir):
    f = problems_dir / "clothing_factory_indexed.yaml"
    same = plan(goalprog.load(f, params={"unit_profit": [10, 3, 15]}))       # all values, in set order
    assert close(make(same)["pants"], F(60_000, 7))
    merged = plan(goalprog.load(f, params={"unit_profit": {"pants": 12}}))  # merged into the CSV's values
    assert close(merged.objective, 150_000 - F(870_000, 7))
    # every unit costs 1 (one number for every member): pants give the most profit per yard of waste
    # (10/1.5), so 15,000 pants reach the profit target with waste 22,500, over by 2,500 (x 1.5 = 3,750);
    # one pant less saves 1.5 x 1.5 = 2.25 of penalty and loses 10 of profit, so that is optimal
    cheap = plan(goalprog.load(f, params={"unit_cost": 1}))
    x = make(cheap)
    assert close(x["pants"], 15_000) and close(x["shirts"], 0) and close(x["dresses"], 0)
    assert close(cheap.objective, 3750)


def test_solve_section_and_goal_keys(problems_dir):
    """Priorities through overrides make the weighted file preemptive: profit first gives 50,000 shirts."""
    r = plan(goalprog.load(problems_dir / "clothing_factory_weighted_1_1.5.yaml",
                           overrides={"solve.method": "preemptive", "goals.profit.priority": 1,
                                      "goals.waste.priority": 2}))
    assert r.method == "preemptive"
    x = make(r)
    assert close(x["pants"], 0) and close(x["shirts"], 50_000)
    # level 2: waste 50,000 is 30,000 over, at weight 1.5
    assert [lv["achievement"] for lv in r.level_values()] == [pytest.approx(0, abs=1e-6), pytest.approx(45_000)]


def test_a_missing_solve_section_is_created(problems_dir):
    f = problems_dir / "clothing_factory_indexed.yaml"  # has no solve: section
    assert "solve" not in load_yaml_file(f).data
    p = goalprog.load(f, overrides={"solve.method": "weighted", "solve.lock.abs_tol": 0.001})
    assert p.spec.solve.method == "weighted" and p.spec.solve.lock.abs_tol == 0.001


def test_a_new_goal_can_be_added(problems_dir):
    p = goalprog.load(problems_dir / "clothing_factory_weighted.yaml",
                      overrides={"goals.few_dresses": {"expr": "dresses", "at_most": 0, "weight": 5}})
    assert [o.label for o in p.model.goals.origins] == ["profit", "waste", "few_dresses"]


# -- errors ---------------------------------------------------------------------------------------------

def test_bare_name_that_is_no_parameter(problems_dir):
    """The clothing factory files have no parameters: `budget` is a constraint there."""
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problems_dir / "clothing_factory_weighted.yaml", overrides={"budget": 60000})
    issue = exc.value.issues[0]
    assert "'budget' is not a parameter" in issue.message
    assert "no parameters" in issue.hint and "constraints.budget" in issue.hint
    assert issue.location.key_path == "budget (in overrides=)"


def test_unknown_parameter_lists_them_with_did_you_mean(problems_dir):
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problems_dir / "clothing_factory_indexed.yaml", params={"budgt": 1})
    hint = exc.value.issues[0].hint
    assert "did you mean 'budget'?" in hint and "unit_profit, unit_cost, unit_waste, budget" in hint


def _line_of(path, text):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith(text):
            return n
    raise AssertionError(text)


def test_unknown_key_in_a_path_is_located_at_its_parent(problems_dir):
    f = problems_dir / "clothing_factory_weighted.yaml"
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(f, overrides={"goals.wast.weight": 2})
    issue = exc.value.issues[0]
    assert issue.location.file == str(f)
    assert issue.location.line == _line_of(f, "goals:") and issue.location.col == 1
    assert issue.location.key_path == "goals.wast.weight (in overrides=)"
    assert "unknown key 'wast'" in issue.message and issue.hint == "did you mean 'waste'?"
    assert str(exc.value).startswith(f"{f}:{issue.location.line}:1: goals.wast.weight (in overrides=): ")


@pytest.mark.parametrize("key, hint", [("golas.waste.weight", "did you mean 'goals'?"),
                                       ("goals.waste.weight.x", "replace it whole")])
def test_other_unknown_paths(problems_dir, key, hint):
    with pytest.raises(ArgumentError) as exc:
        goalprog.load(problems_dir / "clothing_factory_weighted.yaml", overrides={key: 2})
    assert hint in exc.value.issues[0].hint


def test_errors_in_overridden_values_say_so(problems_dir):
    f = problems_dir / "clothing_factory_weighted.yaml"
    with pytest.raises(SchemaError) as exc:  # a new key the schema does not know
        goalprog.load(f, overrides={"goals.waste.wieght": 2})
    issue = exc.value.issues[0]
    assert issue.location.key_path == "goals.waste.wieght (in overrides=)" and issue.location.line is None
    assert "did you mean 'weight'?" in issue.hint
    assert str(exc.value).startswith(f"{f}: goals.waste.wieght (in overrides=): unknown key 'wieght'")
    with pytest.raises(ProblemFileError) as exc:
        goalprog.load(f, overrides={"goals.waste.weight": -1})
    assert exc.value.issues[0].location.key_path == "goals.waste.weight (in overrides=)"
    with pytest.raises(DataError) as exc:  # a member that is not in the set
        goalprog.load(problems_dir / "clothing_factory_indexed.yaml", overrides={"unit_profit.pnats": 12})
    issue = exc.value.issues[0]
    assert issue.location.key_path == "params.unit_profit.values.pnats (in overrides=)"
    assert issue.hint == "did you mean 'pants'?"


def test_errors_elsewhere_keep_their_file_position(tmp_path, problems_dir):
    text = (problems_dir / "clothing_factory_weighted.yaml").read_text()
    bad = text.replace("pants:   {lower: 0}", "pants:   {lower: 0, uper: 5}")
    f = tmp_path / "bad.yaml"
    f.write_text(bad)
    line = _line_of(f, "  pants:")
    with pytest.raises(SchemaError) as exc:
        goalprog.load(f, overrides={"goals.waste.weight": 2})
    issue = exc.value.issues[0]
    assert (issue.location.line, issue.location.col) == (line, bad.splitlines()[line - 1].index("uper") + 1)
    assert issue.location.key_path == "variables.pants.uper"


def test_a_value_of_the_wrong_shape_for_a_parameter(problems_dir):
    f = problems_dir / "clothing_factory_indexed.yaml"
    with pytest.raises(ArgumentError, match="single number"):
        goalprog.load(f, params={"budget": [1, 2]})
    with pytest.raises(ArgumentError, match="thousands separator"):
        goalprog.load(f, overrides={"budget": "60,000"})
    with pytest.raises(ArgumentError, match="not indexed"):
        goalprog.load(f, overrides={"budget.pants": 1})


# -- nothing is changed in place -------------------------------------------------------------------------

def test_the_document_and_the_file_are_untouched(problems_dir):
    f = problems_dir / "clothing_factory_indexed.yaml"
    before = hashlib.sha256(f.read_bytes()).hexdigest()
    doc = load_yaml_file(f)
    data = copy.deepcopy(doc.data)
    values = dict(doc.values)
    new = apply_overrides(doc, {"budget": 60000}, {"unit_profit.pants": 12, "goals.waste.weight": 2,
                                                   "solve.method": "weighted"})
    assert doc.data == data and doc.values == values
    assert isinstance(new, OverriddenDocument) and new is not doc
    assert new.data["params"]["budget"] == 60000 and new.data["goals"]["waste"]["weight"] == 2
    assert new.data["params"]["unit_profit"]["values"]["pants"] == 12
    assert new.data["params"]["unit_profit"]["values"]["dresses"] == 15  # read from the CSV file
    # untouched keys keep their positions
    assert new.location(("goals", "profit", "at_least")) == doc.location(("goals", "profit", "at_least"))
    goalprog.load(f, params={"budget": 1}, overrides={"goals.waste.weight": 3})
    assert hashlib.sha256(f.read_bytes()).hexdigest() == before


# -- the command line ---------------------------------------------------------------------------------

def test_cli_set(problems_dir):
    res = CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_weighted.yaml"), "--backend", "highs",
                                    "--format", "json", "--set", "goals.waste.weight=1.5"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    values = {v["variable"]: v["value"] for v in d["variables"]}
    assert close(values["pants"], F(60_000, 7)) and close(values["shirts"], F(50_000, 7))


def test_cli_set_budget_on_the_clothing_factory_is_an_error(problems_dir):
    res = CliRunner().invoke(main, ["solve", str(problems_dir / "clothing_factory_weighted.yaml"),
                                    "--set", "budget=60000", "--set", "goals.waste.weight=2"])
    assert res.exit_code == 2  # a mistake in the command line, not in the file
    assert "budget (from --set): 'budget' is not a parameter of this problem" in res.output
    assert "constraints.budget" in res.output
