"""Library problem problems/media_selection.yaml against its published answer and a PuLP model.

Source: W. L. Winston, Operations Research: Applications and Algorithms (4th ed., 2004),
section 4.14 "Goal Programming", the Leon Burnit Advertising Agency example (x1 football ads,
x2 soap-opera ads; 100 x1 + 60 x2 <= 600 in $1,000; goals 7 x1 + 3 x2 >= 40 (HIM),
10 x1 + 5 x2 >= 60 (LIP), 5 x1 + 4 x2 >= 35 (HIW); penalties 200, 100, 50 per million short).
Published answers, both x1 = 6, x2 = 0, HIM 42, LIP 60, HIW 30:
* weighted: z = 200 s1- + 100 s2- + 50 s3- = 250 (s3- = 5);
* preemptive HIM > LIP > HIW: goals 1 and 2 met, HIW 5 million short.
Checked by hand: once LIP is met (2 x1 + x2 >= 12) the budget (5 x1 + 3 x2 <= 30) leaves the single
point (6, 0); with x2 > 0, 2 x1 + x2 <= 12 - x2 / 5 < 12.

Budget variants (not in the book) are checked against a hand-written PuLP model built from the
same CSV files; at a budget of 550 the integer answer (5 football ads; levels 1000, 1000, 500) is
far from the LP relaxation (levels 300, 500, 375), so the test also fails if integrality is lost.
"""

import copy
import csv
import json

import pulp
import pytest
import yaml
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from tests.helpers import ROOT

PROBLEMS = ROOT / "problems"
FILE = PROBLEMS / "media_selection.yaml"
DATA = PROBLEMS / "data" / "media_selection"

BACKENDS = ["pulp", "pyomo"]

# Winston's published answer
PUBLISHED_ADS = {"Football": 6, "Soap_opera": 0}
PUBLISHED_REACH = {"HIM": 42, "LIP": 60, "HIW": 30}
PUBLISHED_SHORT = {"HIM": 0, "LIP": 0, "HIW": 5}          # million people
PUBLISHED_WEIGHTED_Z = 250                                 # $1,000
PUBLISHED_LEVELS = [0, 0, 50 * 5]                          # penalty of each level's goal: HIM, LIP, HIW


def approx(v):
    return pytest.approx(float(v), rel=1e-6, abs=1e-6)


