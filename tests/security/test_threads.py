"""Solving from several threads at once: right answers, the host's stdout intact, no deadlock.

Each case runs in a child process (so a deadlock is killed by the timeout instead of hanging the
test run, and fd 1 is the child's real stdout, a pipe we read): N threads each load and solve the
clothing factory with weights 1 and 1, whose published answer is shirts = 50,000 (profit goal met
at 3 x 50,000 = 150,000 with the whole $50,000 budget), waste 50,000 yards, so the weighted sum of
unwanted deviations is 50,000 - 20,000 = 30,000.  Afterwards the child compares fd 1's identity
(st_dev, st_ino) with the one before the threads started and writes a marker to fd 1, which must
arrive in the pipe.  Before the fix, pulp left fd 1 at /dev/null in most runs and pyomo's
``tee`` redirection broke it or deadlocked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = ROOT / "problems" / "clothing_factory_weighted.yaml"

CHILD = textwrap.dedent("""
    import json, os, sys, threading
    import goalprog

    backend, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    before = os.fstat(1)
    out = [None] * n
    errors = []
    start = threading.Barrier(n)

    def work(i):
        try:
            problem = goalprog.load(path)
            start.wait(30)
            r = problem.solve(backend=backend)
            out[i] = [r.status.value, r.objective, r.value("shirts"), r.value("pants"), r.value("dresses")]
        except BaseException as exc:
            errors.append(repr(exc)[:300])

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    after = os.fstat(1)
    report = {"alive": sum(t.is_alive() for t in threads), "errors": errors, "results": out,
              "same_fd1": [before.st_dev, before.st_ino] == [after.st_dev, after.st_ino]}
    os.write(1, b"MARKER-AFTER-THREADS\\n")
    sys.stderr.write("REPORT " + json.dumps(report) + "\\n")
    sys.stderr.flush()
    os._exit(0)
""")


def _run(tmp_path, backend: str, n: int) -> tuple[dict, str]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, str(script), backend, str(n), str(PROBLEM)], capture_output=True,
                              text=True, timeout=240, cwd=tmp_path)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test exists for
        pytest.fail(f"{n} threads solving on {backend} did not finish within 240 s (deadlock)")
    lines = [l for l in proc.stderr.splitlines() if l.startswith("REPORT ")]
    assert lines, f"the child reported nothing; stderr: {proc.stderr[-2000:]}"
    return json.loads(lines[-1][len("REPORT "):]), proc.stdout


@pytest.mark.parametrize("backend,n", [("pulp", 12), ("pyomo", 4), ("highs", 12)])
def test_threads_solve_right_and_keep_stdout(tmp_path, backend, n):
    for _ in range(2):  # a race shows up in some runs only: run each case twice
        report, stdout = _run(tmp_path, backend, n)
        assert report["alive"] == 0, f"{report['alive']} threads still running after 90 s (deadlock)"
        assert report["errors"] == []
        assert len(report["results"]) == n
        for status, objective, shirts, pants, dresses in report["results"]:
            assert status == "optimal"
            assert objective == pytest.approx(30_000, abs=1e-4)
            assert shirts == pytest.approx(50_000, abs=1e-4)
            assert pants == pytest.approx(0, abs=1e-6) and dresses == pytest.approx(0, abs=1e-6)
        assert report["same_fd1"], "file descriptor 1 points somewhere else after the threads"
        assert "MARKER-AFTER-THREADS" in stdout, "a write to fd 1 after the threads did not reach stdout"


def test_redirection_nests_and_restores_in_one_thread(tmp_path):
    """quiet_stdout inside stdout_to_stderr (the CLI's verbose JSON run) and the reverse restore fd 1."""
    script = tmp_path / "nest.py"
    script.write_text(textwrap.dedent("""
        import os, sys
        from goalprog.solve.backends.base import quiet_stdout, stdout_to_stderr
        before = os.fstat(1)
        with stdout_to_stderr():
            with quiet_stdout():
                os.write(1, b"hidden-1\\n")
            os.write(1, b"to-stderr\\n")
        with quiet_stdout():
            os.write(1, b"hidden-2\\n")
        after = os.fstat(1)
        os.write(1, b"visible\\n")
        sys.stderr.write("SAME %s\\n" % ((before.st_dev, before.st_ino) == (after.st_dev, after.st_ino)))
    """), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "visible\n"
    assert "to-stderr" in proc.stderr and "SAME True" in proc.stderr
    assert "hidden-2" not in proc.stderr + proc.stdout
