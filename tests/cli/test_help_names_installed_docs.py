"""--help names a docs folder a pip user has (issue 14): not a bare relative ``docs/``; the wheel
installs the docs to <prefix>/share/doc/goalprog."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from goalprog.cli import main
from goalprog.cli.common import DOCS
from tests.helpers import ROOT


def test_help_names_a_folder_that_holds_the_docs():
    out = CliRunner().invoke(main, ["--help"], terminal_width=200)
    text = " ".join(out.output.split())
    assert "docs/format.md" not in text
    assert f"the docs are in {DOCS}" in text
    assert (Path(DOCS) / "format.md").is_file() and (Path(DOCS) / "methods.md").is_file()


def test_solve_help_does_not_point_at_a_relative_docs_folder():
    out = CliRunner().invoke(main, ["solve", "--help"], terminal_width=200)
    assert "docs/methods.md" not in out.output
    assert "methods.md (goalprog --help says where)" in " ".join(out.output.split())


def test_the_wheel_installs_the_docs():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    files = meta["tool"]["setuptools"]["data-files"]["share/doc/goalprog"]
    assert "docs/*.md" in files
    assert any(d.startswith("matplotlib") for d in meta["project"]["dependencies"])
    report = (ROOT / "docs" / "report.md").read_text()
    assert "a dependency of goalprog" in report and "pip install matplotlib" not in report
