"""Time ``alternatives=True`` against the plain solve on the production-planning benchmark.

    python benchmarks/production.py --size medium --out /tmp/pp
    python benchmarks/alternatives.py /tmp/pp/production_planning.yaml weighted preemptive

Prints, per method: columns, decision variables, the plain solve's seconds, the solve with
alternatives, the seconds the alternatives took (``result.alternatives.time``), whether the plan
is unique, the solves run, the ends screened out, the columns the optimal face fixed, how many
variables move, and the note.
"""

from __future__ import annotations

import sys
import time

import goalprog


def main(path: str, methods) -> None:
    for method in methods:
        p = goalprog.load(path)
        t = time.perf_counter()
        p.solve(method=method)
        plain = time.perf_counter() - t
        t = time.perf_counter()
        r = p.solve(method=method, alternatives=True)
        total = time.perf_counter() - t
        a = r.alternatives
        print(f"{method}: {r.model.n_cols:,} columns, {len(a.rows):,} variables; plain {plain:.2f} s, with "
              f"alternatives {total:.2f} s (alternatives {a.time:.2f} s); unique {a.unique}; {a.solves:,} solves, "
              f"{a.skipped:,} of {2 * len(a.rows):,} ends screened out, {a.fixed:,} fixed by the face, "
              f"{len(a.moving):,} moving; note: {a.note}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["weighted", "preemptive"])
