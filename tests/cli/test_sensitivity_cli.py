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


def test_preemptive_shows_the_levels_table():
    res = run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity")
    assert res.exit_code == 0, res.output
    assert "binding constraints by level" in res.output and "-inf" in res.output


def test_inf_note_says_what_it_means_for_a_held_level(tmp_path):
    """Preemptive clothing: at level 2 the budget's rate below is -inf because level 1 can no
    longer be held (by hand: profit per unit of cost is at most 3 (shirts), so a budget below
    50,000 caps profit below 150,000), not because level 2 itself is infeasible."""
    res = run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity")
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "│ budget │ 2 │ -inf │" in text.replace("  ", " ")
    assert "makes the level infeasible" not in text
    assert "the earlier levels can no longer be held at their current values" in text
    page = tmp_path / "r.html"
    assert run("solve", PROBLEMS / "clothing_factory_preemptive.yaml", "--sensitivity", "--report", page).exit_code == 0
    assert "the earlier levels can no longer be held at their current values" in page.read_text()
