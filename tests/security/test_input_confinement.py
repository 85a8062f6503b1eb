"""Issue 12, the input side: what a problem file may make goalprog read.

A problem file reads data only under its own folder (links resolved) or under a --data-root /
data_root= given by the person running goalprog; only regular files, capped in size, never
compressed; no YAML tags; no numbers Python cannot convert; and no error message shows what an
outside file contains.  Each test plants a secret outside the problem folder and checks it never
appears in what goalprog prints.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap
import uuid
import zipfile
from pathlib import Path

import pytest
import yaml

import goalprog
from goalprog.core.errors import ArgumentError, DataError, YamlError
from goalprog.spec import files as files_mod
from goalprog.spec import loader as loader_mod

TIMEOUT = 20  # seconds: every refusal must come well within this

PROBLEM = """\
sets:
  products: {{file: {sets_file}, column: product}}
params:
  need: {{index: products, file: {need_file}, keys: [product], column: need}}
variables:
  make: {{index: products}}
goals:
  meet:
    for: p in products
    expr: make[p]
    at_least: need[p]
"""


def make_problem(folder: Path, sets_file: str = "data/p.csv", need_file: str = "data/n.csv",
                 products=("pants", "shirts"), needs=(3, 4)) -> Path:
    """A problem in ``folder`` with its two CSV files in ``folder/data``; returns the YAML path."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "p.csv").write_text("product\n" + "".join(f"{p}\n" for p in products))
    (folder / "data" / "n.csv").write_text("product,need\n" + "".join(f"{p},{n}\n" for p, n in zip(products, needs)))
    path = folder / "prob.yaml"
    path.write_text(PROBLEM.format(sets_file=sets_file, need_file=need_file))
    return path


