"""The document an override makes, and the state of applying overrides to it.

:class:`OverriddenDocument` is a :class:`~goalprog.spec.loader.Document` that knows which values
came from an override (and reports their location as ``file: key.path (from --set)``);
:class:`OverrideState` is the copy of the data being changed, the paths changed and the issues
found, with the helpers that look keys up in it.  Used by :mod:`goalprog.spec.overrides` and
:mod:`goalprog.spec.override_params`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from ..core.errors import Issue, SourceLocation, did_you_mean
from .loader import Document, dotted

TOP_LEVEL_KEYS = ("format", "name", "description", "sets", "params", "variables", "expressions", "constraints",
                  "goals", "solve")
"""The keys of a problem file (format 1)."""

PARAM_FIELDS = ("index", "values", "value", "file", "sheet", "column", "keys", "default", "description", "units")
"""Keys of a parameter's mapping: a mapping override with any of them is a whole new definition."""


class OverrideRecord(NamedTuple):
    """One change a what-if run made to the problem file: ``key`` (the parameter name or key path
    as given: ``"budget"``, ``"goals.waste.weight"``), ``value`` (the value as given, made plain:
    numbers, text, lists and mappings; a pandas Series or DataFrame as a mapping by label) and
    ``source``: ``"--set"``, ``"--vary"``, ``"params="`` or ``"overrides="``."""

    key: str
    value: Any
    source: str

    @property
    def text(self) -> str:
        """``key=value`` as one short line (a long value cut to 60 characters)."""
        import json

        v = self.value
        if isinstance(v, str):
            shown = v
        elif isinstance(v, (int, float)) or v is None:
            shown = json.dumps(v)
        else:
            shown = json.dumps(v, default=str, ensure_ascii=False)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"{self.key}={shown}"


def overrides_line(records) -> str:
    """The records of a what-if run as one line: ``final_target=230000 (--set); budget=1 (params=)``."""
    return "; ".join(f"{r.text} ({r.source})" for r in records)


def origin_label(origin: str) -> str:
    """How a location names where an overridden value came from: ``from --set`` for the command
    line, ``in overrides=`` / ``in params=`` for the Python API."""
    return f"in {origin}" if origin.endswith("=") else f"from {origin}"


@dataclass(frozen=True)
class OverriddenDocument(Document):
    """A :class:`Document` some of whose values came from overrides, not from the file.

    ``overridden`` maps each key path that was replaced to where the value came from
    (``--set``, ``--vary``, ``params=``, ``overrides=``); a location at or below one of them is
    reported as ``file: key.path (from --set)`` or ``file: key.path (in overrides=)`` (no line: the
    value is not in the file), every other location as in the file.  ``changes``: the
    :class:`OverrideRecord` of every override applied, in order (earlier applications first).
    """

    overridden: dict = field(default_factory=dict)
    changes: tuple = ()

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
            return SourceLocation(self.file, f"{dotted(path)} ({origin_label(origin)})", None, None)
        return super().location(path, key=key)


class OverrideState:
    """The data being changed, the paths changed and the issues found."""

    def __init__(self, doc: Document, origin: str, data_root=None):
        self.doc = doc
        self.data_root = data_root
        self.data = copy.deepcopy(doc.data)
        self.overridden: dict = dict(getattr(doc, "overridden", None) or {})
        self.issues: list[Issue] = []
        self.origin = origin
        self.changes: list = list(getattr(doc, "changes", None) or ())

    def where(self, label: str, path=()) -> SourceLocation:
        """Labelled as the override; at the ``file:line:col`` of ``path`` (the nearest existing key
        of the file that the override reaches into) when there is one."""
        line = col = None
        if path and not self.doc_overridden(path):
            loc = self.doc.location(tuple(path), key=True)
            line, col = loc.line, loc.col
        return SourceLocation(self.doc.file, f"{label} ({origin_label(self.origin)})", line, col)

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


