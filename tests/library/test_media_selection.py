"""Library problem problems/media_selection.yaml: the checks beyond the shared harness.

The published answer (Winston 2004, section 4.14) and the hand-written PuLP model are in
tests/library/cases/media_selection.py, with their sources; the harness
(test_library_problems.py) checks the levels, the weighted objective and the CLI output.
"""

import json

import pulp
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from tests.library.cases.media_selection import (FILE, PUBLISHED_ADS, PUBLISHED_LEVELS, PUBLISHED_REACH,
                                                 PUBLISHED_SHORT, PUBLISHED_WEIGHTED_Z, reference, with_budget)

BACKENDS = ["pulp", "pyomo"]


def approx(v):
    return pytest.approx(float(v), rel=1e-6, abs=1e-6)


def test_reference_model_reproduces_the_published_answer():
    z, ads = reference("weighted")
    assert z == [approx(PUBLISHED_WEIGHTED_Z)]
    assert ads == {k: approx(v) for k, v in PUBLISHED_ADS.items()}
    levels, ads = reference("preemptive")
    assert levels == [approx(v) for v in PUBLISHED_LEVELS]
    assert ads == {k: approx(v) for k, v in PUBLISHED_ADS.items()}


@pytest.mark.parametrize("backend", BACKENDS)
def test_preemptive_plan_is_the_published_one(backend):
    """The levels are the harness's; here the plan: ads, reach, spend and each audience's shortfall."""
    r = goalprog.load(FILE).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.value("ads").to_dict() == {k: approx(v) for k, v in PUBLISHED_ADS.items()}
    assert r.value("reach").to_dict() == {k: approx(v) for k, v in PUBLISHED_REACH.items()}
    assert r.value("spend") == approx(600)
    g = r.goals.set_index("audiences")
    for a, short in PUBLISHED_SHORT.items():
        assert g.loc[a, "under"] == approx(short)
        assert bool(g.loc[a, "met"]) is (short == 0)
    assert list(g.loc[["HIM", "LIP", "HIW"], "under_priority"]) == [1, 2, 3]


@pytest.mark.parametrize("backend", BACKENDS)
def test_weighted_plan_is_the_published_one(backend):
    """The objective is the harness's; here the plan and the warning that priorities are ignored."""
    r = goalprog.load(FILE).solve(method="weighted", backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
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
def test_cli_json_variables(backend):
    """The JSON levels are the harness's; here the variables."""
    res = CliRunner().invoke(main, ["solve", str(FILE), "--backend", backend, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    got = {v["label"]: v["value"] for v in d["variables"]}
    assert got == {f"ads[{k}]": approx(v) for k, v in PUBLISHED_ADS.items()}
