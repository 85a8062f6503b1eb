"""Smoke test of the benchmark harness (benchmarks are measured, not tested; this checks the harness runs
and that every method, goalprog's and the hand-written ones, reaches the same level values)."""

import subprocess
import sys

import pytest

import goalprog
from tests.helpers import ROOT


@pytest.mark.slow
def test_harness_runs_on_the_tiny_instance(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size", "tiny", "--reps", "1",
                           "--dir", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout
    # weighted methods agree, goalprog's exact preemptive chains agree, the hand-written (1e-5 slack) chains agree
    assert table.count("| yes |") == 3, table
    for name in ("goalprog-highs", "goalprog-pulp", "goalprog-pyomo", "highspy-arrays", "highs-native-lex",
                 "pyomo-persistent-chain"):
        assert name in table


@pytest.mark.parametrize("algorithm", ["simplex", "ipm"])
def test_algorithm_choice_reaches_the_same_levels(algorithm):
    p = goalprog.load(ROOT / "problems" / "production_planning.yaml")
    ref = list(p.solve(backend="highs").levels["stage_value"])
    got = list(p.solve(backend="highs", algorithm=algorithm).levels["stage_value"])
    assert got == pytest.approx(ref, abs=1e-7)


def test_pdlp_is_approximate_and_says_so():
    r = goalprog.load(ROOT / "problems" / "production_planning.yaml").solve(backend="highs", algorithm="pdlp",
                                                                            lock_abs_tol=1e-4)
    assert r.status is goalprog.Status.OPTIMAL
    assert any("PDLP" in w for w in r.warnings)
    assert r.levels["stage_value"][1] == pytest.approx(0.5956153, abs=1e-3)


def test_algorithm_needs_highs():
    with pytest.raises(goalprog.BackendError):
        goalprog.load(ROOT / "problems" / "clothing_factory_weighted.yaml").solve(solver="cbc", algorithm="ipm")
