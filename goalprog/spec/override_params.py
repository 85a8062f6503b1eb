"""Overriding a parameter: a scalar's value, an indexed parameter's members (merged into its
values, read first from its CSV file when it has one), all its values, or a whole new definition.

:func:`set_param` is called by :func:`goalprog.spec.overrides.apply_overrides` for each parameter
override, with the :class:`~goalprog.spec.override_doc.OverrideState` being changed.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .override_doc import PARAM_FIELDS, OverrideState, find_key, make_doc, short_value


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number_or_expression(state: OverrideState, key: str, name: str, value: Any) -> bool:
    if _is_number(value):
        if value != value:
            state.error(key, f"the parameter '{name}' cannot be NaN", hint=f"e.g. {name}=60000")
            return False
        return True
    if isinstance(value, str):
        if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?", value.strip()):
            state.error(key, f"{value!r} is not a number (a comma is not a thousands separator here)",
                        hint=f"write {value.replace(',', '')}")
            return False
        return True  # an expression over parameters: checked when the problem is compiled
    state.error(key, f"the parameter '{name}' is a single number; got {short_value(value)}",
                hint=f"e.g. {name}=60000; a whole new definition is a mapping with value:, values: or file:")
    return False


def set_param(state: OverrideState, key: str, name: str, member_parts: list, value: Any) -> None:
    """Set parameter ``name`` (or the member ``member_parts`` of it) to ``value`` in ``state``,
    marking what changed; a value of the wrong shape is an issue of ``state`` under ``key``."""
    params = state.params()
    cur = params[name]
    base = ("params", name)
    for part in reversed(member_parts):  # unit_profit.pants=12 -> {pants: 12}
        value = {part: value}
    is_def = isinstance(value, dict) and any(k in PARAM_FIELDS for k in value)
    if is_def and not member_parts:
        params[name] = value  # a whole new definition
        state.mark(base)
        return
    cur_map = cur if isinstance(cur, dict) else None
    index = cur_map.get("index") if cur_map is not None else None
    if index in (None, [], ""):  # a scalar parameter
        if member_parts:
            state.error(key, f"the parameter '{name}' is not indexed: it has no members", base,
                        hint=f"set it whole: {name}=...")
            return
        if not _number_or_expression(state, key, name, value):
            return
        if cur_map is None:
            params[name] = value if _is_number(value) else {"value": value}
            state.mark(base)
        else:
            params[name] = {k: v for k, v in cur_map.items() if k in ("description", "units")} | {"value": value}
            state.mark(base + ("value",))
        return
    # an indexed parameter
    keep = {k: v for k, v in cur_map.items() if k in ("index", "default", "description", "units")}
    if _is_number(value):  # every member
        params[name] = keep | {"values": {}, "default": value}
        state.mark(base + ("values",))
        state.mark(base + ("default",))
        return
    if isinstance(value, list):  # all values, in set order
        params[name] = keep | {"values": value}
        state.mark(base + ("values",))
        return
    if not isinstance(value, dict):
        state.error(key, f"the parameter '{name}' is indexed over {index}; got {short_value(value)}", base,
                    hint=f"give members: {name}.MEMBER=VALUE, {name}={{MEMBER: VALUE}}, a list in set order, "
                         "or one number for every member")
        return
    values = cur_map.get("values")
    if cur_map.get("file") is not None or not _nested_mapping(values):
        values = _materialise(state, key, name)
        if values is None:
            return
        params[name] = keep | {"values": values}
        cur_map = params[name]
        state.mark(base + ("values",))  # the values now come from the CSV file or list, and the override
    else:
        params[name] = dict(cur_map)
        params[name]["values"] = values = copy.deepcopy(values) if values is not None else {}
    _merge(state, values, value, base + ("values",))


def _nested_mapping(values: Any) -> bool:
    """Inline values that are mappings all the way down (no list in set order)."""
    if values is None:
        return True
    if isinstance(values, list):
        return False
    if isinstance(values, dict):
        return all(_nested_mapping(v) if isinstance(v, (dict, list)) else True for v in values.values())
    return True


def _merge(state: OverrideState, into: dict, new: dict, path: tuple) -> None:
    for k, v in new.items():
        real = find_key(into, k)
        if real is None:
            real = k
        if isinstance(v, dict) and isinstance(into.get(real), dict):
            _merge(state, into[real], v, path + (real,))
        else:
            into[real] = v
            state.mark(path + (real,))


def _materialise(state: OverrideState, key: str, name: str) -> dict | None:
    """The values of parameter ``name`` (from its CSV file or a list in set order) as nested
    mappings member -> value, so that single members can be replaced."""
    from ..core.errors import ProblemFileError
    from .data import bind_data
    from .schema import validate_document

    doc = make_doc(state.doc, state.data, state.overridden)
    try:
        spec = validate_document(doc)
        data = bind_data(spec, doc, None, state.data_root)
    except ProblemFileError as exc:
        state.issues.extend(exc.issues)
        return None
    pdata = data.params.get(name)
    if pdata is None:  # pragma: no cover - bind_data would have said why
        state.error(key, f"the values of parameter '{name}' could not be read")
        return None
    arities = [data.sets[s].arity for s in pdata.index]
    if any(a != 1 for a in arities):
        state.error(key, f"the parameter '{name}' is indexed over a set of tuples; its members cannot be set "
                         "one by one", ("params", name),
                    hint=f"set all of it with a new definition: {name}={{index: ..., file: ...}}")
        return None
    out: dict = {}
    for k, v in pdata.values.items():
        node = out
        for part in k[:-1]:
            node = node.setdefault(part, {})
        node[k[-1]] = v
    return out
