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
--set): expected a number, got 'heavy'``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..core.errors import ArgumentError, Issue, SourceLocation, YamlError, clip, did_you_mean
from .loader import Document, dotted, load_yaml_text

__all__ = ["parse_set_items", "parse_value", "split_key", "apply_overrides", "check_keys", "OverriddenDocument",
           "TOP_LEVEL_KEYS"]

TOP_LEVEL_KEYS = ("format", "name", "description", "sets", "params", "variables", "expressions", "constraints",
                  "goals", "solve")
"""The keys of a problem file (format 1)."""

PARAM_FIELDS = ("index", "values", "value", "file", "column", "keys", "default", "description", "units")
"""Keys of a parameter's mapping: a mapping override with any of them is a whole new definition."""

# missing mappings that an override may create (a file without 'solve:' can still take solve.method=...)
_CREATABLE = {("solve",), ("solve", "lock"), ("solve", "options"), ("solve", "levels"), ("params",), ("sets",),
              ("expressions",), ("constraints",)}

_PART_RE = re.compile(r"([^.\[\]]+)((?:\[[^\[\]]*\])*)")

SET_HINT = "write NAME=VALUE, e.g. --set budget=60000 or --set goals.waste.weight=2"


# ------------------------------------------------------------------------------------------------
# parsing NAME=VALUE
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Members:
    """``[a, b]`` after a parameter name: member keys of an indexed parameter (or a list index)."""

    items: tuple


def split_key(key: str) -> tuple:
    """``goals.waste.weight`` -> ``('goals', 'waste', 'weight')``; ``demand[pants, 1]`` ->
    ``('demand', _Members(('pants', '1')))``.  Raises ``ValueError`` with the reason."""
    if not isinstance(key, str):
        raise ValueError(f"a key is text, got {clip(key)!r}")
    text = key.strip()
    if not text:
        raise ValueError("the name is empty")
    parts: list = []
    pos = 0
    while True:
        m = _PART_RE.match(text, pos)
        if not m:
            what = "an empty part ('..' or a '.' at an end)" if pos >= len(text) or text[pos] in ".[]" else "a bad part"
            raise ValueError(f"{clip(key)!r} has {what} at character {pos + 1}")
        name = m.group(1).strip()
        if not name:
            raise ValueError(f"{clip(key)!r} has an empty part at character {pos + 1}")
        parts.append(name)
        for raw in re.findall(r"\[([^\[\]]*)\]", m.group(2)):
            items = tuple(_unquote(i.strip()) for i in raw.split(","))
            if not raw.strip() or any(i == "" for i in items):
                raise ValueError(f"{clip(key)!r}: empty brackets or an empty member between commas")
            parts.append(_Members(items))
        pos = m.end()
        if pos == len(text):
            break
        if text[pos] != ".":
            raise ValueError(f"{clip(key)!r}: unexpected {text[pos]!r} at character {pos + 1}")
        pos += 1
        if pos == len(text):
            raise ValueError(f"{clip(key)!r} ends with '.'")
    return tuple(parts)


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1]
    return s


def parse_value(text: str, *, what: str = "the value") -> Any:
    """A value written on the command line, read as YAML with goalprog's rules (``1e5`` a number,
    ``weighted`` text, ``[1, 2]`` a list, ``{a: 1}`` a mapping, ``"010"`` text).

    Raises :class:`~goalprog.core.errors.ArgumentError` when it is not acceptable YAML.
    """
    if text.strip() == "":
        raise ArgumentError(Issue(f"{what} is empty",
                                  hint="write a value after '=': NAME=0; NAME=null removes the value, "
                                       "NAME='' is empty text"))
    try:
        return load_yaml_text(text).data
    except YamlError as exc:
        first = exc.issues[0]
        msg = first.message
        return_hint = first.hint
        raise ArgumentError(Issue(f"{what} {clip(text)!r} is not a value goalprog can read: {msg}", hint=return_hint
                                  or "quote text that contains ':', '#', '[' or '{'")) from None


