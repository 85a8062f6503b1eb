"""`goalprog sweep` safety: worker processes end with the sweep (SIGINT, SIGTERM, SIGKILL of the
parent), the rows that finished stay readable, and sweep columns are unique by construction
(no two names of the problem can land in one column)."""

import csv
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from goalprog.core.errors import ArgumentError
from goalprog.analysis.sweep import parse_range, resolve_column, sweep

ROOT = Path(__file__).resolve().parents[2]
WEIGHTED = ROOT / "problems" / "clothing_factory_weighted.yaml"
BREAK = F(10, 7)  # below a waste weight of 10/7 the plan is 50,000 shirts: objective 30,000 w

linux_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or multiprocessing.get_start_method() != "fork",
    reason="reads /proc for the worker processes; the slow-run patch reaches workers by fork")


# -- processes ----------------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            out += [int(k) for k in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def no_worker_left(workers, seconds=5):
    """Wait until none of ``workers`` runs; on failure end them (this test started them)."""
    try:
        wait_for(lambda: not any(alive(w) for w in workers), seconds, "the workers to end")
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)


def data_rows(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except OSError:
        return []


# A sweep whose runs from 4 on hang (a run that takes minutes): runs 0-3 finish, the two workers
# then sit in runs 4 and 5.  The first 2 x workers tasks hold one run each, so 0-3 are not held
# back with a hanging run.
DRIVER = textwrap.dedent("""
    import sys, time
    import goalprog.analysis.processes as processes_module
    import goalprog.analysis.runner as runner_module
    from goalprog.cli import main

    real = runner_module._run_one

    def slow(ctx, run, values):
        if run >= 4:
            time.sleep(600)
        return real(ctx, run, values)

    runner_module._run_one = slow
    if sys.argv[1] == "watchdog-only":
        processes_module._PDEATHSIG = False
    main(sys.argv[2:], prog_name="goalprog")
""")
WEIGHTS = "0.2:2:0.2"  # 10 runs


def start_hanging_sweep(tmp_path, mode="default"):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = tmp_path / "runs.csv"
    proc = subprocess.Popen([sys.executable, str(driver), mode, "sweep", str(WEIGHTED), "--vary",
                             f"goals.waste.weight={WEIGHTS}", "--backend", "highs", "--workers", "2", "-o",
                             str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: len(data_rows(out)) >= 4, 60, "runs 0-3 in the CSV")
        workers = wait_for(lambda: children(proc.pid) if len(children(proc.pid)) >= 2 else None, 30, "2 workers")
    except BaseException:
        proc.kill()
        raise
    assert all(alive(w) for w in workers)
    return proc, out, workers


def check_first_rows(rows):
    """Runs 0-3: the weights of the grid, 50,000 shirts, objective 30,000 w (computed here)."""
    grid = parse_range(WEIGHTS)
    assert sorted(int(r["run"]) for r in rows) == [0, 1, 2, 3]  # in the order they finished
    for r in rows:
        w = grid[int(r["run"])]
        assert w < BREAK
        assert float(r["vary:goals.waste.weight"]) == w
        assert r["status"] == "optimal"
        assert float(r["objective"]) == pytest.approx(30_000 * w, rel=1e-9)
        assert float(r["variable:shirts"]) == pytest.approx(50_000, rel=1e-9)
        assert float(r["goal:waste.over"]) == pytest.approx(30_000, rel=1e-9)


@linux_fork
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_stopped_sweep_ends_its_workers_and_keeps_its_rows(tmp_path, sig, code):
    proc, out, workers = start_hanging_sweep(tmp_path)
    os.kill(proc.pid, sig)
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    no_worker_left(workers)
    assert proc.returncode == code, err
    assert "4 finished runs kept in" in err and str(out) in err
    check_first_rows(data_rows(out))


@linux_fork
@pytest.mark.parametrize("mode", ["default", "watchdog-only"])
def test_workers_end_when_the_sweep_is_killed(tmp_path, mode):
    """SIGKILL leaves the parent no say: the kernel (PR_SET_PDEATHSIG) or each worker's watchdog
    thread (the portable path, alone in "watchdog-only") ends the workers."""
    proc, out, workers = start_hanging_sweep(tmp_path, mode)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    no_worker_left(workers)
    check_first_rows(data_rows(out))  # flushed as they finished


def market_split(n: int, m: int, seed: int) -> str:
    """A market-split problem (Cornuejols & Dawande 1998) as goals: ``m`` rows of random weights
    0-99 over ``n`` binaries, each row's total to hit half its sum.  The LP relaxation hits every
    target, so branch and bound has to enumerate: minutes of CBC for n = 50, m = 4."""
    import random

    rnd = random.Random(seed)
    lines = ["name: market_split", "sets:", f"  items: [{', '.join(str(i) for i in range(1, n + 1))}]", "params:"]
    for r in range(m):
        a = [rnd.randint(0, 99) for _ in range(n)]
        lines.append(f"  a{r}: {{index: items, values: {{{', '.join(f'{i + 1}: {w}' for i, w in enumerate(a))}}}}}")
        lines.append(f"  d{r}: {sum(a) // 2}")
    lines += ["variables:", "  x: {index: items, type: binary}", "goals:"]
    lines += [f"  split{r}: {{expr: 'sum(a{r}[i] * x[i] for i in items)', equal: d{r}, weight: 1}}" for r in range(m)]
    return "\n".join(lines) + "\n"


def comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def cbc_available() -> bool:
    import warnings

    try:
        import pulp

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PuLP 3 warns that PULP_CBC_CMD goes in PuLP 4
            return bool({"PULP_CBC_CMD", "COIN_CMD"} & set(pulp.listSolvers(onlyAvailable=True)))
    except Exception:  # noqa: BLE001 - no pulp
        return False


@linux_fork
@pytest.mark.skipif(not cbc_available(), reason="needs PuLP's CBC program")
@pytest.mark.parametrize("sig, code", [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGHUP, 129)])
def test_solver_programs_end_with_a_killed_or_hung_up_sweep(tmp_path, sig, code):
    """CBC runs as a program under each worker.  SIGKILL of the sweep: the kernel sends each worker
    SIGTERM (PR_SET_PDEATHSIG), and the worker must end its cbc before it goes (with SIGTERM at its
    default, the worker died on the spot and its cbc ran on under init until the MIP was solved).
    SIGHUP of the sweep: a tidy stop as for SIGTERM (exit 129), workers and their cbc ended."""
    problem = tmp_path / "market_split.yaml"
    problem.write_text(market_split(50, 4, seed=1))
    proc = subprocess.Popen([sys.executable, "-m", "goalprog", "sweep", str(problem), "--vary",
                             "goals.split0.weight=1,2", "-b", "pulp", "-s", "cbc", "--time-limit", "3600", "-j", "2",
                             "-q", "-o", str(tmp_path / "runs.csv")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    workers, solvers = [], []
    try:
        workers = wait_for(lambda: children(proc.pid) if len(children(proc.pid)) >= 2 else None, 60, "2 workers")

        def cbc_under_each_worker():
            found = [[c for c in children(w) if comm(c) == "cbc"] for w in workers]
            return [c for kids in found for c in kids] if all(found) else None

        solvers = wait_for(cbc_under_each_worker, 60, "a cbc under each worker")
        time.sleep(0.5)
        assert all(alive(c) for c in solvers), "the MIP is too easy: cbc ended before the kill"
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=15)
        assert proc.returncode == code, err
        no_worker_left(workers + solvers)
    finally:
        proc.kill()
        for pid in [*workers, *solvers]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the worker processes")
def test_sigterm_to_a_real_long_sweep(tmp_path):
    """The command as a user runs it: 100,000 runs on 2 workers, SIGTERM after a few hundred."""
    out = tmp_path / "runs.csv"
    proc = subprocess.Popen([sys.executable, "-m", "goalprog", "sweep", str(WEIGHTED), "--vary",
                             "goals.waste.weight=0.001:100:0.001", "--backend", "highs", "-j", "2", "-o", str(out),
                             "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    workers = []
    try:
        wait_for(lambda: len(data_rows(out)) >= 50, 90, "50 rows in the CSV")
        workers = children(proc.pid)
        assert len(workers) >= 2
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    no_worker_left(workers)
    assert proc.returncode == 143, err
    rows = data_rows(out)
    assert f"{len(rows)} finished runs kept in" in err and 50 <= len(rows) < 100_000
    grid = parse_range("0.001:100:0.001")
    for r in rows:  # every line is whole, and its numbers are its own run's
        w = grid[int(r["run"])]
        assert float(r["vary:goals.waste.weight"]) == w
        if w < BREAK:
            assert float(r["objective"]) == pytest.approx(30_000 * w, rel=1e-9)
        else:
            assert float(r["objective"]) == pytest.approx(300_000 / 7, rel=1e-9)


# -- columns --------------------------------------------------------------------------------------------

ADVERSARIAL = """
name: adversarial_columns
sets:
  s: ["a,b", a, b, "x:y", "x.y", 1, "2"]
  pairs: [[a, "b,c"], ["a,b", d]]
params:
  run: 1
  status: 5
  px: {index: s, values: {"a,b": 11, a: 12, b: 13, "x:y": 14, "x.y": 15, 1: 16, "2": 17}}
variables:
  value: {lower: 0}
  x: {index: s, lower: 0}
  "x[9]": {lower: 7, upper: 7}
constraints:
  pin: value == run
  pin_x: {for: i in s, expr: "x[i] == px[i]"}
goals:
  var: {expr: value, at_least: 0, weight: 1}
  "var.value": {expr: 2 * value, at_least: 0, weight: 1}
  run: {expr: value + status, at_least: 0, weight: 1}
  status: {expr: 3 * value, at_least: 0, weight: 1}
  "g[9]": {expr: value + 100, at_least: 0, weight: 1}
  g: {for: i in s, expr: "x[i]", at_least: 0, weight: 1}
  h: {for: "(i, j) in pairs", expr: "x[i] + 1000", at_least: 0, weight: 1}
"""
PX = {"a,b": 11, "a": 12, "b": 13, "x:y": 14, "x.y": 15, 1: 16, "2": 17}


@pytest.fixture
def adversarial(tmp_path):
    path = tmp_path / "adversarial.yaml"
    path.write_text(ADVERSARIAL)
    return path


def expected_row(run_value, status_value):
    """Every goal and variable value of one run, from the model above (value = run, x[i] = px[i])."""
    v = run_value
    goals = {"var": v, '"var.value"': 2 * v, "run": v + status_value, "status": 3 * v, '"g[9]"': v + 100,
             'g["a,b"]': 11, "g[a]": 12, "g[b]": 13, "g[x:y]": 14, "g[x.y]": 15, "g[1]": 16, 'g["2"]': 17,
             'h[a,"b,c"]': 12 + 1000, 'h["a,b",d]': 11 + 1000}
    out = {f"goal:{k}.value": float(x) for k, x in goals.items()}
    out["goal:var.value.value"] = out.pop('goal:"var.value".value')  # '.' needs no quotes
    out.update({"variable:value": v, 'variable:x["a,b"]': 11, "variable:x[a]": 12, "variable:x[b]": 13,
                "variable:x[x:y]": 14, "variable:x[x.y]": 15, "variable:x[1]": 16, 'variable:x["2"]': 17,
                'variable:"x[9]"': 7})
    return out


def test_adversarial_names_get_one_column_each(adversarial, tmp_path):
    out = tmp_path / "runs.csv"
    frame = sweep(adversarial, {"run": [1, 2], "status": [5, 6]}, workers=1, backend="highs", output=out,
                  progress=False)
    with open(out, newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    header, body = lines[0], lines[1:]
    assert len(header) == len(set(header)) and list(frame.columns) == header
    # 14 goal instances x (value, under, over) + 9 variables + run, 2 varied, status, message, method,
    # objective, solve_time, run_time
    assert len(header) == 14 * 3 + 9 + 9
    grid = [(1, 5), (1, 6), (2, 5), (2, 6)]  # itertools.product order, the last key fastest
    assert [int(r[header.index("run")]) for r in body] == [0, 1, 2, 3]
    for cells, (rv, sv) in zip(body, grid):
        row = dict(zip(header, cells))
        assert row["status"] == "optimal" and int(row["vary:run"]) == rv and int(row["vary:status"]) == sv
        for column, want in expected_row(rv, sv).items():
            assert float(row[column]) == pytest.approx(want, abs=1e-7), column
        for column in header:
            if column.startswith("goal:") and column.endswith(".under"):
                assert float(row[column]) == pytest.approx(0, abs=1e-7), column


def test_labels_with_separators_stay_apart():
    """The label scheme is injective on what collided before: 'a,b' against a and b, the text
    '1' against the number 1, a goal named g[1] against the instance g[1], a name with '.'."""
    from goalprog.analysis.sweep import column_label

    pairs = [(("g", ("a,b", "c")), ("g", ("a", "b,c"))), (("g", ("a,b",)), ("g", ("a", "b"))),
             (("g", ("1",)), ("g", (1,))), (("g[1]", ()), ("g", (1,))), (("g", (1.5,)), ("g", ("1.5",))),
             (("g", ('"a"',)), ("g", ("a",))), (("g", (" a",)), ("g", ("a",))), (("g", ("a]",)), ("g", ("a",)))]
    for one, other in pairs:
        assert column_label(*one) != column_label(*other), (one, other)
    assert column_label("make", ("pants", 3)) == "make[pants,3]"  # plain labels read as elsewhere
    assert column_label("g", ("x:y", "x.y")) == "g[x:y,x.y]"


def test_short_forms_find_one_column_or_say_which(adversarial):
    frame = sweep(adversarial, {"run": [1], "status": [5]}, workers=1, backend="highs", progress=False)
    cols = frame.columns
    assert resolve_column("var", cols) == "goal:var.value"
    assert resolve_column("value", cols) == "variable:value"
    assert resolve_column("status", cols) == "status"  # a whole column name is taken as it is
    assert resolve_column("vary:status", cols) == "vary:status"
    assert resolve_column("g[1]", cols) == "goal:g[1].value"
    assert resolve_column('"g[9]"', cols) == 'goal:"g[9]".value'
    assert resolve_column("g[a].over", cols) == "goal:g[a].over"
    assert resolve_column("x[x:y]", cols) == "variable:x[x:y]"
    with pytest.raises(ArgumentError) as exc:  # goal var.value, goal var's value, old var.<variable>
        resolve_column("var.value", cols)
    text = str(exc.value)
    assert "3 columns" in text
    for c in ("goal:var.value.value", "goal:var.value", "variable:value"):
        assert c in text
    with pytest.raises(ArgumentError, match="did you mean 'var'"):
        resolve_column("vat", cols)


def test_old_short_forms_still_work(tmp_path):
    frame = sweep(WEIGHTED, {"goals.waste.weight": [1, 2]}, workers=1, backend="highs", progress=False)
    cols = frame.columns
    assert resolve_column("profit", cols) == "goal:profit.value"
    assert resolve_column("profit.value", cols) == "goal:profit.value"
    assert resolve_column("waste.over", cols) == "goal:waste.over"
    assert resolve_column("var.pants", cols) == "variable:pants"
    assert resolve_column("pants", cols) == "variable:pants"
    assert resolve_column("goals.waste.weight", cols) == "vary:goals.waste.weight"
    assert list(frame["vary:goals.waste.weight"]) == [1, 2]
    assert frame["variable:shirts"][0] == pytest.approx(50_000) and frame["variable:pants"][1] == pytest.approx(60_000 / 7)


def test_cli_chart_axes_ambiguous_and_unique(adversarial, tmp_path):
    pytest.importorskip("matplotlib")
    base = ["sweep", str(adversarial), "--vary", "run=1,2", "--backend", "highs", "-j", "1", "-q",
            "--chart", str(tmp_path / "c.png")]
    res = CliRunner().invoke(main, base + ["--x", "var.value", "--y", "run"])
    assert res.exit_code == 2, res.output
    assert "--x" in res.output and "goal:var.value.value" in res.output and "variable:value" in res.output
    assert not (tmp_path / "c.png").exists()
    res = CliRunner().invoke(main, base + ["--x", "var", "--y", "g[1]", "-o", str(tmp_path / "r.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
