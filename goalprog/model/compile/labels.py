"""Labels are unique: no two elements of a model print as the same ``name[index]``.

Every table, message and ``result.value(label)`` names an instance by its label,
:attr:`goalprog.model.ir.Origin.label` (``x[1]``, ``make[pants,3]``, the bare name when not indexed).
Names are keys of the problem file, so they may hold brackets, commas or quotes, and two different
elements could then print alike:

* a name that *is* a label of another element: a scalar variable ``"x[1]"`` beside ``x`` indexed
  over {1, 2}, a goal ``"g[1]"`` beside an indexed goal ``g``;
* two instances of one element whose members hold commas: ``x["a,b", "c"]`` and ``x["a", "b,c"]``
  both print as ``x[a,b,c]``.

Labels share a table within a group of kinds: sets, parameters, variables and named expressions
(one namespace already: a name is used once among them); goals and plain objectives; hard
constraints.  :func:`check` looks at every group once, after the builders ran, and reports each
collision at the later of the two names, naming both.  Only names with a bracket, and elements
with a comma in a member, can collide, so the labels of other elements are never built.
"""

from __future__ import annotations

from ..ir import _plain
from .context import CompileContext

_KIND_WORDS = {"sets": "set", "params": "parameter", "variables": "variable", "expressions": "named expression",
               "goals": "goal", "constraints": "hard constraint"}


class _Element:
    """One named element: its section, name, arity and (built on demand) its labels in order."""

    def __init__(self, section: str, name: str, arity: int, make_labels):
        self.section, self.name, self.arity = section, name, arity
        self._make = make_labels
        self._labels = None

    def labels(self) -> list:
        """``(label, index tuple)`` of every instance, in order."""
        if self._labels is None:
            self._labels = [(self.name, ())] if self.arity == 0 else list(self._make())
        return self._labels


def _from_block(name: str, keys: list, count: int):
    def make():
        for k in range(count):
            index = tuple(_plain(a[k]) for a in keys)
            yield f"{name}[{','.join(str(i) for i in index)}]", index
    return make


def _param_labels(ctx: CompileContext, pd):
    """The labels of a parameter's instances with a value (a parameter with a ``default`` is
    matched by :func:`_product_match` instead: its instances are the whole product of its sets)."""
    def make():
        for index in pd.values.keys():
            yield f"{pd.name}[{','.join(str(i) for i in index)}]", index
    return make


def _product_match(inner: str, positions: list[dict]):
    """An index tuple, one member per position (``positions``: member text -> member), that prints
    as ``inner`` (``a,b,c``), or ``None``.  Commas may be in members, so every split at commas is
    tried, remembering the dead ends: at most positions x commas steps, never the product."""
    commas = [i for i, ch in enumerate(inner) if ch == ","]
    dead: set = set()

    def walk(k: int, start: int):
        if (k, start) in dead:
            return None
        last = k == len(positions) - 1
        for end in ([len(inner)] if last else [i for i in commas if i >= start]):
            text = inner[start:end]
            if text in positions[k]:
                if last:
                    return (positions[k][text],)
                rest = walk(k + 1, end + 1)
                if rest is not None:
                    return (positions[k][text],) + rest
        dead.add((k, start))
        return None

    return walk(0, 0) if positions else None


def _groups(ctx: CompileContext) -> list[list[_Element]]:
    """The elements of the model in their label groups, in file order within each section."""
    names: list[_Element] = [_Element("sets", n, 0, None) for n in ctx.data.sets]
    for n, pd in ctx.data.params.items():
        arity = sum(ctx.data.sets[s].arity for s in pd.index if s in ctx.data.sets)
        names.append(_Element("params", n, arity, _param_labels(ctx, pd)))
    start = 0
    for name, keys, count in ctx.col_origin.blocks():
        v = ctx.vars.get(name)
        if v is not None and v.start == start:  # a variable's block (deviation columns carry goal names)
            names.append(_Element("variables", name, len(keys), _from_block(name, keys, count)))
        start += count
    if ctx.expressions is not None:
        for name, keys, count in ctx.expressions.origins.blocks():
            names.append(_Element("expressions", name, len(keys), _from_block(name, keys, count)))
    goals: list[_Element] = []
    for b in ctx.goal_blocks:
        name, keys, count = b["origin"]
        goals.append(_Element("goals", name, len(keys), _from_block(name, keys, count)))
    by_name: dict = {}
    for o in ctx.objectives:
        by_name.setdefault(o.origin.name, []).append(o.origin.index)
    for name, indices in by_name.items():
        arity = len(indices[0])
        goals.append(_Element("goals", name, arity,
                              lambda name=name, indices=indices:
                              ((f"{name}[{','.join(str(i) for i in ix)}]", ix) for ix in indices)))
    hard: list[_Element] = []
    row = 0
    for name, keys, count in ctx.row_origin.blocks():
        if row >= ctx.n_hard:
            break
        row += count
        hard.append(_Element("constraints", name, len(keys), _from_block(name, keys, count)))
    return [names, goals, hard]


