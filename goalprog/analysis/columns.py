"""A sweep's column names: namespaced prefixes, labels of goal and variable instances, the order of
the columns, and short forms (``profit``) resolved to a column (see :mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import re

from ..core.errors import ArgumentError, did_you_mean

SOLVED = ("optimal", "feasible")
"""The statuses of a run that has a solution."""

VARY, GOAL, VARIABLE, LEVEL, SET = "vary:", "goal:", "variable:", "level:", "set:"
"""Prefixes of a sweep's namespaced columns (``set:KEY``: a value every run took from ``--set`` or
``overrides=``); the bookkeeping columns (``run``, ``status``, ``message``, ``method``,
``objective``, ``solve_time``, ``run_time``) have no ``:``."""

_BARE_NAME = re.compile(r'^[^\s\[\],"](?:[^\[\],"]*[^\s\[\],"])?$')


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _reads_as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _member_text(m) -> str:
    """A member in a label: a number as it reads, a text bare or quoted (never read as a number)."""
    import numbers

    if isinstance(m, numbers.Integral) and not isinstance(m, bool):
        return str(int(m))
    if isinstance(m, numbers.Real) and not isinstance(m, bool):
        return repr(float(m))  # has a '.', an 'e', 'inf' or 'nan': never the text of an int
    text = str(m)
    if _BARE_NAME.match(text) and not _reads_as_number(text):
        return text
    return _quoted(text)


def column_label(name: str, index=()) -> str:
    """The label of a goal or variable instance in a sweep's column names: ``make[pants,3]``.

    As :attr:`goalprog.model.ir.Origin.label`, except that a name or a text member that could be
    mistaken for another is written as a JSON string: one with ``[``, ``]``, ``,`` or ``"``, with
    spaces at either end, empty, or (a member) one that reads as a number, so the member ``"1"`` is
    ``make["1"]`` beside the member 1 (``make[1]``) and the member ``"a,b"`` is ``g["a,b"]``, not
    ``g[a,b]`` (the members ``a`` and ``b``).  Distinct (name, index) pairs of text and number
    members give distinct labels.
    """
    name = str(name)
    head = name if _BARE_NAME.match(name) else _quoted(name)
    if not index:
        return head
    return f"{head}[{','.join(_member_text(m) for m in index)}]"


def fixed_columns(records) -> tuple:
    """``(set:KEY, value)`` per override applied to every run of a sweep (``--set`` /
    ``overrides=``): a number or text as given, anything else as JSON text."""
    import json

    out = []
    for r in records:
        v = r.value
        if not (v is None or isinstance(v, (str, int, float))):
            v = json.dumps(v, default=str, ensure_ascii=False)
        out.append((SET + str(r.key), v))
    return tuple(out)


def vary_columns(keys) -> list[str]:
    return [VARY + str(k) for k in keys]

_HEAD_AFTER_KEYS = ("status", "message", "method", "objective")
_TAIL = ("solve_time", "run_time")


def column_order(rows: list[dict], keys: tuple) -> list[str]:
    seen: dict = {}
    for r in rows:
        for k in r:
            if k not in seen:
                seen[k] = None
    head = ["run", *vary_columns(keys), *(k for k in seen if str(k).startswith(SET)), *_HEAD_AFTER_KEYS]
    middle = [k for k in seen if k not in head and k not in _TAIL]
    return head + middle + list(_TAIL)


def resolve_column(name: str, columns) -> str:
    """A column of a sweep named in full or by a short form -> the column.

    A full column name (``goal:profit.value``, ``variable:make[pants]``, ``vary:budget``,
    ``run``, ``objective``, ...) is taken as it is.  Otherwise ``name`` is a short form, looked up
    as a goal label (``profit`` -> ``goal:profit.value``; ``profit.over`` -> ``goal:profit.over``),
    a variable label (``make[pants]``, or ``var.make[pants]`` as before namespacing), a varied key
    (``budget``) or a level (``1.achievement``, ``level_1.achievement``).  Raises
    :class:`~goalprog.core.errors.ArgumentError` when no column matches (with a did-you-mean hint) or
    when several do (listing them: write one in full).
    """
    columns = list(columns)
    name = str(name)
    if name in columns:
        return name
    found = [c for c in dict.fromkeys(_short_form_candidates(name)) if c in columns]
    if len(found) == 1:
        return found[0]
    shown = _cut(name)
    if found:
        raise ArgumentError(f"{shown!r} names {len(found)} columns of the sweep: {', '.join(found)}",
                            hint="write the whole column name")
    goals = [short_column(c) for c in columns if c.startswith(GOAL) and c.endswith(".value")]
    shorts = [short_column(c) for c in columns if not c.startswith(GOAL)]  # goals: by label only
    hint = did_you_mean(name, list(dict.fromkeys(goals + shorts)))
    raise ArgumentError(f"no goal or column called {shown!r} in the sweep",
                        hint=hint or f"goals: {', '.join(goals[:20])}")


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _short_form_candidates(name: str) -> list[str]:
    out = [f"{GOAL}{name}.value", GOAL + name, VARIABLE + name, VARY + name, LEVEL + name,
           f"{LEVEL}{name}.achievement"]
    if name.startswith("var."):
        out.append(VARIABLE + name[len("var."):])
    m = re.fullmatch(r"level_(.+?)(\.achievement)?", name)
    if m:
        out.append(f"{LEVEL}{m.group(1)}.achievement")
    return out


def short_column(column: str) -> str:
    """``goal:profit.value`` -> ``profit``; ``vary:budget`` -> ``budget``; ``variable:x`` -> ``x``."""
    if column.startswith(GOAL) and column.endswith(".value"):
        return column[len(GOAL):-len(".value")]
    for prefix in (GOAL, VARIABLE, VARY):
        if column.startswith(prefix):
            return column[len(prefix):]
    return column


def varied_columns(frame) -> list[str]:
    """The varied columns of a sweep's frame: ``vary:KEY``."""
    return [c for c in frame.columns if isinstance(c, str) and c.startswith(VARY)]
