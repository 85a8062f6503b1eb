"""The tables of a :class:`~goalprog.solve.results.Result` as pandas DataFrames, and
:meth:`Result.value <goalprog.solve.results.Result.value>` (one value by name, label or
``(name, index)``).

Index columns whose members are whole numbers, priorities and levels are pandas nullable integer
columns (``Int64``): an item without that index set shows ``<NA>``, and the others keep ``1``, never
``1.0``.  pandas is imported only when a table is asked for.
"""

from __future__ import annotations

import numbers

import json
import re
from typing import Any

import numpy as np

from ..core.errors import ArgumentError, did_you_mean

GOAL_COLUMNS = ["goal", "label", "units", "kind", "target", "target_high", "value", "under", "over",
                "under_priority", "under_weight", "over_priority", "over_weight", "met", "contribution",
                "normalized", "percent_of_target"]
LEVEL_COLUMNS = ["level", "sense", "achievement", "stage_value", "bound", "gap", "status", "lock", "lock_sense",
                 "lock_binding", "lock_style", "shadow_price", "trade_off_note", "improved", "goals"]


class UnknownResultKey(ArgumentError, KeyError):
    """A name, label or ``(name, index)`` that :meth:`Result.value
    <goalprog.solve.results.Result.value>` does not know (also a :class:`KeyError`, which it raised
    before)."""


def nullable_ints(df, columns):
    """``df`` with each of ``columns`` whose values are all whole numbers (missing ones aside) as a
    pandas ``Int64`` column (in place; returns ``df``)."""
    for c in columns:
        if c not in df.columns or str(df[c].dtype) == "Int64":
            continue
        s = df[c]
        present = s[s.notna()]
        if s.dtype == object:
            if not all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in present):
                continue
        elif s.dtype.kind == "f":
            if not bool(np.all(np.mod(present.to_numpy(), 1) == 0)):
                continue
        elif s.dtype.kind not in "iu":
            continue
        df[c] = s.astype("Int64")
    return df


def frame(result, rows: list[dict], kind: str, name_col: str, columns: list[str]):
    """A DataFrame with the ``index`` tuple spread into one column per set (tidy form)."""
    import pandas as pd

    index_cols: list[str] = []
    out = []
    reserved = set(columns) | {name_col}
    for r in rows:
        names = result.model.index_names.get((kind, r[name_col]), ())
        if len(names) != len(r["index"]):
            names = tuple(f"index_{k + 1}" for k in range(len(r["index"])))
        # a set called like a result column ("value", "label", ...) gets an "index:" prefix
        names = tuple(f"index:{n}" if n in reserved else n for n in names)
        row = {k: v for k, v in r.items() if k != "index"}
        for n, v in zip(names, r["index"]):
            if n not in index_cols:
                index_cols.append(n)
            row[n] = v
        out.append(row)
    rest = [c for c in columns if c not in (name_col, "index")]
    df = pd.DataFrame(out, columns=[name_col] + [c for c in index_cols if c not in rest] + rest)
    return nullable_ints(df, [c for c in index_cols if c not in rest])


def instance_frame(result, kind: str, columns: list[str]):
    """:attr:`Result.variables` / :attr:`Result.expressions` as a DataFrame, built from columns."""
    import pandas as pd

    if result.x is None:
        return frame(result, [], kind, kind, columns)
    c = result._instances(kind)
    rest = [k for k in columns if k != kind]
    data = {kind: c["name"]}
    data.update({k: v for k, v in c["index_cols"].items() if k not in rest})
    data.update({k: c[k] for k in rest if k != "label"})
    data["label"] = c["label"]
    order = [kind] + [k for k in c["index_cols"] if k not in rest] + rest
    df = pd.DataFrame({k: data[k] for k in order}, columns=order)
    return nullable_ints(df, [k for k in c["index_cols"] if k not in rest])


