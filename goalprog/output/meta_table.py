"""The meta-goals of a result (:attr:`goalprog.solve.results.Result.meta`) as text rows and as
HTML tables: each meta-goal's measure, target, achieved value and whether it is met, and the
big-M bound of every ``unmet`` indicator with where the bound came from."""

from __future__ import annotations

from ..core.formatting import fmt

MEASURE_TEXT = {"total": "total weighted deviation", "worst": "largest weighted deviation",
                "unmet": "goals not met"}

META_HEADERS = ("meta-goal", "measure", "target", "priority", "weight", "achieved", "met")
BIG_M_HEADERS = ("goal", "deviation", "big-M", "bound from")


def meta_rows(result) -> list[tuple[str, ...]]:
    """One row of text per meta-goal (:data:`META_HEADERS`); ``[]`` without meta-goals."""
    if result.meta is None:
        return []
    out = []
    for r in result.meta.goals:
        measure = MEASURE_TEXT[r["of"]] + (f" (level {r['level']})" if r["level"] is not None else " (all goals)")
        met = "" if r["met"] is None else ("yes" if r["met"] else "no")
        out.append((r["name"], measure, f"<= {fmt(r['at_most'])}", str(r["priority"]), fmt(r["weight"]),
                    fmt(r["achieved"]), met))
    return out


def big_m_rows(result) -> list[tuple[str, ...]]:
    """One row of text per goal side an ``unmet`` indicator switches (:data:`BIG_M_HEADERS`)."""
    if result.meta is None:
        return []
    return [(b["goal"], b["side"], fmt(b["big_m"]), b["bound_from"]) for b in result.meta.big_m]


def meta_html(result) -> str:
    """The meta-goal and big-M tables as HTML (``""`` without meta-goals)."""
    from .tables import _table, escape

    rows = meta_rows(result)
    if not rows:
        return ""
    num = {"target", "priority", "weight", "achieved"}
    out = _table([(h, "num" if h in num else "") for h in META_HEADERS], [[escape(c) for c in r] for r in rows],
                 cls="gp-meta")
    big = big_m_rows(result)
    if big:
        out += _table([(h, "num" if h == "big-M" else "") for h in BIG_M_HEADERS],
                      [[escape(c) for c in r] for r in big], cls="gp-big-m",
                      caption="big-M of each unmet indicator (d &le; M z): a bound on the unwanted deviation")
    return out
