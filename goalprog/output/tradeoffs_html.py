"""The report's sections for ``goalprog solve --orders`` and ``--equivalent-weights``: the plans of
the priority orders (grouped by plan, with each plan's goal values) and the equivalent weights,
as HTML (the same content as the command line's text tables; see
:mod:`goalprog.solve.orders` and :mod:`goalprog.solve.equivalent`)."""

from __future__ import annotations

from ..core.formatting import fmt
from .tables import _table  # noqa: PLC2701 - same package
from .tables import escape

__all__ = ["tradeoff_sections"]

MAX_PLANS_SHOWN = 12
"""Plans shown as columns of the goal-value table (``-f json`` / ``-f csv`` list all)."""


def _orders_html(o, limit: int) -> str:
    groups = o.groups
    out = ['<section id="orders"><h2>Priority orders</h2>',
           f'<p class="gp-note">{len(o.entries):,} orders, {len(groups):,} plans ({o.level_solves:,} level solves, '
           f'{len(o.levels) * len(o.entries):,} without shared prefixes); orders most important first.</p>']
    out += [f'<p class="gp-note">warning: {escape(w)}</p>' for w in o.warnings]
    rows = [[str(plan), escape("; ".join(" > ".join(map(str, e.order)) for e in members)),
             escape(", ".join(f"{lv}: {fmt(v)}" for lv, v in sorted(members[0].achievements.items(),
                                                                     key=lambda kv: str(kv[0]))))]
            for plan, members in groups]
    rows += [["-", escape(" > ".join(map(str, e.order))), escape(f"{e.status.value}: {e.message}")]
             for e in o.entries if e.plan is None]
    out.append('<div class="scroll">' + _table([("plan", "num"), ("orders", ""), ("achievement by level", "")],
                                               rows[:limit]) + "</div>")
    if groups:
        shown = groups[:MAX_PLANS_SHOWN]
        labels = list(shown[0][1][0].goals)[:limit]
        cells = [[escape(label)] + [escape(fmt(m[0].goals.get(label))) for _, m in shown] for label in labels]
        out.append('<div class="scroll">' + _table([("goal", "")] + [(f"plan {p}", "num") for p, _ in shown], cells,
                                                   caption="Goal values by plan") + "</div>")
    out.append("</section>")
    return "".join(out)


def _weights_html(w) -> str:
    out = ['<section id="equivalent-weights"><h2>Equivalent weights</h2>']
    if w.weights is None:
        out.append(f'<p class="gp-note">none: {escape(w.reason or "")}</p></section>')
        return "".join(out)
    rows = [[escape(label), escape(", ".join(f"{side} {fmt(x)}" for side, x in v.items()) if isinstance(v, dict)
                                   else fmt(v))] for label, v in w.weights.items()]
    out.append('<p class="gp-note">Weighted GP with these weights gives the preemptive plan.</p>')
    out.append('<div class="scroll">' + _table([("goal", ""), ("weight", "num")], rows) + "</div>")
    mult = ", ".join(f"level {lv}: {fmt(m)}" for lv, m in w.multipliers.items())
    note = (f"level multipliers (each level's weights times): {mult}; each may change by {w.margin:.0%} and the "
            "plan stays optimal; checked by a weighted solve")
    out.append(f'<p class="gp-note">{escape(note)}</p>')
    out.append("</section>")
    return "".join(out)


def tradeoff_sections(orders=None, weights=None, limit: int = 1000) -> str:
    """The report's ``<section id="orders">`` (``orders``: a
    :class:`~goalprog.solve.orders.PriorityOrders`) and ``<section id="equivalent-weights">``
    (``weights``: an :class:`~goalprog.solve.equivalent.EquivalentWeights`), each only when given;
    at most ``limit`` rows per table.  All user text is escaped."""
    return (_orders_html(orders, limit) if orders is not None else "") + \
        (_weights_html(weights) if weights is not None else "")
