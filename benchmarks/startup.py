"""Start-up benchmark: ``goalprog solve`` on the small clothing-factory files against a hand-written
PuLP + HiGHS script of the same model (``benchmarks/clothing_pulp.py``), each as a whole process.

    python benchmarks/startup.py                   # 7 interleaved repetitions, prints a table
    python benchmarks/startup.py --reps 15 --markdown
    python benchmarks/startup.py --instructions    # also count instructions (valgrind; slow, exact)

On files this small the whole cost is start-up: the interpreter, imports, reading and checking the
file, building the model.  Each measurement is the wall time of a fresh process (``subprocess``,
output captured), the methods are interleaved within each repetition so that a machine that gets
busier or quieter affects them all alike, and the median of the repetitions is shown with its ratio
to the PuLP script's median.  ``python -c pass`` is shown for reference (the interpreter alone).

Bytecode: every process reads and writes compiled bytecode in a private cache directory
(``PYTHONPYCACHEPREFIX``), as an installed package would, even where the environment sets
``PYTHONDONTWRITEBYTECODE`` (an editable install would otherwise recompile goalprog's sources on
every start); ``--as-is`` keeps the environment unchanged.

``--instructions`` also runs each method once under ``valgrind --tool=cachegrind`` (with a fixed
hash seed) and reports the instructions executed: a count that does not depend on what else the
machine is doing, for comparing changes on a shared machine.

This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REFERENCE = "PuLP + HiGHS script"


def _goalprog_command() -> list[str]:
    """The ``goalprog`` console script of this interpreter's environment (what a user runs), else
    ``python -m goalprog``."""
    script = Path(sys.executable).with_name("goalprog")
    if script.exists():
        return [str(script)]
    found = shutil.which("goalprog")
    return [found] if found else [sys.executable, "-m", "goalprog"]


def methods(files: list[Path]) -> list[tuple[str, list[str]]]:
    gp = _goalprog_command()
    out = [("python -c pass (interpreter only)", [sys.executable, "-c", "pass"]),
           (REFERENCE, [sys.executable, str(HERE / "clothing_pulp.py")])]
    for f in files:
        rel = f.relative_to(ROOT) if f.is_relative_to(ROOT) else f
        out.append((f"goalprog solve {f.name}", gp + ["solve", str(rel)]))
        out.append((f"goalprog solve {f.name} -f json", gp + ["solve", str(rel), "--format", "json"]))
    return out


def run_once(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0 or (not proc.stdout and cmd[-1] != "pass"):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def instructions(cmd: list[str], env: dict) -> float:
    """Millions of instructions the process executes (valgrind's cachegrind, no cache simulation)."""
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"] + cmd,
                          cwd=ROOT, env=dict(env, PYTHONHASHSEED="0"), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
    if proc.returncode != 0 or not m:
        raise SystemExit(f"valgrind failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return int(m.group(1).replace(",", "")) / 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7, help="interleaved repetitions (default 7); the median is shown")
    ap.add_argument("--files", nargs="*", type=Path,
                    help="problem files (default: problems/clothing_factory*.yaml)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table with a machine note")
    ap.add_argument("--as-is", action="store_true",
                    help="keep the environment's bytecode settings (default: a private bytecode cache)")
    ap.add_argument("--instructions", action="store_true",
                    help="also count each method's instructions once under valgrind (slow; needs valgrind)")
    args = ap.parse_args(argv)

    files = [f.resolve() for f in args.files] if args.files else sorted((ROOT / "problems").glob("clothing_factory*.yaml"))
    todo = methods(files)
    env = dict(os.environ)
    cache = None
    if not args.as_is:
        cache = tempfile.mkdtemp(prefix="goalprog-startup-pyc-")
        env["PYTHONPYCACHEPREFIX"] = cache
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        for _, cmd in todo:  # fill the bytecode and file caches, and check that everything runs
            run_once(cmd, env)
        times: dict[str, list[float]] = {name: [] for name, _ in todo}
        for rep in range(args.reps):
            for name, cmd in todo:
                times[name].append(run_once(cmd, env))
            print(f"repetition {rep + 1}/{args.reps} done", file=sys.stderr)
        instr = {}
        if args.instructions:
            for name, cmd in todo:
                instr[name] = instructions(cmd, env)
                print(f"counted {name}", file=sys.stderr)
    finally:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)

    med = {name: statistics.median(ts) for name, ts in times.items()}
    ref = med[REFERENCE]
    iref = instr.get(REFERENCE)
    width = max(len(n) for n in med)
    rows = []  # one row of cells per method, for either output form
    for name, _ in todo:
        cells = [name, f"{med[name]:.3f}", f"{min(times[name]):.3f}", f"{med[name] / ref:.2f}"]
        if instr:
            cells += [f"{instr[name]:,.0f}", f"{instr[name] / iref:.2f}"]
        rows.append(cells)
    if args.markdown:
        print(f"Median of {args.reps} interleaved runs, each a fresh process"
              f"{', bytecode cached' if not args.as_is else ''}. Machine: {os.cpu_count()} cores "
              f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}.\n")
        head = "| method | median s | min s | ratio to PuLP script |"
        rule = "|---|---:|---:|---:|"
        if instr:
            head += " instructions (M) | ratio |"
            rule += "---:|---:|"
        print(head)
        print(rule)
        for cells in rows:
            print("| " + " | ".join(cells) + " |")
    else:
        head = ["method", "median s", "min s", "ratio"] + (["instr (M)", "ratio"] if instr else [])
        widths = [width, 9, 7, 6, 10, 6]
        for cells in [head] + rows:
            print("  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(cells, widths))))
        print(f"\nratio: median time / median of the {REFERENCE}; {args.reps} interleaved repetitions"
              + ("; instructions counted once under valgrind (hash seed 0)" if instr else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