def read(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def load_data():
    cost = {r["medium"]: float(r["cost"]) for r in read("media.csv")}
    aud = {r["audience"]: (float(r["target"]), float(r["penalty"]), int(r["rank"])) for r in read("audiences.csv")}
    exposure = {(r["medium"], r["audience"]): float(r["exposure"]) for r in read("exposure.csv")}
    (b,) = read("budget.csv")
    return cost, aud, exposure, float(b["budget"])


def reference(method, budget=None, cat=pulp.LpInteger):
    """Hand-written PuLP goal program: (level values or [z], ads)."""
    cost, aud, exposure, file_budget = load_data()
    budget = file_budget if budget is None else budget
    m = pulp.LpProblem("media_reference", pulp.LpMinimize)
    ads = {k: pulp.LpVariable(f"ads_{k}", 0, None, cat) for k in cost}
    short = {a: pulp.LpVariable(f"short_{a}", 0) for a in aud}
    m += pulp.lpSum(cost[k] * ads[k] for k in cost) <= budget
    for a, (target, _, _) in aud.items():
        m += pulp.lpSum(exposure[k, a] * ads[k] for k in cost) + short[a] >= target
    solver = pulp.HiGHS(msg=False, mip_rel_gap=0.0)
    if method == "weighted":
        objs = [pulp.lpSum(pen * short[a] for a, (_, pen, _) in aud.items())]
    else:
        objs = [aud[a][1] * short[a] for a in sorted(aud, key=lambda a: aud[a][2])]
    values = []
    for k, obj in enumerate(objs):
        m.setObjective(obj)
        assert m.solve(solver) == pulp.LpStatusOptimal
        values.append(pulp.value(obj))
        m += obj <= values[-1] + 1e-6, f"lock_{k}"
    return values, {k: v.value() for k, v in ads.items()}


def with_budget(budget):
    """The shipped file with another budget (everything else read from the same CSV files)."""
    data = yaml.safe_load(FILE.read_text())
    data = copy.deepcopy(data)
    data["params"]["budget"] = budget
    return goalprog.from_dict(data, base_dir=PROBLEMS)


def test_reference_model_reproduces_the_published_answer():
    z, ads = reference("weighted")
    assert z == [approx(PUBLISHED_WEIGHTED_Z)]
    assert ads == {k: approx(v) for k, v in PUBLISHED_ADS.items()}
    levels, ads = reference("preemptive")
    assert levels == [approx(v) for v in PUBLISHED_LEVELS]
    assert ads == {k: approx(v) for k, v in PUBLISHED_ADS.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_preemptive_matches_the_published_answer(backend):
    r = goalprog.load(FILE).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "preemptive"
    levels = r.levels.set_index("level")
    assert list(levels.index) == [1, 2, 3]
    for level, value in zip((1, 2, 3), PUBLISHED_LEVELS):
        assert levels.loc[level, "achievement"] == approx(value)
        assert levels.loc[level, "stage_value"] == approx(value)
    assert r.value("ads").to_dict() == {k: approx(v) for k, v in PUBLISHED_ADS.items()}
    assert r.value("reach").to_dict() == {k: approx(v) for k, v in PUBLISHED_REACH.items()}
    assert r.value("spend") == approx(600)
    g = r.goals.set_index("audiences")
    for a, short in PUBLISHED_SHORT.items():
        assert g.loc[a, "under"] == approx(short)
        assert bool(g.loc[a, "met"]) is (short == 0)
    assert list(g.loc[["HIM", "LIP", "HIW"], "under_priority"]) == [1, 2, 3]


@pytest.mark.parametrize("backend", BACKENDS)
def test_weighted_matches_the_published_answer(backend):
    r = goalprog.load(FILE).solve(method="weighted", backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.objective == approx(PUBLISHED_WEIGHTED_Z)
    assert r.value("ads").to_dict() == {k: approx(v) for k, v in PUBLISHED_ADS.items()}
    assert r.value("reach").to_dict() == {k: approx(v) for k, v in PUBLISHED_REACH.items()}
    assert any("ignores priorities" in w for w in r.warnings)


@pytest.mark.parametrize("budget", [500, 550, 650, 800])
@pytest.mark.parametrize("backend", BACKENDS)
def test_budget_variants_match_the_reference_model(backend, budget):
    problem = with_budget(budget)
    levels, ads = reference("preemptive", budget)
    r = problem.solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert list(r.levels["achievement"]) == [approx(v) for v in levels]
    if budget <= 550:
        # the ad plan is unique there (checked by hand: 5 football ads use 500 of the budget)
        assert r.value("ads").to_dict() == {k: approx(v) for k, v in ads.items()}
    (z,), _ = reference("weighted", budget)
    r = problem.solve(method="weighted", backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.objective == approx(z)


def test_budget_550_is_not_the_lp_relaxation():
    integer, _ = reference("preemptive", 550)
    relaxed, _ = reference("preemptive", 550, cat=pulp.LpContinuous)
    assert integer == [approx(1000), approx(1000), approx(500)]
    assert relaxed == [approx(300), approx(500), approx(375)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_prints_the_goal_table(backend):
    res = CliRunner().invoke(main, ["solve", str(FILE), "--backend", backend])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "status: optimal" in out
    assert "Priority levels" in out and "Goals" in out
    for name in ("reach_rank_1[HIM]", "reach_rank_2[LIP]", "reach_rank_3[HIW]", "ads[Football]"):
        assert name in out


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_json_numbers(backend):
    res = CliRunner().invoke(main, ["solve", str(FILE), "--backend", backend, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["status"] == "optimal"
    assert [lv["achievement"] for lv in d["levels"]] == [approx(v) for v in PUBLISHED_LEVELS]
    got = {v["label"]: v["value"] for v in d["variables"]}
    assert got == {f"ads[{k}]": approx(v) for k, v in PUBLISHED_ADS.items()}
