"""Change a loaded problem file without editing it: parameter values and any key by its path.

Two kinds of override, used by ``goalprog solve --set``, ``goalprog sweep --vary`` and
``goalprog.load(path, params=..., overrides=...)``:

* **parameters** by name: ``budget=60000`` (a scalar parameter), ``unit_profit.pants=12`` or
  ``unit_profit[pants]=12`` (one member of an indexed parameter), ``unit_profit={pants: 12}`` (members
  merged into its values), ``unit_cost=[5, 1, 10]`` (all values in set order), ``unit_cost=1`` (every
  member), or a whole definition ``unit_cost={index: products, values: {...}}``;
* **key paths**: ``goals.waste.weight=2``, ``solve.method=preemptive``,
  ``constraints.budget="cost <= 60000"``, ``goals.new={expr: ..., at_least: ...}``: the value at that
  path is replaced, or created when its parent mapping exists (``solve``, ``solve.lock``,
  ``solve.options``, ``params``, ``sets``, ``expressions`` and ``constraints`` are created too when the
  file has none).  ``[N]`` indexes a list: ``goals.band.between[0]=0.9``.

Values are YAML read with goalprog's own rules (:func:`parse_value`): ``1e5`` is a number, ``weighted``
text, ``[1, 2]`` a list, ``{pants: 12}`` a mapping.

:func:`apply_overrides` returns a new :class:`~goalprog.spec.loader.Document`; the original (and the
file) is never changed.  Errors in parts of the file that were not overridden keep their
``file:line:col``; errors in an overridden value say so: ``factory.yaml: goals.waste.weight (from
--set): expected a number, got 'heavy'`` (``(in overrides=)`` or ``(in params=)`` from the Python
API).  The overridden document records what was changed (``changes``, for the run's result).

The work is shared with :mod:`goalprog.spec.override_text` (reading ``NAME=VALUE``),
:mod:`goalprog.spec.override_doc` (the overridden document) and
:mod:`goalprog.spec.override_params` (parameters); the names above are all importable from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import ArgumentError, Issue, did_you_mean
from .loader import Document, dotted
from .override_doc import (PARAM_FIELDS, TOP_LEVEL_KEYS, OverriddenDocument, OverrideState, find_key, make_doc,
                           param_names_hint, plain, short_value)
from .override_params import set_param
from .override_doc import OverrideRecord, is_pandas
from .override_text import SET_HINT, Members, SetItems, parse_set_items, parse_value, split_key

__all__ = ["parse_set_items", "parse_value", "split_key", "apply_overrides", "check_keys", "OverriddenDocument",
           "OverrideRecord", "SetItems", "TOP_LEVEL_KEYS"]

# missing mappings that an override may create (a file without 'solve:' can still take solve.method=...)
_CREATABLE = {("solve",), ("solve", "lock"), ("solve", "options"), ("solve", "levels"), ("params",), ("sets",),
              ("expressions",), ("constraints",)}


# ------------------------------------------------------------------------------------------------
# resolving a name
# ------------------------------------------------------------------------------------------------

def _route(state: OverrideState, key: str) -> tuple[str, Any, tuple] | None:
    """('param', name, member_parts) or ('path', parts, ()) for ``key``; None after an error."""
    try:
        parts = split_key(key)
    except ValueError as exc:
        state.error(key, str(exc), hint=SET_HINT)
        return None
    params = state.params()
    head = parts[0]
    rest = parts[1:]
    if isinstance(head, str) and find_key(params, head) is not None and (not rest or head not in TOP_LEVEL_KEYS):
        return ("param", find_key(params, head), rest)
    if head == "params" and len(rest) >= 1 and isinstance(rest[0], str) and find_key(params, rest[0]) is not None:
        if len(rest) == 1 or (isinstance(rest[1], Members) or rest[1] not in PARAM_FIELDS):
            return ("param", find_key(params, rest[0]), rest[1:])
    if isinstance(head, str) and (head in TOP_LEVEL_KEYS or
                                  (isinstance(state.data, dict) and head in state.data)):
        return ("path", parts, ())
    if not rest:
        state.error(key, f"'{head}' is not a parameter of this problem, nor a top-level key",
                    hint=param_names_hint(state, head))
    else:
        hint = did_you_mean(head, list(TOP_LEVEL_KEYS) + list(params))
        state.error(key, f"unknown key '{head}': a path starts with a section ({', '.join(TOP_LEVEL_KEYS[3:])}) "
                         "or a parameter name", hint=hint or param_names_hint(state, head))
    return None


def _member_parts(rest: tuple) -> list[str]:
    out: list = []
    for part in rest:
        if isinstance(part, Members):
            out.extend(part.items)
        else:
            out.append(part)
    return out


# ------------------------------------------------------------------------------------------------
# key paths
# ------------------------------------------------------------------------------------------------

def _set_path(state: OverrideState, key: str, parts: tuple, value: Any, *, check_only: bool = False) -> None:
    flat: list = []
    for part in parts:
        if isinstance(part, Members):
            for item in part.items:
                flat.append(int(item) if re.fullmatch(r"-?\d+", item) else _BracketKey(item))
        else:
            flat.append(part)
    node = state.data
    walked: tuple = ()
    for i, part in enumerate(flat):
        last = i == len(flat) - 1
        label = dotted(walked) or "the file"
        if isinstance(node, list):
            if not isinstance(part, int) or isinstance(part, bool):
                if isinstance(part, str) and re.fullmatch(r"-?\d+", part):
                    part = int(part)
                else:
                    state.error(key, f"{label} is a list: index it with [N], e.g. {dotted(walked)}[0]", walked)
                    return
            if not -len(node) <= part < len(node):
                state.error(key, f"{label} has {len(node)} item{'s' if len(node) != 1 else ''}; there is no "
                                 f"item [{part}]", walked, hint=f"items are numbered from 0 to {len(node) - 1}")
                return
            real = part % len(node)
        elif isinstance(node, dict):
            text = part.text if isinstance(part, _BracketKey) else part
            real = find_key(node, text)
            if real is None:
                if last:
                    real = text  # a new key in an existing mapping (the schema checks it)
                elif walked + (text,) in _CREATABLE:
                    if not check_only:
                        node[text] = {}
                    real = text
                    if check_only:
                        return
                else:
                    what = "top-level key" if not walked else "key"
                    options = [str(k) for k in node]
                    hint = did_you_mean(text, options) or (
                        f"{label} has: {', '.join(options[:15])}" if options else f"{label} is empty")
                    state.error(key, f"unknown {what} '{text}'" + (f" under {label}" if walked else ""), walked,
                                hint=hint)
                    return
        else:
            state.error(key, f"{label} is {short_value(node)}, not a mapping or list: it has no '{part}'", walked,
                        hint=f"replace it whole: {label}=...")
            return
        if last:
            if not check_only:
                node[real] = value
                state.mark(walked + (real,))
            return
        node = node[real]
        walked = walked + (real,)


@dataclass(frozen=True)
class _BracketKey:
    text: str


# ------------------------------------------------------------------------------------------------
# public entry points
# ------------------------------------------------------------------------------------------------

def apply_overrides(doc: Document, params: dict, overrides: dict, *, origin: str | None = None,
                    data_root=None) -> Document:
    """A new :class:`~goalprog.spec.loader.Document` with ``params`` and ``overrides`` applied.

    ``params`` maps a parameter name to its new value: a number for a scalar parameter; for an
    indexed one a mapping member -> value merged into its values (nested one level per index set;
    values read from a CSV file are read first, then merged), a list in set order, one number for
    every member, a pandas Series or DataFrame matched to the members by label (all values; see
    :mod:`goalprog.spec.override_pandas`), or a whole new definition (a mapping with ``values:``,
    ``file:``, ...).
    ``overrides`` maps a parameter name (as in ``params``, also ``name.member`` or
    ``name[member]``) or a dotted key path (``goals.waste.weight``, ``solve.method``,
    ``constraints.budget``) to the value that replaces the value there; a missing last key is
    created when its parent mapping exists.

    ``doc`` is not changed (its data are deep-copied).  The locations of untouched values are kept;
    locations at or below an overridden path read ``file: key.path (in params=)`` or ``(in
    overrides=)``, or ``(from <origin>)`` when ``origin`` is given (``--vary``) or ``overrides`` is
    the :class:`~goalprog.spec.override_text.SetItems` of :func:`parse_set_items` (``--set``).
    The new document records every override as an
    :class:`~goalprog.spec.override_doc.OverrideRecord` ``(key, value, source)`` in its ``changes``
    (after those of ``doc``).  Raises
    :class:`~goalprog.core.errors.ArgumentError` naming each unknown parameter or path (with a "did you
    mean" hint) and each value of the wrong shape for its parameter.  ``data_root``: a folder the
    CSV values of an overridden parameter may also be read from, as for :func:`goalprog.load`.
    """
    from .override_pandas import labelled_definition

    state = OverrideState(doc, origin or "params=", data_root)
    if not isinstance(state.data, dict):
        raise ArgumentError(Issue("the problem file is not a mapping, so nothing in it can be overridden",
                                  doc.location(())))
    for what, table in (("params", params), ("overrides", overrides)):
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ArgumentError(f"{what} must be a dict, got {type(table).__name__}",
                                hint="e.g. params={'budget': 60000}, overrides={'goals.waste.weight': 2}")
    for name, given in (params or {}).items():
        value = plain(given)
        state.changes.append(OverrideRecord(str(name), value, state.origin))
        if not isinstance(name, str) or find_key(state.params(), name) is None:
            state.error(str(name), f"'{name}' is not a parameter of this problem", hint=param_names_hint(state, str(name)))
            continue
        if is_pandas(given):
            value = labelled_definition(state, str(name), find_key(state.params(), name), given)
            if value is None:
                continue
        set_param(state, str(name), find_key(state.params(), name), [], value)
    state.origin = origin or getattr(overrides, "origin", None) or "overrides="
    for key, given in (overrides or {}).items():
        value = plain(given)
        state.changes.append(OverrideRecord(str(key), value, state.origin))
        route = _route(state, key)
        if route is None:
            continue
        kind, target, rest = route
        if kind == "param":
            if is_pandas(given) and not rest:
                value = labelled_definition(state, key, target, given)
                if value is None:
                    continue
            set_param(state, key, target, _member_parts(rest), value)
        else:
            _set_path(state, key, target, value)
    if state.issues:
        raise ArgumentError(state.issues)
    return make_doc(doc, state.data, state.overridden, tuple(state.changes))


def check_keys(doc: Document, keys) -> None:
    """Check that every key (parameter name or key path) can be overridden in ``doc``, without
    changing anything.  Raises :class:`~goalprog.core.errors.ArgumentError` as :func:`apply_overrides`."""
    state = OverrideState(doc, getattr(keys, "origin", None) or "--vary")
    for key in keys:
        route = _route(state, key)
        if route is None:
            continue
        kind, target, rest = route
        if kind == "path":
            _set_path(state, key, target, None, check_only=True)
    if state.issues:
        raise ArgumentError(state.issues)
