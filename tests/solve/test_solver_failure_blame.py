"""A solver that calls a feasible model infeasible is reported as a solver failure (issue 14).

The model of ``BIGM`` is feasible by hand: x0 = x3 = 1, y0 = 2.4, y3 = 1.9 satisfy every row
(7 * 2.4 - 1.9 = 14.9 >= 14.63; 5 * 1.9 = 9.5 ... plus 595.6 * y1 with y1 = 0.01 >= 9.59).  PuLP's
bundled CBC calls it infeasible (a big-M of 1e6 beside coefficients near 1); goalprog's own check
finds a plan, so the result is a solver failure (``Status.ERROR``, exit 7) naming the solver.
Where CBC is missing or gets it right, the same path is driven by a session that says infeasible.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.status import SolutionStatus, Status, Termination
from goalprog.solve.backends.base import StageRecord
from goalprog.solve.backends.highs_backend import HighsSession

BIGM = {
    "name": "bigm_cbc",
    "variables": {**{f"x{i}": {"type": "binary"} for i in range(4)}, **{f"y{i}": {"lower": 0} for i in range(4)}},
    "constraints": {**{f"link{i}": f"y{i} <= 1000000 * x{i}" for i in range(4)},
                    "r1": "595.6217154123019 * y1 + 5 * y3 >= 9.589433505064783",
                    "r2": "7 * y0 - y3 >= 14.630527120027267"},
    "goals": {"few": {"expr": "x0 + x1 + x2 + x3", "at_most": 0, "priority": 1}},
}

# a plan by hand, checked row by row: every hard row holds
PLAN = {"x0": 1, "x1": 1, "x2": 0, "x3": 1, "y0": 2.4, "y1": 0.01, "y2": 0, "y3": 1.9}


def test_the_hand_plan_is_feasible():
    p = PLAN
    assert 595.6217154123019 * p["y1"] + 5 * p["y3"] >= 9.589433505064783
    assert 7 * p["y0"] - p["y3"] >= 14.630527120027267
    assert all(p[f"y{i}"] <= 1e6 * p[f"x{i}"] for i in range(4))


def _infeasible(self):
    return StageRecord(Termination.INFEASIBLE, SolutionStatus.NONE, None, None, solver="highs")


def test_first_level_false_infeasible_is_a_solver_failure(monkeypatch):
    monkeypatch.setattr(HighsSession, "solve", _infeasible)
    result = goalprog.from_dict(BIGM).solve(backend="highs")
    assert result.status is Status.ERROR
    assert "highs reported it infeasible" in result.message
    assert "finds the hard constraints feasible" in result.message
    assert "failure of the solver" in result.message and "rescale" in result.message
    assert "cannot all hold together" not in result.message
    assert result.conflict is None


def test_weighted_false_infeasible_is_a_solver_failure(monkeypatch):
    monkeypatch.setattr(HighsSession, "solve", _infeasible)
    result = goalprog.from_dict(BIGM).solve(method="weighted", backend="highs")
    assert result.status is Status.ERROR
    assert "highs reported it infeasible" in result.message


def test_later_level_false_infeasible_is_a_solver_failure(monkeypatch):
    doc = {"variables": {"a": {"lower": 0, "upper": 10}, "b": {"lower": 0, "upper": 10}},
           "constraints": {"cap": "a + b <= 12"},
           "goals": {"ga": {"expr": "a", "at_least": 8, "priority": 1},
                     "gb": {"expr": "b", "at_least": 8, "priority": 2}}}
    real = HighsSession.solve
    calls = []

    def second_infeasible(self):
        calls.append(1)
        return real(self) if len(calls) == 1 else _infeasible(self)

    monkeypatch.setattr(HighsSession, "solve", second_infeasible)
    result = goalprog.from_dict(doc).solve(backend="highs")
    assert len(calls) >= 2
    assert result.status is Status.ERROR
    assert "the solver failed at priority level 2" in result.message
    assert "the plan of the earlier levels satisfies every hard constraint and every lock" in result.message


def test_conflict_names_the_constraints_not_the_level():
    doc = {"variables": {"a": {"lower": 0}},
           "constraints": {"low": "a <= 2", "high": "a >= 5"},
           "goals": {"g": {"expr": "a", "at_least": 3, "priority": 1}}}
    for method in ("preemptive", "weighted"):
        result = goalprog.from_dict(doc).solve(method=method, backend="highs")
        assert result.status is Status.INFEASIBLE
        assert result.message.startswith("the hard constraints cannot all hold together: ")
        assert "low" in result.message and "high" in result.message
        assert "priority level" not in result.message and "weighted problem" not in result.message
        assert result.message.count("hold together") == 1


def _cbc_available():
    try:
        import pulp

        return pulp.PULP_CBC_CMD(msg=0).available()
    except Exception:
        return False


@pytest.mark.skipif(not _cbc_available(), reason="PuLP's bundled CBC is not available")
def test_cbc_false_infeasible_exits_7_and_names_cbc(tmp_path):
    import yaml

    path = tmp_path / "bigm.yaml"
    path.write_text(yaml.safe_dump(BIGM))
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "pulp", "--solver", "cbc"])
    if out.exit_code == 0:
        pytest.skip("this CBC solves the big-M model right")
    assert out.exit_code == 7, out.output
    text = " ".join(out.output.split())
    assert "CBC" in text and "reported it infeasible" in text
    assert "--backend highs" in text
