"""The exact frontier between two goals of the benchmark's production plan, against a weight grid.

    python benchmarks/production.py --size medium --out /tmp/pp
    python benchmarks/frontier.py /tmp/pp/production_planning.yaml [A B] [--grid 50]

Without A B it takes the two goals with the largest unwanted deviations in the current plan.  It
prints: the current plan's solve time; the frontier's time, solves and breakpoints
(``Problem.frontier``: Aneja & Nair's dichotomic search, exact lexicographic ends); and the time of
a grid of weighted solves ``min w A + (1 - w) B`` (``w`` evenly spaced in (0, 1), ends left out) on
the same model (every other goal held at the current plan, as the frontier holds them), on one
warm-started HiGHS session as the frontier's own weighted solves run, with how many distinct points
the grid found and how many of the frontier's breakpoints it missed.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import goalprog
from goalprog.model.scaling import unwanted
from goalprog.solve.backends.base import get_backend
from goalprog.solve.config import SolveConfig
from goalprog.solve.frontier import held_model, measure_value, resolve_measure, weighted_objective


def largest_goals(result) -> tuple[str, str]:
    m = result.model
    under, over = unwanted(m, result.x)
    total: dict = {}
    for i in range(len(m.goals)):
        name = m.goals.origins[i].name
        total[name] = total.get(name, 0.0) + float(under[i] + over[i])
    a, b = sorted(total, key=total.get, reverse=True)[:2]
    return a, b


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("goals", nargs="*")
    ap.add_argument("--grid", type=int, default=50)
    ap.add_argument("--grid-only", action="store_true", help="time the grid only (the frontier's points not compared)")
    args = ap.parse_args()
    p = goalprog.load(args.file)
    t = time.perf_counter()
    cur = p.solve()
    print(f"current plan: {cur.status.value}, {time.perf_counter() - t:.2f} s, {p.model.n_cols:,} columns")
    a, b = args.goals if args.goals else largest_goals(cur)
    res = None
    if not args.grid_only:
        t = time.perf_counter()
        res = p.frontier(a, b, current=cur)
        t_frontier = time.perf_counter() - t
        print(f"frontier {a} / {b}: {res.n_points} breakpoints, {res.solves} solves, {t_frontier:.2f} s")
    # the grid, on the same held model, one warm session
    ma, mb = resolve_measure(cur.model, a), resolve_measure(cur.model, b)
    held, _ = held_model(cur.model, cur.x, ma, mb)
    config = SolveConfig.resolve(p.spec.solve, model=p.model, doc=p._doc)
    options = config.solve_options()
    backend = get_backend(config.backend)
    t = time.perf_counter()
    session = backend.session(held, options)
    points = []
    try:
        for k, w in enumerate(np.linspace(0, 1, args.grid + 2)[1:-1]):
            session.set_objective(weighted_objective(ma.vector, mb.vector, float(w), float(1 - w)))
            rec = session.solve()
            if k == 0 and str(options.solver_options.get("solver", "")) == "ipm":
                session.set_option("solver", "simplex")
            points.append((measure_value(cur.model, ma, rec.x), measure_value(cur.model, mb, rec.x)))
    finally:
        session.close()
    t_grid = time.perf_counter() - t
    distinct = []
    for q in sorted(points):
        if not distinct or max(abs(q[0] - distinct[-1][0]), abs(q[1] - distinct[-1][1])) > 1e-7 * max(1, abs(q[0])):
            distinct.append(q)
    if res is None:
        print(f"grid of {args.grid} weights ({a} / {b}): {t_grid:.2f} s, {len(distinct)} distinct points")
        return
    hit = sum(any(abs(q[0] - r.a) <= 1e-6 * max(1, abs(r.a)) and abs(q[1] - r.b) <= 1e-6 * max(1, abs(r.b))
                  for q in distinct) for r in res.points)
    # how far below the frontier (B at the same A, on the polyline of breakpoints) a grid point lies:
    # > 0 would be a breakpoint the search missed; <= the search's tolerance means on the frontier
    fa = np.array([r.a for r in res.points])
    fb = np.array([r.b for r in res.points])
    below = max((float(np.interp(q[0], fa, fb)) - q[1] for q in distinct if fa[0] <= q[0] <= fa[-1]), default=0.0)
    print(f"grid of {args.grid} weights: {t_grid:.2f} s, {len(distinct)} distinct points, "
          f"{hit} of the {res.n_points} breakpoints; the grid's points lie at most {below:.2g} below the frontier")


if __name__ == "__main__":
    main()
