"""Every priority order: the preemptive chain solved for each permutation of the priority levels.

A preemptive plan depends on the order of the levels ("what if waste came before profit?").
:func:`solve_orders` solves the chain for each order asked for (all ``n!`` permutations of ``n``
levels, or a list) and groups the orders that give the same plan; it is what
:meth:`goalprog.Problem.orders` and ``goalprog solve FILE --orders`` run.  This is the
"all lexicographic permutations" method of multi-objective solvers (e.g. MultiObjectiveAlgorithms.jl's
``Lexicographic`` algorithm over all permutations; Ehrgott, *Multicriteria Optimization*, 2nd ed., 2005,
ch. 5, on lexicographic optimality and its dependence on the order).

**Prefix reuse.**  Orders that begin alike share their chain up to where they part: the chain
state after the levels ``(a, b)`` (the plan, the lock rows and the bound restrictions that hold
``a`` and ``b``: :class:`~goalprog.solve.stages.ChainStage` records) serves every order starting
``a, b``.  The orders are walked as a trie of prefixes, depth first: each prefix is solved once,
by the preemptive strategy going on from its parent's state (``Settings.resume``; the model of the
next stage is rebuilt by :func:`~goalprog.solve.stages.stage_model`), so ``n`` levels take
``sum_{d=1..n} n!/(n-d)!`` level solves instead of ``n * n!`` (6 levels: 1,956 instead of 4,320).
A continued chain that does not end optimal is solved again from the start: it cannot lift its
parent's bound restrictions, the fallback of a chain solved in one session.

**In parallel.**  With an ``executor`` (a :class:`concurrent.futures.Executor`; the command line
passes the sweep's process pool, :func:`goalprog.analysis.orders.orders_pool`), the subtrees of
the first level are independent and each runs in a task of its own.

A level with a min-max achievement function (``solve.levels``: Chebyshev or extended) turns the
reuse off: each order is then a chain of its own.

**Same plan.**  Two orders give the same plan when every goal's value (the goal expression's
value, and each plain objective's) agrees to ``1e-9`` relative: ``|a - b| <= 1e-9 * max(1, |a|, |b|)``
(:data:`SAME_PLAN`).

The levels are named as the problem file names them (priority numbers).  :data:`MAX_LEVELS`
levels at most for ``"all"`` (720 orders) unless ``force``; from :data:`WARN_LEVELS` levels a
warning gives the count.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np

from ..core.errors import ArgumentError
from ..core.status import Status

__all__ = ["MAX_LEVELS", "WARN_LEVELS", "SAME_PLAN", "OrderEntry", "PriorityOrders", "parse_orders", "check_orders",
           "solve_orders", "solve_branch", "goal_values"]

MAX_LEVELS = 6
"""``orders="all"`` solves at most this many levels' permutations (720 orders) unless forced."""

WARN_LEVELS = 5
"""From this many levels ``orders="all"`` warns how many orders it solves (120 or more)."""

SAME_PLAN = 1e-9
"""Relative tolerance at which two orders' goal values are the same plan."""


@dataclass(frozen=True)
class OrderEntry:
    """One priority order and its plan.

    ``order``: the levels, most important first, as the file names them; ``status``: the chain's
    :class:`~goalprog.core.status.Status`; ``message``: why it is not optimal (or ``""``);
    ``achievements``: level -> its achievement at the plan (the level's units; ``None`` without a
    plan); ``goals``: goal label -> the goal expression's value at the plan (plain objectives
    too, by label; empty without a plan); ``plan``: the number (1, 2, ...) of the group of
    orders giving the same plan (``None`` without a plan)."""

    order: tuple
    status: Status
    message: str = ""
    achievements: dict = field(default_factory=dict)
    goals: dict = field(default_factory=dict)
    plan: int | None = None

    def to_dict(self) -> dict:
        return {"order": list(self.order), "status": self.status.value, "message": self.message,
                "achievements": {str(k): _clean(v) for k, v in self.achievements.items()},
                "goals": {k: _clean(v) for k, v in self.goals.items()}, "plan": self.plan}


def _clean(v):
    return None if v is None or not math.isfinite(v) else float(v)