def parse_set_items(items: tuple[str, ...]) -> dict[str, object]:
    """``("budget=60000", "goals.waste.weight=2")`` -> ``{"budget": 60000, "goals.waste.weight": 2}``.

    Each item is ``NAME=VALUE`` (split at the first ``=``); NAME is a parameter name or a dotted key
    path, VALUE is read by :func:`parse_value`.  Raises :class:`~goalprog.core.errors.ArgumentError`
    naming every bad item (no ``=``, empty name or value, a bad key, unreadable YAML, a name given
    twice).
    """
    out: dict[str, object] = {}
    issues: list[Issue] = []
    for item in items:
        if not isinstance(item, str) or "=" not in item:
            issues.append(Issue(f"--set {clip(item)!r}: expected NAME=VALUE", hint=SET_HINT))
            continue
        name, text = item.split("=", 1)
        name = name.strip()
        try:
            split_key(name)
        except ValueError as exc:
            issues.append(Issue(f"--set {clip(item)!r}: {exc}", hint=SET_HINT))
            continue
        try:
            value = parse_value(text, what=f"--set {clip(item)!r}: the value")
        except ArgumentError as exc:
            issues.extend(exc.issues)
            continue
        if name in out:
            issues.append(Issue(f"--set {clip(item)!r}: {name!r} is set twice", hint="give each name once"))
            continue
        out[name] = value
    if issues:
        raise ArgumentError(issues)
    return out


# ------------------------------------------------------------------------------------------------
# the overridden document
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverriddenDocument(Document):
    """A :class:`Document` some of whose values came from overrides, not from the file.

    ``overridden`` maps each key path that was replaced to where the value came from
    (``--set``, ``--vary``); a location at or below one of them is reported as
    ``file: key.path (from --set)`` (no line: the value is not in the file), every other location
    as in the file.
    """

    overridden: dict = field(default_factory=dict)

    def origin_of(self, path) -> str | None:
        """Where the value at ``path`` came from when an override set it (or a mapping above it)."""
        p = tuple(path)
        for i in range(len(p), 0, -1):
            origin = self.overridden.get(p[:i])
            if origin is not None:
                return origin
        return None

    def location(self, path, *, key: bool = False) -> SourceLocation:
        origin = self.origin_of(path)
        if origin is not None:
            return SourceLocation(self.file, f"{dotted(path)} (from {origin})", None, None)
        return super().location(path, key=key)


class _State:
    """The data being changed, the paths changed and the issues found."""

    def __init__(self, doc: Document, origin: str, data_root=None):
        self.doc = doc
        self.data_root = data_root
        self.data = copy.deepcopy(doc.data)
        self.overridden: dict = dict(getattr(doc, "overridden", None) or {})
        self.issues: list[Issue] = []
        self.origin = origin

    def where(self, label: str, path=()) -> SourceLocation:
        """Labelled as the override; at the ``file:line:col`` of ``path`` (the nearest existing key
        of the file that the override reaches into) when there is one."""
        line = col = None
        if path and not self.doc_overridden(path):
            loc = self.doc.location(tuple(path), key=True)
            line, col = loc.line, loc.col
        return SourceLocation(self.doc.file, f"{label} (from {self.origin})", line, col)

    def doc_overridden(self, path) -> bool:
        p = tuple(path)
        return any(p[:i] in self.overridden for i in range(len(p), 0, -1))

    def error(self, label: str, message: str, path=(), hint: str | None = None) -> None:
        self.issues.append(Issue(message, self.where(label, path), hint=hint))

    def mark(self, path) -> None:
        self.overridden[tuple(path)] = self.origin

    def params(self) -> dict:
        p = self.data.get("params") if isinstance(self.data, dict) else None
        return p if isinstance(p, dict) else {}


