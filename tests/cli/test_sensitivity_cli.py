"""goalprog solve --sensitivity: the table section, the JSON key, the CSV tables and the report's section."""

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from tests.helpers import PROBLEMS

CLOTHING = PROBLEMS / "clothing_factory_weighted.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_json_has_the_issue_fields(backend):
    """The clothing reference (hand-derived in tests/solve/test_sensitivity.py) through the command line."""
    res = run("solve", CLOTHING, "--sensitivity", "-f", "json", "-b", backend)
    assert res.exit_code == 0, res.output
    s = json.loads(res.output)["sensitivity"]
    budget = {r["constraint"]: r for r in s["constraints"]}["budget"]
    assert (budget["slack"], budget["rate_below"], budget["rate_above"]) == (0.0, pytest.approx(-2), pytest.approx(-1.1))
    targets = {r["goal"]: r for r in s["targets"]}
    assert (targets["profit"]["rate_below"], targets["profit"]["rate_above"]) == (pytest.approx(0.7), pytest.approx(1))
    assert targets["profit"]["high"] == "inf" and targets["waste"]["low"] == "-inf"
    weights = {r["goal"]: r for r in s["weights"]}
    assert (weights["profit"]["side"], weights["profit"]["low"], weights["profit"]["high"]) == \
        ("under", pytest.approx(0.7), "inf")
    assert weights["waste"]["high"] == pytest.approx(float(Fraction(10, 7)), rel=1e-9)
    assert {"goal", "side", "level", "weight", "low", "high"} <= set(weights["waste"])


def test_table_section_and_default_output_unchanged():
    res = run("solve", CLOTHING, "--sensitivity")
    assert res.exit_code == 0, res.output
    for title in ("Sensitivity: hard constraints", "Sensitivity: targets", "Sensitivity: weights"):
        assert title in res.output
    assert "-1.1" in res.output
    plain = run("solve", CLOTHING)
    assert "Sensitivity" not in plain.output
    assert "sensitivity" not in json.loads(run("solve", CLOTHING, "-f", "json").output)


def test_csv_and_report(tmp_path):
    out = tmp_path / "csv"
    res = run("solve", CLOTHING, "--sensitivity", "-f", "csv", "-o", out)
    assert res.exit_code == 0, res.output
    assert "rate_below" in (out / "sensitivity_constraints.csv").read_text()
    report = tmp_path / "r.html"
    res = run("solve", CLOTHING, "--sensitivity", "--report", report)
    assert res.exit_code == 0, res.output
    html = report.read_text()
    assert 'id="sensitivity"' in html and "rate below" in html


def cells(output):
    """The rows of the rich tables in ``output`` as tuples of stripped cells."""
    return [tuple(c.strip() for c in line.strip().strip("│").split("│")) for line in output.splitlines()
            if line.strip().startswith("│")]


def test_preemptive_shows_the_levels_table():
    """Preemptive clothing (profit first), the lexicographic value function re-solved afresh at each budget b
    (derived in tests/solve/test_sensitivity.py::test_preemptive_clothing_levels): level 1 = max(0, 150,000 - 3b):
    -3 below, 0 above; level 2 = waste's over-deviation: below, profit at its new optimum 3b needs shirts only
    (s = b, waste b): +1; above, pants replace shirts at 150,000 profit: -1.1."""
    res = run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity")
    assert res.exit_code == 0, res.output
    assert "binding constraints by level" in res.output
    rows = cells(res.output)
    assert ("budget", "1", "-3", "0") in rows
    assert ("budget", "2", "1", "-1.1") in rows


def test_no_inf_where_the_earlier_level_is_re_optimised(tmp_path):
    """Preemptive clothing: a budget below 50,000 caps profit at 3b < 150,000 (profit per dollar of cost is at
    most 3, shirts), so level 1 gets worse; the level-2 value is still defined (level 1 re-optimised at its new
    value), so the budget's rate below is +1, not the old "cannot hold" -inf, in the table, the note and the
    report alike."""
    res = run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity")
    assert res.exit_code == 0, res.output
    budget = [r for r in cells(res.output) if r[0] == "budget" and len(r) == 7]
    assert budget == [("budget", "50,000", "0", "50,000", "1", "-1.1", "2")], budget
    text = " ".join(res.output.split())
    assert "the earlier levels can no longer be held at their current values" not in text
    page = tmp_path / "r.html"
    assert run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity", "--report", page).exit_code == 0
    assert "the earlier levels can no longer be held at their current values" not in page.read_text()


def test_inf_only_where_the_hard_constraints_fail(tmp_path):
    """x >= 5 (hard, floor) and x + y <= 5 (hard, cap): below b = 5 the hard constraints have no plan at all, so
    at both levels the cap's rate below is -inf.  Above (x + y <= 5 + t): level 1 (x >= 8, under) = 8 - (5 + t):
    rate -1; level 2 (y >= 1, under), x held at its new 5 + t by level 1, y = 0: 1 for ever: rate 0."""
    f = tmp_path / "p.yaml"
    f.write_text("variables: {x: {lower: 0}, y: {lower: 0}}\n"
                 "constraints: {floor: 'x >= 5', cap: 'x + y <= 5'}\n"
                 "goals: {g1: {expr: x, at_least: 8, priority: 1}, g2: {expr: y, at_least: 1, priority: 2}}\n"
                 "solve: {method: preemptive}\n")
    res = run("solve", f, "--sensitivity")
    assert res.exit_code == 0, res.output
    rows = cells(res.output)
    assert ("cap", "1", "-inf", "-1") in rows and ("cap", "2", "-inf", "0") in rows, rows
