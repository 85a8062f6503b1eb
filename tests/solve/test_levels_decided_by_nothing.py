"""Issue 14: a priority level that weighs nothing (every weight 0, or objectives whose coefficients
are all 0) is named in a warning and shown without lock noise: no lock, no "(binding)", a note.

By hand: x <= 10, y <= 3.  Level 1 (x + y >= 5) is met; level 2 weighs b (y >= 4, can miss by 1)
and b2 (x <= 1) with weight 0; level 3 minimises 0*x; level 4 wants x >= 3.  Levels 2 and 3 can
decide nothing: any plan of the earlier levels is optimal for them.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main

SPEC = {
    "variables": {"x": {"upper": 10}, "y": {"upper": 3}},
    "goals": {
        "a": {"expr": "x + y", "at_least": 5, "priority": 1},
        "b": {"expr": "y", "at_least": 4, "weight": 0, "priority": 2},
        "b2": {"expr": "x", "at_most": 1, "weight": 0, "priority": 2},
        "c": {"minimize": "0*x", "priority": 3},
        "d": {"expr": "x", "at_least": 3, "priority": 4},
    },
}


@pytest.mark.parametrize("lock", [{}, {"lock_abs_tol": 1e-7}])
def test_a_level_of_zero_weights_has_no_lock_and_a_note(lock):
    r = goalprog.from_dict(SPEC).solve(backend="highs", **lock)
    assert r.status.value == "optimal"
    lv = {row["level"]: row for row in r.to_dict()["levels"]}
    for level in (2, 3):
        assert lv[level]["lock"] is None and lv[level]["lock_binding"] is None, lv[level]
        assert lv[level]["trade_off_note"] == "not computed: the level holds nothing (no lock)"
        stage = r.stages[level - 1]
        assert stage.message.startswith("decided by nothing: its goals and objectives all weigh 0")
    assert lv[1]["lock"] == 0.0  # level 1 is met exactly: held at h <= 0
    assert r.value("x") >= 3 - 1e-9 and r.value("x") + r.value("y") >= 5 - 1e-9  # levels 1 and 4 met
    ws = r.warnings
    assert any(w.startswith("priority level 2 is decided by nothing: every goal and objective in it weighs 0 "
                            "(b and b2)") for w in ws), ws
    assert any(w.startswith("priority level 3 is decided by nothing: every goal and objective in it weighs 0 "
                            "(c, whose coefficients are all 0)") for w in ws), ws


def test_the_table_shows_no_lock_noise(tmp_path):
    import yaml

    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(SPEC))
    out = CliRunner().invoke(main, ["solve", str(f), "--lock-abs-tol", "1e-7"]).output
    rows = [line for line in out.splitlines() if line.startswith("│ 2 ") or line.startswith("│ 3 ")]
    assert len(rows) == 2, out
    assert all("binding" not in row and "1e-07" not in row for row in rows), rows
    assert all("decided by nothing" in row for row in rows), rows


def test_an_objective_of_zero_coefficients_beside_a_goal_is_named():
    spec = {"variables": {"x": {"upper": 10}},
            "goals": {"g": {"expr": "x", "at_least": 5, "priority": 1},
                      "flat": {"minimize": "0*x", "priority": 1}}}
    ws = goalprog.from_dict(spec).solve(backend="highs").warnings
    hits = [w for w in ws if "no nonzero coefficient" in w]
    assert hits == ["flat in priority level 1 has no nonzero coefficient: it adds nothing to the level whatever "
                    "the plan: check its expression (or leave it out)"], ws


def test_the_weighted_method_with_only_a_zero_objective_is_decided_by_nothing():
    spec = {"variables": {"x": {"upper": 10}}, "goals": {"flat": {"minimize": "0*x"}}}
    ws = goalprog.from_dict(spec).solve(backend="highs").warnings
    assert any(w.startswith("the achievement function is decided by nothing: every goal and objective in it weighs "
                            "0 (flat, whose coefficients are all 0)") for w in ws), ws