def _where(ctx: CompileContext, e: _Element):
    return ctx.doc.location((e.section, e.name), key=True)


def _later(ctx: CompileContext, a: _Element, b: _Element) -> tuple[_Element, _Element]:
    """``(first, second)`` in file order (by line and column of their keys)."""
    la, lb = _where(ctx, a), _where(ctx, b)
    ka = (la.line or 0, la.col or 0)
    kb = (lb.line or 0, lb.col or 0)
    return (a, b) if ka <= kb else (b, a)


def check(ctx: CompileContext) -> None:
    """Add an issue to ``ctx.issues`` for every label two instances of the model would share."""
    commas = any("," in str(v) for sd in ctx.data.sets.values() for m in sd.members for v in m)
    for group in _groups(ctx):
        seen_pairs = set()
        # one element whose members hold commas: x['a,b', 'c'] and x['a', 'b,c']
        for e in group:
            if not commas or e.arity < 2 or not _has_comma(e):
                continue
            first: dict = {}
            for label, index in e.labels():
                if label in first and first[label] != index:
                    ctx.issues.add(f"the {_KIND_WORDS[e.section]} '{e.name}' has two instances labelled "
                                   f"'{label}': {_tuple(first[label])} and {_tuple(index)} (a member holds a comma)",
                                   _where(ctx, e),
                                   hint="tables and results could not tell them apart; rename the members so "
                                        "that none holds a comma")
                    break
                first.setdefault(label, index)
        # a name that is a label of another element
        indexed = [e for e in group if e.arity]
        for c in group:
            if "[" not in c.name:
                continue
            for e in indexed:
                if e is c or not c.name.startswith(e.name + "[") or (id(c), id(e)) in seen_pairs:
                    continue
                clash = _clash(ctx, c, e)
                if clash is None:
                    continue
                seen_pairs.add((id(c), id(e)))
                seen_pairs.add((id(e), id(c)))
                label = clash[0]
                first, second = _later(ctx, c, e)
                line = _where(ctx, first).line
                ctx.issues.add(f"the {_KIND_WORDS[second.section]} '{second.name}' and the "
                               f"{_KIND_WORDS[first.section]} '{first.name}'"
                               + (f" (line {line})" if line else "")
                               + f" both give the label '{label}': tables, messages and lookups by label "
                               "could not tell them apart", _where(ctx, second),
                               hint=f"rename '{c.name}' without brackets (e.g. '{_plain_name(c.name)}'): "
                                    "name[...] is how an instance of an indexed element is labelled")


def _clash(ctx: CompileContext, c: _Element, e: _Element):
    """The first label of ``c`` that is also a label of ``e`` (as ``(label, index)``), or ``None``."""
    pd = ctx.data.params.get(e.name) if e.section == "params" else None
    if pd is not None and pd.default is not None:
        positions = [{str(m[k]): m[k] for m in ctx.data.sets[s].members}
                     for s in pd.index if s in ctx.data.sets for k in range(ctx.data.sets[s].arity)]
        for label, index in c.labels():
            inner = label[len(e.name) + 1:-1] if label.startswith(e.name + "[") and label.endswith("]") else None
            if inner is not None and _product_match(inner, positions) is not None:
                return label, index
        return None
    theirs = {label for label, _ in e.labels()}
    return next(((label, index) for label, index in c.labels() if label in theirs), None)


def _has_comma(e: _Element) -> bool:
    return any("," in str(i) for _, index in e.labels() for i in index)


def _tuple(index: tuple) -> str:
    return "(" + ", ".join(repr(i) for i in index) + ")"


def _plain_name(name: str) -> str:
    out = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name).strip("_")
    return out or "x"

