"""Start-up benchmark: ``goalprog solve`` on the small clothing-factory files against a hand-written
PuLP + HiGHS script of the same model (``benchmarks/clothing_pulp.py``), each as a whole process.

    python benchmarks/startup.py              # 7 interleaved repetitions, prints a table
    python benchmarks/startup.py --reps 15 --markdown

On files this small the whole cost is start-up: the interpreter, imports, reading and checking the
file, building the model.  Each measurement is the wall time of a fresh process (``subprocess``,
output captured), the methods are interleaved within each repetition so that a machine that gets
busier or quieter affects them all alike, and the median of the repetitions is shown with its ratio
to the PuLP script's median.  ``python -c pass`` is shown for reference (the interpreter alone).

This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


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
           ("PuLP + HiGHS script", [sys.executable, str(HERE / "clothing_pulp.py")])]
    for f in files:
        rel = f.relative_to(ROOT) if f.is_relative_to(ROOT) else f
        out.append((f"goalprog solve {f.name}", gp + ["solve", str(rel)]))
        out.append((f"goalprog solve {f.name} -f json", gp + ["solve", str(rel), "--format", "json"]))
    return out


def run_once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0 or (not proc.stdout and cmd[-1] != "pass"):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')}")
    return elapsed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7, help="interleaved repetitions (default 7); the median is shown")
    ap.add_argument("--files", nargs="*", type=Path,
                    help="problem files (default: problems/clothing_factory*.yaml)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table with a machine note")
    args = ap.parse_args(argv)

    files = [f.resolve() for f in args.files] if args.files else sorted((ROOT / "problems").glob("clothing_factory*.yaml"))
    todo = methods(files)
    for _, cmd in todo:  # warm the file cache and check that everything runs
        run_once(cmd)
    times: dict[str, list[float]] = {name: [] for name, _ in todo}
    for rep in range(args.reps):
        for name, cmd in todo:
            times[name].append(run_once(cmd))
        print(f"repetition {rep + 1}/{args.reps} done", file=sys.stderr)

    med = {name: statistics.median(ts) for name, ts in times.items()}
    ref = med["PuLP + HiGHS script"]
    width = max(len(n) for n in med)
    if args.markdown:
        print(f"Median of {args.reps} interleaved runs, each a fresh process. Machine: {os.cpu_count()} cores "
              f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}.\n")
        print("| method | median s | min s | ratio to PuLP script |")
        print("|---|---:|---:|---:|")
        for name, _ in todo:
            print(f"| {name} | {med[name]:.3f} | {min(times[name]):.3f} | {med[name] / ref:.2f} |")
    else:
        print(f"{'method':<{width}}  {'median s':>9}  {'min s':>7}  {'ratio':>6}")
        for name, _ in todo:
            print(f"{name:<{width}}  {med[name]:>9.3f}  {min(times[name]):>7.3f}  {med[name] / ref:>6.2f}")
        print(f"\nratio: median time / median of the PuLP + HiGHS script; {args.reps} interleaved repetitions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