def _plain(value: Any) -> Any:
    """Python values as the loader would give them: numpy scalars, Decimal and Fraction as int or
    float, tuples as lists (mapping keys kept)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (Decimal, Fraction)):
        try:
            return int(value) if value == int(value) else float(value)
        except (ValueError, OverflowError):  # Decimal NaN or infinity
            return float(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dict):
        return {_plain_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return _plain(item())
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)  # numpy arrays, pandas series
    if callable(tolist):
        return _plain(tolist())
    return value


def _plain_key(k: Any) -> Any:
    k = _plain(k)
    return k if isinstance(k, (str, int)) else str(k)


def _find(mapping: dict, key: Any) -> Any:
    """The existing key of ``mapping`` written as ``key`` ('1' finds 1), else ``None``."""
    if key in mapping:
        return key
    for k in mapping:
        if not isinstance(k, bool) and str(k) == str(key):
            return k
    return None


def _candidates(doc_data: Any, name: str) -> list[str]:
    """Dotted paths two levels down whose last key is ``name`` (``budget`` -> ``constraints.budget``)."""
    out = []
    if isinstance(doc_data, dict):
        for section, sub in doc_data.items():
            if isinstance(sub, dict) and _find(sub, name) is not None:
                out.append(f"{section}.{name}")
    return out


def _param_names_hint(state: _State, name: str) -> str:
    params = list(state.params())
    parts = []
    close = did_you_mean(name, params)
    if close:
        parts.append(close)
    for path in _candidates(state.data, name):
        section, _ = path.split(".", 1)
        current = state.data[section][_find(state.data[section], name)]
        if isinstance(current, (str, int, float)) and not isinstance(current, bool) and len(str(current)) <= 60:
            parts.append(f"{path} is {str(current)!r} in the file; change it with {path}=\"{current}\"")
        else:
            parts.append(f"to change {path}, write {path}=...")
    if params:
        shown = ", ".join(params[:15]) + (f" and {len(params) - 15} more" if len(params) > 15 else "")
        parts.append(f"the parameters are: {shown}")
    else:
        parts.append("this problem has no parameters (no 'params:' section)")
    parts.append("any key can be set by its path, e.g. goals.waste.weight=2")
    return "; ".join(parts)


# ------------------------------------------------------------------------------------------------
# resolving a name
# ------------------------------------------------------------------------------------------------

def _route(state: _State, key: str) -> tuple[str, Any, tuple] | None:
    """('param', name, member_parts) or ('path', parts, ()) for ``key``; None after an error."""
    try:
        parts = split_key(key)
    except ValueError as exc:
        state.error(key, str(exc), hint=SET_HINT)
        return None
    params = state.params()
    head = parts[0]
    rest = parts[1:]
    if isinstance(head, str) and _find(params, head) is not None and (not rest or head not in TOP_LEVEL_KEYS):
        return ("param", _find(params, head), rest)
    if head == "params" and len(rest) >= 1 and isinstance(rest[0], str) and _find(params, rest[0]) is not None:
        if len(rest) == 1 or (isinstance(rest[1], _Members) or rest[1] not in PARAM_FIELDS):
            return ("param", _find(params, rest[0]), rest[1:])
    if isinstance(head, str) and (head in TOP_LEVEL_KEYS or
                                  (isinstance(state.data, dict) and head in state.data)):
        return ("path", parts, ())
    if not rest:
        state.error(key, f"'{head}' is not a parameter of this problem, nor a top-level key",
                    hint=_param_names_hint(state, head))
    else:
        hint = did_you_mean(head, list(TOP_LEVEL_KEYS) + list(params))
        state.error(key, f"unknown key '{head}': a path starts with a section ({', '.join(TOP_LEVEL_KEYS[3:])}) "
                         "or a parameter name", hint=hint or _param_names_hint(state, head))
    return None


def _member_parts(rest: tuple) -> list[str]:
    out: list = []
    for part in rest:
        if isinstance(part, _Members):
            out.extend(part.items)
        else:
            out.append(part)
    return out


# ------------------------------------------------------------------------------------------------
# key paths
# ------------------------------------------------------------------------------------------------

def _set_path(state: _State, key: str, parts: tuple, value: Any, *, check_only: bool = False) -> None:
    flat: list = []
    for part in parts:
        if isinstance(part, _Members):
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
            real = _find(node, text)
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
            state.error(key, f"{label} is {_short(node)}, not a mapping or list: it has no '{part}'", walked,
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


def _short(value: Any) -> str:
    if value is None:
        return "empty"
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


# ------------------------------------------------------------------------------------------------
# parameters
# ------------------------------------------------------------------------------------------------

def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number_or_expression(state: _State, key: str, name: str, value: Any) -> bool:
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
    state.error(key, f"the parameter '{name}' is a single number; got {_short(value)}",
                hint=f"e.g. {name}=60000; a whole new definition is a mapping with value:, values: or file:")
    return False


def _set_param(state: _State, key: str, name: str, member_parts: list, value: Any) -> None:
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
        state.error(key, f"the parameter '{name}' is indexed over {index}; got {_short(value)}", base,
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


def _merge(state: _State, into: dict, new: dict, path: tuple) -> None:
    for k, v in new.items():
        real = _find(into, k)
        if real is None:
            real = k
        if isinstance(v, dict) and isinstance(into.get(real), dict):
            _merge(state, into[real], v, path + (real,))
        else:
            into[real] = v
            state.mark(path + (real,))


def _materialise(state: _State, key: str, name: str) -> dict | None:
    """The values of parameter ``name`` (from its CSV file or a list in set order) as nested
    mappings member -> value, so that single members can be replaced."""
    from ..core.errors import ProblemFileError
    from .data import bind_data
    from .schema import validate_document

    doc = _make_doc(state.doc, state.data, state.overridden)
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


# ------------------------------------------------------------------------------------------------
# public entry points
# ------------------------------------------------------------------------------------------------

def _make_doc(doc: Document, data: Any, overridden: dict) -> OverriddenDocument:
    heads = {p[0] for p in overridden if p}

    def kept(table: dict) -> dict:  # positions of values that the overrides replaced are dropped
        return {p: v for p, v in table.items()
                if not (p and p[0] in heads and any(p[:i] in overridden for i in range(1, len(p) + 1)))}

    base = {f.name: getattr(doc, f.name) for f in fields(Document)}
    base["data"] = data
    base["values"], base["keys"], base["styles"] = kept(doc.values), kept(doc.keys), kept(doc.styles)
    return OverriddenDocument(**base, overridden=dict(overridden))


def apply_overrides(doc: Document, params: dict, overrides: dict, *, origin: str = "--set",
                    data_root=None) -> Document:
    """A new :class:`~goalprog.spec.loader.Document` with ``params`` and ``overrides`` applied.

    ``params`` maps a parameter name to its new value: a number for a scalar parameter; for an
    indexed one a mapping member -> value merged into its values (nested one level per index set;
    values read from a CSV file are read first, then merged), a list in set order, one number for
    every member, or a whole new definition (a mapping with ``values:``, ``file:``, ...).
    ``overrides`` maps a parameter name (as in ``params``, also ``name.member`` or
    ``name[member]``) or a dotted key path (``goals.waste.weight``, ``solve.method``,
    ``constraints.budget``) to the value that replaces the value there; a missing last key is
    created when its parent mapping exists.

    ``doc`` is not changed (its data are deep-copied).  The locations of untouched values are kept;
    locations at or below an overridden path read ``file: key.path (from <origin>)``.  Raises
    :class:`~goalprog.core.errors.ArgumentError` naming each unknown parameter or path (with a "did you
    mean" hint) and each value of the wrong shape for its parameter.  ``data_root``: a folder the
    CSV values of an overridden parameter may also be read from, as for :func:`goalprog.load`.
    """
    state = _State(doc, origin, data_root)
    if not isinstance(state.data, dict):
        raise ArgumentError(Issue("the problem file is not a mapping, so nothing in it can be overridden",
                                  doc.location(())))
    for what, table in (("params", params), ("overrides", overrides)):
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ArgumentError(f"{what} must be a dict, got {type(table).__name__}",
                                hint="e.g. params={'budget': 60000}, overrides={'goals.waste.weight': 2}")
    for name, value in (params or {}).items():
        value = _plain(value)
        if not isinstance(name, str) or _find(state.params(), name) is None:
            state.error(str(name), f"'{name}' is not a parameter of this problem", hint=_param_names_hint(state, str(name)))
            continue
        _set_param(state, str(name), _find(state.params(), name), [], value)
    for key, value in (overrides or {}).items():
        value = _plain(value)
        route = _route(state, key)
        if route is None:
            continue
        kind, target, rest = route
        if kind == "param":
            _set_param(state, key, target, _member_parts(rest), value)
        else:
            _set_path(state, key, target, value)
    if state.issues:
        raise ArgumentError(state.issues)
    return _make_doc(doc, state.data, state.overridden)


def check_keys(doc: Document, keys) -> None:
    """Check that every key (parameter name or key path) can be overridden in ``doc``, without
    changing anything.  Raises :class:`~goalprog.core.errors.ArgumentError` as :func:`apply_overrides`."""
    state = _State(doc, "--vary")
    for key in keys:
        route = _route(state, key)
        if route is None:
            continue
        kind, target, rest = route
        if kind == "path":
            _set_path(state, key, target, None, check_only=True)
    if state.issues:
        raise ArgumentError(state.issues)
