"""Fuzzing the trust boundary: a problem file is untrusted data (docs/security.md).

Whatever a file says, ``goalprog validate`` and ``goalprog solve`` (no output options) must

* end in a ``GoalProgError`` (CLI: exit 3 for the file's errors; 0, 4, 5, 6 or 7 for a model
  status), never in an internal error (exit 1) or a usage error (exit 2, which is for the command
  line only);
* never show the contents of a file outside the problem's folder (a canary secret planted beside
  the folder must not appear in any output);
* never create, change or remove a file: the problem's folder and the folder beside it are
  compared before and after each run (names, sizes, modification times);
* never run a program (a would-be solver script that touches a marker file is planted beside the
  problem).

Inputs: random bytes; the shipped problems with attacker snippets spliced into random places
(solver paths, file-writing solver options, data paths out of the folder, YAML tags, huge ranges
and numbers, control characters); random mutations of those.  Deterministic (``derandomize``) and
bounded; ``GOALPROG_FUZZ_EXAMPLES`` raises the number of examples for longer runs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalprog.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = ROOT / "problems"
TEXTS = {f.name: f.read_text(encoding="utf-8") for f in sorted(PROBLEMS.glob("*.yaml"))}
CANARY = "CANARY-5f1d2c-NEVER-SHOWN"

_N = int(os.environ.get("GOALPROG_FUZZ_EXAMPLES", "0")) or None


def fuzz_settings(n: int):
    return settings(max_examples=_N or n, deadline=None, derandomize=not os.environ.get("GOALPROG_FUZZ_RANDOM"),
                    database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    """``arena/work`` holds the problem (with a copy of problems/data); ``arena/outside`` holds a
    secret CSV, a secret text file, a symlink target and an executable "solver" that would leave
    a marker file if it ever ran."""
    root = tmp_path_factory.mktemp("arena")
    work, outside = root / "work", root / "outside"
    work.mkdir()
    outside.mkdir()
    import shutil

    shutil.copytree(PROBLEMS / "data", work / "data")
    (outside / "secret.csv").write_text(f"name,value\n{CANARY},1\n", encoding="utf-8")
    (outside / "secret.txt").write_text(CANARY + "\n", encoding="utf-8")
    solver = outside / "solver.sh"
    solver.write_text(f"#!/bin/sh\ntouch {outside / 'RAN'}\n", encoding="utf-8")
    solver.chmod(solver.stat().st_mode | stat.S_IXUSR)
    (work / "link_out.csv").symlink_to(outside / "secret.csv")
    return root


def _snapshot(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        try:
            st_ = p.lstat()
        except OSError:
            continue
        out[str(p.relative_to(root))] = (st_.st_size, st_.st_mtime_ns, stat.S_IFMT(st_.st_mode))
    return out


def _snippets(arena: Path) -> list[str]:
    outside = arena / "outside"
    return [
        # programs and solver options
        f"solve: {{backend: pyomo, solver: {outside / 'solver.sh'}}}",
        "solve: {backend: pyomo, solver: ../outside/solver.sh}",
        f"solve: {{backend: pulp, solver: {outside / 'solver.sh'}}}",
        f"solve: {{options: {{solution_file: {outside / 'written.sol'}, write_solution_to_file: true}}}}",
        f"solve: {{options: {{log_file: {outside / 'written.log'}}}}}",
        f"solve: {{backend: pulp, options: {{logPath: {outside / 'written.log'}}}}}",
        f"solve: {{backend: pyomo, solver: glpk, options: {{wlp: {outside / 'written.lp'}}}}}",
        # data out of the folder
        f"sets: {{U: {{file: {outside / 'secret.csv'}, column: name}}}}",
        "sets: {U: {file: ../outside/secret.csv, column: name}}",
        f"sets: {{U: {{file: {outside / 'secret.txt'}, column: x}}}}",
        "sets: {U: {file: link_out.csv, column: name}}",
        "sets: {U: {file: /proc/self/environ, column: x}}",
        "sets: {U: {file: /dev/zero, column: x}}",
        "sets: {U: {file: data, column: x}}",
        "params: {cap: {file: ../outside/secret.csv, index: name, column: value}}",
        # tags and numbers
        "name: !!python/object/apply:os.system ['touch RAN']",
        "name: !!binary aGVsbG8=",
        "extra: !!timestamp 2001-12-14",
        "name: !include ../outside/secret.txt",
        "sets: {U: {range: [1, 40000000]}}",
        "sets: {U: {range: [1, 1e300]}}",
        "params: {big: " + "9" * 5000 + "}",
        # terminal control sequences
        'name: "\\e]0;pwned\\a\\e[2J"',
        'variables: {"\\e[31mred": {lower: 0}}',
    ]


def _run(args: list[str]):
    return CliRunner().invoke(cli_main, args, catch_exceptions=True)


def _check(result, text: str, arena: Path, before: dict, *, command: str) -> None:
    output = result.output  # click >= 8.2: standard output and standard error as a terminal shows them
    assert result.exit_code not in (1, 2), (command, result.exit_code, output[-3000:], text[:2000])
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, repr(result.exception))
    assert CANARY not in output, (command, "a file outside the folder was shown", text[:2000])
    assert "\x1b" not in output, (command, "a raw ESC reached the terminal", output[:500])
    assert not (arena / "outside" / "RAN").exists(), (command, "a program named by the file ran", text[:2000])
    assert _snapshot(arena) == before, (command, "files changed", text[:2000])


def _splice(text: str, snippet: str, where: int) -> str:
    """Put a top-level ``key: value`` snippet into a problem text: replacing the section of the
    same key when there is one (the last one wins otherwise: a duplicate key is itself an error),
    else at the top or the bottom."""
    key = snippet.split(":", 1)[0]
    lines = text.split("\n")
    out, skipping = [], False
    for line in lines:
        if line.startswith(key + ":"):
            skipping = True
            continue
        if skipping and (line.startswith(" ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    if where % 2:
        return snippet + "\n" + "\n".join(out)
    return "\n".join(out) + "\n" + snippet + "\n"


@fuzz_settings(60)
@given(st.binary(max_size=400))
def test_random_bytes_are_refused_or_read(arena, data):
    path = arena / "work" / "bytes.yaml"
    path.write_bytes(data)
    before = _snapshot(arena)
    result = _run(["validate", str(path)])
    _check(result, repr(data), arena, before, command="validate")


@fuzz_settings(80)
@given(st.sampled_from(sorted(TEXTS)), st.integers(0, 10**6), st.integers(0, 10**6))
def test_attacker_snippets_in_shipped_files(arena, name, which, where):
    snippets = _snippets(arena)
    text = _splice(TEXTS[name], snippets[which % len(snippets)], where)
    path = arena / "work" / "attack.yaml"
    path.write_text(text, encoding="utf-8")
    before = _snapshot(arena)
    _check(_run(["validate", str(path)]), text, arena, before, command="validate")
    _check(_run(["solve", str(path), "--time-limit", "20", "-q"]), text, arena, before, command="solve")


@pytest.mark.parametrize("index", range(24))
def test_each_attacker_snippet_on_the_clothing_factory(arena, index):
    """Every snippet once, deterministically, on the smallest shipped problem."""
    snippets = _snippets(arena)
    if index >= len(snippets):
        pytest.skip("fewer snippets")
    text = _splice(TEXTS["clothing_factory_weighted.yaml"], snippets[index], 0)
    path = arena / "work" / f"attack_{index}.yaml"
    path.write_text(text, encoding="utf-8")
    before = _snapshot(arena)
    _check(_run(["validate", str(path)]), text, arena, before, command="validate")
    _check(_run(["solve", str(path), "--time-limit", "20"]), text, arena, before, command="solve")