def plain(value: Any) -> Any:
    """Python values as the loader would give them: numpy scalars, Decimal and Fraction as int or
    float, tuples as lists (mapping keys kept), a pandas Series or DataFrame as a mapping by its
    labels (:func:`by_label`)."""
    if isinstance(value, bool) or value is None or type(value) is str:
        return value
    if isinstance(value, str):  # numpy.str_ and other subclasses: the text itself
        return str(value)
    if isinstance(value, (Decimal, Fraction)):
        try:
            return int(value) if value == int(value) else float(value)
        except (ValueError, OverflowError):  # Decimal NaN or infinity
            return float(value)
    if type(value) in (int, float):
        return value
    if isinstance(value, (int, float)):  # numpy.float64 (a float subclass), IntEnum ...: the plain number
        return int(value) if isinstance(value, int) else float(value)
    if isinstance(value, dict):
        return {_plain_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    labelled = by_label(value)
    if labelled is not None:  # a pandas Series or DataFrame: by its labels, never by position
        return labelled
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return plain(item())
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)  # numpy arrays, pandas series
    if callable(tolist):
        return plain(tolist())
    return value


def is_pandas(value: Any) -> str | None:
    """``"Series"`` or ``"DataFrame"`` for a pandas object of that kind, else ``None`` (pandas is
    not imported for anything else)."""
    kind = type(value).__name__
    if kind in ("Series", "DataFrame") and type(value).__module__.startswith("pandas"):
        return kind
    return None


def labelled_items(value: Any) -> list[tuple[tuple, Any]]:
    """``(label tuple, value)`` per cell of a pandas Series (one part per index level) or
    DataFrame (the row's parts, then the column's), in their order; missing cells (NaN) of a
    DataFrame are left out."""
    kind = is_pandas(value)
    out = []
    if kind == "Series":
        for k, v in value.items():
            out.append((k if isinstance(k, tuple) else (k,), v))
        return out
    for r, row in zip(value.index, value.itertuples(index=False, name=None)):
        for c, v in zip(value.columns, row):
            if isinstance(v, float) and v != v:
                continue
            out.append(((r if isinstance(r, tuple) else (r,)) + (c if isinstance(c, tuple) else (c,)), v))
    return out


def by_label(value: Any) -> dict | None:
    """A pandas Series or DataFrame as nested mappings by label (one level per index level, then
    the columns), else ``None``."""
    if is_pandas(value) is None:
        return None
    out: dict = {}
    for key, v in labelled_items(value):
        node = out
        for part in key[:-1]:
            node = node.setdefault(_plain_key(part), {})
            if not isinstance(node, dict):  # pragma: no cover - a label that is both a leaf and a branch
                break
        else:
            node[_plain_key(key[-1])] = plain(v)
    return out


def _plain_key(k: Any) -> Any:
    k = plain(k)
    return k if isinstance(k, (str, int)) else str(k)


def find_key(mapping: dict, key: Any) -> Any:
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
            if isinstance(sub, dict) and find_key(sub, name) is not None:
                out.append(f"{section}.{name}")
    return out


_TARGET_KEYS = ("at_least", "at_most", "equal", "between")


