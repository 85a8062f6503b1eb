"""What ``goalprog solve --orders`` and ``--equivalent-weights`` add to the solve's output: the
plans of the priority orders (grouped by plan) and the equivalent weights, as rich tables, JSON
keys (``orders``, ``orders_summary``, ``equivalent_weights``, ``equivalent_weights_info``) and
CSV tables (``orders``, ``equivalent_weights``).  See :mod:`goalprog.solve.orders` and
:mod:`goalprog.solve.equivalent`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.formatting import fmt

MAX_PLANS_SHOWN = 12
"""Plans shown as columns of the text table of goal values (``-f json`` / ``-f csv`` list all)."""


@dataclass
class Extras:
    """The extra outputs of one ``goalprog solve`` run: ``orders`` (a
    :class:`~goalprog.solve.orders.PriorityOrders` or ``None``) and ``weights`` (an
    :class:`~goalprog.solve.equivalent.EquivalentWeights` or ``None``)."""

    orders: object = None
    weights: object = None

    def json(self) -> dict:
        """The JSON keys these add to the solve's JSON."""
        out: dict = {}
        if self.orders is not None:
            o = self.orders
            out["orders"] = o.to_dict()
            n = len(o.levels)
            out["orders_summary"] = {"levels": list(o.levels), "orders": len(o.entries), "plans": len(o.groups),
                                     "level_solves": o.level_solves, "level_solves_without_reuse": n * len(o.entries),
                                     "warnings": list(o.warnings)}
        if self.weights is not None:
            d = self.weights.to_dict()
            out["equivalent_weights"] = d.pop("weights")
            out["equivalent_weights_info"] = d
        return out

    def exit_code(self, code: int, quiet: bool = False) -> int:
        """The exit code of ``goalprog solve`` given the main solve's ``code``: that code when it is
        not 0, else the code of the first order (as listed) that did not end optimal, as the main
        solve's status would give it (7 for a solver error, 6 for a limit ...).  As ``goalprog
        sweep`` names its failed runs, the orders that did not end optimal are counted on stderr,
        with up to 3 of them (distinct messages) by order, status and message (not with ``quiet``)."""
        from .common import echo_err, status_exit
        from ..core.status import Status

        if self.orders is None:
            return code
        failed = [e for e in self.orders.entries if e.status is not Status.OPTIMAL]
        if not failed:
            return code
        if not quiet:
            n = len(self.orders.entries)
            echo_err(f"orders: {len(failed)} of {n} order{'s' if n != 1 else ''} did not end optimal")
            seen = []
            for e in failed:
                if e.message not in seen and len(seen) < 3:
                    seen.append(e.message)
                    echo_err(f"  order {' > '.join(map(str, e.order))} ({e.status.value}): {e.message or 'no message'}")
        return code or status_exit(failed[0].status)

    def tables(self) -> dict:
        """CSV tables: ``orders`` (one row per order: ``order``, ``status``, ``plan``, each level's
        achievement as ``level <p>``, each goal's value) and ``equivalent_weights`` (``goal``,
        ``side``, ``weight``; with no weights one row whose ``reason`` says why)."""
        import pandas as pd

        out = {}
        if self.orders is not None:
            rows = []
            for e in self.orders.entries:
                row = {"order": " > ".join(map(str, e.order)), "status": e.status.value, "plan": e.plan}
                row.update({f"level {lv}": e.achievements.get(lv) for lv in self.orders.levels})
                row.update(e.goals)
                rows.append(row)
            out["orders"] = pd.DataFrame(rows)
        if self.weights is not None:
            rows = []
            for label, w in (self.weights.weights or {}).items():
                if isinstance(w, dict):
                    rows += [{"goal": label, "side": side, "weight": v} for side, v in w.items()]
                else:
                    rows.append({"goal": label, "side": "", "weight": w})
            if self.weights.weights is None:
                rows.append({"goal": "", "side": "", "weight": None, "reason": self.weights.reason})
            out["equivalent_weights"] = pd.DataFrame(rows, columns=["goal", "side", "weight", "reason"])
        return out

    def print(self, console, table, escape) -> None:
        """The text tables, on a rich ``console``; ``table(title)`` makes a table, ``escape`` makes
        text safe."""
        if self.orders is not None:
            self._print_orders(console, table, escape)
        if self.weights is not None:
            self._print_weights(console, table, escape)

    def _print_orders(self, console, table, escape) -> None:
        o = self.orders
        groups = o.groups
        for w in o.warnings:
            console.print(f"[yellow]warning:[/yellow] {escape(w)}")
        t = table(f"Priority orders: {len(o.entries)} orders, {len(groups)} plans "
                  f"({o.level_solves} level solves, {len(o.levels) * len(o.entries)} without shared prefixes)")
        t.add_column("plan", justify="right")
        t.add_column("orders (most important first)")
        t.add_column("achievement by level", justify="left")
        for plan, members in groups:
            ach = members[0].achievements
            t.add_row(str(plan), escape("; ".join(" > ".join(map(str, e.order)) for e in members)),
                      escape(", ".join(f"{lv}: {fmt(v)}" for lv, v in sorted(ach.items(), key=lambda kv: str(kv[0])))))
        for e in o.entries:
            if e.plan is None:
                t.add_row("-", escape(" > ".join(map(str, e.order))), escape(f"{e.status.value}: {e.message}"))
        console.print(t)
        if not groups:
            return
        shown = groups[:MAX_PLANS_SHOWN]
        t = table("Goal values by plan")
        t.add_column("goal")
        for plan, _ in shown:
            t.add_column(f"plan {plan}", justify="right")
        labels = list(shown[0][1][0].goals)
        for label in labels[:1000]:
            t.add_row(escape(label), *[fmt(members[0].goals.get(label)) for _, members in shown])
        console.print(t)
        if len(groups) > len(shown) or len(labels) > 1000:
            console.print(f"(the first {len(shown)} plans and {min(len(labels), 1000)} goals shown; -f json or "
                          "-f csv lists them all)")

    def _print_weights(self, console, table, escape) -> None:
        w = self.weights
        if w.weights is None:
            console.print(f"equivalent weights: none: {escape(w.reason or '')}")
            return
        t = table("Equivalent weights (weighted GP with these gives the preemptive plan)")
        t.add_column("goal")
        t.add_column("weight", justify="right")
        for label, v in w.weights.items():
            text = ", ".join(f"{side} {fmt(x)}" for side, x in v.items()) if isinstance(v, dict) else fmt(v)
            t.add_row(escape(label), text)
        console.print(t)
        mult = ", ".join(f"level {lv}: {fmt(m)}" for lv, m in w.multipliers.items())
        console.print(escape(f"level multipliers (each level's weights times): {mult}; each may change by "
                             f"{w.margin:.0%} and the plan stays optimal; checked by a weighted solve"))
        if len(w.least) == 2:
            (l1, m1), (l2, m2) = w.least.items()
            console.print(escape(f"any level {l1} / level {l2} multiplier ratio above {fmt(m1 / m2)} gives this plan "
                                 "(at the ratio itself it ties with another plan)"))


def check_method(problem, method) -> str | None:
    """Why ``--orders`` / ``--equivalent-weights`` cannot run with ``method`` (else ``None``)."""
    m = method or problem.method
    if m not in ("preemptive", "lexicographic"):
        return (f"--orders and --equivalent-weights are of the preemptive method (priority levels); the method here "
                f"is {m}")
    return None
