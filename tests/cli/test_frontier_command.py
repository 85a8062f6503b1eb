"""``goalprog frontier``: formats, files, the plot and exit codes (values by hand: see
tests/solve/test_frontier.py for the clothing factory's ends)."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from tests.helpers import PROBLEMS

CLOTHING = PROBLEMS / "clothing_factory_preemptive.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_json(backend):
    res = run("frontier", CLOTHING, "--between", "profit", "waste", "-f", "json", "-b", backend, "-q")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["between"] == ["profit", "waste"]
    assert [p["profit"] for p in d["points"]] == pytest.approx([150_000, 750_000 / 7], rel=1e-9)
    assert [p["waste"] for p in d["points"]] == pytest.approx([50_000, 20_000], rel=1e-9)
    assert d["points"][0]["rate"] == pytest.approx(10 / 7, rel=1e-9)
    assert d["points"][1]["rate"] is None
    assert d["current"]["profit"] == pytest.approx(150_000, rel=1e-9)


def test_csv_to_file_and_plot(tmp_path):
    out, png = tmp_path / "f.csv", tmp_path / "f.png"
    res = run("frontier", CLOTHING, "--between", "waste", "profit", "-f", "csv", "-o", out, "--plot", png,
              "--variables")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 2
    # A = waste now: the first row is the least waste excess
    assert float(rows[0]["waste"]) == pytest.approx(20_000)
    assert float(rows[0]["variable:pants"]) == pytest.approx(60_000 / 7)
    assert float(rows[0]["rate"]) == pytest.approx(7 / 10)  # yards per dollar of profit shortfall
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # no replacing without --force
    again = run("frontier", CLOTHING, "--between", "waste", "profit", "-o", out)
    assert again.exit_code == 2


def test_table_names_the_held_goals_and_current_plan():
    res = run("frontier", CLOTHING, "--between", "profit", "waste")
    assert res.exit_code == 0, res.output
    assert "frontier between profit and waste: 2 points" in res.output
    assert "current plan: profit 150,000" in res.output


@pytest.mark.parametrize("args, code, text", [
    (["--between", "proft", "waste"], 2, "did you mean 'profit'"),
    (["--between", "level:9", "waste"], 2, "level:1, level:2"),
    (["--between", "profit", "profit"], 2, "overlap"),
    (["--between", "profit", "waste", "--step", "0"], 2, "step"),
])
def test_bad_input_is_a_usage_error(args, code, text):
    res = run("frontier", CLOTHING, *args)
    assert res.exit_code == code, res.output
    assert text in res.output
    assert "Traceback" not in res.output


def test_infeasible_current_plan_exits_4(tmp_path):
    f = tmp_path / "inf.yaml"
    f.write_text("name: inf\nvariables: {x: {lower: 0}}\nconstraints: {c: x <= -1}\n"
                 "goals:\n  a: {expr: x, at_most: 0}\n  b: {expr: x, at_least: 5}\n")
    res = run("frontier", f, "--between", "a", "b")
    assert res.exit_code == 4, res.output
    assert "no frontier" in res.output


def test_help_names_the_method():
    res = run("frontier", "--help")
    assert res.exit_code == 0
    assert "Aneja & Nair" in res.output and "level:2" in res.output


@pytest.mark.parametrize("args, option, name", [
    (["frontier", CLOTHING, "--between", "profit", "waste", "--plot"], "--plot", "f.txt"),
    (["solve", CLOTHING, "--plot"], "--plot", "chart.html"),
    (["solve", CLOTHING, "--report"], "--report", "r.png"),
    (["solve", CLOTHING, "--report"], "--report", "report"),
])
def test_plot_and_report_refuse_a_wrong_suffix(tmp_path, args, option, name):
    # a PNG written to f.txt (or a page to r.png) is a usage error, before any solve; nothing written
    res = run(*args, tmp_path / name)
    assert res.exit_code == 2, res.output
    assert f"{option} writes" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []
    ok = {"--plot": "f.PNG", "--report": "r.htm"}[option]  # the case of the suffix does not matter
    pytest.importorskip("matplotlib")
    assert run(*args, tmp_path / ok, "-q").exit_code == 0 and (tmp_path / ok).exists()
