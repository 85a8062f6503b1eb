"""What-if sweeps: ranges, one row per run, failed runs as rows, incremental CSV, the process pool and
a Dask cluster reproducing the clothing factory's switch of plan at a waste weight of 10/7."""

import csv
import multiprocessing
import os
from fractions import Fraction as F

import pytest
from click.testing import CliRunner

import goalprog.analysis.runner as runner_module
from goalprog.cli import main
from goalprog.core.errors import ArgumentError, ProblemFileError
from goalprog.analysis.sweep import SweepInterrupted, parse_range, parse_vary_item, parse_vary_values, sweep

BREAK = F(10, 7)  # 30,000 w (shirts only: waste 30,000 over) = 300,000/7 (profit short): w = 10/7
WEIGHTS_200 = "0.01:2:0.01"  # 200 runs, 1.42 below the breakpoint and 1.43 above


# -- ranges and lists ------------------------------------------------------------------------------

def test_ranges_are_exact_decimals():
    assert parse_range("0.5:3:0.25") == [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0]
    assert parse_range("0.1:0.3:0.1") == [0.1, 0.2, 0.3]  # float arithmetic would stop at 0.2
    assert parse_range("0:1:0.3") == [0.0, 0.3, 0.6, 0.9]  # 1 is not on the grid
    assert parse_range("1:10:3") == [1, 4, 7, 10] and all(type(v) is int for v in parse_range("1:10:3"))
    assert parse_range("3:1:-1") == [3, 2, 1]
    assert parse_range("1e4:3e4:1e4") == [10000, 20000, 30000]
    values = parse_range(WEIGHTS_200)
    assert len(values) == 200 and values[0] == 0.01 and values[-1] == 2.0 and values[141] == 1.42
    assert parse_range("weighted") is None


@pytest.mark.parametrize("text, words", [("0:1:0", "step is 0"), ("0:1:-0.5", "goes away"), ("0:1", "needs a step"),
                                         ("0:1e9:0.0001", "limited")])
def test_bad_ranges(text, words):
    with pytest.raises(ArgumentError, match=words):
        parse_range(text)


def test_lists_are_yaml_values():
    assert parse_vary_values("weighted,preemptive") == ["weighted", "preemptive"]
    assert parse_vary_values("1e5, 2e5,3") == [100000.0, 200000.0, 3]
    assert parse_vary_values("[1, 2],[3, 4]") == [[1, 2], [3, 4]]
    assert parse_vary_item("goals.waste.weight=1,2") == ("goals.waste.weight", [1, 2])
    with pytest.raises(ArgumentError, match="empty item"):
        parse_vary_values("1,,2")
    with pytest.raises(ArgumentError, match="KEY=VALUES"):
        parse_vary_item("goals.waste.weight")


# -- the acceptance sweep: 200 runs over the waste weight ------------------------------------------------

def check_breakpoint(df):
    assert len(df) == 200 and list(df["run"]) == list(range(200))
    assert (df["status"] == "optimal").all(), df[df["status"] != "optimal"][["run", "message"]]
    below = df[df["vary:goals.waste.weight"] < float(BREAK)]
    above = df[df["vary:goals.waste.weight"] > float(BREAK)]
    assert len(below) == 142 and len(above) == 58  # both sides of the breakpoint are tested
    assert below["variable:pants"].abs().max() < 1e-6
    assert (below["variable:shirts"] - 50_000).abs().max() < 1e-6
    assert (above["variable:pants"] - 60_000 / 7).abs().max() < 1e-6
    assert (above["variable:shirts"] - 50_000 / 7).abs().max() < 1e-6
    # the goal columns agree: shirts only is profit 150,000 and waste 50,000 (30,000 over)
    assert (below["goal:profit.value"] - 150_000).abs().max() < 1e-6 and (below["goal:waste.over"] - 30_000).abs().max() < 1e-6
    assert (above["goal:profit.under"] - 300_000 / 7).abs().max() < 1e-6 and above["goal:waste.over"].abs().max() < 1e-6
    # the achievement: 30,000 w below, 300,000/7 above
    assert ((below["objective"] - 30_000 * below["vary:goals.waste.weight"]).abs() < 1e-6).all()
    assert ((above["objective"] - 300_000 / 7).abs() < 1e-6).all()
    assert (df["solve_time"] >= 0).all() and (df["run_time"] > 0).all()