@dataclass(frozen=True)
class PriorityOrders:
    """The plans of several priority orders (see the module's docstring).

    ``levels``: the file's levels, most important first; ``entries``: one
    :class:`OrderEntry` per order, in the order asked for; ``warnings``; ``level_solves``: how
    many level solves the prefix trie took, against ``n * len(entries)`` without reuse."""

    levels: tuple
    entries: tuple
    warnings: tuple = ()
    level_solves: int = 0

    @property
    def groups(self) -> list[tuple[int, list[OrderEntry]]]:
        """``(plan number, the entries giving it)`` for each distinct plan, by plan number."""
        out: dict = {}
        for e in self.entries:
            if e.plan is not None:
                out.setdefault(e.plan, []).append(e)
        return sorted(out.items())

    def to_dict(self) -> list[dict]:
        """The JSON key ``orders``: one dict per order (``order``, ``status``, ``message``,
        ``achievements``, ``goals``, ``plan``)."""
        return [e.to_dict() for e in self.entries]

    def table(self) -> tuple[list[str], list[list]]:
        """The orders grouped by plan: columns ``plan``, ``orders`` (``"1 > 2; ..."``), each
        goal's value, then one row per order without a plan (``plan`` empty, its status)."""
        labels = list(self.entries[0].goals) if self.entries and self.entries[0].goals else []
        for e in self.entries:
            if e.goals:
                labels = list(e.goals)
                break
        rows = []
        for plan, members in self.groups:
            rows.append([plan, "; ".join(" > ".join(map(str, e.order)) for e in members)]
                        + [members[0].goals.get(k) for k in labels])
        for e in self.entries:
            if e.plan is None:
                rows.append(["", " > ".join(map(str, e.order)) + f" ({e.status.value})"] + [None] * len(labels))
        return ["plan", "orders"] + labels, rows


def _example(levels: tuple, cli: bool) -> str:
    """An example of orders over ``levels``, written for the command line or the API."""
    text = ";".join(",".join(map(str, o)) for o in dict.fromkeys([tuple(reversed(levels)), tuple(levels)]))
    return f"--orders all or --orders '{text}'" if cli else f"orders='all' or orders='{text}'"


def parse_orders(spec, levels: tuple, cli: bool = False) -> tuple[tuple, ...]:
    """The orders asked for, as tuples of levels.

    ``spec``: ``"all"`` (every permutation of ``levels``), a text ``"2,1,3;1,3,2"`` (orders
    separated by ``;``, levels by ``,``, named as the file numbers them), or a sequence of
    sequences of levels.  Each order must name every level once.  ``cli``: the hints name the
    ``--orders`` option (else the ``orders=`` keyword).  Raises
    :class:`~goalprog.core.errors.ArgumentError` naming what is wrong."""
    from ..core.errors import did_you_mean

    levels = tuple(levels)
    example = "e.g. " + _example(levels, cli)
    if isinstance(spec, str) and spec.strip().lower() == "all":
        return tuple(itertools.permutations(levels))
    if isinstance(spec, str):
        raw = [[t.strip() for t in p.split(",")] for p in spec.split(";")] if spec.strip() else []
    else:
        try:
            raw = [list(o) for o in spec]
        except TypeError:
            raise ArgumentError(f"orders must be 'all', a text such as '2,1;1,2' or a list of orders, got {spec!r}",
                                hint="e.g. " + _example(levels, cli) + " or orders=[(2, 1), (1, 2)]") from None
    if not raw:
        raise ArgumentError("no priority order was given", hint=example)
    known = {str(lv): lv for lv in levels}
    out = []
    for i, items in enumerate(raw, 1):
        order = []
        for item in items:
            key = str(item).strip()
            if key not in known:
                raise ArgumentError(f"order {i} ({', '.join(map(str, items))}) names level {key!r}, which no goal "
                                    f"or objective has; the levels are {', '.join(known)}",
                                    hint=(did_you_mean(key, ["all"]) if len(raw) == 1 and len(items) == 1 else None)
                                    or "name the levels by their priority numbers, " + example)
            order.append(known[key])
        if sorted(map(str, order)) != sorted(known) or len(order) != len(levels):
            raise ArgumentError(f"order {i} ({', '.join(map(str, items))}) must name every priority level once "
                                f"(the levels are {', '.join(known)})",
                                hint="separate orders by ';' and levels by ',', " + example)
        out.append(tuple(order))
    seen, unique = set(), []
    for o in out:
        if o not in seen:
            seen.add(o)
            unique.append(o)
    return tuple(unique)


