"""Outputs are checked on resolved paths, never replace an input, never share a path, never go
through a link, replace a file only with --force, and are written atomically or exclusively."""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from goalprog.core.outfiles import OutputError, Outputs, claim, write_text

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = ROOT / "problems"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path):
    """p.yaml reading data/clothing_products.csv, as in problems/clothing_factory_indexed.yaml."""
    shutil.copy(PROBLEMS / "clothing_factory_indexed.yaml", tmp_path / "p.yaml")
    (tmp_path / "data").mkdir()
    shutil.copy(PROBLEMS / "data" / "clothing_products.csv", tmp_path / "data" / "clothing_products.csv")
    return tmp_path


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


SNEAKY = os.path.join("fresh", "..", "p.yaml")

# every writer, given fresh/../p.yaml (the problem file itself); --force where the command has it
WRITERS = {
    "solve -o": ["solve", "{p}", "-o", "{t}", "--force"],
    "solve -o json": ["solve", "{p}", "-f", "json", "-o", "{t}", "--force"],
    "solve --report": ["solve", "{p}", "--report", "{t}", "--force"],
    "solve --plot": ["solve", "{p}", "--plot", "{t}", "--force"],
    "export -o": ["export", "{p}", "-f", "lp", "-o", "{t}", "--force"],
    "sweep -o": ["sweep", "{p}", "--vary", "budget=40000,50000", "-j", "1", "-q", "-o", "{t}", "--force"],
    "sweep --chart": ["sweep", "{p}", "--vary", "budget=40000,50000", "-j", "1", "-q", "--chart", "{t}", "--force",
                      "--x", "profit", "--y", "waste"],
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_dotdot_path_never_overwrites_the_problem_file(folder, writer):
    if "plot" in writer or "chart" in writer:
        pytest.importorskip("matplotlib")
    before = _snapshot(folder)
    args = [a.format(p=folder / "p.yaml", t=folder / SNEAKY) for a in WRITERS[writer]]
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "is the problem file" in res.stderr and "refusing to overwrite" in res.stderr
    assert _snapshot(folder) == before  # nothing changed, nothing written
    assert not (folder / "fresh").exists()


def test_dotdot_path_schema(folder):
    """schema reads no problem: fresh/../p.yaml is an existing file, refused without --force."""
    before = (folder / "p.yaml").read_bytes()
    res = run("schema", "-o", folder / SNEAKY)
    assert res.exit_code == 2 and "already exists" in res.stderr
    assert (folder / "p.yaml").read_bytes() == before and not (folder / "fresh").exists()


def test_csv_directory_holding_an_input(folder):
    """--format csv --output DIR: a data file named like a result table is an input, even with --force."""
    text = (folder / "p.yaml").read_text(encoding="utf-8").replace("clothing_products.csv", "goals.csv")
    (folder / "p.yaml").write_text(text, encoding="utf-8")
    (folder / "data" / "clothing_products.csv").rename(folder / "data" / "goals.csv")
    before = _snapshot(folder)
    res = run("solve", folder / "p.yaml", "-f", "csv", "-o", folder / "fresh" / ".." / "data", "--force")
    assert res.exit_code == 2, res.output
    assert "goals.csv" in res.stderr and "a data file of the problem" in res.stderr
    assert _snapshot(folder) == before


@pytest.mark.parametrize("writer", ["solve -o", "solve --report", "export -o", "sweep -o"])
def test_data_file_as_output(folder, writer):
    before = _snapshot(folder)
    target = folder / "data" / "fresh" / ".." / "clothing_products.csv"
    args = [a.format(p=folder / "p.yaml", t=target) for a in WRITERS[writer]]
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "a data file of the problem" in res.stderr
    assert _snapshot(folder) == before


@pytest.mark.parametrize("args,options", [
    (["-o", "{d}/x.html", "--report", "{d}/sub/../x.html"], ("--output", "--report")),
    (["--report", "{d}/c.png", "--plot", "{d}/./c.png"], ("--report", "--plot")),
    (["-f", "csv", "-o", "{d}/out", "--report", "{d}/out/goals.csv"], ("--output (goals.csv)", "--report")),
])
def test_one_path_for_two_outputs(folder, args, options):
    res = run("solve", folder / "p.yaml", *[a.format(d=folder) for a in args])
    assert res.exit_code == 2, res.output
    assert f"{options[0]} and {options[1]} name the same file" in res.stderr
    assert not (folder / "x.html").exists() and not (folder / "c.png").exists() and not (folder / "out").exists()


def test_one_path_for_sweep_output_and_chart(folder):
    res = run("sweep", folder / "p.yaml", "--vary", "budget=1,2", "-o", folder / "a.png",
              "--chart", folder / "fresh" / ".." / "a.png", "--x", "profit", "--y", "waste")
    assert res.exit_code == 2, res.output
    assert "--output and --chart name the same file" in res.stderr
    assert not (folder / "a.png").exists()


@pytest.mark.parametrize("argv", [
    ["solve", "{p}", "-o", "{link}"],
    ["solve", "{p}", "-o", "{link}", "--force"],
    ["solve", "{p}", "--report", "{link}", "--force"],
    ["solve", "{p}", "-f", "csv", "-o", "{link}"],
    ["export", "{p}", "-f", "lp", "-o", "{link}", "--force"],
    ["schema", "-o", "{link}", "--force"],
    ["sweep", "{p}", "--vary", "budget=1,2", "-o", "{link}", "--force"],
])
def test_dangling_symlink_is_refused(folder, argv):
    link = folder / "out.link"
    link.symlink_to(folder / "elsewhere" / "target.txt")
    res = run(*[a.format(p=folder / "p.yaml", link=link) for a in argv])
    assert res.exit_code == 2, res.output
    assert "symbolic link" in res.stderr
    assert not (folder / "elsewhere").exists() and link.is_symlink()


def test_symlink_to_the_problem_file_is_refused(folder):
    link = folder / "out.txt"
    link.symlink_to(folder / "p.yaml")
    before = _snapshot(folder)
    res = run("solve", folder / "p.yaml", "-o", link, "--force")
    assert res.exit_code == 2 and _snapshot(folder) == before


def test_existing_file_needs_force(folder):
    (folder / "r.json").write_text("old\n", encoding="utf-8")
    res = run("solve", folder / "p.yaml", "-f", "json", "-o", folder / "r.json")
    assert res.exit_code == 2 and "already exists" in res.stderr and "--force" in res.stderr
    assert (folder / "r.json").read_text(encoding="utf-8") == "old\n"


def test_force_replaces_whole_never_in_place(folder):
    """--force moves a new file into place: the old file (still open elsewhere, here a hard link)
    keeps its whole old contents, so no reader ever sees a truncated or mixed file."""
    out = folder / "r.json"
    out.write_text("old contents\n", encoding="utf-8")
    os.link(out, folder / "reader-view")
    inode = out.stat().st_ino
    res = run("solve", folder / "p.yaml", "-f", "json", "-o", out, "--force")
    assert res.exit_code == 0, res.output
    import json

    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "optimal"
    assert out.stat().st_ino != inode
    assert (folder / "reader-view").read_text(encoding="utf-8") == "old contents\n"
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_threads_racing_for_one_new_file(tmp_path):
    """Eight writers checked before any wrote: without --force exactly one succeeds, the others
    are told the file exists, and the file is the winner's whole."""
    path = tmp_path / "out.txt"
    targets = [Outputs(False).file(path) for _ in range(8)]
    texts = [f"writer {i}\n" * 20_000 for i in range(8)]
    barrier = threading.Barrier(8)
    outcome = [None] * 8

    def go(i):
        barrier.wait()
        try:
            write_text(targets[i], texts[i])
            outcome[i] = "ok"
        except OutputError as exc:
            outcome[i] = str(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [i for i, o in enumerate(outcome) if o == "ok"]
    assert len(winners) == 1, outcome
    assert all("already exists" in o for o in outcome if o != "ok")
    assert path.read_text(encoding="utf-8") == texts[winners[0]]
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_threads_racing_with_force_last_one_wins_whole(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old\n", encoding="utf-8")
    targets = [Outputs(True).file(path) for _ in range(8)]
    texts = [f"writer {i}\n" * 50_000 for i in range(8)]
    barrier = threading.Barrier(8)

    def go(i):
        barrier.wait()
        write_text(targets[i], texts[i])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert path.read_text(encoding="utf-8") in texts  # one writer's whole text, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_claim_is_exclusive(tmp_path):
    """sweep -o claims its file before the first run: a second claim without --force fails."""
    path = tmp_path / "runs.csv"
    a, b = Outputs(False).file(path), Outputs(False).file(path)
    claim(a)
    with pytest.raises(OutputError, match="already exists"):
        claim(b)


def test_two_processes_one_output(tmp_path):
    """Two goalprog processes writing one new -o path without --force: exactly one succeeds."""
    out = tmp_path / "schema.json"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "goalprog", "schema", "-o", str(out)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    assert "already exists" in [err for code, err in results if code == 2][0]
    import json

    assert json.loads(out.read_text(encoding="utf-8"))["title"]


def test_two_sweeps_one_output(folder):
    """The first sweep claims runs.csv; a second one to the same path stops with "exists"."""
    out = folder / "runs.csv"
    first = run("sweep", folder / "p.yaml", "--vary", "budget=40000,50000", "-j", "1", "-q", "-o", out)
    assert first.exit_code == 0, first.output
    rows = out.read_text(encoding="utf-8")
    second = run("sweep", folder / "p.yaml", "--vary", "budget=1,2", "-j", "1", "-q", "-o", out)
    assert second.exit_code == 2 and "already exists" in second.stderr
    assert out.read_text(encoding="utf-8") == rows


def test_api_writer_replaces_a_link_never_writes_through(tmp_path):
    """The Python API's writers (report.write_html, write_plot) replace a link at the path with
    the new file; the link's target is neither created nor changed."""
    from goalprog.core.outfiles import write_bytes

    victim = tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    link, dangling = tmp_path / "link.txt", tmp_path / "dangling.txt"
    link.symlink_to(victim)
    dangling.symlink_to(tmp_path / "nowhere" / "x.txt")
    write_bytes(link, b"new\n")
    write_bytes(dangling, b"new\n")
    assert not link.is_symlink() and link.read_bytes() == b"new\n"
    assert not dangling.is_symlink() and dangling.read_bytes() == b"new\n"
    assert victim.read_text(encoding="utf-8") == "keep\n" and not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("force", [False, True])
def test_interrupted_sweep_keeps_rows_at_the_output(folder, monkeypatch, force):
    """sweep -o streams into the claimed file: after Ctrl-C the finished rows are readable there
    (with --force the old file was replaced whole at the start, never truncated in place)."""
    import csv

    import goalprog.analysis.runner as runner_module

    real = runner_module._run_one

    def interrupting(ctx, run, values):
        if run == 3:
            raise KeyboardInterrupt
        return real(ctx, run, values)

    monkeypatch.setattr(runner_module, "_run_one", interrupting)
    out = folder / "runs.csv"
    if force:
        out.write_text("old\n", encoding="utf-8")
        os.link(out, folder / "old-view")
    args = ["sweep", folder / "p.yaml", "--vary", "budget=40000:60000:5000", "-j", "1", "-q", "-o", out]
    res = run(*(args + (["--force"] if force else [])))
    assert res.exit_code == 130, res.output
    assert "3 finished runs kept in" in res.stderr
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["run"] for r in rows] == ["0", "1", "2"]
    assert [float(r["vary:budget"]) for r in rows] == [40000, 45000, 50000]
    if force:
        assert (folder / "old-view").read_text(encoding="utf-8") == "old\n"


def test_a_refused_sweep_leaves_no_empty_output(folder):
    """A sweep refused after claiming --output (here: --solver-path with the highs backend, found
    by the sweep itself) removes the empty file it made, so a new run needs no --force."""
    out = folder / "runs.csv"
    res = run("sweep", folder / "p.yaml", "--vary", "budget=40000,50000", "-b", "highs", "--solver-path", "/bin/true",
              "-q", "-o", out)
    assert res.exit_code == 2, res.output
    assert "solver_path needs the pulp or pyomo backend" in res.output
    assert not out.exists()


@pytest.mark.parametrize("writer", ["html", "plot", "export"])
@pytest.mark.parametrize("which", ["problem", "data"])
def test_api_writers_never_replace_an_input(folder, writer, which):
    """The Python API's writers refuse the problem file and every data file the result was read
    from (Result.input_files), whatever the caller asks; the file is unchanged."""
    import goalprog
    from goalprog.core.errors import ReportError
    from goalprog.output.export import export_model
    from goalprog.output.report import write_html, write_plot

    problem = goalprog.load(folder / "p.yaml")
    data = folder / "data" / "clothing_products.csv"
    assert problem.input_files == ((folder / "p.yaml").resolve(), data.resolve())
    target = folder / "p.yaml" if which == "problem" else data
    before = target.read_bytes()
    result = problem.solve(backend="highs")
    assert result.input_files == problem.input_files
    with pytest.raises(ReportError, match="refusing to overwrite an input"):
        if writer == "html":
            write_html(result, target)
        elif writer == "plot":
            write_plot(result, target)
        else:
            export_model(problem, target, fmt="lp")
    assert target.read_bytes() == before


def test_every_existing_output_is_named_at_once(folder):
    """Three outputs that exist: one run names all three (exit 2) and changes none of them."""
    paths = {"-o": folder / "r.json", "--report": folder / "r.html", "--plot": folder / "c.png"}
    for p in paths.values():
        p.write_text("mine\n", encoding="utf-8")
    res = run("solve", folder / "p.yaml", "-f", "json", *[x for k, v in paths.items() for x in (k, v)])
    assert res.exit_code == 2, res.output
    for option, name in (("--output", "r.json"), ("--report", "r.html"), ("--plot", "c.png")):
        assert f"{option} {folder / name} already exists" in res.stderr
    assert all(p.read_text(encoding="utf-8") == "mine\n" for p in paths.values())


def test_quiet_csv_output_says_nothing(folder):
    res = run("solve", folder / "p.yaml", "-f", "csv", "-o", folder / "out", "-q")
    assert res.exit_code == 0
    assert res.output == ""
    assert (folder / "out" / "goals.csv").is_file()
