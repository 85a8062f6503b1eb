"""Golden outputs: what the command line prints for every shipped problem, byte for byte.

These guard refactorings (the code may move; what a user sees may not), and make every change
of output a deliberate one: when a change is meant, regenerate the files with
``GOALPROG_UPDATE_GOLDEN=1 python -m pytest tests/golden`` and review the diff in git.

Cases: ``solve`` in table form (at a fixed terminal width of 160 columns) and in JSON form (the
solve times, which vary run to run, removed), ``validate``, and a few files with errors.  All on
the default backend, as a user would run them.  The values themselves are checked against
published and hand-derived answers elsewhere (tests/library/test_clothing_factory.py, the library
tests); here the point is that nothing changes unnoticed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = sorted((ROOT / "problems").glob("*.yaml"))
GOLDEN = Path(__file__).resolve().parent / "outputs"
UPDATE = bool(os.environ.get("GOALPROG_UPDATE_GOLDEN"))

BROKEN = {
    "typo_in_key": "variables:\n  x: {lower: 0}\ngoals:\n  g: {expr: x, at_leest: 3}\n",
    "unknown_name": "variables:\n  x: {lower: 0}\ngoals:\n  g: {expr: x + y, at_least: 3}\n",
    "bad_indentation": "variables:\n  x: {lower: 0}\ngoals:\n  g:\n    expr: x\n   at_least: 3\n",
    "nonlinear": "variables:\n  x: {lower: 0}\n  y: {lower: 0}\ngoals:\n  g: {expr: x * y, at_least: 3}\n",
}


def _run(args: list[str], cwd: Path) -> str:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    proc = subprocess.run([sys.executable, "-m", "goalprog", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"


def _without_times(text: str) -> str:
    head, _, body = text.partition("--- stdout\n")
    out, _, err = body.partition("--- stderr\n")
    try:
        data = json.loads(out)
    except ValueError:
        return text

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("time", "solve_time", "run_time")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return f"{head}--- stdout\n{json.dumps(strip(data), indent=2)}\n--- stderr\n{err}"


def _check(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden output {path.name}; make it with GOALPROG_UPDATE_GOLDEN=1 and review it")
    assert text == path.read_text(encoding="utf-8"), f"the output of {name} changed (see {path})"


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.stem)
def test_solve_table(problem):
    _check(f"solve_table__{problem.stem}", _run(["solve", f"problems/{problem.name}"], ROOT))


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.stem)
def test_solve_json(problem):
    _check(f"solve_json__{problem.stem}", _without_times(_run(["solve", f"problems/{problem.name}", "-f", "json"], ROOT)))


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.stem)
def test_validate(problem):
    _check(f"validate__{problem.stem}", _run(["validate", f"problems/{problem.name}"], ROOT))


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_errors(name, tmp_path):
    (tmp_path / f"{name}.yaml").write_text(BROKEN[name], encoding="utf-8")
    _check(f"error__{name}", _run(["solve", f"{name}.yaml"], tmp_path))
