"""The levels table's note "the earlier levels' plan already reached this level's optimum" is shown only on a level
with an unmet goal that the earlier levels decided, never on a level whose goals are all met
(issue 14).  Cases by hand: x in [0, 10]."""

from __future__ import annotations

import goalprog
from goalprog.output.tables import EARLIER_LEVELS_NOTE, level_notes

NOTE = "the earlier levels' plan already reached this level's optimum"


def _solve(second):
    doc = {"variables": {"x": {"lower": 0, "upper": 10}},
           "goals": {"first": {"expr": "x", "at_most": 3, "priority": 1},
                     "second": {"expr": "x", **second, "priority": 2}}}
    return goalprog.from_dict(doc).solve(backend="highs")


def test_met_level_gets_no_note():
    r = _solve({"at_most": 5})         # level 1 leaves x <= 3, so x <= 5 holds: met, decided earlier
    (lv2,) = [lv for lv in r.level_values() if lv["level"] == 2]
    assert lv2["improved"] is False and lv2["achievement"] == 0
    assert 2 not in level_notes(r)


def test_unmet_level_decided_earlier_gets_the_note():
    r = _solve({"at_least": 5})        # x <= 3 from level 1: second misses by 2
    (lv2,) = [lv for lv in r.level_values() if lv["level"] == 2]
    assert abs(lv2["achievement"] - 2) < 1e-9
    assert level_notes(r)[2] == NOTE == EARLIER_LEVELS_NOTE


def test_cli_table_follows_the_same_rule(tmp_path):
    import yaml
    from click.testing import CliRunner

    from goalprog.cli import main

    for second, shown in (({"at_most": 5}, False), ({"at_least": 5}, True)):
        path = tmp_path / "p.yaml"
        path.write_text(yaml.safe_dump({"variables": {"x": {"lower": 0, "upper": 10}},
                                        "goals": {"first": {"expr": "x", "at_most": 3, "priority": 1},
                                                  "second": {"expr": "x", **second, "priority": 2}}}))
        out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs"], terminal_width=200)
        assert ("reached this level's optimum" in out.output) is shown, out.output