def _shown(value: Any) -> str:
    """A value as it is written after ``=`` (text quoted, a list as ``[100, 200]``)."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def _entry_hint(section: Any, name: Any, entry: Any) -> str:
    """How to change the entry ``name`` of ``section`` by a key that can be set: a variable by its
    bounds, a goal by its target, weight or priority, a text entry whole, a mapping by one of its keys."""
    path = f"{section}.{name}"
    if section == "variables":
        bounds = entry if isinstance(entry, dict) else {}
        now = [f"{b} {bounds[b]}" for b in ("lower", "upper") if isinstance(bounds.get(b), (int, float))]
        return (f"{path} is a decision variable: set its bounds with {path}.lower=... or {path}.upper=..."
                + (f" (now {', '.join(now)})" if now else "") + "; the same value for both fixes it")
    if section == "goals" and isinstance(entry, dict):
        keys = [f"{path}.{k}=... (its target, now {_shown(entry[k])})" for k in _TARGET_KEYS
                if k in entry and len(_shown(entry[k])) <= 60]
        keys += [f"{path}.weight=...", f"{path}.priority=..."]
        return f"{path} is a goal: change it with " + ", ".join(keys[:-1]) + " or " + keys[-1]
    if isinstance(entry, (str, int, float)) and not isinstance(entry, bool) and len(str(entry)) <= 60:
        return f"{path} is {str(entry)!r} in the file; change it with {path}=\"{entry}\""
    if isinstance(entry, dict):
        keys = [k for k, v in entry.items() if isinstance(k, str) and isinstance(v, (str, int, float))][:3]
        if keys:
            return f"to change {path}, set one of its keys: " + ", ".join(f"{path}.{k}=..." for k in keys)
    return f"to change {path}, give its new value whole: {path}=..."


def _path_example(data: Any) -> str | None:
    """A key path of this problem that can be set, with its value: the target of its first goal
    that has one (``goals.profit.at_least=150000``), else that goal's weight."""
    goals = data.get("goals") if isinstance(data, dict) else None
    if not isinstance(goals, dict) or not goals:
        return None
    for name, goal in goals.items():
        for k in _TARGET_KEYS[:3]:
            if isinstance(goal, dict) and isinstance(goal.get(k), (int, float)) and not isinstance(goal.get(k), bool):
                return f"goals.{name}.{k}={_shown(goal[k])}"
    name = next(iter(goals))
    weight = goals[name].get("weight", 1) if isinstance(goals[name], dict) else 1
    return f"goals.{name}.weight={_shown(weight)}"


def param_names_hint(state: OverrideState, name: str) -> str:
    """The hint of an unknown name: a close parameter name, the keys of that name in the sections
    and how to set them (a variable's bounds, a goal's target), the parameters, and that any key
    can be set by its path, with an example from this problem."""
    params = list(state.params())
    parts = []
    close = did_you_mean(name, params)
    if close:
        parts.append(close)
    for path in _candidates(state.data, name):
        section, _ = path.split(".", 1)
        key = find_key(state.data[section], name)
        parts.append(_entry_hint(section, key, state.data[section][key]))
    if params:
        shown = ", ".join(params[:15]) + (f" and {len(params) - 15} more" if len(params) > 15 else "")
        numbers = [(k, v) for k, v in state.params().items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        example = f"{numbers[0][0]}={_shown(numbers[0][1])}" if numbers else f"{params[0]}=VALUE"
        parts.append(f"the parameters are: {shown} (set one with NAME=VALUE, e.g. {example})")
    else:
        parts.append("this problem has no parameters (no 'params:' section)")
    example = _path_example(state.data)
    if example and any(example.split("=")[0] + "=" in p for p in parts):
        example = None
    parts.append("any key can be set by its path" + (f", e.g. {example}" if example else ""))
    return "; ".join(parts)


def short_value(value: Any) -> str:
    """``repr(value)`` cut to 40 characters for a message (``None`` is "empty")."""
    if value is None:
        return "empty"
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def make_doc(doc: Document, data: Any, overridden: dict, changes: tuple = ()) -> OverriddenDocument:
    """``doc`` with ``data`` and the ``overridden`` paths (path -> origin); the positions of the
    values those paths replaced are dropped.  ``changes``: the :class:`OverrideRecord` list kept
    on the new document."""
    heads = {p[0] for p in overridden if p}

    def kept(table: dict) -> dict:  # positions of values that the overrides replaced are dropped
        return {p: v for p, v in table.items()
                if not (p and p[0] in heads and any(p[:i] in overridden for i in range(1, len(p) + 1)))}

    base = {f.name: getattr(doc, f.name) for f in fields(Document)}
    base["data"] = data
    base["values"], base["keys"], base["styles"] = kept(doc.values), kept(doc.keys), kept(doc.styles)
    return OverriddenDocument(**base, overridden=dict(overridden), changes=tuple(changes))
