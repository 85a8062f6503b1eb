"""Time ``Problem.solve(sensitivity=True)`` against the plain solve on a production plan (benchmarks/RESULTS.md,
"Sensitivity").

    python benchmarks/sensitivity.py --size medium --method weighted --ranges auto

Writes the plan with :mod:`production` to a temporary folder, loads it once, and times the plain solve and the
solve with sensitivity (highs backend), each once, in one process; prints one Markdown table row.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import production  # noqa: E402

import goalprog  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=list(production.SIZES), default="small")
    ap.add_argument("--method", choices=["weighted", "preemptive"], default="weighted")
    ap.add_argument("--ranges", choices=["auto", "exact", "basis"], default="auto")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = production.write(production.generate(*production.SIZES[a.size]), Path(tmp))
        p = goalprog.load(path)
        t = time.perf_counter()
        plain = p.solve(method=a.method)
        t_plain = time.perf_counter() - t
        t = time.perf_counter()
        r = p.solve(method=a.method, sensitivity=True, sensitivity_ranges=a.ranges)
        t_sens = time.perf_counter() - t
    s = r.sensitivity
    marked = sum(1 for row in (*s.target_rows, *s.weight_rows) if row.range == "basis")
    nan = sum(1 for row in s.constraint_rows if math.isnan(row.rate_below) or math.isnan(row.rate_above))
    print(f"| {a.size} | {plain.model.n_cols:,} | {len(plain.model.goals):,} | {a.method} | {a.ranges} | "
          f"{t_plain:.2f} | {t_sens:.2f} | {t_sens / t_plain:.2f} | {s.solves:,} | {marked:,} | {nan:,} |")
    for note in s.notes:
        print("  note:", note)


if __name__ == "__main__":
    main()