def check_orders(spec, levels: tuple, force: bool = False, cli: bool = False) -> tuple[tuple[tuple, ...], list[str]]:
    """:func:`parse_orders` with the level limit: ``"all"`` over more than :data:`MAX_LEVELS`
    levels raises :class:`~goalprog.core.errors.ArgumentError` unless ``force``; from
    :data:`WARN_LEVELS` levels (or an explicit list repeating an order, or a single level) a
    warning says so.  ``cli``: as for :func:`parse_orders`.  Returns ``(orders, warnings)``."""
    levels = tuple(levels)
    warnings = []
    n = len(levels)
    every = isinstance(spec, str) and spec.strip().lower() == "all"
    if every and n > MAX_LEVELS and not force:
        raise ArgumentError(f"{'--orders all' if cli else 'orders=' + repr(spec)} over {n} priority levels is "
                            f"{math.factorial(n):,} preemptive chains; at most {MAX_LEVELS} levels "
                            f"({math.factorial(MAX_LEVELS)} orders) without {'--force' if cli else 'force=True'}",
                            hint="list the orders you want (--orders '2,1,3;...'), or add --force" if cli else
                            "list the orders you want (orders='2,1,3;...'), or pass force=True")
    orders = parse_orders(spec, levels, cli)
    if every and n >= WARN_LEVELS:
        warnings.append(f"{n} priority levels: solving all {math.factorial(n):,} orders "
                        f"({_trie_size(n):,} level solves with the shared prefixes reused)")
    if n == 1:
        warnings.append("the problem has one priority level: there is only one order")
    if not every and not isinstance(spec, str):
        pass
    return orders, warnings


