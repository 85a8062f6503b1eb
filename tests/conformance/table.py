"""Print the solver conformance table: one row per (solver, backend), one column per case.

    python -m tests.conformance.table            # Markdown table on stdout (as in docs/solvers.md)
    python -m tests.conformance.table --quick    # without the 1-second time-limit column

Runs the same checks as ``tests/conformance/test_conformance.py`` (:mod:`tests.conformance.matrix`)
in this process: ``pass``, ``fail`` (the assertion is listed under the table) or ``skip`` (the
reason is listed: a solver that is not installed, a backend without a route to it).  Exit status
1 when any check failed.
"""

from __future__ import annotations

import argparse
import sys
import time

import pytest

from tests.conformance.matrix import CASES, PAIRS, skip_reason


def run(cases=CASES, pairs=PAIRS):
    """``{(solver, backend, case name): (outcome, detail)}`` with outcome ``pass``/``fail``/``skip``."""
    out = {}
    for solver, backend in pairs:
        why = skip_reason(solver, backend)
        for case in cases:
            if why:
                out[solver, backend, case.name] = ("skip", why)
                continue
            try:
                case.check(solver, backend)
                out[solver, backend, case.name] = ("pass", "")
            except pytest.skip.Exception as exc:
                out[solver, backend, case.name] = ("skip", str(exc))
            except AssertionError as exc:
                out[solver, backend, case.name] = ("fail", str(exc).splitlines()[0] if str(exc) else "assertion")
            except Exception as exc:  # an error is a failure too
                out[solver, backend, case.name] = ("fail", f"{type(exc).__name__}: {str(exc)[:200]}")
    return out


def markdown(results, cases=CASES, pairs=PAIRS) -> str:
    """The table (rows: solver/backend pairs with a route; pairs without one are listed below it),
    the legend of the columns, and every failure and skip reason."""
    routed = [(s, b) for s, b in pairs if not any(results[s, b, c.name][0] == "skip"
                                                  and "runs HiGHS only" in results[s, b, c.name][1] for c in cases)]
    head = "| solver | backend | " + " | ".join(f"{i + 1}" for i in range(len(cases))) + " | pass | skip | fail |"
    lines = [head, "|" + "---|" * (len(cases) + 5)]
    mark = {"pass": "✓", "skip": "–", "fail": "✗"}
    for s, b in routed:
        row = [results[s, b, c.name][0] for c in cases]
        lines.append(f"| {s} | {b} | " + " | ".join(mark[r] for r in row)
                     + f" | {row.count('pass')} | {row.count('skip')} | {row.count('fail')} |")
    lines.append("")
    lines.append("✓ pass, – skip, ✗ fail. Columns:")
    lines.append("")
    for i, c in enumerate(cases):
        lines.append(f"{i + 1}. `{c.name}` ({c.kind}): {c.what}")
    lines.append("")
    no_route = sorted({(s, b) for s, b in pairs if (s, b) not in routed})
    if no_route:
        lines.append("No route (every case skipped): " + ", ".join(f"{s} on {b}" for s, b in no_route)
                     + " (the highs backend runs HiGHS only).")
    reasons = {}
    for (s, b, name), (outcome, detail) in results.items():
        if outcome != "pass" and (s, b) in routed:
            reasons.setdefault((outcome, detail), []).append(f"{s}/{b}/{name}")
    for (outcome, detail), where in sorted(reasons.items()):
        lines.append(f"- {outcome}: {detail} ({', '.join(where[:6])}{', ...' if len(where) > 6 else ''})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the time-limit case")
    args = parser.parse_args(argv)
    cases = tuple(c for c in CASES if not (args.quick and c.name == "time_limit"))
    t0 = time.perf_counter()
    results = run(cases)
    print(markdown(results, cases))
    counts = {k: sum(1 for v in results.values() if v[0] == k) for k in ("pass", "skip", "fail")}
    print(f"\n{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped "
          f"in {time.perf_counter() - t0:.0f} s")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
