"""Names from a problem file never steer the terminal (control characters are shown escaped), and
CSV cells a spreadsheet would run as formulas are neutralised while numbers stay numbers."""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from goalprog.core.formatting import terminal_text
from goalprog.core.outfiles import spreadsheet_safe

# "\e" is ESC in a double-quoted YAML string; \a is BEL (ends a window-title sequence)
EVIL = r'''name: "evil\e]0;pwned\a\e[2J"
description: "clears \e[2J the screen"
sets:
  items: ["a\e[31mred", "=HYPERLINK(\"http://x\")", "-1.5", "@SUM(1)", "+cmd", "\tTAB", "plain"]
variables:
  x: {index: items, upper: 10}
goals:
  total: {expr: "sum(x[i] for i in items)", at_least: 5, weight: 1}
'''


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def evil(tmp_path):
    p = tmp_path / "evil.yaml"
    p.write_text(EVIL, encoding="utf-8")
    return p


def _no_raw_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text


def test_terminal_text():
    assert terminal_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal_text("t\x07\r\x7f\x9b\u202eend\nnext") == "t\\x07\\x0d\\x7f\\x9b\\u202eend\nnext"
    assert terminal_text("make[pants,3] ünïcode") == "make[pants,3] ünïcode"
    assert terminal_text(None) == ""


def test_table_output_escapes_names(evil):
    res = run("solve", evil)
    assert res.exit_code == 0, res.output
    _no_raw_controls(res.stdout)
    _no_raw_controls(res.stderr)
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J" in res.stdout  # the header line, visibly escaped
    assert "x[a\\x1b[31mred]" in res.stdout  # a variable's label in the table


def test_table_to_file_escapes_names(evil, tmp_path):
    res = run("solve", evil, "-o", tmp_path / "t.txt")
    assert res.exit_code == 0, res.output
    text = (tmp_path / "t.txt").read_text(encoding="utf-8")
    _no_raw_controls(text)
    assert "x[a\\x1b[31mred]" in text


def test_error_messages_escape_names(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('variables:\n  x: {upper: 1}\ngoals:\n  g: {expr: "x + \\e[2J", at_least: 1}\n'
                   '  "h\\e]0;t\\a": {expr: x, at_least: 1, colour: "\\e[2J"}\n', encoding="utf-8")
    res = run("solve", bad)
    assert res.exit_code == 3, res.output
    _no_raw_controls(res.stdout)
    _no_raw_controls(res.stderr)
    assert "\\x1b" in res.stderr  # the message is there, escaped


def test_file_name_with_escape(tmp_path, evil):
    named = tmp_path / "p\x1b[2J.yaml"
    named.write_text(EVIL, encoding="utf-8")
    for args in (["validate", named], ["solve", named, "-q"], ["solve", tmp_path / "missing\x1b[2J.yaml"]):
        res = run(*args)
        _no_raw_controls(res.stdout)
        _no_raw_controls(res.stderr)
    res = run("validate", named)
    assert res.exit_code == 0 and "p\\x1b[2J.yaml: ok" in res.stdout


def test_sweep_output_on_stderr_is_escaped(evil, tmp_path):
    res = run("sweep", evil, "--vary", "goals.total.at_least=1,2", "-j", "1", "-o", tmp_path / "r.csv")
    assert res.exit_code == 0, res.output
    _no_raw_controls(res.stderr)
    _no_raw_controls(res.stdout)


def test_html_report_has_no_raw_controls(evil, tmp_path):
    res = run("solve", evil, "--report", tmp_path / "r.html", "-q")
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    _no_raw_controls(page)
    assert "evil\\x1b]0;pwned" in page


# -- CSV formula injection ------------------------------------------------------------------------

@pytest.mark.parametrize("cell,expected", [
    ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-3.5", "-3.5"), ("+2", "+2"), ("1e-5", "1e-5"), ("a=b", "a=b"), ("", ""),
    (-3.5, -3.5), (7, 7), (None, None),
])
def test_spreadsheet_safe(cell, expected):
    assert spreadsheet_safe(cell) == expected


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_results_csv_neutralises_formulas(evil, tmp_path):
    res = run("solve", evil, "-f", "csv", "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output
    rows = _read(tmp_path / "out" / "variables.csv")
    assert [r["items"] for r in rows] == ["a\x1b[31mred", "'=HYPERLINK(\"http://x\")", "-1.5", "'@SUM(1)", "'+cmd",
                                          "'\tTAB", "plain"]
    assert [r["value"] for r in rows] == ["10.0"] * 7  # numbers stay numbers
    assert [r["lower"] for r in rows] == ["0.0"] * 7
    goals = _read(tmp_path / "out" / "goals.csv")
    assert goals[0]["goal"] == "total" and float(goals[0]["value"]) == 70.0 and float(goals[0]["over"]) == 65.0


def test_results_csv_on_stdout_neutralises_formulas(evil):
    res = run("solve", evil, "-f", "csv")
    assert res.exit_code == 0, res.output
    block = res.stdout.split("# variables\n", 1)[1].split("\n\n", 1)[0]
    rows = list(csv.DictReader(io.StringIO(block)))
    assert rows[1]["items"] == "'=HYPERLINK(\"http://x\")" and rows[2]["items"] == "-1.5"


def test_sweep_csv_neutralises_formulas(evil, tmp_path):
    out = tmp_path / "runs.csv"
    res = run("sweep", evil, "--vary", "goals.total.at_least=-3.5,2", "-j", "1", "-q", "-o", out)
    assert res.exit_code == 0, res.output
    rows = _read(out)
    assert [r["vary:goals.total.at_least"] for r in rows] == ["-3.5", "2.0"]  # numbers, as they were (a float column)
    assert [r["goal:total.under"] for r in rows] == ["0.0", "0.0"]  # both targets are reachable (0 <= total <= 70)
    for r in rows:  # over = value - target, written as plain numbers (a negative one too)
        assert float(r["goal:total.over"]) == pytest.approx(float(r["goal:total.value"]) - float(r["vary:goals.total.at_least"]))
    assert [r["status"] for r in rows] == ["optimal", "optimal"]
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert 'variable:x["=HYPERLINK(\\"http://x\\")"]' in header  # starts with variable:, nothing to neutralise
    # the same rows on stdout
    res = run("sweep", evil, "--vary", "goals.total.at_least=-3.5,2", "-j", "1", "-q")
    assert [r["vary:goals.total.at_least"] for r in csv.DictReader(io.StringIO(res.stdout))] == ["-3.5", "2.0"]


def test_sweep_csv_text_cells(tmp_path):
    """A varied text value that starts like a formula is neutralised in the CSV."""
    import pandas as pd

    from goalprog.analysis.sweep import write_csv

    frame = pd.DataFrame({"run": [0, 1], "=key": ["=cmd()", "@x"], "status": ["optimal", "error"],
                          "message": ["", "-bad"], "objective": [-3.5, None]})
    buf = io.StringIO(newline="")
    write_csv(frame, buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows == [["run", "'=key", "status", "message", "objective"],
                    ["0", "'=cmd()", "optimal", "", "-3.5"],
                    ["1", "'@x", "error", "'-bad", ""]]
