"""goalprog solve --alternatives: the table section, the JSON key, the CSV table and the report section."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from goalprog.cli import main

XY = """name: xy
variables:
  x: {lower: 0, upper: 1}
  y: {lower: 0, upper: 1}
goals:
  g: {expr: x + y, at_least: 1}
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def xy(tmp_path):
    path = tmp_path / "xy.yaml"
    path.write_text(XY)
    return path


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_json_acceptance(xy, backend):
    """Issue 15's acceptance: x + y >= 1 with x, y in [0, 1] gives unique: false and x in [0, 1]."""
    res = run("solve", xy, "--alternatives", "-f", "json", "-b", backend)
    assert res.exit_code == 0, res.output
    alt = json.loads(res.output)["alternatives"]
    assert alt["unique"] is False
    x = next(v for v in alt["variables"] if v["variable"] == "x")
    assert (x["min"], x["max"]) == (0.0, 1.0)
    assert alt["solves"] >= 1 and alt["time"] >= 0 and "skipped" in alt


def test_table_lists_only_the_moving_variables(xy, problems_dir):
    res = run("solve", xy, "--alternatives")
    assert res.exit_code == 0, res.output
    assert "Alternative optima:" in res.output and "the plan is not unique" in res.output
    assert "Variables that can move" in res.output
    res = run("solve", problems_dir / "clothing_factory_weighted.yaml", "--alternatives")
    assert res.exit_code == 0, res.output
    assert "the plan is unique" in res.output and "Variables that can move" not in res.output


def test_without_the_flag_nothing_changes(xy):
    res = run("solve", xy, "-f", "json")
    assert "alternatives" not in json.loads(res.output)
    assert "Alternative optima" not in run("solve", xy).output


def test_csv_and_report(xy, tmp_path):
    out = tmp_path / "csv"
    res = run("solve", xy, "--alternatives", "-f", "csv", "-o", out)
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out / "alternatives.csv").set_index("variable")
    assert (df.loc["y", "min"], df.loc["y", "max"]) == (0.0, 1.0)
    report = tmp_path / "r.html"
    res = run("solve", xy, "--alternatives", "--report", report, "-q")
    assert res.exit_code == 0, res.output
    html = report.read_text()
    assert '<section id="alternatives">' in html and "gp-alternatives" in html
