"""The levels table as a new user reads it (trial findings):

- the note on a level whose own solve did not improve on the plan the earlier levels' solve
  returned says only that ("the earlier levels' plan already reached this level's optimum"), not
  that the level was "no better" than the earlier levels (its priority may still shape the plan);
- ``+ face`` / ``+ fixed`` in the lock column is explained by a footnote (text and HTML);
- ``result.levels``, the JSON ``levels`` and ``levels.csv`` have the same columns.

The example, by hand: ``x + y <= 10``, ``x, y >= 0``; level 1 ``x + 2y >= 16`` (met: y >= (16 - x)/2);
level 2 ``x >= 8`` (weight 2): the largest x with x + 2y >= 16 and x + y <= 10 is x = 4 (y = 6), so
its achievement is 2 * (8 - 4) = 8; level 3 ``y >= 7`` (weight 3): x = 4 forces y = 6, so 3 * 1 = 3.
Without level 2, level 3 could reach y = 7 (x <= 3): level 2 does shape the plan.
"""

from __future__ import annotations

import csv
import json
import re

import yaml
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.output import report
from tests.helpers import ROOT

DOC = {"name": "trial",
       "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
       "constraints": {"cap": "x + y <= 10"},
       "goals": {"g1": {"expr": "x + 2*y", "at_least": 16, "priority": 1},
                 "g2": {"expr": "x", "at_least": 8, "priority": 2, "weight": 2},
                 "g3": {"expr": "y", "at_least": 7, "priority": 3, "weight": 3}}}
NOTE = "the earlier levels' plan already reached this level's optimum"


def _text(s: str) -> str:
    """Table text with the box drawing and line wraps removed (words joined by single spaces)."""
    return " ".join(re.sub(r"[│┃┏┓┗┛┡┩└┘━─┳┻╇┴┬┼╋]", " ", s).split())


def _write(tmp_path, doc=DOC):
    path = tmp_path / "trial.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_note_says_what_is_known(tmp_path):
    from goalprog.output.tables import level_notes

    r = goalprog.from_dict(DOC).solve(backend="highs")
    assert abs(r.value("x") - 4) < 1e-7 and abs(r.value("y") - 6) < 1e-7
    ach = {lv["level"]: lv["achievement"] for lv in r.level_values()}
    assert abs(ach[1]) < 1e-7 and abs(ach[2] - 8) < 1e-7 and abs(ach[3] - 3) < 1e-7
    notes = level_notes(r)
    assert notes[2] == NOTE and notes[3] == NOTE
    out = CliRunner().invoke(main, ["solve", str(_write(tmp_path)), "--backend", "highs"], terminal_width=200)
    assert out.exit_code == 0, out.output
    assert NOTE in _text(out.output) and "no better" not in out.output
    page = report.page_html(r)
    assert "reached this level&#x27;s optimum" in page or "reached this level's optimum" in page
    assert "no better" not in page


def test_docs_use_the_same_note():
    for name in ("methods.md", "report.md"):
        text = " ".join((ROOT / "docs" / name).read_text().split())
        assert NOTE in text, name
        assert "no better than the plan" not in text, name


def test_face_footnote_in_text_and_html(tmp_path):
    path = _write(tmp_path)
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs"], terminal_width=200)
    text = _text(out.output)
    assert "+ face" in text  # level 2's lock (the exact default, on an LP with duals)
    assert ("+ face: the level is also held by its optimal face: columns with a nonzero reduced cost fixed at "
            "their bound and rows with a nonzero dual made tight") in text
    page = report.page_html(goalprog.from_dict(DOC).solve(backend="highs"))
    assert "+ face: the level is also held by its optimal face" in page
    # "+ fixed" gets its own line
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs", "--lock-style", "fix"],
                             terminal_width=200)
    text = _text(out.output)
    assert "+ fixed" in text and "+ fixed: the level is also held by its columns with a nonzero reduced cost" in text
    assert "+ face:" not in text
    # no "+ face"/"+ fixed" cell (slack option, row locks): no footnote
    r = goalprog.from_dict(DOC).solve(backend="highs", lock_abs_tol=1e-5)
    assert not {"face", "fix"} & set(r.levels["lock_style"].dropna())
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs", "--lock-abs-tol", "1e-5"],
                             terminal_width=200)
    assert "+ face" not in out.output and "+ fixed" not in out.output
    assert "+ face" not in report.page_html(r) and "+ fixed" not in report.page_html(r)


def test_levels_frame_json_and_csv_share_columns(tmp_path):
    path = _write(tmp_path)
    r = goalprog.from_dict(DOC).solve(backend="highs", rates="off")
    cols = list(r.levels.columns)
    for c in ("trade_off_note", "bound", "gap"):
        assert c in cols
    assert list(r.to_dict()["levels"][0]) == cols
    assert list(r.levels["trade_off_note"][:2]) == ["not computed (rates: off)"] * 2
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs", "-f", "json"])
    assert out.exit_code == 0, out.output
    levels = json.loads(out.output)["levels"]
    assert all(list(lv) == cols for lv in levels)
    folder = tmp_path / "out"
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs", "-f", "csv", "-o", str(folder)])
    assert out.exit_code == 0, out.output
    with open(folder / "levels.csv", newline="") as f:
        assert next(csv.reader(f)) == cols
    # the documented column list names each of them
    methods = (ROOT / "docs" / "methods.md").read_text()
    section = methods.split("### Per level", 1)[1].split("###", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", section, re.M))
    documented = {c for pair in documented for c in pair if c}
    assert set(cols) <= documented, set(cols) - documented