@pytest.mark.slow
def test_200_runs_on_the_process_pool(problems_dir, tmp_path):
    out = tmp_path / "runs.csv"
    df = sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": WEIGHTS_200}, workers=2,
               backend="highs", output=out, progress=False)
    check_breakpoint(df)
    with open(out, newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(df.columns) and len(rows) == 201  # the header once, one line per run
    assert [int(r[0]) for r in rows[1:]] == list(range(200))
    assert rows[1][rows[0].index("variable:shirts")] == repr(float(df["variable:shirts"][0]))


@pytest.mark.slow
def test_200_runs_on_a_dask_cluster(problems_dir):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        df = sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": WEIGHTS_200},
                   scheduler=cluster.scheduler_address, backend="highs", progress=False)
        check_breakpoint(df)
        with distributed.Client(cluster) as client:  # a Client object is accepted, and left open
            small = sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": [1, 2]},
                          scheduler=client, backend="highs", progress=False)
            assert client.status == "running"
    assert list(small["variable:pants"].round(6)) == [0, round(60_000 / 7, 6)]


def test_in_this_process_gives_the_same_rows(problems_dir):
    df = sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": "1.4:1.45:0.01"}, workers=1,
               backend="highs", progress=False)
    assert list(df["vary:goals.waste.weight"]) == [1.4, 1.41, 1.42, 1.43, 1.44, 1.45]
    assert [round(p, 3) for p in df["variable:pants"]] == [0] * 3 + [round(60_000 / 7, 3)] * 3


# -- several keys, preemptive columns, failed runs --------------------------------------------------------

def test_combinations_and_preemptive_levels(problems_dir):
    """Preemptive: profit reaches 150,000 only with 50,000 shirts (waste 50,000), so level 2 is
    50,000 - at_most (0 from 50,000 on)."""
    df = sweep(problems_dir / "clothing_factory_preemptive.yaml",
               {"goals.waste.at_most": [20_000, 40_000, 60_000], "solve.method": "preemptive,weighted"},
               workers=2, backend="highs", progress=False)
    assert list(zip(df["vary:goals.waste.at_most"], df["vary:solve.method"])) == [
        (20_000, "preemptive"), (20_000, "weighted"), (40_000, "preemptive"), (40_000, "weighted"),
        (60_000, "preemptive"), (60_000, "weighted")]
    pre = df[df["method"] == "preemptive"]
    assert list(pre["level:1.achievement"].round(6)) == [0, 0, 0]
    assert list(pre["level:2.achievement"].round(6)) == [30_000, 10_000, 0]
    assert pre["objective"].isna().all() and df[df["method"] == "weighted"]["objective"].notna().all()


def test_failed_runs_are_rows(problems_dir, tmp_path):
    df = sweep(problems_dir / "clothing_factory_weighted.yaml",
               {"goals.waste.weight": [1, -1, "heavy"], "constraints.budget": ["cost <= 50000", "cost <= -1"]},
               workers=2, backend="highs", output=tmp_path / "runs.csv", progress=False)
    status = dict(zip(zip(df["vary:goals.waste.weight"], df["vary:constraints.budget"]), df["status"]))
    assert status[(1, "cost <= 50000")] == "optimal"
    assert status[(1, "cost <= -1")] == "infeasible"
    assert status[(-1, "cost <= 50000")] == "error" and status[("heavy", "cost <= -1")] == "error"
    msg = df.set_index("run")["message"]
    assert "goals.waste.weight (from --vary): a weight must be a number" in msg[2]
    assert "unknown name 'heavy'" in msg[4]
    assert "infeasible" in msg[1]
    assert df[df["status"] == "error"]["variable:pants"].isna().all()
    assert sum(1 for _ in open(tmp_path / "runs.csv")) == 7


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patch reaches workers by fork")
def test_a_run_that_kills_its_worker_is_a_row(problems_dir, monkeypatch):
    real = runner_module._result_columns

    def dying(result, variables):
        if abs(result.model.goals.over_weight[1] - 1.3) < 1e-9:
            os._exit(3)  # a crash of the solver, as far as the pool can tell
        return real(result, variables)

    monkeypatch.setattr(runner_module, "_result_columns", dying)
    df = sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": "1:1.6:0.1"}, workers=2,
               backend="highs", progress=False)
    assert list(df["run"]) == list(range(7))
    assert list(df["status"]) == ["optimal"] * 3 + ["error"] + ["optimal"] * 3
    assert "worker process died" in df["message"][3]