def goals_frame(result):
    df = frame(result, result._goal_rows(), "goal", "goal", GOAL_COLUMNS)
    return nullable_ints(df, ["under_priority", "over_priority"])


def levels_frame(result):
    import pandas as pd

    df = pd.DataFrame(result.level_values(), columns=LEVEL_COLUMNS)  # the JSON levels' columns, in this order
    return nullable_ints(df, ["level"])


def stages_frame(result):
    import pandas as pd

    df = pd.DataFrame([{
        "stage": s.name, "priority": s.priority, "status": s.status.value, "termination": s.termination.value,
        "solution": s.solution.value, "objective": s.objective, "bound": s.bound, "gap": s.gap,
        "time": s.time, "solver": s.solver, "lock": s.lock, "lock_sense": s.lock_sense,
        "lock_style": s.lock_style} for s in result.stages],
        columns=["stage", "priority", "status", "termination", "solution", "objective", "bound", "gap", "time",
                 "solver", "lock", "lock_sense", "lock_style"])
    return nullable_ints(df, ["priority"])


# ------------------------------------------------------------------------------------------------
# one value: Result.value
# ------------------------------------------------------------------------------------------------

_KINDS = ("variable", "expression", "goal")


def _items(result) -> dict:
    """name -> (kind, [(index tuple, value)]) for every decision variable, named expression, goal
    and plain objective (the first kind wins a name two kinds share: variables, then expressions,
    goals, objectives)."""
    cache = result._cache
    if "value_items" in cache:
        return cache["value_items"]
    items: dict = {}
    for kind in ("variable", "expression"):
        c = result._instances(kind)
        for name, index, value in zip(c["name"], c["index"], c["value"]):
            entry = items.setdefault(name, (kind, []))
            if entry[0] == kind:
                entry[1].append((tuple(index), float(value)))
    for r in result._goal_rows():
        entry = items.setdefault(r["goal"], ("goal", []))
        if entry[0] == "goal":
            entry[1].append((tuple(r["index"]), r["value"]))
    for o, v in zip(result.model.objectives, result._objective_values()):
        entry = items.setdefault(o.origin.name, ("objective", []))
        if entry[0] == "objective":
            entry[1].append((tuple(o.origin.index), float(v)))
    cache["value_items"] = items
    return items


def parse_label(text: str) -> tuple[str, tuple] | None:
    """``'invest[A]'`` -> ``('invest', ('A',))``; ``'x["a,b",3]'`` -> ``('x', ('a,b', 3))`` (a quoted
    member is text, a bare whole number an int); ``None`` when ``text`` is not ``name[...]``."""
    m = re.fullmatch(r'\s*("(?:[^"\\]|\\.)*"|[^\[\]"]+?)\s*\[(.*)\]\s*', text, re.S)
    if not m:
        return None
    try:
        name = json.loads(m[1]) if m[1].startswith('"') else m[1]
    except ValueError:
        return None
    body, i, parts = m[2], 0, []
    decoder = json.JSONDecoder()
    while True:
        while i < len(body) and body[i] == " ":
            i += 1
        if i < len(body) and body[i] == '"':
            try:
                member, i = decoder.raw_decode(body, i)
            except ValueError:
                return None
            while i < len(body) and body[i] == " ":
                i += 1
        else:
            j = body.find(",", i)
            j = len(body) if j < 0 else j
            token = body[i:j].strip()
            if not token:
                return None
            member = int(token) if re.fullmatch(r"-?\d+", token) else token
            i = j
        parts.append(member)
        if i >= len(body):
            return name, tuple(parts)
        if body[i] != ",":
            return None
        i += 1


def _find(entries: list, index: tuple):
    """The value at ``index`` among ``entries``: exact members first, then members written alike
    (``'3'`` finds 3)."""
    for k, v in entries:
        if k == index:
            return True, v
    text = tuple(str(p) for p in index)
    for k, v in entries:
        if tuple(str(p) for p in k) == text:
            return True, v
    return False, None


