"""Sets and parameters bound to their values (inline in the YAML file or read from CSV files).

:func:`bind_data` turns the ``sets:`` and ``params:`` sections of a validated
:class:`~goalprog.spec.schema.ProblemSpec` into :class:`SetData` and :class:`ParamData`, checking
every member and value; all problems are raised together as a
:class:`~goalprog.core.errors.DataError` with their locations.

CSV files are read with pandas, paths relative to the problem file, and only from its folder
or a data root (see :mod:`goalprog.spec.files`).  Every bad cell (missing or
non-numeric value, index value not in its set, duplicate index row) is reported with the CSV
file, its line and column.

Index keys are always tuples: ``()`` for scalars, ``('pants',)`` for one set,
``('pants', 3)`` for two.  Set members are ``str`` or ``int`` and keep their order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.errors import DataError, IssueCollector, SizeLimitError, did_you_mean
from ..core.limits import Limits, default_limits
from .loader import Document, YamlBool
from .schema import ParamSpec, ProblemSpec, SetTableSpec, short_repr
from .tables import TableReader


def _count(n: int) -> str:
    """A count for a message: digits with separators, or its order of magnitude when huge."""
    return f"{n:,}" if n < 10 ** 30 else f"about 10^{int(n.bit_length() * 0.30103)}"


@dataclass(frozen=True)
class SetData:
    """A set: ordered members (each a tuple of ``arity`` str/int values)."""

    name: str
    members: tuple[tuple, ...]
    arity: int
    lookup: frozenset

    def __contains__(self, key: tuple) -> bool:
        return key in self.lookup


@dataclass(frozen=True)
class ParamData:
    """A parameter: ``values[key]`` for keys over ``index`` (set names); ``default`` fills gaps."""

    name: str
    index: tuple[str, ...]
    values: dict
    default: float | None
    expr: str | None = None
    """A scalar parameter computed from an expression over earlier parameters and sets."""

    @property
    def arity(self) -> int:
        return len(self.index)

    def get(self, key: tuple) -> float | None:
        v = self.values.get(key)
        if v is None:
            return self.default
        return v


@dataclass(frozen=True)
class DataModel:
    """Bound sets and parameters; ``files``: the resolved paths of the data files read, in order."""

    sets: dict[str, SetData]
    params: dict[str, ParamData]
    files: tuple = ()


def _member(value: Any) -> Any:
    """A valid set member (str or int) or raise ValueError with the reason."""
    if isinstance(value, YamlBool):
        raise ValueError(f"{value.text!r} is read by YAML as a boolean; quote it: \"{value.text}\"")
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a valid set member")
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r}: set members are names or whole numbers")
    if isinstance(value, (str, int)):
        return value
    import numpy as np

    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.str_):
        return str(value)
    raise ValueError(f"{short_repr(value)} is not a valid set member (a name or a whole number)")


def index_names(index: Any) -> tuple[str, ...]:
    if index is None:
        return ()
    if isinstance(index, str):
        return (index,)
    return tuple(index)


def _match_key(raw: Any, members: frozenset) -> Any:
    """Find ``raw`` among one-dimensional members, tolerating '3' vs 3."""
    if (raw,) in members:
        return raw
    for (m,) in members:
        if str(m) == str(raw):
            return m
    return None


def bind_data(spec: ProblemSpec, doc: Document, base_dir=None, data_root=None, *,
              limits: Limits | None = None) -> DataModel:
    """Bind sets and parameters (inline or from CSV files under ``base_dir``).

    ``base_dir`` (the problem folder) defaults to the problem file's folder (the current folder
    for a dict); CSV files are read only under it, or under ``data_root`` when given (see
    :mod:`goalprog.spec.files`).  Raises :class:`~goalprog.core.errors.DataError` listing every issue,
    or :class:`~goalprog.core.errors.SizeLimitError` when a set has more members than ``limits`` allow.
    """
    limits = limits or default_limits()
    too_large = False
    issues = IssueCollector(DataError)
    tables = TableReader(doc, base_dir, issues, data_root, limits)
    sets: dict[str, SetData] = {}
    failed_sets: set = set()
    for name, s in spec.sets.items():
        path = ("sets", name)
        members: list[tuple] = []
        if isinstance(s, SetTableSpec) and s.file is not None:
            got = tables.set_members(s.file, s.columns or [s.column], path, s.sheet)
            if got is None:
                failed_sets.add(name)
                continue
            members = got
            if len(members) > limits.max_instances:
                issues.add(f"the set has {len(members):,} members; sets are limited to {limits.max_instances:,} members",
                           doc.location(path + ("file",)), hint=limits.instance_hint())
                too_large = True
                continue
        elif isinstance(s, SetTableSpec):
            lo, hi = s.range[0], s.range[1]
            step = s.range[2] if len(s.range) == 3 else 1
            if step == 0:
                issues.add("the range step is 0", doc.location(path + ("range",)), hint="use range: [1, 12] or [0, 10, 2]")
                continue
            count = max(0, (hi - lo) // step + 1)  # arithmetic: len(range()) overflows on huge ends
            if count > limits.max_instances:  # refused before a single member is made
                issues.add(f"the range has {_count(count)} members; sets are limited to {limits.max_instances:,} "
                           "members", doc.location(path + ("range",)),
                           hint="check the ends of the range; " + limits.instance_hint())
                too_large = True
                continue
            members = [(i,) for i in range(lo, hi + (1 if step > 0 else -1), step)]
        else:
            if len(s) > limits.max_instances:
                issues.add(f"the set has {len(s):,} members; sets are limited to {limits.max_instances:,} members",
                           doc.location(path), hint=limits.instance_hint())
                too_large = True
                continue
            arity = None
            for k, raw in enumerate(s):
                try:
                    if isinstance(raw, list):
                        if not raw:
                            raise ValueError("an empty list is not a set member")
                        m = tuple(_member(x) for x in raw)
                    else:
                        m = (_member(raw),)
                except ValueError as exc:
                    issues.add(str(exc), doc.location(path + (k,)))
                    continue
                if arity is None:
                    arity = len(m)
                elif len(m) != arity:
                    issues.add(f"member {k + 1} has {len(m)} parts but the first has {arity}",
                               doc.location(path + (k,)), hint="every member of a tuple set has the same length")
                    continue
                members.append(m)
        seen: set = set()
        written: dict = {}  # members as labels show them: 1 and '1' are both 1
        for k, m in enumerate(members):
            if m in seen:
                issues.add(f"the member {short_repr(m[0] if len(m) == 1 else m)} appears twice", doc.location(path + (k,)),
                           hint="a set lists each member once")
            elif not isinstance(s, SetTableSpec):  # ranges are numbers, and a CSV cell is a number or a name
                text = tuple(str(v) for v in m)
                if text in written:
                    other = written[text]
                    issues.add(f"the members {short_repr(other[0] if len(other) == 1 else other)} and "
                               f"{short_repr(m[0] if len(m) == 1 else m)} are written the same way "
                               f"({', '.join(text)}): labels, tables and values: keys could not tell them apart",
                               doc.location(path + (k,)), hint="a set lists each member once; write both as numbers or "
                                                               "both as names, or rename one")
                written.setdefault(text, m)
            seen.add(m)
        arity = len(members[0]) if members else 1
        sets[name] = SetData(name, tuple(members), arity, frozenset(members))

    if too_large:  # nothing more is bound: the model would not be built anyway
        issues.error_type = SizeLimitError
        issues.raise_if_any()
    params: dict[str, ParamData] = {}
    for name, p in spec.params.items():
        path = ("params", name)
        if name in sets:
            issues.add(f"'{name}' is already a set", doc.location(path, key=True), hint="give the parameter another name")
            continue
        if isinstance(p, float):
            params[name] = ParamData(name, (), {(): p}, None)
            continue
        assert isinstance(p, ParamSpec)
        index = index_names(p.index)
        default = p.default
        if isinstance(default, str):
            issues.add("default must be a number", doc.location(path + ("default",)))
            continue
        if any(s in failed_sets for s in index):
            continue  # the set's own error is reported; do not pile on
        bad = False
        for s in index:
            if s not in sets:
                issues.add(f"unknown set '{s}' in the index of parameter '{name}'", doc.location(path + ("index",)),
                           hint=did_you_mean(s, sets) or "declare it under 'sets:'")
                bad = True
        if bad:
            continue
        if not index:
            if p.file is not None:
                got = tables.scalar_value(p.file, p.column or name, path, p.sheet)
                if got is not None:
                    params[name] = ParamData(name, (), {(): got}, None)
                continue
            if p.values is not None:
                issues.add("'values' needs an 'index' (the sets it is indexed over)", doc.location(path + ("values",)))
                continue
            if p.value is None:
                issues.add("a scalar parameter needs 'value: <number>' (or an expression over the parameters "
                           "and sets above it)", doc.location(path), hint="or write the number directly: budget: 50000")
                continue
            if isinstance(p.value, str):  # computed by the compiler, in declaration order
                params[name] = ParamData(name, (), {}, None, expr=p.value)
                continue
            params[name] = ParamData(name, (), {(): p.value}, None)
            continue
        if p.value is not None:
            issues.add("an indexed parameter takes 'values', not 'value'", doc.location(path + ("value",)))
            continue
        values: dict = {}
        if p.file is not None:
            keys = index_names(p.keys) if p.keys is not None else index
            if len(keys) != sum(sets[s].arity for s in index):
                issues.add(f"'keys' names {len(keys)} column(s) but the index has "
                           f"{sum(sets[s].arity for s in index)} part(s)", doc.location(path + ("keys",)),
                           hint="name one CSV column per index set")
                continue
            got = tables.param_values(p.file, keys, p.column or name, [sets[s] for s in index], path,
                                      p.sheet)
            if got is None:
                continue
            values = got
        elif p.values is None:
            if default is None:
                issues.add("an indexed parameter needs 'values', 'file' or a 'default'", doc.location(path),
                           hint="e.g. values: {pants: 10, shirts: 3}, file: data/profit.csv, or default: 0")
                continue
        else:
            _read_values(p.values, index, sets, (), path + ("values",), doc, issues, values, name)
        params[name] = ParamData(name, index, values, default)
    issues.raise_if_any()
    return DataModel(sets, params, tuple(tables.files))


def _read_values(raw, index, sets, prefix, path, doc, issues, out, pname):
    """Inline values: one mapping level per index position (a tuple set takes one level per part);
    the last position may be a list in set order."""
    positions = [(sets[s], k) for s in index for k in range(sets[s].arity)]
    level = len(prefix)
    sd, part = positions[level]
    last = level == len(positions) - 1
    if isinstance(raw, list) and last and sd.arity == 1:
        # the last index as a list in set order: {pants: [10, 20, 30]} over (products, months)
        if len(raw) != len(sd.members):
            issues.add(f"{len(raw)} values for the {len(sd.members)} members of '{sd.name}'", doc.location(path),
                       hint="give one value per member, or a mapping member: value")
            return
        for k, (v, (m,)) in enumerate(zip(raw, sd.members)):
            _store(v, prefix + (m,), path + (k,), doc, issues, out)
        return
    what = sd.name if sd.arity == 1 else f"part {part + 1} of the tuples of '{sd.name}'"
    if not isinstance(raw, dict):
        issues.add(f"expected a mapping from members of '{sd.name}' to " + ("numbers" if last else "further mappings"),
                   doc.location(path), hint=f"e.g. values: {{{next(iter(sd.members), ('a',))[0]}: 10}}")
        return
    exact = {m[part] for m in sd.members}
    choices = {}
    for m in sd.members:
        choices.setdefault(str(m[part]), m[part])
    given: dict = {}  # member -> the key that named it first
    for key, v in raw.items():
        # an exact member first; else the member written the same way ('1' names the member 1)
        m = key if key in exact and not isinstance(key, bool) else choices.get(str(key))
        if m is None:
            issues.add(f"{short_repr(key)} is not a member of {what if sd.arity > 1 else repr(sd.name)}",
                       doc.location(path + (key,), key=True), hint=did_you_mean(key, list(choices)))
            continue
        if m in given:
            first = given[m]
            line = doc.location(path + (first,), key=True).line
            issues.add(f"the keys {short_repr(first)}" + (f" (line {line})" if line else "") +
                       f" and {short_repr(key)} both name the member {short_repr(m)} of "
                       f"{what if sd.arity > 1 else repr(sd.name)}: one value would silently replace the other",
                       doc.location(path + (key,), key=True), hint="give each member one value; remove one of the keys")
            continue
        given[m] = key
        key_so_far = prefix + (m,)
        if part == sd.arity - 1 and sd.arity > 1:
            start = level - part
            if tuple(key_so_far[start:]) not in sd.lookup:
                issues.add(f"{short_repr(tuple(key_so_far[start:]))} is not a member of the set '{sd.name}'",
                           doc.location(path + (key,), key=True))
                continue
        if last:
            _store(v, key_so_far, path + (key,), doc, issues, out)
        else:
            _read_values(v, index, sets, key_so_far, path + (key,), doc, issues, out, pname)


def _store(v, key, path, doc, issues, out):
    if isinstance(v, YamlBool):
        issues.add(f"{v.text!r} is read by YAML as a boolean, not a number", doc.location(path),
                   hint="write the number (1 or 0), or quote the text")
        return
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        issues.add(f"expected a number, got {short_repr(v)}", doc.location(path))
        return
    try:
        v = float(v)
    except OverflowError:
        issues.add("the number is too large", doc.location(path), hint="rescale the data")
        return
    if math.isnan(v):
        issues.add("a parameter value is NaN", doc.location(path))
        return
    out[key] = v
