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
                           origin_label, param_names_hint, plain, short_value)
from .override_params import set_param
from .override_doc import OverrideRecord, is_pandas
from .override_text import Members, SetItems, parse_set_items, parse_value, set_hint, split_key

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
        state.error(key, str(exc), hint=set_hint(key if state.origin.endswith("=") else f"{key}=", state.origin))
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
# two overrides of one value
# ------------------------------------------------------------------------------------------------

def _leaves(value: Any, prefix: tuple) -> list[tuple]:
    """The paths of the leaves of a mapping of members (``{pants: 12, shirts: {1: 3}}``)."""
    if not isinstance(value, dict) or not value or any(k in PARAM_FIELDS for k in value):
        return [prefix]
    out: list = []
    for k, v in value.items():
        out += _leaves(v, prefix + (str(k),))
    return out


def claimed_paths(state: OverrideState, key: str, given: Any) -> list[tuple] | None:
    """The values an override sets, as key paths of the file in one spelling (``budget``,
    ``params.budget`` and ``params.budget.value`` all claim ``params.budget``; ``cap.A`` and
    ``cap[A]`` claim ``params.cap.values.A``); ``None`` for a key that does not resolve (its own
    error says why).  Two overrides conflict when a path of one is a path of the other or lies
    below it."""
    saved = len(state.issues)
    route = _route(state, key)
    del state.issues[saved:]
    if route is None:
        return None
    kind, target, rest = route
    if kind == "param":
        base = ("params", str(target))
        members = tuple(str(m) for m in _member_parts(rest))
        if not members and not isinstance(plain(given), dict):
            return [base]
        return _leaves(plain(given), base + ("values",) + members) if members or not is_pandas(given) else [base]
    out: list = []
    for part in target:
        if isinstance(part, Members):
            out.extend(str(i) for i in part.items)
        else:
            out.append(str(part))
    if len(out) >= 3 and out[0] == "params" and out[2] == "value":
        return [tuple(out[:2])]  # the value of a scalar parameter is the parameter
    return [tuple(out)]


_VALUES = object()  # the values a key will be given (check_keys): not known yet


def _conflicts(state: OverrideState, claims: dict, key: str, source: str, given: Any) -> bool:
    """Record the paths ``key`` sets in ``claims``; an issue (and ``True``) when another override,
    from the same or another source, already set one of them, or a value above or below it."""
    paths = claimed_paths(state, key, given)
    if paths is None:
        return False
    value = plain(given)
    for path in paths:
        for other, (okey, osource, ovalue) in claims.items():
            if (okey, osource) == (key, source):
                continue
            n = min(len(path), len(other))
            if path[:n] != other[:n] or (path == other and ovalue == value):  # the same value twice: no choice
                continue
            shorter = path if len(path) <= len(other) else other
            part = "" if path == other else ", one all of it and the other a part of it"
            mine = key if given is _VALUES else OverrideRecord(key, value, source).text
            theirs = OverrideRecord(okey, ovalue, osource).text
            state.error(key, f"{mine} ({origin_label(source)}) and {theirs} ({origin_label(osource)}) both set "
                             f"{dotted(shorter)}{part}: which one should hold is not for goalprog to guess",
                        hint=f"give it in one place: drop {key} ({source}) or {okey} ({osource})")
            return True
    for path in paths:
        claims[path] = (key, source, value)
    return False


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
    from .override_pandas import labelled_definition, positional_array

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
    claims: dict = {}  # path -> (key, source, value): two overrides of one value are refused
    for name, given in (params or {}).items():
        value = plain(given)
        state.changes.append(OverrideRecord(str(name), value, state.origin))
        if not isinstance(name, str) or find_key(state.params(), name) is None:
            state.error(str(name), f"'{name}' is not a parameter of this problem", hint=param_names_hint(state, str(name)))
            continue
        if _conflicts(state, claims, name, state.origin, given) or \
                positional_array(state, name, find_key(state.params(), name), given):
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
        if route is None or _conflicts(state, claims, key, state.origin, given):
            continue
        kind, target, rest = route
        if kind == "param" and not rest and positional_array(state, key, target, given):
            continue
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
    changing anything, and that none sets a value an override already applied to ``doc`` set
    (``--vary budget=...`` beside ``--set params.budget=...``).  Raises
    :class:`~goalprog.core.errors.ArgumentError` as :func:`apply_overrides`."""
    state = OverrideState(doc, getattr(keys, "origin", None) or "--vary")
    claims: dict = {}  # what the overrides already applied to ``doc`` set: a key may not set it again
    for record in getattr(doc, "changes", None) or ():
        for path in claimed_paths(state, record.key, record.value) or ():
            claims[path] = (record.key, record.source, record.value)
    for key in keys:
        route = _route(state, key)
        if route is None or _conflicts(state, claims, key, state.origin, _VALUES):
            continue
        kind, target, rest = route
        if kind == "path":
            _set_path(state, key, target, None, check_only=True)
    if state.issues:
        raise ArgumentError(state.issues)