def _label(name: str, index: tuple) -> str:
    return f"{name}[{','.join(str(p) for p in index)}]" if index else name


def value_of(result, key) -> Any:
    """:meth:`Result.value <goalprog.solve.results.Result.value>` (see there)."""
    items = _items(result)
    name, index = key, None
    if isinstance(key, tuple):
        if len(key) != 2 or not isinstance(key[0], str):
            raise UnknownResultKey(f"{key!r}: expected a name, a label or a (name, index) pair",
                                   hint="e.g. value('make'), value('make[pants]') or value(('make', 'pants'))")
        name, index = key
        index = tuple(index) if isinstance(index, (tuple, list)) else (index,)
        for m in index:  # pd.NA, None, NaN or an object: never compared with the members (pd.NA raises)
            if isinstance(m, bool) or not isinstance(m, (str, numbers.Real)) or m != m:
                raise UnknownResultKey(f"{key!r}: an index member is a name or a number, got {m!r}",
                                       hint="e.g. value(('make', 'pants')) or value(('x', 1))")
    elif not isinstance(key, str):
        raise UnknownResultKey(f"{key!r}: expected a name, a label or a (name, index) pair",
                               hint="e.g. value('make'), value('make[pants]') or value(('make', 'pants'))")
    elif key not in items:
        labels = _labels(result)  # a label exactly as the tables print it
        if key in labels:
            return labels[key]
        parsed = parse_label(key)
        if parsed is not None and parsed[0] in items:
            name, index = parsed
    if name not in items:
        raise UnknownResultKey(f"{str(key)!r} is not a decision variable, named expression, goal or objective of "
                               f"'{result.model.name}', nor the label of one of their instances",
                               hint=did_you_mean(str(key) if index is None else name, _candidates(result, items))
                               or _names_hint(items))
    kind, entries = items[name]
    if index is None:
        return _whole(result, name, kind, entries)
    found, value = _find(entries, index)
    if not found:
        if len(entries) == 1 and not entries[0][0]:
            raise UnknownResultKey(f"the {kind} '{name}' is not indexed: it has no member {_label('', index)}",
                                   hint=f"value({name!r})")
        labels = [_label(name, k) for k, _ in entries]
        raise UnknownResultKey(f"the {kind} '{name}' has no instance {_label(name, index)}",
                               hint=did_you_mean(_label(name, index), labels)
                               or f"its instances are: {', '.join(labels[:8])}" + (" ..." if len(labels) > 8 else ""))
    return value


def _labels(result) -> dict:
    """label (as the tables print it) -> value, for indexed instances."""
    cache = result._cache
    if "value_labels" not in cache:
        out: dict = {}
        for name, (kind, entries) in _items(result).items():
            for k, v in entries:
                if k:
                    out.setdefault(_label(name, k), v)
        cache["value_labels"] = out
    return cache["value_labels"]


def _candidates(result, items: dict) -> list:
    return list(items) + list(_labels(result))


def _names_hint(items: dict) -> str:
    names = list(items)
    return (f"the names are: {', '.join(names[:15])}" + (f" and {len(names) - 15} more" if len(names) > 15 else "")
            if names else "the result has no variables, expressions or goals")


def _whole(result, name: str, kind: str, entries: list):
    """A float for an item that is not indexed, else a Series indexed by its members."""
    if len(entries) == 1 and entries[0][0] == ():
        return entries[0][1]
    import pandas as pd

    names = list(result.model.index_names.get((kind, name), ()))
    keys = [k if len(k) > 1 else k[0] for k, _ in entries]
    if keys and isinstance(keys[0], tuple):
        index = pd.MultiIndex.from_tuples(keys, names=names or None)
    else:
        index = pd.Index(keys, name=names[0] if names else None)
    return pd.Series([v for _, v in entries], index=index, name=name)
