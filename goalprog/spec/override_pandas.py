"""A pandas Series or DataFrame as the values of an indexed parameter, matched by label.

``goalprog.load(f, params={"cap": pd.Series({"E": 10000, "A": 50000})})`` gives ``cap[A]`` the value
labelled ``A``, whatever the order of the Series: values are matched to the members of the
parameter's index sets by their index labels (a MultiIndex, one level per index part, for a
parameter over several sets or a set of tuples), never by position.  A DataFrame is read by column
name: its column named as the parameter (then as a Series), or, for a parameter over two or more
index parts, rows for the first parts and one column per member of the last (a missing cell is no
value).

The labels must be members: an unknown label is refused, and so is a member left without a value
when the parameter has no ``default:`` (the error names both, the first few of each).  The values
replace all of the parameter's values (a whole new definition keeping its index, default,
description and units).  Called by :func:`goalprog.spec.overrides.apply_overrides`.
"""

from __future__ import annotations

import math
from typing import Any

from .override_doc import OverrideState, is_pandas, labelled_items, make_doc, plain

_SHOWN = 8  # labels named in a message; the rest are counted


def _label_text(key: tuple) -> str:
    return str(key[0]) if len(key) == 1 else "(" + ", ".join(str(k) for k in key) + ")"


def _listed(keys: list) -> str:
    shown = ", ".join(_label_text(k) for k in keys[:_SHOWN])
    return shown + (f" and {len(keys) - _SHOWN:,} more" if len(keys) > _SHOWN else "")


def _bound_sets(state: OverrideState):
    """The sets of the document as changed so far, bound (``None`` after an issue)."""
    from ..core.errors import ProblemFileError
    from .data import bind_data
    from .schema import validate_document

    doc = make_doc(state.doc, state.data, state.overridden)
    try:
        spec = validate_document(doc)
        return bind_data(spec, doc, None, state.data_root).sets
    except ProblemFileError as exc:
        state.issues.extend(exc.issues)
        return None


def labelled_definition(state: OverrideState, key: str, name: str, value: Any) -> Any:
    """The new definition of parameter ``name`` from the pandas object ``value``, its cells
    matched to members by label; ``plain(value)`` for a parameter that is not indexed (its own
    check then refuses it); ``None`` after an issue of ``state`` under ``key``."""
    from .data import index_names

    kind = is_pandas(value)
    cur = state.params().get(name)
    index = index_names(cur.get("index")) if isinstance(cur, dict) else ()
    if not index:
        return plain(value)
    sets = _bound_sets(state)
    if sets is None:
        return None
    if any(s not in sets for s in index):
        return plain(value)  # an unknown set: the schema's own message says so
    positions = [(sets[s], k) for s in index for k in range(sets[s].arity)]
    n = len(positions)
    where = ("params", name)
    if kind == "DataFrame":
        if name in value.columns:
            value = value[name]
            kind = "Series"
        elif n < 2 or value.index.nlevels != n - 1:
            state.error(key, f"a DataFrame for the parameter '{name}' (indexed over {', '.join(index)}) needs a column "
                             f"named '{name}'" + (f", or rows for the first {n - 1} index part(s) and one column per "
                                                  f"member of the last" if n > 1 else ""), where,
                        hint=f"e.g. pd.Series({{member: value}}) or df['{name}']; its columns are: "
                             f"{', '.join(str(c) for c in list(value.columns)[:_SHOWN])}")
            return None
    if kind == "Series" and value.index.nlevels != n:
        state.error(key, f"the Series has {value.index.nlevels} index level(s) but the parameter '{name}' is indexed "
                         f"over {', '.join(index)} ({n} part(s))", where,
                    hint="give one index level per part: a pandas MultiIndex for several sets or a set of tuples")
        return None
    choices = []
    for sd, part in positions:
        exact = {m[part] for m in sd.members}
        written: dict = {}
        for m in sd.members:
            written.setdefault(str(m[part]), m[part])
        choices.append((exact, written))
    given: dict = {}
    unknown, nan, twice = [], [], []
    for label, v in labelled_items(value):
        label = tuple(plain(p) for p in label)
        key_ = []
        for part, (exact, written) in zip(label, choices):
            m = part if part in exact and not isinstance(part, bool) else written.get(str(part))
            key_.append(m)
        if None in key_ or not _in_sets(tuple(key_), index, sets):
            unknown.append(label)
            continue
        key_ = tuple(key_)
        v = plain(v)
        if isinstance(v, float) and math.isnan(v):
            nan.append(label)
            continue
        if key_ in given:
            twice.append(label)
            continue
        given[key_] = v
    missing = [] if cur.get("default") is not None else _missing(given, index, sets)
    if unknown or missing or nan or twice:
        parts = []
        if unknown:
            parts.append(f"{len(unknown):,} label(s) that are not members: {_listed(unknown)}")
        if missing:
            parts.append(f"no value for {len(missing):,} member(s): {_listed(missing)}")
        if nan:
            parts.append(f"NaN for {_listed(nan)}")
        if twice:
            parts.append(f"label(s) given twice: {_listed(twice)}")
        state.error(key, f"the {kind} for the parameter '{name}' (indexed over {', '.join(index)}) does not match its "
                         "members by label: " + "; ".join(parts), where,
                    hint="values are matched by their index labels, not by position; give one value per member"
                         + ("" if cur.get("default") is not None else " (or give the parameter a default:)"))
        return None
    values: dict = {}
    for k, v in given.items():
        node = values
        for part in k[:-1]:
            node = node.setdefault(part, {})
        node[k[-1]] = v
    keep = {k: v for k, v in cur.items() if k in ("default", "description", "units")}
    return {"index": cur["index"], **keep, "values": values}


def positional_array(state: OverrideState, key: str, name: str, value: Any) -> bool:
    """Refuse (an issue of ``state``, ``True``) a numpy array given for the indexed parameter
    ``name``: it has no labels, so it could only be read by position (set order), the mistake a
    Series is matched by label to avoid.  ``False`` for anything else."""
    from .data import index_names

    kind = type(value)
    if kind.__name__ != "ndarray" or not kind.__module__.startswith("numpy") or getattr(value, "ndim", 0) < 1:
        return False
    cur = state.params().get(name)
    index = index_names(cur.get("index")) if isinstance(cur, dict) else ()
    if not index:
        return False
    state.error(key, f"a numpy array for the parameter '{name}' (indexed over {', '.join(index)}) has no labels: it "
                     "could only be read by position, in set order, and goalprog does not guess that order",
                ("params", name),
                hint=f"give labels: a pandas Series indexed by member (pd.Series(values, index=members)) or a dict "
                     f"{{member: value}}; a list in set order is read by position on purpose (list(array))")
    return True


def _in_sets(key: tuple, index: tuple, sets: dict) -> bool:
    """Whether every set's slice of ``key`` is a member of it (a tuple set's parts together)."""
    start = 0
    for s in index:
        sd = sets[s]
        if sd.arity > 1 and key[start:start + sd.arity] not in sd.lookup:
            return False
        start += sd.arity
    return True


def _missing(given: dict, index: tuple, sets: dict, limit: int = 1_000_000) -> list:
    """The members (full keys) without a value, in set order (at most ``limit`` are looked at)."""
    import itertools

    total = math.prod(len(sets[s].members) for s in index)
    if total == len(given):
        return []
    out = []
    for combo in itertools.islice(itertools.product(*(sets[s].members for s in index)), limit):
        k = tuple(p for m in combo for p in m)
        if k not in given:
            out.append(k)
    return out