def _trie_size(n: int) -> int:
    return sum(math.factorial(n) // math.factorial(n - d) for d in range(1, n + 1))


def goal_values(model, x) -> dict:
    """Goal label -> the goal expression's value at ``x`` (then each plain objective, by label)."""
    g = model.goals
    out = {}
    if len(g):
        vals = g.values(x, model.row_activity(x))
        for origin, v in zip(g.origins, vals.tolist()):
            out[origin.label] = float(v)
    for o in model.objectives:
        out[o.origin.label] = float(o.expr.value(x))
    return out


def _entry(order, result) -> OrderEntry:
    if result.x is None:
        return OrderEntry(tuple(order), result.status, result.message)
    ach = {lv["level"]: lv["achievement"] for lv in result.level_values()}
    return OrderEntry(tuple(order), result.status, result.message if result.status is not Status.OPTIMAL else "",
                      {lv: ach.get(lv) for lv in order}, goal_values(result.model, result.x))


def solve_branch(model, backend, options, settings, orders) -> tuple[list[OrderEntry], int]:
    """Solve ``orders`` (tuples of the same levels) on one process, depth first over their
    prefix trie (see the module's docstring).  ``backend``: a backend or its name;
    ``settings``: the chain's :class:`~goalprog.solve.strategies.common.Settings` (its
    ``progress`` is not used; trade-off rates are off).  Returns the entries (in the order of
    ``orders``, ``plan`` not yet set) and the number of level solves."""
    from .backends.base import get_backend
    from .strategies.preemptive import run

    be = get_backend(backend) if isinstance(backend, str) else backend
    base = replace(settings, progress=None, rates="off", resume=None, stop_at=None, order=None)
    n = len(orders[0]) if orders else 0
    if any(float(lam) < 1.0 for lam in settings.levels.values()):
        # a level with a min-max column: each order is a chain of its own (a continued chain does not
        # rebuild the min-max columns)
        entries, solves = [], 0
        for order in orders:
            s = replace(base, order=tuple(order))
            entries.append(_entry(order, run(model, be, options, s.lock, s.accept_feasible, s)))
            solves += n
        return entries, solves
    path: list = []  # (prefix, result) of the current order's solved prefixes
    entries: dict = {}
    failures: dict = {}  # prefix -> the result of the chain that stopped there
    solves = 0
    for order in sorted(orders, key=lambda o: tuple(map(str, o))):
        keep = 0
        while keep < len(path) and keep < n and path[keep][0] == order[:keep + 1]:
            keep += 1
        del path[keep:]
        failed = next((failures[order[:d]] for d in range(1, n) if order[:d] in failures), None)
        for d in range(len(path) + 1, n + 1 if failed is None else 0):
            parent = path[-1][1] if path else None
            last = d == n
            s = replace(base, order=tuple(order), resume=parent, stop_at=None if last else d,
                        pareto=settings.pareto if last else "off")
            result = run(model, be, options, s.lock, s.accept_feasible, s)
            solves += 1
            if parent is not None and result.status is not Status.OPTIMAL:
                # the continued chain cannot lift its parent's bound restrictions (the fallback of a chain
                # that solves in one session): the whole prefix again, from the start
                s = replace(s, resume=None)
                result = run(model, be, options, s.lock, s.accept_feasible, s)
                solves += d
            solved = sum(1 for r in result.stage_records if r.solved)
            if not last and (not result.status.has_solution or solved < d):
                failed = failures[tuple(order[:d])] = result
                break
            path.append((tuple(order[:d]), result))
        final = failed if failed is not None else path[-1][1]
        entries[tuple(order)] = _entry(order, final)
    return [entries[tuple(o)] for o in orders], solves


def _same(a: dict, b: dict, tol: float = SAME_PLAN) -> bool:
    if a.keys() != b.keys():
        return False
    x = np.array(list(a.values()), dtype=float)
    y = np.array([b[k] for k in a], dtype=float)
    return bool(np.all(np.abs(x - y) <= tol * np.maximum(1.0, np.maximum(np.abs(x), np.abs(y)))))


def group_plans(entries) -> list[OrderEntry]:
    """``entries`` with ``plan`` numbered: orders whose goal values agree (:data:`SAME_PLAN`)
    share a number, in the order the plans first appear."""
    reps: list[dict] = []
    out = []
    for e in entries:
        if not e.goals:
            out.append(e)
            continue
        for i, rep in enumerate(reps):
            if _same(rep, e.goals):
                out.append(replace(e, plan=i + 1))
                break
        else:
            reps.append(e.goals)
            out.append(replace(e, plan=len(reps)))
    return out


def solve_orders(model, backend, options, settings, orders, executor=None, warnings=()) -> PriorityOrders:
    """The preemptive plan of each order of ``orders`` (see the module's docstring).

    ``model``: the compiled :class:`~goalprog.model.ir.LinearModel`; ``backend`` (a backend or
    its name), ``options`` (:class:`~goalprog.solve.backends.base.SolveOptions`) and ``settings``
    (:class:`~goalprog.solve.strategies.common.Settings`) as for the preemptive strategy;
    ``orders``: tuples of levels (:func:`parse_orders`); ``executor``: run the first level's
    subtrees as tasks of this :class:`concurrent.futures.Executor` (its tasks get the model,
    the backend's name, the options and settings pickled), else serially.  Returns a
    :class:`PriorityOrders`.  A chain that fails is an entry with its status, not an error."""
    orders = tuple(tuple(o) for o in orders)
    levels = model.priorities()
    name = backend if isinstance(backend, str) else backend.name
    by_first: dict = {}
    for o in orders:
        by_first.setdefault(o[0], []).append(o)
    done: dict = {}
    solves = 0
    if executor is not None and len(by_first) > 1:
        s = replace(settings, progress=None)
        futures = [executor.submit(solve_branch, model, name, options, s, branch) for branch in by_first.values()]
        for branch, fut in zip(by_first.values(), futures):
            entries, k = fut.result()
            solves += k
            done.update(zip(branch, entries))
    else:
        entries, solves = solve_branch(model, backend, options, settings, list(orders))
        done.update(zip(orders, entries))
    return PriorityOrders(tuple(levels), tuple(group_plans([done[o] for o in orders])), tuple(warnings), solves)
