"""Benchmark goalprog against hand-written models of the same production-planning goal program.

    python benchmarks/run.py --size small               # 3 interleaved repetitions, prints a table
    python benchmarks/run.py --size medium --write-results benchmarks/RESULTS.md

Every measurement runs in a fresh Python process (so import costs and peak memory are its own;
bytecode comes from a private cache warmed before the runs, as an installed package has it,
``--as-is`` keeps the environment's settings)
and the methods are interleaved within each repetition, so a machine that gets slower or faster
during the run affects them all alike.  For each method the median of the repetitions is shown:
build/compile seconds, solve seconds, total seconds, peak resident memory, and the ratio of its
total to the best hand-written total of the same kind (weighted or preemptive).  All methods of a
kind must reach the same level values (relative 1e-6, plus the documented lock slack of 1e-5 for
HiGHS's native lexicographic mode) or the run says so.

goalprog methods: ``goalprog-<backend>`` (load = YAML + CSV + compile, then solve), and for the
preemptive chain ``goalprog-highs-row`` / ``goalprog-highs-face`` / ``goalprog-highs-fix`` with the
lock style forced (``goalprog-highs`` uses the default, ``auto``).  The ``fix`` style holds earlier
levels more strictly than a lock row (Gurobi's rule for LP hierarchies), so its later level values
may differ: they are left out of the agreement check and printed on a line of their own.  ``GOALPROG_BENCH_GP_ALGORITHM=ipm`` makes the
goalprog methods use that HiGHS algorithm.  Hand-written:
see benchmarks/handwritten.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

GOALPROG = {"weighted": ["goalprog-highs", "goalprog-pulp", "goalprog-pyomo"],
            "preemptive": ["goalprog-highs", "goalprog-highs-row", "goalprog-highs-face", "goalprog-highs-fix",
                           "goalprog-pulp", "goalprog-pyomo"]}
OWN_VALUES = {"goalprog-highs-row"}
"""Methods whose level values may differ by design (not checked against the others): with the
default exact locks, ``--lock-style row`` holds each level by its lock row alone, with the slack of
the solver's feasibility tolerance at the row's scale (docs/methods.md)."""

EXACT = {"goalprog-highs", "goalprog-highs-face", "goalprog-highs-fix", "goalprog-pulp", "goalprog-pyomo"}
"""Preemptive methods that compute the exact lexicographic optimum (goalprog's default locks); the
hand-written chains hold each level with HiGHS's 1e-5 slack, so the two groups are checked apart."""


def prepare(size: str, workdir: Path, seed: int = 0) -> Path:
    """Write the instance (YAML models + CSV data) for ``size`` into ``workdir``."""
    import production

    P, T, R = production.SIZES[size]
    workdir.mkdir(parents=True, exist_ok=True)
    production.write(production.generate(P, T, R, seed), workdir)
    shutil.copyfile(HERE.parent / "problems" / "production_planning_weighted.yaml",
                    workdir / "production_planning_weighted.yaml")
    return workdir


def measure_one(kind: str, name: str, workdir: Path) -> dict:
    """Run one method once in this process and return its figures."""
    t0 = time.perf_counter()
    if name.startswith("goalprog-"):
        import goalprog

        backend, _, style = name.split("-", 1)[1].partition("-")  # goalprog-<backend>[-<lock style>]
        file = "production_planning.yaml" if kind == "preemptive" else "production_planning_weighted.yaml"
        problem = goalprog.load(workdir / file)
        t1 = time.perf_counter()
        extra = {"lock_style": style} if style else {}
        algorithm = os.environ.get("GOALPROG_BENCH_GP_ALGORITHM")
        if algorithm:
            extra["algorithm"] = algorithm
        result = problem.solve(backend=backend, method=kind, **extra)
        t2 = time.perf_counter()
        if kind == "preemptive":
            values = [float(v) for v in result.levels["stage_value"]]
        else:
            values = [float(result.objective)]
        build, solve = t1 - t0, t2 - t1
        status = result.status.value
    else:
        import handwritten
        import production

        inst = production.read(workdir)
        values, build, solve = handwritten.HANDWRITTEN[kind][name](inst)
        status = "optimal"
    total = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"kind": kind, "name": name, "values": values, "build": build, "solve": solve, "total": total,
            "peak_mb": peak_mb, "status": status}


def child_env(as_is: bool) -> dict | None:
    """The children's environment: with a private bytecode cache (``PYTHONPYCACHEPREFIX``), as an
    installed package has its bytecode, even where the environment sets ``PYTHONDONTWRITEBYTECODE``
    (an editable install would otherwise recompile goalprog's sources in every process, about
    0.1 s); ``as_is`` keeps the environment unchanged."""
    if as_is:
        return None
    import tempfile

    env = dict(os.environ)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="goalprog-bench-pyc-")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(env: dict | None) -> None:
    """Fill the bytecode cache with every module a method imports (not timed)."""
    code = ("import numpy, pandas, highspy, pulp, pyomo.environ, goalprog, goalprog.problem, goalprog.model.compile, "
            "goalprog.solve.backends.highs_backend, goalprog.solve.backends.pulp_backend, goalprog.solve.backends.pyomo_backend, "
            "goalprog.solve.strategies.preemptive, goalprog.solve.strategies.weighted, handwritten, production")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=str(HERE), check=False, capture_output=True)


