"""README.md's "Command line" section names every option of ``goalprog solve`` and the
``goalprog frontier`` command (a fresh user reads it before any --help)."""

from pathlib import Path

from goalprog.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Command line")
    return text[start:text.index("\n## ", start + 1)]


def test_readme_lists_every_solve_option_and_the_frontier_command():
    section = _section()
    solve = main.commands["solve"]
    missing = [o for p in solve.params for o in p.opts if o.startswith("--") and o not in section
               and o not in ("--help", "--schema-version")]
    assert missing == []
    assert "goalprog frontier FILE --between A B" in section
    frontier = main.commands["frontier"]
    assert [o for p in frontier.params for o in p.opts if o in ("--step", "--plot", "--jobs")
            and o not in section] == []