def test_an_interrupted_sweep_keeps_the_finished_runs(problems_dir, tmp_path, monkeypatch):
    real = runner_module._run_one

    def interrupting(ctx, run, values):
        if run == 5:
            raise KeyboardInterrupt
        return real(ctx, run, values)

    monkeypatch.setattr(runner_module, "_run_one", interrupting)
    out = tmp_path / "runs.csv"
    with pytest.raises(SweepInterrupted) as exc:
        sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": "1:2:0.1"}, workers=1,
              backend="highs", output=out, progress=False)
    assert [r["run"] for r in exc.value.rows] == [0, 1, 2, 3, 4]
    lines = out.read_text().splitlines()
    assert lines[0].startswith("run,vary:goals.waste.weight,status,") and len(lines) == 6


# -- mistakes found before any run -----------------------------------------------------------------------

def test_unknown_keys_and_file_errors_stop_before_running(problems_dir, tmp_path):
    out = tmp_path / "runs.csv"
    with pytest.raises(ArgumentError) as exc:
        sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.wast.weight": [1, 2], "budget": [1]},
              output=out, progress=False)
    text = str(exc.value)
    assert "unknown key 'wast'" in text and "did you mean 'waste'?" in text and "'budget' is not a parameter" in text
    assert not out.exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text((problems_dir / "clothing_factory_weighted.yaml").read_text().replace("weight: 1", "weigth: 1", 1))
    with pytest.raises(ProblemFileError, match="weigth"):
        sweep(bad, {"goals.waste.weight": [1]}, progress=False)


# -- the command ------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("text", ["1:2:nan", "1:inf:1", "-inf:2:1", "1:2:.NaN", "0:Infinity:1"])
def test_a_range_with_a_non_finite_part_is_a_usage_error(problems_dir, tmp_path, text):
    """Not one text value "1:2:nan" for every run (each run an error, exit 0): refused before any run."""
    with pytest.raises(ArgumentError, match="finite numbers"):
        parse_vary_item(f"goals.waste.weight={text}")
    with pytest.raises(ArgumentError, match="finite numbers"):
        sweep(problems_dir / "clothing_factory_weighted.yaml", {"goals.waste.weight": text}, workers=1, progress=False)
    out = tmp_path / "runs.csv"
    res = run("sweep", problems_dir / "clothing_factory_weighted.yaml", "--vary", f"goals.waste.weight={text}",
              "--backend", "highs", "-j", "1", "-q", "-o", out)
    assert res.exit_code == 2, res.output
    assert "the ends and the step of a range are finite numbers" in res.output and not out.exists()


def test_cli_csv_on_stdout(problems_dir):
    res = run("sweep", problems_dir / "clothing_factory_weighted.yaml", "--vary", "goals.waste.weight=1,2",
              "--backend", "highs", "--workers", "1", "--quiet")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(res.output.splitlines()))
    assert [r["vary:goals.waste.weight"] for r in rows] == ["1", "2"]
    assert float(rows[0]["variable:shirts"]) == pytest.approx(50_000) and float(rows[1]["variable:pants"]) == pytest.approx(60_000 / 7)


def test_cli_output_and_chart(problems_dir, tmp_path):
    pytest.importorskip("matplotlib")
    out, chart = tmp_path / "runs.csv", tmp_path / "tradeoff.png"
    args = ["sweep", problems_dir / "clothing_factory_weighted.yaml", "--vary", "goals.waste.weight=0.5:3:0.25",
            "--backend", "highs", "--output", out, "--chart", chart, "--x", "profit", "--y", "waste"]
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert "sweep: 11 runs" in res.output and "11 optimal" in res.output
    assert len(out.read_text().splitlines()) == 12
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    again = run(*args)  # the files exist now: --force is needed
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.mark.parametrize("args, code, words", [
    (["--vary", "goals.waste.weight"], 2, "expected KEY=VALUES"),
    (["--vary", "goals.waste.weight=0:1:0"], 2, "step is 0"),
    # a wrong key in --vary/--set is a mistake on the command line: a usage error (exit 2)
    (["--vary", "goals.wast.weight=1,2"], 2, "did you mean 'waste'?"),
    (["--vary", "budget=1,2"], 2, "'budget' is not a parameter"),
    (["--vary", "goals.waste.weight=1,2", "--chart", "x.png", "--x", "proft", "--y", "waste"], 2, "did you mean 'profit'?"),
    (["--vary", "goals.waste.weight=1,2", "--x", "profit"], 2, "give --chart"),
])
def test_cli_mistakes(problems_dir, args, code, words):
    res = run("sweep", problems_dir / "clothing_factory_weighted.yaml", *args)
    assert res.exit_code == code, res.output
    assert words in res.output