def run(*args, cwd: Path, env: dict | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def layout(tmp_path):
    """``(problem folder, secret file outside it, the secret string)``; the secret is both the
    header and a cell of the outside CSV, so any listing of its columns or cells would show it."""
    secret = f"TOPSECRET{uuid.uuid4().hex}"
    outside = tmp_path / "outside"
    outside.mkdir()
    secret_file = outside / "secret.csv"
    secret_file.write_text(f"{secret}\n{secret}_cell\n")
    folder = tmp_path / "prob"
    folder.mkdir()
    return folder, secret_file, secret


# ------------------------------------------------------------------------------------------------
# 1. data outside the problem folder is never read, and never shown
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink", "symlinked_folder"])
def test_data_outside_the_folder_is_refused_without_showing_it(layout, how):
    folder, secret_file, secret = layout
    if how == "absolute":
        name = str(secret_file)
    elif how == "dotdot":
        name = "../outside/secret.csv"
    elif how == "symlink":
        (folder / "data").mkdir()
        (folder / "data" / "link.csv").symlink_to(secret_file)
        name = "data/link.csv"
    else:
        (folder / "shared").symlink_to(secret_file.parent, target_is_directory=True)
        name = "shared/secret.csv"
    path = make_problem(folder, sets_file=name)
    proc = run("validate", path, cwd=folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 3, out
    assert secret not in out
    assert name in out  # the file is named ...
    assert "outside the problem folder" in out  # ... with the reason
    assert "prob.yaml:2:20: sets.products.file" in out  # located: line 2, the value of 'file' at column 20
    with pytest.raises(DataError) as err:
        goalprog.load(path)
    assert secret not in str(err.value)
    assert err.value.issues[0].location.key_path == "sets.products.file"


def test_etc_passwd_is_refused(tmp_path):
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    first = passwd.read_text().splitlines()[0]
    path = make_problem(tmp_path, sets_file="/etc/passwd")
    proc = run("solve", path, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 3
    assert "/etc/passwd" in out and "outside the problem folder" in out
    assert first not in out and first.split(":")[0] + ":" not in out


def test_proc_self_environ_is_refused_even_under_a_data_root(tmp_path):
    secret = f"ENVSECRET{uuid.uuid4().hex}"
    path = make_problem(tmp_path, sets_file="/proc/self/environ")
    for extra in ((), ("--data-root", "/")):
        proc = run("validate", path, *extra, cwd=tmp_path, env={"GOALPROG_TEST_SECRET": secret})
        out = proc.stdout + proc.stderr
        assert proc.returncode == 3, out
        assert secret not in out
        assert "/proc/self/environ" in out and "never read" in out


def test_nonexistent_outside_file_is_refused_as_outside(layout):
    """Whether a file exists outside the folder is not probed: the path is refused first."""
    folder, secret_file, _ = layout
    path = make_problem(folder, sets_file=str(secret_file.parent / "no_such.csv"))
    with pytest.raises(DataError) as err:
        goalprog.load(path)
    assert "outside the problem folder" in str(err.value)
    assert "not found" not in str(err.value)


def test_symlink_inside_the_folder_to_a_file_inside_works(tmp_path):
    path = make_problem(tmp_path, sets_file="data/alias.csv")
    (tmp_path / "data" / "alias.csv").symlink_to(tmp_path / "data" / "p.csv")
    problem = goalprog.load(path)
    assert problem.model.name  # loaded
    r = problem.solve(backend="highs")
    assert r.value("make")["pants"] == pytest.approx(3)
    assert r.value("make")["shirts"] == pytest.approx(4)


def test_subfolder_and_dotdot_that_stays_inside_work(tmp_path):
    path = make_problem(tmp_path, sets_file="data/../data/p.csv", need_file="./data/n.csv")
    r = goalprog.load(path).solve(backend="highs")
    assert r.value("make")["shirts"] == pytest.approx(4)


# ------------------------------------------------------------------------------------------------
# 2. --data-root / data_root= allow a trusted folder
# ------------------------------------------------------------------------------------------------

def _outside_data(tmp_path) -> tuple[Path, Path]:
    """A problem folder whose sets file lives in a sibling folder ``shared``; returns (problem, shared csv)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    csv = shared / "products.csv"
    csv.write_text("product\npants\nshirts\n")
    folder = tmp_path / "prob"
    folder.mkdir()
    return make_problem(folder, sets_file="../shared/products.csv"), csv


def test_data_root_allows_a_folder_outside_cli(tmp_path):
    path, csv = _outside_data(tmp_path)
    refused = run("validate", path, cwd=tmp_path)
    assert refused.returncode == 3
    proc = run("validate", path, "--data-root", csv.parent, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run("solve", path, "--data-root", csv.parent, "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # the problem folder stays allowed next to the root: data/n.csv is read from it
    import json

    values = {v["label"]: v["value"] for v in json.loads(proc.stdout)["variables"]}
    assert values["make[pants]"] == pytest.approx(3) and values["make[shirts]"] == pytest.approx(4)


def test_data_root_for_export_and_sweep_cli(tmp_path):
    path, csv = _outside_data(tmp_path)
    out = tmp_path / "m.lp"
    assert run("export", path, "-o", out, cwd=tmp_path).returncode == 3
    assert not out.exists()
    proc = run("export", path, "-o", out, "--data-root", csv.parent, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "make" in out.read_text()
    assert run("sweep", path, "--vary", "goals.meet.weight=1,2", "-q", cwd=tmp_path).returncode == 3
    proc = run("sweep", path, "--vary", "goals.meet.weight=1,2", "-q", "-j", "2", "--data-root", csv.parent,
               cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    import csv as csv_mod
    import io

    rows = list(csv_mod.DictReader(io.StringIO(proc.stdout)))
    assert [r["status"] for r in rows] == ["optimal", "optimal"]


def test_data_root_must_be_a_folder(tmp_path):
    path, csv = _outside_data(tmp_path)
    proc = run("validate", path, "--data-root", tmp_path / "missing", cwd=tmp_path)
    assert proc.returncode == 2
    with pytest.raises(ArgumentError):
        goalprog.load(path, data_root=tmp_path / "missing")
    with pytest.raises(ArgumentError):
        goalprog.load(path, data_root=csv)  # a file, not a folder


def test_data_root_api_load_from_dict_and_sweep(tmp_path, monkeypatch):
    path, csv = _outside_data(tmp_path)
    problem = goalprog.load(path, data_root=csv.parent)
    assert problem.solve(backend="highs").value("make")["pants"] == pytest.approx(3)
    data = yaml.safe_load(path.read_text())
    # from_dict: the problem folder is base_dir, default the current folder
    monkeypatch.chdir(path.parent)
    with pytest.raises(DataError):
        goalprog.from_dict(data)
    problem = goalprog.from_dict(data, data_root=csv.parent)
    assert problem.solve(backend="highs").value("make")["shirts"] == pytest.approx(4)
    with pytest.raises(DataError):
        goalprog.from_dict(data, base_dir=tmp_path)  # data/n.csv is not under tmp_path
    from goalprog.analysis.sweep import sweep

    frame = sweep(path, {"goals.meet.weight": [1, 2]}, workers=2, progress=False, data_root=csv.parent)
    assert list(frame["status"]) == ["optimal", "optimal"]
    with pytest.raises(DataError):
        sweep(path, {"goals.meet.weight": [1, 2]}, workers=1, progress=False)


# ------------------------------------------------------------------------------------------------
# special files: FIFOs and devices, as the problem file and as a data file
# ------------------------------------------------------------------------------------------------

def test_fifo_as_problem_file_ends_quickly(tmp_path):
    fifo = tmp_path / "prob.yaml"
    os.mkfifo(fifo)
    proc = run("validate", fifo, cwd=tmp_path)
    assert proc.returncode == 3
    assert "named pipe" in proc.stderr
    with pytest.raises(YamlError):
        goalprog.load(fifo)


def test_dev_zero_as_problem_file_ends_quickly(tmp_path):
    proc = run("validate", "/dev/zero", cwd=tmp_path)
    assert proc.returncode == 3
    assert "character device" in proc.stderr
    link = tmp_path / "prob.yaml"
    link.symlink_to("/dev/zero")
    proc = run("solve", link, cwd=tmp_path)
    assert proc.returncode == 3
    assert "not a regular file" in proc.stderr


def test_problem_file_cap_counts_bytes_read_not_reported_size(monkeypatch):
    """/proc files report size 0; the cap still holds because it counts what is read."""
    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    monkeypatch.setattr(loader_mod, "MAX_FILE_BYTES", 10)
    with pytest.raises(YamlError) as err:
        goalprog.load(status)
    assert "larger than 10 bytes" in str(err.value)


def test_problem_file_over_the_cap(tmp_path, monkeypatch):
    path = make_problem(tmp_path)
    size = path.stat().st_size
    monkeypatch.setattr(loader_mod, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(YamlError) as err:
        goalprog.load(path)
    assert f"larger than {size - 1:,} bytes" in str(err.value)
    monkeypatch.setattr(loader_mod, "MAX_FILE_BYTES", size)
    goalprog.load(path)  # exactly at the cap is fine


def test_fifo_as_data_file_ends_quickly(tmp_path):
    path = make_problem(tmp_path, sets_file="data/pipe.csv")
    os.mkfifo(tmp_path / "data" / "pipe.csv")
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3
    assert "data/pipe.csv" in proc.stderr and "named pipe" in proc.stderr


@pytest.mark.parametrize("how", ["absolute", "symlink"])
def test_dev_zero_as_data_file_ends_quickly(tmp_path, how):
    name = "/dev/zero"
    path = make_problem(tmp_path, sets_file=name if how == "absolute" else "data/zero.csv")
    if how == "symlink":
        (tmp_path / "data" / "zero.csv").symlink_to("/dev/zero")
    for extra in ((), ("--data-root", "/")):  # even a data root of / does not open devices
        proc = run("validate", path, *extra, cwd=tmp_path)
        assert proc.returncode == 3, proc.stderr
        assert "never read" in proc.stderr or "not a regular file" in proc.stderr


def test_folder_as_data_file(tmp_path):
    path = make_problem(tmp_path, sets_file="data")
    with pytest.raises(DataError) as err:
        goalprog.load(path)
    assert "is a folder, not a CSV file" in str(err.value)


# ------------------------------------------------------------------------------------------------
# 3. compressed and oversized data files
# ------------------------------------------------------------------------------------------------

def _gzip_bytes() -> bytes:
    return gzip.compress(b"product\npants\nshirts\n")


def _zip_bytes(tmp_path) -> bytes:
    z = tmp_path / "tmp.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("p.csv", "product\npants\nshirts\n")
    data = z.read_bytes()
    z.unlink()
    return data


@pytest.mark.parametrize("name,kind", [("data/p.csv.gz", "gzip"), ("data/p.csv", "gzip"), ("data/p.zip", "zip"),
                                       ("data/p.bz2", "bzip2"), ("data/p.csv.xz", "xz"), ("data/p.zst", "zstd")])
def test_compressed_data_files_are_refused(tmp_path, name, kind):
    path = make_problem(tmp_path, sets_file=name)
    target = tmp_path / name
    if kind == "zip":
        target.write_bytes(_zip_bytes(tmp_path))
    elif name.endswith(".csv"):  # gzip bytes under a .csv name: found by the first bytes
        target.write_bytes(_gzip_bytes())
    else:  # a plain text file under a compressed name: refused by its name (pandas would decompress it)
        target.write_text("product\npants\nshirts\n")
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3
    assert f"compressed ({kind})" in proc.stderr
    assert "decompress it" in proc.stderr


def test_gzip_bomb_is_not_decompressed(tmp_path):
    """100 MB of zeros in about 100 KB of gzip: refused at once, nothing decompressed."""
    path = make_problem(tmp_path, sets_file="data/bomb.csv.gz")
    with gzip.open(tmp_path / "data" / "bomb.csv.gz", "wb", compresslevel=9) as f:
        chunk = b"0" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
    proc = run("validate", path, cwd=tmp_path, timeout=TIMEOUT)
    assert proc.returncode == 3 and "compressed (gzip)" in proc.stderr


def test_data_file_size_cap(tmp_path, monkeypatch):
    path = make_problem(tmp_path)
    size = (tmp_path / "data" / "p.csv").stat().st_size
    monkeypatch.setattr(files_mod, "MAX_DATA_BYTES", size - 1)
    with pytest.raises(DataError) as err:
        goalprog.load(path)
    assert f"larger than {size - 1:,} bytes" in str(err.value)
    assert err.value.issues[0].location.key_path == "sets.products.file"


def test_binary_file_inside_the_folder_is_not_shown(tmp_path):
    path = make_problem(tmp_path, sets_file="data/blob.bin")
    blob = b"\xff\xfe" + b"BINARYSECRET" * 10 + bytes(range(256))
    (tmp_path / "data" / "blob.bin").write_bytes(blob)
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3
    assert "not UTF-8" in proc.stderr and "BINARYSECRET" not in proc.stderr


def test_column_listing_is_capped(tmp_path):
    """A missing column lists a few header names, each cut short: never a whole header line."""
    names = [f"col{i:03d}_" + "x" * 500 for i in range(50)]
    path = make_problem(tmp_path)
    (tmp_path / "data" / "p.csv").write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n")
    with pytest.raises(DataError) as err:
        goalprog.load(path)
    message = err.value.issues[0].message
    assert "no column 'product'" in message
    assert len(message) < 600
    assert "x" * 100 not in str(err.value)
    assert "col000_" in message and "and 42 more" in message  # 8 shown


# ------------------------------------------------------------------------------------------------
# 5. YAML tags
# ------------------------------------------------------------------------------------------------

TAGGED = [
    ("a: !!python/object/apply:os.system [echo pwned]\n", "!!python/object/apply:os.system", 1, 4),
    ("a: !!str 5\n", "!!str", 1, 4),
    ("a: !!timestamp 2001-12-14\n", "!!timestamp", 1, 4),
    ("a: !!binary aGVsbG8=\n", "!!binary", 1, 4),
    ("a: !custom 5\n", "!custom", 1, 4),
    ("a: ! 5\n", "!", 1, 4),
    ("a:\n  b: !!set {x: 1}\n", "!!set", 2, 6),
    ("a: [1, !!float 2]\n", "!!float", 1, 8),
    ("!!str key: 1\n", "!!str", 1, 1),
    ("a: &x !!int 5\nb: *x\n", "!!int", 1, 4),
]


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_parser(request, monkeypatch):
    if request.param == "libyaml":
        if getattr(yaml, "CSafeLoader", None) is None:
            pytest.skip("PyYAML built without libyaml")
    else:
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    return request.param


@pytest.mark.parametrize("text,tag,line,col", TAGGED)
def test_every_explicit_yaml_tag_is_an_error(yaml_parser, text, tag, line, col):
    with pytest.raises(YamlError) as err:
        loader_mod.load_yaml_text(text, "t.yaml")
    issues = err.value.issues
    assert len(issues) == 1  # once, even when an alias repeats the node
    assert f"the YAML tag {tag!r} is not allowed" in issues[0].message
    assert (issues[0].location.line, issues[0].location.col) == (line, col)


def test_text_with_exclamation_marks_is_not_a_tag(yaml_parser):
    doc = loader_mod.load_yaml_text("a: 'x!'\nb: a != b\nc: \"!!str\"\n", "t.yaml")
    assert doc.data == {"a": "x!", "b": "a != b", "c": "!!str"}


def test_python_tag_in_a_problem_file_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = make_problem(tmp_path)
    text = path.read_text().replace("at_least: need[p]",
                                    f"at_least: need[p]\n    note: !!python/object/apply:os.system [\"touch {marker}\"]")
    path.write_text(text)
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3
    assert "!!python/object/apply:os.system" in proc.stderr
    assert not marker.exists()


# ------------------------------------------------------------------------------------------------
# 6. integers beyond Python's 4,300-digit conversion limit
# ------------------------------------------------------------------------------------------------

def test_huge_integer_in_yaml(tmp_path):
    path = make_problem(tmp_path)
    digits = "7" * 5000
    path.write_text(path.read_text() + f"solve:\n  time_limit: {digits}\n")
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert "the number has 5000 digits" in proc.stderr
    assert "7" * 100 not in proc.stderr
    assert "prob.yaml:13:15" in proc.stderr  # line 13 'time_limit:', the value starts at column 15


def test_huge_integer_key_in_yaml():
    with pytest.raises(YamlError) as err:
        loader_mod.load_yaml_text("a:\n  ? " + "9" * 4301 + "\n  : 1\n", "t.yaml")
    assert "4301 digits" in str(err.value) and "9" * 100 not in str(err.value)
    loader_mod.load_yaml_text("a: " + "9" * 4300 + "\n", "t.yaml")  # at the limit: read


def test_huge_integer_in_csv_value(tmp_path):
    path = make_problem(tmp_path, needs=(3, "8" * 5000))
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert "has 5000 digits" in proc.stderr and "8" * 100 not in proc.stderr
    assert "n.csv:3:2" in proc.stderr  # row 3 (header is line 1), column 2


def test_huge_integer_as_csv_set_member(tmp_path):
    big = "6" * 5000
    path = make_problem(tmp_path, products=("pants", big))
    proc = run("validate", path, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert "has 5000 digits" in proc.stderr and "6" * 100 not in proc.stderr
    assert "p.csv:3:1" in proc.stderr


# ------------------------------------------------------------------------------------------------
# 7. Problem.input_files
# ------------------------------------------------------------------------------------------------

def test_input_files_lists_the_problem_and_each_data_file_once(tmp_path):
    path = make_problem(tmp_path)
    problem = goalprog.load(path)
    assert problem.input_files == (path.resolve(), (tmp_path / "data" / "p.csv").resolve(),
                                   (tmp_path / "data" / "n.csv").resolve())
    assert all(isinstance(p, Path) for p in problem.input_files)


def test_input_files_records_resolved_targets_of_links(tmp_path):
    path = make_problem(tmp_path, sets_file="data/alias.csv", need_file="data/n.csv")
    (tmp_path / "data" / "alias.csv").symlink_to(tmp_path / "data" / "p.csv")
    (tmp_path / "link.yaml").symlink_to(path)
    problem = goalprog.load(tmp_path / "link.yaml")
    assert problem.input_files == (path.resolve(), (tmp_path / "data" / "p.csv").resolve(),
                                   (tmp_path / "data" / "n.csv").resolve())


def test_input_files_for_from_dict(tmp_path):
    path = make_problem(tmp_path)
    data = yaml.safe_load(path.read_text())
    problem = goalprog.from_dict(data, base_dir=tmp_path)
    assert problem.input_files == ((tmp_path / "data" / "p.csv").resolve(), (tmp_path / "data" / "n.csv").resolve())
    inline = {"variables": {"x": {"lower": 0}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    assert goalprog.from_dict(inline).input_files == ()


def test_input_files_with_the_same_file_twice(tmp_path):
    path = make_problem(tmp_path, sets_file="data/n.csv", need_file="data/./n.csv")
    problem = goalprog.load(path)
    assert problem.input_files == (path.resolve(), (tmp_path / "data" / "n.csv").resolve())


def test_shipped_problems_still_load_with_their_data():
    root = Path(__file__).resolve().parent.parent.parent / "problems"
    loaded = 0
    for path in sorted(root.glob("*.yaml")):
        problem = goalprog.load(path)
        assert problem.input_files[0] == path.resolve()
        assert all(p.is_relative_to(root.resolve()) for p in problem.input_files)
        loaded += 1
    assert loaded >= 10
    expected = textwrap.dedent("""\
        departments.csv ranks.csv""").split()
    budget = goalprog.load(root / "budget_allocation.yaml")
    names = {p.name for p in budget.input_files}
    assert set(expected) <= names


# ------------------------------------------------------------------------------------------------
# the checking module itself
# ------------------------------------------------------------------------------------------------

def test_read_regular_file_refuses_a_link_when_not_following(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("a\n1\n")
    link = tmp_path / "l.csv"
    link.symlink_to(target)
    assert files_mod.read_regular_file(link, 100) == b"a\n1\n"
    with pytest.raises(files_mod.FileRefused) as err:
        files_mod.read_regular_file(link, 100, follow=False)
    assert "symbolic link" in err.value.message
    assert files_mod.read_regular_file(target, 4, follow=False) == b"a\n1\n"  # exactly the cap
    with pytest.raises(files_mod.FileRefused):
        files_mod.read_regular_file(target, 3)


def test_resolve_data_path_roots(tmp_path):
    from goalprog.core.errors import SourceLocation

    folder, other = tmp_path / "p", tmp_path / "o"
    (folder / "d").mkdir(parents=True)
    other.mkdir()
    (folder / "d" / "a.csv").write_text("x\n")
    (other / "b.csv").write_text("x\n")
    loc = SourceLocation("p.yaml", "sets.s.file", 2, 3)
    assert files_mod.resolve_data_path("d/a.csv", folder, None, loc) == (folder / "d" / "a.csv").resolve()
    with pytest.raises(DataError) as err:
        files_mod.resolve_data_path("../o/b.csv", folder, None, loc)
    assert err.value.issues[0].location == loc
    # a data root adds a folder; relative paths stay relative to the problem folder
    assert files_mod.resolve_data_path("../o/b.csv", folder, other, loc) == (other / "b.csv").resolve()
    assert files_mod.resolve_data_path(str(other / "b.csv"), folder, other, loc) == (other / "b.csv").resolve()
    assert files_mod.resolve_data_path("d/a.csv", folder, other, loc) == (folder / "d" / "a.csv").resolve()
    with pytest.raises(DataError):
        files_mod.resolve_data_path("b.csv", folder, other, loc)  # not found: relative to the problem folder


def test_set_on_a_csv_parameter_under_the_data_root(tmp_path):
    """``--set unit_profit.pants=...`` reads the parameter's CSV to merge one member: that read
    honours --data-root too (the factory's weighted (1, 1.5) plan with pants at 3 a unit: all
    50,000 shirts (3 $/unit, 1 yard) are no better than pants (3 $, 1.5 yards), so shirts only;
    profit 150,000 at waste 50,000 costs 30,000*1.5 = 45,000; pants give the same profit for more
    waste, so the plan is 50,000 shirts)."""
    work, shared = tmp_path / "work", tmp_path / "shared"
    work.mkdir()
    shared.mkdir()
    root = Path(__file__).resolve().parents[2]
    (shared / "products.csv").write_text((root / "problems/data/clothing_products.csv").read_text())
    text = (root / "problems/clothing_factory_indexed.yaml").read_text()
    (work / "p.yaml").write_text(text.replace("data/clothing_products.csv", str(shared / "products.csv")))
    base = ["solve", str(work / "p.yaml"), "--set", "unit_profit.pants=3", "-f", "json"]
    refused = run(*base, cwd=tmp_path)
    assert refused.returncode in (2, 3) and "outside the problem folder" in refused.stderr  # refused, located
    proc = run(*base, "--data-root", str(shared), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    values = {v["label"]: v["value"] for v in out["variables"]}
    assert values["make[shirts]"] == pytest.approx(50000) and values["make[pants]"] == pytest.approx(0, abs=1e-6)


def test_a_column_named_twice_is_refused_with_both_column_numbers(tmp_path):
    # before, pandas renamed the second 'demand' to 'demand.1' and the first column was used silently
    (tmp_path / "d.csv").write_text("product,demand,cost, demand\nA,5,1,7\nB,6,1,8\n")
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        sets: {P: [A, B]}
        params: {demand: {index: P, file: d.csv, keys: [product], column: demand}}
        variables: {x: {index: P}}
        goals: {g: {for: p in P, expr: 'x[p]', at_least: 'demand[p]'}}
        """))
    with pytest.raises(DataError) as info:
        goalprog.load(tmp_path / "p.yaml")
    text = str(info.value)
    assert f"{tmp_path / 'd.csv'}:1:4:" in text
    assert "'demand'" in text and "columns 2 and 4" in text


def test_distinct_and_empty_header_names_read_as_before(tmp_path):
    (tmp_path / "d.csv").write_text('product,"demand, units",demand,,\nA,5,6,,\nB,7,8,,\n')
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        sets: {P: {file: d.csv, column: product}}
        params: {demand: {index: P, file: d.csv, keys: [product], column: demand}}
        variables: {x: {index: P}}
        goals: {g: {for: p in P, expr: 'x[p]', at_least: 'demand[p]'}}
        """))
    result = goalprog.load(tmp_path / "p.yaml").solve()
    assert result.value("x").to_dict() == {"A": 6.0, "B": 8.0}
