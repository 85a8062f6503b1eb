"""The shared harness of the library problems (problems/*.yaml but the clothing factory's).

One parametrised test per check, over every case of :mod:`tests.library.cases` and its backends;
each case gives its independently computed expected answers (published, by hand, or from a
goal program written by hand in PuLP) and where they come from.  A check only one problem needs is a
small test in ``tests/library/test_<name>.py``.

* ``test_preemptive_levels``: ``load(file).solve(backend=...)`` is optimal and preemptive, its
  levels are 1..L, and the ``level_columns`` of every level match ``levels``;
* ``test_weighted_objective``: ``solve(method="weighted")`` reaches ``weighted_objective``
  (rel 1e-6, abs 1e-6);
* ``test_cli_table``: ``goalprog solve FILE --backend B`` exits 0 with status optimal, the priority
  levels (for a preemptive case) and the goal table, and every name of ``table_names``;
* ``test_cli_json_levels``: ``--format json`` gives status optimal and the same level values.
"""

import json

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from tests.helpers import BACKENDS, PROBLEMS
from tests.library.cases import KEYS, load_cases, resolve

CASES = load_cases()


def _params(key=None):
    """``(case name, backend)`` for every case (that has ``key``) and every backend it runs on."""
    return [pytest.param(name, backend, id=f"{name}-{backend}")
            for name, case in CASES.items() if key is None or key in case
            for backend in case.get("backends", BACKENDS)]


_EXPECTED = {}


def expected(name, key):
    """A case's expected value, computed once per process (the references solve LPs and MILPs)."""
    if (name, key) not in _EXPECTED:
        _EXPECTED[name, key] = resolve(CASES[name][key])
    return _EXPECTED[name, key]


def approx(case, value):
    return pytest.approx(float(value), **case.get("level_tolerance", {"rel": 1e-6, "abs": 1e-6}))


def test_every_case_is_well_formed():
    assert CASES, "no library cases found"
    for name, case in CASES.items():
        assert set(case) <= KEYS, f"{name}: unknown keys {set(case) - KEYS}"
        assert (PROBLEMS / case["file"]).is_file(), name
        assert "levels" in case or "weighted_objective" in case, name
        if "levels" in case:
            assert case.get("levels_source") and case.get("level_columns"), name
            assert set(case["level_columns"]) <= {"achievement", "stage_value"}, name
        if "weighted_objective" in case:
            assert case.get("weighted_source"), name


@pytest.mark.parametrize("name,backend", _params("levels"))
def test_preemptive_levels(name, backend):
    case = CASES[name]
    want = expected(name, "levels")
    r = goalprog.load(PROBLEMS / case["file"]).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL, r.message
    assert r.method == "preemptive"
    levels = r.levels.set_index("level")
    assert list(levels.index) == list(range(1, len(want) + 1))
    for column in case["level_columns"]:
        for level, value in zip(levels.index, want):
            assert levels.loc[level, column] == approx(case, value), f"{column} of level {level}"


@pytest.mark.parametrize("name,backend", _params("weighted_objective"))
def test_weighted_objective(name, backend):
    case = CASES[name]
    want = expected(name, "weighted_objective")
    r = goalprog.load(PROBLEMS / case["file"]).solve(method="weighted", backend=backend)
    assert r.status is goalprog.Status.OPTIMAL, r.message
    assert r.objective == pytest.approx(float(want), rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("name,backend", _params())
def test_cli_table(name, backend):
    case = CASES[name]
    res = CliRunner().invoke(main, ["solve", str(PROBLEMS / case["file"]), "--backend", backend])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "status: optimal" in out
    assert "Goals" in out
    if "levels" in case:
        assert "Priority levels" in out
    for text in case.get("table_names", ()):
        assert text in out


@pytest.mark.parametrize("name,backend", _params("levels"))
def test_cli_json_levels(name, backend):
    case = CASES[name]
    want = expected(name, "levels")
    res = CliRunner().invoke(main, ["solve", str(PROBLEMS / case["file"]), "--backend", backend, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["status"] == "optimal"
    assert [lv["level"] for lv in d["levels"]] == list(range(1, len(want) + 1))
    for column in case["level_columns"]:
        assert [lv[column] for lv in d["levels"]] == [approx(case, v) for v in want], column