def run_child(kind: str, name: str, workdir: Path, timeout: float, env: dict | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", kind, name, "--dir", str(workdir)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "name": name, "error": f"timed out after {timeout:.0f} s"}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"kind": kind, "name": name, "error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process"] = wall
    return out


def methods_for(kinds) -> list[tuple[str, str]]:
    import handwritten

    out = []
    for kind in kinds:
        out += [(kind, n) for n in GOALPROG[kind]]
        out += [(kind, n) for n in handwritten.HANDWRITTEN[kind]]
    return out


def agree(values: list[list[float]], kind: str) -> str:
    ref = values[0]
    for v in values[1:]:
        if len(v) != len(ref):
            return "NO (level count)"
        for a, b in zip(v, ref):
            if abs(a - b) > 1e-6 * max(1.0, abs(b)) + 2e-5:
                return f"NO ({a:.9g} vs {b:.9g})"
    return "yes"


def table(results: dict, kinds) -> str:
    lines = ["| kind | method | build/compile s | solve s | total s | process s | peak MB | ratio to best hand-written |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for kind in kinds:
        rows = {n: r for (k, n), r in results.items() if k == kind}
        ok = {n: r for n, r in rows.items() if "error" not in r}
        hand = [r["total"] for n, r in ok.items() if not n.startswith("goalprog")]
        best = min(hand) if hand else float("nan")
        for n, r in rows.items():
            if "error" in r:
                lines.append(f"| {kind} | {n} | | | | | | {r['error']} |")
                continue
            lines.append(f"| {kind} | {n} | {r['build']:.3f} | {r['solve']:.3f} | {r['total']:.3f} | "
                         f"{r.get('process', float('nan')):.2f} | {r['peak_mb']:.0f} | {r['total'] / best:.2f} |")
        exact = [r["values"] for n, r in ok.items() if n in EXACT] if kind == "preemptive" else []
        if exact:
            vals = ", ".join(f"{v:.9g}" for v in exact[0])
            lines.append(f"| {kind} | (goalprog's exact chains reach the same level values: {vals}) | | | | | | "
                         f"{agree(exact, kind)} |")
        same = [r["values"] for n, r in ok.items() if n not in OWN_VALUES and not (exact and n in EXACT)]
        label = "the hand-written chains" if exact else "all"
        lines.append(f"| {kind} | ({label} reach the same level values) | | | | | | {agree(same, kind) if same else '-'} |")
        for n in sorted(OWN_VALUES & set(ok)):
            vals = ", ".join(f"{v:.9g}" for v in ok[n]["values"])
            ref = f"; the others: {', '.join(f'{v:.9g}' for v in same[0])}" if same else ""
            lines.append(f"| {kind} | ({n} level values: {vals}{ref}) | | | | | | |")
    return "\n".join(lines)


def median_of(runs: list[dict]) -> dict:
    good = [r for r in runs if "error" not in r]
    if not good:
        return runs[-1]
    out = dict(good[0])
    for key in ("build", "solve", "total", "peak_mb", "process"):
        if key in good[0]:
            out[key] = statistics.median(r[key] for r in good)
    return out


def machine() -> str:
    try:
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    except OSError:
        cpu = platform.processor() or "?"
    import highspy  # noqa: F401
    from importlib.metadata import version

    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, HiGHS (highspy) {version('highspy')}, "
            f"PuLP {version('pulp')}, Pyomo {version('pyomo')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="small", help="tiny, small, issue3, medium or large (see production.py)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--kinds", default="weighted,preemptive")
    ap.add_argument("--only", default="", help="comma-separated method names to run (default: all)")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--dir", type=Path, default=None, help="work folder for the instance (default: a temp folder)")
    ap.add_argument("--write-results", type=Path, default=None, help="also write the table to this Markdown file")
    ap.add_argument("--as-is", action="store_true",
                    help="keep the environment's bytecode settings (default: a private, warmed bytecode cache)")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "NAME"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(measure_one(a.one[0], a.one[1], a.dir)))
        return
    import tempfile

    workdir = a.dir or Path(tempfile.mkdtemp(prefix=f"goalprog-bench-{a.size}-"))
    prepare(a.size, workdir)
    kinds = [k for k in a.kinds.split(",") if k]
    methods = methods_for(kinds)
    if a.only:
        keep = set(a.only.split(","))
        methods = [m for m in methods if m[1] in keep]
    runs: dict = {m: [] for m in methods}
    env = child_env(a.as_is)
    warm_up(env)
    for rep in range(a.reps):
        for m in methods:  # interleaved
            runs[m].append(run_child(m[0], m[1], workdir, a.timeout, env))
            r = runs[m][-1]
            print(f"  rep {rep + 1} {m[0]:10s} {m[1]:24s} " +
                  (r["error"] if "error" in r else f"total {r['total']:.3f} s"), file=sys.stderr)
    results = {m: median_of(r) for m, r in runs.items()}
    out = table(results, kinds)
    print(out)
    if a.write_results:
        head = (f"# Benchmark results\n\nSize `{a.size}`, median of {a.reps} interleaved runs, "
                f"each in a fresh process. Machine: {machine()}.\n\n"
                "Command: `python benchmarks/run.py --size " + a.size + "`\n\n")
        a.write_results.write_text(head + out + "\n")


if __name__ == "__main__":
    main()
