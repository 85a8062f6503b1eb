"""Issue 14: the exact lock shows the level's optimum, not its rounding guard.

Clothing factory, level 1 maximise profit 10p + 3s + 15d under 5p + s + 10d <= 50,000: profit per
dollar of budget is 2, 3 and 1.5, so all on shirts, profit 150,000 (by hand).  The exact lock holds
profit >= 150,000 with a rounding guard of about 1e-8 in the lock row; JSON and tables show
150000 (the guard is the stage's ``lock_slack``).  With the slack option the lock shown is the
bound the user asked for: 150,000 - 1.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main

SPEC = {
    "variables": {"pants": {}, "shirts": {}, "dresses": {}},
    "constraints": {"budget": "5*pants + shirts + 10*dresses <= 50000"},
    "goals": {"profit": {"maximize": "10*pants + 3*shirts + 15*dresses", "priority": 1},
              "waste": {"minimize": "1.5*pants + shirts + 3*dresses", "priority": 2}},
}


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_the_exact_lock_is_the_optimum(backend):
    r = goalprog.from_dict(SPEC).solve(backend=backend)
    d = r.to_dict()
    level1 = d["levels"][0]
    assert level1["lock_sense"] == ">="
    assert level1["lock"] == pytest.approx(150000, rel=0, abs=1e-9)  # not 149999.999999985
    stage1 = d["stages"][0]
    assert stage1["lock"] == pytest.approx(150000, rel=0, abs=1e-9)
    assert 0 <= stage1["lock_slack"] < 1e-6  # the guard is kept, as its own field


def test_the_table_and_the_slack_option(tmp_path):
    import yaml

    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(SPEC))
    out = CliRunner().invoke(main, ["solve", str(f), "--format", "json", "--lock-abs-tol", "1"]).output
    assert json.loads(out)["levels"][0]["lock"] == pytest.approx(149999, rel=0, abs=1e-9)
    table = CliRunner().invoke(main, ["solve", str(f)]).output
    row = next(line for line in table.splitlines() if line.startswith("│ 1 "))
    assert ">= 150,000" in row and "149,999" not in row, row
