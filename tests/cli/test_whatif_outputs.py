"""A what-if run says what it changed (issue 14): `--set` shows in the JSON ("overrides"), in the text
output (one line), in the HTML report (a "What-if: changed from the file" section near the
description) and in the rows of a sweep (set:KEY columns)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from goalprog.analysis.sweep import sweep
from goalprog.cli import main
from tests.helpers import PROBLEMS

INDEXED = PROBLEMS / "clothing_factory_indexed.yaml"


def test_json_lists_the_set_items():
    res = CliRunner().invoke(main, ["solve", str(INDEXED), "--format", "json", "--set", "budget=60000",
                                    "--set", "goals.profit.at_least=230000"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["overrides"] == [{"key": "budget", "value": 60000, "source": "--set"},
                              {"key": "goals.profit.at_least", "value": 230000, "source": "--set"}]
    profit = next(g for g in d["goals"] if g["goal"] == "profit")
    assert profit["target"] == 230000  # the table's target is the overridden one


def test_text_output_has_one_what_if_line():
    res = CliRunner().invoke(main, ["solve", str(INDEXED), "--set", "budget=60000"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.output.splitlines() if "what-if" in ln]
    assert lines == ["what-if: changed from the file: budget=60000 (--set)"]
    plain = CliRunner().invoke(main, ["solve", str(INDEXED)])
    assert "what-if" not in plain.output


def test_report_has_a_what_if_section_after_the_description(tmp_path):
    report = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["solve", str(INDEXED), "--set", "goals.profit.at_least=230000",
                                    "--report", str(report), "--quiet"])
    assert res.exit_code == 0, res.output
    html = report.read_text()
    assert "What-if: changed from the file" in html
    assert "<code>goals.profit.at_least=230000</code>" in html and "(--set)" in html
    assert html.index('class="description"') < html.index("What-if") < html.index("</header>")
    res = CliRunner().invoke(main, ["solve", str(INDEXED), "--report", str(tmp_path / "plain.html"), "--quiet"])
    assert "What-if" not in (tmp_path / "plain.html").read_text()


def test_sweep_rows_carry_the_fixed_overrides():
    frame = sweep(INDEXED, {"goals.waste.weight": [1, 2]}, workers=1, progress=False,
                  overrides={"budget": 60000}, variables=False)
    assert list(frame.columns[:4]) == ["run", "vary:goals.waste.weight", "set:budget", "status"]
    assert frame["set:budget"].tolist() == [60000, 60000]


def test_cli_sweep_csv_has_the_set_column():
    res = CliRunner().invoke(main, ["sweep", str(INDEXED), "--vary", "goals.waste.weight=1,2", "--set",
                                    "budget=60000", "--quiet", "--no-variables", "--workers", "1"])
    assert res.exit_code == 0, res.output
    header, first = res.output.splitlines()[:2]
    assert header.startswith("run,vary:goals.waste.weight,set:budget,status")
    assert first.startswith("0,1,60000,")
